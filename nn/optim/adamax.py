"""Adamax: Adam with the infinity norm of past gradients in place of their root mean square."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from .nadam import _check_betas
from .optimizer import Optimizer, ParamGroup


class Adamax(Optimizer):
    """The update PyTorch documents, per step t (m and u start at 0):

    g ← g + λθ                          (weight_decay λ ≠ 0)
    m ← β₁m + (1 − β₁)g,  u ← max(β₂u, |g| + ε)
    θ ← θ − γ/(1 − β₁ᵗ) · m/u
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas) if isinstance(betas, (tuple, list)) else betas,
            eps=eps,
            weight_decay=weight_decay,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        _check_betas(type(self).__name__, group["betas"])

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        (beta1, beta2), lam = group["betas"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_inf"] = np.zeros_like(param)
        state["step"] += 1
        if lam != 0:
            grad = grad + lam * param
        m, u = state["exp_avg"], state["exp_inf"]
        m *= beta1
        m += (1 - beta1) * grad
        u *= beta2
        np.maximum(u, np.abs(grad) + group["eps"], out=u)
        param -= group["lr"] / (1 - beta1 ** state["step"]) * m / u
