"""PyTorch parity of autograd.special: every function's values, dtypes, shapes and gradients against
torch's function of the same name (tests/parity.py), in and out of its domain, on float64, float32
and integer inputs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd as ag
import autograd.special as special
from tests.parity import check

EXPECTED = """
sin cos tan asin acos atan atan2 sinh cosh asinh acosh atanh log1p expm1 log2 log10 exp2 rsqrt square
erf erfc lerp hypot xlogy clamp_min clamp_max fmax fmin sign round floor ceil trunc frac
logaddexp logaddexp2 nan_to_num sgn copysign heaviside deg2rad rad2deg float_power logit signbit positive
sinc addcmul addcdiv
""".split()


def lib(m):
    """autograd.special on our side, torch on PyTorch's."""
    return special if m is ag else torch


def call(name, **kw):
    return lambda m, *xs: getattr(lib(m), name)(*xs, **kw)


def test_all_lists_exactly_the_functions():
    assert set(special.__all__) == set(EXPECTED)
    assert len(special.__all__) == len(EXPECTED)
    assert all(callable(getattr(special, name)) for name in special.__all__)


WIDE = np.linspace(-3, 3, 7) + 0.1
UNIT = np.linspace(-0.9, 0.9, 7)
POSITIVE = np.linspace(0.1, 5, 7)

UNARY = {
    "sin": WIDE,
    "cos": WIDE,
    "tan": WIDE,
    "asin": UNIT,
    "acos": UNIT,
    "atan": WIDE,
    "sinh": WIDE,
    "cosh": WIDE,
    "asinh": np.array([-1e10, -3.0, -0.5, 0.0, 1e-12, 2.0, 1e10]),
    "acosh": np.linspace(1.1, 6, 7),
    "atanh": UNIT,
    "log1p": np.array([-0.9, -1e-12, 0.0, 1e-12, 0.5, 3.0, 1e10]),
    "expm1": np.array([-5.0, -1e-12, 0.0, 1e-12, 0.5, 3.0]),
    "log2": np.array([0.1, 0.125, 1.0, 3.0, 8.0, 2.0**-40, 1e10]),
    "log10": np.array([0.1, 0.001, 1.0, 3.0, 1000.0, 1e-30, 7e10]),
    "exp2": np.array([-40.0, -3.0, -0.5, 0.0, 1.5, 10.0]),
    "rsqrt": POSITIVE,
    "square": WIDE,
    "erf": np.array([-6.0, -2.0, -0.5, 0.0, 1e-8, 0.3, 1.0, 2.5, 6.0]),
    "erfc": np.array([-6.0, -2.0, -0.5, 0.0, 1e-8, 0.3, 1.0, 2.5, 6.0, 10.0, 26.0]),
    "sign": np.array([-2.5, -0.3, 0.0, 0.7, 4.0]),
    "round": np.array([-2.5, -1.5, -0.6, -0.5, 0.4, 0.5, 1.5, 2.5, 3.7]),
    "floor": np.array([-2.5, -1.0, -0.3, 0.0, 0.7, 2.0, 3.5]),
    "ceil": np.array([-2.5, -1.0, -0.3, 0.0, 0.7, 2.0, 3.5]),
    "trunc": np.array([-2.5, -1.0, -0.3, 0.0, 0.7, 2.0, 3.5]),
    "frac": np.array([-2.5, -1.0, -0.3, 0.0, 0.7, 2.0, 3.5]),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values_and_gradients(name):
    check(call(name), [UNARY[name]])


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_float32_and_matrix_shape(name):
    check(call(name), [UNARY[name].astype(np.float32)[None, :].repeat(2, axis=0)])


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_0d(name):
    check(call(name), [np.asarray(UNARY[name][2])])


FLOAT_ONLY = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh"]
FLOAT_ONLY += ["log1p", "expm1", "log2", "log10", "exp2", "rsqrt", "erf", "erfc"]


@pytest.mark.parametrize("name", FLOAT_ONLY)
def test_integer_and_bool_inputs_become_float32(name):
    check(call(name), [np.array([-3, -1, 0, 1, 2, 5], dtype=np.int64)])
    check(call(name), [np.array([True, False])])


@pytest.mark.parametrize("name", ["sign", "round", "floor", "ceil", "trunc", "square"])
def test_integer_inputs_keep_their_dtype(name):
    check(call(name), [np.array([-3, -1, 0, 1, 2, 5], dtype=np.int64)])
    check(call(name), [np.array([-3, 0, 7], dtype=np.int32)])


@pytest.mark.parametrize("name", ["sign", "square"])
def test_bool_inputs(name):
    check(call(name), [np.array([True, False, True])])


@pytest.mark.parametrize(
    "name, values",
    [
        ("asin", [-2.0, 1.0, 1.5]),
        ("acos", [-1.0, 2.0]),
        ("acosh", [0.5, 1.0, -3.0]),
        ("atanh", [-1.0, 1.0, 2.0]),
        ("log1p", [-1.0, -2.0]),
        ("log2", [0.0, -1.0]),
        ("log10", [0.0, -1.0]),
        ("rsqrt", [0.0, -1.0]),
        ("sinh", [-1000.0, 1000.0]),
        ("cosh", [1000.0]),
        ("expm1", [1000.0]),
        ("exp2", [2000.0, -2000.0]),
        ("erf", [np.inf, -np.inf, np.nan]),
        ("erfc", [np.inf, -np.inf, np.nan]),
        ("sign", [np.nan, -0.0]),
        ("floor", [np.inf, np.nan]),
        ("frac", [np.inf, np.nan]),
        ("tan", [np.inf]),
    ],
)
def test_outside_the_domain_nan_and_inf_as_pytorch_without_warnings(name, values):
    check(call(name), [np.array(values)], grad=False)


@pytest.mark.parametrize("decimals", [-2, -1, 1, 2, 3])
def test_round_decimals(decimals):
    x = np.array([-1234.5678, -2.55, -0.125, 0.0, 0.125, 1.005, 2.5, 1234.5678])
    check(call("round", decimals=decimals), [x])
    check(call("round", decimals=decimals), [x.astype(np.float32)])


def test_exact_values():
    """log2 / log10 exact at powers, exp2 at integers: as PyTorch, bit for bit."""
    k = np.arange(-60, 61)
    assert np.array_equal(special.log2(ag.tensor(2.0**k)).numpy(), k)
    assert np.array_equal(special.log10(ag.tensor(10.0 ** np.arange(-20, 21))).numpy(), np.arange(-20, 21))
    assert np.array_equal(special.exp2(ag.tensor(k.astype(np.float64))).numpy(), 2.0**k)
    check(call("floor"), [np.log2(2.0 ** np.arange(-8, 9))])


A = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])
B = np.array([[1.5], [-2.5], [0.25]])


