"""`Module` and `Parameter`: the containers every layer and network is built from.

A module registers what is assigned to its attributes: a `Parameter` becomes a learnable parameter,
a `Module` a child, and a name given to `register_buffer` a buffer (state that is saved but not
learned, e.g. BatchNorm's running statistics). Names compose with dots as in PyTorch
(`"0.weight"`, `"encoder.fc1.bias"`), so a state dict of NumPy arrays moves between the same
architecture here and in PyTorch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, get_default_dtype
from autograd.errors import ArgumentError, AutogradError, DTypeError
from autograd.extend import as_dtype, mark_dirty, name_scope, size_args, to_arguments, wrap

from ..parameter import Parameter, is_lazy
from .hooks import hooked_call


class StateDictError(AutogradError, RuntimeError):
    """A state dict that does not fit the module it is loaded into."""


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict(..., strict=False)` could not match."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class RemovableHandle:
    """What the `register_*_hook` methods of a Module return: `.remove()` (or leaving a `with` block)
    unregisters the hook, as PyTorch's handle."""

    __slots__ = ("hooks", "key")
    _next_key = 0

    def __init__(self, hooks: dict[int, Any]) -> None:
        self.hooks, self.key = hooks, RemovableHandle._next_key
        RemovableHandle._next_key += 1

    def remove(self) -> None:
        self.hooks.pop(self.key, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


_CONTAINER_FOR = {list: "ModuleList", tuple: "ModuleList", dict: "ModuleDict"}


def _unregistered(value: Any) -> str | None:
    """The container to use instead of a plain list, tuple or dict holding Modules or Parameters."""
    if type(value) not in _CONTAINER_FOR or not value:
        return None
    items = list(value.values()) if isinstance(value, dict) else list(value)
    if any(isinstance(item, Parameter) for item in items):
        return "ParameterDict" if isinstance(value, dict) else "ParameterList"
    if any(isinstance(item, Module) for item in items):
        return _CONTAINER_FOR[type(value)]
    return None


class Module:
    """Base class of layers and networks. Subclasses call `super().__init__()` first, assign
    parameters, buffers and submodules as attributes, and define `forward`.

    Calling a module runs `forward` inside `autograd.extend.name_scope(label)`, so every gate it
    records is tagged with the module (drawings group them in a labelled cluster). The label is
    `"<attribute name>: <class name>"` (e.g. `"fc1: Linear"`, `"0: Linear"` in a Sequential) once
    the module is assigned to a parent, else the class name; nested calls nest the scopes, so the
    scope tuple spells the path.
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_scope_label", type(self).__name__)
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_hooks", OrderedDict())
        object.__setattr__(self, "_backward_pre_hooks", OrderedDict())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise ArgumentError(f"{type(self).__name__} does not define forward(); a Module subclass must define it")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        own = self.__dict__
        pre_hooks, hooks = own.get("_forward_pre_hooks"), own.get("_forward_hooks")
        if not (pre_hooks or hooks or own.get("_backward_hooks") or own.get("_backward_pre_hooks")):
            with name_scope(self._scope_label):
                return self.forward(*args, **kwargs)
        return self._call_with_hooks(pre_hooks or {}, hooks or {}, args, kwargs)

    def _call_with_hooks(self, pre_hooks: Mapping[int, Any], hooks: Mapping[int, Any], args: Any, kwargs: Any) -> Any:
        """PyTorch's order: pre-hooks (each may replace the positional inputs), the inputs routed for
        the backward hooks, forward, hooks (each may replace the output), the outputs routed."""
        for hook, with_kwargs in list(pre_hooks.values()):
            if with_kwargs:
                result = hook(self, args, kwargs)
                if result is not None:
                    args, kwargs = result
            else:
                result = hook(self, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        call = hooked_call(self)
        if call is not None:
            args = call.setup_inputs(args)
        with name_scope(self._scope_label):
            output = self.forward(*args, **kwargs)
        for hook, with_kwargs in list(hooks.values()):
            result = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
            if result is not None:
                output = result
        return output if call is None else call.setup_outputs(output)

    def register_forward_pre_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """`hook(module, args)` before each forward (`hook(module, args, kwargs)` with `with_kwargs`);
        returning a value replaces the inputs."""
        return self._add_hook("_forward_pre_hooks", hook, prepend, with_kwargs)

    def register_forward_hook(
        self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """`hook(module, args, output)` after each forward (`hook(module, args, kwargs, output)` with
        `with_kwargs`); returning a value replaces the output."""
        return self._add_hook("_forward_hooks", hook, prepend, with_kwargs)

    def register_full_backward_hook(self, hook: Callable[..., Any], prepend: bool = False) -> RemovableHandle:
        """`hook(module, grad_input, grad_output)` once the gradients of the module's positional Tensor
        inputs are computed (grad_output: those of its Tensor outputs); returning a tuple replaces
        grad_input, what flows on to the inputs. As PyTorch's (see nn/modules/hooks.py)."""
        return self._add_hook("_backward_hooks", hook, prepend, False)

    def register_full_backward_pre_hook(self, hook: Callable[..., Any], prepend: bool = False) -> RemovableHandle:
        """`hook(module, grad_output)` once the gradients of the module's Tensor outputs are computed,
        before they flow into it; returning a tuple replaces grad_output. As PyTorch's."""
        return self._add_hook("_backward_pre_hooks", hook, prepend, False)

    def _add_hook(self, registry: str, hook: Callable[..., Any], prepend: bool, with_kwargs: bool) -> RemovableHandle:
        if not callable(hook):
            raise ArgumentError(
                f"{type(self).__name__}.{registry.strip('_')[:-1]}: hook must be callable, got {hook!r}"
            )
        hooks = self._registry(registry)
        handle = RemovableHandle(hooks)
        hooks[handle.key] = (hook, with_kwargs)
        if prepend:
            hooks.move_to_end(handle.key, last=False)
        return handle

    # ---- registration ------------------------------------------------------------------------
    def _registry(self, name: str) -> dict[str, Any]:
        registry = self.__dict__.get(name)
        if registry is None:
            raise AttributeError(
                f"{type(self).__name__}: call super().__init__() before assigning parameters, buffers or modules"
            )
        return registry

    def _forget(self, name: str, keep: str = "") -> None:
        """Remove `name` from every registry but `keep` (where a reassignment keeps its place)."""
        for registry in ("_parameters", "_buffers", "_modules"):
            if registry != keep:
                self.__dict__[registry].pop(name, None)
        self.__dict__.pop(name, None)
        self._non_persistent.discard(name)

    def __setattr__(self, name: str, value: Any) -> None:
        params, buffers, modules = (self.__dict__.get(r) for r in ("_parameters", "_buffers", "_modules"))
        if isinstance(value, Parameter):
            self._registry("_parameters")
            self._forget(name, keep="_parameters")
            params[name] = value
        elif isinstance(value, Module):
            self._registry("_modules")
            self._forget(name, keep="_modules")
            modules[name] = value
            object.__setattr__(value, "_scope_label", f"{name}: {type(value).__name__}")
        elif params is not None and name in params:
            if value is not None:
                raise ArgumentError(
                    f"{type(self).__name__}.{name} is a parameter: assign an nn.Parameter or None, "
                    f"not {type(value).__name__}"
                )
            params[name] = None
        elif modules is not None and name in modules:
            if value is not None:
                raise ArgumentError(
                    f"{type(self).__name__}.{name} is a submodule: assign a Module or None, not {type(value).__name__}"
                )
            modules[name] = None
        elif buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise ArgumentError(
                    f"{type(self).__name__}.{name} is a buffer: assign a Tensor or None, not {type(value).__name__}"
                )
            buffers[name] = value
        else:
            container = _unregistered(value)
            if container is not None:
                kind = "Parameters" if container.startswith("Parameter") else "Modules"
                raise ArgumentError(
                    f"{type(self).__name__}.{name}: a plain {type(value).__name__} of {kind} is not registered, so "
                    f"they would be neither trained nor saved; wrap it: self.{name} = nn.{container}(...)"
                )
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        for registry in ("_parameters", "_buffers", "_modules"):
            entries = self.__dict__.get(registry)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        if any(name in self.__dict__.get(r, ()) for r in ("_parameters", "_buffers", "_modules")):
            self._forget(name)
        else:
            object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        extra = [*self._parameters, *self._buffers, *self._modules]
        return sorted(set(super().__dir__()) | set(extra))

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a None placeholder, e.g. a Linear without bias) under `name`."""
        if param is not None and not isinstance(param, Parameter):
            raise ArgumentError(
                f"register_parameter: {name!r} must be an nn.Parameter or None, not {type(param).__name__}"
            )
        self._registry("_parameters")
        self._forget(name, keep="_parameters")
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a buffer: state that is not learned. Persistent buffers are part of the state dict."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise ArgumentError(f"register_buffer: {name!r} must be a Tensor or None, not {type(tensor).__name__}")
        self._registry("_buffers")
        self._forget(name, keep="_buffers")
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a child module under `name` (what attribute assignment does, for any string name)."""
        if module is not None and not isinstance(module, Module):
            raise ArgumentError(f"add_module: {name!r} must be a Module or None, not {type(module).__name__}")
        if module is None:
            self._registry("_modules")
            self._forget(name, keep="_modules")
            self._modules[name] = None
        else:
            setattr(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> Module:
        """The descendant at the dotted path `target` ("" is this module), as PyTorch's."""
        module = self
        for part in target.split(".") if target else []:
            child = module._modules.get(part) if isinstance(module, Module) else None
            if child is None:
                raise AttributeError(f"{type(module).__name__} has no submodule `{part}` (looking up {target!r})")
            module = child
        return module

    def get_parameter(self, target: str) -> Parameter:
        return self._member("_parameters", "parameter", target)

    def get_buffer(self, target: str) -> Tensor:
        return self._member("_buffers", "buffer", target)

    def _member(self, registry: str, what: str, target: str) -> Any:
        path, _, name = target.rpartition(".")
        owner = self.get_submodule(path)
        value = owner.__dict__[registry].get(name)
        if value is None:
            raise AttributeError(f"{type(owner).__name__} has no {what} `{name}` (looking up {target!r})")
        return value

    # ---- traversal ---------------------------------------------------------------------------
    def named_modules(self, prefix: str = "", memo: set[int] | None = None) -> Iterator[tuple[str, Module]]:
        """This module and every descendant, once each, with dotted names ("" for this one)."""
        memo = set() if memo is None else memo
        if id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(f"{prefix}.{name}" if prefix else name, memo)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen: set[int] = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def _named_members(self, registry: str, prefix: str, recurse: bool) -> Iterator[tuple[str, Tensor]]:
        seen: set[int] = set()
        owners = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        for owner_name, owner in owners:
            for name, value in owner.__dict__[registry].items():
                if value is not None and id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{owner_name}.{name}" if owner_name else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) pairs; a parameter shared by two modules appears once."""
        return self._named_members("_parameters", prefix, recurse)  # type: ignore[return-value]

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def count_parameters(self, trainable_only: bool = False) -> int:
        """The number of parameter elements (each shared parameter counted once); with
        `trainable_only`, only those that require grad. A 3-4-2 MLP has 26."""
        return sum(p.numel() for p in self.parameters() if p.requires_grad or not trainable_only)

    # ---- modes, gradients, dtypes -------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout active, BatchNorm on batch statistics) here and below."""
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> Module:
        """Evaluation mode: `train(False)`."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Freeze (False) or unfreeze every parameter."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the parameters' gradients: set them to None (PyTorch 2's default) or to zeros."""
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad = wrap(np.zeros_like(param.numpy()))

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call `fn` on every submodule (children first) and then on this module, e.g. to initialise."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert every floating-point parameter, gradient and buffer in place, in PyTorch's forms:
        `to(dtype)`, `to(device)`, `to(device, dtype)`, `to(tensor)`, `to(dtype=, device=)`; the
        device can only be the CPU. Integer buffers (BatchNorm's num_batches_tracked) keep theirs; a lazy
        module's uninitialized parameters take the dtype, as PyTorch's."""
        op = f"{type(self).__name__}.to"
        dtype, _ = to_arguments(op, args, kwargs)
        if dtype is None:
            return self
        if dtype.kind != "f":
            raise DTypeError(f"{type(self).__name__}.to: parameters need a floating-point dtype, got {dtype}")
        for tensor in (*self.parameters(), *self.buffers()):
            if is_lazy(tensor):
                tensor.retype(dtype)  # a lazy module's uninitialized tensor: materialized in this dtype later
            elif tensor.dtype.kind == "f":
                tensor.data = wrap(tensor.numpy().astype(dtype))
                if tensor.grad is not None:
                    tensor.grad = wrap(tensor.grad.numpy().astype(dtype))
        return self

    def double(self) -> Module:
        return self.to(np.float64)

    def float(self) -> Module:
        return self.to(np.float32)

    def half(self) -> Module:
        return self.to(np.float16)

    def cpu(self) -> Module:
        return self

    def cuda(self, device: Any = None) -> Module:
        return self.to("cuda")  # the engine's DeviceError: it runs on the CPU

    # ---- state dicts ---------------------------------------------------------------------------
    def _state_tensors(self, prefix: str = "") -> Iterator[tuple[str, Tensor]]:
        """PyTorch's state-dict order: each module's parameters, then its persistent buffers,
        then its children's, depth first. Shared modules appear under every name."""
        for name, param in self._parameters.items():
            if param is not None:
                yield prefix + name, param
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent:
                yield prefix + name, buffer
        for name, child in self._modules.items():
            if child is not None:
                yield from child._state_tensors(f"{prefix}{name}.")

    def state_dict(
        self, *, destination: OrderedDict[str, Tensor] | None = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer keyed by dotted name, as PyTorch's: detached Tensors
        sharing memory with them (the parameters themselves with `keep_vars`, and a lazy module's
        uninitialized ones always); copy to keep a snapshot."""
        out = OrderedDict() if destination is None else destination
        for name, t in self._state_tensors(prefix):
            out[name] = t if keep_vars else t.detach()
        return out

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy arrays (or Tensors) into the parameters and buffers with the same names, casting
        to each one's dtype. Shape mismatches are always an error; with `strict`, missing and
        unexpected keys are too. An uninitialized parameter or buffer (a lazy module's) takes the loaded
        shape, as PyTorch's. Every problem is listed in one `StateDictError`, and nothing is
        loaded unless all keys fit."""
        own = OrderedDict(self._state_tensors())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        problems = []
        if strict and missing:
            problems.append("missing keys: " + ", ".join(missing))
        if strict and unexpected:
            problems.append("unexpected keys: " + ", ".join(unexpected))
        arrays = {}
        for key, tensor in own.items():
            if key not in state_dict:
                continue
            if is_lazy(state_dict[key]):
                if not is_lazy(tensor):
                    problems.append(f"{key}: the state dict holds an uninitialized parameter; run a forward pass first")
                continue  # uninitialized into uninitialized: nothing to load, as in PyTorch
            value = np.asarray(state_dict[key])
            if value.dtype.kind not in "biuf":
                problems.append(f"{key}: expected a numeric array, got dtype {value.dtype}")
            elif not is_lazy(tensor) and value.shape != tensor.shape:  # a lazy one takes the loaded shape
                problems.append(
                    f"size mismatch for {key}: the state dict has shape {value.shape}, the model {tensor.shape}"
                )
            arrays[key] = value
        if problems:
            raise StateDictError(
                f"{type(self).__name__}.load_state_dict: the state dict does not fit:\n  " + "\n  ".join(problems)
            )
        for key, value in arrays.items():
            tensor = own[key]
            if is_lazy(tensor):
                tensor.materialize(value.shape)
            if not tensor.numpy().flags.writeable:
                tensor.data = wrap(tensor.numpy().copy())
            tensor.numpy()[...] = value
            mark_dirty(tensor)  # graphs recorded before the load refuse to backpropagate through it
        return IncompatibleKeys(missing, unexpected)

    # ---- repr ----------------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The module's settings shown inside its repr, e.g. "in_features=3, out_features=4"."""
        return ""

    def _child_lines(self) -> list[str]:
        return [f"({name}): " + repr(child).replace("\n", "\n  ") for name, child in self._modules.items()]

    def __repr__(self) -> str:
        lines = ([self.extra_repr()] if self.extra_repr() else []) + self._child_lines()
        if not self._modules:
            return f"{type(self).__name__}({''.join(lines)})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


def float_dtype(dtype: Any) -> np.dtype:
    """A layer's `dtype=` argument: float32 (the default float) if None; it must be a float dtype."""
    result = get_default_dtype() if dtype is None else as_dtype("layer dtype", dtype)
    if result.kind != "f":
        raise DTypeError(f"layer dtype must be a floating-point dtype (parameters are learned), got {result}")
    return result


def check_sizes(layer: str, **sizes: Any) -> None:
    """Raise unless each named size argument of `layer` is a non-negative int (a clear error up
    front, instead of NumPy's "negative dimensions are not allowed" from the parameter)."""
    for name, value in sizes.items():
        size_args(layer, (value,), what=name)


def empty_parameter(*shape: int, dtype: Any = None) -> Parameter:
    """A zero-filled parameter of `shape` in `dtype` (float32 if None), for an initialiser to fill."""
    return Parameter(np.zeros(shape, dtype=float_dtype(dtype)))
