"""Containers, as PyTorch's: `Sequential`, `ModuleList`, `ModuleDict`, `ParameterList`, `ParameterDict`;
and `MLP`, a Sequential of Linear layers and activations."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Self, overload

from autograd.errors import ArgumentError, DomainError

from . import activation as activations
from .activation import ReLU
from .dropout import Dropout
from .linear import Linear
from .module import Module, Parameter


class _ModuleSequence(Module):
    """What Sequential and ModuleList share: children named "0", "1", … (renumbered after an insert
    or a deletion, as PyTorch's), len, iteration, integer indexing, append, extend, insert, pop."""

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def _name_at(self, index: int) -> str:
        if isinstance(index, bool) or not isinstance(index, int):
            raise ArgumentError(f"{type(self).__name__}: an index must be an int or a slice, got {index!r}")
        if not -len(self) <= index < len(self):
            raise IndexError(f"{type(self).__name__}: index {index} is out of range for {len(self)} modules")
        return list(self._modules)[index % len(self)]

    def __setitem__(self, index: int, module: Module) -> None:
        setattr(self, self._name_at(index), module)

    def __delitem__(self, index: int | slice) -> None:
        names = list(self._modules)[index] if isinstance(index, slice) else [self._name_at(index)]
        self._renumber([m for name, m in self._modules.items() if name not in names])

    def _renumber(self, modules: list[Module]) -> None:
        for name in list(self._modules):
            delattr(self, name)
        for i, module in enumerate(modules):
            self.add_module(str(i), module)

    def append(self, module: Module) -> Self:
        """Add `module` at the end, named by its position."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> Self:
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)

    def pop(self, index: int = -1) -> Module:
        module = self[index]
        del self[index]
        return module


class Sequential(_ModuleSequence):
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

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        if isinstance(index, slice):
            return Sequential(OrderedDict(list(self._modules.items())[index]))
        return self._modules[self._name_at(index)]

    def forward(self, input: Any) -> Any:
        for module in self:
            input = module(input)
        return input


class ModuleList(_ModuleSequence):
    """A list of modules that is registered, so their parameters are trained, moved and saved
    (keys "0.weight", …), as PyTorch's; a plain list assigned to a module attribute is refused."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> ModuleList: ...

    def __getitem__(self, index: int | slice) -> Module | ModuleList:
        if isinstance(index, slice):
            return ModuleList(list(self._modules.values())[index])
        return self._modules[self._name_at(index)]

    def _child_lines(self) -> list[str]:
        """Runs of equal reprs folded, as PyTorch's: "(0-5): 6 x TransformerEncoderLayer(…)"."""
        runs: list[tuple[int, int, str]] = []
        for i, child in enumerate(self):
            text = repr(child)
            runs[-1:] = [(runs[-1][0], i, text)] if runs and runs[-1][2] == text else [*runs[-1:], (i, i, text)]
        return [
            (f"({a}): " if a == b else f"({a}-{b}): {b - a + 1} x ") + text.replace("\n", "\n  ") for a, b, text in runs
        ]

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])


class ModuleDict(Module):
    """A dict of modules that is registered (keys become the state-dict prefixes), as PyTorch's."""

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        if key not in self._modules:
            raise KeyError(f"ModuleDict has no module {key!r}; its keys are {list(self._modules)}")
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(key, str):
            raise ArgumentError(f"ModuleDict: keys must be strings, got {key!r}")
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        self[key]  # the KeyError naming the keys
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        for key, module in modules.items() if isinstance(modules, Mapping) else modules:
            self[key] = module

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        for key in list(self._modules):
            del self[key]


def _as_parameter(value: Any) -> Parameter:
    """A Tensor (or array) kept by ParameterList / ParameterDict becomes a Parameter, as PyTorch's."""
    return value if isinstance(value, Parameter) else Parameter(value)


class ParameterList(Module):
    """A list of parameters that is registered (keys "0", "1", …), as PyTorch's."""

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        for value in values or ():
            self.append(value)

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters.values())

    def __getitem__(self, index: int) -> Parameter:
        if not -len(self) <= index < len(self):
            raise IndexError(f"ParameterList: index {index} is out of range for {len(self)} parameters")
        return list(self._parameters.values())[index]

    def __setitem__(self, index: int, value: Any) -> None:
        self[index]  # the IndexError
        self.register_parameter(str(index % len(self)), _as_parameter(value))

    def append(self, value: Any) -> ParameterList:
        self.register_parameter(str(len(self)), _as_parameter(value))
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        for value in values:
            self.append(value)
        return self


class ParameterDict(Module):
    """A dict of parameters that is registered (keys become state-dict keys), as PyTorch's."""

    def __init__(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None) -> None:
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Parameter:
        if key not in self._parameters:
            raise KeyError(f"ParameterDict has no parameter {key!r}; its keys are {list(self._parameters)}")
        return self._parameters[key]

    def __setitem__(self, key: str, value: Any) -> None:
        if not isinstance(key, str):
            raise ArgumentError(f"ParameterDict: keys must be strings, got {key!r}")
        self.register_parameter(key, _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        self[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __contains__(self, key: object) -> bool:
        return key in self._parameters

    def keys(self) -> Iterable[str]:
        return self._parameters.keys()

    def values(self) -> Iterable[Parameter]:
        return self._parameters.values()

    def items(self) -> Iterable[tuple[str, Parameter]]:
        return self._parameters.items()

    def update(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        for key, value in parameters.items() if isinstance(parameters, Mapping) else parameters:
            self[key] = value


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
