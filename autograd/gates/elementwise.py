"""Elementwise gates. Each docstring gives the forward and its local gradient.

The array path: `forward(ctx, *arrays)` in NumPy, `backward(ctx, g)` in Tensor operations.
The gates `Scalar` has too carry its float path beside it, the same math on Python floats:
`float_forward` (a C function of `operator` or `math` where one computes it) and
`float_backward(node, out, g)`, upstream × local for each input as floats, reading the input
Scalars' `.data`. `domain` says where the float forward is finite; `float_local_gradients`, for a
gate whose local gradient can overflow where its result is still finite, lets a Scalar operation
check that too (`gradient_domain` says when it fails). `autograd.gates.scalar` makes Scalar's node
classes from these.

Binary gates broadcast as NumPy does. Their backward states only the math, on the broadcast shape:
`Function` sums each gradient back to its input's shape. A gate computes a gradient only for
inputs that need one (`needs_input_grad`).
"""

from __future__ import annotations

import math
import operator

import numpy as np

from ..function import Function
from ..tensor import Tensor


def _const(array: np.ndarray, like: Tensor) -> Tensor:
    """A constant (mask, sign, ...) in the gradient's dtype: it takes no part in higher derivatives."""
    return Tensor._wrap(array.astype(like.dtype, copy=False))


class Add(Function):
    """z = x + y  ·  ∂z/∂x = 1, ∂z/∂y = 1  (the distributor)"""

    __slots__ = ()

    def forward(self, x, y):
        return x + y

    def backward(self, g):
        gx, gy = self.needs_input_grad
        return g if gx else None, g if gy else None

    float_forward = operator.add

    @staticmethod
    def float_backward(node, out, g):
        return g, g


class Sub(Function):
    """z = x − y  ·  ∂z/∂x = 1, ∂z/∂y = −1"""

    __slots__ = ()

    def forward(self, x, y):
        return x - y

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        return g if gx else None, -g if gy else None

    float_forward = operator.sub

    @staticmethod
    def float_backward(node, out, g):
        return g, -g


class Mul(Function):
    """z = x · y  ·  ∂z/∂x = y, ∂z/∂y = x  (the switcher)"""

    __slots__ = ()

    def forward(self, x, y):
        return x * y

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        return g * y if gx else None, g * x if gy else None

    float_forward = operator.mul

    @staticmethod
    def float_backward(node, out, g):
        x, y = node.inputs
        return g * y.data, g * x.data


class Div(Function):
    """z = x / y  ·  ∂z/∂x = 1/y, ∂z/∂y = −x/y² = −z/y"""

    __slots__ = ()

    def forward(self, x, y):
        return x / y

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        return g / y if gx else None, -g * x / (y * y) if gy else None

    float_forward = operator.truediv
    domain = "x / y needs y ≠ 0 and a result within float range"
    gradient_domain = "the local gradients 1/y and −z/y overflow a float for y this close to 0"

    @staticmethod
    def float_local_gradients(x, y, z):
        return 1.0 / y, z / y

    @staticmethod
    def float_backward(node, out, g):
        y = node.inputs[1].data
        return g / y, -g * out.data / y


class Neg(Function):
    """z = −x  ·  ∂z/∂x = −1"""

    __slots__ = ()

    def forward(self, x):
        return -x

    def backward(self, g):
        return -g

    float_forward = operator.neg

    @staticmethod
    def float_backward(node, out, g):
        return (-g,)


class Reciprocal(Function):
    """z = 1/x  ·  ∂z/∂x = −1/x² = −z²"""

    __slots__ = ()

    def forward(self, x):
        return 1 / x

    def backward(self, g):
        z = self.output
        return -g * z * z

    domain = "1/x needs x ≠ 0 and a result within float range"
    gradient_domain = "the local gradient −1/x² overflows a float for |x| below about 1.3e-154"

    @staticmethod
    def float_forward(x):
        return 1.0 / x

    @staticmethod
    def float_local_gradients(x, z):
        return (z * z,)

    @staticmethod
    def float_backward(node, out, g):
        z = out.data
        return (-g * z * z,)


class Exp(Function):
    """z = eˣ  ·  ∂z/∂x = eˣ = z"""

    __slots__ = ()

    def forward(self, x):
        return np.exp(x)

    def backward(self, g):
        return g * self.output

    float_forward = math.exp
    domain = "eˣ overflows a float above x ≈ 709.78"

    @staticmethod
    def float_backward(node, out, g):
        return (g * out.data,)


