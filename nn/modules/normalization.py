"""Normalisation layers: BatchNorm1d/2d, LayerNorm, RMSNorm, GroupNorm (PyTorch's parameters,
buffers, defaults and update rules)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ShapeError
from autograd.extend import wrap

from .. import functional as F
from .module import Module, check_sizes, empty_parameter, float_dtype


class _BatchNorm(Module):
    """Per-channel (dim 1) batch normalisation, y = (x − μ)/√(σ² + ε) · weight + bias.

    Training mode normalises with the batch mean and biased variance and, with
    `track_running_stats`, updates `running_mean` and `running_var` (the latter from the
    unbiased batch variance): running ← (1 − momentum)·running + momentum·batch, or the
    cumulative average over the `num_batches_tracked` batches seen if momentum is None. Eval mode
    normalises with the running statistics (with the batch's if they are not tracked).
    Subclasses fix the input dims they accept (`dims`).
    """

    dims: tuple[int, ...]

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_sizes(type(self).__name__, num_features=num_features)
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = empty_parameter(num_features, dtype=dtype)
            self.bias = empty_parameter(num_features, dtype=dtype)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", wrap(np.zeros(num_features, dtype=float_dtype(dtype))))
            self.register_buffer("running_var", wrap(np.ones(num_features, dtype=float_dtype(dtype))))
            self.register_buffer("num_batches_tracked", wrap(np.array(0, dtype=np.int64)))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats:
            self.running_mean.numpy()[...] = 0
            self.running_var.numpy()[...] = 1
            self.num_batches_tracked.numpy()[...] = 0

    def reset_parameters(self) -> None:
        """Reset the running statistics, and weight to 1 and bias to 0."""
        self.reset_running_stats()
        if self.affine:
            self.weight.numpy()[...] = 1
            self.bias.numpy()[...] = 0

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in self.dims:
            wanted = " or ".join(f"{d}-d" for d in self.dims)
            raise ShapeError(f"{type(self).__name__}: expected {wanted} input, got shape {input.shape}")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.numpy()[...] += 1
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked.numpy())
        use_batch_stats = self.training or self.running_mean is None
        return F.batch_norm(
            input,
            self.running_mean if not self.training or self.track_running_stats else None,
            self.running_var if not self.training or self.track_running_stats else None,
            self.weight,
            self.bias,
            use_batch_stats,
            factor,
            self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalisation over (N, C) or (N, C, L) inputs, per feature/channel C."""

    dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation over (N, C, H, W) inputs, per channel C (statistics over N, H and W)."""

    dims = (4,)


def _shape(normalized_shape: Any) -> tuple[int, ...]:
    return (int(normalized_shape),) if isinstance(normalized_shape, (int, np.integer)) else tuple(normalized_shape)


class LayerNorm(Module):
    """y = (x − μ)/√(σ² + ε) · weight + bias over the last dims (`normalized_shape`), per sample;
    weight starts at 1 and bias at 0 (`elementwise_affine=False`: neither, `bias=False`: no bias)."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.normalized_shape, self.eps, self.elementwise_affine = _shape(normalized_shape), eps, elementwise_affine
        check_sizes("LayerNorm", **{f"normalized_shape[{i}]": n for i, n in enumerate(self.normalized_shape)})
        self.weight = empty_parameter(*self.normalized_shape, dtype=dtype) if elementwise_affine else None
        self.bias = empty_parameter(*self.normalized_shape, dtype=dtype) if elementwise_affine and bias else None
        if self.weight is None:
            self.register_parameter("weight", None)
        if self.bias is None:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.weight is not None:
            self.weight.numpy()[...] = 1
        if self.bias is not None:
            self.bias.numpy()[...] = 0

    def forward(self, input: Tensor) -> Tensor:
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        affine = f"elementwise_affine={self.elementwise_affine}"
        return f"{self.normalized_shape}, eps={self.eps}, {affine}, bias={self.bias is not None}"


class RMSNorm(Module):
    """y = x / √(mean(x²) + ε) · weight over the last dims; ε None is the dtype's machine epsilon."""

    def __init__(
        self,
        normalized_shape: Any,
        eps: float | None = None,
        elementwise_affine: bool = True,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self.normalized_shape, self.eps, self.elementwise_affine = _shape(normalized_shape), eps, elementwise_affine
        if elementwise_affine:
            self.weight = empty_parameter(*self.normalized_shape, dtype=dtype)
            self.weight.numpy()[...] = 1
        else:
            self.register_parameter("weight", None)

    def forward(self, input: Tensor) -> Tensor:
        return F.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class GroupNorm(Module):
    """Normalise `num_groups` groups of channels per sample, then weight and bias per channel (1 and 0)."""

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        device: Any = None,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        check_sizes("GroupNorm", num_groups=num_groups, num_channels=num_channels)
        if num_groups < 1 or num_channels % num_groups:
            raise ShapeError(f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        self.weight = empty_parameter(num_channels, dtype=dtype) if affine else None
        self.bias = empty_parameter(num_channels, dtype=dtype) if affine and bias else None
        for name in ("weight", "bias"):
            if getattr(self, name) is None:
                self.register_parameter(name, None)
        if self.weight is not None:
            self.weight.numpy()[...] = 1

    def forward(self, input: Tensor) -> Tensor:
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        groups = f"{self.num_groups}, {self.num_channels}"
        return f"{groups}, eps={self.eps}, affine={self.affine}, bias={self.bias is not None}"
