"""`linear`: y = x Wᵀ + b, as PyTorch's `F.linear`."""

from __future__ import annotations

from autograd import Tensor
from autograd.extend import gates


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b over the last dim of `input`; `weight` is (out_features, in_features). One fused
    gate (`gates.linalg.Linear`). NumPy arrays are taken as constant tensors."""
    operands = [t if isinstance(t, Tensor) else Tensor(t) for t in (input, weight, bias) if t is not None]
    return gates.linalg.Linear.apply(*operands)
