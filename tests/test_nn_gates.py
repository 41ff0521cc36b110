"""The gates added for nn: Softplus and Elu (forward against NumPy, gradients against central
differences, stability at extreme inputs)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import gradcheck, gradgradcheck
from autograd.gates.elementwise import Elu, Softplus
from autograd.testing import tensors


def naive_softplus(x, beta, threshold):
    with np.errstate(over="ignore"):
        return np.where(beta * x > threshold, x, np.log1p(np.exp(beta * x)) / beta)


@given(tensors(), st.sampled_from([0.5, 1.0, 2.0]), st.sampled_from([1.0, 20.0]))
def test_softplus_matches_the_formula_and_central_differences(x, beta, threshold):
    out = Softplus.apply(x, beta=beta, threshold=threshold)
    np.testing.assert_allclose(out.numpy(), naive_softplus(x.numpy(), beta, threshold), rtol=1e-12, atol=1e-12)
    # the switch to the identity is a kink; central differences straddling it disagree
    if np.all(np.abs(beta * x.numpy() - threshold) > 1e-3):
        assert gradcheck(lambda t: Softplus.apply(t, beta=beta, threshold=threshold), x)
        assert gradgradcheck(lambda t: Softplus.apply(t, beta=beta, threshold=threshold), x)


@given(tensors(away_from=[0.0], margin=1e-3), st.sampled_from([0.5, 1.0, 2.0]))
def test_elu_matches_the_formula_and_central_differences(x, alpha):
    out = Elu.apply(x, alpha=alpha)
    d = x.numpy()
    expected = np.where(d > 0, d, alpha * (np.exp(np.minimum(d, 0)) - 1))
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-14)
    assert gradcheck(lambda t: Elu.apply(t, alpha=alpha), x)
    assert gradgradcheck(lambda t: Elu.apply(t, alpha=alpha), x)


def test_elu_gradient_at_zero_is_the_right_derivative_one_for_alpha_one():
    x = ag.tensor([0.0, -1.0, 2.0], requires_grad=True, dtype=np.float64)
    Elu.apply(x, alpha=1.0).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [1.0, np.exp(-1.0), 1.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softplus_and_elu_are_finite_at_extreme_inputs(dtype):
    x = ag.tensor([-1000.0, -100.0, 0.0, 100.0, 1000.0], dtype=dtype, requires_grad=True)
    sp = Softplus.apply(x, beta=1.0, threshold=np.inf)  # no linear shortcut: the stable form alone
    np.testing.assert_allclose(sp.numpy(), [0.0, np.exp(-100.0), np.log(2.0), 100.0, 1000.0], rtol=1e-6, atol=1e-30)
    sp.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-30)
    x.grad = None
    elu = Elu.apply(x, alpha=1.0)
    np.testing.assert_allclose(elu.numpy(), [-1.0, -1.0, 0.0, 100.0, 1000.0])
    elu.sum().backward()
    assert np.all(np.isfinite(x.grad.numpy()))
    assert sp.dtype == elu.dtype == np.dtype(dtype)
