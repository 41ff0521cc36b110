"""autograd.special: every differentiable function's gradient and second derivative against central
differences (float64, under Hypothesis, inside each function's domain), the conventions at kinks
and jumps, erf's accuracy, the gate docstrings, and the errors for bad arguments.
PyTorch parity is in test_parity_special.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd as ag
import autograd.special as special
from autograd import gradcheck, gradgradcheck
from autograd.gates import special as gates
from autograd.gates import table
from autograd.testing import arrays, broadcastable_shapes, shapes, tensors

HALVES = [k + 0.5 for k in range(-4, 4)]
INTEGERS = list(range(-4, 5))
TENTH_HALVES = [k / 10 + 0.05 for k in range(-31, 31)]  # round(x, decimals=1) jumps there


class Op(NamedTuple):
    name: str
    fn: Callable[..., Any]
    values: dict[str, Any] = {}


UNARY = [
    Op("sin", special.sin),
    Op("cos", special.cos),
    Op("tan", special.tan, dict(low=-1.3, high=1.3)),
    Op("asin", special.asin, dict(low=-0.9, high=0.9)),
    Op("acos", special.acos, dict(low=-0.9, high=0.9)),
    Op("atan", special.atan),
    Op("sinh", special.sinh),
    Op("cosh", special.cosh),
    Op("asinh", special.asinh, dict(low=-10, high=10)),
    Op("acosh", special.acosh, dict(low=1.1, high=6)),
    Op("atanh", special.atanh, dict(low=-0.9, high=0.9)),
    Op("log1p", special.log1p, dict(low=-0.9, high=4)),
    Op("expm1", special.expm1),
    Op("log2", special.log2, dict(low=0.1, high=6)),
    Op("log10", special.log10, dict(low=0.1, high=6)),
    Op("exp2", special.exp2),
    Op("rsqrt", special.rsqrt, dict(low=0.1, high=6)),
    Op("square", special.square),
    Op("erf", special.erf),
    Op("erfc", special.erfc),
    Op("clamp_min(number)", lambda x: special.clamp_min(x, 0.5), dict(away_from=(0.5,))),
    Op("clamp_max(number)", lambda x: special.clamp_max(x, -0.5), dict(away_from=(-0.5,))),
    Op("lerp(x, c, number)", lambda x: special.lerp(x, ag.tensor(0.7, dtype=ag.float64), 0.3)),
    Op("xlogy(number, y)", lambda y: special.xlogy(-1.5, y), dict(low=0.1, high=5)),
    Op("xlogy(x, number)", lambda x: special.xlogy(x, 2.5)),
    Op("frac", special.frac, dict(away_from=INTEGERS)),
    # piecewise constant: gradient 0 away from the jumps
    Op("sign", special.sign, dict(away_from=(0,))),
    Op("round", special.round, dict(away_from=HALVES)),
    Op("round(decimals=1)", lambda x: special.round(x, decimals=1), dict(away_from=TENTH_HALVES, margin=0.01)),
    Op("floor", special.floor, dict(away_from=INTEGERS)),
    Op("ceil", special.ceil, dict(away_from=INTEGERS)),
    Op("trunc", special.trunc, dict(away_from=INTEGERS)),
    # the compositions of autograd.special's second batch
    Op("logit", special.logit, dict(low=0.05, high=0.95)),
    Op("logit(eps)", lambda x: special.logit(x, eps=0.2), dict(low=0.05, high=0.95, away_from=(0.2, 0.8))),
    Op("sinc", special.sinc),
    Op("deg2rad", special.deg2rad),
    Op("rad2deg", special.rad2deg),
    Op("nan_to_num", special.nan_to_num),
    Op("copysign(x, number)", lambda x: special.copysign(x, -2.0), dict(away_from=(0,))),
    Op("float_power(x, number)", lambda x: special.float_power(x, 2.5), dict(low=0.1, high=5)),
]  # fmt: skip


def ids(op: Op) -> str:
    return op.name


@pytest.mark.parametrize("op", UNARY, ids=ids)
@given(data=st.data())
def test_unary_gradient(op, data):
    x = data.draw(tensors(shapes(), **op.values))
    out = op.fn(x)
    assert out.shape == x.shape and out.dtype == np.float64 and out.requires_grad
    assert gradcheck(op.fn, x)


@pytest.mark.parametrize("op", UNARY, ids=ids)
@given(data=st.data())
def test_unary_second_derivative(op, data):
    x = data.draw(tensors(shapes(max_side=3), **op.values))
    assert gradgradcheck(op.fn, x)


def no_near_ties(a: np.ndarray, b: np.ndarray, gap: float = 1e-3) -> bool:
    return bool(np.all(np.abs(a - b) > gap))


class Binary(NamedTuple):
    name: str
    fn: Callable[..., Any]
    valid: Callable[[np.ndarray, np.ndarray], bool] = lambda a, b: True
    values_y: dict[str, Any] = {}


BINARY = [
    # atan2 jumps by 2π across the branch cut y = 0, x < 0, and is singular at the origin
    Binary("atan2", special.atan2, lambda y, x: bool(np.all((x * x + y * y > 0.05) & ((x > 0) | (np.abs(y) > 0.05))))),
    Binary("hypot", special.hypot, lambda x, y: bool(np.all(x * x + y * y > 0.05))),
    Binary("xlogy", special.xlogy, values_y=dict(low=0.1, high=5)),
    Binary("clamp_min", special.clamp_min, no_near_ties),
    Binary("clamp_max", special.clamp_max, no_near_ties),
    Binary("fmax", special.fmax, no_near_ties),
    Binary("fmin", special.fmin, no_near_ties),
    Binary("logaddexp", special.logaddexp, no_near_ties),  # the Where that orders the pair switches at ties
    Binary("logaddexp2", special.logaddexp2, no_near_ties),
    Binary("copysign", special.copysign, lambda x, y: bool(np.all((np.abs(x) > 1e-3) & (np.abs(y) > 1e-3)))),
]


def draw_pair(op: Binary, data: Any, max_side: int = 4) -> tuple[ag.Tensor, ag.Tensor]:
    shape_x, shape_y = data.draw(broadcastable_shapes(max_side=max_side))
    x, y = data.draw(tensors(shape_x)), data.draw(tensors(shape_y, **op.values_y))
    assume(op.valid(*np.broadcast_arrays(x.numpy(), y.numpy())))
    return x, y


@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.name)
@given(data=st.data())
def test_binary_gradient_broadcasts(op, data):
    x, y = draw_pair(op, data)
    assert op.fn(x, y).shape == np.broadcast_shapes(x.shape, y.shape)
    assert gradcheck(op.fn, (x, y))


@pytest.mark.parametrize("op", BINARY, ids=lambda op: op.name)
@given(data=st.data())
def test_binary_second_derivative(op, data):
    x, y = draw_pair(op, data, max_side=3)
    assert gradgradcheck(op.fn, (x, y))


@given(st.data())
def test_lerp_gradient_in_all_three(data):
    shapes_ = data.draw(broadcastable_shapes(3, max_side=3))
    start, end, weight = (data.draw(tensors(s)) for s in shapes_)
    assume(np.all(np.abs(weight.numpy() - 0.5) > 1e-3))  # the two formulas agree there, but let it be
    assert gradcheck(special.lerp, (start, end, weight))
    assert gradgradcheck(special.lerp, (start, end, weight))


# ---- values and conventions -----------------------------------------------------------------------


def ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """|got − want| in units of want's last place (0 where both are 0)."""
    return np.abs(got - want) / np.spacing(np.abs(want))


