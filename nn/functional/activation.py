"""Activation functions, as PyTorch's `torch.nn.functional`."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, default_generator
from autograd.errors import ArgumentError, DomainError, ShapeError
from autograd.extend import gates, in_place, wrap

from .normalization import _channel_shape


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _apply(name: str, input: Tensor, fn: Callable[[Tensor], Tensor], inplace: bool) -> Tensor:
    """fn(input), or (inplace=True) fn(input) written into input by the engine's in-place rule."""
    if inplace:
        return in_place(input, name + "_", fn)
    return fn(input)


def _mask(input: Tensor, keep: Any) -> Tensor:
    """The element-wise boolean `keep` (computed on input's array) as a constant Tensor."""
    return wrap(np.asarray(keep, dtype=bool))


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(0, x)."""
    return input.relu_() if inplace else input.relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x if x > 0 else negative_slope · x."""
    return _apply("leaky_relu", input, lambda x: x.leaky_relu(negative_slope), inplace)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x if x > 0 else a · x with a learned slope `weight`: one slope, or one per channel (dim 1)."""
    if weight.numel() != 1:
        weight = weight.reshape(_channel_shape(input, "prelu", weight.numel())) if input.ndim >= 2 else weight
    return gates.elementwise.Where.apply(wrap(input.numpy() > 0), input, input * weight)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x if x > 0 else alpha · (eˣ − 1)."""
    return _apply("elu", input, lambda x: gates.elementwise.Elu.apply(x, alpha=alpha), inplace)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale · elu(x, α) with PyTorch's constants α ≈ 1.6733, scale ≈ 1.0507 (self-normalising)."""
    return _apply("selu", input, lambda x: gates.elementwise.Elu.apply(x, alpha=_SELU_ALPHA) * _SELU_SCALE, inplace)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, α(e^(x/α) − 1)) = α · elu(x/α)."""
    if alpha == 0:
        raise DomainError("celu: alpha must not be 0 (it divides x), got 0")
    return _apply("celu", input, lambda x: gates.elementwise.Elu.apply(x / alpha, alpha=1.0) * alpha, inplace)


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x · Φ(x) = x/2 · (1 + erf(x/√2)) (the fused Gelu gate); approximate="tanh":
    x/2 · (1 + tanh(√(2/π)(x + 0.044715x³)))."""
    if approximate == "none":
        return gates.special.Gelu.apply(input)
    if approximate == "tanh":
        inner = (input + 0.044715 * input * input * input) * math.sqrt(2.0 / math.pi)
        return input * 0.5 * (1.0 + inner.tanh())
    raise ArgumentError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x · σ(x) (swish)."""
    return _apply("silu", input, lambda x: x * x.sigmoid(), inplace)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x · tanh(softplus(x))."""
    return _apply(
        "mish", input, lambda x: x * gates.elementwise.Softplus.apply(x, beta=1.0, threshold=20.0).tanh(), inplace
    )


