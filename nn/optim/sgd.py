"""Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class SGD(Optimizer):
    """The update PyTorch documents, per step t (g = ∇f, negated first when `maximize`):

    g ← g + λθ                         (weight_decay λ ≠ 0)
    b ← g if t = 1 else μb + (1 − τ)g  (momentum μ ≠ 0, dampening τ)
    g ← g + μb if nesterov else b      (momentum μ ≠ 0)
    θ ← θ − γg                         (lr γ)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay, nesterov=nesterov)
        super().__init__(params, {**defaults, "maximize": maximize})

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        if not group["momentum"] >= 0.0:
            raise DomainError(f"SGD: invalid momentum {group['momentum']!r}; expected a number >= 0")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise DomainError("SGD: Nesterov momentum needs momentum > 0 and dampening = 0")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        lam, mu = group["weight_decay"], group["momentum"]
        if lam != 0:
            grad = grad + lam * param
        if mu != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = grad.copy()
            else:
                buf *= mu
                buf += (1 - group["dampening"]) * grad
            grad = grad + mu * buf if group["nesterov"] else buf
        param -= np.multiply(grad, group["lr"], out=self._scratch(param))
