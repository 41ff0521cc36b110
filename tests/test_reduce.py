"""Reductions (sum, mean, var, std, max, min, logsumexp, sum_to) and the normalisations over a dim
(softmax, log_softmax): NumPy forwards, central-difference gradients, second derivatives,
ties, stability at ±1000, and the errors for bad dims."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag
import nn.functional as nn_functional
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.errors import ArgumentError
from autograd.testing import arrays, broadcastable_shapes, distinct_arrays, shapes, tensors


@st.composite
def shape_and_dims(draw, min_dims=0, min_side=1, max_side=4):
    """A shape and a `dim` argument for it: None, one dim or a tuple of distinct dims, each
    possibly negative."""
    shape = draw(shapes(min_dims=min_dims, min_side=min_side, max_side=max_side))
    ndim = len(shape)
    if ndim == 0:
        return shape, None
    kind = draw(st.sampled_from(["all", "one", "several"]))
    if kind == "all":
        return shape, None
    picked = draw(st.lists(st.integers(0, ndim - 1), unique=True, min_size=1, max_size=1 if kind == "one" else ndim))
    picked = [d - ndim if draw(st.booleans()) else d for d in picked]
    return shape, picked[0] if kind == "one" else tuple(picked)


@st.composite
def shape_and_dim(draw, max_side=4):
    shape = draw(shapes(min_dims=1, max_side=max_side))
    return shape, draw(st.integers(-len(shape), len(shape) - 1))


@pytest.mark.parametrize(
    "name, numpy",
    [("sum", np.sum), ("mean", np.mean)],
)
@given(shape_dims=shape_and_dims(), keepdim=st.booleans(), data=st.data())
def test_sum_and_mean(name, numpy, shape_dims, keepdim, data):
    shape, dim = shape_dims
    x = data.draw(tensors(shape))
    out = getattr(x, name)(dim, keepdim)
    np.testing.assert_allclose(out.numpy(), numpy(x.numpy(), axis=dim, keepdims=keepdim), rtol=1e-12)
    np.testing.assert_array_equal(getattr(x, name)(axis=dim, keepdims=keepdim).numpy(), out.numpy())
    assert gradcheck(lambda t: getattr(t, name)(dim, keepdim=keepdim), x)


@given(
    shape_dims=shape_and_dims(min_dims=1, min_side=2),
    keepdim=st.booleans(),
    correction=st.sampled_from([0, 1]),
    data=st.data(),
)
def test_var_and_std(shape_dims, keepdim, correction, data):
    shape, dim = shape_dims
    x = Tensor(data.draw(distinct_arrays(shape)), requires_grad=True)  # distinct: std > 0
    var = x.var(dim, keepdim=keepdim, correction=correction)
    np.testing.assert_allclose(var.numpy(), np.var(x.numpy(), axis=dim, ddof=correction, keepdims=keepdim), rtol=1e-12)
    np.testing.assert_allclose(
        x.std(dim, keepdim=keepdim, correction=correction).numpy(), np.sqrt(var.numpy()), rtol=1e-12
    )
    np.testing.assert_array_equal(x.var(dim, bool(correction), keepdim).numpy(), var.numpy())
    assert gradcheck(lambda t: t.var(dim, keepdim=keepdim, correction=correction), x)
    assert gradcheck(lambda t: t.std(dim, keepdim=keepdim, correction=correction), x)


def test_var_by_hand_and_of_one_element():
    x = ag.tensor([1.0, 2.0, 3.0, 6.0])  # mean 3, squared deviations 4 1 0 9
    assert x.var().item() == pytest.approx(14 / 3)
    assert x.var(unbiased=False).item() == pytest.approx(14 / 4)
    assert np.isnan(ag.tensor([5.0]).var().item())  # no degrees of freedom left: NaN (PyTorch)
    assert ag.tensor([5.0]).var(correction=0).item() == 0.0


@pytest.mark.parametrize("name, numpy", [("amax", np.max), ("amin", np.min)])
@given(shape_dims=shape_and_dims(), keepdim=st.booleans(), data=st.data())
def test_amax_and_amin_without_ties(name, numpy, shape_dims, keepdim, data):
    shape, dim = shape_dims
    x = Tensor(data.draw(distinct_arrays(shape)), requires_grad=True)
    out = getattr(x, name)(dim, keepdim)
    np.testing.assert_array_equal(out.numpy(), numpy(x.numpy(), axis=dim, keepdims=keepdim))
    np.testing.assert_array_equal(getattr(x, name)(axis=dim, keepdims=keepdim).numpy(), out.numpy())
    assert gradcheck(lambda t: getattr(t, name)(dim, keepdim), x)


@pytest.mark.parametrize("name, numpy, arg", [("max", np.max, np.argmax), ("min", np.min, np.argmin)])
@given(shape_dim=shape_and_dim(), keepdim=st.booleans(), data=st.data())
def test_max_and_min_over_one_dim_return_values_and_indices(name, numpy, arg, shape_dim, keepdim, data):
    shape, dim = shape_dim
    x = Tensor(data.draw(distinct_arrays(shape)), requires_grad=True)
    out = getattr(x, name)(dim, keepdim)
    values, indices = out
    assert type(out).__name__ == "ValuesIndices" and out.values is values and out.indices is indices
    np.testing.assert_array_equal(values.numpy(), numpy(x.numpy(), axis=dim, keepdims=keepdim))
    np.testing.assert_array_equal(indices.numpy(), arg(x.numpy(), axis=dim, keepdims=keepdim))
    assert indices.dtype == np.int64 and not indices.requires_grad and values.requires_grad
    np.testing.assert_array_equal(getattr(x, name)(axis=dim, keepdims=keepdim).indices.numpy(), indices.numpy())
    assert gradcheck(lambda t: getattr(t, name)(dim, keepdim).values, x)


def test_max_and_min_without_dim_return_one_value_and_refuse_several_dims():
    x = ag.tensor([[1.0, 5.0], [7.0, 0.0]])
    assert isinstance(x.max(), Tensor) and x.max().item() == 7.0 and x.min().item() == 0.0
    with pytest.raises(ArgumentError, match=r"max: dim must be one int, got \(0, 1\); for several dims use amax"):
        x.max((0, 1))
    with pytest.raises(ArgumentError, match="min: dim must be one int, got 0.5; for several dims use amin"):
        x.min(0.5)


def test_the_values_indices_pair_is_refused_as_an_operand():
    # x - x.max(1, keepdim=True) is PyTorch's TypeError, not a broadcast of the stacked pair
    x = ag.tensor([[1.0, 5.0, 2.0], [3.0, 2.0, 0.0]], requires_grad=True)
    for combine in (lambda m: x - m, lambda m: m * x, lambda m: x == m, lambda m: x > m):
        with pytest.raises(ArgumentError, match=r"use \.values, or amax / amin"):
            combine(x.max(1, keepdim=True))
    assert (x - x.max(1, keepdim=True).values).shape == (2, 3)


def test_amin_and_min_of_unsigned_and_bool_tensors():
    u = ag.tensor(np.array([[0, 5, 3], [7, 2, 9]], dtype=np.uint8))
    assert u.amin().item() == 0 and u.amin(1).tolist() == [0, 2] and u.amin().dtype == np.uint8
    values, indices = u.min(1)
    assert values.tolist() == [0, 2] and indices.tolist() == [0, 1]
    assert ag.tensor([True, False]).amin().item() is False


def test_max_ties_share_the_gradient():
    x = ag.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.max(dim=1).values.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    assert x.max(dim=1).indices.tolist() == [1, 0]  # the first maximum, as PyTorch (which sends it all the gradient)
    x.grad = None
    x.amax(dim=1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    y = ag.tensor([4.0, -1.0, -1.0], requires_grad=True)
    y.min().backward()
    np.testing.assert_allclose(y.grad.numpy(), [0, 0.5, 0.5])


def test_argmax_and_argmin():
    a = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    np.testing.assert_array_equal(Tensor(a).argmax().numpy(), np.argmax(a))
    np.testing.assert_array_equal(Tensor(a).argmax(1).numpy(), [1, 0])
    np.testing.assert_array_equal(Tensor(a).argmin(0, keepdim=True).numpy(), [[0, 1, 0]])
    np.testing.assert_array_equal(Tensor(a).argmin(axis=-1, keepdims=True).numpy(), [[0], [1]])
    assert Tensor(a).argmax(1).dtype == np.int64 and Tensor(a).argmax().shape == ()
    # no dim: the flat index; keepdim keeps it as (1, 1), as PyTorch 2.13 does (a 0-d tensor stays 0-d)
    assert Tensor(a).argmax(keepdim=True).tolist() == [[3]] and Tensor(a).argmin(keepdims=True).tolist() == [[4]]
    assert ag.tensor(2.0).argmax(keepdim=True).shape == ()
    with pytest.raises(ag.ShapeError, match=r"argmax: cannot reduce an empty tensor \(shape \(0,\)\)"):
        ag.zeros(0).argmax()


def test_numpy_axis_and_keepdims_are_accepted_wherever_dim_and_keepdim_are():
    x = ag.tensor(np.arange(6.0).reshape(2, 3, 1), dtype=ag.float64)
    for fn in (Tensor.softmax, Tensor.log_softmax, ag.softmax, ag.log_softmax, nn_functional.softmax):
        np.testing.assert_array_equal(fn(x, axis=0).numpy(), fn(x, 0).numpy())
    np.testing.assert_array_equal(x.softmax().numpy(), x.softmax(-1).numpy())  # the last dim by default
    np.testing.assert_array_equal(ag.logsumexp(x, axis=1, keepdims=True).numpy(), x.logsumexp(1, keepdim=True).numpy())
    assert x.squeeze(axis=2).shape == (2, 3) and x.squeeze(axis=0).shape == (2, 3, 1)
    assert x.unsqueeze(axis=-1).shape == (2, 3, 1, 1)
    assert ag.cat([x, x], axis=1).shape == (2, 6, 1) and ag.concatenate([x, x], axis=-1).shape == (2, 3, 2)
    assert ag.stack([x, x], axis=3).shape == (2, 3, 1, 2) and ag.stack([x, x]).shape == (2, 2, 3, 1)
    for call in (lambda: x.softmax(0, axis=1), lambda: ag.cat([x], 0, axis=1), lambda: x.unsqueeze(0, axis=0)):
        with pytest.raises(TypeError, match="either dim or axis"):
            call()
    with pytest.raises(TypeError, match=r"unsqueeze: missing the dim argument \(or its NumPy name, axis\)"):
        x.unsqueeze()


@given(shape_dims=shape_and_dims(), keepdim=st.booleans(), data=st.data())
def test_logsumexp(shape_dims, keepdim, data):
    shape, dim = shape_dims
    x = data.draw(tensors(shape))
    expected = np.log(np.sum(np.exp(x.numpy()), axis=dim, keepdims=keepdim))
    np.testing.assert_allclose(x.logsumexp(dim, keepdim).numpy(), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ag.logsumexp(x, dim, keepdim).numpy(), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(x.logsumexp(axis=dim, keepdims=keepdim).numpy(), expected, rtol=1e-12, atol=1e-15)
    assert gradcheck(lambda t: t.logsumexp(dim, keepdim), x)


def numpy_softmax(a, axis):
    e = np.exp(a)
    return e / e.sum(axis=axis, keepdims=True)


@given(shape_dim=shape_and_dim(), data=st.data())
def test_softmax_and_log_softmax(shape_dim, data):
    shape, dim = shape_dim
    x = data.draw(tensors(shape))
    expected = numpy_softmax(x.numpy(), dim)
    np.testing.assert_allclose(x.softmax(dim).numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(ag.softmax(x, dim).numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(x.log_softmax(dim).numpy(), np.log(expected), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ag.log_softmax(x, dim).numpy(), np.log(expected), rtol=1e-12, atol=1e-14)
    assert gradcheck(lambda t: t.softmax(dim), x)
    assert gradcheck(lambda t: t.log_softmax(dim), x)


def test_softmax_default_dim_is_the_last():
    a = np.array([[0.0, 1.0], [2.0, 5.0]])
    np.testing.assert_allclose(Tensor(a).softmax().numpy(), numpy_softmax(a, -1))
    np.testing.assert_allclose(Tensor(a).log_softmax().numpy(), np.log(numpy_softmax(a, -1)))


@given(shapes=broadcastable_shapes(), data=st.data())
def test_sum_to_is_the_adjoint_of_broadcasting(shapes, data):
    """⟨sum_to(a), w⟩ = ⟨a, broadcast(w)⟩ for every w: sum_to undoes broadcasting."""
    small, other = shapes
    big = np.broadcast_shapes(small, other)
    x = data.draw(tensors(big))
    w = data.draw(arrays(small))
    out = x.sum_to(small)
    assert out.shape == small
    np.testing.assert_allclose(
        np.sum(out.numpy() * w), np.sum(x.numpy() * np.broadcast_to(w, big)), rtol=1e-10, atol=1e-12
    )
    assert gradcheck(lambda t: t.sum_to(small), x)


# ---- second derivatives -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, fn",
    [
        ("sum", lambda t, dim: t.sum(dim, keepdim=True) ** 2),
        ("logsumexp", lambda t, dim: t.logsumexp(dim)),
        ("softmax", lambda t, dim: t.softmax(dim)),
        ("log_softmax", lambda t, dim: t.log_softmax(dim)),
        ("var", lambda t, dim: t.var(dim)),
    ],
)
@settings(max_examples=15)
@given(shape_dim=shape_and_dim(max_side=3), data=st.data())
def test_second_derivatives(name, fn, shape_dim, data):
    shape, dim = shape_dim
    assume(name != "var" or shape[dim] > 1)  # the variance of one element is NaN
    x = data.draw(tensors(shape))
    assert gradgradcheck(lambda t: fn(t, dim), x)


@settings(max_examples=15)
@given(shape_dim=shape_and_dim(max_side=3), data=st.data())
def test_max_second_derivative(shape_dim, data):
    shape, dim = shape_dim
    x = Tensor(data.draw(distinct_arrays(shape)), requires_grad=True)
    assert gradgradcheck(lambda t: t.amax(dim) * t.max(dim).values, x)


# ---- stability ----------------------------------------------------------------------------------

NOTES_LOGITS = [-3.0, -1.0, 0.0, 3.0, 1000.0]


def test_naive_softmax_of_the_notes_example_is_nan_ours_is_exact():
    s = np.array(NOTES_LOGITS)
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(s) / np.exp(s).sum()
    assert np.isnan(naive).any()
    x = ag.tensor(NOTES_LOGITS, dtype=ag.float64)
    # Shifted by the max 1000, every other exponential underflows to 0.
    np.testing.assert_array_equal(x.softmax().numpy(), [0, 0, 0, 0, 1])
    np.testing.assert_array_equal(x.log_softmax().numpy(), [-1003, -1001, -1000, -997, 0])
    assert x.logsumexp().item() == 1000.0


def test_logsumexp_of_all_minus_infinity_is_minus_infinity_without_a_warning():
    x = ag.tensor([[-np.inf, -np.inf], [-np.inf, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NumPy's "divide by zero encountered in log" would raise here
        out = x.logsumexp(1)
    assert out.numpy().tolist() == [-np.inf, 0.0]
    assert x.logsumexp().item() == 0.0 and ag.tensor([-np.inf]).logsumexp().item() == -np.inf


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
@pytest.mark.parametrize(
    "name, fn",
    [
        ("softmax", lambda t: t.softmax(-1)),
        ("log_softmax", lambda t: t.log_softmax(-1)),
        ("logsumexp", lambda t: t.logsumexp(-1)),
    ],
)
def test_normalisations_are_finite_at_plus_minus_1000(name, fn, dtype):
    logits = [[-1000.0, 0.0, 1000.0], [-1000.0, -1000.0, -1000.0], [1000.0, 1000.0, -3.0], NOTES_LOGITS[:3]]
    x = ag.tensor(logits, dtype=dtype, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow / invalid-value warnings from NumPy
        out = fn(x)
        out.backward(np.linspace(-1, 1, out.numel()).reshape(out.shape))
    assert out.dtype == dtype and x.grad.dtype == dtype
    assert np.isfinite(out.numpy()).all() and np.isfinite(x.grad.numpy()).all()
    a = np.array(logits)
    shifted = a - a.max(axis=-1, keepdims=True)  # the stable formulas, in float64
    lse = np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    expected = {
        "softmax": np.exp(shifted - lse),
        "log_softmax": shifted - lse,
        "logsumexp": (a.max(-1, keepdims=True) + lse)[:, 0],
    }
    np.testing.assert_allclose(out.numpy(), expected[name], rtol=1e-6, atol=1e-6)


# ---- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["sum", "mean", "max", "min", "amax", "amin", "var", "logsumexp", "softmax", "log_softmax"]
)
def test_dim_out_of_range_names_the_op(name):
    with pytest.raises(ag.ShapeError, match=rf"{name}: dim 5 is out of range for a tensor with 2 dims"):
        getattr(ag.ones(2, 3), name)(5)


def test_repeated_dim_and_dim_with_axis_are_errors():
    with pytest.raises(ag.ShapeError, match=r"sum: dim \(1, -1\) repeats a dimension"):
        ag.ones(2, 3).sum((1, -1))
    with pytest.raises(TypeError, match="either dim or axis"):
        ag.ones(2, 3).mean(0, axis=1)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "logsumexp", "softmax", "log_softmax"])
def test_reducing_an_empty_dim_is_an_error(name):
    with pytest.raises(ag.ShapeError, match=r"empty dimension \(input shape \(2, 0\)\)"):
        getattr(ag.ones(2, 0), name)(1)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_of_a_0d_tensor_is_a_shape_error(name):
    with pytest.raises(ag.ShapeError, match=f"{name}: a 0-d tensor has no dim -1"):
        getattr(ag.tensor(2.0), name)()
