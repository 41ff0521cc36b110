"""LeNet-5 for 28×28 (padded) or 32×32 images."""

from __future__ import annotations

from typing import Any

from ..modules import Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential


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
