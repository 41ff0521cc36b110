"""Check analytic gradients against central differences: (f(x + h) − f(x − h)) / 2h.

Works for Tensors and Scalars alike. A function with a non-scalar output is checked through a
fixed random projection L = Σ w ⊙ f(x), so one backward pass checks every input element. On a
mismatch the error reports a real Jacobian entry: the output element whose derivative with respect
to the failing input element differs most, analytic (one backward pass per output element) against
numerical.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable, Iterator

import numpy as np

from .describe import array_of
from .gradients import _seq, grad
from .errors import ArgumentError, DomainError, DTypeError, GradcheckError
from .grad_mode import enable_grad, no_grad
from .tensor import Tensor


def _weights(outputs: tuple[Any, ...], rng: np.random.Generator) -> list[Any]:
    """One projection weight per output element (1 for a one-element output)."""
    weights = []
    for out in outputs:
        if not isinstance(out, Tensor):
            weights.append(1.0)
        elif out.numel() == 1:
            weights.append(Tensor._wrap(np.ones(out.shape, dtype=out.dtype)))
        else:
            weights.append(Tensor._wrap(rng.standard_normal(out.shape).astype(out.dtype)))
    return weights


def _project(outputs: tuple[Any, ...], weights: list[Any]) -> float:
    return float(sum(np.sum(np.asarray(w) * array_of(o)) for o, w in zip(outputs, weights)))


def _central_differences(
    fn: Callable[..., Any],
    inputs: tuple[Any, ...],
    i: int,
    eps: float,
    measure: Callable[[tuple[Any, ...]], Any],
    indices: Any,
) -> Iterator[tuple[tuple[int, ...], Any]]:
    """For each element `idx` of inputs[i] in `indices` (None: all of them):
    (measure(f(x + h)) − measure(f(x − h))) / 2h, with h = eps at that element."""
    x = inputs[i]
    if isinstance(x, Tensor):
        if not x._data.flags.writeable:
            x._data = x._data.copy()
        data = x._data
    else:  # a Scalar: perturb a 0-d view of its float
        data = np.array(x.data, dtype=np.float64)
    for idx in np.ndindex(data.shape) if indices is None else indices:
        orig = data[idx]
        values = []
        for shifted in (orig + eps, orig - eps):
            data[idx] = shifted
            if not isinstance(x, Tensor):
                x.data = float(data)
            with no_grad():
                values.append(measure(_seq(fn(*inputs))))
        data[idx] = orig
        if not isinstance(x, Tensor):
            x.data = float(orig)
        yield idx, (values[0] - values[1]) / (2 * eps)


def numerical_gradient(
    fn: Callable[..., Any], inputs: tuple[Any, ...], i: int, weights: list[Any], eps: float
) -> np.ndarray:
    """d L / d inputs[i] by central differences, L = Σ weights ⊙ fn(*inputs)."""
    out = np.zeros(np.shape(array_of(inputs[i])), dtype=np.float64)
    for idx, value in _central_differences(fn, inputs, i, eps, lambda outs: _project(outs, weights), None):
        out[idx] = value
    return out


def _flat(outputs: tuple[Any, ...]) -> np.ndarray:
    """Every element of every output, in order, as one float64 vector."""
    return np.concatenate([np.ravel(np.asarray(array_of(o), dtype=np.float64)) for o in outputs])


def _output_element(outputs: tuple[Any, ...], flat: int) -> str:
    """Element `flat` of `_flat(outputs)` named as "output k, element (…)"."""
    for k, out in enumerate(outputs):
        shape = np.shape(array_of(out))
        size = int(np.prod(shape))
        if flat < size:
            return f"output {k}, element {tuple(int(j) for j in np.unravel_index(flat, shape))}"
        flat -= size
    raise IndexError(flat)


def _jacobian_columns(
    fn: Callable[..., Any], inputs: tuple[Any, ...], i: int, idx: tuple[int, ...], eps: float
) -> tuple[tuple[Any, ...], np.ndarray, np.ndarray]:
    """The column of the Jacobian d outputs / d inputs[i][idx], analytic and numerical, over every
    output element: one backward pass per output element (only run to explain a failure)."""
    with enable_grad():
        outputs = _seq(fn(*inputs))
    ((_, numerical),) = _central_differences(fn, inputs, i, eps, _flat, [idx])
    connected = [k for k, o in enumerate(outputs) if o.requires_grad]
    analytic = np.zeros(numerical.shape)
    flat = 0
    for k, out in enumerate(outputs):
        shape = np.shape(array_of(out))
        for o in np.ndindex(shape):
            if k in connected:
                seeds = [_one_hot(outputs[c], o if c == k else None) for c in connected]
                (g,) = grad([outputs[c] for c in connected], [inputs[i]], seeds, retain_graph=True, allow_unused=True)
                analytic[flat] = 0.0 if g is None else np.asarray(array_of(g), dtype=np.float64)[idx]
            flat += 1
    return outputs, analytic, numerical


def _one_hot(out: Any, o: tuple[int, ...] | None) -> Any:
    """An upstream gradient for `out` that is 1 at element `o` and 0 elsewhere (all 0 if None)."""
    if not isinstance(out, Tensor):
        return 0.0 if o is None else 1.0
    seed = np.zeros(out.shape, dtype=out.dtype)
    if o is not None:
        seed[o] = 1
    return Tensor._wrap(seed)


def _mismatch(
    fn: Callable[..., Any], inputs: tuple[Any, ...], i: int, idx: tuple[int, ...], eps: float, a: float, n: float
) -> tuple[str, str]:
    """What disagrees at input i, element idx, and a note for after the tolerances. For one
    one-element output, the two gradients; else the Jacobian entry d output / d input[idx] where
    analytic and numerical differ most (the projected gradients are weighted sums of such entries,
    not numbers anyone can recognise)."""
    outputs, analytic, numerical = _jacobian_columns(fn, inputs, i, idx, eps)
    if analytic.size == 1:
        return f"analytic gradient {a:.8g}, numerical {n:.8g}, difference {a - n:.3g}", ""
    diff = np.abs(analytic - numerical)
    worst = int(np.argmax(np.where(np.isnan(diff), np.inf, diff)))
    return (
        f"the derivative of {_output_element(outputs, worst)} with respect to it is {analytic[worst]:.8g} "
        f"analytically, {numerical[worst]:.8g} numerically, difference {analytic[worst] - numerical[worst]:.3g}",
        f"; the largest difference over the {analytic.size} output elements",
    )


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    seed: int = 0,
) -> bool:
    """True if the analytic gradient of `fn` matches central differences for every element of
    every input that requires grad; otherwise raise `GradcheckError` naming the input, the
    element, both values and their difference. Tensor inputs must be float64."""
    inputs = _seq(inputs)
    wrt = [i for i, x in enumerate(inputs) if getattr(x, "requires_grad", False)]
    if not wrt:
        raise DomainError("gradcheck: no input requires grad; expected at least one input with requires_grad=True")
    for i in wrt:
        if isinstance(inputs[i], Tensor) and inputs[i].dtype != np.float64:
            raise DTypeError(f"gradcheck: input {i} is {inputs[i].dtype}; central differences need float64 inputs")
    outputs = _seq(fn(*inputs))
    weights = _weights(outputs, np.random.default_rng(seed))
    connected = [k for k, o in enumerate(outputs) if o.requires_grad]
    if connected:
        analytic = grad(
            [outputs[k] for k in connected],
            [inputs[i] for i in wrt],
            [weights[k] for k in connected],
            allow_unused=True,
        )
    else:
        analytic = (None,) * len(wrt)
    for i, a in zip(wrt, analytic):
        shape = np.shape(array_of(inputs[i]))
        a = np.zeros(shape) if a is None else np.asarray(array_of(a), dtype=np.float64)
        n = numerical_gradient(fn, inputs, i, weights, eps)
        bad = ~(np.abs(a - n) <= atol + rtol * np.abs(n))  # NaN counts as a mismatch
        if bad.any():
            idx = tuple(int(k) for k in np.argwhere(bad)[0])
            entry, note = _mismatch(fn, inputs, i, idx, eps, a[idx], n[idx])
            raise GradcheckError(
                f"gradcheck: input {i}, element {idx}: {entry} (atol={atol}, rtol={rtol}{note}); "
                f"{int(bad.sum())} of {bad.size} elements disagree"
            )
    return True


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    *,
    seed: int = 0,
) -> bool:
    """gradcheck of the backward pass itself: second derivatives through `create_graph=True`,
    with respect to the inputs and to the upstream gradient `grad_outputs` (random if None)."""
    inputs = _seq(inputs)
    if not all(isinstance(x, Tensor) for x in inputs):
        raise ArgumentError(
            "gradgradcheck: higher derivatives are recorded for Tensors only; got inputs of type "
            f"{[type(x).__name__ for x in inputs]}"
        )
    wrt = [i for i, x in enumerate(inputs) if x.requires_grad]
    outputs = _seq(fn(*inputs))
    rng = np.random.default_rng(seed + 1)
    if grad_outputs is None:
        grad_outputs = [Tensor(rng.standard_normal(o.shape), dtype=o.dtype) for o in outputs]
    vs = tuple(Tensor(v, dtype=np.float64).requires_grad_() for v in _seq(grad_outputs))
    n = len(inputs)

    def first_derivatives(*args: Tensor) -> tuple[Tensor, ...]:
        xs, upstream = args[:n], args[n:]
        with enable_grad():  # gradcheck evaluates under no_grad; this function needs a graph
            gs = grad(_seq(fn(*xs)), [xs[i] for i in wrt], upstream, create_graph=True, allow_unused=True)
            return tuple(g for g in gs if g is not None)

    return gradcheck(first_derivatives, (*inputs, *vs), eps, atol, rtol, seed=seed)
