"""autograd.indexing against PyTorch through tests/parity.py: values, dtypes, shapes and the
gradients of every input (in-place forms and `x[index] = v` through a function that clones first)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import indexing

from tests.parity import check

RNG = np.random.default_rng(7)
X = RNG.normal(size=(3, 4))
X3 = RNG.normal(size=(2, 3, 4))
MASK = RNG.random((3, 4)) > 0.5
ROW_MASK = np.array([True, False, True, True])
I_GATHER = np.array([[0, 3], [2, 2], [1, 0]])  # dim 1, repeats
I_ROWS = np.array([2, 0, 2])  # repeats: gradients add up
I_UNIQUE = np.array([[0, 2], [1, 0]])  # dim 0 in (3, 4), no repeats within a column
SRC = RNG.normal(size=(2, 3))  # larger than I_UNIQUE in dim 1: only its (2, 2) block is read
I_REPEAT = np.array([[1, 1], [1, 1], [0, 1]])  # dim 0, repeats within columns


def m(module):
    """The module holding the function: autograd.indexing here, torch there."""
    return indexing if module is ag else torch


def test_all_names():
    assert set(indexing.__all__) == {
        "masked_fill", "masked_fill_", "masked_select", "index_select", "index_add", "index_add_", "index_fill",
        "index_fill_", "gather", "scatter", "scatter_", "scatter_add", "scatter_add_", "take_along_dim", "nonzero",
        "argwhere", "where_indices", "setitem",
    }  # fmt: skip


@pytest.mark.parametrize("mask", [MASK, ROW_MASK, MASK[:1]], ids=["same", "row", "broadcast"])
def test_masked_fill_and_select(mask):
    check(lambda mod, x, k: m(mod).masked_fill(x, k, -2.5), [X, mask])
    check(lambda mod, x, k: m(mod).masked_select(x, k), [X, mask])
    check(lambda mod, x, k: x.clone().masked_fill_(k, 1.5) if mod is torch
          else indexing.masked_fill_(x.clone(), k, 1.5), [X, mask])  # fmt: skip


def test_masked_fill_with_a_tensor_value_and_a_broadcast_input():
    check(lambda mod, x, k, v: m(mod).masked_fill(x, k, v), [X, MASK, np.array(0.7)])
    check(lambda mod, x, k: m(mod).masked_fill(x, k, 3.0), [X[0], MASK])  # input broadcast to the mask


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_index_select(dim):
    check(lambda mod, x, i: m(mod).index_select(x, dim, i), [X3, np.array([1, 0, 1]) if dim == 0 else I_ROWS])


def test_index_add_and_fill():
    src = RNG.normal(size=(3, 3))
    check(lambda mod, x, i, s: m(mod).index_add(x, 1, i, s), [X, I_ROWS, src])
    check(lambda mod, x, i, s: m(mod).index_add(x, 1, i, s, alpha=-0.5), [X, I_ROWS, src])
    check(lambda mod, x, i, s: x.clone().index_add_(1, i, s, alpha=2.0) if mod is torch
          else indexing.index_add_(x.clone(), 1, i, s, alpha=2.0), [X, I_ROWS, src])  # fmt: skip
    check(lambda mod, x, i: m(mod).index_fill(x, 1, i, 4.0), [X, np.array([1, -1])])
    check(lambda mod, x, i, v: m(mod).index_fill(x, 0, i, v), [X, np.array([2]), np.array(-1.25)])
    check(lambda mod, x, i: x.clone().index_fill_(0, i, 0.5) if mod is torch
          else indexing.index_fill_(x.clone(), 0, i, 0.5), [X, np.array([0, 2])])  # fmt: skip


@pytest.mark.parametrize("dim", [0, 1, 2])
def test_gather(dim):
    index = RNG.integers(0, X3.shape[dim], size=(2, 2, 3))
    check(lambda mod, x, i: m(mod).gather(x, dim, i), [X3, index])


def test_take_along_dim():
    check(lambda mod, x, i: m(mod).take_along_dim(x, i, 1), [X, I_GATHER])
    check(lambda mod, x, i: m(mod).take_along_dim(x, i, 1), [X, np.array([[3, 0, -1]])])  # broadcast; negative
    check(lambda mod, x, i: m(mod).take_along_dim(x, i), [X, np.array([11, 0, 5, 5])])
    order = np.argsort(X, axis=0)
    check(lambda mod, x, i: m(mod).take_along_dim(x, i, dim=0), [X, order])


def test_scatter():
    check(lambda mod, x, i, s: m(mod).scatter(x, 0, i, s), [X, I_UNIQUE, SRC[:, :2]])
    # a src larger than the index: PyTorch's backward fails on its own shape check, so values only
    check(lambda mod, x, i, s: m(mod).scatter(x, 0, i, s), [X, I_UNIQUE, SRC], grad=False)
    check(lambda mod, x, i: m(mod).scatter(x, 0, i, 2.5), [X, I_UNIQUE])
    check(lambda mod, x, i: m(mod).scatter(x, 1, i, value=-1.0), [X, I_GATHER])
    check(lambda mod, x, i, s: x.clone().scatter_(0, i, s) if mod is torch
          else indexing.scatter_(x.clone(), 0, i, s), [X, I_UNIQUE, SRC[:, :2]])  # fmt: skip


@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
@pytest.mark.parametrize("reduce", ["add", "multiply"])
def test_scatter_reduce_values(reduce):
    # PyTorch has no derivative for scatter with reduce=; the values are compared here, the
    # gradients against central differences in test_indexing.py
    src = RNG.normal(size=(3, 2))
    check(lambda mod, x, i, s: m(mod).scatter(x, 0, i, s, reduce=reduce), [X, I_REPEAT, src], grad=False)
    check(lambda mod, x, i: m(mod).scatter(x, 0, i, 1.5, reduce=reduce), [X, I_REPEAT], grad=False)


def test_scatter_add():
    src = RNG.normal(size=(3, 2))
    check(lambda mod, x, i, s: m(mod).scatter_add(x, 0, i, s), [X, I_REPEAT, src])
    check(lambda mod, x, i, s: x.clone().scatter_add_(0, i, s) if mod is torch
          else indexing.scatter_add_(x.clone(), 0, i, s), [X, I_REPEAT, src])  # fmt: skip
    big = RNG.normal(size=(3, 3))  # larger than the index: values only (PyTorch's backward refuses it)
    check(lambda mod, x, i, s: m(mod).scatter_add(x, 0, i, s), [X, I_REPEAT, big], grad=False)


@pytest.mark.parametrize("values", [X, X > 0, np.array([0.0, 2.0, 0.0]), np.array(3.0), np.array(0.0)])
def test_nonzero_argwhere_where(values):
    check(lambda mod, x: m(mod).nonzero(x), [values], grad=False)
    check(lambda mod, x: m(mod).nonzero(x, as_tuple=True), [values], grad=False)
    check(lambda mod, x: m(mod).argwhere(x), [values], grad=False)
    if values.ndim:
        check(lambda mod, x: indexing.where_indices(x) if mod is ag else torch.where(x), [values], grad=False)


def _assigned(index):
    def fn(mod, x, v):
        y = x.clone()
        if mod is ag:
            indexing.setitem(y, index, v)
        else:
            y[index] = v
        return y

    return fn


@pytest.mark.parametrize(
    "index, value",
    [
        ((0,), RNG.normal(size=4)),
        ((slice(None), 1), RNG.normal(size=3)),
        ((slice(1, None), slice(None, None, 2)), RNG.normal(size=(2, 1))),  # broadcast: summed gradient
        ((np.array([2, 0]),), RNG.normal(size=(2, 4))),
        ((np.array([0, 2]), np.array([3, 1])), RNG.normal(size=2)),
        ((MASK,), RNG.normal(size=int(MASK.sum()))),
        ((Ellipsis, 2), np.array(0.5)),
        ((0,), RNG.normal(size=(1, 4))),  # a leading 1 dropped
    ],
)
def test_setitem_with_gradients_to_both(index, value):
    idx = tuple(torch.tensor(i) if isinstance(i, np.ndarray) else i for i in index)
    ours = tuple(ag.tensor(i) if isinstance(i, np.ndarray) else i for i in index)

    def fn(mod, x, v):
        y = x.clone()
        if mod is ag:
            indexing.setitem(y, ours, v)
        else:
            y[idx] = v
        return y

    check(fn, [X, value])


def test_setitem_with_a_number():
    check(_assigned((slice(None), 0)), [X, 7.0])
