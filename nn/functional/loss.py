"""The loss functions of `nn.functional`, with PyTorch's definitions (their module forms: nn/modules/loss.py).

Every loss takes `reduction="mean" | "sum" | "none"`: the mean or sum of the per-element losses,
or the per-element losses themselves. Options are keyword-only. Targets must have the shape the
loss expects (no silent broadcasting); class labels must be integers in [0, C).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ArgumentError, DomainError, DTypeError, IndexOutOfRange, ShapeError
from autograd.extend import gates, wrap

REDUCTIONS = ("mean", "sum", "none")


# ---- shared checks ---------------------------------------------------------------------------
def _check_reduction(loss: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise DomainError(f"{loss}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _reduce(values: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return values.mean()
    return values.sum() if reduction == "sum" else values


def _check_input(loss: str, input: Any, reduction: str, min_dims: int = 0) -> None:
    _check_reduction(loss, reduction)
    if not isinstance(input, Tensor) or input.dtype.kind != "f":
        what = f"a Tensor of dtype {input.dtype}" if isinstance(input, Tensor) else type(input).__name__
        raise DTypeError(f"{loss}: input must be a floating-point Tensor, got {what}")
    if input.ndim < min_dims:
        raise ShapeError(f"{loss}: input needs at least {min_dims} dims (the classes), got shape {input.shape}")


def _is_float(target: Any) -> bool:
    return (target.dtype if isinstance(target, Tensor) else np.asarray(target).dtype).kind == "f"


def _float_target(loss: str, input: Tensor, target: Any, what: str = "target") -> Tensor:
    """`target` as a Tensor in the input's float dtype; it must have the input's shape."""
    if isinstance(target, Tensor):
        t = target if target.dtype == input.dtype else target.to(input.dtype)
    else:
        t = wrap(np.asarray(target, dtype=input.dtype))
    if t.shape != input.shape:
        raise ShapeError(f"{loss}: {what} has shape {t.shape} but the input has shape {input.shape}; they must match")
    return t


def _class_labels(loss: str, input: Tensor, target: Any, hint: str = "") -> np.ndarray:
    """Integer labels of shape (N, d1, …) for input (N, C, d1, …), or () for input (C,), in [0, C)."""
    labels = np.asarray(target.numpy() if isinstance(target, Tensor) else target)
    if labels.dtype.kind not in "iu":
        raise DTypeError(f"{loss}: class labels must be integers (e.g. int64), got dtype {labels.dtype}{hint}")
    expected = input.shape[:1] + input.shape[2:] if input.ndim > 1 else ()
    if labels.shape != expected:
        raise ShapeError(
            f"{loss}: input of shape {input.shape} needs class labels of shape {expected}, got {labels.shape}"
        )
    classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    bad = (labels < 0) | (labels >= classes)
    if bad.any():
        raise IndexOutOfRange(
            f"{loss}: class label {labels[bad].flat[0]} is out of range for {classes} classes "
            f"(expected 0 to {classes - 1})"
        )
    return labels


def _label_index(labels: np.ndarray) -> tuple[np.ndarray, ...]:
    """The index that picks class `labels[n, d…]` of dim 1 for every sample (and position)."""
    grid = np.indices(labels.shape)
    return (*grid[:1], labels, *grid[1:])


# ---- regression losses ------------------------------------------------------------------------
def mse_loss(input: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    """(x − y)² per element."""
    _check_input("mse_loss", input, reduction)
    diff = input - _float_target("mse_loss", input, target)
    return _reduce(diff * diff, reduction)


def l1_loss(input: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    """|x − y| per element."""
    _check_input("l1_loss", input, reduction)
    return _reduce((input - _float_target("l1_loss", input, target)).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Any, *, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 (x − y)²/β where |x − y| < β, else |x − y| − 0.5β (quadratic near 0, linear outside;
    β = 0 is the L1 loss)."""
    _check_input("smooth_l1_loss", input, reduction)
    if isinstance(beta, bool) or not isinstance(beta, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"smooth_l1_loss: beta must be a number, got {beta!r}")
    if not beta >= 0 or not np.isfinite(beta):
        raise DomainError(f"smooth_l1_loss: beta must be a finite number >= 0, got {beta}")
    diff = input - _float_target("smooth_l1_loss", input, target)
    size = diff.abs()
    if beta == 0:
        return _reduce(size, reduction)
    inside = wrap(size.numpy() < beta)
    return _reduce(gates.elementwise.Where.apply(inside, diff * diff * (0.5 / beta), size - 0.5 * beta), reduction)


