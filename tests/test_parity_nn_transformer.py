"""nn.MultiheadAttention, the Transformer layers, stacks and nn.Transformer against PyTorch,
float64, with PyTorch's weights loaded through the state dict: outputs, attention weights, and
the gradients of every input and parameter; masks of both kinds (boolean and float, key padding
and attention, 2-D and 3-D), kdim/vdim, bias_k/bias_v, add_zero_attn, batch_first both ways,
norm_first both ways, relu and gelu; names, reprs and init; bad input as our errors."""

import math
import warnings
import zlib

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
from autograd import gradcheck
from autograd.errors import ArgumentError, DTypeError, ShapeError
from tests.parity import assert_same

E, H, L, S, N = 8, 2, 5, 6, 3


def pair(cls, *args, **kw):
    theirs = getattr(torch.nn, cls)(*args, **kw).double()
    ours = getattr(nn, cls)(*args, **kw, dtype=ag.float64)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def run(m, module, arrays, masks, call, seed):
    """call(module, *inputs, **masks), and the gradients of Σ cotangent · output w.r.t. the inputs
    and every parameter."""
    inputs = [m.tensor(x, requires_grad=True) for x in arrays]
    results = call(module, *inputs, **{k: None if v is None else m.tensor(v) for k, v in masks.items()})
    results = [r for r in (results if isinstance(results, tuple) else (results,)) if r is not None]
    rng = np.random.default_rng(seed)
    loss = sum((r * m.tensor(rng.normal(size=tuple(r.shape)))).sum() for r in results)
    leaves = inputs + [p for _, p in module.named_parameters()]
    grads = (ag.grad if m is ag else torch.autograd.grad)(loss, leaves, allow_unused=True, materialize_grads=True)
    return results, list(grads)


def same(ours, theirs, arrays, masks, call):
    seed = zlib.crc32(repr(sorted(masks)).encode())
    (r_ours, g_ours), (r_theirs, g_theirs) = (
        run(ag, ours, arrays, masks, call, seed),
        run(torch, theirs, arrays, masks, call, seed),
    )
    assert_same(r_ours, r_theirs, "outputs")
    assert_same(g_ours, g_theirs, "gradients")


def seq(rng, length, batch_first, width=E, batch=N):
    return rng.normal(size=(batch, length, width) if batch_first else (length, batch, width))


def padding(rng, batch=N, length=S):
    mask = rng.random((batch, length)) > 0.7
    mask[:, 0] = False  # every query keeps a key
    return mask


def attend(**options):
    return lambda mha, q, k, v, **masks: mha(q, k, v, **masks, **options)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize(
    "options",
    [{}, {"need_weights": False}, {"average_attn_weights": False}, {"need_weights": False, "is_causal": True}],
)
def test_self_attention(batch_first, options):
    rng = np.random.default_rng(1)
    ours, theirs = pair("MultiheadAttention", E, H, batch_first=batch_first)
    x = seq(rng, L, batch_first)
    causal = np.triu(np.ones((L, L), bool), 1)
    call = attend(**options)
    same(ours, theirs, [x], {"attn_mask": causal}, lambda mha, x, **masks: call(mha, x, x, x, **masks))


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("kind", ["bool", "float"])
@pytest.mark.parametrize("need_weights", [True, False])
def test_masks_of_both_kinds(batch_first, kind, need_weights):
    rng = np.random.default_rng(2)
    ours, theirs = pair("MultiheadAttention", E, H, batch_first=batch_first)
    q, k, v = seq(rng, L, batch_first), seq(rng, S, batch_first), seq(rng, S, batch_first)
    key_padding, attn_2d, attn_3d = padding(rng), rng.random((L, S)) > 0.8, rng.random((N * H, L, S)) > 0.8
    attn_2d[:, 0] = attn_3d[:, :, 0] = False
    if kind == "float":
        key_padding, attn_2d, attn_3d = (
            np.where(m, -np.inf, 0.0) + rng.normal(size=m.shape) for m in (key_padding, attn_2d, attn_3d)
        )
    call = attend(need_weights=need_weights)
    for masks in (
        {"key_padding_mask": key_padding},
        {"attn_mask": attn_2d},
        {"attn_mask": attn_3d, "key_padding_mask": key_padding},
    ):
        same(ours, theirs, [q, k, v], masks, call)


