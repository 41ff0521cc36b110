"""`trace_backward`: the backward pass, one gate at a time — upstream × local = downstream.

The trace runs the real backward pass (`backpropagate`, the driver behind `.backward()`, so the
leaves' `.grad` fill up as usual) and records, as each gate fires, the gradient it received
(upstream), its local gradient and the gradient it sent to each input (downstream).

The local gradient d out / d in is shown where it is honest to show as an array the size of
the input, so that upstream × local = downstream holds element by element:

- the gate's output has one element (every Scalar gate, a sum, a loss): the local gradient is
  the gradient of that output with respect to the input, and upstream is a single number;
- the input has the output's shape and the gate's Jacobian for it is diagonal (elementwise
  gates such as mul, exp, relu on equal shapes): the local gradient is that diagonal.

Anything else (matmul, a broadcast, a reshape, softmax) has a full local Jacobian, which the
engine never builds (notes §2); the trace shows "—" there, and the downstream gradient is
still exact. The local gradient is read off the gate's own backward: one call with an upstream
of ones gives the diagonal, and one with a fixed random upstream confirms the Jacobian is
diagonal (for a diagonal Jacobian the result is that upstream times the diagonal).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from .gradients import seed_gradient
from .describe import NumberFormat, array_of, checked_params, checked_roots, raw, reject_unknown, value_names
from .errors import DomainError, GraphError
from .graph import Node, backpropagate, topological_order
from .tensor import Tensor


@dataclass(frozen=True)
class InputGradient:
    """What one gate sent to one of its inputs."""

    name: str
    shape: str  # "(2, 3)" for a Tensor of 1 or more dims, "" for a 0-d Tensor or a Scalar
    local: np.ndarray | None  # d out / d in as described in the module docstring, or None
    downstream: np.ndarray | None  # None where no gradient flows (an input that needs none)


@dataclass(frozen=True)
class Step:
    """One gate firing: `upstream` arrived from `output`, `inputs` got their downstream gradients."""

    number: int  # 1 for the first gate to fire
    op: str
    output: str
    shape: str
    upstream: np.ndarray
    inputs: tuple[InputGradient, ...]


class BackwardTrace(Sequence[Step]):
    """The steps of one backward pass in firing order; prints as a table (text or HTML)."""

    COLUMNS = ("#", "gate", "output", "upstream", "input", "local", "downstream")

    def __init__(self, steps: list[Step], fmt: NumberFormat) -> None:
        self.steps, self.fmt = steps, fmt

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i: Any) -> Any:
        return self.steps[i]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def rows(self) -> list[tuple[str, ...]]:
        """One row per (gate, input) as text; a gate's own cells only on its first row."""
        rows = []
        for step in self.steps:
            head = (str(step.number), step.op, _named(step.output, step.shape), self.fmt.line(step.upstream))
            for k, inp in enumerate(step.inputs or (InputGradient("", "", None, None),)):
                cells = (_named(inp.name, inp.shape), self.fmt.line(inp.local), self.fmt.line(inp.downstream))
                rows.append((head if k == 0 else ("",) * len(head)) + cells)
        return rows

    def __str__(self) -> str:
        table = [self.COLUMNS, *self.rows()]
        widths = [max(len(row[c]) for row in table) for c in range(len(self.COLUMNS))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(["backward pass: upstream × local = downstream", *lines])

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{escape(c)}</th>" for c in self.COLUMNS)
        body = "".join(
            "<tr>" + "".join(f'<td style="text-align:left">{escape(cell)}</td>' for cell in row) + "</tr>"
            for row in self.rows()
        )
        return (
            "<table><caption>backward pass: upstream × local = downstream</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


def _named(name: str, shape: str) -> str:
    return f"{name} {shape}" if shape else name


def trace_backward(
    root: Any,
    grad: Any = None,
    *,
    retain_graph: bool = False,
    params: Mapping[str, Any] | None = None,
    precision: int = 4,
    number_format: str = "g",
    max_elements: int = 12,
    **unknown: Any,
) -> BackwardTrace:
    """Run `root.backward(grad)` and return what every gate received and sent, in firing order.

    The gradients end as one backward pass leaves them: if a backward pass has already run
    through `root` and its leaves still hold gradients (`f.backward()` then `trace_backward(f)`),
    the trace only records, and adds nothing to them a second time. Names are those `draw` uses
    (`params`, `.label`, or t0, t1, ... in the same order), and numbers print as in `draw`
    (`precision`, `number_format`, `max_elements`).
    """
    reject_unknown("trace_backward", unknown, trace_backward)
    (root,) = checked_roots("trace_backward", root, many=False)
    params = checked_params("trace_backward", params)
    if not getattr(root, "requires_grad", False):
        raise DomainError(
            "trace_backward: the root does not require grad, so no gate would fire; expected a result "
            "computed from an input with requires_grad=True"
        )
    node = root.grad_fn
    if node is not None and node.released:
        raise GraphError(
            "trace_backward: a backward pass already ran through this result and freed its graph, so "
            "there is nothing left to trace; trace_backward runs the backward pass itself (it fills "
            ".grad as backward() does): call it instead of backward(), or pass retain_graph=True to "
            "that backward()"
        )
    order = topological_order([root])
    ran = node is not None and getattr(node, "grad_out", None) is not None
    record_only = ran and any(np.any(array_of(v.grad)) for v in order if v.grad_fn is None and v.grad is not None)
    fmt = NumberFormat(precision, number_format, max_elements)
    names = value_names(topological_order([root], constants=True), params)
    steps: list[Step] = []

    def record(out: Any, node: Node, upstream: Any, input_grads: Sequence[Any]) -> None:
        # as in backpropagate, a gradient for an input that does not require one goes nowhere
        input_grads = [g if getattr(x, "requires_grad", False) else None for x, g in zip(node.inputs, input_grads)]
        local = _local_gradients(out, node, upstream, input_grads)
        inputs = tuple(
            InputGradient(names[id(x)], _shape(x), loc, _copy(g))
            for x, loc, g in zip(node.inputs, local, input_grads)
            if id(x) in names
        )
        steps.append(Step(len(steps) + 1, node.name, names[id(out)], _shape(out), _copy(upstream), inputs))

    seed = seed_gradient(root, grad, "trace_backward")
    backpropagate((root,), (seed,), retain_graph=retain_graph, capture=() if record_only else None, hook=record)
    return BackwardTrace(steps, fmt)


def _shape(value: Any) -> str:
    data = raw(value)
    return str(data.shape) if isinstance(data, np.ndarray) and data.ndim else ""


def _copy(g: Any) -> np.ndarray | None:
    a = array_of(g)
    return None if a is None else np.array(a)


def _local_gradients(out: Any, node: Node, upstream: Any, input_grads: Sequence[Any]) -> list[np.ndarray | None]:
    """d out / d input for each input where it is an array of the input's shape (module docstring)."""
    up = array_of(upstream)
    candidates = [
        g is not None and (up.size == 1 or np.shape(array_of(x)) == up.shape) for x, g in zip(node.inputs, input_grads)
    ]
    if not any(candidates):
        return [None] * len(node.inputs)
    ones = _backprop_arrays(out, node, upstream, np.ones_like(up))
    if up.size > 1:
        probe = np.random.default_rng(0).uniform(0.5, 1.5, up.shape).astype(up.dtype)
        probed = _backprop_arrays(out, node, upstream, probe)
    local = []
    for k, ok in enumerate(candidates):
        if ok and up.size > 1:
            ok = np.allclose(probed[k], probe * ones[k], rtol=1e-4, atol=1e-6, equal_nan=True)
        local.append(ones[k] if ok else None)
    return local


def _backprop_arrays(out: Any, node: Node, upstream: Any, array: np.ndarray) -> list[np.ndarray | None]:
    """The gate's backward for another upstream gradient (of the same kind as `upstream`)."""
    seed = Tensor._wrap(array) if isinstance(upstream, Tensor) else float(array)
    return [_copy(g) for g in node._backprop(out, seed)]
