"""PyTorch's reductions and scans, with PyTorch's names, signatures, return types and gradients.

Each is a function of its input tensor first (`reductions.cumsum(x, 0)`, as `torch.cumsum`), which
`autograd` also binds as the Tensor method of the same name. The scans (cumsum, cumprod,
logcumsumexp) and prod are gates of `autograd/gates/scan.py`; sort, topk, kthvalue, median,
cummax and cummin compute their int64 indices in NumPy and gather the values with the
`TakeAlongDim` gate, so the values' gradient goes to the selected elements. The rest are
compositions of Tensor operations (var/std, the norms, nansum/nanmean, diff) or results outside the
graph (argsort, unique, bincount, histc, count_nonzero).

Where this differs from PyTorch:

- Ties. sort is always stable (`stable=False` too), equal elements keeping their order (in
  descending order as well); topk, kthvalue and median pick among tied elements in that order, so
  their indices agree with PyTorch's on inputs without ties, and may differ with ties, which
  PyTorch leaves unspecified. cummax/cummin take the latest of tied extremes, as PyTorch does.
- `topk(sorted=False)` and `unique(sorted=False)` still return sorted results (PyTorch's order is
  unspecified there).
- matrix_norm's ord=±2 (the extreme singular value) is once differentiable: a second derivative
  raises. ord="nuc" is not supported.
- vector_norm's ord=0 (the count of nonzeros) is outside the graph: no gradient (PyTorch's is 0).
- bincount's weights get a gradient (the counts scattered back), which PyTorch does not implement.
- median and kthvalue of an empty tensor raise a ShapeError (PyTorch's global median gives NaN).
"""

from __future__ import annotations

import math
import warnings
from numbers import Real
from typing import Any, NamedTuple

import numpy as np

from .errors import ArgumentError, DomainError, DTypeError, IndexOutOfRange, ShapeError
from .functional import cat, where
from .gates import scan
from .gates import shape as shp
from .tensor import Dim, Tensor, ValuesIndices, normalize_dim, normalize_dims, numpy_aliases

INT64 = np.dtype(np.int64)


# ---- argument helpers ------------------------------------------------------------------------
def _tensor(op: str, x: Any) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (tuple, list, np.ndarray, np.generic, int, float, bool)):
        return Tensor(x)
    raise ArgumentError(f"{op}: expected a Tensor as input, got {type(x).__name__}")


def _cast(x: Tensor, dtype: Any) -> Tensor:
    return x if dtype is None else x.to(dtype)


def _integral(x: Tensor) -> bool:
    return x.dtype.kind in "biu"


def _floating(op: str, x: Tensor) -> None:
    if x.dtype.kind != "f":
        raise DTypeError(
            f"{op}: expected a floating-point input, got dtype {x.dtype}; convert it first, e.g. .double()"
        )


def _one_dim(op: str, x: Tensor, dim: Any) -> int:
    """One dim of `x` (of a 0-d tensor: 0 or -1, as PyTorch allows, given back as 0)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise ArgumentError(f"{op}: dim must be an int, got {dim!r}")
    if x.ndim == 0:
        if dim not in (0, -1):
            raise ShapeError(f"{op}: dim {dim} is out of range for a 0-d tensor (expected 0 or -1)")
        return 0
    return normalize_dim(op, x.ndim, int(dim))


def _vector(x: Tensor) -> Tensor:
    """A 0-d tensor as a 1-element vector (the scans and sorts see one dim); others as they are."""
    return x.reshape(1) if x.ndim == 0 else x


def _like(t: Tensor, x: Tensor) -> Tensor:
    """A result of `_vector(x)` back in the shape of a 0-d `x`."""
    return t.reshape(()) if x.ndim == 0 else t


def _kept(shape: tuple[int, ...], dims: tuple[int, ...]) -> tuple[int, ...]:
    return tuple([1 if d in dims else s for d, s in enumerate(shape)])


def _count(shape: tuple[int, ...], dims: tuple[int, ...]) -> int:
    return int(np.prod([shape[d] for d in dims]))


def _take(x: Tensor, index: np.ndarray, dim: int) -> Tensor:
    return scan.TakeAlongDim.apply(x, index=index.astype(INT64, copy=False), dim=dim)


def _wrap(array: Any, dtype: Any = None) -> Tensor:
    a = np.asarray(array)
    return Tensor._wrap(a if dtype is None else a.astype(dtype, copy=False))


# ---- products and scans ----------------------------------------------------------------------
@numpy_aliases
def prod(input: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Product over `dim` (all if None). Integer and bool inputs give int64, as in PyTorch. Zeros
    get PyTorch's gradient: the product of the other elements."""
    x = _cast(_tensor("prod", input), dtype)
    dims = normalize_dims("prod", x.ndim, dim)
    if _integral(x):
        return _wrap(x._data.prod(axis=dims, keepdims=keepdim, dtype=INT64))
    return scan.Prod.apply(x, dims=dims, keepdim=bool(keepdim))


def _scan(op: str, gate: Any, numpy: Any, input: Tensor, dim: Any, dtype: Any) -> Tensor:
    x = _cast(_tensor(op, input), dtype)
    d = _one_dim(op, x, dim)
    v = _vector(x)
    if _integral(x):
        return _like(_wrap(numpy(v._data, axis=d, dtype=INT64)), x)
    return _like(gate.apply(v, dim=d), x)


