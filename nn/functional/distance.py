"""Distances between batches of vectors, as PyTorch's `F.cosine_similarity` / `F.pairwise_distance`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, linalg
from autograd.errors import ShapeError
from autograd.extend import wrap


def _tensors(name: str, x1: Any, x2: Any) -> tuple[Tensor, Tensor]:
    """Both as Tensors, checked to broadcast together."""
    x1, x2 = (t if isinstance(t, Tensor) else Tensor(t) for t in (x1, x2))
    try:
        np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise ShapeError(f"{name}: x1 of shape {x1.shape} and x2 of shape {x2.shape} do not broadcast") from None
    return x1, x2


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x₁·x₂ / (max(‖x₁‖, ε) · max(‖x₂‖, ε)) along `dim`, x1 and x2 broadcast together; as in
    PyTorch, a norm below ε is raised to ε in value only (its gradient is the norm's)."""
    x1, x2 = _tensors("cosine_similarity", x1, x2)
    ndim = max(x1.ndim, x2.ndim)
    if not -ndim <= dim < max(ndim, 1):
        raise ShapeError(f"cosine_similarity: dim {dim} is out of range for inputs of {ndim} dims")
    n1, n2 = (_at_least(linalg.vector_norm(x, 2, dim=dim, keepdim=True), eps) for x in (x1, x2))
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def _at_least(norm: Tensor, eps: float) -> Tensor:
    """max(norm, eps) in value, with the gradient of `norm` itself (PyTorch clamps the norm outside
    the graph, so a norm below eps still passes its gradient)."""
    a = norm.numpy()
    return norm + wrap(np.maximum(a, eps) - a)


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """‖x₁ − x₂ + ε‖_p over the last dim, x1 and x2 broadcast together."""
    x1, x2 = _tensors("pairwise_distance", x1, x2)
    ndim = max(x1.ndim, x2.ndim)
    diff = x1 - x2 + eps
    if ndim == 0:
        return linalg.vector_norm(diff, p)
    return linalg.vector_norm(diff, p, dim=ndim - 1, keepdim=keepdim)
