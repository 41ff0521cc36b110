"""Gradients as values: `autograd.grad` returns the gradients of outputs with respect to chosen
inputs rather than accumulating them into `.grad` (with `create_graph=True` they can be
differentiated again), and `seed_gradient` is the gradient every backward pass starts from."""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ArgumentError, GraphError, ShapeError
from .graph import backpropagate
from .tensor import Tensor, to_array


def _seq(x: Any) -> tuple[Any, ...]:
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def seed_gradient(output: Any, grad: Any, where: str) -> Any:
    """The gradient backward starts from: `grad` checked against `output`, or 1 for one element."""
    if not isinstance(output, Tensor):  # a Scalar
        return 1.0 if grad is None else float(grad)
    if grad is None:
        if output.size != 1:
            raise GraphError(
                f"{where}: grad can be left out only for a one-element output; this one has shape "
                f"{output.shape}. Pass a gradient of that shape"
            )
        return Tensor._wrap(np.ones_like(output.data))
    grad = grad if isinstance(grad, Tensor) else Tensor._wrap(to_array(grad, output.dtype, op=f"{where} (gradient)"))
    if grad.shape != output.shape:
        raise ShapeError(f"{where}: gradient has shape {grad.shape} but the output has shape {output.shape}")
    return grad


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Any, ...]:
    """Σ_k grad_outputs[k] · d outputs[k] / d inputs[i], for every input i."""
    outputs, inputs = _seq(outputs), _seq(inputs)
    seeds = _seq(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    if len(seeds) != len(outputs):
        raise ShapeError(
            f"grad: {len(outputs)} outputs but {len(seeds)} grad_outputs; expected one gradient per output"
        )
    if create_graph and not all(isinstance(out, Tensor) for out in outputs):
        raise ArgumentError(
            "grad: create_graph=True records the backward pass for Tensors only; Scalar gates compute floats"
        )
    for what, values in (("outputs", outputs), ("inputs", inputs)):
        for k, value in enumerate(values):
            if not hasattr(value, "grad_fn"):
                raise ArgumentError(
                    f"grad: {what} must be Tensors or Scalars (or a sequence of them); {what[:-1]} {k} is of type "
                    f"{type(value).__name__!r}"
                )
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            raise GraphError(f"grad: output {k} does not require grad; nothing connects it to the inputs")
    for i, inp in enumerate(inputs):
        if not inp.requires_grad:
            raise GraphError(f"grad: input {i} does not require grad")
    seeds = tuple(seed_gradient(o, g, "grad") for o, g in zip(outputs, seeds))
    captured = backpropagate(
        outputs,
        seeds,
        retain_graph=create_graph if retain_graph is None else retain_graph,
        create_graph=create_graph,
        capture=inputs,
    )
    result = tuple(captured.get(id(inp)) for inp in inputs)
    for i, g in enumerate(result):
        if g is None and not allow_unused:
            raise GraphError(
                f"grad: input {i} is not used in computing the outputs; pass allow_unused=True to get None for it"
            )
    return result
