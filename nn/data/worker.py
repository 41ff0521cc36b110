"""What runs in a DataLoader worker process, and `get_worker_info()`.

A worker seeds Python's `random`, NumPy's global generator and the engine's default generator
with its seed (the loader's base seed + its id, as PyTorch), calls `worker_init_fn(id)`, then
fetches whole batches: it takes `(task number, indices)` from its own index queue and puts
`(task number, batch)` on the shared result queue, until it is told to stop (`None`) or its parent
process is gone, skipping what is still queued once the loader sets `done`. An exception while
fetching is sent back as a `Failure` for the main process to raise; an iterable dataset that runs
out sends `Exhausted`.
"""

from __future__ import annotations

import multiprocessing
import pickle
import queue
import random
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograd import manual_seed
from autograd.errors import AutogradError

RESUME = "resume"  # a persistent worker starts its iterable dataset over (a new epoch)
POLL_SECONDS = 0.5  # how often a waiting worker checks that its parent is alive


class WorkerError(AutogradError, RuntimeError):
    """A DataLoader worker process died, timed out, or raised an exception of a type that could not
    be re-raised as itself."""


@dataclass(frozen=True)
class WorkerInfo:
    """PyTorch's worker info: this worker's `id` in [0, num_workers), the loader's `num_workers`,
    this worker's `seed` and its copy of the `dataset`."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_info: list[WorkerInfo | None] = [None]


def get_worker_info() -> WorkerInfo | None:
    """Inside a DataLoader worker process, its `WorkerInfo`; in the main process, None."""
    return _info[0]


@dataclass(frozen=True)
class Exhausted:
    """The worker's iterable dataset has no more batches."""

    worker_id: int


@dataclass(frozen=True)
class Failure:
    """An exception raised in worker `worker_id`: its type (None if it cannot be pickled) and the
    formatted traceback."""

    exc_type: type[BaseException] | None
    worker_id: int
    text: str

    @classmethod
    def capture(cls, error: BaseException, worker_id: int) -> Failure:
        exc_type: type[BaseException] | None = type(error)
        try:
            pickle.dumps(exc_type)
        except (pickle.PicklingError, AttributeError, TypeError):
            exc_type = None
        return cls(exc_type, worker_id, traceback.format_exc())

    def reraise(self) -> None:
        name = self.exc_type.__name__ if self.exc_type else "an exception"
        message = f"Caught {name} in DataLoader worker process {self.worker_id}.\nOriginal {self.text}"
        if self.exc_type is not None:
            try:
                error = self.exc_type(message)
            except Exception:  # a type whose constructor wants other arguments
                error = None
            if isinstance(error, BaseException):
                raise error
        raise WorkerError(message)


def worker_loop(
    make_fetcher: Any,
    index_queue: Any,
    result_queue: Any,
    done: Any,
    worker_id: int,
    num_workers: int,
    seed: int,
    dataset: Any,
    worker_init_fn: Any,
) -> None:
    """The body of worker `worker_id` (see the module docstring)."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    manual_seed(seed)
    _info[0] = WorkerInfo(worker_id, num_workers, seed, dataset)
    parent = multiprocessing.parent_process()
    failure = None
    try:
        if worker_init_fn is not None:
            worker_init_fn(worker_id)
        fetcher = make_fetcher()
    except Exception as e:
        failure = Failure.capture(e, worker_id)
    while True:
        try:
            task = index_queue.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                break
            continue
        if task is None or done.is_set():
            break
        if task == RESUME:
            if failure is None:
                fetcher = make_fetcher()
            result_queue.put((RESUME, worker_id))
            continue
        number, indices = task
        if failure is not None:
            result_queue.put((number, failure))
            continue
        try:
            result: Any = fetcher(indices)
        except StopIteration:
            result = Exhausted(worker_id)
        except Exception as e:
            result = Failure.capture(e, worker_id)
        result_queue.put((number, result))
    result_queue.cancel_join_thread()  # do not block the exit on results nobody will read
