"""`Optimizer`: the base of every update rule. It owns parameter groups (each with its own
hyperparameters), per-parameter state, `zero_grad`, `step` and a pickle-free state dict.

An update works on `p.numpy()` in place with NumPy: it records no graph, keeps the parameter's dtype
and skips parameters whose `.grad` is None. It counts as an in-place change of the parameter
(`autograd.extend.mark_dirty`), so a graph recorded before the step refuses to backpropagate through it.
"""

from __future__ import annotations

import copy
import inspect
import math
from abc import ABC, abstractmethod
from numbers import Real
from typing import Any
from collections.abc import Callable, Iterable

import numpy as np

from autograd import Tensor, enable_grad
from autograd.errors import ArgumentError, DomainError

from ..modules.module import StateDictError
from autograd.extend import mark_dirty, wrap

ParamGroup = dict[str, Any]

# keys a learning-rate scheduler writes into a parameter group (besides lr and momentum/betas)
SCHEDULER_KEYS = frozenset({"initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum"})
# keys of PyTorch's parameter groups that choose an implementation (kernels, CUDA graphs, a recorded
# update) and change no number on the CPU: a PyTorch state dict loads with them, and they are dropped
TORCH_IMPLEMENTATION_KEYS = frozenset({"foreach", "fused", "capturable", "differentiable"})


