"""`detect_anomaly()`: find the gate where a NaN or an infinity first appears.

Inside the block every gate checks its forward output, and every gate's backward checks the
gradients it returns; the first non-finite value raises `AnomalyError` naming the gate and showing
the lines of your code that created it. The creation stack is recorded only in this mode; outside
it the engine pays one flag test per gate.
"""

from __future__ import annotations

import functools
import os
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np

from .errors import AnomalyError

F = TypeVar("F", bound=Callable[..., Any])

_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
_SHOWN_FRAMES = 8


class _Anomaly(threading.local):
    """The switch read by every gate call, one per thread (as PyTorch's anomaly mode); off in a new thread."""

    enabled = False


Anomaly = _Anomaly()


class detect_anomaly:
    """Context manager and decorator: check every forward output and backward gradient for
    NaN/Inf and raise `AnomalyError` at the first, naming the gate and where it was created."""

    def __init__(self) -> None:
        self.prev: list[bool] = []

    def __enter__(self) -> None:
        self.prev.append(Anomaly.enabled)
        Anomaly.enabled = True

    def __exit__(self, *exc: object) -> None:
        Anomaly.enabled = self.prev.pop()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with detect_anomaly():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


def creation_stack() -> traceback.StackSummary:
    """Where the gate being recorded is created (file, line, code; no frames are kept alive)."""
    return traceback.extract_stack()


def _where(stack: traceback.StackSummary | None) -> str:
    if stack is None:
        return (
            "it was created outside detect_anomaly(), so its origin is unknown; run the forward "
            "pass inside detect_anomaly() too to see it"
        )
    user = [f for f in stack if not os.path.abspath(f.filename).startswith(_ENGINE_DIR + os.sep)]
    lines = "".join(traceback.format_list(user[-_SHOWN_FRAMES:]))
    return "it was created at (innermost last):\n" + lines.rstrip()


def _describe(array: np.ndarray) -> str | None:
    """'2 nan, 1 inf of 6 elements', or None when every element is finite."""
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return None
    nan = int(np.isnan(array).sum())
    return f"{nan} nan, {int(array.size - nan - np.isfinite(array).sum())} inf of {array.size} elements"


def check_forward(gate: str, args: Sequence[Any], output: np.ndarray) -> None:
    """Raise if a gate's forward output is not finite (noting inputs that already were not)."""
    bad = _describe(np.asarray(output))
    if bad is None:
        return
    inputs = [getattr(a, "_data", None) for a in args]
    already = [f"input {i}" for i, a in enumerate(inputs) if isinstance(a, np.ndarray) and _describe(a)]
    note = f"; {', '.join(already)} already held non-finite values" if already else ""
    raise AnomalyError(
        f"detect_anomaly: {gate}'s forward produced non-finite values ({bad}, output shape "
        f"{np.shape(output)}){note}; {_where(creation_stack())}"
    )


def checked_forward(gate: Any, ctx: Any, args: Sequence[Any], arrays: Sequence[Any], params: dict[str, Any]) -> Any:
    """Run a gate's forward and check its output. NumPy's floating-point warnings are off: the
    AnomalyError that names the gate is the report (a warning, turned into an error by
    `-W error`, would pre-empt it)."""
    with np.errstate(all="ignore"):
        data = gate.forward(ctx, *arrays, **params)
    check_forward(gate.__name__, args, data)
    return data


def unchecked_backward(node: Any, grad: Any) -> Any:
    """Run a gate's backward with the forward checks and NumPy's floating-point warnings off: the
    operations inside it may pass through an infinity on the way; what is checked is the gradient
    it returns."""
    Anomaly.enabled = False
    try:
        with np.errstate(all="ignore"):
            return type(node).backward(node, grad)
    finally:
        Anomaly.enabled = True


def check_backward(gate: str, stack: traceback.StackSummary | None, upstream: Any, grads: Sequence[Any]) -> None:
    """Raise if a gate's backward returned a non-finite gradient for one of its inputs."""
    for i, g in enumerate(grads):
        bad = None if g is None else _describe(g._data)
        if bad is None:
            continue
        up = _describe(upstream._data)
        origin = f"the upstream gradient it received was already non-finite ({up})" if up else "its upstream was finite"
        raise AnomalyError(
            f"detect_anomaly: {gate}'s backward returned non-finite values in the gradient of input "
            f"{i} ({bad}, shape {g.shape}); {origin}; {_where(stack)}"
        )
