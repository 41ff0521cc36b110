"""autograd.linalg's solve, inv, det, slogdet, lstsq, matrix_rank, cholesky, pinv, qr, svd, svdvals,
eigh and eigvalsh: float64 gradcheck and gradgradcheck on well-conditioned (or positive-definite)
batches (Hypothesis over shapes for the decompositions), parity with torch.linalg (values, dtypes,
shapes and gradients; gauge-invariant functions where LAPACK builds may pick other signs), and the
errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.errors import ArgumentError, DomainError, DTypeError, GraphError, ShapeError
from autograd.testing import arrays

from tests.parity import check

SEEDS = [0, 1, 2]


def wellcond(rng, shape):
    """Random matrices plus n·I: far from singular."""
    n = shape[-1]
    return rng.standard_normal(shape) + n * np.eye(n)


def spd(rng, shape):
    m = rng.standard_normal(shape)
    return m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])


def leaf(x):
    return Tensor(x, requires_grad=True)


# ---- solve ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("a, b", [((3, 3), (3, 2)), ((3, 3), (3,)), ((2, 3, 3), (2, 3)), ((2, 1, 3, 3), (4, 3, 2))])
def test_solve_gradients(seed, a, b):
    rng = np.random.default_rng(seed)
    A, B = leaf(wellcond(rng, a)), leaf(rng.standard_normal(b))
    assert gradcheck(ag.linalg.solve, (A, B))
    assert gradgradcheck(ag.linalg.solve, (A, B))


@pytest.mark.parametrize(
    "a, b",
    [
        ((3, 3), (3, 2)),
        ((3, 3), (3,)),
        ((2, 3, 3), (2, 3)),
        ((2, 1, 3, 3), (4, 3, 2)),
        ((2, 3, 3), (3,)),
        ((2, 3, 3), (3, 2)),
        ((3, 3), (4, 3, 2)),
        ((0, 3, 3), (0, 3)),
    ],
    ids=str,
)
def test_solve_parity(a, b):
    rng = np.random.default_rng(0)
    check(lambda m, A, B: m.linalg.solve(A, B), [wellcond(rng, a), rng.standard_normal(b)])


def test_solve_right_parity():
    rng = np.random.default_rng(3)
    check(lambda m, A, B: m.linalg.solve(A, B, left=False), [wellcond(rng, (2, 3, 3)), rng.standard_normal((2, 4, 3))])


# ---- inv, det, slogdet ---------------------------------------------------------------------------

SQUARE = [(3, 3), (2, 4, 4), (1, 1)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SQUARE)
@pytest.mark.parametrize("name", ["inv", "det"])
def test_square_gradients(seed, shape, name):
    rng = np.random.default_rng(seed)
    A = leaf(wellcond(rng, shape))
    fn = getattr(ag.linalg, name)
    assert gradcheck(fn, (A,))
    assert gradgradcheck(fn, (A,))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", SQUARE)
def test_logabsdet_gradients(seed, shape):
    rng = np.random.default_rng(seed)
    A = leaf(rng.standard_normal(shape) - shape[-1] * np.eye(shape[-1]))  # a negative determinant too

    def fn(A):
        return ag.linalg.slogdet(A).logabsdet

    assert gradcheck(fn, (A,))
    assert gradgradcheck(fn, (A,))


@pytest.mark.parametrize("shape", SQUARE)
@pytest.mark.parametrize("name", ["inv", "det", "slogdet"])
def test_square_parity(shape, name):
    rng = np.random.default_rng(1)
    A = rng.standard_normal(shape) - 0.5 * shape[-1] * np.eye(shape[-1])
    check(lambda m, A: getattr(m.linalg, name)(A), [A])


def test_slogdet_is_a_named_tuple():
    sign, logabsdet = out = ag.linalg.slogdet(Tensor(np.diag([-2.0, 3.0])))
    assert out.sign is sign and out.logabsdet is logabsdet
    assert sign.item() == -1.0
    np.testing.assert_allclose(logabsdet.item(), np.log(6.0))


# ---- lstsq, matrix_rank --------------------------------------------------------------------------

LSTSQ = [((5, 3), (5, 2)), ((3, 3), (3, 1)), ((2, 6, 3), (2, 6, 2)), ((5, 3), (5,)), ((3, 5), (3, 2))]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("a, b", LSTSQ)
def test_lstsq_gradients(seed, a, b):
    rng = np.random.default_rng(seed)
    A, B = leaf(rng.standard_normal(a)), leaf(rng.standard_normal(b))

    def fn(A, B):
        return ag.linalg.lstsq(A, B).solution

    assert gradcheck(fn, (A, B))
    assert gradgradcheck(fn, (A, B))


@pytest.mark.parametrize("a, b", LSTSQ)
def test_lstsq_parity(a, b):
    rng = np.random.default_rng(4)
    check(lambda m, A, B: m.linalg.lstsq(A, B).solution, [rng.standard_normal(a), rng.standard_normal(b)])
    check(lambda m, A, B: tuple(m.linalg.lstsq(A, B))[1:], [rng.standard_normal(a), rng.standard_normal(b)], grad=False)


@pytest.mark.parametrize(
    "build",
    [
        lambda rng: rng.standard_normal((4, 3)),
        lambda rng: rng.standard_normal((4, 2)) @ rng.standard_normal((2, 5)),
        lambda rng: np.stack([np.eye(3), np.diag([1.0, 0.0, 0.0]), np.zeros((3, 3))]),
    ],
    ids=["full", "rank2", "batch"],
)
def test_matrix_rank_parity(build):
    A = build(np.random.default_rng(5))
    check(lambda m, A: m.linalg.matrix_rank(A), [A], grad=False)
    check(lambda m, A: m.linalg.matrix_rank(A, atol=1.5), [A], grad=False)
    out = ag.linalg.matrix_rank(Tensor(A))
    assert out.dtype == np.int64 and not out.requires_grad


# ---- cholesky ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_gradients(seed, shape, upper):
    rng = np.random.default_rng(seed)
    X = leaf(rng.standard_normal(shape))
    n = shape[-1]

    def fn(X):  # a positive-definite input for every perturbation of X
        return ag.linalg.cholesky(X @ X.mT + n * Tensor(np.eye(n)), upper=upper)

    assert gradcheck(fn, (X,))
    assert gradgradcheck(fn, (X,))


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_parity(shape, upper):
    rng = np.random.default_rng(6)
    check(lambda m, A: m.linalg.cholesky(A, upper=upper), [spd(rng, shape)])


# ---- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: ag.linalg.solve(Tensor(np.ones((2, 3))), Tensor(np.ones((2, 1)))),
        lambda: ag.linalg.solve(Tensor(np.eye(3)), Tensor(np.ones((2, 1)))),
        lambda: ag.linalg.solve(Tensor(np.ones((2, 3, 3))), Tensor(np.ones((4, 3, 1)))),
        lambda: ag.linalg.inv(Tensor(np.ones((2, 3)))),
        lambda: ag.linalg.det(Tensor(np.ones(3))),
        lambda: ag.linalg.slogdet(Tensor(np.ones((3, 2)))),
        lambda: ag.linalg.cholesky(Tensor(np.ones((3, 2)))),
        lambda: ag.linalg.lstsq(Tensor(np.ones((4, 3))), Tensor(np.ones((5, 2)))),
    ],
)
def test_shape_errors(call):
    with pytest.raises(ShapeError, match=r"linalg\.\w+: .*\(\d"):
        call()


def test_shape_error_names_function_and_shapes():
    with pytest.raises(ShapeError, match=r"linalg\.inv: .*\(2, 3\)"):
        ag.linalg.inv(Tensor(np.ones((2, 3))))


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: ag.linalg.solve(Tensor(np.zeros((2, 2))), Tensor(np.ones(2))), "linalg.solve"),
        (lambda: ag.linalg.inv(Tensor(np.ones((3, 3)))), "linalg.inv"),
        (lambda: ag.linalg.cholesky(Tensor(-np.eye(2))), "linalg.cholesky"),
    ],
)
def test_domain_errors(call, name):
    with pytest.raises(DomainError, match=name):
        call()


def test_singular_solve_message_is_pytorchs():
    with pytest.raises(DomainError, match="The solver failed because the input matrix is singular"):
        ag.linalg.solve(Tensor(np.zeros((2, 2))), Tensor(np.ones((2, 1))))


@pytest.mark.parametrize("name", ["inv", "det", "slogdet", "cholesky", "matrix_rank"])
def test_integer_input_is_a_dtype_error(name):
    with pytest.raises(DTypeError, match=f"linalg.{name}"):
        getattr(ag.linalg, name)(Tensor(np.eye(2, dtype=np.int64)))


def test_solve_integer_and_mixed_dtypes():
    with pytest.raises(DTypeError, match="linalg.solve"):
        ag.linalg.solve(Tensor(np.eye(2, dtype=np.int64)), Tensor(np.ones(2)))
    with pytest.raises(DTypeError, match="linalg.solve"):
        ag.linalg.solve(Tensor(np.eye(2)), Tensor(np.ones(2, dtype=np.float32)))
    with pytest.raises(DTypeError, match="linalg.lstsq"):
        ag.linalg.lstsq(Tensor(np.eye(2, dtype=np.int64)), Tensor(np.ones((2, 1))))


# ---- pinv ----------------------------------------------------------------------------------------

PINV = [(3, 3), (5, 3), (3, 5), (2, 4, 2), (2, 2, 4)]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", PINV)
def test_pinv_gradients(seed, shape):
    rng = np.random.default_rng(seed)
    A = leaf(rng.standard_normal(shape))
    assert gradcheck(ag.linalg.pinv, (A,))
    assert gradgradcheck(ag.linalg.pinv, (A,))


@pytest.mark.parametrize("shape", PINV)
def test_pinv_parity(shape):
    rng = np.random.default_rng(7)
    check(lambda m, A: m.linalg.pinv(A), [rng.standard_normal(shape)])


def test_pinv_rank_deficient_and_hermitian_values():
    rng = np.random.default_rng(8)
    low = rng.standard_normal((5, 2)) @ rng.standard_normal((2, 4))
    check(lambda m, A: m.linalg.pinv(A), [low], grad=False)
    check(lambda m, A: m.linalg.pinv(A, atol=0.5), [rng.standard_normal((3, 4))], grad=False)
    check(lambda m, A: m.linalg.pinv(A, hermitian=True), [spd(rng, (2, 3, 3)) - 4 * np.eye(3)], grad=False)


def test_det_of_a_singular_matrix_has_pytorchs_zero_gradient():
    singular = np.stack([[[1.0, 2.0], [2.0, 4.0]], [[2.0, 1.0], [1.0, 3.0]]])
    check(lambda m, A: m.linalg.det(A), [singular])


# ---- qr, svd, eigh: Hypothesis gradients ---------------------------------------------------------
#
# The inputs are built well-conditioned: A = P diag(σ) Qᵀ with P, Q orthonormal (the QR of a drawn
# matrix) and σ spaced by 0.5 from 1 (distinct singular values, full rank), and symmetric matrices
# with eigenvalues spaced by 0.5 (distinct). Factors defined up to sign (U, V, eigenvectors) enter
# the checked functions only through gauge-invariant combinations.


@st.composite
def _orthonormal(draw, batch, n):
    raw = draw(arrays(batch + (n, n)))
    return np.linalg.qr(raw + 4 * np.eye(n))[0]  # + 4 I: full rank whatever was drawn


@st.composite
def wellcond_matrices(draw, min_side=1, max_side=4):
    batch = draw(st.sampled_from([(), (2,)]))
    m, n = draw(st.integers(min_side, max_side)), draw(st.integers(min_side, max_side))
    k = min(m, n)
    p, q = draw(_orthonormal(batch, m)), draw(_orthonormal(batch, n))
    sigma = 1.0 + 0.5 * np.arange(k)[::-1]
    return (p[..., :, :k] * sigma[..., None, :]) @ np.swapaxes(q[..., :, :k], -1, -2)


@st.composite
def symmetric_matrices(draw, max_side=4):
    batch = draw(st.sampled_from([(), (2,)]))
    n = draw(st.integers(1, max_side))
    v = draw(_orthonormal(batch, n))
    w = 0.5 * np.arange(n) - 1.0 + draw(st.floats(-0.2, 0.2))
    return (v * w[..., None, :]) @ np.swapaxes(v, -1, -2)


def _weights(n):
    return Tensor(1.0 + np.arange(n))  # distinct weights: a weighted projection sees each vector


def _svd_invariants(A, full_matrices=False):
    U, S, Vh = ag.linalg.svd(A, full_matrices=full_matrices)
    k = S.shape[-1]
    U, Vh = U[..., :, :k], Vh[..., :k, :]
    return (U * S.unsqueeze(-2)) @ Vh, S, (U * _weights(k)) @ U.mT, (Vh.mT * _weights(k)) @ Vh, U @ Vh


def _eigh_invariants(X, UPLO="L"):
    w, V = ag.linalg.eigh(X + X.mT, UPLO=UPLO)  # symmetric for every perturbation of X
    n = w.shape[-1]
    return w, (V * _weights(n)) @ V.mT, (V * V) @ _weights(n)


@settings(max_examples=12, deadline=None)
@given(A=wellcond_matrices(), mode=st.sampled_from(["reduced", "complete"]))
def test_qr_gradients(A, mode):
    if mode == "complete" and A.shape[-2] > A.shape[-1]:
        mode = "reduced"  # not differentiable, as PyTorch's (test_qr_backward_errors)
    # LAPACK's Householder step skips a column that is already zero below the diagonal, and flips
    # the sign of Q and R under any perturbation of it: no derivative there, here or in PyTorch
    assume(np.all(np.abs(A[..., np.tril(np.ones(A.shape[-2:], dtype=bool), -1)]) > 1e-3))
    X = leaf(A)

    def fn(X):
        return tuple(ag.linalg.qr(X, mode=mode))

    assert gradcheck(fn, (X,))
    assert gradgradcheck(fn, (X,))


@settings(max_examples=12, deadline=None)
@given(A=wellcond_matrices(), full=st.booleans())
def test_svd_gradients(A, full):
    X = leaf(A)
    assert gradcheck(lambda X: _svd_invariants(X, full), (X,))
    assert gradgradcheck(lambda X: _svd_invariants(X, full), (X,))
    assert gradgradcheck(ag.linalg.svdvals, (X,))


@settings(max_examples=12, deadline=None)
@given(A=symmetric_matrices(), UPLO=st.sampled_from(["L", "U"]))
def test_eigh_gradients(A, UPLO):
    X = leaf(A / 2)
    assert gradcheck(lambda X: _eigh_invariants(X, UPLO), (X,))
    assert gradgradcheck(lambda X: _eigh_invariants(X, UPLO), (X,))
    assert gradgradcheck(lambda X: ag.linalg.eigvalsh(X + X.mT, UPLO=UPLO), (X,))


@settings(max_examples=10, deadline=None)
@given(A=wellcond_matrices(min_side=2), rank=st.integers(1, 3), k=st.integers(1, 2), data=st.data())
def test_lstsq_gradients_of_rank_deficient_matrices(A, rank, k, data):
    """A = P Q with P (…, m, r), Q (…, r, n): rank r < min(m, n) possible, and constant under every
    perturbation of the factors, where the minimum-norm solution is differentiable."""
    rank = min(rank, min(A.shape[-2:]))
    U, S, Vh = np.linalg.svd(A, full_matrices=False)
    P = leaf(U[..., :, :rank] * S[..., None, :rank])
    Q = leaf(Vh[..., :rank, :])
    B = leaf(data.draw(arrays(A.shape[:-1] + (k,))))

    def fn(P, Q, B):
        return ag.linalg.lstsq(P @ Q, B).solution

    assert gradcheck(fn, (P, Q, B))
    assert gradgradcheck(fn, (P, Q, B))


def test_eigenvalue_and_singular_value_gradients_of_ties_are_finite():
    """Only S (or the eigenvalues) used: U diag(g) Vh, no 0/0 from the tie (PyTorch's shortcut)."""
    for fn in (ag.linalg.svdvals, ag.linalg.eigvalsh, lambda A: ag.linalg.svd(A).S):
        A = leaf(np.eye(3))
        fn(A).sum().backward()
        np.testing.assert_allclose(A.grad.numpy(), np.eye(3), atol=1e-12)


# ---- qr, svd, eigh, lstsq: parity with torch.linalg --------------------------------------------

NAMES = {
    "cholesky", "det", "eigh", "eigvalsh", "inv", "lstsq", "matrix_norm", "matrix_rank", "pinv", "qr",
    "slogdet", "solve", "svd", "svdvals", "vector_norm", "matrix_power", "vecdot", "multi_dot",
}  # fmt: skip


def test_all_is_the_list_of_functions_and_each_is_torch_linalgs():
    assert set(ag.linalg.__all__) == NAMES and len(ag.linalg.__all__) == len(NAMES)
    assert all(callable(getattr(ag.linalg, name)) and hasattr(torch.linalg, name) for name in NAMES)


DECOMPOSED = [(4, 3), (3, 4), (3, 3), (2, 5, 3), (2, 3, 5), (2, 1, 4, 4)]


def _svd_gauge_free(m, A, full_matrices=False):
    U, S, Vh = m.linalg.svd(A, full_matrices=full_matrices)
    k = S.shape[-1]
    w = m.arange(1.0, k + 1, dtype=A.dtype)
    Uk, Vhk = U[..., :, :k], Vh[..., :k, :]
    return (Uk * S.unsqueeze(-2)) @ Vhk, S, (Uk * w) @ Uk.mT, (Vhk.mT * w) @ Vhk, Uk @ Vhk, Uk.abs(), Vhk.abs()


def _eigh_gauge_free(m, A, UPLO="L"):
    w, V = m.linalg.eigh(A, UPLO=UPLO)
    c = m.arange(1.0, w.shape[-1] + 1, dtype=A.dtype)
    return w, (V * w.unsqueeze(-2)) @ V.mT, (V * c) @ V.mT, (V * V) @ c, V.abs()


@pytest.mark.parametrize("shape", DECOMPOSED, ids=str)
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_qr_parity(shape, mode):
    """Q and R themselves (the same Householder signs as PyTorch's LAPACK), and the gradient through
    both wherever PyTorch's is defined."""
    A = np.random.default_rng(9).standard_normal(shape)
    grad = mode == "reduced" or (mode == "complete" and shape[-2] <= shape[-1])
    check(lambda m, A: tuple(m.linalg.qr(A, mode=mode)), [A], grad=grad)
    check(lambda m, A: m.linalg.qr(A, mode=mode).R.abs(), [A], grad=grad)


@pytest.mark.parametrize("shape", DECOMPOSED, ids=str)
@pytest.mark.parametrize("full_matrices", [False, True])
def test_svd_parity(shape, full_matrices):
    """Gauge-invariant functions of U, S, Vh and their gradients; with full_matrices=True PyTorch
    ignores the gradient of the columns past min(m, n), and so do we (the complement's projector)."""
    A = np.random.default_rng(10).standard_normal(shape)
    check(lambda m, A: _svd_gauge_free(m, A, full_matrices), [A])
    check(lambda m, A: m.linalg.svdvals(A), [A])
    check(lambda m, A: m.linalg.svd(A, full_matrices=full_matrices).S, [A])
    if full_matrices:
        k = min(shape[-2:])

        def complement(m, A):
            U, _, Vh = m.linalg.svd(A)
            return U[..., :, k:] @ U[..., :, k:].mT, Vh[..., k:, :].mT @ Vh[..., k:, :], U[..., :, :k] @ Vh[..., :k, :]

        check(complement, [A])


def test_svd_shapes_and_names_match_pytorch():
    A = np.random.default_rng(11).standard_normal((2, 5, 3))
    for full in (True, False):
        ours, theirs = (
            ag.linalg.svd(Tensor(A), full_matrices=full),
            torch.linalg.svd(torch.tensor(A), full_matrices=full),
        )
        assert [t.shape for t in ours] == [tuple(t.shape) for t in theirs]
        assert ours.U is ours[0] and ours.S is ours[1] and ours.Vh is ours[2]
    q = ag.linalg.qr(Tensor(A))
    assert q.Q is q[0] and q.R is q[1]
    e = ag.linalg.eigh(Tensor(A[:, :3]))
    assert e.eigenvalues is e[0] and e.eigenvectors is e[1]


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)], ids=str)
@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_eigh_parity(shape, UPLO):
    """A non-symmetric input: only UPLO's triangle is read, and the gradient (PyTorch's, for the
    whole matrix, symmetric) is the same."""
    A = np.random.default_rng(12).standard_normal(shape)
    check(lambda m, A: _eigh_gauge_free(m, A, UPLO), [A])
    check(lambda m, A: m.linalg.eigvalsh(A, UPLO=UPLO), [A])
    X = leaf(A)
    (ag.linalg.eigh(X, UPLO=UPLO).eigenvectors[..., 0].abs().sum()).backward()
    np.testing.assert_allclose(X.grad.numpy(), np.swapaxes(X.grad.numpy(), -1, -2), atol=1e-12)


