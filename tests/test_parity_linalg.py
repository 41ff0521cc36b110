"""autograd.linalg_ops against PyTorch (tests/parity.py): every function in its `__all__`, values,
dtypes, shapes and gradients from the same float64 inputs, and float32 once."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import linalg_ops

from tests.parity import assert_same, check

NAMES = [
    "mm", "bmm", "mv", "dot", "outer", "addmm", "baddbmm", "einsum", "tensordot", "kron",
    "tril", "triu", "diag", "diagonal", "diag_embed", "trace", "cross",
    "inner", "vdot", "matrix_power", "addmv", "addr", "addbmm", "logdet", "chain_matmul", "diagflat",
]  # fmt: skip


def lib(m):
    return linalg_ops if m is ag else torch


def rand(*shape, seed=0):
    return np.random.default_rng(seed + sum(shape)).standard_normal(shape)


def test_all_is_the_list_of_functions():
    assert set(linalg_ops.__all__) == set(NAMES)
    assert len(linalg_ops.__all__) == len(NAMES)


CASES = [
    ("mm", lambda m, a, b: lib(m).mm(a, b), [rand(2, 3), rand(3, 4)]),
    ("bmm", lambda m, a, b: lib(m).bmm(a, b), [rand(2, 3, 4), rand(2, 4, 5)]),
    ("mv", lambda m, a, v: lib(m).mv(a, v), [rand(3, 4), rand(4)]),
    ("dot", lambda m, a, b: lib(m).dot(a, b), [rand(5), rand(5, seed=1)]),
    ("outer", lambda m, a, b: lib(m).outer(a, b), [rand(3), rand(4)]),
    ("addmm", lambda m, c, a, b: lib(m).addmm(c, a, b), [rand(2, 4), rand(2, 3), rand(3, 4)]),
    (
        "addmm-beta-alpha-broadcast",
        lambda m, c, a, b: lib(m).addmm(c, a, b, beta=0.5, alpha=-2.0),
        [rand(4), rand(2, 3), rand(3, 4)],
    ),
    ("addmm-beta-0", lambda m, c, a, b: lib(m).addmm(c, a, b, beta=0), [rand(2, 4), rand(2, 3), rand(3, 4)]),
    ("baddbmm", lambda m, c, a, b: lib(m).baddbmm(c, a, b), [rand(2, 3, 5), rand(2, 3, 4), rand(2, 4, 5)]),
    (
        "baddbmm-beta-alpha-broadcast",
        lambda m, c, a, b: lib(m).baddbmm(c, a, b, beta=2.0, alpha=0.5),
        [rand(3, 1), rand(2, 3, 4), rand(2, 4, 5)],
    ),
    ("tensordot-2", lambda m, a, b: lib(m).tensordot(a, b), [rand(2, 3, 4), rand(3, 4, 5)]),
    ("tensordot-0", lambda m, a, b: lib(m).tensordot(a, b, dims=0), [rand(2, 3), rand(4)]),
    (
        "tensordot-lists",
        lambda m, a, b: lib(m).tensordot(a, b, dims=([1, 2], [1, 0])),
        [rand(2, 3, 4), rand(4, 3, 5)],
    ),
    ("tensordot-negative", lambda m, a, b: lib(m).tensordot(a, b, dims=([-1], [0])), [rand(2, 3), rand(3, 4)]),
    ("kron-2d", lambda m, a, b: lib(m).kron(a, b), [rand(2, 3), rand(4, 2)]),
    ("kron-mixed-ndim", lambda m, a, b: lib(m).kron(a, b), [rand(3), rand(2, 2)]),
    ("kron-3d", lambda m, a, b: lib(m).kron(a, b), [rand(2, 1, 3), rand(1, 2, 2)]),
    ("tril", lambda m, a: lib(m).tril(a), [rand(3, 4)]),
    ("tril-offset-batch", lambda m, a: lib(m).tril(a, -1), [rand(2, 4, 3)]),
    ("triu", lambda m, a: lib(m).triu(a), [rand(4, 3)]),
    ("triu-offset", lambda m, a: lib(m).triu(a, diagonal=2), [rand(2, 3, 5)]),
    ("diag-1d", lambda m, a: lib(m).diag(a), [rand(3)]),
    ("diag-1d-offset", lambda m, a: lib(m).diag(a, 2), [rand(3)]),
    ("diag-1d-negative", lambda m, a: lib(m).diag(a, -1), [rand(3)]),
    ("diag-2d", lambda m, a: lib(m).diag(a), [rand(3, 4)]),
    ("diag-2d-offset", lambda m, a: lib(m).diag(a, diagonal=-1), [rand(3, 4)]),
    ("diagonal", lambda m, a: lib(m).diagonal(a), [rand(3, 4)]),
    ("diagonal-dims", lambda m, a: lib(m).diagonal(a, offset=1, dim1=2, dim2=0), [rand(3, 2, 4)]),
    ("diagonal-negative-dims", lambda m, a: lib(m).diagonal(a, -1, -1, -2), [rand(2, 4, 3)]),
    ("diagonal-offset-past-end", lambda m, a: lib(m).diagonal(a, 5), [rand(3, 3)]),
    ("diag_embed", lambda m, a: lib(m).diag_embed(a), [rand(2, 3)]),
    ("diag_embed-dims", lambda m, a: lib(m).diag_embed(a, offset=1, dim1=0, dim2=2), [rand(2, 3)]),
    ("diag_embed-negative", lambda m, a: lib(m).diag_embed(a, -2, dim1=-1, dim2=0), [rand(3)]),
    ("trace", lambda m, a: lib(m).trace(a), [rand(3, 3)]),
    ("trace-non-square", lambda m, a: lib(m).trace(a), [rand(2, 4)]),
    ("cross", lambda m, a, b: lib(m).cross(a, b, dim=1), [rand(4, 3), rand(4, 3, seed=1)]),
    ("cross-dim-0-broadcast", lambda m, a, b: lib(m).cross(a, b, dim=0), [rand(3, 1, 2), rand(3, 4, 1)]),
    ("cross-negative-dim", lambda m, a, b: lib(m).cross(a, b, dim=-1), [rand(1, 3), rand(2, 3)]),
]

EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ii->", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("i,j->ij", [(3,), (4,)]),
    ("...ij->...ji", [(2, 3, 4)]),
    ("...ij->...ji", [(3, 4)]),
    ("ij->", [(2, 3)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit output: the indices seen once, sorted
    ("ba", [(2, 3)]),
    ("ii", [(3, 3)]),
    ("iij->j", [(2, 2, 3)]),
    ("iii->i", [(2, 2, 2)]),
    ("ij->j", [(3, 4)]),
    ("i,i->", [(4,), (4,)]),
    ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("...ij,...jk->...ik", [(1, 2, 3), (5, 3, 4)]),  # broadcast batch dims
    ("...ij->ij", [(5, 2, 3)]),  # ellipsis dims missing from the output are summed
    ("ij,jk->ik", [(2, 1), (3, 4)]),  # a size-1 dim broadcasts
    (" i j , j k -> i k ", [(2, 3), (3, 4)]),
    ("bn,anm,bm->ba", [(2, 3), (4, 3, 5), (2, 5)]),
    ("i->", [(0,)]),
]


def _einsum(equation):
    return lambda m, *xs: lib(m).einsum(equation, *xs)


CASES += [(f"einsum {eq!r}", _einsum(eq), [rand(*s, seed=i) for i, s in enumerate(shapes)]) for eq, shapes in EQUATIONS]
CASES.append(("einsum-list", lambda m, a, b: lib(m).einsum("ij,jk->ik", [a, b]), [rand(2, 3), rand(3, 4)]))

WELL = rand(3, 3) + 3 * np.eye(3)  # well conditioned, det > 0
CASES += [
    ("inner", lambda m, a, b: lib(m).inner(a, b), [rand(2, 3), rand(4, 3)]),
    ("inner-1d", lambda m, a, b: lib(m).inner(a, b), [rand(3), rand(3, seed=1)]),
    ("inner-3d", lambda m, a, b: a.inner(b), [rand(2, 1, 3), rand(2, 2, 3)]),
    ("inner-0d", lambda m, a, b: lib(m).inner(a, b), [np.asarray(2.5), rand(2, 3)]),
    ("vdot", lambda m, a, b: lib(m).vdot(a, b), [rand(4), rand(4, seed=1)]),
    ("vdot-method", lambda m, a, b: a.vdot(b), [rand(2), rand(2, seed=2)]),
    *[(f"matrix_power {n}", lambda m, a, n=n: lib(m).matrix_power(a, n), [WELL]) for n in (0, 1, 2, 3, 5, 6, -1, -3)],
    ("matrix_power-batch", lambda m, a: a.matrix_power(4), [rand(2, 3, 3) * 0.5]),
    ("matrix_power-batch-negative", lambda m, a: a.matrix_power(-2), [rand(2, 2, 2) + 2 * np.eye(2)]),
    ("addmv", lambda m, c, a, v: lib(m).addmv(c, a, v), [rand(2), rand(2, 3), rand(3)]),
    (
        "addmv-beta-alpha-broadcast",
        lambda m, c, a, v: c.addmv(a, v, beta=2, alpha=-0.5),
        [rand(1), rand(2, 3), rand(3)],
    ),
    ("addmv-beta-0", lambda m, c, a, v: lib(m).addmv(c, a, v, beta=0), [rand(2), rand(2, 3), rand(3)]),
    ("addr", lambda m, c, a, b: lib(m).addr(c, a, b), [rand(2, 3), rand(2), rand(3)]),
    ("addr-beta-alpha-broadcast", lambda m, c, a, b: c.addr(a, b, beta=0.5, alpha=3), [rand(3), rand(2), rand(3)]),
    ("addbmm", lambda m, c, a, b: lib(m).addbmm(c, a, b), [rand(2, 4), rand(5, 2, 3), rand(5, 3, 4)]),
    (
        "addbmm-beta-alpha",
        lambda m, c, a, b: c.addbmm(a, b, beta=-1, alpha=0.5),
        [rand(4), rand(2, 2, 3), rand(2, 3, 4)],
    ),
    ("logdet", lambda m, a: lib(m).logdet(a), [WELL]),
    ("logdet-batch", lambda m, a: a.logdet(), [np.stack([WELL, WELL.T @ WELL])]),
    ("chain_matmul", lambda m, a, b, c: _quiet_chain(m, a, b, c), [rand(2, 3), rand(3, 4), rand(4, 2)]),
    ("chain_matmul-one", lambda m, a: _quiet_chain(m, a), [rand(2, 3)]),
    ("diagflat", lambda m, a: lib(m).diagflat(a), [rand(2, 2)]),
    ("diagflat-offset", lambda m, a: a.diagflat(-1), [rand(3)]),
    ("diagflat-0d", lambda m, a: lib(m).diagflat(a, 2), [np.asarray(1.5)]),
]


def _quiet_chain(m, *xs):
    """chain_matmul without its deprecation warning (PyTorch's warns once per process)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return lib(m).chain_matmul(*xs)


def test_chain_matmul_warns_that_it_is_deprecated_and_checks_its_matrices():
    with pytest.warns(UserWarning, match="chain_matmul is deprecated"):
        linalg_ops.chain_matmul(ag.ones(2, 2), ag.ones(2, 2))
    with pytest.raises(RuntimeError), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        torch.chain_matmul(torch.ones(2, 3), torch.ones(3))
    with pytest.raises(ag.ShapeError, match="chain_matmul"), pytest.warns(UserWarning):
        linalg_ops.chain_matmul(ag.ones(2, 3), ag.ones(3))


@pytest.mark.parametrize("name, fn, inputs", CASES, ids=[c[0] for c in CASES])
def test_matches_pytorch(name, fn, inputs):
    check(fn, inputs)


def test_every_function_has_a_case():
    covered = {name.split("-")[0].split(" ")[0] for name, _, _ in CASES}
    assert covered == set(linalg_ops.__all__)


def test_cross_default_dim_is_the_first_of_size_3_with_pytorchs_warning():
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        check(lambda m, a, b: lib(m).cross(a, b), [rand(3, 4), rand(3, 4, seed=1)])
    with pytest.warns(UserWarning):
        check(lambda m, a, b: lib(m).cross(a, b), [rand(4, 3, 3), rand(4, 3, 3, seed=1)])


FLOAT32 = [
    ("mm", lambda m, a, b: lib(m).mm(a, b), [(2, 3), (3, 4)]),
    ("bmm", lambda m, a, b: lib(m).bmm(a, b), [(2, 3, 4), (2, 4, 5)]),
    ("mv", lambda m, a, b: lib(m).mv(a, b), [(2, 3), (3,)]),
    ("dot", lambda m, a, b: lib(m).dot(a, b), [(3,), (3,)]),
    ("outer", lambda m, a, b: lib(m).outer(a, b), [(3,), (2,)]),
    ("addmm", lambda m, c, a, b: lib(m).addmm(c, a, b, alpha=2), [(2, 4), (2, 3), (3, 4)]),
    ("baddbmm", lambda m, c, a, b: lib(m).baddbmm(c, a, b, beta=0.5), [(1, 4), (2, 2, 3), (2, 3, 4)]),
    ("einsum", lambda m, a, b: lib(m).einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 4)]),
    ("einsum-trace", lambda m, a: lib(m).einsum("ii", a), [(3, 3)]),
    ("tensordot", lambda m, a, b: lib(m).tensordot(a, b, 1), [(2, 3), (3, 4)]),
    ("kron", lambda m, a, b: lib(m).kron(a, b), [(2, 2), (2, 3)]),
    ("tril", lambda m, a: lib(m).tril(a), [(3, 3)]),
    ("triu", lambda m, a: lib(m).triu(a, 1), [(3, 3)]),
    ("diag", lambda m, a: lib(m).diag(a), [(3,)]),
    ("diagonal", lambda m, a: lib(m).diagonal(a), [(3, 3)]),
    ("diag_embed", lambda m, a: lib(m).diag_embed(a), [(2, 3)]),
    ("trace", lambda m, a: lib(m).trace(a), [(3, 3)]),
    ("cross", lambda m, a, b: lib(m).cross(a, b, dim=-1), [(2, 3), (2, 3)]),
]


