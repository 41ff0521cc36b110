"""Pooling gates over NCHW images: per channel, no parameters, on the windows of `conv.py`.
Max and average pooling loop over the kH·kW kernel offsets, each step vectorised over the whole
batch, which is several times faster than reducing over the short window axes."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ShapeError
from ..function import Function
from .conv import Col2Im, Window, image, pair, window, windows
from .elementwise import _const
from .shape import ScatterAdd


def pool_window(op: str, x: np.ndarray, kernel: Any, stride: Any, padding: Any) -> Window:
    """Pooling geometry: stride defaults to the kernel size, padding at most half the kernel."""
    image(op, x)
    win = window(op, x.shape, kernel, kernel if stride is None else stride, padding, 1)
    if any(2 * p > k for p, k in zip(win.padding, win.kernel)):
        raise ShapeError(f"{op}: padding {win.padding} must be at most half the kernel size {win.kernel}")
    return win


class MaxPool2d(Function):
    """z[n, c, ho, wo] = max of the window  ·  ∂L/∂x = g routed to the window's maximum (the router).
    Padding is −∞, so it never wins. A tie goes to the first maximum in row-major window order."""

    __slots__ = ("win", "argmax")

    def forward(self, x, kernel_size, stride, padding):
        self.win = win = pool_window("max_pool2d", x, kernel_size, stride, padding)
        views = windows(x, win, -np.inf)
        kw = win.kernel[1]
        # Strict > keeps the first maximum; argmax over a short window axis would be 2x slower.
        best = views[:, :, 0, 0].copy()
        self.argmax = np.zeros(best.shape, dtype=np.min_scalar_type(win.kernel[0] * kw))
        for k in range(1, win.kernel[0] * kw):
            candidate = views[:, :, k // kw, k % kw]
            np.putmask(self.argmax, candidate > best, k)
            np.maximum(best, candidate, out=best)
        return best

    def backward(self, g):
        x = self.inputs[0]
        flat = g.reshape(-1)
        return ScatterAdd.apply(flat, index=self.source_index(x.shape), shape=(x.numel(),)).reshape(x.shape)

    def source_index(self, shape: tuple[int, ...]) -> np.ndarray:
        """The flat index into x of every output's maximum (padding never wins, so it lies inside x):
        the window's top-left corner plus the winning kernel offset, built with one full-size array."""
        n, c, h, w = shape
        (kh, kw), (sh, sw), (ph, pw), (dh, dw), (ho, wo) = self.win
        offsets = (np.arange(kh)[:, None] * dh * w + np.arange(kw) * dw).reshape(-1)
        index = offsets[self.argmax]
        index += (np.arange(n * c) * (h * w)).reshape(n, c, 1, 1)
        index += ((np.arange(ho) * sh - ph) * w)[:, None]
        index += np.arange(wo) * sw - pw
        return index.reshape(-1)

    def release(self):
        super().release()
        self.argmax = None


class AvgPool2d(Function):
    """z[n, c, ho, wo] = mean of the kH·kW window, padding counted as zeros  ·  ∂L/∂x = Col2Im(g / (kH·kW))"""

    __slots__ = ("win",)

    def forward(self, x, kernel_size, stride, padding):
        self.win = win = pool_window("avg_pool2d", x, kernel_size, stride, padding)
        views = windows(x, win)
        total = views[:, :, 0, 0].copy()
        for k in range(1, win.kernel[0] * win.kernel[1]):
            total += views[:, :, k // win.kernel[1], k % win.kernel[1]]
        return total * total.dtype.type(1 / (win.kernel[0] * win.kernel[1]))

    def backward(self, g):
        x = self.inputs[0]
        (kh, kw), (ho, wo) = self.win.kernel, self.win.out
        spread = (g * (1.0 / (kh * kw))).reshape(x.shape[:2] + (1, 1, ho, wo)).expand(x.shape[:2] + (kh, kw, ho, wo))
        return Col2Im.apply(spread, win=self.win, shape=x.shape)


def averaging_matrix(n_in: int, n_out: int, dtype: Any) -> np.ndarray:
    """(n_out, n_in): row i averages x[⌊i·n_in/n_out⌋ : ⌈(i+1)·n_in/n_out⌉] (PyTorch's adaptive windows)."""
    i = np.arange(n_out)
    start, stop = (i * n_in) // n_out, -((-(i + 1) * n_in) // n_out)
    cols = np.arange(n_in)
    inside = (cols >= start[:, None]) & (cols < stop[:, None])
    return (inside / (stop - start)[:, None]).astype(dtype)


class AdaptiveAvgPool2d(Function):
    """z = A_H @ x @ A_Wᵀ per image, A averaging the adaptive windows (a window average is separable)
    ·  ∂L/∂x = A_Hᵀ @ g @ A_W"""

    __slots__ = ("rows", "cols")

    def forward(self, x, output_size):
        image("adaptive_avg_pool2d", x)
        size = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
        if len(size) != 2:
            raise ShapeError(f"adaptive_avg_pool2d: output_size must be an int or a pair, got {output_size!r}")
        size = tuple(n if s is None else s for s, n in zip(size, x.shape[2:]))
        ho, wo = pair("adaptive_avg_pool2d", "output_size", size, 1)
        if 0 in x.shape[2:]:
            raise ShapeError(f"adaptive_avg_pool2d: input {x.shape} has an empty spatial dimension")
        self.rows = averaging_matrix(x.shape[2], ho, x.dtype)
        self.cols = averaging_matrix(x.shape[3], wo, x.dtype)
        return self.rows @ x @ self.cols.T

    def backward(self, g):
        return _const(self.rows.T, g) @ g @ _const(self.cols, g)
