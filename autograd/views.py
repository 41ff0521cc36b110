"""PyTorch's view and shape operations, with PyTorch's names, signatures and gradients (the tensor
first): `views.flip(x, (0,))` is `torch.flip(x, (0,))`, `views.narrow(x, 0, 1, 2)` is
`x.narrow(0, 1, 2)`.

None of them is a gate of its own: each is a composition of the shape gates (Reshape, Permute,
Expand, GetItem, Cat, Clone), which its docstring spells out, so each gradient is those gates'
and moves the gradient back where each element came from, adding where one element went to
several places (repeat, tile, repeat_interleave, expand_as).

Where PyTorch gives a view (narrow, movedim, swapaxes, unbind, chunk, split, unflatten, ...) the
result shares memory with the input as NumPy's does; the functions that copy in PyTorch (repeat,
tile, repeat_interleave, roll, flip) always return memory of their own, never the input's.
`view_checked` is PyTorch's `Tensor.view`: where no view of the input's strides has the new
shape it raises a ShapeError that says to use reshape, as PyTorch does.

Dims follow PyTorch: negative dims count from the end, a 0-d tensor takes dim 0 or -1 where
PyTorch wraps it, and a dim out of range is an IndexOutOfRange (an IndexError, as in PyTorch).
"""

from __future__ import annotations

import math
from typing import Any
from collections.abc import Sequence

import numpy as np

from .errors import ArgumentError, DTypeError, IndexOutOfRange, ShapeError
from .functional import cat
from .gates import elementwise as ew
from .tensor import Tensor, size_args, numpy_aliases

# ---- arguments ------------------------------------------------------------------------------------


def _tensor(op: str, value: Any, what: str = "input") -> Tensor:
    """`value` when it is a Tensor, else an ArgumentError naming the function and the argument."""
    if isinstance(value, Tensor):
        return value
    raise ArgumentError(f"{op}: argument '{what}' must be a Tensor, got {type(value).__name__}")


def _is_int(value: Any) -> bool:
    return type(value) is int or (isinstance(value, np.integer) and not isinstance(value, np.bool_))


def _int(op: str, value: Any, what: str) -> int:
    """A Python int from an int, a NumPy integer or a one-element integer Tensor (PyTorch takes
    those for narrow's start); bools and floats are an ArgumentError."""
    if isinstance(value, Tensor) and value.ndim == 0 and value.dtype.kind in "iu":
        return int(value.item())
    if not _is_int(value):
        raise ArgumentError(f"{op}: {what} must be an int, got {value!r} ({type(value).__name__})")
    return int(value)


def _dim(op: str, shape: tuple[int, ...], dim: Any, scalar_ok: bool = True) -> int:
    """One dim of a tensor of `shape` as a non-negative index. A 0-d tensor has dims 0 and -1 where
    PyTorch wraps them (`scalar_ok`), which address the tensor as a whole."""
    d = _int(op, dim, "dim")
    ndim = len(shape)
    if ndim == 0 and not scalar_ok:
        raise IndexOutOfRange(f"{op}: dim {d} given, but a 0-d tensor (shape ()) has no dims")
    bound = max(ndim, 1)
    if not -bound <= d < bound:
        raise IndexOutOfRange(
            f"{op}: dim {d} is out of range for a tensor of shape {shape} (expected a dim in [{-bound}, {bound - 1}])"
        )
    return d % bound


def _dim_list(op: str, value: Any, what: str = "dims") -> list[Any]:
    """An int or a sequence of ints as a list (each entry checked later)."""
    if isinstance(value, (tuple, list)):
        return list(value)
    if _is_int(value):
        return [value]
    raise ArgumentError(f"{op}: {what} must be an int or a tuple of ints, got {value!r} ({type(value).__name__})")


def _distinct_dims(op: str, shape: tuple[int, ...], dims: Any, what: str = "dims") -> list[int]:
    out = [_dim(op, shape, d) for d in _dim_list(op, dims, what)]
    for d in out:
        if out.count(d) > 1:
            raise ShapeError(f"{op}: dim {d} appears more than once in {what} {tuple(_dim_list(op, dims))}")
    return out


