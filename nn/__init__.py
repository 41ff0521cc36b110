"""circuitgrad's neural-network package: modules, layers, losses and initialisers on the
autograd engine, with PyTorch's names, shapes and defaults.

    import nn
    import nn.functional as F

    model = nn.MLP(64, [128, 10])           # Linear(64,128) → ReLU → Linear(128,10)
    loss = F.cross_entropy(model(x), y)
    model.zero_grad(); loss.backward()
"""

from . import functional, init
from .activation import ELU, PReLU, ReLU, LeakyReLU, LogSoftmax, Sigmoid, Softmax, Softplus, Tanh
from .container import MLP, Sequential
from .layers import Dropout, Flatten, Identity, Linear
from .losses import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    MultiMarginLoss,
    NLLLoss,
    SmoothL1Loss,
)
from .module import IncompatibleKeys, Module, Parameter, StateDictError
from .normalization import BatchNorm1d

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "CrossEntropyLoss",
    "Dropout",
    "ELU",
    "Flatten",
    "Identity",
    "IncompatibleKeys",
    "L1Loss",
    "LeakyReLU",
    "Linear",
    "LogSoftmax",
    "MLP",
    "MSELoss",
    "Module",
    "MultiMarginLoss",
    "NLLLoss",
    "PReLU",
    "Parameter",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "SmoothL1Loss",
    "Softmax",
    "Softplus",
    "StateDictError",
    "Tanh",
    "functional",
    "init",
]
