"""autograd.linalg's solve, inv, det, slogdet, lstsq, matrix_rank and cholesky: float64 gradcheck and
gradgradcheck on well-conditioned (or positive-definite) batches, parity with torch.linalg (values,
dtypes, shapes and gradients), and the errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.errors import DomainError, DTypeError, ShapeError

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


# ---- lstsq of rank-deficient matrices -------------------------------------------------------


LSTSQ_RANK_DEFICIENT = [((5, 2), (2, 4), (5, 2)), ((4, 2), (2, 6), (4,)), ((2, 5, 1), (2, 1, 3), (2, 5, 2))]


@pytest.mark.parametrize("p, q, b", LSTSQ_RANK_DEFICIENT, ids=str)
def test_lstsq_rank_deficient_parity(p, q, b):
    """gelsy's minimum-norm solution and PyTorch's gradient (that of pinv(A) B), and the rank."""
    rng = np.random.default_rng(14)
    A = rng.standard_normal(p) @ rng.standard_normal(q)
    B = rng.standard_normal(b)
    check(lambda m, A, B: m.linalg.lstsq(A, B).solution, [A, B])
    check(lambda m, A, B: m.linalg.lstsq(A, B).rank, [A, B], grad=False)
