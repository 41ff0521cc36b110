"""ASGD: averaged stochastic gradient descent (Polyak and Juditsky, 1992), with a decaying step."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class ASGD(Optimizer):
    """The update PyTorch documents, per step t (η starts at lr, μ at 1, the average ax at 0):

    g ← g + λ_wθ                        (weight_decay λ_w ≠ 0)
    θ ← θ(1 − λη) − ηg                  (lambd λ)
    ax ← ax + μ(θ − ax)  (ax ← θ while μ = 1)
    η ← γ / (1 + λγt)^α,  μ ← 1 / max(1, t − t₀)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        if not group["lambd"] >= 0.0:
            raise DomainError(f"ASGD: invalid lambd {group['lambd']!r}; expected a number >= 0")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        lr, lambd = group["lr"], group["lambd"]
        if not state:
            state["step"] = 0
            state["eta"] = float(lr)
            state["mu"] = 1.0
            state["ax"] = np.zeros_like(param)
        state["step"] += 1
        t = state["step"]
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        eta = state["eta"]
        param *= 1 - lambd * eta
        param -= eta * grad
        if state["mu"] != 1:
            state["ax"] += state["mu"] * (param - state["ax"])
        else:
            state["ax"][...] = param
        state["eta"] = lr / (1 + lambd * lr * t) ** group["alpha"]
        state["mu"] = 1 / max(1, t - group["t0"])
