"""autograd.reductions: float64 gradcheck and gradgradcheck under Hypothesis for every
differentiable function (distinct values where a tie would make the gradient ill-defined, values
away from 0 where |x| has its kink), the zeros of the products, stability of logcumsumexp, the
dtypes and return types, and the errors for bad arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck
from autograd import reductions as R
from autograd.errors import ArgumentError, DomainError, DTypeError, GraphError, IndexOutOfRange, ShapeError
from autograd.tensor import ValuesIndices
from autograd.testing import arrays, distinct_arrays, shapes


def leaf(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def both(fn, x):
    assert gradcheck(fn, x)
    assert gradgradcheck(fn, x)


@st.composite
def shape_and_dim(draw, min_side=1, max_side=4):
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=min_side, max_side=max_side))
    return shape, draw(st.integers(-len(shape), len(shape) - 1))


@st.composite
def shape_and_dims(draw, min_side=1):
    """A shape and a dim argument: None, one dim, or a tuple of distinct dims."""
    shape = draw(shapes(min_dims=1, max_dims=3, min_side=min_side))
    kind = draw(st.sampled_from(["all", "one", "several"]))
    if kind == "all":
        return shape, None
    picked = draw(st.lists(st.integers(0, len(shape) - 1), unique=True, min_size=1, max_size=len(shape)))
    return shape, picked[0] if kind == "one" else tuple(picked)


# ---- scans and products ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "logcumsumexp"])
@given(sd=shape_and_dim(), data=st.data())
def test_scan_gradients(name, sd, data):
    shape, dim = sd
    # away from 0: the quotient z / x of cumprod's gradient cancels badly in its second derivative
    x = leaf(data.draw(arrays(shape, low=-2, high=2, away_from=[0.0], margin=0.1)))
    both(lambda t: getattr(R, name)(t, dim), x)


@given(sd=shape_and_dim(min_side=2), zeros=st.integers(1, 2), data=st.data())
def test_cumprod_and_prod_with_zeros(sd, zeros, data):
    shape, dim = sd
    a = data.draw(arrays(shape, low=-2, high=2, away_from=[0.0], margin=0.1))
    flat = a.reshape(-1)
    flat[data.draw(st.lists(st.integers(0, flat.size - 1), min_size=zeros, max_size=zeros))] = 0.0
    x = leaf(a)
    both(lambda t: R.cumprod(t, dim), x)
    both(lambda t: R.prod(t, dim), x)
    both(lambda t: R.prod(t), x)


@given(sd=shape_and_dims(), keepdim=st.booleans(), data=st.data())
def test_prod_gradients(sd, keepdim, data):
    shape, dim = sd
    x = leaf(data.draw(arrays(shape, low=-2, high=2, away_from=[0.0], margin=0.1)))  # see test_scan_gradients
    out = R.prod(x, dim, keepdim)
    np.testing.assert_allclose(out.numpy(), np.prod(x.numpy(), axis=dim, keepdims=keepdim), rtol=1e-12)
    both(lambda t: R.prod(t, dim, keepdim), x)


def test_cumprod_gradient_with_one_zero_by_hand():
    x = leaf([2.0, 0.0, 3.0])  # z = (2, 0, 0): ∂(Σz)/∂x₀ = 1, ∂/∂x₁ = 2 + 2·3, ∂/∂x₂ = 0
    (g,) = ag.grad(R.cumprod(x, 0).sum(), [x])
    np.testing.assert_array_equal(g.numpy(), [1.0, 8.0, 0.0])
    y = leaf([2.0, 0.0, 0.0])
    (g,) = ag.grad(R.prod(y), [y])
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, 0.0])  # two zeros: every product of the others is 0
    y = leaf([2.0, 0.0, 5.0])
    (g,) = ag.grad(R.prod(y), [y])
    np.testing.assert_array_equal(g.numpy(), [0.0, 10.0, 0.0])


def test_cumprod_with_zeros_plain_and_recorded_backward_agree():
    a = np.array([[0.0, 1.5, -2.0, 0.0, 3.0], [1.0, 2.0, 0.0, 0.5, 0.0], [1.0, 2.0, 3.0, 4.0, 5.0]])
    g = Tensor(np.linspace(-1, 1, a.size).reshape(a.shape))
    for dim in (0, 1):
        x = leaf(a)
        (plain,) = ag.grad(R.cumprod(x, dim), [x], [g])  # O(n), PyTorch's formula
        (recorded,) = ag.grad(R.cumprod(x, dim), [x], [g], create_graph=True)  # pairwise, for higher orders
        np.testing.assert_allclose(plain.numpy(), recorded.numpy(), rtol=1e-12, atol=1e-12)
    both(lambda t: R.cumprod(t, 0), leaf([0.0, 1.0]))  # ∂²/∂x₀∂x₁ ≠ 0 although ∂/∂x₁ = 0 at x₀ = 0


def test_logcumsumexp_is_stable():
    x = leaf([-1000.0, 0.0, 1000.0, 1.0])
    out = R.logcumsumexp(x, 0)
    np.testing.assert_allclose(out.numpy(), [-1000.0, 0.0, 1000.0, 1000.0], rtol=1e-12)
    (g,) = ag.grad(out.sum(), [x])
    assert np.all(np.isfinite(g.numpy()))
    np.testing.assert_allclose(g.numpy(), [1.0, 1.0, 2.0, 0.0], atol=1e-12)
    wide = leaf(np.linspace(-300, 300, 7))  # the pairwise backward
    both(lambda t: R.logcumsumexp(t, 0), wide)


def test_scans_keep_the_dtype_or_make_int64():
    assert R.cumsum(ag.tensor([1, 2, 3], dtype=ag.int32), 0).dtype == np.int64
    assert R.cumprod(ag.tensor([True, False]), 0).tolist() == [1, 0]
    assert R.prod(ag.tensor([[1, 2], [3, 4]]), 1).dtype == np.int64
    assert R.cumsum(ag.tensor([1.0, 2.0]), 0).dtype == np.float32
    assert R.cumsum(ag.tensor([1.0, 2.0]), 0, dtype=ag.float64).dtype == np.float64
    assert R.cumsum(ag.tensor(2.0), -1).shape == ()


# ---- selections ------------------------------------------------------------------------------
@given(sd=shape_and_dim(), descending=st.booleans(), data=st.data())
def test_sort_gradients(sd, descending, data):
    shape, dim = sd
    x = leaf(data.draw(distinct_arrays(shape)))
    out = R.sort(x, dim, descending)
    assert isinstance(out, ValuesIndices)
    expected = np.sort(x.numpy(), axis=dim)
    np.testing.assert_array_equal(out.values.numpy(), np.flip(expected, dim) if descending else expected)
    np.testing.assert_array_equal(np.take_along_axis(x.numpy(), out.indices.numpy(), dim), out.values.numpy())
    assert out.indices.dtype == np.int64
    both(lambda t: R.sort(t, dim, descending).values, x)
    both(lambda t: R.msort(t), x)


@given(sd=shape_and_dim(), largest=st.booleans(), data=st.data())
def test_topk_and_kthvalue_gradients(sd, largest, data):
    shape, dim = sd
    n = shape[dim]
    k = data.draw(st.integers(1, n))
    x = leaf(data.draw(distinct_arrays(shape)))
    both(lambda t: R.topk(t, k, dim, largest).values, x)
    keepdim = data.draw(st.booleans())
    both(lambda t: R.kthvalue(t, k, dim, keepdim).values, x)
    np.testing.assert_array_equal(
        R.kthvalue(x, k, dim, keepdim=True).values.numpy(), np.take(np.sort(x.numpy(), axis=dim), [k - 1], axis=dim)
    )


@given(sd=shape_and_dim(), keepdim=st.booleans(), data=st.data())
def test_median_gradients(sd, keepdim, data):
    shape, dim = sd
    x = leaf(data.draw(distinct_arrays(shape)))
    n = shape[dim]
    lower = np.take(np.sort(x.numpy(), axis=dim), (n - 1) // 2, axis=dim)
    np.testing.assert_array_equal(R.median(x, dim).values.numpy(), lower)
    both(lambda t: R.median(t, dim, keepdim).values, x)
    both(lambda t: R.median(t), x)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
@given(sd=shape_and_dim(), data=st.data())
def test_cummax_cummin_gradients(name, sd, data):
    shape, dim = sd
    x = leaf(data.draw(distinct_arrays(shape)))
    out = getattr(R, name)(x, dim)
    accumulate = np.maximum if name == "cummax" else np.minimum
    np.testing.assert_array_equal(out.values.numpy(), accumulate.accumulate(x.numpy(), axis=dim))
    both(lambda t: getattr(R, name)(t, dim).values, x)


# ---- sums, means, variances ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["nansum", "nanmean"])
@given(sd=shape_and_dims(min_side=2), keepdim=st.booleans(), data=st.data())
def test_nan_reductions_gradients(name, sd, keepdim, data):
    shape, dim = sd
    a = data.draw(arrays(shape))
    a[(0,) * a.ndim] = np.nan  # every slice keeps a number: its sides are at least 2
    x = leaf(a)
    numpy = np.nansum if name == "nansum" else np.nanmean
    np.testing.assert_allclose(
        getattr(R, name)(x, dim, keepdim).numpy(), numpy(a, axis=dim, keepdims=keepdim), rtol=1e-12
    )
    both(lambda t: getattr(R, name)(t, dim, keepdim), x)


@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
@given(
    sd=shape_and_dims(min_side=2),
    keepdim=st.booleans(),
    correction=st.sampled_from([0, 1, 0.5, None]),
    data=st.data(),
)
def test_var_std_gradients(name, sd, keepdim, correction, data):
    shape, dim = sd
    x = leaf(data.draw(distinct_arrays(shape)))  # distinct: std > 0
    fn = getattr(R, name)
    c = 1 if correction is None else correction
    v = R.var(x, dim, keepdim=keepdim, correction=correction)
    np.testing.assert_allclose(v.numpy(), np.var(x.numpy(), axis=dim, ddof=c, keepdims=keepdim), rtol=1e-12)
    both(lambda t: fn(t, dim, keepdim=keepdim, correction=correction), x)


def test_var_unbiased_and_correction_forms():
    x = ag.tensor([1.0, 2.0, 3.0, 6.0])
    assert R.var(x).item() == pytest.approx(14 / 3)
    assert R.var(x, unbiased=False).item() == pytest.approx(14 / 4)
    assert R.var(x, False).item() == pytest.approx(14 / 4)  # var(input, unbiased)
    assert R.var(x, correction=2).item() == pytest.approx(14 / 2)
    assert R.std(x, 0, True, True).shape == (1,)
    v, m = R.var_mean(x, correction=0)
    assert (v.item(), m.item()) == (pytest.approx(3.5), pytest.approx(3.0))
    assert np.isnan(R.var(ag.tensor([5.0])).item())  # no degrees of freedom: NaN
    assert R.var(ag.tensor([1.0, 3.0]), correction=3).item() == math.inf


# ---- norms -----------------------------------------------------------------------------------
def distinct_abs(a):
    return len(set(np.round(np.abs(a.reshape(-1)), 6))) == a.size


@pytest.mark.parametrize("ord", [1, 2, 3, 0.5, -1.5, math.inf, -math.inf])
@given(sd=shape_and_dims(), keepdim=st.booleans(), data=st.data())
def test_vector_norm_gradients(ord, sd, keepdim, data):
    shape, dim = sd
    a = data.draw(arrays(shape, away_from=[0.0], margin=0.1))
    if math.isinf(ord):
        assume(distinct_abs(a))
    x = leaf(a)
    reference = np.linalg.norm(a.reshape(-1), ord) if dim is None and not keepdim else None
    if reference is not None:
        np.testing.assert_allclose(R.vector_norm(x, ord).numpy(), reference, rtol=1e-12)
    both(lambda t: R.vector_norm(t, ord, dim, keepdim), x)
    if not math.isinf(ord):
        both(lambda t: R.norm(t, ord, dim, keepdim), x)


def test_norms_of_zero_have_a_zero_gradient():
    for ord in (2, 3):
        x = leaf(np.zeros(3))
        (g,) = ag.grad(R.vector_norm(x, ord), [x])
        np.testing.assert_array_equal(g.numpy(), 0.0)
    x = leaf([[0.0, 0.0], [3.0, 4.0]])
    (g,) = ag.grad(R.vector_norm(x, 2, 1).sum(), [x])
    np.testing.assert_allclose(g.numpy(), [[0.0, 0.0], [0.6, 0.8]])


def test_vector_norm_ord_0_counts():
    out = R.vector_norm(ag.tensor([[0.0, 2.0], [0.0, 0.0]]), 0, 1)
    assert out.tolist() == [1.0, 0.0] and out.dtype == np.float32


def distinct_sums(a, axis):
    sums = np.abs(a).sum(axis=axis)
    return sums.ndim == 0 or np.all(np.diff(np.sort(sums, axis=-1), axis=-1) > 1e-3)


@pytest.mark.parametrize("ord", ["fro", 1, -1, math.inf, -math.inf])
@given(shape=shapes(min_dims=2, max_dims=3, max_side=4), keepdim=st.booleans(), data=st.data())
def test_matrix_norm_gradients(ord, shape, keepdim, data):
    a = data.draw(arrays(shape, away_from=[0.0], margin=0.1))
    if ord != "fro":
        assume(distinct_sums(a, -2 if abs(ord) == 1 else -1))
    x = leaf(a)
    if len(shape) == 2:
        np.testing.assert_allclose(R.matrix_norm(x, ord).numpy(), np.linalg.norm(a, ord), rtol=1e-12)
    both(lambda t: R.matrix_norm(t, ord, keepdim=keepdim), x)


@pytest.mark.parametrize("ord", [2, -2])
@given(shape=shapes(min_dims=2, max_dims=3, min_side=2, max_side=4), data=st.data())
def test_matrix_norm_spectral_is_once_differentiable(ord, shape, data):
    a = data.draw(arrays(shape))
    s = np.linalg.svd(a, compute_uv=False)
    assume(np.all(np.abs(np.diff(s, axis=-1)) > 1e-2) and np.all(s[..., -1] > 1e-2))  # distinct, nonzero
    x = leaf(a)
    np.testing.assert_allclose(R.matrix_norm(x, ord).numpy(), s[..., 0 if ord == 2 else -1], rtol=1e-10)
    assert gradcheck(lambda t: R.matrix_norm(t, ord), x)
    with pytest.raises(GraphError, match="once_differentiable"):
        gradgradcheck(lambda t: R.matrix_norm(t, ord), x)


# ---- differences and counts ------------------------------------------------------------------
@given(sd=shape_and_dim(), n=st.integers(0, 3), data=st.data())
def test_diff_gradients(sd, n, data):
    shape, dim = sd
    x = leaf(data.draw(arrays(shape)))
    np.testing.assert_allclose(R.diff(x, n, dim).numpy(), np.diff(x.numpy(), n, axis=dim), rtol=1e-12)
    both(lambda t: R.diff(t, n, dim), x)
    d = dim % len(shape)
    extra = leaf(data.draw(arrays(tuple(2 if i == d else s for i, s in enumerate(shape)))))

    def joined(t, e):
        return R.diff(t, n, dim, prepend=e, append=e)

    assert gradcheck(joined, (x, extra))
    assert gradgradcheck(joined, (x, extra))


def test_bincount_weights_get_a_gradient():
    w = leaf([0.5, 1.0, 2.0, 4.0])
    idx = ag.tensor([2, 0, 2, 1])
    out = R.bincount(idx, w, minlength=5)
    np.testing.assert_array_equal(out.numpy(), [1.0, 4.0, 2.5, 0.0, 0.0])
    assert gradcheck(lambda t: R.bincount(idx, t), w)
    assert gradgradcheck(lambda t: R.bincount(idx, t), w)


def test_results_outside_the_graph_and_their_dtypes():
    x = ag.tensor([[3.0, 1.0, 3.0], [0.0, 2.0, 1.0]], requires_grad=True)
    assert R.argsort(x).dtype == np.int64 and not R.argsort(x).requires_grad
    assert R.count_nonzero(x, 1).tolist() == [3, 2]
    values, inverse, counts = R.unique(x, return_inverse=True, return_counts=True)
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0] and not values.requires_grad
    assert inverse.shape == x.shape and inverse.dtype == np.int64 and counts.tolist() == [1, 2, 1, 2]
    assert R.histc(x, 3).tolist() == [1.0, 2.0, 3.0] and R.histc(x, 3).dtype == np.float32
    assert R.bincount(ag.tensor([1, 1, 4])).tolist() == [0, 2, 0, 0, 1]
    assert R.diff(ag.tensor([True, False, False])).tolist() == [True, False]
    assert R.topk(x, 2).values.dtype == np.float32 and R.topk(x, 2).indices.dtype == np.int64


# ---- errors ----------------------------------------------------------------------------------
DIM_FUNCTIONS = [
    ("cumsum", lambda x: R.cumsum(x, 2)),
    ("cumprod", lambda x: R.cumprod(x, -3)),
    ("logcumsumexp", lambda x: R.logcumsumexp(x, 5)),
    ("cummax", lambda x: R.cummax(x, 2)),
    ("cummin", lambda x: R.cummin(x, 2)),
    ("sort", lambda x: R.sort(x, 2)),
    ("argsort", lambda x: R.argsort(x, 2)),
    ("topk", lambda x: R.topk(x, 1, 2)),
    ("kthvalue", lambda x: R.kthvalue(x, 1, 2)),
    ("median", lambda x: R.median(x, 2)),
    ("prod", lambda x: R.prod(x, 2)),
    ("nansum", lambda x: R.nansum(x, (0, 2))),
    ("nanmean", lambda x: R.nanmean(x, 3)),
    ("var", lambda x: R.var(x, 2)),
    ("std", lambda x: R.std(x, -3)),
    ("vector_norm", lambda x: R.vector_norm(x, 2, 2)),
    ("matrix_norm", lambda x: R.matrix_norm(x, "fro", (0, 2))),
    ("count_nonzero", lambda x: R.count_nonzero(x, 2)),
    ("unique", lambda x: R.unique(x, dim=2)),
    ("diff", lambda x: R.diff(x, 1, 2)),
]


@pytest.mark.parametrize("name, call", DIM_FUNCTIONS, ids=[n for n, _ in DIM_FUNCTIONS])
def test_dim_out_of_range(name, call):
    with pytest.raises(ShapeError, match=name):
        call(ag.ones(2, 3))


def test_errors():
    x = ag.ones(2, 3)
    with pytest.raises(IndexOutOfRange, match=r"topk: k=4 .* expected 0 ≤ k ≤ 3"):
        R.topk(x, 4)
    with pytest.raises(IndexOutOfRange, match="topk"):
        R.topk(x, -1)
    with pytest.raises(IndexOutOfRange, match=r"kthvalue: k=0 .* expected 1 ≤ k ≤ 2"):
        R.kthvalue(x, 0, 0)
    with pytest.raises(ArgumentError, match="topk: k must be an int"):
        R.topk(x, 1.5)
    with pytest.raises(ArgumentError, match="cumsum: dim must be an int"):
        R.cumsum(x, (0, 1))
    with pytest.raises(DomainError, match="histc: bins must be a positive int"):
        R.histc(x, 0)
    with pytest.raises(DomainError, match="histc: max"):
        R.histc(x, 3, min=2, max=1)
    with pytest.raises(DTypeError, match="histc"):
        R.histc(ag.tensor([1, 2]))
    with pytest.raises(DomainError, match="bincount: expected non-negative values"):
        R.bincount(ag.tensor([1, -1]))
    with pytest.raises(DTypeError, match="bincount: expected a tensor of non-negative integers"):
        R.bincount(ag.tensor([1.0, 2.0]))
    with pytest.raises(DTypeError, match="bincount"):
        R.bincount(ag.tensor([True]))
    with pytest.raises(ShapeError, match="bincount: expected a 1-d tensor"):
        R.bincount(ag.tensor([[1, 2]]))
    with pytest.raises(ShapeError, match="bincount: weights"):
        R.bincount(ag.tensor([1, 2]), ag.tensor([1.0]))
    with pytest.raises(DomainError, match="bincount: minlength"):
        R.bincount(ag.tensor([1, 2]), minlength=-1)
    with pytest.raises(DTypeError, match="var: expected a floating-point input"):
        R.var(ag.tensor([1, 2]))
    with pytest.raises(DTypeError, match="logcumsumexp"):
        R.logcumsumexp(ag.tensor([1, 2]), 0)
    with pytest.raises(DTypeError, match="vector_norm"):
        R.vector_norm(ag.tensor([1, 2]))
    with pytest.raises(ArgumentError, match="var: pass either unbiased or correction"):
        R.var(x, unbiased=True, correction=0)
    with pytest.raises(ShapeError, match="matrix_norm: expected a tensor with at least 2 dims"):
        R.matrix_norm(ag.ones(3))
    with pytest.raises(DomainError, match="matrix_norm: ord 'nuc' is not supported"):
        R.matrix_norm(x, "nuc")
    with pytest.raises(DomainError, match="matrix_norm: ord 3"):
        R.matrix_norm(x, 3)
    with pytest.raises(ShapeError, match="matrix_norm: dim"):
        R.matrix_norm(x, "fro", (0, 0))
    with pytest.raises(ShapeError, match="matrix_norm"):
        R.norm(ag.ones(2, 2, 2), "fro", (0, 1, 2))  # as PyTorch: a matrix norm needs two dims
    with pytest.raises(ArgumentError, match="vector_norm: ord must be a number"):
        R.vector_norm(x, "fro")
    with pytest.raises(DomainError, match="diff: the order n must be a non-negative int"):
        R.diff(x, -1)
    with pytest.raises(ShapeError, match="diff: expected a tensor with at least 1 dim"):
        R.diff(ag.tensor(1.0))
    with pytest.raises(ShapeError, match="diff: prepend of shape"):
        R.diff(x, prepend=ag.ones(3, 3))
    with pytest.raises(ShapeError, match="median: cannot take the median of an empty tensor"):
        R.median(ag.zeros(0, 2))
    with pytest.raises(ShapeError, match="median: cannot take the median over dim 1 of size 0"):
        R.median(ag.zeros(2, 0), 1)
    with pytest.raises(ShapeError, match="a 0-d tensor"):
        R.sort(ag.tensor(1.0), 1)


# ---- quantile, nanmedian, mode, aminmax, cov, corrcoef: compositions, checked by differences ----
@settings(max_examples=10, deadline=None)
@given(sd=shape_and_dim(), q=st.floats(0, 1), how=st.sampled_from(["linear", "midpoint", "nearest"]), data=st.data())
def test_quantile_gradients(sd, q, how, data):
    shape, dim = sd
    x = leaf(data.draw(distinct_arrays(shape)))
    expected = np.quantile(x.numpy(), q, axis=dim, method="linear") if how == "linear" else None
    if expected is not None:
        np.testing.assert_allclose(R.quantile(x, q, dim).numpy(), expected, rtol=1e-12, atol=1e-12)
    both(lambda t: R.quantile(t, q, dim, interpolation=how), x)
    both(lambda t: R.nanquantile(t, ag.tensor([q, 1 - q], dtype=ag.float64), None, True), x)


@settings(max_examples=10, deadline=None)
@given(sd=shape_and_dim(), data=st.data())
def test_nanmedian_mode_aminmax_gradients(sd, data):
    shape, dim = sd
    x = leaf(data.draw(distinct_arrays(shape)))
    both(lambda t: R.nanmedian(t, dim).values, x)
    both(lambda t: R.nanmedian(t), x)
    both(lambda t: R.mode(t, dim).values, x)
    both(lambda t: R.aminmax(t, dim=dim).min * R.aminmax(t, dim=dim).max, x)
    np.testing.assert_array_equal(R.mode(x, dim).values.numpy(), np.min(x.numpy(), axis=dim))  # all once: the least


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 3), m=st.integers(3, 5), data=st.data())
def test_cov_corrcoef_gradients(n, m, data):
    x = leaf(data.draw(distinct_arrays((n, m))))
    np.testing.assert_allclose(R.cov(x).numpy(), np.cov(x.numpy()), rtol=1e-10, atol=1e-12)
    both(lambda t: R.cov(t), x)
    both(lambda t: R.cov(t, correction=0, aweights=ag.tensor(np.linspace(0.5, 2, m))), x)
    both(lambda t: R.corrcoef(t), x)
