"""Division-with-rounding gates: Remainder (Python's and PyTorch's `%`, the sign of the divisor), Fmod
(C's fmod, the sign of the dividend) and FloorDivide (`//`). Each docstring gives the forward and its
local gradients; `autograd.logic` holds the PyTorch-named functions built on them.

The forwards are PyTorch's CPU kernels, bit for bit on floats: fmod, remainder as fmod moved by
the divisor where their signs differ (so remainder(−5, inf) is inf, not NaN), and NumPy's floor
division, which is PyTorch's `div_floor`. NaN where PyTorch gives NaN (a zero divisor, an infinite
dividend), without NumPy's RuntimeWarnings. The quotients in the gradients are constants: their own
derivative is 0 almost everywhere, so second derivatives are those of PyTorch.
"""

from __future__ import annotations

import numpy as np

from ..errors import GraphError
from ..function import Function
from ..tensor import Tensor


def _quiet() -> np.errstate:
    return np.errstate(all="ignore")


def remainder_array(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """PyTorch's remainder: fmod(x, y), plus y where it is non-zero and its sign differs from y's."""
    with _quiet():
        if np.result_type(x, y).kind != "f":
            return np.remainder(x, y)
        m = np.fmod(x, y)
        return np.where((m != 0) & ((y < 0) != (m < 0)), m + y, m)


def _quotient(round_, x: Tensor, y: Tensor, like: Tensor) -> Tensor:
    """round_(x / y), PyTorch's rounded quotient, as a constant in the gradient's dtype."""
    with _quiet():
        return Tensor._wrap(np.asarray(round_(x._data, y._data)).astype(like.dtype, copy=False))


class Remainder(Function):
    """z = x − y ⌊x / y⌋, with the sign of y  ·  ∂z/∂x = 1, ∂z/∂y = −⌊x / y⌋  (as PyTorch; the jumps at
    x = a multiple of y are not differentiated)"""

    __slots__ = ()

    def forward(self, x, y):
        return remainder_array(x, y)

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        return g if gx else None, -g * _quotient(np.floor_divide, x, y, g) if gy else None


class Fmod(Function):
    """z = x − y trunc(x / y), with the sign of x  ·  ∂z/∂x = 1, ∂z/∂y = −trunc(x / y)  (as PyTorch; the
    jumps at x = a multiple of y are not differentiated)"""

    __slots__ = ()

    def forward(self, x, y):
        with _quiet():
            return np.fmod(x, y)

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        trunc_divide = lambda a, b: np.trunc(a / b)  # noqa: E731
        return g if gx else None, -g * _quotient(trunc_divide, x, y, g) if gy else None


class FloorDivide(Function):
    """z = ⌊x / y⌋  ·  not differentiable: its backward raises, as PyTorch's floor_divide (whose result
    requires grad, with a grad_fn that refuses)"""

    __slots__ = ()

    def forward(self, x, y):
        with _quiet():
            return np.floor_divide(x, y)

    def backward(self, g):
        raise GraphError(
            "the derivative for 'floor_divide' is not implemented (as in PyTorch): it is 0 almost everywhere; "
            "detach its inputs, or divide (x / y) for a differentiable quotient"
        )
