"""`autograd.linalg`: PyTorch's `torch.linalg` namespace.

Norms (`vector_norm`, `matrix_norm`, from reductions), and, batched over leading dims as PyTorch:

- `solve(A, B, *, left=True)`: the Solve gate (∂L/∂B = A⁻ᵀ G, ∂L/∂A = −(A⁻ᵀ G) Xᵀ); B is a batch of
  vectors when it is 1-d or has A's shape without the last dim, as PyTorch's rule;
- `inv(A)`: the Inv gate (∂L/∂A = −A⁻ᵀ G A⁻ᵀ);
- `det(A)`: the Det gate (∂L/∂A = g · det · A⁻ᵀ, and 0 for an exactly singular A, as PyTorch's);
- `slogdet(A)`: (sign, logabsdet) as a named tuple, logabsdet through the LogAbsDet gate (g · A⁻ᵀ);
- `lstsq(A, B, rcond=None)`: (solution, residuals, rank, singular_values) as PyTorch's CPU default
  driver 'gelsy' returns them: the minimum-norm solution for A of any rank, composed as pinv(A) B,
  so its gradient is PyTorch's (which is that of pinv(A) B); residuals and singular values empty,
  rank int64;
- `matrix_rank(A, *, atol=None, rtol=None, hermitian=False)`: int64, outside the graph;
- `cholesky(A, *, upper=False)`: the Cholesky gate, PyTorch's symmetric gradient;
- `pinv(A, *, atol=None, rtol=None, hermitian=False)`: the Pinv gate (an SVD, or eigh for
  hermitian=True, with PyTorch's tolerances; PyTorch's pinv_backward, exact where the rank is
  constant, e.g. a full-rank A);
- `qr(A, mode='reduced')`: (Q, R) as a named tuple, the Qr gate (PyTorch's linalg_qr_backward, for
  m ≥ n and m < n); mode 'complete' (differentiable for m ≤ n, as PyTorch's) or 'r' (an empty Q;
  not differentiable), and a GraphError in the backward where PyTorch's raises;
- `svd(A, full_matrices=True)`: (U, S, Vh), the Svd gate (PyTorch's svd_backward: distinct singular
  values, full rank for m ≠ n; with full_matrices=True the gradient of U's columns and Vh's rows
  past min(m, n) is ignored, as PyTorch's); `svdvals(A)`: its S, gradient U diag(G) Vh;
- `eigh(A, UPLO='L')`: (eigenvalues, eigenvectors), the Eigh gate (only the UPLO triangle read;
  PyTorch's symmetric gradient for the whole matrix, distinct eigenvalues); `eigvalsh(A, UPLO='L')`:
  its eigenvalues, gradient V diag(G) Vᵀ;
- `matrix_power(A, n)`, `vecdot(x, y, *, dim=-1)` and `multi_dot(tensors)`: compositions of MatMul
  (and Inv for a negative n), Mul and Sum.

The decompositions' signs (of Q's and R's rows, of singular vectors and eigenvectors) are LAPACK's, as
PyTorch's, but LAPACK builds may differ in them for U, Vh and eigenvectors: only functions invariant
under those signs are the same everywhere. A gate has one output, so each decomposition's factors
come out of one packed array, split here with Tensor slices.

Bad input raises as the engine does: a non-square matrix or batch dims that do not broadcast →
`ShapeError`, an integer (or mixed-dtype) input → `DTypeError`, a `mode` or `UPLO` that is not
one of PyTorch's → `ArgumentError`, a singular matrix in solve / inv or a matrix that is not
positive-definite in cholesky → `DomainError`, each naming the function.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from .errors import ArgumentError, DTypeError, ShapeError
from .gates import linalg as gates
from .reductions import matrix_norm, vector_norm
from .tensor import Tensor, normalize_dim

__all__ = [
    "cholesky",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "lstsq",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]


class SlogdetResult(NamedTuple):
    sign: Tensor
    logabsdet: Tensor


class QRResult(NamedTuple):
    Q: Tensor
    R: Tensor


class SVDResult(NamedTuple):
    U: Tensor
    S: Tensor
    Vh: Tensor


class EighResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor


class LstsqResult(NamedTuple):
    solution: Tensor
    residuals: Tensor
    rank: Tensor
    singular_values: Tensor


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _floating(op: str, **tensors: Tensor) -> None:
    (first, a), *rest = tensors.items()
    for name, t in tensors.items():
        if t.dtype.kind != "f":
            raise DTypeError(f"{op}: expected a floating point tensor as {name}, got {t.dtype}; convert it (.double())")
    for name, t in rest:
        if t.dtype != a.dtype:
            raise DTypeError(
                f"{op}: expected {first} and {name} to have the same dtype, got {a.dtype} and {t.dtype}; "
                "convert one of them (e.g. .double() or .float())"
            )


def _matrices(op: str, a: Tensor, name: str = "A") -> None:
    if a.ndim < 2:
        raise ShapeError(f"{op}: {name} must have at least 2 dims, got shape {a.shape}")


def _square(op: str, a: Tensor, name: str = "A") -> None:
    _matrices(op, a, name)
    if a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"{op}: {name} must be batches of square matrices, "
            f"but they are {a.shape[-2]} by {a.shape[-1]} matrices (shape {a.shape})"
        )


def _choice(op: str, name: str, value: Any, choices: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in choices:
        expected = ", ".join(repr(c) for c in choices[:-1]) + f" or {choices[-1]!r}"
        raise ArgumentError(f"{op}: {name} must be {expected}, got {value!r}")


def _batch(op: str, a: Tensor, b: Tensor) -> None:
    try:
        np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise ShapeError(f"{op}: the batch dims of A {a.shape} and B {b.shape} do not broadcast") from None


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with A X = B (or X A = B for left=False), A (…, n, n), B (…, n, k) or a batch of vectors (…, n)."""
    op = "linalg.solve"
    A, B = _tensor(A), _tensor(B)
    _floating(op, A=A, B=B)
    _square(op, A)
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if vector:
        if not left:
            raise ShapeError(f"{op}: vector B (shape {B.shape}) is only supported when left=True")
        B = B.unsqueeze(-1)
    if B.ndim < 2:
        raise ShapeError(f"{op}: B must have at least 1 dim, got shape {B.shape}")
    n = A.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise ShapeError(
            f"{op}: incompatible shapes of A and B for the equation {'AX = B' if left else 'XA = B'} "
            f"({A.shape[-2]}x{A.shape[-1]} and {B.shape[-2]}x{B.shape[-1]}), A {A.shape}, B {B.shape}"
        )
    _batch(op, A, B)
    if left:
        x = gates.Solve.apply(A, B)
    else:
        x = gates.Solve.apply(A.mT, B.mT).mT
    return x.squeeze(-1) if vector else x


