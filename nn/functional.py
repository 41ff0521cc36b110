"""The functional form of every layer and activation (`import nn.functional as F`), PyTorch's
names and arguments. The losses live in `nn.losses` and are re-exported here."""

from __future__ import annotations

import numpy as np

from autograd import Tensor, adaptive_avg_pool2d, avg_pool2d, conv2d, default_generator, max_pool2d, no_grad
from autograd.errors import ArgumentError, DomainError, ShapeError
from autograd.extend import gates, wrap

from .losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    multi_margin_loss,
    nll_loss,
    smooth_l1_loss,
)

__all__ = [
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv2d",
    "cross_entropy",
    "dropout",
    "dropout2d",
    "elu",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "mse_loss",
    "multi_margin_loss",
    "nll_loss",
    "prelu",
    "relu",
    "sigmoid",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b over the last dim of `input`; `weight` is (out_features, in_features). One fused
    gate (`gates.linalg.Linear`). NumPy arrays are taken as constant tensors."""
    operands = [t if isinstance(t, Tensor) else Tensor(t) for t in (input, weight, bias) if t is not None]
    return gates.linalg.Linear.apply(*operands)


def dropout(
    input: Tensor, p: float = 0.5, training: bool = True, *, generator: np.random.Generator | None = None
) -> Tensor:
    """Inverted dropout: in training, zero each element with probability `p` and scale the kept
    ones by 1/(1 − p), so the expected value is unchanged; the identity otherwise. The mask is
    drawn from `generator`, else from autograd's default generator (`autograd.manual_seed`)."""
    return _dropout("dropout", input, p, training, generator, input.shape)


def dropout2d(
    input: Tensor, p: float = 0.5, training: bool = True, *, generator: np.random.Generator | None = None
) -> Tensor:
    """Channel dropout for (N, C, H, W) feature maps: as `dropout`, but each whole channel of each
    item is zeroed (probability `p`) or kept and scaled by 1/(1 − p)."""
    if input.ndim != 4:
        raise ShapeError(f"dropout2d: expected a 4-d input (N, C, H, W), got shape {input.shape}")
    return _dropout("dropout2d", input, p, training, generator, input.shape[:2] + (1, 1))


def _dropout(
    name: str, input: Tensor, p: float, training: bool, generator: np.random.Generator | None, mask_shape: tuple
) -> Tensor:
    """Inverted dropout with one mask draw per element of `mask_shape` (broadcast over `input`)."""
    if not 0.0 <= p <= 1.0:
        raise DomainError(f"{name}: probability p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = (generator or default_generator()).random(mask_shape) >= p
    return input * wrap((keep / (1.0 - p)).astype(input.dtype))


def _channel_shape(input: Tensor, what: str, size: int) -> tuple[int, ...]:
    """The shape (1, C, 1, …) that broadcasts a per-channel vector over `input` (N, C, …)."""
    if input.ndim < 2 or input.shape[1] != size:
        raise ShapeError(f"{what}: expected input of shape (N, {size}, ...) with {size} channels, got {input.shape}")
    return (1, size) + (1,) * (input.ndim - 2)


def batch_norm(
    input: Tensor,
    running_mean: Tensor | None,
    running_var: Tensor | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalise each channel (dim 1) over the batch and any further dims:
    y = (x − μ)/√(σ² + ε) · γ + β.

    In training, μ and σ² are the batch's mean and *biased* variance, and the running statistics
    given are updated in place: running ← (1 − momentum)·running + momentum·batch, with the
    *unbiased* batch variance for running_var (as PyTorch). Otherwise the running statistics are used.
    """
    if input.ndim < 2:
        raise ShapeError(f"batch_norm: expected input of shape (N, C, ...), got {input.shape}")
    channels = input.shape[1]
    vectors = {"running_mean": running_mean, "running_var": running_var, "weight": weight, "bias": bias}
    for name, vector in vectors.items():
        if vector is not None and vector.shape != (channels,):
            raise ShapeError(
                f"batch_norm: {name} has shape {vector.shape} but the input {input.shape} has {channels} channels"
            )
    shape = (1, channels) + (1,) * (input.ndim - 2)
    dims = (0,) + tuple(range(2, input.ndim))
    if training:
        count = input.numel() // channels if channels else 0
        if count <= 1:
            raise ShapeError(
                f"batch_norm: expected more than 1 value per channel when training, got input of shape {input.shape}"
            )
        mean = input.mean(dims, keepdim=True)
        centred = input - mean
        var = (centred * centred).mean(dims, keepdim=True)
        with no_grad():
            if running_mean is not None:
                running_mean.numpy()[...] = (1 - momentum) * running_mean.numpy() + momentum * mean.numpy().reshape(
                    channels
                )
            if running_var is not None:
                unbiased = var.numpy().reshape(channels) * (count / (count - 1))
                running_var.numpy()[...] = (1 - momentum) * running_var.numpy() + momentum * unbiased
    else:
        if running_mean is None or running_var is None:
            raise ArgumentError("batch_norm: running_mean and running_var are required when training=False")
        centred = input - running_mean.reshape(shape)
        var = running_var.reshape(shape)
    out = centred * (var + eps) ** -0.5
    if weight is not None:
        out = out * weight.reshape(shape)
    return out if bias is None else out + bias.reshape(shape)


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
