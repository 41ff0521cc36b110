"""nn's modules, one file per family as PyTorch's `torch/nn/modules/`; `nn` re-exports each class."""

from .activation import ELU, LeakyReLU, LogSoftmax, PReLU, ReLU, Sigmoid, Softmax, Softplus, Tanh
from .container import MLP, Sequential
from .conv import Conv2d
from .dropout import Dropout, Dropout2d
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CosineEmbeddingLoss,
    CrossEntropyLoss,
    GaussianNLLLoss,
    HingeEmbeddingLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MarginRankingLoss,
    MSELoss,
    MultiLabelMarginLoss,
    MultiLabelSoftMarginLoss,
    MultiMarginLoss,
    NLLLoss,
    PoissonNLLLoss,
    SmoothL1Loss,
    SoftMarginLoss,
    TripletMarginLoss,
)
from .module import IncompatibleKeys, Module, Parameter, StateDictError
from .normalization import BatchNorm1d, BatchNorm2d
from .pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d

__all__ = [
    "AdaptiveAvgPool2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "BatchNorm2d", "Conv2d",
    "CosineEmbeddingLoss", "CrossEntropyLoss", "Dropout", "Dropout2d", "ELU", "Flatten", "GaussianNLLLoss",
    "HingeEmbeddingLoss", "HuberLoss", "Identity", "IncompatibleKeys", "KLDivLoss", "L1Loss", "LeakyReLU", "Linear",
    "LogSoftmax", "MLP", "MSELoss", "MarginRankingLoss", "MaxPool2d", "Module", "MultiLabelMarginLoss",
    "MultiLabelSoftMarginLoss", "MultiMarginLoss", "NLLLoss", "PReLU", "Parameter", "PoissonNLLLoss", "ReLU",
    "Sequential", "Sigmoid", "SmoothL1Loss", "SoftMarginLoss", "Softmax", "Softplus", "StateDictError", "Tanh",
    "TripletMarginLoss",
]  # fmt: skip
