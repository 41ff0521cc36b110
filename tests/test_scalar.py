"""Scalar: the circuits of the reference notes (values derived by hand), every gate against central
differences, agreement with 0-d float64 Tensors, reuse and accumulation, deep chains, errors."""

from __future__ import annotations

import gc
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import DomainError, GradcheckError, Scalar, gradcheck
from autograd.gates import scalar as sg
from autograd.scalar import _unary_operator
from autograd.testing import floats


def close(a: float, b: float, tol: float = 1e-4) -> bool:
    return abs(a - b) <= tol


def sig(v: float) -> float:
    """σ by its definition, for expected values."""
    return 1.0 / (1.0 + math.exp(-v))


# ---- the circuits of the notes ---------------------------------------------------------------
def test_add_mul_circuit_by_hand():
    x, y, z = Scalar(-2.0, "x"), Scalar(5.0, "y"), Scalar(-4.0, "z")
    q = x + y
    f = q * z
    f.backward()
    assert (q.data, f.data) == (3.0, -12.0)
    # df/dz = q = 3; df/dq = z = -4, and the add gate passes it to x and y unchanged
    assert (x.grad, y.grad, z.grad, q.grad, f.grad) == (-4.0, -4.0, 3.0, -4.0, 1.0)
    assert (f.grad_fn.name, q.grad_fn.name, x.grad_fn) == ("Mul", "Add", None)


def neuron_inputs() -> tuple[list[Scalar], list[Scalar]]:
    return [Scalar(2.0), Scalar(-3.0), Scalar(-3.0)], [Scalar(-1.0), Scalar(-2.0)]


def test_sigmoid_neuron_from_primitive_gates_by_hand():
    w, x = neuron_inputs()
    dot = w[0] * x[0] + w[1] * x[1] + w[2]
    f = (1 + (-dot).exp()).reciprocal()
    f.backward()
    # dot = 2·(-1) + (-3)·(-2) + (-3) = 1, so f = σ(1) and the local gradient is σ(1)(1 - σ(1))
    s = sig(1.0)
    local = s * (1 - s)
    assert dot.data == 1.0
    assert close(f.data, 0.7311) and math.isclose(f.data, s, rel_tol=1e-15)
    assert close(x[0].grad, 0.3932) and close(x[1].grad, -0.5898)
    assert close(w[0].grad, -0.1966) and close(w[1].grad, -0.3932) and close(w[2].grad, 0.1966)
    # dx = w · local, dw = [x0, x1, 1] · local
    assert [v.grad for v in x] == pytest.approx([2 * local, -3 * local], rel=1e-12)
    assert [v.grad for v in w] == pytest.approx([-local, -2 * local, local], rel=1e-12)
    # the circuit: reciprocal of (constant 1 + exp of (neg of the dot product))
    gates = [f.grad_fn.name, f.grad_fn.inputs[0].grad_fn.name, f.grad_fn.inputs[0].grad_fn.inputs[1].grad_fn.name]
    assert gates == ["Reciprocal", "Add", "Exp"]


def test_sigmoid_neuron_one_gate_matches_primitive_gates():
    w1, x1 = neuron_inputs()
    f1 = (1 + (-(w1[0] * x1[0] + w1[1] * x1[1] + w1[2])).exp()).reciprocal()
    f1.backward()
    w2, x2 = neuron_inputs()
    f2 = (w2[0] * x2[0] + w2[1] * x2[1] + w2[2]).sigmoid()
    f2.backward()
    assert f2.grad_fn.name == "Sigmoid"
    assert f2.data == pytest.approx(f1.data, rel=1e-15)
    assert [v.grad for v in w2 + x2] == pytest.approx([v.grad for v in w1 + x1], rel=1e-12)


def staged(x: Scalar, y: Scalar) -> dict[str, Scalar]:
    """f = (x + σ(y)) / (σ(x) + (x + y)²) through the notes' named intermediates."""
    v = {"x": x, "y": y}
    v["sigy"] = y.sigmoid()
    v["num"] = x + v["sigy"]
    v["sigx"] = x.sigmoid()
    v["xpy"] = x + y
    v["xpysqr"] = v["xpy"] ** 2
    v["den"] = v["sigx"] + v["xpysqr"]
    v["invden"] = 1 / v["den"]
    v["f"] = v["num"] * v["invden"]
    return v


