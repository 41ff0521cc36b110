"""`embedding` and `one_hot`, as PyTorch's `F.embedding` / `F.one_hot`."""

from __future__ import annotations

import numpy as np

from autograd import Tensor
from autograd.errors import ArgumentError, DomainError, DTypeError, IndexOutOfRange, ShapeError
from autograd.extend import gates, mark_dirty, wrap


def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Row `input[p]` of `weight` (num_embeddings, embedding_dim) at every position p: (*) → (*, D).

    The gradient of a row is the sum over the positions that read it (`gates.index.Embedding`);
    the `padding_idx` row gets none; `scale_grad_by_freq` divides each position's gradient by how
    often its index occurs in `input`. `max_norm` first rescales, in place, each row that `input`
    reads whose `norm_type` norm exceeds it to norm max_norm (PyTorch's `embedding_renorm_`:
    row · max_norm / (norm + 1e-7))."""
    index = input.numpy() if isinstance(input, Tensor) else np.asarray(input)
    if index.dtype.kind not in "iu":
        raise DTypeError(f"embedding: indices must be an integer tensor (int64 or int32), got {index.dtype}")
    if not isinstance(weight, Tensor) or weight.ndim != 2:
        got = f"shape {weight.shape}" if isinstance(weight, Tensor) else type(weight).__name__
        raise ShapeError(f"embedding: weight must be a 2-D Tensor (num_embeddings, embedding_dim), got {got}")
    rows = weight.shape[0]
    if index.size and (index.min() < 0 or index.max() >= rows):
        bad = index[(index < 0) | (index >= rows)].flat[0]
        raise IndexOutOfRange(
            f"embedding: index {bad} is out of range for num_embeddings={rows} (expected 0 to {rows - 1})"
        )
    if sparse:
        raise ArgumentError("embedding: sparse gradients are not supported; use sparse=False (dense, same values)")
    if max_norm is not None:
        _renorm_rows(weight, np.unique(index), float(max_norm), float(norm_type))
    scale = None
    if scale_grad_by_freq or padding_idx is not None:
        scale = 1.0 / np.bincount(index.ravel(), minlength=rows)[index] if scale_grad_by_freq else np.ones(index.shape)
        if padding_idx is not None:
            scale[index == padding_index(padding_idx, rows, "embedding")] = 0.0
    return gates.index.Embedding.apply(weight, index=index.astype(np.intp), scale=scale)


def padding_index(padding_idx: int, num_embeddings: int, where: str) -> int:
    """`padding_idx` in [0, num_embeddings), a negative one counted from the end, as PyTorch."""
    if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)):
        raise ArgumentError(f"{where}: padding_idx must be an integer or None, got {padding_idx!r}")
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise DomainError(
            f"{where}: padding_idx must be within num_embeddings ({-num_embeddings} to {num_embeddings - 1}), "
            f"got {padding_idx}"
        )
    return int(padding_idx) % num_embeddings


def _renorm_rows(weight: Tensor, rows: np.ndarray, max_norm: float, norm_type: float) -> None:
    """Scale, in place and outside any graph, each of `rows` whose norm exceeds max_norm."""
    w = weight.numpy()
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1)
    over = norms > max_norm
    if over.any():
        w[rows[over]] *= (max_norm / (norms[over] + 1e-7))[:, None].astype(w.dtype)
        mark_dirty(weight)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """The int64 tensor of shape (*tensor.shape, num_classes) with a 1 at each class index and 0
    elsewhere; num_classes=-1 takes the largest index + 1."""
    t = tensor if isinstance(tensor, Tensor) else Tensor(tensor)
    if t.dtype != np.int64:
        raise DTypeError(f"one_hot: expected an int64 tensor of class indices, got {t.dtype}")
    a = t.numpy()
    if a.size and a.min() < 0:
        raise DomainError(f"one_hot: class values must be non-negative, got {int(a.min())}")
    if num_classes == -1:
        if a.size == 0:
            raise DomainError("one_hot: cannot infer the number of classes from an empty tensor; pass num_classes")
        num_classes = int(a.max()) + 1
    elif num_classes < 1:
        raise DomainError(f"one_hot: num_classes must be positive or -1, got {num_classes}")
    elif a.size and a.max() >= num_classes:
        raise IndexOutOfRange(
            f"one_hot: class values must be smaller than num_classes={num_classes}, got {int(a.max())}"
        )
    out = np.zeros(a.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, a[..., None], 1, axis=-1)
    return wrap(out)
