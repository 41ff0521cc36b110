"""Positional encodings, which PyTorch leaves to its users: the sinusoidal table of "Attention Is
All You Need" (the notes' formula) and rotary embeddings (RoPE, Su et al. 2021). Learned positions
are an `nn.Embedding` over positions (`nn.LearnedPositionalEmbedding`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, cat, get_default_dtype, stack, tensor
from autograd.errors import DomainError, ShapeError


def sinusoidal_positional_encoding(length: int, dim: int, base: float = 10000.0, *, dtype: Any = None) -> Tensor:
    """The (length, dim) table PE[pos, 2k] = sin(pos / base^(2k/dim)), PE[pos, 2k+1] = cos(pos / base^(2k/dim)):
    each pair of columns a sinusoid of its own wavelength, from 2π to base·2π, so that PE[pos + δ]
    is a fixed rotation of PE[pos] for every δ. An odd `dim` keeps the last column's sine."""
    for name, value in (("length", length), ("dim", dim)):
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
            raise DomainError(f"sinusoidal_positional_encoding: {name} must be a positive int, got {value!r}")
    angles = np.arange(length)[:, None] / base ** (np.arange(0, dim, 2) / dim)  # (length, ⌈dim/2⌉)
    table = np.empty((length, dim))
    table[:, 0::2] = np.sin(angles)
    table[:, 1::2] = np.cos(angles[:, : dim // 2])
    return tensor(table, dtype=get_default_dtype() if dtype is None else dtype)


def rotary_tables(positions: np.ndarray, dim: int, base: float = 10000.0) -> tuple[np.ndarray, np.ndarray]:
    """cos(pos·θ_i) and sin(pos·θ_i), each (len(positions), dim/2), θ_i = base^(−2i/dim)."""
    if not isinstance(dim, (int, np.integer)) or dim < 2 or dim % 2:
        raise ShapeError(f"rotary_embedding: the last dimension must be even and at least 2, got {dim}")
    angles = np.asarray(positions, dtype=np.float64)[:, None] * base ** (-np.arange(0, dim, 2) / dim)
    return np.cos(angles), np.sin(angles)


def rotate(input: Tensor, cos: np.ndarray, sin: np.ndarray, interleaved: bool) -> Tensor:
    """Rotate each pair (x1, x2) of `input`'s last dimension by its angle: (x1 cos − x2 sin, x1 sin + x2 cos).
    Pairs are (i, i + d/2) (half-split), or (2i, 2i + 1) if `interleaved`."""
    c, s = tensor(cos, dtype=input.dtype), tensor(sin, dtype=input.dtype)
    if interleaved:
        x1, x2 = input[..., 0::2], input[..., 1::2]
        pairs = stack([x1 * c - x2 * s, x1 * s + x2 * c], dim=-1)  # (…, d/2, 2)
        return pairs.reshape(*input.shape)
    half = input.shape[-1] // 2
    x1, x2 = input[..., :half], input[..., half:]
    return cat([x1 * c - x2 * s, x1 * s + x2 * c], dim=-1)


def rotary_embedding(input: Tensor, positions: Any = None, base: float = 10000.0, interleaved: bool = False) -> Tensor:
    """RoPE: rotate each pair of features of `input` (…, T, d) at position m by the angle m·θ_i,
    θ_i = base^(−2i/d), so that the dot product of a query at m and a key at n depends on m − n
    only. `positions` (T,) default 0…T−1. Pairs are (i, i + d/2), as GPT-NeoX and LLaMA in Hugging
    Face's layout; `interleaved=True` pairs (2i, 2i + 1), as the paper and Meta's LLaMA."""
    if not isinstance(input, Tensor) or input.ndim < 2:
        got = f"shape {input.shape}" if isinstance(input, Tensor) else type(input).__name__
        raise ShapeError(f"rotary_embedding: input must be a Tensor (…, T, d), got {got}")
    length = input.shape[-2]
    positions = np.arange(length) if positions is None else np.asarray(positions)
    if positions.shape != (length,):
        raise ShapeError(f"rotary_embedding: positions has shape {positions.shape}, expected ({length},)")
    cos, sin = rotary_tables(positions, input.shape[-1], base)
    return rotate(input, cos, sin, interleaved)
