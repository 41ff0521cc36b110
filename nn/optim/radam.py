"""RAdam: Adam whose adaptive step is switched on only once the variance of v̂ is tractable (Liu et al., 2019)."""

from __future__ import annotations

import math
from typing import Any
from collections.abc import Iterable

import numpy as np

from .nadam import _check_betas
from .optimizer import Optimizer, ParamGroup


class RAdam(Optimizer):
    """The update PyTorch documents, per step t (m, v start at 0):

    θ ← θ(1 − γλ) if decoupled_weight_decay, else g ← g + λθ   (weight_decay λ ≠ 0)
    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  m̂ = m / (1 − β₁ᵗ)
    ρ_∞ = 2/(1 − β₂) − 1,  ρ_t = ρ_∞ − 2tβ₂ᵗ/(1 − β₂ᵗ)
    θ ← θ − γ m̂ · r_t · √(1 − β₂ᵗ)/(√v + ε),  r_t = √((ρ_t−4)(ρ_t−2)ρ_∞ / ((ρ_∞−4)(ρ_∞−2)ρ_t))   if ρ_t > 5
    θ ← θ − γ m̂                                                                                 otherwise
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas) if isinstance(betas, (tuple, list)) else betas,
            eps=eps,
            weight_decay=weight_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        _check_betas(type(self).__name__, group["betas"])

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        (beta1, beta2), lr, lam = group["betas"], group["lr"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        t = state["step"]
        if lam != 0:
            if group["decoupled_weight_decay"]:
                param *= 1 - lr * lam
            else:
                grad = grad + lam * param
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        bc2 = 1 - beta2**t
        m_hat = m / (1 - beta1**t)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * beta2**t / bc2
        if rho_t > 5.0:
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            param -= m_hat * lr * (math.sqrt(bc2) / (np.sqrt(v) + group["eps"])) * rect
        else:
            param -= m_hat * lr
