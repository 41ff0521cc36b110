"""Devices, as a no-op: the engine runs on the CPU (NumPy), so `device("cpu")`, `device=` on the
factories, `.to("cpu")` and `.cpu()` are accepted and change nothing, and `cuda.is_available()` is
False. Asking for another device is a `DeviceError` that says so, not a silent CPU run."""

from __future__ import annotations

from typing import Any

from .errors import ArgumentError, DeviceError

KNOWN = ("cpu", "cuda", "mps", "xpu", "meta")


class device:
    """PyTorch's `torch.device`: `device("cpu")`, `device("cuda:0")`, `device("cuda", 0)`."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002  (PyTorch's name)
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise ArgumentError(f"device: expected a device name such as 'cpu', got {type!r}")
        name, _, number = type.partition(":")
        if name not in KNOWN or (number and not number.isdigit()):
            raise ArgumentError(f"device: unknown device {type!r}; expected 'cpu' (or a name such as 'cuda:0')")
        self.type = name
        self.index = int(number) if number else index

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


def check_device(op: str, where: Any) -> None:
    """Accept None, "cpu" or a cpu `device`; anything else is a DeviceError naming `op`."""
    if where is None:
        return
    d = device(where) if isinstance(where, (str, device)) else None
    if d is None:
        raise ArgumentError(f"{op}: device must be a string such as 'cpu' or an autograd.device, got {where!r}")
    if d.type != "cpu":
        raise DeviceError(
            f"{op}: device {str(d)!r} is not available; this engine computes with NumPy on the CPU only. "
            "Use device='cpu' (or leave it out): autograd.cuda.is_available() is False"
        )


class cuda:
    """PyTorch's `torch.cuda`, answering as a machine without a GPU does."""

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def device_count() -> int:
        return 0

    @staticmethod
    def manual_seed(seed: int) -> None:
        """Nothing to seed (as PyTorch without CUDA, it is silently ignored)."""

    manual_seed_all = manual_seed
