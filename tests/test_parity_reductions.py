"""PyTorch parity of autograd.reductions: every function in its `__all__` through the harness,
over several dims and keepdim, with zeros for the products, NaN for the nan-functions, the
integer and bool dtypes, 0-d inputs and float32 once."""

from __future__ import annotations

import math

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
