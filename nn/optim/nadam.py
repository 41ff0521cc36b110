"""NAdam: Adam with Nesterov momentum and a momentum schedule (Dozat, 2016)."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class NAdam(Optimizer):
    """The update PyTorch documents, per step t (m, v start at 0, ∏μ at 1):

    θ ← θ(1 − γλ) if decoupled_weight_decay, else g ← g + λθ   (weight_decay λ ≠ 0)
    μ_t = β₁(1 − ½·0.96^(tψ)),  μ_{t+1} = β₁(1 − ½·0.96^((t+1)ψ))   (momentum_decay ψ)
    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  v̂ = v / (1 − β₂ᵗ)
    θ ← θ − γ(1 − μ_t)/(1 − ∏_{i≤t}μ_i) · g/(√v̂ + ε) − γμ_{t+1}/(1 − ∏_{i≤t+1}μ_i) · m/(√v̂ + ε)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas) if isinstance(betas, (tuple, list)) else betas,
            eps=eps,
            weight_decay=weight_decay,
            momentum_decay=momentum_decay,
            decoupled_weight_decay=decoupled_weight_decay,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        _check_betas(type(self).__name__, group["betas"])
        if not group["momentum_decay"] >= 0.0:
            raise DomainError(f"NAdam: invalid momentum_decay {group['momentum_decay']!r}; expected a number >= 0")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        (beta1, beta2), lr, lam, psi = group["betas"], group["lr"], group["weight_decay"], group["momentum_decay"]
        if not state:
            state["step"] = 0
            state["mu_product"] = 1.0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        t = state["step"]
        if lam != 0:
            if group["decoupled_weight_decay"]:
                param *= 1 - lr * lam
            else:
                grad = grad + lam * param
        mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        state["mu_product"] *= mu
        prod = state["mu_product"]
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        denom = np.sqrt(v / (1 - beta2**t)) + group["eps"]
        param -= lr * (1 - mu) / (1 - prod) * grad / denom
        param -= lr * mu_next / (1 - prod * mu_next) * m / denom


def _check_betas(name: str, betas: Any) -> None:
    if len(betas) != 2 or not all(0.0 <= b < 1.0 for b in betas):
        raise DomainError(f"{name}: invalid betas {betas!r}; expected two numbers in [0, 1)")
