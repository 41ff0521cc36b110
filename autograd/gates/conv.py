"""Convolution gates over NCHW images, and the window machinery the pooling gates share.

They look at the image through *windows*: output position (ho, wo) sees the kH×kW
receptive field xₚ[n, c, ho·S + i·D, wo·S + j·D] of the padded input xₚ (stride S, dilation D,
padding P; Ho = ⌊(H + 2P − D(kH − 1) − 1) / S⌋ + 1). `windows` builds them as one strided view,
(N, C, kH, kW, Ho, Wo), without copying. `Im2Col` copies that view into the matrix layout that
turns a convolution into one matrix multiply per batch item, (C·kH·kW) × (Ho·Wo), and `Col2Im` is
its adjoint: it adds every window entry back onto the pixel it came from (a loop over the kH·kW
kernel offsets, each a vectorised strided add). The two are each other's backward, as `Conv2d`
and `ConvTranspose2d` (its input gradient) are, so every gradient here is built from gates and
`create_graph=True` gives higher derivatives.

The convolution gates take their big column buffers from `COLUMNS`, a bounded pool that released
graphs hand them back to (see `BufferPool`)."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..errors import DomainError, DTypeError, ShapeError
from ..function import Function
from ..grad_mode import GradMode
from ..tensor import Tensor

Pair = tuple[int, int]


class Window(NamedTuple):
    """The geometry shared by a gate's forward and backward."""

    kernel: Pair
    stride: Pair
    padding: Pair
    dilation: Pair
    out: Pair  # (Ho, Wo)

    def conv_params(self) -> dict[str, Pair]:
        return {"stride": self.stride, "padding": self.padding, "dilation": self.dilation}


def ints(op: str, name: str, value: Any, minimum: int, n: int) -> tuple[int, ...]:
    """An int or `n` ints as an n-tuple, each at least `minimum`."""
    values = (value,) * n if isinstance(value, (int, np.integer)) else value
    if (
        not isinstance(values, (tuple, list))
        or len(values) != n
        or not all(isinstance(v, (int, np.integer)) and v >= minimum for v in values)
    ):
        what = {1: "a 1-tuple of an int,", 2: "a pair of ints, each"}.get(n, f"a tuple of {n} ints, each")
        raise ShapeError(f"{op}: {name} must be an int or {what} at least {minimum}; got {value!r}")
    return tuple(int(v) for v in values)


def pair(op: str, name: str, value: Any, minimum: int) -> Pair:
    """An int or a pair of ints as a pair, each at least `minimum`."""
    first, second = ints(op, name, value, minimum, 2)
    return first, second


def image(op: str, x: np.ndarray) -> None:
    """Check that `x` is a batch of float images (N, C, H, W)."""
    if x.ndim != 4:
        raise ShapeError(f"{op}: expected a 4-d input (N, C, H, W), got shape {x.shape}")
    if x.dtype.kind != "f":
        raise DTypeError(f"{op}: expected a floating-point input, got {x.dtype}")


