"""The notes' Keras-style MNIST network."""

from __future__ import annotations

from typing import Any

from ..modules import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential


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
