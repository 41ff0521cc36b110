"""Activation functions, as PyTorch's `torch.nn.functional`."""

from __future__ import annotations

from autograd import Tensor
from autograd.errors import DomainError
from autograd.extend import gates, wrap

from .normalization import _channel_shape


def relu(input: Tensor) -> Tensor:
    """max(0, x)."""
    return input.relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """x if x > 0 else negative_slope · x."""
    return input.leaky_relu(negative_slope)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x if x > 0 else a · x with a learned slope `weight`: one slope, or one per channel (dim 1)."""
    if weight.numel() != 1:
        weight = weight.reshape(_channel_shape(input, "prelu", weight.numel())) if input.ndim >= 2 else weight
    return gates.elementwise.Where.apply(wrap(input.numpy() > 0), input, input * weight)


def elu(input: Tensor, alpha: float = 1.0) -> Tensor:
    """x if x > 0 else alpha · (eˣ − 1)."""
    return gates.elementwise.Elu.apply(input, alpha=alpha)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ)."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    return input.tanh()


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(βx))/β, the identity where βx > threshold (for stability, as PyTorch)."""
    if beta <= 0:
        raise DomainError(f"softplus: beta must be positive, got {beta}")
    return gates.elementwise.Softplus.apply(input, beta=beta, threshold=threshold)


def softmax(input: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """e^(xᵢ) / Σⱼ e^(xⱼ) along `dim` (or `axis`; the last dim if neither), computed stably."""
    return input.softmax(dim, axis=axis)


def log_softmax(input: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """xᵢ − log Σⱼ e^(xⱼ) along `dim` (or `axis`; the last dim if neither), computed stably."""
    return input.log_softmax(dim, axis=axis)
