"""`Function`: the gate mechanism of `Tensor`, used by every built-in gate and by custom gates.

A gate is a subclass with two methods side by side:

- `forward(ctx, *arrays, **params) -> ndarray` does the math in NumPy on the inputs' arrays;
- `backward(ctx, grad) -> one gradient per positional input`, written with Tensor operations,
  so that with `create_graph=True` the backward pass is itself recorded (higher derivatives).

`Gate.apply(*inputs, **params)` runs the forward and, when grad mode is on and an input requires
grad, records an instance of the class as the output's `grad_fn`. That instance is the `ctx`: it
holds `inputs`, `needs_input_grad` and whatever the forward saved. Built-in gates write
`def forward(self, ...)`; custom gates may write `@staticmethod def forward(ctx, ...)` as in
PyTorch: both are called as `Gate.forward(node, ...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .anomaly import Anomaly, check_backward, checked_forward, creation_stack, unchecked_backward
from .errors import AutogradError, DomainError, GraphError, ShapeError
from .gradients import grad
from .grad_mode import GradMode
from .graph import Node, Scope
from .tensor import Tensor
from .versions import Clock, bump, changed_since

_new = object.__new__


class Function(Node):
    """Base class of Tensor gates; see the module docstring."""

    __slots__ = ("needs_input_grad", "saved", "out", "time", "trace")
    needs_input_grad: tuple[bool, ...]
    saved: tuple[Any, ...]
    out: Tensor | None  # the output, set while the backward runs
    time: int  # Clock.now when the gate was recorded
    trace: Any  # where it was created, under detect_anomaly
    forward: Callable[..., Any]  # (ctx, *arrays, **params) -> ndarray: each gate writes it
    backward: Callable[..., Any]  # (ctx, grad) -> one gradient (or None) per input

    @classmethod
    def apply(cls, *args: Any, **params: Any) -> Tensor:
        ctx = _new(cls)
        ctx.saved = ()
        arrays: list[Any] = []
        needs: list[bool] = []  # one plain loop: this runs for every gate, in every backward too
        for a in args:
            if isinstance(a, Tensor):
                arrays.append(a._data)
                needs.append(a.requires_grad)
            else:
                arrays.append(a)
                needs.append(False)
        ctx.needs_input_grad = tuple(needs)
        try:
            data = (
                checked_forward(cls, ctx, args, arrays, params)
                if Anomaly.enabled
                else cls.forward(ctx, *arrays, **params)
            )
        except ValueError as e:
            if isinstance(e, AutogradError):
                raise
            shapes = " and ".join(str(np.shape(a)) for a in arrays)
            if not _built_in(cls):  # a custom gate's own exception is the user's: passed through
                e.add_note(f"in the forward of the custom gate {cls.__name__}, on inputs of shapes {shapes}")
                raise
            # NumPy's complaints inside a built-in gate become ours, naming the gate
            if "broadcast" in str(e) or "shape" in str(e):
                raise ShapeError(f"{cls.__name__}: inputs of shapes {shapes} do not fit: {e}") from None
            raise DomainError(f"{cls.__name__}: inputs of shapes {shapes}: {e}") from None
        if not (GradMode.enabled and True in ctx.needs_input_grad):  # (mark_non_differentiable clears it)
            return Tensor._wrap(data)
        if type(data) is not np.ndarray:  # NumPy returns a 0-d result as a scalar: the array wrapped
            scalar, data = data, np.asarray(data)  # below must be what saved_tensors recognises as the output
            if ctx.saved:
                ctx.saved = tuple([data if v is scalar else v for v in ctx.saved])
        ctx.inputs = args
        ctx.released = False
        ctx.out = None
        ctx.scope = Scope.current
        ctx.time = Clock.now  # in-place changes after this are checked for before the backward
        ctx.trace = creation_stack() if Anomaly.enabled else None
        return Tensor._wrap(data, ctx)

    # ---- the ctx API -------------------------------------------------------------------------
    def save_for_backward(self, *values: Any) -> None:
        """Keep arrays (or Tensors) for the backward. An input's or the output's own array comes
        back from `saved_tensors` as that input / output Tensor, so higher derivatives see it."""
        self.saved = values

    def mark_non_differentiable(self, *outputs: Any) -> None:
        """Called in `forward`: the output is not differentiable (an index, a mask), so it does not
        require grad and no backward is recorded, as PyTorch's `ctx.mark_non_differentiable`."""
        self.needs_input_grad = (False,) * len(self.needs_input_grad)

    def set_materialize_grads(self, value: bool) -> None:
        """PyTorch's switch for undefined output gradients. A gate here has one output, whose gradient
        always reaches `backward` as a Tensor, so there is nothing to materialise either way."""

    def mark_dirty(self, *tensors: Any) -> None:
        """Called in `forward` after changing an input's array in place (PyTorch's `ctx.mark_dirty`):
        gates that saved it before refuse to backpropagate stale values."""
        for t in tensors:
            bump(t._data if isinstance(t, Tensor) else t)

    @property
    def saved_tensors(self) -> tuple[Tensor, ...]:
        self.check_alive()
        return tuple([self._unpack(v) for v in self.saved])

    @property
    def output(self) -> Tensor:
        """The Tensor this gate produced (available inside `backward`)."""
        if self.out is None:
            raise GraphError(f"{self.name}.output is only available while its backward runs")
        return self.out

    def _unpack(self, value: Any) -> Any:
        if isinstance(value, Tensor):
            return value
        if isinstance(value, np.ndarray):
            if self.out is not None and value is self.out._data:
                return self.out
            for inp in self.inputs:
                if isinstance(inp, Tensor) and value is inp._data:
                    return inp
            return Tensor._wrap(value)
        return value

    def fused_backward(
        self,
        g: Tensor,
        composed: Callable[..., Tensor],
        numpy_backward: Callable[[np.ndarray], tuple[np.ndarray | None, ...]],
    ) -> tuple[Tensor | None, ...]:
        """The backward of a fused gate, one that replaces a composition of primitive gates with its
        gradient in closed form: `numpy_backward(∂L/∂z)` gives one array per input in NumPy; when the
        backward is recorded (create_graph=True), the composition `composed(*inputs)` is rebuilt on
        the inputs and differentiated instead, so the gate has higher derivatives too."""
        needs = self.needs_input_grad
        if GradMode.enabled:
            wanted = [x for x, need in zip(self.inputs, needs) if need]
            grads = iter(grad(composed(*self.inputs), wanted, g, create_graph=True, materialize_grads=True))
            return tuple(next(grads) if need else None for need in needs)
        arrays = numpy_backward(g._data)
        return tuple(Tensor._wrap(a) if need and a is not None else None for a, need in zip(arrays, needs))

    def release(self) -> None:
        self.released = True
        self.saved = ()

    # ---- called by the graph core -----------------------------------------------------------
    def _backprop(self, out: Tensor, grad: Tensor) -> tuple[Any, ...]:
        if Clock.now != self.time:
            self._check_versions(out)
        self.out = out
        try:
            grads = unchecked_backward(self, grad) if Anomaly.enabled else type(self).backward(self, grad)
        finally:
            self.out = None
        if type(grads) is not tuple:
            grads = (grads,)
        if len(grads) != len(self.inputs):
            raise GraphError(
                f"{self.name}.backward returned {len(grads)} gradient(s) for {len(self.inputs)} inputs of "
                "forward: return one per input, in order, with None for an input that gets no gradient"
            )
        # The common case costs one test per input: a Tensor gradient of the input's shape and dtype.
        grads = tuple(
            [
                g if g is None or (type(g) is Tensor and _fits(g._data, inp)) else self._checked(inp, g)
                for inp, g in zip(self.inputs, grads)
            ]
        )
        if Anomaly.enabled:
            check_backward(self.name, self.trace, grad, grads)
        return grads

    def _check_versions(self, out: Tensor) -> None:
        """Refuse to run the backward if an input or the output was changed in place since the
        gate was recorded: its values (or the path gradients take) would be wrong."""
        values = (*self.inputs, out)
        for i, value in enumerate(values):
            changed = changed_since(value._data, self.time) if isinstance(value, Tensor) else None
            if changed:
                now, then = changed
                which = "its output" if i == len(values) - 1 else f"input {i}"
                expected = f"expected version {then}" if then is not None else "expected an earlier version"
                raise GraphError(
                    f"one of the tensors needed by {self.name}'s backward was modified in place: "
                    f"{which}, of shape {value.shape}, is at version {now}, {expected}. "
                    "Change it out of place (y = y + 1, not y += 1), or before it is used"
                )

    def _checked(self, inp: Any, g: Any) -> Tensor | None:
        """A gradient that is not already a Tensor of its input's shape and dtype: wrapped, summed
        over the dims the forward broadcast `inp` to (so no gate's backward has to), and cast, or an
        error naming the gate."""
        if not isinstance(inp, Tensor):
            raise GraphError(
                f"{self.name}.backward returned a gradient for input {self._position(inp)}, which is not a "
                f"tensor ({type(inp).__name__}): return None in its place"
            )
        if not inp.requires_grad:
            return None  # a gradient nobody asked for (a gate that does not check needs_input_grad)
        if isinstance(g, np.ndarray):
            if GradMode.enabled:
                raise GraphError(
                    f"{self.name}.backward returned a NumPy array while its backward is being recorded "
                    "(create_graph=True): an array is a constant, so a second derivative would be silently "
                    "wrong. Compute it with Tensor operations (self.saved_tensors and self.inputs are "
                    "Tensors), or decorate backward with @autograd.extend.once_differentiable"
                )
            g = Tensor._wrap(g if g.dtype == inp.dtype else g.astype(inp.dtype))
        elif not isinstance(g, Tensor):
            raise GraphError(
                f"{self.name}.backward returned a {type(g).__name__} as the gradient of input "
                f"{self._position(inp)}; expected a Tensor of shape {inp.shape} (or None)"
            )
        if g.shape != inp.shape:
            if not _broadcasts_to(inp.shape, g.shape):
                raise ShapeError(
                    f"{self.name}.backward returned a gradient of shape {g.shape} for an input of "
                    f"shape {inp.shape}; a gradient must have its input's shape, or the shape the "
                    "forward broadcast it to"
                )
            g = g.sum_to(inp.shape)
        grad: Tensor = g if g.dtype == inp.dtype else g.to(inp.dtype)  # float32 (op) float64: back to float32
        return grad

    def _position(self, inp: Any) -> int:
        return next(i for i, v in enumerate(self.inputs) if v is inp)


def _broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether broadcasting takes `shape` to `target` (so summing `target` gives `shape` back)."""
    lead = len(target) - len(shape)
    return lead >= 0 and all(s in (1, t) for s, t in zip(shape, target[lead:]))


def _built_in(gate: type) -> bool:
    """Whether `gate` is one of the engine's own gates (else a user's custom Function)."""
    return gate.__module__.startswith("autograd.gates.")


def _fits(g: np.ndarray, inp: Any) -> bool:
    """Whether the gradient array `g` already has the shape and dtype of the Tensor `inp`."""
    return isinstance(inp, Tensor) and g.shape == inp._data.shape and g.dtype == inp._data.dtype
