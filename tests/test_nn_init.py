"""nn.init: bounds and standard deviations against PyTorch's formulas, fans, gains, generators."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
from autograd.errors import ShapeError
from nn import init


def big(*shape):
    return nn.Parameter(np.zeros(shape))


def test_fans_of_linear_and_convolution_weights():
    assert init.calculate_fan_in_and_fan_out(ag.zeros(7, 3)) == (3, 7)
    assert init.calculate_fan_in_and_fan_out(ag.zeros(7, 3, 2, 5)) == (30, 70)
    with pytest.raises(ShapeError, match="at least 2 dims"):
        init.calculate_fan_in_and_fan_out(ag.zeros(4))


def test_gains():
    assert init.calculate_gain("linear") == init.calculate_gain("sigmoid") == init.calculate_gain("conv2d") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(math.sqrt(2 / 1.04))
    assert init.calculate_gain("selu") == pytest.approx(0.75)
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


def assert_uniform(values, bound):
    assert np.abs(values).max() <= bound
    assert np.abs(values).max() > 0.98 * bound
    np.testing.assert_allclose(values.std(), bound / math.sqrt(3), rtol=0.03)


def assert_normal(values, std, mean=0.0):
    np.testing.assert_allclose(values.mean(), mean, atol=0.05 * std)
    np.testing.assert_allclose(values.std(), std, rtol=0.03)


def test_uniform_normal_and_constants():
    ag.manual_seed(0)
    w = init.uniform_(big(100, 100), -2.0, 3.0)
    assert w.numpy().min() >= -2.0 and w.numpy().max() < 3.0
    np.testing.assert_allclose(w.numpy().mean(), 0.5, atol=0.05)
    assert_normal(init.normal_(big(100, 100), mean=1.0, std=0.5).numpy(), 0.5, mean=1.0)
    assert np.all(init.constant_(big(3), 0.7).numpy() == 0.7)
    assert np.all(init.ones_(big(3)).numpy() == 1) and np.all(init.zeros_(big(3)).numpy() == 0)


def test_xavier():
    ag.manual_seed(0)
    fan_in, fan_out = 120, 80
    assert_uniform(
        init.xavier_uniform_(big(fan_out, fan_in), gain=2.0).numpy(), 2.0 * math.sqrt(6 / (fan_in + fan_out))
    )
    assert_normal(init.xavier_normal_(big(fan_out, fan_in)).numpy(), math.sqrt(2 / (fan_in + fan_out)))


@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
def test_kaiming(mode):
    ag.manual_seed(0)
    shape = (60, 20, 3, 3)  # fan_in = 180, fan_out = 540
    fan = 180 if mode == "fan_in" else 540
    relu = init.kaiming_uniform_(big(*shape), mode=mode, nonlinearity="relu").numpy()
    assert_uniform(relu, math.sqrt(3) * math.sqrt(2) / math.sqrt(fan))
    leaky = init.kaiming_normal_(big(*shape), a=0.1, mode=mode).numpy()
    assert_normal(leaky, math.sqrt(2 / (1 + 0.1**2)) / math.sqrt(fan))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_uniform_(big(2, 2), mode="fan_avg")


def test_kaiming_with_a_sqrt5_is_linears_default_bound():
    w = init.kaiming_uniform_(big(300, 30), a=math.sqrt(5)).numpy()
    assert_uniform(w, 1 / math.sqrt(30))


def test_initialisers_fill_in_place_keep_the_dtype_and_use_the_given_generator():
    p = nn.Parameter(np.zeros((3, 4), dtype=np.float32))
    array = p.numpy()
    out = init.normal_(p, generator=np.random.default_rng(5))
    assert out is p and p.numpy() is array and p.dtype == np.float32
    np.testing.assert_array_equal(p.numpy(), np.random.default_rng(5).normal(0, 1, (3, 4)).astype(np.float32))
    assert p.grad_fn is None and p.requires_grad
