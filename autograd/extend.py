"""`autograd.extend`: the public surface for building on the engine, the name HIPS autograd uses.

`nn` is written with it and nothing else of the engine's insides, and so is a user's own layer or
gate: a custom gate and a built-in gate are the same kind of thing, written the same way.

- `Function`: subclass it with `forward(ctx, *arrays)` (NumPy in, NumPy out) and
  `backward(ctx, grad)` (Tensor operations, one gradient per input); run it with `Gate.apply`.
  A gradient of the broadcast shape is summed back to its input's shape for you.
- `defvjp(numpy_fn, *vjps)`: the same without a class, for one NumPy function.
- `once_differentiable`: for a backward that computes on arrays; a second derivative through it is
  an error instead of a silently wrong number.
- `wrap(array)` / `unwrap(value)`: between NumPy arrays and constant Tensors, without a copy.
- `mark_dirty(*tensors)`: after changing a tensor's memory in place from NumPy, so graphs that
  saved it refuse to backpropagate stale values.
- `in_place(tensor, name, fn, *operands)`: write `fn(tensor, *operands)`, an out-of-place
  computation, into `tensor` under the engine's in-place rules (recorded, versioned), as `x.exp_()`.
- `gates`: the built-in gates, by family (`gates.elementwise.Where`, `gates.linalg.Linear`, ...);
  their formulas are tabulated in docs/derivatives.md (`python -m autograd.gates --table`).
- `name_scope(label)`: tag the gates recorded in a block (drawn as a labelled cluster).
- Argument checks that raise the engine's errors: `as_dtype`, `size_args`, `pair` (`ints` for
  n-tuples), `to_arguments` (the default float dtype is `autograd.get_default_dtype()`),
  `as_numpy_generator` (an autograd.Generator, a numpy Generator or None for the default, as the
  numpy Generator to draw from).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from itertools import zip_longest
from typing import Any

import numpy as np

from . import gates
from .errors import ArgumentError, DTypeError, GraphError
from .function import Function
from .gates import attention, conv, elementwise, linalg, normalization, pool, recurrent, reduce, shape  # noqa: F401  (each family as gates.<family>)
from .gates.conv import ints, pair
from .grad_mode import GradMode, no_grad
from .inplace import apply_inplace
from .graph import name_scope
from .random_ops import as_numpy_generator
from .tensor import Tensor, as_dtype, size_args, to_array, to_arguments
from .versions import bump

__all__ = [
    "Function",
    "as_dtype",
    "as_numpy_generator",
    "size_args",
    "defvjp",
    "gates",
    "in_place",
    "ints",
    "mark_dirty",
    "name_scope",
    "once_differentiable",
    "pair",
    "to_arguments",
    "unwrap",
    "wrap",
]


def wrap(array: Any) -> Tensor:
    """`array` as a constant Tensor (outside the graph) over the same memory: no copy."""
    array = np.asarray(array)
    if array.dtype.kind not in "biuf":
        raise DTypeError(f"wrap: a tensor cannot hold dtype {array.dtype}; expected a numeric or bool array")
    return Tensor._wrap(array)


def unwrap(value: Any) -> np.ndarray:
    """The NumPy array of a Tensor (its own memory, no copy); anything else tensor-like as a new
    checked array (Python floats become float32, as `autograd.tensor` makes them)."""
    return value._data if isinstance(value, Tensor) else to_array(value, op="unwrap")


def mark_dirty(*values: Any) -> None:
    """Record that the memory under each Tensor (or array) was changed in place, as PyTorch's
    `ctx.mark_dirty`: a gate that saved it before then refuses to run its backward."""
    for value in values:
        array = value._data if isinstance(value, Tensor) else value
        if not isinstance(array, np.ndarray):
            raise ArgumentError(f"mark_dirty: expected Tensors or NumPy arrays, got {type(value).__name__}")
        bump(array)


def in_place(tensor: Tensor, name: str, fn: Callable[..., Tensor], *operands: Any) -> Tensor:
    """Write `fn(tensor, *operands)` (Tensor operations, out of place) into `tensor`'s memory under the
    rules of every in-place op (`x.exp_()`, `x += y`): recorded in the graph when it requires grad, a
    new version counted, a leaf that requires grad refused outside `no_grad()`. `name` names the
    operation in errors. Returns `tensor`."""
    if not isinstance(tensor, Tensor):
        raise ArgumentError(f"{name}: an in-place operation needs a Tensor, got {type(tensor).__name__}")
    return apply_inplace(tensor, name, fn, *operands)


class OnceDifferentiated(Function):
    """z = the value a @once_differentiable backward computed  ·  ∂z/∂(anything) is refused: that
    backward ran on arrays, so differentiating it again would give a silently wrong number."""

    def forward(self, value: np.ndarray, *depends_on: Any, gate: str) -> np.ndarray:
        self.gate = gate
        return value

    def backward(self, g: Tensor) -> None:
        raise GraphError(
            f"{self.gate}.backward is marked @once_differentiable: it computes on arrays, so it cannot "
            "be differentiated again. Write it with Tensor operations for higher derivatives"
        )


def once_differentiable(backward: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a custom gate's `backward` that computes on NumPy arrays (`.numpy()`): it runs outside
    the graph, and when the backward is recorded (`create_graph=True`) its results are handed out
    through a gate that raises if a second derivative reaches it, as PyTorch's decorator does."""

    @functools.wraps(backward)
    def wrapper(ctx: Any, *grads: Any) -> Any:
        recording = GradMode.enabled
        with no_grad():
            result = backward(ctx, *grads)
        if not recording:
            return result
        depends_on = [t for t in (*grads, *ctx.inputs) if isinstance(t, Tensor) and t.requires_grad]
        gate = type(ctx).__name__

        def refused(g: Any) -> Any:
            return None if g is None else OnceDifferentiated.apply(unwrap(g), *depends_on, gate=gate)

        return tuple([refused(g) for g in result]) if type(result) is tuple else refused(result)

    return wrapper


