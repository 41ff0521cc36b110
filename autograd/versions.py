"""Version counters: how many in-place changes the memory under a tensor has seen.

The counter belongs to the *memory*, not to the Tensor object, as PyTorch's belongs to the
storage: a view (`x[0]`, `x.reshape(...)`, `x.T`, `x.detach()`) shares its base array's counter,
so changing a view in place is seen by every tensor over that memory. NumPy collapses chains of
views, so `array.base` is the array that owns the memory. Only memory that was ever changed in
place has an entry; the entry goes when that memory is freed.

A gate does not copy the versions of its inputs when it is recorded (that would cost a lookup per
input on every gate call): it notes the time, `Clock.now`, the number of in-place changes made so
far in the process. Before its backward runs it asks whether any of its inputs or its output was
changed since (`changed_since`); when nothing at all was changed in between, that is one
comparison.

Writing into `tensor.numpy()` with NumPy bypasses the counter; an in-place op on `tensor.data` (a
Tensor over the same memory) counts, as every in-place op does.
"""

from __future__ import annotations

import weakref

import numpy as np

HISTORY = 8  # the times of the last few changes kept per memory: enough to name the version a gate saw


class Clock:
    """In-place changes made so far in the process: the time gates record."""

    now = 0


# id(memory owner) -> [number of in-place changes, times of the last HISTORY of them...]
WRITES: dict[int, list[int]] = {}


def _owner(array: np.ndarray) -> object:
    base = array.base
    return array if base is None else base


def version(array: np.ndarray) -> int:
    """The number of in-place changes made to the memory `array` looks at."""
    entry = WRITES.get(id(_owner(array)))
    return 0 if entry is None else entry[0]


def bump(array: np.ndarray) -> None:
    """Count one in-place change of the memory under `array`."""
    owner = _owner(array)
    key = id(owner)
    entry = WRITES.get(key)
    if entry is None:
        try:  # forget the count when the memory is freed (its id may then be reused)
            weakref.finalize(owner, WRITES.pop, key, None).atexit = False
        except TypeError:  # an owner without weak references (a bytes buffer): keep the entry
            pass
        entry = WRITES[key] = [0]
    Clock.now += 1
    entry[0] += 1
    entry.append(Clock.now)
    if len(entry) > HISTORY + 1:
        del entry[1]


def changed_since(array: np.ndarray, time: int) -> tuple[int, int | None] | None:
    """None if the memory under `array` was not changed in place after `time`; else its version
    now and its version at `time` (None if that is older than the history kept)."""
    entry = WRITES.get(id(_owner(array)))
    if entry is None or entry[-1] <= time:
        return None
    count, times = entry[0], entry[1:]
    later = sum(t > time for t in times)
    known = later < len(times) or len(times) == count
    return count, count - later if known else None