@pytest.mark.parametrize("name", ["atan2", "hypot", "fmax", "fmin", "clamp_min", "clamp_max"])
def test_binary_broadcast(name):
    check(call(name), [A, B])
    check(call(name), [B, A])
    # float32 on one shape: a broadcast gradient is a float32 sum, whose order differs from PyTorch's
    check(call(name), [A.astype(np.float32), (A[:, ::-1] + 0.25).astype(np.float32)])


def test_atan2_quadrants_and_origin():
    y = np.array([1.0, 1.0, -1.0, -1.0, 0.0, 0.0, 2.0])
    x = np.array([1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 0.0])
    check(call("atan2"), [y, x])
    check(call("atan2"), [np.zeros(3), np.zeros(3)])  # gradient 0 at the origin, as PyTorch


def test_hypot_large_values():
    check(call("hypot"), [np.array([3e200, 1e-200, 3.0]), np.array([4e200, 1e-200, 4.0])])


def test_xlogy():
    x = np.array([0.0, 0.0, 1.0, -2.0, 3.0])
    y = np.array([0.5, 2.0, 3.0, 0.25, 1.0])
    check(call("xlogy"), [x, y])
    check(call("xlogy"), [x[:, None], y])
    check(lambda m, y: lib(m).xlogy(2.0, y), [y])
    check(lambda m, x: lib(m).xlogy(x, 3.0), [x])
    check(lambda m, x: lib(m).xlogy(x, 3), [x.astype(np.float32)])
    # x = 0 gives 0 even where ln y is −inf or NaN (not for y NaN); x ≠ 0 with y ≤ 0 gives −inf / NaN
    check(call("xlogy"), [np.array([0.0, 0.0, 0.0, 1.0, 1.0]), np.array([0.0, -1.0, np.nan, 0.0, -1.0])], grad=False)
    # the gradient of x at x = 0 is 0 where y ≤ 0, as PyTorch's
    check(
        lambda m, x: lib(m).xlogy(x, torch.tensor([-1.0, 2.0]) if m is torch else ag.tensor([-1.0, 2.0])), [np.zeros(2)]
    )
    check(call("xlogy"), [np.array([0, 1, 2]), np.array([1, 2, 3])])  # integers: float32


