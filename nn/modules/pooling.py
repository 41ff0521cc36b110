"""Pooling for images (N, C, H, W): max, average and adaptive average, as PyTorch's."""

from __future__ import annotations

from autograd import Tensor

from .. import functional as F
from .module import Module

IntPair = int | tuple[int, int]


class _Pool2d(Module):
    """A pooling window: `stride` defaults to `kernel_size` (as in PyTorch)."""

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """The maximum of each window (padding is −∞); the gradient goes to the window's maximum, the
    first one in row-major order on a tie."""

    def forward(self, input: Tensor) -> Tensor:
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """The mean of each window, zero padding included (PyTorch's count_include_pad=True)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding)


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed `output_size` (an int, or a pair whose None entries keep the
    input's size) whatever the input size; `AdaptiveAvgPool2d(1)` is global average pooling."""

    def __init__(self, output_size: int | tuple[int | None, int | None]) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return F.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
