"""`autograd.utils`: PyTorch's `torch.utils`; `autograd.utils.data` is the `nn.data` package."""

from importlib import import_module
from typing import Any


def __getattr__(name: str) -> Any:
    if name == "data":
        return import_module("autograd.utils.data")
    raise AttributeError(f"module 'autograd.utils' has no attribute {name!r}")
