"""Positional encodings as layers (PyTorch leaves them to its users): each adds or applies
position information to a sequence of vectors and checks the sequence fits its table."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ShapeError

from .. import functional as F
from .. import init
from ..functional.positional import rotary_tables, rotate
from .dropout import Dropout
from .module import Module, check_sizes, empty_parameter, float_dtype


def check_fits(layer: str, input: Tensor, length: int, dim: int, max_len: int) -> None:
    """Raise unless `input` ends in (…, length, dim) with `length` ≤ the table's `max_len`."""
    if not isinstance(input, Tensor) or input.ndim < 2 or input.shape[-1] != dim:
        got = f"shape {input.shape}" if isinstance(input, Tensor) else type(input).__name__
        raise ShapeError(f"{layer}: expected a Tensor (…, T, {dim}), got {got}")
    if length > max_len:
        raise ShapeError(f"{layer}: a sequence of {length} positions is longer than the table's max_len={max_len}")


class SinusoidalPositionalEncoding(Module):
    """y = dropout(x + PE[:T]) for x (…, T, D) (batch first) or (T, N, D) (`batch_first=False`),
    PE the (max_len, D) table of `F.sinusoidal_positional_encoding`, kept as the non-persistent
    buffer `pe` (not in the state dict: it is a function of the sizes)."""

    def __init__(
        self,
        embedding_dim: int,
        max_len: int = 5000,
        dropout: float = 0.0,
        batch_first: bool = True,
        *,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_sizes("SinusoidalPositionalEncoding", embedding_dim=embedding_dim, max_len=max_len)
        self.embedding_dim, self.max_len, self.batch_first = embedding_dim, max_len, batch_first
        self.dropout = Dropout(dropout)
        pe = F.sinusoidal_positional_encoding(max_len, embedding_dim, dtype=float_dtype(dtype))
        self.register_buffer("pe", pe, persistent=False)

    def forward(self, input: Tensor) -> Tensor:
        length = input.shape[-2] if self.batch_first or not isinstance(input, Tensor) else input.shape[0]
        check_fits(type(self).__name__, input, length, self.embedding_dim, self.max_len)
        table = self.pe[:length] if self.batch_first else self.pe[:length].unsqueeze(1)
        return self.dropout(input + table.to(input.dtype))

    def extra_repr(self) -> str:
        return f"{self.embedding_dim}, max_len={self.max_len}" + ("" if self.batch_first else ", batch_first=False")


class LearnedPositionalEmbedding(Module):
    """y = dropout(x + W[:T]) for x (…, T, D): `weight` W (max_len, D), one learned vector per
    position (an embedding looked up by position, as GPT's and BERT's), drawn from N(0, 1) as
    `nn.Embedding`'s."""

    def __init__(self, max_len: int, embedding_dim: int, dropout: float = 0.0, *, dtype: Any = None) -> None:
        super().__init__()
        check_sizes("LearnedPositionalEmbedding", max_len=max_len, embedding_dim=embedding_dim)
        self.max_len, self.embedding_dim = max_len, embedding_dim
        self.weight = empty_parameter(max_len, embedding_dim, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.normal_(self.weight)

    def forward(self, input: Tensor) -> Tensor:
        length = input.shape[-2] if isinstance(input, Tensor) and input.ndim >= 2 else 0
        check_fits(type(self).__name__, input, length, self.embedding_dim, self.max_len)
        return self.dropout(input + self.weight[:length])

    def extra_repr(self) -> str:
        return f"{self.max_len}, {self.embedding_dim}"


class RotaryEmbedding(Module):
    """RoPE (`F.rotary_embedding`) with its cos/sin tables for `max_len` positions computed once:
    `forward(x, offset=0)` rotates x (…, T, head_dim) as positions offset…offset + T − 1 (an offset
    for decoding one token at a time after a cache of `offset` tokens). Apply it to the queries and
    keys of each head, not to the values."""

    def __init__(self, head_dim: int, max_len: int = 4096, base: float = 10000.0, interleaved: bool = False) -> None:
        super().__init__()
        check_sizes("RotaryEmbedding", head_dim=head_dim, max_len=max_len)
        if head_dim < 2 or head_dim % 2:
            raise ShapeError(
                f"RotaryEmbedding: head_dim must be even and at least 2 (features rotate in pairs), got {head_dim}"
            )
        self.head_dim, self.max_len, self.base, self.interleaved = head_dim, max_len, base, interleaved
        self.cos, self.sin = rotary_tables(np.arange(max_len), head_dim, base)

    def forward(self, input: Tensor, offset: int = 0) -> Tensor:
        length = input.shape[-2] if isinstance(input, Tensor) and input.ndim >= 2 else 0
        check_fits(type(self).__name__, input, offset + length, self.head_dim, self.max_len)
        return rotate(input, self.cos[offset : offset + length], self.sin[offset : offset + length], self.interleaved)

    def extra_repr(self) -> str:
        return f"{self.head_dim}, max_len={self.max_len}, base={self.base}" + (
            ", interleaved=True" if self.interleaved else ""
        )