EMPTY = [
    ("qr-batch", (0, 3, 2), lambda m, A: tuple(m.linalg.qr(A))),
    ("qr-no-columns", (3, 0), lambda m, A: tuple(m.linalg.qr(A))),
    ("qr-complete-no-columns", (3, 0), lambda m, A: tuple(m.linalg.qr(A, mode="complete"))),
    ("svd-batch", (0, 3, 2), lambda m, A: tuple(m.linalg.svd(A))),
    ("svd-reduced-batch", (0, 3, 2), lambda m, A: tuple(m.linalg.svd(A, full_matrices=False))),
    ("svd-no-columns", (3, 0), lambda m, A: tuple(m.linalg.svd(A))),
    ("svdvals-batch", (0, 3, 2), lambda m, A: m.linalg.svdvals(A)),
    ("eigh-batch", (0, 3, 3), lambda m, A: tuple(m.linalg.eigh(A))),
    ("eigvalsh-batch", (0, 3, 3), lambda m, A: m.linalg.eigvalsh(A)),
]


@pytest.mark.parametrize("name, shape, fn", EMPTY, ids=[c[0] for c in EMPTY])
def test_empty_parity(name, shape, fn):
    """Shapes and dtypes of the empty results, and the (empty) gradient of their sum."""
    check(fn, [np.zeros(shape)], grad=False)

    def total(m, A):
        out = fn(m, A)
        return sum(t.sum() for t in (out if isinstance(out, tuple) else (out,)))

    if name == "qr-complete-no-columns":  # m > n: PyTorch's backward raises even with no elements, ours too
        with pytest.raises(GraphError, match="mode='complete' and nrows > ncols"):
            total(ag, leaf(np.zeros(shape))).backward()
        with pytest.raises(RuntimeError, match="mode='complete' and nrows > ncols"):
            total(torch, torch.zeros(shape, dtype=torch.float64, requires_grad=True)).backward()
        return
    check(total, [np.zeros(shape)])


