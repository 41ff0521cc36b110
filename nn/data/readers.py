"""Readers for standard data files already on local disk, parsed by hand with NumPy (nothing is
unpickled): MNIST's IDX files and the binary version of CIFAR-10. A missing file raises
FileNotFoundError naming what was looked for and where to get it; a malformed one FileFormatError."""

from __future__ import annotations

import gzip
import math
import os
import zlib
from pathlib import Path

import numpy as np

from ..serialization import FileFormatError

MNIST_HELP = (
    "MNIST comes as four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
    "t10k-labels-idx1-ubyte, raw or .gz) from http://yann.lecun.com/exdb/mnist/ or a mirror such as "
    "https://ossci-datasets.s3.amazonaws.com/mnist/"
)
CIFAR10_HELP = (
    "CIFAR-10's binary version (data_batch_1.bin ... data_batch_5.bin, test_batch.bin) is in "
    "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz; unpack it and pass the directory"
)
CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CIFAR10_RECORD = 1 + 3 * 32 * 32  # label byte, then 1024 red, 1024 green, 1024 blue bytes (rows of 32)

# IDX type codes -> big-endian dtypes
IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped if it starts with the gzip magic number."""
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise FileFormatError(f"{path}: a damaged or truncated gzip file ({e})") from e


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """One IDX file (raw or gzipped): magic 0x00 0x00 <type code> <ndim>, then ndim big-endian uint32
    sizes, then the values big-endian. Returns the array in native byte order."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"read_idx: no file at {path}. {MNIST_HELP}")
    data = _read_bytes(path)
    if len(data) < 4 or data[:2] != b"\x00\x00" or data[2] not in IDX_DTYPES:
        raise FileFormatError(
            f"read_idx: {path} is not an IDX file: it should start with 0x00 0x00, a type code in "
            f"{[hex(c) for c in IDX_DTYPES]} and the number of dimensions; it starts with {data[:4].hex(' ')}"
        )
    dtype, ndim = np.dtype(IDX_DTYPES[data[2]]), data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise FileFormatError(f"read_idx: {path} ends inside its header ({len(data)} bytes for {ndim} dimensions)")
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", count=ndim, offset=4))
    expected = header + math.prod(shape) * dtype.itemsize  # Python ints: np.prod wraps around past 2**63
    if len(data) != expected:
        raise FileFormatError(
            f"read_idx: {path} has {len(data)} bytes; its header (shape {shape}, {dtype.name}) needs {expected}"
        )
    return np.frombuffer(data, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def _find(root: Path, names: list[str], subdirs: tuple[str, ...], help_text: str) -> Path:
    for directory in (root, *(root / s for s in subdirs)):
        for name in names:
            if (directory / name).is_file():
                return directory / name
    raise FileNotFoundError(f"none of {names} found in {root} (or its {list(subdirs)} subdirectories). {help_text}")


def load_mnist(root: str | os.PathLike[str], train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST training (60,000) or test (10,000) set from the IDX files in `root` (or
    `root/MNIST/raw`): uint8 images (N, 28, 28) and int64 labels (N,)."""
    root, prefix = Path(root), "train" if train else "t10k"
    found = []
    for kind, code in (("images", "idx3"), ("labels", "idx1")):
        names = [f"{prefix}-{kind}{sep}{code}-ubyte{ext}" for sep in "-." for ext in ("", ".gz")]
        found.append(_find(root, names, ("MNIST/raw",), MNIST_HELP))
    images, labels = (read_idx(p) for p in found)
    if images.dtype != np.uint8 or images.ndim != 3 or labels.dtype != np.uint8 or labels.ndim != 1:
        raise FileFormatError(
            f"load_mnist: expected uint8 images (N, rows, cols) and uint8 labels (N,); got {images.dtype} "
            f"{images.shape} in {found[0]} and {labels.dtype} {labels.shape} in {found[1]}"
        )
    if len(images) != len(labels) or (labels.size and labels.max() > 9):
        raise FileFormatError(
            f"load_mnist: {len(images)} images but {len(labels)} labels, or labels outside 0-9, in {found}"
        )
    return images, labels.astype(np.int64)


def read_cifar10_batch(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray]:
    """One CIFAR-10 binary batch: records of 3,073 bytes (a label byte, then the red, green and
    blue 32×32 planes). Returns uint8 images (N, 3, 32, 32) and int64 labels (N,)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"read_cifar10_batch: no file at {path}. {CIFAR10_HELP}")
    data = np.frombuffer(path.read_bytes(), np.uint8)
    if data.size == 0 or data.size % CIFAR10_RECORD:
        raise FileFormatError(
            f"read_cifar10_batch: {path} has {data.size} bytes, not a whole number of "
            f"{CIFAR10_RECORD}-byte records (a label byte and 3x32x32 pixel bytes)"
        )
    records = data.reshape(-1, CIFAR10_RECORD)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        raise FileFormatError(f"read_cifar10_batch: {path} has label {labels.max()}; CIFAR-10 labels are 0-9")
    return records[:, 1:].reshape(-1, 3, 32, 32).copy(), labels


def load_cifar10(root: str | os.PathLike[str], train: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The CIFAR-10 training batches 1–5 (50,000) or the test batch (10,000) from `root` (or
    `root/cifar-10-batches-bin`): uint8 images (N, 3, 32, 32) and int64 labels (N,)."""
    names = [f"data_batch_{i}.bin" for i in range(1, 6)] if train else ["test_batch.bin"]
    paths = [_find(Path(root), [name], ("cifar-10-batches-bin",), CIFAR10_HELP) for name in names]
    images, labels = zip(*(read_cifar10_batch(p) for p in paths))
    return np.concatenate(images), np.concatenate(labels)
