"""PyTorch parity of autograd.views: every function in its `__all__` through the harness (values,
dtypes, shapes and gradients), over several dims and negative dims, non-contiguous inputs, 0-d
and empty tensors and integer dtypes; and view_checked raising, with a message that says to use
reshape, exactly where PyTorch's `Tensor.view` raises."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd import views
from autograd.errors import IndexOutOfRange, ShapeError
from tests.parity import check

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
X3 = RNG.standard_normal((2, 3, 4))
X1 = RNG.standard_normal((2, 1, 3, 1))
S = np.asarray(1.5)
E = np.zeros((0, 3))
I = RNG.integers(-5, 5, (3, 4))  # noqa: E741


def fn(m):
    return views if m is ag else torch


def method(name, *args, **kw):
    """Ours `views.name(x, ...)`, PyTorch's `x.name(...)` (PyTorch has these as methods only)."""
    return lambda m, x: getattr(views, name)(x, *args, **kw) if m is ag else getattr(x, name)(*args, **kw)


def top(name, *args, **kw):
    """`views.name(x, ...)` and `torch.name(x, ...)`."""
    return lambda m, x: getattr(fn(m), name)(x, *args, **kw)


def view(*shape):
    """Ours `views.view_checked(x, *shape)`, PyTorch's `x.view(*shape)`."""
    return lambda m, x: views.view_checked(x, *shape) if m is ag else x.view(*shape)


def view_of(make, *shape):
    """`view(*shape)` of `make(m, x)`, a tensor made (e.g. permuted) on each side first."""
    return lambda m, x: view(*shape)(m, make(m, x))


def permuted(m, x):
    return x.permute(2, 0, 1)


