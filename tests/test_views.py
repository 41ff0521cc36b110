"""autograd.views: float64 gradcheck and gradgradcheck under Hypothesis for every differentiable
function (drawn shapes, dims including negative ones, sizes and shifts), the copy and view
semantics, view_checked's stride rule against NumPy's, and the errors for bad arguments, each
naming the function."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd import views as V
from autograd.errors import ArgumentError, IndexOutOfRange, ShapeError
from autograd.testing import arrays, shapes

NAMES = {
    "contiguous", "view_as", "reshape_as", "expand_as", "repeat", "repeat_interleave", "tile", "chunk",
    "split", "unbind", "flip", "roll", "narrow", "movedim", "swapaxes", "swapdims", "squeeze_dims",
    "unflatten", "view_checked", "ravel", "moveaxis", "select", "fliplr", "flipud", "rot90", "tensor_split",
    "hsplit", "vsplit", "dsplit", "take", "adjoint",
}  # fmt: skip


def leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def both(fn, x):
    assert gradcheck(fn, x)
    assert gradgradcheck(fn, x)


def test_all():
    assert set(V.__all__) == NAMES
    assert len(V.__all__) == len(NAMES)


@st.composite
def tensor_and_dim(draw, min_dims=1, max_dims=3, min_side=1):
    shape = draw(shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    return leaf(draw(arrays(shape))), dim


@st.composite
def tensor_and_dims(draw, min_dims=1):
    """A tensor and a tuple of distinct dims, some of them negative."""
    shape = draw(shapes(min_dims=min_dims, max_dims=3))
    n = max(len(shape), 1)  # a 0-d tensor takes dim 0 (or -1)
    picked = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=n))
    dims = tuple(d - n if draw(st.booleans()) else d for d in picked)
    return leaf(draw(arrays(shape))), dims


# ---- gradients ---------------------------------------------------------------------------------------
@given(xd=tensor_and_dims(min_dims=0))
def test_flip(xd):
    x, dims = xd
    out = V.flip(x, dims)
    expected = np.flip(x.numpy(), [d % max(x.ndim, 1) for d in dims]) if x.ndim else x.numpy()
    np.testing.assert_array_equal(out.numpy(), expected)
    both(lambda t: V.flip(t, dims), x)


@given(xd=tensor_and_dims(), data=st.data())
def test_roll(xd, data):
    x, dims = xd
    assume(dims)
    shifts = tuple(data.draw(st.integers(-7, 7)) for _ in dims)
    np.testing.assert_array_equal(V.roll(x, shifts, dims).numpy(), np.roll(x.numpy(), shifts, dims))
    both(lambda t: V.roll(t, shifts, dims), x)


@given(x=st.builds(leaf, arrays(shapes(min_dims=0))), shift=st.integers(-9, 9))
def test_roll_flattened(x, shift):
    np.testing.assert_array_equal(V.roll(x, shift).numpy(), np.roll(x.numpy(), shift))
    both(lambda t: V.roll(t, shift), x)


@given(x=st.builds(leaf, arrays(shapes(min_dims=0, max_dims=2, max_side=3))), data=st.data())
def test_repeat_and_tile(x, data):
    reps = tuple(data.draw(st.lists(st.integers(0, 3), min_size=x.ndim, max_size=x.ndim + 2)))
    np.testing.assert_array_equal(V.repeat(x, *reps).numpy(), np.tile(x.numpy(), reps))
    both(lambda t: V.repeat(t, *reps), x)
    fewer = reps[len(reps) - x.ndim + 1 :] if x.ndim else reps  # tile pads the front with ones
    np.testing.assert_array_equal(V.tile(x, fewer).numpy(), np.tile(x.numpy(), fewer))
    both(lambda t: V.tile(t, fewer), x)


@given(xd=tensor_and_dim(min_dims=1), data=st.data())
def test_repeat_interleave(xd, data):
    x, dim = xd
    n = x.shape[dim]
    k = data.draw(st.integers(0, 3))
    np.testing.assert_array_equal(V.repeat_interleave(x, k, dim).numpy(), np.repeat(x.numpy(), k, dim))
    both(lambda t: V.repeat_interleave(t, k, dim), x)
    counts = np.asarray(data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)), dtype=np.int64)
    reps = ag.tensor(counts)
    np.testing.assert_array_equal(V.repeat_interleave(x, reps, dim).numpy(), np.repeat(x.numpy(), counts, dim))
    both(lambda t: V.repeat_interleave(t, reps, dim), x)
    both(lambda t: V.repeat_interleave(t, k), x)  # flattened


def test_repeat_interleave_gradient_by_hand():
    x = leaf([1.0, 2.0, 3.0])
    V.repeat_interleave(x, ag.tensor([2, 0, 3])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 0.0, 3.0])
    idx = V.repeat_interleave(ag.tensor([1, 0, 2]))
    assert idx.dtype == np.int64 and idx.tolist() == [0, 2, 2]


@given(xd=tensor_and_dim(), data=st.data())
def test_chunk_split_unbind(xd, data):
    x, dim = xd
    n = x.shape[dim]
    chunks = data.draw(st.integers(1, n + 2))
    pieces = V.chunk(x, chunks, dim)
    assert len(pieces) <= chunks
    np.testing.assert_array_equal(np.concatenate([p.numpy() for p in pieces], dim), x.numpy())
    both(lambda t: V.chunk(t, chunks, dim), x)
    size = data.draw(st.integers(1, n + 1))
    assert [p.shape[dim] for p in V.split(x, size, dim)] == [min(size, n - s) for s in range(0, n, size)]
    both(lambda t: V.split(t, size, dim), x)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=3)))
    sections = [b - a for a, b in zip([0, *cuts], [*cuts, n])]
    assert [p.shape[dim] for p in V.split(x, sections, dim)] == sections
    both(lambda t: V.split(t, sections, dim), x)
    rows = V.unbind(x, dim)
    assert len(rows) == n and all(r.shape == x.shape[: dim % x.ndim] + x.shape[dim % x.ndim + 1 :] for r in rows)
    both(lambda t: V.unbind(t, dim), x)


@given(xd=tensor_and_dim(), data=st.data())
def test_narrow(xd, data):
    x, dim = xd
    n = x.shape[dim]
    start = data.draw(st.integers(-n, n))
    length = data.draw(st.integers(0, n - start % (n + 1) if start >= 0 else -start))
    out = V.narrow(x, dim, start, length)
    begin = start + n if start < 0 else start
    np.testing.assert_array_equal(out.numpy(), np.take(x.numpy(), range(begin, begin + length), dim))
    both(lambda t: V.narrow(t, dim, start, length), x)


@given(xd=tensor_and_dims(min_dims=1), data=st.data())
def test_movedim_and_swaps(xd, data):
    x, source = xd
    destination = tuple(data.draw(st.permutations(range(x.ndim)))[: len(source)])
    np.testing.assert_array_equal(
        V.movedim(x, source, destination).numpy(), np.moveaxis(x.numpy(), source, destination)
    )
    both(lambda t: V.movedim(t, source, destination), x)
    a, b = (data.draw(st.integers(-x.ndim, x.ndim - 1)) for _ in range(2))
    np.testing.assert_array_equal(V.swapaxes(x, a, b).numpy(), np.swapaxes(x.numpy(), a, b))
    both(lambda t: V.swapaxes(t, a, b), x)
    both(lambda t: V.swapdims(t, a, b), x)


@given(x=st.builds(leaf, arrays(shapes(min_dims=0, max_dims=4, min_side=1, max_side=2))), data=st.data())
def test_squeeze_dims(x, data):
    picked = data.draw(st.lists(st.integers(0, max(x.ndim, 1) - 1), unique=True, max_size=max(x.ndim, 1)))
    out = V.squeeze_dims(x, tuple(picked))
    assert out.shape == tuple(s for d, s in enumerate(x.shape) if not (d in picked and s == 1))
    both(lambda t: V.squeeze_dims(t, tuple(picked)), x)


@given(xd=tensor_and_dim(), data=st.data())
def test_unflatten(xd, data):
    x, dim = xd
    n = x.shape[dim]
    a = data.draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]))
    sizes = (a, -1) if data.draw(st.booleans()) else (a, n // a, 1)
    out = V.unflatten(x, dim, sizes)
    d = dim % x.ndim
    assert out.shape[d : d + len(sizes)] == tuple(n // a if s == -1 else s for s in sizes)
    both(lambda t: V.unflatten(t, dim, sizes), x)


@given(x=st.builds(leaf, arrays(shapes(min_dims=0))))
def test_like_functions(x):
    both(V.contiguous, x)
    flat = ag.zeros(x.numel())
    both(lambda t: V.view_as(t, flat), x)
    both(lambda t: V.reshape_as(t.mT if t.ndim >= 2 else t, flat), x)
    both(lambda t: V.expand_as(t, ag.zeros((2, *t.shape))), x)
    both(lambda t: V.view_checked(t, -1), x)


# ---- view_checked: when a view is possible ----------------------------------------------------------
@given(
    shape=shapes(min_dims=1, max_dims=4, min_side=1, max_side=3),
    data=st.data(),
)
def test_view_checked_agrees_with_numpy_views(shape, data):
    """Where view_checked allows a view, NumPy reshapes without a copy too (the result shares memory);
    where it refuses, NumPy must copy."""
    order = data.draw(st.permutations(range(len(shape))))
    step = data.draw(st.integers(1, 2))
    base = np.arange(math.prod(shape) * step, dtype=np.float64)[::step].reshape(shape)
    x = Tensor._wrap(base).permute(order)
    target = data.draw(st.sampled_from(_factorings(x.numel())))
    try:
        out = V.view_checked(x, *target)
    except ShapeError as e:
        assert "reshape" in str(e) and "view" in str(e)
        assume(x.numel() > 1)
        view = x.numpy().view()
        with pytest.raises(AttributeError):  # NumPy refuses a no-copy reshape too
            view.shape = target
    else:
        assert out.shape == target
        assert x.numel() == 0 or np.shares_memory(out.numpy(), base)


def _factorings(n):
    """Shapes with n elements: (n,), (a, n/a), (a, b, n/ab), with ones here and there."""
    out = [(n,), (1, n), (n, 1)]
    for a in range(1, n + 1):
        if n % a == 0:
            out.append((a, n // a))
            for b in range(1, n // a + 1):
                if (n // a) % b == 0:
                    out.append((a, b, n // a // b))
    return out


def test_view_checked_message():
    x = ag.tensor(np.zeros((2, 3))).T
    with pytest.raises(ShapeError, match=r"view size is not compatible.*\(3, 2\).*\(6,\).*Use \.reshape\(\.\.\.\)"):
        V.view_checked(x, 6)
    assert V.view_checked(V.contiguous(x), 6).shape == (6,)
    assert x.reshape(6).shape == (6,)


def test_contiguous_returns_the_tensor_itself_when_contiguous():
    x = leaf(np.zeros((2, 3)))
    assert V.contiguous(x) is x
    t = x.T
    c = V.contiguous(t)
    assert c is not t and c.numpy().flags.c_contiguous and c.grad_fn is not None


def test_views_share_memory_and_copies_do_not():
    x = ag.tensor(np.arange(12.0).reshape(3, 4))
    for v in [V.narrow(x, 1, 1, 2), V.movedim(x, 0, 1), V.swapaxes(x, 0, 1), V.unflatten(x, 1, (2, 2))]:
        assert np.shares_memory(v.numpy(), x.numpy())
    for c in [V.flip(x, (0,)), V.roll(x, 0), V.repeat(x, 1, 1), V.tile(x, (1, 1)), V.repeat_interleave(x, 1)]:
        assert not np.shares_memory(c.numpy(), x.numpy())


def test_integer_tensors_keep_their_dtype():
    x = ag.tensor(np.arange(6).reshape(2, 3))
    for out in [V.flip(x, (1,)), V.roll(x, 1, 1), V.repeat(x, 2, 1), V.repeat_interleave(x, 2, 0), *V.chunk(x, 2, 1)]:
        assert out.dtype == np.int64 and not out.requires_grad


# ---- errors ----------------------------------------------------------------------------------------
X = ag.tensor(np.zeros((2, 3)))
S = ag.tensor(1.0)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: V.flip(X, (2,)), IndexOutOfRange, ["flip", "dim 2", "(2, 3)", "[-2, 1]"]),
        (lambda: V.flip(X, (0, -2)), ShapeError, ["flip", "more than once"]),
        (lambda: V.flip(X, 0.5), ArgumentError, ["flip", "int"]),
        (lambda: V.roll(X, 1, 2), IndexOutOfRange, ["roll", "dim 2"]),
        (lambda: V.roll(X, (1, 2), 0), ShapeError, ["roll", "same length"]),
        (lambda: V.roll(X, (1, 2)), ShapeError, ["roll", "one int"]),
        (lambda: V.roll(X, 1.5, 0), ArgumentError, ["roll", "shift"]),
        (lambda: V.roll(S, 1, 0), IndexOutOfRange, ["roll", "0-d"]),
        (lambda: V.narrow(X, 0, 3, 0), IndexOutOfRange, ["narrow", "start 3", "[-2, 2]"]),
        (lambda: V.narrow(X, 1, 2, 2), ShapeError, ["narrow", "exceeds", "(2, 3)"]),
        (lambda: V.narrow(X, 1, 0, -1), ShapeError, ["narrow", "non-negative"]),
        (lambda: V.narrow(X, 1, 0.0, 1), ArgumentError, ["narrow", "start"]),
        (lambda: V.narrow(S, 0, 0, 1), ShapeError, ["narrow", "0-d"]),
        (lambda: V.narrow(X, True, 0, 1), ArgumentError, ["narrow", "dim"]),
        (lambda: V.chunk(X, 0), ShapeError, ["chunk", "positive"]),
        (lambda: V.chunk(S, 1), ShapeError, ["chunk", "0-d"]),
        (lambda: V.chunk(X, 2.0), ArgumentError, ["chunk", "chunks"]),
        (lambda: V.split(X, 0, 1), ShapeError, ["split", "split_size", "size 3"]),
        (lambda: V.split(X, [1, 1], 1), ShapeError, ["split", "(1, 1)", "add up to 3"]),
        (lambda: V.split(X, "2"), ArgumentError, ["split", "split_size_or_sections"]),
        (lambda: V.unbind(X, -3), IndexOutOfRange, ["unbind", "dim -3"]),
        (lambda: V.unbind(S), ShapeError, ["unbind", "0-d"]),
        (lambda: V.movedim(X, (0, 1), (0,)), ShapeError, ["movedim", "same number"]),
        (lambda: V.movedim(X, (0, 0), (0, 1)), ShapeError, ["movedim", "source"]),
        (lambda: V.movedim(X, 0, 2), IndexOutOfRange, ["movedim", "dim 2"]),
        (lambda: V.swapaxes(X, 0, 2), IndexOutOfRange, ["swapaxes", "dim 2"]),
        (lambda: V.swapdims(X, -3, 0), IndexOutOfRange, ["swapdims", "dim -3"]),
        (lambda: V.squeeze_dims(X, (0, -2)), ShapeError, ["squeeze: ", "more than once"]),
        (lambda: V.squeeze_dims(X, (2,)), IndexOutOfRange, ["squeeze: ", "dim 2"]),
        (lambda: V.squeeze_dims(X, "0"), ArgumentError, ["squeeze: ", "int"]),
        (lambda: V.unflatten(X, 1, (2, 2)), ShapeError, ["unflatten", "(2, 2)", "size 3", "(2, 3)"]),
        (lambda: V.unflatten(X, 1, ()), ShapeError, ["unflatten", "non-empty"]),
        (lambda: V.unflatten(X, 1, (-1, -1)), ShapeError, ["unflatten"]),
        (lambda: V.unflatten(X, 1, 3), ArgumentError, ["unflatten", "sizes"]),
        (lambda: V.unflatten(S, 0, (1,)), IndexOutOfRange, ["unflatten", "0-d"]),
        (lambda: V.repeat(X, 2), ShapeError, ["repeat", "(2, 3)", "smaller"]),
        (lambda: V.repeat(X, 2, -1), ShapeError, ["repeat", "non-negative"]),
        (lambda: V.repeat(X, 2, 1.0), ArgumentError, ["repeat", "int"]),
        (lambda: V.tile(X, (-1,)), ShapeError, ["tile", "non-negative"]),
        (lambda: V.repeat_interleave(X, -1), ShapeError, ["repeat_interleave", "non-negative"]),
        (lambda: V.repeat_interleave(X, ag.tensor([1, 2]), 1), ShapeError, ["repeat_interleave", "2 entries", "3"]),
        (lambda: V.repeat_interleave(X, ag.tensor([1.0, 2.0]), 0), ArgumentError, ["repeat_interleave", "integer"]),
        (lambda: V.repeat_interleave(X, 2.0), ArgumentError, ["repeat_interleave", "repeats"]),
        (lambda: V.repeat_interleave(X, 2, 2), IndexOutOfRange, ["repeat_interleave", "dim 2"]),
        (lambda: V.repeat_interleave(X, 2, output_size=5), ShapeError, ["repeat_interleave", "output_size 5", "12"]),
        (lambda: V.repeat_interleave(X), ShapeError, ["repeat_interleave", "1-d integer"]),
        (lambda: V.view_checked(X, 4, -1), ShapeError, ["view", "(4, -1)", "(2, 3)"]),
        (lambda: V.view_checked(X, -1, -1), ShapeError, ["view", "only one"]),
        (lambda: V.view_checked(X, 2, -2), ShapeError, ["view", "-2"]),
        (lambda: V.view_checked(X, 6.0), ArgumentError, ["view", "int"]),
        (lambda: V.view_as(X.T, ag.zeros(6)), ShapeError, ["view", "reshape"]),
        (lambda: V.view_as(X, np.zeros(6)), ArgumentError, ["view_as", "other", "ndarray"]),
        (lambda: V.reshape_as(X, ag.zeros(5)), ShapeError, ["reshape_as", "(2, 3)", "(5,)"]),
        (lambda: V.expand_as(X, ag.zeros((2, 2))), ShapeError, ["expand_as", "(2, 3)", "(2, 2)"]),
        (lambda: V.expand_as(X, ag.zeros(3)), ShapeError, ["expand_as", "(3,)"]),
        (lambda: V.contiguous(X, memory_format="channels_last"), ArgumentError, ["contiguous", "memory_format"]),
        (lambda: V.flip(np.zeros(3), (0,)), ArgumentError, ["flip", "Tensor", "ndarray"]),
    ],
)
def test_errors(call, error, words):
    with pytest.raises(error) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))