def staged_float(x: float, y: float) -> float:
    return (x + sig(y)) / (sig(x) + (x + y) ** 2)


def test_staged_expression_against_central_differences():
    v = staged(Scalar(3.0), Scalar(-4.0))
    v["f"].backward()
    # forward by hand: x + y = -1, squared 1; σ(3) ≈ 0.95257, σ(-4) ≈ 0.017986
    assert v["xpy"].data == -1.0 and v["xpysqr"].data == 1.0
    assert close(v["sigx"].data, 0.95257) and close(v["sigy"].data, 0.017986)
    assert close(v["f"].data, 3.017986 / 1.95257)
    # each stage backpropagated by hand: f = num · invden, invden = 1/den
    num, den = v["num"].data, v["den"].data
    assert v["num"].grad == pytest.approx(1 / den, rel=1e-12)
    assert v["invden"].grad == pytest.approx(num, rel=1e-12)
    assert v["den"].grad == pytest.approx(-num / den**2, rel=1e-12)
    assert v["xpy"].grad == pytest.approx(2 * -1.0 * v["den"].grad, rel=1e-12)
    # and the leaves against central differences of the plain-float formula
    h = 1e-6
    dx = (staged_float(3 + h, -4) - staged_float(3 - h, -4)) / (2 * h)
    dy = (staged_float(3, -4 + h) - staged_float(3, -4 - h)) / (2 * h)
    assert v["x"].grad == pytest.approx(dx, rel=1e-6)
    assert v["y"].grad == pytest.approx(dy, rel=1e-6)
    assert gradcheck(lambda x, y: staged(x, y)["f"], (Scalar(3.0), Scalar(-4.0)))


# ---- every gate against central differences ---------------------------------------------------
UNARY = {
    "neg": (lambda x: -x, floats()),
    "exp": (lambda x: x.exp(), floats()),
    "log": (lambda x: x.log(), floats(0.1, 5.0)),
    "reciprocal": (lambda x: x.reciprocal(), floats(away_from=[0.0], margin=0.2)),
    "sigmoid": (lambda x: x.sigmoid(), floats(-8.0, 8.0)),
    "tanh": (lambda x: x.tanh(), floats()),
    "relu": (lambda x: x.relu(), floats(away_from=[0.0])),
    "square": (lambda x: x**2, floats()),
    "cube": (lambda x: x**3, floats()),
    "sqrt": (lambda x: x**0.5, floats(0.1, 5.0)),
    "pow -1.5": (lambda x: x**-1.5, floats(0.2, 5.0)),
}


@pytest.mark.parametrize("name", UNARY)
@given(data=st.data())
def test_unary_gate_against_central_differences(name, data):
    fn, values = UNARY[name]
    assert gradcheck(fn, (Scalar(data.draw(values)),))


BINARY = {
    "add": (lambda x, y: x + y, floats()),
    "sub": (lambda x, y: x - y, floats()),
    "mul": (lambda x, y: x * y, floats()),
    "div": (lambda x, y: x / y, floats(away_from=[0.0], margin=0.2)),
    "maximum": (ag.maximum, floats()),
}


@pytest.mark.parametrize("name", BINARY)
@given(data=st.data())
def test_binary_gate_against_central_differences(name, data):
    fn, second = BINARY[name]
    x = data.draw(floats())
    y = data.draw(second if name != "maximum" else floats(away_from=[x], margin=0.05))
    assert gradcheck(fn, (Scalar(x), Scalar(y)))


@given(x=floats(), c=floats(away_from=[0.0], margin=0.2))
def test_number_operands_on_either_side_against_central_differences(x, c):
    def fn(s):
        return (c + s) * (s - c) + (c - s) / c + c * s + c / (s * s + 1) + s / c + (-s)

    assert gradcheck(fn, (Scalar(x),))


