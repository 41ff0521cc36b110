"""Drawings say which input of a gate is which: each edge into a gate of several inputs carries the
operand's name, the edges come in argument order and the gate keeps that order (`ordering=in`);
and draw / trace_backward refuse what is not a graph, params that are not values, unknown options."""

from __future__ import annotations

import re
import subprocess

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd.errors import ArgumentError
from autograd.graph import topological_order
from tests.test_draw import parse


def operands_of_root(drawing, root: str = "root") -> list[tuple[str, str]]:
    """(value name, edge label) of each edge into the gate of the value named `root`, in the order
    of the DOT text; the gate must keep that order (ordering=in)."""
    source = drawing.source
    by_id = {node: name for name, node in parse(source)["values"].items()}
    (gate,) = [m[1] for m in re.finditer(r"(g\d+) -> (v\d+)", source) if by_id.get(m[2]) == root]
    assert re.search(rf"\b{gate} \[label=.*ordering=in", source), "the gate must keep its edges' order"
    edges = re.finditer(rf"(v\d+) -> {gate} \[label=(\"[^\"]*\"|\w+)", source)
    return [(by_id[m[1]], m[2].strip('"')) for m in edges]


class Scaled(ag.Function):
    """A custom gate whose forward names its operands signal and gain, and saves both."""

    @staticmethod
    def forward(ctx, signal, gain):
        ctx.save_for_backward(signal, gain)
        return signal * gain

    @staticmethod
    def backward(ctx, g):
        signal, gain = ctx.saved_tensors
        return g * gain, g * signal


def leaves(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [ag.tensor(rng.uniform(0.5, 2.0, s), requires_grad=True) for s in shapes]


CASES = {
    "Sub": lambda b, a: b - a,
    "Div": lambda b, a: b / a,
    "Pow": lambda b, a: b**a,
    "MatMul": lambda b, a: b @ a.T,
}


@pytest.mark.parametrize("gate", CASES)
def test_a_binary_gate_draws_its_first_operand_as_a_and_its_second_as_b(gate):
    """`b − a` reads b first: the edge from b is labelled a (the first operand), the edge from a is b."""
    b, a = leaves((2, 3), (2, 3))
    out = CASES[gate](b, a)
    names = {"b": b, "a": a}
    drawn = ag.draw(out, params={**names, "root": out})
    assert parse(drawn.source)["gates"] and gate in parse(drawn.source)["gates"].values()
    got = operands_of_root(drawn)
    if gate == "MatMul":  # a.T is a Permute of a: the edge comes from that value
        assert got[0] == ("b", "a") and got[1][1] == "b" and len(got) == 2
    else:
        assert got == [("b", "a"), ("a", "b")]


def test_where_draws_condition_then_its_two_choices():
    x, y = leaves((4,), (4,))
    condition = ag.tensor([True, False, True, False])
    out = ag.where(condition, y, x)
    got = operands_of_root(ag.draw(out, params={"cond": condition, "y": y, "x": x, "root": out}))
    assert got[0][1] == "cond" and got[1:] == [("y", "a"), ("x", "b")]  # where() passes on its own copy of cond


def test_linear_and_conv2d_draw_input_weight_bias():
    ag.manual_seed(0)
    layer = nn.Linear(3, 2)
    x = ag.tensor(np.ones((4, 3), np.float32), requires_grad=True)
    y = layer(x)
    named = {"input": x, "root": y, **dict(layer.named_parameters())}
    assert operands_of_root(ag.draw(y, params=named)) == [
        ("input", "x"),
        ("weight", "weight"),
        ("bias", "bias"),
    ]
    conv = nn.Conv2d(1, 2, 3)
    image = ag.tensor(np.ones((1, 1, 5, 5), np.float32), requires_grad=True)
    z = F.conv2d(image, conv.weight, conv.bias)
    named = {"image": image, "root": z, **dict(conv.named_parameters())}
    assert operands_of_root(ag.draw(z, params=named)) == [
        ("image", "x"),
        ("weight", "weight"),
        ("bias", "bias"),
    ]


def test_scalar_gates_are_labelled_as_the_tensor_gates_they_are_made_from():
    x, y = ag.Scalar(2.0, label="x"), ag.Scalar(3.0, label="y")
    for out in (y - x, y / x):
        out.label = "root"
        assert operands_of_root(ag.draw(out)) == [("y", "a"), ("x", "b")]


def test_one_input_gates_and_a_value_used_twice():
    """A gate of one input has no label; x · x has two labelled edges from the same box."""
    (x,) = leaves((3,))
    source = ag.draw(x.exp(), params={"x": x}).source
    assert "label=a" not in source and "ordering=in" not in source
    square = x * x
    assert operands_of_root(ag.draw(square, params={"x": x, "root": square})) == [
        ("x", "a"),
        ("x", "b"),
    ]


def test_cat_numbers_its_inputs_and_a_custom_function_uses_its_own_names():
    p, q, r = leaves((2,), (2,), (2,))
    out = ag.cat([p, q, r])
    got = operands_of_root(ag.draw(out, params={"p": p, "q": q, "r": r, "root": out}))
    assert got == [("p", "xs[0]"), ("q", "xs[1]"), ("r", "xs[2]")]

    out = Scaled.apply(p, q)
    assert operands_of_root(ag.draw(out, params={"p": p, "q": q, "root": out})) == [
        ("p", "signal"),
        ("q", "gain"),
    ]


def test_labelled_drawings_render_with_dot(tmp_path):
    ag.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(18, 2))
    loss = F.cross_entropy(model(ag.tensor(np.ones((1, 1, 5, 5), np.float32))), ag.tensor([1]))
    loss.backward()
    drawing = ag.draw(loss, params=dict(model.named_parameters()))
    svg = drawing.pipe(format="svg").decode()
    assert svg.count('<g id="edge') == drawing.source.count("->")
    assert ">weight</text>" in svg and ">bias</text>" in svg
    check = subprocess.run(["dot", "-Tsvg"], input=drawing.source, capture_output=True, text=True, check=True)
    assert check.stderr == ""  # no warning about the ordering or the labels