def _hardtanh(x: Tensor, min_val: float, max_val: float) -> Tensor:
    """clamp(x, min_val, max_val), the gradient passing only strictly inside (as PyTorch's)."""
    a = x.numpy()
    clipped = wrap(np.clip(a, min_val, max_val).astype(a.dtype, copy=False))
    return gates.elementwise.Where.apply(_mask(x, (a > min_val) & (a < max_val)), x, clipped)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """min(max(x, min_val), max_val); the gradient is 1 strictly between the bounds, else 0."""
    if min_val > max_val:
        raise DomainError(f"hardtanh: min_val must not exceed max_val, got min_val={min_val}, max_val={max_val}")
    return _apply("hardtanh", input, lambda x: _hardtanh(x, min_val, max_val), inplace)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(0, x), 6) = hardtanh(x, 0, 6)."""
    return _apply("relu6", input, lambda x: _hardtanh(x, 0.0, 6.0), inplace)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6; the gradient is 1/6 for −3 < x < 3, else 0."""
    return _apply("hardsigmoid", input, lambda x: _hardtanh(x + 3.0, 0.0, 6.0) / 6.0, inplace)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x · relu6(x + 3) / 6; the gradient is x/3 + 1/2 for −3 < x < 3, 0 below, 1 above (PyTorch's)."""
    return _apply("hardswish", input, lambda x: x * _hardtanh(x + 3.0, 0.0, 6.0) / 6.0, inplace)


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x if x > threshold else value."""

    def fn(x: Tensor) -> Tensor:
        a = x.numpy()
        return gates.elementwise.Where.apply(_mask(x, a > threshold), x, wrap(np.full_like(a, value)))

    return _apply("threshold", input, fn, inplace)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a · σ(b), a and b the two halves of the input along `dim`."""
    if input.ndim == 0:
        raise ShapeError("glu: does not support a 0-d input (scalar)")
    if not -input.ndim <= dim < input.ndim:
        raise ShapeError(f"glu: dim {dim} is out of range for an input of {input.ndim} dims (shape {input.shape})")
    n = input.shape[dim]
    if n % 2:
        raise ShapeError(f"glu: halving dimension {dim} needs an even size, got {n} (input shape {input.shape})")
    a, b = input.split(n // 2, dim)
    return a * b.sigmoid()


def logsigmoid(input: Tensor) -> Tensor:
    """log σ(x) = −softplus(−x), computed stably."""
    return -gates.elementwise.Softplus.apply(-input, beta=1.0, threshold=20.0)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (input.abs() + 1.0)


def tanhshrink(input: Tensor) -> Tensor:
    """x − tanh(x)."""
    return input - input.tanh()


def _check_lambd(name: str, lambd: float) -> None:
    if lambd < 0:
        raise DomainError(f"{name}: lambd must be non-negative, got {lambd}")


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x − λ if x > λ, x + λ if x < −λ, else 0."""
    _check_lambd("softshrink", lambd)
    a = input.numpy()
    shift = wrap(np.where(a > lambd, -lambd, lambd).astype(a.dtype, copy=False))
    zero = wrap(np.zeros_like(a))
    return gates.elementwise.Where.apply(_mask(input, (a > lambd) | (a < -lambd)), input + shift, zero)


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x if |x| > λ, else 0."""
    _check_lambd("hardshrink", lambd)
    a = input.numpy()
    return gates.elementwise.Where.apply(_mask(input, (a > lambd) | (a < -lambd)), input, wrap(np.zeros_like(a)))


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ)."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(βx))/β, the identity where βx > threshold (for stability, as PyTorch)."""
    if beta <= 0:
        raise DomainError(f"softplus: beta must be positive, got {beta}")
    return gates.elementwise.Softplus.apply(input, beta=beta, threshold=threshold)


def softmax(input: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """e^(xᵢ) / Σⱼ e^(xⱼ) along `dim` (or `axis`; the last dim if neither), computed stably."""
    return input.softmax(dim, axis=axis)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(−x) along `dim` (the last dim if None), computed in `dtype` if given."""
    if dtype is not None:
        input = input.to(dtype)
    return (-input).softmax(dim)


def log_softmax(input: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """xᵢ − log Σⱼ e^(xⱼ) along `dim` (or `axis`; the last dim if neither), computed stably."""
    return input.log_softmax(dim, axis=axis)


def gumbel_softmax(
    logits: Tensor,
    tau: float = 1.0,
    hard: bool = False,
    eps: float = 1e-10,
    dim: int = -1,
    *,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """softmax((logits + g)/τ) along `dim` with g = −log(E), E ~ Exp(1) i.i.d. (Gumbel noise), drawn
    from `generator` or autograd's default generator. With hard=True the value is the one-hot of the
    argmax and the gradient that of the soft sample (straight-through: y_hard − sg(y_soft) + y_soft).
    `eps` is accepted for PyTorch's signature and unused, as there."""
    if tau <= 0:
        raise DomainError(f"gumbel_softmax: tau must be positive, got {tau}")
    if logits.ndim == 0:
        raise ShapeError("gumbel_softmax: expected logits with at least one dim, got a 0-d tensor")
    if not -logits.ndim <= dim < logits.ndim:
        raise ShapeError(f"gumbel_softmax: dim {dim} is out of range for logits of shape {logits.shape}")
    draws = (generator or default_generator()).exponential(size=logits.shape)
    gumbels = wrap((-np.log(draws)).astype(logits.dtype))
    soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return soft
    a = soft.numpy()
    index = np.expand_dims(a.argmax(axis=dim), dim)
    one_hot = np.zeros_like(a)
    np.put_along_axis(one_hot, index, 1.0, axis=dim)
    return wrap(one_hot) - soft.detach() + soft