class Log(Function):
    """z = ln x  ·  ∂z/∂x = 1/x"""

    __slots__ = ()

    def forward(self, x):
        return np.log(x)

    def backward(self, g):
        return g / self.inputs[0]

    float_forward = math.log
    domain = "ln x needs x > 0"
    gradient_domain = "the local gradient 1/x overflows a float for x below about 5.6e-309"

    @staticmethod
    def float_local_gradients(x, z):
        return (1.0 / x,)

    @staticmethod
    def float_backward(node, out, g):
        return (g / node.inputs[0].data,)


class Pow(Function):
    """z = xʸ  ·  ∂z/∂x = y·xʸ⁻¹, ∂z/∂y = z·ln x  (x ** number and number ** x alike)"""

    __slots__ = ()

    def forward(self, x, y):
        return x**y

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        dx = g * y * x ** (y - 1) if gx else None
        dy = g * self.output * x.log() if gy else None
        return dx, dy

    # On Scalars the exponent is a number p, kept on the node: z = xᵖ, ∂z/∂x = p·xᵖ⁻¹.
    float_forward = math.pow
    float_slots = ("exponent",)
    domain = "x ** p needs x ≥ 0 for a non-integer p, x ≠ 0 for p < 0, and a result within float range"
    gradient_domain = "the local gradient p·x^(p−1) is infinite at x = 0 for p < 1, or overflows a float"

    @staticmethod
    def float_local_gradients(x, p, z):
        return (p * math.pow(x, p - 1),)

    @staticmethod
    def float_backward(node, out, g):
        x, p = node.inputs[0].data, node.exponent
        return (g * p * math.pow(x, p - 1),)


class Abs(Function):
    """z = |x|  ·  ∂z/∂x = sign(x)  (0 at x = 0, as the central difference)"""

    __slots__ = ()

    def forward(self, x):
        return np.abs(x)

    def backward(self, g):
        return g * _const(np.sign(self.inputs[0]._data), g)


class Tanh(Function):
    """z = tanh x  ·  ∂z/∂x = 1 − z²"""

    __slots__ = ()

    def forward(self, x):
        return np.tanh(x)

    def backward(self, g):
        z = self.output
        return g * (1 - z * z)

    float_forward = math.tanh

    @staticmethod
    def float_backward(node, out, g):
        z = out.data
        return (g * (1.0 - z * z),)


class Sigmoid(Function):
    """z = σ(x) = 1/(1 + e⁻ˣ)  ·  ∂z/∂x = z(1 − z)

    One gate for what would be neg, exp, add-one and reciprocal. The forward never exponentiates a
    positive number, so it is finite (with no warnings) for every input, float or array.
    """

    __slots__ = ()

    def forward(self, x):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1, e) / (1 + e)

    def backward(self, g):
        z = self.output
        return g * z * (1 - z)

    @staticmethod
    def float_forward(x):
        if x >= 0:
            return 1.0 / (1.0 + math.exp(-x))
        e = math.exp(x)
        return e / (1.0 + e)

    @staticmethod
    def float_backward(node, out, g):
        z = out.data
        return (g * z * (1.0 - z),)


class Relu(Function):
    """z = max(0, x)  ·  ∂z/∂x = 1 if x > 0 else 0  (0 at x = 0, project rule)"""

    __slots__ = ()

    def forward(self, x):
        return np.maximum(x, 0)

    def backward(self, g):
        return g * _const(self.inputs[0]._data > 0, g)

    @staticmethod
    def float_forward(x):
        return x if x > 0 else 0.0

    @staticmethod
    def float_backward(node, out, g):
        return (g if node.inputs[0].data > 0 else 0.0,)


class LeakyRelu(Function):
    """z = x if x > 0 else αx  ·  ∂z/∂x = 1 if x > 0 else α"""

    __slots__ = ("slope",)

    def forward(self, x, slope):
        self.slope = slope
        return np.where(x > 0, x, x * slope)

    def backward(self, g):
        return g * _const(np.where(self.inputs[0]._data > 0, 1.0, self.slope), g)


class Clip(Function):
    """z = min(max(x, low), high)  ·  ∂z/∂x = 1 if low ≤ x ≤ high else 0"""

    __slots__ = ("low", "high")

    def forward(self, x, low, high):
        self.low, self.high = low, high
        return np.clip(x, low, high)

    def backward(self, g):
        x = self.inputs[0]._data
        inside = np.ones(x.shape, dtype=bool)
        if self.low is not None:
            inside &= x >= self.low
        if self.high is not None:
            inside &= x <= self.high
        return g * _const(inside, g)


