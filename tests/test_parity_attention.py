"""F.scaled_dot_product_attention against PyTorch, float64 (values and the gradients of query,
key, value and a float mask): boolean and float masks, fully masked rows, is_causal, scale,
grouped-query heads, broadcast batch dims; the fused gate against its composition, gradcheck and
gradgradcheck; bad input as our errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.errors import ArgumentError, ShapeError
from autograd.extend import gates
from tests.parity import check

RNG = np.random.default_rng(23)


def qkv(batch=(2, 3), L=4, S=6, E=5, Ev=7):
    return [RNG.normal(size=(*batch, L, E)), RNG.normal(size=(*batch, S, E)), RNG.normal(size=(*batch, S, Ev))]


def sdpa(m, *args, **kw):
    return m.nn.functional.scaled_dot_product_attention(*args, **kw)


@pytest.mark.parametrize("kw", [{}, {"is_causal": True}, {"scale": 0.3}, {"is_causal": True, "scale": 2.0}])
def test_plain_and_causal(kw):
    check(lambda m, q, k, v: sdpa(m, q, k, v, **kw), qkv())


def test_boolean_mask_with_a_fully_masked_row_gives_zeros_as_pytorch():
    mask = RNG.random((4, 6)) > 0.4
    mask[1] = False
    check(lambda m, q, k, v: sdpa(m, q, k, v, attn_mask=m.tensor(mask)), qkv())
    out = sdpa(ag, *(ag.tensor(x) for x in qkv()), attn_mask=ag.tensor(mask))
    assert not out.numpy()[:, :, 1].any()


def test_float_mask_with_a_row_of_minus_infinity_gives_zeros_as_pytorch():
    bias = np.where(RNG.random((4, 6)) > 0.4, 0.0, -np.inf)
    bias[2] = -np.inf
    check(lambda m, q, k, v: sdpa(m, q, k, v, attn_mask=m.tensor(bias)), qkv())
    out = sdpa(ag, *(ag.tensor(x) for x in qkv()), attn_mask=ag.tensor(bias))
    assert not out.numpy()[:, :, 2].any()


def test_float_mask_gets_its_gradient_and_broadcasts():
    q, k, v = qkv(batch=(2, 3))
    check(lambda m, q, k, v, bias: sdpa(m, q, k, v, attn_mask=bias), [q, k, v, RNG.normal(size=(3, 4, 6))])
    check(lambda m, q, k, v: sdpa(m, q, k, v), [q, k[:1], v[:1]])  # key and value shared across the batch


def test_grouped_query_heads():
    q, k, v = qkv(batch=(2, 4))
    check(lambda m, q, k, v: sdpa(m, q, k, v, enable_gqa=True), [q, k[:, :2], v[:, :2]])


@settings(max_examples=25, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 3),
    st.sampled_from(["none", "bool", "float"]),
    st.integers(0, 2**16),
)
def test_fused_gate_is_the_composition(L, S, E, mask_kind, seed):
    rng = np.random.default_rng(seed)
    q, k, v = (ag.tensor(rng.normal(size=s), requires_grad=True) for s in [(2, L, E), (2, S, E), (2, S, 2)])
    bias, dead, inputs = None, None, [q, k, v]
    if mask_kind == "bool":
        keep = rng.random((L, S)) > 0.3
        bias = ag.tensor(np.where(keep, 0.0, -np.inf))
        dead = ~keep.any(-1, keepdims=True) if not keep.any(-1).all() else None
    elif mask_kind == "float":
        bias = ag.tensor(rng.normal(size=(L, S)), requires_grad=True)
        inputs.append(bias)
    operands = [q, k, v] + ([bias] if bias is not None else [])
    fused = gates.attention.ScaledDotProductAttention.apply(*operands, scale=0.7, dead=dead)
    composed = gates.attention.attention_composed(q, k, v, bias, 0.7, dead)
    np.testing.assert_allclose(fused.numpy(), composed.numpy(), rtol=1e-12, atol=1e-12)
    g = ag.tensor(rng.normal(size=fused.shape))
    for a, b in zip(ag.grad((fused * g).sum(), inputs), ag.grad((composed * g).sum(), inputs)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12)
    if mask_kind != "bool":
        fn = lambda *t: gates.attention.ScaledDotProductAttention.apply(*t, scale=0.7, dead=None)  # noqa: E731
        assert gradcheck(fn, tuple(inputs)) and gradgradcheck(fn, tuple(inputs))


def test_bad_input_is_our_error():
    q, k, v = (ag.tensor(x) for x in qkv())
    with pytest.raises(ArgumentError, match="explicit attn_mask should not be set when is_causal=True"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=ag.ones(4, 6, dtype=ag.bool), is_causal=True)
    with pytest.raises(ShapeError, match="do not fit: expected"):
        F.scaled_dot_product_attention(q, k[..., :3], v)
    with pytest.raises(ShapeError, match=r"attn_mask of shape \(5, 6\) does not broadcast"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=ag.ones(5, 6, dtype=ag.bool))
    with pytest.raises(ShapeError, match="3 query heads are not a multiple of 2"):
        F.scaled_dot_product_attention(q, k[:, :2], v[:, :2], enable_gqa=True)


def test_dropout_drops_attention_weights_reproducibly():
    q, k, v = (ag.tensor(x) for x in qkv())
    plain = F.scaled_dot_product_attention(q, k, v)
    ag.manual_seed(3)
    first = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    ag.manual_seed(3)
    again = F.scaled_dot_product_attention(q, k, v, dropout_p=0.5)
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    assert not np.allclose(first.numpy(), plain.numpy())
    ag.manual_seed(4)
    mean = sum(F.scaled_dot_product_attention(q, k, v, dropout_p=0.5).numpy() for _ in range(400)) / 400
    np.testing.assert_allclose(mean, plain.numpy(), atol=0.15)  # kept weights are scaled by 1/(1 − p)
