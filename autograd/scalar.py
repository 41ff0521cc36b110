"""`Scalar`: one Python float in the graph, micrograd-style, on the same graph core as `Tensor`.

    a, b = Scalar(2.0, "a"), Scalar(-3.0, "b")
    c = (a * b + 1).tanh()
    c.backward()          # a.grad, b.grad, and the .grad of every intermediate Scalar
    c.zero_grad()         # every .grad in c's graph back to 0.0

Every operation is one gate of `autograd.gates.scalar`, recorded as the output's `grad_fn`;
`backward()` runs the driver `Tensor` uses (`autograd.graph.backpropagate`). A Scalar always
requires grad and keeps its gradient, as micrograd's `Value` does. A number operand becomes a
constant leaf Scalar (it receives a gradient too, which nobody reads); NumPy numbers and 0-d
arrays count as numbers. No NumPy in the math: it is on Python floats. The operators are made
from their gates by `_unary_operator` and `_binary_operator`, each one Python function with the
forward, the node and the output inline: an operation costs about one Python call.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Real
from typing import Any, SupportsFloat

import numpy as np

from .errors import ArgumentError, DomainError
from .gates import scalar as sg
from .graph import Scope, backpropagate, topological_order
from .tensor import Tensor

_new = object.__new__
_MATH_ERRORS = (ArithmeticError, ValueError)  # what float math and `math` raise off the domain
MIXING = (
    "a Scalar and a Tensor do not combine (a graph holds one kind of value): for a Tensor, take "
    "autograd.tensor(s.data, requires_grad=True) of the Scalar s; for a Scalar, Scalar(t.item()) of "
    "the one-element Tensor t"
)


def _number(value: Any) -> Any:
    """A NumPy 0-d array as its Python number (a bool one as a bool, which a Scalar refuses); anything else as it is."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "biuf":
        return value.item()
    return value


def _as_float(value: Any) -> float:
    """`value` as a float, or a clear error for what a Scalar cannot hold."""
    value = _number(value)
    if isinstance(value, bool) or not isinstance(value, Real):
        if isinstance(value, Scalar):
            raise ArgumentError("Scalar: got a Scalar; pass its .data to make a new leaf with the same value")
        if isinstance(value, Tensor):
            raise ArgumentError(f"Scalar: got a Tensor; {MIXING}")
        if isinstance(value, bool):
            raise ArgumentError(f"Scalar: got the bool {value}; a Scalar holds a real number (use 1.0 or 0.0)")
        arrayish = hasattr(value, "shape") or isinstance(value, (list, tuple))
        hint = " (autograd.Tensor holds arrays)" if arrayish else ""
        raise ArgumentError(f"Scalar: expected a real number (int or float), got {type(value).__name__}{hint}")
    number = float(value)
    if not math.isfinite(number):
        raise DomainError(f"Scalar: got {'NaN' if math.isnan(number) else number}; a Scalar holds a finite real number")
    return number


def _operand(value: Any) -> Scalar | None:
    """The other operand of an operator as a Scalar (a number, NumPy's included, becomes a constant
    leaf), or None for a type Scalar does not combine with (the operator then returns NotImplemented)."""
    if isinstance(value, Scalar):
        return value
    value = _number(value)
    if isinstance(value, Real):
        return Scalar(value)
    if isinstance(value, Tensor):
        raise ArgumentError(MIXING)
    if isinstance(value, np.ndarray):
        raise ArgumentError(
            f"a Scalar does not combine with an ndarray of shape {value.shape} and dtype {value.dtype}: a Scalar "
            "holds one real number (autograd.Tensor holds arrays)"
        )
    return None


def _record(node: sg.ScalarGate, data: float) -> Scalar:
    """The output Scalar of the gate `node`, whose `inputs` are set."""
    node.scope = Scope.current
    out = _new(Scalar)
    out.data = data
    out.grad = 0.0
    out.grad_fn = node
    out.label = ""
    return out


def _domain_error(gate: type[sg.ScalarGate], got: str) -> DomainError:
    return DomainError(f"{gate.__name__}: {gate.domain}; got {got}")


def _checked(gate: type[sg.ScalarGate], data: float, inputs: tuple[float, ...], got: Callable[[], str]) -> float:
    """`data`, the result of `gate` on `inputs`, if it and the gate's local gradients are finite;
    else the gate's DomainError. (`v - v` is 0.0 for a finite float, NaN for ±inf and NaN.)"""
    if data - data:
        raise _domain_error(gate, f"{got()} (the result would be {data})")
    if gate.local_gradients is not None:
        try:
            local = gate.local_gradients(*inputs, data)
        except _MATH_ERRORS:
            local = (math.inf,)
        for v in local:
            if v - v:
                raise DomainError(f"{gate.__name__}: {gate.gradient_domain}; got {got()}")
    return data


