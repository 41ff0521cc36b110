"""Learning-rate schedules: `StepLR`, `ExponentialLR`, `CosineAnnealingLR`.

Each one sets every group's lr to a closed form of the epoch counter `last_epoch` and the group's
starting lr (`initial_lr`). This equals PyTorch's chainable form whenever only the scheduler changes
the lr. The constructor performs the first `step()`, so after it `last_epoch` is 0 and the lr is the
initial lr; call `step()` once per epoch after the optimizer's steps.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Any

from autograd.errors import ArgumentError, DomainError

from .optimizer import Optimizer


class LRScheduler(ABC):
    """Base: keeps `base_lrs` (each group's `initial_lr`) and `last_epoch`."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise ArgumentError(f"{type(self).__name__}: expected an Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(
                    f"{type(self).__name__}: resuming at last_epoch={last_epoch} needs 'initial_lr' in "
                    f"parameter group {i}; it is set when a scheduler starts from last_epoch=-1"
                )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        self.step()

    @abstractmethod
    def lr_at(self, base_lr: float, epoch: int) -> float:
        """The closed form: the lr of a group that started at `base_lr`, after `epoch` steps."""

    def get_last_lr(self) -> list[float]:
        """The lr of each group as set by the last `step()`."""
        return list(self._last_lr)

    def step(self) -> None:
        self.last_epoch += 1
        self._last_lr = [self.lr_at(base, self.last_epoch) for base in self.base_lrs]
        for group, lr in zip(self.optimizer.param_groups, self._last_lr):
            group["lr"] = lr

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer: plain numbers and lists."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        vars(self).update({k: (list(v) if isinstance(v, list) else v) for k, v in state_dict.items()})


class StepLR(LRScheduler):
    """lr = base_lr · γ^⌊last_epoch / step_size⌋: multiply by `gamma` every `step_size` epochs."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        if not (isinstance(step_size, int) and step_size >= 1):
            raise DomainError(f"StepLR: step_size must be a positive integer, got {step_size!r}")
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class ExponentialLR(LRScheduler):
    """lr = base_lr · γ^last_epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return base_lr * self.gamma**epoch


class CosineAnnealingLR(LRScheduler):
    """lr = η_min + (base_lr − η_min) · (1 + cos(π · last_epoch / T_max)) / 2: half a cosine from base_lr
    down to `eta_min` over `T_max` epochs (and back up over the next T_max, as in PyTorch)."""

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        if not (isinstance(T_max, int) and T_max >= 1):
            raise DomainError(f"CosineAnnealingLR: T_max must be a positive integer, got {T_max!r}")
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr: float, epoch: int) -> float:
        return self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * epoch / self.T_max)) / 2


__all__ = ["CosineAnnealingLR", "ExponentialLR", "LRScheduler", "StepLR"]
