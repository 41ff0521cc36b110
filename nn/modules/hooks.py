"""Full backward hooks, as PyTorch's `Module.register_full_backward_hook` / `_pre_hook`.

A call of a module that has them routes its positional Tensor inputs and its Tensor outputs (one, or a
tuple) through identity gates, `BackwardHookFunction`, all tied to one `_Gather` node per side. The
engine fires a node only when its value's gradient is complete, and each `_Gather` node is upstream
of all of its side's identity gates: so when it fires, every gradient of that side has arrived, and
the hooks see them together, as PyTorch's do:

- outputs: `pre_hook(module, grad_output)` (may return a replacement grad_output); the gradients then
  flow into the module's computation, so a replacement changes its parameters' gradients too;
- inputs: `hook(module, grad_input, grad_output)` (may return a replacement grad_input): it changes
  what flows on to the inputs, not the parameters' gradients, which are already computed.

Entries are None for a non-Tensor argument and for an output that got no gradient; a Tensor input
that does not require grad gets zeros while another input does (as PyTorch). If no input requires
grad, the hooks fire with the outputs' gradients and grad_input all None, with PyTorch's warning.
The identity gates share the tensors' memory, so changing a hooked module's input or output in
place is refused at backward time, as PyTorch refuses it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd import Tensor, is_grad_enabled
from autograd.errors import GraphError
from autograd.extend import Function, wrap


class BackwardHookFunction(Function):
    """z = x  ·  dz/dx goes through the call's `_Gather` node: this gate hands its gradient to the call
    (and a zero to the node, which orders the engine) instead of passing it to x."""

    def forward(self, x: np.ndarray, token: np.ndarray, *, call: HookedCall, side: int, index: int) -> np.ndarray:
        self.call, self.side, self.index = call, side, index
        return x

    def backward(self, g: Tensor) -> tuple[None, Tensor]:
        self.call.received[self.side][self.index] = g
        return None, wrap(np.zeros(()))


class _Gather(Function):
    """token = 0, depending on every tensor of one side of a call  ·  its backward runs the hooks of that
    side on all of the side's gradients and returns the (possibly replaced) gradient for each tensor."""

    def forward(self, *arrays: np.ndarray, call: HookedCall, side: int) -> np.ndarray:
        self.call, self.side = call, side
        return np.zeros(())

    def backward(self, g: Tensor) -> tuple[Tensor | None, ...]:
        return self.call.fire_outputs() if self.side == OUTPUTS else self.call.fire_inputs()


INPUTS, OUTPUTS = 0, 1


class HookedCall:
    """One call of a module with full backward hooks: which of its inputs and outputs are routed, and
    the gradients gathered for them in the backward pass. The hooks are those registered at the call."""

    def __init__(self, module: Any, hooks: list[Callable[..., Any]], pre_hooks: list[Callable[..., Any]]) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.args: tuple[Any, ...] = ()
        self.routed: list[list[int]] = [[], []]  # per side, the positions routed through the gates
        self.received: list[dict[int, Tensor]] = [{}, {}]
        self.n_outputs = 0
        self.grad_output: tuple[Tensor | None, ...] = ()

    def _route(self, side: int, values: Sequence[Any]) -> list[Any]:
        positions = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        self.routed[side] = positions
        if not positions:
            return list(values)
        token = _Gather.apply(*[values[i] for i in positions], call=self, side=side)
        routed = list(values)
        for i in positions:
            routed[i] = BackwardHookFunction.apply(values[i], token, call=self, side=side, index=i)
        return routed

    def setup_inputs(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        self.args = args
        return tuple(self._route(INPUTS, args)) if self.hooks else args  # (pre-hooks need the outputs only)

    def setup_outputs(self, output: Any) -> Any:
        if isinstance(output, Tensor):
            self.n_outputs = 1
            return self._route(OUTPUTS, [output])[0]
        if isinstance(output, tuple):
            self.n_outputs = len(output)
            return tuple(self._route(OUTPUTS, output))
        return output  # (as PyTorch: the hooks see only a Tensor or a tuple)

    def _replaced(self, what: str, grads: tuple[Any, ...], result: Any) -> tuple[Any, ...]:
        if result is None:
            return grads
        result = (result,) if isinstance(result, Tensor) else tuple(result)
        if len(result) != len(grads):
            raise GraphError(
                f"{type(self.module).__name__}: a backward hook returned {len(result)} value(s) for {what}, "
                f"expected {len(grads)} (one per entry, None for no gradient)"
            )
        return result

    def fire_outputs(self) -> tuple[Tensor | None, ...]:
        grads = tuple(self.received[OUTPUTS].get(i) for i in range(self.n_outputs))
        self.received[OUTPUTS] = {}
        for pre_hook in self.pre_hooks:
            grads = self._replaced("grad_output", grads, pre_hook(self.module, grads))
        self.grad_output = grads
        if not self.routed[INPUTS]:
            if self.hooks:
                warnings.warn(
                    f"{type(self.module).__name__}: its full backward hook fires with the outputs' gradients only "
                    "(grad_input all None), since no input requires grad",
                    UserWarning,
                    stacklevel=2,
                )
            self._run_hooks((None,) * len(self.args))
        return tuple(grads[i] for i in self.routed[OUTPUTS])

    def fire_inputs(self) -> tuple[Tensor | None, ...]:
        received, self.received[INPUTS] = self.received[INPUTS], {}
        grads = tuple(
            received.get(i, _zeros(a)) if i in self.routed[INPUTS] else (_zeros(a) if isinstance(a, Tensor) else None)
            for i, a in enumerate(self.args)
        )
        grads = self._run_hooks(grads)
        return tuple(grads[i] for i in self.routed[INPUTS])

    def _run_hooks(self, grads: tuple[Any, ...]) -> tuple[Any, ...]:
        for hook in self.hooks:
            grads = self._replaced("grad_input", grads, hook(self.module, grads, self.grad_output))
        return grads


def hooked_call(module: Any) -> HookedCall | None:
    """The call's backward-hook state, if the module has full backward hooks and grad mode is on; the
    hooks are those registered now, as PyTorch's."""
    hooks = [h for h, _ in module.__dict__.get("_backward_hooks", {}).values()]
    pre_hooks = [h for h, _ in module.__dict__.get("_backward_pre_hooks", {}).values()]
    return HookedCall(module, hooks, pre_hooks) if (hooks or pre_hooks) and is_grad_enabled() else None


def _zeros(t: Tensor) -> Tensor:
    return wrap(np.zeros_like(t.numpy()))
