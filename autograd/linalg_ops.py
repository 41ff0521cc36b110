"""PyTorch's linear-algebra functions, with PyTorch's names, signatures, shape rules and gradients.

Compositions of existing gates: `mm`, `bmm`, `mv`, `dot` (MatMul, after PyTorch's stricter shape and
dtype checks: np.matmul would broadcast or promote where PyTorch refuses), `outer` and `kron`
(reshapes and Mul), `addmm` and `baddbmm` (MatMul, Mul and Add), `tensordot` (Permute, Reshape and
MatMul, as PyTorch lowers it), `cross` (GetItem, Mul and Sub), `trace` and `diag` (Diagonal, Sum).

New gates (autograd/gates/linalg.py): `Einsum` (one gate whose backward is itself an Einsum, so
every derivative order is an einsum), `Diagonal` with its transpose `DiagonalScatter` (`diagonal`,
`diag_embed`, `diag`), and `Triangle` (`tril`, `triu`: a mask product would turn an inf or NaN
above the diagonal into NaN, where PyTorch gives 0).

Each function checks its operands as PyTorch does and raises `ShapeError` (or `DTypeError` for
mixed float dtypes, which PyTorch refuses for mm, bmm, mv, dot, addmm, baddbmm, einsum, tensordot
and cross; `outer` and `kron` promote, as PyTorch's do).
"""

from __future__ import annotations

import warnings
from typing import Any
from collections.abc import Sequence

import numpy as np

from .errors import ArgumentError, DTypeError, ShapeError
from .gates import linalg
from .tensor import Tensor, normalize_dim, numpy_aliases

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _same_dtype(op: str, **tensors: Tensor) -> None:
    (first, a), *rest = tensors.items()
    for name, t in rest:
        if t.dtype != a.dtype:
            raise DTypeError(
                f"{op}: expected {first} and {name} to have the same dtype, got {a.dtype} and {t.dtype}; "
                "convert one of them (e.g. .double() or .float())"
            )


