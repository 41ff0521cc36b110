"""PyTorch's indexed reads and writes, with PyTorch's names, signatures and gradients, the tensor
first: `indexing.gather(x, 1, index)` is `torch.gather(x, 1, index)`.

Gates (`autograd.gates.index`): gather (Gather), scatter and `x[index] = v` (SetItem, PyTorch's
copy-slices), index_add (IndexAdd), masked_fill (MaskedFill). Compositions: index_select is
`x[..., index]` (GetItem with an integer array along dim); take_along_dim is gather after
broadcasting; masked_select is `x[mask]` (GetItem with a bool mask) after broadcasting; index_fill is
masked_fill with the rows' mask; scatter_add and scatter(reduce="add") add the source scatter-added
into zeros (ScatterAdd); scatter(reduce="multiply") multiplies by the source's product per position,
one SetItem into ones per repetition of a position. nonzero / argwhere / where_indices are integer
results outside the graph.

Index arguments are integer tensors (or NumPy arrays) of any integer dtype; a mask is a bool tensor.
Out-of-range indices raise IndexOutOfRange naming the size; PyTorch's negative indices are accepted
where PyTorch accepts them (index_fill, take_along_dim with a dim, setitem) and refused elsewhere.

The in-place forms (`masked_fill_`, `index_add_`, `index_fill_`, `scatter_`, `scatter_add_`,
`setitem`) go through `autograd.inplace.apply_inplace`: outside the graph they write into the tensor
and bump its version counter; in the graph the tensor becomes the output of the out-of-place gate
applied to a snapshot of its old value. A leaf that requires grad refuses them outside `no_grad()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import ArgumentError, DTypeError, GraphError, IndexOutOfRange, ShapeError
from .gates import index as ix
from .gates import shape as shp
from .grad_mode import GradMode
from .inplace import apply_inplace
from .tensor import Tensor, normalize_dim, numpy_aliases

__all__ = [
    "masked_fill",
    "masked_fill_",
    "masked_select",
    "index_select",
    "index_add",
    "index_add_",
    "index_fill",
    "index_fill_",
    "gather",
    "scatter",
    "scatter_",
    "scatter_add",
    "scatter_add_",
    "take_along_dim",
    "nonzero",
    "argwhere",
    "where_indices",
    "setitem",
]

_REDUCES = (None, "add", "multiply")


# ---- arguments ------------------------------------------------------------------------------------


def _tensor(op: str, value: Any, what: str = "input") -> Tensor:
    if isinstance(value, Tensor):
        return value
    raise ArgumentError(f"{op}: argument '{what}' must be a Tensor, got {type(value).__name__}")


def _index(op: str, index: Any, what: str = "index") -> np.ndarray:
    """An integer index tensor (or array) as its array; a float or bool one is a DTypeError."""
    if isinstance(index, Tensor):
        index = index._data
    elif not isinstance(index, np.ndarray):
        raise ArgumentError(f"{op}: argument '{what}' must be an integer Tensor, got {type(index).__name__}")
    if index.dtype.kind not in "iu":
        raise DTypeError(f"{op}: the {what} must be an integer tensor (e.g. int64), got {index.dtype}")
    return index


def _mask(op: str, mask: Any) -> np.ndarray:
    if isinstance(mask, Tensor):
        mask = mask._data
    elif not isinstance(mask, np.ndarray):
        raise ArgumentError(f"{op}: argument 'mask' must be a bool Tensor, got {type(mask).__name__}")
    if mask.dtype != np.bool_:
        raise DTypeError(f"{op}: the mask must be a bool tensor, got {mask.dtype}; compare first, e.g. x > 0")
    return mask


def _broadcast(op: str, shape: tuple[int, ...], mask: np.ndarray) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(shape, mask.shape)
    except ValueError:
        raise ShapeError(
            f"{op}: a mask of shape {mask.shape} does not broadcast with the tensor's shape {shape}"
        ) from None


def _fill_value(op: str, value: Any) -> Any:
    """A fill value: a number, or a 0-d tensor (which may require grad)."""
    if isinstance(value, Tensor):
        if value.ndim:
            raise ShapeError(f"{op}: the value must be a number or a 0-d tensor, got a tensor of shape {value.shape}")
        return value
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        return value
    raise ArgumentError(f"{op}: argument 'value' must be a number or a 0-d Tensor, got {type(value).__name__}")


def _in_range(op: str, index: np.ndarray, size: int, dim: int, negative: bool = False) -> np.ndarray:
    """`index` checked against a dim of `size` (negatives wrapped if `negative`, as PyTorch there)."""
    if index.size:
        low, high = int(index.min()), int(index.max())
        if high >= size or low < (-size if negative else 0):
            bad = high if high >= size else low
            allowed = f"[{-size}, {size - 1}]" if negative else f"[0, {size - 1}]" if size else "none (it is empty)"
            raise IndexOutOfRange(f"{op}: index {bad} is out of range for dim {dim} of size {size}; allowed: {allowed}")
        if negative and low < 0:
            index = np.where(index < 0, index + size, index)
    return index


def _dim(op: str, x: Tensor, dim: Any) -> int:
    if type(dim) is not int and (isinstance(dim, bool) or not isinstance(dim, np.integer)):
        raise ArgumentError(f"{op}: dim must be an int, got {dim!r}")
    return normalize_dim(op, x.ndim, dim)


def _grid(op: str, shape: tuple[int, ...], dim: int, index: np.ndarray, src: Tensor | None = None) -> tuple:
    """The positions gather reads (scatter writes): `index` along dim, each element's own position
    along the others, as a tuple of arrays that broadcast to index's shape."""
    if index.ndim != len(shape):
        raise ShapeError(
            f"{op}: the index has {index.ndim} dims (shape {index.shape}) but the tensor has {len(shape)} "
            f"(shape {shape}); they must have the same number of dims"
        )
    for d, (n, m) in enumerate(zip(index.shape, shape)):
        if d != dim and n > m:
            raise ShapeError(
                f"{op}: the index of shape {index.shape} is larger than the tensor of shape {shape} in dim {d}; "
                f"index.size(d) <= input.size(d) is required for every d != dim ({dim})"
            )
    if src is not None:
        if src.ndim != index.ndim or any(n > m for n, m in zip(index.shape, src.shape)):
            raise ShapeError(
                f"{op}: the index of shape {index.shape} does not fit the src of shape {src.shape}; they need the "
                "same number of dims and index.size(d) <= src.size(d) for every d"
            )
    index = _in_range(op, index, shape[dim], dim)
    return tuple(
        index if d == dim else np.arange(n).reshape((1,) * d + (n,) + (1,) * (index.ndim - d - 1))
        for d, n in enumerate(index.shape)
    )


