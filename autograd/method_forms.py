"""`autograd.NAME(input, ...)`: PyTorch's function forms of the Tensor methods defined on `Tensor`
itself (the methods of the function modules, `autograd.sin` and the like, are those functions).

Each is the method with the tensor first: `autograd.sum(x, 1)` is `x.sum(1)`, `autograd.max(x, 0)`
is `x.max(0)`, `autograd.exp_(x)` is `x.exp_()`. As in PyTorch, `input` must be a Tensor, except for
the arithmetic ones, which also take a number first: `add(2, x, alpha=3)` is 2 + 3x,
`sub(1, x)` is 1 − x, `mul(2, x)`, `div(1, x)` and `pow(2, x)` likewise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .errors import ArgumentError
from .tensor import Tensor, _scaled


def _tensor_first(name: str) -> Callable[..., Any]:
    method = getattr(Tensor, name)

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(input, Tensor):
            raise ArgumentError(f"{name}(): argument 'input' must be a Tensor, got {type(input).__name__}")
        return method(input, *args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"`input.{name}(...)`, as PyTorch's `torch.{name}`." + (
        f"\n\n{method.__doc__}" if method.__doc__ else ""
    )
    return function


def _number_first(name: str, reflected: Callable[..., Tensor]) -> Callable[..., Any]:
    """The function form of an arithmetic method; a number `input` with a Tensor `other` is
    `reflected(other, input, **kwargs)`."""
    tensor_first = _tensor_first(name)

    def function(input: Any, other: Any, **kwargs: Any) -> Any:
        if isinstance(other, Tensor) and not isinstance(input, Tensor) and isinstance(input, (int, float)):
            return reflected(other, input, **kwargs)
        return tensor_first(input, other, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = tensor_first.__doc__
    return function


def _divided(other: Tensor, number: float, *, rounding_mode: str | None = None) -> Tensor:
    if rounding_mode is None:
        return number / other
    return other._constant(number).div(other, rounding_mode=rounding_mode)


add, subtract, sub, mul, multiply, div, divide, true_divide, pow = (
    _number_first("add", lambda x, n, alpha=1: n + _scaled(x, alpha)),
    _number_first("subtract", lambda x, n, alpha=1: n - _scaled(x, alpha)),
    _number_first("sub", lambda x, n, alpha=1: n - _scaled(x, alpha)),
    _number_first("mul", lambda x, n: n * x),
    _number_first("multiply", lambda x, n: n * x),
    _number_first("div", _divided),
    _number_first("divide", _divided),
    _number_first("true_divide", _divided),
    _number_first("pow", lambda x, n: n**x),
)

TENSOR_FIRST = """
abs absolute all amax amin any argmax argmin broadcast_to clamp clip clone detach flatten max mean min
neg negative numel permute reciprocal reshape squeeze sum t transpose unsqueeze
arccos arccosh arcsin arcsinh arctan arctan2 arctanh fix greater greater_equal less less_equal not_equal
abs_ acos_ acosh_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ atanh_ ceil_
clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ erf_ erfc_ exp_ exp2_ expm1_ fill_ fix_ floor_ frac_ log_
log10_ log1p_ log2_ neg_ negative_ reciprocal_ relu_ round_ rsqrt_ sigmoid_ sin_ sinh_ sqrt_ square_
tan_ tanh_ trunc_ xlogy_ zero_
""".split()

globals().update({name: _tensor_first(name) for name in TENSOR_FIRST})

__all__ = ["add", "subtract", "sub", "mul", "multiply", "div", "divide", "true_divide", "pow", *TENSOR_FIRST]
