"""The loss functions of `nn.functional`, with PyTorch's definitions, signatures and argument
order (their module forms: nn/modules/loss.py).

Every loss takes `reduction="mean" | "sum" | "none"`: the mean or sum of the per-element losses,
or the per-element losses themselves (`kl_div` also "batchmean"). PyTorch's legacy `size_average`
and `reduce` are accepted in their places but must be None (use `reduction`). Targets must have
the shape the loss expects (no silent broadcasting); class labels must be integers in [0, C) or
`ignore_index`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ArgumentError, DomainError, DTypeError, IndexOutOfRange, ShapeError
from autograd.extend import gates, wrap

REDUCTIONS = ("mean", "sum", "none")


# ---- shared checks ---------------------------------------------------------------------------
def _check_reduction(loss: str, reduction: str, allowed: tuple[str, ...] = REDUCTIONS) -> None:
    if reduction not in allowed:
        names = ", ".join(repr(r) for r in allowed[:-1]) + f" or {allowed[-1]!r}"
        raise DomainError(f"{loss}: reduction must be {names}, got {reduction!r}")


def _check_legacy(loss: str, size_average: Any, reduce: Any) -> None:
    """PyTorch's deprecated `size_average` / `reduce`: accepted in their places, only as None."""
    for name, value in (("size_average", size_average), ("reduce", reduce)):
        if value is not None:
            raise ArgumentError(
                f"{loss}: the legacy argument {name}={value!r} is not supported; use "
                "reduction='mean', 'sum' or 'none' instead"
            )


