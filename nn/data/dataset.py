"""`Dataset`, `TensorDataset`, `Subset` and `random_split`.

A dataset maps an index to one example (a tuple of arrays or numbers). A dataset that also has
`get_batch(indices)` returns a whole batch as a tuple of stacked arrays in one go (`TensorDataset`
indexes its arrays with the index array); `fetch_batch` uses it instead of a Python loop over
examples.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any
from collections.abc import Sequence

import numpy as np

from autograd import Tensor, default_generator
from autograd.errors import DomainError, ShapeError


class Dataset(ABC):
    """Indexable examples: subclasses define `__getitem__(i)` and `__len__()`."""

    @abstractmethod
    def __getitem__(self, index: int) -> Any: ...

    @abstractmethod
    def __len__(self) -> int: ...


class TensorDataset(Dataset):
    """Examples are the rows of equally long arrays (or tensors): item i is `(a[i], b[i], ...)`."""

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise ShapeError("TensorDataset: needs at least one array, got none")
        self.arrays = tuple(np.asarray(a.numpy() if isinstance(a, Tensor) else a) for a in arrays)
        lengths = [a.shape[0] if a.ndim else None for a in self.arrays]
        if None in lengths or len(set(lengths)) != 1:
            shapes = [a.shape for a in self.arrays]
            raise ShapeError(f"TensorDataset: the arrays must have the same first dimension, got shapes {shapes}")

    def __len__(self) -> int:
        return self.arrays[0].shape[0]

    def __getitem__(self, index: int) -> tuple[np.ndarray, ...]:
        return tuple(a[index] for a in self.arrays)

    def get_batch(self, indices: np.ndarray) -> tuple[np.ndarray, ...]:
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The examples of `dataset` at `indices`, in that order."""

    def __init__(self, dataset: Dataset, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices: np.ndarray) -> Any:
        return fetch_batch(self.dataset, self.indices[indices])


def _field(values: list[Any]) -> np.ndarray:
    return np.stack([np.asarray(v.numpy() if isinstance(v, Tensor) else v) for v in values])


def collate(samples: list[Any]) -> Any:
    """Stack examples into a batch: a list of tuples becomes a tuple of stacked arrays, a list of
    arrays (or numbers) one stacked array."""
    if isinstance(samples[0], (tuple, list)):
        return tuple(_field(list(field)) for field in zip(*samples))
    return _field(samples)


def fetch_batch(dataset: Dataset, indices: np.ndarray) -> Any:
    """The examples at `indices`, collated: through `dataset.get_batch` when it has one."""
    if hasattr(dataset, "get_batch"):
        return dataset.get_batch(indices)
    return collate([dataset[int(i)] for i in indices])


def _split_lengths(n: int, lengths: Sequence[float]) -> list[int]:
    """Integer lengths, or fractions summing to 1 turned into lengths as PyTorch does (floor each,
    then hand the remainder out one by one from the first split)."""
    if all(isinstance(x, (int, np.integer)) for x in lengths):
        if sum(lengths) != n or min(lengths) < 0:
            raise DomainError(f"random_split: lengths {list(lengths)} must be >= 0 and sum to the dataset size {n}")
        return [int(x) for x in lengths]
    if not (math.isclose(sum(lengths), 1.0) and all(0.0 <= x <= 1.0 for x in lengths)):
        raise DomainError(f"random_split: fractions {list(lengths)} must lie in [0, 1] and sum to 1")
    out = [int(math.floor(n * f)) for f in lengths]
    for i in range(n - sum(out)):
        out[i % len(out)] += 1
    return out


def random_split(
    dataset: Dataset, lengths: Sequence[float], generator: np.random.Generator | None = None
) -> list[Subset]:
    """Split `dataset` into non-overlapping random subsets of the given lengths (or fractions)."""
    sizes = _split_lengths(len(dataset), lengths)
    order = (generator or default_generator()).permutation(len(dataset))
    bounds = np.cumsum([0, *sizes])
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