@numpy_aliases
def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative sum along `dim`; integer and bool inputs give int64."""
    return _scan("cumsum", scan.Cumsum, np.cumsum, input, dim, dtype)


@numpy_aliases
def cumprod(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative product along `dim`; integer and bool inputs give int64. The gradient is right
    with zeros in the input (PyTorch's)."""
    return _scan("cumprod", scan.Cumprod, np.cumprod, input, dim, dtype)


@numpy_aliases
def logcumsumexp(input: Tensor, dim: int) -> Tensor:
    """log(cumsum(exp(x))) along `dim`, computed stably (floating inputs)."""
    x = _tensor("logcumsumexp", input)
    _floating("logcumsumexp", x)
    d = _one_dim("logcumsumexp", x, dim)
    return _like(scan.LogCumSumExp.apply(_vector(x), dim=d), x)


def _cumextreme(op: str, input: Tensor, dim: int, accumulate: Any) -> ValuesIndices:
    x = _tensor(op, input)
    d = _one_dim(op, x, dim)
    v = _vector(x)
    a = v._data
    n = a.shape[d]
    shape = [1] * a.ndim
    shape[d] = n
    positions = np.broadcast_to(np.arange(n).reshape(shape), a.shape)
    if a.size == 0:
        index = np.zeros(a.shape, INT64)
    else:
        running = accumulate.accumulate(a, axis=d)
        # The latest position holding the running extreme: ties go to the later one, as in PyTorch.
        index = np.maximum.accumulate(np.where(a == running, positions, 0), axis=d)
        if a.dtype.kind == "f":  # the first NaN sticks, value and index
            nan_at = np.minimum.accumulate(np.where(np.isnan(a), positions, n), axis=d)
            index = np.where(nan_at < n, nan_at, index)
    values = _take(v, index, d)
    return ValuesIndices(_like(values, x), _like(_wrap(index, INT64), x))


@numpy_aliases
def cummax(input: Tensor, dim: int) -> ValuesIndices:
    """Running maximum along `dim`: `(values, indices)`, the index of the latest of tied maxima."""
    return _cumextreme("cummax", input, dim, np.maximum)


@numpy_aliases
def cummin(input: Tensor, dim: int) -> ValuesIndices:
    """Running minimum along `dim`: `(values, indices)`, the index of the latest of tied minima."""
    return _cumextreme("cummin", input, dim, np.minimum)


