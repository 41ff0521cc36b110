"""Special-function gates: trigonometric, hyperbolic, their inverses, log1p/expm1, erf/erfc, atan2,
hypot and xlogy, and the piecewise-constant rounding family. Each docstring gives the forward and
its local gradient; `autograd.special` holds the PyTorch-named functions built on them.

The forward is NumPy on arrays; where PyTorch returns NaN or ±inf outside a function's domain
(asin 2, log1p −2, sinh 1000), the forward does too, without a NumPy RuntimeWarning. The backward
is in Tensor operations on `self.inputs` and `self.output`, so second derivatives work.

The rounding gates (Sign, Round, Floor, Ceil, Trunc) are piecewise constant: their gradient is 0
everywhere, the jumps included, as PyTorch's. They are gates only so that a result of an input
that requires grad requires grad too (and gets its zero gradient), as in PyTorch.
"""

from __future__ import annotations

import math

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .elementwise import Where

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _quiet() -> np.errstate:
    """PyTorch's NaN / ±inf outside a function's domain, without NumPy's RuntimeWarnings."""
    return np.errstate(all="ignore")


def _const(array: np.ndarray, like: Tensor) -> Tensor:
    """A constant (mask) in the gradient's dtype: it takes no part in higher derivatives."""
    return Tensor._wrap(np.asarray(array).astype(like.dtype, copy=False))


def _where(mask: np.ndarray, a: Tensor, b: Tensor) -> Tensor:
    """`a` where the constant boolean `mask` holds, else `b` (the Where gate: higher derivatives flow)."""
    return Where.apply(Tensor._wrap(np.asarray(mask, dtype=bool)), a, b)


def _exp_neg_square(x: Tensor) -> Tensor:
    """e^(−x²), as Tensor operations."""
    return (-(x * x)).exp()


class Sin(Function):
    """z = sin x  ·  ∂z/∂x = cos x"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.sin(x)

    def backward(self, g):
        return g * Cos.apply(self.inputs[0])


class Cos(Function):
    """z = cos x  ·  ∂z/∂x = −sin x"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.cos(x)

    def backward(self, g):
        return -g * Sin.apply(self.inputs[0])


class Tan(Function):
    """z = tan x  ·  ∂z/∂x = 1 + tan² x = 1 + z²"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.tan(x)

    def backward(self, g):
        z = self.output
        return g * (1 + z * z)


class Asin(Function):
    """z = asin x  ·  ∂z/∂x = 1/√(1 − x²)  (NaN for |x| > 1, as PyTorch; inf at x = ±1)"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.arcsin(x)

    def backward(self, g):
        x = self.inputs[0]
        return g * (1 - x * x) ** -0.5


class Acos(Function):
    """z = acos x  ·  ∂z/∂x = −1/√(1 − x²)  (NaN for |x| > 1, as PyTorch; −inf at x = ±1)"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.arccos(x)

    def backward(self, g):
        x = self.inputs[0]
        return -g * (1 - x * x) ** -0.5


class Atan(Function):
    """z = atan x  ·  ∂z/∂x = 1/(1 + x²)"""

    __slots__ = ()

    def forward(self, x):
        return np.arctan(x)

    def backward(self, g):
        x = self.inputs[0]
        return g / (1 + x * x)


class Atan2(Function):
    """z = atan2(y, x), the angle of the point (x, y) in (−π, π]
    ·  ∂z/∂y = x/(x² + y²), ∂z/∂x = −y/(x² + y²)  (0 at x = y = 0, as PyTorch)

    The first input is y, as in PyTorch's atan2(input, other) and NumPy's arctan2.
    """

    __slots__ = ()

    def forward(self, y, x):
        with _quiet():
            return np.arctan2(y, x)

    def backward(self, g):
        y, x = self.inputs
        gy, gx = self.needs_input_grad
        r2 = x * x + y * y
        origin = r2._data == 0
        # 1/r², and 0 where r² = 0 (PyTorch's convention there), with no division by zero
        inv = _where(origin, _const(np.zeros(()), r2), 1 / _where(origin, _const(np.ones(()), r2), r2))
        return g * x * inv if gy else None, -g * y * inv if gx else None


class Sinh(Function):
    """z = sinh x  ·  ∂z/∂x = cosh x"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.sinh(x)

    def backward(self, g):
        return g * Cosh.apply(self.inputs[0])


