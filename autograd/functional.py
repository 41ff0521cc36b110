"""Free functions over tensors (the PyTorch `torch.*` spelling of the Tensor methods, and the
operations that take several tensors)."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

from .errors import ArgumentError, ShapeError
from .gates import conv, elementwise, pool, shape
from .tensor import Tensor, normalize_dim


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def maximum(x: Any, y: Any) -> Any:
    """Elementwise maximum of Tensors or Scalars; equal inputs share the gradient (½ each)."""
    if isinstance(x, Tensor):
        return x.maximum(y)
    if isinstance(y, Tensor):
        return y.maximum(x)  # symmetric, ties included
    if hasattr(x, "maximum"):  # a Scalar
        return x.maximum(y)
    if hasattr(y, "maximum"):
        return y.maximum(x)
    return Tensor(x).maximum(y)


def minimum(x: Any, y: Any) -> Any:
    """Elementwise minimum, as -maximum(-x, -y)."""

    def neg(v: Any) -> Any:
        return -v if hasattr(v, "__neg__") else -Tensor(v)

    return -maximum(neg(x), neg(y))


def where(condition: Any, x: Any = None, y: Any = None) -> Any:
    """`x` where `condition` holds, else `y` (broadcast together); with `condition` alone, the
    indices where it holds, one int64 tensor per dim (PyTorch's `where(cond)`, `nonzero(as_tuple=True)`)."""
    if x is None and y is None:
        from .indexing import where_indices

        return where_indices(condition)
    if x is None or y is None:
        raise ArgumentError("where: give both x and y, or neither (for the indices where condition holds)")
    like = x if isinstance(x, Tensor) else _tensor(y) if isinstance(y, Tensor) else _tensor(x)
    cond = Tensor._wrap(np.asarray(condition._data if isinstance(condition, Tensor) else condition, dtype=bool))
    return elementwise.Where.apply(cond, like._constant(x), like._constant(y))


def cat(tensors: Sequence[Tensor], dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dim (`dim` or `axis`, 0 by default)."""
    tensors = [_tensor(t) for t in tensors]
    if not tensors:
        raise ShapeError("cat: expected a non-empty sequence of tensors")
    d = normalize_dim("cat", tensors[0].ndim, dim, axis, default=0)
    return shape.Cat.apply(*tensors, dim=d)


concatenate = cat


def stack(tensors: Sequence[Tensor], dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """Join tensors of one shape along a new dim (`dim` or `axis`, 0 by default)."""
    tensors = [_tensor(t) for t in tensors]
    if not tensors:
        raise ShapeError("stack: expected a non-empty sequence of tensors")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ShapeError(f"stack: all tensors need the same shape, got {sorted(shapes)}")
    d = normalize_dim("stack", tensors[0].ndim + 1, dim, axis, default=0)
    return cat([t.unsqueeze(d) for t in tensors], d)


def pad(x: Tensor, pad: Sequence[int], value: float = 0.0) -> Tensor:
    """Constant padding, PyTorch's order: `(left, right)` of the last dim, then of the one before…"""
    x = _tensor(x)
    if len(pad) % 2 or len(pad) > 2 * x.ndim or any(p < 0 for p in pad):
        raise ShapeError(
            f"pad: expected an even number (at most {2 * x.ndim}) of non-negative widths for a "
            f"tensor of shape {x.shape}, got {tuple(pad)}"
        )
    width = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        width[x.ndim - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    return shape.Pad.apply(x, width=tuple(width), value=value)


def matmul(x: Any, y: Any) -> Tensor:
    return _tensor(x) @ y


def exp(x: Any) -> Any:
    return x.exp()


def log(x: Any) -> Any:
    return x.log()


def sqrt(x: Tensor) -> Tensor:
    return x.sqrt()


def tanh(x: Any) -> Any:
    return x.tanh()


def sigmoid(x: Any) -> Any:
    return x.sigmoid()


def relu(x: Any) -> Any:
    return x.relu()


def softmax(x: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    return x.softmax(dim, axis=axis)


def log_softmax(x: Tensor, dim: int | None = None, *, axis: int | None = None) -> Tensor:
    return x.log_softmax(dim, axis=axis)


def logsumexp(
    x: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None
) -> Tensor:
    return x.logsumexp(dim, keepdim, axis=axis, keepdims=keepdims)


IntPair = int | tuple[int, int]


def conv2d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: IntPair = 1,
    padding: IntPair | str = 0,
    dilation: IntPair = 1,
    groups: int = 1,
) -> Tensor:
    """2-d cross-correlation of NCHW `x` (or an unbatched CHW one) with `weight` (C_out, C_in/groups, kH,
    kW), as torch's conv2d; output size ⌊(H + 2P − D(K−1) − 1)/S⌋ + 1 per spatial dim. `padding='valid'` is none, 'same'
    (stride 1) pads D·(K−1) zeros per dim, the odd one after (see `conv.string_padding`)."""
    x, weight = _tensor(x), _tensor(weight)
    if x.ndim not in (3, 4):
        raise ShapeError(f"conv2d: expected a 3-d (C, H, W) or 4-d (N, C, H, W) input, got shape {x.shape}")
    if x.ndim == 3:
        return conv2d(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    if isinstance(padding, str):
        s, d = conv.pair("conv2d", "stride", stride, 1), conv.pair("conv2d", "dilation", dilation, 1)
        (top, bottom), (left, right) = conv.string_padding("conv2d", padding, s, weight.shape[-2:], d)
        if (top, left) == (bottom, right):
            padding = (top, left)
        else:
            x, padding = pad(x, (left, right, top, bottom)), 0
    operands = (x, weight) + (() if bias is None else (_tensor(bias),))
    return conv.Conv2d.apply(*operands, stride=stride, padding=padding, dilation=dilation, groups=groups)


def max_pool2d(x: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0) -> Tensor:
    """Maximum over each window (stride defaults to the kernel size; padding is −∞). The gradient
    goes to the window's maximum; a tie goes to the first maximum in row-major window order."""
    return pool.MaxPool2d.apply(_tensor(x), kernel_size=kernel_size, stride=stride, padding=padding)


def avg_pool2d(x: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0) -> Tensor:
    """Mean over each window (stride defaults to the kernel size); zero padding counts in the mean
    (torch's count_include_pad=True)."""
    return pool.AvgPool2d.apply(_tensor(x), kernel_size=kernel_size, stride=stride, padding=padding)


def adaptive_avg_pool2d(x: Tensor, output_size: int | tuple[int | None, int | None]) -> Tensor:
    """Mean over the windows that split H×W into `output_size` (None keeps that input size);
    `output_size=1` is global average pooling."""
    return pool.AdaptiveAvgPool2d.apply(_tensor(x), output_size=output_size)