def test_what_is_not_a_graph_is_an_argument_error():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    for bad, shown in ((3.0, "float"), (np.ones(2), r"ndarray \(wrap an array with autograd.tensor\)"), ("x", "str")):
        with pytest.raises(ArgumentError, match=rf"draw: expected a Tensor or a Scalar .*got {shown}"):
            ag.draw(bad)
        with pytest.raises(ArgumentError, match=rf"trace_backward: expected a Tensor or a Scalar, .*got {shown}"):
            ag.trace_backward(bad)
    with pytest.raises(ArgumentError, match="draw: expected a Tensor or a Scalar .*got float"):
        ag.draw([x, 1.0])
    with pytest.raises(ArgumentError, match="got an empty list"):
        ag.draw([])
    with pytest.raises(ArgumentError, match="trace_backward: expected a Tensor or a Scalar, .*got list"):
        ag.trace_backward([x * 2])


def test_params_must_name_values_and_unknown_options_are_refused():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(ArgumentError, match="draw: params must map names .*'x' maps to int"):
        ag.draw(y, params={"x": 3})
    with pytest.raises(ArgumentError, match=r"draw: params must be a mapping .*named_parameters\(\)\), got list"):
        ag.draw(y, params=[x])
    with pytest.raises(ArgumentError, match="trace_backward: params must map names .*'x' maps to ndarray"):
        ag.trace_backward(y, params={"x": np.ones(2)})
    with pytest.raises(
        ArgumentError, match=r"draw: unknown option\(s\) max_node \(did you mean max_nodes\?\); expected"
    ):
        ag.draw(y, max_node=3)
    with pytest.raises(ArgumentError, match=r"draw: unknown option\(s\) colour \(did you mean color\?\); expected any"):
        ag.draw(y, colour="grad")
    with pytest.raises(ArgumentError, match=r"trace_backward: unknown option\(s\) precison \(did you mean precision"):
        ag.trace_backward(y, precison=3)
    assert x.grad is None  # refused before any backward ran


def gate_lines(source: str, gate: str) -> list[str]:
    """The lines under a gate's name in its label."""
    (label,) = re.findall(rf"label=<{gate}(.*?)> fillcolor", source)
    return re.findall(r'<FONT POINT-SIZE="9" COLOR="#6b6b6b">(.*?)</FONT>', label)


def test_make_dot_is_torchvizs_call_structure_only_with_attributes_and_saved_arrays_on_request():
    """`from torchviz import make_dot` becomes `from autograd.draw import make_dot`, and
    `autograd.draw.make_dot` is the same function: parameter names, no numbers; show_attrs gives each
    gate's settings, show_saved the arrays it keeps (a custom Function's saved_tensors too)."""
    from autograd.draw import make_dot

    assert ag.draw.make_dot is make_dot
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 2), nn.GELU(), nn.Softmax(dim=1))
    y = model(ag.tensor(np.ones((4, 3), np.float32))).sum()
    plain = make_dot(y, params=dict(model.named_parameters()))
    assert {"0.weight", "0.bias"} <= set(parse(plain.source)["values"])
    assert "data " not in plain.source and "grad " not in plain.source and "saved" not in plain.source
    assert plain.pipe(format="svg").startswith(b"<?xml")
    detailed = make_dot(y, params=dict(model.named_parameters()), show_attrs=True, show_saved=True)
    assert gate_lines(detailed.source, "Softmax") == ["dim=1"]
    assert gate_lines(detailed.source, "Sum") == ["dims=(0, 1)", "keepdim=False"]
    assert gate_lines(detailed.source, "Gelu") == ["saved cdf: (4, 2) float32"]
    assert gate_lines(make_dot(y, show_attrs=True).source, "Gelu") == []  # an array is not a setting
    assert gate_lines(ag.draw(y, show_attrs=True, max_attr_chars=6).source, "Sum") == ["dims=…", "keepd…"]

    p, q = leaves((2, 3), (2, 3))
    lines = gate_lines(make_dot(Scaled.apply(p, q), show_saved=True).source, "Scaled")
    assert lines == ["saved_tensors[0]: (2, 3) float64", "saved_tensors[1]: (2, 3) float64"]
    with pytest.raises(ValueError, match="max_attr_chars must be a non-negative integer"):
        make_dot(y, max_attr_chars=-1)


