"""The Transformer, as PyTorch's `torch.nn.modules.transformer`: encoder and decoder layers (post-norm
as the paper and the notes, or pre-norm with `norm_first`), their stacks, and `Transformer`, with
PyTorch's parameter names, defaults and initialisation."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor, get_default_dtype, is_grad_enabled
from autograd.errors import ArgumentError, ShapeError

from .. import functional as F
from .. import init
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module, check_sizes
from .normalization import LayerNorm

Activation = str | Callable[[Tensor], Tensor]


def activation_function(activation: Activation, layer: str) -> Callable[[Tensor], Tensor]:
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    if callable(activation) and not isinstance(activation, str):
        return activation
    raise ArgumentError(f"{layer}: activation should be relu/gelu or a callable, not {activation!r}")


def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
    """The causal mask (sz, sz) for a float attn_mask: 0 on and below the diagonal, −∞ above (query i
    may attend to keys 0…i), in `dtype` (the default float if None)."""
    check_sizes("generate_square_subsequent_mask", sz=sz)
    dtype = get_default_dtype() if dtype is None else dtype
    return Tensor(np.triu(np.full((sz, sz), -np.inf), 1).astype(dtype))


def detect_is_causal(mask: Tensor | None, is_causal: bool | None, size: int) -> bool:
    """`is_causal` if given; otherwise whether `mask` equals the float square subsequent mask (a
    boolean mask never does, as in PyTorch)."""
    if is_causal is not None:
        return is_causal
    if mask is None or tuple(mask.shape) != (size, size):
        return False
    return bool(np.array_equal(mask._data, generate_square_subsequent_mask(size, dtype=np.float64)._data))


def check_d_model(layer: str, x: Tensor, d_model: int, name: str) -> None:
    if not isinstance(x, Tensor) or x.ndim not in (2, 3) or x.shape[-1] != d_model:
        got = f"shape {tuple(x.shape)}" if isinstance(x, Tensor) else type(x).__name__
        raise ShapeError(f"{layer}: {name} must be (…, d_model={d_model}), got {got}")


class _Layer(Module):
    """What the encoder and decoder layers share: the feed-forward block and the add & norm order."""

    def _init_feedforward(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int,
        dropout: float,
        activation: Activation,
        layer_norm_eps: float,
        batch_first: bool,
        norm_first: bool,
        bias: bool,
        dtype: Any,
        norms: int,
    ) -> None:
        layer = type(self).__name__
        check_sizes(layer, d_model=d_model, nhead=nhead, dim_feedforward=dim_feedforward)
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, dtype=dtype
        )
        if norms == 3:
            self.multihead_attn = MultiheadAttention(
                d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, dtype=dtype
            )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = norm_first
        for i in range(1, norms + 1):
            setattr(self, f"norm{i}", LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype))
        for i in range(1, norms + 1):
            setattr(self, f"dropout{i}", Dropout(dropout))
        self.activation_relu_or_gelu = {"relu": 1, "gelu": 2}.get(activation, 0) if isinstance(activation, str) else 0
        self.activation = activation_function(activation, layer)

    def _ff_block(self, x: Tensor, dropout: Module) -> Tensor:
        return dropout(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def _sublayer(self, x: Tensor, norm: Module, block: Callable[[Tensor], Tensor]) -> Tensor:
        """x + block(norm(x)) with norm_first, norm(x + block(x)) without (the paper's order)."""
        return x + block(norm(x)) if self.norm_first else norm(x + block(x))


class TransformerEncoderLayer(_Layer):
    """y = LN(x + SelfAttention(x)), out = LN(y + FFN(y)), FFN(y) = linear2(activation(linear1(y)));
    with `norm_first`, y = x + SelfAttention(LN(x)), out = y + FFN(LN(y)). Dropout after the
    attention, inside the FFN and after it. `src_mask` is the self-attention's attn_mask and
    `src_key_padding_mask` its key_padding_mask (True: padding), as in MultiheadAttention."""

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self._init_feedforward(
            d_model,
            nhead,
            dim_feedforward,
            dropout,
            activation,
            layer_norm_eps,
            batch_first,
            norm_first,
            bias,
            dtype,
            2,
        )

    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        check_d_model(type(self).__name__, src, self.self_attn.embed_dim, "src")

        def self_attention(x: Tensor) -> Tensor:
            out = self.self_attn(
                x,
                x,
                x,
                attn_mask=src_mask,
                key_padding_mask=src_key_padding_mask,
                need_weights=False,
                is_causal=is_causal,
            )[0]
            return self.dropout1(out)

        x = self._sublayer(src, self.norm1, self_attention)
        return self._sublayer(x, self.norm2, lambda y: self._ff_block(y, self.dropout2))


class TransformerDecoderLayer(_Layer):
    """Masked self-attention, then attention over the encoder's output `memory` (its keys and
    values), then the FFN, each with add & norm (or pre-norm with `norm_first`):
    y = LN(x + SelfAttention(x)), z = LN(y + Attention(y, memory)), out = LN(z + FFN(z)). `tgt_mask`
    (usually causal) and `tgt_key_padding_mask` mask the self-attention, `memory_mask` and
    `memory_key_padding_mask` the cross-attention."""

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self._init_feedforward(
            d_model,
            nhead,
            dim_feedforward,
            dropout,
            activation,
            layer_norm_eps,
            batch_first,
            norm_first,
            bias,
            dtype,
            3,
        )

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        layer = type(self).__name__
        check_d_model(layer, tgt, self.self_attn.embed_dim, "tgt")
        check_d_model(layer, memory, self.self_attn.embed_dim, "memory")

        def self_attention(x: Tensor) -> Tensor:
            out = self.self_attn(
                x,
                x,
                x,
                attn_mask=tgt_mask,
                key_padding_mask=tgt_key_padding_mask,
                need_weights=False,
                is_causal=tgt_is_causal,
            )[0]
            return self.dropout1(out)

        def cross_attention(x: Tensor) -> Tensor:
            out = self.multihead_attn(
                x,
                memory,
                memory,
                attn_mask=memory_mask,
                key_padding_mask=memory_key_padding_mask,
                need_weights=False,
                is_causal=memory_is_causal,
            )[0]
            return self.dropout2(out)

        x = self._sublayer(tgt, self.norm1, self_attention)
        x = self._sublayer(x, self.norm2, cross_attention)
        return self._sublayer(x, self.norm3, lambda y: self._ff_block(y, self.dropout3))


def nested_tensor_support(layer: Module) -> bool:
    """Whether PyTorch's TransformerEncoder would run `layer` on nested tensors in inference."""
    if not isinstance(layer, TransformerEncoderLayer):
        return False
    attn = layer.self_attn
    return bool(
        not layer.norm_first
        and attn.batch_first
        and attn._qkv_same_embed_dim
        and attn.in_proj_bias is not None
        and layer.activation_relu_or_gelu
        and layer.norm1.eps == layer.norm2.eps
        and attn.num_heads % 2 == 0
    )


def clones(layer: Module, n: int) -> ModuleList:
    check_sizes("TransformerEncoder/Decoder", num_layers=n)
    return ModuleList([copy.deepcopy(layer) for _ in range(n)])


class TransformerEncoder(Module):
    """`num_layers` copies of `encoder_layer` (deep copies: independent parameters, all starting
    from the given layer's), applied in turn, then `norm` if given. `is_causal` is detected from
    `mask` if None.

    PyTorch's inference fast path is reproduced where it changes the numbers: with
    `enable_nested_tensor`, a layer it supports (post-norm, batch_first, an even number of heads,
    relu or gelu, biases), in eval mode without gradients, and a `src_key_padding_mask` whose
    padding is at the end of each row (checked if `mask_check`) and no `mask`, the padded positions
    come out as zeros (before `norm`)."""

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor and nested_tensor_support(encoder_layer)
        self.mask_check = mask_check

    def forward(
        self,
        src: Tensor,
        mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        sequence = 1 if self.layers and self.layers[0].self_attn.batch_first and src.ndim == 3 else 0
        causal = detect_is_causal(mask, is_causal, src.shape[sequence])
        padded = self._padding_zeroed_by_pytorch(src, mask, src_key_padding_mask)
        output = src
        for layer in self.layers:
            output = layer(output, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=causal)
        if padded is not None:
            output = output.masked_fill(Tensor(padded[..., None]), 0.0)
        return self.norm(output) if self.norm is not None else output

    def _padding_zeroed_by_pytorch(self, src: Tensor, mask: Tensor | None, padding: Tensor | None) -> np.ndarray | None:
        """The padded positions (N, T) that PyTorch's nested-tensor fast path returns as zeros, or None."""
        if not self.use_nested_tensor or self.layers[0].training or mask is not None or padding is None:
            return None
        if src.ndim != 3 or (
            is_grad_enabled() and (src.requires_grad or any(p.requires_grad for p in self.parameters()))
        ):
            return None
        padded = padding._data if padding.dtype == np.bool_ else padding._data != 0
        left_aligned = (np.sort(padded, axis=-1) == padded).all()
        return padded if left_aligned or not self.mask_check else None


class TransformerDecoder(Module):
    """`num_layers` copies of `decoder_layer`, each attending to the same `memory`, then `norm`."""

    def __init__(self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None) -> None:
        super().__init__()
        self.layers = clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        sequence = 1 if self.layers and self.layers[0].self_attn.batch_first and tgt.ndim == 3 else 0
        causal = detect_is_causal(tgt_mask, tgt_is_causal, tgt.shape[sequence])
        output = tgt
        for layer in self.layers:
            output = layer(
                output,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=causal,
                memory_is_causal=memory_is_causal,
            )
        return self.norm(output) if self.norm is not None else output


class Transformer(Module):
    """The encoder–decoder Transformer (Vaswani et al.; the notes' section 12): an encoder of
    `num_encoder_layers` layers and a decoder of `num_decoder_layers`, each stack ending in a
    LayerNorm; every parameter with more than one dim starts Xavier-uniform, as PyTorch's.
    forward(src, tgt) = decoder(tgt, encoder(src)): src (S, N, E), tgt (T, N, E) (or batch first,
    or unbatched) → (T, N, E). Token embeddings, positional encodings and the output projection are
    the caller's, as in PyTorch."""

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: Activation = "relu",
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        options = dict(
            dim_feedforward=dim_feedforward,
            dropout=dropout,
            activation=activation,
            layer_norm_eps=layer_norm_eps,
            batch_first=batch_first,
            norm_first=norm_first,
            bias=bias,
            dtype=dtype,
        )
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, **options)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(d_model, nhead, **options)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask: Tensor | None = None,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        check_d_model("Transformer", src, self.d_model, "src")
        check_d_model("Transformer", tgt, self.d_model, "tgt")
        if src.ndim != tgt.ndim:
            raise ShapeError(
                f"Transformer: src {tuple(src.shape)} and tgt {tuple(tgt.shape)} must both be batched or not"
            )
        batch = 0 if self.batch_first else 1
        if src.ndim == 3 and src.shape[batch] != tgt.shape[batch]:
            raise ShapeError(
                f"Transformer: the batch number of src and tgt must be equal, got {src.shape[batch]} and "
                f"{tgt.shape[batch]} (batch_first={self.batch_first})"
            )
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal)
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    generate_square_subsequent_mask = staticmethod(generate_square_subsequent_mask)