@given(arrays(low=-7, high=7))
def test_erf_is_within_two_ulps_of_c_and_erfc_is_c_in_float64(a):
    x = ag.tensor(a, dtype=ag.float64)
    assert ulps(special.erf(x).numpy(), np.vectorize(math.erf)(a)).max(initial=0) <= 2
    np.testing.assert_array_equal(special.erfc(x).numpy(), np.vectorize(math.erfc)(a))


def test_erf_over_a_million_points_and_its_edges():
    """The Taylor table's nodes, the points halfway between, the tiny and the huge, against C's erf."""
    nodes = np.arange(6 * 128 + 1) / 128
    tiny = np.array([5e-324, 1e-310, 1e-300, 1e-20, 1e-8])
    a = np.concatenate([nodes, nodes + 1 / 256, tiny, np.random.default_rng(0).normal(0, 2, 1_000_000)])
    a = np.concatenate([a, -a])
    want = np.frompyfunc(math.erf, 1, 1)(a).astype(np.float64)
    got = special.erf(ag.tensor(a, dtype=ag.float64)).numpy()
    assert ulps(got, want).max() <= 2
    assert (got == want).mean() > 0.6  # mostly exact: the error is the last bit or two, not a bias
    edges = special.erf(ag.tensor([0.0, -0.0, 6.0, 6.5, 30.0, np.inf, -np.inf, np.nan], dtype=ag.float64)).numpy()
    np.testing.assert_array_equal(edges[2:7], [1.0, 1.0, 1.0, 1.0, -1.0])
    assert edges[0] == 0 and np.signbit(edges[1]) and not np.signbit(edges[0]) and np.isnan(edges[7])


