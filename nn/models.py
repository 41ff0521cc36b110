"""Ready-made image classifiers, as `Sequential`s (so their state-dict keys are the positional ones
PyTorch's `nn.Sequential` of the same layers has): `LeNet5`, `SmallVGG`, and the notes'
Keras-style MNIST network `KerasMNIST`.

Each takes (N, in_channels, H, W) images and returns (N, num_classes) scores (logits).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.errors import DomainError

from .activation import ReLU
from .container import Sequential
from .conv import AdaptiveAvgPool2d, Conv2d, MaxPool2d
from .layers import Flatten, Linear
from .module import Module
from .normalization import BatchNorm2d


class LeNet5(Sequential):
    """LeNet-5 as in the notes, with ReLU and max pooling: conv 6@5×5 pad 2 → pool 2 → conv 16@5×5 →
    pool 2 → 120 → 84 → num_classes. For 28×28 inputs (MNIST's size): 28 → 28 → 14 → 10 → 5, so the
    first Linear layer sees 16·5·5 = 400 features; 61,706 parameters for one channel and ten
    classes."""

    image_size: int = 28  # the side of the square images it is built for (nn.cli resizes the digits to it)

    def __init__(self, in_channels: int = 1, num_classes: int = 10, dtype: Any = None) -> None:
        super().__init__(
            Conv2d(in_channels, 6, 5, padding=2, dtype=dtype),
            ReLU(),
            MaxPool2d(2),
            Conv2d(6, 16, 5, dtype=dtype),
            ReLU(),
            MaxPool2d(2),
            Flatten(),
            Linear(16 * 5 * 5, 120, dtype=dtype),
            ReLU(),
            Linear(120, 84, dtype=dtype),
            ReLU(),
            Linear(84, num_classes, dtype=dtype),
        )


def vgg_block(in_channels: int, out_channels: int, convs: int = 2, dtype: Any = None) -> list[Module]:
    """`convs` × (3×3 conv, padding 1, no bias → BatchNorm2d → ReLU), then 2×2 max pooling: the
    spatial size halves, the channels become `out_channels`. (The conv has no bias because the
    batch norm right after it subtracts the mean anyway.)"""
    layers: list[Module] = []
    for i in range(convs):
        layers += [
            Conv2d(in_channels if i == 0 else out_channels, out_channels, 3, padding=1, bias=False, dtype=dtype),
            BatchNorm2d(out_channels, dtype=dtype),
            ReLU(),
        ]
    return [*layers, MaxPool2d(2)]


class SmallVGG(Sequential):
    """A small VGG-style network: one `vgg_block` per entry of `widths` (two 3×3 conv-BN-ReLU
    layers and a 2×2 max pool each), global average pooling, and one Linear layer to the classes.
    Any input of at least 2^len(widths) pixels a side works; for 16×16 digits with the default
    widths (32, 64): 16 → 8 → 4 → 1."""

    image_size: int = 16  # the size nn.cli trains it at (any size of at least 4 works)

    def __init__(
        self, in_channels: int = 1, num_classes: int = 10, widths: Sequence[int] = (32, 64), dtype: Any = None
    ) -> None:
        if not widths:
            raise DomainError(f"SmallVGG: widths needs at least one entry (one per VGG block), got {widths!r}")
        layers: list[Module] = []
        for n_in, n_out in zip([in_channels, *widths], widths):
            layers += vgg_block(n_in, n_out, dtype=dtype)
        super().__init__(*layers, AdaptiveAvgPool2d(1), Flatten(), Linear(widths[-1], num_classes, dtype=dtype))


class KerasMNIST(Sequential):
    """The notes' Keras-style MNIST network: Conv2d(1, 32, 4) → ReLU → MaxPool2d(3) →
    Conv2d(32, 64, 4) → ReLU → MaxPool2d(3) → Flatten → Linear(64, 64) → ReLU → Linear(64, 10);
    for 28×28 inputs 28 → 25 → 8 → 5 → 1, 38,186 parameters."""

    image_size: int = 28  # the side of the square images it is built for (nn.cli resizes the digits to it)

    def __init__(self, in_channels: int = 1, num_classes: int = 10, dtype: Any = None) -> None:
        super().__init__(
            Conv2d(in_channels, 32, 4, dtype=dtype),
            ReLU(),
            MaxPool2d(3),
            Conv2d(32, 64, 4, dtype=dtype),
            ReLU(),
            MaxPool2d(3),
            Flatten(),
            Linear(64, 64, dtype=dtype),
            ReLU(),
            Linear(64, num_classes, dtype=dtype),
        )
