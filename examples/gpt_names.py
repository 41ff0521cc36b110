"""A small GPT (decoder-only Transformer) trained on the shipped Census first names, character by
character: token + learned position embeddings, pre-norm blocks x + attn(LN(x)), x + mlp(LN(x)) of
causal multi-head self-attention (one fused `F.scaled_dot_product_attention(is_causal=True)`) and a
GELU MLP, a final LayerNorm, and a read-out that is the token embedding itself (weight tying).
Trained on random windows of the names stream (names joined by END, as examples/char_rnn.py) with
AdamW (weight decay on the matrices only), linear warm-up and cosine decay, clipped gradients;
reports the validation loss (nats per character) and samples names with temperature and top-k.

    python examples/gpt_names.py                  # 1000 steps, about a minute
    python examples/gpt_names.py --steps 3000 --temperature 0.8 --top-k 10
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

import numpy as np

import autograd
import nn
import nn.functional as F
from char_rnn import END, corpus
from nn.data.text import Vocab


@dataclass
class GPTConfig:
    """The model's sizes (block_size: the longest context) and the training's hyperparameters."""

    block_size: int = 16
    d_model: int = 64
    n_head: int = 4
    n_layer: int = 2
    batch_size: int = 32
    lr: float = 3e-3
    betas: tuple[float, float] = (0.9, 0.99)
    weight_decay: float = 0.1
    warmup: int = 100


class CausalSelfAttention(nn.Module):
    """q, k, v = split(x W_qkv + b) into `n_head` heads; each head softmax(q kᵀ/√d_head + causal) v;
    the heads concatenated and projected back to d_model."""

    def __init__(self, d_model: int, n_head: int) -> None:
        super().__init__()
        self.n_head = n_head
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)

    def forward(self, x):
        N, T, C = x.shape
        q, k, v = self.qkv(x).reshape(N, T, 3, self.n_head, C // self.n_head).permute(2, 0, 3, 1, 4).unbind(0)
        heads = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (N, n_head, T, d_head)
        return self.proj(heads.transpose(1, 2).reshape(N, T, C))


class Block(nn.Module):
    """Pre-norm: x + attn(LN(x)), then x + mlp(LN(x)), mlp = Linear(d, 4d) → GELU → Linear(4d, d)."""

    def __init__(self, d_model: int, n_head: int) -> None:
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_head)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    """Logits (N, T, vocab) for token ids (N, T), T ≤ block_size: position t sees tokens 0…t.
    GPT-2's initialisation: every weight N(0, 0.02²) (the two projections back into the residual
    stream N(0, 0.02²/(2·n_layer)), so the stream's variance does not grow with depth), biases 0."""

    def __init__(self, vocab_size: int, config: GPTConfig | None = None) -> None:
        super().__init__()
        config = config or GPTConfig()
        block_size, d_model, n_head, n_layer = config.block_size, config.d_model, config.n_head, config.n_layer
        self.block_size = block_size
        self.token = nn.Embedding(vocab_size, d_model)
        self.position = nn.Embedding(block_size, d_model)
        self.blocks = nn.Sequential(*(Block(d_model, n_head) for _ in range(n_layer)))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        self.head.weight = self.token.weight  # tied: one (vocab, d_model) matrix embeds and reads out
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif p.ndim == 2:
                std = 0.02 / math.sqrt(2 * n_layer) if name.endswith(("attn.proj.weight", "mlp.2.weight")) else 0.02
                nn.init.normal_(p, std=std)

    def forward(self, tokens):
        T = tokens.shape[1]
        if T > self.block_size:
            raise autograd.ShapeError(f"GPT: {T} tokens is longer than block_size={self.block_size}")
        x = self.token(tokens) + self.position(autograd.arange(T))
        return self.head(self.ln_f(self.blocks(x)))


def windows(stream: np.ndarray, block_size: int, batch_size: int, rng: np.random.Generator):
    """(X, Y): `batch_size` random windows of `block_size` tokens, Y = X shifted by one token."""
    starts = rng.integers(0, len(stream) - block_size, batch_size)[:, None] + np.arange(block_size)
    return stream[starts], stream[starts + 1]


