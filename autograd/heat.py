"""Gradient heat for `draw(..., color="grad")`: each value and edge coloured by the size of its
gradient, so vanishing and exploding gradients show at a glance.

The size of a gradient g of n elements is its root mean square √(Σ g²/n), which does not grow with
the tensor's size, put on a log scale between the smallest and the largest nonzero size in the
drawing and coloured along viridis (dark purple for the smallest, yellow for the largest). A
gradient that is exactly zero is grey; a value without one (before backward, a constant) is not
coloured.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from .describe import array_of, value_grad
from .errors import DomainError

# viridis at 0, ¼, ½, ¾ and 1, linearly interpolated between
VIRIDIS = ((0x44, 0x01, 0x54), (0x3B, 0x52, 0x8B), (0x21, 0x91, 0x8C), (0x5E, 0xC9, 0x62), (0xFD, 0xE7, 0x25))
ZERO = "#bbbbbb"
LEGEND_STEPS = 9


def colormap(t: float) -> str:
    """The viridis colour at t in [0, 1], as #rrggbb."""
    t = min(max(t, 0.0), 1.0) * (len(VIRIDIS) - 1)
    k = min(int(t), len(VIRIDIS) - 2)
    f = t - k
    rgb = (round(a + (b - a) * f) for a, b in zip(VIRIDIS[k], VIRIDIS[k + 1]))
    return "#" + "".join(f"{c:02x}" for c in rgb)


def rms(grad: Any) -> float:
    """√(Σ g²/n) of a gradient (a Tensor, a Scalar's float)."""
    a = array_of(grad).astype(np.float64)
    return float(np.sqrt(np.mean(a * a))) if a.size else 0.0


class GradientHeat:
    """The colour of each value's gradient on one log scale for the whole drawing."""

    def __init__(self, values: Iterable[Any]) -> None:
        self.size = {id(v): rms(g) for v in values if (g := value_grad(v)) is not None}
        finite = [s for s in self.size.values() if 0 < s < math.inf]
        if not finite:
            raise DomainError(
                'draw: color="grad" colours values by their gradients, and none has a nonzero finite one: '
                "call backward() first"
            )
        self.low, self.high = math.log10(min(finite)), math.log10(max(finite))

    def color(self, value: Any) -> str | None:
        size = self.size.get(id(value))
        if size is None:
            return None
        if size == 0:
            return ZERO
        if not math.isfinite(size):  # inf or NaN: off the top of the scale
            return colormap(1.0)
        span = self.high - self.low
        return colormap((math.log10(size) - self.low) / span if span > 0 else 1.0)

    def legend(self) -> str:
        """An HTML-like label: the colour bar from the smallest to the largest size, with both ends."""
        cells = "".join(
            f'<TD BGCOLOR="{colormap(k / (LEGEND_STEPS - 1))}" WIDTH="14" HEIGHT="10"></TD>'
            for k in range(LEGEND_STEPS)
        )
        low, high = (f'<FONT POINT-SIZE="9">{10**e:.1e}</FONT>' for e in (self.low, self.high))
        half = LEGEND_STEPS // 2
        return (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f'<TR><TD COLSPAN="{LEGEND_STEPS}"><FONT POINT-SIZE="9">gradient RMS (log scale)</FONT></TD></TR>'
            f"<TR>{cells}</TR>"
            f'<TR><TD COLSPAN="{half}" ALIGN="LEFT">{low}</TD>'
            f'<TD COLSPAN="{LEGEND_STEPS - half}" ALIGN="RIGHT">{high}</TD></TR>'
            f'<TR><TD COLSPAN="{LEGEND_STEPS}" BGCOLOR="{ZERO}"><FONT POINT-SIZE="9">exactly 0</FONT></TD></TR>'
            "</TABLE>>"
        )
