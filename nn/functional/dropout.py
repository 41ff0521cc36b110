"""Inverted dropout, element-wise and per channel, as PyTorch's `F.dropout` / `F.dropout2d`."""

from __future__ import annotations

import numpy as np

from autograd import Tensor, default_generator
from autograd.errors import DomainError, ShapeError
from autograd.extend import in_place, wrap


def dropout(
    input: Tensor,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    *,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Inverted dropout: in training, zero each element with probability `p` and scale the kept
    ones by 1/(1 − p), so the expected value is unchanged; the identity otherwise. The mask is
    drawn from `generator`, else from autograd's default generator (`autograd.manual_seed`). With
    inplace=True the result is written into `input` (an in-place op, version-checked)."""
    return _dropout("dropout", input, p, training, generator, input.shape, inplace)


def dropout2d(
    input: Tensor,
    p: float = 0.5,
    training: bool = True,
    inplace: bool = False,
    *,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Channel dropout for (N, C, H, W) feature maps: as `dropout`, but each whole channel of each
    item is zeroed (probability `p`) or kept and scaled by 1/(1 − p)."""
    if input.ndim != 4:
        raise ShapeError(f"dropout2d: expected a 4-d input (N, C, H, W), got shape {input.shape}")
    return _dropout("dropout2d", input, p, training, generator, input.shape[:2] + (1, 1), inplace)


def _dropout(
    name: str,
    input: Tensor,
    p: float,
    training: bool,
    generator: np.random.Generator | None,
    mask_shape: tuple,
    inplace: bool = False,
) -> Tensor:
    """Inverted dropout with one mask draw per element of `mask_shape` (broadcast over `input`),
    written into `input` if `inplace`."""
    if not 0.0 <= p <= 1.0:
        raise DomainError(f"{name}: probability p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return input
    if inplace:
        return in_place(input, name + "_", lambda x: _dropout(name, x, p, training, generator, mask_shape))
    if p == 1.0:
        return input * 0.0
    keep = (generator or default_generator()).random(mask_shape) >= p
    return input * wrap((keep / (1.0 - p)).astype(input.dtype))