@pytest.mark.parametrize(
    ("name", "fn", "expected"),
    [
        ("exp", lambda x: x.exp(), np.exp(0.75)),
        ("log", lambda x: x.log(), np.log(0.75)),
        ("tanh", lambda x: x.tanh(), np.tanh(0.75)),
        ("sigmoid", lambda x: x.sigmoid(), 1 / (1 + np.exp(-0.75))),
        ("reciprocal", lambda x: x.reciprocal(), 1 / 0.75),
        ("pow", lambda x: x**2.5, 0.75**2.5),
        ("relu", lambda x: x.relu(), 0.75),
    ],
)
def test_unary_forward_against_numpy(name, fn, expected):
    out = fn(Scalar(0.75))
    assert type(out.data) is float
    assert out.data == pytest.approx(float(expected), rel=1e-14)


def test_relu_and_sigmoid_at_their_extremes():
    assert Scalar(-2.0).relu().data == 0.0
    assert Scalar(0.0).relu().data == 0.0
    assert Scalar(-800.0).sigmoid().data == 0.0 and Scalar(800.0).sigmoid().data == 1.0
    x = Scalar(0.0)
    x.relu().backward()
    assert x.grad == 0.0  # project rule: no gradient at the kink


def test_maximum_ties_split_the_gradient_and_numbers_work_on_either_side():
    a, b = Scalar(2.0), Scalar(2.0)
    ag.maximum(a, b).backward()
    assert (a.grad, b.grad) == (0.5, 0.5)
    a = Scalar(3.0)
    out = ag.maximum(1.0, a) + ag.maximum(a, 5.0) + a.maximum(3)
    out.backward()
    assert out.data == 3.0 + 5.0 + 3.0
    assert a.grad == 1.0 + 0.0 + 0.5
    m = ag.minimum(Scalar(-1.0), 4.0)
    assert m.data == -1.0


def test_a_wrong_scalar_gate_fails_gradcheck():
    class WrongExp(sg.ScalarGate):
        """z = eˣ with the local gradient of e^(2x) (deliberately wrong)"""

        __slots__ = ()
        forward = math.exp

        def _backprop(self, out, g):
            return (2 * g * out.data,)

    wrong_exp = _unary_operator(WrongExp)
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(wrong_exp, (Scalar(0.3),))
    with pytest.raises(GradcheckError) as info:  # two outputs: the message names the one that is wrong
        gradcheck(lambda a: (a * 2, wrong_exp(a)), (Scalar(0.0),))
    assert "the derivative of output 1, element () with respect to it is 2 analytically, 1 numerically" in str(
        info.value
    )


# ---- Scalars agree with 0-d float64 Tensors --------------------------------------------------
OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "max": lambda a, b: ag.maximum(a, b),
    "neg": lambda a, b: -a,
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(),
    "square": lambda a, b: a**2,
    "exp": lambda a, b: a.tanh().exp(),
    "log": lambda a, b: (a * a + 1).log(),
    "reciprocal": lambda a, b: (b * b + 0.5).reciprocal(),
    "const": lambda a, b: 2 * a - 1.5,
}


@st.composite
def programs(draw):
    """Three inputs and a list of (op, i, j): each step applies op to values i and j so far."""
    inputs = [draw(floats(-2.0, 2.0)) for _ in range(3)]
    steps = []
    for k in range(draw(st.integers(1, 8))):
        n = 3 + k
        steps.append((draw(st.sampled_from(sorted(OPS))), draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))))
    return inputs, steps


def run(program, make):
    inputs, steps = program
    values = [make(v) for v in inputs]
    for op, i, j in steps:
        values.append(OPS[op](values[i], values[j]))
    return values[:3], values[-1]


@given(programs())
def test_random_expression_same_on_scalars_and_tensors(program):
    xs, out = run(program, Scalar)
    ts, tout = run(program, lambda v: ag.tensor(v, dtype=np.float64, requires_grad=True))
    assert math.isclose(out.data, tout.item(), rel_tol=1e-9, abs_tol=1e-12)
    out.backward()
    tout.backward()
    for x, t in zip(xs, ts):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert math.isclose(x.grad, expected, rel_tol=1e-9, abs_tol=1e-9)