def inv(A: Tensor) -> Tensor:
    """The inverse of each square matrix of A (…, n, n)."""
    A = _tensor(A)
    _floating("linalg.inv", A=A)
    _square("linalg.inv", A)
    return gates.Inv.apply(A)


def det(A: Tensor) -> Tensor:
    """The determinant of each square matrix of A (…, n, n), shape (…)."""
    A = _tensor(A)
    _floating("linalg.det", A=A)
    _square("linalg.det", A)
    return gates.Det.apply(A)


def slogdet(A: Tensor) -> SlogdetResult:
    """(sign, logabsdet) of the determinant of each square matrix of A; logabsdet is differentiable."""
    A = _tensor(A)
    _floating("linalg.slogdet", A=A)
    _square("linalg.slogdet", A)
    sign = np.asarray(np.linalg.slogdet(A._data)[0], dtype=A.dtype)
    return SlogdetResult(Tensor(sign, dtype=A.dtype), gates.LogAbsDet.apply(A))


def _tolerances(a: np.ndarray, atol: Any, rtol: Any) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's (atol, rtol) for matrix_rank and pinv: with neither given, rtol = eps · max(m, n);
    with only atol > 0 given, rtol = 0. Each broadcasts against A's batch dims."""
    atol = None if atol is None else np.asarray(atol._data if isinstance(atol, Tensor) else atol, dtype=np.float64)
    rtol = None if rtol is None else np.asarray(rtol._data if isinstance(rtol, Tensor) else rtol, dtype=np.float64)
    if rtol is None:
        default = np.finfo(a.dtype).eps * max(a.shape[-2:])
        rtol = np.asarray(default if atol is None or np.all(atol <= 0) else 0.0)
    return (np.asarray(0.0) if atol is None else atol), rtol


