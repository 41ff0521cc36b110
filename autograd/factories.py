"""Ways to make tensors: `tensor`, `zeros`, `ones`, `full`, `rand`, `randn`, `arange`, `eye`,
`zeros_like`, `ones_like`. Random ones draw from `generator` or from the default generator,
which `manual_seed` resets."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ArgumentError, DomainError, DTypeError
from .tensor import DEFAULT_FLOAT, Tensor, size_args, to_array, as_dtype

_default = [np.random.default_rng()]


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the default generator (used by `rand`, `randn`, nn initialisers and shuffling)."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ArgumentError(f"manual_seed: seed must be an integer, got {seed!r}")
    # NumPy's seeds are non-negative; a negative one (PyTorch accepts them) is taken modulo 2**64
    _default[0] = np.random.default_rng(int(seed) % 2**64)
    return _default[0]


def default_generator() -> np.random.Generator:
    return _default[0]


def _make(op: str, array: np.ndarray, dtype: Any, requires_grad: bool) -> Tensor:
    t = Tensor._wrap(array if dtype is None else array.astype(as_dtype(op, dtype), copy=False))
    return t.requires_grad_() if requires_grad else t


def _float_dtype(op: str, dtype: Any) -> np.dtype:
    """A random factory's dtype: floating, as in PyTorch (rand of int64 is not implemented there either)."""
    resolved = as_dtype(op, dtype)
    if resolved.kind != "f":
        raise DTypeError(f"{op}: draws floating-point numbers; dtype must be a float dtype, got {resolved}")
    return resolved


def _generator(op: str, generator: Any) -> np.random.Generator:
    if generator is None:
        return _default[0]
    if not isinstance(generator, np.random.Generator):
        raise ArgumentError(
            f"{op}: generator must be a numpy.random.Generator (e.g. np.random.default_rng(0)), got {generator!r}"
        )
    return generator


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A new leaf tensor holding a copy of `data`."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*size: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return _make("zeros", np.zeros(size_args("zeros", size), as_dtype("zeros", dtype)), None, requires_grad)


def ones(*size: Any, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    return _make("ones", np.ones(size_args("ones", size), as_dtype("ones", dtype)), None, requires_grad)


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """`size` filled with `fill_value`; the dtype follows the value (float32, int64 or bool)."""
    fill = to_array(fill_value, op="full")
    shape, dtype = size_args("full", (size,)), as_dtype("full", dtype or fill.dtype)
    return _make("full", np.full(shape, fill, dtype), None, requires_grad)


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = None if dtype is None else as_dtype("zeros_like", dtype)
    return _make("zeros_like", np.zeros_like(np.asarray(t), dtype), None, requires_grad)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    dtype = None if dtype is None else as_dtype("ones_like", dtype)
    return _make("ones_like", np.ones_like(np.asarray(t), dtype), None, requires_grad)


def rand(
    *size: Any, generator: np.random.Generator | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False
) -> Tensor:
    """Uniform on [0, 1), drawn in `dtype` itself: a float64 draw rounded to float32 would give exactly
    1.0 about once in 3·10⁷ values. (float16, which NumPy cannot draw, is drawn in float32 and kept
    below 1 by taking the largest float16 under 1 where rounding reached it.)"""
    dtype, gen, shape = _float_dtype("rand", dtype), _generator("rand", generator), size_args("rand", size)
    if dtype in (np.float32, np.float64):
        return _make("rand", gen.random(shape, dtype), None, requires_grad)
    draws = gen.random(shape, np.float32).astype(dtype)
    return _make("rand", np.minimum(draws, np.nextafter(dtype.type(1), dtype.type(0))), None, requires_grad)


def randn(
    *size: Any, generator: np.random.Generator | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False
) -> Tensor:
    """Standard normal (drawn in float64, then rounded to `dtype`)."""
    dtype, gen, shape = _float_dtype("randn", dtype), _generator("randn", generator), size_args("randn", size)
    return _make("randn", gen.standard_normal(shape), dtype, requires_grad)


def arange(
    start: float, end: float | None = None, step: float = 1, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """Like range(): integers give int64, any float gives float32."""
    if end is None:
        start, end = 0, start
    for name, v in (("start", start), ("end", end), ("step", step)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ArgumentError(f"arange: {name} must be a number, got {v!r}")
        if not np.isfinite(v):
            raise DomainError(f"arange: {name} must be finite, got {v!r}")
    if step == 0:
        raise DomainError("arange: step must not be zero")
    if dtype is None and all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        dtype = np.int64
    return _make("arange", np.arange(start, end, step), dtype or DEFAULT_FLOAT, requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = DEFAULT_FLOAT, requires_grad: bool = False) -> Tensor:
    n, m = size_args("eye", (n, n if m is None else m))
    return _make("eye", np.eye(n, m, dtype=as_dtype("eye", dtype)), None, requires_grad)
