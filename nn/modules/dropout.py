"""Dropout and Dropout2d: inverted dropout in training, the identity in eval mode."""

from __future__ import annotations

from autograd import Tensor
from autograd.errors import DomainError

from .. import functional as F
from .module import Module


class Dropout(Module):
    """Inverted dropout (`F.dropout`): in training, zero each element with probability p and scale
    the rest by 1/(1 − p); the identity in eval mode."""

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise DomainError(f"{type(self).__name__}: probability p must be in [0, 1], got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout2d(Dropout):
    """Channel dropout (`F.dropout2d`) for (N, C, H, W) feature maps: in training, zero each whole
    channel with probability p and scale the rest by 1/(1 − p); the identity in eval mode."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training, self.inplace)