def validation_windows(stream: np.ndarray, block_size: int):
    """The whole stream cut into consecutive windows: every token after the first is a target once."""
    n = (len(stream) - 1) // block_size * block_size
    return stream[:n].reshape(-1, block_size), stream[1 : n + 1].reshape(-1, block_size)


def warmup_cosine(steps: int, warmup: int, floor: float = 0.1):
    """The learning-rate factor: linear from 1/warmup to 1, then cosine down to `floor` at `steps`."""

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))

    return factor


def optimizer_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """AdamW's groups: decay on the matrices (linear and embedding weights), none on biases and norms."""
    params = list(model.parameters())
    return [
        {"params": [p for p in params if p.ndim >= 2], "weight_decay": weight_decay},
        {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0},
    ]


def train_step(model: GPT, optimizer: nn.optim.Optimizer, X: np.ndarray, Y: np.ndarray) -> float:
    """One step: the mean cross-entropy of every next character, backward, clipping to norm 1, AdamW."""
    logits = model(autograd.tensor(X))
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), autograd.tensor(Y.reshape(-1)))
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def validation_loss(model: GPT, val: np.ndarray) -> float:
    X, Y = validation_windows(val, model.block_size)
    with autograd.no_grad():
        logits = model(autograd.tensor(X))
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), autograd.tensor(Y.reshape(-1))).item()


def generate(
    model: GPT, vocab: Vocab, rng: np.random.Generator, temperature: float = 1.0, top_k: int | None = None
) -> str:
    """One name: from END, sample each next character from softmax(logits / temperature) over the
    `top_k` most likely (all if None), the context cut to the last block_size characters, until END."""
    tokens = [vocab[END]]
    with autograd.no_grad():
        while len(tokens) <= 30:
            logits = model(autograd.tensor([tokens[-model.block_size :]]))[0, -1].numpy().astype(np.float64)
            logits = logits / temperature
            if top_k is not None:
                logits[logits < np.sort(logits)[-top_k]] = -np.inf
            p = np.exp(logits - logits.max())
            tokens.append(int(rng.choice(len(p), p=p / p.sum())))
            if tokens[-1] == vocab[END]:
                break
    return "".join(vocab.to_tokens(t) for t in tokens[1:] if t != vocab[END])


def main(
    steps: int = 1000,
    seed: int = 0,
    config: GPTConfig | None = None,
    temperature: float = 1.0,
    top_k: int | None = None,
    samples: int = 10,
) -> dict:
    config = config or GPTConfig()
    autograd.manual_seed(seed)
    vocab, train, val = corpus(seed)
    model = GPT(len(vocab), config)
    optimizer = nn.optim.AdamW(optimizer_groups(model, config.weight_decay), lr=config.lr, betas=config.betas)
    schedule = nn.optim.lr_scheduler.LambdaLR(optimizer, warmup_cosine(steps, config.warmup))
    rng, losses = np.random.default_rng(seed), []
    for _ in range(steps):
        losses.append(train_step(model, optimizer, *windows(train, config.block_size, config.batch_size, rng)))
        schedule.step()
    model.eval()
    sample_rng = np.random.default_rng(seed + 1)
    return {
        "losses": losses,
        "val_loss": validation_loss(model, val),
        "samples": [generate(model, vocab, sample_rng, temperature, top_k) for _ in range(samples)],
        "model": model,
        "vocab": vocab,
        "train": train,
        "val": val,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--top-k", type=int, default=None)
    args = parser.parse_args()
    result = main(args.steps, temperature=args.temperature, top_k=args.top_k)
    parameters = sum(p.numel() for p in result["model"].parameters())
    print(f"{parameters:,} parameters; loss {result['losses'][0]:.3f} -> {np.mean(result['losses'][-50:]):.3f}")
    print(f"validation loss {result['val_loss']:.4f} nats per character")
    print("samples:", ", ".join(result["samples"]))
