"""Shape gates: reshape / view / flatten / squeeze / unsqueeze, permute / transpose / .T / .mT,
expand / broadcast_to, indexing (basic, integer arrays with repeats, boolean masks), cat / stack
and pad. Forwards against NumPy, gradients against central differences, clear errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.testing import broadcastable_shapes, shapes, tensors


def check(fn, x, expected):
    """fn(x) equals the NumPy result exactly (shape gates do no arithmetic) and its gradient
    passes gradcheck."""
    out = fn(x)
    assert out.shape == np.shape(expected)
    np.testing.assert_array_equal(out.numpy(), expected)
    assert gradcheck(fn, x)


@st.composite
def reshape_targets(draw, shape):
    size = int(np.prod(shape))
    options = [(size,), (-1,), tuple(reversed(shape)), (1,) + shape, shape + (1,), ()] if size == 1 else []
    options += [(size,), (-1,), tuple(reversed(shape)), (1,) + shape + (1,)]
    target = list(draw(st.sampled_from(options)))
    if target and draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    return tuple(target)


@given(data=st.data())
def test_reshape_and_view(data):
    x = data.draw(tensors(shapes()))
    target = data.draw(reshape_targets(x.shape))
    expected = x.numpy().reshape(target)
    check(lambda t: t.reshape(target), x, expected)
    check(lambda t: t.reshape(*target), x, expected)
    check(lambda t: t.view(target), x, expected)


@given(x=tensors(shapes(min_dims=1)), data=st.data())
def test_flatten(x, data):
    ndim = x.ndim
    start = data.draw(st.integers(-ndim, ndim - 1))
    end = data.draw(st.integers(start % ndim, ndim - 1)) - data.draw(st.sampled_from([0, ndim]))
    s, e = start % ndim, end % ndim
    expected = x.numpy().reshape(x.shape[:s] + (-1,) + x.shape[e + 1 :])
    check(lambda t: t.flatten(start, end), x, expected)
    check(Tensor.flatten, x, x.numpy().reshape(-1))


def test_flatten_of_a_0d_tensor_is_one_element():
    assert ag.tensor(3.0).flatten().shape == (1,)


@given(x=tensors(shapes(max_side=2)), data=st.data())
def test_squeeze(x, data):
    check(Tensor.squeeze, x, np.squeeze(x.numpy()))
    if x.ndim:
        d = data.draw(st.integers(-x.ndim, x.ndim - 1))
        expected = np.squeeze(x.numpy(), d) if x.shape[d] == 1 else x.numpy()  # a dim not of size 1 stays
        check(lambda t: t.squeeze(d), x, expected)


@given(x=tensors(shapes()), data=st.data())
def test_unsqueeze(x, data):
    d = data.draw(st.integers(-x.ndim - 1, x.ndim))
    check(lambda t: t.unsqueeze(d), x, np.expand_dims(x.numpy(), d))


@given(x=tensors(shapes()), data=st.data())
def test_permute_transpose_T(x, data):
    order = tuple(data.draw(st.permutations(range(x.ndim))))
    check(lambda t: t.permute(order), x, np.transpose(x.numpy(), order))
    check(lambda t: t.permute(*order), x, np.transpose(x.numpy(), order))
    check(lambda t: t.T, x, x.numpy().T)
    if x.ndim:
        d0, d1 = (data.draw(st.integers(-x.ndim, x.ndim - 1)) for _ in range(2))
        check(lambda t: t.transpose(d0, d1), x, np.swapaxes(x.numpy(), d0, d1))
    if x.ndim >= 2:
        check(lambda t: t.mT, x, np.swapaxes(x.numpy(), -1, -2))


@given(pair=broadcastable_shapes(), data=st.data())
def test_expand_and_broadcast_to(pair, data):
    small, other = pair
    big = np.broadcast_shapes(small, other)
    x = data.draw(tensors(small))
    expected = np.broadcast_to(x.numpy(), big)
    check(lambda t: t.broadcast_to(big), x, expected)
    check(lambda t: t.expand(*big), x, expected)
    lead = len(big) - len(small)
    keep = tuple(-1 if i >= lead and small[i - lead] == s else s for i, s in enumerate(big))
    check(lambda t: t.expand(keep), x, expected)  # -1 keeps an existing dim


# ---- indexing -----------------------------------------------------------------------------------


@given(x=tensors(shapes()), data=st.data())
def test_basic_indexing_with_ints_slices_none_and_ellipsis(x, data):
    index = data.draw(hnp.basic_indices(x.shape, allow_newaxis=True))
    check(lambda t: t[index], x, x.numpy()[index])


@given(x=tensors(shapes(min_dims=1)), data=st.data())
def test_integer_array_indexing_accumulates_repeated_indices(x, data):
    index = data.draw(hnp.integer_array_indices(x.shape, result_shape=shapes(min_dims=1, max_dims=2, max_side=6)))
    check(lambda t: t[index], x, x.numpy()[index])
    rows = data.draw(hnp.arrays(np.int64, st.integers(1, 6), elements=st.integers(-x.shape[0], x.shape[0] - 1)))
    check(lambda t: t[rows], x, x.numpy()[rows])
    check(lambda t: t[rows.tolist()], x, x.numpy()[rows])
    check(lambda t: t[Tensor(rows)], x, x.numpy()[rows])
    check(lambda t: t[..., None][rows, ...], x, x.numpy()[..., None][rows, ...])


@given(x=tensors(shapes(min_dims=1)), data=st.data())
def test_boolean_mask_indexing(x, data):
    mask = data.draw(hnp.arrays(np.bool_, x.shape))
    check(lambda t: t[mask], x, x.numpy()[mask])
    check(lambda t: t[Tensor(mask)], x, x.numpy()[mask])
    rows = data.draw(hnp.arrays(np.bool_, x.shape[:1]))
    check(lambda t: t[rows], x, x.numpy()[rows])


def test_repeated_indices_accumulate_by_hand():
    x = ag.tensor([10.0, 20.0, 30.0], requires_grad=True)
    y = x[[0, 0, 2, 0]]
    np.testing.assert_array_equal(y.numpy(), [10, 10, 30, 10])
    y.backward(ag.tensor([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [7, 0, 3])
    m = ag.zeros(2, 2, requires_grad=True)
    m[[1, 1, 0], [0, 0, 1]].sum().backward()
    np.testing.assert_array_equal(m.grad.numpy(), [[0, 1], [2, 0]])


def test_mask_from_a_comparison_selects_and_routes_gradient():
    x = ag.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    (x[x > 0] * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 3, 0, 3])


@settings(max_examples=15)
@given(x=tensors(shapes(min_dims=1, max_side=3)), data=st.data())
def test_indexing_second_derivative(x, data):
    index = data.draw(hnp.integer_array_indices(x.shape, result_shape=shapes(min_dims=1, max_dims=1, max_side=5)))
    assert gradgradcheck(lambda t: t[index] * t[index], x)


@pytest.mark.parametrize("index", [5, -4, (0, 3), [0, 3], np.array([[1, 7]]), (0, 0, 0)], ids=repr)
def test_out_of_range_index_is_an_index_error_naming_the_shape(index):
    x = ag.ones(3, 2)
    with pytest.raises(ag.IndexOutOfRange, match=r"tensor of shape \(3, 2\)"):
        x[index]


# ---- cat / stack / pad --------------------------------------------------------------------------


@st.composite
def cat_inputs(draw):
    base = draw(shapes(min_dims=1))
    dim = draw(st.integers(-len(base), len(base) - 1))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    shapes_ = [base[: dim % len(base)] + (n,) + base[dim % len(base) + 1 :] for n in sizes]
    return [draw(tensors(s)) for s in shapes_], dim


@given(inputs=cat_inputs())
def test_cat(inputs):
    xs, dim = inputs
    out = ag.cat(xs, dim)
    np.testing.assert_array_equal(out.numpy(), np.concatenate([x.numpy() for x in xs], axis=dim))
    np.testing.assert_array_equal(ag.concatenate(xs, dim=dim).numpy(), out.numpy())
    assert gradcheck(lambda *ts: ag.cat(ts, dim), xs)


@given(shape=shapes(), n=st.integers(1, 3), data=st.data())
def test_stack(shape, n, data):
    xs = [data.draw(tensors(shape)) for _ in range(n)]
    dim = data.draw(st.integers(-len(shape) - 1, len(shape)))
    out = ag.stack(xs, dim)
    np.testing.assert_array_equal(out.numpy(), np.stack([x.numpy() for x in xs], axis=dim))
    assert gradcheck(lambda *ts: ag.stack(ts, dim), xs)


def test_cat_and_stack_take_arrays_and_only_differentiate_tensors():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    out = ag.cat([np.array([5.0]), x, [7.0]])
    np.testing.assert_array_equal(out.numpy(), [5, 1, 2, 7])
    (out * ag.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2, 3])


@given(x=tensors(shapes(min_dims=1)), data=st.data(), value=st.sampled_from([0.0, -1.5]))
def test_pad(x, data, value):
    k = data.draw(st.integers(1, x.ndim))
    widths = data.draw(st.lists(st.integers(0, 2), min_size=2 * k, max_size=2 * k))
    # PyTorch's order: (left, right) of the last dim first; NumPy's: one pair per dim, first dim first.
    pairs = [(0, 0)] * (x.ndim - k) + [(widths[2 * i], widths[2 * i + 1]) for i in reversed(range(k))]
    expected = np.pad(x.numpy(), pairs, constant_values=value)
    check(lambda t: ag.pad(t, widths, value), x, expected)


def test_pad_by_hand():
    out = ag.pad(ag.tensor([[1.0, 2.0]]), (1, 0, 0, 1), value=9.0)
    np.testing.assert_array_equal(out.numpy(), [[9, 1, 2], [9, 9, 9]])


# ---- errors -------------------------------------------------------------------------------------


def test_reshape_error_names_both_shapes():
    with pytest.raises(
        ag.ShapeError, match=r"reshape: cannot view a tensor of shape \(2, 3\) \(6 elements\) as \(4, 2\)"
    ):
        ag.ones(2, 3).reshape(4, 2)


def test_cat_errors():
    with pytest.raises(ag.ShapeError, match=r"cat: tensor 1 has shape \(2, 4\) but tensor 0 has shape \(2, 3\)"):
        ag.cat([ag.ones(2, 3), ag.ones(2, 4)])
    with pytest.raises(ag.ShapeError, match=r"cat: tensor 1 has shape \(3,\)"):
        ag.cat([ag.ones(2, 3), ag.ones(3)])
    with pytest.raises(ag.ShapeError, match="cat: expected a non-empty sequence"):
        ag.cat([])
    with pytest.raises(ag.ShapeError, match="cat: dim 2 is out of range for a tensor with 2 dims"):
        ag.cat([ag.ones(2, 3), ag.ones(2, 3)], dim=2)


def test_cat_of_0d_tensors_is_a_shape_error():
    with pytest.raises(ag.ShapeError, match="cat: a 0-d tensor has no dim 0"):
        ag.cat([ag.tensor(1.0), ag.tensor(2.0)])
    np.testing.assert_array_equal(ag.stack([ag.tensor(1.0), ag.tensor(2.0)]).numpy(), [1, 2])


def test_stack_of_different_shapes_is_a_shape_error():
    with pytest.raises(ag.ShapeError, match=r"stack: all tensors need the same shape, got \[\(2,\), \(3,\)\]"):
        ag.stack([ag.ones(2), ag.ones(3)])


@pytest.mark.parametrize("sizes", [(4, 3), (3,), (2, 3, 3)])
def test_expand_error_names_both_shapes(sizes):
    with pytest.raises(ag.ShapeError, match=r"expand: cannot broadcast a tensor of shape \(2, 3\) to"):
        ag.ones(2, 3).expand(*sizes)


def test_expand_refuses_minus_one_for_a_new_leading_dim():
    with pytest.raises(ag.ShapeError, match=r"expand: -1 .* new leading dim 0"):
        ag.ones(3).expand(-1, 3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda t: t.permute(0, 0, 1), r"permute: \(0, 0, 1\) is not a permutation of the 3 dims of \(2, 3, 4\)"),
        (lambda t: t.permute(1, 0), r"permute: \(1, 0\) is not a permutation"),
        (lambda t: t.transpose(0, 3), "transpose: dim 3 is out of range for a tensor with 3 dims"),
        (lambda t: t.unsqueeze(5), "unsqueeze: dim 5 is out of range for a tensor with 4 dims"),
        (lambda t: t.flatten(0, 7), "flatten: dim 7 is out of range"),
        (lambda t: ag.pad(t, (1,)), r"pad: expected an even number \(at most 6\) of non-negative widths"),
        (lambda t: ag.pad(t, (1, -1)), r"pad: .* got \(1, -1\)"),
        (lambda t: t[0, 0].mT, "transpose: dim -2 is out of range for a tensor with 1 dims"),
    ],
)
def test_shape_op_errors_name_the_op(call, message):
    with pytest.raises(ag.ShapeError, match=message):
        call(ag.ones(2, 3, 4))


def test_squeeze_of_a_dim_out_of_range_is_an_index_error_as_in_pytorch():
    with pytest.raises(ag.IndexOutOfRange, match="squeeze: dim -4 is out of range"):
        ag.ones(2, 3, 4).squeeze(-4)
