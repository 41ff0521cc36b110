"""Adadelta: steps rescaled by the running RMS of past updates over that of past gradients."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class Adadelta(Optimizer):
    """The update PyTorch documents, per step (v and u start at 0):

    g ← g + λθ                        (weight_decay λ ≠ 0)
    v ← ρv + (1 − ρ)g²                (rho ρ)
    Δx ← √(u + ε) / √(v + ε) · g
    u ← ρu + (1 − ρ)Δx²
    θ ← θ − γΔx                       (lr γ, 1.0 by default)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize))

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        if not 0.0 <= group["rho"] <= 1.0:
            raise DomainError(f"Adadelta: invalid rho {group['rho']!r}; expected a number in [0, 1]")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        rho, eps = group["rho"], group["eps"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param)
            state["acc_delta"] = np.zeros_like(param)
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        v, u = state["square_avg"], state["acc_delta"]
        v *= rho
        v += (1 - rho) * grad * grad
        delta = np.sqrt(u + eps) / np.sqrt(v + eps) * grad
        u *= rho
        u += (1 - rho) * delta * delta
        param -= group["lr"] * delta
