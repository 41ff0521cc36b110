"""autograd.logic on its own: the gradients of remainder and fmod by central differences (and second
derivatives), away from their jumps, with Hypothesis; results outside the graph; the errors, which
name the function; and the gates' docstrings in the derivative table's pattern."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag
import autograd.logic as logic
from autograd import gradcheck, gradgradcheck
from autograd.gates import logic as gates
from autograd.gates import table


def f64(values, requires_grad=True):
    return ag.tensor(np.asarray(values, dtype=np.float64), dtype=np.float64, requires_grad=requires_grad)


finite = st.floats(-50, 50, allow_nan=False)
divisors = st.floats(0.2, 20).flatmap(lambda v: st.sampled_from([v, -v]))


def away_from_jumps(x, y):
    """x / y at least 1e-3 from an integer, so central differences (eps 1e-6) do not straddle a jump."""
    q = np.asarray(x) / np.asarray(y)
    return bool(np.all(np.abs(q - np.round(q)) > 1e-3))


@pytest.mark.parametrize("fn", [logic.remainder, logic.fmod])
@settings(max_examples=40, deadline=None)
@given(xs=st.lists(finite, min_size=1, max_size=5), y=divisors)
def test_gradcheck_of_remainder_and_fmod(fn, xs, y):
    ys = [y * (1 + 0.1 * k) for k in range(len(xs))]
    assume(away_from_jumps(xs, ys))
    assert gradcheck(fn, (f64(xs), f64(ys)))
    assert gradgradcheck(fn, (f64(xs), f64(ys)))


@pytest.mark.parametrize("fn", [logic.remainder, logic.fmod])
def test_gradcheck_with_broadcasting_and_a_number(fn):
    x, y = f64([[7.3, -7.3, 2.2]]), f64([[2.0], [-0.7]])
    assert gradcheck(fn, (x, y))
    assert gradcheck(lambda a: fn(a, 1.7), (f64([7.3, -2.2, 0.45]),))
    assert gradcheck(lambda b: fn(f64([7.3, -2.2], False), b), (f64(2.3),))  # a 0-d divisor: summed


def test_remainder_of_a_number_by_a_tensor_is_differentiable():
    assert gradcheck(lambda b: logic.remainder(5.5, b), (f64([2.0, -0.7, 1.3]),))


def test_gradients_of_remainder_and_fmod_values():
    x, y = f64([7.3, -2.0]), f64([2.0, 0.7])
    logic.remainder(x, y).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(y.grad.numpy(), [-3.0, 3.0])  # −floor(x / y)
    x, y = f64([7.3, -2.0]), f64([2.0, 0.7])
    logic.fmod(x, y).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [-3.0, 2.0])  # −trunc(x / y)


def test_remainder_has_the_sign_of_the_divisor_and_fmod_that_of_the_dividend():
    x = ag.tensor([-7, 7, -7, 7])
    y = ag.tensor([2, -2, -2, 2])
    assert logic.remainder(x, y).tolist() == [1, -1, -1, 1]
    assert logic.fmod(x, y).tolist() == [-1, 1, -1, 1]
    assert logic.floor_divide(x, y).tolist() == [-4, -4, 3, 3]
    assert logic.remainder(ag.tensor([-5.0, 5.0]), float("inf")).tolist() == [float("inf"), 5.0]


def test_float_division_by_zero_warns_nothing():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in (logic.floor_divide, logic.remainder, logic.fmod):
            out = fn(ag.tensor([1.0, 0.0, float("inf")]), 0.0)
            assert out.shape == (3,)


def test_bool_and_integer_results_are_outside_the_graph():
    x = f64([1.0, float("nan"), 3.0])
    for out in (
        logic.eq(x, 1.0),
        logic.lt(x, x),
        logic.logical_not(x),
        logic.logical_and(x, x),
        logic.isnan(x),
        logic.isfinite(x),
        logic.isclose(x, x),
    ):
        assert out.dtype == np.bool_ and not out.requires_grad and out.grad_fn is None
    assert logic.allclose(x, x, equal_nan=True) is True
    assert logic.equal(x, x) is False
    assert isinstance(logic.equal(x[:1], x[:1]), bool)


def test_results_do_not_share_memory_with_the_inputs():
    x = ag.tensor([1, 2, 3])
    for out in (logic.bitwise_not(x), logic.bitwise_and(x, 1), logic.logical_not(x), logic.floor_divide(x, 1)):
        assert not np.may_share_memory(out.numpy(), x.numpy())


def test_arguments_are_checked_naming_the_function():
    x = ag.tensor([1.0, 2.0])
    with pytest.raises(ag.ArgumentError, match="eq: argument 'other' must be a Tensor or a number"):
        logic.eq(x, "a")
    with pytest.raises(ag.ArgumentError, match="eq: argument 'other'"):
        logic.eq(x, None)
    with pytest.raises(ag.ArgumentError, match="lt: argument 'input' must be a Tensor"):
        logic.lt(1.0, x)
    with pytest.raises(ag.ArgumentError, match="logical_and: argument 'other' must be a Tensor"):
        logic.logical_and(x, 1)
    with pytest.raises(ag.ArgumentError, match="fmod: argument 'input' must be a Tensor"):
        logic.fmod(2.0, x)
    with pytest.raises(ag.ArgumentError, match="remainder: argument 'input' must be a Tensor"):
        logic.remainder(2.0, 3.0)
    with pytest.raises(ag.ArgumentError, match="equal: argument 'other' must be a Tensor"):
        logic.equal(x, [1.0, 2.0])
    with pytest.raises(ag.ArgumentError, match="isclose: argument 'rtol' must be a number"):
        logic.isclose(x, x, rtol="1")
    three = ag.tensor([1.0, 2.0, 3.0])
    for name in ("eq", "logical_xor", "isclose", "remainder", "floor_divide"):
        with pytest.raises(ag.ShapeError, match=rf"{name}: the shapes \(2,\) and \(3,\) do not broadcast"):
            getattr(logic, name)(x, three)
    with pytest.raises(ag.ShapeError, match="bitwise_and: the shapes"):
        logic.bitwise_and(ag.tensor([1, 2]), ag.tensor([1, 2, 3]))


def test_errors_are_the_engines_types():
    with pytest.raises(ag.DTypeError):
        logic.bitwise_or(ag.tensor([1.0]), ag.tensor([1]))
    with pytest.raises(ag.DomainError):
        logic.floor_divide(ag.tensor([1]), ag.tensor([0]))
    with pytest.raises(ag.DTypeError):
        logic.remainder(ag.tensor([True]), True)
    with pytest.raises(ag.GraphError):
        logic.floor_divide(f64([1.0]), 2.0).sum().backward()


def test_floor_divide_without_grad_is_a_plain_result():
    out = logic.floor_divide(ag.tensor([5.0, -5.0]), 2)
    assert out.tolist() == [2.0, -3.0] and not out.requires_grad


def test_gates_document_forward_and_gradients_in_the_table_pattern():
    rows = {r.name: r for r in table.rows([gates])}
    assert set(rows) == {"Remainder", "Fmod", "FloorDivide"}
    assert rows["Remainder"].gradient.startswith("∂z/∂x = 1, ∂z/∂y = −⌊x / y⌋")
    assert rows["Fmod"].gradient.startswith("∂z/∂x = 1, ∂z/∂y = −trunc(x / y)")
    for cls in (gates.Remainder, gates.Fmod, gates.FloorDivide):
        assert "  ·  " in cls.__doc__
