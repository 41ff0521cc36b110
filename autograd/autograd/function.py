"""`torch.autograd.Function` as PyTorch defines it: `forward` and `backward` both on Tensors.

The engine's own gates (`autograd.Function`, `autograd.extend.Function`) compute `forward` on NumPy
arrays. A custom Function ported from PyTorch calls Tensor methods in its forward (`i.exp()`,
`input.clamp(min=0)`) and returns a Tensor; this subclass runs such a forward on Tensors over the
inputs' memory with grad mode off, as PyTorch does, and gives the engine the array of the Tensor it
returns. An input or the output saved with `ctx.save_for_backward` comes back from
`ctx.saved_tensors` as the graph's own Tensor, so `create_graph=True` differentiates through the
backward. PyTorch's newer form, `forward(*args)` without ctx plus
`setup_context(ctx, inputs, output)`, works too.

One difference: a gate here has one output, so a forward that returns a tuple is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import ArgumentError
from ..function import Function as Gate
from ..grad_mode import no_grad
from ..tensor import Tensor


class Function(Gate):
    """Subclass with `@staticmethod forward(ctx, *inputs)` and `@staticmethod backward(ctx, *grads)`,
    both on Tensors, and call `YourFunction.apply(*inputs)`, as in PyTorch."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "forward" in cls.__dict__:
            cls.forward = staticmethod(_on_tensors(cls, cls.__dict__["forward"]))

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> None:
        """PyTorch's newer form: override it and write `forward(*inputs)` without ctx."""
        raise NotImplementedError

    def save_for_backward(self, *values: Any) -> None:
        """Keep Tensors for the backward; an input or the output comes back as the graph's Tensor."""
        self.saved = tuple([v._data if isinstance(v, Tensor) else v for v in values])


def _on_tensors(cls: type, forward: Any) -> Callable[..., np.ndarray]:
    """The engine's array forward for `cls`, running the user's Tensor `forward`."""
    user = forward.__func__ if isinstance(forward, (staticmethod, classmethod)) else forward
    separate = any("setup_context" in vars(c) for c in cls.__mro__ if c is not Function and issubclass(c, Function))

    def array_forward(ctx: Any, *arrays: Any, **params: Any) -> np.ndarray:
        inputs = tuple([Tensor._wrap(a) if isinstance(a, np.ndarray) else a for a in arrays])
        with no_grad():
            if separate:
                out = user(*inputs, **params)
                cls.setup_context(ctx, inputs, out)  # type: ignore[attr-defined]
            else:
                out = user(ctx, *inputs, **params)
        if isinstance(out, (tuple, list)):
            raise ArgumentError(
                f"{cls.__name__}.forward returned {len(out)} outputs: a gate of this engine has one output; "
                "return one Tensor (e.g. torch.stack or torch.cat of the outputs, split after apply)"
            )
        if not isinstance(out, Tensor):
            raise ArgumentError(f"{cls.__name__}.forward must return a Tensor, got {type(out).__name__}")
        return out._data

    return array_forward