def test_float32_decompositions_stay_float32():
    A = np.random.default_rng(13).standard_normal((2, 4, 3)).astype(np.float32)
    S = A[:, :3] + np.swapaxes(A[:, :3], -1, -2)
    for fn, x in [
        (lambda m, A: m.linalg.qr(A).R.abs(), A),
        (lambda m, A: m.linalg.svdvals(A), A),
        (lambda m, A: m.linalg.eigvalsh(A), S),
    ]:
        ours, theirs = fn(ag, Tensor(x, dtype=np.float32)), fn(torch, torch.tensor(x))
        assert ours.dtype == np.float32 and theirs.dtype == torch.float32
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-5)
        X = Tensor(x, dtype=np.float32, requires_grad=True)
        fn(ag, X).sum().backward()
        assert X.grad.dtype == np.float32


LSTSQ_RANK_DEFICIENT = [((5, 2), (2, 4), (5, 2)), ((4, 2), (2, 6), (4,)), ((2, 5, 1), (2, 1, 3), (2, 5, 2))]


@pytest.mark.parametrize("p, q, b", LSTSQ_RANK_DEFICIENT, ids=str)
def test_lstsq_rank_deficient_parity(p, q, b):
    """gelsy's minimum-norm solution and PyTorch's gradient (that of pinv(A) B), and the rank."""
    rng = np.random.default_rng(14)
    A = rng.standard_normal(p) @ rng.standard_normal(q)
    B = rng.standard_normal(b)
    check(lambda m, A, B: m.linalg.lstsq(A, B).solution, [A, B])
    check(lambda m, A, B: m.linalg.lstsq(A, B).rank, [A, B], grad=False)


