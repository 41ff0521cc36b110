"""Between a model's parameters and one flat vector, as PyTorch's `torch.nn.utils.convert_parameters`."""

from __future__ import annotations

from collections.abc import Iterable

import autograd
from autograd import Tensor
from autograd.errors import ArgumentError, ShapeError
from autograd.extend import wrap


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """cat(p.reshape(-1) for p in parameters): one differentiable vector (gradients flow back to each)."""
    params = list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise ArgumentError(f"parameters_to_vector: parameter {i} is a {type(p).__name__}, expected a Tensor")
    if not params:
        raise ArgumentError("parameters_to_vector: got no parameters; torch.cat of nothing is an error too")
    return autograd.cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Make each parameter hold the next p.numel() entries of `vec` (reshaped to p's shape, sharing vec's
    memory, as PyTorch's `param.data = vec[...].view_as(param).data`); entries past the last are unused."""
    if not isinstance(vec, Tensor):
        raise ArgumentError(f"vector_to_parameters: expected a Tensor as vec, got {type(vec).__name__}")
    if vec.ndim != 1:
        raise ShapeError(f"vector_to_parameters: vec must be 1-d, got shape {vec.shape}")
    flat, pointer = vec.numpy(), 0
    for i, p in enumerate(parameters):
        n = p.numel()
        if pointer + n > flat.size:
            raise ShapeError(
                f"vector_to_parameters: vec has {flat.size} entries, too few for parameter {i} of shape {p.shape} "
                f"(entries {pointer} to {pointer + n})"
            )
        p.data = wrap(flat[pointer : pointer + n].reshape(p.shape))
        pointer += n