def test_erf_in_float32_is_within_one_and_a_half_ulps_of_c():
    """float32 inputs are computed in float32 (a finer table, the node's erf as head + tail): every
    result within 1.5 float32 ulps of C's float64 erf, and over 99% of them C's erf rounded; the
    table's nodes and midpoints, the tiny (subnormal) and the edges included; float16 through it."""
    nodes = np.arange(6 * 4096 + 1) / 4096
    tiny = np.logspace(-45, 0, 5_000)
    a = np.concatenate([nodes, nodes + 1 / 8192, tiny, np.random.default_rng(1).normal(0, 2, 300_000)])
    a = np.concatenate([a, -a]).astype(np.float32)
    out = special.erf(ag.tensor(a))
    assert out.dtype == np.float32
    want = np.frompyfunc(math.erf, 1, 1)(a.astype(np.float64)).astype(np.float64)
    got = out.numpy().astype(np.float64)
    assert (np.abs(got - want) / np.spacing(np.abs(want).astype(np.float32)).astype(np.float64)).max() <= 1.5
    assert (out.numpy() == want.astype(np.float32)).mean() > 0.99
    edges = special.erf(ag.tensor([0.0, -0.0, 6.0, 30.0, np.inf, -np.inf, np.nan])).numpy()
    assert edges.dtype == np.float32 and np.array_equal(edges[2:6], [1, 1, 1, -1])
    assert edges[0] == 0 and np.signbit(edges[1]) and np.isnan(edges[6])
    a16 = a[::7].astype(np.float16)
    half = special.erf(ag.tensor(a16)).numpy()
    assert half.dtype == np.float16
    np.testing.assert_array_equal(half, np.frompyfunc(math.erf, 1, 1)(a16.astype(np.float64)).astype(np.float16))


def test_erfc_keeps_its_digits_where_one_minus_erf_does_not():
    out = special.erfc(ag.tensor([10.0, 26.0], dtype=ag.float64)).numpy()
    np.testing.assert_allclose(out, [math.erfc(10.0), math.erfc(26.0)], rtol=1e-15)
    assert out.min() > 0


def test_small_arguments_keep_their_digits():
    tiny = ag.tensor([1e-12, -1e-300], dtype=ag.float64)
    np.testing.assert_allclose(special.log1p(tiny).numpy(), [1e-12 - 5e-25, -1e-300], rtol=1e-15)
    np.testing.assert_allclose(special.expm1(tiny).numpy(), [1e-12 + 5e-25, -1e-300], rtol=1e-15)
    assert special.asinh(ag.tensor([-1e10], dtype=ag.float64)).numpy()[0] == pytest.approx(-math.asinh(1e10))


def test_hypot_does_not_overflow():
    out = special.hypot(ag.tensor([3e200], dtype=ag.float64), ag.tensor([4e200], dtype=ag.float64))
    assert out.numpy()[0] == pytest.approx(5e200)


