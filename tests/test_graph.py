"""Graph semantics: accumulation and reuse, leaf gradients across backward calls, retain_grad,
which gates fire, deep chains, grad modes, detach, retain_graph, autograd.grad and higher
derivatives, custom Functions, and gradcheck's own failure reports."""

from __future__ import annotations

import weakref

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Function, Tensor, gradcheck, gradgradcheck
from autograd.gates import linalg
from autograd.graph import backpropagate
from autograd.testing import arrays, floats


def leaf(values, dtype=ag.float64) -> Tensor:
    return ag.tensor(values, dtype=dtype, requires_grad=True)


# ---- accumulation and reuse ---------------------------------------------------------------------


def test_a_value_used_twice_receives_the_sum_of_its_gradients():
    a = leaf(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4.0


@given(arrays())
def test_x_times_x_plus_x_has_gradient_2x_plus_1(values):
    x = Tensor(values, requires_grad=True)
    (x * x + x).backward(np.ones(x.shape))
    np.testing.assert_allclose(x.grad.numpy(), 2 * values + 1, rtol=1e-12)


def test_intermediate_reused_in_several_branches():
    x = leaf([-2.0, 0.5, 3.0])
    y = x * x  # z = y + y·y = x² + x⁴  ⇒  dz/dx = 2x + 4x³
    z = y + y * y
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * x.numpy() + 4 * x.numpy() ** 3)


def test_notes_circuit_f_equals_x_plus_y_times_z():
    x, y, z = leaf(-2.0), leaf(5.0), leaf(-4.0)
    q = x + y
    f = q * z
    f.backward()
    assert (q.item(), f.item()) == (3.0, -12.0)
    assert (x.grad.item(), y.grad.item(), z.grad.item()) == (-4.0, -4.0, 3.0)


def test_leaf_gradients_accumulate_across_backward_calls_until_zeroed():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3 + 2, 3 + 4])
    x.grad = None
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3, 3])


def test_accumulation_never_writes_into_a_shared_gradient():
    """With create_graph, a constant gradient can be the seed itself or shared by two inputs;
    a later backward must not add into it in place."""
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    seed = ag.ones(2, dtype=ag.float64)
    (x + w).backward(seed, create_graph=True)
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3, 3])
    np.testing.assert_array_equal(w.grad.numpy(), [1, 1])
    np.testing.assert_array_equal(seed.numpy(), [1, 1])


class Doubles(Function):
    """z = 2x, remembering (weakly) each gradient array its backward makes."""

    made: list[weakref.ref] = []

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        out = g * 2
        Doubles.made.append(weakref.ref(out.numpy()))
        return out


def test_a_leaf_takes_over_a_gradient_nothing_else_refers_to():
    """No copy of a fresh gradient into .grad; a later backward still adds into it correctly."""
    x = leaf([1.0, 2.0])
    Doubles.made.clear()
    Doubles.apply(x).sum().backward()
    assert Doubles.made[0]() is x.grad.numpy()
    Doubles.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4, 4])


KEPT = np.ones(2)


class ReturnsKept(Function):
    """A gate whose backward returns an array it keeps elsewhere (here a module constant)."""

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, g):
        return Tensor._wrap(KEPT)


def test_a_leaf_copies_every_gradient_something_else_can_see():
    """Where anything else refers to a gradient or its memory, .grad gets a copy, so that adding into
    it in place (a second backward) changes nothing else: the seed, one gradient sent to two leaves,
    an array a gate keeps, a view of the gradient a gate keeps for drawings."""
    x = leaf([1.0, 2.0])
    seed = ag.tensor([5.0, 6.0], dtype=ag.float64)
    x.backward(seed)
    x.backward(seed)
    np.testing.assert_array_equal(seed.numpy(), [5, 6])
    a, b, c = leaf([1.0, 2.0]), leaf([3.0, 4.0]), leaf([2.0, 2.0])
    ((a + b) * c).sum().backward()  # Add sends one gradient to both a and b
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    ReturnsKept.apply(x).sum().backward()
    ReturnsKept.apply(x).sum().backward()
    np.testing.assert_array_equal(KEPT, [1, 1])
    m = leaf([[1.0, 2.0], [3.0, 4.0]])
    y = m.reshape(4) * 3
    y.sum().backward()
    assert not np.shares_memory(m.grad.numpy(), y.grad_fn.inputs[0].grad_fn.grad_out.numpy())


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = leaf([1.0, -2.0])
    y = x * 3
    y.retain_grad()
    (y * y).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), 2 * y.numpy())
    np.testing.assert_array_equal(x.grad.numpy(), 3 * 2 * y.numpy())
    with pytest.raises(ag.GraphError, match="retain_grad: this tensor does not require grad"):
        ag.ones(2).retain_grad()