class Maximum(Function):
    """z = max(x, y)  ·  ∂z/∂x = 1 if x > y, ½ if x = y, else 0  (the router; ties split evenly,
    as the central difference does)"""

    __slots__ = ()

    def forward(self, x, y):
        return np.maximum(x, y)

    def backward(self, g):
        x, y = self.inputs
        share = _const(np.where(x._data > y._data, 1.0, np.where(x._data == y._data, 0.5, 0.0)), g)
        gx, gy = self.needs_input_grad
        return g * share if gx else None, g * (1 - share) if gy else None

    float_forward = max

    @staticmethod
    def float_backward(node, out, g):
        x, y = node.inputs
        if x.data > y.data:
            return g, 0.0
        if x.data < y.data:
            return 0.0, g
        return 0.5 * g, 0.5 * g


class Where(Function):
    """z = x where cond else y  ·  ∂z/∂x = cond, ∂z/∂y = not cond"""

    __slots__ = ()

    def forward(self, cond, x, y):
        return np.where(cond, x, y)

    def backward(self, g):
        cond, x, y = self.inputs
        _, gx, gy = self.needs_input_grad
        mask = _const(np.broadcast_to(cond._data, g.shape), g)
        return None, g * mask if gx else None, g * (1 - mask) if gy else None


class Clone(Function):
    """z = x, in memory of its own  ·  ∂z/∂x = 1"""

    __slots__ = ()

    def forward(self, x):
        return x.copy()

    def backward(self, g):
        return g


class Cast(Function):
    """z = x as another dtype  ·  ∂z/∂x = 1 (the gradient goes back in x's dtype)"""

    __slots__ = ()

    def forward(self, x, dtype):
        return x.astype(dtype)

    def backward(self, g):
        return g.to(self.inputs[0].dtype)


def _clamped_log(p):
    """max(log p, −100) for p in [0, 1] (arrays or Tensors), with no log(0) warning: p is first
    raised to the smallest positive float, whose log is below −100."""
    return p.clip(min=float(np.finfo(p.dtype).smallest_subnormal)).log().clip(min=-100.0)


class BinaryCrossEntropy(Function):
    """z = −[y max(log p, −100) + (1 − y) max(log(1 − p), −100)]
    ·  ∂z/∂p = (p − y) / max(p(1 − p), 10⁻¹²),  ∂z/∂y = max(log(1 − p), −100) − max(log p, −100)

    Fused for stability, as PyTorch's binary cross-entropy: it replaces the composition
    −(y · clip(log p) + (1 − y) · clip(log(1 − p))), whose gradient 1/p overflows to −inf in float32
    for p below about 3·10⁻³⁹ (σ(−95) is such a denormal). The clamp of the denominator keeps the
    gradient finite for every p in [0, 1]; elsewhere it is the composition's gradient exactly.
    """

    __slots__ = ()

    def forward(self, p, y):
        with np.errstate(divide="ignore"):
            return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))

    def backward(self, g):
        p, y = self.inputs
        gp, gy = self.needs_input_grad
        grad_p = g * (p - y) / (p * (1 - p)).clip(min=1e-12) if gp else None
        return grad_p, g * (_clamped_log(1 - p) - _clamped_log(p)) if gy else None


class Softplus(Function):
    """z = log(1 + e^(βx))/β, and z = x where βx > threshold  ·  ∂z/∂x = σ(βx), and 1 where βx > threshold

    Fused for stability: computed as (max(βx, 0) + log1p(e^−|βx|))/β, so no exponential overflows
    for any input (the composed log(1 + exp(βx)) is inf for βx ≳ 89 in float32).
    """

    __slots__ = ("beta", "threshold")

    def forward(self, x, beta, threshold):
        self.beta, self.threshold = beta, threshold
        bx = x * beta
        soft = (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta
        return np.where(bx > threshold, x, soft)

    def backward(self, g):
        bx = self.inputs[0] * self.beta
        linear = bx._data > self.threshold
        return g * (bx.sigmoid() * _const(~linear, g) + _const(linear, g))


class Elu(Function):
    """z = x if x > 0 else α(eˣ − 1)  ·  ∂z/∂x = 1 if x > 0 else αeˣ = z + α

    Fused so that eˣ is only ever taken of x ≤ 0 (no overflow for large inputs) and uses expm1.
    """

    __slots__ = ("alpha",)

    def forward(self, x, alpha):
        self.alpha = alpha
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))

    def backward(self, g):
        positive = Tensor._wrap(self.inputs[0]._data > 0)
        return Where.apply(positive, g, g * (self.output + self.alpha))
