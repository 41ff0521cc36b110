"""RMSprop: steps divided by a running root mean square of the gradients."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class RMSprop(Optimizer):
    """The update PyTorch documents, per step (v, g_ave and b start at 0):

    g ← g + λθ                          (weight_decay λ ≠ 0)
    v ← αv + (1 − α)g²                  (alpha α)
    ṽ ← v − g_ave², g_ave ← αg_ave + (1 − α)g first   (centered)
    b ← μb + g / (√ṽ + ε), θ ← θ − γb   (momentum μ > 0)
    θ ← θ − γ g / (√ṽ + ε)              (otherwise)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        for key in ("alpha", "momentum"):
            if not group[key] >= 0.0:
                raise DomainError(f"RMSprop: invalid {key} {group[key]!r}; expected a number >= 0")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        alpha, mu = group["alpha"], group["momentum"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param)
            if mu > 0:
                state["momentum_buffer"] = np.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param)
        state["step"] += 1
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        v = state["square_avg"]
        v *= alpha
        v += (1 - alpha) * grad * grad
        if group["centered"]:
            g_ave = state["grad_avg"]
            g_ave *= alpha
            g_ave += (1 - alpha) * grad
            v = v - g_ave * g_ave
        step = grad / (np.sqrt(v) + group["eps"])
        if mu > 0:
            buf = state["momentum_buffer"]
            buf *= mu
            buf += step
            step = buf
        param -= group["lr"] * step