CASES = [
    ("contiguous", method("contiguous"), X),
    ("contiguous T", lambda m, x: (views.contiguous(x.T) if m is ag else x.T.contiguous()), X),
    ("view_as", lambda m, x, y: views.view_as(x, y) if m is ag else x.view_as(y), X, np.zeros((2, 6))),
    ("reshape_as T", lambda m, x, y: views.reshape_as(x.T, y) if m is ag else x.T.reshape_as(y), X, np.zeros(12)),
    ("expand_as", lambda m, x, y: views.expand_as(x, y) if m is ag else x.expand_as(y), X[:1], np.zeros((2, 3, 4))),
    ("expand_as 0-d", lambda m, x, y: views.expand_as(x, y) if m is ag else x.expand_as(y), S, np.zeros((2, 3))),
    ("repeat", method("repeat", 2, 3), X),
    ("repeat lead", method("repeat", 2, 1, 3), X),
    ("repeat tuple", method("repeat", (2, 1, 1, 2)), X3),
    ("repeat zero", method("repeat", 0, 2), X),
    ("repeat ones", method("repeat", 1, 1), X),
    ("repeat 0-d", method("repeat", 3, 2), S),
    ("repeat int", method("repeat", 2, 2), I),
    ("repeat_interleave flat", top("repeat_interleave", 2), X),
    ("repeat_interleave dim", top("repeat_interleave", 3, dim=1), X),
    ("repeat_interleave -1", top("repeat_interleave", 2, dim=-1), X3),
    ("repeat_interleave 0-d", top("repeat_interleave", 3), S),
    ("repeat_interleave method", method("repeat_interleave", 2, 0), X),
    ("tile", top("tile", (2,)), X),
    ("tile lead", top("tile", (2, 1, 3)), X),
    ("tile 3-d", top("tile", (2, 2)), X3),
    ("tile method", method("tile", 2, 2), X),
    ("flip 0", top("flip", (0,)), X),
    ("flip both", top("flip", (0, -1)), X),
    ("flip list", top("flip", [-2, 2]), X3),
    ("flip none", top("flip", ()), X),
    ("flip 0-d", top("flip", (0,)), S),
    ("flip method", method("flip", 0, 1), X),
    ("flip int", top("flip", (1,)), I),
    ("roll flat", top("roll", 5), X),
    ("roll dim", top("roll", 1, 0), X),
    ("roll negative", top("roll", -3, -1), X),
    ("roll several", top("roll", (1, -2), (0, 2)), X3),
    ("roll same dim twice", top("roll", (1, 2), (1, 1)), X3),
    ("roll large", top("roll", 9, 1), X),
    ("roll zero", top("roll", 0, 1), X),
    ("roll 0-d", top("roll", 1), S),
    ("narrow", top("narrow", 1, 1, 2), X),
    ("narrow negative start", top("narrow", -1, -3, 2), X3),
    ("narrow empty", top("narrow", 0, 3, 0), X),
    ("narrow method", method("narrow", 0, 1, 2), X),
    ("movedim", top("movedim", 0, -1), X3),
    ("movedim tuple", top("movedim", (0, 1), (2, 0)), X3),
    ("movedim negative", top("movedim", (-1,), (0,)), X3),
    ("movedim 0-d", top("movedim", 0, 0), S),
    ("swapaxes", top("swapaxes", 0, -1), X3),
    ("swapaxes same", top("swapaxes", 1, 1), X3),
    ("swapdims", top("swapdims", -2, 0), X3),
    ("swapdims method", method("swapdims", 0, 1), X),
    ("squeeze_dims", lambda m, x: views.squeeze_dims(x, (1, 3)) if m is ag else torch.squeeze(x, (1, 3)), X1),
    ("squeeze_dims kept", lambda m, x: views.squeeze_dims(x, (0, -1)) if m is ag else torch.squeeze(x, (0, -1)), X1),
    ("squeeze_dims int", lambda m, x: views.squeeze_dims(x, -3) if m is ag else x.squeeze(-3), X1),
    ("squeeze_dims 0-d", lambda m, x: views.squeeze_dims(x, (0,)) if m is ag else torch.squeeze(x, (0,)), S),
    ("unflatten", top("unflatten", 1, (2, 2)), X),
    ("unflatten infer", top("unflatten", -1, (2, -1, 1)), X3),
    ("unflatten method", method("unflatten", 0, (3, 1)), X),
    ("view", view(2, 6), X),
    ("view infer", view(-1), X3),
    ("view tuple", view((4, -1, 2)), X3),
    ("view T split", view_of(lambda m, x: x.T, 2, 2, 3, 1), X),
    ("view strided", view_of(lambda m, x: x[:, ::2], 3, 1, 2), X),
    ("view permuted merge", view_of(permuted, 4, 6), X3),
    ("view expanded", view_of(lambda m, x: x.expand(2, 3, 4), 2, 3, 2, 2), X),
    ("view 0-d", view(1, 1), S),
    ("view empty T", view_of(lambda m, x: x.T, 3, 0, 1), E),
    ("view empty T infer", view_of(lambda m, x: x.T, -1), E),
]  # fmt: skip

SPLITS = [
    ("chunk", top("chunk", 2), X),
    ("chunk uneven", top("chunk", 3, 1), X),
    ("chunk more than size", top("chunk", 6, -1), X),
    ("chunk 5 by 3", top("chunk", 3), RNG.standard_normal(5)),
    ("chunk empty", top("chunk", 3), E),
    ("chunk method", method("chunk", 2, -2), X3),
    ("split int", top("split", 2, 1), X),
    ("split int uneven", top("split", 3, -1), X),
    ("split large", top("split", 10), X),
    ("split list", top("split", [1, 0, 2], 1), X3),
    ("split empty", top("split", 0), E),
    ("split method", method("split", [2, 2], -1), X),
    ("unbind", top("unbind"), X),
    ("unbind -1", top("unbind", -1), X3),
    ("unbind method", method("unbind", 1), X3),
    ("unbind empty", top("unbind", 0), E),
]  # fmt: skip


