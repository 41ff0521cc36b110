"""Preprocessing and augmentation on NumPy arrays: `Standardize`, `one_hot`, `resize`,
`RandomCrop`, `RandomHorizontalFlip`, `Compose`. Random ones draw from a `np.random.Generator` (default: the
engine's default generator, seeded by `autograd.manual_seed`) and work on whole (N, C, H, W)
batches, each example with its own draw."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable, Sequence

import numpy as np

from autograd import default_generator
from autograd.errors import DomainError, DTypeError, ShapeError


class Standardize:
    """(x − μ) / σ with μ, σ fitted on training data (per feature: over axis 0 by default, or over
    `axis`, e.g. (0, 2, 3) for per-channel statistics of images). Features with σ = 0 are only
    centred."""

    def __init__(self, axis: int | tuple[int, ...] = 0) -> None:
        self.axis = axis
        self.mean: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def fit(self, x: np.ndarray) -> Standardize:
        x = np.asarray(x, dtype=np.float64)
        self.mean = x.mean(axis=self.axis, keepdims=True)
        std = x.std(axis=self.axis, keepdims=True)
        self.std = np.where(std > 0, std, 1.0)
        return self

    def __call__(self, x: np.ndarray) -> np.ndarray:
        if self.mean is None or self.std is None:
            raise RuntimeError("Standardize: call fit(training_data) before transforming")
        x = np.asarray(x)
        dtype = x.dtype if x.dtype.kind == "f" else np.float32
        try:
            return ((x - self.mean) / self.std).astype(dtype)
        except ValueError as e:
            raise ShapeError(
                f"Standardize: data of shape {x.shape} does not fit statistics of shape {self.mean.shape}"
            ) from e


def one_hot(labels: Any, num_classes: int | None = None, dtype: Any = np.float32) -> np.ndarray:
    """Integer labels of any shape → (..., num_classes) rows with a 1 at each label (num_classes
    defaults to max label + 1)."""
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise DTypeError(f"one_hot: labels must be integers, got dtype {labels.dtype}")
    if num_classes is None:
        num_classes = int(labels.max()) + 1 if labels.size else 0
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise DomainError(
            f"one_hot: labels must lie in [0, {num_classes}); got values in [{labels.min()}, {labels.max()}]"
        )
    return (labels[..., None] == np.arange(num_classes)).astype(dtype)


def _check_batch(name: str, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 4:
        raise ShapeError(f"{name}: expected an (N, C, H, W) batch, got shape {x.shape}")
    return x


def _interpolation_matrix(n_in: int, n_out: int) -> np.ndarray:
    """The (n_out, n_in) matrix of 1-d linear interpolation with half-pixel centres: output pixel i
    samples the input at s = (i + ½)·n_in/n_out − ½ (clamped to [0, n_in − 1]), weighting its two
    neighbours ⌊s⌋ and ⌊s⌋ + 1 by 1 − (s − ⌊s⌋) and s − ⌊s⌋."""
    s = np.clip((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0, n_in - 1)
    lo = np.floor(s).astype(np.int64)
    hi = np.minimum(lo + 1, n_in - 1)
    m = np.zeros((n_out, n_in))
    np.add.at(m, (np.arange(n_out), lo), 1 - (s - lo))
    np.add.at(m, (np.arange(n_out), hi), s - lo)
    return m


def resize(x: np.ndarray, size: int | tuple[int, int]) -> np.ndarray:
    """Bilinear resize of an (N, C, H, W) batch to `size`, as PyTorch's
    `F.interpolate(x, size, mode="bilinear", align_corners=False)`: out = R_h · x · R_wᵀ per image,
    with R the 1-d interpolation matrices. Float inputs keep their dtype, others become float32."""
    x = _check_batch("resize", x)
    h, w = (size, size) if isinstance(size, int) else size
    if h < 1 or w < 1:
        raise DomainError(f"resize: size must be positive, got {size}")
    dtype = x.dtype if x.dtype.kind == "f" else np.float32
    rows, cols = _interpolation_matrix(x.shape[2], h), _interpolation_matrix(x.shape[3], w)
    return (rows @ x.astype(np.float64) @ cols.T).astype(dtype)


class RandomCrop:
    """Pad each image by `padding` pixels of value `fill` on every side, then cut a random `size`
    window from it. For standardised images, pass the background's standardised value as `fill`
    (e.g. `float(scaler(np.zeros((1, 1, 1, 1))).item())`), so the padding looks like background, not a grey frame."""

    def __init__(
        self,
        size: int | tuple[int, int],
        padding: int = 0,
        generator: np.random.Generator | None = None,
        fill: float = 0.0,
    ) -> None:
        self.size = (size, size) if isinstance(size, int) else tuple(size)
        if not all(isinstance(s, (int, np.integer)) and s >= 1 for s in self.size):
            raise DomainError(f"RandomCrop: size must be a positive integer or two of them, got {size!r}")
        if isinstance(padding, bool) or not isinstance(padding, (int, np.integer)) or padding < 0:
            raise DomainError(f"RandomCrop: padding must be an integer >= 0, got {padding!r}")
        self.padding = padding
        self.generator = generator
        self.fill = fill

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = _check_batch("RandomCrop", x)
        if x.dtype.kind in "iu" and not (
            float(self.fill).is_integer() and np.iinfo(x.dtype).min <= self.fill <= np.iinfo(x.dtype).max
        ):
            raise DomainError(f"RandomCrop: fill={self.fill} cannot pad {x.dtype} images; convert them to float first")
        p, (h, w) = self.padding, self.size
        padded = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=self.fill)
        H, W = padded.shape[2:]
        if h > H or w > W:
            raise ShapeError(f"RandomCrop: crop {self.size} is larger than the padded image {(H, W)}")
        rng = self.generator or default_generator()
        tops = rng.integers(0, H - h + 1, size=len(x))
        lefts = rng.integers(0, W - w + 1, size=len(x))
        rows = tops[:, None] + np.arange(h)  # (N, h)
        cols = lefts[:, None] + np.arange(w)  # (N, w)
        n = np.arange(len(x))[:, None, None, None]
        c = np.arange(x.shape[1])[None, :, None, None]
        return padded[n, c, rows[:, None, :, None], cols[:, None, None, :]]


class RandomHorizontalFlip:
    """Mirror each image left-right with probability `p`."""

    def __init__(self, p: float = 0.5, generator: np.random.Generator | None = None) -> None:
        self.p = p
        self.generator = generator

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = _check_batch("RandomHorizontalFlip", x)
        flip = (self.generator or default_generator()).random(len(x)) < self.p
        return np.where(flip[:, None, None, None], x[..., ::-1], x)


class Compose:
    """Apply transforms one after the other."""

    def __init__(self, transforms: Sequence[Callable[[np.ndarray], np.ndarray]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        for t in self.transforms:
            x = t(x)
        return x