@pytest.mark.parametrize("name, fn, shapes", FLOAT32, ids=[c[0] for c in FLOAT32])
def test_float32_results_and_gradients_stay_float32(name, fn, shapes):
    """Small integers in float32, and the gradient of the plain sum: exact in both engines, so the
    dtypes are what is compared (the harness's random cotangents would round differently in float32)."""
    rng = np.random.default_rng(0)
    arrays = [rng.integers(-3, 4, s).astype(np.float32) for s in shapes]
    check(fn, arrays, grad=False)
    ours = [ag.tensor(a, dtype=np.float32, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    assert_same(ag.grad(fn(ag, *ours).sum(), ours), torch.autograd.grad(fn(torch, *theirs).sum(), theirs), "gradients")
    assert all(g.dtype == np.float32 for g in ag.grad(fn(ag, *ours).sum(), ours))


def test_outer_and_kron_promote_mixed_dtypes_as_pytorch():
    a, b = np.arange(3, dtype=np.float32), np.arange(2, dtype=np.float64)
    check(lambda m, x, y: lib(m).outer(x, y), [a, b])
    check(lambda m, x, y: lib(m).kron(x, y), [a, b])


def test_integer_tensors_keep_their_dtype():
    a = np.arange(6, dtype=np.int64).reshape(2, 3)
    check(lambda m, x: lib(m).mm(x, x.T), [a], grad=False)
    check(lambda m, x: lib(m).einsum("ij->j", x), [a], grad=False)
    check(lambda m, x: lib(m).tril(x), [a], grad=False)
    check(lambda m, x: lib(m).diagonal(x), [a], grad=False)


def test_new_products_on_integers_and_float32():
    a = np.arange(4, dtype=np.int64).reshape(2, 2) - 1
    check(lambda m, x: lib(m).matrix_power(x, 5), [a], grad=False)
    check(lambda m, x: lib(m).matrix_power(x, 0), [a], grad=False)
    check(lambda m, x: lib(m).inner(x, x), [a], grad=False)
    check(lambda m, x, y: lib(m).addr(x, y, y), [rand(2, 2).astype(np.float32), np.arange(2.0)])  # addr promotes
    x32 = np.array([[2.0, 1.0], [0.5, 3.0]], dtype=np.float32)
    check(lambda m, x: lib(m).matrix_power(x, -2), [x32], grad=False)
    check(lambda m, x: lib(m).logdet(x), [x32], grad=False)


def test_logdet_of_negative_and_zero_determinants():
    check(lambda m, x: lib(m).logdet(x), [np.array([[0.0, 1.0], [1.0, 0.0]])], grad=False)  # NaN
    check(lambda m, x: lib(m).logdet(x), [np.zeros((2, 2))], grad=False)  # -inf


def test_new_products_second_derivatives():
    def fn(f):
        return lambda m, *xs: m.autograd.grad(f(m, *xs).sum(), list(xs), create_graph=True)

    check(fn(lambda m, a: lib(m).matrix_power(a, 3)), [rand(3, 3)])
    check(fn(lambda m, a: lib(m).matrix_power(a, -2)), [WELL])
    check(fn(lambda m, a: lib(m).logdet(a)), [WELL])
    check(fn(lambda m, c, a, b: lib(m).addbmm(c, a, b) ** 2), [rand(2, 4), rand(2, 2, 3), rand(2, 3, 4)])


@pytest.mark.parametrize(
    "error, call",
    [
        (ag.ShapeError, lambda m: lib(m).inner(m.ones(2, 3), m.ones(4, 2))),
        (ag.DTypeError, lambda m: lib(m).inner(m.ones(3), m.ones(3, dtype=m.float64))),
        (ag.ShapeError, lambda m: lib(m).vdot(m.ones(3), m.ones(2))),
        (ag.ShapeError, lambda m: lib(m).vdot(m.ones(3, 1), m.ones(3, 1))),
        (ag.DTypeError, lambda m: lib(m).vdot(m.ones(3), m.ones(3, dtype=m.float64))),
        (ag.ShapeError, lambda m: lib(m).matrix_power(m.ones(2, 3), 2)),
        (ag.ShapeError, lambda m: lib(m).matrix_power(m.ones(2), 2)),
        (ag.DTypeError, lambda m: lib(m).matrix_power(m.ones(2, 2, dtype=m.int64), -1)),
        (ag.ShapeError, lambda m: lib(m).addmv(m.ones(2), m.ones(2, 3), m.ones(2))),
        (ag.DTypeError, lambda m: lib(m).addmv(m.ones(2), m.ones(2, 3), m.ones(3, dtype=m.float64))),
        (ag.ShapeError, lambda m: lib(m).addr(m.ones(3, 3), m.ones(2), m.ones(3))),
        (ag.ShapeError, lambda m: lib(m).addbmm(m.ones(2, 4), m.ones(5, 2, 3), m.ones(4, 3, 4))),
        (ag.DTypeError, lambda m: lib(m).logdet(m.ones(2, 2, dtype=m.int64))),
        (ag.ShapeError, lambda m: lib(m).logdet(m.ones(2, 3))),
    ],
)
def test_new_products_raise_where_pytorch_does(error, call):
    with pytest.raises((RuntimeError, TypeError)):
        call(torch)
    name = next(n for n in NAMES if f"lib(m).{n}(" in inspect.getsource(call))
    with pytest.raises(error, match=f"^{name}: "):
        call(ag)


def test_matrix_power_n_must_be_an_int():
    with pytest.raises(TypeError):
        torch.matrix_power(torch.eye(2), 2.0)
    with pytest.raises(ag.ArgumentError, match="matrix_power"):
        linalg_ops.matrix_power(ag.eye(2), 2.0)


# ---- torch.linalg's matrix_power, vecdot, multi_dot ----------------------------------------------


def tl(m):
    return m.linalg


@pytest.mark.parametrize(
    "fn, inputs",
    [
        (lambda m, a: tl(m).matrix_power(a, 3), [rand(2, 3, 3)]),
        (lambda m, a: tl(m).matrix_power(a, -1), [WELL]),
        (lambda m, a: tl(m).matrix_power(a, 0), [WELL]),
        (lambda m, a, b: tl(m).vecdot(a, b), [rand(2, 3), rand(3)]),
        (lambda m, a, b: tl(m).vecdot(a, b, dim=0), [rand(2, 3), rand(2, 1)]),
        (lambda m, a, b: tl(m).vecdot(a, b, dim=-2), [rand(4, 2, 3).astype(np.float32), rand(2, 3).astype(np.float32)]),
        (lambda m, a, b, c: tl(m).multi_dot([a, b, c]), [rand(3), rand(3, 2), rand(2)]),
        (lambda m, a, b, c, d: tl(m).multi_dot((a, b, c, d)), [rand(2, 3), rand(3, 4), rand(4, 1), rand(1, 2)]),
        (lambda m, a, b: tl(m).multi_dot([a, b]), [rand(3), rand(3, seed=1)]),
        (lambda m, a, b: tl(m).multi_dot([a, b]), [rand(2, 3), rand(3)]),
    ],
)
def test_torch_linalg_products(fn, inputs):
    check(fn, inputs)


@pytest.mark.parametrize(
    "error, call",
    [
        (ag.ShapeError, lambda m: m.linalg.matrix_power(m.ones(2, 3), 2)),
        (ag.DTypeError, lambda m: m.linalg.vecdot(m.ones(2, 3), m.ones(3, dtype=m.float64))),
        (ag.DTypeError, lambda m: m.linalg.vecdot(m.ones(3, dtype=m.int64), m.ones(3, dtype=m.int64))),
        (ag.ShapeError, lambda m: m.linalg.vecdot(m.ones(2, 3), m.ones(2))),
        (ag.ArgumentError, lambda m: m.linalg.multi_dot([m.ones(3)])),
        (ag.ShapeError, lambda m: m.linalg.multi_dot([m.ones(3, 2), m.ones(3)])),
        (ag.ShapeError, lambda m: m.linalg.multi_dot([m.ones(3, 2), m.ones(2, 3, 2)])),
        (ag.ShapeError, lambda m: m.linalg.multi_dot([m.ones(3, 2), m.ones(2), m.ones(2, 3)])),
        (ag.DTypeError, lambda m: m.linalg.multi_dot([m.ones(3, 2), m.ones(2, 3, dtype=m.float64)])),
    ],
)
def test_torch_linalg_products_raise_where_pytorch_does(error, call):
    with pytest.raises(RuntimeError):
        call(torch)
    name = next(n for n in ("matrix_power", "vecdot", "multi_dot") if n in inspect.getsource(call))
    with pytest.raises(error, match=name):
        call(ag)
