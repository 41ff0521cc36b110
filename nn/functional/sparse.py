"""`one_hot`, as PyTorch's `F.one_hot`."""

from __future__ import annotations

import numpy as np

from autograd import Tensor
from autograd.errors import DomainError, DTypeError, IndexOutOfRange
from autograd.extend import wrap


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
