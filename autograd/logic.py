"""PyTorch's comparison, logical, bitwise and floating-point-class functions, and its division with
rounding, with PyTorch's names, signatures and dtypes: `logic.eq(x, 2)` is `torch.eq(x, 2)`.

Results that are bool (eq … ge, logical_*, isnan, isinf, isfinite, isclose) or that are integer are
outside the graph, as in PyTorch; allclose and equal return a Python bool. The operands are
compared, combined or divided in their promoted dtype, PyTorch's (`autograd.special._result_dtype`:
an int tensor meeting a float tensor or a Python float is float, a 0-d tensor or a number does not
widen a dimensioned tensor of its kind), so `eq(int64 16777217, 16777216.0)` is True as in
PyTorch (both float32). A Python number is cast to the promoted dtype as PyTorch casts it, with
wrap-around: `eq(uint8 255, -1)` is True.

remainder and fmod are the Remainder and Fmod gates (`autograd.gates.logic`): ∂/∂input = 1,
∂/∂other = −floor(input / other) (remainder) or −trunc(input / other) (fmod), PyTorch's gradients.
floor_divide is the FloorDivide gate: its result requires grad as PyTorch's does, and its backward
raises, as PyTorch's ("the derivative for 'floor_divide' is not implemented"). An integer division
by zero is a DomainError (PyTorch's RuntimeError "ZeroDivisionError"); a float one is ±inf or NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ArgumentError, DomainError, DTypeError, ShapeError
from .gates import logic as gl
from .inplace import apply_inplace, replaced
from .special import _is_number, _tensor, _tensor_or_number
from .tensor import Default, Tensor
from .promotion import result_type as _result_dtype

Number = int | float | bool


# ---- arguments ------------------------------------------------------------------------------------


def _cast(value: Any, dtype: np.dtype) -> Any:
    """A Tensor (kept in the graph) or a number as `dtype`; a number wraps around as PyTorch's
    cast does (−1 as uint8 is 255)."""
    if isinstance(value, Tensor):
        return value if value.dtype == dtype else value.to(dtype)
    with np.errstate(all="ignore"):
        return Tensor._wrap(np.asarray(value).astype(dtype))


def _promote(*values: Any) -> tuple[np.dtype, list[Tensor]]:
    dtype = _result_dtype(*values)
    return dtype, [_cast(v, dtype) for v in values]


def _pair(name: str, input: Any, other: Any, *, number_first: bool = False) -> tuple[Any, Any]:
    """Check `input` (a Tensor, or a number too if `number_first` when `other` is a Tensor) and
    `other` (a Tensor or a number)."""
    if number_first and _is_number(input) and isinstance(other, Tensor):
        return input, other
    return _tensor(name, input), _tensor_or_number(name, other, "other")


def _fit(name: str, *tensors: Tensor) -> None:
    """A ShapeError naming the function when the shapes do not broadcast together."""
    try:
        np.broadcast_shapes(*[t.shape for t in tensors])
    except ValueError:
        shapes = " and ".join(str(t.shape) for t in tensors)
        raise ShapeError(f"{name}: the shapes {shapes} do not broadcast together") from None


def _bool(data: Any) -> Tensor:
    return Tensor._wrap(np.asarray(data, dtype=bool))


# ---- comparisons ----------------------------------------------------------------------------------


def _compare(name: str, ufunc: Any, input: Tensor, other: Tensor | Number) -> Tensor:
    _, (x, y) = _promote(*_pair(name, input, other))
    _fit(name, x, y)
    return _bool(ufunc(x._data, y._data))


def eq(input: Tensor, other: Tensor | Number) -> Tensor:
    """input == other elementwise (broadcast), as a bool tensor; NaN equals nothing."""
    return _compare("eq", np.equal, input, other)


def ne(input: Tensor, other: Tensor | Number) -> Tensor:
    """input != other elementwise, as a bool tensor; NaN differs from everything."""
    return _compare("ne", np.not_equal, input, other)


def lt(input: Tensor, other: Tensor | Number) -> Tensor:
    """input < other elementwise, as a bool tensor."""
    return _compare("lt", np.less, input, other)


def le(input: Tensor, other: Tensor | Number) -> Tensor:
    """input <= other elementwise, as a bool tensor."""
    return _compare("le", np.less_equal, input, other)


def gt(input: Tensor, other: Tensor | Number) -> Tensor:
    """input > other elementwise, as a bool tensor."""
    return _compare("gt", np.greater, input, other)


def ge(input: Tensor, other: Tensor | Number) -> Tensor:
    """input >= other elementwise, as a bool tensor."""
    return _compare("ge", np.greater_equal, input, other)


def _in_place(compare: Any) -> Any:
    """`Tensor.<compare>_`: `input` overwritten with compare(input, other), 1 where it holds and 0
    elsewhere in input's own dtype, as PyTorch's; no gradient reaches the old values."""

    def method(input: Tensor, other: Tensor | Number) -> Tensor:
        return apply_inplace(input, name, lambda x, o: replaced(x, compare(x, o)), other)

    name = method.__name__ = method.__qualname__ = f"{compare.__name__}_"
    method.__doc__ = f"input = {compare.__name__}(input, other) in place, in input's dtype (1 or 0)."
    return method


eq_, ne_, lt_, le_, gt_, ge_ = (_in_place(compare) for compare in (eq, ne, lt, le, gt, ge))


# ---- logical --------------------------------------------------------------------------------------


def _logical(name: str, ufunc: Any, input: Tensor, other: Tensor) -> Tensor:
    x, y = _tensor(name, input), _tensor(name, other, "other")
    _fit(name, x, y)
    return _bool(ufunc(x._data, y._data))


def logical_and(input: Tensor, other: Tensor) -> Tensor:
    """Both nonzero (NaN counts as nonzero), for tensors of any dtypes, as a bool tensor."""
    return _logical("logical_and", np.logical_and, input, other)


def logical_or(input: Tensor, other: Tensor) -> Tensor:
    """Either nonzero, as a bool tensor."""
    return _logical("logical_or", np.logical_or, input, other)


def logical_xor(input: Tensor, other: Tensor) -> Tensor:
    """Exactly one nonzero, as a bool tensor."""
    return _logical("logical_xor", np.logical_xor, input, other)


def logical_not(input: Tensor) -> Tensor:
    """Zero (for any dtype), as a bool tensor."""
    return _bool(np.logical_not(_tensor("logical_not", input)._data))


# ---- bitwise --------------------------------------------------------------------------------------


def _integral(name: str, dtype: np.dtype) -> None:
    if dtype.kind == "f":
        raise DTypeError(
            f"{name}: not implemented for {dtype} (PyTorch: \"{name}_cpu\" not implemented for 'Float'); it takes "
            "bool and integer tensors only (for a mask of floats compare first, e.g. x > 0)"
        )


def _bitwise(name: str, ufunc: Any, input: Tensor, other: Tensor | Number) -> Tensor:
    x, y = _pair(name, input, other)
    dtype = _result_dtype(x, y)
    _integral(name, dtype)
    _, (x, y) = _promote(x, y)
    _fit(name, x, y)
    return Tensor._wrap(np.asarray(ufunc(x._data, y._data), dtype=dtype))


def bitwise_and(input: Tensor, other: Tensor | Number) -> Tensor:
    """input & other, bit by bit (logical and on bool), in the promoted dtype: bool and integer only."""
    return _bitwise("bitwise_and", np.bitwise_and, input, other)


def bitwise_or(input: Tensor, other: Tensor | Number) -> Tensor:
    """input | other, bit by bit, in the promoted dtype: bool and integer only."""
    return _bitwise("bitwise_or", np.bitwise_or, input, other)


def bitwise_xor(input: Tensor, other: Tensor | Number) -> Tensor:
    """input ^ other, bit by bit, in the promoted dtype: bool and integer only."""
    return _bitwise("bitwise_xor", np.bitwise_xor, input, other)


def bitwise_not(input: Tensor) -> Tensor:
    """~input: every bit flipped (logical not on bool), in input's dtype: bool and integer only."""
    x = _tensor("bitwise_not", input)
    _integral("bitwise_not", x.dtype)
    return Tensor._wrap(np.invert(x._data))