@pytest.mark.parametrize("options", [{"kdim": 3, "vdim": 5}, {"kdim": 3, "vdim": 5, "bias": False}, {"bias": False}])
def test_cross_attention_with_other_key_and_value_sizes(options):
    rng = np.random.default_rng(3)
    ours, theirs = pair("MultiheadAttention", E, H, **options)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    q, k, v = seq(rng, L, False), seq(rng, S, False, options.get("kdim", E)), seq(rng, S, False, options.get("vdim", E))
    same(ours, theirs, [q, k, v], {"key_padding_mask": padding(rng)}, attend())


@pytest.mark.parametrize(
    "options", [{"add_bias_kv": True}, {"add_zero_attn": True}, {"add_bias_kv": True, "add_zero_attn": True}]
)
@pytest.mark.parametrize("need_weights", [True, False])
def test_extra_keys(options, need_weights):
    rng = np.random.default_rng(4)
    ours, theirs = pair("MultiheadAttention", E, H, **options)
    q, k = seq(rng, L, False), seq(rng, S, False)
    masks = {"key_padding_mask": padding(rng), "attn_mask": rng.random((L, S)) > 0.8}
    same(ours, theirs, [q, k, k], masks, attend(need_weights=need_weights))


def test_unbatched_input_with_a_mask_per_head():
    rng = np.random.default_rng(5)
    ours, theirs = pair("MultiheadAttention", E, H, batch_first=True)
    q, k = rng.normal(size=(L, E)), rng.normal(size=(S, E))
    attn = rng.random((H, L, S)) > 0.7
    attn[:, :, 0] = False
    masks = {"attn_mask": attn, "key_padding_mask": np.arange(S) > 4}
    same(ours, theirs, [q, k, k], masks, attend(average_attn_weights=False))


def test_a_query_with_no_key_gives_zeros_and_finite_gradients():
    """PyTorch gives zeros with need_weights=False (matched here) and NaN with need_weights=True;
    we give zeros in both, and never a NaN gradient."""
    rng = np.random.default_rng(6)
    ours, theirs = pair("MultiheadAttention", E, H)
    q, k = seq(rng, L, False), seq(rng, S, False)
    key_padding = padding(rng)
    key_padding[1] = True  # the second sequence has no key at all
    same(ours, theirs, [q, k, k], {"key_padding_mask": key_padding}, attend(need_weights=False))
    (out, weights), grads = run(ag, ours, [q, k, k], {"key_padding_mask": key_padding}, attend(), 0)
    assert not weights.numpy()[1].any() and np.isfinite(weights.numpy()).all()
    np.testing.assert_allclose(out.numpy()[:, 1], np.broadcast_to(ours.out_proj.bias.numpy(), (L, E)))
    assert all(np.isfinite(g.numpy()).all() for g in grads)


@settings(max_examples=20, deadline=None)
@given(
    st.integers(1, 3),
    st.sampled_from([(4, 1), (6, 2), (6, 3), (8, 4)]),
    st.integers(1, 4),
    st.integers(1, 4),
    st.booleans(),
    st.integers(0, 2**16),
)
def test_drawn_sizes_match_pytorch(batch, sizes, length, source, need_weights, seed):
    rng = np.random.default_rng(seed)
    width, heads = sizes
    ours, theirs = pair("MultiheadAttention", width, heads)
    q, k = seq(rng, length, False, width, batch), seq(rng, source, False, width, batch)
    key_padding = rng.random((batch, source)) > 0.6
    key_padding[:, 0] = False
    same(ours, theirs, [q, k, k], {"key_padding_mask": key_padding}, attend(need_weights=need_weights))


def test_gradcheck_through_attention_and_a_layer():
    rng = np.random.default_rng(14)
    mha = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, dtype=ag.float64)
    q, k, v = (ag.tensor(rng.normal(size=s), requires_grad=True) for s in ((3, 2, 4), (4, 2, 3), (4, 2, 5)))
    assert gradcheck(lambda q, k, v: mha(q, k, v)[0], (q, k, v))
    layer = nn.TransformerEncoderLayer(4, 2, 6, 0.0, "gelu", norm_first=True, dtype=ag.float64)
    assert gradcheck(
        lambda x: layer(x, src_mask=nn.Transformer.generate_square_subsequent_mask(3, dtype=ag.float64)), (q,)
    )


def test_init_names_and_repr_are_pytorchs():
    for kw in ({}, {"kdim": 3, "vdim": 5}, {"add_bias_kv": True, "bias": False}):
        ours, theirs = nn.MultiheadAttention(E, H, **kw), torch.nn.MultiheadAttention(E, H, **kw)
        assert repr(ours) == repr(theirs)
        assert {k: tuple(v.shape) for k, v in ours.state_dict().items()} == {
            k: tuple(v.shape) for k, v in theirs.state_dict().items()
        }
    ag.manual_seed(0)
    mha = nn.MultiheadAttention(64, 4)
    bound = math.sqrt(6 / (64 + 3 * 64))  # Xavier-uniform over the packed (3E, E) weight
    w = mha.in_proj_weight.numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert not mha.in_proj_bias.numpy().any() and not mha.out_proj.bias.numpy().any()


