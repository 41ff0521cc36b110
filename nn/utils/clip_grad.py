"""Gradient clipping, as PyTorch's `torch.nn.utils.clip_grad`: by the global norm (`clip_grad_norm_`,
which is `get_total_norm` followed by `clip_grads_with_norm_`) and elementwise (`clip_grad_value_`).

Gradients are changed in place: a reference to a parameter's `.grad` sees the clipped values.
`foreach=` is accepted for PyTorch's signatures; NumPy computes every form the same way.
"""

from __future__ import annotations

import types
import warnings
from collections.abc import Iterable

import numpy as np

from autograd import Tensor
from autograd.errors import AutogradError
from autograd.extend import mark_dirty, unwrap, wrap

Tensors = Tensor | Iterable[Tensor]


class NonFiniteNormError(AutogradError, RuntimeError):
    """`error_if_nonfinite=True` and the total gradient norm is NaN or infinite (PyTorch: RuntimeError)."""


def _listed(tensors: Tensors) -> list[Tensor]:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _grads(parameters: list[Tensor]) -> list[Tensor]:
    return [p.grad for p in parameters if p.grad is not None]


def _write(grad: Tensor, values: np.ndarray) -> None:
    """Put `values` into the gradient Tensor in place (its own memory if writable, else new memory)."""
    array = grad.numpy()
    if grad.grad_fn is None and array.flags.writeable:
        array[...] = values
        mark_dirty(grad)
    else:
        grad.data = wrap(values.astype(array.dtype, copy=False))


def get_total_norm(
    tensors: Tensors, norm_type: float = 2.0, error_if_nonfinite: bool = False, foreach: bool | None = None
) -> Tensor:
    """‖(‖t₁‖ₚ, …, ‖tₙ‖ₚ)‖ₚ: the p-norm (`norm_type`; inf is the largest |t|, -inf the smallest, 0 the
    count of non-zeros) of all `tensors` seen as one vector, in their promoted dtype; 0.0 (float32) for none.
    With `error_if_nonfinite`, a NaN or infinite norm is a `NonFiniteNormError`."""
    arrays = [unwrap(t) for t in _listed(tensors)]
    norm_type = float(norm_type)
    if not arrays:
        return Tensor(0.0)
    dtype = np.result_type(*arrays)
    # each tensor's norm in its own dtype, then the norm of those in the promoted one, as PyTorch's
    norms = [np.linalg.norm(a.ravel().astype(np.float64), norm_type).astype(a.dtype) for a in arrays]
    total = np.asarray(np.linalg.norm(np.array(norms, dtype=np.float64), norm_type)).astype(dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise NonFiniteNormError(
            f"get_total_norm: the total norm of order {norm_type} of the gradients is {float(total)}, so it "
            "cannot be clipped; pass error_if_nonfinite=False to scale the gradients by it anyway"
        )
    return wrap(total)


def clip_grads_with_norm_(
    parameters: Tensors, max_norm: float, total_norm: Tensor | float, foreach: bool | None = None
) -> None:
    """grad ← grad · min(max_norm / (total_norm + 1e-6), 1) for every parameter with a gradient, computed in
    `total_norm`'s dtype as PyTorch's (a NaN norm makes every gradient NaN, an infinite one zero)."""
    grads = _grads(_listed(parameters))
    if not grads:
        return
    total = np.asarray(unwrap(total_norm) if isinstance(total_norm, Tensor) else np.float32(total_norm))
    coef = np.minimum(np.asarray(float(max_norm), total.dtype) / (total + total.dtype.type(1e-6)), 1)
    with np.errstate(invalid="ignore"):  # an infinite gradient times 0 is NaN, as in PyTorch
        for g in grads:
            _write(g, g.numpy() * coef.astype(g.dtype))


def clip_grad_norm_(
    parameters: Tensors,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients together so that their total `norm_type` norm is at most `max_norm`:
    `get_total_norm` of the gradients, then `clip_grads_with_norm_`. Returns the norm before clipping."""
    is_generator = isinstance(parameters, types.GeneratorType)
    params = _listed(parameters)
    if is_generator and not params:
        warnings.warn(
            "clip_grad_norm_: `parameters` is an empty generator, no gradient clipping will occur", stacklevel=2
        )
    total = get_total_norm(_grads(params), norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(params, max_norm, total, foreach)
    return total


def clip_grad_value_(parameters: Tensors, clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient element into [−clip_value, clip_value], in place (NaN stays NaN)."""
    clip_value = float(clip_value)
    for g in _grads(_listed(parameters)):
        _write(g, np.clip(g.numpy(), -clip_value, clip_value))