# ---- which gates fire ---------------------------------------------------------------------------


class Doubler(Function):
    """z = 2x, counting its backward calls."""

    calls = 0

    @staticmethod
    def forward(ctx, x):
        return 2 * x

    @staticmethod
    def backward(ctx, g):
        Doubler.calls += 1
        return 2 * g


def test_only_gates_on_a_path_to_a_requires_grad_input_fire():
    Doubler.calls = 0
    x, c = leaf([1.0, 2.0]), ag.tensor([3.0, 4.0])
    constant_branch = Doubler.apply(Doubler.apply(c))
    assert constant_branch.grad_fn is None and not constant_branch.requires_grad
    y = Doubler.apply(x)
    (y * constant_branch + y).sum().backward()
    assert Doubler.calls == 1  # the gate used twice fires once, with the summed gradient
    np.testing.assert_array_equal(x.grad.numpy(), 2 * (4 * c.numpy() + 1))


BINARY_GATES = [
    ("Add", lambda p, q: p + q),
    ("Sub", lambda p, q: p - q),
    ("Mul", lambda p, q: p * q),
    ("Div", lambda p, q: p / q),
    ("Pow", lambda p, q: p**q),
    ("Maximum", ag.maximum),
    ("MatMul", lambda p, q: p @ q),
    ("Where", lambda p, q: ag.where(np.array([[True, False], [False, True]]), p, q)),
    ("Cat", lambda p, q: ag.cat([p, q])),
]


@pytest.mark.parametrize("name, fn", BINARY_GATES, ids=[g[0] for g in BINARY_GATES])
@pytest.mark.parametrize("constant", [0, 1])
def test_a_gate_computes_no_gradient_for_a_constant_input(name, fn, constant):
    rng = np.random.default_rng(0)
    operands = [Tensor(rng.uniform(0.5, 2, (2, 2)), requires_grad=i != constant) for i in range(2)]
    out = fn(*operands)
    assert out.grad_fn.name == name
    fired = []
    backpropagate([out], [Tensor(np.ones(out.shape))], hook=lambda value, node, g, grads: fired.append(grads))
    (grads,) = fired
    slot = {id(inp): i for i, inp in enumerate(out.grad_fn.inputs)}  # Where's condition is input 0
    assert grads[slot[id(operands[constant])]] is None
    assert grads[slot[id(operands[1 - constant])]] is not None


def test_matmul_with_a_constant_input_computes_only_one_product(monkeypatch):
    forward = linalg.MatMul.forward
    products = []

    def counted(self, x, y):
        products.append((x.shape, y.shape))
        return forward(self, x, y)

    W = leaf(np.ones((3, 2)))
    x = ag.tensor(np.ones((4, 3)), dtype=ag.float64)
    out = x @ W
    monkeypatch.setattr(linalg.MatMul, "forward", counted)
    out.sum().backward()
    assert products == [((3, 4), (4, 2))]  # dW = xᵀ g only; no g Wᵀ for the constant x


# ---- deep chains --------------------------------------------------------------------------------


def test_second_derivative_through_a_deep_chain():
    x = leaf(1.0)
    y = x
    for _ in range(10_000):
        y = y * x  # y = x¹⁰⁰⁰¹
    (g,) = ag.grad(y, x, create_graph=True)
    (gg,) = ag.grad(g, x)
    assert (g.item(), gg.item()) == (10_001, 10_001 * 10_000)


# ---- grad modes and detach ----------------------------------------------------------------------


def test_no_grad_records_nothing_and_restores_the_mode():
    x = leaf([1.0])
    with ag.no_grad():
        y = x * 2
        assert not ag.is_grad_enabled()
        with ag.enable_grad():
            z = x * 2
            assert ag.is_grad_enabled()
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    assert y.grad_fn is None and not y.requires_grad
    assert z.grad_fn is not None and z.requires_grad