# ---- reuse, accumulation, repeated backward, zero_grad ---------------------------------------
def test_reuse_sums_the_gradients_of_every_branch():
    a = Scalar(1.0)
    b = a + a
    c = b + b
    c.backward()
    assert (c.data, b.grad, a.grad) == (4.0, 2.0, 4.0)
    x = Scalar(3.0)
    (x * x + x).backward()
    assert x.grad == 2 * 3.0 + 1


def test_in_place_operators_rebind_to_new_scalars():
    a = Scalar(2.0)
    c = a
    c += c + 1  # c = a + (a + 1)
    c *= 3
    c -= 1
    c /= 2
    assert c is not a and a.data == 2.0
    assert c.data == ((2 + 3) * 3 - 1) / 2
    c.backward()
    assert a.grad == 2 * 3 / 2


def test_second_backward_without_zero_grad_accumulates_exactly():
    x, y = Scalar(2.0), Scalar(3.0)
    q = x * y
    f = q * x  # f = x²y: df/dx = 2xy = 12, df/dy = x² = 4, df/dq = x = 2
    f.backward()
    assert (x.grad, y.grad, q.grad, f.grad) == (12.0, 4.0, 2.0, 1.0)
    f.backward()  # the intermediates' stored grads are not fed back in: exactly twice
    assert (x.grad, y.grad, q.grad, f.grad) == (24.0, 8.0, 4.0, 2.0)
    f.zero_grad()
    assert (x.grad, y.grad, q.grad, f.grad) == (0.0, 0.0, 0.0, 0.0)
    f.backward()
    assert (x.grad, y.grad, q.grad, f.grad) == (12.0, 4.0, 2.0, 1.0)


def test_zero_grad_touches_only_the_graph():
    x, outside = Scalar(1.0), Scalar(5.0)
    (outside * 2).backward()
    f = (x * 3).exp()
    f.backward()
    assert x.grad != 0.0
    f.zero_grad()
    assert x.grad == 0.0 and f.grad == 0.0 and f.grad_fn.inputs[0].grad == 0.0
    assert outside.grad == 2.0


def test_grad_returns_floats_and_leaves_dot_grad_alone():
    x, y = Scalar(2.0), Scalar(-1.0)
    f = x * y + x.exp()
    gx, gy = ag.grad(f, [x, y])
    assert (gx, gy) == (pytest.approx(-1 + math.exp(2.0), rel=1e-15), 2.0)
    assert type(gx) is float and x.grad == 0.0 and y.grad == 0.0
    with pytest.raises(TypeError, match="create_graph"):
        ag.grad(f, [x], create_graph=True)


def test_deep_chain_of_a_million_gates():
    x = Scalar(0.5)
    y = x
    gc.disable()  # the chain has no cycles; the collector would only re-scan it as it grows
    try:
        for _ in range(1_000_000):
            y = -y
    finally:
        gc.enable()
    assert y.data == 0.5
    y.backward()  # no recursion: the sort and the driver are iterative
    assert x.grad == 1.0
    y.zero_grad()
    assert x.grad == 0.0


# ---- construction and errors -----------------------------------------------------------------
def test_construction_keeps_plain_floats_and_labels():
    s = Scalar(np.float32(1.5), label="w")
    assert type(s.data) is float and s.data == 1.5 and s.grad == 0.0 and s.label == "w"
    assert type(Scalar(3).data) is float and type((Scalar(3) * np.int64(2)).data) is float
    assert (np.float64(2.0) * Scalar(3.0)).data == 6.0  # NumPy numbers defer to Scalar
    assert repr(s) == "Scalar(data=1.5, grad=0.0, label='w')"
    assert Scalar(2.0).requires_grad and s.grad_fn is None


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (True, TypeError, "bool"),
        (np.array([1.0, 2.0]), TypeError, "Tensor holds arrays"),
        (np.array(True), TypeError, "bool"),
        (ag.tensor(1.0), TypeError, r"a Scalar and a Tensor do not combine.*Scalar\(t\.item\(\)\)"),
        ([1.0], TypeError, "list"),
        ("1.0", TypeError, "str"),
        (1 + 2j, TypeError, "complex"),
        (float("nan"), ValueError, "NaN"),
        (Scalar(1.0), TypeError, r"\.data"),
    ],
)
def test_bad_data(bad, error, match):
    with pytest.raises(error, match=match):
        Scalar(bad)


