"""nn.MultiheadAttention, as PyTorch's: the packed `in_proj_weight` (or `q_proj_weight`,
`k_proj_weight`, `v_proj_weight` when kdim/vdim differ from embed_dim), `in_proj_bias`, `out_proj`,
optional `bias_k`/`bias_v`, PyTorch's initialisation and state-dict keys; the computation is
`F.multi_head_attention_forward`."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from autograd.errors import ArgumentError, ShapeError

from .. import functional as F
from .. import init
from .linear import NonDynamicallyQuantizableLinear
from .module import Module, check_sizes, empty_parameter


class MultiheadAttention(Module):
    """MultiHead(Q, K, V) = concat(head₁ … head_H) W_Oᵀ, headᵢ = softmax(Q W_Qᵢᵀ (K W_Kᵢᵀ)ᵀ/√head_dim + M) V W_Vᵢᵀ.

    Inputs are (L, N, E) sequence first, or (N, L, E) with `batch_first`, or unbatched (L, E). A
    boolean `key_padding_mask` (N, S) or `attn_mask` ((L, S) or (N·num_heads, L, S)) is True where
    attention is NOT allowed (the opposite of F.scaled_dot_product_attention's boolean mask); float
    masks are added to the scores. Returns (output, weights): the weights (N, L, S), averaged over
    the heads unless `average_attn_weights=False`, or None when `need_weights=False` (then one
    fused attention gate runs, keeping only the probabilities). `dropout` drops attention weights
    in training mode. Initialisation as PyTorch's: Xavier-uniform in-projection, zero biases,
    Xavier-normal bias_k/bias_v, out_proj a Linear with its bias zeroed.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        check_sizes("MultiheadAttention", embed_dim=embed_dim, num_heads=num_heads)
        if embed_dim <= 0 or num_heads <= 0:
            raise ArgumentError(
                f"MultiheadAttention: embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} "
                f"and num_heads={num_heads}"
            )
        if embed_dim % num_heads:
            raise ShapeError(
                f"MultiheadAttention: embed_dim must be divisible by num_heads, got embed_dim={embed_dim} and "
                f"num_heads={num_heads}"
            )
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self._qkv_same_embed_dim:
            self.in_proj_weight = empty_parameter(3 * embed_dim, embed_dim, dtype=dtype)
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = empty_parameter(embed_dim, embed_dim, dtype=dtype)
            self.k_proj_weight = empty_parameter(embed_dim, self.kdim, dtype=dtype)
            self.v_proj_weight = empty_parameter(embed_dim, self.vdim, dtype=dtype)
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = empty_parameter(3 * embed_dim, dtype=dtype)
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        if add_bias_kv:
            self.bias_k = empty_parameter(1, 1, embed_dim, dtype=dtype)
            self.bias_v = empty_parameter(1, 1, embed_dim, dtype=dtype)
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
            init.xavier_normal_(self.bias_v)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        batch_first = self.batch_first and isinstance(query, Tensor) and query.ndim == 3
        if batch_first:
            query, key, value = (x.transpose(0, 1) if isinstance(x, Tensor) else x for x in (query, key, value))
        separate = not self._qkv_same_embed_dim
        out, weights = F.multi_head_attention_forward(
            query,
            key,
            value,
            self.embed_dim,
            self.num_heads,
            self.in_proj_weight,
            self.in_proj_bias,
            self.bias_k,
            self.bias_v,
            self.add_zero_attn,
            self.dropout,
            self.out_proj.weight,
            self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
        )
        return (out.transpose(0, 1) if batch_first else out), weights
