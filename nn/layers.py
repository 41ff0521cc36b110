"""Basic layers: Linear, Identity, Flatten, Dropout, Dropout2d (PyTorch's names, shapes and initialisations)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, get_default_dtype
from autograd.errors import DomainError, DTypeError
from autograd.extend import as_dtype, size_args

from . import functional as F
from . import init
from .module import Module, Parameter


def float_dtype(dtype: Any) -> np.dtype:
    """A layer's `dtype=` argument: float32 (the default float) if None; it must be a float dtype."""
    result = get_default_dtype() if dtype is None else as_dtype("layer dtype", dtype)
    if result.kind != "f":
        raise DTypeError(f"layer dtype must be a floating-point dtype (parameters are learned), got {result}")
    return result


def check_sizes(layer: str, **sizes: Any) -> None:
    """Raise unless each named size argument of `layer` is a non-negative int (a clear error up
    front, instead of NumPy's "negative dimensions are not allowed" from the parameter)."""
    for name, value in sizes.items():
        size_args(layer, (value,), what=name)


def empty_parameter(*shape: int, dtype: Any = None) -> Parameter:
    """A zero-filled parameter of `shape` in `dtype` (float32 if None), for an initialiser to fill."""
    return Parameter(np.zeros(shape, dtype=float_dtype(dtype)))


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


class Flatten(Module):
    """Merge dims start_dim…end_dim into one: (N, C, H, W) → (N, C·H·W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input: Tensor) -> Tensor:
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Dropout(Module):
    """Inverted dropout (`F.dropout`): in training, zero each element with probability p and scale
    the rest by 1/(1 − p); the identity in eval mode."""

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise DomainError(f"{type(self).__name__}: probability p must be in [0, 1], got {p}")
        self.p = p

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Dropout2d(Dropout):
    """Channel dropout (`F.dropout2d`) for (N, C, H, W) feature maps: in training, zero each whole
    channel with probability p and scale the rest by 1/(1 − p); the identity in eval mode."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training)