# ---- floating-point classes and closeness ---------------------------------------------------------


def _classify(name: str, ufunc: Any, input: Tensor, integer_value: bool) -> Tensor:
    x = _tensor(name, input)
    if x.dtype.kind == "f":
        return _bool(ufunc(x._data))
    return _bool(np.full(x.shape, integer_value))


def isnan(input: Tensor) -> Tensor:
    """Where input is NaN, as a bool tensor (nowhere for an integer or bool tensor)."""
    return _classify("isnan", np.isnan, input, False)


def isinf(input: Tensor) -> Tensor:
    """Where input is ±inf, as a bool tensor."""
    return _classify("isinf", np.isinf, input, False)


def isfinite(input: Tensor) -> Tensor:
    """Where input is neither NaN nor ±inf, as a bool tensor (everywhere for an integer or bool tensor)."""
    return _classify("isfinite", np.isfinite, input, True)


def isposinf(input: Tensor) -> Tensor:
    """Where input is +inf, as a bool tensor (nowhere for an integer or bool tensor)."""
    return _classify("isposinf", lambda a: a == np.inf, input, False)


def isneginf(input: Tensor) -> Tensor:
    """Where input is −inf, as a bool tensor (nowhere for an integer or bool tensor)."""
    return _classify("isneginf", lambda a: a == -np.inf, input, False)


