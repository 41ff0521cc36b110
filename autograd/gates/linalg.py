"""Linear-algebra gates."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import DTypeError, ShapeError
from ..function import Function
from ..grad_mode import GradMode


class MatMul(Function):
    """Z = X @ Y (batched and broadcast as np.matmul; 1-d operands as vectors)
    ·  ∂L/∂X = ∂L/∂Z @ Yᵀ, ∂L/∂Y = Xᵀ @ ∂L/∂Z"""

    __slots__ = ()

    def forward(self, x, y):
        if x.ndim == 0 or y.ndim == 0:
            raise ShapeError(f"matmul: both operands need at least 1 dim, got shapes {x.shape} and {y.shape}")
        inner = y.shape[0] if y.ndim == 1 else y.shape[-2]
        if x.shape[-1] != inner:
            raise ShapeError(
                f"matmul: shapes {x.shape} @ {y.shape} do not fit: inner dims {x.shape[-1]} and {inner} differ"
            )
        try:
            return np.matmul(x, y)
        except ValueError:
            raise ShapeError(f"matmul: batch dims of {x.shape} and {y.shape} do not broadcast") from None

    def backward(self, g):
        x, y = self.inputs
        # A vector operand is a 1-row (left) or 1-column (right) matrix; g gets that dim back.
        x2 = x.reshape(1, -1) if x.ndim == 1 else x
        y2 = y.reshape(-1, 1) if y.ndim == 1 else y
        g2 = g.unsqueeze(-1) if y.ndim == 1 else g  # first: for vector @ vector, g is 0-d
        g2 = g2.unsqueeze(-2) if x.ndim == 1 else g2
        gx, gy = self.needs_input_grad
        dx = dy = None  # each in its batch's broadcast shape: Function sums it back to the input's
        if gx:
            dx = g2 @ y2.mT
            dx = dx.squeeze(-2) if x.ndim == 1 else dx
        if gy and x.ndim == y.ndim == 2 and _transposed(y._data):
            # Y is column-major, e.g. a transposed view (x @ W.T): compute (gᵀ X)ᵀ, the same
            # numbers as Xᵀ g, so the gradient has Y's memory layout and W's own gradient comes
            # out C-contiguous. An optimizer's update with a gradient in the other layout is a
            # strided pass, several times slower than the matmul itself.
            return dx, (g.mT @ x).mT
        if gy:
            dy = x2.mT @ g2
            dy = dy.squeeze(-1) if y.ndim == 1 else dy
        return dx, dy


def _transposed(a: np.ndarray) -> bool:
    """Whether `a` is laid out column-major (the transpose of a C-contiguous array)."""
    return a.flags.f_contiguous and not a.flags.c_contiguous


class Linear(Function):
    """Z = X Wᵀ + b over the last dim of X (…, in), for W (out, in) and b (out,)
    ·  ∂L/∂X = G W, ∂L/∂W = Gᵀ X and ∂L/∂b = Σ G, both summed over X's leading dims

    nn's linear layer as one fused gate, as PyTorch's addmm. Composed it is Permute, MatMul and Add:
    three gates to record and fire, a fresh array for the bias sum, and W's gradient arrives as a
    view that shares its memory with the gradient drawn for Wᵀ, so it must be copied into W.grad.
    Here the bias is added into the product in place, and Gᵀ X is a new array in W's layout that
    nothing else sees, so W.grad takes it over without a copy (Tensor._accumulate_grad).
    """

    __slots__ = ()

    def forward(self, x, weight, bias=None):
        if weight.ndim != 2:
            raise ShapeError(f"linear: the weight must be (out_features, in_features), got shape {weight.shape}")
        if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
            raise ShapeError(
                f"linear: input of shape {x.shape} does not fit weight of shape {weight.shape}: "
                f"the input's last dim must be in_features={weight.shape[1]}"
            )
        if bias is not None and bias.shape != weight.shape[:1]:
            raise ShapeError(
                f"linear: bias must have shape ({weight.shape[0]},) for weight {weight.shape}, got {bias.shape}"
            )
        for name, arr in (("weight", weight), ("bias", bias)):
            if arr is not None and arr.dtype != x.dtype:
                raise DTypeError(f"linear: input is {x.dtype} but {name} is {arr.dtype}; convert one of them")
        out = np.matmul(_rows(x), weight.T)  # one product over all rows: NumPy loops over a 3-d x's dim 0
        if bias is not None:
            out += bias  # out is the fresh product: add in place, no second (…, out) array
        return out.reshape(*x.shape[:-1], weight.shape[0])

    def backward(self, g):
        if GradMode.enabled:  # recording (create_graph): Tensor operations, so the backward differentiates
            return _linear_grads(g, *self.inputs, needs=self.needs_input_grad)
        # A plain backward: the same formula on the arrays (no gate per product; they get wrapped once).
        return _linear_grads(g._data, *(t._data for t in self.inputs), needs=self.needs_input_grad)


def _linear_grads(g: Any, x: Any, weight: Any, bias: Any = None, *, needs: tuple[bool, ...]) -> tuple[Any, ...]:
    """G W, Gᵀ X and Σ G (None where no gradient is needed), for Tensors or arrays alike."""
    dx = g @ weight if needs[0] else None
    dw = _rows(g).T @ _rows(x) if needs[1] else None
    if bias is None:
        return dx, dw
    return dx, dw, g.sum(tuple(range(g.ndim - 1))) if needs[2] else None


def _rows(t: Any) -> Any:
    """`t` with its leading dims (none for one sample) flattened into rows: Gᵀ X then sums over them."""
    return t if t.ndim == 2 else t.reshape(-1, t.shape[-1])


# ---- the gates of autograd/linalg_ops.py (einsum, diagonals, triangles) ----------------------

from ..tensor import Tensor  # noqa: E402  (appended below the gates above, which do not need it)


def _einsum_parts(equation: str) -> tuple[tuple[str, ...], str]:
    """An explicit equation without ellipses ('ij,jk->ik') as its operands' subscripts and the output's."""
    lhs, out = equation.split("->")
    return tuple(lhs.split(",")), out


class Einsum(Function):
    """z = einsum(equation, x₁, x₂, …) for explicit subscripts (linalg_ops.einsum writes '...' out and
    broadcasts size-1 dims first)  ·  ∂L/∂xᵢ = einsum of ∂L/∂z with the other operands into xᵢ's
    subscripts, with a ones vector for an index only xᵢ sums over and an identity for an index xᵢ repeats

    Its backward is itself an Einsum, so every derivative order stays one gate per operand.
    """

    __slots__ = ("subscripts", "output_subscripts")

    def forward(self, *xs, equation):
        self.subscripts, self.output_subscripts = _einsum_parts(equation)
        for i, x in enumerate(xs[1:], 1):
            if x.dtype != xs[0].dtype:
                raise DTypeError(
                    f"einsum: operand 0 is {xs[0].dtype} but operand {i} is {x.dtype}; convert them to one dtype"
                )
        out = np.einsum(equation, *xs, optimize=len(xs) > 1)
        if len(xs) == 1 and isinstance(out, np.ndarray) and np.shares_memory(out, xs[0]):
            out = out.copy()  # one operand: NumPy returns a writeable view ('ii->i', 'ij->ji'), not a new tensor
        return out

    def backward(self, g):
        subs, out = self.subscripts, self.output_subscripts
        used = set("".join(subs) + out)
        fresh = [c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used]
        grads = []
        for i, (x, needed) in enumerate(zip(self.inputs, self.needs_input_grad)):
            if not needed:
                grads.append(None)
                continue
            operands = [g, *(y for j, y in enumerate(self.inputs) if j != i)]
            terms = [out, *(s for j, s in enumerate(subs) if j != i)]
            present = set("".join(terms))
            target, seen = [], set()
            for letter, size in zip(subs[i], x.shape):
                if letter in seen:  # a repeated index (a diagonal): a fresh one, tied to it by an identity
                    tied = fresh.pop()
                    operands.append(Tensor._wrap(np.eye(size, dtype=g.dtype)))
                    terms.append(letter + tied)
                    target.append(tied)
                    continue
                seen.add(letter)
                if letter not in present:  # summed by xᵢ alone: the gradient is the same all along it
                    operands.append(Tensor._wrap(np.ones(size, dtype=g.dtype)))
                    terms.append(letter)
                    present.add(letter)
                target.append(letter)
            grads.append(Einsum.apply(*operands, equation=",".join(terms) + "->" + "".join(target)))
        return tuple(grads)


class Diagonal(Function):
    """z = the diagonal of x over (dim1, dim2) at `offset` above the main one, as the last dim
    ·  ∂L/∂x = zeros of x's shape with ∂L/∂z written onto that diagonal (DiagonalScatter)"""

    __slots__ = ("offset", "dim1", "dim2")

    def forward(self, x, offset, dim1, dim2):
        self.offset, self.dim1, self.dim2 = offset, dim1, dim2
        return np.diagonal(x, offset, dim1, dim2).copy()  # NumPy's is a read-only view

    def backward(self, g):
        shape = self.inputs[0].shape
        return DiagonalScatter.apply(g, shape=shape, offset=self.offset, dim1=self.dim1, dim2=self.dim2)


