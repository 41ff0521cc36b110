"""How drawings and backward traces write values: a name for every value, numbers in one format,
small arrays in full and large ones as summary statistics.

Shared by `draw` and `trace_backward`, for Scalars (a float) and Tensors (an array) alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


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
        """The numbers of `a`: in full when small (one line per row), else mean, std, min, max."""
        if a.ndim == 0:
            return [self.number(a.item())]
        if a.size <= self.max_elements:
            return np.array2string(a, separator=", ", formatter={"float_kind": self.number}).splitlines()
        with np.errstate(all="ignore"):  # inf and nan show as they are
            a = a.astype(np.float64)
            stats = a.mean(), a.std(), a.min(), a.max()
        mean, std, low, high = (self.number(s) for s in stats)
        return [f"mean {mean}, std {std},", f"min {low}, max {high}"]

    def line(self, a: np.ndarray | None) -> str:
        """`lines` joined into one line (a table cell); "—" for no value."""
        if a is None:
            return "—"
        return " ".join(s.strip() for s in self.lines(a))
