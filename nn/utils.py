"""Gradient clipping: `clip_grad_norm_` (by the global norm) and `clip_grad_value_` (elementwise)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from autograd import Tensor
from autograd.extend import wrap


def _with_grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> Tensor:
    """Scale all gradients together by min(1, max_norm / (‖g‖ + 1e-6)), where ‖g‖ is the `norm_type`
    norm of all gradients seen as one vector (inf: the largest |g|). Returns ‖g‖ before clipping."""
    params = _with_grads(parameters)
    grads = [p.grad.numpy() for p in params]
    if not grads:
        return Tensor(0.0)
    norm_type = float(norm_type)
    if norm_type == np.inf:
        total = max(float(np.max(np.abs(g), initial=0.0)) for g in grads)
    else:
        norms = [np.linalg.norm(g.ravel().astype(np.float64), norm_type) for g in grads]
        total = float(np.linalg.norm(np.array(norms), norm_type))
    if not np.isfinite(total) and error_if_nonfinite:
        raise RuntimeError(
            f"clip_grad_norm_: the total {norm_type} norm of the gradients is {total}; "
            "pass error_if_nonfinite=False to clip anyway"
        )
    scale = min(1.0, max_norm / (total + 1e-6))
    for p in params:
        p.grad.data = wrap(p.grad.numpy() * scale)
    return Tensor(np.array(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clip every gradient element into [-clip_value, clip_value] (each parameter's .grad gets the clipped array)."""
    for p in _with_grads(parameters):
        p.grad.data = wrap(np.clip(p.grad.numpy(), -clip_value, clip_value))
