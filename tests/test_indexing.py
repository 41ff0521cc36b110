"""autograd.indexing: every differentiable function's gradient and second derivative against central
differences (float64, under Hypothesis, index arrays drawn in range), the in-place forms' version
counters and leaf errors, and the errors for bad indices and masks. PyTorch parity is in
test_parity_indexing.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import gradcheck, gradgradcheck, indexing
from autograd.errors import ArgumentError, DTypeError, GraphError, IndexOutOfRange, ShapeError
from autograd.gates import index as gates
from autograd.gates import table
from autograd.testing import arrays, shapes

EXPECTED = {
    "masked_fill", "masked_fill_", "masked_select", "index_select", "index_add", "index_add_", "index_fill",
    "index_fill_", "gather", "scatter", "scatter_", "scatter_add", "scatter_add_", "take_along_dim", "nonzero",
    "argwhere", "where_indices", "setitem",
}  # fmt: skip


def test_all_is_the_list():
    assert set(indexing.__all__) == EXPECTED
    assert all(callable(getattr(indexing, name)) for name in indexing.__all__)


def leaf(a):
    return ag.tensor(a, dtype=ag.float64, requires_grad=True)


def both(fn, *inputs):
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


@st.composite
def case(draw, min_dims=1):
    """A float64 array, a dim of it, and an index array of its rank in range along dim."""
    shape = draw(shapes(min_dims=min_dims, max_dims=3, max_side=4))
    dim = draw(st.integers(0, len(shape) - 1))
    x = draw(arrays(shape))
    ishape = tuple(draw(st.integers(1, n)) if d != dim else draw(st.integers(1, 4)) for d, n in enumerate(shape))
    index = np.asarray(draw(st.lists(st.integers(0, shape[dim] - 1), min_size=int(np.prod(ishape)),
                                     max_size=int(np.prod(ishape))))).reshape(ishape)  # fmt: skip
    return x, dim, index


@settings(max_examples=25, deadline=None)
@given(case())
def test_gather(c):
    x, dim, index = c
    both(lambda t: indexing.gather(t, dim, ag.tensor(index)), leaf(x))


@settings(max_examples=25, deadline=None)
@given(case())
def test_take_along_dim(c):
    x, dim, index = c
    shape = list(x.shape)  # take_along_dim broadcasts the other dims (gather allows smaller ones): make them x's
    shape[dim] = index.shape[dim]
    index = np.resize(index, shape)
    both(lambda t: indexing.take_along_dim(t, ag.tensor(index), dim), leaf(x))
    both(lambda t: indexing.take_along_dim(t, ag.tensor(index.reshape(-1) % x.size)), leaf(x))


@st.composite
def unique_case(draw):
    """As case, with no position written twice (scatter's set is then a function of src)."""
    x, dim, index = draw(case())
    n = x.shape[dim]
    ishape = list(index.shape)
    ishape[dim] = min(ishape[dim], n)
    cols = int(np.prod(ishape)) // ishape[dim]
    picks = [draw(st.permutations(range(n)))[: ishape[dim]] for _ in range(cols)]
    index = np.moveaxis(np.array(picks).T.reshape([ishape[dim]] + ishape[:dim] + ishape[dim + 1 :]), 0, dim)
    return x, dim, index


@settings(max_examples=25, deadline=None)
@given(unique_case(), st.data())
def test_scatter(c, data):
    x, dim, index = c
    src = data.draw(arrays(tuple(n + data.draw(st.integers(0, 1)) for n in index.shape)))
    i = ag.tensor(index)
    both(lambda t, s: indexing.scatter(t, dim, i, s), leaf(x), leaf(src))
    both(lambda t: indexing.scatter(t, dim, i, value=1.5), leaf(x))
    both(lambda t, s: indexing.scatter_(t.clone(), dim, i, s), leaf(x), leaf(src))


@settings(max_examples=25, deadline=None)
@given(case(), st.data())
def test_scatter_add_and_reductions(c, data):
    x, dim, index = c
    src = data.draw(arrays(index.shape, low=0.5, high=2.0) if data.draw(st.booleans()) else arrays(index.shape))
    i = ag.tensor(index)
    both(lambda t, s: indexing.scatter_add(t, dim, i, s), leaf(x), leaf(src))
    both(lambda t, s: indexing.scatter_add_(t * 1, dim, i, s), leaf(x), leaf(src))
    both(lambda t, s: indexing.scatter(t, dim, i, s, reduce="add"), leaf(x), leaf(src))
    both(lambda t, s: indexing.scatter(t, dim, i, s, reduce="multiply"), leaf(x), leaf(src))
    both(lambda t: indexing.scatter(t, dim, i, -0.5, reduce="multiply"), leaf(x))


def test_scatter_multiply_with_repeats_and_zeros_is_the_product():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    src = leaf([[2.0, 0.0], [3.0, 5.0], [0.5, 1.0]])
    i = ag.tensor([[0, 1], [0, 1], [0, 0]])
    out = indexing.scatter(x, 0, i, src, reduce="multiply")
    np.testing.assert_allclose(out.numpy(), [[3.0, 2.0], [3.0, 0.0]])
    out.sum().backward()
    np.testing.assert_allclose(src.grad.numpy(), [[1.5, 20.0], [1.0, 0.0], [6.0, 2.0]])
    both(lambda t, s: indexing.scatter(t, 0, i, s, reduce="multiply"), leaf(x.numpy()), leaf(src.numpy()))


@settings(max_examples=25, deadline=None)
@given(case(), st.data())
def test_index_select_add_fill(c, data):
    x, dim, index = c
    rows = index.reshape(-1)[: data.draw(st.integers(1, 4))]
    i = ag.tensor(rows)
    source = data.draw(arrays(x.shape[:dim] + (rows.size,) + x.shape[dim + 1 :]))
    alpha = data.draw(st.sampled_from([1, -0.5, 2.0]))
    both(lambda t: indexing.index_select(t, dim, i), leaf(x))
    both(lambda t, s: indexing.index_add(t, dim, i, s, alpha=alpha), leaf(x), leaf(source))
    both(lambda t, s: indexing.index_add_(t.clone(), dim, i, s, alpha=alpha), leaf(x), leaf(source))
    both(lambda t, v: indexing.index_fill(t, dim, i, v), leaf(x), leaf(0.25))
    both(lambda t: indexing.index_fill_(t.clone(), dim, i - x.shape[dim], 3.0), leaf(x))  # negative indices


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_masked(data):
    shape = data.draw(shapes(min_dims=1))
    x = data.draw(arrays(shape))
    mshape = tuple(data.draw(st.sampled_from([1, n])) for n in shape)
    mask = ag.tensor(np.asarray(data.draw(st.lists(st.booleans(), min_size=int(np.prod(mshape)),
                                                   max_size=int(np.prod(mshape))))).reshape(mshape))  # fmt: skip
    both(lambda t, v: indexing.masked_fill(t, mask, v), leaf(x), leaf(-1.0))
    both(lambda t: indexing.masked_fill_(t.clone(), mask, 2.0), leaf(x))
    both(lambda t, v: indexing.masked_fill_(t * 1, mask, v), leaf(x), leaf(0.5))
    both(lambda t: indexing.masked_select(t, mask), leaf(x))
    both(lambda t: indexing.masked_fill(t, ag.tensor(np.ones(shape, dtype=bool)), 0.0), leaf(x[:1]))  # broadcast x


INDICES = [
    (0,),
    (slice(None), 1),
    (slice(1, None), slice(None, None, 2)),
    (np.array([2, 0]),),
    (np.array([0, 2]), np.array([3, 1])),
    (Ellipsis, -1),
    (np.array([[True, False, True, False]] * 3),),
]


@pytest.mark.parametrize("index", INDICES, ids=range(len(INDICES)))
def test_setitem_gradients(index):
    x = np.random.default_rng(0).normal(size=(3, 4))
    target = x[index].shape

    def fn(t, v):
        y = t * 1
        indexing.setitem(y, index, v)
        return y

    both(fn, leaf(x), leaf(np.random.default_rng(1).normal(size=target)))
    both(fn, leaf(x), leaf(np.random.default_rng(2).normal(size=target[-1:])))  # broadcast value
    both(fn, leaf(x), leaf(0.5))


def test_setitem_with_a_repeated_index_gives_the_value_the_gradient_at_each_position():
    # the last write wins (NumPy; PyTorch leaves it unspecified); the value's gradient is PyTorch's
    # formula, g read at every indexed position, not the derivative of the last-write-wins function
    v = leaf([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = ag.tensor(np.zeros((3, 2)), dtype=ag.float64) * 1
    indexing.setitem(y, ag.tensor([2, 0, 2]), v)
    np.testing.assert_allclose(y.numpy(), [[3.0, 4.0], [0.0, 0.0], [5.0, 6.0]])
    (y * ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=ag.float64)).sum().backward()
    np.testing.assert_allclose(v.grad.numpy(), [[5.0, 6.0], [1.0, 2.0], [5.0, 6.0]])


def test_setitem_region_gets_no_gradient_and_value_gets_the_region():
    x = leaf(np.arange(12.0).reshape(3, 4))
    v = leaf([10.0, 20.0, 30.0, 40.0])
    y = x * 2
    indexing.setitem(y, 1, v)
    assert y.grad_fn.name == "SetItem"
    np.testing.assert_allclose(y.numpy()[1], v.numpy())
    (y * ag.tensor(np.arange(12.0).reshape(3, 4))).sum().backward()
    np.testing.assert_allclose(
        x.grad.numpy(), np.where(np.arange(3)[:, None] == 1, 0, 2 * np.arange(12.0).reshape(3, 4))
    )
    np.testing.assert_allclose(v.grad.numpy(), [4.0, 5.0, 6.0, 7.0])


def test_setitem_outside_the_graph_writes_in_place_and_bumps_the_version():
    x = ag.tensor(np.zeros((2, 3)))
    memory = x.numpy()
    before = x._version
    indexing.setitem(x, (0, slice(None)), ag.tensor([1.0, 2.0, 3.0]))
    assert x.numpy() is memory and x._version == before + 1
    np.testing.assert_allclose(x.numpy(), [[1, 2, 3], [0, 0, 0]])
    indexing.setitem(x, (1, 2), 9)
    assert x._version == before + 2 and x.numpy()[1, 2] == 9


def test_setitem_on_a_saved_tensor_makes_its_gate_refuse_backward():
    a = leaf([1.0, 2.0, 3.0])
    with ag.no_grad():
        b = a * 1
    y = (a * b).sum()  # Mul saved b
    indexing.setitem(b, 0, 5.0)  # b needs no grad: written in place, outside the graph
    with pytest.raises(GraphError, match="modified in place"):
        y.backward()


def test_setitem_in_the_graph_makes_earlier_gates_refuse():
    a = leaf([1.0, 2.0, 3.0])
    b = a * 1
    y = (b * b).sum()
    indexing.setitem(b, 0, 5.0)  # recorded: b is now SetItem's output, and Mul saw an older b
    with pytest.raises(GraphError, match="modified in place"):
        y.backward()


def test_setitem_records_when_only_the_value_requires_grad():
    x = ag.tensor(np.zeros((2, 2)), dtype=ag.float64)
    v = leaf([1.0, 2.0])
    indexing.setitem(x, 1, v)
    assert x.requires_grad and x.grad_fn.name == "SetItem"
    x.sum().backward()
    np.testing.assert_allclose(v.grad.numpy(), [1.0, 1.0])


IN_PLACE = [
    ("setitem", lambda t: indexing.setitem(t, 0, 1.0)),
    ("masked_fill_", lambda t: indexing.masked_fill_(t, ag.tensor([True, False]), 1.0)),
    ("index_add_", lambda t: indexing.index_add_(t, 0, ag.tensor([1]), ag.tensor([1.0], dtype=ag.float64))),
    ("index_fill_", lambda t: indexing.index_fill_(t, 0, ag.tensor([1]), 0.0)),
    ("scatter_", lambda t: indexing.scatter_(t, 0, ag.tensor([1]), 2.0)),
    ("scatter_add_", lambda t: indexing.scatter_add_(t, 0, ag.tensor([0]), ag.tensor([1.0], dtype=ag.float64))),
]


@pytest.mark.parametrize("name, op", IN_PLACE, ids=[n for n, _ in IN_PLACE])
def test_in_place_forms_refuse_a_leaf_that_requires_grad(name, op):
    x = leaf([1.0, 2.0])
    with pytest.raises(GraphError, match=f"{name}: a leaf Variable that requires grad is being used in an in-place"):
        op(x)
    with ag.no_grad():  # as optimisers do
        op(x)
    assert x._version == 1 and x.grad_fn is None


@pytest.mark.parametrize("name, op", IN_PLACE, ids=[n for n, _ in IN_PLACE])
def test_in_place_forms_bump_the_version_and_record_in_the_graph(name, op):
    x = ag.tensor([1.0, 2.0], dtype=ag.float64)
    before = x._version
    memory = x.numpy()
    assert op(x) is None if name == "setitem" else op(x) is x
    assert x.numpy() is memory and x._version > before
    a = leaf([1.0, 2.0])
    y = a * 1
    saved = (y * y).sum()
    op(y)
    assert y.grad_fn is not None
    y.sum().backward()  # through the recorded op to a
    assert a.grad is not None
    with pytest.raises(GraphError, match="modified in place"):
        saved.backward()


def test_nonzero_argwhere_where_indices():
    x = ag.tensor([[0.0, 1.5], [2.0, 0.0]])
    np.testing.assert_array_equal(indexing.nonzero(x).numpy(), [[0, 1], [1, 0]])
    assert indexing.nonzero(x).dtype == np.int64
    rows, cols = indexing.nonzero(x, as_tuple=True)
    np.testing.assert_array_equal(rows.numpy(), [0, 1])
    np.testing.assert_array_equal(cols.numpy(), [1, 0])
    np.testing.assert_array_equal(indexing.argwhere(x).numpy(), indexing.nonzero(x).numpy())
    assert [t.tolist() for t in indexing.where_indices(x > 0)] == [[0, 1], [1, 0]]
    assert indexing.nonzero(ag.tensor(3.0)).shape == (1, 0)
    assert [t.tolist() for t in indexing.nonzero(ag.tensor(0.0), as_tuple=True)] == [[]]
    assert not indexing.nonzero(leaf([1.0, 0.0])).requires_grad


X = ag.tensor(np.zeros((3, 4)))
I2 = ag.tensor([[0, 1]])


@pytest.mark.parametrize(
    "fn, error, match",
    [
        (lambda: indexing.gather(X, 1, ag.tensor([0, 1])), ShapeError, r"gather: the index has 1 dims .* has 2"),
        (lambda: indexing.gather(X, 1, ag.tensor([[0, 1]] * 4)), ShapeError, r"gather: .*larger than the tensor"),
        (lambda: indexing.gather(X, 1, ag.tensor([[4]])), IndexOutOfRange, r"gather: index 4 .*dim 1 of size 4"),
        (lambda: indexing.gather(X, 1, ag.tensor([[-1]])), IndexOutOfRange, r"gather: index -1 .*size 4"),
        (lambda: indexing.gather(X, 1, ag.tensor([[0.0]])), DTypeError, r"gather: the index must be an integer"),
        (lambda: indexing.gather(X, 1, ag.tensor([[True]])), DTypeError, r"gather: the index must be an integer"),
        (lambda: indexing.gather(X, 1, [[0]]), ArgumentError, r"gather: argument 'index' must be an integer Tensor"),
        (lambda: indexing.scatter(X, 0, ag.tensor([0]), 1.0), ShapeError, r"scatter: the index has 1 dims"),
        (lambda: indexing.scatter(X, 0, I2, ag.tensor([[1.0]])), ShapeError, r"scatter: .*does not fit the src"),
        (lambda: indexing.scatter(X, 0, ag.tensor([[3]]), 1.0), IndexOutOfRange, r"scatter: index 3 .*size 3"),
        (lambda: indexing.scatter(X, 0, I2, 1.0, reduce="max"), ArgumentError, r"scatter: reduce must be"),
        (lambda: indexing.scatter_add(X, 0, ag.tensor([[0.5]]), X), DTypeError, r"scatter_add: the index"),
        (lambda: indexing.index_select(X, 0, ag.tensor([3])), IndexOutOfRange, r"index_select: index 3 .*size 3"),
        (lambda: indexing.index_select(X, 0, ag.tensor([[0]])), ShapeError, r"index_select: the index must be 1-D"),
        (lambda: indexing.index_select(X, 0, ag.tensor([0.0])), DTypeError, r"index_select: the index"),
        (lambda: indexing.index_add(X, 0, ag.tensor([0]), X), ShapeError, r"index_add: the source has shape"),
        (lambda: indexing.index_fill(X, 1, ag.tensor([-5]), 0.0), IndexOutOfRange, r"index_fill: index -5 .*size 4"),
        (lambda: indexing.take_along_dim(X, ag.tensor([0]), 1), ShapeError, r"take_along_dim: .*same number of dims"),
        (
            lambda: indexing.take_along_dim(X, ag.tensor([[0]] * 2), 1),
            ShapeError,
            r"take_along_dim: .*do not broadcast",
        ),
        (lambda: indexing.take_along_dim(X, ag.tensor([[4]]), 1), IndexOutOfRange, r"take_along_dim: index 4"),
        (
            lambda: indexing.masked_fill(X, ag.tensor([1, 0, 1, 0]), 0.0),
            DTypeError,
            r"masked_fill: the mask must be a bool tensor, got",
        ),
        (
            lambda: indexing.masked_fill(X, ag.tensor([1.0]), 0.0),
            DTypeError,
            r"masked_fill: the mask must be a bool tensor, got",
        ),
        (
            lambda: indexing.masked_fill(X, ag.tensor([True, False]), 0.0),
            ShapeError,
            r"masked_fill: a mask of shape \(2,\)",
        ),
        (
            lambda: indexing.masked_fill(X, ag.tensor([True] * 4), ag.tensor([1.0])),
            ShapeError,
            r"masked_fill: the value",
        ),
        (lambda: indexing.masked_fill_(X, ag.tensor([[[True]]] * 2), 0.0), ShapeError, r"masked_fill_: a mask"),
        (lambda: indexing.masked_select(X, ag.tensor([[True]] * 2)), ShapeError, r"masked_select: a mask of shape"),
        (lambda: indexing.masked_select(X, ag.tensor([0, 1, 0, 1])), DTypeError, r"masked_select: the mask must be"),
        (lambda: indexing.setitem(X, 3, 0.0), IndexOutOfRange, r"setitem: .*shape \(3, 4\)"),
        (lambda: indexing.setitem(X, 0, ag.tensor([1.0, 2.0])), ShapeError, r"setitem: a value of shape \(2,\)"),
        (lambda: indexing.gather(X, 2, I2), ShapeError, r"gather: dim 2 is out of range"),
    ],
)
def test_errors_name_the_function_and_shapes(fn, error, match):
    with pytest.raises(error, match=match):
        fn()


def test_setitem_refuses_a_read_only_view():
    x = ag.tensor([1.0, 2.0]).expand(3, 2)
    with pytest.raises(GraphError, match="read-only"):
        indexing.setitem(x, 0, 1.0)


def test_gate_docstrings_follow_the_table_pattern():
    rows = {row.name: row for row in table.rows([gates])}  # parses them, or raises naming the gate
    assert set(rows) == {"Gather", "SetItem", "IndexAdd", "MaskedFill", "Embedding"}
    assert all(row.gradient for row in rows.values())


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_rows_picked_by_an_integer_array_get_every_gradient_added(data):
    """x[rows]'s backward sums the gradient of each pick into its row (sorted runs, np.add.reduceat):
    what np.add.at gives, with repeated rows, negative rows (−1 is the last) and any index shape."""
    shape = data.draw(shapes(min_dims=1, max_dims=3, max_side=5))
    rows = np.asarray(data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), max_size=12)), dtype=np.int64)
    rows = rows.reshape(data.draw(st.sampled_from([(-1,), (1, -1)]))) if rows.size else rows
    x = ag.tensor(data.draw(arrays(shape)), requires_grad=True)
    g = data.draw(arrays(rows.shape + shape[1:]))
    (x[ag.tensor(rows)] * ag.tensor(g)).sum().backward()
    expected = np.zeros(shape)
    np.add.at(expected, rows, g)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-12, atol=1e-12)
