"""The gates of `Scalar`: the math on Python floats (`math`, no NumPy), forward and backward side by side.

Each docstring gives the forward and its local gradient. `forward` takes the inputs' floats and
returns the output's float; where a C function of `operator` or `math` computes it, that function
is the forward (no Python frame in the hot path). `_backprop(out, g)` takes the output Scalar and
the upstream gradient dL/dz and returns upstream × local = dL/d(input), one float per input.
`domain` says where the forward gives a finite real float; outside it the operation raises
`DomainError` (a ValueError) naming the gate. A gate whose local gradient can overflow where its
result is still finite (1/x of a denormal x) has `local_gradients(*inputs, z)`, the local gradients
as floats, and `gradient_domain`: the operation checks them too, so a Scalar graph never holds an
infinity and never backpropagates one.
"""

from __future__ import annotations

import math
import operator

from ..graph import Node


class ScalarGate(Node):
    """Base of the Scalar gates.

    A Scalar gate saves nothing but its inputs, which the graph keeps anyway, so a backward pass
    has nothing to free and the same graph can be backpropagated again. (Tensor gates free their
    saved arrays and forbid a second pass.) A second `backward()` after `zero_grad()` gives the
    same gradients; without it they accumulate. `released` is therefore a constant False,
    shadowing the slot of `Node`.
    """

    __slots__ = ()
    released = False
    domain = "its inputs must give a finite real result"
    local_gradients = None  # or a staticmethod (*inputs, z) -> the local gradients, checked at the operation
    gradient_domain = ""

    def release(self) -> None:
        """Nothing to free: the inputs are all a Scalar gate's backward reads."""


class Add(ScalarGate):
    """z = x + y  ·  ∂z/∂x = 1, ∂z/∂y = 1  (the distributor)"""

    __slots__ = ()
    forward = operator.add

    def _backprop(self, out, g):
        return g, g


class Sub(ScalarGate):
    """z = x − y  ·  ∂z/∂x = 1, ∂z/∂y = −1"""

    __slots__ = ()
    forward = operator.sub

    def _backprop(self, out, g):
        return g, -g


class Mul(ScalarGate):
    """z = x · y  ·  ∂z/∂x = y, ∂z/∂y = x  (the switcher)"""

    __slots__ = ()
    forward = operator.mul

    def _backprop(self, out, g):
        x, y = self.inputs
        return g * y.data, g * x.data


class Div(ScalarGate):
    """z = x / y  ·  ∂z/∂x = 1/y, ∂z/∂y = −x/y² = −z/y"""

    __slots__ = ()
    forward = operator.truediv
    domain = "x / y needs y ≠ 0 and a result within float range"
    gradient_domain = "the local gradients 1/y and −z/y overflow a float for y this close to 0"

    @staticmethod
    def local_gradients(x: float, y: float, z: float) -> tuple[float, ...]:
        return 1.0 / y, z / y

    def _backprop(self, out, g):
        y = self.inputs[1].data
        return g / y, -g * out.data / y


class Neg(ScalarGate):
    """z = −x  ·  ∂z/∂x = −1"""

    __slots__ = ()
    forward = operator.neg

    def _backprop(self, out, g):
        return (-g,)


class Pow(ScalarGate):
    """z = xᵖ for a number p  ·  ∂z/∂x = p·xᵖ⁻¹"""

    __slots__ = ("exponent",)
    forward = math.pow
    domain = "x ** p needs x ≥ 0 for a non-integer p, x ≠ 0 for p < 0, and a result within float range"
    gradient_domain = "the local gradient p·x^(p−1) is infinite at x = 0 for p < 1, or overflows a float"

    @staticmethod
    def local_gradients(x: float, p: float, z: float) -> tuple[float, ...]:
        return (p * math.pow(x, p - 1),)

    def _backprop(self, out, g):
        x, p = self.inputs[0].data, self.exponent
        return (g * p * math.pow(x, p - 1),)


class Exp(ScalarGate):
    """z = eˣ  ·  ∂z/∂x = eˣ = z"""

    __slots__ = ()
    forward = math.exp
    domain = "eˣ overflows a float above x ≈ 709.78"

    def _backprop(self, out, g):
        return (g * out.data,)


class Log(ScalarGate):
    """z = ln x  ·  ∂z/∂x = 1/x"""

    __slots__ = ()
    forward = math.log
    domain = "ln x needs x > 0"
    gradient_domain = "the local gradient 1/x overflows a float for x below about 5.6e-309"

    @staticmethod
    def local_gradients(x: float, z: float) -> tuple[float, ...]:
        return (1.0 / x,)

    def _backprop(self, out, g):
        return (g / self.inputs[0].data,)


class Reciprocal(ScalarGate):
    """z = 1/x  ·  ∂z/∂x = −1/x² = −z²"""

    __slots__ = ()
    domain = "1/x needs x ≠ 0 and a result within float range"
    gradient_domain = "the local gradient −1/x² overflows a float for |x| below about 1.3e-154"

    @staticmethod
    def local_gradients(x: float, z: float) -> tuple[float, ...]:
        return (z * z,)

    @staticmethod
    def forward(x: float) -> float:
        return 1.0 / x

    def _backprop(self, out, g):
        z = out.data
        return (-g * z * z,)


class Sigmoid(ScalarGate):
    """z = σ(x) = 1/(1 + e⁻ˣ)  ·  ∂z/∂x = z(1 − z)

    One gate for what would be neg, exp, add-one and reciprocal. The forward never exponentiates a
    positive number, so it is finite for every input.
    """

    __slots__ = ()

    @staticmethod
    def forward(x: float) -> float:
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    def _backprop(self, out, g):
        z = out.data
        return (g * z * (1.0 - z),)


class Tanh(ScalarGate):
    """z = tanh x  ·  ∂z/∂x = 1 − z²"""

    __slots__ = ()
    forward = math.tanh

    def _backprop(self, out, g):
        z = out.data
        return (g * (1.0 - z * z),)


class Relu(ScalarGate):
    """z = max(0, x)  ·  ∂z/∂x = 1 if x > 0 else 0  (0 at x = 0, project rule)"""

    __slots__ = ()

    @staticmethod
    def forward(x: float) -> float:
        return x if x > 0 else 0.0

    def _backprop(self, out, g):
        return (g if self.inputs[0].data > 0 else 0.0,)


class Maximum(ScalarGate):
    """z = max(x, y)  ·  ∂z/∂x = 1 if x > y, ½ if x = y, else 0  (the router; ties split evenly,
    as the central difference does)"""

    __slots__ = ()
    forward = max

    def _backprop(self, out, g):
        x, y = self.inputs
        if x.data > y.data:
            return g, 0.0
        if x.data < y.data:
            return 0.0, g
        return 0.5 * g, 0.5 * g