def isreal(input: Tensor) -> Tensor:
    """Where input has no imaginary part: everywhere, for the engine's real dtypes (a bool tensor)."""
    return _bool(np.ones(_tensor("isreal", input).shape, dtype=bool))


# ---- properties of a tensor -----------------------------------------------------------------------


def is_nonzero(input: Tensor) -> bool:
    """Whether the one element of a one-element tensor is nonzero (NaN is), a Python bool; a
    ShapeError for any other number of elements, as PyTorch's RuntimeError."""
    x = _tensor("is_nonzero", input)
    if x._data.size != 1:
        what = "no values" if x._data.size == 0 else f"{x._data.size} values"
        raise ShapeError(
            f"is_nonzero: Boolean value of Tensor with {what} (shape {x.shape}) is ambiguous; expected one element"
        )
    return bool(x._data.reshape(-1)[0] != 0)


def is_same_size(input: Tensor, other: Tensor) -> bool:
    """Whether the two tensors have the same shape, a Python bool."""
    return _tensor("is_same_size", input).shape == _tensor("is_same_size", other, "other").shape


def is_signed(input: Tensor) -> bool:
    """Whether the dtype is signed: True for floats and int8…int64, False for uint8 and bool."""
    return _tensor("is_signed", input).dtype.kind in "fi"


def is_complex(input: Tensor) -> bool:
    """Whether the dtype is complex: never, for the engine's dtypes."""
    _tensor("is_complex", input)
    return False