# ---- binary classification ---------------------------------------------------------------------
def binary_cross_entropy(input: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    """−[y log p + (1 − y) log(1 − p)] for probabilities p and targets y in [0, 1]; each log is
    clamped at −100 (so p = 0 or 1 gives a finite loss) and the gradient (p − y)/(p(1 − p)) has its
    denominator clamped at 10⁻¹², as in PyTorch (the fused `BinaryCrossEntropy` gate). For logits
    use `binary_cross_entropy_with_logits`."""
    _check_input("binary_cross_entropy", input, reduction)
    y = _float_target("binary_cross_entropy", input, target)
    inside = (input.numpy() >= 0) & (input.numpy() <= 1)
    if not inside.all():
        raise DomainError(
            f"binary_cross_entropy: input must be probabilities in [0, 1], found {input.numpy()[~inside].flat[0]}; "
            "for raw scores (logits) use binary_cross_entropy_with_logits"
        )
    outside = (y.numpy() < 0) | (y.numpy() > 1)
    if outside.any():
        raise DomainError(
            "binary_cross_entropy: target must be in [0, 1] (a label or a probability), "
            f"found {y.numpy()[outside].flat[0]}"
        )
    return _reduce(gates.elementwise.BinaryCrossEntropy.apply(input, y), reduction)


def binary_cross_entropy_with_logits(
    input: Tensor, target: Any, *, reduction: str = "mean", pos_weight: Any = None
) -> Tensor:
    """−[w y log σ(x) + (1 − y) log(1 − σ(x))] from logits x, with w = pos_weight (1 if None;
    broadcast over the input, e.g. one weight per class). Computed stably as
    (1 − y) x + (1 + (w − 1) y) softplus(−x), since −log σ(x) = softplus(−x)."""
    _check_input("binary_cross_entropy_with_logits", input, reduction)
    y = _float_target("binary_cross_entropy_with_logits", input, target)
    neg_log_sigmoid = gates.elementwise.Softplus.apply(-input, beta=1.0, threshold=np.inf)
    if pos_weight is None:
        return _reduce((1 - y) * input + neg_log_sigmoid, reduction)
    w = wrap(np.asarray(pos_weight.numpy() if isinstance(pos_weight, Tensor) else pos_weight, input.dtype))
    return _reduce((1 - y) * input + (1 + (w - 1) * y) * neg_log_sigmoid, reduction)


# ---- multiclass classification -----------------------------------------------------------------
def cross_entropy(input: Tensor, target: Any, *, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy from logits, −Σ_c t_c log softmax(x)_c over the class dim.

    `input` is (N, C), (N, C, d1, …) or (C,). `target` is either integer class labels of shape
    (N,), (N, d1, …) or () — then t is one-hot and the loss is −x_y + log Σ_c e^(x_c) — or float
    class probabilities of the input's shape. `label_smoothing` ε mixes t with the uniform
    distribution: t ← (1 − ε) t + ε/C. "mean" averages over samples (and positions).
    """
    name = "cross_entropy"
    _check_input(name, input, reduction, min_dims=1)
    if not 0.0 <= label_smoothing <= 1.0:
        raise DomainError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    dim = 1 if input.ndim > 1 else 0
    classes = input.shape[dim]
    if _is_float(target):
        logp = input.log_softmax(dim)
        probs = _float_target(name, input, target, what="a float target (class probabilities)")
        if label_smoothing:
            probs = probs * (1 - label_smoothing) + label_smoothing / classes
        return _reduce(-(logp * probs).sum(dim), reduction)
    hint = f"; or pass class probabilities as a float target of the input's shape {input.shape}"
    labels = _class_labels(name, input, target, hint)
    if input.ndim == 2 and not label_smoothing and reduction != "none":  # the common case: one gate
        n = input.shape[0]
        return gates.reduce.CrossEntropy.apply(
            input, labels=labels, scale=1.0 if reduction == "sum" else 1.0 / n if n else np.nan
        )
    logp = input.log_softmax(dim)
    loss = -logp[_label_index(labels)]
    if label_smoothing:
        loss = loss * (1 - label_smoothing) - logp.mean(dim) * label_smoothing
    return _reduce(loss, reduction)


def nll_loss(input: Tensor, target: Any, *, reduction: str = "mean") -> Tensor:
    """−x_y: the negative log-likelihood of log-probabilities `input` (N, C), (N, C, d1, …) or (C,)
    (e.g. from log_softmax) at integer class labels `target`."""
    _check_input("nll_loss", input, reduction, min_dims=1)
    labels = _class_labels("nll_loss", input, target)
    return _reduce(-input[_label_index(labels)], reduction)


def multi_margin_loss(
    input: Tensor, target: Any, *, p: int = 1, margin: float = 1.0, reduction: str = "mean"
) -> Tensor:
    """The multiclass SVM hinge loss: Σ_{j≠y} max(0, margin − x_y + x_j)^p / C per sample, for
    scores `input` (N, C) or (C,) and integer labels (PyTorch divides the notes' hinge sum by C)."""
    _check_input("multi_margin_loss", input, reduction, min_dims=1)
    if input.ndim > 2:
        raise ShapeError(f"multi_margin_loss: expected scores of shape (N, C) or (C,), got {input.shape}")
    if p not in (1, 2):
        raise DomainError(f"multi_margin_loss: p must be 1 or 2, got {p}")
    labels = _class_labels("multi_margin_loss", input, target)
    index = _label_index(labels)
    correct = input[index]
    hinge = (input - (correct.unsqueeze(1) if input.ndim == 2 else correct) + margin).relu()
    if p == 2:
        hinge = hinge * hinge
    others = np.ones(input.shape, dtype=input.dtype)
    others[index] = 0
    return _reduce((hinge * wrap(others)).sum(-1) * (1.0 / input.shape[-1]), reduction)
