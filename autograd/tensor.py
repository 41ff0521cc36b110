"""`Tensor`: a NumPy array that records the gates applied to it.

Every method that computes something is one gate (`autograd/gates/`) or a short composition of
gates; this file holds the user-facing class and nothing of the math.
"""

from __future__ import annotations

import functools
import operator
import re
import sys
import weakref
from types import MethodType
from typing import Any, NamedTuple
from collections.abc import Iterator, Sequence

import numpy as np

from .device import CPU, check_device, device
from .device import KNOWN as DEVICES
from .errors import ArgumentError, DTypeError, GraphError, ShapeError
from .grad_mode import GradMode
from .graph import HOOKS, RemovableHandle
from .versions import bump, version


class Default:
    """The default float dtype: what Python floats, integer divisions and the float factories give.
    float32 as in PyTorch, until `autograd.set_default_dtype` changes it."""

    float = np.dtype(np.float32)


Dim = int | Sequence[int] | None
TENSOR_TYPES = {
    np.dtype(t): name
    for t, name in [
        (np.float32, "FloatTensor"), (np.float64, "DoubleTensor"), (np.float16, "HalfTensor"),
        (np.int64, "LongTensor"), (np.int32, "IntTensor"), (np.int16, "ShortTensor"), (np.int8, "CharTensor"),
        (np.uint8, "ByteTensor"), (np.bool_, "BoolTensor"),
    ]
}  # fmt: skip


def as_dtype(op: str, dtype: Any) -> np.dtype:
    """`dtype` (a NumPy dtype, scalar type or name such as "float32") as a np.dtype."""
    try:
        resolved = np.dtype(dtype)
    except TypeError:
        resolved = None
    if resolved is None:
        raise DTypeError(
            f"{op}: unknown dtype {dtype!r}; expected a NumPy dtype or its name, e.g. float32, float64, int64 or bool"
        )
    if resolved.kind not in "biuf":
        raise DTypeError(
            f"{op}: a tensor cannot hold dtype {resolved}; expected a real number or bool dtype, e.g. float32, "
            "float64, int64 or bool"
        )
    return resolved


def to_array(data: Any, dtype: Any = None, op: str = "tensor") -> np.ndarray:
    """A fresh ndarray from `data`. Python floats become float32 (as in PyTorch); NumPy arrays
    keep their dtype. `op` names the caller in errors."""
    if isinstance(data, Tensor):
        data = data._data
    try:
        arr = np.array(data, dtype=None if dtype is None else as_dtype(op, dtype))
    except (ValueError, TypeError) as e:
        if isinstance(e, DTypeError):
            raise
        ragged = re.search(r"inhomogeneous shape after (\d+) dimension", str(e))
        if ragged:
            raise ShapeError(
                f"{op}: the nested lists are ragged (their lengths differ at depth {ragged[1]}); a tensor needs "
                "a rectangular array of numbers"
            ) from None
        raise DTypeError(
            f"{op}: cannot make a {'numeric' if dtype is None else as_dtype(op, dtype)} array from "
            f"{type(data).__name__} data ({e}); expected numbers, nested lists of numbers or a numeric NumPy array"
        ) from None
    if arr.dtype.kind not in "biuf":
        raise DTypeError(
            f"{op}: cannot hold data of dtype {arr.dtype} (from {type(data).__name__}); "
            "expected numbers, nested lists of numbers or a numeric NumPy array"
        )
    if dtype is None and arr.dtype == np.float64 and not isinstance(data, (np.ndarray, np.generic)):
        arr = arr.astype(Default.float)
    return arr


def _unshared(g: Tensor, like: np.ndarray) -> bool:
    """Whether g alone refers to its array and nothing else to the memory under it, and the array is
    writeable, in the layout and dtype of `like`. Each count is taken on an attribute just loaded:
    its holders plus getrefcount's argument (a local variable may be borrowed, uncounted, in 3.14)."""
    if sys.getrefcount(g._data) != 2:  # held by g's slot alone
        return False
    if g._data.base is not None and sys.getrefcount(g._data.base) != 2:  # a view: its owner held by it alone
        return False
    return g._data.flags.writeable and g._data.strides == like.strides and g._data.dtype == like.dtype