class DiagonalScatter(Function):
    """z = zeros(shape) with x's last dim written onto the diagonal over (dim1, dim2) at `offset`
    ·  ∂L/∂x = that diagonal of ∂L/∂z (Diagonal)"""

    __slots__ = ("offset", "dim1", "dim2")

    def forward(self, x, shape, offset, dim1, dim2):
        self.offset, self.dim1, self.dim2 = offset, dim1, dim2
        out = np.zeros(shape, dtype=x.dtype)
        planes = np.moveaxis(out, (dim1, dim2), (-2, -1))  # a view: the other dims in order, then the plane
        n = x.shape[-1]
        planes[..., np.arange(n) + max(-offset, 0), np.arange(n) + max(offset, 0)] = x
        return out

    def backward(self, g):
        return Diagonal.apply(g, offset=self.offset, dim1=self.dim1, dim2=self.dim2)


class Triangle(Function):
    """z = tril(x, diagonal) or triu(x, diagonal) over the last two dims, the rest set to 0
    ·  ∂L/∂x = the same triangle of ∂L/∂z"""

    __slots__ = ("diagonal", "upper")

    def forward(self, x, diagonal, upper):
        self.diagonal, self.upper = diagonal, upper
        return np.triu(x, diagonal) if upper else np.tril(x, diagonal)

    def backward(self, g):
        return Triangle.apply(g, diagonal=self.diagonal, upper=self.upper)


