"""circuitgrad's neural-network package: modules, layers, losses and initialisers on the
autograd engine, with PyTorch's names, shapes and defaults; optimizers (`nn.optim`), data
(`nn.data`), ready-made image classifiers (`nn.models`), gradient clipping (`nn.utils`),
pickle-free `save` / `load`.

    import nn
    import nn.functional as F

    model = nn.MLP(64, [128, 10])           # Linear(64,128) → ReLU → Linear(128,10)
    loss = F.cross_entropy(model(x), y)
    model.zero_grad(); loss.backward()
"""

from . import data, functional, init, models, modules, optim, utils
from .modules import (
    ELU,
    MLP,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    BCELoss,
    BCEWithLogitsLoss,
    Conv2d,
    CrossEntropyLoss,
    Dropout,
    Dropout2d,
    Flatten,
    Identity,
    IncompatibleKeys,
    L1Loss,
    LeakyReLU,
    Linear,
    LogSoftmax,
    MaxPool2d,
    Module,
    MSELoss,
    MultiMarginLoss,
    NLLLoss,
    Parameter,
    PReLU,
    ReLU,
    Sequential,
    Sigmoid,
    SmoothL1Loss,
    Softmax,
    Softplus,
    StateDictError,
    Tanh,
)  # fmt: skip
from .serialization import load, save

__all__ = [
    "AdaptiveAvgPool2d",
    "AvgPool2d",
    "BCELoss",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "BatchNorm2d",
    "Conv2d",
    "CrossEntropyLoss",
    "Dropout",
    "Dropout2d",
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
    "MaxPool2d",
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
    "data",
    "functional",
    "init",
    "load",
    "models",
    "modules",
    "optim",
    "save",
    "utils",
]
