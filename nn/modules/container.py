"""Containers: `Sequential`, and `MLP`, a Sequential of Linear layers and activations."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from autograd.errors import ArgumentError, DomainError

from . import activation as activations
from .activation import ReLU
from .dropout import Dropout
from .linear import Linear
from .module import Module


class Sequential(Module):
    """Modules applied one after another. `Sequential(m0, m1, …)` names its children "0", "1", …
    (as PyTorch, so state-dict keys read "0.weight", "2.bias", …); `Sequential(OrderedDict(...))`
    uses the given names. Supports indexing (an int or a slice), len, iteration and append."""

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(modules):
                self.add_module(str(index), module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def _name_at(self, index: int) -> str:
        if not -len(self) <= index < len(self):
            raise IndexError(f"Sequential: index {index} is out of range for {len(self)} modules")
        return list(self._modules)[index % len(self)]

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        if isinstance(index, slice):
            return Sequential(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._name_at(index)]

    def __setitem__(self, index: int, module: Module) -> None:
        setattr(self, self._name_at(index), module)

    def append(self, module: Module) -> Sequential:
        """Add `module` at the end, named by its position."""
        self.add_module(str(len(self)), module)
        return self

    def forward(self, input: Any) -> Any:
        for module in self:
            input = module(input)
        return input


def _activation_named(name: Any) -> str:
    """The name of the activation class that matches `name` ("tanh" → "Tanh", "leaky_relu" →
    "LeakyReLU"), else "ReLU": for the hint in MLP's error message."""
    key = str(name).replace("_", "").lower()
    classes = (c for c in vars(activations).values() if isinstance(c, type) and issubclass(c, Module))
    return next((c.__name__ for c in classes if c.__name__.lower() == key and c is not Module), "ReLU")


class MLP(Sequential):
    """A multilayer perceptron: `MLP(in_features, [hidden…, out_features], activation=nn.ReLU)`.

    One Linear layer per entry of `layer_sizes`, each but the last followed by a fresh
    `activation()` (a Module class or any zero-argument callable returning a module, e.g.
    `lambda: nn.LeakyReLU(0.2)`; None for none) and, if `dropout` > 0, a Dropout. The last layer
    has no activation: its outputs are scores (logits) for a loss such as cross_entropy.

    It is a Sequential, so its state dict matches PyTorch's `nn.Sequential(Linear, ReLU, Linear, …)`:
    the Linear layers are children "0", "2", "4", … ("0", "3", "6", … with dropout). A 3-4-2 MLP,
    `MLP(3, [4, 2])`, has 3·4 + 4 + 4·2 + 2 = 26 parameters.
    """

    def __init__(
        self,
        in_features: int,
        layer_sizes: Sequence[int],
        activation: Callable[[], Module] | None = ReLU,
        *,
        bias: bool = True,
        dropout: float = 0.0,
        dtype: Any = None,
    ) -> None:
        if not layer_sizes:
            raise DomainError(f"MLP: layer_sizes needs at least one entry (the output size), got {layer_sizes!r}")
        if isinstance(activation, Module):
            raise ArgumentError(
                f"MLP: pass the activation's class or a factory (e.g. nn.ReLU), not an instance "
                f"({activation!r}): every hidden layer gets its own"
            )
        if activation is not None and not callable(activation):
            raise ArgumentError(
                f"MLP: activation must be a Module class or a factory returning a module "
                f"(e.g. nn.{_activation_named(activation)}), not {activation!r}"
            )
        layers: list[Module] = []
        sizes = [in_features, *layer_sizes]
        for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
            layers.append(Linear(n_in, n_out, bias=bias, dtype=dtype))
            if i < len(layer_sizes) - 1:
                if activation is not None:
                    layers.append(activation())
                if dropout > 0:
                    layers.append(Dropout(dropout))
        super().__init__(*layers)
