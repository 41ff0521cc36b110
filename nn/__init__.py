"""circuitgrad's `nn` package (optimizers, data, training part; merged with the modules part)."""

from . import data, optim, utils
from .serialization import load, save

__all__ = ["data", "load", "optim", "save", "utils"]
