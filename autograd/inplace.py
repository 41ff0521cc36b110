"""In-place operations (`add_`, `mul_`, `fill_`, `copy_`, `x += y`, ...) and the graph.

An in-place op writes the result into the tensor's own memory, so every alias (views, `.detach()`,
`.data`, `.numpy()`) sees it, and counts a new version of that memory (`autograd/versions.py`).
Three cases:

- A leaf that requires grad may change in place only inside `no_grad()` (how optimisers update
  parameters); elsewhere it is a `GraphError`, since the graph would not see the change.
- Outside the graph (inside `no_grad()`, or nothing involved requires grad) only the values
  change; a gate that recorded this memory then refuses to backpropagate through it.
- In the graph (grad mode on, and the tensor or an operand requires grad) the op is recorded, as
  PyTorch does: the old value moves to a snapshot that keeps the tensor's former gate, and the
  tensor becomes the output of the out-of-place gate applied to the snapshot. Gates that used the
  tensor before the change see its new version and refuse to backpropagate, since the gradient
  they send to it would go through the new gate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .errors import DTypeError, GraphError, ShapeError
from .gates.elementwise import Where
from .grad_mode import GradMode, no_grad
from .tensor import Tensor
from .versions import Clock, bump

_EVERYWHERE = Tensor._wrap(np.ones((), dtype=bool))


def replaced(x: Tensor, value: Any) -> Tensor:
    """`value` broadcast to `x`'s shape in `x`'s dtype: the out-of-place `fill_` / `copy_`.
    It is where(True, value, x), so no gradient reaches x and all of it reaches `value`."""
    return Where.apply(_EVERYWHERE, x._constant(value).to(x.dtype), x)


def method_in_place(t: Tensor, op: str, *operands: Any, **options: Any) -> Tensor:
    """`t.<op>(*operands, **options)` (e.g. `exp_`): the Tensor method named without the "_", written
    into t. A result with no gradient (floor_, sign_, logical_and_) is written as `replaced`, so the
    old values get PyTorch's zero gradient."""
    out_of_place = getattr(Tensor, op[:-1])

    def fn(x: Tensor, *args: Any) -> Tensor:
        result = out_of_place(x, *args, **options)
        return result if result.requires_grad or not GradMode.enabled else replaced(x, result)

    return apply_inplace(t, op, fn, *operands)


def apply_inplace(t: Tensor, op: str, fn: Callable[..., Tensor], *operands: Any) -> Tensor:
    """Write `fn(t, *operands)` (an out-of-place computation) into `t`, as described above."""
    if not t._data.flags.writeable:
        raise GraphError(
            f"{op}: this tensor's memory is read-only (a view made by expand / broadcast_to, whose "
            "elements share memory); compute the result out of place instead"
        )
    for o in operands:
        shape = np.shape(o._data if isinstance(o, Tensor) else o)
        try:
            fits = np.broadcast_shapes(shape, t.shape) == t.shape
        except ValueError:
            fits = False
        if not fits:
            raise ShapeError(
                f"{op}: an operand of shape {shape} does not broadcast to shape {t.shape}, the shape of "
                "the tensor changed in place (an in-place op cannot change a tensor's shape)"
            )
    recording = GradMode.enabled and (t.requires_grad or any(getattr(o, "requires_grad", False) for o in operands))
    node = t.grad_fn
    if recording:
        if t.requires_grad and node is None:
            raise GraphError(
                f"{op}: a leaf tensor that requires grad cannot be changed in place while the graph "
                "is recorded (the graph would not see the change); do it inside `with no_grad():`, "
                "as optimisers do, or compute a new tensor out of place"
            )
        if node is not None and _shares_memory(t, node.inputs):
            raise GraphError(
                f"{op}: this tensor is a view of the input of {node.name} that made it (they share "
                "memory), so changing it in place would change that input behind the graph's back; "
                "compute the result out of place instead"
            )
        if _shares_memory(t, [o for o in operands if o is not t]):
            raise GraphError(
                f"{op}: an operand shares memory with the tensor changed in place (a view of it), so "
                "the gradient would read values the change overwrote; compute the result out of place"
            )
        old = Tensor._wrap(t._data.copy(), node)
        result = fn(old, *(old if o is t else o for o in operands))
    else:
        with no_grad():
            result = fn(t, *operands)
    if result.dtype != t.dtype:
        if not np.can_cast(result.dtype, t.dtype, "same_kind"):
            raise DTypeError(f"{op}: the result is {result.dtype}, which cannot be stored in this {t.dtype} tensor")
        if recording:
            result = result.to(t.dtype)
    t._data[...] = result._data
    bump(t._data)
    if recording:
        t.grad_fn = result.grad_fn
        t.requires_grad = True
        t.grad_fn.time = Clock.now  # the write above made its output: not a change behind its back
    return t


def _shares_memory(t: Tensor, values: Any) -> bool:
    return any(isinstance(v, Tensor) and np.may_share_memory(t._data, v._data) for v in values)
