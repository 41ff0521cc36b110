"""Whether gates record themselves into the graph: `no_grad`, `enable_grad`, `set_grad_enabled`."""

from __future__ import annotations

import functools
import threading
from typing import Any, TypeVar
from collections.abc import Callable

from .errors import ArgumentError

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode(threading.local):
    """The switch read by every gate call, one per thread (as in PyTorch): a `no_grad` block in one
    thread leaves the others recording. A new thread starts with recording on."""

    enabled = True


GradMode = _GradMode()


def is_grad_enabled() -> bool:
    return GradMode.enabled


class _Mode:
    """Context manager and decorator that turns recording on or off inside its block."""

    def __init__(self, mode: bool) -> None:
        self.mode = bool(mode)
        self.prev: list[bool] = []

    def __enter__(self) -> None:
        self.prev.append(GradMode.enabled)
        GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        GradMode.enabled = self.prev.pop()

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _Mode(self.mode):  # a fresh context per call: the decorated function may recurse
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class set_grad_enabled(_Mode):
    """PyTorch's `set_grad_enabled(mode)`: the call itself switches recording on or off, so a plain
    `set_grad_enabled(False)` statement works; as a `with` block it restores the previous mode at
    the end; as a decorator it switches only while the function runs."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, (bool, int)):
            raise ArgumentError(f"set_grad_enabled: mode must be a bool, got {type(mode).__name__}")
        super().__init__(mode)
        self.outer = GradMode.enabled
        GradMode.enabled = self.mode

    def __enter__(self) -> None:
        self.prev.append(self.outer)  # the call has switched already

    def __call__(self, fn: F) -> F:
        GradMode.enabled = self.outer  # decorating switches nothing outside the function
        return super().__call__(fn)


class _BareDecorator(_Mode):
    """A mode without arguments, usable as `@mode()` and, as in PyTorch 2, as a bare `@mode`."""

    def __new__(cls, fn: Callable[..., Any] | None = None) -> Any:
        if fn is None:
            return super().__new__(cls)
        if not callable(fn):
            raise ArgumentError(f"{cls.__name__}() takes no arguments; as a decorator it wraps a function, not {fn!r}")
        return cls()(fn)


class no_grad(_BareDecorator):
    """Record nothing inside the block: results have no grad_fn and do not require grad."""

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(_BareDecorator):
    """Record gates again inside a `no_grad` block."""

    def __init__(self) -> None:
        super().__init__(True)


class inference_mode(_Mode):
    """PyTorch's `inference_mode(mode=True)`: here the same as `no_grad()` (nothing is recorded);
    `inference_mode(False)` records. A context manager and a decorator, with or without `()`."""

    def __new__(cls, mode: Any = True) -> Any:
        if callable(mode):  # @inference_mode without parentheses
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        if not isinstance(mode, (bool, int)):
            raise ArgumentError(f"inference_mode: mode must be a bool, got {type(mode).__name__}")
        super().__init__(not mode)