NUMPY_NUMBERS = [np.float64(2.5), np.float32(2.5), np.int64(2), np.array(2.5), np.array(2, dtype=np.int32)]
OPERATORS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@pytest.mark.parametrize("number", NUMPY_NUMBERS, ids=repr)
@pytest.mark.parametrize("op", OPERATORS)
def test_numpy_numbers_and_0d_arrays_are_numbers_on_either_side(op, number):
    """The result is a Scalar with the number's value, not a NumPy object, with either operand order;
    the gradient reaches the Scalar as with a Python float."""
    fn, value = OPERATORS[op], float(number)
    for x_left in (True, False):
        x = Scalar(3.0)
        out = fn(x, number) if x_left else fn(number, x)
        assert type(out) is Scalar and type(out.data) is float
        assert out.data == pytest.approx(fn(3.0, value) if x_left else fn(value, 3.0))
        out.backward()
        h = 1e-6
        shifted = fn(3.0 + h, value) if x_left else fn(value, 3.0 + h)
        assert x.grad == pytest.approx((shifted - out.data) / h, rel=1e-4)
    powered = Scalar(3.0) ** number
    assert type(powered) is Scalar and powered.data == pytest.approx(3.0**value)
    assert Scalar(3.0).maximum(number).data == max(3.0, value) and type(Scalar(number).data) is float


@pytest.mark.parametrize(
    "fn",
    [
        lambda: Scalar(1.0) * ag.tensor(2.0),
        lambda: ag.tensor(2.0) * Scalar(1.0),
        lambda: Scalar(1.0) - ag.tensor([1.0, 2.0], requires_grad=True),
        lambda: ag.tensor([1.0, 2.0]) / Scalar(1.0),
        lambda: Scalar(1.0).maximum(ag.tensor(2.0)),
    ],
)
def test_mixing_a_scalar_and_a_tensor_says_how_to_convert(fn):
    with pytest.raises(ag.ArgumentError, match=r"a Scalar and a Tensor do not combine .*autograd\.tensor\(s\.data"):
        fn()


def test_an_array_operand_is_our_error_on_either_side():
    for fn in (lambda: Scalar(1.0) * np.ones(2), lambda: np.ones(2) * Scalar(1.0)):
        with pytest.raises(ag.ArgumentError, match=r"ndarray of shape \(2,\) .*\(autograd\.Tensor holds arrays\)"):
            fn()


def test_bad_number_operands_get_the_same_checks():
    with pytest.raises(TypeError, match="bool"):
        Scalar(1.0) + True
    with pytest.raises(ValueError, match="NaN"):
        Scalar(1.0) * float("nan")


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (lambda: Scalar(-1.0).log(), r"Log: ln x needs x > 0; got x = -1\.0"),
        (lambda: Scalar(0.0).log(), "Log"),
        (lambda: Scalar(1.0) / 0, r"Div: x / y needs y ≠ 0"),
        (lambda: 1 / Scalar(0.0), "Div"),
        (lambda: Scalar(0.0).reciprocal(), "Reciprocal"),
        (lambda: Scalar(-8.0) ** (1 / 3), "Pow: .* non-integer"),
        (lambda: Scalar(0.0) ** -1, "Pow"),
        (lambda: Scalar(1e200) ** 2, "Pow"),
        (lambda: Scalar(710.0).exp(), "Exp: .*overflows"),
    ],
)
def test_math_domain_errors_name_the_gate(fn, match):
    with pytest.raises(DomainError, match=match):
        fn()
    assert issubclass(DomainError, ValueError)