def test_all_names():
    assert set(views.__all__) == {
        "contiguous", "view_as", "reshape_as", "expand_as", "repeat", "repeat_interleave", "tile", "chunk",
        "split", "unbind", "flip", "roll", "narrow", "movedim", "swapaxes", "swapdims", "squeeze_dims",
        "unflatten", "view_checked", "ravel", "moveaxis", "select", "fliplr", "flipud", "rot90", "tensor_split",
        "hsplit", "vsplit", "dsplit", "take", "adjoint",
    }  # fmt: skip
    assert len(views.__all__) == len(set(views.__all__))
    assert all(callable(getattr(views, n)) for n in views.__all__)


@pytest.mark.parametrize("case", CASES + SPLITS, ids=[c[0] for c in CASES + SPLITS])
def test_parity(case):
    _, f, *inputs = case
    check(f, inputs)


def test_float32_keeps_dtype():
    x = X3.astype(np.float32)
    check(top("roll", (1, 1), (0, 2)), [x])
    check(top("repeat_interleave", 2, dim=1), [x])
    check(method("repeat", 1, 2, 1), [x])


def test_repeat_interleave_tensor_repeats():
    reps = np.array([2, 0, 3])
    check(lambda m, x: fn(m).repeat_interleave(x, m.tensor(reps), dim=0), [X])
    check(lambda m, x: fn(m).repeat_interleave(x, m.tensor(reps[:1]), dim=-1), [X])  # one count for all
    check(lambda m, x: fn(m).repeat_interleave(x, m.tensor(np.array([1, 2, 0, 1])), dim=1, output_size=4), [X])
    check(lambda m, x: fn(m).repeat_interleave(x, m.tensor(np.arange(12) % 3)), [X])  # flattened
    check(lambda m, r: fn(m).repeat_interleave(r), [np.array([2, 0, 1, 3])], grad=False)  # the indices alone


def test_narrow_tensor_start():
    check(lambda m, x: fn(m).narrow(x, 1, m.tensor(1), 2), [X])


def test_chunk_pieces_are_views_as_in_pytorch():
    x = ag.tensor(X)
    for piece in views.chunk(x, 2, 1) + views.split(x, [1, 2]) + views.unbind(x):
        assert np.shares_memory(piece.numpy(), x.numpy())


@pytest.mark.parametrize("name", ["repeat", "tile", "flip", "roll"])
def test_copies_own_memory(name):
    """PyTorch's repeat, tile, flip and roll copy, even where nothing moves."""
    x = ag.tensor(X)
    out = {
        "repeat": lambda: views.repeat(x, 1, 1),
        "tile": lambda: views.tile(x, (1,)),
        "flip": lambda: views.flip(x, (0,)),
        "roll": lambda: views.roll(x, 0, 0),
    }[name]()
    assert out is not x and not np.shares_memory(out.numpy(), x.numpy())


# ---- view where PyTorch's view raises --------------------------------------------------------------
IMPOSSIBLE = [
    ("T flat", lambda m, x: x.T, (-1,), X),
    ("T merge", lambda m, x: x.T, (12,), X),
    ("T 3-d", lambda m, x: x.T, (2, 6), X),
    ("permuted flat", permuted, (24,), X3),
    ("permuted merge", permuted, (8, 3), X3),
    ("permuted split then merge", permuted, (2, 4, 3), X3),
    ("strided rows", lambda m, x: x[::2], (-1,), X),
    ("cut columns", lambda m, x: x[:, :2], (6,), X),
    ("expanded", lambda m, x: x.expand(2, 3, 4), (8, 3), X),
    ("swapped", lambda m, x: x.transpose(0, 1), (3, 8), X3),
]  # fmt: skip


@pytest.mark.parametrize("case", IMPOSSIBLE, ids=[c[0] for c in IMPOSSIBLE])
def test_view_raises_where_pytorch_does(case):
    _, make, shape, data = case
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        make(torch, torch.tensor(data)).view(*shape)
    with pytest.raises(ShapeError, match=r"(?s)view size is not compatible.*\.reshape\(\.\.\.\)") as info:
        views.view_checked(make(ag, ag.tensor(data)), *shape)
    assert str(tuple(make(ag, ag.tensor(data)).shape)) in str(info.value)
    check(lambda m, x: make(m, x).reshape(*shape), [data])  # what the message suggests works on both
    check(view_of(lambda m, x: method("contiguous")(m, make(m, x)), *shape), [data])


