"""Data sets that need no download: the UCI handwritten digits shipped with the package
(digits.npz, built by scripts/make_digits_npz.py; UCI data, CC BY 4.0) and synthetic 2-D sets."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from autograd import default_generator
from autograd.errors import ArgumentError, DomainError

from .transforms import Standardize, resize

DIGITS_FILE = Path(__file__).with_name("digits.npz")


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 UCI handwritten digits: uint8 images (1797, 8, 8) with values 0–16 and int64
    labels (1797,) in 0–9 (E. Alpaydin, C. Kaynak; UCI Machine Learning Repository, CC BY 4.0)."""
    with np.load(DIGITS_FILE, allow_pickle=False) as f:
        return f["images"], f["labels"]


@dataclass(frozen=True)
class Splits:
    """Train / validation / test arrays and the `Standardize` fitted on the training inputs."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    scaler: Standardize


def digits_splits(
    val_fraction: float = 0.15, test_fraction: float = 0.15, seed: int = 0, image_size: int | None = None
) -> Splits:
    """The digits shuffled with `seed` and cut into train / val / test, as float32.

    Without `image_size` the inputs are the 64 pixels as features, standardised with the training
    set's per-pixel mean and std (for an MLP). With `image_size` they are (N, 1, S, S) images,
    bilinearly resized from 8×8 to S×S (e.g. 28, MNIST's size, for a LeNet) and standardised with
    the training set's mean and std over all pixels (for a CNN). The split is the same either way."""
    if not (val_fraction >= 0 and test_fraction > 0 and val_fraction + test_fraction < 1):
        raise DomainError(
            f"digits_splits: need val_fraction >= 0, test_fraction > 0 and their sum < 1; "
            f"got {val_fraction}, {test_fraction}"
        )
    if image_size is not None and not (isinstance(image_size, int) and image_size >= 1):
        raise DomainError(f"digits_splits: image_size must be a positive int or None, got {image_size!r}")
    images, labels = load_digits()
    if image_size is None:
        x, scaler = images.reshape(len(images), -1).astype(np.float32), Standardize(axis=0)
    else:
        x, scaler = resize(images[:, None].astype(np.float32), image_size), Standardize(axis=(0, 2, 3))
    order = np.random.default_rng(seed).permutation(len(x))
    n_test, n_val = round(len(x) * test_fraction), round(len(x) * val_fraction)
    test, val, train = np.split(order, [n_test, n_test + n_val])
    scaler.fit(x[train])
    return Splits(scaler(x[train]), labels[train], scaler(x[val]), labels[val], scaler(x[test]), labels[test], scaler)


def _check_count(name: str, n: Any, noise: Any) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise DomainError(f"{name}: n (the number of points) must be an integer >= 0, got {n!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise ArgumentError(f"{name}: noise must be a number, got {noise!r}")
    if not (np.isfinite(noise) and noise >= 0):
        raise DomainError(f"{name}: noise (a standard deviation) must be a finite number >= 0, got {noise!r}")


def make_moons(
    n: int = 200, noise: float = 0.0, generator: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: class 0 is (cos t, sin t), class 1 is (1 − cos t, ½ − sin t)
    for t evenly spaced in [0, π] (⌈n/2⌉ and ⌊n/2⌋ points), plus N(0, noise²) on each coordinate,
    shuffled. Returns float32 points (n, 2) and int64 labels (n,)."""
    _check_count("make_moons", n, noise)
    rng = generator or default_generator()
    n0 = n - n // 2
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n // 2)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], 1), np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], 1)])
    y = np.concatenate([np.zeros(n0, np.int64), np.ones(n // 2, np.int64)])
    if noise:
        x = x + noise * rng.standard_normal(x.shape)
    return _shuffled(x, y, rng)


def make_spirals(
    n: int = 300, classes: int = 3, noise: float = 0.2, generator: np.random.Generator | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """`classes` interleaved spiral arms (n points shared as evenly as possible): arm k has radius r
    evenly spaced in [0, 1] and angle 4k + 4r + N(0, noise²), point r·(sin θ, cos θ), shuffled.
    Returns float32 points (n, 2) and int64 labels (n,)."""
    _check_count("make_spirals", n, noise)
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 1:
        raise DomainError(f"make_spirals: classes must be an integer >= 1, got {classes!r}")
    rng = generator or default_generator()
    sizes = [n // classes + (k < n % classes) for k in range(classes)]
    r = np.concatenate([np.linspace(0, 1, m) for m in sizes])
    y = np.repeat(np.arange(classes, dtype=np.int64), sizes)
    theta = 4 * y + 4 * r + noise * rng.standard_normal(n)
    x = r[:, None] * np.stack([np.sin(theta), np.cos(theta)], 1)
    return _shuffled(x, y, rng)


def _shuffled(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(x))
    return x[order].astype(np.float32), y[order]
