"""Normalisation gates: layer normalisation as one fused gate.

The composition (mean, subtract, square, mean, add ε, power −½, multiply, multiply by w, add b)
records nine gates and keeps four arrays the size of x for its backward; the fused gate keeps x̂
and 1/σ and computes the closed-form gradient. `layer_norm_composed` is that composition: a
recorded backward (create_graph=True) differentiates it, so second derivatives exist, and a test
compares the two.
"""

from __future__ import annotations

import numpy as np

from ..function import Function
from ..tensor import Tensor


def layer_norm_composed(x: Tensor, weight: Tensor | None, bias: Tensor | None, dims: int, eps: float) -> Tensor:
    """(x − μ) / √(σ² + ε) · w + b over the last `dims` dims, in primitive gates."""
    axes = tuple(range(x.ndim - dims, x.ndim))
    centred = x - x.mean(axes, keepdim=True)
    out = centred * ((centred * centred).mean(axes, keepdim=True) + eps) ** -0.5
    if weight is not None:
        out = out * weight
    return out if bias is None else out + bias


class LayerNorm(Function):
    """z = x̂ · w + b, x̂ = (x − μ)/σ, σ = √(v + ε), μ and v the mean and biased variance over the last dims
    ·  with ĝ = ∂L/∂z · w: ∂L/∂x = (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)) / σ, ∂L/∂w = Σ ∂L/∂z ⊙ x̂, ∂L/∂b = Σ ∂L/∂z
    (means over the normalised dims, sums over the others)"""

    __slots__ = ("dims", "eps", "xhat", "rstd")

    def forward(self, x, weight=None, bias=None, *, dims, eps):
        self.dims, self.eps = dims, eps
        axes = tuple(range(x.ndim - dims, x.ndim))
        centred = x - x.mean(axes, keepdims=True)
        self.rstd = 1.0 / np.sqrt((centred * centred).mean(axes, keepdims=True) + eps)
        self.xhat = centred * self.rstd
        out = self.xhat * weight if weight is not None else self.xhat.copy()
        if bias is not None:
            out += bias
        return out

    def backward(self, g):
        return self.fused_backward(g, self._composed, self._numpy_backward)

    def _composed(self, x, weight=None, bias=None):
        return layer_norm_composed(x, weight, bias, self.dims, self.eps)

    def _numpy_backward(self, gz):
        inputs, xhat = self.inputs, self.xhat
        axes = tuple(range(xhat.ndim - self.dims, xhat.ndim))
        outer = tuple(range(xhat.ndim - self.dims))
        ghat = gz * inputs[1]._data if len(inputs) > 1 else gz
        dx = (ghat - ghat.mean(axes, keepdims=True) - xhat * (ghat * xhat).mean(axes, keepdims=True)) * self.rstd
        return (dx, (gz * xhat).sum(outer), gz.sum(outer))[: len(inputs)]