def defvjp(fn: Callable[..., Any], *vjps: Callable[..., Any] | None, name: str | None = None) -> Callable[..., Tensor]:
    """A differentiable version of the NumPy function `fn(*arrays, **params)`, as HIPS autograd's
    `defvjp`. `vjps[i](g, ans, *inputs, **params)` gives the gradient for input i from the upstream
    gradient `g`, the output `ans` and the inputs, all Tensors, written with Tensor operations (so
    higher derivatives work); None (or a missing entry) for an input with no gradient.

        sinh = defvjp(np.sinh, lambda g, ans, x: g * (x.exp() + (-x).exp()) / 2)

    Returns the operation; its gate class (drawn and traced under `name`, default fn's name) is
    `.gate`."""
    if not callable(fn) or any(v is not None and not callable(v) for v in vjps):
        raise ArgumentError("defvjp: expected a NumPy function and one gradient function (or None) per input")
    label = str(name or getattr(fn, "__name__", "Custom"))

    def forward(ctx: Any, *arrays: Any, **params: Any) -> Any:
        ctx.params = params
        return fn(*arrays, **params)

    def backward(ctx: Any, g: Tensor) -> tuple[Any, ...]:
        grads: list[Any] = []
        for i, (vjp, needed) in enumerate(zip_longest(vjps, ctx.needs_input_grad)):
            if not needed:
                grads.append(None)
            elif vjp is None:
                raise GraphError(
                    f"{label}: input {i} needs a gradient, but defvjp was given no gradient function for it"
                )
            else:
                grads.append(vjp(g, ctx.output, *ctx.inputs, **ctx.params))
        return tuple(grads[: len(ctx.inputs)])

    doc = f"z = {label}(…)  ·  the gradients given to defvjp"
    gate: type[Function] = type(
        label, (Function,), {"forward": staticmethod(forward), "backward": staticmethod(backward), "__doc__": doc}
    )

    @functools.wraps(fn)
    def operation(*args: Any, **params: Any) -> Tensor:
        return gate.apply(*args, **params)

    operation.gate = gate  # type: ignore[attr-defined]
    return operation
