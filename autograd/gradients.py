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
        if output.numel() != 1:
            raise GraphError(
                f"{where}: grad can be left out only for a one-element output; this one has shape "
                f"{output.shape}. Pass a gradient of that shape"
            )
        return Tensor._wrap(np.ones_like(output._data))
    grad = grad if isinstance(grad, Tensor) else Tensor._wrap(to_array(grad, output.dtype, op=f"{where} (gradient)"))
    if grad.shape != output.shape:
        raise ShapeError(f"{where}: gradient has shape {grad.shape} but the output has shape {output.shape}")
    return grad


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Any = None,
) -> None:
    """PyTorch's `autograd.backward`: accumulate Σ_k grad_tensors[k] · d tensors[k] / d leaf into
    the `.grad` of every leaf (or only of `inputs`, when given) that requires grad."""
    roots = _seq(tensors)
    seeds = _seq(grad_tensors) if grad_tensors is not None else (None,) * len(roots)
    if len(seeds) != len(roots):
        raise ShapeError(f"backward: {len(roots)} tensors but {len(seeds)} grad_tensors; expected one per tensor")
    for k, root in enumerate(roots):
        if not getattr(root, "requires_grad", False):
            raise GraphError(
                f"backward: tensor {k} does not require grad and has no grad_fn; make an input "
                "with requires_grad=True before computing it"
            )
    seeds = [
        seed_gradient(r, g, "backward") for r, g in zip(roots, seeds)
    ]  # a list: see test_training_memory_stays_flat
    keep = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        backpropagate(roots, seeds, retain_graph=keep, create_graph=create_graph)
        return
    inputs = _seq(inputs)
    captured = backpropagate(roots, seeds, retain_graph=keep, create_graph=create_graph, capture=inputs)
    for value in inputs:
        g = captured.get(id(value))
        if g is not None:
            value._accumulate_grad(g)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    """Σ_k grad_outputs[k] · d outputs[k] / d inputs[i], for every input i, with PyTorch's
    arguments: an input the outputs do not depend on is an error, or None with
    `allow_unused=True`, or zeros with `materialize_grads=True` (which implies allow_unused)."""
    if is_grads_batched:
        raise ArgumentError("grad: is_grads_batched=True is not supported; call grad once per batch entry")
    if allow_unused is None:
        allow_unused = materialize_grads
    elif materialize_grads and not allow_unused:
        raise ArgumentError("grad: materialize_grads=True needs allow_unused to be True (or left out), as in PyTorch")
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
    if materialize_grads:
        result = tuple(_zeros_like(inp) if g is None else g for inp, g in zip(inputs, result))
    return result


def _zeros_like(value: Any) -> Any:
    return 0.0 if not isinstance(value, Tensor) else Tensor._wrap(np.zeros_like(value._data))