# ---- the gates of autograd/linalg.py (solve, inverse, determinants, Cholesky) ----------------

from ..errors import DomainError  # noqa: E402


class Solve(Function):
    """X = A⁻¹ B for square A (…, n, n) and B (…, n, k), batch dims broadcast
    ·  ∂L/∂B = A⁻ᵀ G (a Solve), ∂L/∂A = −(A⁻ᵀ G) Xᵀ"""

    __slots__ = ()

    def forward(self, a, b):
        try:
            return np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            raise DomainError("linalg.solve: The solver failed because the input matrix is singular.") from None

    def backward(self, g):
        a, _ = self.inputs
        gb = Solve.apply(a.mT, g)
        ga = -(gb @ self.output.mT) if self.needs_input_grad[0] else None
        return ga, gb if self.needs_input_grad[1] else None


class Inv(Function):
    """Y = A⁻¹ for square A (…, n, n)  ·  ∂L/∂A = −Yᵀ G Yᵀ"""

    __slots__ = ()

    def forward(self, a):
        try:
            return np.linalg.inv(a)
        except np.linalg.LinAlgError:
            raise DomainError(
                "linalg.inv: The inversion could not be completed because the input matrix is singular."
            ) from None

    def backward(self, g):
        y = self.output.mT
        return -(y @ g @ y)


class Det(Function):
    """d = det A over the last two dims of a square A (…, n, n)  ·  ∂L/∂A = g · d · A⁻ᵀ (0 where d = 0, as PyTorch's)"""

    __slots__ = ()

    def forward(self, a):
        return np.linalg.det(a)

    def backward(self, g):
        d, a = self.output, self.inputs[0]
        scale = (g * d).unsqueeze(-1).unsqueeze(-1)
        singular = (d._data == 0)[..., None, None]
        if singular.any():  # PyTorch's gradient there is 0: invert I in their place, times the scale 0
            keep = Tensor._wrap(np.where(singular, 0.0, 1.0).astype(a.dtype))
            a = a * keep + Tensor._wrap(np.where(singular, np.eye(a.shape[-1], dtype=a.dtype), 0.0))
        return scale * Inv.apply(a).mT


