"""examples/bert_mini.py: the MLM masking rule and the NSP pairs checked statistically against the
text itself, the segment ids, the tied decoder, and reduced pre-training and fine-tuning runs
checked against baselines computed here."""

from __future__ import annotations

import collections
import pathlib
import re

import numpy as np
import pytest

import autograd
import nn

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def bert():
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.syspath_prepend(str(EXAMPLES))
        import bert_mini

        yield bert_mini


@pytest.fixture(scope="module")
def corpus(bert):
    return bert.Corpus()


def words(line: str) -> list[str]:
    return re.findall(r"[a-z]+", line.lower())


def lines() -> list[str]:
    return nn.data.load_text("genesis").splitlines()


def test_the_masking_rule_on_many_draws(bert, corpus):
    """Round(15%) of each row's word tokens chosen (at least one), never [PAD] [CLS] [SEP]; of the
    chosen, 80% [MASK], 10% another word, 10% unchanged; labels the original where chosen, -100
    elsewhere; every word position gets chosen in some draw."""
    vocab = corpus.vocab
    rng = np.random.default_rng(0)
    pairs = bert.nsp_pairs(corpus.verses, rng.choice(corpus.train_starts, 64), corpus.train, rng)
    tokens, _, _ = bert.pad_batch([bert.pack(a, b, vocab, 64) for a, b, _ in pairs], vocab)
    special = np.isin(tokens, [vocab["[PAD]"], vocab["[CLS]"], vocab["[SEP]"]])
    n_words = (~special).sum(1)
    outcomes = collections.Counter()
    ever_chosen = np.zeros(tokens.shape, bool)
    for _ in range(300):
        inputs, labels = bert.mask_tokens(tokens, vocab, rng)
        chosen = labels != -100
        ever_chosen |= chosen
        assert not (chosen & special).any()
        assert (inputs[special] == tokens[special]).all()
        assert (inputs[~chosen] == tokens[~chosen]).all()
        assert (labels[chosen] == tokens[chosen]).all()
        count = chosen.sum(1)
        assert (count >= 1).all() and (np.abs(count - 0.15 * n_words) <= 0.5).all()
        new = inputs[chosen]
        outcomes["mask"] += int((new == vocab["[MASK]"]).sum())
        outcomes["kept"] += int((new == tokens[chosen]).sum())
        other = (new != vocab["[MASK]"]) & (new != tokens[chosen])
        assert (new[other] > vocab["[MASK]"]).all() and (new[other] < len(vocab)).all()  # words only
        outcomes["random"] += int(other.sum())
    total = sum(outcomes.values())
    assert total > 50_000
    assert abs(total / (300 * n_words.sum()) - 0.15) < 0.005
    assert abs(outcomes["mask"] / total - 0.8) < 0.01
    assert abs(outcomes["random"] / total - 0.1) < 0.01  # a random word may be the original one: kept
    assert abs(outcomes["kept"] / total - 0.1) < 0.01
    assert (ever_chosen == ~special).all()


def test_nsp_pairs_are_half_true_next_verses(bert, corpus):
    vocab = corpus.vocab
    text = lines()

    def as_tokens(line: str) -> list[str]:
        return [w if w in vocab else "<unk>" for w in words(line)]

    rng = np.random.default_rng(1)
    starts = rng.choice(corpus.train_starts, 4000)
    pairs = bert.nsp_pairs(corpus.verses, starts, corpus.train, rng)
    is_next = np.array([label for _, _, label in pairs])
    assert abs(is_next.mean() - 0.5) < 0.03
    pool = {tuple(as_tokens(text[i])) for i in corpus.train}
    for i, (a, b, label) in zip(starts, pairs):
        assert vocab.to_tokens(a) == as_tokens(text[i])
        if label:
            assert vocab.to_tokens(b) == as_tokens(text[i + 1])
        else:
            assert tuple(vocab.to_tokens(b)) in pool
    negatives = [vocab.to_tokens(b) == as_tokens(text[i + 1]) for i, (_, b, label) in zip(starts, pairs) if not label]
    assert np.mean(negatives) < 0.01


