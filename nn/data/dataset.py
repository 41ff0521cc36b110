"""PyTorch's datasets: `Dataset`, `IterableDataset`, `TensorDataset`, `ConcatDataset`,
`ChainDataset`, `Subset` and `random_split`.

A map-style dataset maps an index to one example; an iterable one yields examples. A dataset that
also has `get_batch(indices)` returns, in one go, what `default_collate([ds[i] for i in indices])`
would (`TensorDataset` indexes its tensors with the index array); `fetch_batch` uses it, so the
default loader does not run a Python loop per example.
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from autograd import Tensor, as_tensor
from autograd.errors import ArgumentError, DomainError, IndexOutOfRange, ShapeError
from autograd.extend import as_numpy_generator

from .collate import default_collate

T_co = TypeVar("T_co", covariant=True)


class Dataset(Generic[T_co]):
    """A map-style dataset: subclasses define `__getitem__(index)` and usually `__len__()`.
    `a + b` is `ConcatDataset([a, b])`. Generic as PyTorch's (`Dataset[int]` in annotations)."""

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}: subclasses of Dataset must define __getitem__")

    def __add__(self, other: Dataset[Any]) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co]):
    """A dataset that yields its examples: subclasses define `__iter__`. With `num_workers > 0`
    each worker iterates its own copy; split the work with `get_worker_info()`. `a + b` chains."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__}: subclasses of IterableDataset must define __iter__")

    def __add__(self, other: Dataset[Any]) -> ChainDataset:  # type: ignore[override]
        return ChainDataset([self, other])


class TensorDataset(Dataset[tuple[Tensor, ...]]):
    """Examples are the rows of equally long tensors: item i is `(t[i] for t in tensors)`, a tuple
    of Tensors. NumPy arrays are accepted and become Tensors of their dtype (`dataset.tensors`)."""

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ShapeError("TensorDataset: needs at least one array, got none")
        self.tensors = tuple(t if isinstance(t, Tensor) else as_tensor(np.asarray(t)) for t in tensors)
        shapes = [tuple(t.shape) for t in self.tensors]
        if any(not s for s in shapes) or len({s[0] for s in shapes}) != 1:
            raise ShapeError(f"TensorDataset: the arrays must have the same first dimension, got shapes {shapes}")

    def __len__(self) -> int:
        return int(self.tensors[0].shape[0])

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def get_batch(self, indices: np.ndarray) -> list[Tensor]:
        return [t[indices] for t in self.tensors]


class ConcatDataset(Dataset[Any]):
    """The datasets one after the other: index i falls in the first dataset whose cumulative size
    (`cumulative_sizes`) exceeds it; negative indices count from the end."""

    def __init__(self, datasets: Iterable[Dataset[Any]]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ArgumentError("ConcatDataset: datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise ArgumentError("ConcatDataset: does not support IterableDataset (use ChainDataset)")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()  # type: ignore[arg-type]

    def __len__(self) -> int:
        return int(self.cumulative_sizes[-1])

    def __getitem__(self, index: int) -> Any:
        n = len(self)
        if not -n <= index < n:
            raise IndexOutOfRange(f"ConcatDataset: index {index} is out of range for a dataset of length {n}")
        index = index % n
        which = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[which - 1] if which else 0
        return self.datasets[which][index - start]


class ChainDataset(IterableDataset[Any]):
    """Iterable datasets chained: the examples of each in turn."""

    def __init__(self, datasets: Iterable[Dataset[Any]]) -> None:
        self.datasets = list(datasets)

    def __iter__(self) -> Iterator[Any]:
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise ArgumentError(f"ChainDataset: only supports IterableDataset, got {type(d).__name__}")
            yield from d

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)  # type: ignore[arg-type, misc]


class Subset(Dataset[Any]):
    """The examples of `dataset` at `indices`, in that order."""

    def __init__(self, dataset: Dataset[Any], indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = indices
        self._positions = np.asarray(indices, dtype=np.int64).reshape(-1)

    def __len__(self) -> int:
        return len(self._positions)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[int(i) for i in self._positions[index]]]
        return self.dataset[int(self._positions[index])]

    def get_batch(self, indices: np.ndarray) -> Any:
        return fetch_batch(self.dataset, self._positions[indices])


def fetch_batch(dataset: Any, indices: Any) -> Any:
    """`default_collate` of the examples at `indices`: through `dataset.get_batch` when it has one."""
    if hasattr(dataset, "get_batch"):
        return dataset.get_batch(np.asarray(indices, dtype=np.int64))
    return default_collate([dataset[i] for i in (indices.tolist() if isinstance(indices, np.ndarray) else indices)])


def _split_lengths(n: int, lengths: Sequence[float]) -> list[int]:
    """Lengths summing to `n`, or fractions summing to 1 turned into lengths as PyTorch does (floor
    of n * fraction each, then the remainder handed out one by one from the first split)."""
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        if not all(0 <= f <= 1 for f in lengths):
            raise DomainError(f"random_split: fractions {list(lengths)} must lie in [0, 1] and sum to 1")
        out = [math.floor(n * f) for f in lengths]
        for i in range(n - sum(out)):
            out[i % len(out)] += 1
        for i, length in enumerate(out):
            if length == 0:
                warnings.warn(
                    f"Length of split at index {i} is 0. This might result in an empty dataset.", stacklevel=3
                )
        return out
    if not all(isinstance(x, (int, np.integer)) for x in lengths):
        raise DomainError(f"random_split: fractions {list(lengths)} must lie in [0, 1] and sum to 1")
    if total != n or min(lengths) < 0:
        raise DomainError(f"random_split: lengths {list(lengths)} must be >= 0 and sum to the dataset size {n}")
    return [int(x) for x in lengths]


def random_split(dataset: Dataset[Any], lengths: Sequence[float], generator: Any = None) -> list[Subset]:
    """Split `dataset` into non-overlapping random subsets of the given lengths, or of fractions of
    its size. `generator`: an autograd.Generator or numpy Generator (default: the engine's)."""
    sizes = _split_lengths(len(dataset), lengths)  # type: ignore[arg-type]
    order = as_numpy_generator(generator, "random_split").permutation(sum(sizes)).tolist()
    bounds = np.cumsum([0, *sizes]).tolist()
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
