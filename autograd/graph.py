"""The graph core shared by `Tensor` and `Scalar`.

A *value* (a Tensor or a Scalar) carries `grad_fn`, the gate node that made it (None for a leaf),
and `requires_grad`. A gate node keeps `inputs`, the values it was applied to. Backpropagation is
the same for both kinds of value:

1. order the values with an iterative depth-first search, inputs before the outputs they feed;
2. walk that order backwards; each gate turns the upstream gradient dL/d(out) into
   upstream × local = dL/d(input) for every input;
3. a value used several times receives the *sum* of its gradients (`+=`, the multivariate chain
   rule), so a value's gradient is complete before its own gate fires.

No recursion anywhere: a chain of a million gates backpropagates.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from .errors import GraphError
from .grad_mode import set_grad_enabled


class Scope:
    """The labels of the `name_scope`s open now, outermost first (nn.Module calls open one)."""

    current: tuple[str, ...] = ()


class name_scope:
    """`with name_scope(label):` tags every gate recorded inside the block with `label` (drawn as a
    labelled cluster). A class rather than a generator: every nn.Module call opens one."""

    __slots__ = ("label", "outer")

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self) -> None:
        self.outer = Scope.current
        Scope.current = self.outer + (self.label,)

    def __exit__(self, *exc: object) -> None:
        Scope.current = self.outer


class Value(Protocol):
    """What the graph core asks of a value (a `Tensor` or a `Scalar`): the contract both keep.

    - sorting (`topological_order`): `grad_fn`, the gate that made it (None for a leaf), and
      `requires_grad`; values hash by identity;
    - backward (`backpropagate`): gradients of a value add with `+`; `_accumulate_grad(g, sole)`
      stores one on a leaf, or on any value whose `_retains_grad` is true (`sole`: nothing else
      refers to `g`, so it may be kept without a copy);
    - drawing and tracing: `data` (a float or an ndarray) and `grad` (None, a float or a Tensor).
    """

    data: Any
    grad: Any

    @property
    def grad_fn(self) -> Node | None: ...

    @property
    def requires_grad(self) -> bool: ...

    @property
    def _retains_grad(self) -> bool: ...

    def _accumulate_grad(self, g: Any, sole: bool = False) -> None: ...


class Node:
    """A gate in the graph.

    Subclasses define `_backprop(out, grad) -> sequence of gradients`, one per entry of `inputs`
    (None where no gradient flows), and may override `release()` to drop saved buffers.
    `scope` holds the name scopes the gate was recorded in; `grad_out` the upstream gradient it
    received in the last backward pass (kept so drawings can show every value's gradient).
    `inputs` may hold non-values too (a number, an array argument of a gate): they are not sorted
    and get no gradient.
    """

    __slots__ = ("inputs", "released", "scope", "grad_out")
    inputs: tuple[Any, ...]
    released: bool
    scope: tuple[str, ...]
    grad_out: Any

    def _backprop(self, out: Any, grad: Any) -> Sequence[Any]:
        """upstream `grad` = dL/d(out) → dL/d(input) for each input (None where none flows)."""
        raise NotImplementedError(f"{self.name} defines no _backprop")

    @property
    def name(self) -> str:
        """The operation's name, as drawn and traced: the gate class name."""
        return type(self).__name__

    def release(self) -> None:
        """Free what the backward saved; running this gate's backward again becomes an error."""
        self.released = True

    def check_alive(self) -> None:
        if self.released:
            raise GraphError(
                f"{self.name}: trying to backward through the graph a second time; its saved "
                "buffers were freed by the first backward. Pass retain_graph=True to the first "
                "backward() if you need to run it again."
            )


def topological_order(roots: Iterable[Value], *, constants: bool = False) -> list[Value]:
    """Every value reachable from `roots`, each after all of its inputs.

    Values that do not require grad are left out (nothing below them needs a gradient) unless
    `constants=True`, which the drawing code uses to show constant leaves too.
    """
    # An iterative depth-first search. A gate's output goes back on the stack under a None
    # marker, above which its inputs are pushed: when the marker comes up again, every input is
    # in `order`, and the output follows. Values hash by identity (sets and dicts hold them).
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[Value | None] = list(roots)
    while stack:
        value = stack.pop()
        if value is None:
            order.append(stack.pop())  # type: ignore[arg-type]  # under a marker: a value
            continue
        if value in seen:
            continue
        seen.add(value)
        node = value.grad_fn
        if node is None:
            order.append(value)
            continue
        stack.append(value)
        stack.append(None)
        try:
            for inp in node.inputs:
                if inp not in seen and (
                    getattr(inp, "requires_grad", False) or (constants and hasattr(inp, "grad_fn"))
                ):
                    stack.append(inp)
        except TypeError:  # an unhashable input (an array argument of a gate) is no value: push the values
            stack += [v for v in node.inputs if hasattr(v, "grad_fn") and (constants or v.requires_grad)]
    return order


Hook = Callable[[Value, Node, Any, Sequence[Any]], None]

# id(value) -> the gradient hooks registered on it (`Tensor.register_hook`), in order
HOOKS: dict[int, list[Callable[[Any], Any]]] = {}


class RemovableHandle:
    """What `register_hook` returns: `.remove()` unregisters the hook, as PyTorch's handle."""

    __slots__ = ("key", "hook")

    def __init__(self, key: int, hook: Callable[[Any], Any]) -> None:
        self.key, self.hook = key, hook

    def remove(self) -> None:
        hooks = HOOKS.get(self.key, [])
        if self.hook in hooks:
            hooks.remove(self.hook)
        if not hooks:
            HOOKS.pop(self.key, None)


def run_hooks(value: Value, grad: Any) -> Any:
    """The gradient of `value` after its hooks: each sees the current one and may return a
    replacement (None keeps it), as PyTorch's tensor hooks, before it is stored or sent on."""
    for hook in list(HOOKS[id(value)]):
        replaced = hook(grad)
        if replaced is not None:
            grad = replaced
    return grad


def backpropagate(
    roots: Sequence[Value],
    root_grads: Sequence[Any],
    *,
    retain_graph: bool = False,
    create_graph: bool = False,
    capture: Sequence[Value] | None = None,
    hook: Hook | None = None,
) -> dict[int, Any]:
    """Run the backward pass from `roots`, seeded with `root_grads`.

    Without `capture`, gradients land where the values keep them (`_accumulate_grad`: leaves, and
    values that retain their gradient). With `capture`, nothing is stored on the values; the
    complete gradient of every captured value is returned, keyed by `id(value)` (`autograd.grad`).
    `hook(out, node, upstream, input_grads)` is called as each gate fires (the backward trace).
    With `create_graph`, the backward's own operations are recorded, for higher derivatives.
    """
    order = topological_order(roots)
    pending: dict[Value, Any] = {}  # value -> the sum of the gradients it has received so far
    for root, grad in zip(roots, root_grads):
        prev = pending.get(root)
        pending[root] = grad if prev is None else prev + grad
    wanted = None if capture is None else {id(v) for v in capture}
    captured: dict[int, Any] = {}
    with set_grad_enabled(create_graph):
        for value in reversed(order):
            node = value.grad_fn
            # A leaf's gradient that nothing but `pending` refers to (getrefcount counts its own
            # argument too) may become the leaf's .grad without a copy (`_accumulate_grad`). This
            # frame holds no other gradient: `_fire` keeps the ones it sends in its own locals.
            sole = node is None and sys.getrefcount(pending.get(value)) == 2
            grad = pending.pop(value, None)
            if grad is None:
                continue
            if HOOKS and id(value) in HOOKS:  # one falsy test when no tensor has a hook
                grad, sole = run_hooks(value, grad), False
            if wanted is None:
                if node is None or value._retains_grad:
                    value._accumulate_grad(grad, sole)
            elif id(value) in wanted:
                captured[id(value)] = grad
            if node is not None:
                _fire(node, value, grad, pending, create_graph, hook)
                if not retain_graph:
                    node.release()
    return captured


def _fire(
    node: Node, value: Value, grad: Any, pending: dict[Value, Any], create_graph: bool, hook: Hook | None
) -> None:
    """One gate's step: upstream × local = downstream, added into `pending` for each input."""
    if node.released:
        node.check_alive()
    node.grad_out = grad.detach() if create_graph else grad
    input_grads = node._backprop(value, grad)
    if hook is not None:
        hook(value, node, grad, input_grads)
    for inp, g in zip(node.inputs, input_grads):
        if g is not None and inp.requires_grad:  # a gradient only ever comes for a value
            prev = pending.get(inp)
            pending[inp] = g if prev is None else prev + g
