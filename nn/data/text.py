"""Text for sequence models, the notes' way: split lines into tokens, number the tokens with a
`Vocab`, and cut the numbered corpus into (X, Y) minibatches of `num_steps` tokens, Y being X
shifted by one token, by random or by sequential (adjacent) sampling."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from autograd import Tensor
from autograd.errors import ArgumentError, DomainError
from autograd.extend import as_numpy_generator

UNK = "<unk>"


def tokenize(lines: str | Iterable[str], token: str = "word") -> list[list[str]]:
    """Each line as a list of tokens: its words (split on whitespace) or its characters."""
    if token not in ("word", "char"):
        raise ArgumentError(f"tokenize: unknown token type {token!r}; expected 'word' or 'char'")
    if isinstance(lines, str):
        lines = lines.splitlines()
    return [line.split() if token == "word" else list(line) for line in lines]


class Vocab:
    """Numbers for tokens: index 0 is `<unk>` (what an unknown token maps to), then the
    `reserved_tokens` in their order, then every token seen at least `min_freq` times, most
    frequent first (ties in order of first appearance). `tokens` is a list of tokens or of lists
    of tokens (lines); `token_freqs` lists (token, count) pairs, most frequent first."""

    def __init__(self, tokens: Iterable[Any] = (), min_freq: int = 0, reserved_tokens: Sequence[Hashable] = ()) -> None:
        if isinstance(min_freq, bool) or not isinstance(min_freq, (int, np.integer)) or min_freq < 0:
            raise DomainError(f"Vocab: min_freq must be an integer >= 0, got {min_freq!r}")
        tokens = list(tokens)
        if tokens and isinstance(tokens[0], (list, tuple)):
            tokens = [t for line in tokens for t in line]
        self.token_freqs = sorted(Counter(tokens).items(), key=lambda item: -item[1])
        frequent = [t for t, count in self.token_freqs if count >= min_freq]
        self.idx_to_token: list[Hashable] = list(dict.fromkeys([UNK, *reserved_tokens, *frequent]))
        self.token_to_idx = {t: i for i, t in enumerate(self.idx_to_token)}

    unk = 0

    def __len__(self) -> int:
        return len(self.idx_to_token)

    def __contains__(self, token: Hashable) -> bool:
        return token in self.token_to_idx

    def __getitem__(self, tokens: Any) -> Any:
        """The index of a token (0, `<unk>`'s, if unknown), or the list of indices of a list of tokens."""
        if isinstance(tokens, (list, tuple)):
            return [self[t] for t in tokens]
        return self.token_to_idx.get(tokens, self.unk)

    def to_tokens(self, indices: Any) -> Any:
        """The token at an index, or the tokens at a list (or 1-D Tensor) of indices."""
        if isinstance(indices, Tensor):
            indices = indices.tolist()
        if isinstance(indices, (list, tuple)):
            return [self.to_tokens(i) for i in indices]
        if not 0 <= int(indices) < len(self):
            raise DomainError(f"Vocab.to_tokens: index {indices} is out of range for {len(self)} tokens")
        return self.idx_to_token[int(indices)]

    def __repr__(self) -> str:
        return f"Vocab({len(self)} tokens: {self.idx_to_token[:8]}{' ...' if len(self) > 8 else ''})"


def _checked(name: str, corpus: Any, batch_size: int, num_steps: int) -> np.ndarray:
    for arg, value in (("batch_size", batch_size), ("num_steps", num_steps)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise DomainError(f"{name}: {arg} must be a positive integer, got {value!r}")
    tokens = np.asarray(corpus.numpy() if isinstance(corpus, Tensor) else corpus)
    if tokens.ndim != 1 or (tokens.size and tokens.dtype.kind not in "iu"):
        raise ArgumentError(
            f"{name}: corpus must be a 1-D sequence of token indices (vocab[tokens]), got an array of "
            f"shape {tokens.shape} and dtype {tokens.dtype}"
        )
    needed = batch_size * num_steps + num_steps  # one batch whatever the random offset (< num_steps)
    if tokens.size < needed:
        raise DomainError(
            f"{name}: a corpus of {tokens.size} tokens is too short for one batch of {batch_size} x {num_steps} "
            f"steps; it needs at least {needed} tokens"
        )
    return tokens.astype(np.int64)


def seq_data_iter_random(
    corpus: Any, batch_size: int, num_steps: int, generator: Any = None
) -> Iterator[tuple[Tensor, Tensor]]:
    """Random sampling: drop a random offset s ∈ [0, num_steps) of tokens, cut the rest into
    ⌊(S − s − 1)/num_steps⌋ subsequences, and yield them in random order, batch_size at a time, as
    (X, Y) int64 Tensors of shape (batch_size, num_steps) with Y = X shifted by one token. Each
    subsequence appears once per pass, and consecutive batches are unrelated: start each batch's
    hidden state afresh."""
    tokens = _checked("seq_data_iter_random", corpus, batch_size, num_steps)
    rng = as_numpy_generator(generator)
    offset = int(rng.integers(0, num_steps))
    count = (tokens.size - offset - 1) // num_steps
    starts = offset + num_steps * rng.permutation(count)
    window = np.arange(num_steps)

    def batches() -> Iterator[tuple[Tensor, Tensor]]:
        for b in range(count // batch_size):
            index = starts[b * batch_size : (b + 1) * batch_size, None] + window
            yield Tensor(tokens[index]), Tensor(tokens[index + 1])

    return batches()


def seq_data_iter_sequential(
    corpus: Any, batch_size: int, num_steps: int, generator: Any = None
) -> Iterator[tuple[Tensor, Tensor]]:
    """Sequential (adjacent) sampling: drop a random offset s ∈ [0, num_steps), lay the rest out as
    batch_size rows of consecutive tokens, and yield num_steps columns at a time as (X, Y) int64
    Tensors (Y = X shifted by one token): row b of each batch continues row b of the previous one,
    so the hidden state carries over from batch to batch (detach it between batches)."""
    tokens = _checked("seq_data_iter_sequential", corpus, batch_size, num_steps)
    offset = int(as_numpy_generator(generator).integers(0, num_steps))
    length = (tokens.size - offset - 1) // batch_size
    X = tokens[offset : offset + batch_size * length].reshape(batch_size, length)
    Y = tokens[offset + 1 : offset + 1 + batch_size * length].reshape(batch_size, length)

    def batches() -> Iterator[tuple[Tensor, Tensor]]:
        for start in range(0, (length // num_steps) * num_steps, num_steps):
            yield Tensor(X[:, start : start + num_steps]), Tensor(Y[:, start : start + num_steps])

    return batches()