def _sizes(op: str, sizes: tuple[Any, ...], what: str = "sizes") -> tuple[int, ...]:
    """PyTorch's `f(2, 3)` and `f((2, 3))` both, as a tuple of ints (-1 allowed; checked by the caller)."""
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = tuple(sizes[0])
    return size_args(op, tuple(sizes), minimum=None, what=what)


def _infer(op: str, shape: tuple[int, ...], numel: int, source: tuple[int, ...]) -> tuple[int, ...]:
    """`shape` with its one -1 (if any) inferred so that it holds `numel` elements."""
    if shape.count(-1) > 1:
        raise ShapeError(f"{op}: only one dim can be inferred (-1), got the shape {shape}")
    if any(s < -1 for s in shape):
        raise ShapeError(f"{op}: invalid size {min(shape)} in the shape {shape}; sizes are non-negative, or -1")
    known = math.prod(s for s in shape if s != -1)
    if -1 in shape:
        if known == 0 or numel % known:
            raise ShapeError(f"{op}: the shape {shape} is invalid for an input of shape {source} ({numel} elements)")
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise ShapeError(f"{op}: the shape {shape} is invalid for an input of shape {source} ({numel} elements)")
    return shape


def _along(ndim: int, dim: int, index: Any) -> tuple[Any, ...]:
    """An index that applies `index` to `dim` and keeps the other dims."""
    return (slice(None),) * dim + (index,)


def _own(x: Tensor, result: Tensor) -> Tensor:
    """`result`, or a copy of it (the Clone gate) where the composition returned the input itself
    or a view of its memory: PyTorch's copying functions (flip, roll, repeat, tile) never do."""
    if result is x or np.may_share_memory(result._data, x._data):
        return ew.Clone.apply(result)
    return result


# ---- views of the same elements -----------------------------------------------------------------


def contiguous(input: Tensor, *, memory_format: Any = None) -> Tensor:
    """The tensor itself when its memory is C-contiguous, else a C-contiguous copy (the Clone
    gate; the gradient passes through). `memory_format` may only be PyTorch's default."""
    x = _tensor("contiguous", input)
    if memory_format is not None and not str(memory_format).endswith("contiguous_format"):
        raise ArgumentError(
            f"contiguous: memory_format {memory_format!r} is not supported; only torch.contiguous_format (the "
            "default, row-major order)"
        )
    return x if x._data.flags.c_contiguous else ew.Clone.apply(x)


