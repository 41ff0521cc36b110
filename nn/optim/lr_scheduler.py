"""Learning-rate schedules, as PyTorch's `torch.optim.lr_scheduler` defines them.

Each scheduler's `step()` advances `last_epoch` and sets every group's lr by PyTorch's chainable rule: a
function of the group's current lr (so schedulers compose, `ChainedScheduler`), equal to the closed form
in the docstring whenever only that scheduler changes the lr. The constructor performs the first
`step()`, so after it `last_epoch` is 0; call `step()` once per epoch (per batch for `CyclicLR` and
`OneCycleLR`) after the optimizer's steps. `step(epoch)` jumps to an epoch by the closed form, where
there is one.
"""

from __future__ import annotations

import math
import warnings
import weakref
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from autograd.errors import ArgumentError, DomainError

from .optimizer import Optimizer


def _check_optimizer(name: str, optimizer: Any) -> Optimizer:
    if optimizer is None:
        raise ArgumentError(f"{name}: needs an optimizer (an nn.optim.Optimizer) as its first argument, got None")
    if not isinstance(optimizer, Optimizer):
        raise ArgumentError(f"{name}: expected an Optimizer, got {type(optimizer).__name__}")
    return optimizer


class SchedulerOrderWarning(UserWarning):
    """`scheduler.step()` before the first `optimizer.step()`, as PyTorch warns: the schedule's first
    value is then skipped. Call `optimizer.step()` first, then `scheduler.step()`."""


def _track_optimizer_steps(optimizer: Optimizer) -> None:
    """Wrap this optimizer's `step` (once, as PyTorch does) so a scheduler can tell whether it has run:
    the wrapper sets `optimizer._opt_called`. A weak reference, so the wrapper keeps no cycle alive."""
    if getattr(optimizer.step, "_wrapped_by_lr_sched", False):
        return
    step = type(optimizer).step
    owner = weakref.ref(optimizer)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        opt = owner()
        opt._opt_called = True  # type: ignore[union-attr]
        return step(opt, *args, **kwargs)

    wrapper._wrapped_by_lr_sched = True  # type: ignore[attr-defined]
    wrapper.__doc__ = step.__doc__
    optimizer.step = wrapper  # type: ignore[method-assign]


