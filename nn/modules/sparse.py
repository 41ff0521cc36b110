"""Embedding: a lookup table of learned vectors, one per token (PyTorch's `nn.Embedding`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, no_grad
from autograd.errors import ShapeError

from .. import functional as F
from .. import init
from ..functional.sparse import padding_index
from .module import Module, Parameter, check_sizes, empty_parameter


class Embedding(Module):
    """y = W[x]: the row of `weight` W (num_embeddings, embedding_dim) for each index in x, (*) → (*, D).

    W starts as N(0, 1) draws from autograd's default generator, with the `padding_idx` row (if any)
    zeroed; that row gets no gradient, so it stays as it is. `max_norm`, `norm_type`,
    `scale_grad_by_freq` are `F.embedding`'s.
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Any = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_sizes("Embedding", num_embeddings=num_embeddings, embedding_dim=embedding_dim)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = None if padding_idx is None else padding_index(padding_idx, num_embeddings, "Embedding")
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = empty_parameter(num_embeddings, embedding_dim, dtype=dtype)
            self.reset_parameters()
        else:
            weight = np.asarray(_weight.numpy() if isinstance(_weight, Tensor) else _weight)
            if weight.shape != (num_embeddings, embedding_dim):
                raise ShapeError(
                    f"Embedding: _weight has shape {weight.shape}, expected ({num_embeddings}, {embedding_dim})"
                )
            self.weight = Parameter(weight, requires_grad=not _freeze)

    def reset_parameters(self) -> None:
        """Draw the weight again from N(0, 1), the padding row zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight.numpy()[self.padding_idx] = 0

    def forward(self, input: Tensor) -> Tensor:
        return F.embedding(
            input, self.weight, self.padding_idx, self.max_norm, self.norm_type, self.scale_grad_by_freq, self.sparse
        )

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        for name, default in (("padding_idx", None), ("max_norm", None), ("norm_type", 2.0)):
            if getattr(self, name) != default and not (name == "norm_type" and self.max_norm is None):
                s += f", {name}={getattr(self, name)}"
        if self.scale_grad_by_freq:
            s += ", scale_grad_by_freq=True"
        if self.sparse:
            s += ", sparse=True"
        return s

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is (a copy of) the 2-D `embeddings`, frozen unless freeze=False."""
        weight = np.array(embeddings.numpy() if isinstance(embeddings, Tensor) else embeddings)
        if weight.ndim != 2:
            raise ShapeError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape {weight.shape}")
        return cls(
            *weight.shape,
            padding_idx=padding_idx,
            max_norm=max_norm,
            norm_type=norm_type,
            scale_grad_by_freq=scale_grad_by_freq,
            sparse=sparse,
            _weight=weight,
            _freeze=freeze,
        )