def _unary_operator(gate: type[sg.ScalarGate]) -> Callable[[Scalar], Scalar]:
    """The method `x.op()` of the one-input gate `gate`."""
    forward, checks_gradient = gate.forward, gate.local_gradients is not None

    def operation(x: Scalar) -> Scalar:
        try:
            data = forward(x.data)
        except _MATH_ERRORS:
            raise _domain_error(gate, f"x = {x.data!r}") from None
        if data - data or checks_gradient:
            _checked(gate, data, (x.data,), lambda: f"x = {x.data!r}")
        node = _new(gate)
        node.inputs = (x,)
        return _record(node, data)

    operation.__doc__ = gate.__doc__
    return operation


def _binary_operator(gate: type[sg.ScalarGate]) -> Callable[[Scalar, Any], Any]:
    """The operator `x (op) y` of the two-input gate `gate`, for a Scalar x and a Scalar or number y."""
    forward, checks_gradient = gate.forward, gate.local_gradients is not None

    def operation(x: Scalar, y: Any) -> Any:
        if type(y) is not Scalar:
            y = _operand(y)
            if y is None:
                return NotImplemented
        try:
            data = forward(x.data, y.data)
        except _MATH_ERRORS:
            raise _domain_error(gate, f"x = {x.data!r}, y = {y.data!r}") from None
        if data - data or checks_gradient:
            _checked(gate, data, (x.data, y.data), lambda: f"x = {x.data!r}, y = {y.data!r}")
        node = _new(gate)
        node.inputs = (x, y)
        return _record(node, data)

    operation.__doc__ = gate.__doc__
    return operation


def _reflected_operator(operation: Callable[[Scalar, Any], Any]) -> Callable[[Scalar, Any], Any]:
    """`x (op) y` for a number x on the left of the Scalar y."""

    def reflected(y: Scalar, x: Any) -> Any:
        x = _operand(x)
        return NotImplemented if x is None else operation(x, y)

    reflected.__doc__ = operation.__doc__
    return reflected


class Scalar:
    """One float with a gradient. `Scalar(data, label="")`; `.data` and `.grad` are Python floats."""

    __slots__ = ("data", "grad", "grad_fn", "label")
    __array_ufunc__ = None  # numpy_number (op) Scalar defers to Scalar's reflected operator
    requires_grad = True  # every Scalar takes part in backpropagation ...
    _retains_grad = True  # ... and keeps its gradient, leaf or not

    def __init__(self, data: SupportsFloat, label: str = "") -> None:
        self.data = _as_float(data)
        self.grad = 0.0
        self.grad_fn: sg.ScalarGate | None = None
        self.label = label

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Scalar(data={self.data!r}, grad={self.grad!r}{label})"

    # ---- autograd ----------------------------------------------------------------------------
    def backward(self) -> None:
        """Accumulate d(self)/dv into `.grad` of every Scalar v this one depends on (and 1 into
        its own). Run `zero_grad()` first to start from zero."""
        backpropagate((self,), (1.0,))

    def zero_grad(self) -> None:
        """Set `.grad` to 0.0 for this Scalar and every Scalar it depends on."""
        for value in topological_order((self,)):
            value.grad = 0.0

    def _accumulate_grad(self, g: float, sole: bool = False) -> None:
        self.grad += g

    # ---- operators (`c += 1` rebinds c to a new Scalar, as for Python numbers) ---------------
    __add__ = _binary_operator(sg.Add)
    __sub__ = _binary_operator(sg.Sub)
    __mul__ = _binary_operator(sg.Mul)
    __truediv__ = _binary_operator(sg.Div)
    __radd__ = _reflected_operator(__add__)
    __rsub__ = _reflected_operator(__sub__)
    __rmul__ = _reflected_operator(__mul__)
    __rtruediv__ = _reflected_operator(__truediv__)
    __neg__ = _unary_operator(sg.Neg)

    def __pow__(self, exponent: float) -> Scalar:
        """self ** p for a number p."""
        exponent = _number(exponent)
        if isinstance(exponent, bool) or not isinstance(exponent, Real):
            raise ArgumentError(
                f"Scalar ** {type(exponent).__name__}: the exponent must be a number; for x ** y with "
                "a Scalar y write (y * x.log()).exp()"
            )
        try:
            data = sg.Pow.forward(self.data, exponent)
        except _MATH_ERRORS:
            raise _domain_error(sg.Pow, f"x = {self.data!r}, p = {exponent!r}") from None
        _checked(sg.Pow, data, (self.data, exponent), lambda: f"x = {self.data!r}, p = {exponent!r}")
        node = _new(sg.Pow)
        node.inputs = (self,)
        node.exponent = exponent
        return _record(node, data)

    # ---- functions ---------------------------------------------------------------------------
    exp = _unary_operator(sg.Exp)
    log = _unary_operator(sg.Log)
    reciprocal = _unary_operator(sg.Reciprocal)
    sigmoid = _unary_operator(sg.Sigmoid)
    tanh = _unary_operator(sg.Tanh)
    relu = _unary_operator(sg.Relu)
    _maximum = _binary_operator(sg.Maximum)

    def maximum(self, other: Any) -> Scalar:
        """max(self, other); equal inputs share the gradient (½ each)."""
        out: Scalar = self._maximum(other)
        if out is NotImplemented:
            raise ArgumentError(f"maximum: cannot combine a Scalar with {type(other).__name__}")
        return out