def _tolerance(name: str, what: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{name}: argument '{what}' must be a number, got {value!r}")
    if not value >= 0:
        raise DomainError(f"{name}: {what} must be greater than or equal to zero, but got {value}")
    return float(value)


def isclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
    """|input − other| ≤ atol + rtol · |other| elementwise (or equal, so that inf is close to inf; NaN
    close to NaN only with equal_nan), as a bool tensor. Both tensors of one dtype, as PyTorch; the
    error is computed as PyTorch computes it: in the inputs' float dtype, with the tolerances
    rounded to it (integer and bool tensors in float32, so int64 differences cannot overflow)."""
    x, y = _tensor("isclose", input), _tensor("isclose", other, "other")
    if x.dtype != y.dtype:
        raise DTypeError(f"isclose: input is {x.dtype} and other is {y.dtype}; they must have the same dtype")
    rtol, atol = _tolerance("isclose", "rtol", rtol), _tolerance("isclose", "atol", atol)
    _fit("isclose", x, y)
    a, b = x._data, y._data
    with np.errstate(all="ignore"):
        close = a == b
        if equal_nan and x.dtype.kind == "f":
            close = close | (np.isnan(a) & np.isnan(b))
        if rtol == 0 and atol == 0:
            return _bool(close)
        if x.dtype.kind != "f":  # PyTorch computes the error of integers and bools in the default float dtype
            a, b = a.astype(Default.float), b.astype(Default.float)
        work = a.dtype.type  # the tolerances rounded to the inputs' float dtype, as PyTorch's
        allowed = work(atol) + np.abs(work(rtol) * b)
        actual = np.abs(a - b)
        close = close | (np.isfinite(actual) & (actual <= allowed))
    return _bool(close)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    """Whether `isclose` holds everywhere (broadcast), as a Python bool."""
    return bool(isclose(input, other, rtol, atol, equal_nan)._data.all())


def equal(input: Tensor, other: Tensor) -> bool:
    """Whether both have the same shape and elements (compared in their promoted dtype; NaN is not
    equal to NaN), as a Python bool."""
    x, y = _tensor("equal", input), _tensor("equal", other, "other")
    if x.shape != y.shape:
        return False
    _, (x, y) = _promote(x, y)
    return bool(np.array_equal(x._data, y._data))


# ---- division with rounding -----------------------------------------------------------------------


def _division(name: str, input: Any, other: Any, *, number_first: bool) -> list[Tensor]:
    x, y = _pair(name, input, other, number_first=number_first)
    dtype, (x, y) = _promote(x, y)
    _fit(name, x, y)
    if dtype.kind == "b":
        raise DTypeError(
            f"{name}: not implemented for bool tensors (PyTorch: not implemented for 'Bool'); convert one "
            "with .long() or .float()"
        )
    if dtype.kind in "iu" and not np.all(y._data):
        raise DomainError(f"{name}: integer division by zero (PyTorch's ZeroDivisionError)")
    return [x, y]


def floor_divide(input: Tensor | Number, other: Tensor | Number) -> Tensor:
    """⌊input / other⌋, PyTorch's `//`, in the promoted dtype (the FloorDivide gate: not
    differentiable, as PyTorch's). `input` may be a number when `other` is a Tensor."""
    return gl.FloorDivide.apply(*_division("floor_divide", input, other, number_first=True))


def remainder(input: Tensor | Number, other: Tensor | Number) -> Tensor:
    """input − other · ⌊input / other⌋, PyTorch's `%`: the sign of `other` (the Remainder gate:
    ∂/∂input = 1, ∂/∂other = −⌊input / other⌋). `input` may be a number when `other` is a Tensor."""
    return gl.Remainder.apply(*_division("remainder", input, other, number_first=True))


def fmod(input: Tensor, other: Tensor | Number) -> Tensor:
    """input − other · trunc(input / other), C's fmod: the sign of `input` (the Fmod gate:
    ∂/∂input = 1, ∂/∂other = −trunc(input / other)). `input` is a Tensor, as in PyTorch."""
    return gl.Fmod.apply(*_division("fmod", input, other, number_first=False))


__all__ = [
    "eq", "ne", "lt", "le", "gt", "ge",
    "logical_and", "logical_or", "logical_xor", "logical_not",
    "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    "isnan", "isinf", "isfinite", "isclose", "allclose", "equal",
    "floor_divide", "remainder", "fmod",
    "isposinf", "isneginf", "isreal", "is_nonzero", "is_same_size", "is_signed", "is_complex",
]  # fmt: skip