def test_lerp():
    start, end = np.array([-1.0, 0.0, 2.0, 5.0]), np.array([3.0, 1.0, -2.0, 5.0])
    for weight in (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, -0.5):
        check(lambda m, a, b, w=weight: lib(m).lerp(a, b, w), [start, end])
    check(call("lerp"), [start, end, np.array([0.0, 0.3, 0.7, 1.0])])
    check(call("lerp"), [start, end, np.array(0.6)])
    check(call("lerp"), [start[:, None], end, np.array([[0.2, 0.9, 0.5, 1.0]])])
    check(lambda m, a, b: lib(m).lerp(a, b, 0.3), [start.astype(np.float32), end.astype(np.float32)])


def test_clamp_with_numbers_ties_and_nan():
    x = np.array([-2.0, -1.0, 0.0, 0.5, 1.0, 2.0])
    for bound in (-1.0, 0.0, 1.0, 1):
        check(lambda m, a, b=bound: lib(m).clamp_min(a, b), [x])
        check(lambda m, a, b=bound: lib(m).clamp_max(a, b), [x])
    check(call("clamp_min"), [x, np.array([1.0, -1.0, 0.0, 0.5, 3.0, 2.0])])  # ties: gradient to input
    check(call("clamp_max"), [x, np.array([1.0, -1.0, 0.0, 0.5, 3.0, 2.0])])
    check(lambda m, a: lib(m).clamp_min(a, 0.0), [np.array([np.nan, 1.0])], grad=False)
    check(lambda m, a: lib(m).clamp_max(a, float("nan")), [np.array([-1.0, 1.0])], grad=False)


def test_clamp_dtypes():
    ints = np.array([-3, 0, 2, 5])
    check(lambda m, a: lib(m).clamp_min(a, 1), [ints])
    check(lambda m, a: lib(m).clamp_min(a, 0.5), [ints])  # integer and float number: float32
    check(lambda m, a: lib(m).clamp_max(a, 1.5), [ints])
    check(call("clamp_min"), [ints, np.array(1.5)])  # a 0-d float64 tensor of a higher kind decides
    check(call("clamp_min"), [np.array([1.0, 2.0], dtype=np.float32), np.array(1.5)])  # a 0-d one of one kind does not


def test_fmax_fmin_ties_and_nan():
    x = np.array([1.0, 2.0, np.nan, 4.0, np.nan, -1.0])
    y = np.array([2.0, 2.0, 3.0, np.nan, np.nan, -1.0])
    check(call("fmax"), [x, y])
    check(call("fmin"), [x, y])
    check(call("fmax"), [np.array([1, 5, -2]), np.array([2, 3, -2])])  # integers stay integers
    check(call("fmin"), [np.array([1, 5, -2]), np.array([2.0, 3.0, -2.5])])


def test_rounding_gradients_are_zero_and_frac_one():
    x = np.array([-1.5, -0.2, 0.0, 0.3, 2.0])
    for name in ("sign", "round", "floor", "ceil", "trunc", "frac"):
        check(lambda m, a, n=name: getattr(lib(m), n)(a) * a, [x])  # product rule: the zero is used
    check(lambda m, a: lib(m).round(a, decimals=1), [x])


