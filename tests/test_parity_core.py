"""PyTorch parity of the core API: the harness itself and the autograd entry points."""

import numpy as np
import pytest
import torch

import autograd as ag
import autograd.extend  # noqa: F401  (ag.extend)
from tests.parity import assert_same, check


def test_the_harness_compares_values_dtypes_and_gradients():
    check(lambda m, x, y: (x * y).exp() - m.tanh(x), [np.linspace(-1, 1, 4), np.linspace(0.5, 2, 4)])
    with pytest.raises(AssertionError, match="dtype float32 vs float64"):
        assert_same(ag.tensor([1.0], dtype=ag.float32), torch.tensor([1.0], dtype=torch.float64))
    with pytest.raises(AssertionError, match=r"shape \(1,\) vs \(\)"):
        assert_same(ag.tensor([1.0]), torch.tensor(1.0))
    wrong_double = ag.extend.defvjp(lambda x: x * 2, lambda g, ans, x: g * 3)  # the forward right, the gradient not
    with pytest.raises(AssertionError, match="gradient of input 0"):
        check(lambda m, x: wrong_double(x) if m is ag else x * 2, [np.ones(3)])


def test_grad_allow_unused_and_materialize_grads():
    check(
        lambda m, x, y: m.autograd.grad((x * x).sum(), [x, y], allow_unused=True, materialize_grads=True),
        [np.array([1.0, 2.0]), np.array([3.0])],
        grad=False,
    )
    x, y = ag.tensor([1.0], requires_grad=True), ag.tensor([1.0], requires_grad=True)
    with pytest.raises(ag.GraphError, match="input 1 is not used"):
        ag.grad((x * 2).sum(), [x, y])
    assert ag.grad((x * 2).sum(), [x, y], allow_unused=True)[1] is None
    with pytest.raises(ag.ArgumentError, match="materialize_grads=True needs allow_unused"):
        ag.grad((x * 2).sum(), [x, y], allow_unused=False, materialize_grads=True)