class LogAbsDet(Function):
    """l = log |det A| over the last two dims of a square A (…, n, n)  ·  ∂L/∂A = g · A⁻ᵀ"""

    __slots__ = ()

    def forward(self, a):
        return np.linalg.slogdet(a)[1]

    def backward(self, g):
        return g.unsqueeze(-1).unsqueeze(-1) * Inv.apply(self.inputs[0]).mT


class Cholesky(Function):
    """L = the lower Cholesky factor of a symmetric positive-definite A (…, n, n), L Lᵀ = A
    ·  ∂L/∂A = L⁻ᵀ Φ L⁻¹ with Φ = ½ (P + tril(P, −1)ᵀ), P = tril(Lᵀ G) (PyTorch's symmetric form)"""

    __slots__ = ()

    def forward(self, a):
        try:
            return np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise DomainError(
                "linalg.cholesky: The factorization could not be completed because the input is not positive-definite."
            ) from None

    def backward(self, g):
        low = self.output
        p = Triangle.apply(low.mT @ g, diagonal=0, upper=False)
        phi = (p + Triangle.apply(p, diagonal=-1, upper=False).mT) * 0.5
        y = Solve.apply(low.mT, phi)  # L⁻ᵀ Φ
        return Solve.apply(low.mT, y.mT).mT  # (L⁻ᵀ yᵀ)ᵀ = y L⁻¹


class Pinv(Function):
    """P = A⁺, the pseudo-inverse of A (…, m, n): singular values at most max(atol, rtol · σ₁) count as 0
    ·  ∂L/∂A as PyTorch's pinv_backward: for m ≤ n, with K = Gᵀ P,
    −(P K)ᵀ + K Pᵀ − A P K Pᵀ + Pᵀ P (Gᵀ − K A); for m > n, with K = P Gᵀ,
    −(K P)ᵀ + Pᵀ K − Pᵀ K P A + (Gᵀ − A K) P Pᵀ"""

    __slots__ = ()

    def forward(self, a, *, atol, rtol, hermitian):
        if hermitian:
            w, v = np.linalg.eigh(a)
            s = np.abs(w)
        else:
            u, s, vh = np.linalg.svd(a, full_matrices=False)
        if s.shape[-1] == 0:
            return np.zeros((*a.shape[:-2], a.shape[-1], a.shape[-2]), dtype=a.dtype)
        tol = np.maximum(atol[..., None], rtol[..., None] * s.max(-1, keepdims=True))
        keep = s > tol
        if hermitian:
            inv_w = np.where(keep, 1.0 / np.where(keep, w, 1.0), 0.0)
            return ((v * inv_w[..., None, :]) @ np.swapaxes(v, -1, -2)).astype(a.dtype, copy=False)
        inv_s = np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0)
        return ((np.swapaxes(vh, -1, -2) * inv_s[..., None, :]) @ np.swapaxes(u, -1, -2)).astype(a.dtype, copy=False)

    def backward(self, g):
        a, p = self.inputs[0], self.output
        pt, gt = p.mT, g.mT
        if a.shape[-2] <= a.shape[-1]:
            k = gt @ p
            kpt = k @ pt
            return -(p @ k).mT + kpt - (a @ p) @ kpt + (pt @ p) @ (gt - k @ a)
        k = p @ gt
        ptk = pt @ k
        return -(k @ p).mT + ptk - ptk @ p @ a + (gt - a @ k) @ p @ pt


# ---- the decompositions of autograd/linalg.py (qr, svd, eigh) ----------------------------------
#
# A gate has one output, so each decomposition's factors travel as one packed array (…, Σ sizes):
# every factor's core dims flattened and laid end to end. linalg.py splits it with Tensor slices,
# so a loss that uses one factor backpropagates exact zeros for the others, and the backward reads
# the factors back from the output Tensor, which keeps it differentiable (gradgradcheck).

from ..errors import GraphError  # noqa: E402
from .shape import Cat  # noqa: E402


