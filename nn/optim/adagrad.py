"""Adagrad: per-coordinate steps shrunk by the running sum of squared gradients."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable

import numpy as np

from autograd.errors import DomainError

from .optimizer import Optimizer, ParamGroup


class Adagrad(Optimizer):
    """The update PyTorch documents, per step t (state_sum starts at the initial accumulator value τ,
    set for every parameter when the optimizer is made, as PyTorch does: from the constructor's
    argument, so a group's own initial_accumulator_value is kept in the group but not used):

    γ̃ ← γ / (1 + (t − 1)η)            (lr γ, lr_decay η)
    g ← g + λθ                         (weight_decay λ ≠ 0)
    state_sum ← state_sum + g²
    θ ← θ − γ̃ g / (√state_sum + ε)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
            maximize=maximize,
        )
        super().__init__(params, defaults)
        for p in self._params():
            self.state[id(p)] = self._initial_state(p.numpy())

    def _initial_state(self, param: np.ndarray) -> dict[str, Any]:
        return {"step": 0, "sum": np.full_like(param, self.defaults["initial_accumulator_value"])}

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        for key in ("lr_decay", "initial_accumulator_value"):
            if not group[key] >= 0.0:
                raise DomainError(f"Adagrad: invalid {key} {group[key]!r}; expected a number >= 0")

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        if not state:  # a parameter of a group added later: PyTorch starts it from the constructor's τ too
            state.update(self._initial_state(param))
        state["step"] += 1
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
        if group["weight_decay"] != 0:
            grad = grad + group["weight_decay"] * param
        state["sum"] += grad * grad
        param -= clr * grad / (np.sqrt(state["sum"]) + group["eps"])
