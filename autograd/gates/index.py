"""Indexed-read and indexed-write gates (gather, scatter, index_add, masked_fill, `x[index] = v`):
each backward sends the gradient of a read back where the element came from (adding where one
element was read twice), and the gradient of a write to the written value, zero to what it overwrote.

The index, mask or position grid is a parameter (a NumPy array or a tuple of them), never an input:
it has no gradient. `autograd/indexing.py` checks it and builds it; these gates trust it.
"""

from __future__ import annotations

import numpy as np

from ..errors import IndexOutOfRange
from ..function import Function
from ..tensor import Tensor
from .shape import GetItem, ScatterAdd


def _constant(value, dtype) -> Tensor:
    return Tensor._wrap(np.asarray(value, dtype=dtype))


def _summed(g: Tensor, shape: tuple[int, ...]) -> Tensor:
    """g summed down to `shape`, which may have extra leading 1s (NumPy and PyTorch assign a (1, n)
    value to an (n,) region)."""
    if len(shape) > g.ndim:
        g = g.reshape((1,) * (len(shape) - g.ndim) + g.shape)
    return g.sum_to(shape)


class Gather(Function):
    """z = x[grid], the grid being `index` along dim and each element's own position along the other
    dims (z[i][j] = x[index[i][j]][j] for dim 0)  ·  ∂L/∂x = ∂L/∂z scatter-added into zeros at the
    gathered positions (summed where an index repeats)"""

    __slots__ = ("grid",)

    def forward(self, x, grid):
        self.grid = grid
        return x[grid]

    def backward(self, g):
        return ScatterAdd.apply(g, index=self.grid, shape=self.inputs[0].shape)


class SetItem(Function):
    """z = x with z[index] = v (PyTorch's copy-slices: `x[index] = v`, scatter)  ·  ∂L/∂x = ∂L/∂z
    with the region z[index] zeroed, ∂L/∂v = ∂L/∂z[index] summed over v's broadcast"""

    __slots__ = ("index",)

    def forward(self, x, v, index):
        self.index = index
        out = x.copy()
        try:
            out[index] = v
        except IndexError as e:
            raise IndexOutOfRange(f"setitem: {e} (tensor of shape {x.shape})") from None
        return out

    def backward(self, g):
        x, v = self.inputs
        gx, gv = self.needs_input_grad
        return (
            SetItem.apply(g, _constant(0, g.dtype), index=self.index) if gx else None,
            _summed(GetItem.apply(g, index=self.index), v.shape) if gv else None,
        )


class IndexAdd(Function):
    """z = x with z[…, index[k], …] += α·s[…, k, …] along dim  ·  ∂L/∂x = ∂L/∂z,
    ∂L/∂s = α·∂L/∂z[…, index, …] (the gradient read back at the rows it was added to)"""

    __slots__ = ("where", "alpha")

    def forward(self, x, s, dim, index, alpha):
        self.where = (slice(None),) * dim + (index,)
        self.alpha = alpha
        out = x.copy()
        np.add.at(out, self.where, (s if alpha == 1 else s * alpha).astype(x.dtype, copy=False))
        return out

    def backward(self, g):
        gx, gs = self.needs_input_grad
        if gs:
            picked = GetItem.apply(g, index=self.where)
            picked = picked if self.alpha == 1 else picked * self.alpha
        return g if gx else None, picked if gs else None


class MaskedFill(Function):
    """z = v where mask else x (mask and x broadcast together)  ·  ∂L/∂x = ∂L/∂z where not mask
    (0 where masked), ∂L/∂v = the sum of ∂L/∂z where masked"""

    __slots__ = ("mask",)

    def forward(self, x, v, mask):
        self.mask = mask
        return np.where(mask, np.asarray(v).astype(x.dtype), x)

    def backward(self, g):
        gx, gv = self.needs_input_grad
        return (
            MaskedFill.apply(g, _constant(0, g.dtype), mask=self.mask) if gx else None,
            GetItem.apply(g, index=np.broadcast_to(self.mask, g.shape)).sum() if gv else None,
        )


class Embedding(Function):
    """z = W[index] (row index[p] of W at each position p)  ·  ∂L/∂W[i] = Σ_{p: index[p] = i} s[p] ∂L/∂z[p],
    with s = 1 (GetItem's backward), 0 where index = padding_idx, 1/count(index[p]) with scale_grad_by_freq"""

    __slots__ = ("index", "scale")

    def forward(self, weight, index, scale):
        self.index, self.scale = index, scale
        return weight[index]

    def backward(self, g):
        if self.scale is not None:
            g = g * _constant(self.scale[..., None], g.dtype)
        return ScatterAdd.apply(g, index=self.index, shape=self.inputs[0].shape)
