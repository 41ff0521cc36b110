"""`nn.data`: datasets, batching, transforms, the shipped digits, synthetic sets and file readers."""

from .corpora import load_names, load_text
from .datasets import Splits, digits_splits, load_digits, make_moons, make_spirals
from .dataset import Dataset, Subset, TensorDataset, collate, random_split
from .loader import DataLoader
from .readers import CIFAR10_CLASSES, load_cifar10, load_mnist, read_cifar10_batch, read_idx
from .transforms import Compose, RandomCrop, RandomHorizontalFlip, Standardize, one_hot, resize

__all__ = [
    "CIFAR10_CLASSES",
    "Compose",
    "DataLoader",
    "Dataset",
    "RandomCrop",
    "RandomHorizontalFlip",
    "Splits",
    "Standardize",
    "Subset",
    "TensorDataset",
    "collate",
    "digits_splits",
    "load_cifar10",
    "load_digits",
    "load_mnist",
    "load_names",
    "load_text",
    "make_moons",
    "make_spirals",
    "one_hot",
    "random_split",
    "read_cifar10_batch",
    "read_idx",
    "resize",
]
