"""PyTorch's random sampling, with PyTorch's names, signatures and dtypes: `Generator`, `bernoulli`,
`multinomial`, `normal`, `poisson`, and the in-place fillers `uniform_`, `normal_`, `bernoulli_`,
`exponential_`, `random_`.

The draws come from NumPy's generators, so they cannot be PyTorch's numbers: the same seed gives
the same draws here, and the distributions are PyTorch's. `generator=` takes an
`autograd.random_ops.Generator` (PyTorch's torch.Generator) or a numpy.random.Generator; without one
the default generator of `autograd.factories` (reseeded by `manual_seed`) draws.
`as_numpy_generator` turns any of those into the numpy Generator, for the factories.

Samples are outside the graph: PyTorch's bernoulli / normal / poisson of a tensor that requires
grad return a result whose gradient is 0 everywhere; here the result does not require grad.
The fillers write into the tensor's memory by `autograd.inplace.apply_inplace`, the engine's rule for
in-place ops: allowed on a tensor that does not require grad and, inside `no_grad()`, on a leaf that
does; refused with a GraphError on a leaf that requires grad while the graph is recorded (as
PyTorch); on a non-leaf in the graph, recorded as an overwrite (no gradient reaches the old values,
as PyTorch's zero gradient). Each counts a new version of the memory, so a graph that saved it
refuses to backpropagate stale values.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from . import factories, inplace
from .device import CPU, check_device
from .errors import ArgumentError, DomainError, DTypeError, ShapeError
from .tensor import Default, Tensor, as_dtype, size_args

Number = int | float

DEFAULT_SEED = 67280421310721  # PyTorch's: the initial seed of a new torch.Generator()


class Generator:
    """PyTorch's torch.Generator over a numpy.random.Generator: `Generator().manual_seed(s)` returns
    the generator, `seed()` reseeds it from the OS and returns the seed, `initial_seed()` is the last
    seed set (PyTorch's 67280421310721 for a new one, so unseeded generators draw alike, as
    PyTorch's). Negative seeds are taken modulo 2⁶⁴, as PyTorch takes them. `get_state()` /
    `set_state(state)` save and restore it (NumPy's state dict, not PyTorch's ByteTensor)."""

    __slots__ = ("_rng", "_seed")

    def __init__(self, device: Any = "cpu") -> None:
        check_device("Generator", device)
        self._seed = DEFAULT_SEED
        self._rng = np.random.default_rng(DEFAULT_SEED)

    device = property(lambda self: CPU, doc="Always the CPU, as every tensor here.")

    def manual_seed(self, seed: int) -> Generator:
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise ArgumentError(f"Generator.manual_seed: seed must be an integer, got {seed!r}")
        self._seed = int(seed) % 2**64
        self._rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        """Reseed from the operating system's randomness; returns the new seed."""
        self.manual_seed(int.from_bytes(os.urandom(8), "little"))
        return self._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> dict[str, Any]:
        return self._rng.bit_generator.state

    def set_state(self, state: dict[str, Any]) -> Generator:
        self._rng.bit_generator.state = state
        return self

    @property
    def numpy_generator(self) -> np.random.Generator:
        """The numpy.random.Generator that draws."""
        return self._rng

    def __repr__(self) -> str:
        return f"<autograd.Generator initial_seed={self._seed}>"


def as_numpy_generator(generator: Any, op: str = "generator") -> np.random.Generator:
    """The numpy.random.Generator of `generator`: an autograd Generator's, a numpy Generator itself,
    or the default generator for None; an ArgumentError naming `op` for anything else."""
    if generator is None:
        return factories.default_generator()
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise ArgumentError(
        f"{op}: generator must be an autograd.Generator or a numpy.random.Generator (e.g. "
        f"autograd.Generator().manual_seed(0)), got {generator!r}"
    )


# ---- arguments ------------------------------------------------------------------------------------


def _tensor(op: str, value: Any, what: str = "input") -> Tensor:
    if isinstance(value, Tensor):
        return value
    raise ArgumentError(f"{op}: argument '{what}' must be a Tensor, got {type(value).__name__}")


def _number(op: str, value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{op}: argument '{what}' must be a number, got {value!r}")
    return float(value)


def _floating(op: str, x: Tensor) -> None:
    if x.dtype.kind != "f":
        raise DTypeError(f"{op}: not implemented for {x.dtype} tensors (as in PyTorch); it draws floating-point values")


def _probability(op: str, p: Any) -> float:
    p = _number(op, p, "p")
    if not 0 <= p <= 1:
        raise DomainError(f"{op}: expects p to be in [0, 1], but got p={p}")
    return p


def _probabilities(op: str, p: Tensor) -> np.ndarray:
    values = p._data
    inside = (values >= 0) & (values <= 1)  # NaN is outside
    if not np.all(inside):
        raise DomainError(f"{op}: every probability must be in [0, 1], got {values[~inside].flat[0]}")
    return values


def _std(op: str, std: Any) -> None:
    low = np.min(std) if np.size(std) else 0.0
    if not low >= 0:  # NaN fails too
        raise DomainError(f"{op}: expects std >= 0.0, but found std {low}")


# ---- sampling -------------------------------------------------------------------------------------


def bernoulli(input: Tensor, p: float | None = None, generator: Any = None) -> Tensor:
    """1 with probability `input` (or `p` for every element), else 0, in input's dtype and shape.
    Without `p` the probabilities are input's, which must be a float tensor in [0, 1]; with `p` any
    dtype is filled (as PyTorch)."""
    x = _tensor("bernoulli", input)
    gen = as_numpy_generator(generator, "bernoulli")
    if p is None:
        _floating("bernoulli", x)
        probs = _probabilities("bernoulli", x)
    else:
        probs = _probability("bernoulli", p)
    return Tensor._wrap((gen.random(x.shape) < probs).astype(x.dtype))


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, generator: Any = None) -> Tensor:
    """`num_samples` category indices (int64) drawn from each row of non-negative weights (a vector,
    or a matrix of one row per distribution), proportionally to the weights, with or without
    replacement. Without replacement, the draws are PyTorch's: each row's weights divided by
    independent Exp(1) draws, largest first (so zero weights come last, in random order, once the
    positive ones are used up, as PyTorch)."""
    x = _tensor("multinomial", input)
    if x.dtype.kind != "f":
        raise DTypeError(f"multinomial: only supports floating-point dtypes for input, got {x.dtype} (as PyTorch)")
    if x.ndim not in (1, 2):
        raise ShapeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {x.shape}")
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
        raise ArgumentError(f"multinomial: num_samples must be an int, got {num_samples!r}")
    if num_samples <= 0:
        raise ShapeError(f"multinomial: cannot sample num_samples <= 0 samples, got {num_samples}")
    weights = np.asarray(x._data, dtype=np.float64).reshape(-1, x.shape[-1])
    categories = weights.shape[1]
    if not replacement and num_samples > categories:
        raise ShapeError(
            f"multinomial: cannot sample num_samples={num_samples} > {categories} categories without replacement"
        )
    if not np.all(np.isfinite(weights) & (weights >= 0)):
        raise DomainError("multinomial: the weights contain inf, nan or an element < 0; expected non-negative weights")
    totals = weights.sum(axis=1)
    if weights.shape[0] and not np.all(totals > 0):
        raise DomainError(
            "multinomial: invalid distribution: a row of weights sums to 0 (row "
            f"{int(np.argmin(totals > 0))}); expected at least one positive weight per row"
        )
    gen = as_numpy_generator(generator, "multinomial")
    if replacement:
        cdf = np.cumsum(weights, axis=1)
        u = gen.random((weights.shape[0], num_samples)) * cdf[:, -1:]
        last = categories - 1 - np.argmax(weights[:, ::-1] > 0, axis=1)  # the last positive weight
        drawn = np.stack([np.searchsorted(c, row, side="right") for c, row in zip(cdf, u)]) if len(cdf) else u
        drawn = np.minimum(drawn.astype(np.int64), last[:, None])
    else:
        race = gen.standard_exponential(weights.shape)
        with np.errstate(divide="ignore"):  # zero weights after every positive one, in random order
            keys = np.where(weights > 0, weights / race, -race)
        drawn = np.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    return Tensor._wrap(drawn.astype(np.int64).reshape(*x.shape[:-1], num_samples))


def normal(
    mean: Tensor | Number,
    std: Tensor | Number = 1.0,
    size: Any = None,
    generator: Any = None,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    device: Any = None,
) -> Tensor:
    """Normal draws, in PyTorch's overloads: `normal(mean_tensor, std_tensor)` (broadcast together),
    `normal(mean_tensor, std=1.0)`, `normal(mean, std_tensor)`, and `normal(mean, std, size)` of two
    numbers (float32, or `dtype`). A tensor mean or std must be floating; the result has its dtype
    (the mean's when both are tensors, as PyTorch). std ≥ 0."""
    op = "normal"
    gen = as_numpy_generator(generator, op)
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        m, s = _number(op, mean, "mean"), _number(op, std, "std")
        if size is None:
            raise ArgumentError("normal: with a number mean and std, give the size, e.g. normal(0.0, 1.0, (2, 3))")
        check_device(op, device)
        out_dtype = Default.float if dtype is None else as_dtype(op, dtype)
        if out_dtype.kind != "f":
            raise DTypeError(f"normal: draws floating-point numbers; dtype must be a float dtype, got {out_dtype}")
        _std(op, s)
        t = Tensor._wrap((m + s * gen.standard_normal(size_args(op, (size,)))).astype(out_dtype))
        return t.requires_grad_() if requires_grad else t
    if size is not None:
        raise ArgumentError("normal: size is given only with a number mean and std; a tensor gives the shape")
    tensors = [v for v in (mean, std) if isinstance(v, Tensor)]
    for t in tensors:
        _floating(op, t)
    m = mean._data if isinstance(mean, Tensor) else _number(op, mean, "mean")
    s = std._data if isinstance(std, Tensor) else _number(op, std, "std")
    _std(op, s)
    out_dtype = tensors[0].dtype  # the mean's dtype when both are tensors, as PyTorch
    try:
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
    except ValueError:
        raise ShapeError(
            f"normal: mean of shape {np.shape(m)} and std of shape {np.shape(s)} do not broadcast"
        ) from None
    return Tensor._wrap((m + s * gen.standard_normal(shape)).astype(out_dtype))


def poisson(input: Tensor, generator: Any = None) -> Tensor:
    """Poisson draws with the rates `input` (a float tensor of non-negative rates), in its dtype."""
    x = _tensor("poisson", input)
    _floating("poisson", x)
    rates = x._data
    if not np.all(rates >= 0):  # NaN fails too
        raise DomainError("poisson: invalid Poisson rate, expected every rate to be non-negative (and not NaN)")
    if np.isinf(rates).any():
        raise DomainError("poisson: a rate is inf; expected finite rates (PyTorch returns garbage there)")
    return Tensor._wrap(as_numpy_generator(generator, "poisson").poisson(rates.astype(np.float64)).astype(x.dtype))


# ---- in-place fillers -----------------------------------------------------------------------------


def _fill(t: Tensor, op: str, values: np.ndarray) -> Tensor:
    """Write `values` into t's memory by the engine's in-place rule (autograd/inplace.py): the
    version counter counts the change."""
    return inplace.apply_inplace(t, op, inplace.replaced, Tensor._wrap(values.astype(t.dtype, copy=False)))


def uniform_(tensor: Tensor, from_: float = 0, to: float = 1, *, generator: Any = None) -> Tensor:
    """Fill with uniform draws on [from_, to) (a float tensor); returns it."""
    t = _tensor("uniform_", tensor, "self")
    _floating("uniform_", t)
    low, high = _number("uniform_", from_, "from"), _number("uniform_", to, "to")
    if not low <= high:
        raise DomainError(f"uniform_: expects to return a [from, to) range, but found from={low} > to={high}")
    if not (np.isfinite(low) and np.isfinite(high)):
        raise DomainError(f"uniform_: from and to must be finite, got from={low}, to={high}")
    gen = as_numpy_generator(generator, "uniform_")
    draws = gen.random(t.shape, np.float32 if t.dtype != np.float64 else np.float64)
    values = (low + (high - low) * draws).astype(t.dtype)
    if high > low:  # rounding to the dtype can reach `to`: keep it below, as the range is half-open
        values = np.minimum(values, np.nextafter(t.dtype.type(high), t.dtype.type(low)))
    return _fill(t, "uniform_", values)


def normal_(tensor: Tensor, mean: float = 0, std: float = 1, *, generator: Any = None) -> Tensor:
    """Fill with normal draws of `mean` and `std` ≥ 0 (a float tensor); returns it."""
    t = _tensor("normal_", tensor, "self")
    _floating("normal_", t)
    m, s = _number("normal_", mean, "mean"), _number("normal_", std, "std")
    _std("normal_", s)
    return _fill(t, "normal_", m + s * as_numpy_generator(generator, "normal_").standard_normal(t.shape))


def bernoulli_(tensor: Tensor, p: float | Tensor = 0.5, *, generator: Any = None) -> Tensor:
    """Fill with 1 with probability `p` (a number, or a tensor of probabilities broadcast to this
    one), else 0, in any dtype; returns it."""
    t = _tensor("bernoulli_", tensor, "self")
    probs = _probabilities("bernoulli_", p) if isinstance(p, Tensor) else _probability("bernoulli_", p)
    if isinstance(p, Tensor) and not _broadcasts_to(p.shape, t.shape):
        raise ShapeError(f"bernoulli_: p of shape {p.shape} does not broadcast to the tensor's shape {t.shape}")
    return _fill(t, "bernoulli_", as_numpy_generator(generator, "bernoulli_").random(t.shape) < probs)


def _broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False


def exponential_(tensor: Tensor, lambd: float = 1, *, generator: Any = None) -> Tensor:
    """Fill with exponential draws of rate `lambd` > 0 (mean 1/lambd; a float tensor); returns it."""
    t = _tensor("exponential_", tensor, "self")
    if t.dtype.kind != "f":
        raise DTypeError(
            f"exponential_: the exponential distribution is continuous; the tensor must be floating, got {t.dtype}"
        )
    rate = _number("exponential_", lambd, "lambd")
    if not rate > 0:
        raise DomainError(f"exponential_: expects lambda > 0.0, but found lambda={rate}")
    draws = as_numpy_generator(generator, "exponential_").standard_exponential(t.shape) / rate
    return _fill(t, "exponential_", draws)


_UNSET = object()


def _integer(op: str, value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ArgumentError(f"{op}: argument '{what}' must be an int, got {value!r}")
    return int(value)


def _bounds(dtype: np.dtype) -> tuple[int, int]:
    """The integers a dtype holds exactly: its range, or ±2^(mantissa + 1) for a float dtype."""
    if dtype.kind == "b":
        return 0, 1
    if dtype.kind == "f":
        digits = np.finfo(dtype).nmant + 1
        return -(2**digits), 2**digits
    info = np.iinfo(dtype)
    return int(info.min), int(info.max)


def random_(tensor: Tensor, from_: Any = None, to: Any = _UNSET, *, generator: Any = None) -> Tensor:
    """Fill with integers uniform on [from_, to), in PyTorch's forms: `random_(t)` (from 0 to the
    largest the dtype holds exactly, included: 2²⁴ for float32, 2⁵³ for float64, the integer dtype's
    maximum, or 0/1 for bool), `random_(t, to)` ([0, to)), `random_(t, from_, to)`, and
    `random_(t, from_, None)` (from `from_` to the dtype's largest, included); returns it."""
    op = "random_"
    t = _tensor(op, tensor, "self")
    low_bound, high_bound = _bounds(t.dtype)
    if from_ is None and to is _UNSET:
        low, high = 0, high_bound + 1
    elif to is _UNSET:
        low, high = 0, _integer(op, from_, "to")
    else:
        low = _integer(op, from_, "from")
        high = high_bound + 1 if to is None else _integer(op, to, "to")
    if low >= high:
        raise DomainError(f"random_: expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if not low_bound <= low <= high_bound:
        raise DomainError(f"random_: from={low} is out of bounds for {t.dtype}")
    if not low_bound <= high - 1 <= high_bound:
        raise DomainError(f"random_: to - 1 = {high - 1} is out of bounds for {t.dtype}")
    gen = as_numpy_generator(generator, op)
    if high - 1 > np.iinfo(np.int64).max:  # uint64's top half: draw the offset as uint64
        draws = gen.integers(0, high - low, t.shape, dtype=np.uint64) + np.uint64(low)
    else:
        draws = gen.integers(low, high, t.shape, dtype=np.int64)
    return _fill(t, op, draws)


__all__ = [
    "Generator", "bernoulli", "multinomial", "normal", "poisson",
    "uniform_", "normal_", "bernoulli_", "exponential_", "random_",
]  # fmt: skip