class Cosh(Function):
    """z = cosh x  ·  ∂z/∂x = sinh x"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.cosh(x)

    def backward(self, g):
        return g * Sinh.apply(self.inputs[0])


class Asinh(Function):
    """z = asinh x = ln(x + √(x² + 1))  ·  ∂z/∂x = 1/√(x² + 1)

    Fused for accuracy: it replaces the composition ln(x + √(x² + 1)), which cancels to 0 (or −inf)
    for x ≲ −1e8.
    """

    __slots__ = ()

    def forward(self, x):
        return np.arcsinh(x)

    def backward(self, g):
        x = self.inputs[0]
        return g * (x * x + 1) ** -0.5


class Acosh(Function):
    """z = acosh x  ·  ∂z/∂x = 1/√(x² − 1)  (NaN for x < 1, as PyTorch; inf at x = 1)"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.arccosh(x)

    def backward(self, g):
        x = self.inputs[0]
        return g * (x * x - 1) ** -0.5


class Atanh(Function):
    """z = atanh x  ·  ∂z/∂x = 1/(1 − x²)  (NaN for |x| > 1 and ±inf at x = ±1, as PyTorch)"""

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.arctanh(x)

    def backward(self, g):
        x = self.inputs[0]
        return g / (1 - x * x)


class Log1p(Function):
    """z = ln(1 + x)  ·  ∂z/∂x = 1/(1 + x)  (NaN for x < −1 and −inf at x = −1, as PyTorch)

    Fused for accuracy: it replaces the composition ln(1 + x), which loses every digit of x below the
    float epsilon.
    """

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.log1p(x)

    def backward(self, g):
        return g / (1 + self.inputs[0])


class Expm1(Function):
    """z = eˣ − 1  ·  ∂z/∂x = eˣ = z + 1

    Fused for accuracy: it replaces the composition eˣ − 1, which cancels to 0 for |x| below the float
    epsilon.
    """

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.expm1(x)

    def backward(self, g):
        return g * (self.output + 1)


class Log2(Function):
    """z = log₂ x  ·  ∂z/∂x = 1/(x ln 2)  (NaN for x < 0 and −inf at x = 0, as PyTorch)

    Fused for exactness: it replaces the composition ln x / ln 2, which misses exact powers of two by an ulp
    (ln 2²⁹ / ln 2 is 29.000000000000004, whose ceiling is 30).
    """

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.log2(x)

    def backward(self, g):
        return g / (self.inputs[0] * math.log(2))


class Log10(Function):
    """z = log₁₀ x  ·  ∂z/∂x = 1/(x ln 10)  (NaN for x < 0 and −inf at x = 0, as PyTorch)

    Fused for exactness: it replaces the composition ln x / ln 10, which misses exact powers of ten by an ulp
    (ln 10⁻³ / ln 10 is −2.9999999999999996).
    """

    __slots__ = ()

    def forward(self, x):
        with _quiet():
            return np.log10(x)

    def backward(self, g):
        return g / (self.inputs[0] * math.log(10))


def _elementwise_float64(fn, x: np.ndarray) -> np.ndarray:
    """`fn` (a `math` function of one float) on every element of `x`, in float64, back in x's dtype."""
    out = np.frompyfunc(fn, 1, 1)(np.asarray(x, dtype=np.float64))
    return np.asarray(out, dtype=np.float64).astype(x.dtype, copy=False)


def _erf_taylor_table(per_unit: int, order: int) -> np.ndarray:
    """Row n, column k: the n-th Taylor coefficient of erf at x₀ = k/per_unit on [0, 6] (erf 6 is 1
    in float64) in powers of u = per_unit·(x − x₀), erf⁽ⁿ⁾(x₀)/(n! per_unitⁿ) with erf⁽ⁿ⁾(x) =
    (2/√π)(−1)ⁿ⁻¹ Hₙ₋₁(x) e^(−x²) (Hermite: H₀ = 1, H₁ = 2x, Hₙ₊₁ = 2x Hₙ − 2n Hₙ₋₁); row 0 is C's
    erf(x₀)."""
    x = np.arange(6 * per_unit + 1) / per_unit
    previous, hermite = np.zeros_like(x), np.ones_like(x)
    gauss = _TWO_OVER_SQRT_PI * np.exp(-x * x)
    rows = [np.array([math.erf(v) for v in x])]
    for n in range(1, order + 1):
        rows.append((-1) ** (n - 1) * hermite * gauss / (math.factorial(n) * per_unit**n))
        previous, hermite = hermite, 2 * x * hermite - 2 * (n - 1) * previous
    return np.stack(rows)


