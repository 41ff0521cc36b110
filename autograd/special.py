"""PyTorch's elementwise math functions, with PyTorch's names, signatures, dtypes and gradients:
`special.sin(x)` is `torch.sin(x)`.

Each function is either one gate of `autograd.gates.special` (its docstring names it; the gate's
gives the derivative) or a composition of existing Tensor operations, which its docstring spells
out. Where PyTorch returns NaN or ±inf (asin 2, log2 0, rsqrt −1) so does each function, with no
NumPy RuntimeWarning.

Dtypes follow PyTorch: a function of floats (sin, atan2, erf, ...) takes an integer or bool tensor
as float32; binary functions promote as PyTorch does (a dimensioned tensor's dtype wins over a 0-d
tensor's of the same kind, and both over a Python number's; an integer tensor meeting a Python
float is float32). The rounding family (sign, round, floor, ceil, trunc) keeps an integer
tensor's dtype, and its gradient is 0 everywhere (frac's is 1), as PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ArgumentError, DTypeError
from .gates import special as sp
from .gates.elementwise import Where
from .gates.special import _quiet
from .tensor import Default, PAIR_HINT, Tensor
from .promotion import result_type as _result_dtype

Number = int | float


# ---- arguments ------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating, np.bool_))


def _tensor(name: str, value: Any, what: str = "input") -> Tensor:
    """`value` when it is a Tensor, else an ArgumentError naming the function and the argument."""
    if isinstance(value, Tensor):
        return value
    raise ArgumentError(f"{name}: argument '{what}' must be a Tensor, got {type(value).__name__}")


def _tensor_or_number(name: str, value: Any, what: str) -> Any:
    if isinstance(value, Tensor) or _is_number(value):
        return value
    pair = isinstance(value, tuple) and any(isinstance(v, Tensor) for v in value)
    hint = PAIR_HINT if pair else ""
    raise ArgumentError(f"{name}: argument '{what}' must be a Tensor or a number, got {type(value).__name__}{hint}")


def _float(name: str, value: Any) -> Tensor:
    """The input of a function of floats: an integer or bool tensor becomes float32, as in PyTorch."""
    x = _tensor(name, value)
    return x if x.dtype.kind == "f" else x.to(Default.float)


def _promoted(*values: Any, floating: bool = False) -> list[Tensor]:
    """`values` as Tensors of their promoted dtype (float32 if `floating` and it is not floating);
    a cast of a Tensor keeps it in the graph."""
    dtype = _result_dtype(*values)
    if floating and dtype.kind != "f":
        dtype = Default.float
    return [v.to(dtype) if isinstance(v, Tensor) else Tensor._wrap(np.array(v, dtype=dtype)) for v in values]


def _where(mask: np.ndarray, a: Tensor, b: Tensor) -> Tensor:
    """`a` where the constant boolean `mask` holds, else `b`, broadcast together (the Where gate)."""
    return Where.apply(Tensor._wrap(np.asarray(mask, dtype=bool)), a, b)


def _isnan(x: Tensor) -> np.ndarray:
    return np.isnan(x._data) if x.dtype.kind == "f" else np.zeros(x.shape, dtype=bool)


# ---- trigonometric and hyperbolic -------------------------------------------------------------------


def sin(input: Tensor) -> Tensor:
    """sin x (the Sin gate)."""
    return sp.Sin.apply(_float("sin", input))


def cos(input: Tensor) -> Tensor:
    """cos x (the Cos gate)."""
    return sp.Cos.apply(_float("cos", input))


def tan(input: Tensor) -> Tensor:
    """tan x (the Tan gate)."""
    return sp.Tan.apply(_float("tan", input))


def asin(input: Tensor) -> Tensor:
    """asin x (the Asin gate); NaN for |x| > 1."""
    return sp.Asin.apply(_float("asin", input))


def acos(input: Tensor) -> Tensor:
    """acos x (the Acos gate); NaN for |x| > 1."""
    return sp.Acos.apply(_float("acos", input))


def atan(input: Tensor) -> Tensor:
    """atan x (the Atan gate)."""
    return sp.Atan.apply(_float("atan", input))


def atan2(input: Tensor, other: Tensor) -> Tensor:
    """atan2(input, other): the angle of the point (other, input), in (−π, π] (the Atan2 gate).
    Both are Tensors, as in PyTorch; the gradient at the origin is 0."""
    y, x = _tensor("atan2", input), _tensor("atan2", other, "other")
    return sp.Atan2.apply(*_promoted(y, x, floating=True))


def sinh(input: Tensor) -> Tensor:
    """sinh x (the Sinh gate)."""
    return sp.Sinh.apply(_float("sinh", input))


def cosh(input: Tensor) -> Tensor:
    """cosh x (the Cosh gate)."""
    return sp.Cosh.apply(_float("cosh", input))


def asinh(input: Tensor) -> Tensor:
    """asinh x (the Asinh gate)."""
    return sp.Asinh.apply(_float("asinh", input))


def acosh(input: Tensor) -> Tensor:
    """acosh x (the Acosh gate); NaN for x < 1."""
    return sp.Acosh.apply(_float("acosh", input))


def atanh(input: Tensor) -> Tensor:
    """atanh x (the Atanh gate); NaN for |x| > 1, ±inf at ±1."""
    return sp.Atanh.apply(_float("atanh", input))


# ---- exponentials and logarithms --------------------------------------------------------------------


def log1p(input: Tensor) -> Tensor:
    """ln(1 + x), accurate for small x (the Log1p gate)."""
    return sp.Log1p.apply(_float("log1p", input))


def expm1(input: Tensor) -> Tensor:
    """eˣ − 1, accurate for small x (the Expm1 gate)."""
    return sp.Expm1.apply(_float("expm1", input))


def log2(input: Tensor) -> Tensor:
    """log₂ x (the Log2 gate: exact at powers of two, where ln x / ln 2 is not)."""
    return sp.Log2.apply(_float("log2", input))


def log10(input: Tensor) -> Tensor:
    """log₁₀ x (the Log10 gate: exact at powers of ten, where ln x / ln 10 is not)."""
    return sp.Log10.apply(_float("log10", input))


def exp2(input: Tensor) -> Tensor:
    """2ˣ, composed as `2 ** x` (the Pow gate: ∂/∂x = 2ˣ ln 2; exact at integers)."""
    x = _float("exp2", input)
    with _quiet():
        return 2.0**x


def rsqrt(input: Tensor) -> Tensor:
    """1/√x, composed as `x ** -0.5` (∂/∂x = −½ x^(−3/2)); inf at 0, NaN for x < 0."""
    x = _float("rsqrt", input)
    with _quiet():
        return x**-0.5


def square(input: Tensor) -> Tensor:
    """x², composed as `x * x` (∂/∂x = 2x). An integer tensor stays integer; bool becomes int64."""
    x = _tensor("square", input)
    if x.dtype.kind == "b":
        x = x.to(np.int64)
    with _quiet():
        return x * x


def xlogy(input: Tensor | Number, other: Tensor | Number) -> Tensor:
    """x · ln y, and 0 where x = 0 (unless y is NaN) (the Xlogy gate). Either argument may be a
    number, not both, as in PyTorch."""
    x, y = _tensor_or_number("xlogy", input, "input"), _tensor_or_number("xlogy", other, "other")
    if not (isinstance(x, Tensor) or isinstance(y, Tensor)):
        raise ArgumentError("xlogy: at least one of 'input' and 'other' must be a Tensor, got two numbers")
    return sp.Xlogy.apply(*_promoted(x, y, floating=True))


# ---- error function ---------------------------------------------------------------------------------


def erf(input: Tensor) -> Tensor:
    """erf x (the Erf gate: C's erf in float64, rounded to the input's dtype)."""
    return sp.Erf.apply(_float("erf", input))


def erfc(input: Tensor) -> Tensor:
    """erfc x = 1 − erf x (the Erfc gate: C's erfc, accurate where 1 − erf x has lost every digit)."""
    return sp.Erfc.apply(_float("erfc", input))


# ---- two-input arithmetic -------------------------------------------------------------------------


def lerp(input: Tensor, end: Tensor, weight: Tensor | Number) -> Tensor:
    """input + weight · (end − input), composed of sub, mul and add (∂/∂input = 1 − weight,
    ∂/∂end = weight, ∂/∂weight = end − input). As PyTorch, it is computed as
    end − (end − input) · (1 − weight) where weight ≥ 0.5, so that weight 1 gives `end` exactly
    (a Where between the two, for a tensor weight). `input` and `end` are float tensors of one dtype;
    a tensor weight is cast to it."""
    start, stop = _tensor("lerp", input), _tensor("lerp", end, "end")
    weight = _tensor_or_number("lerp", weight, "weight")
    if start.dtype.kind != "f":
        raise DTypeError(f"lerp: expected a floating tensor as input, got {start.dtype}")
    if stop.dtype != start.dtype:
        raise DTypeError(f"lerp: expected dtype {start.dtype} for 'end' but got {stop.dtype}")
    diff = stop - start
    if not isinstance(weight, Tensor):
        return start + diff * weight if weight < 0.5 else stop - diff * (1 - weight)
    w = weight.to(start.dtype)
    return _where(w._data < 0.5, start + w * diff, stop - diff * (1 - w))


def hypot(input: Tensor, other: Tensor) -> Tensor:
    """√(x² + y²) (the Hypot gate: no overflow of the squares). Both are Tensors, as in PyTorch, and
    at least one floating (PyTorch has no integer hypot)."""
    x, y = _tensor("hypot", input), _tensor("hypot", other, "other")
    dtype = _result_dtype(x, y)
    if dtype.kind != "f":
        raise DTypeError(f"hypot: not implemented for {dtype} tensors (as in PyTorch); convert with .float()")
    return sp.Hypot.apply(x.to(dtype), y.to(dtype))


def _clamp(name: str, input: Tensor, bound: Any, keep_input: Any) -> Tensor:
    x = _tensor(name, input)
    b = _tensor_or_number(name, bound, name.removeprefix("clamp_"))
    x, b = _promoted(x, b)
    # NaN in either propagates, as PyTorch's clamp: a NaN input is kept, a NaN bound chosen
    return _where(keep_input(x._data, b._data) | _isnan(x), x, b)


def clamp_min(input: Tensor, min: Tensor | Number) -> Tensor:
    """max(x, min), composed as where(x ≥ min, x, min) (∂/∂x = 1 where x ≥ min, ties included, as
    PyTorch; ∂/∂min = 1 where x < min). `min` is a Tensor or a number; NaN propagates."""
    return _clamp("clamp_min", input, min, np.greater_equal)


def clamp_max(input: Tensor, max: Tensor | Number) -> Tensor:
    """min(x, max), composed as where(x ≤ max, x, max) (∂/∂x = 1 where x ≤ max, ties included, as
    PyTorch; ∂/∂max = 1 where x > max). `max` is a Tensor or a number; NaN propagates."""
    return _clamp("clamp_max", input, max, np.less_equal)


def _fextreme(name: str, input: Tensor, other: Tensor, keep_input: Any) -> Tensor:
    x, y = _promoted(_tensor(name, input), _tensor(name, other, "other"))
    return _where(keep_input(x._data, y._data) | _isnan(y), x, y)


def fmax(input: Tensor, other: Tensor) -> Tensor:
    """max(x, y) ignoring NaN (NaN only where both are), composed as where(x ≥ y or y is NaN, x, y):
    a tie's gradient goes all to `input`, as PyTorch's fmax. Both are Tensors, as in PyTorch."""
    return _fextreme("fmax", input, other, np.greater_equal)


def fmin(input: Tensor, other: Tensor) -> Tensor:
    """min(x, y) ignoring NaN (NaN only where both are), composed as where(x ≤ y or y is NaN, x, y):
    a tie's gradient goes all to `input`, as PyTorch's fmin. Both are Tensors, as in PyTorch."""
    return _fextreme("fmin", input, other, np.less_equal)


# ---- rounding and sign ------------------------------------------------------------------------------


def _integer_copy(name: str, x: Tensor) -> Tensor | None:
    """An integer tensor's rounding (a copy, keeping its dtype, as PyTorch); None for a float tensor.
    Bool tensors are refused, as by PyTorch."""
    if x.dtype.kind == "b":
        raise DTypeError(f"{name}: not implemented for bool tensors (as in PyTorch)")
    if x.dtype.kind in "iu":
        return Tensor._wrap(x._data.copy())
    return None


def sign(input: Tensor) -> Tensor:
    """−1, 0 or 1 by the sign of x (the Sign gate: gradient 0; sign NaN is 0, as PyTorch). An
    integer or bool tensor keeps its dtype."""
    x = _tensor("sign", input)
    if x.dtype.kind == "b":
        return Tensor._wrap(x._data.copy())
    if x.dtype.kind in "iu":
        return Tensor._wrap(np.sign(x._data))
    return sp.Sign.apply(x)


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """x rounded to `decimals` decimal digits, halves to even (the Round gate: gradient 0). An integer
    tensor keeps its dtype (with decimals = 0 only, as PyTorch)."""
    x = _tensor("round", input)
    if isinstance(decimals, bool) or not isinstance(decimals, (int, np.integer)):
        raise ArgumentError(f"round: argument 'decimals' must be an int, got {decimals!r}")
    if decimals != 0 and x.dtype.kind != "f":
        raise DTypeError(f"round: decimals={decimals} is not implemented for {x.dtype} tensors (as in PyTorch)")
    kept = _integer_copy("round", x)
    return kept if kept is not None else sp.Round.apply(x, decimals=int(decimals))


def floor(input: Tensor) -> Tensor:
    """⌊x⌋ (the Floor gate: gradient 0). An integer tensor keeps its dtype."""
    x = _tensor("floor", input)
    kept = _integer_copy("floor", x)
    return kept if kept is not None else sp.Floor.apply(x)


def ceil(input: Tensor) -> Tensor:
    """⌈x⌉ (the Ceil gate: gradient 0). An integer tensor keeps its dtype."""
    x = _tensor("ceil", input)
    kept = _integer_copy("ceil", x)
    return kept if kept is not None else sp.Ceil.apply(x)


def trunc(input: Tensor) -> Tensor:
    """x rounded toward 0 (the Trunc gate: gradient 0). An integer tensor keeps its dtype."""
    x = _tensor("trunc", input)
    kept = _integer_copy("trunc", x)
    return kept if kept is not None else sp.Trunc.apply(x)


def frac(input: Tensor) -> Tensor:
    """x − trunc x, composed of Trunc and sub (gradient 1), with x's sign: frac(−1.5) = −0.5. Float
    tensors only, as PyTorch."""
    x = _tensor("frac", input)
    if x.dtype.kind != "f":
        raise DTypeError(f"frac: not implemented for {x.dtype} tensors (as in PyTorch)")
    with _quiet():
        return x - sp.Trunc.apply(x)


__all__ = [
    "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh",
    "log1p", "expm1", "log2", "log10", "exp2", "rsqrt", "square", "erf", "erfc", "lerp", "hypot", "xlogy",
    "clamp_min", "clamp_max", "fmax", "fmin", "sign", "round", "floor", "ceil", "trunc", "frac",
]  # fmt: skip
