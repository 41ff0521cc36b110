"""`save` / `load`: state dicts in NumPy's .npz format, read back with `allow_pickle=False`.

A flat dict of arrays (a model's state dict) is stored as one archive member per key, so
`np.load(path)` reads it too. Anything nested (an optimizer's or a scheduler's state dict: dicts,
lists, numbers, strings, booleans, None and arrays) is stored as its arrays plus a JSON description
of the structure, still without pickle.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import zipfile
import zlib
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ArgumentError, AutogradError, DTypeError

STRUCTURE_KEY = "__structure__"  # the JSON member of a nested archive
MAX_COMPRESSION_RATIO = 100  # load's default budget: the arrays may declare 100 times the file's size
MAX_DEPTH = 100  # how deeply a saved structure (dicts and lists) may nest
_ZIP_MAGIC = b"PK\x03\x04"


class FileFormatError(AutogradError, ValueError):
    """A file that exists but does not hold what its reader expects."""


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
        and all(isinstance(v, (np.ndarray, Tensor)) for v in obj.values())
    )


def _encode(obj: Any, arrays: dict[str, np.ndarray], where: str) -> Any:
    """A JSON-able description of `obj`; arrays go into `arrays` and are referred to by name."""
    if isinstance(obj, (np.ndarray, Tensor)):
        name = f"a{len(arrays)}"
        arrays[name] = _as_array(where, obj)
        return {"array": name}
    if isinstance(obj, dict):
        items = []
        for k, v in obj.items():
            if not isinstance(k, (str, int)) or isinstance(k, bool):
                raise ArgumentError(f"save: key {k!r} at {where} is a {type(k).__name__}; keys must be str or int")
            items.append([k, _encode(v, arrays, f"{where}[{k!r}]")])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        return {"list": [_encode(v, arrays, f"{where}[{i}]") for i, v in enumerate(obj)]}
    if isinstance(obj, np.generic):
        obj = obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    raise ArgumentError(
        f"save: cannot store {type(obj).__name__} at {where}; expected arrays, tensors, numbers, strings, "
        "booleans, None, and dicts or lists of them"
    )


def _decode(node: Any, arrays: dict[str, np.ndarray], depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise FileFormatError(f"its '{STRUCTURE_KEY}' is nested deeper than {MAX_DEPTH} levels")
    if "array" in node:
        return arrays[node["array"]]
    if "dict" in node:
        return {k: _decode(v, arrays, depth + 1) for k, v in node["dict"]}
    if "list" in node:
        return [_decode(v, arrays, depth + 1) for v in node["list"]]
    return node["value"]


def save(obj: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a state dict to `path` (.npz, uncompressed). Tensors are saved as their arrays."""
    if not isinstance(obj, dict):
        raise ArgumentError(f"save: expected a dict (a state dict), got {type(obj).__name__}")
    if _is_flat(obj):
        arrays = {k: _as_array(k, v) for k, v in obj.items()}
    else:
        arrays = {}
        structure = json.dumps(_encode(obj, arrays, "the state dict"))
        arrays[STRUCTURE_KEY] = np.array(structure)
    _write_atomically(path, lambda f: np.savez(f, **arrays))


def _write_atomically(path: str | os.PathLike[str], write: Any) -> None:
    """Write through `write(file)` to a temporary file beside `path`, fsync it, then rename it onto
    `path` (`os.replace`, atomic on POSIX and Windows): a save that fails or is killed halfway leaves
    the previous file whole, and no temporary file behind."""
    target = os.path.abspath(os.fspath(path))
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(path: str | os.PathLike[str], max_bytes: int | None = None) -> dict[str, Any]:
    """Read a state dict written by `save` (or any .npz of plain arrays) without unpickling anything.

    Hostile files are refused with FileFormatError before anything large is allocated: the arrays'
    declared sizes (read from each member's .npy header) may add up to at most `max_bytes`, by
    default the file's size times MAX_COMPRESSION_RATIO (a decompression bomb declares far more than
    its file holds), and a nested structure may be at most MAX_DEPTH levels deep."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"load: no file at {path!r}; expected an .npz archive written by nn.save")
    with open(path, "rb") as f:
        head = f.read(4)
    if head != _ZIP_MAGIC:
        raise FileFormatError(f"load: {path!r} is not an .npz archive (it does not start with a zip header)")
    budget = os.path.getsize(path) * MAX_COMPRESSION_RATIO if max_bytes is None else max_bytes
    try:
        with np.load(path, allow_pickle=False) as archive:
            declared = 0
            for name in archive.files:
                declared += _declared_bytes(archive.zip, name, path)
                if declared > budget:
                    limit = "max_bytes" if max_bytes is not None else f"{MAX_COMPRESSION_RATIO} times its file size"
                    raise FileFormatError(
                        f"load: {path!r}: its arrays up to member '{name}' declare {declared:,} bytes, more than "
                        f"the {budget:,} allowed ({limit}); pass a larger max_bytes= if the file is trusted"
                    )
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
        return arrays
    try:
        return _decode(json.loads(str(arrays.pop(STRUCTURE_KEY))), arrays)
    except RecursionError:
        raise FileFormatError(f"load: {path!r} has a '{STRUCTURE_KEY}' nested deeper than {MAX_DEPTH} levels") from None
    except (ValueError, KeyError, TypeError) as e:
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