def to_arguments(op: str, args: Sequence[Any], kwargs: dict[str, Any]) -> tuple[np.dtype | None, bool]:
    """(dtype or None, copy) from PyTorch's `to(...)` forms: `to(dtype)`, `to(device)`,
    `to(device, dtype)`, `to(other)` (other's dtype), `to(dtype=, device=, copy=)`, with
    `non_blocking=` and `memory_format=` accepted; a device other than the CPU is a DeviceError."""
    kwargs = dict(kwargs)
    dtype, where, copy = kwargs.pop("dtype", None), kwargs.pop("device", None), kwargs.pop("copy", False)
    for ignored in ("non_blocking", "memory_format"):
        kwargs.pop(ignored, None)
    if kwargs:
        raise ArgumentError(f"{op}: unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, device) or (isinstance(a, str) and a.partition(":")[0] in DEVICES):
            where = a
        elif not isinstance(a, bool):  # a positional non_blocking
            dtype = a
    check_device(op, where)
    return (None if dtype is None else as_dtype(op, dtype)), copy


def numpy_aliases(fn: Any) -> Any:
    """`fn` taking NumPy's `axis=` for `dim=` and `keepdims=` for `keepdim=`, as PyTorch's functions do."""

    @functools.wraps(fn)
    def with_aliases(*args: Any, **kwargs: Any) -> Any:
        for numpy_name, name in (("axis", "dim"), ("keepdims", "keepdim")):
            if numpy_name in kwargs:
                if name in kwargs:
                    raise ArgumentError(f"{fn.__name__}: pass either {name} or {numpy_name}, not both")
                kwargs[name] = kwargs.pop(numpy_name)
        return fn(*args, **kwargs)

    return with_aliases


def normalize_dims(op: str, ndim: int, dim: Dim, axis: Dim = None) -> tuple[int, ...]:
    """`dim` (PyTorch) or `axis` (NumPy) as a sorted tuple of non-negative dims; None is all."""
    if axis is not None:
        if dim is not None:
            raise ArgumentError(f"{op}: pass either dim or axis, not both")
        dim = axis
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    out = set()
    for d in dims:
        if type(d) is not int and (isinstance(d, bool) or not isinstance(d, np.integer)):
            raise ArgumentError(f"{op}: dim must be an int or a tuple of ints, got {dim!r}")
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise ShapeError(f"{op}: dim {d} is out of range for a tensor with {ndim} dims")
        if ndim:
            out.add(int(d) % ndim)
    if len(out) != len(dims) and ndim:
        raise ShapeError(f"{op}: dim {dim} repeats a dimension")
    return tuple(sorted(out))


def normalize_dim(op: str, ndim: int, dim: int | None, axis: int | None = None, default: int | None = None) -> int:
    """One existing dim, `dim` (PyTorch) or `axis` (NumPy), `default` if neither is given, as a
    non-negative index (a 0-d tensor has none)."""
    if dim is None and axis is None:
        if default is None:
            raise ArgumentError(f"{op}: missing the dim argument (or its NumPy name, axis)")
        dim = default
    if ndim == 0:
        raise ShapeError(f"{op}: a 0-d tensor has no dim {dim if axis is None else axis}")
    return normalize_dims(op, ndim, dim, axis)[0]


def _keep(keepdim: bool, keepdims: bool | None) -> bool:
    return bool(keepdim if keepdims is None else keepdims)


def size_args(op: str, shape: tuple[Any, ...], minimum: int | None = 0, what: str = "sizes") -> tuple[int, ...]:
    """Accept both `f(2, 3)` and `f((2, 3))`: ints (not bools), each at least `minimum` (-1 where
    it means "infer" or "keep"; None for dims, which are checked later)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, np.ndarray)):
        shape = tuple(shape[0])
    low = -np.inf if minimum is None else minimum
    for s in shape:
        if type(s) is not int or s < low:  # the fast path: plain ints in range
            _raise_bad_size(op, shape, minimum, what)
            break
    return tuple(shape)


def _raise_bad_size(op: str, shape: tuple[Any, ...], minimum: int | None, what: str) -> None:
    """Raise for the first entry of `shape` that is not an int (NumPy integers are) or is below `minimum`."""
    where = f" in {shape}" if len(shape) > 1 else ""
    for s in shape:
        if type(s) is not int and (isinstance(s, bool) or not isinstance(s, np.integer)):
            raise ArgumentError(f"{op}: {what} must be of type int, got {s!r}{where}")
        if minimum is not None and s < minimum:
            least = "non-negative" if minimum == 0 else f"at least {minimum}"
            raise ShapeError(f"{op}: {what} must be {least}, got {s}{where}")


PAIR_HINT = " (max(dim) / min(dim) return (values, indices): use .values, or amax / amin)"


class Size(tuple):
    """PyTorch's `torch.Size`: a shape, as a tuple of ints (`x.size()`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"autograd.Size({list(self)})"

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


class _Calls:
    """A Tensor method that is a function of a module of the engine, with the tensor first:
    `x.sin()` is `autograd.special.sin(x)`, `x.mm(y)` is `autograd.linalg_ops.mm(x, y)`. Those
    modules import Tensor, so the function is looked up when the method is first used; the name
    comes from the class attribute it is assigned to (`sin, cos = _calls("special", 2)`)."""

    __slots__ = ("module", "name", "fn")

    def __init__(self, module: str, name: str = "") -> None:
        self.module, self.name, self.fn = module, name, None

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = self.name or name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        fn = self.fn
        if fn is None:
            fn = self.fn = getattr(globals()[self.module], self.name)
        return fn if obj is None else MethodType(fn, obj)


def _calls(module: str, count: int) -> list[_Calls]:
    return [_Calls(module) for _ in range(count)]


class _InPlace:
    """`x.exp_()`, `x.pow_(2)`: the method named without the "_", its result written into x by
    `inplace.method_in_place` (the graph and version rules of every in-place op)."""

    __slots__ = ("name",)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        name = self.name
        if obj is None:
            return lambda t, *args, **kwargs: inplace.method_in_place(t, name, *args, **kwargs)
        return lambda *args, **kwargs: inplace.method_in_place(obj, name, *args, **kwargs)


def _in_place(count: int) -> list[_InPlace]:
    return [_InPlace() for _ in range(count)]


class ValuesIndices(NamedTuple):
    """What `max(dim)` and `min(dim)` return, as PyTorch's `torch.return_types.max`: the extreme
    values (with their gradient) and their int64 indices along the dim (no gradient)."""

    values: Tensor
    indices: Tensor


class _ToDefaultFloat(Exception):
    """Raised by `Tensor._lift` for an integer tensor that must become float first (see there)."""


class Tensor:
    """An array with a gradient. `Tensor(data, requires_grad=False, dtype=None)`."""

    __slots__ = ("_data", "grad", "grad_fn", "requires_grad", "_retains_grad", "__weakref__")
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected operator

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        self._data = to_array(data, dtype)
        self.grad: Tensor | None = None
        self.grad_fn = None
        self.requires_grad = False
        self._retains_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _wrap(cls, data: Any, grad_fn: Any = None) -> Tensor:
        """The engine's own constructor: no copy, no checks."""
        t = object.__new__(Tensor)
        t._data = data if type(data) is np.ndarray else np.asarray(data)
        t.grad = None
        t.grad_fn = grad_fn
        t.requires_grad = grad_fn is not None
        t._retains_grad = False
        return t

    # ---- attributes --------------------------------------------------------------------------
    shape = property(lambda self: self._data.shape, doc="The tuple of dimension sizes.")
    ndim = property(lambda self: self._data.ndim, doc="The number of dimensions.")

    def size(self, dim: int | None = None) -> Any:
        """The shape as an `autograd.Size` (a tuple), or the size of one dim, as PyTorch's `size()`.
        (NumPy's `.size`, the element count, is `numel()`.)"""
        shape = self._data.shape
        return Size(shape) if dim is None else shape[normalize_dim("size", len(shape), dim)]

    dtype = property(lambda self: self._data.dtype, doc="The NumPy dtype.")
    is_leaf = property(lambda self: self.grad_fn is None, doc="Made by the user, not by a gate.")
    _version = property(
        lambda self: version(self._data), doc="In-place changes seen by this tensor's memory (shared with its views)."
    )

    def numel(self) -> int:
        return self._data.size

    def dim(self) -> int:
        return self._data.ndim

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self._data

    @property
    def data(self) -> Tensor:
        """The same memory as a new Tensor outside the graph, as PyTorch's `.data`: the way to update
        a parameter in place (`p.data -= lr * p.grad`, `p.data.copy_(w)`, `p.data.zero_()`).
        Unlike PyTorch's, a change through it counts a version of the memory, so a gate that
        saved this tensor still refuses to backpropagate through changed values."""
        return Tensor._wrap(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        """`x.data = t` makes x hold t's memory (any shape and dtype), as in PyTorch."""
        if not isinstance(value, Tensor):
            raise ArgumentError(
                f"Tensor.data: can only be set to a Tensor, got {type(value).__name__}; "
                "wrap an array with autograd.as_tensor(...) (or write into x.numpy())"
            )
        self._data = value._data

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.kind not in "iub":
            raise DTypeError(
                f"only integer tensors of a single element can be used as an index; this one is {self.dtype}"
            )
        return int(self.item())

    def __format__(self, spec: str) -> str:
        """A 0-d tensor formats as its number (`f"{loss:.3f}"`), as in PyTorch; others as their repr."""
        return format(self.item(), spec) if self._data.ndim == 0 else format(repr(self), spec)

    def item(self) -> float | int | bool:
        if self._data.size != 1:
            raise ShapeError(f"item: only a one-element tensor converts to a number; shape is {self.shape}")
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise ArgumentError("len() of a 0-d tensor: it has no first dim (use .item() for its number)")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(len(self)))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise ShapeError(
                f"the truth value of a tensor of shape {self.shape} is ambiguous; use .any() or .all() (or .item() "
                "of a one-element tensor)"
            )
        return bool(self._data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        data = self._data
        # PyTorch's style: whole numbers as "2.", anything else with 4 fixed decimals ("1.5000")
        fixed = data.dtype.kind == "f" and bool(np.isfinite(data).all()) and not bool((data == np.round(data)).all())
        body = np.array2string(
            data, separator=", ", prefix="tensor(", precision=4, floatmode="fixed" if fixed else "maxprec_equal"
        )
        extras = [body]
        if self.dtype not in (Default.float, np.dtype(np.int64), np.dtype(bool)):
            extras.append(f"dtype={self.dtype}")
        if self.grad_fn is not None:
            # PyTorch's names: MulBackward0 for a built-in gate, CubeBackward for a custom Function
            built_in = type(self.grad_fn).__module__.startswith("autograd.gates.")
            extras.append(f"grad_fn=<{self.grad_fn.name}Backward{'0' if built_in else ''}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"tensor({', '.join(extras)})"

    # ---- autograd ----------------------------------------------------------------------------
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not self.is_leaf:
            raise GraphError(
                f"requires_grad_: only a leaf tensor's flag can change; this one was made by "
                f"{self.grad_fn.name}. Use .detach() to get a leaf"
            )
        if requires_grad and self.dtype.kind != "f":
            raise DTypeError(
                f"requires_grad: only floating-point tensors can require grad; this one is "
                f"{self.dtype}. Convert it first, e.g. .float() or .double()"
            )
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in `.grad` after backward."""
        if not self.requires_grad:
            raise GraphError("retain_grad: this tensor does not require grad")
        self._retains_grad = True

    def clone(self) -> Tensor:
        """A copy with its own memory, in the graph (the gradient passes through unchanged)."""
        return ew.Clone.apply(self)

    def register_hook(self, hook: Any) -> Any:
        """Call `hook(grad)` each time this tensor's gradient is computed in a backward pass, before it
        is stored or sent on; a returned Tensor replaces the gradient. Returns a handle whose
        `.remove()` unregisters it. As PyTorch's, for leaves and non-leaves alike."""
        if not self.requires_grad:
            raise GraphError("register_hook: cannot register a hook on a tensor that does not require grad")
        if not callable(hook):
            raise ArgumentError(f"register_hook: hook must be callable, got {type(hook).__name__}")
        key = id(self)
        if key not in HOOKS:
            weakref.finalize(self, HOOKS.pop, key, None)
        HOOKS.setdefault(key, []).append(hook)
        return RemovableHandle(key, hook)

    def detach(self) -> Tensor:
        """The same data as a new leaf that does not require grad."""
        return Tensor._wrap(self._data)

    def backward(
        self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False, inputs: Any = None
    ) -> None:
        """Accumulate d(self)/d(leaf) · gradient into `.grad` of every leaf that requires grad (or only
        of `inputs`), as PyTorch's `Tensor.backward`."""
        backward(self, gradient, retain_graph, create_graph, inputs)

    def _accumulate_grad(self, g: Tensor, sole: bool = False) -> None:
        """Add the gradient g into .grad. `sole`: the backward driver holds the only reference to g."""
        if GradMode.enabled:  # create_graph: the gradient keeps its own graph
            if self.grad is None and g.grad_fn is None:  # g may be shared (the seed, another input's
                self.grad = Tensor._wrap(g._data.copy())  # gradient) and a later backward adds in place
            else:
                self.grad = g if self.grad is None else self.grad + g
        elif self.grad is None:
            # Kept as it is if nothing else can see g or its memory (a later backward adds into .grad
            # in place), as PyTorch's AccumulateGrad steals; else copied. Saves a pass over every weight.
            self.grad = g if sole and _unshared(g, self._data) else Tensor._wrap(np.array(g._data, self._data.dtype))
        elif self.grad.grad_fn is None and self.grad._data.flags.writeable:
            self.grad._data += g._data
            bump(self.grad._data)
        else:
            self.grad = Tensor._wrap(self.grad._data + g._data)

    # ---- arithmetic (elementwise gates) ------------------------------------------------------
    def _lift(self, other: Any, divides: bool = False) -> Tensor:
        """A Python number or array as a constant Tensor that keeps this tensor's float dtype.

        An integer (or bool) tensor meeting a Python float, or divided by or dividing a Python
        number, raises `_ToDefaultFloat`: the arithmetic operators catch it and redo the operation
        on the tensor cast to the default float dtype (PyTorch's float32, where NumPy would give
        float64). Float tensors never reach that branch, so they pay nothing for it."""
        if isinstance(other, Tensor):
            return other
        if isinstance(other, (int, float)):
            if self.dtype.kind == "f":
                dtype = self.dtype
            elif isinstance(other, float) or divides:
                raise _ToDefaultFloat
            else:
                dtype = np.result_type(self.dtype, np.min_scalar_type(other))
            return Tensor._wrap(np.array(other, dtype=dtype))
        if isinstance(other, (tuple, list)) and any(isinstance(o, Tensor) for o in other):
            raise ArgumentError(f"cannot combine a Tensor with a {type(other).__name__} of Tensors{PAIR_HINT}")
        arr = np.asarray(other)
        if arr.dtype.kind not in "biuf":
            from .scalar import MIXING, Scalar

            if isinstance(other, Scalar):
                raise ArgumentError(MIXING)
            raise ArgumentError(
                f"cannot combine a Tensor with {type(other).__name__}; expected a Tensor, a number or a numeric array"
            )
        return Tensor._wrap(arr)

    def _constant(self, other: Any) -> Tensor:
        """`_lift` for operands that are not arithmetic (`where`, `fill_`): a Python float next to an
        integer tensor is a default-float constant and the tensor stays as it is."""
        try:
            return self._lift(other)
        except _ToDefaultFloat:
            return Tensor._wrap(np.array(other, dtype=Default.float))

    # + - * / ** and their reflected forms: the gate, after `_arithmetic` lifts a number or array
    # operand to a constant Tensor (the gate modules import Tensor: `ew` is bound below the class).
    def __add__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Add, self, other, operator.add)

    def __radd__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Add, self, other, operator.add, reflected=True)

    def __sub__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Sub, self, other, operator.sub)

    def __rsub__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Sub, self, other, operator.sub, reflected=True)

    def __mul__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Mul, self, other, operator.mul)

    def __rmul__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Mul, self, other, operator.mul, reflected=True)

    def __truediv__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Div, self, other, operator.truediv, divides=True)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Div, self, other, operator.truediv, reflected=True, divides=True)

    def __pow__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Pow, self, other, operator.pow)

    def __rpow__(self, other: Any) -> Tensor:
        return _arithmetic(ew.Pow, self, other, operator.pow, reflected=True)

    def __rand__(self, other: Any) -> Tensor:
        return logic.bitwise_and(other, self)

    def __ror__(self, other: Any) -> Tensor:
        return logic.bitwise_or(other, self)

    def __rxor__(self, other: Any) -> Tensor:
        return logic.bitwise_xor(other, self)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return logic.floor_divide(other, self)

    def __rmod__(self, other: Any) -> Tensor:
        return logic.remainder(other, self)

    def __neg__(self) -> Tensor:
        if self.dtype == np.bool_:
            raise DTypeError(
                "neg: negation, the `-` operator, on a bool tensor is not supported; to invert a mask use the `~` "
                "operator or logical_not() instead (as PyTorch says)"
            )
        return ew.Neg.apply(self)

    def __abs__(self) -> Tensor:
        return ew.Abs.apply(self)

    def __matmul__(self, other: Any) -> Tensor:
        return linalg.MatMul.apply(self, self._lift(other))

    def __rmatmul__(self, other: Any) -> Tensor:
        return linalg.MatMul.apply(self._lift(other), self)

    # the comparison operators are autograd.logic's functions, with PyTorch's promotion
    __lt__, __le__ = _Calls("logic", "lt"), _Calls("logic", "le")
    __gt__, __ge__ = _Calls("logic", "gt"), _Calls("logic", "ge")

    def __eq__(self, other: Any) -> Tensor | bool:  # type: ignore[override]
        return False if other is None else logic.eq(self, other)  # `x == None` is False, as in PyTorch

    def __ne__(self, other: Any) -> Tensor | bool:  # type: ignore[override]
        return True if other is None else logic.ne(self, other)

    def matmul(self, other: Any) -> Tensor:
        return self @ other

    # PyTorch's method spellings of the operators (autograd.add(...) etc.: method_forms)
    def add(self, other: Any, *, alpha: float = 1) -> Tensor:
        """self + alpha · other."""
        return self + _scaled(other, alpha)

    def sub(self, other: Any, *, alpha: float = 1) -> Tensor:
        """self − alpha · other."""
        return self - _scaled(other, alpha)

    def mul(self, other: Any) -> Tensor:
        return self * other

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """self / other; rounding_mode "floor" is floor_divide, "trunc" rounds toward zero (integers
        stay integers: sign(a)·sign(b)·(|a| // |b|)), as PyTorch's."""
        if rounding_mode is None:
            return self / other
        if rounding_mode == "floor":
            if promotion.result_type(self, other).kind != "f":
                return logic.floor_divide(self, other)
            # floats: floor_divide's values (Python's //, not floor(a / b)), PyTorch's zero gradient
            quotient = self / other
            return inplace.replaced(quotient, logic.floor_divide(self.detach(), _detached(other)))
        if rounding_mode == "trunc":
            if promotion.result_type(self, other).kind == "f":
                return (self / other).trunc()
            b = self._constant(other)
            return logic.floor_divide(self.abs(), b.abs()) * (self.sign() * b.sign())
        raise ArgumentError(f"div: rounding_mode must be None, 'trunc' or 'floor', got {rounding_mode!r}")

    def neg(self) -> Tensor:
        return -self

    subtract, multiply, divide, true_divide, negative = sub, mul, div, div, neg

    def pow(self, exponent: Any) -> Tensor:
        return self**exponent

    def exp(self) -> Tensor:
        return ew.Exp.apply(self)

    def log(self) -> Tensor:
        return ew.Log.apply(self)

    def reciprocal(self) -> Tensor:
        return ew.Reciprocal.apply(self)

    def sqrt(self) -> Tensor:
        return self**0.5

    def abs(self) -> Tensor:
        return ew.Abs.apply(self)

    absolute = abs

    def tanh(self) -> Tensor:
        return ew.Tanh.apply(self)

    def sigmoid(self) -> Tensor:
        return ew.Sigmoid.apply(self)

    def relu(self) -> Tensor:
        return ew.Relu.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float, np.integer, np.floating)):
            raise ArgumentError(f"leaky_relu: negative_slope must be a number, got {negative_slope!r}")
        return ew.LeakyRelu.apply(self, slope=negative_slope)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:
        if min is None and max is None:
            raise ArgumentError("clip: give at least one of min and max")
        return ew.Clip.apply(self, low=min, high=max)

    clamp = clip

    def maximum(self, other: Any) -> Tensor:
        """The Maximum gate, after PyTorch's promotion (as the arithmetic operators)."""
        return _arithmetic(ew.Maximum, self, other, Tensor.maximum)

    def minimum(self, other: Any) -> Tensor:
        """−maximum(−self, −other)."""
        return -(-self).maximum(-(other if isinstance(other, (int, float)) else self._constant(other)))

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """This tensor converted to a dtype, in PyTorch's forms: `to(dtype)`, `to(device)`,
        `to(device, dtype)`, `to(other)` (other's dtype), `to(dtype=, device=, copy=)`
        (`non_blocking=` and `memory_format=` are accepted). The device can only be the CPU. Gradients
        flow back through a cast to a float dtype, in the original dtype; a cast to an integer or bool
        dtype is outside the graph (as in PyTorch). No change returns this tensor (a copy with copy=True)."""
        if len(args) == 1 and not kwargs and not isinstance(args[0], (str, Tensor, device)):
            return self._cast(as_dtype("to", args[0]), False)
        dtype, copy = to_arguments("to", args, kwargs)
        return self._cast(self.dtype if dtype is None else dtype, copy)

    def _cast(self, dtype: np.dtype, copy: bool) -> Tensor:
        if dtype == self.dtype:
            return self.clone() if copy else self
        if dtype.kind != "f":
            return Tensor._wrap(self._data.astype(dtype))
        return ew.Cast.apply(self, dtype=dtype)

    def astype(self, dtype: Any) -> Tensor:
        """NumPy's name for `to(dtype)`."""
        return self._cast(as_dtype("astype", dtype), False)

    def type_as(self, other: Tensor) -> Tensor:
        return self._cast(other.dtype, False)

    def type(self, dtype: Any = None) -> Any:
        """PyTorch's legacy spelling: `x.type()` names the tensor type ("torch.FloatTensor"),
        `x.type(dtype)` (a dtype or such a name) is `x.to(dtype)`."""
        if dtype is None:
            return f"torch.{TENSOR_TYPES[self.dtype]}"
        if isinstance(dtype, str) and dtype.removeprefix("torch.") in TENSOR_TYPES.values():
            dtype = next(d for d, name in TENSOR_TYPES.items() if name == dtype.removeprefix("torch."))
        return self._cast(as_dtype("type", dtype), False)

    def is_floating_point(self) -> bool:
        return self.dtype.kind == "f"

    device = property(lambda self: CPU, doc="Always the CPU: the engine computes with NumPy.")

    def cpu(self) -> Tensor:
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        check_device("cuda", "cuda" if device is None else device)
        return self  # not reached: check_device refuses every CUDA device

    def int(self) -> Tensor:
        return self.to(np.int32)

    def short(self) -> Tensor:
        return self.to(np.int16)

    def half(self) -> Tensor:
        return self.to(np.float16)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    # ---- reductions --------------------------------------------------------------------------
    def sum(self, dim: Dim = None, keepdim: bool = False, *, axis: Dim = None, keepdims: bool | None = None) -> Tensor:
        dims = normalize_dims("sum", self.ndim, dim, axis)
        return reduce.Sum.apply(self, dims=dims, keepdim=_keep(keepdim, keepdims))

    def mean(self, dim: Dim = None, keepdim: bool = False, *, axis: Dim = None, keepdims: bool | None = None) -> Tensor:
        dims = normalize_dims("mean", self.ndim, dim, axis)
        count = int(np.prod([self.shape[d] for d in dims]))
        total = self.sum(dims, _keep(keepdim, keepdims))
        return total / count if count else total * np.nan  # divide: · (1/n) rounds twice (997 · 0.001f ≠ 0.997f)

    def amax(self, dim: Dim = None, keepdim: bool = False, *, axis: Dim = None, keepdims: bool | None = None) -> Tensor:
        """Largest values over one or several dims (all if None), as torch.amax / np.max; k tied
        maxima get 1/k of the gradient each (the central difference's answer)."""
        dims = normalize_dims("amax", self.ndim, dim, axis)
        return reduce.Max.apply(self, dims=dims, keepdim=_keep(keepdim, keepdims))

    def any(self, dim: Dim = None, keepdim: bool = False) -> Tensor:
        """Whether any element is nonzero (over `dim`, one int or several): a bool tensor, outside the graph."""
        return Tensor._wrap(np.any(self._data, axis=normalize_dims("any", self.ndim, dim, None), keepdims=keepdim))

    def all(self, dim: Dim = None, keepdim: bool = False) -> Tensor:
        """Whether every element is nonzero (over `dim`, one int or several): a bool tensor, outside the graph."""
        return Tensor._wrap(np.all(self._data, axis=normalize_dims("all", self.ndim, dim, None), keepdims=keepdim))

    def amin(self, dim: Dim = None, keepdim: bool = False, *, axis: Dim = None, keepdims: bool | None = None) -> Tensor:
        """Smallest values over one or several dims, as -amax(-x): ties share the gradient evenly."""
        dims = normalize_dims("amin", self.ndim, dim, axis)
        if self.dtype.kind != "f":  # no gradient to carry, and −x would wrap around for unsigned ints
            return Tensor._wrap(self._data.min(axis=dims, keepdims=_keep(keepdim, keepdims)))
        return -(-self).amax(dims, _keep(keepdim, keepdims))

    def max(
        self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None, keepdims: bool | None = None
    ) -> Tensor | ValuesIndices:
        """The largest value (a 0-d tensor) or, over one `dim`, `(values, indices)` as in PyTorch.
        The values' gradient is shared evenly among tied maxima, as `amax`'s; PyTorch instead sends
        all of it to the returned index (the first maximum)."""
        return self._extreme("max", Tensor.amax, np.argmax, dim, _keep(keepdim, keepdims), axis)

    def min(
        self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None, keepdims: bool | None = None
    ) -> Tensor | ValuesIndices:
        """The smallest value or, over one `dim`, `(values, indices)`; see `max`."""
        return self._extreme("min", Tensor.amin, np.argmin, dim, _keep(keepdim, keepdims), axis)

    def _extreme(self, op: str, values: Any, arg: Any, dim: Any, keepdim: bool, axis: Any) -> Tensor | ValuesIndices:
        if dim is None and axis is None:
            return values(self)
        if isinstance(dim, Tensor):  # max(other): PyTorch's spelling of maximum(other)
            return self.maximum(dim) if op == "max" else self.minimum(dim)
        one = dim if axis is None else axis
        if not isinstance(one, (int, np.integer)):
            raise ArgumentError(
                f"{op}: dim must be one int, got {one!r}; for several dims use a{op}, which returns the values"
            )
        d = normalize_dim(op, self.ndim, dim, axis)
        out = values(self, d, keepdim)
        return ValuesIndices(out, Tensor._wrap(arg(self._data, axis=d, keepdims=keepdim).astype(np.int64, copy=False)))

    def argmax(
        self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None, keepdims: bool | None = None
    ) -> Tensor:
        """The int64 index of the largest value over `dim` (in the flattened tensor if None); the first of ties."""
        return self._arg_extreme("argmax", np.argmax, dim, _keep(keepdim, keepdims), axis)

    def argmin(
        self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None, keepdims: bool | None = None
    ) -> Tensor:
        """The int64 index of the smallest value over `dim` (in the flattened tensor if None); the first of ties."""
        return self._arg_extreme("argmin", np.argmin, dim, _keep(keepdim, keepdims), axis)

    def _arg_extreme(self, op: str, fn: Any, dim: int | None, keepdim: bool, axis: int | None) -> Tensor:
        if self._data.size == 0:
            raise ShapeError(f"{op}: cannot reduce an empty tensor (shape {self.shape})")
        if dim is None and axis is None:
            flat = np.asarray(fn(self._data), dtype=np.int64)  # the index into the flattened tensor
            return Tensor._wrap(flat.reshape((1,) * self.ndim) if keepdim else flat)  # PyTorch's (1, …, 1)
        d = normalize_dim(op, self.ndim, dim, axis)
        return Tensor._wrap(fn(self._data, axis=d, keepdims=keepdim).astype(np.int64, copy=False))

    def logsumexp(
        self, dim: Dim = None, keepdim: bool = False, *, axis: Dim = None, keepdims: bool | None = None
    ) -> Tensor:
        dims = normalize_dims("logsumexp", self.ndim, dim, axis)
        return reduce.LogSumExp.apply(self, dims=dims, keepdim=_keep(keepdim, keepdims))

    def softmax(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """Softmax over `dim` (or `axis`), the last dim by default."""
        return reduce.Softmax.apply(self, dim=normalize_dim("softmax", self.ndim, dim, axis, default=-1))

    def log_softmax(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        """Log-softmax over `dim` (or `axis`), the last dim by default."""
        return reduce.LogSoftmax.apply(self, dim=normalize_dim("log_softmax", self.ndim, dim, axis, default=-1))

    def sum_to(self, shape: Sequence[int]) -> Tensor:
        """Sum the broadcast dimensions away so the result has `shape` (undoes `expand`)."""
        shape = tuple(shape)
        return self if self.shape == shape else reduce.SumTo.apply(self, shape=shape)

    # ---- the function modules' operations as methods (autograd.special, .reductions, .linalg_ops) -----
    sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, asinh, acosh, atanh = _calls("special", 12)
    log1p, expm1, log2, log10, exp2, rsqrt, square, erf, erfc, lerp, hypot, xlogy = _calls("special", 12)
    clamp_min, clamp_max, fmax, fmin, sign, round, floor, ceil, trunc, frac = _calls("special", 10)
    prod, cumsum, cumprod, logcumsumexp, cummax, cummin, norm, var, std, median = _calls("reductions", 10)
    nanmean, nansum, topk, sort, argsort, msort, kthvalue, unique, bincount, histc = _calls("reductions", 10)
    count_nonzero, diff = _calls("reductions", 2)
    mm, bmm, mv, dot, outer, addmm, baddbmm, kron, tril, triu = _calls("linalg_ops", 10)
    diag, diagonal, diag_embed, trace, cross = _calls("linalg_ops", 5)
    det, inverse, slogdet = _Calls("linalg_api", "det"), _Calls("linalg_api", "inv"), _Calls("linalg_api", "slogdet")
    contiguous, view_as, reshape_as, expand_as, repeat, repeat_interleave, tile, chunk, split = _calls("views", 9)
    unbind, flip, roll, narrow, movedim, swapaxes, swapdims, unflatten = _calls("views", 8)
    masked_fill, masked_select, index_select, index_add, index_fill, gather, scatter = _calls("indexing", 7)
    scatter_add, take_along_dim, nonzero, argwhere = _calls("indexing", 4)
    masked_fill_, index_add_, index_fill_, scatter_, scatter_add_ = _calls("indexing", 5)
    eq, ne, lt, le, gt, ge, logical_and, logical_or, logical_xor, logical_not = _calls("logic", 10)
    bitwise_and, bitwise_or, bitwise_xor, bitwise_not, isnan, isinf, isfinite = _calls("logic", 7)
    isclose, allclose, equal, floor_divide, remainder, fmod = _calls("logic", 6)
    eq_, ne_, lt_, le_, gt_, ge_ = _calls("logic", 6)  # in place, in the tensor's dtype
    greater, greater_equal, less, less_equal, not_equal = (_Calls("logic", n) for n in ("gt", "ge", "lt", "le", "ne"))
    greater_, greater_equal_, less_, less_equal_, not_equal_ = (
        _Calls("logic", n) for n in ("gt_", "ge_", "lt_", "le_", "ne_")
    )
    arccos, arcsin, arctan, arctan2, arccosh, arcsinh, arctanh, fix = (
        _Calls("special", n) for n in ("acos", "asin", "atan", "atan2", "acosh", "asinh", "atanh", "trunc")
    )
    __and__, __or__, __xor__ = (
        _Calls("logic", "bitwise_and"),
        _Calls("logic", "bitwise_or"),
        _Calls("logic", "bitwise_xor"),
    )
    __invert__, __floordiv__, __mod__ = (
        _Calls("logic", "bitwise_not"),
        _Calls("logic", "floor_divide"),
        _Calls("logic", "remainder"),
    )
    bernoulli, multinomial, uniform_, normal_, bernoulli_, exponential_, random_ = _calls("random_ops", 7)
    __setitem__ = _Calls("indexing", "setitem")  # x[index] = value, recorded in the graph as PyTorch's copy-slices
    logaddexp, logaddexp2, nan_to_num, sgn, copysign, heaviside, deg2rad, rad2deg = _calls("special", 8)
    float_power, logit, signbit, positive, sinc, addcmul, addcdiv = _calls("special", 7)
    isposinf, isneginf, isreal, is_nonzero, is_same_size, is_signed, is_complex = _calls("logic", 7)
    quantile, nanquantile, nanmedian, mode, aminmax, cov, corrcoef = _calls("reductions", 7)
    ravel, moveaxis, select, fliplr, flipud, rot90, tensor_split, hsplit, vsplit, dsplit = _calls("views", 10)
    take, adjoint = _calls("views", 2)
    inner, vdot, matrix_power, addmv, addr, addbmm, logdet, diagflat = _calls("linalg_ops", 8)

    def t(self) -> Tensor:
        """The transpose of a matrix (a vector or a 0-d tensor as it is), as PyTorch's `t()`."""
        if self.ndim > 2:
            raise ShapeError(f"t: expects a tensor with at most 2 dims, got shape {self.shape}; use .mT or .transpose")
        return self.T

    # ---- shape -------------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        shape = size_args("reshape", shape, minimum=-1)
        return self if shape == self.shape else shp.Reshape.apply(self, shape=shape)

    view = _Calls("views", "view_checked")  # PyTorch's view: a ShapeError saying to reshape where no view exists

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        if self.ndim == 0:
            return self.reshape(1)
        start, end = (normalize_dim("flatten", self.ndim, d) for d in (start_dim, end_dim))
        return self.reshape(self.shape[:start] + (-1,) + self.shape[end + 1 :])

    def squeeze(self, dim: Dim = None, *, axis: Dim = None) -> Tensor:
        """Every dim of size 1 removed, or those among `dim` (an int or a tuple, as PyTorch's):
        `views.squeeze_dims`, whose dim out of range is an IndexError as in PyTorch."""
        if dim is None and axis is None:
            return self.reshape(tuple([s for s in self.shape if s != 1]))
        if dim is not None and axis is not None:
            raise ArgumentError("squeeze: pass either dim or axis, not both")
        return views.squeeze_dims(self, axis if dim is None else dim)

    def unsqueeze(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        d = normalize_dim("unsqueeze", self.ndim + 1, dim, axis)
        return self.reshape(self.shape[:d] + (1,) + self.shape[d:])

    def permute(self, *dims: Any) -> Tensor:
        dims = size_args("permute", dims, minimum=None, what="dims")
        if sorted(normalize_dim("permute", self.ndim, d) for d in dims) != list(range(self.ndim)):
            raise ShapeError(f"permute: {dims} is not a permutation of the {self.ndim} dims of {self.shape}")
        return shp.Permute.apply(self, dims=tuple([d % self.ndim for d in dims]))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        order = list(range(self.ndim))
        d0, d1 = (normalize_dim("transpose", self.ndim, d) for d in (dim0, dim1))
        order[d0], order[d1] = order[d1], order[d0]
        return self.permute(order)

    # T and mT build their permutation directly: the backward of every matmul takes two of them.
    T = property(lambda self: shp.Permute.apply(self, dims=tuple(range(self.ndim))[::-1]), doc="All dims reversed.")

    @property
    def mT(self) -> Tensor:
        """The last two dims swapped."""
        n = self.ndim
        if n < 2:
            return self.transpose(-2, -1)  # which names the dim that is missing
        return shp.Permute.apply(self, dims=(*range(n - 2), n - 1, n - 2))

    def expand(self, *sizes: Any) -> Tensor:
        """Broadcast to `sizes` (-1 keeps a dim), without copying."""
        sizes = size_args("expand", sizes, minimum=-1)
        lead = len(sizes) - self.ndim
        if -1 in sizes[:lead]:
            raise ShapeError(
                f"expand: -1 keeps an existing dim; it is not allowed for the new leading dim "
                f"{sizes.index(-1)} (tensor of shape {self.shape}, sizes {sizes})"
            )
        shape = tuple([self.shape[i - lead] if s == -1 else s for i, s in enumerate(sizes)])
        return self.broadcast_to(shape)

    def broadcast_to(self, shape: Sequence[int]) -> Tensor:
        shape = tuple(shape)
        return self if shape == self.shape else shp.Expand.apply(self, shape=shape)

    def __getitem__(self, index: Any) -> Tensor:
        return shp.GetItem.apply(self, index=shp.normalize_index(index))

    # ---- in place (autograd/inplace.py: how they meet the graph) -----------------------------
    add_, sub_, mul_, div_, clamp_, clip_, subtract_, multiply_, divide_, true_divide_ = _in_place(10)
    negative_, absolute_, arccos_, arcsin_, arctan_, arctan2_, arccosh_, arcsinh_, arctanh_, fix_ = _in_place(10)
    abs_, acos_, acosh_, asin_, asinh_, atan_, atan2_, atanh_, ceil_, clamp_max_, clamp_min_ = _in_place(11)
    cos_, cosh_, cumprod_, cumsum_, erf_, erfc_, exp_, exp2_, expm1_, floor_, floor_divide_ = _in_place(11)
    fmod_, frac_, hypot_, lerp_, log_, log10_, log1p_, log2_, pow_, reciprocal_, relu_ = _in_place(11)
    remainder_, round_, rsqrt_, sigmoid_, sign_, sin_, sinh_, sqrt_, square_, tan_, tanh_ = _in_place(11)
    tril_, triu_, trunc_, xlogy_, neg_, logical_and_, logical_or_, logical_xor_, logical_not_ = _in_place(9)
    bitwise_and_, bitwise_or_, bitwise_xor_, bitwise_not_ = _in_place(4)

    def fill_(self, value: Any) -> Tensor:
        return inplace.apply_inplace(self, "fill_", inplace.replaced, value)

    def zero_(self) -> Tensor:
        return inplace.apply_inplace(self, "zero_", inplace.replaced, 0)

    def copy_(self, src: Any) -> Tensor:
        """Copy `src` (broadcast to this shape, cast to this dtype) into this tensor."""
        return inplace.apply_inplace(self, "copy_", inplace.replaced, src)

    def __iadd__(self, other: Any) -> Tensor:
        return inplace.apply_inplace(self, "+=", Tensor.__add__, other)

    def __isub__(self, other: Any) -> Tensor:
        return inplace.apply_inplace(self, "-=", Tensor.__sub__, other)

    def __imul__(self, other: Any) -> Tensor:
        return inplace.apply_inplace(self, "*=", Tensor.__mul__, other)

    def __itruediv__(self, other: Any) -> Tensor:
        return inplace.apply_inplace(self, "/=", Tensor.__truediv__, other)


from .gradients import backward  # noqa: E402  (these modules import Tensor: bound after it)
from . import inplace  # noqa: E402
from .gates import elementwise as ew  # noqa: E402
from .gates import linalg, reduce  # noqa: E402
from .gates import shape as shp  # noqa: E402
from . import linalg as linalg_api  # noqa: E402, F401  (autograd.linalg; `linalg` here is the gate family)
from . import indexing, linalg_ops, logic, promotion, random_ops, reductions, special, views  # noqa: E402, F401  (the modules of the _Calls methods)


def _detached(value: Any) -> Any:
    return value.detach() if isinstance(value, Tensor) else value


def _scaled(other: Any, alpha: float) -> Any:
    """alpha · other, for add's and sub's `alpha` (a list or array becomes a Tensor first)."""
    if alpha == 1:
        return other
    return (other if isinstance(other, (Tensor, int, float)) else Tensor(other)) * alpha


def _arithmetic(
    gate: type, tensor: Tensor, other: Any, fallback: Any, *, reflected: bool = False, divides: bool = False
) -> Tensor:
    """`tensor (op) other` by the two-input `gate` (`other (op) tensor` if `reflected`), with `other`
    lifted to a constant Tensor; an integer tensor that must become float first (`_lift`'s
    `_ToDefaultFloat`) redoes the operation, `fallback`, in the default float dtype."""
    try:
        lifted = tensor._lift(other, divides)
    except _ToDefaultFloat:
        cast = tensor.to(Default.float)
        return fallback(other, cast) if reflected else fallback(cast, other)
    if lifted._data.dtype is not tensor._data.dtype or (divides and tensor._data.dtype.kind in "biu"):
        tensor, lifted = _promoted(tensor, lifted, divides)
    return gate.apply(lifted, tensor) if reflected else gate.apply(tensor, lifted)


def _promoted(a: Tensor, b: Tensor, divides: bool) -> tuple[Tensor, Tensor]:
    """`a` and `b` cast to PyTorch's result dtype (`autograd.result_type`: int64 with float32 is
    float32, a float32 tensor with a 0-d float64 one float32), the default float for a division of
    integers; the casts are gates, so each gradient goes back in its operand's dtype."""
    dtype = promotion.result_type(a, b)
    if divides and dtype.kind in "biu":
        dtype = Default.float
    return a._cast(dtype, False), b._cast(dtype, False)
