"""Ready-made image classifiers, as `Sequential`s (so their state-dict keys are the positional ones
PyTorch's `nn.Sequential` of the same layers has): `LeNet5`, `SmallVGG`, and the notes'
Keras-style MNIST network `KerasMNIST`.

Each takes (N, in_channels, H, W) images and returns (N, num_classes) scores (logits).
"""

from .keras_mnist import KerasMNIST
from .lenet import LeNet5
from .vgg import SmallVGG, vgg_block

__all__ = ["KerasMNIST", "LeNet5", "SmallVGG", "vgg_block"]
