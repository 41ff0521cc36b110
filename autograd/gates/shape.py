"""Shape gates: they move, copy or select elements without arithmetic, so each backward moves
the gradient back where the element came from (and adds where one element went to many)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import IndexOutOfRange, ShapeError
from ..function import Function
from ..tensor import Tensor


class Reshape(Function):
    """z = x viewed with another shape  ·  ∂L/∂x = ∂L/∂z reshaped back"""

    __slots__ = ()

    def forward(self, x, shape):
        try:
            return x.reshape(shape)
        except ValueError:
            raise ShapeError(
                f"reshape: cannot view a tensor of shape {x.shape} ({x.size} elements) as {shape}"
            ) from None

    def backward(self, g):
        return g.reshape(self.inputs[0].shape)


class Permute(Function):
    """z = x with its dims reordered  ·  ∂L/∂x = ∂L/∂z with the inverse order"""

    __slots__ = ("dims",)

    def forward(self, x, dims):
        self.dims = dims
        return np.transpose(x, dims)

    def backward(self, g):
        inverse = sorted(range(len(self.dims)), key=self.dims.__getitem__)  # dim i goes back to dims[i]
        return Permute.apply(g, dims=tuple(inverse))


class Expand(Function):
    """z = x broadcast to a larger shape  ·  ∂L/∂x = ∂L/∂z summed over the broadcast dims"""

    __slots__ = ()

    def forward(self, x, shape):
        try:
            return np.broadcast_to(x, shape)
        except ValueError:
            raise ShapeError(f"expand: cannot broadcast a tensor of shape {x.shape} to {shape}") from None

    def backward(self, g):
        return g.sum_to(self.inputs[0].shape)


def normalize_index(index: Any) -> Any:
    """Tensors and lists inside an index become arrays."""
    if isinstance(index, tuple):
        return tuple([normalize_index(i) for i in index])
    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _may_repeat(index: Any) -> bool:
    """Whether the index can pick one element twice (integer arrays), so scatter must add."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(i, np.ndarray) and i.dtype.kind in "iu" for i in parts)


def _add_rows(out: np.ndarray, rows: np.ndarray, g: np.ndarray) -> None:
    """np.add.at(out, rows, g) for an integer array of rows (an embedding's backward), 3–5× faster:
    the terms sorted by row (stably, so each row adds them in np.add.at's order) and each row's run
    summed by np.add.reduceat."""
    rows = rows.ravel() % out.shape[0]  # -1 and n - 1 are one row
    g = g.reshape(rows.size, *out.shape[1:])
    order = np.argsort(rows, kind="stable")
    rows = rows[order]
    starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1]))) if rows.size else rows
    out[rows[starts]] = np.add.reduceat(g[order], starts, axis=0)


class GetItem(Function):
    """z = x[index] (slices, integers, integer arrays, boolean masks)  ·  ∂L/∂x = ∂L/∂z
    scattered back to the indexed positions, summed where an index repeats"""

    __slots__ = ("index",)

    def forward(self, x, index):
        self.index = index
        try:
            return x[index]
        except IndexError as e:
            raise IndexOutOfRange(f"index: {e} (tensor of shape {x.shape})") from None

    def backward(self, g):
        return ScatterAdd.apply(g, index=self.index, shape=self.inputs[0].shape)


class ScatterAdd(Function):
    """z = zeros(shape) with z[index] += g  ·  ∂L/∂g = ∂L/∂z[index]  (GetItem's backward)"""

    __slots__ = ("index",)

    def forward(self, g, index, shape):
        self.index = index
        out = np.zeros(shape, dtype=g.dtype)
        if isinstance(index, np.ndarray) and index.dtype.kind in "iu":
            _add_rows(out, index, g)
        elif _may_repeat(index):
            np.add.at(out, index, g)
        else:
            out[index] = g
        return out

    def backward(self, gg):
        return GetItem.apply(gg, index=self.index)


class Cat(Function):
    """z = [x₁, x₂, …] joined along `dim`  ·  ∂L/∂xᵢ = the slice of ∂L/∂z that xᵢ filled"""

    __slots__ = ("dim",)

    def forward(self, *xs, dim):
        self.dim = dim
        first = xs[0].shape
        for i, x in enumerate(xs):
            if x.ndim != len(first) or x.shape[:dim] + x.shape[dim + 1 :] != first[:dim] + first[dim + 1 :]:
                raise ShapeError(
                    f"cat: tensor {i} has shape {x.shape} but tensor 0 has shape {first}; all "
                    f"dims except dim {dim} must match"
                )
        return np.concatenate(xs, axis=dim)

    def backward(self, g):
        grads, start = [], 0
        for x, needed in zip(self.inputs, self.needs_input_grad):
            stop = start + x.shape[self.dim]
            index = (slice(None),) * self.dim + (slice(start, stop),)
            grads.append(g[index] if needed else None)
            start = stop
        return tuple(grads)


class Pad(Function):
    """z = x surrounded by a constant  ·  ∂L/∂x = ∂L/∂z without the padding"""

    __slots__ = ("width",)

    def forward(self, x, width, value):
        self.width = width
        return np.pad(x, width, constant_values=value)

    def backward(self, g):
        x = self.inputs[0]
        return g[tuple(slice(lo, lo + n) for (lo, _), n in zip(self.width, x.shape))]
