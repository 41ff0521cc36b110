"""L-BFGS: quasi-Newton steps from the last `history_size` curvature pairs, with an optional strong-Wolfe
line search (the minFunc algorithm that PyTorch follows)."""

from __future__ import annotations

import copy
from typing import Any
from collections.abc import Callable, Iterable

import numpy as np

from autograd import Tensor, enable_grad
from autograd.errors import ArgumentError, DomainError
from autograd.extend import mark_dirty

from .optimizer import Optimizer, ParamGroup, arrays

Objective = Callable[[np.ndarray, float, np.ndarray], tuple[float, np.ndarray]]


class LBFGS(Optimizer):
    """`step(closure)` runs up to `max_iter` iterations on all parameters as one flat vector x:

    d = −H∇f (two-loop recursion over the pairs s = x_{k+1} − x_k, y = ∇f_{k+1} − ∇f_k kept when yᵀs > 1e-10,
    H₀ = yᵀs / yᵀy), x ← x + t·d with t = lr (the first time min(1, 1/‖∇f‖₁)·lr) or the strong-Wolfe step;
    it stops early when max|∇f| ≤ tolerance_grad, max|t·d| ≤ tolerance_change, the loss changes by less than
    tolerance_change or `max_eval` evaluations are spent. One parameter group only.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise DomainError(
                f"LBFGS: doesn't support per-parameter options (parameter groups); got {len(self.param_groups)} groups"
            )

    def _check_hyperparameters(self, group: ParamGroup) -> None:
        super()._check_hyperparameters(group)
        if group["line_search_fn"] not in (None, "strong_wolfe"):
            raise DomainError(f"LBFGS: line_search_fn must be None or 'strong_wolfe', got {group['line_search_fn']!r}")
        for key in ("max_iter", "max_eval", "history_size"):
            value = group[key]
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise DomainError(f"LBFGS: {key} must be a positive integer, got {value!r}")

    def add_param_group(self, group: ParamGroup) -> None:
        if self.param_groups:
            raise DomainError("LBFGS: doesn't support per-parameter options (parameter groups)")
        super().add_param_group(group)

    def _update(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], group: ParamGroup) -> None:
        raise NotImplementedError("LBFGS updates all parameters at once in step(closure), never one by one")

    # ---- the flat vector ---------------------------------------------------------------------
    def _flat_grad(self) -> np.ndarray:
        params = self.param_groups[0]["params"]
        parts = [np.zeros(p.numel()) if p.grad is None else np.asarray(p.grad.numpy()).ravel() for p in params]
        return np.concatenate(parts).astype(params[0].dtype, copy=False)

    def _add(self, t: float, d: np.ndarray) -> None:
        offset = 0
        for p in self.param_groups[0]["params"]:
            n = p.numel()
            p.numpy()[...] += t * d[offset : offset + n].reshape(p.shape)
            mark_dirty(p)
            offset += n

    def _get(self) -> list[np.ndarray]:
        return [p.numpy().copy() for p in self.param_groups[0]["params"]]

    def _set(self, values: list[np.ndarray]) -> None:
        for p, v in zip(self.param_groups[0]["params"], values):
            p.numpy()[...] = v
            mark_dirty(p)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        if closure is None:
            raise ArgumentError(
                "LBFGS.step: needs a closure that clears the gradients, computes the loss, "
                "calls backward and returns the loss"
            )

        def evaluate() -> float:
            with enable_grad():
                loss = closure()
            return float(loss.item() if isinstance(loss, Tensor) else loss)

        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tol_grad, tol_change, history = group["tolerance_grad"], group["tolerance_change"], group["history_size"]
        state = self.state.setdefault(id(group["params"][0]), {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        with enable_grad():
            orig_loss = closure()
        loss = float(orig_loss.item() if isinstance(orig_loss, Tensor) else orig_loss)
        evals = 1
        state["func_evals"] += 1
        g = self._flat_grad()
        if np.abs(g).max() <= tol_grad:
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        h_diag, prev_g, prev_loss = state.get("H_diag"), state.get("prev_flat_grad"), state.get("prev_loss")
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_stps, ro, h_diag = -g, [], [], [], 1.0
            else:
                y, s = g - prev_g, d * t
                ys = float(y @ s)
                if ys > 1e-10:
                    if len(old_dirs) == history:
                        old_dirs.pop(0), old_stps.pop(0), ro.pop(0)
                    old_dirs.append(y), old_stps.append(s), ro.append(1.0 / ys)
                    h_diag = ys / float(y @ y)
                # two-loop recursion: q ← −g, then back and forth through the pairs
                q, alphas = -g, [0.0] * len(old_dirs)
                for i in reversed(range(len(old_dirs))):
                    alphas[i] = float(old_stps[i] @ q) * ro[i]
                    q = q - alphas[i] * old_dirs[i]
                r = q * h_diag
                for i in range(len(old_dirs)):
                    beta = float(old_dirs[i] @ r) * ro[i]
                    r = r + (alphas[i] - beta) * old_stps[i]
                d = r
            prev_g, prev_loss = g.copy(), loss
            t = min(1.0, 1.0 / float(np.abs(g).sum())) * lr if state["n_iter"] == 1 else lr
            gtd = float(g @ d)
            if gtd > -tol_change:
                break
            ls_evals = 0
            if group["line_search_fn"] == "strong_wolfe":
                x0 = self._get()

                def objective(x: list[np.ndarray], step: float, direction: np.ndarray) -> tuple[float, np.ndarray]:
                    self._add(step, direction)
                    value = evaluate()
                    grad = self._flat_grad()
                    self._set(x)
                    return value, grad

                loss, g, t, ls_evals = _strong_wolfe(objective, x0, t, d, loss, g, gtd)
                self._add(t, d)
                done = np.abs(g).max() <= tol_grad
            else:
                self._add(t, d)
                done = False
                if n_iter != max_iter:
                    loss = evaluate()
                    g = self._flat_grad()
                    done = np.abs(g).max() <= tol_grad
                    ls_evals = 1
            evals += ls_evals
            state["func_evals"] += ls_evals
            if n_iter == max_iter or evals >= max_eval or done:
                break
            if np.abs(d * t).max() <= tol_change or abs(loss - prev_loss) < tol_change:
                break
        state.update(
            d=d,
            t=t,
            old_dirs=old_dirs,
            old_stps=old_stps,
            ro=ro,
            H_diag=h_diag,
            prev_flat_grad=prev_g,
            prev_loss=prev_loss,
        )
        return orig_loss

    # ---- state dicts: the history is flat vectors and lists of them, kept on the first parameter ----
    def state_dict(self) -> dict[str, Any]:
        kept = [s for s in self.state.values() if s]
        state = {0: copy.deepcopy(kept[0])} if kept else {}
        group = {**self.param_groups[0], "params": list(range(len(self.param_groups[0]["params"])))}
        return {"state": state, "param_groups": [group]}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        groups = self._checked_state_dict(state_dict)
        if len(groups) != 1 or len(groups[0]["params"]) != len(self.param_groups[0]["params"]):
            raise DomainError("LBFGS.load_state_dict: the state is of a different number of groups or parameters")
        update = {k: copy.deepcopy(v) for k, v in groups[0].items() if k != "params"}
        self._check_hyperparameters({**self.param_groups[0], **update})
        saved = state_dict["state"]
        self.state = {id(self.param_groups[0]["params"][0]): copy.deepcopy(arrays(saved[0]))} if saved else {}
        self.param_groups[0].update(update)


def _cubic_minimum(
    x1: float, f1: float, g1: float, x2: float, f2: float, g2: float, bounds: tuple[float, float] | None = None
) -> float:
    """The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to `bounds`
    (by default the interval between x1 and x2); the bounds' midpoint when the cubic has no minimum."""
    lo, hi = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    disc = d1 * d1 - g1 * g2
    if disc < 0:
        return (lo + hi) / 2.0
    d2 = disc**0.5
    if x1 <= x2:
        x = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        x = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(x, lo), hi)


