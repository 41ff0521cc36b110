"""The extension surface: custom gates written as built-ins are, and their mistakes caught at the boundary."""

import numpy as np
import pytest

import autograd as ag
from autograd import Function, Tensor, gradcheck, gradgradcheck


def leaf(values, dtype=np.float64):
    return Tensor(np.asarray(values, dtype=dtype), requires_grad=True)


class BroadcastAdd(Function):
    """z = x + y (broadcast)  ·  ∂z/∂x = 1, ∂z/∂y = 1: the backward states the math only."""

    @staticmethod
    def forward(ctx, x, y):
        return x + y

    @staticmethod
    def backward(ctx, g):
        return g, 2 * g  # both of the broadcast shape: Function sums each back to its input's


def test_function_sums_a_broadcast_gradient_back_to_its_input_shape():
    x, y = leaf(np.ones((2, 3))), leaf([1.0, 2.0, 3.0])
    BroadcastAdd.apply(x, y).sum().backward()
    assert x.grad.shape == (2, 3) and y.grad.shape == (3,)
    np.testing.assert_array_equal(y.grad.data, [4.0, 4.0, 4.0])  # 2 · (1 + 1) over the two rows
    column = leaf([[1.0], [2.0]])  # a kept size-1 dim is summed too
    BroadcastAdd.apply(x, column).sum().backward()
    np.testing.assert_array_equal(column.grad.data, [[6.0], [6.0]])


def test_the_reduction_is_recorded_so_second_derivatives_see_it():
    class Product(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.inputs
            return g * y, g * x

    x, y = leaf(np.linspace(0.5, 2, 6).reshape(2, 3)), leaf([[0.3, -1.2, 2.0]])
    assert gradcheck(Product.apply, (x, y))
    assert gradgradcheck(Product.apply, (x, y))


def test_a_gradient_that_does_not_broadcast_is_a_shape_error():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return Tensor(np.ones((4,)))

    with pytest.raises(
        ag.ShapeError, match=r"Wrong.backward returned a gradient of shape \(4,\) for an input of shape \(3,\)"
    ):
        Wrong.apply(leaf([1.0, 2.0, 3.0])).sum().backward()


def test_too_few_gradients_is_an_error_that_says_one_per_input():
    class OneForTwo(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g  # forgot y's

    with pytest.raises(ag.GraphError, match=r"OneForTwo.backward returned 1 gradient\(s\) for 2 inputs.*None"):
        OneForTwo.apply(leaf([1.0]), leaf([2.0])).sum().backward()


def test_a_number_argument_needs_its_none_too():
    class Scaled(Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = leaf([1.0, 2.0])
    Scaled.apply(x, 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])

    class GradientForTheNumber(Scaled):
        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, g

    with pytest.raises(ag.GraphError, match="gradient for input 1, which is not a tensor \\(float\\)"):
        GradientForTheNumber.apply(x, 3.0).sum().backward()


def test_a_numpy_gradient_is_refused_when_the_backward_is_being_recorded():
    class ArrayGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return 2 * g.data * ctx.inputs[0].data  # arrays: a constant to a second derivative

    x = leaf([1.0, 3.0])
    ArrayGrad.apply(x).sum().backward()  # a plain backward may compute on arrays
    np.testing.assert_array_equal(x.grad.data, [2.0, 6.0])
    with pytest.raises(ag.GraphError, match="returned a NumPy array.*create_graph=True.*once_differentiable"):
        ag.grad(ArrayGrad.apply(x).sum(), x, create_graph=True)


def test_a_gradient_of_the_wrong_kind_names_the_gate_and_what_was_expected():
    class ListGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return [2.0, 2.0]

    with pytest.raises(ag.GraphError, match=r"ListGrad.backward returned a list .* expected a Tensor of shape \(2,\)"):
        ListGrad.apply(leaf([1.0, 2.0])).sum().backward()


def test_a_custom_gates_own_value_error_passes_through_with_the_gate_named():
    class Picky(Function):
        @staticmethod
        def forward(ctx, x):
            raise ValueError("Picky wants positive inputs")

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(ValueError, match="Picky wants positive inputs") as info:
        Picky.apply(leaf([-1.0]))
    assert not isinstance(info.value, ag.AutogradError)  # the user's own exception, unchanged
    assert "in the forward of the custom gate Picky, on inputs of shapes (1,)" in info.value.__notes__


def test_a_built_in_gates_broadcast_failure_is_still_our_shape_error():
    with pytest.raises(ag.ShapeError, match=r"Add: inputs of shapes \(2,\) and \(3,\) do not fit"):
        leaf([1.0, 2.0]) + leaf([1.0, 2.0, 3.0])
