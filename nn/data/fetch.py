"""`Fetcher`: one batch (or one example, without batching) from a dataset, collated; the same code
runs in the main process and in worker processes."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, as_tensor
from autograd.errors import ArgumentError

from .collate import default_collate
from .dataset import IterableDataset, fetch_batch


class Fetcher:
    """Called with what the index sampler yields: a list of indices (batching on) or one index
    (batching off); for an iterable dataset a list of batch-size Nones, or None. Raises StopIteration when
    an iterable dataset has nothing left (or, with `drop_last`, only a short batch)."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Any, drop_last: bool) -> None:
        self.dataset = dataset
        self.auto_collation = auto_collation
        self.collate_fn = collate_fn
        self.drop_last = drop_last
        self.iterator = iter(dataset) if isinstance(dataset, IterableDataset) else None

    def __call__(self, index: Any) -> Any:
        if self.iterator is not None:
            if not self.auto_collation:
                return self.collate_fn(next(self.iterator))
            items = list(itertools.islice(self.iterator, len(index)))
            if not items or (self.drop_last and len(items) < len(index)):
                raise StopIteration
            return self.collate_fn(items)
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        if self.collate_fn is default_collate:
            return fetch_batch(self.dataset, index)
        if hasattr(self.dataset, "__getitems__"):
            return self.collate_fn(self.dataset.__getitems__(index))
        return self.collate_fn([self.dataset[i] for i in index])


def apply_transform(transform: Callable[[np.ndarray], np.ndarray] | None, batch: Any) -> Any:
    """`batch` with the DataLoader's `transform` applied to it (a Tensor) or to its first field."""
    if transform is None:
        return batch
    if isinstance(batch, Tensor):
        return as_tensor(transform(batch.numpy()))
    if isinstance(batch, (list, tuple)) and batch and isinstance(batch[0], Tensor):
        return type(batch)([as_tensor(transform(batch[0].numpy())), *batch[1:]])
    raise ArgumentError(
        f"DataLoader: transform applies to a Tensor batch or the first field of a list or tuple batch, "
        f"got a batch of type {type(batch).__name__}"
    )
