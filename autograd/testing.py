"""Hypothesis strategies for property-testing gates against central differences.

    from hypothesis import given
    from autograd import gradcheck
    from autograd.testing import tensors

    @given(tensors())
    def test_my_gate(x):
        assert gradcheck(MyGate.apply, x)

Values are float64, bounded and well-conditioned; `away_from` keeps them clear of the points
where a gate is not differentiable (0 for abs/relu, the clip bounds, ...).
"""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError("autograd.testing needs Hypothesis: pip install 'circuitgrad[test]'") from e

from .tensor import Tensor

Shape = tuple[int, ...]


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 4) -> st.SearchStrategy[Shape]:
    """Array shapes: 0-d, vectors, matrices, small 3-d blocks."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def floats(
    low: float = -3.0, high: float = 3.0, away_from: Sequence[float] = (), margin: float = 0.05
) -> st.SearchStrategy[float]:
    """Finite floats in [low, high], at least `margin` from every point of `away_from`."""
    values = st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    if away_from:
        values = values.filter(lambda v: all(abs(v - p) >= margin for p in away_from))
    return values


@st.composite
def arrays(
    draw: Any,
    shape: Shape | st.SearchStrategy[Shape] | None = None,
    low: float = -3.0,
    high: float = 3.0,
    away_from: Sequence[float] = (),
    margin: float = 0.05,
) -> np.ndarray:
    """float64 arrays of a given or drawn shape with values from `floats(...)`."""
    if shape is None:
        shape = shapes()
    if isinstance(shape, st.SearchStrategy):
        shape = draw(shape)
    return draw(hnp.arrays(np.float64, shape, elements=floats(low, high, away_from, margin)))


@st.composite
def distinct_arrays(draw: Any, shape: Shape | st.SearchStrategy[Shape] | None = None, gap: float = 0.1) -> np.ndarray:
    """float64 arrays whose elements differ pairwise by at least `gap`: no ties for max gates."""
    if shape is None:
        shape = shapes()
    if isinstance(shape, st.SearchStrategy):
        shape = draw(shape)
    n = int(np.prod(shape))
    order = draw(st.permutations(range(n)))
    offset = draw(st.floats(-1.0, 1.0))
    return (np.asarray(order, dtype=np.float64) * gap - n * gap / 2 + offset).reshape(shape)


def tensors(
    shape: Shape | st.SearchStrategy[Shape] | None = None, requires_grad: bool = True, **kw: Any
) -> st.SearchStrategy[Tensor]:
    """float64 Tensors (requiring grad by default) over `arrays(shape, **kw)`."""
    return arrays(shape, **kw).map(lambda a: Tensor(a, requires_grad=requires_grad))


def broadcastable_shapes(
    num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3, max_side: int = 4
) -> st.SearchStrategy[tuple[Shape, ...]]:
    """Tuples of shapes that broadcast together, e.g. ((3, 1), (4,))."""
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, max_side=max_side
    ).map(lambda r: r.input_shapes)


@st.composite
def matmul_shapes(draw: Any, max_batch_dims: int = 2, max_side: int = 4) -> tuple[Shape, Shape]:
    """Shape pairs that np.matmul accepts: vectors, matrices and broadcast batches of matrices."""
    n, k, m = (draw(st.integers(1, max_side)) for _ in range(3))
    left_vec, right_vec = draw(st.booleans()), draw(st.booleans())
    batch_a, batch_b = draw(broadcastable_shapes(2, 0, max_batch_dims, max_side=3))
    a = (k,) if left_vec else batch_a + (n, k)
    b = (k,) if right_vec else batch_b + (k, m)
    return a, b
