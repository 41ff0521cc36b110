"""The convolutions beside conv2d, as torch.nn.functional's: conv1d, conv_transpose1d, conv_transpose2d.

Each is composed from the 2-d gates of autograd/gates/conv.py, which give the gradients (input,
weight, bias, and higher ones with create_graph=True):

- conv1d(x, w) is conv2d of x viewed as (N, C, 1, L) with the kernel (C_out, C_in/groups, 1, k):
  L_out = ⌊(L + 2P − D·(k − 1) − 1)/S⌋ + 1.
- conv_transpose2d(x, w) is the adjoint of conv2d in its input (the `ConvTranspose2d` gate, conv2d's
  input gradient), the weight (C_in, C_out/groups, kH, kW) read as conv2d's (C_out, C_in/groups, …)
  from the output's side: z[n, o, h·S + i·D − P, w·S + j·D − P] += x[n, c, h, w] · w[c, o, i, j] (per
  group), so H_out = (H − 1)·S − 2P + D·(kH − 1) + output_padding + 1. It is computed without padding,
  (H − 1)·S + D·(kH − 1) + 1 rows, then cropped by P at the top and by P − output_padding at the
  bottom (a negative crop adds zero rows, which no input reaches): F.pad with negative widths.
- conv_transpose1d is conv_transpose2d of (N, C, 1, L).

Unbatched inputs, (C, L) and (C, H, W), get a batch dim of 1 and lose it again, as PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, conv2d
from autograd.errors import DTypeError, ShapeError
from autograd.extend import gates, ints

from .padding import pad

IntTuple = int | tuple[int, ...]
_DIMS = {1: "L", 2: "H, W"}
_KERNEL = {1: "kL", 2: "kH, kW"}


def _as_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _batched(op: str, input: Any, spatial: int) -> tuple[Tensor, bool]:
    """The input as a batch (N, C, …) of `spatial` dims, and whether it came unbatched."""
    x = _as_tensor(input)
    dims = _DIMS[spatial]
    if x.ndim not in (spatial + 1, spatial + 2):
        raise ShapeError(
            f"{op}: expected a {spatial + 1}-d (C, {dims}) or {spatial + 2}-d (N, C, {dims}) input, got shape {x.shape}"
        )
    if x.dtype.kind != "f":
        raise DTypeError(f"{op}: expected a floating-point input, got {x.dtype}")
    unbatched = x.ndim == spatial + 1
    return (x.unsqueeze(0) if unbatched else x), unbatched


def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: IntTuple = 1,
    padding: IntTuple | str = 0,
    dilation: IntTuple = 1,
    groups: int = 1,
) -> Tensor:
    """1-d cross-correlation of (N, C_in, L) or (C_in, L) `input` with `weight` (C_out, C_in/groups, k),
    as torch's: z[n, o, l] = b[o] + Σ_{c,i} w[o, c, i] · xₚ[n, c, l·S + i·D] (per group). `padding`
    may be 'valid' (none) or 'same' (stride 1: D·(k − 1) zeros, the odd one on the right)."""
    x, unbatched = _batched("conv1d", input, 1)
    w, b = _as_tensor(weight), None if bias is None else _as_tensor(bias)
    gates.conv.check_conv_operands(x.numpy(), w.numpy(), None if b is None else b.numpy(), groups, "conv1d")
    (s,), (d,) = ints("conv1d", "stride", stride, 1, 1), ints("conv1d", "dilation", dilation, 1, 1)
    k = w.shape[2]
    if isinstance(padding, str):
        ((before, after),) = gates.conv.string_padding("conv1d", padding, (s,), (k,), (d,))
        padding2d: str | tuple[int, int] = padding
    else:
        (before,) = ints("conv1d", "padding", padding, 0, 1)
        after, padding2d = before, (0, before)
    span, padded = d * (k - 1) + 1, x.shape[2] + before + after
    if span > padded:
        raise ShapeError(
            f"conv1d: the kernel spans {span} (size {k}, dilation {d}) but the padded input is only "
            f"{padded} long (input shape {x.shape}, padding {padding!r})"
        )
    out = conv2d(x.unsqueeze(2), w.unsqueeze(2), b, (1, s), padding2d, (1, d), groups).squeeze(2)
    return out.squeeze(0) if unbatched else out


def _check_transposed(op: str, x: Tensor, w: Tensor, b: Tensor | None, groups: Any) -> int:
    """The channel counts and dtypes of a transposed convolution fit together; its C_out."""
    if w.ndim != x.ndim:
        raise ShapeError(
            f"{op}: expected a {x.ndim}-d weight (C_in, C_out/groups, {_KERNEL[x.ndim - 2]}), got shape {w.shape}"
        )
    if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ShapeError(f"{op}: groups must be a positive int, got {groups!r}")
    c = x.shape[1]
    if w.shape[0] != c:
        raise ShapeError(
            f"{op}: input {x.shape} has {c} channels but weight {w.shape} (C_in, C_out/groups, …) expects {w.shape[0]}"
        )
    if c % groups:
        raise ShapeError(f"{op}: groups={groups} must divide C_in={c} (input {x.shape})")
    o = w.shape[1] * groups
    if b is not None and b.shape != (o,):
        raise ShapeError(f"{op}: bias must have shape ({o},) for weight {w.shape} and groups={groups}, got {b.shape}")
    gates.conv.check_dtypes(op, x.numpy(), w.numpy(), None if b is None else b.numpy())
    return int(o)


def _conv_transpose(
    op: str,
    spatial: int,
    input: Any,
    weight: Any,
    bias: Any,
    stride: IntTuple,
    padding: IntTuple,
    output_padding: IntTuple,
    groups: int,
    dilation: IntTuple,
) -> Tensor:
    """conv_transpose1d / conv_transpose2d (`spatial` dims) as conv2d's adjoint, cropped (module docstring)."""
    x, unbatched = _batched(op, input, spatial)
    w, b = _as_tensor(weight), None if bias is None else _as_tensor(bias)
    o = _check_transposed(op, x, w, b, groups)
    s, p, q, d = (
        ints(op, name, value, low, spatial)
        for name, value, low in (
            ("stride", stride, 1),
            ("padding", padding, 0),
            ("output_padding", output_padding, 0),
            ("dilation", dilation, 1),
        )
    )
    if any(qi >= si and qi >= di for qi, si, di in zip(q, s, d)):
        raise ShapeError(
            f"{op}: output_padding must be smaller than either stride or dilation in each dim, got "
            f"output_padding={q}, stride={s}, dilation={d}"
        )
    k = w.shape[2:]
    full = tuple((n - 1) * si + di * (ki - 1) + 1 for n, si, di, ki in zip(x.shape[2:], s, d, k))
    size = tuple(f - 2 * pi + qi for f, pi, qi in zip(full, p, q))
    if any(n <= 0 for n in size):
        raise ShapeError(
            f"{op}: the output would be {size} for an input of shape {x.shape}, weight {w.shape}, stride {s}, "
            f"padding {p}, output_padding {q}, dilation {d}; it must be positive"
        )
    if spatial == 1:
        x, w, full, k, s, d = x.unsqueeze(2), w.unsqueeze(2), (1, *full), (1, *k), (1, *s), (1, *d)
    shape = (x.shape[0], o, *full)
    win = gates.conv.window(op, shape, k, s, 0, d)
    y = gates.conv.ConvTranspose2d.apply(x, w, win=win, groups=groups, shape=shape)
    if spatial == 1:
        y = y.squeeze(2)
    crops = [width for pi, qi in zip(reversed(p), reversed(q)) for width in (-pi, qi - pi)]
    if any(crops):
        y = pad(y, crops)
    if b is not None:
        y = y + b.reshape(o, *(1,) * spatial)
    return y.squeeze(0) if unbatched else y


def conv_transpose1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: IntTuple = 1,
    padding: IntTuple = 0,
    output_padding: IntTuple = 0,
    groups: int = 1,
    dilation: IntTuple = 1,
) -> Tensor:
    """Transposed 1-d convolution of (N, C_in, L) or (C_in, L) `input` with `weight` (C_in, C_out/groups, k),
    as torch's: L_out = (L − 1)·S − 2P + D·(k − 1) + output_padding + 1."""
    return _conv_transpose(
        "conv_transpose1d", 1, input, weight, bias, stride, padding, output_padding, groups, dilation
    )


def conv_transpose2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: IntTuple = 1,
    padding: IntTuple = 0,
    output_padding: IntTuple = 0,
    groups: int = 1,
    dilation: IntTuple = 1,
) -> Tensor:
    """Transposed 2-d convolution ("deconvolution") of (N, C_in, H, W) or (C_in, H, W) `input` with `weight`
    (C_in, C_out/groups, kH, kW), as torch's: H_out = (H − 1)·S − 2P + D·(kH − 1) + output_padding + 1."""
    return _conv_transpose(
        "conv_transpose2d", 2, input, weight, bias, stride, padding, output_padding, groups, dilation
    )
