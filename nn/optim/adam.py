"""Adam (L2 weight decay folded into the gradient) and AdamW (decoupled weight decay)."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class Adam(Optimizer):
    """The update PyTorch documents, per step t (m, v and v_max start at 0):

    g ← g + λθ                          (weight_decay λ ≠ 0)
    m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²
    m̂ ← m / (1 − β₁ᵗ)
    v̂ ← v / (1 − β₂ᵗ), or with amsgrad: v_max ← max(v_max, v), v̂ ← v_max / (1 − β₂ᵗ)
    θ ← θ − γ m̂ / (√v̂ + ε)

    With decoupled_weight_decay=True it is AdamW: θ ← θ(1 − γλ) first, and the gradient stays plain.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            betas=tuple(betas) if isinstance(betas, (tuple, list)) else betas,
            eps=eps,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
        )
        super().__init__(params, {**defaults, "maximize": maximize, "decoupled_weight_decay": decoupled_weight_decay})

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        betas = group["betas"]
        if len(betas) != 2 or not all(0.0 <= b < 1.0 for b in betas):
            raise DomainError(f"{type(self).__name__}: invalid betas {betas!r}; expected two numbers in [0, 1)")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        (beta1, beta2), lr, lam = group["betas"], group["lr"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param)
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
        if group["amsgrad"]:
            np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
            v = state["max_exp_avg_sq"]
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        param -= lr * m_hat / (np.sqrt(v_hat) + group["eps"])


class AdamW(Adam):
    """Adam with decoupled weight decay, as PyTorch documents it: first θ ← θ − γλθ, then the Adam
    step on the plain gradient. weight_decay defaults to 0.01. Its groups say decoupled_weight_decay=True,
    as PyTorch's do."""

    _extra_hyperparameters = {"decoupled_weight_decay": True}

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize, decoupled_weight_decay=True)