def test_no_grad_as_a_decorator_and_after_an_exception():
    @ag.no_grad()
    def double(t):
        return t * 2

    @ag.enable_grad()
    def triple(t):
        return t * 3

    x = leaf([1.0])
    assert not double(x).requires_grad
    with ag.no_grad():
        assert triple(x).requires_grad
    with pytest.raises(KeyError):
        with ag.no_grad():
            raise KeyError
    assert ag.is_grad_enabled()
    with ag.set_grad_enabled(False):
        assert not (x * 2).requires_grad


def test_no_grad_and_enable_grad_as_bare_decorators():
    @ag.no_grad
    def double(t):
        """Twice t."""
        return t * 2

    @ag.enable_grad
    def triple(t):
        return t * 3

    x = leaf([1.0])
    assert double.__name__ == "double" and double.__doc__ == "Twice t."
    assert not double(x).requires_grad and ag.is_grad_enabled()
    with ag.no_grad():
        assert triple(x).requires_grad
        assert not ag.is_grad_enabled()
    with pytest.raises(TypeError, match=r"no_grad\(\) takes no arguments"):
        ag.no_grad(False)


def test_detach_shares_data_and_stops_the_gradient():
    x = leaf([1.0, 2.0])
    y = x * 3
    d = y.detach()
    assert d.is_leaf and not d.requires_grad and d.numpy() is y.numpy()
    (x * d).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), d.numpy())


def test_requires_grad_flag_changes_on_leaves_only():
    x = ag.tensor([1.0])
    assert x.requires_grad_() is x and x.requires_grad
    x.requires_grad_(False)
    assert not x.requires_grad
    y = leaf([1.0]) * 2
    with pytest.raises(
        ag.GraphError, match="requires_grad_: only a leaf tensor's flag can change; this one was made by Mul"
    ):
        y.requires_grad_(False)


# ---- backward errors and retain_graph -----------------------------------------------------------


def test_backward_errors():
    x = leaf([1.0, 2.0])
    with pytest.raises(
        ag.GraphError, match=r"grad can be left out only for a one-element output; this one has shape \(2,\)"
    ):
        (x * 2).backward()
    with pytest.raises(ag.ShapeError, match=r"backward: gradient has shape \(3,\) but the output has shape \(2,\)"):
        (x * 2).backward(np.ones(3))
    with pytest.raises(ag.GraphError, match="does not require grad"):
        ag.ones(2).sum().backward()


def test_second_backward_through_a_freed_graph_is_an_error_naming_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(
        ag.GraphError, match="Sum: trying to backward through the graph a second time.*retain_graph=True"
    ):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * (np.exp(x.numpy()) * (x.numpy() + 1)))


def test_saved_tensors_are_freed_after_backward():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * g * x

    y = Square.apply(leaf([3.0]))
    node = y.grad_fn
    y.backward()
    assert node.released
    with pytest.raises(ag.GraphError, match="retain_graph"):
        _ = node.saved_tensors


# ---- autograd.grad and higher derivatives -------------------------------------------------------


def test_grad_returns_gradients_without_touching_dot_grad():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    gx, gy = ag.grad((x * y).sum(), [x, y])
    np.testing.assert_array_equal(gx.numpy(), y.numpy())
    np.testing.assert_array_equal(gy.numpy(), x.numpy())
    assert x.grad is None and y.grad is None


def test_grad_with_grad_outputs_and_several_outputs():
    x = leaf([1.0, 2.0])
    (g,) = ag.grad([x * 2, x * x], x, grad_outputs=[np.array([1.0, 10.0]), np.array([100.0, 1000.0])])
    np.testing.assert_array_equal(g.numpy(), [2 + 200, 20 + 4000])
    with pytest.raises(ValueError, match="grad: 1 outputs but 2 grad_outputs"):
        ag.grad(x * 2, x, grad_outputs=[np.ones(2), np.ones(2)])


def test_grad_with_respect_to_an_intermediate():
    x = leaf([1.0, 2.0])
    h = x * 3
    (gh, gx) = ag.grad((h * h).sum(), [h, x])
    np.testing.assert_array_equal(gh.numpy(), 2 * h.numpy())
    np.testing.assert_array_equal(gx.numpy(), 18 * x.numpy())


