"""`DataLoader`: batches of a dataset as Tensors, optionally shuffled by a seeded generator."""

from __future__ import annotations

import math
from typing import Any
from collections.abc import Callable, Iterator

import numpy as np

from autograd import Tensor, default_generator
from autograd.errors import DomainError

from .dataset import Dataset, fetch_batch


class DataLoader:
    """Iterate over `dataset` in batches of `batch_size`.

    Each batch is collated into Tensors of stacked arrays (a tuple when examples are tuples).
    `shuffle` draws a fresh permutation each epoch from `generator` (default: the engine's default
    generator, seeded by `autograd.manual_seed`). `drop_last` skips a final short batch. `transform`,
    if given, is applied to the batch's first field (the inputs, a NumPy array) before it becomes a
    Tensor: the place for batch-level augmentation.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: np.random.Generator | None = None,
        transform: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        if not (isinstance(batch_size, (int, np.integer)) and batch_size >= 1):
            raise DomainError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.generator = generator
        self.transform = transform

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order = (self.generator or default_generator()).permutation(n) if self.shuffle else np.arange(n)
        for b in range(len(self)):
            batch = fetch_batch(self.dataset, order[b * self.batch_size : (b + 1) * self.batch_size])
            if isinstance(batch, tuple):
                first = self.transform(batch[0]) if self.transform else batch[0]
                yield tuple(Tensor(a) for a in (first, *batch[1:]))
            else:
                yield Tensor(self.transform(batch) if self.transform else batch)
