"""The Tensor object and the factories: attributes, conversions, repr, shapes and dtypes of
made tensors, requires_grad, seeded random generators."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

# ---- factories ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, fill",
    [(ag.zeros, 0.0), (ag.ones, 1.0)],
)
def test_zeros_and_ones(make, fill):
    for t in (make(2, 3), make((2, 3)), make([2, 3])):
        assert t.shape == (2, 3) and t.dtype == np.float32 and t.is_leaf and not t.requires_grad
        np.testing.assert_array_equal(t.numpy(), np.full((2, 3), fill))
    assert make(4, dtype=ag.float64).dtype == np.float64
    assert make().shape == ()
    t = make(2, requires_grad=True)
    assert t.requires_grad and t.is_leaf


def test_full_takes_its_dtype_from_the_value():
    t = ag.full((2, 2), 7.5)
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.numpy(), [[7.5, 7.5], [7.5, 7.5]])
    assert ag.full(3, 7).dtype == np.int64 and ag.full(3, 7).shape == (3,)
    assert ag.full((1,), True).dtype == np.bool_
    assert ag.full((2,), 1, dtype=ag.float64).dtype == np.float64
    assert ag.full((2,), 0.5, requires_grad=True).requires_grad


def test_tensor_copies_its_data():
    a = np.array([1.0, 2.0])
    t = ag.tensor(a, requires_grad=True)
    a[0] = 100.0
    assert t.numpy()[0] == 1.0 and t.requires_grad and t.dtype == np.float64
    np.testing.assert_array_equal(ag.tensor([[1, 2], [3, 4]], dtype=ag.float32).numpy(), [[1, 2], [3, 4]])


def test_arange():
    t = ag.arange(5)
    assert t.dtype == np.int64
    np.testing.assert_array_equal(t.numpy(), [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(ag.arange(2, 8, 3).numpy(), [2, 5])
    f = ag.arange(1, 2, 0.25)
    assert f.dtype == np.float32
    np.testing.assert_array_equal(f.numpy(), [1, 1.25, 1.5, 1.75])
    assert ag.arange(3.0).dtype == np.float32
    assert ag.arange(3, dtype=ag.float64, requires_grad=True).requires_grad


def test_eye():
    np.testing.assert_array_equal(ag.eye(3).numpy(), np.eye(3))
    np.testing.assert_array_equal(ag.eye(2, 3).numpy(), [[1, 0, 0], [0, 1, 0]])
    assert ag.eye(2).dtype == np.float32 and ag.eye(2, dtype=ag.float64).dtype == np.float64


def test_zeros_like_and_ones_like_keep_shape_and_dtype():
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    for make, fill in ((ag.zeros_like, 0), (ag.ones_like, 1)):
        t = make(x)
        assert t.shape == (2, 3) and t.dtype == np.float64 and not t.requires_grad
        np.testing.assert_array_equal(t.numpy(), np.full((2, 3), fill))
        assert make(x, dtype=ag.float32).dtype == np.float32
        assert make(x, requires_grad=True).requires_grad
        assert make(np.zeros((4,), dtype=np.int32)).dtype == np.int32


@pytest.mark.parametrize("make", [ag.rand, ag.randn])
def test_random_factories_are_reproducible(make):
    ag.manual_seed(123)
    a = make(3, 4)
    ag.manual_seed(123)
    b = make(3, 4)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert a.shape == (3, 4) and a.dtype == np.float32
    c = make(3, 4)
    assert not np.array_equal(b.numpy(), c.numpy())  # the generator moved on
    d = make(2, generator=np.random.default_rng(7))
    e = make(2, generator=np.random.default_rng(7))
    np.testing.assert_array_equal(d.numpy(), e.numpy())
    assert make(2, dtype=ag.float64, requires_grad=True).requires_grad


def test_random_factories_draw_from_their_distributions():
    rng = np.random.default_rng(0)
    u = ag.rand(10_000, generator=rng)
    assert 0 <= u.numpy().min() and u.numpy().max() < 1 and abs(u.numpy().mean() - 0.5) < 0.02
    n = ag.randn(10_000, generator=rng)
    assert abs(n.numpy().mean()) < 0.05 and abs(n.numpy().std() - 1) < 0.05
    np.testing.assert_array_equal(
        ag.rand(3, generator=np.random.default_rng(5), dtype=ag.float64).numpy(), np.random.default_rng(5).random(3)
    )


def test_manual_seed_resets_the_default_generator():
    g = ag.manual_seed(9)
    assert ag.default_generator() is g
    first = g.random()
    assert ag.manual_seed(9).random() == first


# ---- attributes ---------------------------------------------------------------------------------


def test_attributes_of_a_leaf_and_a_result():
    x = ag.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    assert isinstance(x.numpy(), np.ndarray)
    assert x.shape == (2, 3) and x.ndim == 2 and x.numel() == 6 and x.dtype == np.float32
    assert x.size() == (2, 3) and x.size(-1) == 3 and repr(x.size()) == "autograd.Size([2, 3])"
    assert x.is_leaf and x.grad_fn is None and x.grad is None
    y = x * 2
    assert not y.is_leaf and y.requires_grad and y.grad_fn.name == "Mul"
    assert y.grad_fn.inputs[0] is x
    y.sum().backward()
    assert isinstance(x.grad, Tensor) and x.grad.shape == x.shape
    assert y.grad is None  # a non-leaf keeps no gradient unless asked


def test_conversions():
    x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert x.numpy() is x.numpy()
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert np.asarray(x) is x.numpy()
    assert np.asarray(x, dtype=np.float64).dtype == np.float64
    assert len(x) == 2
    assert ag.tensor([2.5]).item() == 2.5 and isinstance(ag.tensor(3).item(), int)
    assert [row.tolist() for row in x] == [[1.0, 2.0], [3.0, 4.0]]
    assert bool(ag.tensor(1.0)) and not bool(ag.tensor([0.0]))


def test_conversion_errors():
    with pytest.raises(ValueError, match=r"item: only a one-element tensor converts to a number; shape is \(2,\)"):
        ag.ones(2).item()
    with pytest.raises(TypeError, match="len"):
        len(ag.tensor(1.0))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(ag.ones(2))


def test_repr_shows_data_dtype_grad_fn_and_requires_grad():
    assert repr(ag.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(ag.tensor([1.0, 2.0], requires_grad=True)) == "tensor([1., 2.], requires_grad=True)"
    assert repr(ag.tensor([1.0, 2.0], requires_grad=True) * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert (
        repr(ag.tensor([0.5], dtype=ag.float64)) == "tensor([0.5000], dtype=float64)"
    )  # PyTorch: tensor([0.5000], dtype=torch.float64)
    assert repr(ag.tensor(3)) == "tensor(3)"


def test_dim_and_numel_methods():
    x = ag.ones(2, 3, 4)
    assert x.dim() == 3 and x.numel() == 24