def window(op: str, shape: tuple[int, ...], kernel: Any, stride: Any, padding: Any, dilation: Any) -> Window:
    """Validate the window parameters for an input of `shape` and compute the output size."""
    k, s = pair(op, "kernel size", kernel, 1), pair(op, "stride", stride, 1)
    p, d = pair(op, "padding", padding, 0), pair(op, "dilation", dilation, 1)
    span = tuple(di * (ki - 1) + 1 for ki, di in zip(k, d))
    padded = tuple(n + 2 * pi for n, pi in zip(shape[2:], p))
    if any(sp > n for sp, n in zip(span, padded)):
        raise ShapeError(
            f"{op}: the kernel spans {span[0]}×{span[1]} (size {k}, dilation {d}) but the padded input is only "
            f"{padded[0]}×{padded[1]} (input shape {shape}, padding {p})"
        )
    out = tuple((n - sp) // si + 1 for n, sp, si in zip(padded, span, s))
    return Window(k, s, p, d, out)


def string_padding(
    op: str, padding: str, stride: tuple[int, ...], kernel: tuple[int, ...], dilation: tuple[int, ...]
) -> tuple[tuple[int, int], ...]:
    """PyTorch's padding='valid' (none) or 'same' (an output as long as the input; stride 1 only):
    D·(k − 1) zeros per spatial dim, the odd one after. (before, after) for each spatial dim."""
    if padding == "valid":
        return ((0, 0),) * len(kernel)
    if padding != "same":
        raise DomainError(f"{op}: padding must be an int, a tuple of ints, 'valid' or 'same'; got {padding!r}")
    if any(si != 1 for si in stride):
        raise DomainError(f"{op}: padding='same' is not supported for strided convolutions, got stride {stride}")
    return tuple((d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for k, d in zip(kernel, dilation))


def windows(x: np.ndarray, win: Window, fill: float = 0.0) -> np.ndarray:
    """The receptive fields of `x` padded with `fill`, as a read-only view (N, C, kH, kW, Ho, Wo)."""
    (ph, pw), (sh, sw), (dh, dw) = win.padding, win.stride, win.dilation
    if ph or pw:
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    n, c, h, w = x.strides
    shape = x.shape[:2] + win.kernel + win.out
    return as_strided(x, shape, (n, c, h * dh, w * dw, h * sh, w * sw), writeable=False)


def fold(cols: np.ndarray, win: Window, shape: tuple[int, ...]) -> np.ndarray:
    """The adjoint of `windows`: each entry of `cols` (N, C, kH, kW, Ho, Wo) is added onto its pixel.

    The sum is accumulated in the memory order of `cols`: when the batch is its fastest axis (as
    the convolution's backward lays it out), every strided add runs over Wo·N contiguous numbers
    instead of Wo, several times faster for small images. The result is a C-contiguous (N, C, H, W).
    """
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (ho, wo) = win
    n, c, h, w = shape
    padded = (h + 2 * ph, w + 2 * pw)
    if cols.strides[0] < cols.strides[1]:  # batch-last memory order
        out = np.zeros((c, *padded, n), dtype=cols.dtype).transpose(3, 0, 1, 2)
    else:
        out = np.zeros((n, c, *padded), dtype=cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i * dh : i * dh + sh * (ho - 1) + 1 : sh, j * dw : j * dw + sw * (wo - 1) + 1 : sw] += cols[
                :, :, i, j
            ]
    return np.ascontiguousarray(out[:, :, ph : ph + h, pw : pw + w])


class Im2Col(Function):
    """z[n, c, i, j, ho, wo] = xₚ[n, c, ho·S + i·D, wo·S + j·D]  ·  ∂L/∂x = Col2Im(∂L/∂z)"""

    __slots__ = ("win",)

    def forward(self, x, win):
        self.win = win
        return np.ascontiguousarray(windows(x, win))

    def backward(self, g):
        return Col2Im.apply(g, win=self.win, shape=self.inputs[0].shape)


class Col2Im(Function):
    """z = Σ over windows of cols put back on their pixels (Im2Col's adjoint)  ·  ∂L/∂cols = Im2Col(∂L/∂z)"""

    __slots__ = ("win",)

    def forward(self, cols, win, shape):
        expected = shape[:2] + win.kernel + win.out
        if cols.shape != expected:
            raise ShapeError(f"col2im: expected columns of shape {expected} for an image {shape}, got {cols.shape}")
        self.win = win
        return fold(cols, win, shape)

    def backward(self, g):
        return Im2Col.apply(g, win=self.win)


class BufferPool:
    """Column buffers handed back by conv gates, reused by the next call with the same shape.

    Every training step builds the same big im2col buffers. Fresh memory costs a page fault per
    4 KiB on first touch (glibc hands large freed blocks back to the system), which on a small VM
    takes as long as the convolution itself. At most `limit` bytes are kept; a buffer is handed
    back only when nothing else can still see it.
    """

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.free: dict[tuple[Any, ...], list[np.ndarray]] = {}

    def take(self, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
        stack = self.free.get((shape, np.dtype(dtype)))
        if not stack:
            return np.empty(shape, dtype)
        self.size -= stack[-1].nbytes
        return stack.pop()

    def give(self, array: np.ndarray) -> None:
        if self.size + array.nbytes <= self.limit:
            self.free.setdefault((array.shape, array.dtype), []).append(array)
            self.size += array.nbytes

    def clear(self) -> None:
        self.free.clear()
        self.size = 0


COLUMNS = BufferPool(limit=128 * 2**20)


def columns(x: np.ndarray, win: Window, groups: int) -> np.ndarray:
    """Im2Col(x) as per-group matrices (N, G, C/G·kH·kW, Ho·Wo), in a buffer from `COLUMNS`."""
    n, c = x.shape[:2]
    cols = COLUMNS.take((n, groups, c // groups * win.kernel[0] * win.kernel[1], win.out[0] * win.out[1]), x.dtype)
    np.copyto(cols.reshape(x.shape[:2] + win.kernel + win.out), windows(x, win))
    return cols


def weight_grad(g: Tensor, cols: Tensor, weight_shape: tuple[int, ...], groups: int) -> Tensor:
    """∂L/∂W = Σₙ g @ colsᵀ, per group: g (N, O, Ho, Wo), cols (N, G, C/G·kH·kW, Ho·Wo)."""
    g4 = g.reshape(g.shape[0], groups, weight_shape[0] // groups, -1)
    return (g4 @ cols.mT).sum(0).reshape(weight_shape)


class Conv2d(Function):
    """z[n, o] = b[o] + Σ_{c,i,j} w[o, c, i, j] · xₚ[n, c, ho·S + i·D, wo·S + j·D] (per group), computed as
    W (O × C·kH·kW) @ Im2Col(x) per item  ·  ∂L/∂x = ConvTranspose2d(g, W) = Col2Im(Wᵀ @ g),
    ∂L/∂W = Σₙ g @ Im2Col(x)ᵀ, ∂L/∂b = Σ_{n,ho,wo} g

    One fused gate so the columns are built once: the forward keeps them for the weight gradient
    when the weight needs one, and hands them back to `COLUMNS` when the graph is released.
    """

    __slots__ = ("win", "groups")

    def forward(self, x, weight, bias=None, *, stride, padding, dilation, groups):
        image("conv2d", x)
        check_conv_operands(x, weight, bias, groups)
        self.win = win = window("conv2d", x.shape, weight.shape[2:], stride, padding, dilation)
        self.groups = groups
        o = weight.shape[0]
        cols = columns(x, win, groups)
        out = (weight.reshape(groups, o // groups, -1) @ cols).reshape(x.shape[:1] + (o,) + win.out)
        if bias is not None:
            out += bias.reshape(o, 1, 1)
        if GradMode.enabled and self.needs_input_grad[1]:
            self.save_for_backward(cols)
        else:
            COLUMNS.give(cols)
        return out

    def backward(self, g):
        x, weight = self.inputs[:2]
        needs = self.needs_input_grad
        dx = ConvTranspose2d.apply(g, weight, win=self.win, groups=self.groups, shape=x.shape) if needs[0] else None
        dw = None
        if needs[1]:
            # Recording (create_graph): rebuild the columns as a gate, so x gets second derivatives
            # and the pooled buffer never enters a graph.
            if GradMode.enabled:
                cols = Im2Col.apply(x, win=self.win).reshape(x.shape[:1] + (self.groups, -1, g.shape[2] * g.shape[3]))
            else:
                cols = self.saved_tensors[0]
            dw = weight_grad(g, cols, weight.shape, self.groups)
        if len(self.inputs) == 2:
            return dx, dw
        return dx, dw, g.sum((0, 2, 3)) if needs[2] else None

    def release(self):
        for cols in self.saved:
            COLUMNS.give(cols)
        super().release()


class ConvTranspose2d(Function):
    """z = Col2Im(Wᵀ @ g): the adjoint of conv2d in its input, i.e. conv2d's input gradient
    ·  ∂L/∂g = conv2d(∂L/∂z, W), ∂L/∂W = Σₙ g @ Im2Col(∂L/∂z)ᵀ"""

    __slots__ = ("win", "groups")

    def forward(self, g, weight, win, groups, shape):
        self.win, self.groups = win, groups
        n, c = shape[:2]
        o = weight.shape[0]
        # Wᵀ @ g with the batch as the fastest axis of the columns, so Col2Im adds long runs.
        g_batch_last = np.ascontiguousarray(g.transpose(1, 2, 3, 0)).reshape(groups, o // groups, -1)
        cols = COLUMNS.take((groups, weight[0].size, g_batch_last.shape[2]), g.dtype)
        np.matmul(weight.reshape(groups, o // groups, -1).transpose(0, 2, 1), g_batch_last, out=cols)
        out = fold(np.moveaxis(cols.reshape((c,) + win.kernel + win.out + (n,)), -1, 0), win, shape)
        COLUMNS.give(cols)
        return out

    def backward(self, gg):
        g, weight = self.inputs
        needs = self.needs_input_grad
        dg = Conv2d.apply(gg, weight, groups=self.groups, **self.win.conv_params()) if needs[0] else None
        dw = None
        if needs[1]:
            cols = Im2Col.apply(gg, win=self.win).reshape(g.shape[:1] + (self.groups, -1, g.shape[2] * g.shape[3]))
            dw = weight_grad(g, cols, weight.shape, self.groups)
        return dg, dw


def check_conv_operands(
    x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, groups: int, op: str = "conv2d"
) -> None:
    """The channel counts and dtypes of a convolution (`op`, over a batched input x) fit together."""
    if weight.ndim != x.ndim:
        kernel = "kH, kW" if x.ndim == 4 else "kL"
        raise ShapeError(f"{op}: expected a {x.ndim}-d weight (C_out, C_in/groups, {kernel}), got shape {weight.shape}")
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ShapeError(f"{op}: groups must be a positive int, got {groups!r}")
    c, o = x.shape[1], weight.shape[0]
    if c % groups or o % groups:
        raise ShapeError(f"{op}: groups={groups} must divide both C_in={c} and C_out={o} (input {x.shape})")
    if weight.shape[1] * groups != c:
        raise ShapeError(
            f"{op}: input {x.shape} has {c} channels but weight {weight.shape} expects "
            f"{weight.shape[1]} × groups={groups} = {weight.shape[1] * groups}"
        )
    if bias is not None and bias.shape != (o,):
        raise ShapeError(f"{op}: bias must have shape ({o},) for weight {weight.shape}, got {bias.shape}")
    check_dtypes(op, x, weight, bias)


def check_dtypes(op: str, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None) -> None:
    """The weight and bias of a convolution have the dtype of its input."""
    for name, arr in (("weight", weight), ("bias", bias)):
        if arr is not None and arr.dtype != x.dtype:
            raise DTypeError(f"{op}: input is {x.dtype} but {name} is {arr.dtype}; convert one of them")