def test_view_as_raises_where_pytorch_does():
    with pytest.raises(RuntimeError):
        torch.tensor(X).T.view_as(torch.zeros(12))
    with pytest.raises(ShapeError, match="reshape"):
        views.view_as(ag.tensor(X).T, ag.zeros(12))


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: fn(m).narrow(x, 2, 0, 1),
        lambda m, x: fn(m).unbind(x, -3),
        lambda m, x: fn(m).movedim(x, 0, 2),
        lambda m, x: fn(m).swapaxes(x, 0, 5),
        lambda m, x: fn(m).flip(x, (2,)),
        lambda m, x: fn(m).roll(x, 1, 2),
        lambda m, x: fn(m).chunk(x, 2, 2),
        lambda m, x: fn(m).split(x, 2, -3),
        lambda m, x: fn(m).unflatten(x, 2, (1,)),
        lambda m, x: fn(m).repeat_interleave(x, 2, dim=2),
        lambda m, x: views.squeeze_dims(x, (0, 2)) if m is ag else torch.squeeze(x, (0, 2)),
    ],
)
def test_dim_out_of_range_is_an_index_error_on_both(call):
    with pytest.raises(IndexError):
        call(torch, torch.tensor(X))
    with pytest.raises(IndexOutOfRange):
        call(ag, ag.tensor(X))


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: fn(m).flip(x, (0, 0)),
        lambda m, x: fn(m).roll(x, (1,), (0, 1)),
        lambda m, x: fn(m).chunk(x, 0),
        lambda m, x: fn(m).split(x, [1, 1]),
        lambda m, x: fn(m).split(x, 0),
        lambda m, x: fn(m).unflatten(x, 1, (3, 2)),
        lambda m, x: fn(m).unflatten(x, 1, ()),
        lambda m, x: fn(m).narrow(x, 0, 2, 2),
        lambda m, x: fn(m).movedim(x, (0, 0), (0, 1)),
        lambda m, x: fn(m).repeat_interleave(x, -1),
        lambda m, x: fn(m).repeat_interleave(x, m.tensor([1, 2]), dim=0),
        lambda m, x: views.repeat(x, 2) if m is ag else x.repeat(2),
        lambda m, x: views.view_checked(x, 5, -1) if m is ag else x.view(5, -1),
        lambda m, x: views.view_checked(x, -1, -1) if m is ag else x.view(-1, -1),
        lambda m, x: views.view_checked(x, -1, 0) if m is ag else x.view(-1, 0),
        lambda m, x: views.expand_as(x, m.zeros(2, 3)) if m is ag else x.expand_as(torch.zeros(2, 3)),
        lambda m, x: views.squeeze_dims(x, (1, -1)) if m is ag else torch.squeeze(x, (1, -1)),
    ],
)
def test_shape_errors_where_pytorch_raises(call):
    with pytest.raises(RuntimeError):
        call(torch, torch.tensor(X))
    with pytest.raises(ShapeError):
        call(ag, ag.tensor(X))


