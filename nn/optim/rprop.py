"""Rprop: resilient backpropagation, per-coordinate steps grown or shrunk by the sign of the gradient."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class Rprop(Optimizer):
    """The update PyTorch documents, per step (the previous gradient g′ starts at 0, each step size at lr):

    s ← min(s·η₊, Γ_max) where g·g′ > 0;  s ← max(s·η₋, Γ_min), g ← 0 where g·g′ < 0   (etas, step_sizes)
    θ ← θ − s·sign(g),  g′ ← g
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50.0),
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            etas=tuple(etas) if isinstance(etas, (tuple, list)) else etas,
            step_sizes=tuple(step_sizes) if isinstance(step_sizes, (tuple, list)) else step_sizes,
            maximize=maximize,
        )
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        etaminus, etaplus = group["etas"]
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise DomainError(f"Rprop: invalid etas {group['etas']!r}; expected 0 < etaminus < 1 < etaplus")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        (etaminus, etaplus), (step_min, step_max) = group["etas"], group["step_sizes"]
        if not state:
            state["step"] = 0
            state["prev"] = np.zeros_like(param)
            state["step_size"] = np.full_like(param, group["lr"])
        state["step"] += 1
        sign = np.sign(grad * state["prev"])
        factor = np.where(sign > 0, etaplus, np.where(sign < 0, etaminus, 1.0)).astype(param.dtype)
        step_size = state["step_size"]
        step_size *= factor
        np.clip(step_size, step_min, step_max, out=step_size)
        grad = np.where(sign < 0, 0.0, grad).astype(param.dtype)
        param -= np.sign(grad) * step_size
        state["prev"][...] = grad