def _strong_wolfe(
    objective: Any,
    x: list[np.ndarray],
    t: float,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: float,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, float, int]:
    """A step t along d with f(x + td) ≤ f + c1·t·gtd and |∇f(x + td)·d| ≤ −c2·gtd: bracket, then zoom by
    safeguarded cubic interpolation. Returns (loss, flat gradient, t, evaluations)."""
    d_norm = float(np.abs(d).max())
    f_new, g_new = objective(x, t, d)
    evals, gtd_new = 1, float(g_new @ d)
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g.copy(), gtd
    done, ls_iter = False, 0
    bracket: list[float] = []
    bracket_f: list[float] = []
    bracket_g: list[np.ndarray] = []
    bracket_gtd: list[float] = []
    while ls_iter < max_ls:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f, bracket_g = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g, done = [t], [f_new], [g_new], True
            break
        if gtd_new >= 0:
            bracket, bracket_f, bracket_g = [t_prev, t], [f_prev, f_new], [g_prev, g_new.copy()]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        lo, hi = t + 0.01 * (t - t_prev), t * 10
        t_prev, t = t, _cubic_minimum(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(lo, hi))
        f_prev, g_prev, gtd_prev = f_new, g_new.copy(), gtd_new
        f_new, g_new = objective(x, t, d)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0.0, t], [f, f_new], [g, g_new]

    insufficient = False
    low, high = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_minimum(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1])
        width = max(bracket) - min(bracket)
        eps = 0.1 * width
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insufficient or t >= max(bracket) or t <= min(bracket):
                t = max(bracket) - eps if abs(t - max(bracket)) < abs(t - min(bracket)) else min(bracket) + eps
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f_new, g_new = objective(x, t, d)
        evals += 1
        gtd_new = float(g_new @ d)
        ls_iter += 1
        if f_new > f + c1 * t * gtd or f_new >= bracket_f[low]:
            bracket[high], bracket_f[high], bracket_g[high], bracket_gtd[high] = t, f_new, g_new.copy(), gtd_new
            low, high = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high] - bracket[low]) >= 0:
                bracket[high], bracket_f[high] = bracket[low], bracket_f[low]
                bracket_g[high], bracket_gtd[high] = bracket_g[low], bracket_gtd[low]
            bracket[low], bracket_f[low], bracket_g[low], bracket_gtd[low] = t, f_new, g_new.copy(), gtd_new
    return bracket_f[low], bracket_g[low], bracket[low], evals