def matrix_rank(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The number of singular values above max(atol, rtol · σ₁) of each matrix of A, int64; with
    neither given, rtol = eps · max(m, n), as PyTorch."""
    A = _tensor(A)
    _floating("linalg.matrix_rank", A=A)
    _matrices("linalg.matrix_rank", A)
    a = A._data
    if a.size == 0:
        return Tensor(np.zeros(a.shape[:-2], dtype=np.int64), dtype=np.int64)
    s = np.abs(np.linalg.eigvalsh(a)) if hermitian else np.linalg.svd(a, compute_uv=False)
    atol, rtol = _tolerances(a, atol, rtol)
    tol = np.maximum(atol[..., None], rtol[..., None] * s.max(-1, keepdims=True))
    return Tensor((s > tol).sum(-1).astype(np.int64), dtype=np.int64)


def lstsq(A: Tensor, B: Tensor, rcond: Any = None, *, driver: str | None = None) -> LstsqResult:
    """The minimum-norm least-squares solution of A X ≈ B for A (…, m, n) and B (…, m, k) or (…, m),
    of any rank: pinv(A) B, singular values at most rcond · σ₁ counting as zero (rcond None: eps ·
    max(m, n), as PyTorch's gelsy); its gradient is PyTorch's, that of pinv(A) B. Where rcond cuts
    singular values well above rounding, gelsy's pivoted-QR truncation picks another solution than
    this SVD truncation; for an exactly rank-deficient A they agree."""
    op = "linalg.lstsq"
    A, B = _tensor(A), _tensor(B)
    _floating(op, A=A, B=B)
    _matrices(op, A)
    if B.ndim < A.ndim - 1 or B.ndim > A.ndim:
        raise ShapeError(f"{op}: B must have A's number of dims or one fewer, got shapes A {A.shape} and B {B.shape}")
    vector = B.ndim == A.ndim - 1
    if vector:
        B = B.unsqueeze(-1)
    if B.shape[-2] != A.shape[-2]:
        raise ShapeError(
            f"{op}: A {A.shape} and B {B.shape} do not fit: A's rows ({A.shape[-2]}) must equal B's ({B.shape[-2]})"
        )
    _batch(op, A, B)
    x = pinv(A, rtol=rcond) @ B
    if vector:
        x = x.squeeze(-1)
    empty = Tensor(np.zeros(0, dtype=A.dtype), dtype=A.dtype)
    rank = matrix_rank(A.detach(), rtol=rcond)
    return LstsqResult(x, empty, rank, Tensor(np.zeros(0, dtype=A.dtype), dtype=A.dtype))


def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """The Cholesky factor L (L Lᵀ = A, lower) or U = Lᵀ (upper=True) of each symmetric
    positive-definite matrix of A (…, n, n); only the lower triangle of A is read."""
    A = _tensor(A)
    _floating("linalg.cholesky", A=A)
    _square("linalg.cholesky", A)
    low = gates.Cholesky.apply(A)
    return low.mT if upper else low


def pinv(A: Tensor, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:
    """The pseudo-inverse (…, n, m) of each matrix of A (…, m, n); singular values at most
    max(atol, rtol · σ₁) count as zero (PyTorch's defaults). hermitian=True reads A's lower triangle."""
    A = _tensor(A)
    _floating("linalg.pinv", A=A)
    _matrices("linalg.pinv", A)
    if hermitian:
        _square("linalg.pinv", A)
    atol, rtol = _tolerances(A._data, atol, rtol)
    return gates.Pinv.apply(A, atol=atol, rtol=rtol, hermitian=hermitian)


def qr(A: Tensor, mode: str = "reduced") -> QRResult:
    """(Q, R) with A = Q R, Q orthonormal columns and R upper triangular, for A (…, m, n) and k = min(m, n):
    Q (…, m, k), R (…, k, n) for mode='reduced'; Q (…, m, m), R (…, m, n) for 'complete'; an empty Q
    and R (…, k, n) for 'r' (not differentiable, as PyTorch's)."""
    op = "linalg.qr"
    A = _tensor(A)
    _choice(op, "mode", mode, ("reduced", "complete", "r"))
    _floating(op, A=A)
    _matrices(op, A)
    m, n = A.shape[-2:]
    packed = gates.Qr.apply(A, mode=mode)
    factors = gates.unpack(packed, gates.qr_cores(m, n, mode))
    if mode == "r":
        return QRResult(Tensor(np.zeros(0, dtype=A.dtype), dtype=A.dtype), factors[0])
    return QRResult(*factors)


def svd(A: Tensor, full_matrices: bool = True) -> SVDResult:
    """(U, S, Vh) with A = U diag(S) Vh, S descending, for A (…, m, n) and k = min(m, n): U (…, m, m),
    Vh (…, n, n) (full_matrices=True; the gradient ignores the columns of U and rows of Vh past k,
    as PyTorch's) or U (…, m, k), Vh (…, k, n). Differentiable where the singular values are distinct
    (and nonzero for m ≠ n)."""
    op = "linalg.svd"
    A = _tensor(A)
    _floating(op, A=A)
    _matrices(op, A)
    m, n = A.shape[-2:]
    full = bool(full_matrices)
    return SVDResult(*gates.unpack(gates.Svd.apply(A, full_matrices=full), gates.svd_cores(m, n, full)))


def svdvals(A: Tensor) -> Tensor:
    """The singular values (…, min(m, n)) of A (…, m, n), descending; ∂L/∂A = U diag(G) Vh."""
    op = "linalg.svdvals"
    A = _tensor(A)
    _floating(op, A=A)
    _matrices(op, A)
    m, n = A.shape[-2:]
    return gates.unpack(gates.Svd.apply(A, full_matrices=False), gates.svd_cores(m, n, False))[1]


def eigh(A: Tensor, UPLO: str = "L") -> EighResult:
    """(eigenvalues, eigenvectors) of the symmetric matrices A (…, n, n), only whose lower (UPLO='L') or
    upper ('U') triangle is read: ascending eigenvalues (…, n) and orthonormal eigenvectors as columns
    (…, n, n). The gradient is PyTorch's, symmetric, for the whole matrix."""
    return EighResult(*_eigh("linalg.eigh", A, UPLO))


def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    """The ascending eigenvalues (…, n) of the symmetric matrices A (…, n, n) (UPLO's triangle read);
    ∂L/∂A = V diag(G) Vᵀ."""
    return _eigh("linalg.eigvalsh", A, UPLO)[0]


def _eigh(op: str, A: Any, UPLO: str) -> list[Tensor]:
    A = _tensor(A)
    _choice(op, "UPLO", UPLO, ("L", "U"))
    _floating(op, A=A)
    _square(op, A)
    n = A.shape[-1]
    return gates.unpack(gates.Eigh.apply(A, uplo=UPLO), ((n,), (n, n)))


# ---- products: matrix_power, vecdot, multi_dot ---------------------------------------------------


def matrix_power(A: Tensor, n: int) -> Tensor:
    """Aⁿ of each square matrix of A (…, m, m): `linalg_ops.matrix_power` (squaring with MatMul,
    the Inv gate for n < 0, a constant identity for n = 0)."""
    from .linalg_ops import matrix_power as power

    A = _tensor(A)
    _square("linalg.matrix_power", A)
    return power(A, n)


def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    """Σ x·y over `dim` after broadcasting x and y (Mul and Sum); float tensors of one dtype, as PyTorch."""
    op = "linalg.vecdot"
    x, y = _tensor(x), _tensor(y)
    _floating(op, x=x, y=y)
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ShapeError(f"{op}: the shapes {x.shape} and {y.shape} do not broadcast together") from None
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise ArgumentError(f"{op}: dim must be an int, got {dim!r}")
    return (x * y).sum(normalize_dim(op, len(shape), int(dim)))


def multi_dot(tensors: Any) -> Tensor:
    """The product of two or more matrices, left to right with MatMul (PyTorch picks the cheapest
    order, which changes only the rounding); the first may be a 1-d row vector and the last a 1-d
    column vector, whose dims the result then lacks."""
    op = "linalg.multi_dot"
    if not isinstance(tensors, (list, tuple)):
        raise ArgumentError(f"{op}: expected a list or tuple of tensors, got {type(tensors).__name__}")
    xs = [_tensor(t) for t in tensors]
    if len(xs) < 2:
        raise ArgumentError(f"{op}: expected at least 2 tensors, got {len(xs)}")
    for i, t in enumerate(xs):
        allowed = (1, 2) if i in (0, len(xs) - 1) else (2,)
        if t.ndim not in allowed:
            where = "first" if i == 0 else "last" if i == len(xs) - 1 else f"tensor {i} (in the middle)"
            raise ShapeError(
                f"{op}: the {where} tensor must be {' or '.join(f'{d}-d' for d in allowed)}, got shape {t.shape}"
            )
        if t.dtype != xs[0].dtype:
            raise DTypeError(
                f"{op}: all tensors must have the same dtype, but tensor 0 is {xs[0].dtype} and tensor {i} {t.dtype}"
            )
    out = xs[0]
    for i, t in enumerate(xs[1:], 1):
        if out.shape[-1] != t.shape[0]:
            raise ShapeError(
                f"{op}: tensors {i - 1} and {i} with shapes {xs[i - 1].shape} and {t.shape} cannot be multiplied"
            )
        out = out @ t
    return out
