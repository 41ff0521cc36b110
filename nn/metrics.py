"""Evaluation metrics computed from a model's outputs (no graph is recorded)."""

from __future__ import annotations

import math
from typing import Any

from autograd import Tensor, no_grad
from autograd.errors import ArgumentError, ShapeError

from .functional import cross_entropy


def perplexity(logits: Tensor, target: Any, ignore_index: int = -100) -> float:
    """exp(−(1/T) Σ_t log P(w_t | w_<t)): the exponential of the mean cross-entropy of next-token
    `logits` (..., V) against the tokens `target` (...), e.g. (B, T, V) and (B, T). Tokens equal
    to `ignore_index` (padding) are left out of the mean. 1 is a perfect model; V a uniform guess."""
    if not isinstance(logits, Tensor) or logits.ndim < 1:
        raise ArgumentError(f"perplexity: logits must be a Tensor (..., V), got {type(logits).__name__}")
    target = target if isinstance(target, Tensor) else Tensor(target)
    if target.shape != logits.shape[:-1]:
        raise ShapeError(
            f"perplexity: target of shape {target.shape} does not match logits of shape {logits.shape}; "
            f"expected target shape {logits.shape[:-1]}"
        )
    with no_grad():
        loss = cross_entropy(logits.reshape(-1, logits.shape[-1]), target.reshape(-1), ignore_index=ignore_index)
    return math.exp(loss.item())
