"""Convolution for images (N, C, H, W), with PyTorch's names, arguments, attributes, state-dict keys
and initialisations."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from autograd.errors import ShapeError
from autograd.extend import pair

from .. import functional as F
from .. import init
from .module import Module, check_sizes, empty_parameter

IntPair = int | tuple[int, int]


class Conv2d(Module):
    """2-d cross-correlation: (N, C_in, H, W) → (N, C_out, H_out, W_out), with
    H_out = ⌊(H + 2·padding − dilation·(kernel − 1) − 1)/stride⌋ + 1 (`autograd.conv2d`).

    `weight` is (out_channels, in_channels/groups, kH, kW) and `bias` (out_channels,). Both start as
    PyTorch's: U(−1/√fan_in, 1/√fan_in) with fan_in = in_channels/groups · kH · kW
    (kaiming_uniform_ with a = √5 for the weight), from autograd's default generator.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair = 0,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_sizes("Conv2d", in_channels=in_channels, out_channels=out_channels, groups=groups)
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ShapeError(
                f"Conv2d: groups={groups} must be positive and divide in_channels={in_channels} and "
                f"out_channels={out_channels}"
            )
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = pair("Conv2d", "kernel_size", kernel_size, 1)
        self.stride = pair("Conv2d", "stride", stride, 1)
        self.padding = pair("Conv2d", "padding", padding, 0)
        self.dilation = pair("Conv2d", "dilation", dilation, 1)
        self.groups = groups
        self.weight = empty_parameter(out_channels, in_channels // groups, *self.kernel_size, dtype=dtype)
        if bias:
            self.bias = empty_parameter(out_channels, dtype=dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again from their default distributions."""
        init.default_weight_and_bias_(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text if self.bias is not None else text + ", bias=False"
