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
    np.testing.assert_array_equal(y.grad.numpy(), [4.0, 4.0, 4.0])  # 2 · (1 + 1) over the two rows
    column = leaf([[1.0], [2.0]])  # a kept size-1 dim is summed too
    BroadcastAdd.apply(x, column).sum().backward()
    np.testing.assert_array_equal(column.grad.numpy(), [[6.0], [6.0]])


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
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])

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
            return 2 * g.numpy() * ctx.inputs[0].numpy()  # arrays: a constant to a second derivative

    x = leaf([1.0, 3.0])
    ArrayGrad.apply(x).sum().backward()  # a plain backward may compute on arrays
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 6.0])
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


# ---- autograd.extend ------------------------------------------------------------------------------
from autograd import extend  # noqa: E402

sinh = extend.defvjp(np.sinh, lambda g, ans, x: g * (x.exp() + (-x).exp()) * 0.5)
scaled_hypot = extend.defvjp(
    lambda x, y, k: k * np.hypot(x, y),
    lambda g, ans, x, y, k: g * k * x / (ans * (1.0 / k)),
    lambda g, ans, x, y, k: g * k * y / (ans * (1.0 / k)),
    name="ScaledHypot",
)


def test_defvjp_makes_a_gate_that_gradchecks_to_the_second_order():
    x = leaf([-1.5, 0.2, 2.0])
    np.testing.assert_allclose(sinh(x).numpy(), np.sinh(x.numpy()))
    assert sinh(x).grad_fn.name == "sinh" and sinh.gate.__name__ == "sinh"
    assert gradcheck(sinh, x) and gradgradcheck(sinh, x)
    a, b = leaf([[3.0, -1.0]]), leaf([[4.0], [2.0]])  # broadcast: each gradient is summed back
    assert gradcheck(lambda p, q: scaled_hypot(p, q, 2.0), (a, b))
    assert gradgradcheck(lambda p, q: scaled_hypot(p, q, 2.0), (a, b))


def test_defvjp_without_a_gradient_for_an_input_that_needs_one_says_so():
    first_only = extend.defvjp(np.multiply, lambda g, ans, x, y: g * y, name="FirstOnly")
    x, y = leaf([1.0]), leaf([2.0])
    first_only(x, y.detach()).sum().backward()
    assert x.grad.item() == 2.0
    with pytest.raises(ag.GraphError, match="FirstOnly: input 1 needs a gradient, but defvjp was given no gradient"):
        first_only(x, y).sum().backward()
    with pytest.raises(ag.ArgumentError, match="defvjp"):
        extend.defvjp("sinh", None)


class ArrayCube(Function):
    """z = x³  ·  ∂z/∂x = 3x², its backward on arrays."""

    @staticmethod
    def forward(ctx, x):
        return x**3

    @staticmethod
    @extend.once_differentiable
    def backward(ctx, g):
        return 3 * g.numpy() * ctx.inputs[0].numpy() ** 2


def test_once_differentiable_allows_one_derivative_and_refuses_the_second():
    x = leaf([1.0, -2.0])
    assert gradcheck(ArrayCube.apply, x)
    (gx,) = ag.grad(ArrayCube.apply(x).sum(), x, create_graph=True)  # recorded: no NumPy-array error
    np.testing.assert_array_equal(gx.numpy(), [3.0, 12.0])
    assert gx.requires_grad
    with pytest.raises(ag.GraphError, match="ArrayCube.backward is marked @once_differentiable"):
        gx.sum().backward()


def test_wrap_and_unwrap_share_memory():
    a = np.arange(3.0)
    t = extend.wrap(a)
    assert t.numpy() is a and not t.requires_grad and t.grad_fn is None
    assert extend.unwrap(t) is a
    assert extend.unwrap([1.0, 2.0]).dtype == np.float32  # a new array, as autograd.tensor makes it
    with pytest.raises(ag.DTypeError, match="wrap: a tensor cannot hold dtype <U1"):
        extend.wrap(np.array(["a"]))


def test_mark_dirty_makes_a_graph_that_saved_the_tensor_refuse_its_backward():
    w = leaf([1.0, 2.0])
    y = (w * w).sum()
    w.numpy()[0] = 5.0  # written from NumPy: the engine cannot see it ...
    extend.mark_dirty(w)  # ... until it is told
    with pytest.raises(ag.GraphError, match="modified in place"):
        y.backward()
    with pytest.raises(ag.ArgumentError, match="mark_dirty: expected Tensors or NumPy arrays, got list"):
        extend.mark_dirty([1.0])


def test_nn_uses_only_the_public_surface_of_the_engine():
    import ast
    import pathlib

    public = {"autograd", "autograd.extend", "autograd.errors"}
    offenders = []
    for path in pathlib.Path(__file__).parents[1].joinpath("nn").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("autograd"):
                if node.module not in public:
                    offenders.append(f"{path.name}: from {node.module} import ...")
            elif isinstance(node, ast.Attribute) and node.attr == "_wrap":
                offenders.append(f"{path.name}:{node.lineno}: ._wrap")
    assert not offenders, offenders


def test_a_gate_applied_to_a_numpy_array_argument_backpropagates():
    class PlusArray(Function):
        @staticmethod
        def forward(ctx, x, offset):
            return x + offset

        @staticmethod
        def backward(ctx, g):
            return g, None

    x = leaf([1.0, 2.0])
    PlusArray.apply(x, np.array([10.0, 20.0])).sum().backward()  # the array is an input, not a value
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])
    assert "PlusArray" in ag.draw(PlusArray.apply(x, np.ones(2)).sum()).source
