"""PyTorch's type promotion: `promote_types(a, b)` and `result_type(*tensors_and_numbers)`.

Dtypes fall in categories bool < integer < floating. Between two dtypes the higher category
wins (int64 with float32 is float32, where NumPy says float64); within one category NumPy's rule
is PyTorch's (int8 with uint8 is int16, float16 with float32 is float32). Among operands,
dimensioned tensors decide, unless 0-d tensors are of a higher category, and those unless a
Python number is of a higher category still, which then gives that category's default dtype
(bool, int64, float32): a float32 tensor times a 0-d float64 tensor stays float32.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import ArgumentError
from .tensor import Default, Tensor, as_dtype

KIND = {"b": 0, "u": 1, "i": 1, "f": 2}  # PyTorch's categories: bool < integer < floating

__all__ = ["promote_types", "result_type"]


def number_kind(value: Any) -> int:
    """The category of a Python (or NumPy scalar) number."""
    if isinstance(value, (bool, np.bool_)):
        return 0
    if isinstance(value, (int, np.integer)):
        return 1
    if isinstance(value, (float, np.floating)):
        return 2
    raise ArgumentError(f"result_type: expected Tensors or numbers, got {type(value).__name__}")


def _group(dtypes: list[np.dtype]) -> np.dtype:
    top = max(KIND[d.kind] for d in dtypes)
    return np.result_type(*[d for d in dtypes if KIND[d.kind] == top])


def promote_types(type1: Any, type2: Any) -> np.dtype:
    """The dtype two dtypes promote to, as `torch.promote_types`."""
    return _group([as_dtype("promote_types", type1), as_dtype("promote_types", type2)])


def result_type(*values: Any) -> np.dtype:
    """The dtype an operation on these Tensors and numbers computes in, as `torch.result_type`."""
    result: np.dtype | None = None
    for group in (
        [v.dtype for v in values if isinstance(v, Tensor) and v.ndim],
        [v.dtype for v in values if isinstance(v, Tensor) and not v.ndim],
    ):
        if group:
            dtype = _group(group)
            if result is None or KIND[dtype.kind] > KIND[result.kind]:
                result = dtype
    numbers = [number_kind(v) for v in values if not isinstance(v, Tensor)]
    if numbers and (result is None or max(numbers) > KIND[result.kind]):
        result = (np.dtype(np.bool_), np.dtype(np.int64), Default.float)[max(numbers)]
    if result is None:
        raise ArgumentError("result_type: needs at least one Tensor or number")
    return result