def test_compositions_of_several():
    check(lambda m, x: lib(m).atan2(lib(m).sin(x), lib(m).cos(x)) + lib(m).erf(x) * lib(m).log1p(x * x), [WIDE])
    check(
        lambda m, x, y: lib(m).hypot(lib(m).sinh(x), lib(m).expm1(y)) * lib(m).xlogy(x, y * y + 1),
        [WIDE, WIDE[::-1].copy()],
    )


SECOND_ORDER = ["sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh"]
SECOND_ORDER += ["log1p", "expm1", "log2", "log10", "exp2", "rsqrt", "square", "erf", "erfc", "frac"]


def first_derivative(name):
    """The gradient of sum(f(x)), recorded (create_graph): the harness backpropagates it again."""
    return lambda m, x: m.autograd.grad(getattr(lib(m), name)(x).sum(), [x], create_graph=True)[0]


@pytest.mark.parametrize("name", SECOND_ORDER)
def test_second_derivatives(name):
    check(first_derivative(name), [UNARY[name]])


@pytest.mark.parametrize("name", ["atan2", "hypot", "xlogy"])
def test_binary_second_derivatives(name):
    def fn(m, x, y):
        gx, gy = m.autograd.grad(getattr(lib(m), name)(x, y).sum(), [x, y], create_graph=True)
        return gx, gy

    check(fn, [np.array([-2.0, -0.5, 0.5, 3.0]), np.array([1.5, 2.5, 0.25, 4.0])])


# ---- logaddexp … addcdiv ---------------------------------------------------------------------------

INF, NAN = np.inf, np.nan


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp(name):
    x = np.array([-3.0, 0.0, 1.0, 2.0, 700.0, -700.0])
    y = np.array([1.0, 0.0, 1.0, -5.0, 700.0, 10.0])
    check(call(name), [x, y])  # ties: ½ each, as PyTorch
    check(call(name), [A, B])  # broadcast
    check(call(name), [A.astype(np.float32), (A[:, ::-1] + 0.5).astype(np.float32)])
    edge = np.array([INF, -INF, INF, -INF, NAN, 1.0]), np.array([INF, -INF, -INF, 2.0, 1.0, NAN])
    check(call(name), list(edge), grad=False)
    check(call(name), [np.array([1.0, 2.0], dtype=np.float32), np.array([1.0, 3.0])])  # promotes to float64


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
def test_logaddexp_refuses_integers_as_pytorch(name):
    ints = ag.tensor([1, 2])
    with pytest.raises(NotImplementedError):
        getattr(torch, name)(torch.tensor([1, 2]), torch.tensor([1, 2]))
    with pytest.raises(ag.DTypeError, match=name):
        getattr(special, name)(ints, ints)
    with pytest.raises(ag.ArgumentError, match=name):
        getattr(special, name)(ag.tensor([1.0]), 2.0)
    with pytest.raises(ag.ShapeError, match=name):
        getattr(special, name)(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 2.0, 3.0]))


def test_nan_to_num():
    x = np.array([NAN, INF, -INF, 0.0, -1.5, 2.0])
    check(call("nan_to_num"), [x])  # gradient 0 where replaced
    check(call("nan_to_num", nan=1.0, posinf=5.0, neginf=-5.0), [x])
    check(call("nan_to_num", posinf=2), [x.astype(np.float32)])  # float32's own max for −inf
    check(call("nan_to_num"), [np.array([1, -2, 3])])
    check(call("nan_to_num"), [np.array([True, False])])
    with pytest.raises(ag.ArgumentError, match="nan_to_num"):
        special.nan_to_num(ag.tensor([1.0]), nan="x")


def test_sgn_signbit_positive():
    x = np.array([-2.0, -0.0, 0.0, 3.0, NAN, -INF])
    check(lambda m, a: lib(m).sgn(a) * a, [x])  # PyTorch's gradient of sgn is a ZeroTensor: through a product
    check(call("sgn"), [x], grad=False)
    check(call("sgn"), [np.array([3, -2, 0])])
    check(call("sgn"), [np.array([True, False])])
    check(call("signbit"), [x])
    check(call("signbit"), [np.array([-1, 0, 4])])
    check(call("signbit"), [np.array([True, False])])
    check(call("signbit"), [-np.abs(np.array([NAN]))])  # a negative NaN
    check(call("positive"), [x])
    check(call("positive"), [np.array([1, -2])])
    t = ag.tensor([1.0])
    assert special.positive(t) is t and torch.positive(tt := torch.tensor([1.0])) is tt
    with pytest.raises(RuntimeError):
        torch.positive(torch.tensor([True]))
    with pytest.raises(ag.DTypeError, match="positive"):
        special.positive(ag.tensor([True]))


