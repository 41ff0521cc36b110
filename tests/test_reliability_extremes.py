"""Numerical extremes: inputs up to magnitude 1e4 in float32 and float64 give finite, accurate
values and gradients, with no NumPy warning (overflow, divide and invalid are raised here)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn.functional as F

BIG = 1e4
# exp overflows above ~88.7 in float32 and ~709.8 in float64: probe both sides of those edges
EDGES = [BIG, -BIG, 9999.5, -9999.5, 88.7, -88.7, 89.0, -104.0, 709.8, -745.2, 0.0]


def values(dtype):
    return st.one_of(st.sampled_from(EDGES), st.floats(-BIG, BIG)).map(dtype)


def extreme_arrays(dtype):
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=2, max_dims=2, max_side=5), elements=values(dtype))


def softmax64(x):
    return np.exp(x - np.logaddexp.reduce(x, axis=-1, keepdims=True))


# name -> (how the engine computes it, float64 reference value, float64 reference gradient given g).
# The references are independent formulas (sigmoid through tanh, log-sum-exp through logaddexp).
CASES = {
    "sigmoid": (
        lambda t: t.sigmoid(),
        lambda x: 0.5 * (1 + np.tanh(x / 2)),
        lambda x, g: g * 0.25 * (1 - np.tanh(x / 2) ** 2),
    ),
    "tanh": (lambda t: t.tanh(), np.tanh, lambda x, g: g * (1 - np.tanh(x) ** 2)),
    "log_softmax": (
        lambda t: t.log_softmax(-1),
        lambda x: x - np.logaddexp.reduce(x, axis=-1, keepdims=True),
        lambda x, g: g - softmax64(x) * g.sum(-1, keepdims=True),
    ),
    "softmax": (
        lambda t: ag.softmax(t, -1),
        softmax64,
        lambda x, g: softmax64(x) * (g - (g * softmax64(x)).sum(-1, keepdims=True)),
    ),
    "logsumexp": (
        lambda t: t.logsumexp(-1),
        lambda x: np.logaddexp.reduce(x, axis=-1),
        lambda x, g: g[..., None] * softmax64(x),
    ),
}


def run(name, data, seed=0):
    """The engine's value and gradient (upstream g drawn at random), and the float64 references."""
    fn, ref_value, ref_grad = CASES[name]
    x = ag.tensor(data, requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is correct
        y = fn(x)
        g = np.random.default_rng(seed).standard_normal(y.shape).astype(data.dtype)
        y.backward(g)
    x64 = data.astype(np.float64)
    return y, x.grad, ref_value(x64), ref_grad(x64, g.astype(np.float64))


def tolerance(data):
    """What rounding the inputs to the dtype allows: a few ulps of the largest magnitude."""
    return 16 * np.finfo(data.dtype).eps * max(1.0, float(np.abs(data).max()))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(data=st.data())
def test_finite_and_accurate_at_extremes(name, dtype, data):
    x = data.draw(extreme_arrays(dtype))
    y, grad, value, gradient = run(name, x)
    assert y.dtype == dtype and grad.dtype == dtype
    assert np.isfinite(y.numpy()).all() and np.isfinite(grad.numpy()).all()
    tol = tolerance(x)
    np.testing.assert_allclose(y.numpy(), value, rtol=tol, atol=tol)
    np.testing.assert_allclose(grad.numpy(), gradient, rtol=tol, atol=tol * 4)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hand_computed_values_at_plus_minus_1e4(dtype):
    x = np.array([[BIG, -BIG], [BIG, BIG]], dtype=dtype)
    ln2 = np.log(2.0)
    y, grad, _, _ = run("sigmoid", x)
    np.testing.assert_array_equal(y.numpy(), [[1, 0], [1, 1]])
    np.testing.assert_array_equal(grad.numpy(), np.zeros((2, 2)))  # σ'(±1e4) = 0 to every precision
    y, _, _, _ = run("tanh", x)
    np.testing.assert_array_equal(y.numpy(), [[1, -1], [1, 1]])
    y, _, _, _ = run("log_softmax", x)
    np.testing.assert_allclose(y.numpy(), [[0, -2 * BIG], [-ln2, -ln2]], rtol=1e-6)
    y, _, _, _ = run("logsumexp", x)
    np.testing.assert_allclose(y.numpy(), [BIG, BIG + ln2], rtol=1e-7)
    y, _, _, _ = run("softmax", x)
    np.testing.assert_array_equal(y.numpy(), [[1, 0], [0.5, 0.5]])


# ---- nn: softplus and the losses from logits ------------------------------------------------


def sigmoid64(x):
    return 0.5 * (1 + np.tanh(x / 2))


def nn_cases(x, y):
    """name -> (the engine's elementwise result, its float64 reference, reference gradient given
    g), for logits x (N, C), binary targets y (N, C) and class labels y.argmax(1)."""
    labels = y.argmax(1)
    one_hot = np.eye(x.shape[1])[labels]
    return {
        # PyTorch's softplus is the identity above the threshold (default 20)
        "softplus": (
            lambda t: F.softplus(t),
            lambda x: np.where(x > 20, x, np.logaddexp(0, x)),
            lambda x, g: g * np.where(x > 20, 1.0, sigmoid64(x)),
        ),
        "binary_cross_entropy_with_logits": (
            lambda t: F.binary_cross_entropy_with_logits(t, y.astype(t.dtype), reduction="none"),
            lambda x: (1 - y) * x + np.logaddexp(0, -x),
            lambda x, g: g * (sigmoid64(x) - y),
        ),
        "cross_entropy": (
            lambda t: F.cross_entropy(t, labels, reduction="none"),
            lambda x: np.logaddexp.reduce(x, axis=1) - x[np.arange(len(x)), labels],
            lambda x, g: g[:, None] * (softmax64(x) - one_hot),
        ),
    }


@pytest.mark.parametrize("name", ["softplus", "binary_cross_entropy_with_logits", "cross_entropy"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@given(data=st.data())
def test_nn_functions_finite_and_accurate_at_extremes(name, dtype, data):
    x = data.draw(extreme_arrays(dtype))
    y = data.draw(hnp.arrays(np.float64, x.shape, elements=st.sampled_from([0.0, 1.0])))
    fn, ref_value, ref_grad = nn_cases(x, y)[name]
    t = ag.tensor(x, requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        out = fn(t)
        g = np.random.default_rng(0).standard_normal(out.shape).astype(dtype)
        out.backward(g)
    assert out.dtype == dtype and t.grad.dtype == dtype
    assert np.isfinite(out.numpy()).all() and np.isfinite(t.grad.numpy()).all()
    x64 = x.astype(np.float64)
    tol = tolerance(x)
    np.testing.assert_allclose(out.numpy(), ref_value(x64), rtol=tol, atol=tol)
    np.testing.assert_allclose(t.grad.numpy(), ref_grad(x64, g.astype(np.float64)), rtol=tol, atol=tol * 4)
