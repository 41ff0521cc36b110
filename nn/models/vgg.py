"""A small VGG: blocks of 3×3 convolutions with BatchNorm and ReLU, then max pooling."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.errors import DomainError

from ..modules import AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential


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