# float64: 128 nodes per unit, to u⁶ (|u| ≤ ½: the first dropped term is below 10⁻¹⁸). float32 (and
# narrower, through float32): 4096 per unit, to u², in float32 arithmetic, the node's erf split in a
# float32 head and tail (the dropped term is below 10⁻¹²): within 1.5 ulps, and 2.3× faster.
_ERF_FLOAT64 = (128, _erf_taylor_table(128, 6), None)


def _float32_table(per_unit: int, order: int) -> tuple[int, np.ndarray, np.ndarray]:
    table = _erf_taylor_table(per_unit, order)
    narrow = table.astype(np.float32)
    return per_unit, narrow, (table[0] - narrow[0]).astype(np.float32)


_ERF_FLOAT32 = _float32_table(4096, 2)
_ERF_BLOCK = 16_384  # elements at a time: the temporaries stay in the cache, and few


def _erf(x: np.ndarray) -> np.ndarray:
    """erf(x) = sign x · Σₙ cₙ(x₀) uⁿ, x₀ the node nearest |x| (a table of them) and
    u = per_unit·(|x| − x₀), by Horner's rule: within 2 ulps of C's erf in float64 (in float64
    arithmetic) and within 1.5 ulps in float32 (in float32 arithmetic); vectorised (C's erf one
    element at a time is 14× slower)."""
    work = np.float64 if x.dtype == np.float64 else np.float32
    per_unit, table, tail = _ERF_FLOAT64 if work is np.float64 else _ERF_FLOAT32
    flat, out = x.reshape(-1).astype(work, copy=False), np.empty(x.size, work)
    for start in range(0, x.size, _ERF_BLOCK):
        block = slice(start, start + _ERF_BLOCK)
        _erf_block(flat[block], out[block], per_unit, table, tail)
    return out.reshape(x.shape).astype(x.dtype, copy=False)


def _erf_block(x: np.ndarray, out: np.ndarray, per_unit: int, table: np.ndarray, tail: np.ndarray | None) -> None:
    u = np.abs(x)
    u *= per_unit
    node = np.fmin(u, 6 * per_unit)  # fmin: NaN goes to the last node
    np.rint(node, out=node)
    u -= node  # exact: per_unit is a power of two, and u is near the integer node
    np.minimum(u, 0.5, out=u)  # NaN stays NaN; beyond 6 (and ±inf) erf is 1 at the last node
    k = node.astype(np.intp)
    total, term = table[-1].take(k), node  # node's array holds each next term
    for row in table[-2:0:-1]:
        total *= u
        total += row.take(k, out=term)
    total *= u
    if tail is not None:
        total += tail.take(k, out=term)  # the small part first, then the node's float32 erf
    total += table[0].take(k, out=term)
    np.copysign(total, x, out=out)


class Erf(Function):
    """z = erf x = (2/√π) ∫₀ˣ e^(−t²) dt  ·  ∂z/∂x = (2/√π) e^(−x²)

    NumPy has no erf: the forward is a Taylor expansion around the nearest node of a table (`_erf`),
    within 2 ulps of C's erf in float64 and 1.5 ulps in float32.
    """

    __slots__ = ()

    def forward(self, x):
        return _erf(x)

    def backward(self, g):
        return g * _exp_neg_square(self.inputs[0]) * _TWO_OVER_SQRT_PI


_SQRT_HALF, _INV_SQRT_TWO_PI = math.sqrt(0.5), 1.0 / math.sqrt(2.0 * math.pi)


def gelu_composed(x: Tensor) -> Tensor:
    """x · ½(1 + erf(x/√2)) in primitive gates: what the Gelu gate replaces."""
    return x * 0.5 * (1.0 + Erf.apply(x * _SQRT_HALF))


class Gelu(Function):
    """z = x Φ(x), Φ(x) = ½(1 + erf(x/√2))  ·  ∂z/∂x = Φ(x) + x φ(x), φ(x) = e^(−x²/2)/√(2π)

    Fused for speed: it replaces the composition x · ½(1 + erf(x/√2)) (`gelu_composed`, five gates
    and four arrays the size of x kept for backward) with one gate that keeps Φ(x); a recorded
    backward (create_graph=True) differentiates the composition, so higher derivatives exist.
    """

    __slots__ = ("cdf",)

    def forward(self, x):
        self.cdf = _erf(x * x.dtype.type(_SQRT_HALF))
        self.cdf += 1.0
        self.cdf *= 0.5
        return x * self.cdf

    def backward(self, g):
        return self.fused_backward(g, gelu_composed, self._numpy_backward)

    def _numpy_backward(self, gz):
        x = self.inputs[0]._data
        dz = np.square(x, out=np.empty_like(x))  # then in place (out=: a 0-d x too): x φ(x) + Φ(x), times ∂L/∂z
        dz *= -0.5
        np.exp(dz, out=dz)
        dz *= x
        dz *= _INV_SQRT_TWO_PI
        dz += self.cdf
        dz *= gz
        return (dz,)


