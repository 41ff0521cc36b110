"""Ways to make tensors: `tensor`, `zeros`, `ones`, `full`, `rand`, `randn`, `arange`, `eye`,
`zeros_like`, `ones_like`. Random ones draw from `generator` or from the default generator,
which `manual_seed` resets."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ArgumentError, DomainError
from .tensor import DEFAULT_FLOAT, Tensor, _shape_arg, as_array, as_dtype

_default = [np.random.default_rng()]


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the default generator (used by `rand`, `randn`, nn initialisers and shuffling)."""
    _default[0] = np.random.default_rng(seed)
    return _default[0]


def default_generator() -> np.random.Generator:
    return _default[0]


def _make(op: str, array: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(array if dtype is None else array.astype(as_dtype(op, dtype), copy=False))
    return t.requires_grad_() if requires_grad else t


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A new leaf tensor holding a copy of `data`."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*size: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return _make("zeros", np.zeros(_shape_arg("zeros", size)), dtype, requires_grad)


def ones(*size: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return _make("ones", np.ones(_shape_arg("ones", size)), dtype, requires_grad)


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """`size` filled with `fill_value`; the dtype follows the value (float32, int64 or bool)."""
    fill = as_array(fill_value, op="full")
    return _make("full", np.full(_shape_arg("full", (size,)), fill), dtype or fill.dtype, requires_grad)


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _make("zeros_like", np.zeros_like(np.asarray(t)), dtype, requires_grad)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _make("ones_like", np.ones_like(np.asarray(t)), dtype, requires_grad)


def rand(
    *size: Any, generator: np.random.Generator | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False
) -> Tensor:
    """Uniform on [0, 1)."""
    return _make("rand", (generator or _default[0]).random(_shape_arg("rand", size)), dtype, requires_grad)


def randn(
    *size: Any, generator: np.random.Generator | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False
) -> Tensor:
    """Standard normal."""
    return _make("randn", (generator or _default[0]).standard_normal(_shape_arg("randn", size)), dtype, requires_grad)


def arange(
    start: float, end: float | None = None, step: float = 1, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Like range(): integers give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    for name, v in (("start", start), ("end", end), ("step", step)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ArgumentError(f"arange: {name} must be a number, got {v!r}")
    if step == 0:
        raise DomainError("arange: step must not be zero")
    if dtype is None and all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        dtype = np.int64
    return _make("arange", np.arange(start, end, step), dtype or DEFAULT_FLOAT, requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    n, m = _shape_arg("eye", (n, n if m is None else m))
    return _make("eye", np.eye(n, m), dtype, requires_grad)
