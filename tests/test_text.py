"""nn.data.text: tokenize, Vocab, the two sampling schemes of the notes (random and sequential),
and nn.metrics.perplexity against PyTorch's cross-entropy."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd.errors import ArgumentError, DomainError, ShapeError
from nn.data.text import Vocab, seq_data_iter_random, seq_data_iter_sequential, tokenize
from nn.metrics import perplexity


def test_tokenize_words_and_characters():
    lines = ["the time  machine", "", "by h g wells"]
    assert tokenize(lines) == [["the", "time", "machine"], [], ["by", "h", "g", "wells"]]
    assert tokenize("ab c\nd", "char") == [["a", "b", " ", "c"], ["d"]]
    with pytest.raises(ArgumentError, match="tokenize: unknown token type 'words'; expected 'word' or 'char'"):
        tokenize(lines, "words")


def test_vocab_numbers_unk_reserved_then_by_frequency():
    lines = [["b", "a", "c", "a"], ["c", "a", "d", "b"], ["e"]]  # a:3, b:2, c:2 (b first), d:1, e:1
    vocab = Vocab(lines, reserved_tokens=["<pad>", "<bos>"])
    assert vocab.idx_to_token == ["<unk>", "<pad>", "<bos>", "a", "b", "c", "d", "e"]
    assert vocab.token_freqs == [("a", 3), ("b", 2), ("c", 2), ("d", 1), ("e", 1)]
    assert len(vocab) == 8 and vocab.unk == 0 and "a" in vocab and "z" not in vocab
    assert vocab["a"] == 3 and vocab["z"] == 0 and vocab[["c", "zz", "<pad>"]] == [5, 0, 1]
    assert vocab.to_tokens([3, 0, 7]) == ["a", "<unk>", "e"] and vocab.to_tokens(ag.tensor([4, 5])) == ["b", "c"]
    rare_dropped = Vocab(lines, min_freq=2)
    assert rare_dropped.idx_to_token == ["<unk>", "a", "b", "c"] and rare_dropped["d"] == 0
    assert Vocab(list("hello")).idx_to_token == ["<unk>", "l", "h", "e", "o"]  # flat tokens too
    with pytest.raises(DomainError, match="Vocab.to_tokens: index 8 is out of range for 8 tokens"):
        vocab.to_tokens(8)
    with pytest.raises(DomainError, match="Vocab: min_freq must be an integer >= 0, got -1"):
        Vocab(lines, min_freq=-1)


def _epoch(iterate, size, batch_size, num_steps, seed):
    corpus = np.arange(size)  # token i is i: X's values say where each subsequence came from
    return [
        (X.numpy(), Y.numpy(), X, Y)
        for X, Y in iterate(corpus, batch_size, num_steps, ag.Generator().manual_seed(seed))
    ]


sizes = st.tuples(st.integers(1, 6), st.integers(1, 7), st.integers(0, 60), st.integers(0, 2**16))


@settings(max_examples=60, deadline=None)
@given(sizes)
def test_random_sampling_uses_each_token_at_most_once_per_epoch(case):
    batch_size, num_steps, extra, seed = case
    size = batch_size * num_steps + num_steps + extra
    batches = _epoch(seq_data_iter_random, size, batch_size, num_steps, seed)
    starts = [row[0] for X, *_ in batches for row in X]
    xs = np.concatenate([X.ravel() for X, *_ in batches])
    assert len(set(xs.tolist())) == xs.size  # no token in two subsequences
    offsets = {s % num_steps for s in starts}
    assert len(offsets) == 1 and offsets.pop() < num_steps  # all cut at one random offset
    count = (size - starts[0] % num_steps - 1) // num_steps
    assert len(batches) == count // batch_size >= 1
    for X, Y, tX, tY in batches:
        assert X.shape == Y.shape == (batch_size, num_steps) and tX.dtype == tY.dtype == np.int64
        np.testing.assert_array_equal(Y, X + 1)  # targets are the next tokens
        np.testing.assert_array_equal(X, X[:, :1] + np.arange(num_steps))  # each row is consecutive


@settings(max_examples=60, deadline=None)
@given(sizes)
def test_sequential_sampling_continues_each_row_in_the_next_batch(case):
    batch_size, num_steps, extra, seed = case
    size = batch_size * num_steps + num_steps + extra
    batches = _epoch(seq_data_iter_sequential, size, batch_size, num_steps, seed)
    assert len(batches) >= 1
    offset = batches[0][0][0, 0]
    assert 0 <= offset < num_steps
    rows = np.concatenate([X for X, *_ in batches], axis=1)
    length = (size - offset - 1) // batch_size
    np.testing.assert_array_equal(rows, offset + length * np.arange(batch_size)[:, None] + np.arange(rows.shape[1]))
    for (X, Y, *_), (X_next, *_) in zip(batches, batches[1:]):
        np.testing.assert_array_equal(X_next[:, 0], X[:, -1] + 1)  # row b carries on where it stopped
        np.testing.assert_array_equal(Y, X + 1)
    assert len(batches) == length // num_steps


def test_sampling_is_seeded_and_checks_its_input():
    for iterate in (seq_data_iter_random, seq_data_iter_sequential):
        first = [X.tolist() for X, _ in iterate(list(range(100)), 2, 5, ag.Generator().manual_seed(3))]
        again = [X.tolist() for X, _ in iterate(np.arange(100), 2, 5, ag.Generator().manual_seed(3))]
        assert first == again
        name = iterate.__name__
        with pytest.raises(
            DomainError,
            match=rf"{name}: a corpus of 10 tokens is too short for one batch of 2 x 5 steps; it needs at least 15",
        ):
            iterate(np.arange(10), 2, 5)
        with pytest.raises(ArgumentError, match=rf"{name}: corpus must be a 1-D sequence of token indices"):
            iterate(np.zeros((4, 50), np.int64), 2, 5)
        with pytest.raises(ArgumentError, match=r"dtype float64"):
            iterate(np.linspace(0, 1, 100), 2, 5)
        with pytest.raises(DomainError, match=rf"{name}: num_steps must be a positive integer, got 0"):
            iterate(np.arange(100), 2, 0)


def test_perplexity_is_exp_of_the_mean_cross_entropy_as_pytorch():
    rng = np.random.default_rng(0)
    logits, target = rng.normal(size=(3, 7, 11)), rng.integers(0, 11, (3, 7))
    target[0, :2] = -100  # padding, left out
    expected = math.exp(
        torch.nn.functional.cross_entropy(torch.tensor(logits).reshape(-1, 11), torch.tensor(target).reshape(-1)).item()
    )
    assert perplexity(ag.tensor(logits), ag.tensor(target)) == pytest.approx(expected, rel=1e-12)
    assert perplexity(ag.zeros(4, 5, 50), np.zeros((4, 5), np.int64)) == pytest.approx(50.0)  # a uniform guess
    with pytest.raises(
        ShapeError, match=r"perplexity: target of shape \(3, 6\) does not match logits of shape \(3, 7, 11\)"
    ):
        perplexity(ag.tensor(logits), ag.tensor(target[:, :6]))
