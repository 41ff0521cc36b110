"""The DataLoader's multi-process iterator.

The main process keeps `prefetch_factor * num_workers` batches in flight: it hands the index
sampler's batches of indices to the workers in turn (task numbers 0, 1, 2, ...), each worker
fetches and collates whole batches, and results that come back out of order wait until their turn,
so the batches are those of `num_workers=0`, in the same order (with `in_order=False` they are
yielded as they arrive). Workers are seeded from the loader's generator through its SeedSequence
(`Generator.spawn`), which leaves the generator's stream — and so the shuffling — as it is.
Workers stop when the iterator is exhausted (unless `persistent_workers`) or garbage-collected
(`weakref.finalize`, also at interpreter exit), e.g. after a `break` out of the loop.
"""

from __future__ import annotations

import itertools
import multiprocessing
import pickle
import queue
import time
import weakref
from typing import TYPE_CHECKING, Any

from autograd.errors import ArgumentError
from autograd.extend import as_numpy_generator

from .fetch import apply_transform
from .worker import POLL_SECONDS, RESUME, Exhausted, Failure, WorkerError, worker_loop

if TYPE_CHECKING:
    from .loader import DataLoader

JOIN_SECONDS = 5.0  # how long a stopping worker gets before it is terminated


def _shutdown(workers: list[Any], index_queues: list[Any], result_queue: Any, done: Any) -> None:
    """Tell each worker to stop (skipping the batches still queued for it), wait for it (terminate
    it if it does not stop), close the queues."""
    done.set()
    for q in index_queues:
        try:
            q.put(None)
        except (OSError, ValueError):  # already closed
            pass
    for w in workers:
        w.join(JOIN_SECONDS)
        if w.is_alive():
            w.terminate()
            w.join()
    for q in (*index_queues, result_queue):
        q.cancel_join_thread()
        q.close()


def _unpicklable_argument(loader: DataLoader[Any], method: str) -> ArgumentError | None:
    """Which of the objects a worker needs cannot be pickled, as an error saying what to do."""
    for name in ("dataset", "collate_fn", "worker_init_fn"):
        value = getattr(loader, name)
        try:
            pickle.dumps(value)
        except (pickle.PicklingError, AttributeError, TypeError) as e:
            return ArgumentError(
                f"DataLoader: the {name} {value!r} cannot be sent to worker processes started by "
                f"{method!r}, which need it pickled ({e}); define it at module level (not a lambda, "
                f"a local function or a local class), or use num_workers=0"
            )
    return None


class MultiProcessIter:
    """Batches fetched by `loader.num_workers` worker processes (see the module docstring)."""

    def __init__(self, loader: DataLoader[Any]) -> None:
        # what it needs of the loader, not the loader: a persistent loader keeps its iterator, and a
        # reference cycle would keep the workers alive until the garbage collector runs
        self.index_sampler = loader._index_sampler
        self.num_workers = n = loader.num_workers
        self.prefetch_factor = loader.prefetch_factor or 0
        self.timeout = loader.timeout
        self.persistent_workers = loader.persistent_workers
        self.in_order = loader.in_order
        self.transform = loader.transform
        context: Any = loader.multiprocessing_context or multiprocessing.get_context()
        rng = as_numpy_generator(loader.generator, "DataLoader")
        base_seed = int(rng.spawn(1)[0].integers(2**63))
        self.result_queue = context.Queue()
        self.index_queues: list[Any] = []
        self.workers: list[Any] = []
        done = context.Event()
        self.finalizer = weakref.finalize(self, _shutdown, self.workers, self.index_queues, self.result_queue, done)
        make_fetcher = loader._fetcher_factory()
        for worker_id in range(n):
            index_queue = context.Queue()
            worker = context.Process(
                target=worker_loop,
                args=(make_fetcher, index_queue, self.result_queue, done, worker_id, n, base_seed + worker_id)
                + (loader.dataset, loader.worker_init_fn),
                daemon=True,
            )
            try:
                worker.start()
            except (pickle.PicklingError, AttributeError, TypeError) as e:
                self.finalizer()
                raise _unpicklable_argument(loader, context.get_start_method()) or e from e
            self.index_queues.append(index_queue)
            self.workers.append(worker)
        self.reset(first=True)

    def reset(self, first: bool = False) -> None:
        """Start an epoch: a new pass of the index sampler, and (persistent workers) each worker's
        iterable dataset from the start, dropping results still in flight from the last epoch."""
        n = self.num_workers
        self.indices = iter(self.index_sampler)
        self.sent = self.received = 0
        self.tasks: dict[int, tuple[Any, ...]] = {}  # task -> (worker,) or (worker, result)
        self.active = [True] * n
        self.turns = itertools.cycle(range(n))
        if not first:
            for q in self.index_queues:
                q.put(RESUME)
            resumed = 0
            while resumed < n:
                number, _ = self._get()
                resumed += number == RESUME
        for _ in range(self.prefetch_factor * n or 1):
            self._send()

    def _send(self) -> None:
        """Give the next batch of indices to the next worker still active."""
        for _ in range(len(self.active)):
            worker = next(self.turns)
            if self.active[worker]:
                break
        else:
            return
        try:
            indices = next(self.indices)
        except StopIteration:
            return
        self.index_queues[worker].put((self.sent, indices))
        self.tasks[self.sent] = (worker,)
        self.sent += 1

    def _get(self) -> tuple[Any, Any]:
        """The next result to arrive; a WorkerError if a worker died or `timeout` passed."""
        start = time.monotonic()
        while True:
            try:
                number, result = self.result_queue.get(timeout=POLL_SECONDS)
                return number, result
            except queue.Empty:
                dead = [w.pid for w in self.workers if not w.is_alive()]
                if dead:
                    self.finalizer()
                    raise WorkerError(f"DataLoader worker (pid(s) {dead}) exited unexpectedly") from None
                if self.timeout and time.monotonic() - start > self.timeout:
                    self.finalizer()
                    raise WorkerError(f"DataLoader timed out after {self.timeout} seconds") from None

    def __iter__(self) -> MultiProcessIter:
        return self

    def __len__(self) -> int:
        return len(self.index_sampler)

    def __next__(self) -> Any:
        while True:
            while self.received < self.sent:  # skip tasks delivered already or of workers that ran out
                task = self.tasks.get(self.received)
                if task is not None and (len(task) == 2 or self.active[task[0]]):
                    break
                self.tasks.pop(self.received, None)
                self.received += 1
            else:
                if not self.persistent_workers:
                    self.finalizer()
                raise StopIteration
            if len(self.tasks[self.received]) == 2:
                result = self.tasks.pop(self.received)[1]
                self.received += 1
                return self._deliver(result)
            number, result = self._get()
            if isinstance(result, Exhausted):
                self.active[result.worker_id] = False
                self._send()
            elif number == self.received or not self.in_order:
                del self.tasks[number]
                if number == self.received:
                    self.received += 1
                return self._deliver(result)
            else:
                self.tasks[number] = (*self.tasks[number], result)

    def _deliver(self, result: Any) -> Any:
        self._send()
        if isinstance(result, Failure):
            self.finalizer()
            result.reraise()
        return apply_transform(self.transform, result)
