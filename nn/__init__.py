"""circuitgrad's `nn` package (optimizers, data, training part; merged with the modules part)."""

from . import optim, utils
from .serialization import load, save

__all__ = ["load", "optim", "save", "utils"]
