"""`nn.data`: PyTorch's `torch.utils.data` (datasets, samplers, `default_collate`, a `DataLoader`
with worker processes), transforms, the shipped digits and text corpora, synthetic sets and file
readers."""

from .collate import default_collate, default_convert
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)
from . import text
from .corpora import load_names, load_text
from .datasets import Splits, digits_splits, load_digits, make_moons, make_spirals
from .loader import DataLoader
from .readers import CIFAR10_CLASSES, load_cifar10, load_mnist, read_cifar10_batch, read_idx
from .sampler import (
    BatchSampler,
    RandomSampler,
    Sampler,
    SequentialSampler,
    SubsetRandomSampler,
    WeightedRandomSampler,
)
from .transforms import Compose, RandomCrop, RandomHorizontalFlip, Standardize, one_hot, resize
from .worker import WorkerError, WorkerInfo, get_worker_info

__all__ = [
    "BatchSampler",
    "CIFAR10_CLASSES",
    "ChainDataset",
    "Compose",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
    "RandomCrop",
    "RandomHorizontalFlip",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "Splits",
    "Standardize",
    "Subset",
    "SubsetRandomSampler",
    "TensorDataset",
    "WeightedRandomSampler",
    "WorkerError",
    "WorkerInfo",
    "default_collate",
    "default_convert",
    "digits_splits",
    "get_worker_info",
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
    "text",
]
