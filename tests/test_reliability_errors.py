"""Misuse gets the engine's own error, naming the operation and the shapes / dtypes involved."""

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import ArgumentError, AutogradError, DomainError, DTypeError, GraphError, ShapeError


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
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0, 6.0])


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


@pytest.mark.parametrize(
    "fn, error_type, expected",
    [
        (
            lambda: ag.tensor([[1.0], [1.0, 2.0]]),
            ShapeError,
            "tensor: the nested lists are ragged (their lengths differ at depth 1)",
        ),
        (
            lambda: ag.tensor([[[1.0], [2.0]], [[1.0], [2.0, 3.0]]]),
            ShapeError,
            "ragged (their lengths differ at depth 2)",
        ),
        (
            lambda: ag.tensor([1, "a"], dtype="float32"),
            DTypeError,
            "tensor: cannot make a float32 array from list data",
        ),
        (lambda: ag.zeros(-1), ShapeError, "zeros: sizes must be non-negative, got -1"),
        (lambda: ag.ones((2, -3)), ShapeError, "ones: sizes must be non-negative, got -3 in (2, -3)"),
        (lambda: ag.randn("a"), ArgumentError, "randn: sizes must be of type int, got 'a'"),
        (lambda: ag.rand(2, 1.5), ArgumentError, "rand: sizes must be of type int, got 1.5 in (2, 1.5)"),
        (lambda: ag.full(2.5, 1.0), ArgumentError, "full: sizes must be of type int, got 2.5"),
        (lambda: ag.eye(-1), ShapeError, "eye: sizes must be non-negative, got -1"),
        (lambda: ag.arange("a"), ArgumentError, "arange: end must be a number, got 'a'"),
        (lambda: ag.arange(0, 3, 0), ag.DomainError, "arange: step must not be zero"),
        (lambda: nn.Linear(-1, 2), ShapeError, "Linear: in_features must be non-negative, got -1"),
        (lambda: nn.Linear(2, 2.5), ArgumentError, "Linear: out_features must be of type int, got 2.5"),
        (lambda: nn.Conv2d(3, -4, 3), ShapeError, "Conv2d: out_channels must be non-negative, got -4"),
        (lambda: nn.BatchNorm1d("3"), ArgumentError, "BatchNorm1d: num_features must be of type int, got '3'"),
        (lambda: nn.PReLU(-2), ShapeError, "PReLU: num_parameters must be non-negative, got -2"),
        (lambda: ag.ones(2, 3).sum(1.5), ArgumentError, "sum: dim must be an int or a tuple of ints, got 1.5"),
        (
            lambda: ag.ones(2, 3).mean((0, "a")),
            ArgumentError,
            "mean: dim must be an int or a tuple of ints, got (0, 'a')",
        ),
        (
            lambda: ag.ones(2, 3).reshape(1.5, 4),
            ArgumentError,
            "reshape: sizes must be of type int, got 1.5 in (1.5, 4)",
        ),
        (lambda: ag.ones(2, 3).reshape(-2, 3), ShapeError, "reshape: sizes must be at least -1, got -2 in (-2, 3)"),
        (lambda: ag.ones(2, 3).permute(0.5, 1), ArgumentError, "permute: dims must be of type int, got 0.5"),
        (
            lambda: ag.grad(ag.ones(2, requires_grad=True).sum(), 5),
            ArgumentError,
            "grad: inputs must be Tensors or Scalars (or a sequence of them); input 0 is of type 'int'",
        ),
        (
            lambda: ag.grad([5], ag.ones(2, requires_grad=True)),
            ArgumentError,
            "grad: outputs must be Tensors or Scalars",
        ),
        (
            lambda: (ag.ones(2, requires_grad=True) * 2).backward("a"),
            DTypeError,
            "backward (gradient): cannot make a float32 array from str data",
        ),
        (
            lambda: ag.tensor([1.0], dtype="foo"),
            DTypeError,
            "tensor: unknown dtype 'foo'; expected a NumPy dtype or its name",
        ),
        (lambda: ag.zeros(2, dtype="foo"), DTypeError, "zeros: unknown dtype 'foo'"),
        (lambda: ag.ones(2).to("foo"), DTypeError, "to: unknown dtype 'foo'"),
        (lambda: nn.Linear(2, 2, dtype="foo"), DTypeError, "layer dtype: unknown dtype 'foo'"),
        (lambda: nn.Linear(2, 2).to("foo"), DTypeError, "Linear.to: unknown dtype 'foo'"),
        (lambda: ag.ones(2) + "a", ArgumentError, "cannot combine a Tensor with str; expected a Tensor, a number"),
        (lambda: ag.ones(2).maximum(None), ArgumentError, "cannot combine a Tensor with NoneType"),
        (  # NumPy's other ValueErrors are not called shape errors
            lambda: ag.tensor([1, 2, 3]) ** -1,
            DomainError,
            "Pow: inputs of shapes (3,) and (): Integers to negative integer powers are not allowed",
        ),
    ],
)
def test_bad_arguments_get_our_error_naming_the_op_what_was_expected_and_given(fn, error_type, expected):
    msg = message(error_type, fn)
    assert expected in msg, msg