def test_grad_allow_unused():
    x, unused = leaf([1.0]), leaf([2.0])
    with pytest.raises(
        ag.GraphError, match="grad: input 1 is not used in computing the outputs; pass allow_unused=True"
    ):
        ag.grad((x * 2).sum(), [x, unused])
    gx, gu = ag.grad((x * 2).sum(), [x, unused], allow_unused=True)
    assert gu is None and gx.item() == 2.0


def test_grad_input_and_output_must_require_grad():
    x = leaf([1.0])
    with pytest.raises(ag.GraphError, match="grad: input 0 does not require grad"):
        ag.grad((x * 2).sum(), ag.ones(1))
    with pytest.raises(ag.GraphError, match="grad: output 0 does not require grad"):
        ag.grad(ag.ones(1).sum(), x)


@given(floats(-3, 3))
def test_second_and_third_derivatives_of_x_cubed(value):
    x = leaf(value)
    (d1,) = ag.grad(x**3, x, create_graph=True)
    (d2,) = ag.grad(d1, x, create_graph=True)
    (d3,) = ag.grad(d2, x)
    np.testing.assert_allclose([d1.item(), d2.item(), d3.item()], [3 * value**2, 6 * value, 6], rtol=1e-12, atol=1e-12)


@given(arrays((3,)), arrays((3,)))
def test_hessian_vector_product_matches_the_hessian_by_hand(values, v):
    """f = x₀²x₁ + x₁³ + x₀x₂ has H = [[2x₁, 2x₀, 1], [2x₀, 6x₁, 0], [1, 0, 0]]."""
    x = Tensor(values, requires_grad=True)
    f = x[0] ** 2 * x[1] + x[1] ** 3 + x[0] * x[2]
    (g,) = ag.grad(f, x, create_graph=True)
    (hv,) = ag.grad((g * Tensor(v)).sum(), x)
    x0, x1, _ = values
    H = np.array([[2 * x1, 2 * x0, 1], [2 * x0, 6 * x1, 0], [1, 0, 0]])
    np.testing.assert_allclose(hv.numpy(), H @ v, rtol=1e-10, atol=1e-10)


def test_backward_with_create_graph_gives_differentiable_leaf_gradients():
    x = leaf([2.0])
    (x**3).sum().backward(create_graph=True)
    g = x.grad
    assert g.requires_grad
    x.grad = None
    g.sum().backward()
    assert x.grad.item() == 12.0  # d/dx 3x² = 6x


# ---- custom Functions ---------------------------------------------------------------------------


