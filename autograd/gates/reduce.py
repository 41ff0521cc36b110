"""Reduction gates: sums and maxima over dims, the normalisations over a dim (softmax, log-softmax,
log-sum-exp) and the cross-entropy of logits, each fused into one gate for numerical stability (and,
for the cross-entropy, speed). They call the arrays' own .sum/.max, not np.sum/np.max, whose Python
wrapper costs more than a small reduction."""

from __future__ import annotations

import numpy as np

from ..errors import ShapeError
from ..function import Function
from ..grad_mode import GradMode
from ..tensor import Tensor
from .elementwise import _const


def kept_shape(shape: tuple[int, ...], dims: tuple[int, ...]) -> tuple[int, ...]:
    """`shape` with the reduced `dims` kept as size 1."""
    return tuple([1 if d in dims else s for d, s in enumerate(shape)])


def nonempty(op: str, x: np.ndarray, dims: tuple[int, ...]) -> None:
    if any(x.shape[d] == 0 for d in dims) or (x.size == 0 and not dims):
        raise ShapeError(f"{op}: cannot reduce over an empty dimension (input shape {x.shape})")


class Sum(Function):
    """z = Σ_dims x  ·  ∂z/∂x = 1 (the gradient is broadcast back over the summed dims)"""

    __slots__ = ("dims", "keepdim")

    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim = dims, keepdim
        return x.sum(axis=dims, keepdims=keepdim)

    def backward(self, g):
        shape = self.inputs[0].shape
        return g.reshape(kept_shape(shape, self.dims)).broadcast_to(shape)


class SumTo(Function):
    """z = x summed over the dims broadcasting added (undoes `expand`)  ·  ∂z/∂x = 1"""

    __slots__ = ()

    def forward(self, x, shape):
        lead = x.ndim - len(shape)
        if lead < 0 or any(s not in (1, x.shape[lead + i]) for i, s in enumerate(shape)):
            raise ShapeError(f"sum_to: cannot sum a tensor of shape {x.shape} down to shape {shape}")
        dims = tuple(range(lead)) + tuple([lead + i for i, s in enumerate(shape) if s == 1 and x.shape[lead + i] != 1])
        return x.sum(axis=dims, keepdims=True).reshape(shape)

    def backward(self, g):
        return g.broadcast_to(self.inputs[0].shape)


class Max(Function):
    """z = max_dims x  ·  ∂z/∂x = 1 at the maximum, 0 elsewhere; k tied maxima get 1/k each"""

    __slots__ = ("dims",)

    def forward(self, x, dims, keepdim):
        nonempty("max", x, dims)
        self.dims = dims
        return x.max(axis=dims, keepdims=keepdim)

    def backward(self, g):
        x = self.inputs[0]._data
        kept = kept_shape(x.shape, self.dims)
        winners = x == self.output._data.reshape(kept)
        share = winners / winners.sum(axis=self.dims, keepdims=True)
        return g.reshape(kept) * _const(share, g)


class LogSumExp(Function):
    """z = log Σ_dims eˣ = m + log Σ e^(x−m), m = max x  ·  ∂z/∂x = e^(x−z) = softmax(x)

    Fused for stability: it replaces the composition log(sum(exp(x))), whose exp overflows to inf
    for x ≳ 89 in float32; shifting by the maximum m keeps every exponent ≤ 0.
    """

    __slots__ = ("dims",)

    def forward(self, x, dims, keepdim):
        nonempty("logsumexp", x, dims)
        self.dims = dims
        m = x.max(axis=dims, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):  # a slice of all −inf sums to 0: log 0 = −inf, as in PyTorch
            out = np.log(np.exp(x - m).sum(axis=dims, keepdims=True)) + m
        return out if keepdim else np.squeeze(out, axis=dims)

    def backward(self, g):
        x = self.inputs[0]
        kept = kept_shape(x.shape, self.dims)
        return g.reshape(kept) * (x - self.output.reshape(kept)).exp()


class Softmax(Function):
    """zᵢ = e^(xᵢ−m) / Σⱼ e^(xⱼ−m) over `dim`  ·  ∂L/∂x = z ⊙ (g − Σ g ⊙ z)

    Fused for stability: it replaces the composition exp(x) / sum(exp(x)), which is inf / inf = NaN
    for logits of a few hundred; shifted by the maximum m, the exponents stay ≤ 0.
    """

    __slots__ = ("dim",)

    def forward(self, x, dim):
        nonempty("softmax", x, (dim,))
        self.dim = dim
        e = np.exp(x - x.max(axis=dim, keepdims=True))
        return e / e.sum(axis=dim, keepdims=True)

    def backward(self, g):
        z = self.output
        return z * (g - (g * z).sum(self.dim, keepdim=True))


class LogSoftmax(Function):
    """zᵢ = xᵢ − m − log Σⱼ e^(xⱼ−m) over `dim`  ·  ∂L/∂x = g − e^z Σ g

    Fused for stability: it replaces the composition log(softmax(x)), which is log 0 = −inf where a
    probability underflows; x − logsumexp(x) stays finite.
    """

    __slots__ = ("dim",)

    def forward(self, x, dim):
        nonempty("log_softmax", x, (dim,))
        self.dim = dim
        return log_softmax(x, dim)

    def backward(self, g):
        return g - self.output.exp() * g.sum(self.dim, keepdim=True)


def log_softmax(x: np.ndarray, dim: int) -> np.ndarray:
    """x − m − log Σ e^(x−m) over `dim`, m = max x: the log-probabilities, finite for any input."""
    shifted = x - x.max(axis=dim, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))


class CrossEntropy(Function):
    """L = s · Σₙ −log softmax(xₙ)[yₙ] for logits x (N, C), class labels y, s = 1/N ("mean") or 1 ("sum")
    ·  ∂L/∂x = g · s · (softmax(x) − onehot(y))

    `cross_entropy`'s common case fused into one gate: composed, it is log-softmax, pick, negate,
    sum and scale, five gates whose backward scatters the picked gradient into a zero (N, C) array
    and runs log-softmax's backward on it. This backward is one softmax minus a one-hot, times a
    number. The forward does the composition's arithmetic, so both give the same float.
    """

    __slots__ = ("labels", "scale")

    def forward(self, x, labels, scale):
        nonempty("cross_entropy", x, (1,))
        self.labels, self.scale = labels, scale
        logp = log_softmax(x, 1)
        if GradMode.enabled and self.needs_input_grad[0]:
            self.save_for_backward(logp)
        return -logp[np.arange(len(labels)), labels].sum() * x.dtype.type(scale)

    def backward(self, g):
        rows = np.arange(len(self.labels))
        if not GradMode.enabled:  # a plain backward: the formula below on the saved arrays, in place
            (grad,) = self.saved_tensors
            grad = np.exp(grad._data)
            grad[rows, self.labels] -= 1
            grad *= g._data * self.scale
            return grad
        # Recording (create_graph): the log-probabilities again as a gate, so that they differentiate.
        x = self.inputs[0]
        onehot = np.zeros(x.shape, x.dtype)
        onehot[rows, self.labels] = 1
        return (x.log_softmax(1).exp() - Tensor._wrap(onehot)) * (g * self.scale)
