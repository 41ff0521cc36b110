"""Reading files written by PyTorch's `torch.save` (its zip format) without PyTorch and without
running the file's pickle unrestricted.

The archive holds `<prefix>/data.pkl` (the pickled object), `<prefix>/data/<key>` (one member of raw
bytes per storage), `<prefix>/byteorder` and `<prefix>/version`. The pickle is read, as by PyTorch's
`weights_only=True` unpickler, with an allow-list: the tensor rebuilders (`torch._utils._rebuild_tensor_v2`
and `_v3`, `_rebuild_parameter`), storage types (`torch.FloatStorage`, ..., `torch.storage.UntypedStorage`,
met in persistent 'storage' records), dtypes, `collections.OrderedDict`, `torch.Size` and the builtin
containers, numbers and strings. Any other global is refused, naming it, before it is looked up.

Every size is checked against the bytes there are: a storage member must hold exactly its declared
element count, a tensor's size, stride and offset must stay inside its storage, all storages together
at most `budget` bytes. Tensors viewing one storage share its memory, as in PyTorch. bfloat16 (which
NumPy lacks) becomes float32, which holds every bfloat16 value exactly; complex dtypes, which a Tensor
cannot hold, are a DTypeError.
"""

from __future__ import annotations

import math
import pickle
import struct
import zipfile
import zlib
from collections import OrderedDict
from typing import Any

import numpy as np

from .errors import AutogradError, DeviceError, DTypeError, FileFormatError
from .file_checks import budget_error, check_depth
from .tensor import Tensor

_NUMPY = {
    "float16": np.float16,
    "float32": np.float32,
    "float64": np.float64,
    "bfloat16": np.uint16,  # its bits; widened to float32 by _from_bfloat16
    "complex64": np.complex64,
    "complex128": np.complex128,
    "bool": np.bool_,
    "uint8": np.uint8,
    "int8": np.int8,
    "int16": np.int16,
    "int32": np.int32,
    "int64": np.int64,
    "uint16": np.uint16,
    "uint32": np.uint32,
    "uint64": np.uint64,
}
_STORAGES = {
    "HalfStorage": "float16",
    "FloatStorage": "float32",
    "DoubleStorage": "float64",
    "BFloat16Storage": "bfloat16",
    "ComplexFloatStorage": "complex64",
    "ComplexDoubleStorage": "complex128",
    "BoolStorage": "bool",
    "ByteStorage": "uint8",
    "CharStorage": "int8",
    "ShortStorage": "int16",
    "IntStorage": "int32",
    "LongStorage": "int64",
}
_MAX_DIMS = 64  # NumPy's limit


class _DType:
    """A torch dtype (or a typed storage's) named in the pickle: `name` is torch's."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


class _Untyped:
    """torch.storage.UntypedStorage: bytes whose dtype the _rebuild_tensor_v3 call gives."""


class _Storage:
    """A storage record's elements (its raw bytes for an UntypedStorage: dtype None)."""

    __slots__ = ("elements", "dtype")

    def __init__(self, elements: np.ndarray, dtype: str | None) -> None:
        self.elements, self.dtype = elements, dtype

    def __setstate__(self, state: Any) -> None:
        raise FileFormatError(f"refused setting the state of a storage to {state!r:.60}")


class _Record:
    """A rebuilt tensor until the whole pickle is read; refuses the pickle's BUILD (setstate), which
    could otherwise set any attribute of a Tensor."""

    __slots__ = ("array", "requires_grad")

    def __init__(self, array: np.ndarray, requires_grad: bool) -> None:
        self.array, self.requires_grad = array, requires_grad

    def __setstate__(self, state: Any) -> None:
        raise FileFormatError(f"refused setting the state of a tensor to {state!r:.60}")


def is_torch_archive(archive: zipfile.ZipFile) -> bool:
    return _prefix(archive) is not None


