"""`pad` with PyTorch's four modes, as `F.pad`: constant (negative widths crop), reflect, replicate
and circular, composed from autograd's `pad`, slicing and `index_select` (so gradients flow)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from autograd import Tensor, index_select
from autograd import pad as constant_pad
from autograd.errors import ArgumentError, ShapeError
from autograd.extend import wrap

# NumPy's pad mode that gives, applied to arange(n), the source index of each padded position
_INDEX_MODES = {"reflect": "reflect", "replicate": "edge", "circular": "wrap"}


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad)/2 dims, PyTorch's order: (left, right) of the last dim, then of the one
    before… `constant` fills with `value` (0 if None; negative widths crop); `reflect` mirrors
    without repeating the edge, `replicate` repeats the edge, `circular` wraps around."""
    x = input if isinstance(input, Tensor) else Tensor(input)
    widths = tuple(int(p) for p in pad)
    if len(widths) % 2 or len(widths) > 2 * x.ndim:
        raise ShapeError(
            f"pad: expected an even number (at most {2 * x.ndim}) of widths for an input of shape {x.shape}, "
            f"got {widths}"
        )
    pairs = [(x.ndim - 1 - i, widths[2 * i], widths[2 * i + 1]) for i in range(len(widths) // 2)]
    if mode == "constant":
        return _constant(x, pairs, 0.0 if value is None else value)
    if mode not in _INDEX_MODES:
        raise ArgumentError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}")
    if value is not None and value != 0:
        raise ArgumentError(f"pad: mode {mode!r} takes no value argument, got value={value}")
    k = len(pairs)
    if k not in (1, 2, 3) or x.ndim not in (k + 1, k + 2):
        raise ShapeError(
            f"pad: mode {mode!r} pads the last 1, 2 or 3 dims of a (N, C, …) or (C, …) input: {len(widths)} "
            f"widths need {k + 1} or {k + 2} dims, got shape {x.shape}"
        )
    for d, lo, hi in pairs:
        n = x.shape[d]
        if lo < 0 or hi < 0:
            raise ShapeError(f"pad: mode {mode!r} takes non-negative widths, got {widths}")
        if mode == "reflect" and (lo >= n or hi >= n):
            raise ShapeError(
                f"pad: reflect padding must be smaller than the dimension it pads: widths ({lo}, {hi}) "
                f"for dim {d} of size {n} (input shape {x.shape})"
            )
        if mode == "circular" and (lo > n or hi > n):
            raise ShapeError(
                f"pad: circular padding cannot wrap around more than once: widths ({lo}, {hi}) for dim {d} "
                f"of size {n} (input shape {x.shape})"
            )
        if mode == "replicate" and n == 0 and (lo or hi):
            raise ShapeError(f"pad: replicate padding needs a non-empty dim {d}, got input shape {x.shape}")
    for d, lo, hi in pairs:
        if lo or hi:
            index = np.pad(np.arange(x.shape[d]), (lo, hi), mode=_INDEX_MODES[mode])  # type: ignore[call-overload]
            x = index_select(x, d, wrap(index.astype(np.int64)))
    return x


def _constant(x: Tensor, pairs: list[tuple[int, int, int]], value: float) -> Tensor:
    """Crop the negative widths, then pad the positive ones with `value`."""
    crop = [slice(None)] * x.ndim
    for d, lo, hi in pairs:
        if lo < 0 or hi < 0:
            n = x.shape[d]
            start, stop = max(-lo, 0), n - max(-hi, 0)
            if stop < start:
                raise ShapeError(
                    f"pad: widths ({lo}, {hi}) crop more than the {n} elements of dim {d} (input shape {x.shape})"
                )
            crop[d] = slice(start, stop)
    if any(s != slice(None) for s in crop):
        x = x[tuple(crop)]
    positive = [0] * (2 * len(pairs))
    for i, (_, lo, hi) in enumerate(pairs):
        positive[2 * i], positive[2 * i + 1] = max(lo, 0), max(hi, 0)
    return constant_pad(x, positive, value) if any(positive) else x
