"""Elementwise gates: gradients against central differences, forwards against NumPy, the
conventions at non-differentiable points, stability at extreme inputs, and operator mixing with
Python numbers and NumPy arrays."""

from __future__ import annotations

import operator
import warnings
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd.testing import arrays, broadcastable_shapes, shapes, tensors


class Op(NamedTuple):
    name: str
    ours: Callable[..., Any]
    numpy: Callable[..., Any]
    values: dict[str, Any] = {}


UNARY = [
    Op("neg", operator.neg, np.negative),
    Op("exp", Tensor.exp, np.exp),
    Op("ag.exp", ag.exp, np.exp),
    Op("reciprocal", Tensor.reciprocal, lambda a: 1 / a, dict(away_from=(0,), margin=0.3)),
    Op("log", Tensor.log, np.log, dict(low=0.1, high=5)),
    Op("ag.log", ag.log, np.log, dict(low=0.1, high=5)),
    Op("sqrt", Tensor.sqrt, np.sqrt, dict(low=0.1, high=5)),
    Op("ag.sqrt", ag.sqrt, np.sqrt, dict(low=0.1, high=5)),
    Op("abs", Tensor.abs, np.abs, dict(away_from=(0,))),
    Op("builtin abs", abs, np.abs, dict(away_from=(0,))),
    Op("tanh", Tensor.tanh, np.tanh),
    Op("ag.tanh", ag.tanh, np.tanh),
    Op("sigmoid", Tensor.sigmoid, lambda a: 1 / (1 + np.exp(-a))),
    Op("ag.sigmoid", ag.sigmoid, lambda a: 1 / (1 + np.exp(-a))),
    Op("relu", Tensor.relu, lambda a: np.where(a > 0, a, 0.0), dict(away_from=(0,))),
    Op("ag.relu", ag.relu, lambda a: np.where(a > 0, a, 0.0), dict(away_from=(0,))),
    Op("leaky_relu", Tensor.leaky_relu, lambda a: np.where(a > 0, a, 0.01 * a), dict(away_from=(0,))),
    Op("leaky_relu(0.2)", lambda x: x.leaky_relu(0.2), lambda a: np.where(a > 0, a, 0.2 * a), dict(away_from=(0,))),
    Op("clip", lambda x: x.clip(-1, 1.5), lambda a: np.clip(a, -1, 1.5), dict(away_from=(-1, 1.5))),
    Op("clip(min=)", lambda x: x.clip(min=-0.5), lambda a: np.maximum(a, -0.5), dict(away_from=(-0.5,))),
    Op("clamp(max=)", lambda x: x.clamp(max=0.5), lambda a: np.minimum(a, 0.5), dict(away_from=(0.5,))),
    Op("x ** 3", lambda x: x**3, lambda a: a * a * a),
    Op("x ** 2.5", lambda x: x**2.5, lambda a: np.sqrt(a) ** 5, dict(low=0.1)),
    Op("x ** -2", lambda x: x**-2, lambda a: 1 / (a * a), dict(away_from=(0,), margin=0.3)),
    Op("x.pow(0.5)", lambda x: x.pow(0.5), np.sqrt, dict(low=0.1)),
    Op("2 ** x", lambda x: 2**x, lambda a: np.exp(a * np.log(2))),
    Op("0.5 ** x", lambda x: 0.5**x, lambda a: np.exp(-a * np.log(2))),
]

BINARY = [
    Op("add", operator.add, np.add),
    Op("sub", operator.sub, np.subtract),
    Op("mul", operator.mul, np.multiply),
    Op("div", operator.truediv, np.divide, dict(away_from=(0,), margin=0.3)),
    Op("pow", operator.pow, lambda a, b: np.exp(b * np.log(a)), dict(low=0.1)),
    Op("ag.maximum", ag.maximum, np.maximum),
    Op("Tensor.maximum", Tensor.maximum, np.maximum),
    Op("ag.minimum", ag.minimum, np.minimum),
    Op("Tensor.minimum", Tensor.minimum, np.minimum),
]
# `values` of a binary op constrains its first operand for pow (a positive base) and its second
# for div (a divisor away from 0).
FIRST_CONSTRAINED = {"pow"}


def ids(op: Op) -> str:
    return op.name


def operand_values(op: Op) -> tuple[dict[str, Any], dict[str, Any]]:
    return (op.values, {}) if op.name in FIRST_CONSTRAINED else ({}, op.values)


