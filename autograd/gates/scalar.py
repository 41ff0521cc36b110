"""Scalar's node classes, made from the gates of `elementwise`: one definition per gate.

A gate that `Scalar` has carries its float path beside its array path (see `elementwise`):
`float_forward`, `float_backward(node, out, g)` and, where they apply, `domain`,
`float_local_gradients` and `gradient_domain`. `scalar_gate` turns that into a slotted `Node`
class of the same name and docstring, so drawings, traces and errors read the same for a Scalar
graph as for a Tensor graph, and a Scalar node costs no more than a hand-written one: its
`_backprop` is the gate's `float_backward` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..graph import Node
from . import elementwise as ew


class ScalarGate(Node):
    """Base of the Scalar node classes.

    A Scalar gate saves nothing but its inputs, which the graph keeps anyway, so a backward pass
    has nothing to free and the same graph can be backpropagated again. (Tensor gates free their
    saved arrays and forbid a second pass.) A second `backward()` after `zero_grad()` gives the
    same gradients; without it they accumulate. `released` is therefore a constant False,
    shadowing the slot of `Node`.
    """

    __slots__ = ()
    released = False
    forward: Callable[..., float]
    domain = "its inputs must give a finite real result"
    local_gradients: Callable[..., tuple[float, ...]] | None = None  # checked at the operation, if given
    gradient_domain = ""

    def release(self) -> None:
        """Nothing to free: the inputs are all a Scalar gate's backward reads."""


def scalar_gate(gate: type[Any]) -> type[ScalarGate]:
    """The Scalar node class of `gate`, from its float path."""
    body: dict[str, Any] = {
        "__slots__": getattr(gate, "float_slots", ()),
        "__doc__": gate.__doc__,
        "__module__": __name__,
        "__qualname__": gate.__name__,
        "forward": staticmethod(gate.float_forward),
        "array_gate": gate,  # the Tensor gate it is made from: its forward names the operands
        "_backprop": gate.float_backward,
    }
    for name in ("domain", "gradient_domain"):
        if name in vars(gate):
            body[name] = vars(gate)[name]
    if "float_local_gradients" in vars(gate):
        body["local_gradients"] = staticmethod(gate.float_local_gradients)
    return type(gate.__name__, (ScalarGate,), body)


Add, Sub, Mul, Div, Neg, Pow, Exp, Log, Reciprocal, Sigmoid, Tanh, Relu, Maximum = (
    scalar_gate(gate)
    for gate in (
        ew.Add,
        ew.Sub,
        ew.Mul,
        ew.Div,
        ew.Neg,
        ew.Pow,
        ew.Exp,
        ew.Log,
        ew.Reciprocal,
        ew.Sigmoid,
        ew.Tanh,
        ew.Relu,
        ew.Maximum,
    )
)