def test_dropout_drops_attention_weights_only_in_training():
    ag.manual_seed(0)
    mha = nn.MultiheadAttention(E, H, dropout=0.5, dtype=ag.float64)
    x = ag.tensor(np.random.default_rng(7).normal(size=(L, N, E)))
    _, dropped = mha(x, x, x, average_attn_weights=False)
    zeros = (dropped.numpy() == 0).mean()
    assert 0.3 < zeros < 0.7 and np.isclose(dropped.numpy().sum(-1).mean(), 1.0, atol=0.25)
    mha.eval()
    _, kept = mha(x, x, x, average_attn_weights=False)
    np.testing.assert_allclose(kept.numpy().sum(-1), 1.0)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_encoder_layer(norm_first, activation, batch_first):
    rng = np.random.default_rng(8)
    ours, theirs = pair(
        "TransformerEncoderLayer", E, H, 16, 0.0, activation, batch_first=batch_first, norm_first=norm_first
    )
    masks = {"src_mask": np.triu(np.ones((S, S), bool), 1), "src_key_padding_mask": padding(rng)}
    same(ours, theirs, [seq(rng, S, batch_first)], masks, lambda layer, x, **m: layer(x, **m))


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_decoder_layer(norm_first, activation, batch_first):
    rng = np.random.default_rng(9)
    ours, theirs = pair(
        "TransformerDecoderLayer", E, H, 16, 0.0, activation, batch_first=batch_first, norm_first=norm_first
    )
    masks = {
        "tgt_mask": np.triu(np.ones((L, L), bool), 1),
        "tgt_key_padding_mask": padding(rng, length=L),
        "memory_key_padding_mask": padding(rng),
    }
    arrays = [seq(rng, L, batch_first), seq(rng, S, batch_first)]
    same(ours, theirs, arrays, masks, lambda layer, x, memory, **m: layer(x, memory, tgt_is_causal=True, **m))


def test_a_callable_activation_and_no_bias():
    rng = np.random.default_rng(10)
    theirs = torch.nn.TransformerEncoderLayer(E, H, 16, 0.0, torch.nn.functional.silu, bias=False).double()
    ours = nn.TransformerEncoderLayer(E, H, 16, 0.0, nn.functional.silu, bias=False, dtype=ag.float64)
    ours.load_state_dict(theirs.state_dict())
    assert list(ours.state_dict()) == list(theirs.state_dict())
    same(ours, theirs, [seq(rng, S, False)], {}, lambda layer, x: layer(x))


@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")  # PyTorch's note on its fast path
@pytest.mark.filterwarnings("ignore:Support for mismatched key_padding_mask")
@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer(batch_first):
    rng = np.random.default_rng(11)
    ours, theirs = pair("Transformer", E, H, 2, 2, 16, 0.0, batch_first=batch_first)
    assert repr(ours) == repr(theirs)
    masks = {
        "tgt_mask": nn.Transformer.generate_square_subsequent_mask(L, dtype=ag.float64).numpy(),
        "src_key_padding_mask": padding(rng),
        "memory_key_padding_mask": padding(rng),
    }
    arrays = [seq(rng, S, batch_first), seq(rng, L, batch_first)]
    same(ours, theirs, arrays, masks, lambda model, src, tgt, **m: model(src, tgt, **m))


def test_stacks_copy_the_layer_and_norm_at_the_end():
    rng = np.random.default_rng(12)
    layer = torch.nn.TransformerDecoderLayer(E, H, 16, 0.0, batch_first=True)
    theirs = torch.nn.TransformerDecoder(layer, 3, torch.nn.LayerNorm(E)).double()
    ours = nn.TransformerDecoder(nn.TransformerDecoderLayer(E, H, 16, 0.0, batch_first=True), 3, nn.LayerNorm(E))
    ours = ours.to(ag.float64)
    ours.load_state_dict(theirs.state_dict())
    assert ours.layers[0].linear1.weight is not ours.layers[1].linear1.weight
    arrays = [seq(rng, L, True), seq(rng, S, True)]
    same(ours, theirs, arrays, {}, lambda model, tgt, memory: model(tgt, memory))