def _int(op: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ArgumentError(f"{op}: {name} must be an int, got {value!r}")
    return int(value)


def _dim_of(op: str, ndim: int, dim: Any) -> int:
    return normalize_dim(op, ndim, _int(op, "dim", dim))


# ---- products ------------------------------------------------------------------------------------


def _check_mm(op: str, a: Tensor, b: Tensor) -> None:
    if a.ndim != 2 or b.ndim != 2:
        raise ShapeError(f"{op}: expected two 2-d matrices, got shapes {a.shape} and {b.shape}")
    if a.shape[1] != b.shape[0]:
        raise ShapeError(
            f"{op}: shapes {a.shape} and {b.shape} cannot be multiplied: the first's columns ({a.shape[1]}) "
            f"must equal the second's rows ({b.shape[0]})"
        )


def _check_bmm(op: str, a: Tensor, b: Tensor) -> None:
    if a.ndim != 3 or b.ndim != 3:
        raise ShapeError(f"{op}: expected two 3-d batches of matrices, got shapes {a.shape} and {b.shape}")
    if a.shape[0] != b.shape[0]:
        raise ShapeError(
            f"{op}: shapes {a.shape} and {b.shape} have different batch sizes ({a.shape[0]} and {b.shape[0]}); "
            "expected equal batch sizes (bmm does not broadcast)"
        )
    if a.shape[2] != b.shape[1]:
        raise ShapeError(
            f"{op}: shapes {a.shape} and {b.shape} cannot be multiplied: the first's columns ({a.shape[2]}) "
            f"must equal the second's rows ({b.shape[1]})"
        )


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """The matrix product of two 2-d tensors (n, m) @ (m, p) -> (n, p); no broadcasting."""
    input, mat2 = _tensor(input), _tensor(mat2)
    _check_mm("mm", input, mat2)
    _same_dtype("mm", input=input, mat2=mat2)
    return input @ mat2


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product (b, n, m) @ (b, m, p) -> (b, n, p); the batch sizes must be equal."""
    input, mat2 = _tensor(input), _tensor(mat2)
    _check_bmm("bmm", input, mat2)
    _same_dtype("bmm", input=input, mat2=mat2)
    return input @ mat2


def mv(input: Tensor, vec: Tensor) -> Tensor:
    """The matrix-vector product (n, m) @ (m,) -> (n,)."""
    input, vec = _tensor(input), _tensor(vec)
    if input.ndim != 2 or vec.ndim != 1:
        raise ShapeError(f"mv: expected a 2-d matrix and a 1-d vector, got shapes {input.shape} and {vec.shape}")
    if input.shape[1] != vec.shape[0]:
        raise ShapeError(
            f"mv: shapes {input.shape} and {vec.shape} cannot be multiplied: the matrix's columns "
            f"({input.shape[1]}) must equal the vector's length ({vec.shape[0]})"
        )
    _same_dtype("mv", input=input, vec=vec)
    return input @ vec


def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """The inner product of two 1-d tensors of equal length (a 0-d tensor)."""
    input, tensor = _tensor(input), _tensor(tensor)
    if input.ndim != 1 or tensor.ndim != 1:
        raise ShapeError(f"dot: expected two 1-d vectors, got shapes {input.shape} and {tensor.shape}")
    if input.shape[0] != tensor.shape[0]:
        raise ShapeError(
            f"dot: shapes {input.shape} and {tensor.shape}: expected two vectors of the same length, "
            f"got lengths {input.shape[0]} and {tensor.shape[0]}"
        )
    _same_dtype("dot", input=input, tensor=tensor)
    return input @ tensor


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """The outer product of two 1-d tensors (n,) and (m,) -> (n, m); dtypes promote, as PyTorch's."""
    input, vec2 = _tensor(input), _tensor(vec2)
    if input.ndim != 1 or vec2.ndim != 1:
        raise ShapeError(f"outer: expected two 1-d vectors, got shapes {input.shape} and {vec2.shape}")
    return input.reshape(input.shape[0], 1) * vec2


def _addm(input: Any, product: Tensor, beta: Any, alpha: Any) -> Tensor:
    """beta · input + alpha · product, with `input` broadcast to the product's shape; beta = 0 ignores
    `input` (its NaNs and infs too), as PyTorch does."""
    out = product if alpha == 1 else product * alpha
    if beta == 0:
        return out
    return (input if beta == 1 else input * beta) + out


def _check_addend(op: str, input: Tensor, shape: tuple[int, ...]) -> None:
    try:
        fits = np.broadcast_shapes(input.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ShapeError(f"{op}: input of shape {input.shape} does not broadcast to the product's shape {shape}")


def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta · input + alpha · (mat1 @ mat2), `input` broadcast to (n, p)."""
    input, mat1, mat2 = _tensor(input), _tensor(mat1), _tensor(mat2)
    _check_mm("addmm", mat1, mat2)
    _check_addend("addmm", input, (mat1.shape[0], mat2.shape[1]))
    _same_dtype("addmm", input=input, mat1=mat1, mat2=mat2)
    return _addm(input, mat1 @ mat2, beta, alpha)


def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta · input + alpha · bmm(batch1, batch2), `input` broadcast to (b, n, p)."""
    input, batch1, batch2 = _tensor(input), _tensor(batch1), _tensor(batch2)
    _check_bmm("baddbmm", batch1, batch2)
    _check_addend("baddbmm", input, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
    _same_dtype("baddbmm", input=input, batch1=batch1, batch2=batch2)
    return _addm(input, batch1 @ batch2, beta, alpha)


# ---- einsum --------------------------------------------------------------------------------------


def _einsum_equation(equation: str, shapes: Sequence[tuple[int, ...]]) -> tuple[list[str], str]:
    """PyTorch's einsum equation (implicit or explicit output, '...', spaces) as explicit subscripts
    without ellipses, one string per operand and one for the output."""
    if not isinstance(equation, str):
        raise ArgumentError(f"einsum: the equation must be a str, got {equation!r}")
    eq = "".join(equation.split())
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise ShapeError(
            f"einsum: the equation {equation!r} has {len(terms)} operand subscript(s) but {len(shapes)} "
            "operand(s) were given"
        )
    for part in [*terms, rhs]:
        bad = set(part.replace("...", "")) - set(_LETTERS)
        if bad or part.count("...") > 1:
            raise ArgumentError(
                f"einsum: invalid subscripts {part!r} in {equation!r}: expected letters a-z, A-Z and at most "
                "one '...' per term"
            )
    free = [c for c in _LETTERS if c not in eq]
    ellipsis = max(
        (len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes) if "..." in t),
        default=0,
    )
    if ellipsis > len(free):
        raise ShapeError(f"einsum: the equation {equation!r} needs more than 52 subscripts")
    batch = "".join(free[:ellipsis])
    subs = []
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        labels = term.replace("...", "")
        if "..." in term:
            covered = len(shape) - len(labels)
            if covered < 0:
                raise ShapeError(
                    f"einsum: operand {i} of shape {shape} has fewer dims than the {len(labels)} subscripts of {term!r}"
                )
            term = term.replace("...", batch[ellipsis - covered :])
        elif len(labels) != len(shape):
            raise ShapeError(
                f"einsum: the subscripts {term!r} of operand {i} name {len(labels)} dims but its shape {shape} "
                f"has {len(shape)}; add '...' for the dims not named"
            )
        subs.append(term)
    if arrow:
        out = rhs.replace("...", batch)
        inputs = set("".join(subs))
        for c in out:
            if c not in inputs:
                raise ShapeError(f"einsum: the output subscript {c!r} of {equation!r} is in no operand")
            if out.count(c) > 1:
                raise ShapeError(f"einsum: the output subscript {c!r} of {equation!r} repeats")
    else:  # implicit: the ellipsis dims, then the labels seen exactly once, in alphabetical (ASCII) order
        joined = "".join(t.replace("...", "") for t in terms)
        out = batch + "".join(sorted(c for c in set(joined) if joined.count(c) == 1))
    return subs, out


def einsum(equation: str, *operands: Tensor) -> Tensor:
    """Einstein summation as torch.einsum: `einsum('ij,jk->ik', a, b)`, implicit outputs ('ij,jk'),
    '...' for broadcast batch dims, and indices repeated in one operand ('ii->i' the diagonal, 'ii'
    the trace). Dims of one index must be equal or 1 (broadcast) across operands. Operands may also
    come as one list. Lowered to one `Einsum` gate whose backward is again an Einsum."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise ArgumentError("einsum: expected at least one operand")
    xs = [_tensor(x) for x in operands]
    subs, out = _einsum_equation(equation, [x.shape for x in xs])
    sizes: dict[str, int] = {}
    for i, (term, x) in enumerate(zip(subs, xs)):
        own: dict[str, int] = {}
        for c, n in zip(term, x.shape):
            if own.setdefault(c, n) != n:
                raise ShapeError(
                    f"einsum: subscript {c!r} is repeated for operand {i} (shape {x.shape}) but the sizes "
                    f"differ, {own[c]} != {n}"
                )
            if sizes.get(c, 1) == 1:
                sizes[c] = n
            elif n not in (1, sizes[c]):
                raise ShapeError(
                    f"einsum: operands do not broadcast for subscript {c!r} in {equation!r}: sizes {sizes[c]} "
                    f"and {n} (operand {i}, shape {x.shape}); expected equal sizes or 1"
                )
    for i, (term, x) in enumerate(zip(subs, xs)):
        full = tuple(sizes[c] for c in term)
        if full != x.shape:  # size-1 dims broadcast: Expand, whose backward sums them back
            xs[i] = x.broadcast_to(full)
    return linalg.Einsum.apply(*xs, equation=",".join(subs) + "->" + out)


# ---- tensordot, kron -----------------------------------------------------------------------------


def _dim_list(op: str, ndim: int, dims: Any) -> list[int]:
    if isinstance(dims, Tensor):
        dims = dims._data.tolist()
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        dims = [dims]
    return [_dim_of(op, ndim, d) for d in dims]


def tensordot(a: Tensor, b: Tensor, dims: Any = 2) -> Tensor:
    """Contract `a`'s dims with `b`'s: `dims=n` pairs a's last n with b's first n; `dims=([...], [...])`
    names them. The free dims of a, then those of b, remain. Composed of Permute, Reshape and MatMul."""
    a, b = _tensor(a), _tensor(b)
    if isinstance(dims, (int, np.integer)) and not isinstance(dims, bool):
        n = int(dims)
        if n < 0 or n > min(a.ndim, b.ndim):
            raise ShapeError(
                f"tensordot: dims={n} must be between 0 and the smaller number of dims of {a.shape} and {b.shape}"
            )
        dims_a, dims_b = list(range(a.ndim - n, a.ndim)), list(range(n))
    elif isinstance(dims, (list, tuple, Tensor)) and len(dims) == 2:
        dims_a, dims_b = _dim_list("tensordot", a.ndim, dims[0]), _dim_list("tensordot", b.ndim, dims[1])
    else:
        raise ArgumentError(f"tensordot: dims must be an int or a pair of lists of dims, got {dims!r}")
    if len(dims_a) != len(dims_b):
        raise ShapeError(
            f"tensordot: both sides must contract as many dims, got {len(dims_a)} ({dims_a}) and "
            f"{len(dims_b)} ({dims_b})"
        )
    for name, ds, t in (("first", dims_a, a), ("second", dims_b, b)):
        if len(set(ds)) != len(ds):
            raise ShapeError(f"tensordot: the {name} tensor's contracted dims {ds} repeat a dim (shape {t.shape})")
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db]:
            raise ShapeError(
                f"tensordot: contracted dimensions need to match, but the first (shape {a.shape}) has size "
                f"{a.shape[da]} in dim {da} and the second (shape {b.shape}) has size {b.shape[db]} in dim {db}"
            )
    _same_dtype("tensordot", a=a, b=b)
    free_a = [d for d in range(a.ndim) if d not in dims_a]
    free_b = [d for d in range(b.ndim) if d not in dims_b]
    k = int(np.prod([a.shape[d] for d in dims_a], dtype=np.int64))
    shape_a, shape_b = [a.shape[d] for d in free_a], [b.shape[d] for d in free_b]
    left = a.permute(free_a + dims_a).reshape(int(np.prod(shape_a, dtype=np.int64)), k)
    right = b.permute(dims_b + free_b).reshape(k, int(np.prod(shape_b, dtype=np.int64)))
    return (left @ right).reshape(tuple(shape_a + shape_b))


def kron(input: Tensor, other: Tensor) -> Tensor:
    """The Kronecker product: for shapes (a₀, a₁, …) and (b₀, b₁, …) (the shorter padded with leading
    1s), shape (a₀b₀, a₁b₁, …) with z[i·B + j] = x[i] · y[j]. Composed of Reshape and Mul."""
    input, other = _tensor(input), _tensor(other)
    nd = max(input.ndim, other.ndim)
    sa = (1,) * (nd - input.ndim) + input.shape
    sb = (1,) * (nd - other.ndim) + other.shape
    left = input.reshape(tuple(s for n in sa for s in (n, 1)))
    right = other.reshape(tuple(s for n in sb for s in (1, n)))
    return (left * right).reshape(tuple(p * q for p, q in zip(sa, sb)))


# ---- triangles and diagonals ---------------------------------------------------------------------


def _triangle(op: str, input: Any, diagonal: Any, upper: bool) -> Tensor:
    input = _tensor(input)
    if input.ndim < 2:
        raise ShapeError(f"{op}: input tensor must have at least 2 dimensions, got shape {input.shape}")
    return linalg.Triangle.apply(input, diagonal=_int(op, "diagonal", diagonal), upper=upper)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims (on and below `diagonal`), the rest 0."""
    return _triangle("tril", input, diagonal, upper=False)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims (on and above `diagonal`), the rest 0."""
    return _triangle("triu", input, diagonal, upper=True)


def _two_dims(op: str, ndim: int, dim1: Any, dim2: Any) -> tuple[int, int]:
    d1, d2 = _dim_of(op, ndim, dim1), _dim_of(op, ndim, dim2)
    if d1 == d2:
        raise ShapeError(f"{op}: diagonal dimensions cannot be identical, got dim1={dim1} and dim2={dim2}")
    return d1, d2


def diagonal(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal over dims (dim1, dim2), `offset` above the main one (below if negative), as the
    last dim of the result; the other dims stay in order."""
    input = _tensor(input)
    offset = _int("diagonal", "offset", offset)
    if input.ndim < 2:
        raise ShapeError(f"diagonal: expected a tensor with at least 2 dims, got shape {input.shape}")
    d1, d2 = _two_dims("diagonal", input.ndim, dim1, dim2)
    return linalg.Diagonal.apply(input, offset=offset, dim1=d1, dim2=d2)


def diag_embed(input: Tensor, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A tensor whose diagonals over the output dims (dim1, dim2) at `offset` hold `input`'s last dim;
    zeros elsewhere. The output has one more dim, of size n + |offset| at dim1 and dim2."""
    input = _tensor(input)
    offset = _int("diag_embed", "offset", offset)
    if input.ndim < 1:
        raise ShapeError("diag_embed: expected a tensor with at least 1 dim, got a 0-d tensor")
    d1, d2 = _two_dims("diag_embed", input.ndim + 1, dim1, dim2)
    n = input.shape[-1] + abs(offset)
    shape = list(input.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, n)
    return linalg.DiagonalScatter.apply(input, shape=tuple(shape), offset=offset, dim1=d1, dim2=d2)


_diagonal = diagonal  # diag's parameter `diagonal` (PyTorch's name) hides the function


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """1-d (n,): the square matrix (n + |diagonal|)² with it on that diagonal; 2-d: that diagonal."""
    input = _tensor(input)
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return _diagonal(input, diagonal)
    raise ShapeError(f"diag: expected a 1-d or a 2-d tensor, got shape {input.shape}")


def trace(input: Tensor) -> Tensor:
    """The sum of a 2-d tensor's main diagonal (of its min(n, m) elements for a non-square one)."""
    input = _tensor(input)
    if input.ndim != 2:
        raise ShapeError(f"trace: expected a 2-d matrix, got shape {input.shape}")
    return diagonal(input).sum()


# ---- cross ---------------------------------------------------------------------------------------


@numpy_aliases
def cross(input: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The cross product of 3-vectors along `dim`, the other dims broadcast (both tensors need the
    same number of dims). `dim=None` is PyTorch's default: the first dim of size 3 (with PyTorch's
    deprecation warning; torch.linalg.cross's default is -1)."""
    input, other = _tensor(input), _tensor(other)
    if input.ndim != other.ndim:
        raise ShapeError(
            f"cross: inputs must have the same number of dimensions, got shapes {input.shape} and {other.shape}"
        )
    try:
        shape = np.broadcast_shapes(input.shape, other.shape)
    except ValueError:
        raise ShapeError(f"cross: shapes {input.shape} and {other.shape} do not broadcast") from None
    _same_dtype("cross", input=input, other=other)
    if dim is None:
        d = next((i for i, n in enumerate(shape) if n == 3), None)
        if d is None:
            raise ShapeError(f"cross: no dimension of size 3 in input (shapes {input.shape} and {other.shape})")
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated. Please either pass the dim "
            "explicitly or simply use torch.linalg.cross. The default value of dim will change to agree with "
            "that of linalg.cross in a future release.",
            UserWarning,
            stacklevel=2,
        )
    else:
        d = _dim_of("cross", input.ndim, dim)
        if input.shape[d] != 3 or other.shape[d] != 3:
            raise ShapeError(
                f"cross: inputs dimension {d} must have length 3, got shapes {input.shape} and {other.shape}"
            )

    def rolled(t: Tensor, order: list[int]) -> Tensor:
        return t[(slice(None),) * d + (np.array(order),)]

    return rolled(input, [1, 2, 0]) * rolled(other, [2, 0, 1]) - rolled(input, [2, 0, 1]) * rolled(other, [1, 2, 0])


# ---- more products -------------------------------------------------------------------------------


def inner(input: Tensor, other: Tensor) -> Tensor:
    """Σ over the last dims of both, `tensordot(input, other, ([-1], [-1]))` (Permute, Reshape and
    MatMul); the product `input * other` when either is 0-d. Both of one dtype, as PyTorch."""
    input, other = _tensor(input), _tensor(other)
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    _same_dtype("inner", input=input, other=other)
    if input.shape[-1] != other.shape[-1]:
        raise ShapeError(
            f"inner: the last dims must match, got shapes {input.shape} and {other.shape} "
            f"({input.shape[-1]} and {other.shape[-1]})"
        )
    return tensordot(input, other, ([-1], [-1]))


def vdot(input: Tensor, other: Tensor) -> Tensor:
    """Σ conj(x) y of two 1-d tensors of one length and dtype, for real dtypes `dot` (MatMul)."""
    input, other = _tensor(input), _tensor(other)
    if input.ndim != 1 or other.ndim != 1:
        raise ShapeError(f"vdot: expected two 1-d vectors, got shapes {input.shape} and {other.shape}")
    if input.shape[0] != other.shape[0]:
        raise ShapeError(f"vdot: expected two vectors of the same length, got shapes {input.shape} and {other.shape}")
    _same_dtype("vdot", input=input, other=other)
    return input @ other


def matrix_power(input: Tensor, n: int) -> Tensor:
    """Aⁿ of each square matrix of A (…, m, m), by squaring (MatMul, as PyTorch's order of
    products); n < 0 is (A⁻¹)^|n| (the Inv gate; float A only); n = 0 the identity, in the graph
    with a zero gradient (a Where with a constant identity)."""
    from .gates.elementwise import Clone, Where
    from .linalg import inv

    a = _tensor(input)
    n = _int("matrix_power", "n", n)
    if a.ndim < 2:
        raise ShapeError(f"matrix_power: the input must have at least 2 dims, got shape {a.shape}")
    if a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"matrix_power: expected batches of square matrices, got {a.shape[-2]} by {a.shape[-1]} "
            f"matrices (shape {a.shape})"
        )
    if n == 0:
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
        return Where.apply(Tensor._wrap(np.ones(a.shape, bool)), Tensor._wrap(eye), a)
    if n < 0:
        if a.dtype.kind != "f":
            raise DTypeError(f"matrix_power: a negative n ({n}) needs a floating input, got {a.dtype}")
        a, n = inv(a), -n
    if n == 1:
        return Clone.apply(a)
    if n == 2:
        return a @ a
    if n == 3:
        return (a @ a) @ a
    z: Tensor | None = None
    result: Tensor | None = None
    while n:
        z = a if z is None else z @ z
        if n & 1:
            result = z if result is None else result @ z
        n >>= 1
    assert result is not None
    return result


def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta · input + alpha · (mat @ vec) (MatMul, Mul and Add), `input` broadcast to (n,)."""
    input, mat, vec = _tensor(input), _tensor(mat), _tensor(vec)
    if mat.ndim != 2 or vec.ndim != 1:
        raise ShapeError(f"addmv: expected a 2-d matrix and a 1-d vector, got shapes {mat.shape} and {vec.shape}")
    if mat.shape[1] != vec.shape[0]:
        raise ShapeError(
            f"addmv: shapes {mat.shape} and {vec.shape} cannot be multiplied: the matrix's columns "
            f"({mat.shape[1]}) must equal the vector's length ({vec.shape[0]})"
        )
    _check_addend("addmv", input, (mat.shape[0],))
    _same_dtype("addmv", input=input, mat=mat, vec=vec)
    return _addm(input, mat @ vec, beta, alpha)


def addr(input: Tensor, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta · input + alpha · outer(vec1, vec2) (Reshape, Mul and Add), `input` broadcast to (n, m);
    dtypes promote, as PyTorch's."""
    input, vec1, vec2 = _tensor(input), _tensor(vec1), _tensor(vec2)
    if vec1.ndim != 1 or vec2.ndim != 1:
        raise ShapeError(f"addr: expected two 1-d vectors, got shapes {vec1.shape} and {vec2.shape}")
    _check_addend("addr", input, (vec1.shape[0], vec2.shape[0]))
    return _addm(input, outer(vec1, vec2), beta, alpha)


def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta · input + alpha · Σ_b batch1[b] @ batch2[b] (MatMul, Sum, Mul and Add), `input` broadcast to (n, p)."""
    input, batch1, batch2 = _tensor(input), _tensor(batch1), _tensor(batch2)
    _check_bmm("addbmm", batch1, batch2)
    _check_addend("addbmm", input, (batch1.shape[1], batch2.shape[2]))
    _same_dtype("addbmm", input=input, batch1=batch1, batch2=batch2)
    return _addm(input, (batch1 @ batch2).sum(0), beta, alpha)


def logdet(input: Tensor) -> Tensor:
    """ln det A of each square matrix: slogdet's logabsdet (the LogAbsDet gate, ∂/∂A = A⁻ᵀ), NaN where
    det A < 0 (a Where with a constant NaN), −inf where det A = 0. Float A only, as PyTorch."""
    from .gates.elementwise import Where
    from .linalg import slogdet

    a = _tensor(input)
    if a.dtype.kind != "f":
        raise DTypeError(f"logdet: expected a floating point tensor as input, got {a.dtype}; convert it (.double())")
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"logdet: expected batches of square matrices, got shape {a.shape}")
    sign, logabsdet = slogdet(a)
    negative = sign._data < 0
    if not negative.any():
        return logabsdet
    return Where.apply(Tensor._wrap(negative), Tensor._wrap(np.full((), np.nan, a.dtype)), logabsdet)


def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of 2-d matrices, left to right with `mm` (PyTorch's deprecated chain_matmul, with
    its warning; one matrix gives a copy)."""
    from .gates.elementwise import Clone

    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple "
        "parameters.",
        UserWarning,
        stacklevel=2,
    )
    if not matrices:
        raise ArgumentError("chain_matmul: expected one or more tensors, got none")
    xs = [_tensor(m) for m in matrices]
    for i, m in enumerate(xs):
        if m.ndim != 2:
            raise ShapeError(f"chain_matmul: expected 2-d matrices, got shape {m.shape} for matrix {i}")
    if len(xs) == 1:
        return Clone.apply(xs[0])
    out = xs[0]
    for m in xs[1:]:
        out = mm(out, m)
    return out


def diagflat(input: Tensor, offset: int = 0) -> Tensor:
    """The square matrix with the flattened input on the diagonal `offset`: diag_embed(input.reshape(-1),
    offset, 0, 1) (Reshape and DiagonalScatter)."""
    input = _tensor(input)
    return diag_embed(input.reshape(-1), _int("diagflat", "offset", offset), 0, 1)


__all__ = [
    "addbmm",
    "addmm",
    "addmv",
    "addr",
    "chain_matmul",
    "diagflat",
    "inner",
    "logdet",
    "matrix_power",
    "vdot",
    "baddbmm",
    "bmm",
    "cross",
    "diag",
    "diag_embed",
    "diagonal",
    "dot",
    "einsum",
    "kron",
    "mm",
    "mv",
    "outer",
    "tensordot",
    "trace",
    "tril",
    "triu",
]