def pack(*arrays: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    """The arrays (batch + core shape each) as one (batch, Σ core sizes) array."""
    return np.concatenate([x.reshape(*batch, int(np.prod(x.shape[len(batch) :]))) for x in arrays], axis=-1)


def unpack(t: Tensor, cores: tuple[tuple[int, ...], ...]) -> list[Tensor]:
    """The Tensors `pack` joined, each of shape batch + its core shape (Tensor slices: differentiable)."""
    out, start = [], 0
    for core in cores:
        size = int(np.prod(core))
        out.append(t[..., start : start + size].reshape(*t.shape[:-1], *core))
        start += size
    return out


def qr_cores(m: int, n: int, mode: str) -> tuple[tuple[int, ...], ...]:
    k = min(m, n)
    if mode == "r":
        return ((k, n),)
    return ((m, m), (m, n)) if mode == "complete" else ((m, k), (k, n))


def svd_cores(m: int, n: int, full_matrices: bool) -> tuple[tuple[int, ...], ...]:
    k = min(m, n)
    return ((m, m), (k,), (n, n)) if full_matrices else ((m, k), (k,), (k, n))


def _zeros_like(a: Tensor) -> Tensor:
    return Tensor._wrap(np.zeros(a.shape, dtype=a.dtype))


def _eye(n: int, dtype: Any) -> Tensor:
    return Tensor._wrap(np.eye(n, dtype=dtype))


def _diag_embed(v: Tensor) -> Tensor:
    return DiagonalScatter.apply(v, shape=(*v.shape, v.shape[-1]), offset=0, dim1=v.ndim - 1, dim2=v.ndim)


def _solve_rt(y: Tensor, r: Tensor) -> Tensor:
    """Y R⁻ᵀ for a square R: (R⁻¹ Yᵀ)ᵀ."""
    return Solve.apply(r, y.mT).mT


def _nonzero(t: Tensor) -> bool:
    """Whether any element of a cotangent is nonzero: an all-zero one is PyTorch's undefined gradient
    (the factor is unused), whose terms are skipped, so ties in S or eigenvalues do not divide 0 by 0."""
    return bool(np.any(t.numpy()))


class Qr(Function):
    """(Q, R) = the QR decomposition of A (…, m, n) (Householder, LAPACK's signs), packed
    ·  ∂L/∂A, with M = G_R Rᵀ − Qᵀ G_Q: for m ≥ n (reduced), (Q (triu(M) + triu(M, 1)ᵀ) + G_Q) R⁻ᵀ;
    for m < n, [Q tril(Mᵀ − M) R₁⁻ᵀ, 0] + Q G_R with R₁ the leading m×m block of R (PyTorch's
    linalg_qr_backward; not differentiable for mode='r', nor for mode='complete' with m > n)"""

    __slots__ = ("mode",)

    def forward(self, a, *, mode):
        self.mode = mode
        batch = a.shape[:-2]
        if mode == "r":
            return pack(np.linalg.qr(a, mode="r"), batch=batch)
        q, r = np.linalg.qr(a, mode=mode)
        return pack(q, r, batch=batch)

    def backward(self, g):
        a = self.inputs[0]
        m, n = a.shape[-2:]
        if self.mode == "r":
            raise GraphError(
                "linalg.qr: the derivative depends on Q, which is not computed when mode='r'; "
                "use linalg.qr(A, mode='reduced') to differentiate through linalg.qr"
            )
        if self.mode == "complete" and m > n:
            raise GraphError(
                f"linalg.qr: the QR decomposition is not differentiable when mode='complete' and "
                f"nrows > ncols (A is {m} by {n}); use mode='reduced'"
            )
        if a.numel() == 0:
            return _zeros_like(a)
        cores = qr_cores(m, n, self.mode)
        q, r = unpack(self.output, cores)
        gq, gr = unpack(g, cores)
        big_m = gr @ r.mT - q.mT @ gq
        if m >= n:
            b = Triangle.apply(big_m, diagonal=0, upper=True)
            b = b + Triangle.apply(big_m, diagonal=1, upper=True).mT
            return _solve_rt(q @ b + gq, r)
        x = Triangle.apply(big_m.mT - big_m, diagonal=0, upper=False)
        ga = _solve_rt(q @ x, r[..., :, :m])
        pad = Tensor._wrap(np.zeros((*ga.shape[:-1], n - m), dtype=ga.dtype))
        return Cat.apply(ga, pad, dim=ga.ndim - 1) + q @ gr


class Svd(Function):
    """(U, S, Vh) = the SVD of A (…, m, n), A = U diag(S) Vh, S descending (LAPACK's gesdd), packed
    ·  ∂L/∂A = U [(skew(Uᵀ G_U) / E) S + S (skew(Vh G_Vhᵀ) / E) + diag(G_S)] Vh, E_jk = S_k² − S_j²
    (1 on the diagonal), plus (I − U Uᵀ) G_U S⁻¹ Vh for m > n or U S⁻¹ G_Vh (I − Vhᵀ Vh) for m < n,
    on the first k = min(m, n) columns of U and rows of Vh (PyTorch's svd_backward; with only S
    used, U diag(G_S) Vh)"""

    __slots__ = ("full_matrices",)

    def forward(self, a, *, full_matrices):
        self.full_matrices = full_matrices
        try:
            u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
        except np.linalg.LinAlgError:
            raise DomainError(
                f"linalg.svd: the algorithm failed to converge for A of shape {a.shape}"
                + ("; expected finite entries (A has NaN or infinite ones)" if not np.isfinite(a).all() else "")
            ) from None
        return pack(u, s, vh, batch=a.shape[:-2])

    def backward(self, g):
        a = self.inputs[0]
        m, n = a.shape[-2:]
        k = min(m, n)
        if a.numel() == 0:
            return _zeros_like(a)
        cores = svd_cores(m, n, self.full_matrices)
        u, s, vh = unpack(self.output, cores)
        gu, gs, gvh = unpack(g, cores)
        if self.full_matrices:  # the columns past k are any basis of the complement: their gradient is ignored
            u, gu, vh, gvh = u[..., :, :k], gu[..., :, :k], vh[..., :k, :], gvh[..., :k, :]
        use_u, use_v = _nonzero(gu), _nonzero(gvh)
        if not (use_u or use_v):
            return (u * gs.unsqueeze(-2)) @ vh
        s2 = s * s
        e = s2.unsqueeze(-2) - s2.unsqueeze(-1) + _eye(k, a.dtype)
        inner = _diag_embed(gs)
        if use_u:
            j = u.mT @ gu
            inner = inner + ((j - j.mT) / e) * s.unsqueeze(-2)
        if use_v:
            j = vh @ gvh.mT
            inner = inner + s.unsqueeze(-1) * ((j - j.mT) / e)
        if m > n and use_u:
            gus = gu / s.unsqueeze(-2)
            return (u @ inner + gus - u @ (u.mT @ gus)) @ vh
        if m < n and use_v:
            sgv = gvh / s.unsqueeze(-1)
            return u @ (inner @ vh + sgv - (sgv @ vh.mT) @ vh)
        return u @ inner @ vh


class Eigh(Function):
    """(w, V) = the eigenvalues (ascending) and orthonormal eigenvectors of the symmetric matrix whose
    UPLO triangle A (…, n, n) holds, packed  ·  ∂L/∂A = V (skew(Vᵀ G_V) / 2E + diag(G_w)) Vᵀ,
    E_ij = w_j − w_i (1 on the diagonal), for the whole matrix (PyTorch's, symmetric; with only w
    used, V diag(G_w) Vᵀ)"""

    __slots__ = ()

    def forward(self, a, *, uplo):
        try:
            w, v = np.linalg.eigh(a, UPLO=uplo)
        except np.linalg.LinAlgError:
            raise DomainError(
                f"linalg.eigh: the algorithm failed to converge for A of shape {a.shape}"
                + ("; expected finite entries (A has NaN or infinite ones)" if not np.isfinite(a).all() else "")
            ) from None
        return pack(w, v, batch=a.shape[:-2])

    def backward(self, g):
        a = self.inputs[0]
        n = a.shape[-1]
        if a.numel() == 0:
            return _zeros_like(a)
        cores = ((n,), (n, n))
        w, v = unpack(self.output, cores)
        gw, gv = unpack(g, cores)
        if not _nonzero(gv):
            return (v * gw.unsqueeze(-2)) @ v.mT
        x = v.mT @ gv
        e = w.unsqueeze(-2) - w.unsqueeze(-1) + _eye(n, a.dtype)
        inner = (x - x.mT) * 0.5 / e + _diag_embed(gw)
        return v @ inner @ v.mT