def _view_strides(shape: tuple[int, ...], strides: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """Whether a tensor of `shape` and `strides` can be viewed as `new` without a copy: PyTorch's
    `computeStride`. Dims are merged or split only within a chunk of dims whose strides chain
    (stride[d] = stride[d+1] · size[d+1]); dims of size 1 never break a chunk."""
    if not shape or math.prod(shape) == 0:
        return True
    view_d = len(new) - 1
    chunk_base = strides[-1]
    tensor_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new[view_d] == 1):
                view_numel *= new[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return False
            if d > 0:
                chunk_base = strides[d - 1]
                tensor_numel = view_numel = 1
    return view_d == -1


def view_checked(input: Tensor, *shape: Any) -> Tensor:
    """PyTorch's `Tensor.view(*shape)`: the same elements with another shape (one size may be -1),
    as `reshape` (the Reshape gate) but only where the input's strides allow a view without a
    copy; a non-contiguous input (a transpose, a permutation, an expanded or strided slice) whose
    dims would have to be merged across their strides raises a ShapeError saying to use reshape."""
    x = _tensor("view", input)
    new = _infer("view", _sizes("view", shape), x.numel(), x.shape)
    if not _view_strides(x.shape, x._data.strides, new):
        raise ShapeError(
            f"view: view size is not compatible with input tensor's size and stride: the tensor of shape {x.shape} "
            f"with strides {tuple(s // x._data.itemsize for s in x._data.strides)} cannot be viewed as {new} "
            "without a copy (at least one dimension spans across two contiguous subspaces). Use .reshape(...) "
            "instead (or .contiguous().view(...))"
        )
    return x.reshape(new)


def view_as(input: Tensor, other: Tensor) -> Tensor:
    """`view_checked(input, other.shape)`: PyTorch's view, so it raises where a view is impossible."""
    x, other = _tensor("view_as", input), _tensor("view_as", other, "other")
    return view_checked(x, other.shape)


def reshape_as(input: Tensor, other: Tensor) -> Tensor:
    """`input.reshape(other.shape)` (the Reshape gate; a copy where a view is impossible)."""
    x, other = _tensor("reshape_as", input), _tensor("reshape_as", other, "other")
    if x.numel() != other.numel():
        raise ShapeError(
            f"reshape_as: cannot reshape a tensor of shape {x.shape} ({x.numel()} elements) as one of shape "
            f"{other.shape} ({other.numel()} elements)"
        )
    return x.reshape(other.shape)


def expand_as(input: Tensor, other: Tensor) -> Tensor:
    """`input.expand(other.shape)` (the Expand gate: the gradient is summed over the broadcast dims)."""
    x, other = _tensor("expand_as", input), _tensor("expand_as", other, "other")
    _check_expand("expand_as", x.shape, other.shape)
    return x.expand(other.shape)


def _check_expand(op: str, shape: tuple[int, ...], target: tuple[int, ...]) -> None:
    lead = len(target) - len(shape)
    if lead < 0 or any(s != 1 and s != t for s, t in zip(shape, target[lead:])):
        raise ShapeError(
            f"{op}: cannot expand a tensor of shape {shape} to {target}; each dim must match or be 1, and the "
            "target needs at least as many dims"
        )


@numpy_aliases
def narrow(input: Tensor, dim: int, start: Any, length: int) -> Tensor:
    """`input[..., start : start + length, ...]` along `dim` (the GetItem gate with a slice; a
    view). A negative `start` counts from the end; `start` may be a 0-d integer Tensor."""
    x = _tensor("narrow", input)
    if x.ndim == 0:
        raise ShapeError("narrow: cannot be applied to a 0-d tensor (shape ()); it has no dim to narrow")
    d = _dim("narrow", x.shape, dim)
    n = x.shape[d]
    begin, length = _int("narrow", start, "start"), _int("narrow", length, "length")
    if not -n <= begin <= n:
        raise IndexOutOfRange(
            f"narrow: start {begin} is out of range for dim {d} of size {n} (shape {x.shape}); expected a start in "
            f"[{-n}, {n}]"
        )
    if begin < 0:
        begin += n
    if length < 0:
        raise ShapeError(f"narrow: length must be non-negative, got {length}")
    if begin + length > n:
        raise ShapeError(
            f"narrow: start ({begin}) + length ({length}) exceeds the size {n} of dim {d} (shape {x.shape})"
        )
    return x[_along(x.ndim, d, slice(begin, begin + length))]


def squeeze_dims(input: Tensor, dim: Any) -> Tensor:
    """PyTorch's `squeeze(input, dim)` with `dim` an int or a tuple of ints: the dims among them
    of size 1 removed, the others kept (the Reshape gate). A 0-d tensor takes dim 0 or -1."""
    x = _tensor("squeeze", input)  # errors name PyTorch's squeeze, which this is
    dims = _distinct_dims("squeeze", x.shape, dim, "dim")
    return x.reshape(tuple(s for d, s in enumerate(x.shape) if not (d in dims and s == 1)))


@numpy_aliases
def unflatten(input: Tensor, dim: int, sizes: Sequence[int]) -> Tensor:
    """Dim `dim` split into `sizes` (one of them may be -1), the Reshape gate."""
    x = _tensor("unflatten", input)
    d = _dim("unflatten", x.shape, dim, scalar_ok=False)
    if not isinstance(sizes, (tuple, list)):
        raise ArgumentError(f"unflatten: sizes must be a tuple or list of ints, got {sizes!r}")
    sizes = _sizes("unflatten", (tuple(sizes),))
    if not sizes:
        raise ShapeError(f"unflatten: sizes must be non-empty (dim {d} of shape {x.shape})")
    try:
        sizes = _infer("unflatten", sizes, x.shape[d], (x.shape[d],))
    except ShapeError:
        raise ShapeError(
            f"unflatten: the sizes {sizes} do not multiply up to the size {x.shape[d]} of dim {d} of the input "
            f"of shape {x.shape}"
        ) from None
    return x.reshape(x.shape[:d] + sizes + x.shape[d + 1 :])


def movedim(input: Tensor, source: Any, destination: Any) -> Tensor:
    """The dims `source` moved to the positions `destination` (ints or tuples of one length),
    the others keeping their order (the Permute gate)."""
    x = _tensor("movedim", input)
    src = _distinct_dims("movedim", x.shape, source, "source")
    dst = _distinct_dims("movedim", x.shape, destination, "destination")
    if len(src) != len(dst):
        raise ShapeError(
            f"movedim: source {tuple(_dim_list('movedim', source))} and destination "
            f"{tuple(_dim_list('movedim', destination))} must have the same number of dims"
        )
    if x.ndim == 0:
        return x
    order: list[int | None] = [None] * x.ndim
    for s, t in zip(src, dst):
        order[t] = s
    rest = iter(d for d in range(x.ndim) if d not in src)
    return x.permute([next(rest) if o is None else o for o in order])


def swapaxes(input: Tensor, axis0: int, axis1: int) -> Tensor:
    """Two dims exchanged, PyTorch's `transpose` (the Permute gate)."""
    x = _tensor("swapaxes", input)
    return _swap("swapaxes", x, axis0, axis1)


def swapdims(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Two dims exchanged, PyTorch's `transpose` (the Permute gate)."""
    x = _tensor("swapdims", input)
    return _swap("swapdims", x, dim0, dim1)


def _swap(op: str, x: Tensor, a: Any, b: Any) -> Tensor:
    d0, d1 = _dim(op, x.shape, a), _dim(op, x.shape, b)
    if x.ndim == 0:
        return x
    order = list(range(x.ndim))
    order[d0], order[d1] = d1, d0
    return x.permute(order)


# ---- pieces ---------------------------------------------------------------------------------------


def _first_dim(op: str, x: Tensor, dim: Any) -> int:
    if x.ndim == 0:
        raise ShapeError(f"{op}: expects a tensor with at least 1 dim, got a 0-d tensor (shape ())")
    return _dim(op, x.shape, dim)


def _pieces(x: Tensor, d: int, sizes: Sequence[int]) -> tuple[Tensor, ...]:
    """x cut along dim d into consecutive pieces of `sizes` (GetItem slices: views)."""
    out, start = [], 0
    for s in sizes:
        out.append(x[_along(x.ndim, d, slice(start, start + s))])
        start += s
    return tuple(out)


@numpy_aliases
def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces along `dim`: of `split_size_or_sections` elements each (the last may be smaller) when
    it is an int, or of the given sizes, which must add up to the dim's size (GetItem slices)."""
    x = _tensor("split", tensor)
    d = _first_dim("split", x, dim)
    n = x.shape[d]
    if isinstance(split_size_or_sections, (tuple, list)):
        sections = [_int("split", s, "each section size") for s in split_size_or_sections]
        if any(s < 0 for s in sections) or sum(sections) != n:
            raise ShapeError(
                f"split: the section sizes {tuple(sections)} must be non-negative and add up to {n}, the size of "
                f"dim {d} of the input of shape {x.shape}"
            )
        return _pieces(x, d, sections)
    size = _int("split", split_size_or_sections, "split_size_or_sections (an int or a list of ints)")
    if size < 0 or (size == 0 and n):
        raise ShapeError(
            f"split: split_size must be positive (0 only for a dim of size 0), got {size} for dim {d} of size {n} "
            f"(shape {x.shape})"
        )
    if n == 0:
        return (x[_along(x.ndim, d, slice(0, 0))],)
    return _pieces(x, d, [min(size, n - start) for start in range(0, n, size)])


@numpy_aliases
def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most `chunks` pieces along `dim`, each of ⌈n / chunks⌉ elements but the last (so possibly
    fewer pieces, as PyTorch's); a dim of size 0 gives `chunks` empty pieces (GetItem slices)."""
    x = _tensor("chunk", input)
    d = _first_dim("chunk", x, dim)
    count = _int("chunk", chunks, "chunks")
    if count <= 0:
        raise ShapeError(f"chunk: chunks must be positive, got {count}")
    n = x.shape[d]
    if n == 0:
        return _pieces(x, d, [0] * count)
    return split(x, -(-n // count), d)


@numpy_aliases
def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices `input[..., i, ...]` along `dim`, that dim removed (GetItem with an integer)."""
    x = _tensor("unbind", input)
    d = _first_dim("unbind", x, dim)
    return tuple(x[_along(x.ndim, d, i)] for i in range(x.shape[d]))


# ---- copies ----------------------------------------------------------------------------------------


def flip(input: Tensor, *dims: Any) -> Tensor:
    """The order of the elements reversed along each of `dims`, distinct dims given as a tuple or
    list (`torch.flip(x, (0, 1))`) or one by one (`x.flip(0, 1)`): GetItem with the slice [::-1] on
    those dims, then the Clone gate: a copy of its own, as PyTorch's."""
    x = _tensor("flip", input)
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    ds = _distinct_dims("flip", x.shape, dims)
    if x.ndim == 0 or not ds:
        return ew.Clone.apply(x)
    return _own(x, x[tuple(slice(None, None, -1) if d in ds else slice(None) for d in range(x.ndim))])


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """The elements shifted by `shifts` along `dims`, those that fall off one end coming back at the
    other: per dim, `cat([x[n − s:], x[:n − s]])` (GetItem slices and the Cat gate). Without dims,
    the flattened tensor is rolled and given its shape back (the Reshape gate)."""
    x = _tensor("roll", input)
    shift_list = [_int("roll", s, "each shift") for s in _dim_list("roll", shifts, "shifts")]
    if dims is None:
        if len(shift_list) != 1:
            raise ShapeError(f"roll: without dims, shifts must be one int, got {tuple(shift_list)}")
        return _own(x, roll(x.reshape(-1), shift_list[0], 0).reshape(x.shape))
    dim_list = [_dim("roll", x.shape, d, scalar_ok=False) for d in _dim_list("roll", dims)]
    if len(shift_list) != len(dim_list):
        raise ShapeError(
            f"roll: shifts {tuple(shift_list)} and dims {tuple(dim_list)} must have the same length, one shift per dim"
        )
    out = x
    for s, d in zip(shift_list, dim_list):
        n = x.shape[d]
        s = s % n if n else 0
        if s:
            out = cat([out[_along(x.ndim, d, slice(n - s, None))], out[_along(x.ndim, d, slice(0, n - s))]], d)
    return _own(x, out)


def repeat(input: Tensor, *sizes: Any) -> Tensor:
    """The tensor repeated `sizes[i]` times along dim i (with leading dims added when there are more
    sizes than dims): each dim of size s gets a new dim of size 1 before it, expanded to r (the
    Expand gate), then the pairs are merged into r·s (the Reshape gate): a copy. The gradient sums
    the copies."""
    x = _tensor("repeat", input)
    reps = _sizes("repeat", sizes, "repeats")
    if len(reps) < x.ndim:
        raise ShapeError(
            f"repeat: {len(reps)} repeats {reps} for a tensor of shape {x.shape}; the number of repeats can not be "
            f"smaller than its {x.ndim} dims"
        )
    if any(r < 0 for r in reps):
        raise ShapeError(f"repeat: repeats must be non-negative, got {reps}")
    shape = (1,) * (len(reps) - x.ndim) + x.shape
    paired = tuple(v for s in shape for v in (1, s))
    expanded = tuple(v for r, s in zip(reps, shape) for v in (r, s))
    out = x.reshape(paired).expand(expanded).reshape(tuple(r * s for r, s in zip(reps, shape)))
    return _own(x, out)


def tile(input: Tensor, *dims: Any) -> Tensor:
    """`repeat` with `dims` given ones in front when there are fewer of them than the tensor's dims."""
    x = _tensor("tile", input)
    reps = _sizes("tile", dims, "dims")
    if any(r < 0 for r in reps):
        raise ShapeError(f"tile: dims must be non-negative, got {reps}")
    return repeat(x, (1,) * (x.ndim - len(reps)) + reps)


@numpy_aliases
def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *, output_size: Any = None) -> Tensor:
    """Each element (each slice along `dim`; of the flattened tensor if dim is None) repeated
    `repeats` times in place: GetItem with the integer index `np.repeat(arange(n), repeats)`, so
    the gradient sums the copies. `repeats` is an int or a 0-d or 1-d integer Tensor (one count
    per slice, or one count for all). `repeat_interleave(repeats)` alone, with a 1-d integer
    tensor, gives the indices `[0]·repeats[0] + [1]·repeats[1] + …` as PyTorch's."""
    x = _tensor("repeat_interleave", input)
    if repeats is None:
        if x.ndim != 1 or x.dtype.kind not in "iu":
            raise ShapeError(
                f"repeat_interleave: with one argument, it must be a 1-d integer tensor of repeats, got shape "
                f"{x.shape} and dtype {x.dtype}"
            )
        counts = _counts(x._data, x.shape[0])
        out = Tensor._wrap(np.repeat(np.arange(x.shape[0], dtype=np.int64), counts))
        _check_output_size(out, output_size)
        return out
    if dim is None:
        x, d = x.reshape(-1), 0
    else:
        d = _dim("repeat_interleave", x.shape, dim)
        if x.ndim == 0:
            x = x.reshape(1)
    n = x.shape[d]
    if isinstance(repeats, Tensor):
        if repeats.dtype.kind not in "iu" or repeats.ndim > 1:
            raise ArgumentError(
                f"repeat_interleave: a repeats tensor must be 0-d or 1-d of an integer dtype, got shape "
                f"{repeats.shape} and dtype {repeats.dtype}"
            )
        counts = repeats._data.reshape(-1)
        if counts.size not in (1, n):
            raise ShapeError(
                f"repeat_interleave: repeats has {counts.size} entries but dim {d} of the input has size {n} (shape "
                f"{x.shape}); expected {n} entries or one"
            )
    else:
        counts = np.asarray([_int("repeat_interleave", repeats, "repeats (an int or an integer Tensor)")])
    counts = _counts(np.broadcast_to(counts, (n,)), n)
    index = np.repeat(np.arange(n, dtype=np.int64), counts)
    out = x[_along(x.ndim, d, index)]
    _check_output_size(out if dim is None else Tensor._wrap(index), output_size)
    return out


def _counts(counts: np.ndarray, n: int) -> np.ndarray:
    if counts.size and counts.min() < 0:
        raise ShapeError(f"repeat_interleave: repeats must be non-negative, got {counts.tolist()}")
    return counts


def _check_output_size(out: Tensor, output_size: Any) -> None:
    if output_size is not None and _int("repeat_interleave", output_size, "output_size") != len(out):
        raise ShapeError(f"repeat_interleave: output_size {output_size} given, but the repeats total {len(out)}")


# ---- more of PyTorch's views and pieces ---------------------------------------------------------------


def ravel(input: Tensor) -> Tensor:
    """The elements as a 1-d tensor, `reshape(-1)` (the Reshape gate; a view where one exists)."""
    return _tensor("ravel", input).reshape(-1)


def moveaxis(input: Tensor, source: Any, destination: Any) -> Tensor:
    """`movedim` under NumPy's name (the Permute gate)."""
    return movedim(_tensor("moveaxis", input), source, destination)


@numpy_aliases
def select(input: Tensor, dim: int, index: int) -> Tensor:
    """The slice `input[..., index, ...]` along `dim`, that dim removed (GetItem with an integer; a
    view). A negative index counts from the end."""
    x = _tensor("select", input)
    if x.ndim == 0:
        raise IndexOutOfRange("select: cannot be applied to a 0-d tensor (shape ()); it has no dim to select from")
    d = _dim("select", x.shape, dim)
    i = _int("select", index, "index")
    n = x.shape[d]
    if not -n <= i < n:
        raise IndexOutOfRange(
            f"select: index {i} is out of range for dim {d} of size {n} (shape {x.shape}); expected an index in "
            f"[{-n}, {n - 1}]"
        )
    return x[_along(x.ndim, d, i % n)]


def fliplr(input: Tensor) -> Tensor:
    """`flip(input, 1)`: the columns in reverse order (a copy); at least 2 dims."""
    x = _tensor("fliplr", input)
    if x.ndim < 2:
        raise ShapeError(f"fliplr: the input must have at least 2 dims, got shape {x.shape}")
    return flip(x, 1)


def flipud(input: Tensor) -> Tensor:
    """`flip(input, 0)`: the rows in reverse order (a copy); at least 1 dim."""
    x = _tensor("flipud", input)
    if x.ndim < 1:
        raise ShapeError("flipud: the input must have at least 1 dim, got a 0-d tensor (shape ())")
    return flip(x, 0)


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
    """A rotation by k·90° in the plane of `dims` (from the first dim towards the second), as
    PyTorch: k = 1 is flip(dims[1]) then transpose, k = 2 flip both, k = 3 flip(dims[0]) then
    transpose (GetItem, Clone, Permute); k = 0 a copy."""
    x = _tensor("rot90", input)
    turns = _int("rot90", k, "k")
    pair = _dim_list("rot90", dims, "dims")
    if len(pair) != 2:
        raise ShapeError(f"rot90: expected exactly 2 rotation dims, got dims {tuple(pair)}")
    if x.ndim < 2:
        raise ShapeError(f"rot90: expected a tensor with at least 2 dims, got shape {x.shape}")
    d0, d1 = (_dim("rot90", x.shape, d) for d in pair)
    if d0 == d1:
        raise ShapeError(f"rot90: expected the rotation dims to be different, got dims {tuple(pair)}")
    turns %= 4
    if turns == 1:
        return _swap("rot90", flip(x, d1), d0, d1)
    if turns == 2:
        return flip(x, (d0, d1))
    if turns == 3:
        return _swap("rot90", flip(x, d0), d0, d1)
    return ew.Clone.apply(x)


def _split_points(op: str, value: Any) -> int | list[int]:
    """tensor_split's `indices_or_sections`: an int (or a 0-d integer tensor) of sections, or a
    list (a tuple, a 1-d integer tensor) of indices."""
    if isinstance(value, Tensor):
        if value.dtype.kind not in "iu" or value.ndim > 1:
            raise ArgumentError(
                f"{op}: a tensor of indices_or_sections must be a 0-d or 1-d integer tensor, got shape {value.shape} "
                f"and dtype {value.dtype}"
            )
        return int(value.item()) if value.ndim == 0 else [int(i) for i in value._data]
    if isinstance(value, (tuple, list)):
        return [_int(op, i, "each index") for i in value]
    return _int(op, value, "indices_or_sections (an int or a list of ints)")


def _tensor_split(op: str, x: Tensor, points: int | list[int], d: int) -> tuple[Tensor, ...]:
    n = x.shape[d]
    if isinstance(points, int):
        if points <= 0:
            raise ShapeError(f"{op}: the number of sections must be positive, got {points}")
        size, extra = divmod(n, points)
        return _pieces(x, d, [size + 1] * extra + [size] * (points - extra))
    bounds = [0, *points, n]
    out = []
    for start, stop in zip(bounds, bounds[1:]):
        out.append(x[_along(x.ndim, d, slice(start, stop))])
    return tuple(out)


@numpy_aliases
def tensor_split(input: Tensor, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces along `dim` (GetItem slices: views): `indices_or_sections` an int s gives s pieces,
    the first n mod s of them one element longer; a list of indices i₀, i₁, … gives
    x[:i₀], x[i₀:i₁], …, x[iₖ:] (Python slices: an index past the end gives empty pieces)."""
    x = _tensor("tensor_split", input)
    if x.ndim == 0:
        raise ShapeError("tensor_split: expected a tensor with at least 1 dim, got a 0-d tensor (shape ())")
    d = _dim("tensor_split", x.shape, dim)
    return _tensor_split("tensor_split", x, _split_points("tensor_split", indices_or_sections), d)


def _nsplit(op: str, input: Any, indices_or_sections: Any, least: int, dim: int) -> tuple[Tensor, ...]:
    x = _tensor(op, input)
    if x.ndim < least:
        raise ShapeError(f"{op}: expected a tensor with at least {least} dim(s), got shape {x.shape}")
    points = _split_points(op, indices_or_sections)
    if isinstance(points, int) and (points <= 0 or x.shape[dim] % points):
        raise ShapeError(
            f"{op}: cannot split dim {dim} of size {x.shape[dim]} (shape {x.shape}) into {points} equal sections; "
            "the size must be divisible by the number of sections"
        )
    return _tensor_split(op, x, points, dim)


def hsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """`tensor_split` along dim 1 (dim 0 of a 1-d tensor); an int must divide that dim evenly."""
    x = _tensor("hsplit", input)
    return _nsplit("hsplit", x, indices_or_sections, 1, 1 if x.ndim > 1 else 0)


def vsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """`tensor_split` along dim 0 of a tensor of at least 2 dims; an int must divide it evenly."""
    return _nsplit("vsplit", input, indices_or_sections, 2, 0)


def dsplit(input: Tensor, indices_or_sections: Any) -> tuple[Tensor, ...]:
    """`tensor_split` along dim 2 of a tensor of at least 3 dims; an int must divide it evenly."""
    return _nsplit("dsplit", input, indices_or_sections, 3, 2)


def take(input: Tensor, index: Tensor) -> Tensor:
    """The elements of the flattened input at the int64 `index` (negative from the end), in the
    index's shape: `input.reshape(-1)[index]` (Reshape and GetItem: the gradient adds up where an
    index repeats)."""
    x, i = _tensor("take", input), _tensor("take", index, "index")
    if i.dtype != np.int64:
        raise DTypeError(f"take: expected an int64 (long) tensor as index, got dtype {i.dtype}")
    n = x.numel()
    a = i._data
    if a.size and not ((a >= -n) & (a < n)).all():
        bad = a[~((a >= -n) & (a < n))].reshape(-1)[0]
        raise IndexOutOfRange(f"take: index {bad} is out of range for a tensor of {n} elements (shape {x.shape})")
    return x.reshape(-1)[np.where(a < 0, a + n, a)]


def adjoint(input: Tensor) -> Tensor:
    """The conjugate transpose of the last two dims, for the engine's real dtypes the transpose `mT`
    (the Permute gate; a view). At least 2 dims."""
    x = _tensor("adjoint", input)
    if x.ndim < 2:
        raise ShapeError(f"adjoint: only supported on matrices or batches of matrices, got shape {x.shape}")
    return x.mT


__all__ = [
    "contiguous", "view_as", "reshape_as", "expand_as", "repeat", "repeat_interleave", "tile", "chunk",
    "split", "unbind", "flip", "roll", "narrow", "movedim", "swapaxes", "swapdims", "squeeze_dims",
    "unflatten", "view_checked", "ravel", "moveaxis", "select", "fliplr", "flipud", "rot90", "tensor_split",
    "hsplit", "vsplit", "dsplit", "take", "adjoint",
]  # fmt: skip