def _reduce(values: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return values.mean()
    return values.sum() if reduction == "sum" else values


def _reduce_weighted(loss: str, values: Tensor, weight: Any, reduction: str, by_weight: bool = True) -> Tensor:
    """`_reduce` of w · values for a per-element `weight` of the values' shape; its mean is
    Σ w · values / Σ w (a weighted mean), or with by_weight=False the plain mean of w · values
    (PyTorch's huber_loss, unlike its mse_loss and l1_loss)."""
    if weight is None:
        return _reduce(values, reduction)
    w = _as_float(values, weight)
    if w.shape != values.shape:
        raise ShapeError(f"{loss}: weight has shape {w.shape}, the input {values.shape}; they must be the same")
    weighted = values * w
    return weighted.sum() / w.sum() if reduction == "mean" and by_weight else _reduce(weighted, reduction)


def _check_input(loss: str, input: Any, reduction: str, min_dims: int = 0, what: str = "input") -> None:
    _check_reduction(loss, reduction)
    _check_float(loss, input, what)
    if input.ndim < min_dims:
        raise ShapeError(f"{loss}: {what} needs at least {min_dims} dims (the classes), got shape {input.shape}")


def _check_float(loss: str, input: Any, what: str = "input") -> None:
    if not isinstance(input, Tensor) or input.dtype.kind != "f":
        kind = f"a Tensor of dtype {input.dtype}" if isinstance(input, Tensor) else type(input).__name__
        raise DTypeError(f"{loss}: {what} must be a floating-point Tensor, got {kind}")


def _is_float(target: Any) -> bool:
    return (target.dtype if isinstance(target, Tensor) else np.asarray(target).dtype).kind == "f"


def _as_float(input: Tensor, value: Any) -> Tensor:
    """`value` as a Tensor in the input's float dtype (a Tensor keeps its graph)."""
    if isinstance(value, Tensor):
        return value if value.dtype == input.dtype else value.to(input.dtype)
    return wrap(np.asarray(value, dtype=input.dtype))


def _float_target(loss: str, input: Tensor, target: Any, what: str = "target") -> Tensor:
    """`target` as a Tensor in the input's float dtype; it must have the input's shape."""
    t = _as_float(input, target)
    if t.shape != input.shape:
        raise ShapeError(f"{loss}: {what} has shape {t.shape} but the input has shape {input.shape}; they must match")
    return t


def _class_weight(loss: str, input: Tensor, weight: Any, classes: int) -> Tensor | None:
    """A per-class `weight` as a Tensor of shape (C,) in the input's dtype (None stays None)."""
    if weight is None:
        return None
    w = _as_float(input, weight)
    if w.shape != (classes,):
        raise ShapeError(f"{loss}: weight must have shape ({classes},), one per class, got shape {w.shape}")
    return w


def _class_labels(
    loss: str, input: Tensor, target: Any, hint: str = "", ignore_index: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Integer labels of shape (N, d1, …) for input (N, C, d1, …), or () for input (C,), in [0, C)
    or equal to `ignore_index`; returned with ignored ones replaced by 0, and the mask of kept ones."""
    labels = np.asarray(target.numpy() if isinstance(target, Tensor) else target)
    if labels.dtype.kind not in "iu":
        raise DTypeError(f"{loss}: class labels must be integers (e.g. int64), got dtype {labels.dtype}{hint}")
    expected = input.shape[:1] + input.shape[2:] if input.ndim > 1 else ()
    if labels.shape != expected:
        raise ShapeError(
            f"{loss}: input of shape {input.shape} needs class labels of shape {expected}, got {labels.shape}"
        )
    classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    kept = np.ones(labels.shape, bool) if ignore_index is None else labels != ignore_index
    bad = ((labels < 0) | (labels >= classes)) & kept
    if bad.any():
        raise IndexOutOfRange(
            f"{loss}: class label {labels[bad].flat[0]} is out of range for {classes} classes "
            f"(expected 0 to {classes - 1}"
            + (f", or ignore_index={ignore_index})" if ignore_index is not None else ")")
        )
    return np.where(kept, labels, 0), kept


def _label_index(labels: np.ndarray) -> tuple[np.ndarray, ...]:
    """The index that picks class `labels[n, d…]` of dim 1 for every sample (and position)."""
    grid = np.indices(labels.shape)
    return (*grid[:1], labels, *grid[1:])


def _check_number(loss: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{loss}: {name} must be a number, got {value!r}")
    return float(value)


def _weighted_mean(loss: Tensor, total: Tensor) -> Tensor:
    """Σ loss / Σ weights; NaN when no weight is left (every target ignored), with gradient 0, as PyTorch."""
    if total.numpy() == 0:
        return loss.sum() * 0.0 + math.nan
    return loss.sum() / total


def _same_shape(loss: str, *named: tuple[str, Tensor]) -> None:
    (first, a), *rest = named
    for name, b in rest:
        if b.shape != a.shape:
            raise ShapeError(f"{loss}: {name} has shape {b.shape} but {first} has shape {a.shape}; they must match")


# ---- regression losses ------------------------------------------------------------------------
def mse_loss(
    input: Tensor,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Tensor:
    """(x − y)² per element (times `weight`, of the input's shape, if given)."""
    _check_legacy("mse_loss", size_average, reduce)
    _check_input("mse_loss", input, reduction)
    diff = input - _float_target("mse_loss", input, target)
    return _reduce_weighted("mse_loss", diff * diff, weight, reduction)


def l1_loss(
    input: Tensor,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    weight: Any = None,
) -> Tensor:
    """|x − y| per element (times `weight`, of the input's shape, if given)."""
    _check_legacy("l1_loss", size_average, reduce)
    _check_input("l1_loss", input, reduction)
    return _reduce_weighted("l1_loss", (input - _float_target("l1_loss", input, target)).abs(), weight, reduction)


def smooth_l1_loss(
    input: Tensor,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    beta: float = 1.0,
) -> Tensor:
    """0.5 (x − y)²/β where |x − y| < β, else |x − y| − 0.5β (quadratic near 0, linear outside;
    β = 0 is the L1 loss)."""
    _check_legacy("smooth_l1_loss", size_average, reduce)
    _check_input("smooth_l1_loss", input, reduction)
    beta = _check_number("smooth_l1_loss", "beta", beta)
    if not beta >= 0 or not np.isfinite(beta):
        raise DomainError(f"smooth_l1_loss: beta must be a finite number >= 0, got {beta}")
    diff = input - _float_target("smooth_l1_loss", input, target)
    size = diff.abs()
    if beta == 0:
        return _reduce(size, reduction)
    inside = wrap(size.numpy() < beta)
    return _reduce(gates.elementwise.Where.apply(inside, diff * diff * (0.5 / beta), size - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0, weight: Any = None) -> Tensor:
    """0.5 (x − y)² where |x − y| < δ, else δ (|x − y| − 0.5δ) (δ · smooth_l1_loss with β = δ),
    times `weight` (of the input's shape) if given; then the mean is the plain mean, as PyTorch's."""
    _check_input("huber_loss", input, reduction)
    delta = _check_number("huber_loss", "delta", delta)
    if not delta > 0 or not np.isfinite(delta):
        raise DomainError(f"huber_loss: delta must be a finite number > 0, got {delta}")
    diff = input - _float_target("huber_loss", input, target)
    size = diff.abs()
    inside = wrap(size.numpy() < delta)
    per_element = gates.elementwise.Where.apply(inside, diff * diff * 0.5, (size - 0.5 * delta) * delta)
    return _reduce_weighted("huber_loss", per_element, weight, reduction, by_weight=False)


def kl_div(
    input: Tensor,
    target: Any,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """The KL divergence of log-probabilities `input` from `target`: y (log y − x) per element (0
    where y = 0), or e^y (y − x) with `log_target`; "batchmean" is the sum over the batch size."""
    name = "kl_div"
    _check_legacy(name, size_average, reduce)
    _check_reduction(name, reduction, ("mean", "batchmean", "sum", "none"))
    _check_float(name, input)
    y = _float_target(name, input, target)
    if log_target:
        values = y.exp() * (y - input)
    else:
        values = y.xlogy(y) - y * input
    if reduction == "batchmean":
        return values.sum() * (1.0 / input.shape[0]) if input.ndim else values.sum()
    return _reduce(values, reduction)


def poisson_nll_loss(
    input: Tensor,
    target: Any,
    log_input: bool = True,
    full: bool = False,
    size_average: Any = None,
    eps: float = 1e-8,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """The Poisson negative log-likelihood of rates λ at counts y: e^x − y x for log-rates x
    (`log_input`), else λ − y log(λ + eps); `full` adds Stirling's y log y − y + ½ log(2πy) where y > 1."""
    name = "poisson_nll_loss"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction)
    eps = _check_number(name, "eps", eps)
    y = _float_target(name, input, target)
    values = input.exp() - y * input if log_input else input - y * (input + eps).log()
    if full:
        big = wrap(y.numpy() > 1)
        where = gates.elementwise.Where.apply
        safe = where(big, y, wrap(np.ones((), input.dtype)))  # y where y > 1: finite logs elsewhere
        stirling = y * safe.log() - y + (safe * (2 * math.pi)).log() * 0.5
        values = values + where(big, stirling, wrap(np.zeros((), input.dtype)))
    return _reduce(values, reduction)


def gaussian_nll_loss(
    input: Tensor, target: Any, var: Any, full: bool = False, eps: float = 1e-6, reduction: str = "mean"
) -> Tensor:
    """The Gaussian negative log-likelihood of `target` under means `input` and variances `var`:
    ½ (log max(var, eps) + (x − y)²/max(var, eps)) (+ ½ log 2π if `full`); the clamp at eps passes
    the gradient through unchanged, as PyTorch's. `var` has the input's shape, or it with the last
    dim 1 or dropped (one variance per sample), or is a number."""
    name = "gaussian_nll_loss"
    _check_input(name, input, reduction)
    eps = _check_number(name, "eps", eps)
    y = _float_target(name, input, target)
    if not isinstance(var, Tensor):
        if np.ndim(var) == 0:
            var = _check_number(name, "var", var)
            if var < 0:
                raise DomainError(f"{name}: var must be >= 0, got {var}")
            var = wrap(np.full(input.shape, var, dtype=input.dtype))
        else:
            var = wrap(np.asarray(var, dtype=input.dtype))
    var = _as_float(input, var)
    if var.shape != input.shape:
        if var.shape == input.shape[:-1]:
            var = var.unsqueeze(-1)
        elif not (var.ndim == input.ndim and var.shape[:-1] == input.shape[:-1] and var.shape[-1] == 1):
            raise ShapeError(
                f"{name}: var has shape {var.shape} but must have the input's shape {input.shape}, or it with the "
                "last dim 1 or dropped"
            )
    if (var.numpy() < 0).any():
        raise DomainError(f"{name}: var must be >= 0, found {var.numpy()[var.numpy() < 0].flat[0]}")
    shift = np.maximum(var.numpy(), eps) - var.numpy()
    var = var + wrap(shift.astype(input.dtype)) if shift.any() else var
    diff = input - y
    values = (var.log() + diff * diff / var) * 0.5
    if full:
        values = values + 0.5 * math.log(2 * math.pi)
    return _reduce(values, reduction)


# ---- binary classification ---------------------------------------------------------------------
def _elementwise_weight(loss: str, input: Tensor, weight: Any, what: str = "weight") -> Tensor:
    w = _as_float(input, weight)
    try:
        np.broadcast_shapes(w.shape, input.shape)
    except ValueError:
        raise ShapeError(
            f"{loss}: {what} of shape {w.shape} does not broadcast to the input's shape {input.shape}"
        ) from None
    return w


def binary_cross_entropy(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """−w [y log p + (1 − y) log(1 − p)] for probabilities p and targets y in [0, 1] (w = weight,
    broadcast over the input, 1 if None); each log is clamped at −100 (so p = 0 or 1 gives a finite
    loss) and the gradient (p − y)/(p(1 − p)) has its denominator clamped at 10⁻¹², as in PyTorch
    (the fused `BinaryCrossEntropy` gate). For logits use `binary_cross_entropy_with_logits`."""
    name = "binary_cross_entropy"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction)
    y = _float_target(name, input, target)
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
    values = gates.elementwise.BinaryCrossEntropy.apply(input, y)
    if weight is not None:
        values = values * _elementwise_weight(name, input, weight)
    return _reduce(values, reduction)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
    pos_weight: Any = None,
) -> Tensor:
    """−v [w y log σ(x) + (1 − y) log(1 − σ(x))] from logits x, with w = pos_weight and v = weight
    (each 1 if None, broadcast over the input, e.g. one per class). Computed stably as
    (1 − y) x + (1 + (w − 1) y) softplus(−x), since −log σ(x) = softplus(−x)."""
    name = "binary_cross_entropy_with_logits"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction)
    y = _float_target(name, input, target)
    neg_log_sigmoid = gates.elementwise.Softplus.apply(-input, beta=1.0, threshold=np.inf)
    if pos_weight is None:
        values = (1 - y) * input + neg_log_sigmoid
    else:
        w = _elementwise_weight(name, input, pos_weight, "pos_weight")
        values = (1 - y) * input + (1 + (w - 1) * y) * neg_log_sigmoid
    if weight is not None:
        values = values * _elementwise_weight(name, input, weight)
    return _reduce(values, reduction)


def soft_margin_loss(
    input: Tensor, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Tensor:
    """log(1 + e^(−y x)) per element, for targets y = ±1 (computed as softplus(−y x))."""
    _check_legacy("soft_margin_loss", size_average, reduce)
    _check_input("soft_margin_loss", input, reduction)
    y = _float_target("soft_margin_loss", input, target)
    return _reduce(gates.elementwise.Softplus.apply(-(y * input), beta=1.0, threshold=np.inf), reduction)


def hinge_embedding_loss(
    input: Tensor,
    target: Any,
    margin: float = 1.0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """x where y = 1, max(0, margin − x) where y = −1 (for distances x; PyTorch's sum of both
    terms for any other y: x where y ≠ −1 plus max(0, margin − x) where y ≠ 1)."""
    name = "hinge_embedding_loss"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction)
    margin = _check_number(name, "margin", margin)
    y = _float_target(name, input, target).numpy()
    zero = wrap(np.zeros((), input.dtype))
    where = gates.elementwise.Where.apply
    values = where(wrap(y != 1), (margin - input).relu(), zero) + where(wrap(y != -1), input, zero)
    return _reduce(values, reduction)


def margin_ranking_loss(
    input1: Tensor,
    input2: Tensor,
    target: Any,
    margin: float = 0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, −y (x₁ − x₂) + margin) per element, for targets y = ±1 (which of the two should rank higher)."""
    name = "margin_ranking_loss"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input1, reduction, what="input1")
    _check_float(name, input2, "input2")
    margin = _check_number(name, "margin", margin)
    y = _as_float(input1, target)
    _same_shape(name, ("input1", input1), ("input2", input2), ("target", y))
    return _reduce((-y * (input1 - input2) + margin).relu(), reduction)


# ---- embeddings ------------------------------------------------------------------------------------
def _pair_or_batch(loss: str, names: tuple[str, ...], inputs: tuple[Tensor, ...], reduction: str) -> None:
    _check_reduction(loss, reduction)
    for name, x in zip(names, inputs):
        _check_float(loss, x, name)
    _same_shape(loss, *zip(names, inputs))
    if inputs[0].ndim not in (1, 2):
        raise ShapeError(f"{loss}: expected inputs of shape (N, D) or (D,), got {inputs[0].shape}")


def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Any,
    margin: float = 0,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """1 − cos(x₁, x₂) where y = 1, max(0, cos(x₁, x₂) − margin) where y = −1 (0 for other y), with
    cos = x₁·x₂ / √((|x₁|² + 10⁻¹²)(|x₂|² + 10⁻¹²)) over the last dim of (N, D) or (D,) inputs."""
    name = "cosine_embedding_loss"
    _check_legacy(name, size_average, reduce)
    _pair_or_batch(name, ("input1", "input2"), (input1, input2), reduction)
    margin = _check_number(name, "margin", margin)
    y = np.asarray(target.numpy() if isinstance(target, Tensor) else target)
    if y.shape != input1.shape[:-1]:
        raise ShapeError(
            f"{name}: inputs of shape {input1.shape} need a target of shape {input1.shape[:-1]}, got {y.shape}"
        )
    eps = 1e-12
    cos = (input1 * input2).sum(-1) / ((input1 * input1).sum(-1) + eps).mul((input2 * input2).sum(-1) + eps).sqrt()
    zero = wrap(np.zeros((), input1.dtype))
    where = gates.elementwise.Where.apply
    values = where(wrap(y == 1), 1 - cos, zero) + where(wrap(y == -1), (cos - margin).relu(), zero)
    return _reduce(values, reduction)


def _pairwise_distance(a: Tensor, b: Tensor, p: float, eps: float) -> Tensor:
    return (a - b + eps).norm(p, -1)


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """max(0, d(a, p) − d(a, n) + margin) with d(u, v) = ‖u − v + eps‖_p over the last dim; `swap`
    uses min(d(a, n), d(p, n)) as the negative distance."""
    name = "triplet_margin_loss"
    _check_legacy(name, size_average, reduce)
    _pair_or_batch(name, ("anchor", "positive", "negative"), (anchor, positive, negative), reduction)
    margin = _check_number(name, "margin", margin)
    p = _check_number(name, "p", p)
    eps = _check_number(name, "eps", eps)
    if not p > 0:
        raise DomainError(f"{name}: p must be > 0, got {p}")
    d_pos = _pairwise_distance(anchor, positive, p, eps)
    d_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = d_neg.minimum(_pairwise_distance(positive, negative, p, eps))
    return _reduce((d_pos - d_neg + margin).relu(), reduction)


# ---- multiclass classification -----------------------------------------------------------------
def cross_entropy(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Softmax cross-entropy from logits, −Σ_c w_c t_c log softmax(x)_c over the class dim.

    `input` is (N, C), (N, C, d1, …) or (C,). `target` is either integer class labels of shape
    (N,), (N, d1, …) or () — then t is one-hot, labels equal to `ignore_index` add 0, and "mean"
    divides by the sum of the weights w_y of the kept labels — or float class probabilities of the
    input's shape ("mean" divides by N·d1·…). `label_smoothing` ε mixes t with the uniform
    distribution: t ← (1 − ε) t + ε/C (for labels: (1 − ε) nll + ε/C · Σ_c −w_c log p_c, the
    smoothing term reduced with the same denominator, as PyTorch).
    """
    name = "cross_entropy"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction, min_dims=1)
    label_smoothing = _check_number(name, "label_smoothing", label_smoothing)
    if not 0.0 <= label_smoothing <= 1.0:
        raise DomainError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    dim = 1 if input.ndim > 1 else 0
    classes = input.shape[dim]
    w = _class_weight(name, input, weight, classes)
    w_shape = (classes,) + (1,) * (input.ndim - dim - 1)
    if _is_float(target):
        logp = input.log_softmax(dim)
        probs = _float_target(name, input, target, what="a float target (class probabilities)")
        if label_smoothing:
            probs = probs * (1 - label_smoothing) + label_smoothing / classes
        terms = logp * probs if w is None else logp * probs * w.reshape(w_shape)
        values = -terms.sum(dim)
        return _reduce(values, reduction)  # "mean" divides by N·d1·…, not by the weights
    hint = f"; or pass class probabilities as a float target of the input's shape {input.shape}"
    labels, kept = _class_labels(name, input, target, hint, ignore_index)
    if input.ndim == 2 and w is None and kept.all() and not label_smoothing and reduction != "none":
        n = input.shape[0]  # the common case: one fused gate
        return gates.reduce.CrossEntropy.apply(
            input, labels=labels, scale=1.0 if reduction == "sum" else 1.0 / n if n else np.nan
        )
    logp = input.log_softmax(dim)
    loss = _nll(logp, labels, kept, w, reduction)
    if not label_smoothing:
        return loss
    smooth = _kept(kept, -(logp if w is None else logp * w.reshape(w_shape)).sum(dim))
    if reduction == "mean":
        total = wrap(kept.sum().astype(input.dtype)) if w is None else (w[labels] * wrap(kept.astype(w.dtype))).sum()
        smooth = _weighted_mean(smooth, total)
    elif reduction == "sum":
        smooth = smooth.sum()
    return loss * (1 - label_smoothing) + smooth * (label_smoothing / classes)


def _kept(kept: np.ndarray, values: Tensor) -> Tensor:
    """`values` where `kept`, 0 (and no gradient) at the ignored targets."""
    return gates.elementwise.Where.apply(wrap(kept), values, wrap(np.zeros((), values.dtype)))


def _nll(logp: Tensor, labels: np.ndarray, kept: np.ndarray, w: Tensor | None, reduction: str) -> Tensor:
    """−w_y logp_y per sample (0 for ignored ones), reduced; "mean" divides by Σ w_y of the kept."""
    picked = -logp[_label_index(labels)]
    if w is None and kept.all():  # every weight 1: the plain mean (the same float as before weights)
        return _reduce(picked, reduction)
    mask = wrap(kept.astype(logp.dtype))
    weights = mask if w is None else w[labels] * mask
    values = _kept(kept, picked if w is None else picked * w[labels])
    if reduction == "mean":
        return _weighted_mean(values, weights.sum())
    return _reduce(values, reduction)


def nll_loss(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    ignore_index: int = -100,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """−w_y x_y: the negative log-likelihood of log-probabilities `input` (N, C), (N, C, d1, …) or
    (C,) (e.g. from log_softmax) at integer class labels `target`; labels equal to `ignore_index`
    add 0, and "mean" divides by the sum of the kept labels' weights."""
    name = "nll_loss"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction, min_dims=1)
    classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    w = _class_weight(name, input, weight, classes)
    labels, kept = _class_labels(name, input, target, ignore_index=ignore_index)
    return _nll(input, labels, kept, w, reduction)


def multi_margin_loss(
    input: Tensor,
    target: Any,
    p: int = 1,
    margin: float = 1.0,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """The multiclass SVM hinge loss: Σ_{j≠y} w_y max(0, margin − x_y + x_j)^p / C per sample, for
    scores `input` (N, C) or (C,) and integer labels (PyTorch divides the notes' hinge sum by C)."""
    name = "multi_margin_loss"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction, min_dims=1)
    if input.ndim > 2:
        raise ShapeError(f"multi_margin_loss: expected scores of shape (N, C) or (C,), got {input.shape}")
    if p not in (1, 2):
        raise DomainError(f"multi_margin_loss: p must be 1 or 2, got {p}")
    w = _class_weight(name, input, weight, input.shape[-1])
    labels, _ = _class_labels(name, input, target)
    index = _label_index(labels)
    correct = input[index]
    hinge = (input - (correct.unsqueeze(1) if input.ndim == 2 else correct) + margin).relu()
    if p == 2:
        hinge = hinge * hinge
    if w is not None:
        hinge = hinge * (w[labels].unsqueeze(1) if input.ndim == 2 else w[labels])
    others = np.ones(input.shape, dtype=input.dtype)
    others[index] = 0
    return _reduce((hinge * wrap(others)).sum(-1) * (1.0 / input.shape[-1]), reduction)


def multilabel_margin_loss(
    input: Tensor, target: Any, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
) -> Tensor:
    """Σ_{j ∈ targets} Σ_{i ∉ targets} max(0, 1 − (x_j − x_i)) / C per sample, for scores (N, C) or
    (C,) and integer targets of the same shape: the target classes, up to the first −1."""
    name = "multilabel_margin_loss"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction, min_dims=1)
    if input.ndim > 2:
        raise ShapeError(f"{name}: expected scores of shape (N, C) or (C,), got {input.shape}")
    y = np.asarray(target.numpy() if isinstance(target, Tensor) else target)
    if y.dtype.kind not in "iu":
        raise DTypeError(f"{name}: targets must be integer class indices (e.g. int64), got dtype {y.dtype}")
    if y.shape != input.shape:
        raise ShapeError(f"{name}: target has shape {y.shape} but the input has shape {input.shape}; they must match")
    classes = input.shape[-1]
    bad = (y < -1) | (y >= classes)
    if bad.any():
        raise IndexOutOfRange(
            f"{name}: target class {y[bad].flat[0]} is out of range for {classes} classes "
            f"(expected 0 to {classes - 1}, or -1 to end the list)"
        )
    rows = y.reshape(-1, classes)
    listed = np.cumprod(rows != -1, axis=1).astype(bool)  # the entries before the first -1
    counts = np.zeros(rows.shape, input.dtype)  # how often each class is listed (repeats count)
    for n in range(rows.shape[0]):
        np.add.at(counts[n], rows[n][listed[n]], 1)
    others = (counts == 0).astype(input.dtype)
    pairs = wrap((counts[:, :, None] * others[:, None, :]).reshape(y.shape + (classes,)))
    x = input.unsqueeze(-1)
    hinge = (1 - x + x.transpose(-1, -2)).relu()  # [j, i]: 1 − (x_j − x_i)
    return _reduce((hinge * pairs).sum((-2, -1)) * (1.0 / classes), reduction)


def multilabel_soft_margin_loss(
    input: Tensor,
    target: Any,
    weight: Any = None,
    size_average: Any = None,
    reduce: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """−Σ_c w_c [y_c log σ(x_c) + (1 − y_c) log σ(−x_c)] / C per sample, for scores (N, C) or (C,)
    and 0/1 targets of the same shape (w = weight, 1 if None)."""
    name = "multilabel_soft_margin_loss"
    _check_legacy(name, size_average, reduce)
    _check_input(name, input, reduction, min_dims=1)
    y = _float_target(name, input, target)
    softplus = gates.elementwise.Softplus.apply
    values = y * softplus(-input, beta=1.0, threshold=np.inf) + (1 - y) * softplus(input, beta=1.0, threshold=np.inf)
    if weight is not None:
        values = values * _elementwise_weight(name, input, weight)
    return _reduce(values.sum(-1) * (1.0 / input.shape[-1]), reduction)
