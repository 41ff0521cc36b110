"""Batch normalisation layers (PyTorch's parameters, buffers, defaults and update rules)."""

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
