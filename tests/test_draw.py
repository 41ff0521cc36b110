"""`draw`: the DOT source of known graphs (labels, values, gradients by hand), clusters, folding,
gate numbering, real rendering with `dot`, the error without it, and a 100,000-node build."""

from __future__ import annotations

import html
import re
import time

import numpy as np
import pytest

import autograd as ag
import nn
from autograd.graph import name_scope


def parse(source: str) -> dict:
    """The drawing as data: value nodes by name, gate ops by id, edges, and each node's clusters."""
    values, gates, edges, clusters, labels = {}, {}, set(), {}, {}
    stack: list[str] = []
    for line in source.splitlines():
        text = line.strip()
        if text.startswith("subgraph cluster_"):
            stack.append("")
        elif text == "}" and stack:
            stack.pop()
        elif stack and text.startswith("graph ["):
            stack[-1] = re.search(r"label=<(.*?)>", text)[1]
        elif m := re.match(r"(\w+) -> (\w+)", text):
            edges.add((m[1], m[2]))
        elif m := re.match(r"(\w+) \[label=<(.*)> ", text):
            node_id, label = m[1], m[2]
            labels[node_id] = line
            clusters[node_id] = tuple(stack)
            name = re.search(r"<B>(.*?)</B>", label)
            if node_id in ("folded", "legend"):  # the summary of max_nodes, the colour bar of color="grad"
                continue
            if label.startswith("<TABLE"):
                values[name[1]] = node_id
            else:
                gates[node_id] = re.match(r"[^<]*", label)[0]
    return {"values": values, "gates": gates, "edges": edges, "clusters": clusters, "lines": labels}


def circuit():
    """The notes' f = (x + y) z at x = -2, y = 5, z = -4: q = 3, f = -12."""
    x, y, z = (ag.tensor(v, requires_grad=True) for v in (-2.0, 5.0, -4.0))
    q = x + y
    f = q * z
    return f, {"x": x, "y": y, "z": z, "q": q, "f": f}