def _prefix(archive: zipfile.ZipFile) -> str | None:
    for name in archive.namelist():
        head, sep, tail = name.partition("/")
        if sep and tail == "data.pkl":
            return head + "/"
    return None


def read(
    archive: zipfile.ZipFile, path: str, budget: int, explicit: bool, remap: dict[str, str] | None, mmap: bool
) -> Any:
    """The object pickled in the PyTorch `archive` (at `path`), with Tensors for its tensors."""
    prefix = _prefix(archive)
    assert prefix is not None
    try:
        byteorder = (
            archive.read(prefix + "byteorder").decode() if prefix + "byteorder" in archive.namelist() else "little"
        )
        if byteorder not in ("little", "big"):
            raise FileFormatError(f"its byteorder record is {byteorder!r:.40}, not 'little' or 'big'")
        pickled = archive.getinfo(prefix + "data.pkl")
        if pickled.file_size > budget:
            raise budget_error(path, "its data.pkl", pickled.file_size, budget, explicit)
        with archive.open(pickled) as file:
            obj = _Unpickler(file, archive, path, prefix, byteorder, budget, explicit, remap, mmap).load()
        check_depth(obj, path)
        return _tensors(obj, {})
    except AutogradError as e:
        if isinstance(e, FileFormatError) and not str(e).startswith("load:"):
            raise FileFormatError(f"load: {path!r}: {e}") from None
        raise
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
        raise FileFormatError(f"load: {path!r} is a damaged or truncated PyTorch file ({e})") from e
    except (pickle.UnpicklingError, TypeError, ValueError, AttributeError, IndexError, KeyError, OverflowError) as e:
        raise FileFormatError(f"load: {path!r} has a malformed data.pkl ({type(e).__name__}: {e})") from e


def _tensors(obj: Any, done: dict[int, Any]) -> Any:
    """`obj` with each _Record made a Tensor; a container shared in the pickle stays shared.
    Recursive: check_depth has bounded the depth."""
    if id(obj) in done:
        return done[id(obj)]
    if isinstance(obj, _Record):
        out: Any = Tensor._wrap(obj.array)
        if obj.requires_grad:
            out.requires_grad_(True)
    elif isinstance(obj, dict):
        out = OrderedDict() if isinstance(obj, OrderedDict) else {}
        for k, v in obj.items():
            out[_tensors(k, done)] = _tensors(v, done)
    elif isinstance(obj, list):
        out = [_tensors(v, done) for v in obj]
    elif isinstance(obj, tuple):
        out = tuple(_tensors(v, done) for v in obj)
    elif isinstance(obj, (_DType, _Untyped, _Storage)) or callable(obj):
        raise FileFormatError(f"refused a bare {type(obj).__name__} outside a tensor record")
    else:
        return obj
    done[id(obj)] = out
    return out


