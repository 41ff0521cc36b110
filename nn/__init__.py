"""circuitgrad's neural-network package: modules, layers, losses and initialisers on the
autograd engine, with PyTorch's names, shapes and defaults; optimizers (`nn.optim`), data
(`nn.data`), ready-made image classifiers (`nn.models`), gradient clipping (`nn.utils`),
metrics (`nn.metrics`), pickle-free `save` / `load`.

    import nn
    import nn.functional as F

    model = nn.MLP(64, [128, 10])           # Linear(64,128) → ReLU → Linear(128,10)
    loss = F.cross_entropy(model(x), y)
    model.zero_grad(); loss.backward()
"""

from . import data, functional, init, metrics, models, modules, optim, parameter, utils
from .modules import *  # noqa: F403  (every module class: nn.Linear, nn.ModuleList, ...)
from .serialization import load, save

__all__ = [
    *modules.__all__,
    "data",
    "functional",
    "init",
    "load",
    "metrics",
    "models",
    "modules",
    "optim",
    "parameter",
    "save",
    "utils",
]