def scalar_circuit():
    """The same circuit of Scalars, named by their labels."""
    x, y, z = ag.Scalar(-2.0, "x"), ag.Scalar(5.0, "y"), ag.Scalar(-4.0, "z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    return f, None


@pytest.mark.parametrize("make", [circuit, scalar_circuit], ids=["Tensor", "Scalar"])
def test_circuit_structure_values_and_gradients(make):
    f, named = make()
    f.backward()
    g = parse(ag.draw(f, params=named).source)
    v = g["values"]
    assert set(v) == {"x", "y", "z", "q", "f"}
    assert sorted(g["gates"].values()) == ["Add", "Mul"]
    add = next(i for i, op in g["gates"].items() if op == "Add")
    mul = next(i for i, op in g["gates"].items() if op == "Mul")
    assert g["edges"] == {(v["x"], add), (v["y"], add), (add, v["q"]), (v["q"], mul), (v["z"], mul), (mul, v["f"])}
    # forward values (green) and gradients (red), derived by hand
    expected = {"x": (-2, -4), "y": (5, -4), "z": (-4, 3), "q": (3, -4), "f": (-12, 1)}
    for name, (data, grad) in expected.items():
        line = g["lines"][v[name]]
        assert f'<FONT COLOR="#1e7b34" FACE="monospace">data {data}</FONT>' in line
        assert f'<FONT COLOR="#c0392b" FACE="monospace">grad {grad}</FONT>' in line
        assert ("() float32" in line) == (named is not None)  # a Tensor's shape and dtype; a Scalar is a float


def test_scalars_show_their_zero_gradients_before_backward_and_generated_names():
    f, _ = scalar_circuit()
    f.grad_fn.inputs[0].label = ""  # q unnamed
    g = parse(ag.draw(f).source)
    assert set(g["values"]) == {"x", "y", "z", "f", "s0"}
    assert all("grad 0<" in line for line in g["lines"].values() if "<TABLE" in line)  # as micrograd


def test_gradients_appear_only_after_backward_and_options_hide_them():
    f, named = circuit()
    assert "grad " not in ag.draw(f, params=named).source
    f.backward()
    assert "grad " not in ag.draw(f, params=named, show_grads=False).source
    source = ag.draw(f, params=named, show_values=False).source
    assert "data " not in source and "grad -4" in source


def test_retained_gradients_accumulate_others_show_the_last_pass():
    x = ag.tensor(1.0, requires_grad=True)
    y = x * 3.0  # 3, retained
    z = y * 1.0  # 3, not retained
    f = z * z  # 9: df/dz = 2z = 6, df/dy = 6, df/dx = 18
    y.retain_grad()
    f.backward(retain_graph=True)
    f.backward()
    g = parse(ag.draw(f, params={"x": x, "y": y, "z": z}).source)
    grads = {name: re.search(r"grad (-?[\d.]+)<", g["lines"][g["values"][name]])[1] for name in "xyz"}
    assert grads == {"x": "36", "y": "12", "z": "6"}  # .grad summed over both passes; z: the last pass


def test_unnamed_values_get_generated_names_and_roots_are_bold():
    f, _ = circuit()
    drawing = ag.draw(f)
    assert repr(drawing).startswith("<Drawing of 7 nodes:")  # 5 values, 2 gates
    g = parse(drawing.source)
    assert set(g["values"]) == {"t0", "t1", "t2", "t3", "t4"}
    roots = [name for name, i in g["values"].items() if "penwidth=2" in g["lines"][i]]
    assert len(roots) == 1 and "data -12" in g["lines"][g["values"][roots[0]]]


def test_names_are_escaped_and_the_drawing_renders(tmp_path):
    w = ag.tensor(1.5, requires_grad=True)
    out = w * 2.0
    source = ag.draw(out, params={"<w & b>": w}).source
    assert "<B>&lt;w &amp; b&gt;</B>" in source
    svg = ag.draw(out, params={"<w & b>": w}).pipe(format="svg", encoding="utf-8")
    assert "&lt;w &amp; b&gt;" in svg


def test_small_tensors_in_full_large_ones_summarised():
    W = ag.tensor([[0.1, 0.5], [-0.3, 0.8]], requires_grad=True)
    big = ag.arange(25, dtype=np.float64).reshape(5, 5).requires_grad_()
    loss = (W * W).sum() + (big * big).sum()
    loss.backward()
    g = parse(ag.draw(loss, params={"W": W, "big": big}).source)
    w_line = g["lines"][g["values"]["W"]]
    assert "(2, 2) float32" in w_line
    assert "data [[0.1, 0.5],</FONT>" in w_line and "[-0.3, 0.8]]</FONT>" in w_line
    assert "grad [[0.2, 1]," in w_line and "[-0.6, 1.6]]</FONT>" in w_line  # 2W
    big_line = g["lines"][g["values"]["big"]]
    assert "(5, 5) float64" in big_line
    # data 0..24: mean 12, population std sqrt((25² - 1) / 12) = sqrt(52) = 7.2111; grad = 2 x
    assert "data mean 12, std 7.211,</FONT>" in big_line and "min 0, max 24</FONT>" in big_line
    assert "grad mean 24, std 14.42,</FONT>" in big_line and "min 0, max 48</FONT>" in big_line
    assert "0, 1, 2" not in big_line
    # and their histogram, 8 bins of 0..24 (3 values each, 4 in the last): ⌈8 · 3/4⌉ = 6 eighths, then 8
    assert big_line.count("▆▆▆▆▆▆▆█</FONT>") == 2  # data and grad alike
    spread = ag.tensor(np.concatenate([np.zeros(30), [7.0]]), requires_grad=True)
    assert "█" + "\u00a0" * 6 + "▁</FONT>" in ag.draw(spread).source  # 30 at 0, empty bins, 1 at 7
    assert "▁" not in ag.draw(ag.ones(30, requires_grad=True)).source  # all equal: no histogram


def test_number_format_and_precision():
    x = ag.tensor(1.0, dtype=np.float64, requires_grad=True)
    y = x / 3.0
    source = ag.draw(y, params={"y": y}).source
    assert "data 0.3333<" in source
    source = ag.draw(y, params={"y": y}, precision=2, number_format="f").source
    assert "data 0.33<" in source and "data 1.00<" in source
    assert "data 3.333e-01<" in ag.draw(y, params={"y": y}, number_format="e", precision=3).source


def test_rankdir_and_bad_options():
    f, _ = circuit()
    assert "rankdir=TB" in ag.draw(f, rankdir="TB").source
    assert "rankdir=LR" in ag.draw(f).source
    with pytest.raises(ValueError, match="rankdir"):
        ag.draw(f, rankdir="sideways")
    with pytest.raises(ValueError, match="max_nodes"):
        ag.draw(f, max_nodes=2)
    for bad in (-1, 2.5, "4", True):
        with pytest.raises(ValueError, match=rf"draw: precision must be a non-negative integer, got {bad!r}"):
            ag.draw(f, precision=bad)
    with pytest.raises(ValueError, match="draw: max_elements must be a non-negative integer, got -3"):
        ag.draw(f, max_elements=-3)
    for bad in ("q", "d", ".3f", ""):
        with pytest.raises(ValueError, match=rf"draw: number_format must be one of .*got {bad!r}"):
            ag.draw(f, number_format=bad)


def test_constant_leaves_dashed_or_hidden():
    x = ag.tensor(3.0, requires_grad=True)
    y = x * 2.0  # 2.0 becomes a constant leaf tensor
    g = parse(ag.draw(y, params={"x": x, "y": y}).source)
    assert len(g["values"]) == 3
    (const,) = set(g["values"]) - {"x", "y"}
    assert "dashed" in g["lines"][g["values"][const]] and "data 2<" in g["lines"][g["values"][const]]
    g = parse(ag.draw(y, params={"x": x, "y": y}, hide_constants=True).source)
    assert set(g["values"]) == {"x", "y"}
    assert len(g["edges"]) == 2  # x -> Mul -> y


def chain(n: int):
    x = ag.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(n):
        y = y.tanh()
    return x, y


def test_max_nodes_folds_the_rest_into_one_summary_node():
    x, y = chain(50)  # 51 values + 50 gates = 101 nodes
    assert "folded" not in ag.draw(y, max_nodes=101).source
    g = parse(ag.draw(y, params={"x": x, "y": y}, max_nodes=9).source)
    # 8 nodes nearest the root: 4 values, each with its gate; then the summary node
    assert len(g["values"]) == 4 and len(g["gates"]) == 4 and "y" in g["values"] and "x" not in g["values"]
    assert repr(ag.draw(y, max_nodes=9)).startswith("<Drawing of 9 nodes")
    summary = g["lines"]["folded"]
    assert "… 93 more nodes" in summary and "47 values and 46 gates" in summary
    # the summary feeds the earliest drawn gate, whose input was folded
    ((tail, head),) = [e for e in g["edges"] if e[0] == "folded"]
    assert head in g["gates"] and not any(e[1] == head and e[0] != "folded" for e in g["edges"])
    big = chain(5000)[1]
    assert "… 9,993 more nodes" in ag.draw(big, max_nodes=9).source


def two_layers():
    rng = np.random.default_rng(0)
    x = ag.tensor(rng.standard_normal((4, 3)))
    params = {
        "fc1.weight": ag.tensor(rng.standard_normal((3, 5)), requires_grad=True),
        "fc1.bias": ag.tensor(np.zeros(5), requires_grad=True),
        "fc2.weight": ag.tensor(rng.standard_normal((5, 2)), requires_grad=True),
    }
    with name_scope("model: MLP"):
        with name_scope("fc1: Linear"):
            h = x @ params["fc1.weight"] + params["fc1.bias"]
        h = h.relu()
        with name_scope("fc2: Linear"):
            out = h @ params["fc2.weight"]
    return out.sum(), params


def test_clusters_follow_name_scopes():
    loss, params = two_layers()
    g = parse(ag.draw(loss, params=params).source)
    where = {g["gates"][i]: g["clusters"][i] for i in g["gates"]}
    assert where["Add"] == ("model: MLP", "fc1: Linear")
    assert where["Relu"] == ("model: MLP",)
    assert where["Sum"] == ()
    matmuls = sorted(g["clusters"][i] for i, op in g["gates"].items() if op == "MatMul")
    assert matmuls == [("model: MLP", "fc1: Linear"), ("model: MLP", "fc2: Linear")]
    assert g["clusters"][g["values"]["fc1.weight"]] == ()  # leaves are drawn outside
    flat = parse(ag.draw(loss, params=params, cluster_modules=False).source)
    assert "subgraph" not in ag.draw(loss, params=params, cluster_modules=False).source
    assert flat["edges"] == g["edges"]


def test_an_nn_model_draws_with_parameter_names_and_one_cluster_per_module_call():
    ag.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    loss = model(ag.randn(5, 3)).sum()
    loss.backward()
    g = parse(ag.draw(loss, params=dict(model.named_parameters())).source)
    assert {"0.weight", "0.bias", "2.weight", "2.bias"} <= set(g["values"])
    assert "(4, 3) float32" in g["lines"][g["values"]["0.weight"]]
    where = sorted((g["clusters"][i], op) for i, op in g["gates"].items())
    assert where == [
        ((), "Sum"),
        (("Sequential", "0: Linear"), "Linear"),  # nn's linear is one fused gate (gates/linalg.py)
        (("Sequential", "1: ReLU"), "Relu"),
        (("Sequential", "2: Linear"), "Linear"),
    ]


@pytest.mark.parametrize("leaf", [lambda v: ag.tensor(v, dtype=np.float64, requires_grad=True), ag.Scalar])
def test_gates_numbered_in_firing_order_as_the_trace_fires_them(leaf):
    x, y, z = (leaf(v) for v in (3.0, -4.0, 2.0))
    f = (x * y + z.exp()) * (x + y).sigmoid() - x / z
    drawing = ag.draw(f, number_gates=True).source
    numbered = {int(m[2]): m[1] for m in re.finditer(r"label=<(\w+)<BR/>.*?backward #(\d+)<", drawing)}
    steps = ag.trace_backward(f)
    assert len(numbered) == len(steps) == 8
    assert [numbered[k] for k in range(1, 9)] == [s.op for s in steps]
    assert "backward #" not in ag.draw(f).source


def test_renders_svg_png_pdf_with_dot(tmp_path):
    f, named = circuit()
    f.backward()
    drawing = ag.draw(f, params=named)
    svg = html.unescape(drawing.pipe(format="svg", encoding="utf-8"))  # dot writes "-" as &#45;
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in (">Add<", ">Mul<", ">x<", '"#1e7b34">data -12<', '"#c0392b">grad -4<', '"#c0392b">grad 3<'):
        assert text in svg
    assert ">Mul<" in drawing._repr_mimebundle_()["image/svg+xml"]  # Jupyter's inline SVG
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        path = drawing.render(tmp_path / "circuit", format=fmt)
        assert path.endswith(f"circuit.{fmt}")
        with open(path, "rb") as fh:
            assert fh.read(5).startswith(magic)


def test_without_dot_the_source_builds_and_rendering_says_how_to_install(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    f, named = circuit()
    drawing = ag.draw(f, params=named)
    assert "<B>x</B>" in drawing.source
    for render in (
        lambda: drawing.pipe(format="svg"),
        lambda: drawing.render(tmp_path / "out", format="png"),
        drawing._repr_mimebundle_,
    ):
        with pytest.raises(ag.GraphvizNotFound) as info:
            render()
        message = str(info.value)
        for hint in ("apt-get install graphviz", "brew install graphviz", "conda install graphviz", ".source"):
            assert hint in message


def test_a_100000_node_graph_builds_in_seconds():
    x, y = chain(50_000)  # 50,001 values + 50,000 gates
    start = time.perf_counter()
    source = ag.draw(y, params={"x": x, "y": y}).source
    elapsed = time.perf_counter() - start
    print(f"draw + source of 100,001 nodes: {elapsed:.2f} s")
    assert elapsed < 20
    assert source.count(" [label=<") == 100_001
    assert "<B>x</B>" in source and "<B>y</B>" in source