class _Unpickler(pickle.Unpickler):
    def __init__(
        self,
        file: Any,
        archive: zipfile.ZipFile,
        path: str,
        prefix: str,
        byteorder: str,
        budget: int,
        explicit: bool,
        remap: dict[str, str] | None,
        mmap: bool,
    ) -> None:
        super().__init__(file)
        self.archive, self.path, self.prefix, self.byteorder = archive, path, prefix, byteorder
        self.budget, self.explicit, self.remap, self.mmap = budget, explicit, remap, mmap
        self.storages: dict[str, _Storage] = {}
        self.storage_bytes = 0

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch._utils" and name in ("_rebuild_tensor_v2", "_rebuild_tensor_v3"):
            return self._rebuild_tensor
        if module == "torch._utils" and name in ("_rebuild_parameter", "_rebuild_parameter_with_state"):
            return _rebuild_parameter
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if (module, name) == ("torch", "Size"):
            return tuple
        if (module, name) == ("_codecs", "encode"):  # protocol 2's bytes: encode(text, "latin1")
            return _latin1
        if (module, name) == ("torch.storage", "UntypedStorage"):
            return _Untyped()
        if module == "torch" and name in _STORAGES:
            return _DType(_STORAGES[name])
        if module == "torch" and name in _NUMPY:
            return _DType(name)
        raise FileFormatError(
            f"refused global '{module}.{name}': only tensors, storages, dtypes, OrderedDict and plain "
            "containers are loaded (as PyTorch's weights_only=True)"
        )

    def persistent_load(self, pid: Any) -> _Storage:
        """A storage record ('storage', type, key, location, numel): the storage's elements (its raw
        bytes for an UntypedStorage, dtype None), read once per key."""
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise FileFormatError(f"refused persistent record {pid!r:.80}; expected a ('storage', ...) record")
        _, kind, key, location, numel = pid
        if not isinstance(kind, (_DType, _Untyped)) or not isinstance(key, str) or not isinstance(location, str):
            raise FileFormatError(f"refused malformed storage record {pid!r:.80}")
        if not isinstance(numel, int) or isinstance(numel, bool) or numel < 0:
            raise FileFormatError(f"storage '{key}' declares {numel!r:.40} elements")
        self._check_location(location)
        if key not in self.storages:
            self.storages[key] = self._read_storage(kind, key, numel)
        return self.storages[key]

    def _check_location(self, location: str) -> None:
        if location == "cpu" or self.remap is not None and ("*" in self.remap or location in self.remap):
            return
        raise DeviceError(
            f"load: {self.path!r} has a storage on {location!r}; this engine computes on the CPU only: "
            "pass map_location='cpu'"
        )

    def _read_storage(self, kind: _DType | _Untyped, key: str, numel: int) -> _Storage:
        dtype = kind.name if isinstance(kind, _DType) else None
        itemsize = 1 if dtype is None else np.dtype(_NUMPY[dtype]).itemsize
        name = f"{self.prefix}data/{key}"
        if name not in self.archive.namelist():
            raise FileFormatError(f"storage '{key}' has no member {name!r}")
        info = self.archive.getinfo(name)
        if info.file_size != numel * itemsize:
            raise FileFormatError(
                f"storage '{key}' declares {numel:,} elements of {dtype or 'bytes'} ({numel * itemsize:,} bytes), "
                f"its member holds {info.file_size:,} bytes"
            )
        self.storage_bytes += info.file_size
        if self.storage_bytes > self.budget:
            raise budget_error(self.path, f"its storages up to '{key}'", self.storage_bytes, self.budget, self.explicit)
        raw = self._mapped(info) if self.mmap and info.compress_type == zipfile.ZIP_STORED else None
        if raw is None:
            raw = np.frombuffer(bytearray(self.archive.read(info)), np.uint8)
        return _Storage(raw if dtype is None else self._typed(raw, dtype), dtype)

    def _mapped(self, info: zipfile.ZipInfo) -> np.ndarray | None:
        """The member's bytes mapped copy-on-write from the file (None for an empty member)."""
        if info.file_size == 0:
            return None
        with open(self.path, "rb") as f:
            f.seek(info.header_offset)
            header = f.read(30)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise FileFormatError(f"member {info.filename!r} has no local header")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        offset = info.header_offset + 30 + name_length + extra_length
        return np.memmap(self.path, np.uint8, mode="c", offset=offset, shape=(info.file_size,))

    def _typed(self, raw: np.ndarray, dtype: str) -> np.ndarray:
        """`raw` bytes as elements of the torch `dtype`, in native byte order."""
        if dtype.startswith("complex"):
            raise DTypeError(f"load: {self.path!r} holds a {dtype} tensor; circuitgrad's Tensor has no complex dtypes")
        element = np.dtype(_NUMPY[dtype])
        if raw.size % element.itemsize:
            raise FileFormatError(f"a storage of {raw.size} bytes is not a whole number of {dtype} elements")
        array = raw.view(element.newbyteorder("<" if self.byteorder == "little" else ">"))
        if not array.dtype.isnative:
            array = array.astype(element)
        return _from_bfloat16(array) if dtype == "bfloat16" else array

    def _rebuild_tensor(
        self,
        storage: Any,
        offset: Any,
        size: Any,
        stride: Any,
        requires_grad: Any,
        hooks: Any,
        *rest: Any,
    ) -> _Record:
        """_rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks, metadata=None) and
        _v3(..., hooks, dtype, metadata=None), whose storage is untyped bytes."""
        if not isinstance(storage, _Storage):
            raise FileFormatError(f"refused a tensor whose storage is {type(storage).__name__}, not a storage record")
        elements, dtype = storage.elements, storage.dtype
        if dtype is None:  # v3: the dtype follows the hooks
            if not rest or not isinstance(rest[0], _DType):
                raise FileFormatError("refused a tensor over an untyped storage without a dtype")
            elements, rest = self._typed(elements, rest[0].name), rest[1:]
        if len(rest) > 1 or rest and rest[0] not in (None, {}):
            raise FileFormatError(f"refused tensor metadata {rest!r:.60}")
        _check_hooks(hooks)
        if not isinstance(requires_grad, bool):
            raise FileFormatError(f"refused requires_grad={requires_grad!r:.40}")
        return _Record(_view(elements, offset, size, stride), requires_grad)


