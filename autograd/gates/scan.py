"""Scan and selection gates: cumulative sums, products and log-sum-exps along one dim, the product
over dims, and the gather along a dim (with its scatter-add transpose) that sort, topk, kthvalue,
median and cummax/cummin select their values with. Every `dim` here is already a non-negative
index; `autograd/reductions.py` checks the arguments and names the PyTorch function in errors."""

from __future__ import annotations

import numpy as np

from ..extend import once_differentiable
from ..function import Function
from ..functional import cat, where
from ..grad_mode import GradMode
from ..tensor import Tensor
from .elementwise import _const


def flip(t: Tensor, dim: int) -> Tensor:
    """`t` reversed along `dim` (a slice with step −1: its gradient is reversed back)."""
    return t[(slice(None),) * dim + (slice(None, None, -1),)]


def _last(t: Tensor, dim: int) -> Tensor:
    """`t` with `dim` swapped with the last dim (its own inverse)."""
    return t if dim == t.ndim - 1 else t.transpose(dim, -1)


class Cumsum(Function):
    """zᵢ = Σ_{j ≤ i} xⱼ along `dim` (j ≥ i if reverse)  ·  ∂L/∂xⱼ = Σ_{i ≥ j} gᵢ, the cumulative sum
    of g taken the other way"""

    __slots__ = ("dim", "reverse")

    def forward(self, x, dim, reverse=False):
        self.dim, self.reverse = dim, reverse
        if reverse:
            return np.flip(np.cumsum(np.flip(x, dim), axis=dim), dim)
        return np.cumsum(x, axis=dim)

    def backward(self, g):
        return Cumsum.apply(g, dim=self.dim, reverse=not self.reverse)


class Cumprod(Function):
    """zᵢ = Π_{j ≤ i} xⱼ along `dim`  ·  ∂L/∂xₖ = Σ_{i ≥ k} gᵢ Π_{j ≤ i, j ≠ k} xⱼ, which is
    (Σ_{i ≥ k} gᵢ zᵢ) / xₖ where no x is 0

    With zeros the quotient is 0/0. A plain backward then does what PyTorch's does, in O(n): in a
    slice whose first zero is at p, the quotient holds for k < p (every zᵢ from p on is 0), xₚ gets
    Σ_{i ≥ p} gᵢ z'ᵢ with z' the cumulative product of x with xₚ replaced by 1, and each k > p gets 0.
    Those zeros are constants, though, while ∂L/∂xₖ (k > p) changes with xₚ; so a recorded backward
    (create_graph, for a second derivative) takes the products that leave xₖ out directly, from an
    n × n matrix per slice whose row k is x with xₖ replaced by 1 (O(n²) memory), exact to any order.
    """

    __slots__ = ("dim",)

    def forward(self, x, dim):
        self.dim = dim
        return np.cumprod(x, axis=dim)

    def backward(self, g):
        x, z, dim = self.inputs[0], self.output, self.dim
        zero = x._data == 0
        if not zero.any():
            return Cumsum.apply(g * z, dim=dim, reverse=True) / x
        if GradMode.enabled:
            return self._pairwise(g)
        n = x.shape[dim]
        shape = [1] * x.ndim
        shape[dim] = n
        position = np.arange(n).reshape(shape)
        first = np.where(zero.any(axis=dim, keepdims=True), np.argmax(zero, axis=dim, keepdims=True), n)
        before = np.broadcast_to(position < first, x.shape)
        at = np.broadcast_to(position == first, x.shape)
        quotient = Cumsum.apply(g * z, dim=dim, reverse=True) / where(before, x, 1.0)
        skipped = Cumprod.apply(where(at, 1.0, x), dim=dim)  # Π_{j ≤ i, j ≠ p} xⱼ
        at_zero = Cumsum.apply(g * skipped, dim=dim, reverse=True)
        return where(before, quotient, where(at, at_zero, 0.0))

    def _pairwise(self, g):
        xl, gl = _last(self.inputs[0], self.dim), _last(g, self.dim)
        n = xl.shape[-1]
        rows = where(np.eye(n, dtype=bool), 1.0, xl.unsqueeze(-2).expand(*xl.shape[:-1], n, n))  # row k: xₖ → 1
        partial = Cumprod.apply(rows, dim=rows.ndim - 1)  # [k, i] = Π_{j ≤ i, j ≠ k} xⱼ
        upper = _const(np.triu(np.ones((n, n))), g)  # only i ≥ k
        return _last((partial * upper * gl.unsqueeze(-2)).sum(-1), self.dim)


