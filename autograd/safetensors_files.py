"""`.safetensors` files through the optional `safetensors` package's NumPy API
(`pip install circuitgrad[safetensors]`): a flat dict of named tensors and nothing else, the format
having no place for numbers, strings or nesting."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from .errors import ArgumentError, DTypeError, FileFormatError, MissingDependencyError
from .file_checks import budget_error, write_atomically
from .tensor import Tensor


def _numpy_api(op: str) -> Any:
    try:
        import safetensors.numpy
    except ImportError:
        raise MissingDependencyError(
            f"{op}: .safetensors files need the safetensors package: pip install circuitgrad[safetensors]"
        ) from None
    return safetensors.numpy


def save(obj: Any, path: str | os.PathLike[str]) -> None:
    """Write the flat dict `obj` (str -> Tensor or array) to `path`, atomically."""
    api = _numpy_api("save")
    if not isinstance(obj, dict) or not all(isinstance(k, str) for k in obj):
        raise ArgumentError(
            f"save: a .safetensors file holds a flat dict of str -> tensor, got {type(obj).__name__}; "
            "save anything else to a .npz path"
        )
    arrays = {}
    for k, v in obj.items():
        if not isinstance(v, (Tensor, np.ndarray)):
            raise ArgumentError(
                f"save: a .safetensors file holds only tensors, but '{k}' is a {type(v).__name__}; "
                "save anything else to a .npz path"
            )
        arrays[k] = np.ascontiguousarray(v.numpy() if isinstance(v, Tensor) else v)
    data = api.save(arrays)
    write_atomically(path, lambda f: f.write(data))


def load(path: str, budget: int, explicit: bool) -> dict[str, Tensor]:
    """The tensors of the .safetensors file at `path`; its header, offsets and sizes are checked by
    the package before any tensor is read."""
    api = _numpy_api("load")
    if os.path.getsize(path) > budget:
        raise budget_error(path, "its tensors", os.path.getsize(path), budget, explicit)
    try:
        arrays = api.load_file(path)
    except Exception as e:  # the package's SafetensorError, or NumPy's TypeError for a dtype it lacks
        if "bfloat16" in str(e):
            raise DTypeError(
                f"load: {path!r} holds bfloat16 tensors, which NumPy (and so safetensors' NumPy API) cannot "
                "read; save them as float32, or as a PyTorch file, which autograd.load widens to float32"
            ) from None
        raise FileFormatError(f"load: {path!r} is not a readable .safetensors file ({type(e).__name__}: {e})") from e
    for k, v in arrays.items():
        if v.dtype.kind not in "biuf":
            raise DTypeError(f"load: {path!r}: tensor '{k}' is {v.dtype}, which circuitgrad's Tensor cannot hold")
    return {k: Tensor._wrap(np.array(v)) for k, v in arrays.items()}