class Optimizer(ABC):
    """`Optimizer(params_or_groups, defaults)`: `params_or_groups` is an iterable of tensors or of
    dicts `{"params": [...], **hyperparameters}`; a group's missing hyperparameters come from
    `defaults`."""

    def __init__(self, params: Iterable[Tensor] | Iterable[ParamGroup], defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.param_groups: list[ParamGroup] = []
        self.state: dict[int, dict[str, Any]] = {}  # id(param) -> its state (Tensor's == is elementwise)
        self._work: dict[np.dtype, np.ndarray] = {}  # dtype -> the flat buffer behind `_scratch`
        if isinstance(params, Tensor):
            raise ArgumentError(
                f"{type(self).__name__}: params must be an iterable of tensors or of dicts, not one Tensor"
            )
        groups = list(params)
        if not groups:
            raise DomainError(f"{type(self).__name__}: got an empty parameter list")
        for group in groups if isinstance(groups[0], dict) else [{"params": groups}]:
            self.add_param_group(group)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join([*lines, ")"])

    # ---- groups ------------------------------------------------------------------------------
    def add_param_group(self, group: ParamGroup) -> None:
        """Add `{"params": ..., **hyperparameters}`; a parameter may belong to one group only."""
        name = type(self).__name__
        if not isinstance(group, dict) or "params" not in group:
            raise ArgumentError(
                f"{name}.add_param_group: expected a dict with a 'params' key, got {type(group).__name__}"
            )
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise ArgumentError(f"{name}: can only optimize Tensors, got {type(p).__name__}")
            if p.dtype.kind != "f":
                raise ArgumentError(f"{name}: can only optimize floating-point tensors, got one of dtype {p.dtype}")
            if not p.is_leaf:
                raise DomainError(f"{name}: can only optimize leaf tensors; this one was made by {p.grad_fn.name}")
        if len({id(p) for p in params}) != len(params):
            raise DomainError(f"{name}: a parameter group contains the same parameter twice")
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in taken for p in params):
            raise DomainError(f"{name}: some parameters appear in more than one parameter group")
        unknown = set(group) - set(self.defaults) - {"params"} - SCHEDULER_KEYS
        if unknown:
            raise DomainError(f"{name}: unknown hyperparameter(s) {sorted(unknown)}; known: {sorted(self.defaults)}")
        full = {**self.defaults, **group, "params": params}
        self._check_hyperparameters(full)
        self.param_groups.append(full)

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        """Raise ArgumentError for a hyperparameter of the wrong kind (a string where the default is a
        number, a number where it is a bool), DomainError (a ValueError) for a NaN, an infinity or a
        value out of its range (subclasses extend)."""
        name = type(self).__name__
        declared = _declared_defaults(type(self))
        for key in self.defaults:
            if key not in declared:
                continue
            value, default = group[key], declared[key]
            kind = type(default)
            if isinstance(default, bool):
                if not isinstance(value, (bool, np.bool_)):
                    raise ArgumentError(f"{name}: {key} must be True or False, got {value!r}")
                continue
            numbers = value if isinstance(default, tuple) else (value,)
            if isinstance(default, tuple) and not (isinstance(value, (tuple, list)) and len(value) == len(default)):
                raise ArgumentError(f"{name}: {key} must be {len(default)} numbers, got {value!r}")
            if kind in (int, float, tuple):
                for v in numbers:
                    if isinstance(v, (bool, np.bool_)) or not isinstance(v, Real):
                        raise ArgumentError(f"{name}: {key} must be a number, got {value!r}")
                    if not math.isfinite(v):
                        raise DomainError(f"{name}: invalid {key} {value!r}; expected a finite number")
        for key in ("lr", "eps", "weight_decay"):
            if key in group and not group[key] >= 0.0:
                raise DomainError(f"{type(self).__name__}: invalid {key} {group[key]!r}; expected a number >= 0")

    def _params(self) -> list[Tensor]:
        return [p for group in self.param_groups for p in group["params"]]

    # ---- the loop ----------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget every parameter's gradient (None), or fill it with zeros."""
        for p in self._params():
            if set_to_none or p.grad is None:
                p.grad = None
            elif p.grad.grad_fn is None and p.grad.numpy().flags.writeable:
                p.grad.numpy()[...] = 0
            else:
                p.grad = wrap(np.zeros_like(p.numpy()))

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; `closure` (re-evaluating the loss with grad
        enabled) is called first and its result returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = np.asarray(p.grad.numpy())
                if g.shape != p.shape:
                    raise DomainError(
                        f"{type(self).__name__}.step: a parameter of shape {p.shape} has a gradient of shape {g.shape}"
                    )
                if group.get("maximize", False):
                    g = -g
                self._update(p.numpy(), g.astype(p.dtype, copy=False), self.state.setdefault(id(p), {}), group)
                mark_dirty(p)
        return loss

    def _scratch(self, like: np.ndarray) -> np.ndarray:
        """A work array of `like`'s shape and dtype for an update's temporary (lr · g), shared by all
        parameters and kept across steps. A fresh temporary the size of a large weight is new memory
        whenever glibc has handed the last one back to the system, and touching it costs a page
        fault per 4 KiB: for the weight of a 784×256 layer, longer than the update itself."""
        work = self._work.get(like.dtype)
        if work is None or work.size < like.size:
            work = self._work[like.dtype] = np.empty(like.size, like.dtype)
        return work[: like.size].reshape(like.shape)

    _extra_hyperparameters: dict[str, Any] = {}  # group options a subclass fixes instead of taking them

    @abstractmethod
    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        """Apply one step of the rule to `param` in place (`grad` already negated if maximizing)."""

    # ---- state dicts -------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """`{"state": {index: {name: number or array}}, "param_groups": [{..., "params": [index...]}]}`;
        indices number the parameters across groups in order, as in PyTorch. Arrays are copies."""
        index = {id(p): i for i, p in enumerate(self._params())}
        state = {index[key]: copy.deepcopy(s) for key, s in self.state.items() if s}
        groups = [{**g, "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups]
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore hyperparameters and per-parameter state saved by `state_dict()` of an optimizer over
        parameters of the same shapes, in the same groups."""
        name = type(self).__name__
        saved_groups = self._checked_state_dict(state_dict)
        if len(saved_groups) != len(self.param_groups):
            raise DomainError(
                f"{name}.load_state_dict: the state has {len(saved_groups)} parameter groups, "
                f"this optimizer has {len(self.param_groups)}"
            )
        by_index: dict[int, Tensor] = {}
        for saved, group in zip(saved_groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise DomainError(
                    f"{name}.load_state_dict: a saved group has {len(saved['params'])} parameters, "
                    f"the matching group here has {len(group['params'])}"
                )
            by_index.update(zip((int(i) for i in saved["params"]), group["params"]))
        state = {}
        for key, saved in state_dict["state"].items():
            p = by_index.get(int(key))
            if p is None:
                raise DomainError(f"{name}.load_state_dict: state for parameter index {key}, which no group lists")
            restored = {}
            for k, v in arrays(saved).items():
                if isinstance(v, np.ndarray) and v.ndim == 0 and p.ndim != 0:  # PyTorch's step: a 0-d tensor
                    v = v.item()
                if not isinstance(v, (np.ndarray, Real)) or isinstance(v, np.ndarray) and v.dtype.kind not in "biuf":
                    raise ArgumentError(
                        f"{name}.load_state_dict: state '{k}' of parameter {key} is {type(v).__name__} "
                        f"{v!r:.60}; expected a number or a numeric array"
                    )
                if isinstance(v, np.ndarray) and v.shape != p.shape:
                    raise DomainError(
                        f"{name}.load_state_dict: state '{k}' of parameter {key} has shape {v.shape}, "
                        f"the parameter has shape {p.shape}"
                    )
                restored[k] = v.astype(p.dtype) if isinstance(v, np.ndarray) else copy.deepcopy(v)
            state[id(p)] = restored

        def as_saved(key: str, value: Any) -> Any:
            """A tuple hyperparameter (Adam's betas) comes back from a file as a list: JSON has no tuples."""
            if isinstance(self.defaults.get(key), tuple) and isinstance(value, list):
                return tuple(value)
            return copy.deepcopy(value)

        updates = [
            {k: as_saved(k, v) for k, v in saved.items() if k != "params" and k not in TORCH_IMPLEMENTATION_KEYS}
            for saved in saved_groups
        ]
        for update, group in zip(updates, self.param_groups):
            self._check_hyperparameters({**group, **update})
        self.state = state  # nothing changes unless all of it loads
        for update, group in zip(updates, self.param_groups):
            group.update(update)

    def _checked_state_dict(self, state_dict: Any) -> list[dict[str, Any]]:
        """The saved groups of `state_dict` once it has PyTorch's layout (a dict with "state", a dict,
        and "param_groups", a list of dicts with "params") and this optimizer's hyperparameters."""
        name = type(self).__name__
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
            got = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
            raise StateDictError(
                f"{name}.load_state_dict: expected an optimizer state dict with keys 'state' and 'param_groups' "
                f"(from Optimizer.state_dict()), got {got}"
            )
        groups = state_dict["param_groups"]
        if not isinstance(state_dict["state"], dict) or not isinstance(groups, list):
            raise StateDictError(f"{name}.load_state_dict: 'state' must be a dict and 'param_groups' a list")
        for group in groups:
            if not isinstance(group, dict) or not isinstance(group.get("params"), list):
                raise StateDictError(
                    f"{name}.load_state_dict: each parameter group must be a dict with a 'params' list"
                )
            keys = set(group) - {"params"} - SCHEDULER_KEYS - TORCH_IMPLEMENTATION_KEYS
            if keys != set(self.defaults):
                owner = [c.__name__ for c in _optimizer_classes() if _hyperparameter_names(c) == keys]
                whose = (
                    " or ".join(f"{c}'s" for c in sorted(owner))
                    if owner
                    else f"another optimizer's (hyperparameters {sorted(keys)})"
                )
                raise StateDictError(
                    f"{name}.load_state_dict: this is {whose} state, not {name}'s; {name} has the hyperparameters "
                    f"{sorted(self.defaults)}"
                )
        return groups


def _optimizer_classes() -> list[type[Optimizer]]:
    found, todo = [], list(Optimizer.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def _declared_defaults(cls: type[Optimizer]) -> dict[str, Any]:
    """The hyperparameters an optimizer class takes, with the defaults its constructor declares
    (which say each one's kind: a number, a bool, a tuple of numbers)."""
    parameters = inspect.signature(cls.__init__).parameters
    declared = {k: v.default for k, v in parameters.items() if k not in ("self", "params")}
    return {**declared, **getattr(cls, "_extra_hyperparameters", {})}


def _hyperparameter_names(cls: type[Optimizer]) -> set[str]:
    return set(_declared_defaults(cls))


def arrays(value: Any) -> Any:
    """`value` with each Tensor in it (as `autograd.load` gives them), or other array (a PyTorch
    tensor of a PyTorch state dict), as an ndarray: the form `state_dict()` gives and the update
    rules keep."""
    if isinstance(value, Tensor):
        return value.numpy()
    if hasattr(value, "numpy") and not isinstance(value, (np.ndarray, np.generic)):
        return np.array(value.numpy())
    if isinstance(value, dict):
        return {k: arrays(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(arrays(v) for v in value)
    return value