def _src(src: Tensor, index: np.ndarray) -> Tensor:
    """The part of src that scatter reads: its leading index.shape block."""
    if src.shape == index.shape:
        return src
    return src[tuple(slice(0, n) for n in index.shape)]


class _Operand:
    """A value handed to `apply_inplace` among its operands: 0-d for its shape check (the value need
    not broadcast to the tensor's shape), with the value's requires_grad for its recording test."""

    __slots__ = ("value", "requires_grad")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.requires_grad = bool(getattr(value, "requires_grad", False))


def _inplace(x: Tensor, op: str, fn: Callable[..., Tensor], *values: Any) -> Tensor:
    """Write fn(x, *values), an out-of-place computation, into x through apply_inplace."""
    if GradMode.enabled and x.requires_grad and x.grad_fn is None:
        raise GraphError(
            f"{op}: a leaf Variable that requires grad is being used in an in-place operation (the graph would "
            "not see the change); do it inside `with no_grad():`, or compute out of place (clone first)"
        )
    if GradMode.enabled and (x.requires_grad or any(getattr(v, "requires_grad", False) for v in values)):
        for v in values:
            if isinstance(v, Tensor) and v is not x and np.may_share_memory(x._data, v._data):
                raise GraphError(
                    f"{op}: the value shares memory with the tensor changed in place (a view of it), so the "
                    "gradient would read values the change overwrote; pass a clone of it"
                )

    def run(old: Tensor, *operands: _Operand) -> Tensor:
        return fn(old, *(old if o.value is x else o.value for o in operands))

    return apply_inplace(x, op, run, *[_Operand(v) for v in values])


