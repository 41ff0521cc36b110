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


# ---- x.data: a Tensor over the same memory, outside the graph ----------------------------------


def _sgd_by_data(m, w0, x):
    """The d2l / CS231n loop: update a parameter through `.data`, no no_grad() needed."""
    w = m.tensor(w0, requires_grad=True)
    for _ in range(3):
        loss = ((x * w).sum() - 1.0) ** 2
        loss.backward()
        w.data -= 0.1 * w.grad
        w.grad.data.zero_()
    return w.detach()


def test_updates_through_data_match_pytorch():
    w0, x = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, 3.0])
    ours = _sgd_by_data(ag, w0, ag.tensor(x, dtype=ag.float64))
    theirs = _sgd_by_data(torch, w0, torch.tensor(x))
    assert_same(ours, theirs)
    assert not np.allclose(ours.numpy(), w0)


def test_data_is_a_tensor_sharing_memory_outside_the_graph():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    for t in (x, y):
        d = t.data
        assert type(d) is ag.Tensor and not d.requires_grad and d.grad_fn is None and d.is_leaf
        assert np.shares_memory(d.numpy(), t.numpy())
    x.data.copy_(ag.tensor([5.0, 6.0]))
    np.testing.assert_array_equal(x.numpy(), [5.0, 6.0])
    x.data.zero_()
    np.testing.assert_array_equal(x.numpy(), [0.0, 0.0])
    assert x.requires_grad and x.is_leaf


def test_assigning_data_replaces_the_memory_as_pytorch():
    for m in (ag, torch):
        x = m.zeros(2, requires_grad=True)
        x.data = m.ones(3, 2, dtype=m.float64)
        assert tuple(x.shape) == (3, 2) and x.requires_grad and str(x.dtype).endswith("float64")
        ((x * x).sum()).backward()
        np.testing.assert_array_equal(np.asarray(x.grad.numpy()), np.full((3, 2), 2.0))
    with pytest.raises(ag.ArgumentError, match=r"Tensor.data: can only be set to a Tensor, got ndarray.*as_tensor"):
        ag.zeros(2).data = np.ones(2)


def test_a_change_through_data_is_seen_by_the_version_check():
    """Where we differ on purpose: PyTorch's `.data` hides the change and gives a wrong gradient."""
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    x.data.mul_(10)
    with pytest.raises(ag.GraphError, match="Mul.s backward was modified in place: input 0"):
        y.backward()