def no_near_ties(a: np.ndarray, b: np.ndarray) -> bool:
    """max/min are smooth except where the operands meet; equal is fine (½ each, as the central
    difference), nearly equal is not."""
    gap = np.abs(a - b)
    return bool(np.all((gap == 0) | (gap > 1e-3)))


@pytest.mark.parametrize("op", UNARY, ids=ids)
@given(data=st.data())
def test_unary_gradient_matches_central_difference(op, data):
    x = data.draw(tensors(shapes(), **op.values))
    expected = op.numpy(x.numpy().copy())
    out = op.ours(x)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-15)
    assert out.shape == x.shape
    assert gradcheck(op.ours, x)


@pytest.mark.parametrize("op", BINARY, ids=ids)
@given(data=st.data())
def test_binary_broadcasts_and_gradient_matches_central_difference(op, data):
    shape_x, shape_y = data.draw(broadcastable_shapes())
    values_x, values_y = operand_values(op)
    x = data.draw(tensors(shape_x, **values_x))
    y = data.draw(tensors(shape_y, **values_y))
    assume(no_near_ties(x.numpy(), y.numpy()))
    out = op.ours(x, y)
    np.testing.assert_allclose(out.numpy(), op.numpy(x.numpy(), y.numpy()), rtol=1e-12, atol=1e-15)
    assert gradcheck(op.ours, (x, y))


@given(st.data())
def test_pow_tensor_exponent_alone_gets_gradient(data):
    """number ** tensor and tensor ** tensor where only the exponent requires grad."""
    shape_x, shape_y = data.draw(broadcastable_shapes())
    base = Tensor(data.draw(arrays(shape_x, low=0.1)))
    y = data.draw(tensors(shape_y))
    assert gradcheck(lambda e: base**e, y)


@given(st.data())
def test_where_selects_and_routes_gradient(data):
    shape_c, shape_x, shape_y = data.draw(broadcastable_shapes(3))
    cond = data.draw(hnp.arrays(np.bool_, shape_c))
    x, y = data.draw(tensors(shape_x)), data.draw(tensors(shape_y))
    out = ag.where(cond, x, y)
    np.testing.assert_array_equal(out.numpy(), np.where(cond, x.numpy(), y.numpy()))
    assert gradcheck(lambda a, b: ag.where(cond, a, b), (x, y))
    assert gradcheck(lambda a: ag.where(Tensor(cond), a, 0.5), x)


def test_where_gradient_by_hand():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ag.tensor(10.0, requires_grad=True)
    ag.where(x > 1.5, x, y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 1, 1])
    np.testing.assert_array_equal(y.grad.numpy(), 1)


SECOND_ORDER_UNARY = [op for op in UNARY if op.name in {"exp", "log", "tanh", "sigmoid", "x ** -2", "2 ** x"}]
SECOND_ORDER_BINARY = [op for op in BINARY if op.name in {"mul", "div", "pow"}]


@pytest.mark.parametrize("op", SECOND_ORDER_UNARY, ids=ids)
@settings(max_examples=15)
@given(data=st.data())
def test_unary_second_derivative(op, data):
    x = data.draw(tensors(shapes(max_side=3), **op.values))
    assert gradgradcheck(op.ours, x)


@pytest.mark.parametrize("op", SECOND_ORDER_BINARY, ids=ids)
@settings(max_examples=15)
@given(data=st.data())
def test_binary_second_derivative(op, data):
    shape_x, shape_y = data.draw(broadcastable_shapes(max_side=3))
    values_x, values_y = operand_values(op)
    x, y = data.draw(tensors(shape_x, **values_x)), data.draw(tensors(shape_y, **values_y))
    assert gradgradcheck(op.ours, (x, y))


# ---- conventions at non-differentiable points ---------------------------------------------------


def grad_of(fn: Callable[..., Tensor], *values: Any) -> list[np.ndarray]:
    xs = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in values]
    fn(*xs).sum().backward()
    return [x.grad.numpy() for x in xs]


def test_maximum_of_equal_inputs_splits_gradient_evenly():
    gx, gy = grad_of(ag.maximum, [1.0, 2.0, -3.0], [1.0, 0.0, -3.0])
    np.testing.assert_array_equal(gx, [0.5, 1.0, 0.5])
    np.testing.assert_array_equal(gy, [0.5, 0.0, 0.5])
    gx, gy = grad_of(ag.minimum, [1.0, 2.0], [1.0, 0.0])
    np.testing.assert_array_equal(gx, [0.5, 0.0])
    np.testing.assert_array_equal(gy, [0.5, 1.0])


