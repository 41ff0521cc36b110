"""Linear layers: Identity, Linear (and NonDynamicallyQuantizableLinear, MultiheadAttention's
out_proj) and Bilinear (PyTorch's names, shapes and initialisations)."""

from __future__ import annotations

import math
from typing import Any

from autograd import Tensor

from .. import functional as F
from .. import init
from .module import Module, check_sizes, empty_parameter


class Identity(Module):
    """y = x."""

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x Wᵀ + b, applied to the last dim of the input (…, in_features) → (…, out_features).

    `weight` is (out_features, in_features) and `bias` (out_features,). Both start as PyTorch's:
    U(−1/√in_features, 1/√in_features) (kaiming_uniform_ with a = √5 for the weight), drawn from
    autograd's default generator, so `autograd.manual_seed` makes them reproducible.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype: Any = None) -> None:
        super().__init__()
        check_sizes("Linear", in_features=in_features, out_features=out_features)
        self.in_features = in_features
        self.out_features = out_features
        self.weight = empty_parameter(out_features, in_features, dtype=dtype)
        if bias:
            self.bias = empty_parameter(out_features, dtype=dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again from their default distributions."""
        init.default_weight_and_bias_(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class NonDynamicallyQuantizableLinear(Linear):
    """A Linear under PyTorch's name for MultiheadAttention's `out_proj` (same reprs as PyTorch's)."""


class Bilinear(Module):
    """yₖ = x₁ᵀ Aₖ x₂ + bₖ: (…, in1_features), (…, in2_features) → (…, out_features).

    `weight` A is (out_features, in1_features, in2_features) and `bias` (out_features,); both start
    as PyTorch's, U(−1/√in1_features, 1/√in1_features), from autograd's default generator.
    """

    def __init__(
        self, in1_features: int, in2_features: int, out_features: int, bias: bool = True, dtype: Any = None
    ) -> None:
        super().__init__()
        check_sizes("Bilinear", in1_features=in1_features, in2_features=in2_features, out_features=out_features)
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = empty_parameter(out_features, in1_features, in2_features, dtype=dtype)
        if bias:
            self.bias = empty_parameter(out_features, dtype=dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again from U(−1/√in1_features, 1/√in1_features)."""
        bound = 1 / math.sqrt(self.in1_features) if self.in1_features > 0 else 0.0
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
            f"out_features={self.out_features}, bias={self.bias is not None}"
        )
