"""Misuse gets the engine's own error, naming the operation and the shapes / dtypes involved."""

import numpy as np
import pytest

import autograd as ag
from autograd import AutogradError, DTypeError, GraphError, ShapeError


def message(error_type, fn):
    """The message of the error `fn` raises, which must be ours and of `error_type`."""
    with pytest.raises(error_type) as err:
        fn()
    assert isinstance(err.value, AutogradError)
    return str(err.value)


@pytest.mark.parametrize(
    "fn, parts",
    [
        (lambda: ag.ones(2, 3) @ ag.ones(4, 5), ["matmul", "(2, 3)", "(4, 5)", "inner dims 3 and 4"]),
        (lambda: ag.ones(3) @ ag.ones(4, 2), ["matmul", "(3,)", "(4, 2)"]),
        (lambda: ag.ones(2, 2, 3) @ ag.ones(3, 3, 2), ["matmul", "(2, 2, 3)", "(3, 3, 2)", "broadcast"]),
        (lambda: ag.ones(2) @ ag.tensor(1.0), ["matmul", "at least 1 dim"]),
    ],
)
def test_matmul_shape_mismatch(fn, parts):
    msg = message(ShapeError, fn)
    assert all(p in msg for p in parts), msg


@pytest.mark.parametrize(
    "fn, gate, shapes",
    [
        (lambda: ag.ones(2, 3) + ag.ones(4), "Add", ["(2, 3)", "(4,)"]),
        (lambda: ag.ones(2, 3) * np.ones((3, 2)), "Mul", ["(2, 3)", "(3, 2)"]),
        (lambda: ag.ones(5) - ag.ones(2, 3), "Sub", ["(5,)", "(2, 3)"]),
        (lambda: ag.ones(2, 3).maximum(ag.ones(2)), "Maximum", ["(2, 3)", "(2,)"]),
        (lambda: ag.where(np.ones(2) > 0, ag.ones(3), 0.0), "Where", ["(2,)", "(3,)"]),
    ],
)
def test_broadcasting_mismatch_names_the_gate_and_shapes(fn, gate, shapes):
    msg = message(ShapeError, fn)
    assert msg.startswith(gate) and "broadcast" in msg and all(s in msg for s in shapes), msg


def test_expand_to_an_incompatible_shape():
    msg = message(ShapeError, lambda: ag.ones(2, 3).expand(3, 3))
    assert "expand" in msg and "(2, 3)" in msg and "(3, 3)" in msg


@pytest.mark.parametrize("shape", [(4, 2), (-1, 4), (7,)])
def test_reshape_to_a_different_size(shape):
    msg = message(ShapeError, lambda: ag.ones(2, 3).reshape(shape))
    assert "reshape" in msg and "(2, 3)" in msg and "6 elements" in msg and str(shape) in msg


def test_cat_mismatch_names_the_tensor_and_dim():
    msg = message(ShapeError, lambda: ag.cat([ag.ones(2, 3), ag.ones(2, 3), ag.ones(2, 4)], 0))
    assert "cat: tensor 2 has shape (2, 4) but tensor 0 has shape (2, 3)" in msg and "dim 0" in msg
    msg = message(ShapeError, lambda: ag.cat([ag.ones(2, 3), ag.ones(3)], 1))
    assert "(3,)" in msg and "(2, 3)" in msg
    assert "empty" in message(ShapeError, lambda: ag.cat([]))


def test_backward_on_non_scalar_without_gradient():
    y = ag.ones(3, requires_grad=True) * 2
    msg = message(GraphError, y.backward)
    assert "only for a one-element output" in msg and "(3,)" in msg


def test_backward_twice_through_a_freed_graph():
    x = ag.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    msg = message(GraphError, y.backward)
    assert "a second time" in msg and "retain_graph=True" in msg and msg.startswith("Sum")
    y2 = (x * x).sum()
    y2.backward(retain_graph=True)
    y2.backward()  # retained: a second pass works and accumulates
    np.testing.assert_allclose(x.grad.data, [6.0, 6.0, 6.0])


def test_gradient_of_the_wrong_shape():
    x = ag.ones(3, requires_grad=True)
    msg = message(ShapeError, lambda: (x * 2).backward(ag.ones(2)))
    assert "gradient has shape (2,) but the output has shape (3,)" in msg
    msg = message(ShapeError, lambda: ag.grad((x * 2).sum(), x, grad_outputs=ag.ones(3)))
    assert "(3,)" in msg and "()" in msg


def test_backward_of_a_tensor_outside_the_graph():
    msg = message(GraphError, lambda: ag.ones(1).backward())
    assert "does not require grad" in msg


@pytest.mark.parametrize(
    "make",
    [
        lambda: ag.tensor([1, 2], requires_grad=True),
        lambda: ag.arange(3).requires_grad_(),
        lambda: ag.zeros(3, dtype=np.int64, requires_grad=True),
        lambda: ag.Tensor(np.array([True, False]), requires_grad=True),
    ],
)
def test_requires_grad_on_integer_or_bool_tensors(make):
    msg = message(DTypeError, make)
    assert "only floating-point tensors can require grad" in msg
    assert "int64" in msg or "bool" in msg


def test_reduction_over_a_missing_dim():
    msg = message(ShapeError, lambda: ag.ones(2, 3).sum(2))
    assert "sum: dim 2 is out of range for a tensor with 2 dims" in msg