def _latin1(text: Any, encoding: Any = "latin1") -> bytes:
    if not isinstance(text, str) or encoding != "latin1":
        raise FileFormatError(f"refused _codecs.encode({text!r:.40}, {encoding!r:.20})")
    return text.encode("latin1")


def _from_bfloat16(bits: np.ndarray) -> np.ndarray:
    """bfloat16 is the top half of a float32: shifting its bits up gives the same value exactly."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def _check_hooks(hooks: Any) -> None:
    if not isinstance(hooks, dict) or hooks:
        raise FileFormatError(f"refused backward hooks {hooks!r:.60}; expected an empty OrderedDict")


def _rebuild_parameter(data: Any, requires_grad: Any, hooks: Any, state: Any = None) -> _Record:
    if not isinstance(data, _Record) or not isinstance(requires_grad, bool):
        raise FileFormatError(f"refused a parameter of {type(data).__name__} data")
    _check_hooks(hooks)
    if state not in (None, {}, ()):
        raise FileFormatError(f"refused parameter state {state!r:.60}")
    return _Record(data.array, requires_grad)


def _ints(value: Any, what: str) -> tuple[int, ...]:
    if not isinstance(value, tuple) or len(value) > _MAX_DIMS:
        raise FileFormatError(f"refused a tensor {what} {value!r:.60}; expected a tuple of at most {_MAX_DIMS} ints")
    for v in value:
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise FileFormatError(f"refused a tensor {what} {value!r:.60}; expected non-negative ints")
    return value


def _view(elements: np.ndarray, offset: Any, size: Any, stride: Any) -> np.ndarray:
    """The tensor (size, stride, offset) over `elements`, sharing its memory; refused unless every
    element it reaches lies inside the storage."""
    shape, steps = _ints(size, "size"), _ints(stride, "stride")
    if len(steps) != len(shape) or not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise FileFormatError(f"refused a tensor of size {shape}, stride {steps!r:.60}, offset {offset!r:.30}")
    if math.prod(shape) == 0:
        return np.zeros(shape, elements.dtype)
    needs = offset + sum((n - 1) * s for n, s in zip(shape, steps)) + 1
    if needs > elements.size:
        raise FileFormatError(
            f"refused a tensor of size {shape}, stride {steps}, offset {offset}: it reaches element {needs - 1:,} "
            f"of a storage of {elements.size:,} elements"
        )
    strides = tuple(s * elements.itemsize for s in steps)
    return np.lib.stride_tricks.as_strided(elements[offset:], shape, strides, writeable=True)