def test_copysign():
    x = np.array([-2.0, -1.0, 0.0, -0.0, 3.0, 2.5])
    y = np.array([1.0, -1.0, -2.0, 1.0, -0.0, NAN])
    check(call("copysign"), [x, y])  # gradient: sign x · ±1 (0 at x = 0); none to y
    check(call("copysign"), [A, B])
    for number in (-1, -0.0, 2.0):
        check(lambda m, a, n=number: lib(m).copysign(a, n), [x])
    check(call("copysign"), [np.array([1, 2]), np.array([-1, 1])])  # integers: float32
    check(lambda m, a: lib(m).copysign(a, -1), [np.array([1, 2])])
    check(call("copysign"), [x.astype(np.float32), y])


def test_heaviside():
    x = np.array([-1.5, 0.0, -0.0, 2.0, NAN, INF])
    check(call("heaviside"), [x, np.array([0.5])], grad=False)
    check(call("heaviside"), [x, np.full(6, 0.25)], grad=False)
    check(call("heaviside"), [np.array([1, 0, -1]), np.array([5])])
    with pytest.raises(RuntimeError):
        torch.heaviside(torch.tensor([1.0]), torch.tensor([5]))
    with pytest.raises(ag.DTypeError, match="heaviside"):
        special.heaviside(ag.tensor([1.0]), ag.tensor([5]))


@pytest.mark.parametrize("name", ["deg2rad", "rad2deg", "sinc"])
def test_angles_and_sinc(name):
    check(call(name), [np.array([-720.0, -90.0, -0.5, 0.0, 1e-3, 0.25, 1.0, 45.0, 180.0, 2.5])])
    check(call(name), [np.array([-2, 0, 1, 3])])  # integers: float32
    check(call(name), [np.array([True, False])])
    check(call(name), [np.array([[0.5, -3.0], [0.0, 7.0]], dtype=np.float32)])
    check(call(name), [np.array([INF, -INF, NAN])], grad=False)


def test_sinc_near_zero_through_its_series():
    check(call("sinc"), [np.array([-9e-4, -1e-4, 0.0, 3e-5, 1e-4, 5e-4, 1e-3, 2e-3])])
    x = ag.tensor([1e-9, 1e-7], dtype=ag.float64, requires_grad=True)
    # the exact −π²x/3, where the quotient's derivative (and PyTorch's) has lost its digits
    np.testing.assert_allclose(ag.grad(special.sinc(x).sum(), [x])[0].numpy(), -(np.pi**2) * x.numpy() / 3, rtol=1e-12)


def test_sinc_second_derivative_is_finite_at_zero():
    check(lambda m, x: m.autograd.grad(lib(m).sinc(x).sum(), [x], create_graph=True)[0], [np.array([0.3, 1.5, -2.0])])


def test_float_power():
    x = np.array([0.5, 1.0, 2.0, 3.0])
    check(call("float_power"), [x, np.array([2.0, -1.0, 0.5, 3.0])])
    check(call("float_power"), [x.astype(np.float32), np.array([1, 2, 3, 0])])  # always float64
    check(lambda m, a: lib(m).float_power(a, 2), [np.array([1, 2, -3])])
    check(lambda m, a: lib(m).float_power(a, 0.5), [x.astype(np.float32)])
    check(lambda m, e: lib(m).float_power(2, e), [np.array([1.0, -2.0, 0.5])])
    check(call("float_power"), [A + 3, B.astype(np.float32)])
    with pytest.raises(ag.ArgumentError, match="float_power"):
        special.float_power(2, 3)


