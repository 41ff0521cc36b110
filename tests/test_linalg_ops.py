"""autograd.linalg_ops: first and second derivatives of every function against central differences
(float64, shapes drawn by Hypothesis), PyTorch's shape and dtype errors, and the edge cases of the
new gates (Einsum, Diagonal, DiagonalScatter, Triangle)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import DTypeError, ShapeError, gradcheck, gradgradcheck
from autograd import linalg_ops as la
from autograd.testing import arrays, tensors

side = st.integers(1, 3)


def both(fn, *xs):
    assert gradcheck(fn, xs)
    assert gradgradcheck(fn, xs)


# ---- products ------------------------------------------------------------------------------------


@given(n=side, k=side, m=side, data=st.data())
def test_mm(n, k, m, data):
    a, b = data.draw(tensors((n, k))), data.draw(tensors((k, m)))
    np.testing.assert_allclose(la.mm(a, b).numpy(), a.numpy() @ b.numpy())
    both(la.mm, a, b)


@given(batch=side, n=side, k=side, m=side, data=st.data())
def test_bmm(batch, n, k, m, data):
    a, b = data.draw(tensors((batch, n, k))), data.draw(tensors((batch, k, m)))
    np.testing.assert_allclose(la.bmm(a, b).numpy(), a.numpy() @ b.numpy())
    both(la.bmm, a, b)


@given(n=side, k=side, data=st.data())
def test_mv(n, k, data):
    a, v = data.draw(tensors((n, k))), data.draw(tensors((k,)))
    np.testing.assert_allclose(la.mv(a, v).numpy(), a.numpy() @ v.numpy())
    both(la.mv, a, v)


@given(n=side, data=st.data())
def test_dot(n, data):
    a, b = data.draw(tensors((n,))), data.draw(tensors((n,)))
    assert la.dot(a, b).shape == ()
    both(la.dot, a, b)


@given(n=side, m=side, data=st.data())
def test_outer(n, m, data):
    a, b = data.draw(tensors((n,))), data.draw(tensors((m,)))
    np.testing.assert_allclose(la.outer(a, b).numpy(), np.outer(a.numpy(), b.numpy()))
    both(la.outer, a, b)


@given(n=side, k=side, m=side, bcast=st.sampled_from(["full", "row", "column", "scalar"]), data=st.data())
def test_addmm(n, k, m, bcast, data):
    shape = {"full": (n, m), "row": (m,), "column": (n, 1), "scalar": ()}[bcast]
    c, a, b = data.draw(tensors(shape)), data.draw(tensors((n, k))), data.draw(tensors((k, m)))
    beta, alpha = data.draw(st.sampled_from([(1, 1), (0.5, -2.0), (0, 3.0)]))
    np.testing.assert_allclose(
        la.addmm(c, a, b, beta=beta, alpha=alpha).numpy(), beta * c.numpy() + alpha * (a.numpy() @ b.numpy())
    )
    both(lambda c, a, b: la.addmm(c, a, b, beta=beta, alpha=alpha), c, a, b)


@given(batch=side, n=side, k=side, m=side, data=st.data())
def test_baddbmm(batch, n, k, m, data):
    c = data.draw(tensors(st.sampled_from([(batch, n, m), (n, m), (m,), (1, n, 1)])))
    a, b = data.draw(tensors((batch, n, k))), data.draw(tensors((batch, k, m)))
    beta, alpha = data.draw(st.sampled_from([(1, 1), (2.0, 0.5), (0, 1)]))
    expected = beta * c.numpy() + alpha * (a.numpy() @ b.numpy())
    np.testing.assert_allclose(la.baddbmm(c, a, b, beta=beta, alpha=alpha).numpy(), expected)
    both(lambda c, a, b: la.baddbmm(c, a, b, beta=beta, alpha=alpha), c, a, b)


def test_beta_zero_ignores_nan_and_inf_in_input():
    c = ag.tensor([[np.nan, np.inf]], dtype=ag.float64)
    a, b = ag.ones(1, 2, dtype=ag.float64), ag.ones(2, 2, dtype=ag.float64)
    np.testing.assert_array_equal(la.addmm(c, a, b, beta=0).numpy(), [[2.0, 2.0]])
    np.testing.assert_array_equal(la.baddbmm(c, a[None], b[None], beta=0).numpy(), [[[2.0, 2.0]]])


# ---- einsum --------------------------------------------------------------------------------------

EQUATIONS = [
    "ij,jk->ik",
    "bij,bjk->bik",
    "ii->",
    "ii->i",
    "i,j->ij",
    "...ij->...ji",
    "ij->",
    "bhqd,bhkd->bhqk",
    "ij,jk",
    "ii",
    "iij->ji",
    "iii->i",
    "ij->j",
    "i,i->",
    "ij,ij->ij",
    "ij,jk,kl->il",
    "...ij,...jk->...ik",
    "...i->i",
    "bn,anm,bm->ba",
    "ijk->kij",
    "ii,i->i",
]


@st.composite
def einsum_operands(draw, equation):
    """Operands for `equation`: one size per index, a batch shape for '...', and (for explicit
    equations) sometimes a size-1 dim that broadcasts."""
    letters = sorted({c for c in equation if c.isalpha()})
    sizes = {c: draw(side) for c in letters}
    batch = draw(st.lists(st.integers(1, 2), max_size=2).map(tuple))
    shapes = []
    for term in equation.split("->")[0].split(","):
        lead = batch[draw(st.integers(0, len(batch))) :] if "..." in term else ()
        shapes.append(lead + tuple(sizes[c] for c in term.replace("...", "")))
    return [draw(tensors(s)) for s in shapes]


@pytest.mark.parametrize("equation", EQUATIONS)
@settings(max_examples=15)
@given(data=st.data())
def test_einsum(equation, data):
    xs = data.draw(einsum_operands(equation))
    out = la.einsum(equation, *xs)
    expected = torch.einsum(equation, *(torch.tensor(x.numpy()) for x in xs)).numpy()  # NumPy's keeps '...' dims
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-12)
    both(lambda *ys: la.einsum(equation, *ys), *xs)


@given(n=side, k=side, m=side, data=st.data())
def test_einsum_broadcasts_size_1_dims_and_sums_them_back(n, k, m, data):
    a, b = data.draw(tensors((n, 1))), data.draw(tensors((k, m)))
    out = la.einsum("ij,jk->ik", a, b)
    np.testing.assert_allclose(out.numpy(), a.numpy() * b.numpy().sum(0))
    both(lambda p, q: la.einsum("ij,jk->ik", p, q), a, b)


def test_einsum_accepts_a_list_of_operands_and_spaces():
    a, b = ag.ones(2, 3), ag.ones(3, 4)
    np.testing.assert_array_equal(la.einsum(" ij, jk ", [a, b]).numpy(), np.full((2, 4), 3.0))


def test_einsum_backward_is_an_einsum():
    x = ag.tensor(np.arange(9.0).reshape(3, 3), requires_grad=True)
    (g,) = ag.grad((la.einsum("ii->i", x) ** 2).sum(), [x], create_graph=True)
    assert type(g.grad_fn).__name__ == "Einsum"
    np.testing.assert_array_equal(g.numpy(), 2 * np.diag(np.diag(x.numpy())))


# ---- tensordot, kron -----------------------------------------------------------------------------


@st.composite
def tensordot_case(draw):
    contracted = draw(st.lists(side, max_size=2))
    free_a, free_b = draw(st.lists(side, max_size=2)), draw(st.lists(side, max_size=2))
    if draw(st.booleans()):  # dims=n: a's last n with b's first n
        return tuple(free_a + contracted), tuple(contracted + free_b), len(contracted)
    order_a = draw(st.permutations(range(len(free_a) + len(contracted))))
    order_b = draw(st.permutations(range(len(free_b) + len(contracted))))
    shape_a = [0] * len(order_a)
    shape_b = [0] * len(order_b)
    for pos, n in zip(order_a, free_a + contracted):
        shape_a[pos] = n
    for pos, n in zip(order_b, contracted + free_b):
        shape_b[pos] = n
    dims = (list(order_a[len(free_a) :]), list(order_b[: len(contracted)]))
    return tuple(shape_a), tuple(shape_b), dims


@given(case=tensordot_case(), data=st.data())
def test_tensordot(case, data):
    sa, sb, dims = case
    a, b = data.draw(tensors(sa)), data.draw(tensors(sb))
    expected = np.tensordot(a.numpy(), b.numpy(), axes=dims)
    np.testing.assert_allclose(la.tensordot(a, b, dims=dims).numpy(), expected, rtol=1e-12, atol=1e-12)
    both(lambda p, q: la.tensordot(p, q, dims=dims), a, b)


@given(sa=st.lists(side, max_size=3), sb=st.lists(side, max_size=3), data=st.data())
def test_kron(sa, sb, data):
    a, b = data.draw(tensors(tuple(sa))), data.draw(tensors(tuple(sb)))
    np.testing.assert_allclose(la.kron(a, b).numpy(), np.kron(a.numpy(), b.numpy()))
    both(la.kron, a, b)


# ---- triangles and diagonals ---------------------------------------------------------------------

matrices = st.lists(side, min_size=2, max_size=4).map(tuple)


@given(shape=matrices, k=st.integers(-3, 3), data=st.data())
def test_tril_triu(shape, k, data):
    x = data.draw(tensors(shape))
    np.testing.assert_array_equal(la.tril(x, k).numpy(), np.tril(x.numpy(), k))
    np.testing.assert_array_equal(la.triu(x, diagonal=k).numpy(), np.triu(x.numpy(), k))
    both(lambda y: la.tril(y, k), x)
    both(lambda y: la.triu(y, k), x)


def test_tril_zeroes_infs_and_nans_above_the_diagonal():
    x = ag.tensor([[1.0, np.inf], [np.nan, 2.0]])
    np.testing.assert_array_equal(la.tril(x).numpy(), [[1.0, 0.0], [np.nan, 2.0]])
    np.testing.assert_array_equal(la.triu(x).numpy(), [[1.0, np.inf], [0.0, 2.0]])


@st.composite
def two_dims(draw, ndim):
    d1, d2 = draw(st.permutations(range(ndim)))[:2]
    return d1 - draw(st.sampled_from([0, ndim])), d2 - draw(st.sampled_from([0, ndim]))  # some negative


@given(shape=matrices, offset=st.integers(-3, 3), data=st.data())
def test_diagonal(shape, offset, data):
    x = data.draw(tensors(shape))
    d1, d2 = data.draw(two_dims(len(shape)))
    np.testing.assert_array_equal(la.diagonal(x, offset, d1, d2).numpy(), np.diagonal(x.numpy(), offset, d1, d2))
    both(lambda y: la.diagonal(y, offset=offset, dim1=d1, dim2=d2), x)


@given(shape=st.lists(side, min_size=1, max_size=3).map(tuple), offset=st.integers(-2, 2), data=st.data())
def test_diag_embed(shape, offset, data):
    x = data.draw(tensors(shape))
    d1, d2 = data.draw(two_dims(len(shape) + 1))
    out = la.diag_embed(x, offset, d1, d2)
    np.testing.assert_array_equal(np.diagonal(out.numpy(), offset, d1, d2), x.numpy())
    assert np.count_nonzero(out.numpy()) == np.count_nonzero(x.numpy())
    both(lambda y: la.diag_embed(y, offset=offset, dim1=d1, dim2=d2), x)


@given(shape=st.lists(side, min_size=1, max_size=2).map(tuple), k=st.integers(-2, 2), data=st.data())
def test_diag(shape, k, data):
    x = data.draw(tensors(shape))
    np.testing.assert_array_equal(la.diag(x, k).numpy(), np.diag(x.numpy(), k))
    both(lambda y: la.diag(y, diagonal=k), x)


@given(shape=st.tuples(side, side), data=st.data())
def test_trace(shape, data):
    x = data.draw(tensors(shape))
    np.testing.assert_allclose(la.trace(x).numpy(), np.trace(x.numpy()))
    both(la.trace, x)


# ---- cross ---------------------------------------------------------------------------------------


@given(batch=st.lists(side, max_size=2), data=st.data())
def test_cross(batch, data):
    d = data.draw(st.integers(0, len(batch)))
    shape = tuple(batch[:d]) + (3,) + tuple(batch[d:])
    other = tuple(1 if data.draw(st.booleans()) and i != d else n for i, n in enumerate(shape))  # broadcast
    a, b = data.draw(tensors(shape)), data.draw(tensors(other))
    dim = data.draw(st.sampled_from([d, d - len(shape)]))
    np.testing.assert_allclose(
        la.cross(a, b, dim=dim).numpy(), np.cross(a.numpy(), b.numpy(), axis=d), rtol=1e-12, atol=1e-12
    )
    both(lambda p, q: la.cross(p, q, dim=dim), a, b)


def test_cross_default_dim_is_the_first_of_size_3():
    a, b = ag.randn(3, 3, dtype=ag.float64), ag.randn(3, 3, dtype=ag.float64)
    with pytest.warns(UserWarning, match="deprecated"):
        out = la.cross(a, b)
    np.testing.assert_allclose(out.numpy(), np.cross(a.numpy(), b.numpy(), axis=0))


# ---- errors --------------------------------------------------------------------------------------


def t(*shape):
    return ag.ones(*shape, dtype=ag.float64)


SHAPE_ERRORS = [
    (lambda: la.mm(t(2, 3, 4), t(4, 5)), r"mm: expected two 2-d matrices, got shapes \(2, 3, 4\) and \(4, 5\)"),
    (lambda: la.mm(t(3), t(3, 2)), r"mm: expected two 2-d matrices, got shapes \(3,\) and \(3, 2\)"),
    (
        lambda: la.mm(t(2, 3), t(4, 5)),
        r"mm: shapes \(2, 3\) and \(4, 5\) cannot be multiplied: the first's columns \(3\) must equal the second's "
        r"rows \(4\)",
    ),
    (lambda: la.bmm(t(2, 3), t(3, 2)), r"bmm: expected two 3-d batches of matrices, got shapes \(2, 3\) and \(3, 2\)"),
    (
        lambda: la.bmm(t(2, 3, 4), t(3, 4, 5)),
        r"bmm: shapes \(2, 3, 4\) and \(3, 4, 5\) have different batch sizes \(2 and 3\)",
    ),
    (lambda: la.bmm(t(2, 3, 4), t(2, 3, 5)), r"bmm: shapes \(2, 3, 4\) and \(2, 3, 5\) cannot be multiplied"),
    (lambda: la.mv(t(2, 3), t(3, 1)), r"mv: expected a 2-d matrix and a 1-d vector, got shapes \(2, 3\) and \(3, 1\)"),
    (
        lambda: la.mv(t(2, 3), t(4)),
        r"mv: shapes \(2, 3\) and \(4,\) cannot be multiplied: the matrix's columns \(3\) must equal the vector's "
        r"length \(4\)",
    ),
    (lambda: la.dot(t(3), t(3, 1)), r"dot: expected two 1-d vectors, got shapes \(3,\) and \(3, 1\)"),
    (
        lambda: la.dot(t(3), t(4)),
        r"dot: shapes \(3,\) and \(4,\): expected two vectors of the same length, got lengths 3 and 4",
    ),
    (lambda: la.outer(t(2, 2), t(2)), r"outer: expected two 1-d vectors, got shapes \(2, 2\) and \(2,\)"),
    (lambda: la.addmm(t(3, 1, 2), t(2, 3), t(3, 2)), r"addmm: input of shape \(3, 1, 2\) does not broadcast to"),
    (lambda: la.addmm(t(2, 2), t(2, 3), t(2, 3)), r"addmm: shapes \(2, 3\) and \(2, 3\) cannot be multiplied"),
    (lambda: la.baddbmm(t(3), t(2, 2, 3), t(2, 3, 2)), r"baddbmm: input of shape \(3,\) does not broadcast"),
    (lambda: la.einsum("ij,jk->ik", t(2, 3)), r"einsum: the equation 'ij,jk->ik' has 2 operand subscript"),
    (lambda: la.einsum("ij->i", t(2, 3, 4)), r"einsum: the subscripts 'ij' of operand 0 name 2 dims but its shape"),
    (lambda: la.einsum("ii->i", t(2, 3)), r"einsum: subscript 'i' is repeated for operand 0 .* 2 != 3"),
    (lambda: la.einsum("ij,jk->ik", t(2, 3), t(4, 5)), r"einsum: operands do not broadcast for subscript 'j'"),
    (lambda: la.einsum("ij->k", t(2, 3)), r"einsum: the output subscript 'k' of 'ij->k' is in no operand"),
    (lambda: la.einsum("ij->ii", t(2, 3)), r"einsum: the output subscript 'i' of 'ij->ii' repeats"),
    (lambda: la.tensordot(t(2, 3), t(4, 4), 1), r"tensordot: contracted dimensions need to match, but the first"),
    (lambda: la.tensordot(t(2, 3), t(3, 4), 3), r"tensordot: dims=3 must be between 0 and"),
    (lambda: la.tensordot(t(2, 3), t(3, 4), ([0, 1], [0])), r"tensordot: both sides must contract as many dims"),
    (lambda: la.tril(t(3)), r"tril: input tensor must have at least 2 dimensions, got shape \(3,\)"),
    (lambda: la.triu(t()), r"triu: input tensor must have at least 2 dimensions, got shape \(\)"),
    (lambda: la.diagonal(t(3, 3), 0, 1, 1), r"diagonal: diagonal dimensions cannot be identical"),
    (lambda: la.diagonal(t(3, 3), 0, 0, 2), r"dim 2 is out of range"),
    (lambda: la.diag_embed(t()), r"diag_embed: expected a tensor with at least 1 dim"),
    (lambda: la.diag(t(2, 2, 2)), r"diag: expected a 1-d or a 2-d tensor, got shape \(2, 2, 2\)"),
    (lambda: la.trace(t(2, 3, 3)), r"trace: expected a 2-d matrix, got shape \(2, 3, 3\)"),
    (lambda: la.cross(t(4, 3), t(3)), r"cross: inputs must have the same number of dimensions"),
    (lambda: la.cross(t(2, 4), t(2, 4)), r"cross: no dimension of size 3 in input"),
    (lambda: la.cross(t(2, 4), t(2, 4), dim=1), r"cross: inputs dimension 1 must have length 3"),
    (lambda: la.cross(t(2, 3), t(4, 3), dim=1), r"cross: shapes \(2, 3\) and \(4, 3\) do not broadcast"),
]


@pytest.mark.parametrize("call, message", SHAPE_ERRORS, ids=[m.split(":")[0] for _, m in SHAPE_ERRORS])
def test_shape_errors(call, message):
    with pytest.raises(ShapeError, match=message):
        call()


def f32(*shape):
    return ag.ones(*shape, dtype=ag.float32)


DTYPE_ERRORS = [
    (lambda: la.mm(f32(2, 3), t(3, 2)), r"mm: expected input and mat2 to have the same dtype, got float32 and float64"),
    (lambda: la.bmm(t(1, 2, 3), f32(1, 3, 2)), r"bmm: expected input and mat2 .* float64 and float32"),
    (lambda: la.mv(f32(2, 3), t(3)), r"mv: expected input and vec"),
    (lambda: la.dot(f32(3), t(3)), r"dot: expected input and tensor"),
    (lambda: la.addmm(t(2, 2), f32(2, 3), f32(3, 2)), r"addmm: expected input and mat1"),
    (lambda: la.baddbmm(f32(2), f32(1, 2, 3), t(1, 3, 2)), r"baddbmm: expected input and batch2"),
    (lambda: la.einsum("i,i->", f32(3), t(3)), r"einsum: operand 0 is float32 but operand 1 is float64"),
    (lambda: la.tensordot(f32(2, 3), t(3, 2), 1), r"tensordot: expected a and b"),
    (lambda: la.cross(f32(3), t(3), dim=0), r"cross: expected input and other"),
]


@pytest.mark.parametrize("call, message", DTYPE_ERRORS, ids=[m.split(":")[0] for _, m in DTYPE_ERRORS])
def test_mixed_float_dtypes_are_refused(call, message):
    with pytest.raises(DTypeError, match=message):
        call()


@given(x=arrays((2, 3)))
def test_arrays_are_accepted_as_constants(x):
    out = la.mm(x, ag.tensor(np.ones((3, 1)), dtype=ag.float64))
    np.testing.assert_allclose(out.numpy(), x.sum(1, keepdims=True))