def sigmoid_stack(activation, depth=6):
    ag.manual_seed(0)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(4, 4), activation()]
    model = nn.Sequential(*layers, nn.Linear(4, 2))
    x = ag.tensor(np.random.default_rng(0).random((8, 4)).astype(np.float32))
    F.cross_entropy(model(x), ag.tensor(np.zeros(8, np.int64))).backward()
    return model


def test_gradient_heat_colours_by_the_rms_of_each_gradient_on_one_log_scale():
    """A stack of sigmoids: the first layer's gradient is the smallest (the darkest end of the
    scale), the loss's the largest (yellow); each edge has the colour of the gradient it carries;
    the legend gives both ends of the scale."""
    from autograd.heat import GradientHeat, colormap, rms

    assert colormap(0.0) == "#440154" and colormap(1.0) == "#fde725" and colormap(0.5) == "#21918c"
    assert rms(ag.tensor([3.0, -4.0])) == pytest.approx(np.sqrt(12.5))
    model = sigmoid_stack(nn.Sigmoid)
    params = dict(model.named_parameters())
    assert "legend" in ag.draw(model[0].weight, color="grad").source  # a leaf alone
    x = ag.tensor(np.random.default_rng(0).random((8, 4)).astype(np.float32))
    loss = F.cross_entropy(model(x), ag.tensor(np.zeros(8, np.int64)))
    loss.backward()
    source = ag.draw(loss, params=params, color="grad").source
    drawn = parse(source)
    colored = {name: re.search(r' color="(#[0-9a-f]{6})"', drawn["lines"][v]) for name, v in drawn["values"].items()}
    border = {name: m[1] for name, m in colored.items() if m}
    sizes = {name: rms(p.grad) for name, p in params.items()}
    heat = GradientHeat(topological_order([loss], constants=True))  # the scale spans every drawn value
    assert border["0.weight"] == colormap((np.log10(sizes["0.weight"]) - heat.low) / (heat.high - heat.low))
    first, last = min(sizes, key=sizes.get), max(sizes, key=sizes.get)
    assert first.startswith("0.") and last.startswith("12.")
    weight_edge = re.search(rf'{drawn["values"]["0.weight"]} -> g\d+ \[.*[ \[]color="(#[0-9a-f]{{6}})"', source)[1]
    assert weight_edge == border["0.weight"]
    assert re.search(r"legend \[label=<.*gradient RMS \(log scale\)", source)
    assert f"{10**heat.low:.1e}" in source and f"{10**heat.high:.1e}" in source
    assert drawn_has_no_heat(ag.draw(loss, params=params).source)


def drawn_has_no_heat(source: str) -> bool:
    return "legend" not in source and "penwidth=3" not in source


def test_gradient_heat_needs_a_backward_pass_and_a_known_colouring():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).sum()
    with pytest.raises(ValueError, match=r'draw: color="grad" .*call backward\(\) first'):
        ag.draw(y, color="grad")
    with pytest.raises(ValueError, match=r"draw: color must be one of \(None, 'grad'\), got 'heat'"):
        ag.draw(y, color="heat")
    y.backward()
    zero = (x * 0).sum()
    zero.backward()
    assert '"#bbbbbb"' in ag.draw([y, zero], color="grad").source  # x * 0 gets exactly 0 back


def test_grad_norms_per_layer_and_their_bar_chart():
    """The notes' point in numbers: through six sigmoids the first layer gets a far smaller
    gradient than the last; through six ReLUs far less so. Each norm is the layer's own
    parameters' gradients as one vector."""
    sigmoid, relu = sigmoid_stack(nn.Sigmoid), sigmoid_stack(nn.ReLU)
    norms = nn.utils.grad_norms(sigmoid)
    assert list(norms) == [str(k) for k in range(0, 13, 2)]
    layer = sigmoid[0]
    both = np.concatenate([layer.weight.grad.numpy().ravel(), layer.bias.grad.numpy().ravel()])
    assert norms["0"] == pytest.approx(np.sqrt(np.sum(both.astype(np.float64) ** 2)))
    ratio_sigmoid = norms["0"] / norms["12"]
    ratio_relu = nn.utils.grad_norms(relu)["0"] / nn.utils.grad_norms(relu)["12"]
    assert ratio_sigmoid < 1e-4 and ratio_relu > 100 * ratio_sigmoid
    ax = nn.utils.plot_grad_norms(sigmoid, label="sigmoid")
    assert [t.get_text() for t in ax.get_xticklabels()] == list(norms) and ax.get_yscale() == "log"
    assert [bar.get_height() for bar in ax.patches] == pytest.approx(list(norms.values()))
    with pytest.raises(ValueError, match=r"grad_norms: no parameter of the model has a gradient"):
        nn.utils.grad_norms(nn.Linear(2, 2))
    with pytest.raises(ArgumentError, match="grad_norms: expected an nn.Module, got dict"):
        nn.utils.grad_norms({})
