"""Attention as one fused gate: O = softmax(Q Kᵀ · scale + M) V, keeping only the probabilities P
for its backward (the composition — matmul, scale, add, softmax, matmul — keeps the scores, the scaled
scores and the masked scores too, each of size (…, L, S)). `attention_composed` is that composition: a recorded
backward (create_graph=True) differentiates it, and a test compares the two.
"""

from __future__ import annotations

import numpy as np

from ..function import Function
from ..tensor import Tensor


def attention_weights(q: Tensor, k: Tensor, bias: Tensor | None, scale: float, dead: np.ndarray | None) -> Tensor:
    """P = softmax(Q Kᵀ · scale + bias) in primitive gates; rows flagged in `dead` (no key may be
    attended to) are zeros, as PyTorch's."""
    scores = (q @ k.transpose(-2, -1)) * scale
    if bias is not None:
        scores = scores + bias
    if dead is None:
        return scores.softmax(-1)
    keep = Tensor._wrap((~dead).astype(scores.dtype))
    return scores.masked_fill(Tensor._wrap(dead), 0.0).softmax(-1) * keep


def attention_composed(q: Tensor, k: Tensor, v: Tensor, bias: Tensor | None, scale: float, dead: np.ndarray | None):
    """softmax(Q Kᵀ · scale + bias) V in primitive gates (see attention_weights)."""
    return attention_weights(q, k, bias, scale, dead) @ v


class ScaledDotProductAttention(Function):
    """O = P V, P = softmax(Q Kᵀ · s + M) over the keys (M: the mask as 0 / −∞, or a float bias)
    ·  ∂L/∂V = Pᵀ ∂L/∂O, ∂S = P ⊙ (∂L/∂O Vᵀ − rowsum(P ⊙ ∂L/∂O Vᵀ)), ∂L/∂Q = s ∂S K, ∂L/∂K = s ∂Sᵀ Q, ∂L/∂M = ∂S"""

    __slots__ = ("scale", "dead", "p")

    def forward(self, q, k, v, bias=None, *, scale, dead):
        self.scale, self.dead = scale, dead
        p = np.matmul(q, np.swapaxes(k, -1, -2))  # the scores, then in place the probabilities
        p *= scale
        if bias is not None:
            p = np.add(p, bias, out=p) if np.broadcast_shapes(p.shape, bias.shape) == p.shape else p + bias
        top = p.max(-1, keepdims=True)
        p -= top if dead is None else np.where(dead, 0, top)
        np.exp(p, out=p)
        total = p.sum(-1, keepdims=True)
        p /= total if dead is None else np.where(dead, 1, total)  # a row with no key to attend to stays 0
        self.p = p
        return np.matmul(p, v)

    def backward(self, g):
        return self.fused_backward(g, self._composed, self._numpy_backward)

    def _composed(self, q, k, v, bias=None):
        return attention_composed(q, k, v, bias, self.scale, self.dead)

    def _numpy_backward(self, go):
        q, k, v = (x._data for x in self.inputs[:3])
        p = self.p
        ds = np.matmul(go, np.swapaxes(v, -1, -2))  # ∂L/∂P, then in place ∂S
        ds -= (p * ds).sum(-1, keepdims=True)
        ds *= p
        dq = np.matmul(ds, k) * self.scale
        dk = np.matmul(np.swapaxes(ds, -1, -2), q) * self.scale
        return (dq, dk, np.matmul(np.swapaxes(p, -1, -2), go), ds)[: len(self.inputs)]
