"""`linear`: y = x Wᵀ + b, and `bilinear`: y = x₁ᵀ A x₂ + b, as PyTorch's `F.linear` / `F.bilinear`."""

from __future__ import annotations

from autograd import Tensor, einsum
from autograd.errors import DTypeError, ShapeError
from autograd.extend import gates


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b over the last dim of `input`; `weight` is (out_features, in_features). One fused
    gate (`gates.linalg.Linear`). NumPy arrays are taken as constant tensors."""
    operands = [t if isinstance(t, Tensor) else Tensor(t) for t in (input, weight, bias) if t is not None]
    return gates.linalg.Linear.apply(*operands)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """yₖ = x₁ᵀ Aₖ x₂ + bₖ over the last dims of `input1` (…, in1) and `input2` (…, in2), whose
    leading dims must agree; `weight` A is (out, in1, in2) and `bias` (out,)."""
    x1, x2, w = (t if isinstance(t, Tensor) else Tensor(t) for t in (input1, input2, weight))
    if w.ndim != 3:
        raise ShapeError(
            f"bilinear: the weight must be (out_features, in1_features, in2_features), got shape {w.shape}"
        )
    if x1.ndim == 0 or x2.ndim == 0 or x1.shape[:-1] != x2.shape[:-1]:
        raise ShapeError(
            f"bilinear: input1 and input2 must have the same leading dims (…, in1) and (…, in2), "
            f"got shapes {x1.shape} and {x2.shape}"
        )
    if x1.shape[-1] != w.shape[1] or x2.shape[-1] != w.shape[2]:
        raise ShapeError(
            f"bilinear: inputs of shapes {x1.shape} and {x2.shape} do not fit the weight {w.shape}: "
            f"expected in1_features={w.shape[1]} and in2_features={w.shape[2]} in their last dims"
        )
    for name, t in (("input2", x2), ("weight", w)):
        if t.dtype != x1.dtype:
            raise DTypeError(f"bilinear: input1 is {x1.dtype} but {name} is {t.dtype}; expected one dtype")
    out = einsum("...i,oij,...j->...o", x1, w, x2)
    if bias is None:
        return out
    b = bias if isinstance(bias, Tensor) else Tensor(bias)
    if b.shape != (w.shape[0],):
        raise ShapeError(f"bilinear: bias must have shape ({w.shape[0]},) for weight {w.shape}, got {b.shape}")
    if b.dtype != x1.dtype:
        raise DTypeError(f"bilinear: input1 is {x1.dtype} but bias is {b.dtype}; expected one dtype")
    return out + b