# ---- qr, svd, eigh: errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: ag.linalg.qr(Tensor(np.ones(3))),
            ShapeError,
            r"linalg\.qr: A must have at least 2 dims, got shape \(3,\)",
        ),
        (lambda: ag.linalg.svd(Tensor(np.ones(3))), ShapeError, r"linalg\.svd: .*\(3,\)"),
        (lambda: ag.linalg.svdvals(Tensor(np.ones(()))), ShapeError, r"linalg\.svdvals: .*\(\)"),
        (lambda: ag.linalg.eigh(Tensor(np.ones((3, 2)))), ShapeError, r"linalg\.eigh: .*square.*3 by 2"),
        (lambda: ag.linalg.eigvalsh(Tensor(np.ones((2, 3)))), ShapeError, r"linalg\.eigvalsh: .*2 by 3"),
        (lambda: ag.linalg.qr(Tensor(np.eye(2, dtype=np.int64))), DTypeError, r"linalg\.qr: .*int64"),
        (lambda: ag.linalg.svd(Tensor(np.eye(2, dtype=np.int64))), DTypeError, r"linalg\.svd: .*int64"),
        (lambda: ag.linalg.svdvals(Tensor(np.eye(2, dtype=np.int32))), DTypeError, r"linalg\.svdvals: .*int32"),
        (lambda: ag.linalg.eigh(Tensor(np.eye(2, dtype=np.int64))), DTypeError, r"linalg\.eigh: .*int64"),
        (lambda: ag.linalg.eigvalsh(Tensor(np.eye(2, dtype=bool))), DTypeError, r"linalg\.eigvalsh: .*bool"),
        (
            lambda: ag.linalg.qr(Tensor(np.eye(2)), mode="full"),
            ArgumentError,
            r"linalg\.qr: mode must be 'reduced', 'complete' or 'r', got 'full'",
        ),
        (lambda: ag.linalg.qr(Tensor(np.eye(2)), mode=None), ArgumentError, r"linalg\.qr: mode .*got None"),
        (
            lambda: ag.linalg.eigh(Tensor(np.eye(2)), UPLO="X"),
            ArgumentError,
            r"linalg\.eigh: UPLO must be 'L' or 'U', got 'X'",
        ),
        (lambda: ag.linalg.eigvalsh(Tensor(np.eye(2)), UPLO="l"), ArgumentError, r"linalg\.eigvalsh: UPLO .*got 'l'"),
    ],
)
def test_decomposition_input_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    "mode, shape, message",
    [
        ("r", (3, 2), r"linalg\.qr: the derivative depends on Q, which is not computed when mode='r'"),
        ("r", (2, 3), r"linalg\.qr: the derivative depends on Q"),
        (
            "complete",
            (4, 3),
            r"linalg\.qr: .*not differentiable when mode='complete' and nrows > ncols \(A is 4 by 3\)",
        ),
    ],
)
def test_qr_backward_errors_where_pytorchs_raises(mode, shape, message):
    X = leaf(np.random.default_rng(15).standard_normal(shape))
    out = ag.linalg.qr(X, mode=mode).R.sum()
    with pytest.raises(GraphError, match=message):
        out.backward()
    T = torch.tensor(X.numpy(), requires_grad=True)
    with pytest.raises(RuntimeError, match="not computed when mode='r'|not differentiable when mode='complete'"):
        torch.linalg.qr(T, mode=mode).R.sum().backward()


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda A: ag.linalg.svd(A), "linalg.svd"),
        (lambda A: ag.linalg.svdvals(A), "linalg.svd"),
        (lambda A: ag.linalg.eigh(A), "linalg.eigh"),
        (lambda A: ag.linalg.eigvalsh(A), "linalg.eigh"),
    ],
)
def test_non_finite_input_is_a_domain_error_not_numpys(call, name):
    """NumPy's LinAlgError (PyTorch raises its own there too) becomes the engine's DomainError."""
    with pytest.raises(
        DomainError, match=name + r": the algorithm failed to converge for A of shape \(3, 3\); expected finite"
    ):
        call(Tensor(np.full((3, 3), np.nan)))