# ---- sorting and selection -------------------------------------------------------------------
def _argsort(a: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """Stable argsort along `dim`; descending keeps equal elements in their order too (sorting the
    reversed array ascending and reversing back). NaN sorts as the largest value, as in PyTorch."""
    if not descending:
        return np.argsort(a, axis=dim, kind="stable").astype(INT64, copy=False)
    n = a.shape[dim]
    rev = np.flip(np.argsort(np.flip(a, dim), axis=dim, kind="stable"), dim)
    return (n - 1 - rev).astype(INT64)


@numpy_aliases
def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> ValuesIndices:
    """`(values, indices)` sorted along `dim`. Always stable: equal elements keep their order."""
    return _sort("sort", input, dim, descending)


def _sort(op: str, input: Tensor, dim: Any, descending: Any) -> ValuesIndices:
    x = _tensor(op, input)
    d = _one_dim(op, x, dim)
    v = _vector(x)
    index = _argsort(v._data, d, bool(descending))
    return ValuesIndices(_like(_take(v, index, d), x), _like(_wrap(index), x))


@numpy_aliases
def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The int64 indices that sort `input` along `dim` (stably)."""
    return _sort("argsort", input, dim, descending).indices


def msort(input: Tensor) -> Tensor:
    """`input` sorted along its first dim (the values of `sort(input, 0)`)."""
    return _sort("msort", input, 0, False).values


def _select_k(op: str, x: Tensor, k: Any, d: int, low: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ArgumentError(f"{op}: k must be an int, got {k!r}")
    n = x.shape[d] if x.ndim else 1
    if not low <= k <= n:
        raise IndexOutOfRange(f"{op}: k={k} is out of range for dim {d} of size {n}; expected {low} ≤ k ≤ {n}")
    return int(k)


def _slice(a: np.ndarray, d: int, start: int, stop: int) -> np.ndarray:
    return a[(slice(None),) * d + (slice(start, stop),)]


@numpy_aliases
def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:
    """The `k` largest (or smallest) elements along `dim` as `(values, indices)`, in sorted order
    (also for `sorted=False`); among ties the earlier element comes first."""
    x = _tensor("topk", input)
    d = _one_dim("topk", x, dim)
    k = _select_k("topk", x, k, d, 0)
    v = _vector(x)
    index = _slice(_argsort(v._data, d, bool(largest)), d, 0, k)
    return ValuesIndices(_like(_take(v, index, d), x), _like(_wrap(index), x))


def _kth(op: str, v: Tensor, d: int, index: np.ndarray, keepdim: bool) -> ValuesIndices:
    values = _take(v, index, d)
    if not keepdim:
        values, index = values.squeeze(d), np.squeeze(index, d)
    return ValuesIndices(values, _wrap(index, INT64))


@numpy_aliases
def kthvalue(input: Tensor, k: int, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """The k-th smallest element (k from 1) along `dim` as `(values, indices)`."""
    x = _tensor("kthvalue", input)
    d = _one_dim("kthvalue", x, dim)
    k = _select_k("kthvalue", x, k, d, 1)
    v = _vector(x)
    index = _slice(_argsort(v._data, d, False), d, k - 1, k)
    out = _kth("kthvalue", v, d, index, bool(keepdim) or x.ndim == 0)
    return ValuesIndices(_like(out.values, x), _like(out.indices, x)) if x.ndim == 0 else out


@numpy_aliases
def median(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor | ValuesIndices:
    """The lower median (of an even count, the smaller of the middle two). Without `dim`, of all
    elements (a 0-d tensor); with `dim`, `(values, indices)`. A slice holding NaN gives NaN (the
    first NaN's index), as in PyTorch. The gradient goes to the selected element."""
    x = _tensor("median", input)
    if dim is None:
        if x._data.size == 0:
            raise ShapeError(f"median: cannot take the median of an empty tensor (shape {x.shape})")
        return median(x.reshape(-1), 0).values.reshape(())
    d = _one_dim("median", x, dim)
    v = _vector(x)
    a = v._data
    n = a.shape[d]
    if n == 0:
        raise ShapeError(f"median: cannot take the median over dim {d} of size 0 (input shape {x.shape})")
    index = _slice(_argsort(a, d, False), d, (n - 1) // 2, (n - 1) // 2 + 1)
    if a.dtype.kind == "f":
        nan = np.isnan(a)
        has_nan = nan.any(axis=d, keepdims=True)
        index = np.where(has_nan, np.argmax(nan, axis=d, keepdims=True), index)
    out = _kth("median", v, d, index, bool(keepdim) or x.ndim == 0)
    return ValuesIndices(_like(out.values, x), _like(out.indices, x)) if x.ndim == 0 else out


# ---- NaN-ignoring sums and means -------------------------------------------------------------
@numpy_aliases
def nansum(input: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum treating NaN as 0 (integer and bool inputs give int64); NaNs get a zero gradient."""
    x = _cast(_tensor("nansum", input), dtype)
    dims = normalize_dims("nansum", x.ndim, dim)
    if _integral(x):
        return _wrap(x._data.sum(axis=dims, keepdims=keepdim, dtype=INT64))
    return where(np.isnan(x._data), 0.0, x).sum(dims, bool(keepdim))


@numpy_aliases
def nanmean(input: Tensor, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean of the non-NaN elements (NaN where there are none); floating inputs only."""
    x = _cast(_tensor("nanmean", input), dtype)
    _floating("nanmean", x)
    dims = normalize_dims("nanmean", x.ndim, dim)
    count = (~np.isnan(x._data)).sum(axis=dims, keepdims=bool(keepdim)).astype(x.dtype)
    total = nansum(x, dims, keepdim)
    # No element left: NaN, and a NaN gradient, as PyTorch's 0/0 (dividing by NaN raises no warning).
    return total / _wrap(np.where(count == 0, np.nan, count).astype(x.dtype))


# ---- variance and standard deviation ---------------------------------------------------------
def _correction(op: str, dim: Any, unbiased: Any, correction: Any) -> tuple[Any, float]:
    if isinstance(dim, bool):  # var(x, False): PyTorch's var(input, unbiased) overload
        dim, unbiased = None, dim if unbiased is None else unbiased
    if unbiased is not None and correction is not None:
        raise ArgumentError(f"{op}: pass either unbiased or correction, not both")
    if correction is None:
        return dim, 1.0 if unbiased is None else float(bool(unbiased))
    if isinstance(correction, bool) or not isinstance(correction, Real):
        raise ArgumentError(f"{op}: correction must be a number, got {correction!r}")
    return dim, float(correction)


@numpy_aliases
def var(
    input: Tensor,
    dim: Dim = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """Σ (x − mean)² / max(0, N − correction) over `dim`; `correction=1` (Bessel's) by default,
    `unbiased=False` for 0. No degrees of freedom left gives NaN (or inf), as in PyTorch."""
    return _var("var", input, dim, unbiased, keepdim, correction)


def _var(op: str, input: Tensor, dim: Any, unbiased: Any, keepdim: Any, correction: Any) -> Tensor:
    x = _tensor(op, input)
    _floating(op, x)
    dim, c = _correction(op, dim, unbiased, correction)
    dims = normalize_dims(op, x.ndim, dim)
    n = _count(x.shape, dims)
    centred = x - x.mean(dims, keepdim=True) if n else x
    squares = (centred * centred).sum(dims, bool(keepdim))
    dof = max(0.0, n - c)
    if dof > 0:
        return squares * (1.0 / dof)
    with np.errstate(invalid="ignore", divide="ignore"):
        return squares / Tensor._wrap(np.zeros((), x.dtype))


@numpy_aliases
def std(
    input: Tensor,
    dim: Dim = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> Tensor:
    """The square root of `var` (same arguments)."""
    return _var("std", input, dim, unbiased, keepdim, correction).sqrt()


@numpy_aliases
def var_mean(
    input: Tensor,
    dim: Dim = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> tuple[Tensor, Tensor]:
    """`(var, mean)` over `dim`, as torch.var_mean."""
    return _var_mean("var_mean", input, dim, unbiased, keepdim, correction)


def _var_mean(op: str, input: Tensor, dim: Any, unbiased: Any, keepdim: Any, correction: Any) -> tuple[Tensor, Tensor]:
    x = _tensor(op, input)
    v = _var(op, x, dim, unbiased, keepdim, correction)
    d, _ = _correction(op, dim, unbiased, correction)
    return v, x.mean(normalize_dims(op, x.ndim, d), bool(keepdim))


@numpy_aliases
def std_mean(
    input: Tensor,
    dim: Dim = None,
    unbiased: bool | None = None,
    keepdim: bool = False,
    *,
    correction: float | None = None,
) -> tuple[Tensor, Tensor]:
    """`(std, mean)` over `dim`, as torch.std_mean."""
    v, m = _var_mean("std_mean", input, dim, unbiased, keepdim, correction)
    return v.sqrt(), m


# ---- norms -----------------------------------------------------------------------------------
def _root(s: Tensor, p: float) -> Tensor:
    """s^(1/p), with the gradient 0 (not NaN) where s = 0: PyTorch's subgradient at a zero vector."""
    zero = s._data == 0
    if not zero.any():
        return s ** (1.0 / p)
    return where(zero, 0.0, where(zero, 1.0, s) ** (1.0 / p))


@numpy_aliases
def vector_norm(x: Tensor, ord: float = 2, dim: Dim = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """(Σ |x|^ord)^(1/ord) over `dim` (all if None); ord=inf / -inf the largest / smallest |x|
    (ties share the gradient evenly), ord=0 the count of nonzeros (no gradient)."""
    x = _cast(_tensor("vector_norm", x), dtype)
    _floating("vector_norm", x)
    if isinstance(ord, bool) or not isinstance(ord, Real):
        raise ArgumentError(f"vector_norm: ord must be a number (2, 1, inf, -inf, 0 or another float), got {ord!r}")
    dims = normalize_dims("vector_norm", x.ndim, dim)
    keepdim = bool(keepdim)
    p = float(ord)
    if p == math.inf:
        return x.abs().amax(dims, keepdim)
    if p == -math.inf:
        return x.abs().amin(dims, keepdim)
    if p == 0:
        return _wrap((x._data != 0).sum(axis=dims, keepdims=keepdim), x.dtype)
    if p == 1:
        return x.abs().sum(dims, keepdim)
    if p == 2:
        return _root((x * x).sum(dims, keepdim), 2.0)
    return _root((x.abs() ** p).sum(dims, keepdim), p)


@numpy_aliases
def matrix_norm(
    A: Tensor, ord: Any = "fro", dim: tuple[int, int] = (-2, -1), keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """The norm of the matrices over the two dims `dim`: "fro" (Frobenius), 1 / -1 (largest /
    smallest column abs sum), inf / -inf (row abs sum), 2 / -2 (largest / smallest singular value,
    once differentiable)."""
    A = _cast(_tensor("matrix_norm", A), dtype)
    _floating("matrix_norm", A)
    if A.ndim < 2:
        raise ShapeError(f"matrix_norm: expected a tensor with at least 2 dims, got shape {A.shape}")
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise ShapeError(f"matrix_norm: dim must be a pair of dims, got {dim!r}")
    d0, d1 = (normalize_dim("matrix_norm", A.ndim, d) for d in dim)
    if d0 == d1:
        raise ShapeError(f"matrix_norm: dim {tuple(dim)} names the same dim twice")
    keepdim = bool(keepdim)
    both = tuple(sorted((d0, d1)))
    if isinstance(ord, str):
        if ord != "fro":
            raise DomainError(f"matrix_norm: ord {ord!r} is not supported; expected 'fro', 1, -1, 2, -2, inf or -inf")
        return vector_norm(A, 2, both, keepdim)
    if isinstance(ord, bool) or not isinstance(ord, Real) or float(ord) not in (1, -1, 2, -2, math.inf, -math.inf):
        raise DomainError(f"matrix_norm: ord {ord!r} is not supported; expected 'fro', 1, -1, 2, -2, inf or -inf")
    p = float(ord)
    if abs(p) == 2:
        others = [d for d in range(A.ndim) if d not in both]
        moved = A.permute(others + [d0, d1])
        out = scan.SingularValue.apply(moved, largest=p > 0)
        return out.reshape(_kept(A.shape, both)) if keepdim else out
    summed, over = (d0, d1) if abs(p) == 1 else (d1, d0)  # 1: column sums (over d0), max over d1
    sums = A.abs().sum(summed, keepdim=True)
    out = sums.amax(over, keepdim=True) if p > 0 else sums.amin(over, keepdim=True)
    return out if keepdim else out.squeeze(both)


@numpy_aliases
def norm(input: Tensor, p: Any = "fro", dim: Dim = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
    """torch.norm: p="fro" over at most two dims is the 2-norm of those elements; another string
    p is a matrix norm; a number p is `vector_norm` over `dim` (all if None)."""
    x = _tensor("norm", input)
    if isinstance(p, str):
        if p == "fro" and (dim is None or isinstance(dim, (int, np.integer)) or len(dim) <= 2):
            return vector_norm(x, 2, dim, keepdim, dtype=dtype)
        return matrix_norm(x, p, tuple(range(x.ndim)) if dim is None else dim, keepdim, dtype=dtype)
    return vector_norm(x, 2 if p is None else p, dim, keepdim, dtype=dtype)


# ---- counting --------------------------------------------------------------------------------
@numpy_aliases
def count_nonzero(input: Tensor, dim: Dim = None) -> Tensor:
    """The int64 number of nonzero elements over `dim` (all if None)."""
    x = _tensor("count_nonzero", input)
    dims = normalize_dims("count_nonzero", x.ndim, dim)
    return _wrap((x._data != 0).sum(axis=dims), INT64)


@numpy_aliases
def unique(
    input: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Tensor | tuple[Tensor, ...]:
    """The distinct elements (or, with `dim`, the distinct slices along `dim`), sorted; with
    `return_inverse` the int64 index of each input element (slice) in them, with `return_counts`
    how often each occurs. Outside the graph, as in PyTorch; NaNs are each distinct."""
    x = _tensor("unique", input)
    a = x._data
    if dim is None:
        out = np.unique(a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
        values, inverse, counts = out
        inverse = inverse.reshape(a.shape)
    else:
        d = _one_dim("unique", x, dim)
        if a.ndim == 0:
            raise ShapeError("unique: a 0-d tensor has no dim to take unique slices along")
        values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=d)
        inverse = inverse.reshape(-1)
    result = [_wrap(values, a.dtype)]
    if return_inverse:
        result.append(_wrap(inverse, INT64))
    if return_counts:
        result.append(_wrap(counts, INT64))
    return result[0] if len(result) == 1 else tuple(result)


def bincount(input: Tensor, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, … occurs in the 1-d non-negative integer `input` (int64), or the
    sum of `weights` at each (in the weights' float dtype, float64 for integer weights). The length
    is max(input) + 1, at least `minlength`."""
    x = _tensor("bincount", input)
    if x.dtype.kind not in "iu":
        raise DTypeError(f"bincount: expected a tensor of non-negative integers, got dtype {x.dtype}")
    if x.ndim != 1:
        raise ShapeError(f"bincount: expected a 1-d tensor, got shape {x.shape}")
    if isinstance(minlength, bool) or not isinstance(minlength, (int, np.integer)) or minlength < 0:
        raise DomainError(f"bincount: minlength must be a non-negative int, got {minlength!r}")
    a = x._data
    if a.size and a.min() < 0:
        raise DomainError(f"bincount: expected non-negative values, got {a.min()}")
    length = max(int(a.max()) + 1 if a.size else 0, int(minlength))
    if weights is None or a.size == 0:  # PyTorch: an empty input counts int64 zeros, weights or not
        return _wrap(np.bincount(a, minlength=length), INT64)
    w = _tensor("bincount", weights)
    if w.shape != a.shape:
        raise ShapeError(f"bincount: weights must have the input's shape {a.shape}, got {w.shape}")
    if w.dtype.kind != "f":
        w = w.to(np.float64)
    return shp.ScatterAdd.apply(w, index=(a.astype(np.intp),), shape=(length,))


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:
    """A histogram of `bins` equal-width bins between `min` and `max` (the data's own range when
    they are equal), in the input's float dtype; elements outside are ignored, the last bin includes
    `max`. Outside the graph, as in PyTorch."""
    x = _tensor("histc", input)
    _floating("histc", x)
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins <= 0:
        raise DomainError(f"histc: bins must be a positive int, got {bins!r}")
    lo, hi = float(min), float(max)
    if lo > hi:
        raise DomainError(f"histc: max ({hi}) must be at least min ({lo})")
    a = x._data
    if lo == hi and a.size:
        lo, hi = float(a.min()), float(a.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise DomainError(f"histc: range of values [{lo}, {hi}] is not finite")
    edges = np.linspace(lo, hi, int(bins) + 1).astype(a.dtype)
    flat = a.reshape(-1)
    inside = flat[(flat >= edges[0]) & (flat <= edges[-1])]
    pos = np.clip(np.searchsorted(edges, inside, side="right") - 1, 0, int(bins) - 1)
    return _wrap(np.bincount(pos, minlength=int(bins)), a.dtype)


# ---- differences -----------------------------------------------------------------------------
def _along(op: str, x: Tensor, extra: Any, d: int, where_: str) -> Tensor:
    t = _tensor(op, extra)
    if t.ndim == 0:
        t = t.reshape(_kept(x.shape, (d,))).broadcast_to(_kept(x.shape, (d,)))
    if t.ndim != x.ndim or any(s != u for i, (s, u) in enumerate(zip(t.shape, x.shape)) if i != d):
        raise ShapeError(
            f"{op}: {where_} of shape {t.shape} does not fit an input of shape {x.shape}: "
            f"all dims but dim {d} must match"
        )
    return t


@numpy_aliases
def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
    """The n-th forward difference x[i+1] − x[i] along `dim`, after joining `prepend` and `append`
    to `input` there (bool inputs: x[i+1] xor x[i])."""
    x = _tensor("diff", input)
    if x.ndim == 0:
        raise ShapeError("diff: expected a tensor with at least 1 dim, got a 0-d tensor")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise DomainError(f"diff: the order n must be a non-negative int, got {n!r}")
    d = _one_dim("diff", x, dim)
    parts = [x]
    if prepend is not None:
        parts.insert(0, _along("diff", x, prepend, d, "prepend"))
    if append is not None:
        parts.append(_along("diff", x, append, d, "append"))
    if len(parts) > 1:
        if x.dtype == np.bool_:
            x = _wrap(np.concatenate([p._data.astype(bool) for p in parts], axis=d))
        else:
            x = cat(parts, d)
    head = (slice(None),) * d
    for _ in range(int(n)):
        if x.shape[d] == 0:
            break
        later, earlier = head + (slice(1, None),), head + (slice(None, -1),)
        if x.dtype == np.bool_:
            x = _wrap(x._data[later] ^ x._data[earlier])
        else:
            x = x[later] - x[earlier]
    return x


# ---- quantiles, modes, extremes --------------------------------------------------------------
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile_q(op: str, x: Tensor, q: Any) -> tuple[np.ndarray, bool]:
    """q as a 1-d float array in x's dtype, and whether it was a scalar (a number or a 0-d tensor)."""
    if isinstance(q, Tensor):
        if q.dtype != x.dtype:
            raise DTypeError(f"{op}: the q tensor must have the input's dtype {x.dtype}, got {q.dtype}")
        if q.ndim > 1:
            raise ShapeError(f"{op}: q must be a number or a 0-d or 1-d tensor, got shape {q.shape}")
        values, scalar = q._data.reshape(-1), q.ndim == 0
    elif isinstance(q, Real) and not isinstance(q, bool):
        values, scalar = np.array([q], dtype=x.dtype), True
    else:
        raise ArgumentError(f"{op}: q must be a float or a tensor of floats, got {q!r}")
    if values.size and not ((values >= 0) & (values <= 1)).all():
        bad = values[~((values >= 0) & (values <= 1))][0]
        raise DomainError(f"{op}: q values must be in the range [0, 1], got {bad}")
    return values, scalar


def _quantile(op: str, input: Any, q: Any, dim: Any, keepdim: Any, interpolation: Any, ignore_nan: bool) -> Tensor:
    x = _tensor(op, input)
    _floating(op, x)
    qs, scalar = _quantile_q(op, x, q)
    if not isinstance(interpolation, str) or interpolation not in _INTERPOLATIONS:
        raise ArgumentError(
            f"{op}: interpolation must be one of linear, lower, higher, midpoint or nearest, got {interpolation!r}"
        )
    if x._data.size == 0:
        raise ShapeError(f"{op}: the input must be non-empty, got shape {x.shape}")
    if dim is None:
        v, d = x.reshape(-1), 0
        kept = (1,) * x.ndim
    else:
        d = _one_dim(op, x, dim)
        v = _vector(x)
        kept = _kept(v.shape, (d,))
        if x.ndim == 0:
            kept = ()
    moved = v.movedim(d, -1) if v.ndim > 1 else v  # the reduced dim last: (..., n)
    a = moved._data
    n = a.shape[-1]
    order = np.argsort(a, axis=-1, kind="stable")  # NaN last, as PyTorch's sort
    nan = np.isnan(a)
    if ignore_nan:
        valid = (n - nan.sum(axis=-1, keepdims=True)).astype(x.dtype)
        ranks = qs * np.maximum(valid - 1, 0)  # (..., Q); all NaN: rank 0, a NaN, as PyTorch
    else:
        ranks = np.broadcast_to(qs * (n - 1), a.shape[:-1] + (qs.size,)).astype(x.dtype)
        ranks = np.where(nan.any(axis=-1, keepdims=True), n - 1, ranks)  # any NaN: the last (a NaN)
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)  # halves to even, as PyTorch's round
    below = np.floor(ranks).astype(INT64)
    above = np.minimum(np.ceil(ranks), n - 1).astype(INT64)
    lo = _take(moved, np.take_along_axis(order, below, axis=-1), moved.ndim - 1)
    if interpolation in ("lower", "higher", "nearest"):
        out = lo
    else:
        hi = _take(moved, np.take_along_axis(order, above, axis=-1), moved.ndim - 1)
        weight = np.full(ranks.shape, 0.5, x.dtype) if interpolation == "midpoint" else (ranks - below).astype(x.dtype)
        out = _lerp(lo, hi, weight)
    out = out.movedim(-1, 0)  # (Q, ...)
    if keepdim:
        out = out.reshape((qs.size,) + kept)
    return out.reshape(out.shape[1:]) if scalar else out


def _lerp(lo: Tensor, hi: Tensor, weight: np.ndarray) -> Tensor:
    """lo + w (hi − lo), as PyTorch's lerp (hi − (hi − lo)(1 − w) where w ≥ ½)."""
    w = Tensor._wrap(weight)
    diff = hi - lo
    small = weight < 0.5
    if small.all():
        return lo + diff * w
    return where(small, lo + diff * w, hi - diff * (1 - w))


@numpy_aliases
def quantile(
    input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
) -> Tensor:
    """The q-th quantiles over `dim` (of all elements if None), q a float or a 1-d tensor (its
    dim comes first in the result). Linear: v[⌊r⌋] + (r − ⌊r⌋)(v[⌈r⌉] − v[⌊r⌋]) at rank r = q(n − 1)
    of the sorted values (TakeAlongDim of the two, Sub, Mul, Add: the gradient goes to the two
    interpolated elements); lower, higher, nearest take one of them, midpoint their mean. A slice
    holding NaN gives NaN. Floating inputs only."""
    return _quantile("quantile", input, q, dim, keepdim, interpolation, False)


@numpy_aliases
def nanquantile(
    input: Tensor, q: Any, dim: int | None = None, keepdim: bool = False, *, interpolation: str = "linear"
) -> Tensor:
    """`quantile` of the non-NaN elements (rank r = q(k − 1) among the k of them); NaN where all are."""
    return _quantile("nanquantile", input, q, dim, keepdim, interpolation, True)


@numpy_aliases
def nanmedian(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor | ValuesIndices:
    """The lower median of the non-NaN elements (NaN where all are NaN, at the index of the first
    NaN: PyTorch's index there is whatever its nth_element leaves first, unspecified).
    Without `dim`, of all elements, composed as Σ x·[x = m] / #[x = m] (the gradient shared evenly
    among the elements equal to the median, as PyTorch's); with `dim`, `(values, indices)`, the
    values gathered (TakeAlongDim) so their gradient goes to the selected element."""
    x = _tensor("nanmedian", input)
    if dim is None:
        if x._data.size == 0:
            if x.dtype.kind != "f":
                raise ShapeError(f"nanmedian: cannot take the median of an empty {x.dtype} tensor (shape {x.shape})")
            return _wrap(np.full((), np.nan, x.dtype))
        m = nanmedian(x.reshape(-1), 0).values
        if _integral(x):
            return m
        hit = np.isnan(x._data) if np.isnan(m._data) else x._data == m._data
        return where(hit, x, 0.0).sum() / float(hit.sum())
    d = _one_dim("nanmedian", x, dim)
    v = _vector(x)
    a = v._data
    n = a.shape[d]
    if n == 0:
        if x.ndim and x._data.size:
            raise IndexOutOfRange(f"nanmedian: dim {d} of the input of shape {x.shape} has size 0")
        shape = _kept(x.shape, (d,)) if keepdim else tuple(s for i, s in enumerate(x.shape) if i != d)
        return ValuesIndices(_wrap(np.zeros(shape, x.dtype)), _wrap(np.zeros(shape, INT64)))
    order = _argsort(a, d, False)  # NaN last
    if a.dtype.kind == "f":
        valid = (~np.isnan(a)).sum(axis=d, keepdims=True)
        pos = np.where(valid == 0, 0, (valid - 1) // 2)
    else:
        pos = np.full(_kept(a.shape, (d,)), (n - 1) // 2)
    index = np.take_along_axis(order, pos, axis=d)
    if a.dtype.kind == "f":  # all NaN: the first NaN
        index = np.where(valid == 0, np.argmax(np.isnan(a), axis=d, keepdims=True), index)
    out = _kth("nanmedian", v, d, index, bool(keepdim) or x.ndim == 0)
    return ValuesIndices(_like(out.values, x), _like(out.indices, x)) if x.ndim == 0 else out


@numpy_aliases
def mode(input: Tensor, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """The most frequent value along `dim` (the smallest of equally frequent ones; each NaN counts
    once) and the index of its last occurrence, as PyTorch on the CPU: `(values, indices)`, the
    values gathered (TakeAlongDim) so their gradient goes to that element."""
    x = _tensor("mode", input)
    d = _one_dim("mode", x, dim)
    v = _vector(x)
    a = v._data
    if a.shape[d] == 0:
        raise IndexOutOfRange(f"mode: expected the reduction dim {d} to have a non-zero size, got shape {x.shape}")
    rows = np.moveaxis(a, d, -1).reshape(-1, a.shape[d])
    index = np.empty(rows.shape[0], INT64)
    for r, row in enumerate(rows):
        values, counts = np.unique(row, return_counts=True, equal_nan=False)
        best = values[np.argmax(counts)]  # the first (smallest) of the most frequent
        index[r] = np.flatnonzero(row == best)[-1] if best == best else np.flatnonzero(np.isnan(row))[0]
    index = np.moveaxis(index.reshape(np.moveaxis(a, d, -1).shape[:-1] + (1,)), -1, d)
    out = _kth("mode", v, d, index, bool(keepdim) or x.ndim == 0)
    return ValuesIndices(_like(out.values, x), _like(out.indices, x)) if x.ndim == 0 else out


class MinMax(NamedTuple):
    """What `aminmax` returns, as PyTorch's `torch.return_types.aminmax`."""

    min: Tensor
    max: Tensor


@numpy_aliases
def aminmax(input: Tensor, *, dim: int | None = None, keepdim: bool = False) -> MinMax:
    """`(min, max)` over `dim` (of all elements if None), composed as amin and amax (ties share
    the gradient evenly, as PyTorch's)."""
    x = _tensor("aminmax", input)
    dims = () if dim is None else (_one_dim("aminmax", x, dim),)
    if x._data.size == 0 or any(x.shape[i] == 0 for i in dims if x.ndim):
        raise ShapeError(f"aminmax: cannot reduce an empty dimension (input shape {x.shape}); it has no identity")
    if x.ndim == 0:
        return MinMax(x.amin(), x.amax())
    if dim is None:
        lo, hi = x.amin(), x.amax()
        return MinMax(lo.reshape((1,) * x.ndim), hi.reshape((1,) * x.ndim)) if keepdim else MinMax(lo, hi)
    return MinMax(x.amin(dims[0], bool(keepdim)), x.amax(dims[0], bool(keepdim)))


def cov(
    input: Tensor, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None
) -> Tensor:
    """The covariance matrix of the variables in the rows of `input` (a 1-d input is one variable),
    observations in the columns: with weights w = fweights · aweights and w̄ = Σw, the means
    μ = Σ w x / w̄ and C = (x − μ) (w (x − μ))ᵀ / (w̄ − correction · Σ w·aweights / w̄) (or
    w̄ − correction without aweights): Mul, Sum, Sub, MatMul, Div. No degrees of freedom left
    gives inf or NaN, as in PyTorch. Integer inputs become float32."""
    x = _tensor("cov", input)
    if x.ndim > 2:
        raise ShapeError(f"cov: expected the input to have two or fewer dims, got shape {x.shape}")
    if x.dtype.kind == "b":
        raise DTypeError("cov: bool inputs are not supported (as in PyTorch)")
    if isinstance(correction, bool) or not isinstance(correction, (int, np.integer)):
        raise ArgumentError(f"cov: correction must be an int, got {correction!r}")
    if x.dtype.kind != "f":
        from .tensor import Default

        x = x.to(Default.float)
    x = x.reshape(1, -1) if x.ndim < 2 else x
    n = x.shape[1]
    w = None
    if fweights is not None:
        f = _tensor("cov", fweights)
        _observation_weights("fweights", f, n)
        if f.dtype.kind not in "iu":
            raise DTypeError(f"cov: expected fweights to have an integer dtype, got {f.dtype}")
        w = f
    if aweights is not None:
        aw = _tensor("cov", aweights)
        _observation_weights("aweights", aw, n)
        if aw.dtype.kind != "f":
            raise DTypeError(f"cov: expected aweights to have a floating dtype, got {aw.dtype}")
        w = aw if w is None else w * aw
    if w is not None:
        w = w.to(x.dtype) if w.dtype != x.dtype and w.dtype.kind != "f" else w
        w_sum = w.sum()
        mean = (x * w).sum(1) / w_sum
    else:
        w_sum = None
        mean = x.mean(1)
    if w is not None and correction != 0:
        norm = w_sum - correction * ((w * aweights).sum() / w_sum) if aweights is not None else w_sum - correction
    elif w is not None:
        norm = w_sum
    else:
        norm = n - correction
    if (norm._data if isinstance(norm, Tensor) else norm) <= 0:
        warnings.warn(
            "cov: degrees of freedom is <= 0. Correction should be strictly less than the number of observations "
            f"(correction {correction}, {n} observations)",
            UserWarning,
            stacklevel=2,
        )
    centred = x - mean.reshape(-1, 1)
    product = centred @ (centred * w if w is not None else centred).mT
    if isinstance(norm, Tensor):
        if norm._data <= 0:
            norm = norm * 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            out = product / norm
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = product / _wrap(np.array(max(norm, 0), x.dtype))
    return out.reshape(()) if out.shape == (1, 1) else out


def _observation_weights(what: str, w: Tensor, n: int) -> None:
    if w.ndim > 1:
        raise ShapeError(f"cov: expected {what} to have one or fewer dims, got shape {w.shape}")
    if w._data.size != n:
        raise ShapeError(
            f"cov: expected {what} to have as many elements as there are observations ({n}), got {w._data.size}"
        )
    if (w._data < 0).any():
        raise DomainError(f"cov: {what} cannot be negative, got {w._data.min()}")


def corrcoef(input: Tensor) -> Tensor:
    """Pearson's correlation coefficients R = C / (σ σᵀ), C = cov(input) and σ = √diag C, clamped
    to [−1, 1] (Div, Sqrt, clamp_min, clamp_max; a 0-d C gives C / C)."""
    from .linalg_ops import diagonal
    from .special import clamp_max, clamp_min

    c = cov(_tensor("corrcoef", input))
    with np.errstate(divide="ignore", invalid="ignore"):
        if c.ndim == 0:
            return c / c
        std = diagonal(c).sqrt()
        c = c / std.reshape(-1, 1) / std.reshape(1, -1)
    return clamp_max(clamp_min(c, -1.0), 1.0)


__all__ = [
    "aminmax",
    "argsort",
    "corrcoef",
    "cov",
    "mode",
    "nanmedian",
    "nanquantile",
    "quantile",
    "bincount",
    "count_nonzero",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "diff",
    "histc",
    "kthvalue",
    "logcumsumexp",
    "matrix_norm",
    "median",
    "msort",
    "nanmean",
    "nansum",
    "norm",
    "prod",
    "sort",
    "std",
    "std_mean",
    "topk",
    "unique",
    "var",
    "var_mean",
    "vector_norm",
]
