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

from .errors import ArgumentError, DTypeError, ShapeError
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
    """erf x (the Erf gate: a Taylor table within 2 ulps of C's erf in float64, 1.5 ulps in float32)."""
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


# ---- log-sum-exp pairs, signs, angles ----------------------------------------------------------------


def _sorted_pair(name: str, input: Any, other: Any) -> tuple[Tensor, Tensor, np.ndarray]:
    """`(big, small)`: the larger and the smaller of two float tensors (PyTorch's promoted float
    dtype; integer tensors are refused as by PyTorch's logaddexp), and where both are one infinity."""
    x, y = _tensor(name, input), _tensor(name, other, "other")
    dtype = _result_dtype(x, y)
    if dtype.kind != "f":
        raise DTypeError(f"{name}: not implemented for {dtype} tensors (as in PyTorch); convert with .float()")
    _broadcast(name, x, y)
    x, y = x.to(dtype), y.to(dtype)
    first = x._data >= y._data
    same_inf = np.isinf(x._data) & (x._data == y._data)
    return _where(first, x, y), _where(first, y, x), same_inf


def _broadcast(name: str, *tensors: Tensor) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(*[t.shape for t in tensors])
    except ValueError:
        shapes = " and ".join(str(t.shape) for t in tensors)
        raise ShapeError(f"{name}: the shapes {shapes} do not broadcast together") from None


def logaddexp(input: Tensor, other: Tensor) -> Tensor:
    """ln(eˣ + eʸ) = big + log1p(exp(small − big)), big = where(x ≥ y, x, y), small the other (Where,
    Sub, Exp, Log1p: ∂/∂x = 1/(1 + e^(y−x)), ½ at a tie); x where both are the same infinity. Both
    are Tensors, at least one floating, as in PyTorch."""
    big, small, same_inf = _sorted_pair("logaddexp", input, other)
    with _quiet():
        out = big + log1p((small - big).exp())
    return _where(same_inf, big, out) if same_inf.any() else out


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:
    """log₂(2ˣ + 2ʸ) = big + log1p(2^(small − big)) / ln 2 (as logaddexp, with base 2)."""
    big, small, same_inf = _sorted_pair("logaddexp2", input, other)
    with _quiet():
        out = big + log1p(2.0 ** (small - big)) * (1 / np.log(2.0))
    return _where(same_inf, big, out) if same_inf.any() else out


