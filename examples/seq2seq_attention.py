"""Sequence to sequence with attention (the notes' seq2seq and attention sections): a GRU encoder
reads a string of digits, a GRU decoder with additive (Bahdanau) attention writes it sorted. It is
trained with teacher forcing (step t is fed the true token t − 1) and decoded greedily and by beam
search with length normalisation, score = log P(y) / len(y)^α.

    python examples/seq2seq_attention.py          # 800 steps, about 20 s
"""

from __future__ import annotations

import argparse

import numpy as np

import autograd
import nn
from nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

PAD, BOS, EOS = 0, 1, 2  # then the digits 0-9 as tokens 3-12
VOCAB, LONGEST = 13, 8


def make_batch(rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`size` digit strings of 4-8 digits (padded), their lengths, and the sorted strings + EOS (padded)."""
    lengths = rng.integers(4, LONGEST + 1, size)
    source = np.full((size, LONGEST), PAD)
    target = np.full((size, LONGEST + 1), PAD)
    for i, n in enumerate(lengths):
        digits = rng.integers(0, 10, n) + 3
        source[i, :n] = digits
        target[i, : n + 1] = [*np.sort(digits), EOS]
    return source, lengths, target


class AdditiveAttention(nn.Module):
    """score(q, k) = w_vᵀ tanh(W_q q + W_k k); the weights are the softmax of the scores over the
    keys that are not padding; the result is the weighted sum of the values."""

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.W_q, self.W_k = nn.Linear(hidden, hidden, bias=False), nn.Linear(hidden, hidden, bias=False)
        self.w_v = nn.Linear(hidden, 1, bias=False)

    def forward(self, query, keys, padding):
        scores = self.w_v(autograd.tanh(self.W_q(query).unsqueeze(1) + self.W_k(keys))).squeeze(-1)
        weights = autograd.softmax(scores.masked_fill(padding, -1e9), dim=1)  # (N, T)
        return (weights.unsqueeze(-1) * keys).sum(1), weights


class Seq2Seq(nn.Module):
    def __init__(self, embedding: int = 32, hidden: int = 64) -> None:
        super().__init__()
        self.embed = nn.Embedding(VOCAB, embedding, padding_idx=PAD)
        self.encoder = nn.GRU(embedding, hidden, batch_first=True)
        self.attention = AdditiveAttention(hidden)
        self.decoder = nn.GRUCell(embedding + hidden, hidden)
        self.out = nn.Linear(hidden, VOCAB)

    def encode(self, source: np.ndarray, lengths: np.ndarray):
        """The encoder's states at every position (padding included, masked later) and at each string's last digit."""
        packed = pack_padded_sequence(
            self.embed(autograd.tensor(source)), lengths, batch_first=True, enforce_sorted=False
        )
        states, last = self.encoder(packed)
        keys, _ = pad_packed_sequence(states, batch_first=True, total_length=source.shape[1])
        return keys, last[0], autograd.tensor(source == PAD)

    def step(self, token, state, keys, padding):
        """One decoder step: attend from the previous state, read [embedding, context], predict."""
        context, weights = self.attention(state, keys, padding)
        state = self.decoder(autograd.cat([self.embed(token), context], dim=1), state)
        return self.out(state), state, weights

    def forward(self, source, lengths, target):
        """Teacher forcing: the logits for every target position, fed the true previous tokens."""
        keys, state, padding = self.encode(source, lengths)
        inputs = np.concatenate([np.full((len(target), 1), BOS), target[:, :-1]], axis=1)
        logits = []
        for t in range(target.shape[1]):
            out, state, _ = self.step(autograd.tensor(inputs[:, t]), state, keys, padding)
            logits.append(out)
        return autograd.stack(logits, dim=1)


def greedy(model: Seq2Seq, source: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    """The most likely next token at each step, until EOS (or LONGEST + 1 tokens)."""
    with autograd.no_grad():
        keys, state, padding = model.encode(source, lengths)
        token = autograd.tensor(np.full(len(source), BOS))
        outputs, done = np.zeros((len(source), 0), np.int64), np.zeros(len(source), bool)
        for _ in range(LONGEST + 1):
            logits, state, _ = model.step(token, state, keys, padding)
            token = logits.argmax(1)
            outputs = np.concatenate([outputs, token.numpy()[:, None]], axis=1)
            done |= token.numpy() == EOS
            if done.all():
                break
    return [list(row[: list(row).index(EOS)] if EOS in row else row) for row in outputs]


def beam(extend, state, beam_size: int = 3, alpha: float = 0.75) -> list[int]:
    """Keep the `beam_size` best partial outputs (by log-probability) at each step; of the finished
    ones, return the best by log P / len^alpha (len counts EOS). `extend(tokens, state)` gives the
    log-probabilities of the next token after `tokens` and the decoder state after them."""
    beams = [([], 0.0, state)]  # (tokens, log P, decoder state)
    finished = []
    for _ in range(LONGEST + 1):
        candidates = []
        for tokens, score, s in beams:
            log_p, s_next = extend(tokens, s)
            for token in np.argsort(log_p)[::-1][:beam_size]:
                candidates.append((tokens + [int(token)], score + float(log_p[token]), s_next))
        candidates.sort(key=lambda c: -c[1])
        beams = []
        for tokens, score, s in candidates[:beam_size]:
            (finished if tokens[-1] == EOS else beams).append((tokens, score, s))
        if not beams:
            break
    best = max(finished or beams, key=lambda c: c[1] / len(c[0]) ** alpha)[0]
    return best[:-1] if best and best[-1] == EOS else best


def beam_search(model: Seq2Seq, source: np.ndarray, length: int, beam_size: int = 3, alpha: float = 0.75) -> list[int]:
    """Beam search (`beam`) over the decoder's steps for one string."""
    with autograd.no_grad():
        keys, state, padding = model.encode(source[None], np.array([length]))

        def extend(tokens, s):
            logits, s_next, _ = model.step(autograd.tensor([tokens[-1] if tokens else BOS]), s, keys, padding)
            return autograd.log_softmax(logits[0], dim=0).numpy(), s_next

        return beam(extend, state, beam_size, alpha)


def exact_match(predictions: list[list[int]], target: np.ndarray) -> float:
    truth = [list(row[: list(row).index(EOS)]) for row in target]
    return float(np.mean([p == t for p, t in zip(predictions, truth)]))


def main(steps: int = 800, seed: int = 0, beam_examples: int = 100) -> dict:
    autograd.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Seq2Seq()
    optimizer = nn.optim.Adam(model.parameters(), lr=5e-3)
    losses = []
    for _ in range(steps):
        source, lengths, target = make_batch(rng, 64)
        logits = model(source, lengths, target)
        loss = nn.functional.cross_entropy(
            logits.reshape(-1, VOCAB), autograd.tensor(target.reshape(-1)), ignore_index=PAD
        )
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    source, lengths, target = make_batch(np.random.default_rng(seed + 1), 500)
    greedy_accuracy = exact_match(greedy(model, source, lengths), target)
    n = beam_examples
    beam = [beam_search(model, source[i], lengths[i]) for i in range(n)]
    return {
        "losses": losses,
        "greedy_accuracy": greedy_accuracy,
        "greedy_accuracy_beam_subset": exact_match(greedy(model, source[:n], lengths[:n]), target[:n]),
        "beam_accuracy": exact_match(beam, target[:n]),
        "model": model,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=800)
    result = main(parser.parse_args().steps)
    print(f"loss {result['losses'][0]:.3f} -> {result['losses'][-1]:.4f}")
    print(f"exact match: greedy {result['greedy_accuracy']:.3f} (500 strings)")
    subset, beam = result["greedy_accuracy_beam_subset"], result["beam_accuracy"]
    print(f"on the first 100: greedy {subset:.2f}, beam search {beam:.2f}")
