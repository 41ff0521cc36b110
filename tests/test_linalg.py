"""MatMul: vectors, matrices and broadcast batches as np.matmul; gradients and second derivatives
against central differences; the notes' matrix-gradient formulas; shape errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.testing import matmul_shapes, tensors

SPELLINGS = [
    ("@", lambda x, y: x @ y),
    ("ag.matmul", ag.matmul),
    ("Tensor.matmul", lambda x, y: x.matmul(y)),
]


@pytest.mark.parametrize("name, fn", SPELLINGS, ids=[s[0] for s in SPELLINGS])
@given(pair=matmul_shapes(), data=st.data())
def test_matmul_matches_numpy_and_central_differences(name, fn, pair, data):
    x, y = (data.draw(tensors(s)) for s in pair)
    out = fn(x, y)
    np.testing.assert_allclose(out.numpy(), np.matmul(x.numpy(), y.numpy()), rtol=1e-12, atol=1e-14)
    assert gradcheck(fn, (x, y))


@pytest.mark.parametrize(
    "a, b",
    [((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((4, 2, 3), (3,)), ((3,), (4, 3, 2)), ((2, 1, 2, 3), (5, 3, 2))],
    ids=str,
)
def test_vector_and_batch_cases(a, b):
    rng = np.random.default_rng(0)
    x, y = (Tensor(rng.standard_normal(s), requires_grad=True) for s in (a, b))
    out = x @ y
    assert out.shape == np.matmul(x.numpy(), y.numpy()).shape
    np.testing.assert_allclose(out.numpy(), np.matmul(x.numpy(), y.numpy()), rtol=1e-12)
    assert gradcheck(lambda p, q: p @ q, (x, y))


@given(pair=matmul_shapes(), data=st.data())
def test_matmul_with_a_constant_operand(pair, data):
    x, y = (data.draw(tensors(s)) for s in pair)
    assert gradcheck(lambda p: p @ y.numpy(), x)  # NumPy array on the right
    assert gradcheck(lambda q: x.numpy() @ q, y)  # NumPy array on the left (__rmatmul__)
    assert gradcheck(lambda q: ag.matmul(x.numpy(), q), y)


@settings(max_examples=15)
@given(pair=matmul_shapes(max_batch_dims=1, max_side=3), data=st.data())
def test_matmul_second_derivative(pair, data):
    x, y = (data.draw(tensors(s)) for s in pair)
    assert gradgradcheck(lambda p, q: p @ q, (x, y))


def test_notes_example_q_equals_Wx():
    """f = ||W x||²: df/dW = 2 q xᵀ, df/dx = 2 Wᵀ q (the notes' worked example)."""
    W = ag.tensor([[0.1, 0.5], [-0.3, 0.8]], dtype=ag.float64, requires_grad=True)
    x = ag.tensor([0.2, 0.4], dtype=ag.float64, requires_grad=True)
    q = W @ x
    (q * q).sum().backward()
    np.testing.assert_allclose(q.numpy(), [0.22, 0.26])
    np.testing.assert_allclose(W.grad.numpy(), [[0.088, 0.176], [0.104, 0.208]])
    np.testing.assert_allclose(x.grad.numpy(), [-0.112, 0.636])


def test_linear_layer_gradients_by_hand():
    """Z = X W + b: dL/dW = Xᵀ dZ, dL/dX = dZ Wᵀ, dL/db = column sums of dZ."""
    X = ag.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
    W = ag.tensor([[1.0, -1.0, 0.5], [2.0, 0.0, -2.0]], requires_grad=True)
    b = ag.tensor([0.1, 0.2, 0.3], requires_grad=True)
    dZ = np.arange(9.0).reshape(3, 3)
    (X @ W + b).backward(dZ)
    np.testing.assert_allclose(W.grad.numpy(), X.numpy().T @ dZ)
    np.testing.assert_allclose(X.grad.numpy(), dZ @ W.numpy().T)
    np.testing.assert_allclose(b.grad.numpy(), dZ.sum(axis=0))


def test_transposed_operand_gets_its_gradient_in_its_own_layout():
    """Z = X Wᵀ (nn's linear): W gets dZᵀ X, laid out C-contiguous like W itself, and the
    second derivative through that path still matches central differences."""
    rng = np.random.default_rng(0)
    X = ag.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    W = ag.tensor(rng.standard_normal((2, 3)), requires_grad=True)
    dZ = rng.standard_normal((4, 2))
    (X @ W.mT).backward(dZ)
    np.testing.assert_allclose(W.grad.numpy(), dZ.T @ X.numpy())
    np.testing.assert_allclose(X.grad.numpy(), dZ @ W.numpy())
    assert W.grad.numpy().flags.c_contiguous
    assert gradgradcheck(lambda x, w: x @ w.mT, (X, W))


@pytest.mark.parametrize(
    "a, b, message",
    [
        ((2, 3), (2, 3), r"matmul: shapes \(2, 3\) @ \(2, 3\) do not fit: inner dims 3 and 2 differ"),
        ((3,), (4,), r"matmul: shapes \(3,\) @ \(4,\) do not fit: inner dims 3 and 4 differ"),
        ((2, 2, 3), (3, 3, 4), r"matmul: batch dims of \(2, 2, 3\) and \(3, 3, 4\) do not broadcast"),
        ((), (3,), r"matmul: both operands need at least 1 dim, got shapes \(\) and \(3,\)"),
    ],
)
def test_matmul_shape_errors(a, b, message):
    with pytest.raises(ag.ShapeError, match=message):
        ag.ones(*a) @ ag.ones(*b)
