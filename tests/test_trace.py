"""`trace_backward`: the notes' circuits gate by gate (upstream × local = downstream, numbers
derived by hand), when a local gradient is shown, and the text and HTML tables."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd as ag


@pytest.fixture(params=["Tensor", "Scalar"])
def leaves(request):
    """Leaves of either kind: the trace runs one code path for both."""
    if request.param == "Scalar":
        return lambda *values: tuple(ag.Scalar(v) for v in values)
    return lambda *values: tuple(ag.tensor(v, dtype=np.float64, requires_grad=True) for v in values)


def number(grad) -> float:
    """A Tensor's one-element .grad or a Scalar's float .grad as a float."""
    return float(np.asarray(getattr(grad, "data", grad)))


def check_chain_rule(steps) -> None:
    """Wherever a local gradient is shown, upstream × local = downstream element by element."""
    for step in steps:
        for inp in step.inputs:
            if inp.local is not None:
                np.testing.assert_allclose(step.upstream * inp.local, inp.downstream, rtol=1e-6)


def test_add_mul_circuit(leaves):
    x, y, z = leaves(-2.0, 5.0, -4.0)
    q = x + y
    f = q * z
    steps = ag.trace_backward(f, params={"x": x, "y": y, "z": z, "q": q, "f": f})
    assert [(s.number, s.op, s.output) for s in steps] == [(1, "Mul", "f"), (2, "Add", "q")]
    mul, add = steps
    assert mul.upstream == 1
    # the switcher: each input's local gradient is the other input
    assert [(i.name, i.local, i.downstream) for i in mul.inputs] == [("q", -4, -4), ("z", 3, 3)]
    # the distributor: local 1, the upstream -4 passes unchanged
    assert add.upstream == -4
    assert [(i.name, i.local, i.downstream) for i in add.inputs] == [("x", 1, -4), ("y", 1, -4)]
    # it was the real backward pass
    assert (number(x.grad), number(y.grad), number(z.grad)) == (-4, -4, 3)


NEURON_GRADS = {"w0": -0.2, "x0": 0.39, "w1": -0.39, "x1": -0.59, "w2": 0.2}  # the classic figure's


def test_sigmoid_neuron_from_primitive_gates(leaves):
    w0, x0, w1, x1, w2 = leaves(2.0, -1.0, -3.0, -2.0, -3.0)
    names = {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "w2": w2}
    dot = w0 * x0 + w1 * x1 + w2  # = -2 + 6 - 3 = 1
    neg = -dot
    e = neg.exp()
    den = e + 1.0
    f = den.reciprocal()
    names.update(dot=dot, neg=neg, e=e, den=den, f=f)
    steps = ag.trace_backward(f, params=names)
    by_output = {s.output: s for s in steps}
    assert [s.op for s in steps[:4]] == ["Reciprocal", "Add", "Exp", "Neg"]
    a = 1 + math.exp(-1)  # den = 1.3679
    s = 1 / a  # σ(1) = 0.7311
    ds = s * (1 - s)  # 0.19661: what reaches dot
    (r,) = by_output["f"].inputs
    assert r.local == pytest.approx(-1 / a**2) and r.downstream == pytest.approx(-1 / a**2)
    e_in, one_in = by_output["den"].inputs
    assert e_in.downstream == pytest.approx(-1 / a**2)
    if isinstance(f, ag.Tensor):  # a constant Tensor needs no gradient
        assert one_in.downstream is None and one_in.local is None
    else:  # a number in a Scalar expression becomes a leaf like any other
        assert one_in.downstream == pytest.approx(-1 / a**2)
    (x,) = by_output["e"].inputs
    assert x.local == pytest.approx(math.exp(-1)) and x.downstream == pytest.approx(-ds)
    (x,) = by_output["neg"].inputs
    assert x.local == -1 and x.downstream == pytest.approx(ds)
    expected = {"w0": -1 * ds, "x0": 2 * ds, "w1": -2 * ds, "x1": -3 * ds, "w2": ds}
    for name, value in expected.items():
        assert number(names[name].grad) == pytest.approx(value)
        assert round(number(names[name].grad), 2) == NEURON_GRADS[name]
    check_chain_rule(steps)


def test_sigmoid_neuron_with_the_sigmoid_gate(leaves):
    """σ as one gate: its local gradient σ(1 − σ) = 0.1966 at 1, the same leaf gradients."""
    w0, x0, w1, x1, w2 = leaves(2.0, -1.0, -3.0, -2.0, -3.0)
    names = {"w0": w0, "x0": x0, "w1": w1, "x1": x1, "w2": w2}
    f = (w0 * x0 + w1 * x1 + w2).sigmoid()
    steps = ag.trace_backward(f, params=names)
    assert [s.op for s in steps] == ["Sigmoid", "Add", "Add", "Mul", "Mul"]
    s = 1 / (1 + math.exp(-1))
    assert steps[0].upstream == 1 and steps[0].inputs[0].local == pytest.approx(s * (1 - s))
    assert {name: round(number(v.grad), 2) for name, v in names.items()} == NEURON_GRADS
    check_chain_rule(steps)


def test_staged_expression_gradients_add_up_over_branches(leaves):
    """f = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = -4: x feeds three gates."""
    x, y = leaves(3.0, -4.0)
    sigy = y.sigmoid()
    num = x + sigy
    sigx = x.sigmoid()
    xpy = x + y
    xpysqr = xpy * xpy
    den = sigx + xpysqr
    invden = den.reciprocal()
    f = num * invden
    steps = ag.trace_backward(f, params={"x": x, "y": y})
    assert len(steps) == 8
    sx, sy = 1 / (1 + math.exp(-3)), 1 / (1 + math.exp(4))
    n, d = 3 + sy, sx + 1
    dfdx = (d - n * (sx * (1 - sx) + 2 * (3 - 4))) / d**2
    dfdy = (sy * (1 - sy) * d - n * 2 * (3 - 4)) / d**2
    for leaf, expected in ((x, dfdx), (y, dfdy)):
        sent = [i.downstream for s in steps for i in s.inputs if i.name == ("x" if leaf is x else "y")]
        assert len(sent) == (3 if leaf is x else 2)
        assert sum(sent) == pytest.approx(expected)
        assert number(leaf.grad) == pytest.approx(expected)
    check_chain_rule(steps)


def test_vector_circuit_shows_local_gradients_only_where_diagonal():
    """q = W x, f = ||q||²: df/dq = 2q, df/dW = 2 q xᵀ, df/dx = 2 Wᵀ q (notes §2)."""
    W = ag.tensor([[0.1, 0.5], [-0.3, 0.8]], dtype=np.float64, requires_grad=True)
    x = ag.tensor([0.2, 0.4], dtype=np.float64, requires_grad=True)
    q = W @ x  # [0.22, 0.26]
    f = (q * q).sum()
    steps = ag.trace_backward(f, params={"W": W, "x": x, "q": q, "f": f})
    assert [s.op for s in steps] == ["Sum", "Mul", "MatMul"]
    total, square, matmul = steps
    np.testing.assert_allclose(total.inputs[0].local, [1, 1])  # one-element output: its gradient
    np.testing.assert_allclose(square.upstream, [1, 1])
    for inp in square.inputs:  # q * q: each factor's local gradient is the other factor
        assert inp.name == "q" and inp.shape == "(2,)"
        np.testing.assert_allclose(inp.local, [0.22, 0.26])
        np.testing.assert_allclose(inp.downstream, [0.22, 0.26])
    np.testing.assert_allclose(matmul.upstream, [0.44, 0.52])
    w_in, x_in = matmul.inputs
    assert w_in.local is None and x_in.local is None  # a full Jacobian: not shown
    np.testing.assert_allclose(w_in.downstream, [[0.088, 0.176], [0.104, 0.208]])
    np.testing.assert_allclose(x_in.downstream, [0.1 * 0.44 - 0.3 * 0.52, 0.5 * 0.44 + 0.8 * 0.52])
    check_chain_rule(steps)


@pytest.mark.parametrize(
    "make, diagonal",
    [
        (lambda a, b: a.exp(), [True]),
        (lambda a, b: a * b, [True, True]),
        (lambda a, b: a + b[0], [True, False]),  # b[0] is broadcast: its Jacobian is a column
        (lambda a, b: a.softmax(), [False]),  # same shape, full Jacobian
        (lambda a, b: a.reshape(3, 1).reshape(3), [False]),
        (lambda a, b: a[::-1], [False]),  # same shape, a permutation
    ],
)
def test_local_gradient_shown_exactly_for_diagonal_jacobians(make, diagonal):
    a = ag.tensor([0.5, -1.0, 2.0], dtype=np.float64, requires_grad=True)
    b = ag.tensor([1.5, 0.25, -2.0], dtype=np.float64, requires_grad=True)
    out = make(a, b)
    upstream = np.array([1.0, -2.0, 3.0])
    last = ag.trace_backward(out, upstream)[0]
    shown = [inp.local is not None for inp in last.inputs if inp.downstream is not None]
    assert shown == diagonal
    check_chain_rule([last])
    if last.op == "Exp":
        np.testing.assert_allclose(last.inputs[0].local, np.exp([0.5, -1.0, 2.0]))


def test_text_and_html_tables(leaves):
    x, y, z = leaves(-2.0, 5.0, -4.0)
    f = (x + y) * z
    steps = ag.trace_backward(f, params={"x": x, "y": y, "z": z, "f": f})
    text = str(steps).splitlines()
    assert text[0] == "backward pass: upstream × local = downstream"
    assert text[1].split() == ["#", "gate", "output", "upstream", "input", "local", "downstream"]
    q = "t0" if isinstance(f, ag.Tensor) else "s0"  # the generated name of x + y
    assert text[3].split() == ["1", "Mul", "f", "1", q, "-4", "-4"]
    assert text[4].split() == ["z", "3", "3"]
    assert text[5].split() == ["2", "Add", q, "-4", "x", "1", "-4"]
    html = steps._repr_html_()
    assert html.startswith("<table>") and html.count("<tr>") == 1 + 4
    assert '<td style="text-align:left">Mul</td>' in html


def test_tensor_cells_show_shapes_and_summaries():
    big = ag.arange(20, dtype=np.float64).requires_grad_()
    out = (big * 2.0).sum()
    text = str(ag.trace_backward(out, params={"big": big}, precision=3))
    # big * 2: the upstream is twenty ones; downstream 2 everywhere (mean 2, std 0)
    assert "big (20,)" in text
    assert "mean 1, std 0, min 1, max 1" in text and "mean 2, std 0, min 2, max 2" in text
    assert "—" in text  # the constant 2.0 receives no gradient


def test_errors_and_graph_release():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="does not require grad"):
        ag.trace_backward(ag.tensor(1.0))
    with pytest.raises(ag.GraphError, match="one-element"):
        ag.trace_backward(x * 2)
    y = (x * x).sum()
    first = ag.trace_backward(y, retain_graph=True)
    second = ag.trace_backward(y)
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])  # as one backward leaves it: 2x, not 2 · 2x
    assert str(first) == str(second)
    with pytest.raises(
        ag.GraphError, match="trace_backward: a backward pass already ran through this result and freed"
    ):
        ag.trace_backward(y)
    z = (x * x).sum()
    z.backward()
    with pytest.raises(ag.GraphError, match=r"call it instead of backward\(\), or pass retain_graph=True"):
        ag.trace_backward(z)


@pytest.mark.parametrize("leaf", [lambda v: ag.tensor(v, dtype=np.float64, requires_grad=True), ag.Scalar])
def test_a_trace_after_backward_adds_nothing_and_after_zero_grad_fills_the_gradients(leaf):
    """The notebook habit, f.backward() then trace_backward(f): the trace shows the same steps and
    leaves the gradients as the one backward pass left them; zeroed gradients fill up again."""
    x, y = leaf(3.0), leaf(-2.0)
    f = (x * y + x.exp()) * y
    fresh = str(ag.trace_backward(f, retain_graph=True))
    once = [float(x.grad), float(y.grad)]
    assert once == pytest.approx([(-2.0 + math.exp(3.0)) * -2.0, 3.0 * -2.0 * 2 + math.exp(3.0)])
    again = str(ag.trace_backward(f, retain_graph=True))
    assert again == fresh
    assert [float(x.grad), float(y.grad)] == once
    if isinstance(x, ag.Scalar):
        f.zero_grad()
    else:
        x.grad = y.grad = None
    ag.trace_backward(f, retain_graph=True)
    assert [float(x.grad), float(y.grad)] == once