def grads(fn: Callable[..., ag.Tensor], *values: Any) -> list[np.ndarray]:
    xs = [ag.tensor(v, dtype=ag.float64, requires_grad=True) for v in values]
    fn(*xs).sum().backward()
    return [x.grad.numpy() for x in xs]


def test_ties_go_to_the_input_as_pytorch():
    for fn in (special.clamp_min, special.clamp_max, special.fmax, special.fmin):
        gx, gb = grads(fn, [1.0, 2.0], [1.0, 2.0])
        np.testing.assert_array_equal(gx, [1, 1])
        np.testing.assert_array_equal(gb, [0, 0])


def test_atan2_gradient_at_the_origin_is_zero():
    gy, gx = grads(special.atan2, [0.0, 1.0], [0.0, 1.0])
    np.testing.assert_array_equal(gy, [0, 0.5])
    np.testing.assert_array_equal(gx, [0, -0.5])


def test_xlogy_at_zero():
    x = ag.tensor([0.0, 0.0, 0.0], dtype=ag.float64, requires_grad=True)
    y = ag.tensor([2.0, -1.0, np.nan], dtype=ag.float64)
    out = special.xlogy(x, y)
    np.testing.assert_array_equal(out.numpy(), [0.0, 0.0, np.nan])
    (gx,) = ag.grad(out.sum(), [x])
    np.testing.assert_array_equal(gx.numpy(), [math.log(2.0), 0.0, np.nan])


def test_rounding_results_require_grad_with_zero_gradient_and_frac_one():
    for fn in (special.sign, special.round, special.floor, special.ceil, special.trunc):
        x = ag.tensor([-1.5, 0.0, 0.5, 2.5], dtype=ag.float64, requires_grad=True)
        out = fn(x)
        assert out.requires_grad
        out.sum().backward()
        np.testing.assert_array_equal(x.grad.numpy(), 0)
    (g,) = grads(special.frac, [-1.5, 0.25, 3.0])
    np.testing.assert_array_equal(g, 1)


def test_rounding_values():
    x = ag.tensor([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.7, 0.7], dtype=ag.float64)
    np.testing.assert_array_equal(special.round(x).numpy(), [-2, -2, -0, 0, 2, 2, -1, 1])
    np.testing.assert_array_equal(special.trunc(x).numpy(), [-2, -1, -0, 0, 1, 2, -0, 0])
    np.testing.assert_array_equal(special.frac(x).numpy(), [-0.5, -0.5, -0.5, 0.5, 0.5, 0.5, -0.7, 0.7])
    np.testing.assert_array_equal(special.sign(ag.tensor([np.nan, -0.0, -3.0])).numpy(), [0, 0, -1])


def test_integer_inputs_keep_dtype_and_are_copies():
    x = ag.tensor([-3, 0, 4])
    for fn in (special.sign, special.round, special.floor, special.ceil, special.trunc, special.square):
        out = fn(x)
        assert out.dtype == np.int64 and not out.requires_grad
        assert out.numpy() is not x.numpy()
    assert special.sin(x).dtype == np.float32


def test_no_warnings_outside_the_domain():
    """pytest turns RuntimeWarnings into errors: these produce NaN / inf quietly, as PyTorch."""
    x = ag.tensor([-2.0, -1.0, 0.0, 2.0, 1e4], dtype=ag.float64)
    for name in special.__all__:
        fn = getattr(special, name)
        if name in ("atan2", "hypot", "xlogy", "fmax", "fmin", "logaddexp", "logaddexp2", "copysign", "heaviside"):
            fn(x, x)
        elif name == "float_power":
            fn(x, -x)
        elif name in ("addcmul", "addcdiv"):
            fn(x, x, x - x)
        elif name in ("clamp_min", "clamp_max"):
            fn(x, 0.0)
        elif name == "lerp":
            fn(x, x, 0.5)
        else:
            fn(x)


# ---- the gate docstrings ----------------------------------------------------------------------------


def test_every_gate_docstring_parses_into_a_table_row():
    rows = table.rows([gates])
    assert {r.name for r in rows} >= {"Sin", "Erf", "Xlogy", "Atan2", "Floor"}
    for row in rows:
        assert row.forward and row.gradient, row


