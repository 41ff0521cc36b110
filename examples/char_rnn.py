"""A character-level language model of first names (the notes' recurrent-networks chapter): an
embedding, a GRU (or LSTM, or plain RNN) and a linear read-out, trained on the shipped Census
first names with sequential (adjacent) sampling, the hidden state carried from batch to batch and
detached, or with random sampling, a fresh state for every batch; gradients clipped by norm; it
reports validation perplexity and samples new names.

    python examples/char_rnn.py                  # GRU, 400 steps, sequential sampling
    python examples/char_rnn.py --cell lstm --steps 1000 --sampling random --temperature 0.8
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import autograd
import nn
from nn.data.text import Vocab, seq_data_iter_random, seq_data_iter_sequential
from nn.metrics import perplexity

END = "\n"  # ends every name (and starts sampling)
CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


class CharModel(nn.Module):
    def __init__(self, vocab_size: int, cell: str, embedding: int = 32, hidden: int = 128) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding)
        self.rnn = CELLS[cell](embedding, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab_size)

    def forward(self, tokens, state=None):
        out, state = self.rnn(self.embed(tokens), state)
        return self.head(out), state


def detached(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def sample(model: CharModel, vocab: Vocab, rng: np.random.Generator, temperature: float, longest: int = 20) -> str:
    """One name: feed END, then each sampled character, until END (or `longest` characters)."""
    token, state, name = vocab[END], None, ""
    with autograd.no_grad():
        for _ in range(longest):
            logits, state = model(autograd.tensor([[token]]), state)
            p = autograd.softmax(logits[0, -1] / temperature, dim=0).numpy().astype(np.float64)
            token = int(rng.choice(len(p), p=p / p.sum()))
            if vocab.to_tokens(token) == END:
                break
            name += vocab.to_tokens(token)
    return name


def corpus(seed: int) -> tuple[Vocab, np.ndarray, np.ndarray]:
    """The vocabulary, and the training and validation names (a 90/10 split) as token indices,
    each name followed by END."""
    names = nn.data.load_names("first")
    order = np.random.default_rng(seed).permutation(len(names))
    split = int(0.9 * len(names))
    train_text = END + END.join(names[i] for i in order[:split]) + END
    val_text = END + END.join(names[i] for i in order[split:]) + END
    vocab = Vocab(list(train_text))
    return vocab, np.array(vocab[list(train_text)]), np.array(vocab[list(val_text)])


SAMPLING = {"sequential": seq_data_iter_sequential, "random": seq_data_iter_random}


def batches(train: np.ndarray, steps: int, seed: int, sampling: str = "sequential"):
    """`steps` (X, Y) batches of 32 × 35 tokens as NumPy arrays, and whether each must start from a
    fresh state: epochs of adjacent batches (row b of each batch continues row b of the last; fresh at
    each epoch) or of randomly sampled ones (fresh every time)."""
    rng, step = np.random.default_rng(seed), 0
    while True:
        for k, (X, Y) in enumerate(SAMPLING[sampling](train, batch_size=32, num_steps=35, generator=rng)):
            yield X.numpy(), Y.numpy(), k == 0 or sampling == "random"
            step += 1
            if step == steps:
                return


def main(
    cell: str = "gru", steps: int = 400, temperature: float = 1.0, seed: int = 0, sampling: str = "sequential"
) -> dict:
    autograd.manual_seed(seed)
    vocab, train, val = corpus(seed)
    model = CharModel(len(vocab), cell)
    optimizer = nn.optim.Adam(model.parameters(), lr=5e-3)
    loss_fn = nn.CrossEntropyLoss()
    losses, state = [], None
    for X, Y, fresh in batches(train, steps, seed, sampling):
        logits, state = model(autograd.tensor(X), None if fresh else state)
        state = detached(state)  # carry the state on, but not its graph
        loss = loss_fn(logits.reshape(-1, len(vocab)), autograd.tensor(Y).reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())

    with autograd.no_grad():
        model.eval()
        val_tokens = autograd.tensor(val[None, :-1])
        logits, _ = model(val_tokens)
        val_perplexity = perplexity(logits, autograd.tensor(val[None, 1:]))
    rng = np.random.default_rng(seed)
    samples = [sample(model, vocab, rng, temperature) for _ in range(10)]
    return {
        "vocab_size": len(vocab),
        "losses": losses,
        "train_perplexity": math.exp(np.mean(losses[-20:])),
        "val_perplexity": val_perplexity,
        "samples": samples,
        "model": model,
        "vocab": vocab,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cell", choices=sorted(CELLS), default="gru")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--temperature", type=float, default=1.0)
    parser.add_argument("--sampling", choices=sorted(SAMPLING), default="sequential")
    args = parser.parse_args()
    result = main(args.cell, args.steps, args.temperature, sampling=args.sampling)
    print(f"{args.cell.upper()}, {args.steps} steps of {args.sampling} sampling, {result['vocab_size']} characters")
    print(f"perplexity: train {result['train_perplexity']:.2f}, validation {result['val_perplexity']:.2f}")
    print("samples:", ", ".join(result["samples"]))