def test_square_subsequent_mask_is_pytorchs():
    mask = nn.Transformer.generate_square_subsequent_mask(4)
    assert_same(mask, torch.nn.Transformer.generate_square_subsequent_mask(4))
    assert mask.dtype == ag.float32


def test_encoder_inference_zeroes_padding_as_pytorchs_fast_path():
    rng = np.random.default_rng(13)
    layer = torch.nn.TransformerEncoderLayer(E, H, 16, 0.0, batch_first=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyTorch: nested tensors are a prototype
        theirs = torch.nn.TransformerEncoder(layer, 2, torch.nn.LayerNorm(E)).double().eval()
        ours = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, H, 16, 0.0, batch_first=True), 2, nn.LayerNorm(E))
        ours = ours.to(ag.float64).eval()
        ours.load_state_dict(theirs.state_dict())
        x = seq(rng, S, True)
        key_padding = np.arange(S)[None, :] >= np.array([[6], [4], [2]])  # padding at the end of each row
        with torch.no_grad(), ag.no_grad():
            expected = theirs(torch.tensor(x), src_key_padding_mask=torch.tensor(key_padding))
            got = ours(ag.tensor(x), src_key_padding_mask=ag.tensor(key_padding))
        assert_same(got, expected)
        np.testing.assert_allclose(got.numpy()[2, 3], ours.norm.bias.numpy())  # norm(0) at a padded position
        with_grad = ours(ag.tensor(x), src_key_padding_mask=ag.tensor(key_padding))  # no fast path: real values
        assert_same(with_grad, theirs(torch.tensor(x), src_key_padding_mask=torch.tensor(key_padding)))
        assert not np.allclose(with_grad.numpy()[2, 3], got.numpy()[2, 3])


def test_bad_input_is_our_error():
    with pytest.raises(ShapeError, match="divisible by num_heads.*embed_dim=10 and num_heads=3"):
        nn.MultiheadAttention(10, 3)
    mha = nn.MultiheadAttention(E, H)
    x = ag.randn(L, N, E)
    with pytest.raises(ShapeError, match=r"attn_mask has shape \(4, 4\), expected \(5, 5\) or \(6, 5, 5\)"):
        mha(x, x, x, attn_mask=ag.zeros(4, 4, dtype=ag.bool))
    with pytest.raises(ShapeError, match=r"key_padding_mask has shape \(5, 3\), expected \(3, 5\)"):
        mha(x, x, x, key_padding_mask=ag.zeros(5, 3, dtype=ag.bool))
    with pytest.raises(DTypeError, match="only bool and floating types of attn_mask"):
        mha(x, x, x, attn_mask=ag.zeros(5, 5, dtype=ag.int64))
    with pytest.raises(ShapeError, match="embedding dimension of 8, but got 6"):
        mha(ag.randn(L, N, 6), x, x)
    with pytest.raises(ShapeError, match="query should be unbatched 2-D"):
        mha(ag.randn(L), x, x)
    with pytest.raises(ArgumentError, match="give attn_mask too"):
        mha(x, x, x, is_causal=True)
    layer = nn.TransformerEncoderLayer(E, H, 16)
    with pytest.raises(ShapeError, match=r"src must be \(…, d_model=8\), got shape \(5, 3, 6\)"):
        layer(ag.randn(L, N, 6))
    with pytest.raises(ArgumentError, match="activation should be relu/gelu or a callable, not 'tanh'"):
        nn.TransformerEncoderLayer(E, H, activation="tanh")
    model = nn.Transformer(E, H, 1, 1, 16)
    with pytest.raises(ShapeError, match="batch number of src and tgt must be equal, got 3 and 2"):
        model(ag.randn(S, N, E), ag.randn(L, 2, E))
    with pytest.raises(ShapeError, match=r"tgt must be \(…, d_model=8\)"):
        model(ag.randn(S, N, E), ag.randn(L, N, 4))
    with pytest.raises(
        ShapeError, match=r"TransformerDecoderLayer: memory must be \(…, d_model=8\), got shape \(6, 3, 6\)"
    ):
        nn.TransformerDecoderLayer(E, H, 16)(ag.randn(L, N, E), ag.randn(S, N, 6))
    stacked = nn.Sequential(nn.TransformerEncoderLayer(E, H, 16), nn.TransformerEncoderLayer(6, 2, 16))
    with pytest.raises(
        ShapeError, match=r"TransformerEncoderLayer: src must be \(…, d_model=6\), got shape \(5, 3, 8\)"
    ):
        stacked(ag.randn(L, N, E))
