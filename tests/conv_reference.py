"""Nested-loop references for convolution and pooling: no strided views, no matrix multiplies and
no formula for the output size (every window start where the window fits), to check the gates
and layers against."""

import math

import numpy as np


def starts(size: int, span: int, stride: int) -> list[int]:
    """Every window start in a padded length `size` where a window spanning `span` fits."""
    return [s for s in range(0, size, stride) if s + span <= size]


def conv_reference(x, w, b, stride, padding, dilation, groups):
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    n, c, _, _ = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    rows = starts(xp.shape[2], dh * (kh - 1) + 1, sh)
    cols = starts(xp.shape[3], dw * (kw - 1) + 1, sw)
    out = np.zeros((n, o, len(rows), len(cols)))
    for ni in range(n):
        for oi in range(o):
            group = oi // (o // groups)
            for r, top in enumerate(rows):
                for q, left in enumerate(cols):
                    total = 0.0 if b is None else b[oi]
                    for ci in range(cg):
                        for i in range(kh):
                            for j in range(kw):
                                total += w[oi, ci, i, j] * xp[ni, group * cg + ci, top + i * dh, left + j * dw]
                    out[ni, oi, r, q] = total
    return out


def pool_reference(x, kernel, stride, padding, reduce, fill):
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    rows, cols = starts(xp.shape[2], kh, sh), starts(xp.shape[3], kw, sw)
    out = np.zeros(x.shape[:2] + (len(rows), len(cols)))
    for idx in np.ndindex(x.shape[:2]):
        for r, top in enumerate(rows):
            for q, left in enumerate(cols):
                out[idx + (r, q)] = reduce(xp[idx][top : top + kh, left : left + kw])
    return out


def adaptive_reference(x, size):
    (h, w), (ho, wo) = x.shape[2:], size
    out = np.zeros(x.shape[:2] + size)
    for i in range(ho):
        for j in range(wo):
            r0, r1 = math.floor(i * h / ho), math.ceil((i + 1) * h / ho)
            c0, c1 = math.floor(j * w / wo), math.ceil((j + 1) * w / wo)
            out[:, :, i, j] = x[:, :, r0:r1, c0:c1].mean(axis=(2, 3))
    return out
