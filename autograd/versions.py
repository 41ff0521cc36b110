"""Version counters: how many in-place changes the memory under a tensor has seen.

A gate records the versions of its inputs and output when it is recorded and checks them before
its backward runs: a changed version means a value its backward would read (or route gradient
through) is no longer the value it computed with, and the backward raises instead of returning
wrong gradients.

The counter belongs to the *memory*, not to the Tensor object, as PyTorch's belongs to the
storage: a view (`x[0]`, `x.reshape(...)`, `x.T`, `x.detach()`) shares its base array's counter,
so changing a view in place is seen by every tensor over that memory. NumPy collapses chains of
views, so `array.base` is the array that owns the memory. Only memory that was ever changed in
place has an entry; the entry goes when that memory is freed.

Writing into `tensor.data` with NumPy, or assigning `tensor.data = ...`, bypasses the counter.
"""

from __future__ import annotations

import weakref

import numpy as np

# id(memory owner) -> number of in-place changes. Empty until the first in-place op, so the
# bookkeeping costs one truthiness test in programs that never change a tensor in place.
WRITES: dict[int, int] = {}


def _owner(array: np.ndarray) -> object:
    base = array.base
    return array if base is None else base


def version(array: np.ndarray) -> int:
    """The number of in-place changes made to the memory `array` looks at."""
    return WRITES.get(id(_owner(array)), 0)


def bump(array: np.ndarray) -> None:
    """Count one in-place change of the memory under `array`."""
    owner = _owner(array)
    key = id(owner)
    count = WRITES.get(key)
    if count is None:
        try:  # forget the count when the memory is freed (its id may then be reused)
            weakref.finalize(owner, WRITES.pop, key, None).atexit = False
        except TypeError:  # an owner without weak references (a bytes buffer): keep the entry
            pass
        count = 0
    WRITES[key] = count + 1