def _per_group(name: str, what: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """`value` for every group: a list or tuple with one per group, or one value for all."""
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise DomainError(
                f"{name}: expected {len(optimizer.param_groups)} values for {what}, one per parameter group, "
                f"got {len(value)}"
            )
        return list(value)
    return [value] * len(optimizer.param_groups)


def _positive_int(name: str, what: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise DomainError(f"{name}: {what} must be a positive integer, got {value!r}")


class LRScheduler:
    """Base: keeps `base_lrs` (each group's `initial_lr`), `last_epoch` and the lrs of the last step."""

    _chainable = True

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        name = type(self).__name__
        self.optimizer = _check_optimizer(name, optimizer)
        _track_optimizer_steps(optimizer)
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(
                    f"{name}: resuming at last_epoch={last_epoch} needs 'initial_lr' in "
                    f"parameter group {i}; it is set when a scheduler starts from last_epoch=-1"
                )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        self._initial_step()

    def _initial_step(self) -> None:
        self._step_count = 0
        self.step()

    def get_lr(self) -> list[float]:
        """Each group's lr at `last_epoch`, from its current lr (the chainable form); each schedule
        defines it, as PyTorch's LRScheduler leaves it to its subclasses."""
        raise NotImplementedError(f"{type(self).__name__} does not define get_lr()")

    def _closed_form(self) -> list[float] | None:
        """Each group's lr at `last_epoch` from `base_lrs`, for schedulers that have one."""
        return None

    def get_last_lr(self) -> list[float]:
        """The lr of each group as set by the last `step()`."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        if self._step_count == 1:
            self._warn_if_before_optimizer()
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            self.last_epoch = epoch
            closed = self._closed_form()
            values = closed if closed is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _warn_if_before_optimizer(self) -> None:
        """At the first step after the constructor's: PyTorch's two warnings, that the optimizer has not
        stepped yet, or that its `step` was replaced after this scheduler was made (so it cannot tell)."""
        name, opt = type(self).__name__, type(self.optimizer).__name__
        if not getattr(self.optimizer.step, "_wrapped_by_lr_sched", False):
            message = (
                f"{opt}.step was replaced after {name} was constructed, so the order of the steps cannot be "
                f"checked: make sure to call optimizer.step() before {name}.step()"
            )
        elif not getattr(self.optimizer, "_opt_called", False):
            message = (
                f"{name}.step() was called before optimizer.step(): call optimizer.step() first, then "
                f"{name}.step(), else the first value of the learning-rate schedule is skipped"
            )
        else:
            return
        warnings.warn(message, SchedulerOrderWarning, stacklevel=3)

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer: plain numbers and lists."""
        return {k: (list(v) if isinstance(v, list) else v) for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        vars(self).update({k: (list(v) if isinstance(v, list) else v) for k, v in state_dict.items()})


def _lambdas(name: str, optimizer: Optimizer, lr_lambda: Any) -> list[Callable[[int], float]]:
    fns = _per_group(name, "lr_lambda", optimizer, lr_lambda)
    for fn in fns:
        if not callable(fn):
            raise ArgumentError(f"{name}: lr_lambda must be a function of the epoch, got {type(fn).__name__}")
    return fns


class _LambdaBase(LRScheduler):
    lr_lambdas: list[Callable[[int], float]]

    def state_dict(self) -> dict[str, Any]:
        """As PyTorch: a function is not saved (None), a callable object's attributes are."""
        saved = {k: v for k, v in super().state_dict().items() if k != "lr_lambdas"}
        saved["lr_lambdas"] = [None if isinstance(fn, type(_lambdas)) else dict(vars(fn)) for fn in self.lr_lambdas]
        return saved

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        lambdas = state_dict.get("lr_lambdas", [None] * len(self.lr_lambdas))
        super().load_state_dict({k: v for k, v in state_dict.items() if k != "lr_lambdas"})
        for fn, saved in zip(self.lr_lambdas, lambdas):
            if saved is not None:
                vars(fn).update(saved)


class LambdaLR(_LambdaBase):
    """lr = base_lr · λ(last_epoch), one function λ per group or one for all."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Any, last_epoch: int = -1) -> None:
        self.lr_lambdas = _lambdas("LambdaLR", _check_optimizer("LambdaLR", optimizer), lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base * fn(self.last_epoch) for base, fn in zip(self.base_lrs, self.lr_lambdas)]


class MultiplicativeLR(_LambdaBase):
    """lr ← lr · λ(last_epoch) at every step after the first."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Any, last_epoch: int = -1) -> None:
        self.lr_lambdas = _lambdas("MultiplicativeLR", _check_optimizer("MultiplicativeLR", optimizer), lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch > 0:
            return [g["lr"] * fn(self.last_epoch) for g, fn in zip(groups, self.lr_lambdas)]
        return [g["lr"] for g in groups]


class StepLR(LRScheduler):
    """lr = base_lr · γ^⌊last_epoch / step_size⌋: multiply by `gamma` every `step_size` epochs."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        _positive_int("StepLR", "step_size", step_size)
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return [g["lr"] for g in groups]
        return [g["lr"] * self.gamma for g in groups]

    def _closed_form(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """lr = base_lr · γ^(number of milestones ≤ last_epoch)."""

    def __init__(
        self, optimizer: Optimizer, milestones: Iterable[int], gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch not in self.milestones:
            return [g["lr"] for g in groups]
        return [g["lr"] * self.gamma ** self.milestones[self.last_epoch] for g in groups]

    def _closed_form(self) -> list[float]:
        passed = bisect_right(sorted(self.milestones.elements()), self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]


class ConstantLR(LRScheduler):
    """lr = base_lr · factor for last_epoch < total_iters, then base_lr."""

    def __init__(
        self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5, last_epoch: int = -1
    ) -> None:
        if not 0 <= factor <= 1.0:
            raise DomainError(f"ConstantLR: factor must be in [0, 1], got {factor!r}")
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [g["lr"] * self.factor for g in groups]
        if self.last_epoch != self.total_iters:
            return [g["lr"] for g in groups]
        return [g["lr"] * (1.0 / self.factor) for g in groups]

    def _closed_form(self) -> list[float]:
        f = self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor)
        return [base * f for base in self.base_lrs]


class LinearLR(LRScheduler):
    """lr = base_lr · (s + (e − s)·min(last_epoch, total_iters)/total_iters), s = start_factor, e = end_factor."""

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 < start_factor <= 1 or not 0 <= end_factor <= 1:
            raise DomainError(
                f"LinearLR: start_factor must be in (0, 1] and end_factor in [0, 1], got {start_factor!r} "
                f"and {end_factor!r}"
            )
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        s, e, n = self.start_factor, self.end_factor, self.total_iters
        if self.last_epoch == 0:
            return [g["lr"] * s for g in groups]
        if self.last_epoch > n:
            return [g["lr"] for g in groups]
        return [g["lr"] * (1.0 + (e - s) / (n * s + (self.last_epoch - 1) * (e - s))) for g in groups]

    def _closed_form(self) -> list[float]:
        s, e, n = self.start_factor, self.end_factor, self.total_iters
        return [base * (s + (e - s) * min(n, self.last_epoch) / n) for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """lr = base_lr · γ^last_epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0:
            return [g["lr"] for g in groups]
        return [g["lr"] * self.gamma for g in groups]

    def _closed_form(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """lr = base_lr · (1 − min(last_epoch, total_iters)/total_iters)^power."""

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0, last_epoch: int = -1) -> None:
        _positive_int("PolynomialLR", "total_iters", total_iters)
        self.total_iters, self.power = total_iters, power
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups = self.optimizer.param_groups
        if self.last_epoch == 0 or self.last_epoch > self.total_iters:
            return [g["lr"] for g in groups]
        n, t = self.total_iters, self.last_epoch
        factor = ((1.0 - t / n) / (1.0 - (t - 1) / n)) ** self.power
        return [g["lr"] * factor for g in groups]

    def _closed_form(self) -> list[float]:
        n = self.total_iters
        return [base * (1.0 - min(n, self.last_epoch) / n) ** self.power for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """lr = η_min + (base_lr − η_min) · (1 + cos(π · last_epoch / T_max)) / 2: half a cosine from base_lr
    down to `eta_min` over `T_max` epochs (and back up over the next T_max, as in PyTorch)."""

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1) -> None:
        _positive_int("CosineAnnealingLR", "T_max", T_max)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        groups, t, T, lo = self.optimizer.param_groups, self.last_epoch, self.T_max, self.eta_min
        if t == 0:
            return [g["lr"] for g in groups]
        if self._step_count == 1 and t > 0:
            return [lo + (base - lo) * (1 + math.cos(t * math.pi / T)) / 2 for base in self.base_lrs]
        if (t - 1 - T) % (2 * T) == 0:
            return [g["lr"] + (base - lo) * (1 - math.cos(math.pi / T)) / 2 for base, g in zip(self.base_lrs, groups)]
        ratio = (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
        return [ratio * (g["lr"] - lo) + lo for g in groups]

    def _closed_form(self) -> list[float]:
        lo = self.eta_min
        return [lo + (base - lo) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2 for base in self.base_lrs]


class CosineAnnealingWarmRestarts(LRScheduler):
    """lr = η_min + (base_lr − η_min) · (1 + cos(π·T_cur/T_i)) / 2, restarting (T_cur ← 0) after T_i epochs,
    with T_0 first and T_i ← T_i · T_mult at each restart."""

    def __init__(
        self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        _positive_int("CosineAnnealingWarmRestarts", "T_0", T_0)
        _positive_int("CosineAnnealingWarmRestarts", "T_mult", T_mult)
        self.T_0, self.T_i, self.T_mult, self.eta_min = T_0, T_0, T_mult, eta_min
        self.T_cur: float = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        lo = self.eta_min
        return [lo + (base - lo) * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2 for base in self.base_lrs]

    def step(self, epoch: float | None = None) -> None:
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur -= self.T_i
                self.T_i *= self.T_mult
        else:
            if epoch < 0:
                raise DomainError(f"CosineAnnealingWarmRestarts.step: expected a non-negative epoch, got {epoch!r}")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult**n
            else:
                self.T_i, self.T_cur = self.T_0, epoch
        self._step_count += 1
        self.last_epoch = math.floor(epoch)
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


def _momentum_key(name: str, optimizer: Optimizer) -> bool:
    """True if the optimizer's momentum is beta1 of `betas`, False if it is `momentum`."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise DomainError(
            f"{name}: {type(optimizer).__name__} has neither momentum nor betas; "
            "cycle_momentum=True needs one of them (or pass cycle_momentum=False)"
        )
    return "betas" in optimizer.defaults


def _set_momentum(group: dict[str, Any], use_beta1: bool, value: float) -> None:
    if use_beta1:
        group["betas"] = (value, *group["betas"][1:])
    else:
        group["momentum"] = value


class CyclicLR(LRScheduler):
    """lr = base_lr + (max_lr − base_lr)·h(x)·scale, a triangle wave of period step_size_up + step_size_down
    per batch; scale 1 (triangular), 1/2^(cycle−1) (triangular2), γ^iteration (exp_range) or `scale_fn`.
    With cycle_momentum, momentum (or beta1) runs the opposite way between base_ and max_momentum."""

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float = 0.8,
        max_momentum: float = 0.9,
        last_epoch: int = -1,
    ) -> None:
        name = "CyclicLR"
        _check_optimizer(name, optimizer)
        base_lrs = _per_group(name, "base_lr", optimizer, base_lr)
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = _per_group(name, "max_lr", optimizer, max_lr)
        _positive_int(name, "step_size_up", step_size_up)
        down = step_size_up if step_size_down is None else step_size_down
        _positive_int(name, "step_size_down", down)
        self.total_size = float(step_size_up + down)
        self.step_ratio = step_size_up / self.total_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise DomainError(f"CyclicLR: mode must be 'triangular', 'triangular2' or 'exp_range', got {mode!r}")
        if scale_mode not in ("cycle", "iterations"):
            raise DomainError(f"CyclicLR: scale_mode must be 'cycle' or 'iterations', got {scale_mode!r}")
        self.mode, self.gamma, self._scale_fn_custom = mode, gamma, scale_fn
        self.scale_mode = ("iterations" if mode == "exp_range" else "cycle") if scale_fn is None else scale_mode
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _momentum_key(name, optimizer)
            self.base_momentums = _per_group(name, "base_momentum", optimizer, base_momentum)
            self.max_momentums = _per_group(name, "max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for m, group in zip(self.max_momentums, optimizer.param_groups):
                    _set_momentum(group, self.use_beta1, m)
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def get_lr(self) -> list[float]:
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        h = x / self.step_ratio if x <= self.step_ratio else (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base + (top - base) * h * scale for base, top in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, lo, hi in zip(self.optimizer.param_groups, self.base_momentums, self.max_momentums):
                _set_momentum(group, self.use_beta1, hi - (hi - lo) * h * scale)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        saved = super().state_dict()
        saved.pop("_scale_fn_custom", None)  # a function, as PyTorch leaves it out
        return saved


class OneCycleLR(LRScheduler):
    """The 1cycle policy: lr from max_lr/div_factor up to max_lr over pct_start of total_steps, then down to
    initial_lr/final_div_factor (three_phase: back to the initial lr first), by cosine or linear annealing;
    momentum (or beta1) the opposite way between max_ and base_momentum."""

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        name = "OneCycleLR"
        _check_optimizer(name, optimizer)
        if total_steps is not None:
            _positive_int(name, "total_steps", total_steps)
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            _positive_int(name, "epochs", epochs)
            _positive_int(name, "steps_per_epoch", steps_per_epoch)
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ArgumentError("OneCycleLR: give total_steps, or both epochs and steps_per_epoch")
        if not 0 <= pct_start <= 1 or isinstance(pct_start, bool):
            raise DomainError(f"OneCycleLR: pct_start must be a number in [0, 1], got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise DomainError(f"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        n = self.total_steps
        if three_phase:
            self._phases = [
                (float(pct_start * n) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (float(2 * pct_start * n) - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                (n - 1.0, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self._phases = [
                (float(pct_start * n) - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (n - 1.0, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ]
        self.anneal_strategy = anneal_strategy
        max_lrs = _per_group(name, "max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for lr, group in zip(max_lrs, optimizer.param_groups):
                group["initial_lr"] = lr / div_factor
                group["max_lr"] = lr
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _momentum_key(name, optimizer)
            lows = _per_group(name, "base_momentum", optimizer, base_momentum)
            highs = _per_group(name, "max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for lo, hi, group in zip(lows, highs, optimizer.param_groups):
                    _set_momentum(group, self.use_beta1, hi)
                    group["max_momentum"], group["base_momentum"] = hi, lo
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        t = self.last_epoch
        if t > self.total_steps:
            raise DomainError(
                f"OneCycleLR: tried to step {t} times; the specified number of total steps is {self.total_steps}"
            )
        lrs = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, (end, lr0, lr1, m0, m1) in enumerate(self._phases):
                if t <= end or i == len(self._phases) - 1:
                    pct = (t - start) / (end - start)
                    lrs.append(self._anneal(group[lr0], group[lr1], pct))
                    if self.cycle_momentum:
                        _set_momentum(group, self.use_beta1, self._anneal(group[m0], group[m1], pct))
                    break
                start = end
        return lrs


class ReduceLROnPlateau(LRScheduler):
    """lr ← max(lr·factor, min_lr) once the metric passed to `step(metric)` has not improved (by `threshold`,
    relative or absolute, in `mode` 'min' or 'max') for more than `patience` steps; then waits `cooldown`
    steps. Changes smaller than `eps` are skipped."""

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: list[float] | float = 0,
        eps: float = 1e-8,
    ) -> None:
        name = "ReduceLROnPlateau"
        self.optimizer = _check_optimizer(name, optimizer)
        if not factor < 1.0:
            raise DomainError(f"ReduceLROnPlateau: factor must be < 1.0, got {factor!r}")
        if mode not in ("min", "max"):
            raise DomainError(f"ReduceLROnPlateau: mode must be 'min' or 'max', got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise DomainError(f"ReduceLROnPlateau: threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        self.min_lrs = [float(v) for v in _per_group(name, "min_lr", optimizer, min_lr)]
        self.factor, self.patience, self.cooldown, self.eps = factor, patience, cooldown, eps
        self.mode, self.threshold, self.threshold_mode = mode, threshold, threshold_mode
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]
        self._reset()

    def _reset(self) -> None:
        self.best = math.inf if self.mode == "min" else -math.inf
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def is_better(self, a: float, best: float) -> bool:
        if self.mode == "min":
            return a < (best * (1 - self.threshold) if self.threshold_mode == "rel" else best - self.threshold)
        return a > (best * (1 + self.threshold) if self.threshold_mode == "rel" else best + self.threshold)

    @property
    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def step(self, metrics: Any = None, epoch: int | None = None) -> None:  # type: ignore[override]
        if metrics is None:
            raise ArgumentError("ReduceLROnPlateau.step: needs the metric to watch, e.g. step(val_loss)")
        current = float(metrics.item() if hasattr(metrics, "item") else metrics)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self.is_better(current, self.best):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, low in zip(self.optimizer.param_groups, self.min_lrs):
                old = float(group["lr"])
                new = max(old * self.factor, low)
                if old - new > self.eps:
                    group["lr"] = new
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


def _check_schedulers(name: str, schedulers: Any, optimizer: Optimizer | None) -> tuple[list[Any], Optimizer]:
    schedulers = list(schedulers) if isinstance(schedulers, (list, tuple)) else schedulers
    if not isinstance(schedulers, list) or not schedulers:
        raise ArgumentError(f"{name}: expected a non-empty list of schedulers, got {schedulers!r:.60}")
    for i, s in enumerate(schedulers):
        if not isinstance(s, LRScheduler):
            raise ArgumentError(f"{name}: scheduler {i} is a {type(s).__name__}, not an LRScheduler")
    optimizer = schedulers[0].optimizer if optimizer is None else _check_optimizer(name, optimizer)
    for i, s in enumerate(schedulers):
        if s.optimizer is not optimizer:
            raise DomainError(f"{name}: scheduler {i} steps a different optimizer than the others")
    return schedulers, optimizer


class _Composite(LRScheduler):
    """The state dict of a scheduler made of others: theirs in `_schedulers`."""

    _schedulers: list[LRScheduler]

    def state_dict(self) -> dict[str, Any]:
        saved = {k: v for k, v in super().state_dict().items() if k != "_schedulers"}
        saved["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return saved

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        inner = state_dict["_schedulers"]
        super().load_state_dict({k: v for k, v in state_dict.items() if k != "_schedulers"})
        for s, saved in zip(self._schedulers, inner):
            s.load_state_dict(saved)


class SequentialLR(_Composite):
    """Hand over from one scheduler to the next at each milestone; each new one starts at its epoch 0."""

    def __init__(
        self, optimizer: Optimizer, schedulers: list[Any], milestones: list[int], last_epoch: int = -1
    ) -> None:
        _check_optimizer("SequentialLR", optimizer)
        self._schedulers, self.optimizer = _check_schedulers("SequentialLR", schedulers, optimizer)
        if len(milestones) != len(self._schedulers) - 1:
            raise DomainError(
                f"SequentialLR: expected {len(self._schedulers) - 1} milestones for {len(self._schedulers)} "
                f"schedulers, got {len(milestones)}"
            )
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        for group in self.optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for s in self._schedulers:  # undo the first step each constructor took
            s.last_epoch -= 1
        self._schedulers[0]._initial_step()
        self._last_lr = self._schedulers[0].get_last_lr()

    def step(self, epoch: int | None = None) -> None:
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler.step(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(_Composite):
    """Step every scheduler in turn at each step: their chainable rules multiply."""

    def __init__(self, schedulers: Sequence[Any], optimizer: Optimizer | None = None) -> None:
        self._schedulers, self.optimizer = _check_schedulers("ChainedScheduler", schedulers, optimizer)
        self._last_lr = [group["lr"] for group in self._schedulers[-1].optimizer.param_groups]

    def step(self, epoch: int | None = None) -> None:
        for s in self._schedulers:
            s.step()
        self._last_lr = [group["lr"] for group in self._schedulers[-1].optimizer.param_groups]


__all__ = [
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "ExponentialLR",
    "LRScheduler",
    "LambdaLR",
    "LinearLR",
    "MultiStepLR",
    "MultiplicativeLR",
    "OneCycleLR",
    "PolynomialLR",
    "ReduceLROnPlateau",
    "SchedulerOrderWarning",
    "SequentialLR",
    "StepLR",
]
