"""`scaled_dot_product_attention`, as PyTorch's: one fused gate (`gates.attention`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ArgumentError, DomainError, DTypeError, ShapeError
from autograd.extend import gates

from .dropout import dropout


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
    query that may attend to no key gives zeros, as PyTorch's. `enable_gqa` repeats each of K's and
    V's heads (dim −3) to match Q's. `dropout_p` drops attention weights (training code passes 0 at
    evaluation, as with PyTorch's functional form)."""
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
            keep = mask.numpy()
            bias = Tensor(np.where(keep, 0.0, -np.inf).astype(query.dtype))
            dead = ~np.broadcast_to(keep, np.broadcast_shapes(keep.shape, tuple(query.shape[:-1]) + (S,))).any(
                -1, keepdims=True
            )
            dead = dead if dead.any() else None
        elif mask.dtype.kind == "f":
            bias = mask if mask.dtype == query.dtype else mask.to(query.dtype)
        else:
            raise DTypeError(f"scaled_dot_product_attention: attn_mask must be bool or float, got {mask.dtype}")
    if not 0.0 <= dropout_p < 1.0:
        raise DomainError(f"scaled_dot_product_attention: dropout_p must be in [0, 1), got {dropout_p}")
    scale = 1.0 / math.sqrt(query.shape[-1]) if scale is None else float(scale)
    if dropout_p > 0.0:  # the weights themselves are needed: the composition, with dropout on P
        weights = gates.attention.attention_weights(query, key, bias, scale, dead)
        return dropout(weights, dropout_p, training=True) @ value
    operands = [query, key, value] + ([bias] if bias is not None else [])
    return gates.attention.ScaledDotProductAttention.apply(*operands, scale=scale, dead=dead)
