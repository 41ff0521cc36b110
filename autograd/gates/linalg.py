"""Linear-algebra gates."""

from __future__ import annotations

import numpy as np

from ..errors import ShapeError
from ..function import Function


class MatMul(Function):
    """Z = X @ Y (batched and broadcast as np.matmul; 1-d operands as vectors)
    ·  ∂L/∂X = ∂L/∂Z @ Yᵀ, ∂L/∂Y = Xᵀ @ ∂L/∂Z"""

    __slots__ = ()

    def forward(self, x, y):
        if x.ndim == 0 or y.ndim == 0:
            raise ShapeError(f"matmul: both operands need at least 1 dim, got shapes {x.shape} and {y.shape}")
        inner = y.shape[0] if y.ndim == 1 else y.shape[-2]
        if x.shape[-1] != inner:
            raise ShapeError(
                f"matmul: shapes {x.shape} @ {y.shape} do not fit: inner dims {x.shape[-1]} and {inner} differ"
            )
        try:
            return np.matmul(x, y)
        except ValueError:
            raise ShapeError(f"matmul: batch dims of {x.shape} and {y.shape} do not broadcast") from None

    def backward(self, g):
        x, y = self.inputs
        # A vector operand is a 1-row (left) or 1-column (right) matrix; g gets that dim back.
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        y2 = y.reshape(-1, 1) if y.ndim == 1 else y
        g2 = g.unsqueeze(-1) if y.ndim == 1 else g  # first: for vector @ vector, g is 0-d
        g2 = g2.unsqueeze(-2) if x.ndim == 1 else g2
        gx, gy = self.needs_input_grad
        dx = (g2 @ y2.mT).sum_to(x2.shape).reshape(x.shape) if gx else None
        if gy and x.ndim == y.ndim == 2 and _transposed(y.data):
            # Y is a transposed view (nn's linear multiplies by W.mT): compute (gᵀ X)ᵀ, the same
            # numbers as Xᵀ g, so the gradient has Y's memory layout and W's own gradient comes
            # out C-contiguous. The optimizer's update with a gradient in the other layout is a
            # strided pass 4x slower than the whole matmul.
            return dx, (g.mT @ x).mT
        dy = (x2.mT @ g2).sum_to(y2.shape).reshape(y.shape) if gy else None
        return dx, dy


def _transposed(a: np.ndarray) -> bool:
    """Whether `a` is laid out column-major (the transpose of a C-contiguous array)."""
    return a.flags.f_contiguous and not a.flags.c_contiguous
