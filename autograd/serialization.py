"""`save` / `load` as PyTorch's `torch.save` / `torch.load`, without ever unpickling our own files.

Formats, chosen by `save` from the path and by `load` from the file's content:

- our own: NumPy's .npz, read with `allow_pickle=False`. A flat dict of tensors (a model's state dict)
  is one archive member per key, so `np.load(path)` reads it too. Anything else (a tensor, an
  optimizer's or scheduler's state dict: dicts with str or int keys, lists, tuples, numbers, strings,
  booleans, None and tensors) is its arrays plus a JSON description of the structure, which also
  keeps which tensors require grad (as PyTorch does; a state dict's tensors are detached).
- PyTorch's zip format (`torch.save`), read only: see `autograd.torch_files`.
- `.safetensors`, both ways, through the optional `safetensors` package: see `autograd.safetensors_files`.

`load` gives Tensors where PyTorch gives tensors; a string array (which a Tensor cannot hold) stays
a NumPy array.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
import zlib
from typing import IO, Any

import numpy as np

from . import safetensors_files, torch_files
from .device import check_device
from .errors import ArgumentError, DTypeError, FileFormatError
from .file_checks import MAX_COMPRESSION_RATIO, MAX_DEPTH, budget_error, write_atomically
from .tensor import Tensor

__all__ = ["FileFormatError", "load", "save"]

STRUCTURE_KEY = "__structure__"  # the JSON member of a nested archive
_ZIP_MAGIC = b"PK\x03\x04"
_PICKLE_PROTOCOL = b"\x80"  # the first byte of a pickle (protocol 2 or later): PyTorch's legacy format


def _as_array(name: str, value: Any) -> np.ndarray:
    arr = np.asarray(value.numpy() if isinstance(value, Tensor) else value)
    if arr.dtype.hasobject:
        raise DTypeError(
            f"save: '{name}' is an array of Python objects; only numeric, bool and string arrays are saved"
        )
    return arr


def _is_flat(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and all(isinstance(k, str) and k and k != STRUCTURE_KEY for k in obj)
        and all(isinstance(v, np.ndarray) or isinstance(v, Tensor) and not v.requires_grad for v in obj.values())
    )


def _encode(obj: Any, arrays: dict[str, np.ndarray], where: str) -> Any:
    """A JSON-able description of `obj`; arrays go into `arrays` and are referred to by name."""
    if isinstance(obj, (np.ndarray, Tensor)):
        name = f"a{len(arrays)}"
        arrays[name] = _as_array(where, obj)
        return (
            {"array": name, "requires_grad": True} if isinstance(obj, Tensor) and obj.requires_grad else {"array": name}
        )
    if isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                raise ArgumentError(f"save: key {k!r} at {where} is a {type(k).__name__}; keys must be str or int")
            items.append([k, _encode(v, arrays, f"{where}[{k!r}]")])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "tuple" if isinstance(obj, tuple) else "list"
        return {kind: [_encode(v, arrays, f"{where}[{i}]") for i, v in enumerate(obj)]}
    if isinstance(obj, np.generic):
        obj = obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    raise ArgumentError(
        f"save: cannot store {type(obj).__name__} at {where}; expected arrays, tensors, numbers, strings, "
        "booleans, None, and dicts, lists or tuples of them"
    )


def _tensor(array: np.ndarray) -> Any:
    """A Tensor over `array` when a Tensor can hold its dtype; a string array as it is."""
    return Tensor._wrap(array) if array.dtype.kind in "biuf" else array


def _decode(node: Any, arrays: dict[str, np.ndarray], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise FileFormatError(f"its '{STRUCTURE_KEY}' is nested deeper than {MAX_DEPTH} levels")
    if "array" in node:
        array = _tensor(arrays[node["array"]])
        return array.requires_grad_(True) if node.get("requires_grad") is True else array
    if "dict" in node:
        return {k: _decode(v, arrays, depth + 1) for k, v in node["dict"]}
    if "list" in node:
        return [_decode(v, arrays, depth + 1) for v in node["list"]]
    if "tuple" in node:
        return tuple(_decode(v, arrays, depth + 1) for v in node["tuple"])
    return node["value"]


def save(obj: Any, f: str | os.PathLike[str]) -> None:
    """Write `obj` (a tensor, a state dict, or dicts / lists / tuples of tensors, numbers, strings,
    booleans and None) to the path `f`, atomically: a temporary file beside it is renamed onto it.
    A path ending in .safetensors writes that format (a flat dict of tensors only); any other path
    writes our .npz format (uncompressed)."""
    if not isinstance(f, (str, os.PathLike)):
        raise ArgumentError(f"save: expected a path (str or os.PathLike), got {type(f).__name__}")
    if os.fspath(f).endswith(".safetensors"):
        safetensors_files.save(obj, f)
        return
    if _is_flat(obj):
        arrays = {k: _as_array(k, v) for k, v in obj.items()}
    else:
        arrays = {}
        structure = json.dumps(_encode(obj, arrays, "the saved object"))
        arrays[STRUCTURE_KEY] = np.array(structure)
    write_atomically(f, lambda file: _write_npz(file, arrays))


def _write_npz(file: IO[bytes], arrays: dict[str, np.ndarray]) -> None:
    """What `np.savez` writes (one uncompressed .npy member per array), for any key, even 'allow_pickle'."""
    with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, array in arrays.items():
            with archive.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def load(
    f: str | os.PathLike[str],
    map_location: Any = None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = True,
    mmap: bool | None = None,
    max_bytes: int | None = None,
) -> Any:
    """Read what `save` wrote, a file written by PyTorch's `torch.save`, or a .safetensors file.

    Nothing is unpickled from our own format; a PyTorch file's pickle runs under an allow-list of
    tensor-rebuilding functions and plain containers (PyTorch's `weights_only=True`), and
    `weights_only=False`, which in PyTorch runs any pickle, is refused for it (our own format has
    nothing to unpickle, so there it means the same as True). `map_location` may be None, 'cpu', a
    cpu `device` or a dict mapping saved locations to 'cpu': this engine computes on the CPU only.
    `mmap=True` maps a PyTorch file's (uncompressed) storages copy-on-write instead of reading them.

    Hostile files are refused with FileFormatError before anything large is allocated: the arrays'
    declared sizes may add up to at most `max_bytes`, by default the file's size times
    MAX_COMPRESSION_RATIO (a decompression bomb declares far more than its file holds), and a
    structure may be at most MAX_DEPTH levels deep."""
    if not isinstance(f, (str, os.PathLike)):
        raise ArgumentError(f"load: expected a path (str or os.PathLike), got {type(f).__name__}")
    if pickle_module is not None:
        raise ArgumentError("load: pickle_module is not supported; files are read with an allow-listing unpickler")
    if mmap not in (None, False, True):
        raise ArgumentError(f"load: mmap must be a bool or None, got {mmap!r}")
    remap = _locations(map_location)
    path = os.fspath(f)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"load: no file at {path!r}")
    budget = os.path.getsize(path) * MAX_COMPRESSION_RATIO if max_bytes is None else max_bytes
    if path.endswith(".safetensors"):
        return safetensors_files.load(path, budget, max_bytes is not None)
    with open(path, "rb") as file:
        head = file.read(4)
    if head.startswith(_PICKLE_PROTOCOL):
        raise FileFormatError(
            f"load: {path!r} is in PyTorch's legacy (non-zip) format, which is not supported; re-save it with "
            "PyTorch 1.6 or later: torch.save(torch.load(path), path)"
        )
    if head != _ZIP_MAGIC:
        raise FileFormatError(
            f"load: {path!r} is not an .npz archive or a PyTorch file (it does not start with a zip header)"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            if torch_files.is_torch_archive(archive):
                if weights_only is False:
                    raise ArgumentError(
                        f"load: weights_only=False would unpickle {path!r} without restriction, which circuitgrad "
                        "never does; leave weights_only=True (tensors, state dicts and plain containers load)"
                    )
                return torch_files.read(archive, path, budget, max_bytes is not None, remap, bool(mmap))
    except zipfile.BadZipFile as e:
        raise FileFormatError(f"load: {path!r} is a damaged or truncated zip archive ({e})") from e
    return _load_npz(path, budget, max_bytes is not None)


def _locations(map_location: Any) -> dict[str, str] | None:
    """None (keep the saved locations, which must be cpu) or a mapping of every location to 'cpu'."""
    if map_location is None:
        return None
    if isinstance(map_location, dict):
        for target in map_location.values():
            check_device("load", target)
        return {str(k): "cpu" for k in map_location}
    if callable(map_location):
        raise ArgumentError("load: a callable map_location is not supported; pass 'cpu'")
    check_device("load", map_location)
    return {"*": "cpu"}


def _load_npz(path: str, budget: int, explicit: bool) -> Any:
    try:
        with np.load(path, allow_pickle=False) as archive:
            declared = 0
            for name in archive.files:
                declared += _declared_bytes(archive.zip, name, path)
                if declared > budget:
                    raise budget_error(path, f"its arrays up to member '{name}'", declared, budget, explicit)
            arrays = {name: archive[name] for name in archive.files}
    except ValueError as e:
        if isinstance(e, FileFormatError):
            raise
        if "allow_pickle" in str(e):  # NumPy refuses object arrays when allow_pickle=False
            raise FileFormatError(f"load: {path!r} holds an array of Python objects, which would need pickle") from e
        raise FileFormatError(f"load: {path!r} has a malformed array member ({e})") from e
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as e:
        raise FileFormatError(f"load: {path!r} is a damaged or truncated .npz archive ({e})") from e
    if STRUCTURE_KEY not in arrays:
        return {k: _tensor(v) for k, v in arrays.items()}
    try:
        return _decode(json.loads(str(arrays.pop(STRUCTURE_KEY))), arrays)
    except RecursionError:
        raise FileFormatError(f"load: {path!r} has a '{STRUCTURE_KEY}' nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        if isinstance(e, FileFormatError):
            raise FileFormatError(f"load: {path!r}: {e}") from None
        raise FileFormatError(f"load: {path!r} has a malformed '{STRUCTURE_KEY}' member ({e!r})") from e


def _declared_bytes(archive: zipfile.ZipFile, name: str, path: str) -> int:
    """The bytes the .npy header of member `name` says its array holds (Python ints: no overflow)."""
    with archive.open(f"{name}.npy" if f"{name}.npy" in archive.namelist() else name) as member:
        version = np.lib.format.read_magic(member)
        read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, _, dtype = read_header(member)
    if dtype.hasobject:
        raise FileFormatError(f"load: {path!r} holds an array of Python objects, which would need pickle")
    return math.prod(shape) * dtype.itemsize
