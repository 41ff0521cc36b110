"""DataLoader with worker processes: the same batches in the same order as num_workers=0, each
worker initialised and seeded, iterable datasets split by get_worker_info, persistent workers,
errors raised in the main process, no process left behind after an early stop, and a dataset or
collate_fn that cannot be pickled refused (with spawn, which pickles) before any worker starts."""

import multiprocessing
import os
import time

import numpy as np
import pytest

import autograd as ag
from autograd.errors import ArgumentError
from nn.data import DataLoader, Dataset, IterableDataset, TensorDataset, WorkerError, get_worker_info

INIT = {}  # set in each worker by init_worker


def init_worker(worker_id):
    INIT["id"] = worker_id


class WhoFetched(Dataset):
    """Item i: (i, the worker's id, what init_worker recorded, num_workers, the worker's seed,
    a draw from the worker's default generator)."""

    def __len__(self):
        return 12

    def __getitem__(self, i):
        info = get_worker_info()
        return i, info.id, INIT.get("id", -1), info.num_workers, info.seed, float(ag.rand(()).item())


class Strided(IterableDataset):
    """0..9, each worker taking every num_workers-th value from its id on."""

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, 10, step))


class Failing(Dataset):
    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise KeyError(f"no item {i}")
        return i


class Slow(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        time.sleep(1.0)
        return i


def tensor_set(n=40):
    return TensorDataset(np.arange(3.0 * n, dtype=np.float32).reshape(n, 3), np.arange(n))


def as_lists(loader):
    return [[t.tolist() for t in batch] for batch in loader]


def gone(workers):
    """The workers have exited and been reaped (no zombie, no /proc entry)."""
    return all(not w.is_alive() for w in workers) and not any(os.path.exists(f"/proc/{w.pid}") for w in workers)


def test_worker_batches_equal_the_main_process_ones_in_order():
    for kwargs in ({"shuffle": True}, {"shuffle": True, "drop_last": True}, {"sampler": list(range(39, -1, -3))}):
        runs = [
            as_lists(
                DataLoader(tensor_set(), batch_size=6, num_workers=w, generator=np.random.default_rng(8), **kwargs)
            )
            for w in (0, 3)
        ]
        assert runs[0] == runs[1] and len(runs[0]) > 2


def test_a_lambda_collate_fn_works_with_fork():
    loader = DataLoader(tensor_set(9), batch_size=4, num_workers=2, collate_fn=lambda b: [int(y) for _, y in b])
    assert list(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8]]


def test_each_worker_is_initialised_and_seeded():
    loader = DataLoader(
        WhoFetched(), batch_size=3, num_workers=2, worker_init_fn=init_worker, generator=np.random.default_rng(1)
    )
    batches = list(loader)
    assert get_worker_info() is None and INIT == {}  # the main process is untouched
    assert [b[0].tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]
    for k, (_, worker, init, num, _, _) in enumerate(batches):  # batches go to the workers in turn
        assert worker.tolist() == init.tolist() == [k % 2] * 3 and num.tolist() == [2] * 3
    seeds = [int(b[4][0]) for b in batches[:2]]
    assert seeds[1] == seeds[0] + 1  # base seed + worker id
    draws = [b[5].tolist() for b in batches]
    ag.manual_seed(seeds[0])  # worker 0's default generator was seeded so
    assert [float(ag.rand(()).item()) for _ in range(6)] == draws[0] + draws[2]
    again = list(DataLoader(WhoFetched(), batch_size=3, num_workers=2, generator=np.random.default_rng(1)))
    assert [b[4].tolist() for b in again] == [b[4].tolist() for b in batches]  # the same generator, the same seeds


def test_an_iterable_dataset_is_split_by_worker_info():
    assert [b.tolist() for b in DataLoader(Strided(), batch_size=3, num_workers=2)] == [
        [0, 2, 4],
        [1, 3, 5],
        [6, 8],
        [7, 9],
    ]
    assert [b.tolist() for b in DataLoader(Strided(), batch_size=3, num_workers=2, drop_last=True)] == [
        [0, 2, 4],
        [1, 3, 5],
    ]


def test_persistent_workers_serve_every_epoch():
    loader = DataLoader(tensor_set(10), batch_size=4, num_workers=2, persistent_workers=True)
    first = as_lists(loader)
    workers = list(loader._iterator.workers)
    assert as_lists(loader) == first and loader._iterator.workers == workers and all(w.is_alive() for w in workers)
    iterable = DataLoader(Strided(), batch_size=5, num_workers=2, persistent_workers=True)
    assert [b.tolist() for b in iterable] == [b.tolist() for b in iterable] == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    it = iter(loader)
    next(it)  # stop an epoch early: the next one starts over, without stale batches
    assert as_lists(loader) == first
    workers = loader._iterator.workers + iterable._iterator.workers
    del loader, it, iterable  # no reference cycle: the workers stop without waiting for the garbage collector
    assert gone(workers)


def test_workers_stop_when_iteration_stops_early():
    loader = DataLoader(tensor_set(400), batch_size=2, num_workers=3, prefetch_factor=4)
    it = iter(loader)
    next(it)
    workers = list(it.workers)
    assert len(workers) == 3 and all(w.is_alive() for w in workers)
    del it
    assert gone(workers)
    for _ in loader:  # a break out of a for loop drops the iterator too
        workers = multiprocessing.active_children()
        break
    assert len(workers) == 3 and gone(workers)


def test_an_exception_in_a_worker_is_raised_in_the_main_process():
    it = iter(DataLoader(Failing(), batch_size=2, num_workers=2))
    assert next(it).tolist() == [0, 1] and next(it).tolist() == [2, 3]
    workers = it.workers
    with pytest.raises(KeyError, match=r"Caught KeyError in DataLoader worker process 0\.(.|\n)*no item 5"):
        next(it)
    assert gone(workers)


def test_a_timeout_is_an_error():
    with pytest.raises(WorkerError, match="DataLoader timed out after 0.2 seconds"):
        next(iter(DataLoader(Slow(), num_workers=1, timeout=0.2)))
    assert not multiprocessing.active_children()


class LocalFree:
    """Defined at module level: it pickles."""

    def __call__(self, batch):
        return len(batch)


def test_what_cannot_be_pickled_is_refused_when_workers_are_spawned():
    class Local(Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return i

    with pytest.raises(
        ArgumentError, match="the dataset .*Local.* cannot be sent to worker processes started by 'spawn'"
    ):
        iter(DataLoader(Local(), num_workers=1, multiprocessing_context="spawn"))
    with pytest.raises(ArgumentError, match="collate_fn .*lambda.* define it at module level .* or use num_workers=0"):
        iter(DataLoader(tensor_set(4), num_workers=1, collate_fn=lambda b: b, multiprocessing_context="spawn"))
    assert not multiprocessing.active_children()
    assert list(DataLoader(Local(), batch_size=2, num_workers=1))[0].tolist() == [0, 1]  # fork: nothing is pickled


def test_spawned_workers_load_a_picklable_dataset():
    loader = DataLoader(
        tensor_set(6), batch_size=4, num_workers=1, multiprocessing_context="spawn", collate_fn=LocalFree()
    )
    assert list(loader) == [4, 2]
    assert not multiprocessing.active_children()
