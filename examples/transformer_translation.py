"""The notes' Transformer encoder–decoder (section 12) on the toy translation task of
examples/seq2seq_attention.py: a string of digits in, the same digits sorted out. Token
embeddings (scaled by √d_model) plus the sinusoidal positional encoding feed `nn.Transformer`
(post-norm layers as the notes': LN(x + MHA(x)), LN(y + FFN(y)); the decoder's self-attention
causal). Trained with teacher forcing, AdamW with warm-up and cosine decay; decoded greedily
and by beam search, and every head's attention map of every layer recorded for one string.

    python examples/transformer_translation.py          # 1000 steps, about 40 s
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import autograd
import nn
from seq2seq_attention import BOS, EOS, LONGEST, PAD, VOCAB, beam, exact_match, make_batch


class Translator(nn.Module):
    def __init__(
        self, d_model: int = 64, nhead: int = 4, layers: int = 2, feedforward: int = 128, dropout: float = 0.1
    ):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(VOCAB, d_model, padding_idx=PAD)
        with autograd.no_grad():  # N(0, 1/d_model), as the paper's, so that √d_model · embedding is N(0, 1)
            nn.init.normal_(self.embed.weight, std=d_model**-0.5)[PAD] = 0.0
        self.position = nn.SinusoidalPositionalEncoding(d_model, max_len=LONGEST + 2, dropout=dropout)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, feedforward, dropout, batch_first=True)
        self.out = nn.Linear(d_model, VOCAB)

    def tokens(self, ids: np.ndarray):
        return self.position(self.embed(autograd.tensor(ids)) * math.sqrt(self.d_model))

    def encode(self, source: np.ndarray):
        padding = autograd.tensor(source == PAD)
        return self.transformer.encoder(self.tokens(source), src_key_padding_mask=padding), padding

    def decode(self, prefix: np.ndarray, memory, padding):
        """The logits after each token of `prefix` (N, T): each position sees itself and the ones before."""
        causal = nn.Transformer.generate_square_subsequent_mask(prefix.shape[1])
        out = self.transformer.decoder(
            self.tokens(prefix), memory, tgt_mask=causal, tgt_is_causal=True, memory_key_padding_mask=padding
        )
        return self.out(out)

    def forward(self, source: np.ndarray, target: np.ndarray):
        """Teacher forcing: the logits for every target position, fed the true previous tokens."""
        memory, padding = self.encode(source)
        return self.decode(np.concatenate([np.full((len(target), 1), BOS), target[:, :-1]], axis=1), memory, padding)


def greedy(model: Translator, source: np.ndarray) -> list[list[int]]:
    """The most likely next token at each step, until EOS (or LONGEST + 1 tokens)."""
    with autograd.no_grad():
        memory, padding = model.encode(source)
        prefix = np.full((len(source), 1), BOS)
        for _ in range(LONGEST + 1):
            token = model.decode(prefix, memory, padding)[:, -1].argmax(-1).numpy()
            prefix = np.concatenate([prefix, token[:, None]], axis=1)
            if (prefix == EOS).any(1).all():
                break
    rows = [list(row[1:]) for row in prefix]
    return [row[: row.index(EOS)] if EOS in row else row for row in rows]


def beam_search(model: Translator, source: np.ndarray, beam_size: int = 3, alpha: float = 0.75) -> list[int]:
    """Beam search (examples/seq2seq_attention.py's `beam`): each extension decodes the whole prefix."""
    with autograd.no_grad():
        memory, padding = model.encode(source[None])

        def extend(tokens, state):
            logits = model.decode(np.array([[BOS, *tokens]]), memory, padding)[0, -1]
            return autograd.log_softmax(logits, dim=0).numpy(), state

        return beam(extend, None, beam_size, alpha)


def attention_maps(model: Translator, source: np.ndarray, target: np.ndarray) -> dict[str, np.ndarray]:
    """Every attention module's weights (heads, queries, keys) for one pair, teacher-forced: hooks ask
    each nn.MultiheadAttention for its per-head weights (the layers call it with need_weights=False)."""
    maps: dict[str, np.ndarray] = {}

    def ask_for_weights(module, args, kwargs):
        return args, {**kwargs, "need_weights": True, "average_attn_weights": False}

    handles = []
    for name, module in model.named_modules():
        if isinstance(module, nn.MultiheadAttention):
            handles.append(module.register_forward_pre_hook(ask_for_weights, with_kwargs=True))
            handles.append(
                module.register_forward_hook(lambda m, i, o, name=name: maps.update({name: o[1][0].numpy()}))
            )
    with autograd.no_grad():
        model(source[None], target[None])
    for handle in handles:
        handle.remove()
    return maps


def main(steps: int = 1000, seed: int = 0, beam_examples: int = 100, warmup: int = 100) -> dict:
    autograd.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Translator()
    optimizer = nn.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    schedule = nn.optim.lr_scheduler.LambdaLR(  # linear warm-up, then cosine decay to 0
        optimizer, lambda step: min((step + 1) / warmup, 0.5 * (1 + math.cos(math.pi * step / steps)))
    )
    losses = []
    for _ in range(steps):
        source, _, target = make_batch(rng, 64)
        logits = model(source, target)
        loss = nn.functional.cross_entropy(
            logits.reshape(-1, VOCAB), autograd.tensor(target.reshape(-1)), ignore_index=PAD
        )
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
    model.eval()
    source, _, target = make_batch(np.random.default_rng(seed + 1), 500)
    predictions = greedy(model, source)
    n = beam_examples
    shown = int(np.argmax((source == PAD).any(1)))  # a string shorter than LONGEST: its padding gets no attention
    return {
        "losses": losses,
        "greedy_accuracy": exact_match(predictions, target),
        "greedy_accuracy_beam_subset": exact_match(predictions[:n], target[:n]),
        "beam_accuracy": exact_match([beam_search(model, source[i]) for i in range(n)], target[:n]),
        "attention": attention_maps(model, source[shown], target[shown]),
        "example": (source[shown], target[shown]),
        "model": model,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1000)
    result = main(parser.parse_args().steps)
    print(f"loss {result['losses'][0]:.3f} -> {result['losses'][-1]:.4f}")
    print(f"exact match: greedy {result['greedy_accuracy']:.3f} (500 strings)")
    subset, beam_accuracy = result["greedy_accuracy_beam_subset"], result["beam_accuracy"]
    print(f"on the first 100: greedy {subset:.2f}, beam search {beam_accuracy:.2f}")
    for name, weights in result["attention"].items():
        print(f"{name}: {weights.shape[0]} heads, {weights.shape[1]} queries x {weights.shape[2]} keys")
