"""`DataLoader`: PyTorch's, batches of a dataset as Tensors, in the main process or in workers.

Indices come from `sampler` (default: `SequentialSampler`, or `RandomSampler(generator=)` with
`shuffle=True`) grouped by `BatchSampler(sampler, batch_size, drop_last)`, or from a given
`batch_sampler`; each batch is `collate_fn([dataset[i] for i in indices])` (default
`default_collate`; a dataset with `get_batch`, as `TensorDataset`, is indexed with the whole index
array instead). `batch_size=None` turns batching off: `collate_fn(dataset[i])` per index
(default `default_convert`). An `IterableDataset` is read in order, `batch_size` examples at a time.

Worker processes (`num_workers > 0`) start with Python's default start method, as PyTorch's do
(fork on Linux up to Python 3.13): nothing has to be pickled, so lambdas and classes defined in a
script or notebook work. The engine starts no threads of its own, but forking a process in which
other threads run (a thread pool, a GUI) can leave a child stuck on a lock one of them held; pass
`multiprocessing_context="forkserver"` or `"spawn"` then, which need a dataset, collate_fn and
worker_init_fn that pickle (defined at module level).
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import multiprocessing.context
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

import numpy as np

from autograd.errors import ArgumentError, DomainError

from .collate import default_collate, default_convert
from .dataset import IterableDataset
from .fetch import Fetcher, apply_transform
from .multiprocess import MultiProcessIter
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler


class _InfiniteConstantSampler(Sampler[None]):
    """None forever: the index sampler of an iterable dataset (its fetcher ignores the values)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None


def _conflict(message: str) -> ArgumentError:
    return ArgumentError(f"DataLoader: {message}")


T_co = TypeVar("T_co", covariant=True)


class DataLoader(Generic[T_co]):
    """PyTorch's DataLoader (see the module docstring); batches are Tensors.

    `transform` (the engine's own, keyword only) is applied, in the main process, to each batch
    (a Tensor) or its first field (the inputs) as a NumPy array: the place for batch-level
    augmentation such as `RandomCrop`, drawing from its generator whatever `num_workers` is.
    `pin_memory` has no effect (there is no accelerator; PyTorch warns the same). The class is
    generic (`DataLoader[int]` in annotations), as PyTorch's.
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Iterable[Any] | None = None,
        batch_sampler: Iterable[Any] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: str | multiprocessing.context.BaseContext | None = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
        transform: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> None:
        if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)) or num_workers < 0:
            raise DomainError(
                f"DataLoader: num_workers option should be a non-negative integer (use num_workers=0 to disable "
                f"multiprocessing), got num_workers={num_workers!r}"
            )
        if timeout < 0:
            raise DomainError(f"DataLoader: timeout option should be non-negative, got timeout={timeout!r}")
        if num_workers == 0 and prefetch_factor is not None:
            raise _conflict(
                f"prefetch_factor option could only be specified in multiprocessing (num_workers > 0), got "
                f"prefetch_factor={prefetch_factor!r} with num_workers=0; set prefetch_factor to None"
            )
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        if prefetch_factor is not None and prefetch_factor < 0:
            raise DomainError(f"DataLoader: prefetch_factor option should be non-negative, got {prefetch_factor!r}")
        if persistent_workers and num_workers == 0:
            raise _conflict("persistent_workers option needs num_workers > 0, got num_workers=0")
        if batch_size is not None and (
            isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1
        ):
            raise DomainError(
                f"DataLoader: batch_size must be a positive integer (or None to turn batching off), got {batch_size!r}"
            )
        self.dataset = dataset
        self.num_workers = int(num_workers)
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = self._context(multiprocessing_context)
        self.in_order = in_order
        self.transform = transform
        self._iterable = isinstance(dataset, IterableDataset)
        if self._iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise _conflict(
                        f"with an IterableDataset: expected unspecified {name} option, got {name}={value!r}"
                    )
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise _conflict("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise _conflict(
                    "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last; "
                    f"got batch_size={batch_size!r}, shuffle={shuffle!r}, sampler={sampler!r}, drop_last={drop_last!r}"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise _conflict("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")
        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            else:
                sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, int(batch_size), drop_last)
        self.batch_size = None if batch_size is None else int(batch_size)
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self._iterator: MultiProcessIter | None = None

    def _context(self, context: Any) -> multiprocessing.context.BaseContext | None:
        if context is None:
            return None
        if self.num_workers == 0:
            raise _conflict(
                f"multiprocessing_context can only be used with multi-process loading (num_workers > 0), "
                f"got multiprocessing_context={context!r} with num_workers=0"
            )
        if isinstance(context, str):
            methods = multiprocessing.get_all_start_methods()
            if context not in methods:
                raise DomainError(
                    f"DataLoader: multiprocessing_context option should specify a valid start method in "
                    f"{methods}, but got multiprocessing_context={context!r}"
                )
            return multiprocessing.get_context(context)
        if not isinstance(context, multiprocessing.context.BaseContext):
            raise ArgumentError(
                f"DataLoader: multiprocessing_context option should be a valid context object or a string "
                f"specifying the start method, but got multiprocessing_context={context!r}"
            )
        return context

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self) -> Any:
        return self.batch_sampler if self._auto_collation else self.sampler

    def _fetcher_factory(self) -> Callable[[], Fetcher]:
        return functools.partial(Fetcher, self.dataset, self._auto_collation, self.collate_fn, self.drop_last)

    def __len__(self) -> int:
        if self._iterable:
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
        return len(self._index_sampler)

    def __iter__(self) -> Iterator[Any]:
        if self.timeout and self.num_workers == 0:
            raise _conflict(f"timeout={self.timeout} needs worker processes (num_workers > 0), as PyTorch's")
        if self.pin_memory:
            warnings.warn(
                "'pin_memory' argument is set as true but no accelerator is found, then device pinned memory "
                "won't be used.",
                stacklevel=2,
            )
        if self.num_workers == 0:
            return _SingleProcessIter(self)
        if not self.persistent_workers:
            return MultiProcessIter(self)
        if self._iterator is None:
            self._iterator = MultiProcessIter(self)
        else:
            self._iterator.reset()
        return self._iterator


class _SingleProcessIter:
    """Batches fetched in the main process, one at a time."""

    def __init__(self, loader: DataLoader[Any]) -> None:
        self.index_sampler = loader._index_sampler
        self.indices = iter(self.index_sampler)
        self.fetch = loader._fetcher_factory()()
        self.transform = loader.transform

    def __iter__(self) -> _SingleProcessIter:
        return self

    def __len__(self) -> int:
        return len(self.index_sampler)

    def __next__(self) -> Any:
        return apply_transform(self.transform, self.fetch(next(self.indices)))
