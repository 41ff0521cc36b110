"""`save` / `load`: state dicts in NumPy's .npz format, read back with `allow_pickle=False`.

A flat dict of arrays (a model's state dict) is stored as one archive member per key, so
`np.load(path)` reads it too. Anything nested (an optimizer's or a scheduler's state dict: dicts,
lists, numbers, strings, booleans, None and arrays) is stored as its arrays plus a JSON description
of the structure, still without pickle.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import zipfile
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import AutogradError

STRUCTURE_KEY = "__structure__"  # the JSON member of a nested archive
_ZIP_MAGIC = b"PK\x03\x04"


class FileFormatError(AutogradError, ValueError):
    """A file that exists but does not hold what its reader expects."""


def _as_array(name: str, value: Any) -> np.ndarray:
    arr = np.asarray(value.data if isinstance(value, Tensor) else value)
    if arr.dtype.hasobject:
        raise TypeError(f"save: '{name}' is an array of Python objects; only numeric, bool and string arrays are saved")
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
                raise TypeError(f"save: key {k!r} at {where} is a {type(k).__name__}; keys must be str or int")
            items.append([k, _encode(v, arrays, f"{where}[{k!r}]")])
        return {"dict": items}
    if isinstance(obj, (list, tuple)):
        return {"list": [_encode(v, arrays, f"{where}[{i}]") for i, v in enumerate(obj)]}
    if isinstance(obj, np.generic):
        obj = obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    raise TypeError(
        f"save: cannot store {type(obj).__name__} at {where}; expected arrays, tensors, numbers, strings, "
        "booleans, None, and dicts or lists of them"
    )


def _decode(node: Any, arrays: dict[str, np.ndarray]) -> Any:
    if "array" in node:
        return arrays[node["array"]]
    if "dict" in node:
        return {k: _decode(v, arrays) for k, v in node["dict"]}
    if "list" in node:
        return [_decode(v, arrays) for v in node["list"]]
    return node["value"]


def save(obj: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Write a state dict to `path` (.npz, uncompressed). Tensors are saved as their arrays."""
    if not isinstance(obj, dict):
        raise TypeError(f"save: expected a dict (a state dict), got {type(obj).__name__}")
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


def load(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a state dict written by `save` (or any .npz of plain arrays) without unpickling anything."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"load: no file at {path!r}; expected an .npz archive written by nn.save")
    with open(path, "rb") as f:
        head = f.read(4)
    if head != _ZIP_MAGIC:
        raise FileFormatError(f"load: {path!r} is not an .npz archive (it does not start with a zip header)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except ValueError as e:
        if "allow_pickle" in str(e):  # NumPy refuses object arrays when allow_pickle=False
            raise FileFormatError(f"load: {path!r} holds an array of Python objects, which would need pickle") from e
        raise FileFormatError(f"load: {path!r} has a malformed array member ({e})") from e
    except (zipfile.BadZipFile, EOFError, OSError) as e:
        raise FileFormatError(f"load: {path!r} is a damaged or truncated .npz archive ({e})") from e
    if STRUCTURE_KEY not in arrays:
        return arrays
    try:
        return _decode(json.loads(str(arrays.pop(STRUCTURE_KEY))), arrays)
    except (ValueError, KeyError, TypeError) as e:
        raise FileFormatError(f"load: {path!r} has a malformed '{STRUCTURE_KEY}' member ({e!r})") from e
