"""`batch_norm` with running statistics, `layer_norm`, `rms_norm`, `group_norm` and `normalize`
(unit vectors), as PyTorch's."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, linalg, no_grad
from autograd.errors import ArgumentError, ShapeError
from autograd.extend import gates


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


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:
    """x / max(‖x‖_p, ε) with the norm taken along `dim` (unit vectors along `dim`)."""
    if out is not None:
        raise ArgumentError("normalize: out= is not supported; use the returned tensor")
    x = input if isinstance(input, Tensor) else Tensor(input)
    if not -max(x.ndim, 1) <= dim < max(x.ndim, 1):
        raise ShapeError(f"normalize: dim {dim} is out of range for an input of shape {x.shape}")
    return x / linalg.vector_norm(x, p, dim=dim, keepdim=True).clamp_min(eps)


def _normalized_dims(name: str, input: Tensor, normalized_shape: Any) -> int:
    shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)
    if not shape or tuple(input.shape[input.ndim - len(shape) :]) != shape or input.ndim < len(shape):
        raise ShapeError(
            f"{name}: normalized_shape {list(shape)} must be the input's last dims; got input of shape {input.shape}"
        )
    return len(shape)


def _affine_shapes(name: str, dims_shape: tuple[int, ...], **vectors: Tensor | None) -> None:
    for what, v in vectors.items():
        if v is not None and tuple(v.shape) != dims_shape:
            raise ShapeError(f"{name}: {what} has shape {v.shape}, expected normalized_shape {dims_shape}")


def layer_norm(
    input: Tensor, normalized_shape: Any, weight: Tensor | None = None, bias: Tensor | None = None, eps: float = 1e-5
) -> Tensor:
    """(x − μ)/√(σ² + ε) · weight + bias, μ and σ² (biased) over the last len(normalized_shape) dims:
    one fused gate (`gates.normalization.LayerNorm`)."""
    dims = _normalized_dims("layer_norm", input, normalized_shape)
    _affine_shapes("layer_norm", tuple(input.shape[input.ndim - dims :]), weight=weight, bias=bias)
    if weight is None and bias is not None:
        return gates.normalization.LayerNorm.apply(input, dims=dims, eps=eps) + bias
    operands = [t for t in (weight, bias) if t is not None]
    return gates.normalization.LayerNorm.apply(input, *operands, dims=dims, eps=eps)


def rms_norm(input: Tensor, normalized_shape: Any, weight: Tensor | None = None, eps: float | None = None) -> Tensor:
    """x / √(mean(x²) + ε) · weight over the last len(normalized_shape) dims; ε defaults to the
    machine epsilon of the input's dtype, as PyTorch's."""
    dims = _normalized_dims("rms_norm", input, normalized_shape)
    _affine_shapes("rms_norm", tuple(input.shape[input.ndim - dims :]), weight=weight)
    axes = tuple(range(input.ndim - dims, input.ndim))
    eps = float(np.finfo(input.dtype).eps) if eps is None else eps
    out = input * ((input * input).mean(axes, keepdim=True) + eps) ** -0.5
    return out if weight is None else out * weight


def group_norm(
    input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None, eps: float = 1e-5
) -> Tensor:
    """Normalise each of `num_groups` groups of channels (dim 1) of each sample over its channels
    and positions, then scale and shift per channel: the layer-norm gate on (N, G, C/G·…)."""
    if input.ndim < 2:
        raise ShapeError(f"group_norm: expected input of shape (N, C, ...), got {input.shape}")
    channels = input.shape[1]
    if num_groups < 1 or channels % num_groups:
        raise ShapeError(f"group_norm: {channels} channels cannot be split into {num_groups} groups")
    _affine_shapes("group_norm", (channels,), weight=weight, bias=bias)
    grouped = input.reshape(input.shape[0], num_groups, -1)
    out = gates.normalization.LayerNorm.apply(grouped, dims=1, eps=eps).reshape(input.shape)
    shape = (1, channels) + (1,) * (input.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(shape)
    return out if bias is None else out + bias.reshape(shape)
