"""Ways to make tensors: `tensor`, `zeros`, `ones`, `full`, `rand`, `randn`, `arange`, `eye`,
`zeros_like`, `ones_like`. Random ones draw from `generator` or from the default generator,
which `manual_seed` resets."""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import DEFAULT_FLOAT, Tensor, _shape_arg

_default = [np.random.default_rng()]


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the default generator (used by `rand`, `randn`, nn initialisers and shuffling)."""
    _default[0] = np.random.default_rng(seed)
    return _default[0]


def default_generator() -> np.random.Generator:
    return _default[0]


def _make(array: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(array if dtype is None else array.astype(dtype, copy=False))
    return t.requires_grad_() if requires_grad else t


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A new leaf tensor holding a copy of `data`."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*size: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return _make(np.zeros(_shape_arg(size)), dtype, requires_grad)


def ones(*size: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return _make(np.ones(_shape_arg(size)), dtype, requires_grad)


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """`size` filled with `fill_value`; the dtype follows the value (float32, int64 or bool)."""
    fill = Tensor(fill_value).data
    size = (size,) if isinstance(size, int) else tuple(size)
    return _make(np.full(size, fill), dtype or fill.dtype, requires_grad)


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _make(np.zeros_like(np.asarray(t)), dtype, requires_grad)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _make(np.ones_like(np.asarray(t)), dtype, requires_grad)


def rand(
    *size: Any, generator: np.random.Generator | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False
) -> Tensor:
    """Uniform on [0, 1)."""
    return _make((generator or _default[0]).random(_shape_arg(size)), dtype, requires_grad)


def randn(
    *size: Any, generator: np.random.Generator | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False
) -> Tensor:
    """Standard normal."""
    return _make((generator or _default[0]).standard_normal(_shape_arg(size)), dtype, requires_grad)


def arange(
    start: float, end: float | None = None, step: float = 1, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Like range(): integers give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    if dtype is None and all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        dtype = np.int64
    return _make(np.arange(start, end, step), dtype or DEFAULT_FLOAT, requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return _make(np.eye(n, m), dtype, requires_grad)
