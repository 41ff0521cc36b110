"""Per-layer gradient norms (no PyTorch counterpart): how much gradient reaches each layer after a
backward pass, the numbers behind vanishing and exploding gradients, and their bar chart."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.errors import ArgumentError, DomainError
from autograd.extend import unwrap


def grad_norms(model: Any, norm_type: float = 2.0) -> dict[str, float]:
    """{layer: ‖its parameters' gradients‖}: for each module that holds parameters itself (a
    Linear, a Conv2d, a BatchNorm; "" for the model's own), in the order of `named_modules()`, the
    `norm_type`-norm of the gradients of its own parameters seen as one vector (get_total_norm's).
    Parameters without a gradient are left out, and a layer with none of them."""
    if not hasattr(model, "named_modules"):
        raise ArgumentError(f"grad_norms: expected an nn.Module, got {type(model).__name__}")
    norms: dict[str, float] = {}
    for name, module in model.named_modules():
        grads = [unwrap(p.grad).ravel() for p in module.parameters(recurse=False) if p.grad is not None]
        if grads:
            norms[name] = float(np.linalg.norm(np.concatenate(grads).astype(np.float64), float(norm_type)))
    if not norms:
        raise DomainError("grad_norms: no parameter of the model has a gradient: call backward() first")
    return norms


def plot_grad_norms(norms: Any, ax: Any = None, label: str | None = None, **bar_options: Any) -> Any:
    """A bar chart (matplotlib, the `train` extra) of `grad_norms` (a model, or the dict it
    returns): one bar per layer, input side left, on a log scale. Returns the Axes."""
    if not isinstance(norms, dict):
        norms = grad_norms(norms)
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(max(4.0, 0.5 * len(norms)), 3)).subplots()
    ax.bar([name or "(model)" for name in norms], list(norms.values()), label=label, **bar_options)
    ax.set(yscale="log", xlabel="layer", ylabel="gradient norm")
    ax.tick_params(axis="x", labelrotation=90)
    if label is not None:
        ax.legend()
    return ax