@given(arrays())
def test_maximum_at_ties_agrees_with_central_difference(a):
    x, y = Tensor(a, requires_grad=True), Tensor(a.copy(), requires_grad=True)
    assert gradcheck(ag.maximum, (x, y))
    assert gradcheck(ag.minimum, (x, y))
    assert gradcheck(lambda t: ag.maximum(t, t), x)  # one tensor on both sides: gradient 1


def test_relu_abs_and_leaky_relu_at_zero():
    (g,) = grad_of(Tensor.relu, [0.0, -1.0, 2.0])
    np.testing.assert_array_equal(g, [0.0, 0.0, 1.0])
    (g,) = grad_of(Tensor.abs, [0.0, -1.0, 2.0])
    np.testing.assert_array_equal(g, [0.0, -1.0, 1.0])
    (g,) = grad_of(lambda x: x.leaky_relu(0.1), [0.0, -1.0, 2.0])
    np.testing.assert_array_equal(g, [0.1, 0.1, 1.0])


def test_abs_at_zero_agrees_with_central_difference():
    assert gradcheck(Tensor.abs, Tensor(np.zeros(3), requires_grad=True))


def test_clip_passes_gradient_at_its_bounds():
    """Documented: ∂z/∂x = 1 for low ≤ x ≤ high (PyTorch's convention)."""
    (g,) = grad_of(lambda x: x.clip(-1.0, 1.0), [-2.0, -1.0, 0.0, 1.0, 2.0])
    np.testing.assert_array_equal(g, [0, 1, 1, 1, 0])


def test_clip_needs_a_bound():
    with pytest.raises(ag.ArgumentError, match="clip: give at least one of min and max"):
        ag.ones(2).clip()


# ---- stability ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
def test_sigmoid_and_tanh_are_finite_at_extreme_inputs(dtype):
    logits = [-1000.0, -50.0, 0.0, 50.0, 1000.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn, expected, slope in [
            (Tensor.sigmoid, [0, 0, 0.5, 1, 1], [0, 0, 0.25, 0, 0]),
            (Tensor.tanh, [-1, -1, 0, 1, 1], [0, 0, 1, 0, 0]),
        ]:
            x = ag.tensor(logits, dtype=dtype, requires_grad=True)
            out = fn(x)
            out.sum().backward()
            assert out.dtype == dtype and x.grad.dtype == dtype
            np.testing.assert_allclose(out.numpy(), expected, atol=1e-7)
            np.testing.assert_allclose(x.grad.numpy(), slope, atol=1e-7)


# ---- Python numbers and NumPy arrays on either side of every operator ---------------------------

OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]


@pytest.mark.parametrize("fn", OPERATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("other", [2, 1.5, np.array([0.5, 2.0, 3.0])], ids=["int", "float", "ndarray"])
def test_operators_take_numbers_and_arrays_on_either_side(fn, other):
    a = np.array([0.5, 1.0, 2.5])
    x = Tensor(a, requires_grad=True)
    for out, expected in [(fn(x, other), fn(a, other)), (fn(other, x), fn(other, a))]:
        assert isinstance(out, Tensor)
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    assert gradcheck(lambda t: fn(t, other), x)
    assert gradcheck(lambda t: fn(other, t), x)


def test_unary_operators_and_comparisons():
    x = Tensor([-1.5, 0.0, 2.0])
    np.testing.assert_array_equal((-x).numpy(), [1.5, -0.0, -2.0])
    np.testing.assert_array_equal(abs(x).numpy(), [1.5, 0.0, 2.0])
    np.testing.assert_array_equal((x > 0).numpy(), [False, False, True])
    np.testing.assert_array_equal((x <= 0).numpy(), [True, True, False])
    np.testing.assert_array_equal((x == Tensor([-1.5, 1.0, 2.0])).numpy(), [True, False, True])
    np.testing.assert_array_equal((x != 2.0).numpy(), [True, True, False])


# ---- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fn, gate",
    [
        (operator.add, "Add"),
        (operator.mul, "Mul"),
        (operator.sub, "Sub"),
        (operator.truediv, "Div"),
        (ag.maximum, "Maximum"),
    ],
)
def test_broadcasting_mismatch_names_gate_and_shapes(fn, gate):
    with pytest.raises(ag.ShapeError) as info:
        fn(ag.ones(2, 3), ag.ones(4))
    message = str(info.value)
    assert gate in message and "(2, 3)" in message and "(4,)" in message


def test_operator_with_unsupported_type_is_a_type_error():
    with pytest.raises(TypeError, match="str"):
        ag.ones(2) + "a"
