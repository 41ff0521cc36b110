"""Flatten: (N, d1, d2, …) → (N, d1·d2·…) between start_dim and end_dim, and its inverse Unflatten,
as PyTorch's."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd import Tensor
from autograd.errors import ArgumentError

from .module import Module


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


class Unflatten(Module):
    """Split dim `dim` into `unflattened_size`: (N, C·H·W) → (N, C, H, W) with dim=1, size (C, H, W)."""

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)) or not all(
            isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in unflattened_size
        ):
            raise ArgumentError(
                f"Unflatten: unflattened_size must be a tuple or list of ints, got {unflattened_size!r}"
            )
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        return input.unflatten(self.dim, tuple(self.unflattened_size))

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
