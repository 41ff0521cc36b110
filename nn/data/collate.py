"""`default_collate` and `default_convert`: PyTorch's rules for turning examples into batches.

`default_collate(batch)` looks at the first example and recurses by its type:

* Tensor -> the examples stacked on a new first dim; NumPy array -> the same, as a Tensor of its
  dtype (string and object arrays are refused); NumPy scalar -> a Tensor of its dtype
* Python float -> a float64 Tensor; Python int -> an int64 Tensor (bools -> a bool Tensor)
* str, bytes -> the batch unchanged (a list)
* Mapping -> the same mapping type of collated values, key by key (a plain dict if it cannot be
  built), nested mappings included
* namedtuple -> the same namedtuple of collated fields; tuple -> a *list* of collated fields (as
  PyTorch, for backward compatibility); other sequences -> the same type (a list if it cannot be
  built), all examples having the same length

`default_convert(data)` (the collate_fn without batching, `batch_size=None`) turns NumPy arrays
and scalars into Tensors inside the same containers and leaves everything else as it is.
"""

from __future__ import annotations

import collections.abc
import copy
import re
from typing import Any

import numpy as np

from autograd import Tensor, as_tensor, float64, stack, tensor
from autograd.errors import ArgumentError, ShapeError

STRING_OR_OBJECT = re.compile("[SaUO]")  # dtype.str kinds PyTorch does not turn into Tensors


def _is_numpy(x: Any) -> bool:
    return type(x).__module__ == "numpy" and type(x).__name__ not in ("str_", "string_", "bytes_")


def _refuse(what: Any) -> ArgumentError:
    return ArgumentError(
        f"default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {what}"
    )


def _container(elem: Any, values: Any, mutable_type: type) -> Any:
    """`values` (a dict or list) in `elem`'s container type: a copy of `elem` updated in place when it
    is mutable, `type(elem)(values)` otherwise, or plain `values` when that type cannot be built."""
    try:
        if isinstance(elem, mutable_type):
            clone: Any = copy.copy(elem)
            if isinstance(values, dict):
                clone.update(values)
            else:
                clone[:] = values
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def default_collate(batch: Any) -> Any:
    """A batch (a sequence of examples) collated into Tensors by PyTorch's rules (see the module)."""
    elem = batch[0]
    if isinstance(elem, Tensor):
        for i, b in enumerate(batch):
            if not isinstance(b, Tensor):
                raise ArgumentError(
                    f"default_collate: expected Tensor as element {i} of the batch, got {type(b).__name__}"
                )
        return stack(list(batch))
    if isinstance(elem, np.ndarray):
        if STRING_OR_OBJECT.search(elem.dtype.str):
            raise _refuse(elem.dtype)
        return default_collate([as_tensor(b) for b in batch])
    if isinstance(elem, (np.bool_, np.number, np.object_)):
        return as_tensor(np.array(batch))
    if isinstance(elem, float):
        return tensor(list(batch), dtype=float64)
    if isinstance(elem, int):
        return tensor(list(batch))
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        values = {key: default_collate([d[key] for d in batch]) for key in elem}
        return _container(elem, values, collections.abc.MutableMapping)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(field) for field in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        sizes = sorted({len(e) for e in batch})
        if len(sizes) > 1:
            raise ShapeError(
                f"default_collate: each element in list of batch should be of equal size, got sizes {sizes}"
            )
        fields = [default_collate(field) for field in zip(*batch)]
        return fields if isinstance(elem, tuple) else _container(elem, fields, collections.abc.MutableSequence)
    raise _refuse(type(elem))


def default_convert(data: Any) -> Any:
    """NumPy arrays and scalars in `data` turned into Tensors, inside the same containers (tuples
    become lists, as PyTorch); string and object arrays and everything else are left as they are."""
    if isinstance(data, Tensor):
        return data
    if _is_numpy(data):
        if isinstance(data, np.ndarray) and STRING_OR_OBJECT.search(data.dtype.str):
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _container(data, {key: default_convert(data[key]) for key in data}, collections.abc.MutableMapping)
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _container(data, [default_convert(d) for d in data], collections.abc.MutableSequence)
    return data
