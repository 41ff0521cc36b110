"""`scaled_dot_product_attention`, as PyTorch's: one fused gate (`gates.attention`); and
`multi_head_attention_forward`, nn.MultiheadAttention's functional form, on top of it."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor, cat
from autograd.errors import ArgumentError, DomainError, DTypeError, ShapeError
from autograd.extend import gates

from .dropout import dropout
from .linear import linear
from .padding import pad


def dead_rows(bias: Tensor, scores_shape: tuple[int, ...]) -> np.ndarray | None:
    """The rows of the scores (…, L, 1) whose every key is masked (bias −∞), or None if none is."""
    dead = np.isneginf(np.broadcast_to(bias._data, scores_shape)).all(-1, keepdims=True)
    return dead if dead.any() else None


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """softmax(Q Kᵀ · scale + M) V for Q (…, L, E), K (…, S, E), V (…, S, Ev): scale defaults to 1/√E;
    a boolean `attn_mask` (broadcast to (…, L, S)) says which keys each query may attend to (True:
    take part), a float one is added to the scores; `is_causal` lets query i see keys 0…i only. A
    query that may attend to no key (a row of False, or of −∞) gives zeros, as PyTorch's.
    `enable_gqa` repeats each of K's and V's heads (dim −3) to match Q's. `dropout_p` drops
    attention weights (training code passes 0 at evaluation, as with PyTorch's functional form)."""
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor) or t.ndim < 2 or t.dtype.kind != "f":
            got = f"{t.dtype} tensor of shape {t.shape}" if isinstance(t, Tensor) else type(t).__name__
            raise ShapeError(f"scaled_dot_product_attention: {name} must be a float Tensor (…, L, E), got {got}")
    if key.shape[-1] != query.shape[-1] or key.shape[-2] != value.shape[-2]:
        raise ShapeError(
            f"scaled_dot_product_attention: query {query.shape}, key {key.shape} and value {value.shape} do not fit: "
            "expected (…, L, E), (…, S, E) and (…, S, Ev)"
        )
    if enable_gqa and key.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        heads, kv_heads = query.shape[-3], key.shape[-3]
        if heads % kv_heads:
            raise ShapeError(f"scaled_dot_product_attention: {heads} query heads are not a multiple of {kv_heads}")
        key, value = key.repeat_interleave(heads // kv_heads, -3), value.repeat_interleave(heads // kv_heads, -3)
    L, S = query.shape[-2], key.shape[-2]
    if is_causal:
        if attn_mask is not None:
            raise ArgumentError(
                "scaled_dot_product_attention: explicit attn_mask should not be set when is_causal=True"
            )
        attn_mask = Tensor(np.tril(np.ones((L, S), bool)))
    bias, dead = None, None
    if attn_mask is not None:
        mask = attn_mask if isinstance(attn_mask, Tensor) else Tensor(attn_mask)
        try:
            np.broadcast_shapes(tuple(mask.shape), tuple(query.shape[:-1]) + (S,))
        except ValueError:
            raise ShapeError(
                f"scaled_dot_product_attention: attn_mask of shape {mask.shape} does not broadcast to the scores' "
                f"shape {tuple(query.shape[:-1]) + (S,)}"
            ) from None
        if mask.dtype == np.bool_:
            bias = Tensor(np.where(mask.numpy(), 0.0, -np.inf).astype(query.dtype))
        elif mask.dtype.kind == "f":
            bias = mask if mask.dtype == query.dtype else mask.to(query.dtype)
        else:
            raise DTypeError(f"scaled_dot_product_attention: attn_mask must be bool or float, got {mask.dtype}")
        dead = dead_rows(bias, tuple(query.shape[:-1]) + (S,))
    if not 0.0 <= dropout_p < 1.0:
        raise DomainError(f"scaled_dot_product_attention: dropout_p must be in [0, 1), got {dropout_p}")
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    if dropout_p > 0.0:  # the weights themselves are needed: the composition, with dropout on P
        weights = gates.attention.attention_weights(query, key, bias, scale, dead)
        return dropout(weights, dropout_p, training=True) @ value
    operands = [query, key, value] + ([bias] if bias is not None else [])
    return gates.attention.ScaledDotProductAttention.apply(*operands, scale=scale, dead=dead)


def canonical_mask(mask: Any, name: str, dtype: Any, fn: str) -> Tensor | None:
    """A boolean mask in MultiheadAttention's sense (True: masked out) as an additive 0 / −∞ mask
    in `dtype`; a float mask as it is, as PyTorch's `_canonical_mask`."""
    if mask is None:
        return None
    if not isinstance(mask, Tensor):
        raise ArgumentError(f"{fn}: {name} must be a Tensor, got {type(mask).__name__}")
    if mask.dtype == np.bool_:
        return Tensor(np.where(mask._data, -np.inf, 0.0).astype(dtype))
    if mask.dtype.kind != "f":
        raise DTypeError(f"{fn}: only bool and floating types of {name} are supported, got {mask.dtype}")
    return mask


def check_mask_shape(mask: Tensor | None, name: str, expected: tuple[tuple[int, ...], ...], fn: str) -> None:
    if mask is not None and tuple(mask.shape) not in expected:
        wanted = " or ".join(str(shape) for shape in expected)
        raise ShapeError(f"{fn}: {name} has shape {tuple(mask.shape)}, expected {wanted}")


def in_projection(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    weights: tuple[Tensor, Tensor, Tensor] | Tensor,
    bias: Tensor | None,
) -> tuple[Tensor, Tensor, Tensor]:
    """Q, K, V = query W_qᵀ + b_q, key W_kᵀ + b_k, value W_vᵀ + b_v, from one packed (3E, E)
    weight (one matmul for self-attention) or three separate weights."""
    b_q, b_k, b_v = bias.chunk(3) if bias is not None else (None, None, None)
    if isinstance(weights, Tensor):
        if query is key and key is value:
            q, k, v = linear(query, weights, bias).chunk(3, -1)
            return q, k, v
        weights = weights.chunk(3)
    w_q, w_k, w_v = weights
    return linear(query, w_q, b_q), linear(key, w_k, b_k), linear(value, w_v, b_v)


def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention, PyTorch's functional form (sequence first): query (L, N, E), key (S, N,
        kdim), value (S, N, vdim), or unbatched (L, E), (S, kdim), (S, vdim). Each of the H heads
        attends with Q_h = query W_qₕᵀ, K_h, V_h of head_dim = E/H columns, O_h = softmax(Q_h K_hᵀ/√head_dim
        + M) V_h; the heads, concatenated, go through out_proj: (L, N, E). Masks as PyTorch's: a
        boolean `attn_mask` ((L, S), or (N·H, L, S)) or `key_padding_mask` ((N, S)) is True where a key
        must NOT be attended to; float masks are added to the scores. `bias_k`/`bias_v` append one key
        and value; `add_zero_attn` one of zeros. `is_causal` is a hint that `attn_mask` (which must be
    given) is causal: without key_padding_mask and need_weights, the causal mask is used instead.
        Returns the output and, if `need_weights`, the attention weights (N, L, S) averaged over heads
        (or (N, H, L, S)), after dropout, as PyTorch's. A query with no key to attend to gets zero
        weights and output (PyTorch gives NaN there when need_weights is True, zeros when False)."""
    fn = "multi_head_attention_forward"
    batched = check_attention_inputs(query, key, value, key_padding_mask, attn_mask, num_heads, fn)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        key_padding_mask = key_padding_mask.unsqueeze(0) if key_padding_mask is not None else None
    L, N, E = query.shape
    if E != embed_dim_to_check:
        raise ShapeError(f"{fn}: was expecting embedding dimension of {embed_dim_to_check}, but got {E}")
    H = num_heads
    head_dim = E // H
    if head_dim * H != E:
        raise ShapeError(f"{fn}: embed_dim {E} not divisible by num_heads {H}")
    if is_causal and attn_mask is None:
        raise ArgumentError(
            f"{fn}: is_causal is a hint that attn_mask is causal: give attn_mask too "
            "(nn.Transformer.generate_square_subsequent_mask makes one)"
        )
    key_padding_mask = canonical_mask(key_padding_mask, "key_padding_mask", query.dtype, fn)
    causal = is_causal and key_padding_mask is None and not need_weights
    attn_mask = None if causal else canonical_mask(attn_mask, "attn_mask", query.dtype, fn)  # causal: PyTorch's hint
    if use_separate_proj_weight:
        if q_proj_weight is None or k_proj_weight is None or v_proj_weight is None:
            raise ArgumentError(f"{fn}: use_separate_proj_weight needs q_proj_weight, k_proj_weight and v_proj_weight")
        q, k, v = in_projection(query, key, value, (q_proj_weight, k_proj_weight, v_proj_weight), in_proj_bias)
    else:
        if in_proj_weight is None:
            raise ArgumentError(f"{fn}: in_proj_weight is None (use_separate_proj_weight=True uses q/k/v_proj_weight)")
        q, k, v = in_projection(query, key, value, in_proj_weight, in_proj_bias)
    S = key.shape[0]
    if attn_mask is not None:
        check_mask_shape(attn_mask, "attn_mask", ((L, S), (N * H, L, S)), fn)
        attn_mask = attn_mask.reshape(1, 1, L, S) if attn_mask.ndim == 2 else attn_mask.reshape(N, H, L, S)
    if key_padding_mask is not None:
        key_padding_mask = key_padding_mask.reshape(N, 1, 1, S)
    if bias_k is not None and bias_v is not None:
        k, v = cat([k, bias_k.repeat(1, N, 1)]), cat([v, bias_v.repeat(1, N, 1)])
        attn_mask, key_padding_mask = one_more_key(attn_mask), one_more_key(key_padding_mask)
    q, k, v = (heads(x, N, H, head_dim) for x in (q, k, v))
    if static_k is not None:  # (N·H, S, head_dim), as PyTorch's
        k = static_k.reshape(N, H, -1, head_dim)
    if static_v is not None:
        v = static_v.reshape(N, H, -1, head_dim)
    if add_zero_attn:
        k, v = (cat([x, Tensor(np.zeros((N, H, 1, head_dim), x.dtype))], 2) for x in (k, v))
        attn_mask, key_padding_mask = one_more_key(attn_mask), one_more_key(key_padding_mask)
    if key_padding_mask is not None:
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    dropout_p = dropout_p if training else 0.0
    if need_weights:
        scale = 1.0 / math.sqrt(head_dim)
        dead = dead_rows(attn_mask, (N, H, L, k.shape[2])) if attn_mask is not None else None
        weights = gates.attention.attention_weights(q, k, attn_mask, scale, dead)
        if dropout_p > 0.0:
            weights = dropout(weights, dropout_p, training=True)
        heads_out = weights @ v
    else:
        heads_out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal=causal)
    out = linear(heads_out.permute(2, 0, 1, 3).reshape(L, N, E), out_proj_weight, out_proj_bias)
    attention = None
    if need_weights:
        attention = weights.mean(1) if average_attn_weights else weights
        attention = attention if batched else attention.squeeze(0)
    return (out if batched else out.squeeze(1)), attention


def heads(x: Tensor, N: int, H: int, head_dim: int) -> Tensor:
    """(T, N, H·head_dim) → (N, H, T, head_dim)."""
    return x.reshape(x.shape[0], N, H, head_dim).permute(1, 2, 0, 3)


def one_more_key(mask: Tensor | None) -> Tensor | None:
    """A mask (…, S) for one more key, appended and not masked."""
    return None if mask is None else pad(mask, (0, 1))


def check_attention_inputs(
    query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Any, attn_mask: Any, num_heads: int, fn: str
) -> bool:
    """Whether the inputs are batched (query (L, N, E)) or not ((L, E)); ShapeError unless the
    ranks and sizes of query, key, value and the masks fit together."""
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor) or t.dtype.kind != "f":
            got = f"{t.dtype} tensor" if isinstance(t, Tensor) else type(t).__name__
            raise ShapeError(f"{fn}: {name} must be a float Tensor, got {got}")
    if query.ndim not in (2, 3):
        raise ShapeError(f"{fn}: query should be unbatched 2-D (L, E) or batched 3-D, got shape {query.shape}")
    batched = query.ndim == 3
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise ShapeError(
            f"{fn}: key {key.shape} and value {value.shape} must have the rank of query {query.shape} ({query.ndim}-D)"
        )
    if key.shape[:-1] != value.shape[:-1] or (batched and key.shape[1] != query.shape[1]):
        raise ShapeError(
            f"{fn}: query {query.shape}, key {key.shape} and value {value.shape} do not fit: expected "
            + ("(L, N, E), (S, N, kdim), (S, N, vdim)" if batched else "(L, E), (S, kdim), (S, vdim)")
        )
    if key_padding_mask is not None and isinstance(key_padding_mask, Tensor):
        want = (query.shape[1], key.shape[0]) if batched else (key.shape[0],)
        check_mask_shape(key_padding_mask, "key_padding_mask", (want,), fn)
    if attn_mask is not None and isinstance(attn_mask, Tensor) and not batched:
        L, S = query.shape[0], key.shape[0]
        check_mask_shape(attn_mask, "attn_mask", ((L, S), (num_heads, L, S)), fn)
    return batched
