"""Ways to make tensors, with PyTorch's names and arguments (`device=` accepts the CPU only):
`tensor`, `as_tensor`, `from_numpy`, `zeros`, `ones`, `empty`, `full`, `*_like`, `arange`,
`linspace`, `logspace`, `eye`, and the random `rand`, `randn`, `randint`, `randperm`. Random ones
draw from `generator` or from the default generator, which `manual_seed` resets."""

from __future__ import annotations

from typing import Any

import numpy as np

from .device import check_device
from .errors import ArgumentError, DomainError, DTypeError, ShapeError
from .tensor import Default, Tensor, size_args, to_array, as_dtype

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


def _dtype(op: str, dtype: Any) -> np.dtype:
    """A factory's dtype: the default float dtype when None (`set_default_dtype`)."""
    return as_dtype(op, Default.float if dtype is None else dtype)


def _float_dtype(op: str, dtype: Any) -> np.dtype:
    """A random factory's dtype: floating, as in PyTorch (rand of int64 is not implemented there either)."""
    resolved = _dtype(op, dtype)
    if resolved.kind != "f":
        raise DTypeError(f"{op}: draws floating-point numbers; dtype must be a float dtype, got {resolved}")
    return resolved


def _generator(op: str, generator: Any) -> np.random.Generator:
    """The numpy Generator to draw from: an autograd.Generator's, a numpy Generator, or the default."""
    from .random_ops import as_numpy_generator  # (random_ops imports this module)

    return as_numpy_generator(generator, op)


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None, device: Any = None) -> Tensor:
    """A new leaf tensor holding a copy of `data`."""
    check_device("tensor", device)
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device("zeros", device)
    return _make("zeros", np.zeros(size_args("zeros", size), _dtype("zeros", dtype)), None, requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device("ones", device)
    return _make("ones", np.ones(size_args("ones", size), _dtype("ones", dtype)), None, requires_grad)


def full(size: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """`size` filled with `fill_value`; the dtype follows the value (float32, int64 or bool)."""
    check_device("full", device)
    fill = to_array(fill_value, op="full")
    shape, dtype = size_args("full", (size,)), as_dtype("full", fill.dtype if dtype is None else dtype)
    return _make("full", np.full(shape, fill, dtype), None, requires_grad)


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device("zeros_like", device)
    dtype = None if dtype is None else as_dtype("zeros_like", dtype)
    return _make("zeros_like", np.zeros_like(np.asarray(t), dtype), None, requires_grad)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device("ones_like", device)
    dtype = None if dtype is None else as_dtype("ones_like", dtype)
    return _make("ones_like", np.ones_like(np.asarray(t), dtype), None, requires_grad)


def rand(
    *size: Any,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Uniform on [0, 1), drawn in `dtype` itself: a float64 draw rounded to float32 would give exactly
    1.0 about once in 3·10⁷ values. (float16, which NumPy cannot draw, is drawn in float32 and kept
    below 1 by taking the largest float16 under 1 where rounding reached it.)"""
    check_device("rand", device)
    dtype, gen, shape = _float_dtype("rand", dtype), _generator("rand", generator), size_args("rand", size)
    if dtype in (np.float32, np.float64):
        return _make("rand", gen.random(shape, dtype), None, requires_grad)
    draws = gen.random(shape, np.float32).astype(dtype)
    return _make("rand", np.minimum(draws, np.nextafter(dtype.type(1), dtype.type(0))), None, requires_grad)


def randn(
    *size: Any,
    generator: np.random.Generator | None = None,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Standard normal (drawn in float64, then rounded to `dtype`)."""
    check_device("randn", device)
    dtype, gen, shape = _float_dtype("randn", dtype), _generator("randn", generator), size_args("randn", size)
    return _make("randn", gen.standard_normal(shape), dtype, requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Like range(): integers give int64, any float gives float32."""
    check_device("arange", device)
    if end is None:
        start, end = 0, start
    _finite_numbers("arange", start=start, end=end, step=step)
    if step == 0:
        raise DomainError("arange: step must not be zero")
    if dtype is None and all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        dtype = np.int64
    return _make("arange", np.arange(start, end, step), _dtype("arange", dtype), requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device("eye", device)
    n, m = size_args("eye", (n, n if m is None else m))
    return _make("eye", np.eye(n, m, dtype=_dtype("eye", dtype)), None, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """`data` as a tensor without a copy where it can be: a Tensor or NumPy array of that dtype is
    shared (a Tensor is returned as it is), anything else is copied, as PyTorch's `as_tensor`."""
    check_device("as_tensor", device)
    dtype = None if dtype is None else as_dtype("as_tensor", dtype)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf" and dtype in (None, data.dtype):
        return Tensor._wrap(data)
    return Tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor over the memory of the NumPy `array` (a change to one is seen by the other)."""
    if not isinstance(array, np.ndarray):
        raise ArgumentError(f"from_numpy: expected a numpy.ndarray, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise DTypeError(f"from_numpy: a tensor cannot hold dtype {array.dtype}; expected a numeric or bool array")
    return Tensor._wrap(array)


def empty(*size: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    """A tensor of `size` (PyTorch leaves its values unset; here they are zeros)."""
    check_device("empty", device)
    return _make("empty", np.zeros(size_args("empty", size), _dtype("empty", dtype)), None, requires_grad)


def empty_like(t: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    return zeros_like(t, dtype=dtype, requires_grad=requires_grad, device=device)


def full_like(t: Any, fill_value: Any, dtype: Any = None, requires_grad: bool = False, device: Any = None) -> Tensor:
    check_device("full_like", device)
    like = np.asarray(t)
    return _make(
        "full_like", np.full_like(like, fill_value, as_dtype("full_like", dtype or like.dtype)), None, requires_grad
    )


def _random_like(factory: Any) -> Any:
    """`factory`'s draws in the shape (and, unless given, the dtype) of a tensor: rand_like, randn_like."""

    def like(
        t: Any,
        dtype: Any = None,
        generator: Any = None,
        requires_grad: bool = False,
        device: Any = None,
    ) -> Tensor:
        a = np.asarray(t)
        return factory(a.shape, generator=generator, dtype=dtype or a.dtype, requires_grad=requires_grad, device=device)

    like.__name__ = like.__qualname__ = f"{factory.__name__}_like"
    return like


rand_like = _random_like(rand)
randn_like = _random_like(randn)


def _finite_numbers(op: str, **values: Any) -> None:
    """Raise unless each named argument is a finite real number (not a bool)."""
    for name, v in values.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ArgumentError(f"{op}: {name} must be a number, got {v!r}")
        if not np.isfinite(v):
            raise DomainError(f"{op}: {name} must be finite, got {v!r}")


def _steps(op: str, steps: Any) -> int:
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise ArgumentError(f"{op}: steps must be an int, got {steps!r}")
    if steps < 0:
        raise ShapeError(f"{op}: steps must be non-negative, got {steps}")
    return int(steps)


def linspace(
    start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False, device: Any = None
) -> Tensor:
    """`steps` values from `start` to `end`, both included."""
    check_device("linspace", device)
    _finite_numbers("linspace", start=start, end=end)
    values = np.linspace(float(start), float(end), _steps("linspace", steps))
    return _make("linspace", values, _dtype("linspace", dtype), requires_grad)


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """base ** linspace(start, end, steps)."""
    check_device("logspace", device)
    _finite_numbers("logspace", start=start, end=end, base=base)
    values = np.float64(base) ** np.linspace(float(start), float(end), _steps("logspace", steps))
    return _make("logspace", values, _dtype("logspace", dtype), requires_grad)


def randint(
    low: int,
    high: int | None = None,
    size: Any = None,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = np.int64,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Integers uniform on [low, high): `randint(high, size)` or `randint(low, high, size)`."""
    check_device("randint", device)
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    for name, v in (("low", low), ("high", high)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise ArgumentError(f"randint: {name} must be an int, got {v!r}")
    if high <= low:
        raise DomainError(f"randint: high must be greater than low, got low={low}, high={high}")
    shape = size_args("randint", (size,))
    drawn = _generator("randint", generator).integers(low, high, shape)
    return _make("randint", drawn, dtype, requires_grad)


def randperm(
    n: int,
    *,
    generator: np.random.Generator | None = None,
    dtype: Any = np.int64,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """A random permutation of 0 … n − 1."""
    check_device("randperm", device)
    (n,) = size_args("randperm", (n,))
    return _make("randperm", _generator("randperm", generator).permutation(n), dtype, requires_grad)


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def is_floating_point(t: Tensor) -> bool:
    return t.is_floating_point()


def get_default_dtype() -> np.dtype:
    """The dtype Python floats become: float32 unless `set_default_dtype` changed it, as in PyTorch."""
    return Default.float


def set_default_dtype(d: Any) -> None:
    """Make the floating dtype `d` (float16, float32 or float64) what Python floats, integer division,
    integers meeting floats and the float factories give, as PyTorch's; dtypes already made stay."""
    resolved = as_dtype("set_default_dtype", d)
    if resolved.kind != "f":
        raise DTypeError(
            f"set_default_dtype: only floating-point types are supported as the default type, got {resolved}"
        )
    Default.float = resolved