class Erfc(Function):
    """z = erfc x = 1 − erf x  ·  ∂z/∂x = −(2/√π) e^(−x²)

    Fused for accuracy: it replaces the composition 1 − erf x, which loses all digits of the result for x ≳ 6
    (erfc 10 ≈ 2·10⁻⁴⁵ where 1 − erf 10 is 0). The forward is C's erfc (`math.erfc`) element by
    element in float64.
    """

    __slots__ = ()

    def forward(self, x):
        return _elementwise_float64(math.erfc, x)

    def backward(self, g):
        return -g * _exp_neg_square(self.inputs[0]) * _TWO_OVER_SQRT_PI


class Hypot(Function):
    """z = √(x² + y²)  ·  ∂z/∂x = x/z, ∂z/∂y = y/z  (NaN at x = y = 0, as PyTorch)

    Fused for range: it replaces the composition √(x² + y²), whose squares overflow for |x| ≳ 1e154
    (1e19 in float32) where the result is finite.
    """

    __slots__ = ()

    def forward(self, x, y):
        return np.hypot(x, y)

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        z = self.output
        return g * x / z if gx else None, g * y / z if gy else None


class Xlogy(Function):
    """z = x · ln y  ·  ∂z/∂x = ln y, ∂z/∂y = x/y  (z = 0 at x = 0 unless y is NaN; ∂z/∂x = 0 at x = 0
    where y ≤ 0; as PyTorch's xlogy)

    NaN for x ≠ 0 and y < 0, −inf·sign x at y = 0, as PyTorch.
    """

    __slots__ = ()

    def forward(self, x, y):
        with _quiet():
            z = x * np.log(y)
        return np.where((x == 0) & ~np.isnan(y), np.zeros((), z.dtype), z)

    def backward(self, g):
        x, y = self.inputs
        gx, gy = self.needs_input_grad
        dx = dy = None
        if gx:  # xlogy(g, y): g·ln y, 0 where g = 0; then 0 where x = 0 and y ≤ 0
            dx = Xlogy.apply(g, y)
            masked = np.broadcast_to((x._data == 0) & (y._data <= 0), dx.shape)
            if masked.any():
                dx = _where(masked, _const(np.zeros(()), dx), dx)
        if gy:
            dy = g * x / y
        return dx, dy


def _zero_gradient(self, g):
    """The gradient of a piecewise-constant function: 0, in the gradient's dtype and shape."""
    return Tensor._wrap(np.zeros_like(g._data))


class Sign(Function):
    """z = sign x, in {−1, 0, 1}; sign NaN is 0, as PyTorch  ·  ∂z/∂x = 0  (0 at x = 0 too, as PyTorch)"""

    __slots__ = ()

    def forward(self, x):
        return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)

    backward = _zero_gradient


class Round(Function):
    """z = x rounded to `decimals` digits, halves to even  ·  ∂z/∂x = 0  (0 at x = a half too, as PyTorch)

    With decimals ≠ 0 it computes, as PyTorch, rint(x · 10ᵈ)/10ᵈ (or rint(x/10⁻ᵈ) · 10⁻ᵈ for d < 0)
    in the input's dtype.
    """

    __slots__ = ()

    def forward(self, x, decimals=0):
        if decimals == 0:
            return np.rint(x)
        scale = np.asarray(10.0 ** abs(decimals), dtype=x.dtype)
        with _quiet():
            return np.rint(x * scale) / scale if decimals > 0 else np.rint(x / scale) * scale

    backward = _zero_gradient


class Floor(Function):
    """z = ⌊x⌋  ·  ∂z/∂x = 0  (0 at x = an integer too, as PyTorch)"""

    __slots__ = ()

    def forward(self, x):
        return np.floor(x)

    backward = _zero_gradient


class Ceil(Function):
    """z = ⌈x⌉  ·  ∂z/∂x = 0  (0 at x = an integer too, as PyTorch)"""

    __slots__ = ()

    def forward(self, x):
        return np.ceil(x)

    backward = _zero_gradient


class Trunc(Function):
    """z = trunc x, x rounded toward 0  ·  ∂z/∂x = 0  (0 at x = an integer too, as PyTorch)"""

    __slots__ = ()

    def forward(self, x):
        return np.trunc(x)

    backward = _zero_gradient