def _number(name: str, value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not _is_number(value):
        raise ArgumentError(f"{name}: argument '{what}' must be a number or None, got {value!r}")
    return float(value)


def nan_to_num(
    input: Tensor, nan: float | None = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """x with NaN, +inf and −inf replaced by `nan`, `posinf` and `neginf` (by default 0 and the
    dtype's largest and lowest finite values): a Where with constants, so the gradient is 0 at the
    replaced elements, 1 elsewhere. An integer or bool tensor comes back as a copy."""
    x = _tensor("nan_to_num", input)
    fills = [_number("nan_to_num", v, w) for v, w in ((nan, "nan"), (posinf, "posinf"), (neginf, "neginf"))]
    if x.dtype.kind != "f":
        return Tensor._wrap(x._data.copy())
    info = np.finfo(x.dtype)
    a = x._data
    value = np.zeros_like(a)
    with np.errstate(over="ignore"):
        for mask, fill, default in (
            (np.isnan(a), fills[0], 0.0),
            (a == np.inf, fills[1], info.max),
            (a == -np.inf, fills[2], info.min),
        ):
            value[mask] = default if fill is None else fill
    mask = ~np.isfinite(a)
    return _where(mask, Tensor._wrap(value), x)


def sgn(input: Tensor) -> Tensor:
    """x / |x| for complex x, which for our real dtypes is `sign` (gradient 0; bool stays bool)."""
    return sign(_tensor("sgn", input))


def copysign(input: Tensor, other: Tensor | Number) -> Tensor:
    """|x| with the sign of y (−0.0 and a negative NaN count as negative), composed as
    |x| · where(signbit y, −1, 1) (Abs and Mul: ∂/∂x = sign x · ±1, 0 at x = 0; ∂/∂y = 0, as
    PyTorch). A float result: integers become float32."""
    x = _tensor("copysign", input)
    y = _tensor_or_number("copysign", other, "other")
    if isinstance(y, Tensor):
        _broadcast("copysign", x, y)
    x, y = _promoted(x, y, floating=True)
    factor = Tensor._wrap(np.where(np.signbit(y._data), -1.0, 1.0).astype(x.dtype))
    return x.abs() * factor


def heaviside(input: Tensor, values: Tensor) -> Tensor:
    """The step function: 0 where x < 0 (and where x is NaN), `values` where x = 0, 1 where x > 0,
    in their one dtype (PyTorch refuses two dtypes). Outside the graph: PyTorch implements no
    derivative."""
    x, v = _tensor("heaviside", input), _tensor("heaviside", values, "values")
    if x.dtype != v.dtype:
        raise DTypeError(
            f"heaviside: input and values must have the same dtype (as in PyTorch), got {x.dtype} and {v.dtype}"
        )
    _broadcast("heaviside", x, v)
    a = x._data
    return Tensor._wrap(np.where(a == 0, v._data, (a > 0).astype(x.dtype)).astype(x.dtype))


def deg2rad(input: Tensor) -> Tensor:
    """x · π/180 (Mul: ∂/∂x = π/180); integer and bool tensors become float32."""
    return _float("deg2rad", input) * (np.pi / 180.0)


def rad2deg(input: Tensor) -> Tensor:
    """x · 180/π (Mul: ∂/∂x = 180/π); integer and bool tensors become float32."""
    return _float("rad2deg", input) * (180.0 / np.pi)


def float_power(input: Tensor | Number, exponent: Tensor | Number) -> Tensor:
    """xʸ in float64 whatever the dtypes, composed as x.double() ** y.double() (the Pow gate:
    ∂/∂x = y·x^(y−1), ∂/∂y = xʸ ln x). One of the two may be a number, as in PyTorch."""
    x = _tensor_or_number("float_power", input, "input")
    y = _tensor_or_number("float_power", exponent, "exponent")
    if not (isinstance(x, Tensor) or isinstance(y, Tensor)):
        raise ArgumentError("float_power: at least one of 'input' and 'exponent' must be a Tensor, got two numbers")
    if isinstance(x, Tensor) and isinstance(y, Tensor):
        _broadcast("float_power", x, y)
    x, y = (v.to(np.float64) if isinstance(v, Tensor) else Tensor._wrap(np.array(v, np.float64)) for v in (x, y))
    with _quiet():
        return x**y


def logit(input: Tensor, eps: float | None = None) -> Tensor:
    """ln(z / (1 − z)), z = x clamped to [eps, 1 − eps] when eps is given (clamp_min, clamp_max,
    Sub, Div, Log: ∂/∂x = 1 / (x(1 − x)) inside, 0 where clamped). NaN outside [0, 1] without
    eps, ±inf at 0 and 1. Integers become float32."""
    x = _float("logit", input)
    if eps is not None:
        e = _number("logit", eps, "eps")
        x = clamp_max(clamp_min(x, e), 1.0 - e)
    with _quiet():
        return (x / (1.0 - x)).log()


def signbit(input: Tensor) -> Tensor:
    """Whether the sign bit is set (True for −0.0 and a negative NaN), a bool tensor outside the graph."""
    x = _tensor("signbit", input)
    if x.dtype.kind == "b":
        return Tensor._wrap(np.zeros(x.shape, dtype=bool))
    return Tensor._wrap(np.asarray(np.signbit(x._data)))


def positive(input: Tensor) -> Tensor:
    """The input itself (+x), as PyTorch's; bool tensors are refused as by PyTorch."""
    x = _tensor("positive", input)
    if x.dtype.kind == "b":
        raise DTypeError("positive: the + operator on a bool tensor is not supported (as in PyTorch)")
    return x


def sinc(input: Tensor) -> Tensor:
    """sin(πx)/(πx), 1 at 0: for |x| ≥ 10⁻³ composed as sin(πs)/(πs) (Sin, Mul, Div), and for
    |x| < 10⁻³ as the series 1 − (πt)²/6 + (πt)⁴/120 (Mul, Sub, Add; exact to rounding there, where
    the quotient's derivative cos(πx)/x − sin(πx)/(πx²) cancels catastrophically), joined by a Where;
    s = where(small, 1, x) and t = where(small, x, 0) keep the unused branch finite, so the gradient
    is (cos(πx)·πx − sin(πx)) / (πx²), 0 at 0. Integers become float32."""
    x = _float("sinc", input)
    small = np.abs(x._data) < 1e-3
    with _quiet():
        if not small.any():
            px = x * np.pi
            return sp.Sin.apply(px) / px
        one, zero = Tensor._wrap(np.ones((), x.dtype)), Tensor._wrap(np.zeros((), x.dtype))
        px = _where(small, one, x) * np.pi
        t2 = (_where(small, x, zero) * np.pi) ** 2
        series = 1.0 - t2 * (1.0 / 6.0) + (t2 * t2) * (1.0 / 120.0)
        return _where(small, series, sp.Sin.apply(px) / px)


def _addc(name: str, input: Any, tensor1: Any, tensor2: Any, value: Any) -> list[Tensor]:
    x = _tensor(name, input)
    t1, t2 = _tensor(name, tensor1, "tensor1"), _tensor(name, tensor2, "tensor2")
    if isinstance(value, bool) or not _is_number(value):
        raise ArgumentError(f"{name}: argument 'value' must be a number, got {value!r}")
    _broadcast(name, x, t1, t2)
    return _promoted(x, t1, t2)


def addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
    """input + value · tensor1 · tensor2, broadcast, in the promoted dtype (Mul and Add: ∂/∂input = 1,
    ∂/∂tensor1 = value · tensor2, ∂/∂tensor2 = value · tensor1). For an integer result `value` is
    truncated to an int, as PyTorch casts it."""
    x, t1, t2 = _addc("addcmul", input, tensor1, tensor2, value)
    v = int(value) if x.dtype.kind in "iub" else value
    with _quiet():
        return x + (t1 * t2) * v if v != 1 else x + t1 * t2


def addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Number = 1) -> Tensor:
    """input + value · tensor1 / tensor2, broadcast, in the promoted dtype (Div, Mul and Add:
    ∂/∂tensor1 = value / tensor2, ∂/∂tensor2 = −value · tensor1 / tensor2²). tensor1 and tensor2
    both integer is refused, as PyTorch refuses integer division here."""
    x, t1, t2 = _addc("addcdiv", input, tensor1, tensor2, value)
    if tensor1.dtype.kind in "iub" and tensor2.dtype.kind in "iub":
        raise DTypeError(
            f"addcdiv: integer division is not supported (as in PyTorch): tensor1 and tensor2 are {tensor1.dtype} "
            f"and {tensor2.dtype}; convert one to a float dtype"
        )
    with _quiet():
        return x + (t1 / t2) * value if value != 1 else x + t1 / t2


__all__ = [
    "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "asinh", "acosh", "atanh",
    "log1p", "expm1", "log2", "log10", "exp2", "rsqrt", "square", "erf", "erfc", "lerp", "hypot", "xlogy",
    "clamp_min", "clamp_max", "fmax", "fmin", "sign", "round", "floor", "ceil", "trunc", "frac",
    "logaddexp", "logaddexp2", "nan_to_num", "sgn", "copysign", "heaviside", "deg2rad", "rad2deg",
    "float_power", "logit", "signbit", "positive", "sinc", "addcmul", "addcdiv",
]  # fmt: skip
