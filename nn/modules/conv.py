"""Convolution layers, as PyTorch's: Conv1d and Conv2d, ConvTranspose1d and ConvTranspose2d, with
PyTorch's names, arguments, attributes, state-dict keys, initialisations and reprs."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from autograd.errors import DomainError, ShapeError
from autograd.extend import gates, ints

from .. import functional as F
from .. import init
from .module import Module, check_sizes, empty_parameter

IntPair = int | tuple[int, int]
IntTuple = int | tuple[int, ...]
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNd(Module):
    """What the convolutions share: PyTorch's attributes (in_channels, out_channels, kernel_size,
    stride, padding, dilation, transposed, output_padding, groups, padding_mode; each size a tuple
    of `spatial` ints, padding also 'valid' or 'same'), the parameters and their default
    initialisation, and the repr. A padding_mode other than 'zeros' pads the input with F.pad's mode
    of that name (reflect, replicate, circular) before an unpadded convolution, as PyTorch's.

    `weight` is (out_channels, in_channels/groups, *kernel_size), or (in_channels,
    out_channels/groups, *kernel_size) when transposed, and `bias` (out_channels,). Both start as
    PyTorch's: U(−1/√fan_in, 1/√fan_in) with fan_in = weight.shape[1] · ∏kernel_size (kaiming_uniform_
    with a = √5 for the weight: `calculate_fan_in_and_fan_out` of the weight as it is laid out, so
    out_channels/groups · ∏kernel_size for a transposed one), from autograd's default generator.
    """

    spatial: int
    transposed: bool

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntTuple,
        stride: IntTuple,
        padding: IntTuple,
        dilation: IntTuple,
        output_padding: IntTuple,
        groups: int,
        bias: bool,
        padding_mode: str,
        dtype: Any,
    ) -> None:
        super().__init__()
        name, n = type(self).__name__, self.spatial
        check_sizes(name, in_channels=in_channels, out_channels=out_channels, groups=groups)
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ShapeError(
                f"{name}: groups={groups} must be positive and divide in_channels={in_channels} and "
                f"out_channels={out_channels}"
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = ints(name, "kernel_size", kernel_size, 1, n)
        self.stride = ints(name, "stride", stride, 1, n)
        self.dilation = ints(name, "dilation", dilation, 1, n)
        self.output_padding = ints(name, "output_padding", output_padding, 0, n)
        self.groups = groups
        if padding_mode not in PADDING_MODES:
            raise DomainError(f"{name}: padding_mode must be one of {PADDING_MODES}, got {padding_mode!r}")
        if self.transposed and (padding_mode != "zeros" or isinstance(padding, str)):
            raise DomainError(
                f"{name}: only integer padding with padding_mode 'zeros' is supported, as in PyTorch; got "
                f"padding={padding!r}, padding_mode={padding_mode!r}"
            )
        self.padding_mode = padding_mode
        if isinstance(padding, str):
            gates.conv.string_padding(name, padding, self.stride, self.kernel_size, self.dilation)
            self.padding: tuple[int, ...] | str = padding
        else:
            self.padding = ints(name, "padding", padding, 0, n)
        self.weight = empty_parameter(*self.weight_shape(), dtype=dtype)
        if bias:
            self.bias = empty_parameter(out_channels, dtype=dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def weight_shape(self) -> tuple[int, ...]:
        """The weight's shape for the current channel counts."""
        if self.transposed:
            return (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        return (self.out_channels, self.in_channels // self.groups, *self.kernel_size)

    def reset_parameters(self) -> None:
        """Draw the weight and bias again from their default distributions."""
        init.default_weight_and_bias_(self.weight, self.bias)

    def _conv_args(self, input: Tensor) -> tuple[Tensor, tuple[int, ...] | str]:
        """The input and the padding to convolve it with: padded by padding_mode unless 'zeros'."""
        if self.padding_mode == "zeros":
            return input, self.padding
        if isinstance(self.padding, str):
            sides = gates.conv.string_padding(
                type(self).__name__, self.padding, self.stride, self.kernel_size, self.dilation
            )
        else:
            sides = tuple((p, p) for p in self.padding)
        widths = [w for side in reversed(sides) for w in side]
        return F.pad(input, widths, mode=self.padding_mode), (0,) * self.spatial

    def extra_repr(self) -> str:
        n = self.spatial
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0,) * n:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text if self.padding_mode == "zeros" else text + f", padding_mode={self.padding_mode}"


class Conv1d(_ConvNd):
    """1-d cross-correlation: (N, C_in, L) or (C_in, L) → (N, C_out, L_out) or (C_out, L_out), with
    L_out = ⌊(L + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1 (`F.conv1d`)."""

    spatial, transposed = 1, False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntTuple,
        stride: IntTuple = 1,
        padding: IntTuple | str = 0,
        dilation: IntTuple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, 0, groups, bias, padding_mode, dtype
        )

    def forward(self, input: Tensor) -> Tensor:
        x, padding = self._conv_args(input)
        return F.conv1d(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class Conv2d(_ConvNd):
    """2-d cross-correlation: (N, C_in, H, W) or (C_in, H, W) → (N, C_out, H_out, W_out) or
    (C_out, H_out, W_out), with H_out = ⌊(H + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1
    (`autograd.conv2d`)."""

    spatial, transposed = 2, False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair | str = 0,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, 0, groups, bias, padding_mode, dtype
        )

    def forward(self, input: Tensor) -> Tensor:
        x, padding = self._conv_args(input)
        return F.conv2d(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class _ConvTransposeNd(_ConvNd):
    """A transposed convolution (the adjoint of the convolution in its input; see nn/functional/conv.py):
    H_out = (H − 1)·stride − 2·padding + dilation·(kernel − 1) + output_padding + 1 per spatial dim.
    `forward(input, output_size=None)` takes the output size instead of `output_padding`, as PyTorch's:
    the spatial sizes (or all sizes, batch and channels first), each between the size with
    output_padding 0 and that plus stride − 1."""

    transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntTuple,
        stride: IntTuple = 1,
        padding: IntTuple = 0,
        output_padding: IntTuple = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: IntTuple = 1,
        padding_mode: str = "zeros",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            in_channels,
            out_channels,
            kernel_size,
            stride,
            padding,
            dilation,
            output_padding,
            groups,
            bias,
            padding_mode,
            dtype,
        )

    def _output_padding(self, input: Tensor, output_size: Any) -> tuple[int, ...]:
        """`output_padding`, or the one that gives `output_size` (PyTorch's rule and range)."""
        if output_size is None:
            return self.output_padding
        name, n = type(self).__name__, self.spatial
        batched = input.ndim == n + 2
        sizes = tuple(output_size)
        if len(sizes) == n + 1 + batched:
            sizes = sizes[1 + batched :]
        if len(sizes) != n or input.ndim not in (n + 1, n + 2):
            raise ShapeError(
                f"{name}: for a {input.ndim}-d input, output_size must have {n} or {n + 1 + batched} elements, "
                f"got {tuple(output_size)}"
            )
        lows = tuple(
            (size - 1) * s - 2 * p + d * (k - 1) + 1
            for size, s, p, d, k in zip(input.shape[-n:], self.stride, self.padding, self.dilation, self.kernel_size)
        )
        highs = tuple(low + s - 1 for low, s in zip(lows, self.stride))
        if any(not low <= size <= high for size, low, high in zip(sizes, lows, highs)):
            raise ShapeError(
                f"{name}: requested an output size of {sizes}, but valid sizes range from {lows} to {highs} "
                f"(for an input of spatial size {input.shape[-n:]})"
            )
        return tuple(size - low for size, low in zip(sizes, lows))

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        conv_transpose = F.conv_transpose1d if self.spatial == 1 else F.conv_transpose2d
        output_padding = self._output_padding(input, output_size)
        return conv_transpose(
            input, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups, self.dilation
        )


class ConvTranspose1d(_ConvTransposeNd):
    """Transposed 1-d convolution: (N, C_in, L) or (C_in, L) → (N, C_out, L_out) or (C_out, L_out)
    (`F.conv_transpose1d`); `weight` is (in_channels, out_channels/groups, kL)."""

    spatial = 1


class ConvTranspose2d(_ConvTransposeNd):
    """Transposed 2-d convolution: (N, C_in, H, W) or (C_in, H, W) → (N, C_out, H_out, W_out) or
    (C_out, H_out, W_out) (`F.conv_transpose2d`); `weight` is (in_channels, out_channels/groups, kH, kW)."""

    spatial = 2