# ---- masks ------------------------------------------------------------------------------------------


def masked_fill(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """`value` where `mask` is True, `input` elsewhere (mask broadcasts with input), as
    torch.masked_fill; the value is a number or a 0-d tensor, whose gradient is the sum of the
    gradient over the masked elements. Gate: MaskedFill."""
    x = _tensor("masked_fill", input)
    m = _mask("masked_fill", mask)
    _broadcast("masked_fill", x.shape, m)
    return ix.MaskedFill.apply(x, _fill_value("masked_fill", value), mask=m)


def masked_fill_(input: Tensor, mask: Tensor, value: Any) -> Tensor:
    """masked_fill in place; the mask must broadcast to input's shape."""
    x = _tensor("masked_fill_", input)
    m = _mask("masked_fill_", mask)
    if _broadcast("masked_fill_", x.shape, m) != x.shape:
        raise ShapeError(f"masked_fill_: a mask of shape {m.shape} does not broadcast to the tensor's shape {x.shape}")
    value = _fill_value("masked_fill_", value)
    if isinstance(value, Tensor):
        return _inplace(x, "masked_fill_", lambda s, v: masked_fill(s, m, v), value)
    return _inplace(x, "masked_fill_", lambda s: masked_fill(s, m, value))


def masked_select(input: Tensor, mask: Tensor) -> Tensor:
    """The elements of input where mask is True, as a 1-D tensor (both broadcast first), as
    torch.masked_select. Composed: input broadcast, then GetItem with the bool mask."""
    x = _tensor("masked_select", input)
    m = _mask("masked_select", mask)
    shape = _broadcast("masked_select", x.shape, m)
    return x.broadcast_to(shape)[np.broadcast_to(m, shape)]


# ---- index along one dim ----------------------------------------------------------------------------


def _rows(op: str, x: Tensor, dim: Any, index: Any, negative: bool = False) -> tuple[int, np.ndarray]:
    """dim and a 1-D (or 0-d) index into it, checked."""
    idx = _index(op, index)
    if idx.ndim > 1:
        raise ShapeError(f"{op}: the index must be 1-D (or 0-d), got shape {idx.shape}")
    d = _dim(op, x, dim)
    return d, _in_range(op, idx.reshape(-1), x.shape[d], d, negative)


@numpy_aliases
def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices of input at `index` (1-D) along dim, as torch.index_select. Composed: GetItem
    with the index array at dim (repeated rows get their gradients summed)."""
    x = _tensor("index_select", input)
    d, idx = _rows("index_select", x, dim, index)
    return x[(slice(None),) * d + (idx,)]


def _index_add_args(op: str, input: Any, dim: Any, index: Any, source: Any) -> tuple[Tensor, int, np.ndarray, Tensor]:
    x = _tensor(op, input)
    d, idx = _rows(op, x, dim, index)
    s = _tensor(op, source, "source")
    expected = x.shape[:d] + (idx.size,) + x.shape[d + 1 :]
    if s.shape != expected and not (s.ndim == 0 and expected == (1,)):
        raise ShapeError(
            f"{op}: the source has shape {s.shape}; expected {expected} (input's shape {x.shape} with dim {d} "
            f"the index's length {idx.size})"
        )
    return x, d, idx, s.reshape(expected)


@numpy_aliases
def index_add(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
    """input with alpha·source[…, k, …] added to the slice index[k] along dim (repeats add up), as
    torch.index_add. Gate: IndexAdd."""
    x, d, idx, s = _index_add_args("index_add", input, dim, index, source)
    return ix.IndexAdd.apply(x, s, dim=d, index=idx, alpha=alpha)


@numpy_aliases
def index_add_(input: Tensor, dim: int, index: Tensor, source: Tensor, *, alpha: float = 1) -> Tensor:
    """index_add in place."""
    x, d, idx, s = _index_add_args("index_add_", input, dim, index, source)
    return _inplace(x, "index_add_", lambda t, v: ix.IndexAdd.apply(t, v, dim=d, index=idx, alpha=alpha), s)


def _row_mask(x: Tensor, d: int, idx: np.ndarray) -> np.ndarray:
    mask = np.zeros(x.shape[d], dtype=bool)
    mask[idx] = True
    return mask.reshape((-1,) + (1,) * (x.ndim - d - 1))


@numpy_aliases
def index_fill(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """input with the slices at `index` along dim set to value (a number or a 0-d tensor), as
    torch.index_fill (negative indices count from the end). Composed: masked_fill with those rows' mask."""
    x = _tensor("index_fill", input)
    d, idx = _rows("index_fill", x, dim, index, negative=True)
    return ix.MaskedFill.apply(x, _fill_value("index_fill", value), mask=_row_mask(x, d, idx))


@numpy_aliases
def index_fill_(input: Tensor, dim: int, index: Tensor, value: Any) -> Tensor:
    """index_fill in place."""
    x = _tensor("index_fill_", input)
    d, idx = _rows("index_fill_", x, dim, index, negative=True)
    mask, value = _row_mask(x, d, idx), _fill_value("index_fill_", value)
    if isinstance(value, Tensor):
        return _inplace(x, "index_fill_", lambda s, v: ix.MaskedFill.apply(s, v, mask=mask), value)
    return _inplace(x, "index_fill_", lambda s: ix.MaskedFill.apply(s, value, mask=mask))


# ---- gather and scatter -----------------------------------------------------------------------------


@numpy_aliases
def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """out[i][j][k] = input[index[i][j][k]][j][k] (for dim 0; likewise for the others), as
    torch.gather: index has input's number of dims and is no larger than input except along dim.
    Gate: Gather. `sparse_grad` is accepted and ignored (the gradient is dense)."""
    x = _tensor("gather", input)
    d = _dim("gather", x, dim)
    idx = _index("gather", index)
    return ix.Gather.apply(x, grid=_grid("gather", x.shape, d, idx))


@numpy_aliases
def take_along_dim(input: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """input's values at `indices` along dim, both broadcast except along dim (negative indices
    count from the end), as torch.take_along_dim; with dim None, of the flattened input. Composed:
    Expand, then Gather."""
    x = _tensor("take_along_dim", input)
    idx = _index("take_along_dim", indices, "indices")
    if dim is None:
        return gather(x.reshape(-1), 0, idx.reshape(-1))
    d = _dim("take_along_dim", x, dim)
    if idx.ndim != x.ndim:
        raise ShapeError(
            f"take_along_dim: input (shape {x.shape}) and indices (shape {idx.shape}) must have the same number of dims"
        )
    rest = (*x.shape[:d], 1, *x.shape[d + 1 :]), (*idx.shape[:d], 1, *idx.shape[d + 1 :])
    try:
        common = np.broadcast_shapes(*rest)
    except ValueError:
        raise ShapeError(
            f"take_along_dim: input of shape {x.shape} and indices of shape {idx.shape} do not broadcast "
            f"outside dim {d}"
        ) from None
    idx = _in_range("take_along_dim", idx, x.shape[d], d, negative=True)
    x = x.broadcast_to(common[:d] + (x.shape[d],) + common[d + 1 :])
    idx = np.broadcast_to(idx, common[:d] + (idx.shape[d],) + common[d + 1 :])
    return ix.Gather.apply(x, grid=_grid("take_along_dim", x.shape, d, idx))


def _repetition(lin: np.ndarray) -> np.ndarray:
    """For each position in `lin`, how many earlier elements of lin hold the same position."""
    order = np.argsort(lin, kind="stable")
    ordered = lin[order]
    starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1] if lin.size else np.zeros(0, int)
    first = np.repeat(starts, np.diff(np.r_[starts, lin.size]))
    rank = np.empty(lin.size, dtype=np.int64)
    rank[order] = np.arange(lin.size) - first
    return rank


def _scatter(op: str, x: Tensor, dim: Any, index: Any, src: Any, value: Any, reduce: Any) -> Tensor:
    """scatter out of place; `x` is the tensor to start from (a snapshot, for scatter_)."""
    if reduce not in _REDUCES:
        raise ArgumentError(f"{op}: reduce must be None, 'add' or 'multiply', got {reduce!r}")
    if src is not None and value is not None:
        raise ArgumentError(f"{op}: pass either src or value, not both")
    if src is None:
        src = value
    if src is None:
        raise ArgumentError(f"{op}: missing the src tensor (or the value number)")
    d = _dim(op, x, dim)
    idx = _index(op, index)
    if isinstance(src, Tensor):
        grid = _grid(op, x.shape, d, idx, src)
        s = _src(src, idx)
        if reduce is None:
            return ix.SetItem.apply(x, s, index=grid)
        if reduce == "add":
            return x + shp.ScatterAdd.apply(s, index=grid, shape=x.shape)
        # multiply: x times the product of the values scattered to each position, one SetItem into ones
        # per repetition (the k-th value to reach a position), so every factor keeps its gradient
        lin = np.ravel_multi_index(tuple(np.broadcast_to(a, idx.shape) for a in grid), x.shape).reshape(-1)
        rank, flat, out = _repetition(lin), s.reshape(-1), x.reshape(-1)
        ones = Tensor._wrap(np.ones(x.numel(), dtype=x.dtype))
        for r in range(int(rank.max()) + 1 if rank.size else 0):
            pick = np.flatnonzero(rank == r)
            out = out * ix.SetItem.apply(ones, flat[pick], index=lin[pick])
        return out.reshape(x.shape)
    if not isinstance(src, (bool, int, float, np.number, np.bool_)):
        raise ArgumentError(f"{op}: src must be a Tensor or value a number, got {type(src).__name__}")
    grid = _grid(op, x.shape, d, idx)
    if reduce is None:
        return ix.SetItem.apply(x, np.asarray(src).astype(x.dtype), index=grid)
    counts = np.zeros(x.shape, dtype=np.int64)
    np.add.at(counts, grid, 1)
    if reduce == "add":
        return x + Tensor._wrap((counts * src).astype(x.dtype))
    return x * Tensor._wrap((np.asarray(src, dtype=np.float64) ** counts).astype(x.dtype))


@numpy_aliases
def scatter(
    input: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None, *, reduce: str | None = None
) -> Tensor:
    """input with out[index[i][j]][j] = src[i][j] (for dim 0; likewise for the others), as
    torch.scatter; src is a tensor (its leading index.shape block is read) or `value` a number; with
    reduce="add" or "multiply" the values add to (multiply) input instead. Gate: SetItem; the
    reductions are composed (ScatterAdd; products of SetItems into ones). Gradients, per PyTorch's
    formulas: src gets the gradient gathered at index, input the gradient with the written positions
    zeroed (all of it for the reductions, times the factor for multiply)."""
    return _scatter("scatter", _tensor("scatter", input), dim, index, src, value, reduce)


@numpy_aliases
def scatter_(
    input: Tensor, dim: int, index: Tensor, src: Any = None, value: Any = None, *, reduce: str | None = None
) -> Tensor:
    """scatter in place."""
    x = _tensor("scatter_", input)
    if isinstance(src, Tensor):
        return _inplace(x, "scatter_", lambda t, s: _scatter("scatter_", t, dim, index, s, value, reduce), src)
    return _inplace(x, "scatter_", lambda t: _scatter("scatter_", t, dim, index, src, value, reduce))


@numpy_aliases
def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """input with src[i][j] added to out[index[i][j]][j] (for dim 0), repeats adding up, as
    torch.scatter_add. Composed: input + ScatterAdd of src into zeros."""
    return _scatter("scatter_add", _tensor("scatter_add", input), dim, index, _tensor("scatter_add", src, "src"),
                    None, "add")  # fmt: skip


@numpy_aliases
def scatter_add_(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """scatter_add in place."""
    x, s = _tensor("scatter_add_", input), _tensor("scatter_add_", src, "src")
    return _inplace(x, "scatter_add_", lambda t, v: _scatter("scatter_add_", t, dim, index, v, None, "add"), s)


# ---- positions of nonzero elements ------------------------------------------------------------------


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
    """The int64 indices of the nonzero elements, as torch.nonzero: an (n, ndim) tensor, or with
    as_tuple=True one 1-D tensor per dim (a 0-d input gives one tensor of length 0 or 1)."""
    x = _tensor("nonzero", input)
    if not as_tuple:
        return Tensor._wrap(np.argwhere(x._data).astype(np.int64))
    if x.ndim == 0:
        return (Tensor._wrap(np.zeros(int(bool(x._data)), dtype=np.int64)),)
    return tuple(Tensor._wrap(a.astype(np.int64)) for a in np.nonzero(x._data))


def argwhere(input: Tensor) -> Tensor:
    """nonzero(input): the (n, ndim) int64 indices of the nonzero elements, as torch.argwhere."""
    return nonzero(_tensor("argwhere", input))


def where_indices(condition: Tensor) -> tuple[Tensor, ...]:
    """PyTorch's one-argument `torch.where(condition)`: nonzero(condition, as_tuple=True)."""
    return nonzero(_tensor("where", condition, "condition"), as_tuple=True)


# ---- x[index] = value -------------------------------------------------------------------------------


def setitem(x: Tensor, index: Any, value: Any) -> None:
    """PyTorch's `x[index] = value` (value a number, an array or a tensor broadcast to x[index]).
    Outside the graph it writes into x and bumps its version counter; when x or value is in the
    graph it is recorded as PyTorch's copy-slices (gate SetItem): x's old value gets the gradient
    with the region zeroed, value the gradient at the region, summed over its broadcast."""
    x = _tensor("setitem", x)
    index = shp.normalize_index(index)
    try:
        target = np.shape(x._data[index])
    except IndexError as e:
        raise IndexOutOfRange(f"setitem: {e} (tensor of shape {x.shape})") from None
    if not isinstance(value, Tensor):
        value = np.asarray(value)
        if value.dtype.kind not in "biuf":
            raise ArgumentError(
                f"setitem: cannot assign {type(value).__name__} to a tensor; expected a number or tensor"
            )
    shape = np.shape(value._data if isinstance(value, Tensor) else value)
    fitted = shape
    while len(fitted) > len(target) and fitted[0] == 1:
        fitted = fitted[1:]
    try:
        fits = np.broadcast_shapes(fitted, target) == tuple(target)
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(
            f"setitem: a value of shape {shape} does not broadcast to the indexed region's shape {tuple(target)} "
            f"(tensor of shape {x.shape})"
        )
    if isinstance(value, Tensor):
        _inplace(x, "setitem", lambda s, v: ix.SetItem.apply(s, v, index=index), value)
    else:
        _inplace(x, "setitem", lambda s: ix.SetItem.apply(s, value, index=index))