class Prod(Function):
    """z = Π_dims x  ·  ∂z/∂xₖ = Π_{j ≠ k} xⱼ, which is z / xₖ where no x is 0

    With zeros the product of the others is the exclusive cumulative product from the left times the
    one from the right (Cumprod gates on the flattened dims), right for any number of zeros.
    """

    __slots__ = ("dims", "keepdim")

    def forward(self, x, dims, keepdim):
        self.dims, self.keepdim = dims, keepdim
        return x.prod(axis=dims, keepdims=keepdim)

    def backward(self, g):
        x = self.inputs[0]
        kept = tuple([1 if d in self.dims else s for d, s in enumerate(x.shape)])
        g = g.reshape(kept)
        if not (x._data == 0).any():
            return g * self.output.reshape(kept) / x
        others = [d for d in range(x.ndim) if d not in self.dims]
        order = others + list(self.dims)
        moved = x.permute(order) if order != list(range(x.ndim)) else x
        lead = moved.shape[: len(others)]
        flat = moved.reshape(*lead, -1)  # the reduced dims as one last dim
        last = flat.ndim - 1
        ones = Tensor._wrap(np.ones((*lead, 1), x.dtype))
        left = Cumprod.apply(cat([ones, flat[..., :-1]], -1), dim=last)  # Π_{j < k}
        right = flip(Cumprod.apply(cat([ones, flip(flat, last)[..., :-1]], -1), dim=last), last)  # Π_{j > k}
        excl = (left * right).reshape(moved.shape)
        inverse = sorted(range(x.ndim), key=order.__getitem__)
        excl = excl.permute(inverse) if order != list(range(x.ndim)) else excl
        return g * excl


# z - first z of a slice below which exp(x - c) · Σ g exp(c - z) can neither overflow nor lose digits
_SHIFT_RANGE = 50.0


class LogCumSumExp(Function):
    """zᵢ = log Σ_{j ≤ i} e^(xⱼ) along `dim`  ·  ∂L/∂xₖ = Σ_{i ≥ k} gᵢ e^(xₖ − zᵢ)

    Fused for stability: it replaces the composition log(cumsum(exp(x))), which overflows for x ≳ 89
    in float32; the forward is NumPy's logaddexp accumulated. The backward, as e^(xₖ − c) times the
    reversed cumulative sum of g e^(c − z) with c the slice's last z, is exact while z spans under 50
    within each slice; past that it takes e^(xₖ − zᵢ) for each pair (O(n²) memory), whose exponents
    are all ≤ 0.
    """

    __slots__ = ("dim",)

    def forward(self, x, dim):
        self.dim = dim
        if x.size == 0:
            return x.copy()
        return np.logaddexp.accumulate(x, axis=dim)

    def backward(self, g):
        x, z, dim = self.inputs[0], self.output, self.dim
        if x._data.size == 0:
            return g
        n = x.shape[dim]
        last = z[(slice(None),) * dim + (slice(n - 1, n),)]
        first = z._data.take([0], axis=dim)
        with np.errstate(invalid="ignore"):
            span = last._data - first
        if np.all(np.isfinite(span)) and np.all(span < _SHIFT_RANGE):
            c = _const(last._data, g)  # any constant c gives the same value: a constant in the graph
            return (x - c).exp() * Cumsum.apply(g * (c - z).exp(), dim=dim, reverse=True)
        xl, zl, gl = _last(x, dim), _last(z, dim), _last(g, dim)
        m = xl.shape[-1]
        upper = np.triu(np.ones((m, m), dtype=bool))  # [k, i]: i ≥ k
        with np.errstate(invalid="ignore"):
            diff = xl.unsqueeze(-1) - zl.unsqueeze(-2)
        weights = where(upper, diff, -np.inf).exp()
        return _last((weights * gl.unsqueeze(-2)).sum(-1), dim)


def _grid(index: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
    """The full integer index that `take_along_axis(x, index, dim)` reads, as a tuple for x[...]."""
    parts = []
    for d, n in enumerate(index.shape):
        if d == dim:
            parts.append(index)
        else:
            shape = [1] * index.ndim
            shape[d] = n
            parts.append(np.arange(n).reshape(shape))
    return tuple(np.broadcast_arrays(*parts))


class TakeAlongDim(Function):
    """z = x gathered along `dim` at int64 `index` (z[…, i, …] = x[…, index[…, i, …], …])
    ·  ∂L/∂x = g scatter-added back to the gathered positions (summed where an index repeats)"""

    __slots__ = ("index", "dim")

    def forward(self, x, index, dim):
        self.index, self.dim = index, dim
        return np.take_along_axis(x, index, axis=dim)

    def backward(self, g):
        return ScatterAlongDim.apply(g, index=self.index, dim=self.dim, shape=self.inputs[0].shape)


class ScatterAlongDim(Function):
    """z = zeros(shape) with z[…, index[…, i, …], …] += g[…, i, …]  ·  ∂L/∂g = ∂L/∂z gathered at index
    (TakeAlongDim's backward)"""

    __slots__ = ("index", "dim")

    def forward(self, g, index, dim, shape):
        self.index, self.dim = index, dim
        out = np.zeros(shape, dtype=g.dtype)
        np.add.at(out, _grid(index, dim), g)
        return out

    def backward(self, gg):
        return TakeAlongDim.apply(gg, index=self.index, dim=self.dim)


class SingularValue(Function):
    """z = the largest (or smallest) singular value of each matrix over the last two dims
    ·  ∂z/∂A = u vᵀ, its singular vectors (once differentiable)

    The first derivative only: its backward computes on arrays, so a second derivative through it
    raises (a distinct singular value is assumed; tied ones make u vᵀ ill-defined).
    """

    __slots__ = ("uv",)

    def forward(self, a, largest):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        k = 0 if largest else s.shape[-1] - 1
        self.uv = u[..., :, k : k + 1] * vh[..., k : k + 1, :]
        return s[..., k].copy()

    @once_differentiable
    def backward(self, g):
        return g._data[..., None, None] * self.uv