def test_segment_ids_and_truncation(bert, corpus):
    vocab = corpus.vocab
    a, b = vocab[words("And God said, Let there be light")], vocab[words("and there was light")]
    tokens, segments = bert.pack(a, b, vocab, 64)
    assert vocab.to_tokens(tokens) == ["[CLS]", *words("and god said let there be light"), "[SEP]",
                                       *words("and there was light"), "[SEP]"]  # fmt: skip
    assert segments == [0] * 9 + [1] * 5
    tokens, segments = bert.pack(a, b, vocab, 10)  # the longer part loses its last words
    assert vocab.to_tokens(tokens) == ["[CLS]", "and", "god", "said", "[SEP]", "and", "there", "was", "light", "[SEP]"]
    assert segments == [0] * 5 + [1] * 5
    tokens, segments = bert.pack(a, None, vocab, 64)
    assert vocab.to_tokens(tokens)[0] == "[CLS]" and vocab.to_tokens(tokens)[-1] == "[SEP]"
    assert segments == [0] * 9
    padded, segment_batch, padding = bert.pad_batch([bert.pack(a, b, vocab, 64), bert.pack(b, a, vocab, 64)], vocab)
    assert padded.shape == (2, 14) and not padding.any()
    assert segment_batch[1].tolist() == [0] * 6 + [1] * 8


def test_the_mlm_decoder_is_the_token_embedding(bert):
    autograd.manual_seed(0)
    model = bert.BertPretraining(bert.BertEncoder(20, d_model=8, nhead=2, num_layers=1, dim_feedforward=16))
    assert model.decoder.weight is model.encoder.token.weight
    assert sum(p is model.encoder.token.weight for p in model.parameters()) == 1
    tokens = np.array([[2, 5, 6, 7, 3]])  # [CLS] w w w [SEP]
    labels = np.full((1, 5), -100)
    labels[0, 2] = 15  # a word absent from the input: only the decoder reaches its embedding row
    batch = (tokens, np.zeros_like(tokens), tokens == 1, labels, np.array([1]))
    mlm_loss, _, mlm, _ = bert.pretraining_losses(model, batch)
    mlm_loss.backward()
    grad = model.encoder.token.weight.grad.numpy()
    assert np.abs(grad[15]).sum() > 0 and np.abs(grad[16]).sum() > 0  # every row is in the softmax
    untied = bert.BertPretraining(bert.BertEncoder(20, d_model=8, nhead=2, num_layers=1, dim_feedforward=16))
    untied.decoder.weight = nn.Parameter(untied.decoder.weight.detach().clone())
    bert.pretraining_losses(untied, batch)[0].backward()
    assert np.abs(untied.encoder.token.weight.grad.numpy()[15]).sum() == 0  # the control: not tied, no gradient


def test_a_short_pretraining_beats_the_unigram_guess_and_fine_tunes_above_the_majority(bert, corpus):
    """A one-layer model pre-trained for 1000 steps (~15 s): its held-out MLM accuracy beats the best
    constant guess (the held-out text's own most frequent word, counted here from the raw text) and
    the classifier fine-tuned from it beats the majority class."""
    sizes = dict(d_model=32, nhead=2, num_layers=1, dim_feedforward=64, max_len=48)
    pre = bert.pretrain(1000, lr=3e-3, eval_every=1000, corpus=corpus, **sizes)
    text = lines()
    held = [i for i in range(len(text)) if (i // 10) % 10 == 9]
    counts = collections.Counter(w for i in held for w in words(text[i]))
    best_constant = counts.most_common(1)[0][1] / sum(counts.values())
    assert 0.05 < best_constant < 0.15
    assert pre["mlm_accuracy"] > best_constant + 0.03
    tuned = bert.finetune(pre["model"].encoder, corpus, train_size=512, steps=200, lr=3e-3, max_len=48)
    second_half = np.mean([i >= len(text) // 2 for i in held])
    assert tuned["accuracy"] > max(second_half, 1 - second_half) + 0.1