def test_logit():
    x = np.array([0.05, 0.2, 0.5, 0.7, 0.99])
    check(call("logit"), [x])
    check(call("logit"), [x.astype(np.float32)])
    check(call("logit", eps=0.1), [np.array([0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0])])  # 0 gradient where clamped
    check(call("logit"), [np.array([0.0, 1.0, -0.5, 1.5, NAN])], grad=False)
    check(call("logit"), [np.array([0, 1])])
    with pytest.raises(ag.ArgumentError, match="logit"):
        special.logit(ag.tensor([0.5]), eps="small")


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
def test_addcmul_addcdiv(name):
    x, t1, t2 = np.array([1.0, -2.0, 0.5]), np.array([[2.0], [-1.0]]), np.array([0.5, 4.0, -3.0])
    check(call(name), [x, t1, t2])
    check(call(name, value=-0.5), [x, t1, t2])
    check(call(name, value=2), [x.astype(np.float32), t1.astype(np.float32), t2.astype(np.float32)])
    # (PyTorch's own backward fails with an integer tensor2: the values only)
    check(call(name, value=0.5), [np.array([1.0, 2.0]), np.array([1.0, 2.0]), np.array([3, 4])], grad=False)
    with pytest.raises(ag.ShapeError, match=name):
        getattr(special, name)(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 2.0, 3.0]), ag.tensor([1.0]))
    with pytest.raises(ag.ArgumentError, match=name):
        getattr(special, name)(ag.tensor([1.0]), ag.tensor([1.0]), ag.tensor([1.0]), value="2")


def test_addcmul_integers_and_addcdiv_refusing_integer_division():
    ints = [np.array([1, 2]), np.array([1, 2]), np.array([3, 4])]
    check(call("addcmul", value=2), ints)
    check(call("addcmul", value=0.5), ints)  # the value truncated to 0, as PyTorch casts it
    with pytest.raises(RuntimeError, match="Integer division"):
        torch.addcdiv(*[torch.tensor(a) for a in ints])
    with pytest.raises(ag.DTypeError, match="addcdiv"):
        special.addcdiv(*[ag.tensor(a) for a in ints])
    with pytest.raises(ag.DTypeError, match="addcdiv"):
        special.addcdiv(ag.tensor([1.0, 2.0]), ag.tensor(ints[1]), ag.tensor(ints[2]))


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2", "addcmul", "addcdiv"])
def test_new_binary_second_derivatives(name):
    def fn(m, *xs):
        f = getattr(lib(m), name)
        return m.autograd.grad(f(*xs).sum(), list(xs), create_graph=True)

    xs = [np.array([-2.0, -0.5, 0.5, 3.0]), np.array([1.5, 2.5, -0.25, 4.0]), np.array([0.5, -1.0, 2.0, 3.0])]
    check(fn, xs[:2] if name.startswith("logaddexp") else xs)


def test_new_methods_as_pytorch():
    x = np.array([[0.2, -1.0], [3.0, 0.0]])
    check(lambda m, a: a.logaddexp(a * 2) + a.copysign(-1.0) + a.sinc() + a.deg2rad() + a.addcmul(a, a, value=2), [x])
    check(lambda m, a: a.nan_to_num() + a.float_power(2).float() + a.logit(eps=0.1) + a.positive() + a.sgn(), [x])


NEW = ["logaddexp", "logaddexp2", "nan_to_num", "sgn", "copysign", "heaviside", "deg2rad", "rad2deg"]
NEW += ["float_power", "logit", "signbit", "positive", "sinc", "addcmul", "addcdiv"]
ARITY = {"logaddexp": 2, "logaddexp2": 2, "copysign": 2, "heaviside": 2, "float_power": 2, "addcmul": 3, "addcdiv": 3}


@pytest.mark.parametrize("name", NEW)
def test_new_functions_refuse_a_list_naming_themselves(name):
    """A list where PyTorch wants a tensor: a TypeError there, our ArgumentError naming the function."""
    rest = [ag.tensor([1.0])] * (ARITY.get(name, 1) - 1)
    with pytest.raises(TypeError):
        getattr(torch, name)([1.0], *[torch.tensor([1.0])] * len(rest))
    with pytest.raises(ag.ArgumentError, match=f"^{name}: "):
        getattr(special, name)([1.0], *rest)
