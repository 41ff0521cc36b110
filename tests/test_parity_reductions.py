"""PyTorch parity of autograd.reductions: every function in its `__all__` through the harness,
over several dims and keepdim, with zeros for the products, NaN for the nan-functions, the
integer and bool dtypes, 0-d inputs and float32 once."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import reductions
from tests.parity import check

EXPECTED = {
    "prod", "cumsum", "cumprod", "logcumsumexp", "cummax", "cummin", "norm", "vector_norm", "matrix_norm",
    "std", "var", "std_mean", "var_mean", "median", "nanmean", "nansum", "topk", "sort", "argsort", "msort",
    "kthvalue", "unique", "bincount", "histc", "count_nonzero", "diff",
    "quantile", "nanquantile", "nanmedian", "mode", "aminmax", "cov", "corrcoef",
}  # fmt: skip

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))  # no ties
X3 = RNG.standard_normal((2, 3, 5))
ZERO = X.copy()
ZERO[1, 2] = 0.0
ZEROS = ZERO.copy()
ZEROS[1, 0] = 0.0  # two zeros in one row
ZEROS[2, 2] = 0.0  # and two in one column
NAN = X.copy()
NAN[0, 1] = np.nan
NAN[2, :] = np.nan  # a row of NaN only


def lib(m):
    return reductions if m is ag else torch


def linalg(m):
    return reductions if m is ag else torch.linalg


def test_all_is_the_list():
    assert set(reductions.__all__) == EXPECTED
    assert len(reductions.__all__) == len(EXPECTED)


DIMS = [0, 1, -1]


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "logcumsumexp"])
def test_scans(name, dim):
    check(lambda m, x: getattr(lib(m), name)(x, dim), [X])
    check(lambda m, x: getattr(lib(m), name)(x, dim), [X3])


@pytest.mark.parametrize("dim", DIMS)
def test_cumprod_with_zeros(dim):
    check(lambda m, x: lib(m).cumprod(x, dim), [ZERO])
    check(lambda m, x: lib(m).cumprod(x, dim), [ZEROS])


def test_scans_keep_a_dtype_and_make_integers_int64():
    check(lambda m, x: lib(m).cumsum(x, 0), [X.astype(np.float32)])
    check(lambda m, x: lib(m).cumsum(x, 0, dtype=m.float64), [X.astype(np.float32)])
    for name in ("cumsum", "cumprod"):
        check(
            lambda m, x, name=name: getattr(lib(m), name)(x, 1),
            [np.arange(1, 7, dtype=np.int32).reshape(2, 3)],
            grad=False,
        )
        check(lambda m, x, name=name: getattr(lib(m), name)(x, 0), [np.array([True, False, True])], grad=False)
    check(lambda m, x: lib(m).cumsum(x, 0), [np.array(2.5)])  # 0-d


def test_logcumsumexp_over_a_wide_range():
    check(lambda m, x: lib(m).logcumsumexp(x, 1), [X * 300])  # the pairwise backward
    check(lambda m, x: lib(m).logcumsumexp(x, 0), [np.array([-1000.0, 0.0, 1000.0, 1.0])])


@pytest.mark.parametrize("dim", DIMS)
@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_cummin(name, dim):
    check(lambda m, x: tuple(getattr(lib(m), name)(x, dim)), [X])
    check(lambda m, x: tuple(getattr(lib(m), name)(x, dim)), [np.array([[1, 3, 3, 2, 3], [2, 1, 1, 3, 1]])])


def test_cummax_of_ties_and_nan():  # ties: the latest index; NaN sticks
    check(lambda m, x: tuple(lib(m).cummax(x, 0)), [np.array([1.0, 3.0, 3.0, 2.0, 3.0])], grad=False)
    check(lambda m, x: tuple(lib(m).cummin(x, 0)), [np.array([2.0, 1.0, 1.0, 3.0, 1.0])], grad=False)
    check(lambda m, x: tuple(lib(m).cummax(x, 0)), [np.array([1.0, np.nan, 3.0, 2.0])], grad=False)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1, -1, (0, 1)])
def test_prod(dim, keepdim):
    if isinstance(dim, tuple):  # torch.prod takes one dim: compare with two products
        check(lambda m, x: lib(m).prod(x, dim, keepdim) if m is ag else x.prod(1, keepdim).prod(0, keepdim), [ZERO])
        return
    if dim is None:
        check(lambda m, x: lib(m).prod(x), [X])
        check(lambda m, x: lib(m).prod(x), [ZERO])
        check(lambda m, x: lib(m).prod(x), [ZEROS])
        return
    for a in (X, ZERO, ZEROS):
        check(lambda m, x: lib(m).prod(x, dim, keepdim), [a])


def test_prod_dtypes():
    check(lambda m, x: lib(m).prod(x, 1), [np.arange(1, 7, dtype=np.int32).reshape(2, 3)], grad=False)
    check(lambda m, x: lib(m).prod(x), [np.array([True, True])], grad=False)
    check(lambda m, x: lib(m).prod(x, 0, dtype=m.float64), [X.astype(np.float32)])
    check(lambda m, x: lib(m).prod(x, 0), [X.astype(np.float32)])  # float32 agreement


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("dim", DIMS)
def test_sort_argsort(dim, descending):
    check(lambda m, x: tuple(lib(m).sort(x, dim, descending)), [X])
    check(lambda m, x: tuple(lib(m).sort(x, dim=dim, descending=descending, stable=True)), [X3])
    check(lambda m, x: lib(m).argsort(x, dim, descending), [X], grad=False)


def test_sort_stable_with_ties_and_nan():
    ties = np.array([2.0, 1.0, 2.0, 1.0, np.nan, 0.0])
    for descending in (False, True):
        check(lambda m, x, d=descending: tuple(lib(m).sort(x, descending=d, stable=True)), [ties], grad=False)
    check(lambda m, x: tuple(lib(m).sort(x, descending=True)), [np.array([3, 1, 3, 2], dtype=np.int64)], grad=False)
    check(lambda m, x: tuple(lib(m).sort(x)), [np.array([True, False, True])], grad=False)
    check(lambda m, x: tuple(lib(m).sort(x)), [np.array(1.5)])  # 0-d


def test_msort():
    check(lambda m, x: lib(m).msort(x), [X])
    check(lambda m, x: lib(m).msort(x), [X3])


@pytest.mark.parametrize("largest", [True, False])
@pytest.mark.parametrize("dim", DIMS)
def test_topk(dim, largest):
    for k in (0, 1, 2, X.shape[dim]):
        check(lambda m, x, k=k: tuple(lib(m).topk(x, k, dim, largest)), [X])
    check(lambda m, x: tuple(lib(m).topk(x, 2, dim=dim, largest=largest, sorted=True)), [X3])


def test_topk_float32_and_integers():
    check(lambda m, x: tuple(lib(m).topk(x, 2)), [X.astype(np.float32)])
    check(lambda m, x: tuple(lib(m).topk(x, 2)), [np.array([[5, 1, 4], [0, 9, 2]])], grad=False)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", DIMS)
def test_kthvalue(dim, keepdim):
    for k in range(1, X.shape[dim] + 1):
        check(lambda m, x, k=k: tuple(lib(m).kthvalue(x, k, dim, keepdim)), [X])
    check(lambda m, x: tuple(lib(m).kthvalue(x, 2, dim, keepdim=keepdim)), [X3])


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", DIMS)
def test_median_over_a_dim(dim, keepdim):
    check(lambda m, x: tuple(lib(m).median(x, dim, keepdim)), [X])  # even and odd counts
    check(lambda m, x: tuple(lib(m).median(x, dim, keepdim)), [X3])


def test_median_global_and_nan():
    check(lambda m, x: lib(m).median(x), [X])  # 12 elements: the lower middle one
    check(lambda m, x: lib(m).median(x), [X3[0]])  # 15 elements
    check(lambda m, x: lib(m).median(x), [np.array(3.0)])
    check(lambda m, x: lib(m).median(x), [np.array([1.0, np.nan, 0.0, 2.0])], grad=False)
    check(lambda m, x: tuple(lib(m).median(x, 1)), [NAN], grad=False)
    check(lambda m, x: tuple(lib(m).median(x, 0)), [np.array([[4, 1], [2, 3], [0, 5]])], grad=False)


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 1)])
def test_nansum_nanmean(dim, keepdim):
    kw = {} if dim is None else {"dim": dim, "keepdim": keepdim}
    check(lambda m, x: lib(m).nansum(x, **kw), [NAN])
    check(lambda m, x: lib(m).nanmean(x, **kw), [NAN])
    check(lambda m, x: lib(m).nanmean(x, **kw), [X])


def test_nansum_dtypes():
    check(lambda m, x: lib(m).nansum(x), [np.arange(5, dtype=np.int32)], grad=False)
    check(lambda m, x: lib(m).nansum(x, 1, dtype=m.float64), [NAN.astype(np.float32)])
    check(lambda m, x: lib(m).nanmean(x, 0), [NAN.astype(np.float32)])


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_var_std(name, dim, keepdim):
    for kw in ({}, {"correction": 0}, {"correction": 2}, {"correction": 0.5}, {"unbiased": False}, {"unbiased": True}):
        check(lambda m, x, kw=kw: getattr(lib(m), name)(x, dim, keepdim=keepdim, **kw), [X])


@pytest.mark.filterwarnings("ignore:.*degrees of freedom is <= 0:UserWarning")  # PyTorch's, for the NaN case
def test_var_std_positional_forms():
    check(lambda m, x: lib(m).var(x, 1, False, True), [X])  # var(input, dim, unbiased, keepdim)
    check(lambda m, x: lib(m).std(x, False), [X])  # std(input, unbiased)
    check(lambda m, x: lib(m).std(x), [X.astype(np.float32)])
    check(lambda m, x: lib(m).var(x, 0), [np.array([[1.0, 2.0]])], grad=False)  # one element: NaN


ORDS = [1, 2, 3, 0.5, -1.5, math.inf, -math.inf, 0]


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("ord", ORDS)
def test_vector_norm(ord, dim, keepdim):
    check(lambda m, x: linalg(m).vector_norm(x, ord, dim, keepdim), [X], grad=ord != 0)


def test_vector_norm_of_zeros_and_float32():
    check(lambda m, x: linalg(m).vector_norm(x, 2, 1), [np.array([[0.0, 0.0], [3.0, 4.0]])])  # subgradient 0
    check(lambda m, x: linalg(m).vector_norm(x, 3, 1), [np.array([[0.0, 0.0], [3.0, 4.0]])])
    check(lambda m, x: linalg(m).vector_norm(x), [X.astype(np.float32)])
    check(lambda m, x: linalg(m).vector_norm(x, dtype=m.float64), [X.astype(np.float32)])


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [(-2, -1), (0, 1), (1, 0), (2, 0)])
@pytest.mark.parametrize("ord", ["fro", 1, -1, 2, -2, math.inf, -math.inf])
def test_matrix_norm(ord, dim, keepdim):
    check(lambda m, x: linalg(m).matrix_norm(x, ord, dim, keepdim), [X3])
    if max(dim) < 2:
        check(lambda m, x: linalg(m).matrix_norm(x, ord, dim, keepdim=keepdim), [X])


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("p", ["fro", 1, 2, 3.0, math.inf])
@pytest.mark.parametrize("dim", [None, 0, (0, 1), (0, 2), (0, 1, 2)])
def test_norm(p, dim, keepdim):
    if p == "fro" and dim == (0, 1, 2):  # a matrix norm over three dims: an error on both sides
        return
    check(lambda m, x: lib(m).norm(x, p, dim, keepdim), [X3])


def test_norm_matrix_and_default():
    check(lambda m, x: lib(m).norm(x), [X])
    check(lambda m, x: lib(m).norm(x, dtype=m.float64), [X.astype(np.float32)])


def test_count_nonzero():
    for dim in (None, 0, 1, (0, 1)):
        check(lambda m, x, dim=dim: lib(m).count_nonzero(x, dim), [ZEROS], grad=False)
    check(lambda m, x: lib(m).count_nonzero(x), [np.array([True, False])], grad=False)


@pytest.mark.parametrize("inverse", [False, True])
@pytest.mark.parametrize("counts", [False, True])
def test_unique(inverse, counts):
    data = np.array([[3, 1, 3], [2, 1, 0]])
    check(lambda m, x: lib(m).unique(x, True, inverse, counts), [data], grad=False)
    check(lambda m, x: lib(m).unique(x, return_inverse=inverse, return_counts=counts), [data * 0.5], grad=False)
    rows = np.array([[3, 1], [1, 2], [3, 1]])
    for dim in (0, 1):
        check(
            lambda m, x, d=dim: lib(m).unique(x, return_inverse=inverse, return_counts=counts, dim=d),
            [rows],
            grad=False,
        )


def test_bincount():
    x = np.array([3, 1, 3, 2, 0, 3])
    check(lambda m, x: lib(m).bincount(x), [x], grad=False)
    check(lambda m, x: lib(m).bincount(x, minlength=8), [x], grad=False)
    check(lambda m, x: lib(m).bincount(x), [np.zeros(0, np.int64)], grad=False)
    for w in (np.linspace(0, 1, 6), np.linspace(0, 1, 6).astype(np.float32), np.arange(6)):
        check(lambda m, x, w: lib(m).bincount(x, w, 2), [x, w], grad=False)


def test_histc():
    check(lambda m, x: lib(m).histc(x), [X], grad=False)
    check(lambda m, x: lib(m).histc(x, 5), [X], grad=False)
    check(lambda m, x: lib(m).histc(x, bins=7, min=-1, max=1), [X], grad=False)
    check(lambda m, x: lib(m).histc(x, 4), [np.array([1.0, 2.0, 1.0, 4.0])], grad=False)  # max in the last bin
    check(lambda m, x: lib(m).histc(x, 4), [np.array([1.0, 1.0])], grad=False)  # one value: [v - 1, v + 1]
    check(lambda m, x: lib(m).histc(x, 6, -2, 2), [X3.astype(np.float32)], grad=False)


@pytest.mark.parametrize("n", [0, 1, 2, 5])
@pytest.mark.parametrize("dim", DIMS)
def test_diff(n, dim):
    check(lambda m, x: lib(m).diff(x, n, dim), [X])


def test_diff_prepend_append_and_dtypes():
    check(lambda m, x, p: lib(m).diff(x, 1, 0, prepend=p), [X, X[:2]])
    check(lambda m, x, p: lib(m).diff(x, 2, 1, append=p), [X, X[:, :1]])
    check(lambda m, x, p, a: lib(m).diff(x, 3, -1, p, a), [X, X[:, :2], X[:, 1:2]])
    check(lambda m, x: lib(m).diff(x), [np.array([True, False, False, True])], grad=False)
    check(lambda m, x: lib(m).diff(x), [np.array([3, 1, 4, 1, 5])], grad=False)
    check(lambda m, x: lib(m).diff(x, 1, 0), [X.astype(np.float32)])


def test_empty_and_0d_inputs():
    empty = np.zeros((0, 3))
    for name in ("cumsum", "cumprod", "logcumsumexp"):
        check(lambda m, x, name=name: getattr(lib(m), name)(x, 0), [empty])
    check(lambda m, x: tuple(lib(m).sort(x, 0)), [empty])
    check(lambda m, x: lib(m).prod(x, 0), [empty])
    check(lambda m, x: lib(m).histc(x, 3), [np.zeros(0)], grad=False)
    check(lambda m, x, w: lib(m).bincount(x, w), [np.zeros(0, np.int64), np.zeros(0)], grad=False)
    scalar = np.array(2.0)
    check(lambda m, x: tuple(lib(m).cummax(x, 0)), [scalar])
    check(lambda m, x: lib(m).logcumsumexp(x, -1), [scalar])
    check(lambda m, x: tuple(lib(m).topk(x, 1)), [scalar])
    check(lambda m, x: lib(m).prod(x, 0), [scalar])
    check(lambda m, x: lib(m).unique(x), [scalar], grad=False)


# ---- quantile, nanquantile, nanmedian, mode, aminmax, cov, corrcoef ---------------------------------

INTERPOLATIONS = ["linear", "lower", "higher", "midpoint", "nearest"]
QS = np.array([0.0, 0.125, 0.25, 0.5, 0.625, 0.9, 1.0])  # rank 0.5 and 1.5 for 3 or 4 elements: halves


@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
def test_quantile(name, interpolation):
    f = getattr
    for q in (0.3, 0.5, 1.0, QS):
        qs = (lambda m, q=q: q) if not isinstance(q, np.ndarray) else (lambda m, q=q: m.tensor(q, dtype=m.float64))
        check(lambda m, x, q=qs: f(lib(m), name)(x, q(m), interpolation=interpolation), [X])  # of all elements
        check(lambda m, x, q=qs: f(lib(m), name)(x, q(m), 1, interpolation=interpolation), [X])
        check(lambda m, x, q=qs: f(lib(m), name)(x, q(m), -3, True, interpolation=interpolation), [X3])
        check(lambda m, x, q=qs: f(lib(m), name)(x, q(m), keepdim=True, interpolation=interpolation), [X3])
    check(
        lambda m, x: f(lib(m), name)(x, m.tensor(0.4, dtype=m.float64), 0, interpolation=interpolation), [X]
    )  # a 0-d q
    check(lambda m, x: f(lib(m), name)(x, 0.5, 0, interpolation=interpolation), [np.array([1.0, 1.0, 2.0, 3.0])])
    check(lambda m, x: getattr(x, name)(0.25, 0, interpolation=interpolation), [np.array(1.5)])  # 0-d input


@pytest.mark.parametrize("interpolation", INTERPOLATIONS)
def test_quantile_nan_and_float32(interpolation):
    for name in ("quantile", "nanquantile"):
        check(
            lambda m, x, n=name: getattr(lib(m), n)(x, m.tensor(QS, dtype=m.float64), 1, interpolation=interpolation),
            [NAN],
        )
        check(lambda m, x, n=name: getattr(lib(m), n)(x, 0.3, interpolation=interpolation), [NAN])
        x32 = X.astype(np.float32)
        check(lambda m, x, n=name: getattr(lib(m), n)(x, m.tensor(QS, dtype=m.float32), 0), [x32])


def test_quantile_errors_as_torch():
    x, tx = ag.tensor(X), torch.tensor(X)
    cases = [
        (ag.DTypeError, lambda m, t: m.quantile(t.long(), 0.5)),
        (ag.DomainError, lambda m, t: m.quantile(t, 1.5)),
        (ag.DomainError, lambda m, t: m.quantile(t, m.tensor([0.5, -0.1], dtype=m.float64))),
        (ag.DTypeError, lambda m, t: m.quantile(t, m.tensor([0.5], dtype=m.float32))),
        (ag.ShapeError, lambda m, t: m.quantile(t, m.full((2, 2), 0.5, dtype=m.float64))),
        (ag.ArgumentError, lambda m, t: m.quantile(t, 0.5, interpolation="bad")),
        (ag.ShapeError, lambda m, t: m.quantile(t[:0], 0.5)),
        (ag.ShapeError, lambda m, t: m.quantile(t, 0.5, 2)),  # the module's dim error
        (ag.ArgumentError, lambda m, t: m.quantile(t, "half")),
    ]
    for error, f in cases:
        with pytest.raises((RuntimeError, IndexError, TypeError)):
            f(torch, tx)
        for name in ("quantile", "nanquantile"):
            with pytest.raises(error, match=name):
                f(SimpleNamespace(quantile=getattr(reductions, name), tensor=ag.tensor, full=ag.full,
                                  float32=ag.float32, float64=ag.float64), x)  # fmt: skip


def test_nanmedian():
    check(lambda m, x: lib(m).nanmedian(x), [NAN])  # of all elements
    check(lambda m, x: lib(m).nanmedian(x, 1), [NAN[:2]])
    check(lambda m, x: lib(m).nanmedian(x, 0, True), [NAN])
    # a row of NaN only: NaN (PyTorch's index there is whatever its nth_element leaves first)
    check(lambda m, x: lib(m).nanmedian(x, 1).values, [NAN], grad=False)
    check(lambda m, x: lib(m).nanmedian(x, -1), [X3])
    check(lambda m, x: lib(m).nanmedian(x), [np.array([np.nan, np.nan])])
    check(lambda m, x: lib(m).nanmedian(x), [np.array([2.0, 1.0, 2.0, 5.0, 2.0])])  # ties share the gradient
    check(lambda m, x: lib(m).nanmedian(x), [np.array([4, 1, 3, 2])])
    check(lambda m, x: lib(m).nanmedian(x, 0), [np.array([[4, 1], [3, 2], [0, 9]])])
    check(lambda m, x: x.nanmedian(0), [np.array(2.5)])
    check(lambda m, x: lib(m).nanmedian(x, 1), [X.astype(np.float32)])
    check(lambda m, x: lib(m).nanmedian(x), [np.zeros(0)], grad=False)
    with pytest.raises(IndexError):
        torch.nanmedian(torch.tensor(X), 2)
    with pytest.raises(ag.ShapeError, match="nanmedian"):  # the module's dim error
        reductions.nanmedian(ag.tensor(X), 2)


def test_mode():
    ties = np.array([[1.0, 2.0, 2.0, 1.0, 3.0], [3.0, 3.0, 1.0, 1.0, 1.0], [5.0, 4.0, 3.0, 2.0, 1.0]])
    check(lambda m, x: lib(m).mode(x), [ties])  # the smallest most frequent, at its last index
    check(lambda m, x: lib(m).mode(x, 0, True), [ties])
    check(lambda m, x: lib(m).mode(x, -2), [ties.T.copy()])
    check(lambda m, x: lib(m).mode(x), [np.array([2, 1, 2, 1, 3, 1, 2])])
    check(lambda m, x: lib(m).mode(x), [np.array([True, False, True])])
    check(lambda m, x: lib(m).mode(x), [np.array([1.0, np.nan, np.nan, 2.0])])
    check(lambda m, x: x.mode(), [np.array(3.0)])
    check(lambda m, x: x.mode(1), [ties.astype(np.float32)])
    with pytest.raises(IndexError):
        torch.mode(torch.zeros(1, 0))
    with pytest.raises(ag.IndexOutOfRange, match="mode"):
        reductions.mode(ag.zeros(1, 0))


def test_aminmax():
    ties = np.array([[1.0, 3.0, 3.0], [-2.0, -2.0, 0.5]])
    check(lambda m, x: lib(m).aminmax(x), [X])
    check(lambda m, x: lib(m).aminmax(x, dim=None, keepdim=True), [X3])
    for dim in (0, 1, -1):
        check(lambda m, x, d=dim: lib(m).aminmax(x, dim=d), [ties])  # ties share the gradient evenly
        check(lambda m, x, d=dim: lib(m).aminmax(x, dim=d, keepdim=True), [X3])
    check(lambda m, x: x.aminmax(dim=0), [np.array([[3, 1], [2, 5]])])
    check(lambda m, x: x.aminmax(), [np.array([True, False])])
    check(lambda m, x: x.aminmax(), [np.array(2.5)])
    check(lambda m, x: lib(m).aminmax(x, dim=1), [NAN], grad=False)
    check(lambda m, x: lib(m).aminmax(x, dim=0), [X.astype(np.float32)])
    out = reductions.aminmax(ag.tensor(X))
    assert out.min is out[0] and out.max is out[1] and torch.aminmax(torch.tensor(X)).min is not None
    with pytest.raises(RuntimeError):
        torch.aminmax(torch.zeros(0))
    with pytest.raises(ag.ShapeError, match="aminmax"):
        reductions.aminmax(ag.zeros(0))


FW = np.array([1, 2, 0, 3])
AW = np.array([0.5, 1.0, 2.0, 0.25])


@pytest.mark.parametrize("correction", [0, 1, 2])
def test_cov(correction):
    kw = {"correction": correction}
    check(lambda m, x: lib(m).cov(x, **kw), [X])
    check(lambda m, x: lib(m).cov(x, **kw), [X[0]])  # one variable: 0-d
    check(lambda m, x, f: lib(m).cov(x, fweights=f, **kw), [X, FW])
    check(lambda m, x, a: lib(m).cov(x, aweights=a, **kw), [X, AW])
    check(lambda m, x, f, a: lib(m).cov(x, fweights=f, aweights=a, **kw), [X, FW, AW])
    check(lambda m, x: x.cov(**kw), [np.array([[1, 2, 4], [3, 1, 0]])])  # integers: float32
    check(lambda m, x: lib(m).cov(x, **kw), [X.astype(np.float32)])


def test_cov_without_degrees_of_freedom_and_errors():
    for x, correction in ((np.asarray(2.0), 1), (X[:, :3], 3)):  # 0 / 0, x / 0
        with pytest.warns(UserWarning, match="degrees of freedom") as caught:
            check(lambda m, a, c=correction: lib(m).cov(a, correction=c), [x], grad=False)
        assert any("cov: " in str(w.message) for w in caught)  # ours as well as PyTorch's
    x, tx = ag.tensor(X), torch.tensor(X)
    cases = [
        (ag.ShapeError, lambda m, t: m.cov(t.reshape(1, 3, 4))),
        (ag.DTypeError, lambda m, t: m.cov(t > 0)),
        (ag.DTypeError, lambda m, t: m.cov(t, fweights=m.tensor([1.0, 2.0, 1.0, 1.0]))),
        (ag.DomainError, lambda m, t: m.cov(t, fweights=m.tensor([1, -2, 1, 1]))),
        (ag.DTypeError, lambda m, t: m.cov(t, aweights=m.tensor([1, 2, 1, 1]))),
        (ag.DomainError, lambda m, t: m.cov(t, aweights=m.tensor([1.0, -2.0, 1.0, 1.0]))),
        (ag.ShapeError, lambda m, t: m.cov(t, aweights=m.tensor([1.0, 2.0]))),
    ]
    for error, f in cases:
        with pytest.raises(RuntimeError):
            f(torch, tx)
        with pytest.raises(error, match="cov"):
            f(ag, x)


def test_corrcoef():
    check(lambda m, x: lib(m).corrcoef(x), [X])
    check(lambda m, x: x.corrcoef(), [X3[0]])
    check(lambda m, x: lib(m).corrcoef(x), [X[0]])  # one variable: 1
    check(lambda m, x: lib(m).corrcoef(x), [np.array([[1, 2, 4], [3, 1, 0]])])
    check(lambda m, x: lib(m).corrcoef(x), [np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]])])  # ±1, clamped
    with pytest.warns(UserWarning, match="degrees of freedom"):
        check(lambda m, x: lib(m).corrcoef(x), [np.asarray(2.0)], grad=False)


def test_new_reductions_second_derivatives():
    def fn(f):
        return lambda m, x: m.autograd.grad(f(m, x).sum(), [x], create_graph=True)[0]

    check(fn(lambda m, x: lib(m).quantile(x, m.tensor([0.3, 0.8], dtype=m.float64), 1) ** 2), [X])
    check(fn(lambda m, x: lib(m).cov(x) ** 2), [X])
    check(fn(lambda m, x: lib(m).corrcoef(x)), [X])


def test_float32_mean_is_the_sum_divided_once_as_pytorch():
    """997 ones out of 1000: Σ/n is 0.997f exactly, as PyTorch gives; Σ · (1/n) would be one ulp above."""
    values = np.zeros(1000, np.float32)
    values[:997] = 1
    assert ag.tensor(values).mean().item() == torch.tensor(values).mean().item() == float(np.float32(0.997))
    assert ag.tensor(values.reshape(10, 100)).mean(1).tolist() == torch.tensor(values.reshape(10, 100)).mean(1).tolist()
