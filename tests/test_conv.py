"""conv2d and the pooling gates: forward against nested-loop references, gradients against central
differences, the output-size formula, the tie rule of max pooling and the error messages."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd.gates.conv import COLUMNS, BufferPool, Col2Im, Im2Col, window
from autograd.graph import backpropagate
from autograd.testing import arrays, distinct_arrays
from conv_reference import adaptive_reference, conv_reference, pool_reference

# ---- strategies -----------------------------------------------------------------------------------


def side(draw, span: int, pad: int, extra: int = 3) -> int:
    """An input length that fits a window spanning `span` after padding `pad`."""
    low = max(1, span - 2 * pad)
    return draw(st.integers(low, low + extra))


@st.composite
def conv_cases(draw):
    """(x, weight, bias or None, stride, padding, dilation, groups), float64, small."""
    groups = draw(st.integers(1, 2))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    hw = tuple(side(draw, d * (k - 1) + 1, p) for k, p, d in zip(kernel, padding, dilation))
    x = draw(arrays((draw(st.integers(1, 2)), c) + hw))
    w = draw(arrays((o, c // groups) + kernel))
    b = draw(st.none() | arrays((o,)))
    return x, w, b, stride, padding, dilation, groups


@st.composite
def pool_cases(draw, distinct: bool):
    """(x, kernel, stride, padding) with padding at most half the kernel."""
    kernel = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = tuple(draw(st.integers(0, k // 2)) for k in kernel)
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) + tuple(
        side(draw, k, p) for k, p in zip(kernel, padding)
    )
    x = draw(distinct_arrays(shape) if distinct else arrays(shape))
    return x, kernel, stride, padding


def leaves(*arrays_or_none):
    return tuple(None if a is None else ag.Tensor(a, requires_grad=True) for a in arrays_or_none)


def conv_fn(stride, padding, dilation, groups):
    return lambda x, w, b=None: ag.conv2d(x, w, b, stride, padding, dilation, groups)


# ---- conv2d -----------------------------------------------------------------------------------------


@given(conv_cases())
def test_conv2d_forward_matches_nested_loops(case):
    x, w, b, stride, padding, dilation, groups = case
    out = ag.conv2d(ag.Tensor(x), ag.Tensor(w), None if b is None else ag.Tensor(b), stride, padding, dilation, groups)
    np.testing.assert_allclose(out.numpy(), conv_reference(*case), rtol=1e-10, atol=1e-10)


@given(conv_cases())
def test_conv2d_gradcheck(case):
    x, w, b, *params = case
    inputs = tuple(t for t in leaves(x, w, b) if t is not None)
    assert ag.gradcheck(conv_fn(*params), inputs)


@pytest.mark.parametrize(
    "shape, weight, stride, padding, dilation, groups, bias",
    [
        ((1, 2, 5, 5), (2, 2, 3, 3), 1, 1, 1, 1, True),
        ((2, 4, 5, 6), (4, 2, 2, 3), (2, 1), (1, 0), (1, 2), 2, False),
        ((1, 2, 6, 4), (2, 1, 2, 2), 2, 0, 2, 2, True),
    ],
)
def test_conv2d_gradgradcheck(shape, weight, stride, padding, dilation, groups, bias):
    rng = np.random.default_rng(0)
    inputs = leaves(rng.standard_normal(shape), rng.standard_normal(weight))
    if bias:
        inputs += leaves(rng.standard_normal(weight[0]))
    assert ag.gradgradcheck(conv_fn(stride, padding, dilation, groups), inputs)


def test_conv2d_by_hand():
    # Each output is the sum of a 2×2 block of 0..15 (row-major 4×4) times 1, plus the bias 0.5.
    x = ag.arange(16.0).reshape(1, 1, 4, 4)
    out = ag.conv2d(x, ag.ones(1, 1, 2, 2), ag.tensor([0.5]), stride=2)
    assert out.tolist() == [[[[10.5, 18.5], [42.5, 50.5]]]]
    assert out.dtype == np.float32


@given(
    st.integers(1, 12),
    st.integers(1, 5),
    st.integers(1, 3),
    st.integers(0, 3),
    st.integers(1, 3),
)
def test_output_size_formula(h, k, s, p, d):
    span = d * (k - 1) + 1
    if span > h + 2 * p:
        with pytest.raises(ag.ShapeError, match="kernel spans"):
            window("conv2d", (1, 1, h, h), (k, k), s, p, d)
        return
    x = ag.zeros(1, 1, h, h)
    out = ag.conv2d(x, ag.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
    expected = (h + 2 * p - d * (k - 1) - 1) // s + 1
    assert out.shape == (1, 1, expected, expected)


def test_lenet_sizes():
    x = ag.zeros(2, 1, 28, 28)
    h = ag.conv2d(x, ag.zeros(6, 1, 5, 5), padding=2)
    assert h.shape == (2, 6, 28, 28)
    h = ag.max_pool2d(h, 2)
    assert h.shape == (2, 6, 14, 14)
    h = ag.conv2d(h, ag.zeros(16, 6, 5, 5))
    assert h.shape == (2, 16, 10, 10)
    assert ag.max_pool2d(h, 2).shape == (2, 16, 5, 5)


def test_conv2d_skips_the_input_gradient_when_not_needed():
    x = ag.randn(2, 3, 6, 6)  # the network input: no gradient wanted
    w = ag.randn(4, 3, 3, 3).requires_grad_()
    out = ag.conv2d(x, w)
    returned = []
    backpropagate((out,), (ag.ones(*out.shape),), hook=lambda o, node, up, grads: returned.append(grads))
    ((dx, dw),) = returned
    assert dx is None and dw is not None and dw.shape == w.shape
    assert x.grad is None


def test_conv2d_frees_its_columns_after_backward():
    w = ag.randn(4, 3, 3, 3).requires_grad_()
    out = ag.conv2d(ag.randn(2, 3, 6, 6), w)
    node = out.grad_fn
    assert len(node.saved) == 1 and node.saved[0].size == 2 * 3 * 9 * 16  # the columns, kept once
    out.sum().backward()
    assert node.saved == ()
    with pytest.raises(ag.GraphError, match="second time"):
        out.sum().backward()


def test_a_released_graph_hands_its_columns_to_the_next_forward():
    x, w = ag.randn(2, 3, 6, 6), ag.randn(4, 3, 3, 3).requires_grad_()
    out = ag.conv2d(x, w)
    cols = out.grad_fn.saved[0]
    out.sum().backward()
    assert ag.conv2d(x, w).grad_fn.saved[0] is cols


def test_pooled_columns_never_enter_a_recorded_graph():
    # L = Σ c ⊙ conv2d(x, w): ∂L/∂w = Σ c @ colsᵀ, recorded with create_graph, is a function of c
    # and the columns. Releasing the first graph hands the conv's buffer back to the pool and a later
    # convolution of the same shape overwrites it: the recorded ∂L/∂w must not have kept it.
    rng = np.random.default_rng(4)
    x, other = (ag.Tensor(rng.standard_normal((2, 2, 5, 5))) for _ in range(2))
    w = ag.Tensor(rng.standard_normal((3, 2, 3, 3)), requires_grad=True)
    c = ag.Tensor(rng.standard_normal((2, 3, 3, 3)), requires_grad=True)
    (gw,) = ag.grad((ag.conv2d(x, w) * c).sum(), w, create_graph=True, retain_graph=False)
    ag.conv2d(other, w)
    gw.sum().backward()
    # ∂/∂c[n, o, l] of Σ_{o,k,n,l} c[n, o, l] cols[n, k, l] = Σ_k cols[n, k, l], for every o
    cols = Im2Col.apply(x, win=window("test", x.shape, (3, 3), 1, 0, 1)).numpy().reshape(2, 18, 9)
    expected = np.broadcast_to(cols.sum(1).reshape(2, 1, 3, 3), c.shape)
    np.testing.assert_allclose(c.grad.numpy(), expected, rtol=1e-12)


def test_buffer_pool_reuses_by_shape_and_keeps_at_most_its_limit():
    pool = BufferPool(limit=100)
    a = pool.take((3, 4), np.float32)  # 48 bytes
    pool.give(a)
    assert pool.take((3, 4), np.float64) is not a and pool.take((4, 3), np.float32) is not a
    assert pool.take((3, 4), np.float32) is a
    pool.give(a)
    pool.give(np.empty((3, 4), np.float32))
    pool.give(np.empty((3, 4), np.float32))  # 144 bytes would pass the limit: dropped
    assert pool.size == 96 and len(pool.free[((3, 4), np.dtype(np.float32))]) == 2
    assert COLUMNS.limit == 128 * 2**20


def test_im2col_and_col2im_are_adjoint():
    # <Im2Col(x), c> = <x, Col2Im(c)> for any x and c: the backward of one is the other.
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3, 7, 6))
    win = window("test", x.shape, (3, 2), (2, 1), (1, 2), (2, 1))
    cols = rng.standard_normal(x.shape[:2] + win.kernel + win.out)
    unfolded = Im2Col.apply(ag.Tensor(x), win=win).numpy()
    batch_last = np.ascontiguousarray(np.moveaxis(cols, 0, -1))  # the memory order conv2d's backward uses
    for c in (cols, np.moveaxis(batch_last, -1, 0)):
        folded = Col2Im.apply(ag.Tensor(c), win=win, shape=x.shape).numpy()
        assert folded.flags.c_contiguous
        np.testing.assert_allclose(np.sum(unfolded * c), np.sum(x * folded), rtol=1e-12)


def test_gates_draw_as_one_node():
    x = ag.randn(1, 2, 6, 6).requires_grad_()
    assert ag.conv2d(x, ag.randn(3, 2, 3, 3)).grad_fn.name == "Conv2d"
    assert ag.max_pool2d(x, 2).grad_fn.name == "MaxPool2d"
    assert ag.avg_pool2d(x, 2).grad_fn.name == "AvgPool2d"
    assert ag.adaptive_avg_pool2d(x, 1).grad_fn.name == "AdaptiveAvgPool2d"


@pytest.mark.parametrize(
    "x, w, kw, message",
    [
        (
            (3, 5),
            (4, 3, 3, 3),
            {},
            r"conv2d: expected a 3-d \(C, H, W\) or 4-d \(N, C, H, W\) input, got shape \(3, 5\)",
        ),
        ((1, 3, 5, 5), (4, 2, 3, 3), {}, r"input \(1, 3, 5, 5\) has 3 channels but weight \(4, 2, 3, 3\) expects 2"),
        ((1, 4, 5, 5), (3, 2, 3, 3), {"groups": 2}, r"groups=2 must divide both C_in=4 and C_out=3"),
        ((1, 3, 5, 5), (3, 3, 3), {}, r"conv2d: expected a 4-d weight .* got shape \(3, 3, 3\)"),
        ((1, 1, 3, 3), (1, 1, 5, 5), {}, r"conv2d: the kernel spans 5×5 .* padded input is only 3×3"),
        ((1, 1, 3, 3), (1, 1, 2, 2), {"dilation": 3}, r"kernel spans 4×4 \(size \(2, 2\), dilation \(3, 3\)\)"),
        ((1, 1, 5, 5), (1, 1, 3, 3), {"stride": 0}, r"conv2d: stride must be .* at least 1; got 0"),
        ((1, 1, 5, 5), (1, 1, 3, 3), {"padding": (1, -1)}, r"conv2d: padding must be .* at least 0"),
        ((1, 1, 5, 5), (1, 1, 3, 3), {"groups": 0}, r"conv2d: groups must be a positive int"),
        ((1, 1, 5, 5), (1, 1, 3, 3), {"stride": 1.5}, r"conv2d: stride must be an int or a pair of ints"),
        ((1, 1, 5, 5), (1, 1, 3, 3), {"padding": ("1", 1)}, r"conv2d: padding must be an int or a pair of ints"),
    ],
)
def test_conv2d_shape_errors(x, w, kw, message):
    with pytest.raises(ag.ShapeError, match=message):
        ag.conv2d(ag.zeros(*x), ag.zeros(*w), **kw)


def test_conv2d_bias_and_dtype_errors():
    x, w = ag.zeros(1, 3, 5, 5), ag.zeros(4, 3, 3, 3)
    with pytest.raises(ag.ShapeError, match=r"bias must have shape \(4,\) .* got \(3,\)"):
        ag.conv2d(x, w, ag.zeros(3))
    with pytest.raises(ag.DTypeError, match="input is float32 but weight is float64"):
        ag.conv2d(x, w.double())
    with pytest.raises(ag.DTypeError, match="floating-point input, got int64"):
        ag.conv2d(ag.zeros(1, 3, 5, 5).long(), w)


# ---- pooling ------------------------------------------------------------------------------------------


@given(pool_cases(distinct=True))
def test_max_pool2d_forward_matches_nested_loops(case):
    x, kernel, stride, padding = case
    out = ag.max_pool2d(ag.Tensor(x), kernel, stride, padding)
    np.testing.assert_array_equal(out.numpy(), pool_reference(x, kernel, stride, padding, np.max, -np.inf))


@given(pool_cases(distinct=True))
def test_max_pool2d_gradcheck(case):
    x, kernel, stride, padding = case
    assert ag.gradcheck(lambda t: ag.max_pool2d(t, kernel, stride, padding), leaves(x))


@given(pool_cases(distinct=False))
def test_avg_pool2d_forward_matches_nested_loops(case):
    x, kernel, stride, padding = case
    out = ag.avg_pool2d(ag.Tensor(x), kernel, stride, padding)
    np.testing.assert_allclose(out.numpy(), pool_reference(x, kernel, stride, padding, np.mean, 0.0), rtol=1e-12)


@given(pool_cases(distinct=False))
def test_avg_pool2d_gradcheck(case):
    x, kernel, stride, padding = case
    assert ag.gradcheck(lambda t: ag.avg_pool2d(t, kernel, stride, padding), leaves(x))


@pytest.mark.parametrize("pool", [ag.max_pool2d, ag.avg_pool2d])
def test_pool_gradgradcheck(pool):
    x = np.random.default_rng(1).permutation(2 * 2 * 5 * 6).reshape(2, 2, 5, 6) * 0.1
    assert ag.gradgradcheck(lambda t: pool(t, 3, (1, 2), 1), leaves(x))


def test_max_pool2d_tie_goes_to_the_first_maximum_in_row_major_order():
    x = ag.tensor([[[[1.0, 3.0, 2.0, 2.0], [3.0, 0.0, 2.0, 2.0]]]], requires_grad=True)
    out = ag.max_pool2d(x, 2)
    assert out.tolist() == [[[[3.0, 2.0]]]]
    out.backward(ag.tensor([[[[5.0, 7.0]]]]))
    # window 1: 3.0 at (0, 1) and (1, 0); window 2: four 2.0s. The first in row-major order wins.
    assert x.grad.tolist() == [[[[0.0, 5.0, 7.0, 0.0], [0.0, 0.0, 0.0, 0.0]]]]


def test_max_pool2d_padding_never_wins():
    x = ag.full((1, 1, 2, 2), -5.0, requires_grad=True)
    out = ag.max_pool2d(x, 3, stride=1, padding=1)
    assert out.tolist() == [[[[-5.0, -5.0], [-5.0, -5.0]]]]
    out.sum().backward()
    # Every window holds all four pixels, padding (−∞) first in row-major order: (0, 0) wins all four.
    assert x.grad.tolist() == [[[[4.0, 0.0], [0.0, 0.0]]]]


def test_avg_pool2d_counts_padding_as_zeros():
    out = ag.avg_pool2d(ag.ones(1, 1, 2, 2), 2, stride=1, padding=1)
    assert out.tolist() == [[[[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]]]]


@given(st.integers(1, 7), st.integers(1, 7), st.integers(1, 4), st.integers(1, 4), st.data())
def test_adaptive_avg_pool2d_matches_reference_and_gradcheck(h, w, ho, wo, data):
    x = data.draw(arrays((2, 2, h, w)))
    out = ag.adaptive_avg_pool2d(ag.Tensor(x), (ho, wo))
    np.testing.assert_allclose(out.numpy(), adaptive_reference(x, (ho, wo)), rtol=1e-12, atol=1e-12)
    assert ag.gradcheck(lambda t: ag.adaptive_avg_pool2d(t, (ho, wo)), leaves(x))


def test_adaptive_avg_pool2d_global_and_none():
    x = np.random.default_rng(2).standard_normal((2, 3, 5, 4)).astype(np.float32)
    out = ag.adaptive_avg_pool2d(ag.Tensor(x), 1)
    np.testing.assert_allclose(out.numpy(), x.mean(axis=(2, 3), keepdims=True), rtol=1e-6)
    assert out.dtype == np.float32
    assert ag.adaptive_avg_pool2d(ag.Tensor(x), (None, 2)).shape == (2, 3, 5, 2)
    assert ag.gradgradcheck(lambda t: ag.adaptive_avg_pool2d(t, (2, 3)), leaves(x.astype(np.float64)))


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda x: ag.max_pool2d(x[0], 2), r"max_pool2d: expected a 4-d input \(N, C, H, W\), got shape \(2, 5, 5\)"),
        (lambda x: ag.max_pool2d(x, 2, padding=2), r"max_pool2d: padding \(2, 2\) must be at most half"),
        (lambda x: ag.avg_pool2d(x, 7), r"avg_pool2d: the kernel spans 7×7 .* padded input is only 5×5"),
        (lambda x: ag.avg_pool2d(x, 2, stride=(1, 0)), r"avg_pool2d: stride must be"),
        (lambda x: ag.adaptive_avg_pool2d(x, (1, 2, 3)), r"adaptive_avg_pool2d: output_size must be an int or a pair"),
        (lambda x: ag.adaptive_avg_pool2d(x, 0), r"adaptive_avg_pool2d: output_size must be .* at least 1"),
    ],
)
def test_pool_errors(call, message):
    with pytest.raises(ag.ShapeError, match=message):
        call(ag.zeros(1, 2, 5, 5))
