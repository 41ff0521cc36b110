"""`Parameter`, and the placeholders lazy modules hold until their first forward call, as PyTorch's
`torch.nn.parameter`: `UninitializedParameter` and `UninitializedBuffer`.

An uninitialized tensor has a dtype and `requires_grad` but no shape and no data: asking for its
shape, its values or doing math with it is an `UninitializedParameterError` saying to run a forward
pass first. `materialize(shape)` gives it zero-filled memory of that shape and turns it, the same
object, into its `cls_to_become` (a `Parameter`, or a plain `Tensor` for a buffer), so an optimizer
built before the first forward call updates it afterwards, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, get_default_dtype
from autograd.errors import AutogradError
from autograd.extend import as_dtype, size_args, unwrap


class Parameter(Tensor):
    """A Tensor that is a learnable parameter of a module: a leaf that requires grad.

    `Parameter(data, requires_grad=True)` copies `data` as `Tensor(data)` does; integer or boolean
    data become the default float dtype (float32), since a parameter must be differentiable.
    Operations on a Parameter give plain Tensors.
    """

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True) -> None:
        array = unwrap(data)
        super().__init__(array if array.dtype.kind == "f" else array.astype(get_default_dtype()), requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class UninitializedParameterError(AutogradError, RuntimeError, ValueError):
    """Using a lazy module's parameter or buffer before the forward call that gives it a shape (PyTorch
    raises a RuntimeError for its shape, a ValueError for math with it: this is both)."""


_DATA = Tensor._data  # the slot, read past the guard below  # type: ignore[attr-defined]

# what an uninitialized tensor answers; everything else needs its shape or data
_ANSWERS = frozenset(
    {"dtype", "requires_grad", "requires_grad_", "grad", "grad_fn", "_retains_grad", "is_leaf"}
    | {"detach", "materialize", "retype", "cls_to_become", "is_uninitialized"}
)


class UninitializedTensorMixin:
    """The behaviour shared by `UninitializedParameter` and `UninitializedBuffer`."""

    __slots__ = ()
    cls_to_become: type[Tensor]
    is_uninitialized = True

    def __getattribute__(self, name: str) -> Any:
        if name in _ANSWERS or name.startswith("__"):
            return object.__getattribute__(self, name)
        kind = type(self).__name__
        if name in ("shape", "size", "ndim", "dim", "numel"):
            what = "it has no shape yet"
        elif name.startswith("_"):
            what = "it cannot be used in an operation"
        else:
            what = f"it has no `{name}`"
        raise UninitializedParameterError(
            f"{kind} is uninitialized (a lazy module infers its shape from its first input), so {what}; "
            "run a forward pass (model(dummy_input)) first"
        )

    @property
    def dtype(self) -> np.dtype:
        dtype: np.dtype = _DATA.__get__(self).dtype
        return dtype

    def detach(self) -> UninitializedTensorMixin:
        """Itself: a state dict holds the uninitialized tensor, as PyTorch's."""
        return self

    def retype(self, dtype: Any) -> None:
        """Keep `dtype` as the dtype it will be materialized in (what `Module.to(dtype)` does to it)."""
        object.__setattr__(self, "_data", _placeholder(dtype))

    def materialize(self, shape: Any, dtype: Any = None) -> None:
        """Give it zero-filled memory of `shape` (in its dtype, or `dtype`) and make it a `cls_to_become`."""
        shape = size_args(
            f"{type(self).__name__}.materialize", tuple(shape) if not isinstance(shape, int) else (shape,)
        )
        dtype = self.dtype if dtype is None else as_dtype("materialize", dtype)
        object.__setattr__(self, "_data", np.zeros(shape, dtype=dtype))
        object.__setattr__(self, "__class__", self.cls_to_become)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def _placeholder(dtype: Any) -> np.ndarray:
    """The empty array an uninitialized tensor keeps for its dtype (the default float one if None)."""
    result = get_default_dtype() if dtype is None else as_dtype("UninitializedParameter", dtype)
    return np.empty(0, dtype=result)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet (a lazy module's, until its first forward call)."""

    __slots__ = ()
    cls_to_become = Parameter

    def __init__(self, requires_grad: bool = True, device: Any = None, dtype: Any = None) -> None:
        Parameter.__init__(self, _placeholder(dtype), requires_grad)


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet (a lazy BatchNorm's running statistics)."""

    __slots__ = ()
    cls_to_become = Tensor

    def __init__(self, requires_grad: bool = False, device: Any = None, dtype: Any = None) -> None:
        Tensor.__init__(self, _placeholder(dtype), requires_grad)


def is_lazy(value: Any) -> bool:
    """Whether `value` is an uninitialized parameter or buffer."""
    return isinstance(value, UninitializedTensorMixin)


__all__ = ["Parameter", "UninitializedBuffer", "UninitializedParameter", "UninitializedParameterError", "is_lazy"]
