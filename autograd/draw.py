"""`draw`: a computational graph as a graphviz drawing, like the circuit diagrams of the notes.

Each value is a box: its name, its shape and dtype (Tensors), its forward value in green and,
after a backward pass, its gradient in red. Each gate is an ellipse with the operation's name,
between the values it reads and the value it makes. The result is a `graphviz.Digraph`: it
shows itself as SVG in Jupyter, `.render()` / `.pipe()` save svg, png or pdf, and `.source` is
the DOT text, which needs no Graphviz installation. Built without recursion, from the graph
core alone (`grad_fn`, `inputs`, `name`, `scope`, `grad_out`), so Scalars and Tensors share it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from html import escape
from typing import Any

import graphviz
import numpy as np

from .describe import (
    NumberFormat,
    array_of,
    checked_params,
    checked_roots,
    operand_names,
    raw,
    reject_unknown,
    value_grad,
    value_names,
)
from .errors import DomainError, GraphvizNotFound
from .function import Function
from .graph import Node, topological_order
from .heat import GradientHeat

GREEN, RED, GREY = "#1e7b34", "#c0392b", "#6b6b6b"
RANKDIRS = ("LR", "TB", "RL", "BT")
COLORS = (None, "grad")
FLOAT_FORMATS = ("g", "G", "e", "E", "f", "F", "%")  # the format-spec types that take a precision
INSTALL_HINT = (
    "rendering a drawing needs Graphviz's `dot` program, which is not on PATH. Building the graph "
    "and its DOT text (.source) work without it. Install Graphviz with your package manager: "
    "apt-get install graphviz (Debian/Ubuntu), brew install graphviz (macOS), "
    "conda install graphviz (conda), or from https://graphviz.org/download/"
)


@contextmanager
def _dot_required() -> Iterator[None]:
    try:
        yield
    except graphviz.ExecutableNotFound as e:
        raise GraphvizNotFound(INSTALL_HINT) from e


class Drawing(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering says how to install Graphviz when `dot` is missing."""

    node_count = 0  # set by `draw`

    def __repr__(self) -> str:
        return (
            f"<Drawing of {self.node_count:,} nodes: .source is the DOT text, .render() / .pipe() make svg, png, pdf>"
        )

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super().pipe(*args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        with _dot_required():
            return super().render(*args, **kwargs)


def draw(
    root: Any,
    *,
    rankdir: str = "LR",
    show_values: bool = True,
    show_grads: bool = True,
    precision: int = 4,
    number_format: str = "g",
    max_elements: int = 12,
    params: Mapping[str, Any] | None = None,
    cluster_modules: bool = True,
    hide_constants: bool = False,
    max_nodes: int | None = None,
    number_gates: bool = False,
    show_attrs: bool = False,
    show_saved: bool = False,
    max_attr_chars: int = 50,
    color: str | None = None,
    **unknown: Any,
) -> Drawing:
    """Draw the graph that computed `root` (a Scalar or Tensor, or a list of them).

    - `rankdir`: "LR" (left to right) or "TB" (top to bottom), also "RL", "BT".
    - `show_values`, `show_grads`: the forward values (green) and gradients (red). A value that
      keeps its gradient (a leaf, a retained Tensor, any Scalar) shows its `.grad`; another
      computed value the upstream gradient its gate received in the last backward pass.
    - `precision`, `number_format`: numbers as `format(x, f".{precision}{number_format}")`;
      tensors of more than `max_elements` elements show mean, std, min and max instead.
    - `params`: names for values, e.g. `dict(model.named_parameters())`; other values show their
      `.label` (Scalars) or a generated name (t0, t1, ... in topological order).
    - `cluster_modules`: gates recorded inside `name_scope(label)` blocks (every `nn.Module`
      call) are boxed in a cluster with that label; nested scopes nest.
    - `hide_constants`: leave out leaves that do not require grad.
    - `max_nodes`: draw at most this many nodes: those nearest the root, and one summary node
      standing for all the others.
    - `number_gates`: number the gates in the order the backward pass fires them.
    - `show_attrs`, `show_saved` (torchviz's): under each gate's name, the settings it recorded
      (`dim=1`, `keepdim=False`, each cut to `max_attr_chars`) and the arrays it keeps for its
      backward (their shapes and dtypes).
    - `color="grad"`: every value's border and the edges it sends and receives coloured by the size
      of its gradient (RMS, log scale, viridis: dark for the smallest, yellow for the largest; grey
      for exactly 0), with the colour bar in a legend node; after a backward pass.

    A gate with several inputs labels each edge into it with the operand's name, in the order of
    its arguments: a and b (`a / b`, `a @ b`, `a ** b`), cond, a, b (`where`), x, weight and bias
    (linear, conv2d): the names of its forward (`describe.operand_names`), drawn top to bottom
    (left to right with "TB").
    """
    reject_unknown("draw", unknown, draw)
    roots = checked_roots("draw", root)
    params = checked_params("draw", params)
    if rankdir not in RANKDIRS:
        raise DomainError(f"draw: rankdir must be one of {RANKDIRS}, got {rankdir!r}")
    if max_nodes is not None and max_nodes < 3:
        raise DomainError(f"draw: max_nodes must be at least 3 (root, its gate, the summary node), got {max_nodes}")
    for option, value in (("precision", precision), ("max_elements", max_elements), ("max_attr_chars", max_attr_chars)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DomainError(f"draw: {option} must be a non-negative integer, got {value!r}")
    if color not in COLORS:
        raise DomainError(f"draw: color must be one of {COLORS}, got {color!r}")
    if number_format not in FLOAT_FORMATS:
        raise DomainError(
            f"draw: number_format must be one of {FLOAT_FORMATS} (a float format code), got {number_format!r}"
        )
    order = topological_order(roots, constants=True)
    names = value_names(order, params)
    if hide_constants:
        root_ids = {id(r) for r in roots}
        order = [v for v in order if id(v) in root_ids or not _is_constant(v)]
    fmt = NumberFormat(precision, number_format, max_elements)
    details = _GateDetails(show_attrs, show_saved, max_attr_chars)
    heat = GradientHeat(order) if color == "grad" else None
    builder = _Builder(order, names, fmt, show_values, show_grads, cluster_modules, roots, details, heat)
    builder.graph.attr(rankdir=rankdir)
    keep = _nearest(roots, order, builder.index, max_nodes)
    firing = _firing_numbers(roots) if number_gates else {}
    for i, value in enumerate(order):
        if keep is None or keep[i]:
            builder.add(i, firing.get(id(value)), keep)
    return builder.finish(keep)


def _is_constant(value: Any) -> bool:
    return value.grad_fn is None and not getattr(value, "requires_grad", False)


def _cost(value: Any) -> int:
    """Nodes a value takes in the drawing: its box, and its gate's ellipse if computed."""
    return 1 if value.grad_fn is None else 2


def _drawn_inputs(value: Any, index: dict[int, int]) -> list[int]:
    """Positions of the drawn inputs of a computed value's gate (constants may be hidden)."""
    return [j for j, _ in _drawn_operands(value, index)]


def _drawn_operands(value: Any, index: dict[int, int]) -> list[tuple[int, str]]:
    """(position, operand name) of each drawn input of a computed value's gate, in argument order."""
    node = value.grad_fn
    return [(index[id(x)], name) for x, name in zip(node.inputs, operand_names(node)) if id(x) in index]


def _nearest(roots: Sequence[Any], order: list[Any], index: dict[int, int], max_nodes: int | None) -> list[bool] | None:
    """Which values to draw under `max_nodes` (breadth-first from the roots); None for all."""
    if max_nodes is None or sum(_cost(v) for v in order) <= max_nodes:
        return None
    budget = max_nodes - 1  # the summary node
    keep = [False] * len(order)
    queue = deque(index[id(r)] for r in roots)
    while queue:
        i = queue.popleft()
        if keep[i]:
            continue
        if _cost(order[i]) > budget:
            break
        keep[i] = True
        budget -= _cost(order[i])
        if order[i].grad_fn is not None:
            queue.extend(_drawn_inputs(order[i], index))
    return keep


def _firing_numbers(roots: Sequence[Any]) -> dict[int, int]:
    """1, 2, ... for the values whose gates fire, in the order `backpropagate` fires them."""
    fired = (v for v in reversed(topological_order(roots)) if v.grad_fn is not None)
    return {id(v): k for k, v in enumerate(fired, 1)}


class _Builder:
    """Node statements, sorted into name-scope clusters, then edges."""

    def __init__(
        self,
        order: list[Any],
        names: dict[int, str],
        fmt: NumberFormat,
        show_values: bool,
        show_grads: bool,
        cluster_modules: bool,
        roots: Sequence[Any],
        details: _GateDetails,
        heat: GradientHeat | None,
    ) -> None:
        self.order, self.names, self.fmt = order, names, fmt
        self.show_values, self.show_grads, self.cluster_modules = show_values, show_grads, cluster_modules
        self.root_ids = {id(r) for r in roots}
        self.index = {id(v): i for i, v in enumerate(order)}
        self.graph = Drawing(
            name="circuit", graph_attr={"fontname": "Helvetica"}, node_attr={"fontname": "Helvetica", "fontsize": "11"}
        )
        self.clusters: dict[tuple[str, ...], Drawing] = {(): self.graph}
        self.edges: list[tuple[str, str, dict[str, str]]] = []
        self.folded_into: list[str] = []  # gates with inputs folded into the summary node
        self.node_count = 0
        self.details, self.heat = details, heat

    def add(self, i: int, firing: int | None, keep: list[bool] | None) -> None:
        value = self.order[i]
        node = value.grad_fn
        scope = tuple(getattr(node, "scope", ())) if self.cluster_modules and node is not None else ()
        graph = self._cluster(scope)
        self.node_count += _cost(value)
        style = _value_style(value, id(value) in self.root_ids)
        heat = self._heat(value)
        if heat:
            style.update(color=heat["color"], penwidth="3")
        graph.node(f"v{i}", self._value_label(value), **style)
        if node is None:
            return
        operands = _drawn_operands(value, self.index)
        gate_style = {"shape": "ellipse", "style": "filled", "fillcolor": "#eeeeee"}
        if len(operands) > 1:
            gate_style["ordering"] = "in"  # Graphviz keeps the order of the edges below: argument order
        graph.node(f"g{i}", _gate_label(node.name, firing, self.details.rows(node)), **gate_style)
        self.edges.append((f"g{i}", f"v{i}", heat))
        for j, name in operands:
            if keep is None or keep[j]:
                label = {"label": escape(name), "fontsize": "9", "fontcolor": GREY} if len(operands) > 1 else {}
                self.edges.append((f"v{j}", f"g{i}", {**label, **self._heat(self.order[j])}))
        if keep is not None and not all(keep[j] for j, _ in operands):
            self.folded_into.append(f"g{i}")

    def _heat(self, value: Any) -> dict[str, str]:
        """The colour of the gradient a value holds (and that its edges carry), if drawn by heat."""
        color = self.heat.color(value) if self.heat is not None else None
        return {"color": color, "penwidth": "2"} if color else {}

    def _cluster(self, scope: tuple[str, ...]) -> Drawing:
        """The (nested) cluster for a name scope, created on first use."""
        for depth in range(1, len(scope) + 1):
            key = scope[:depth]
            if key not in self.clusters:
                self.clusters[key] = Drawing(
                    name=f"cluster_{len(self.clusters)}",
                    graph_attr={
                        "label": f"<{escape(key[-1])}>",
                        "fontname": "Helvetica",
                        "labeljust": "l",
                        "style": "rounded,dashed",
                        "color": GREY,
                        "fontcolor": GREY,
                    },
                )
        return self.clusters[scope]

    def _value_label(self, value: Any) -> str:
        rows = [_row(f"<B>{escape(self.names[id(value)])}</B>")]
        shape = self.fmt.shape(raw(value))
        if shape:
            rows.append(_row(f'<FONT POINT-SIZE="9">{escape(shape)}</FONT>', GREY))
        if self.show_values:
            rows += _rows("data", self.fmt.lines(array_of(value)), GREEN)
        grad = value_grad(value)
        if self.show_grads and grad is not None:
            rows += _rows("grad", self.fmt.lines(array_of(grad)), RED)
        return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">{"".join(rows)}</TABLE>>'

    def finish(self, keep: list[bool] | None) -> Drawing:
        for key in sorted(self.clusters, key=len, reverse=True):  # children complete before parents
            if key:
                self.clusters[key[:-1]].subgraph(self.clusters[key])
        graph = self.graph
        if keep is not None:
            hidden = [v for v, k in zip(self.order, keep) if not k]
            gates = sum(v.grad_fn is not None for v in hidden)
            count = len(hidden) + gates
            label = (
                f"<<B>… {count:,} more nodes</B><BR/>"
                f'<FONT POINT-SIZE="9">{len(hidden):,} values and {gates:,} gates not drawn (max_nodes)</FONT>>'
            )
            graph.node("folded", label, shape="box", style="dashed,filled", fillcolor="#fff8dc")
            for gate in self.folded_into:
                graph.edge("folded", gate, style="dashed")
        for tail, head, attrs in self.edges:
            graph.edge(tail, head, **attrs)
        if self.heat is not None:
            graph.node("legend", self.heat.legend(), shape="box", style="rounded", color=GREY)
        graph.node_count = self.node_count + (keep is not None)
        return graph


def _row(html: str, color: str | None = None, face: str | None = None) -> str:
    attrs = "".join(f' {key}="{val}"' for key, val in (("COLOR", color), ("FACE", face)) if val)
    if attrs:
        html = f"<FONT{attrs}>{html}</FONT>"
    return f'<TR><TD ALIGN="LEFT">{html}</TD></TR>'


def _rows(title: str, lines: list[str], color: str) -> list[str]:
    """`title` before the first line of numbers; the following lines (array rows) align under it."""
    indent = "&#160;" * (len(title) + 1)  # non-breaking: SVG viewers collapse plain spaces
    rows = []
    for k, line in enumerate(lines):
        body = line.lstrip(" ")
        lead = indent + "&#160;" * (len(line) - len(body))
        rows.append(_row((f"{title} " if k == 0 else lead) + escape(body), color, "monospace"))
    return rows


def _gate_label(name: str, firing: int | None, details: list[str]) -> str:
    lines = [escape(name)]
    if firing is not None:
        lines.append(f'<FONT POINT-SIZE="9" COLOR="{RED}">backward #{firing}</FONT>')
    lines += (f'<FONT POINT-SIZE="9" COLOR="{GREY}">{escape(line)}</FONT>' for line in details)
    return f"<{'<BR/>'.join(lines)}>"


_BASE_SLOTS = {slot for cls in (Function, Node) for slot in cls.__slots__}


class _GateDetails:
    """The lines under a gate's name: its recorded settings (its own slots holding numbers,
    strings, tuples) and what it keeps for backward (arrays in its slots and `saved`)."""

    def __init__(self, attrs: bool, saved: bool, max_chars: int) -> None:
        self.attrs, self.saved, self.max_chars = attrs, saved, max_chars

    def rows(self, node: Any) -> list[str]:
        if not (self.attrs or self.saved):
            return []
        own = [
            (slot, getattr(node, slot, None))
            for cls in type(node).__mro__
            for slot in getattr(cls, "__slots__", ())
            if slot not in _BASE_SLOTS
        ]
        kept = [(f"saved {name}", v) for name, v in own if _is_array(v)]
        kept += [(f"saved_tensors[{k}]", v) for k, v in enumerate(getattr(node, "saved", ()) or ()) if _is_array(v)]
        rows = []
        if self.attrs:
            rows += [self._cut(f"{name}={v!r}") for name, v in own if v is not None and not _is_array(v)]
        if self.saved:
            rows += [f"{name}: {NumberFormat.shape(getattr(v, '_data', v))}" for name, v in kept]
        return rows

    def _cut(self, text: str) -> str:
        return text if len(text) <= self.max_chars else text[: max(self.max_chars - 1, 0)] + "…"


def _is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray) or hasattr(value, "_data")


def make_dot(
    var: Any,
    params: Mapping[str, Any] | None = None,
    show_attrs: bool = False,
    show_saved: bool = False,
    max_attr_chars: int = 50,
) -> Drawing:
    """torchviz's `make_dot`, so code written for torchviz runs: the graph's structure (no values or
    gradients), parameters named by `params`, each gate's settings and saved arrays on request."""
    return draw(
        var,
        params=params,
        show_values=False,
        show_grads=False,
        show_attrs=show_attrs,
        show_saved=show_saved,
        max_attr_chars=max_attr_chars,
    )


draw.make_dot = make_dot  # type: ignore[attr-defined]  # `autograd.draw` is this function: autograd.draw.make_dot


def _value_style(value: Any, is_root: bool) -> dict[str, str]:
    style = {"shape": "box", "style": "rounded"}
    if _is_constant(value):
        style.update(style="rounded,dashed", color=GREY)
    elif value.grad_fn is None:  # a leaf that requires grad: an input or a parameter
        style.update(style="rounded,filled", fillcolor="#e8f1fb")
    if is_root:
        style["penwidth"] = "2"
    return style
