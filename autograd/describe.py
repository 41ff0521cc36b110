"""How drawings and backward traces write values: a name for every value, numbers in one format,
small arrays in full and large ones as summary statistics.

Shared by `draw` and `trace_backward`, for Scalars (a float) and Tensors (an array) alike.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import ArgumentError


def _is_value(x: Any) -> bool:
    from .scalar import Scalar
    from .tensor import Tensor

    return isinstance(x, (Tensor, Scalar))


def checked_roots(op: str, root: Any, many: bool = True) -> tuple[Any, ...]:
    """`root` (a Tensor or Scalar, or if `many` a list or tuple of them) as a tuple; anything else
    is an ArgumentError naming what it got."""
    roots = tuple(root) if many and isinstance(root, (list, tuple)) else (root,)
    for r in roots:
        if not _is_value(r):
            hint = " (wrap an array with autograd.tensor)" if isinstance(r, np.ndarray) else ""
            expected = "a Tensor or a Scalar (or a list of them)" if many else "a Tensor or a Scalar"
            raise ArgumentError(f"{op}: expected {expected}, the result of a computation, got {type(r).__name__}{hint}")
    if not roots:
        raise ArgumentError(f"{op}: expected a Tensor or a Scalar, got an empty {type(root).__name__}")
    return roots


def checked_params(op: str, params: Any) -> Mapping[str, Any] | None:
    """`params` (names for values, e.g. dict(model.named_parameters())) checked: a mapping of
    strings to Tensors or Scalars."""
    if params is None:
        return None
    if not isinstance(params, Mapping):
        raise ArgumentError(
            f"{op}: params must be a mapping of names to Tensors, e.g. dict(model.named_parameters()), "
            f"got {type(params).__name__}"
        )
    for name, value in params.items():
        if not isinstance(name, str) or not _is_value(value):
            raise ArgumentError(
                f"{op}: params must map names (str) to Tensors or Scalars; {name!r} maps to {type(value).__name__}"
            )
    return params


def reject_unknown(op: str, options: Mapping[str, Any], function: Callable[..., Any]) -> None:
    """An ArgumentError for keyword options `function` does not take, listing those it does."""
    if not options:
        return
    known = [p.name for p in inspect.signature(function).parameters.values() if p.kind == p.KEYWORD_ONLY]
    unknown = sorted(options)
    close = [m for name in unknown for m in difflib.get_close_matches(name, known, n=1)]
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise ArgumentError(f"{op}: unknown option(s) {', '.join(unknown)}{hint}; expected any of {', '.join(known)}")


@functools.cache
def _parameter_names(gate: type) -> tuple[tuple[str, ...], str | None]:
    """The positional parameters of a gate's forward after ctx, and its *args parameter if any."""
    gate = getattr(gate, "array_gate", gate)  # a Scalar node: the names of the gate it is made from
    try:
        parameters = list(inspect.signature(gate.forward).parameters.values())[1:]
    except (AttributeError, TypeError, ValueError):
        return (), None
    named = tuple(p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    if "x" in named and "y" in named:  # a formula's x and y, drawn so as never to read as the user's own x, y
        named = tuple({"x": "a", "y": "b"}.get(name, name) for name in named)
    rest = next((p.name for p in parameters if p.kind == p.VAR_POSITIONAL), None)
    return named, rest


def operand_names(node: Any) -> tuple[str, ...]:
    """What each entry of a gate's `inputs` is called: its forward's parameter names after ctx, in
    order (x, weight, bias for Linear and Conv2d; q, k, v for attention), with a formula's x and y
    called a and b (a, b for Sub, Div, MatMul, Pow; cond, a, b for Where); numbered `xs[0]`,
    `xs[1]`, … for a forward's *xs, and `input 1`, `input 2`, … where there is no signature to read."""
    named, rest = _parameter_names(type(node))
    count = len(node.inputs)
    if len(named) >= count:
        return named[:count]
    more = (f"{rest}[{k}]" if rest else f"input {len(named) + k + 1}" for k in range(count - len(named)))
    return (*named, *more)


def raw(x: Any) -> Any:
    """The numbers of a value or a gradient: a Tensor's ndarray, a Scalar's float, a float itself."""
    numpy = getattr(x, "numpy", None)
    return numpy() if numpy is not None else getattr(x, "data", x)


def array_of(x: Any) -> np.ndarray | None:
    """The numbers of a value or a gradient (a Tensor, a Scalar, a float) as an array."""
    return None if x is None else np.asarray(raw(x))


def value_grad(value: Any) -> Any:
    """The gradient to show for a value, None before any backward pass.

    A value that keeps its gradient (a leaf, a Tensor after `retain_grad()`, every Scalar) shows
    its `.grad`; any other computed value shows the upstream gradient its gate received in the
    last backward pass (`grad_fn.grad_out`), so every value of a drawn graph has its gradient.
    """
    node = value.grad_fn
    if node is None or value._retains_grad:
        return value.grad
    return getattr(node, "grad_out", None)


def value_names(values: Iterable[Any], params: Mapping[str, Any] | None = None) -> dict[int, str]:
    """A name for each value, keyed by `id`: its name in `params` (e.g. a model's
    `named_parameters()`), else its `.label` (Scalars), else a generated one in the order given:
    t0, t1, ... for Tensors, s0, s1, ... for Scalars."""
    given = {id(v): name for name, v in (params or {}).items()}
    names: dict[int, str] = {}
    count = 0
    for value in values:
        name = given.get(id(value)) or getattr(value, "label", "")
        if not name:
            name = f"{type(value).__name__[:1].lower()}{count}"
            count += 1
        names[id(value)] = name
    return names


SPARKS = "▁▂▃▄▅▆▇█"
SPARK_BINS = 8


def sparkline(a: np.ndarray) -> list[str]:
    """The histogram of the finite values of `a` in 8 equal bins from min to max, one block per bin,
    its height ⌈8 · count / largest count⌉ eighths (a no-break space for an empty bin); none when
    the values are all equal or none is finite."""
    finite = a[np.isfinite(a)]
    if finite.size == 0 or finite.min() == finite.max():
        return []
    counts, _ = np.histogram(finite, bins=SPARK_BINS)
    levels = np.ceil(SPARK_BINS * counts / counts.max()).astype(int)
    return ["".join(SPARKS[k - 1] if k else "\u00a0" for k in levels)]


@dataclass(frozen=True)
class NumberFormat:
    """`precision` significant digits in `spec` style (a format-spec type: "g", "f", "e");
    arrays with more than `max_elements` elements are summarised."""

    precision: int = 4
    spec: str = "g"
    max_elements: int = 12

    def number(self, x: Any) -> str:
        if isinstance(x, (bool, np.bool_, int, np.integer)):
            return str(x)
        return format(float(x), f".{self.precision}{self.spec}")

    @staticmethod
    def shape(data: Any) -> str:
        """ "(2, 3) float32" for a Tensor's array, "" for a Scalar's float."""
        return f"{data.shape} {data.dtype}" if isinstance(data, np.ndarray) else ""

    def lines(self, a: np.ndarray) -> list[str]:
        """The numbers of `a`: in full when small (one line per row), else mean, std, min, max and
        the histogram of its finite values as a sparkline."""
        if a.ndim == 0:
            return [self.number(a.item())]
        if a.size <= self.max_elements:
            return np.array2string(a, separator=", ", formatter={"float_kind": self.number}).splitlines()
        with np.errstate(all="ignore"):  # inf and nan show as they are
            a = a.astype(np.float64)
            stats = a.mean(), a.std(), a.min(), a.max()
        mean, std, low, high = (self.number(s) for s in stats)
        return [f"mean {mean}, std {std},", f"min {low}, max {high}", *sparkline(a)]

    def line(self, a: np.ndarray | None) -> str:
        """`lines` joined into one line (a table cell); "—" for no value."""
        if a is None:
            return "—"
        return " ".join(s.strip() for s in self.lines(a))