def test_infinite_gradient_of_pow_at_zero_is_an_error_at_the_operation():
    with pytest.raises(DomainError, match="Pow: the local gradient p·x\\^\\(p−1\\) is infinite"):
        Scalar(0.0) ** 0.5


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Scalar(1e200) * Scalar(1e200), r"Mul: .*the result would be inf"),
        (lambda: Scalar(1e308) + 1e308, r"Add: .*the result would be inf"),
        (lambda: Scalar(-1e308) - 1e308, r"Sub: .*the result would be -inf"),
        (lambda: Scalar(1.0) / Scalar(5e-324), r"Div: .*the result would be inf"),
        (lambda: Scalar(1e-310) / Scalar(1e-310), r"Div: the local gradients 1/y and −z/y overflow"),
        (lambda: Scalar(5e-324).log(), r"Log: the local gradient 1/x overflows"),
        (lambda: Scalar(1e-200).reciprocal(), r"Reciprocal: the local gradient −1/x² overflows"),
        (lambda: Scalar(1e-300) ** -2, r"Pow: x \*\* p needs"),
        (lambda: Scalar(1e-200) ** 0.5 * 1e300 / 1e-300, r"Div: "),
        (lambda: Scalar(float("inf")), r"Scalar: got inf"),
        (lambda: Scalar(1.0) * float("-inf"), r"Scalar: got -inf"),
    ],
)
def test_every_gate_refuses_a_non_finite_result_or_local_gradient(make, match):
    """The domain promise: no Scalar holds an infinity and no local gradient is one, so nothing
    downstream turns into NaN silently (before, 1e200 * 1e200 gave inf and log(5e-324) an infinite
    gradient)."""
    with pytest.raises(DomainError, match=match):
        make()


def test_values_near_the_edges_stay_exact():
    x = Scalar(1e-150)
    y = x.reciprocal() * 1e-10  # 1/x = 1e150 and its local gradient 1e300 are finite
    y.backward()
    assert y.data == pytest.approx(1e140) and x.grad == pytest.approx(-1e290)
    z = Scalar(1e-300).log()
    z.backward()
    assert z.data == pytest.approx(math.log(1e-300))


@pytest.mark.parametrize(
    ("fn", "match"),
    [
        (lambda x: x + "a", "unsupported operand"),
        (lambda x: [1] * x, "sequence|unsupported"),
        (lambda x: x**x, "exponent must be a number"),
        (lambda x: 2**x, "unsupported operand"),
        (lambda x: x.maximum("a"), "maximum: cannot combine a Scalar with str"),
        (lambda x: x + ag.tensor(1.0), "Tensor"),
        (lambda x: ag.tensor(1.0) * x, "Tensor"),
    ],
)
def test_bad_operands(fn, match):
    with pytest.raises(TypeError, match=match):
        fn(Scalar(2.0))


@settings(max_examples=10)
@given(floats(0.1, 3.0))
def test_gradcheck_checks_every_scalar_input(v):
    a, b, c = Scalar(v), Scalar(-v), Scalar(2 * v)
    assert gradcheck(lambda a, b, c: (a * b).tanh() + (c / a).log() * b.sigmoid(), (a, b, c))


def test_each_scalar_gate_is_made_from_the_tensor_gate_of_the_same_name():
    from autograd.gates import elementwise as ew

    for name in (
        "Add",
        "Sub",
        "Mul",
        "Div",
        "Neg",
        "Pow",
        "Exp",
        "Log",
        "Reciprocal",
        "Sigmoid",
        "Tanh",
        "Relu",
        "Maximum",
    ):
        scalar_gate, tensor_gate = getattr(sg, name), getattr(ew, name)
        assert scalar_gate.__name__ == name and scalar_gate.__doc__ == tensor_gate.__doc__
        assert scalar_gate._backprop is tensor_gate.float_backward  # one definition: no copy of the math
    assert not hasattr(sg.Mul(), "__dict__")  # slotted, as a hand-written node