# ---- bad arguments ----------------------------------------------------------------------------------

x = ag.tensor([1.0, 2.0])


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: special.sin(1.0), ag.ArgumentError, "sin: argument 'input' must be a Tensor, got float"),
        (lambda: special.erf([1.0]), ag.ArgumentError, "erf: argument 'input' must be a Tensor, got list"),
        (lambda: special.floor(np.ones(2)), ag.ArgumentError, "floor: .* got ndarray"),
        (lambda: special.atan2(x, 2.0), ag.ArgumentError, "atan2: argument 'other' must be a Tensor"),
        (lambda: special.hypot(2.0, x), ag.ArgumentError, "hypot: argument 'input' must be a Tensor"),
        (lambda: special.fmax(x, 1), ag.ArgumentError, "fmax: argument 'other'"),
        (lambda: special.fmin(x, None), ag.ArgumentError, "fmin: argument 'other'"),
        (lambda: special.xlogy(2.0, 3.0), ag.ArgumentError, "xlogy: at least one"),
        (lambda: special.xlogy(x, "2"), ag.ArgumentError, "xlogy: argument 'other' must be a Tensor or a number"),
        (lambda: special.lerp(x, 2.0, 0.5), ag.ArgumentError, "lerp: argument 'end'"),
        (lambda: special.lerp(x, x, "a"), ag.ArgumentError, "lerp: argument 'weight'"),
        (lambda: special.lerp(x, x.double(), 0.5), ag.DTypeError, "lerp: expected dtype float32 for 'end'"),
        (lambda: special.lerp(ag.tensor([1]), ag.tensor([2]), 0.5), ag.DTypeError, "lerp: expected a floating"),
        (lambda: special.clamp_min(x, None), ag.ArgumentError, "clamp_min: argument 'min'"),
        (lambda: special.clamp_max(x, [1.0]), ag.ArgumentError, "clamp_max: argument 'max'"),
        (lambda: special.hypot(ag.tensor([1]), ag.tensor([2])), ag.DTypeError, "hypot: not implemented for int64"),
        (lambda: special.frac(ag.tensor([1])), ag.DTypeError, "frac: not implemented for int64"),
        (lambda: special.floor(ag.tensor([True])), ag.DTypeError, "floor: not implemented for bool"),
        (lambda: special.round(ag.tensor([1]), decimals=1), ag.DTypeError, "round: decimals=1"),
        (lambda: special.round(x, decimals=1.5), ag.ArgumentError, "round: argument 'decimals' must be an int"),
    ],
)
def test_bad_arguments_raise_the_engines_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
    with pytest.raises(ag.AutogradError):
        call()


@given(st.data())
def test_the_fused_gelu_gate_is_its_composition(data):
    """Gelu (x Φ(x), keeping Φ(x)) against gelu_composed, x · ½(1 + erf(x/√2)) in five gates: the
    same values and gradients, in float64 and float32, and the same second derivative."""
    shape = data.draw(shapes(max_dims=3, max_side=4))
    for dtype, tol in ((ag.float64, 1e-14), (ag.float32, 2e-6)):
        a = data.draw(arrays(shape, low=-6, high=6))
        x = ag.tensor(a, dtype=dtype, requires_grad=True)
        y = ag.tensor(a, dtype=dtype, requires_grad=True)
        fused, composed = gates.Gelu.apply(x), gates.gelu_composed(y)
        assert fused.dtype == dtype and fused.grad_fn.name == "Gelu"
        np.testing.assert_allclose(fused.numpy(), composed.numpy(), rtol=tol, atol=tol)
        weights = ag.tensor(np.linspace(-1, 2, a.size).reshape(a.shape), dtype=dtype)
        (fused * weights).sum().backward()
        (composed * weights).sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), y.grad.numpy(), rtol=tol, atol=tol)
    x = ag.tensor(data.draw(arrays(shape, low=-4, high=4)), dtype=ag.float64, requires_grad=True)
    assert gradcheck(gates.Gelu.apply, (x,)) and gradgradcheck(gates.Gelu.apply, (x,))