class Cube(Function):
    """z = x³ · ∂z/∂x = 3x², saving its input."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * g * x * x


class Expo(Function):
    """z = eˣ · ∂z/∂x = z, saving its output."""

    @staticmethod
    def forward(ctx, x):
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        assert out is ctx.output
        return g * out


class ScaledProduct(Function):
    """z = a · b · k for a number k  ·  ∂z/∂a = b k, ∂z/∂b = a k."""

    @staticmethod
    def forward(ctx, a, b, k):
        ctx.k = k
        ctx.save_for_backward(a, b)
        return a * b * k

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        need_a, need_b, _ = ctx.needs_input_grad
        return (g * b * ctx.k if need_a else None), (g * a * ctx.k if need_b else None), None


def test_saved_input_comes_back_as_the_input_tensor():
    x = leaf([1.0, 2.0])
    y = Cube.apply(x)
    assert y.grad_fn.saved_tensors[0] is x
    assert repr(y).endswith("grad_fn=<CubeBackward>)")


@given(arrays())
def test_custom_functions_pass_gradcheck_and_gradgradcheck(values):
    x = Tensor(values, requires_grad=True)
    for fn in (Cube.apply, Expo.apply):
        assert gradcheck(fn, x)
        assert gradgradcheck(fn, x)


@given(st.data())
def test_custom_function_with_several_inputs_and_a_parameter(data):
    a, b = (Tensor(data.draw(arrays((2, 3))), requires_grad=True) for _ in range(2))
    out = ScaledProduct.apply(a, b, 2.5)
    np.testing.assert_allclose(out.numpy(), a.numpy() * b.numpy() * 2.5)
    assert gradcheck(lambda p, q: ScaledProduct.apply(p, q, 2.5), (a, b))
    assert gradgradcheck(lambda p, q: ScaledProduct.apply(p, q, 2.5), (a, b))
    only_b = ScaledProduct.apply(a.detach(), b, 2.5)
    assert only_b.grad_fn.needs_input_grad == (False, True, False)
    (gb,) = ag.grad(only_b.sum(), b)
    np.testing.assert_allclose(gb.numpy(), a.numpy() * 2.5)


def test_custom_backward_may_return_arrays_but_not_wrong_shapes():
    class ArrayGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x + 1

        @staticmethod
        def backward(ctx, g):
            return np.full(g.shape, 5.0)

    class WrongShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x + 1

        @staticmethod
        def backward(ctx, g):
            return g.sum()

    x = leaf([1.0, 2.0])
    ArrayGrad.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [5, 5])
    with pytest.raises(
        ag.ShapeError, match=r"WrongShape.backward returned a gradient of shape \(\) for an input of shape \(2,\)"
    ):
        WrongShape.apply(x).sum().backward()


# ---- gradcheck's own failures -------------------------------------------------------------------


class WrongSquare(Function):
    """z = x², with a deliberately wrong backward: x instead of 2x."""

    @staticmethod
    def forward(ctx, x):
        return x * x

    @staticmethod
    def backward(ctx, g):
        return g * ctx.inputs[0]


def test_gradcheck_catches_a_wrong_backward_and_says_where():
    x = leaf([3.0, 2.0])
    with pytest.raises(ag.GradcheckError) as info:
        gradcheck(lambda t: WrongSquare.apply(t).sum(), x)
    message = str(info.value)
    assert "input 0, element (0,)" in message
    assert "analytic gradient 3," in message and "numerical 6," in message and "difference -3" in message
    assert "2 of 2 elements disagree" in message
    y = leaf([[1.0]])
    with pytest.raises(ag.GradcheckError, match=r"input 1, element \(0, 0\): analytic gradient 1, numerical 2"):
        gradcheck(lambda a, b: a.sum() + WrongSquare.apply(b).sum(), (x, y))


def test_gradcheck_of_a_non_scalar_output_reports_a_real_jacobian_entry():
    """The check goes through a random projection, but the message names d output / d input at the
    output element that differs most, with values one can derive by hand: WrongSquare gives x, not 2x."""
    x = leaf([3.0, 2.0])
    with pytest.raises(ag.GradcheckError) as info:
        gradcheck(WrongSquare.apply, x)
    assert str(info.value).startswith(
        "gradcheck: input 0, element (0,): the derivative of output 0, element (0,) with respect to it is 3 "
        "analytically, 6 numerically, difference -3 (atol=1e-05, rtol=0.001; the largest difference over the 2 "
        "output elements); 2 of 2 elements disagree"
    )
    scale = ag.tensor([[1.0], [10.0]], dtype=ag.float64)
    with pytest.raises(ag.GradcheckError) as info:
        gradcheck(lambda t: (t.sum() * 2, WrongSquare.apply(t)[None] * scale), x)
    message = str(info.value)
    assert "the derivative of output 1, element (1, 0) with respect to it is 30 analytically, 60 numerically" in message
    assert "difference -30" in message and "over the 5 output elements" in message


def test_gradgradcheck_catches_a_wrong_second_derivative():
    class FrozenSquare(Function):
        """Right first derivative 2x, but computed from a constant copy of x: no second derivative."""

        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g * 2 * ctx.inputs[0].detach()

    x = leaf([1.0, -2.0])
    assert gradcheck(FrozenSquare.apply, x)
    with pytest.raises(ag.GradcheckError, match="input 0"):
        gradgradcheck(FrozenSquare.apply, x)


def test_gradcheck_refuses_float32_and_fails_on_nan_gradients():
    with pytest.raises(ag.DTypeError, match="gradcheck: input 0 is float32; central differences need float64"):
        gradcheck(Tensor.exp, leaf([1.0], dtype=ag.float32))

    class NanGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * np.nan

    with pytest.raises(ag.GradcheckError, match="with respect to it is nan analytically, 2 numerically"):
        gradcheck(NanGrad.apply, leaf([1.0, 2.0]))
    with pytest.raises(ValueError, match="gradcheck: no input requires grad"):
        gradcheck(Tensor.exp, ag.tensor([1.0], dtype=ag.float64))