@given(shape=hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3), data=st.data())
def test_view_possible_exactly_where_pytorch_says(shape, data):
    """Permuted, strided and expanded inputs, every shape of their size: view_checked refuses
    exactly where PyTorch's view does, and agrees with it otherwise."""
    order = data.draw(st.permutations(range(len(shape))))
    step = data.draw(st.integers(1, 2))
    lead = data.draw(st.integers(0, 2))

    def make(m, x):
        y = x[::step].permute(*order)
        return y.expand(lead, *y.shape) if lead else y

    base = RNG.standard_normal((shape[0] * step, *shape[1:]))
    n = math.prod(make(torch, torch.tensor(base)).shape)
    target = data.draw(st.sampled_from([(n,), (1, n, 1), *[(a, n // a) for a in range(1, n + 1) if n % a == 0]]))
    try:
        make(torch, torch.tensor(base)).view(*target)
    except RuntimeError:
        with pytest.raises(ShapeError, match="reshape"):
            views.view_checked(make(ag, ag.tensor(base)), *target)
    else:
        check(view_of(make, *target), [base])


# ---- ravel moveaxis select fliplr flipud rot90 tensor_split hsplit vsplit dsplit take adjoint ----------

X4 = RNG.standard_normal((2, 3, 4, 2))
MORE = [
    ("ravel", top("ravel"), X3),
    ("ravel T", lambda m, x: fn(m).ravel(x.T), X),
    ("ravel 0-d", method("ravel"), S),
    ("moveaxis", top("moveaxis", (0, -1), (-1, 0)), X3),
    ("moveaxis method", method("moveaxis", 1, 0), X),
    ("select", top("select", 1, 2), X),
    ("select negative", top("select", -1, -2), X3),
    ("select method", method("select", 0, 1), X3),
    ("select int", top("select", 0, 2), I),
    ("fliplr", top("fliplr"), X3),
    ("flipud", top("flipud"), X),
    ("flipud 1-d", method("flipud"), X[0]),
    *[(f"rot90 {k}", top("rot90", k), X) for k in (-3, -1, 0, 1, 2, 3, 4, 5)],
    ("rot90 dims", top("rot90", 1, [2, 0]), X3),
    ("rot90 negative dims", top("rot90", 3, (-1, -3)), X3),
    ("rot90 method", method("rot90", 2, [1, 2]), X3),
    ("rot90 int", top("rot90"), I),
    ("adjoint", top("adjoint"), X3),
    ("adjoint method", method("adjoint"), X),
    ("take", lambda m, x: fn(m).take(x, m.tensor([[0, -1], [5, 5]])), X),  # a repeat adds up
    ("take method", lambda m, x: x.take(m.tensor([3, 0, 23])), X3),
    ("take 0-d index", lambda m, x: x.take(m.tensor(2)), X),
    ("take int", lambda m, x: fn(m).take(x, m.tensor([1, 2])), I),
]  # fmt: skip

MORE_SPLITS = [
    ("tensor_split 3 of 7", top("tensor_split", 3), RNG.standard_normal(7)),
    ("tensor_split sections dim", top("tensor_split", 3, 1), X),
    ("tensor_split more than size", top("tensor_split", 5, -1), X3),
    ("tensor_split indices", top("tensor_split", [1, 5, 3, 9]), RNG.standard_normal(7)),
    ("tensor_split negative index", top("tensor_split", (-2,), 1), X),
    ("tensor_split tensor sections", lambda m, x: fn(m).tensor_split(x, m.tensor(2), 1), X),
    ("tensor_split tensor indices", lambda m, x: fn(m).tensor_split(x, m.tensor([1, 3]), -1), X3),
    ("tensor_split method", method("tensor_split", [1], 0), X),
    ("tensor_split empty", top("tensor_split", 2), E),
    ("hsplit", top("hsplit", 2), X),
    ("hsplit 1-d", top("hsplit", [2, 3]), X[0]),
    ("hsplit method", method("hsplit", [1]), X3),
    ("vsplit", top("vsplit", 3), X),
    ("vsplit indices", method("vsplit", [1, 1]), X3),
    ("dsplit", top("dsplit", 2), X3),
    ("dsplit indices", top("dsplit", [1, 3]), X4),
]  # fmt: skip


@pytest.mark.parametrize("case", MORE + MORE_SPLITS, ids=[c[0] for c in MORE + MORE_SPLITS])
def test_parity_of_the_new_views(case):
    _, f, *inputs = case
    check(f, inputs)


def test_new_views_float32_and_second_derivative():
    x = X3.astype(np.float32)
    check(top("rot90", 1, [1, 2]), [x])
    check(lambda m, a: fn(m).take(a, m.tensor([0, 0, 7])), [x])
    check(lambda m, a: m.autograd.grad((fn(m).select(a, 1, 0) ** 3).sum(), [a], create_graph=True)[0], [X])


def test_select_and_tensor_split_pieces_are_views_as_in_pytorch():
    x = ag.tensor(X)
    for piece in (views.select(x, 1, 0), *views.tensor_split(x, 3, 1), views.ravel(x), views.adjoint(x)):
        assert np.shares_memory(piece.numpy(), x.numpy())
    assert not np.shares_memory(views.rot90(x).numpy(), x.numpy())


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: fn(m).select(x, 2, 0),
        lambda m, x: fn(m).select(x, 1, 4),
        lambda m, x: fn(m).select(x, 0, -4),
        lambda m, x: fn(m).select(x[0, 0], 0, 0),
        lambda m, x: fn(m).moveaxis(x, 0, 2),
        lambda m, x: fn(m).rot90(x, 1, [0, 2]),
        lambda m, x: fn(m).tensor_split(x, 2, 2),
        lambda m, x: fn(m).take(x, m.tensor([12])),
        lambda m, x: fn(m).take(x, m.tensor([-13])),
    ],
)
def test_new_index_errors_on_both(call):
    with pytest.raises(IndexError):
        call(torch, torch.tensor(X))
    with pytest.raises(IndexOutOfRange):
        call(ag, ag.tensor(X))


@pytest.mark.parametrize(
    "name, call",
    [
        ("fliplr", lambda m, x: fn(m).fliplr(x[0])),
        ("flipud", lambda m, x: fn(m).flipud(x[0, 0])),
        ("rot90", lambda m, x: fn(m).rot90(x[0])),
        ("rot90", lambda m, x: fn(m).rot90(x, 1, [0, 0])),
        ("rot90", lambda m, x: fn(m).rot90(x, 1, [0])),
        ("tensor_split", lambda m, x: fn(m).tensor_split(x, 0)),
        ("tensor_split", lambda m, x: fn(m).tensor_split(x[0, 0], 2)),
        ("hsplit", lambda m, x: fn(m).hsplit(x, 3)),
        ("hsplit", lambda m, x: fn(m).hsplit(x[0, 0], 2)),
        ("vsplit", lambda m, x: fn(m).vsplit(x[0], 2)),
        ("dsplit", lambda m, x: fn(m).dsplit(x, 2)),
        ("adjoint", lambda m, x: fn(m).adjoint(x[0])),
    ],
)
def test_new_shape_errors_where_pytorch_raises(name, call):
    with pytest.raises(RuntimeError):
        call(torch, torch.tensor(X))
    with pytest.raises(ShapeError, match=name):
        call(ag, ag.tensor(X))


def test_take_and_tensor_split_argument_errors():
    with pytest.raises(RuntimeError, match="long"):
        torch.take(torch.tensor(X), torch.tensor([1], dtype=torch.int32))
    with pytest.raises(ag.DTypeError, match="take"):
        views.take(ag.tensor(X), ag.tensor([1], dtype=ag.int32))
    with pytest.raises(ag.ArgumentError, match="take"):
        views.take(ag.tensor(X), [1])
    with pytest.raises(ag.ArgumentError, match="tensor_split"):
        views.tensor_split(ag.tensor(X), 1.5)
    with pytest.raises(ag.ArgumentError, match="tensor_split"):
        views.tensor_split(ag.tensor(X), ag.tensor([1.0]))


@pytest.mark.parametrize(
    "name, args",
    [("ravel", ()), ("moveaxis", (0, 1)), ("select", (0, 0)), ("fliplr", ()), ("flipud", ()), ("rot90", ()),
     ("tensor_split", (2,)), ("hsplit", (2,)), ("vsplit", (2,)), ("dsplit", (2,)), ("adjoint", ())],
)  # fmt: skip
def test_new_views_refuse_a_list_naming_themselves(name, args):
    with pytest.raises(TypeError):
        getattr(torch, name)([[1.0, 2.0], [3.0, 4.0]], *args)
    with pytest.raises(ag.ArgumentError, match=f"^{name}: "):
        getattr(views, name)([[1.0, 2.0], [3.0, 4.0]], *args)
