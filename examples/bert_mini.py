"""BERT in miniature (the notes' BERT section), pre-trained on the shipped Book of Genesis and then
fine-tuned on a classification task made from it.

Input: [CLS] A [SEP] B [SEP] of word tokens (lowercase words of two verses), embedded as
token + learned position + segment (0 for [CLS] A [SEP], 1 for B [SEP]), then LayerNorm and
dropout, then an `nn.TransformerEncoder` of post-norm GELU layers that skips [PAD] keys
(`src_key_padding_mask`). GELU is BERT's tanh approximation ½x(1 + tanh(√(2/π)(x + 0.044715x³))):
the exact one goes through erf, element by element in Python here, and took half the step time. Two pre-training heads:

- masked language model: in each sequence exactly 15% (rounded, at least one) of the word tokens
  are chosen; a chosen token becomes [MASK] with probability 0.8, a random word with 0.1, and stays
  with 0.1. The head is h → LayerNorm(gelu(W h + b)) → E zᵀ + c, with E the token embedding
  weight itself (tied), applied (as in BERT) only at the chosen positions, the only ones the
  cross-entropy counts;
- next sentence prediction: B is A's next verse or, with probability 1/2, a random verse; the
  head is linear(2) on the pooler tanh(W h_[CLS] + b).

The loss is their sum, with AdamW, linear warm-up and linear decay. Every 10th block of 10 verses
is held out: the validation MLM / NSP accuracies (the curve) and the fine-tuning test set come from
it. Fine-tuning: does a verse ([CLS] A [SEP]) come from the first or the second half of Genesis
(Creation to Abraham, or Isaac to Joseph), learnt from 128 labelled verses, starting
from the pre-trained encoder or from the same model freshly initialised.

    python examples/bert_mini.py                    # 2,000 pre-training steps, about 3 minutes
    python examples/bert_mini.py --steps 200        # a quick run
"""

from __future__ import annotations

import argparse
import copy
import re
import time

import numpy as np

import autograd
import nn
import nn.functional as F
from nn.data.text import Vocab

PAD, CLS, SEP, MASK = "[PAD]", "[CLS]", "[SEP]", "[MASK]"
IGNORE = -100  # the label of every position that is not chosen (as PyTorch's ignore_index)
MASK_RATE, MASK_TOKEN, RANDOM_TOKEN = 0.15, 0.8, 0.1  # the rest of the chosen (0.1) stays as it is


def load_verses(name: str = "genesis") -> list[list[str]]:
    """Each verse of a shipped text as its lowercase words (punctuation dropped)."""
    return [re.findall(r"[a-z]+", line.lower()) for line in nn.data.load_text(name).splitlines()]


def build_vocab(verses: list[list[str]], min_freq: int = 3) -> Vocab:
    """<unk> = 0, then [PAD] [CLS] [SEP] [MASK] = 1-4, then the words seen `min_freq` times or more."""
    return Vocab(verses, min_freq=min_freq, reserved_tokens=[PAD, CLS, SEP, MASK])


def first_word(vocab: Vocab) -> int:
    """The index of the most frequent word: words are first_word(vocab) … len(vocab) − 1."""
    return vocab[MASK] + 1


def held_out(count: int, block: int = 10) -> np.ndarray:
    """True for the verses kept out of pre-training: every 10th block of `block` consecutive verses."""
    return (np.arange(count) // block) % 10 == 9


def pack(a: list[int], b: list[int] | None, vocab: Vocab, max_len: int) -> tuple[list[int], list[int]]:
    """[CLS] a [SEP] (b [SEP]) and its segment ids (0 up to the first [SEP], 1 after), the longer
    part cut from its end until it all fits in max_len tokens."""
    a, b = list(a), None if b is None else list(b)
    while len(a) + (0 if b is None else len(b) + 1) + 2 > max_len:
        (a if b is None or len(a) >= len(b) else b).pop()
    tokens = [vocab[CLS], *a, vocab[SEP]]
    segments = [0] * len(tokens)
    if b is not None:
        tokens += [*b, vocab[SEP]]
        segments += [1] * (len(b) + 1)
    return tokens, segments


def nsp_pairs(
    verses: list[list[int]], starts: np.ndarray, pool: np.ndarray, rng: np.random.Generator
) -> list[tuple[list[int], list[int], int]]:
    """(A, B, is_next) for each start i: B is verse i + 1 (is_next 1) or, with probability 1/2, a
    random verse of `pool` other than i + 1 (is_next 0)."""
    pairs = []
    for i in starts:
        if rng.random() < 0.5:
            pairs.append((verses[i], verses[i + 1], 1))
        else:
            j = i + 1
            while j == i + 1:
                j = int(rng.choice(pool))
            pairs.append((verses[i], verses[j], 0))
    return pairs


def pad_batch(packed: list[tuple[list[int], list[int]]], vocab: Vocab) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tokens, segments, padding) arrays (N, T), T the longest sequence; padding is True at [PAD]."""
    length = max(len(tokens) for tokens, _ in packed)
    tokens = np.full((len(packed), length), vocab[PAD])
    segments = np.zeros((len(packed), length), np.int64)
    for row, (t, s) in enumerate(packed):
        tokens[row, : len(t)], segments[row, : len(s)] = t, s
    return tokens, segments, tokens == vocab[PAD]


def mask_tokens(tokens: np.ndarray, vocab: Vocab, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The MLM corruption: in each row, choose round(0.15 n) (at least 1) of its n non-special
    tokens at random; each chosen token becomes [MASK] with probability 0.8, a random word with
    0.1, or is kept. Returns (inputs, labels), labels the original token where chosen, IGNORE elsewhere."""
    special = np.isin(tokens, vocab[[PAD, CLS, SEP, MASK]])
    keys = np.where(special, np.inf, rng.random(tokens.shape))
    rank = np.argsort(np.argsort(keys, axis=1), axis=1)  # each position's place in the random order
    count = np.maximum(1, np.rint(MASK_RATE * (~special).sum(1)))[:, None]
    chosen = (rank < count) & ~special
    labels = np.where(chosen, tokens, IGNORE)
    u = rng.random(tokens.shape)
    inputs = np.where(chosen & (u < MASK_TOKEN), vocab[MASK], tokens)
    replaced = chosen & (u >= MASK_TOKEN) & (u < MASK_TOKEN + RANDOM_TOKEN)
    inputs[replaced] = rng.integers(first_word(vocab), len(vocab), int(replaced.sum()))
    return inputs, labels


class BertEncoder(nn.Module):
    """Embeddings (token + position + segment → LayerNorm → dropout), the Transformer encoder, and
    the pooler tanh(W h_[CLS] + b). forward gives the hidden states (N, T, d) and the pooled (N, d)."""

    def __init__(
        self,
        vocab_size: int,
        d_model: int = 64,
        nhead: int = 4,
        num_layers: int = 2,
        dim_feedforward: int = 256,
        max_len: int = 64,
        dropout: float = 0.1,
        padding_idx: int = 1,
    ) -> None:
        super().__init__()
        self.token = nn.Embedding(vocab_size, d_model, padding_idx=padding_idx)
        self.position = nn.Embedding(max_len, d_model)
        self.segment = nn.Embedding(2, d_model)
        with autograd.no_grad():  # BERT's N(0, 0.02²): N(0, 1) rows would make the tied decoder's logits ~N(0, d)
            for embedding in (self.token, self.position, self.segment):
                embedding.weight.mul_(0.02)
        self.norm = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(dropout)
        gelu = nn.GELU(approximate="tanh")
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation=gelu, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.pooler = nn.Linear(d_model, d_model)

    def forward(self, tokens: np.ndarray, segments: np.ndarray, padding: np.ndarray):
        positions = autograd.arange(tokens.shape[1])
        x = self.token(autograd.tensor(tokens)) + self.position(positions) + self.segment(autograd.tensor(segments))
        hidden = self.encoder(self.dropout(self.norm(x)), src_key_padding_mask=autograd.tensor(padding))
        return hidden, autograd.tanh(self.pooler(hidden[:, 0]))


class BertPretraining(nn.Module):
    """The encoder with the MLM head (dense → gelu → LayerNorm → the decoder, whose weight is the
    token embedding's) and the NSP head (linear 2 on the pooled [CLS])."""

    def __init__(self, encoder: BertEncoder) -> None:
        super().__init__()
        vocab_size, d_model = encoder.token.weight.shape
        self.encoder = encoder
        self.transform = nn.Linear(d_model, d_model)
        self.transform_norm = nn.LayerNorm(d_model)
        self.decoder = nn.Linear(d_model, vocab_size)
        self.decoder.weight = encoder.token.weight  # tied: one parameter
        nn.init.zeros_(self.decoder.bias)
        self.nsp = nn.Linear(d_model, 2)

    def forward(self, tokens: np.ndarray, segments: np.ndarray, padding: np.ndarray, chosen: np.ndarray):
        """The MLM logits (K, V) at the K positions where `chosen` (N, T) is True, in row-major
        order, and the NSP logits (N, 2)."""
        hidden, pooled = self.encoder(tokens, segments, padding)
        picked = hidden[autograd.tensor(chosen)]
        mlm = self.decoder(self.transform_norm(F.gelu(self.transform(picked), approximate="tanh")))
        return mlm, self.nsp(pooled)


class BertClassifier(nn.Module):
    """The encoder with dropout and a linear layer on the pooled [CLS]."""

    def __init__(self, encoder: BertEncoder, classes: int = 2, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(encoder.pooler.out_features, classes)

    def forward(self, tokens: np.ndarray, segments: np.ndarray, padding: np.ndarray):
        return self.out(self.dropout(self.encoder(tokens, segments, padding)[1]))


class Corpus:
    """The verses as word indices, the vocabulary, and the pre-training / held-out split."""

    def __init__(self, min_freq: int = 3) -> None:
        words = load_verses()
        held = held_out(len(words))
        self.vocab = build_vocab([w for w, h in zip(words, held) if not h], min_freq)
        self.verses = [self.vocab[w] for w in words]
        self.train, self.held = np.flatnonzero(~held), np.flatnonzero(held)
        same_side = held[:-1] == held[1:]  # i and i + 1 both pre-training verses or both held out
        self.train_starts = np.flatnonzero(same_side & ~held[:-1])
        self.held_starts = np.flatnonzero(same_side & held[:-1])

    def pretraining_batch(self, rng: np.random.Generator, starts: np.ndarray, pool: np.ndarray, max_len: int):
        """Masked inputs, segments, padding, MLM labels and NSP labels for NSP pairs at `starts`."""
        pairs = nsp_pairs(self.verses, starts, pool, rng)
        tokens, segments, padding = pad_batch([pack(a, b, self.vocab, max_len) for a, b, _ in pairs], self.vocab)
        inputs, labels = mask_tokens(tokens, self.vocab, rng)
        return inputs, segments, padding, labels, np.array([is_next for _, _, is_next in pairs])


def pretraining_losses(model: BertPretraining, batch) -> tuple:
    """The MLM cross-entropy over the chosen positions, the NSP cross-entropy, and both logits."""
    inputs, segments, padding, labels, is_next = batch
    chosen = labels != IGNORE
    mlm, nsp = model(inputs, segments, padding, chosen)
    return (
        F.cross_entropy(mlm, autograd.tensor(labels[chosen])),
        F.cross_entropy(nsp, autograd.tensor(is_next)),
        mlm,
        nsp,
    )


def evaluate_pretraining(model: BertPretraining, batches: list) -> tuple[float, float]:
    """MLM accuracy over the chosen positions and NSP accuracy, on fixed held-out batches."""
    model.eval()
    right = chosen = nsp_right = pairs = 0
    with autograd.no_grad():
        for batch in batches:
            _, _, mlm, nsp = pretraining_losses(model, batch)
            labels, is_next = batch[3], batch[4]
            right += int((mlm.argmax(-1).numpy() == labels[labels != IGNORE]).sum())
            chosen += int((labels != IGNORE).sum())
            nsp_right += int((nsp.argmax(-1).numpy() == is_next).sum())
            pairs += len(is_next)
    model.train()
    return right / chosen, nsp_right / pairs


def warmup_linear(total: int, warmup: float = 0.1):
    """The learning-rate factor: linear from 0 to 1 over the first `warmup` of the steps, then to 0."""
    ramp = max(1, int(warmup * total))
    return lambda step: min((step + 1) / ramp, max(0.0, (total - step) / max(1, total - ramp)))


def pretrain(
    steps: int = 2000,
    batch_size: int = 32,
    max_len: int = 64,
    lr: float = 2e-3,
    eval_every: int = 100,
    seed: int = 0,
    corpus: Corpus | None = None,
    **sizes: int,
) -> dict:
    """Pre-train on the pre-training verses; the curve is (step, held-out MLM accuracy, NSP accuracy).
    `sizes` (d_model, nhead, num_layers, dim_feedforward) go to BertEncoder, its defaults otherwise."""
    autograd.manual_seed(seed)
    rng = np.random.default_rng(seed)
    corpus = corpus or Corpus()
    vocab = corpus.vocab
    config = dict(vocab_size=len(vocab), max_len=max_len, padding_idx=vocab[PAD], **sizes)
    model = BertPretraining(BertEncoder(**config))
    optimizer = nn.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = nn.optim.lr_scheduler.LambdaLR(optimizer, warmup_linear(steps))
    eval_rng = np.random.default_rng(seed + 1)
    starts = np.concatenate([corpus.held_starts, corpus.held_starts])  # each pair twice, masked afresh
    validation = [
        corpus.pretraining_batch(eval_rng, chunk, corpus.held, max_len) for chunk in np.array_split(starts, 4)
    ]
    curve, losses, start = [], [], time.perf_counter()
    for step in range(steps + 1):
        if step % eval_every == 0 or step == steps:
            curve.append((step, *evaluate_pretraining(model, validation)))
        if step == steps:
            break
        batch = corpus.pretraining_batch(rng, rng.choice(corpus.train_starts, batch_size), corpus.train, max_len)
        mlm_loss, nsp_loss, _, _ = pretraining_losses(model, batch)
        optimizer.zero_grad()
        (mlm_loss + nsp_loss).backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        losses.append((mlm_loss.item(), nsp_loss.item()))
    labels = np.concatenate([batch[3][batch[3] != IGNORE] for batch in validation])
    return dict(
        model=model,
        config=config,
        corpus=corpus,
        curve=curve,
        losses=losses,
        mlm_accuracy=curve[-1][1],
        nsp_accuracy=curve[-1][2],
        unigram_accuracy=float(np.mean(labels == first_word(vocab))),  # always guess the most frequent word
        seconds=time.perf_counter() - start,
    )


def half_task(corpus: Corpus, train_size: int, rng: np.random.Generator, max_len: int) -> tuple:
    """Labelled verses for fine-tuning: label 1 if the verse is in the second half of the text.
    Training: `train_size` pre-training verses; test: every held-out verse."""
    half = len(corpus.verses) // 2

    def examples(indices: np.ndarray) -> tuple:
        batch = pad_batch([pack(corpus.verses[i], None, corpus.vocab, max_len) for i in indices], corpus.vocab)
        return (*batch, (indices >= half).astype(np.int64))

    return examples(rng.choice(corpus.train, train_size, replace=False)), examples(corpus.held)


def finetune(
    encoder: BertEncoder,
    corpus: Corpus,
    train_size: int = 128,
    steps: int = 100,
    batch_size: int = 32,
    lr: float = 1e-3,
    seed: int = 0,
    max_len: int = 64,
) -> dict:
    """Train a classifier on (a copy of) `encoder` for the half-of-the-text task; test accuracy."""
    autograd.manual_seed(seed)
    rng = np.random.default_rng(seed)
    train, test = half_task(corpus, train_size, np.random.default_rng(seed + 2), max_len)
    model = BertClassifier(copy.deepcopy(encoder))
    optimizer = nn.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = nn.optim.lr_scheduler.LambdaLR(optimizer, warmup_linear(steps))
    start = time.perf_counter()
    for _ in range(steps):
        rows = rng.choice(train_size, batch_size, replace=False)
        tokens, segments, padding, labels = (array[rows] for array in train)
        loss = F.cross_entropy(model(tokens, segments, padding), autograd.tensor(labels))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    model.eval()
    with autograd.no_grad():
        predictions = model(*test[:3]).argmax(-1).numpy()
    return dict(
        model=model,
        accuracy=float(np.mean(predictions == test[3])),
        majority=float(max(test[3].mean(), 1 - test[3].mean())),
        seconds=time.perf_counter() - start,
    )


def main(
    steps: int = 2000, finetune_steps: int = 100, train_size: int = 128, runs: int = 3, seed: int = 0, **sizes
) -> dict:
    """Pre-train, then fine-tune the pre-trained encoder and the same architecture from scratch, each
    `runs` times (a different labelled sample and order each time: one run is a noisy measurement)."""
    pre = pretrain(steps, seed=seed, **sizes)
    vocab = pre["corpus"].vocab
    print(f"pre-training: {steps} steps in {pre['seconds']:.0f} s")
    for step, mlm, nsp in pre["curve"]:
        print(f"  step {step:5d}  MLM accuracy {mlm:.3f}  NSP accuracy {nsp:.3f}")
    print(f"  unigram baseline (always {vocab.to_tokens(first_word(vocab))!r}): {pre['unigram_accuracy']:.3f}")
    autograd.manual_seed(seed + 3)
    scratch_encoder = BertEncoder(**pre["config"])
    accuracies = {}
    for name, encoder in (("pretrained", pre["model"].encoder), ("scratch", scratch_encoder)):
        tuned = [finetune(encoder, pre["corpus"], train_size, finetune_steps, seed=seed + k) for k in range(runs)]
        accuracies[name] = [run["accuracy"] for run in tuned]
        print(
            f"fine-tuning from {name} on {train_size} verses: test accuracy {np.mean(accuracies[name]):.3f} "
            f"(runs {', '.join(f'{a:.3f}' for a in accuracies[name])}; majority class {tuned[0]['majority']:.3f})"
        )
    return dict(pretraining=pre, finetune_pretrained=accuracies["pretrained"], finetune_scratch=accuracies["scratch"])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=2000, help="pre-training steps")
    parser.add_argument("--finetune-steps", type=int, default=100)
    parser.add_argument("--train-size", type=int, default=128, help="labelled verses for fine-tuning")
    parser.add_argument("--runs", type=int, default=3, help="fine-tuning runs of each model")
    parser.add_argument("--d-model", type=int, default=64)
    parser.add_argument("--num-layers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    sizes = dict(d_model=args.d_model, num_layers=args.num_layers)
    main(args.steps, args.finetune_steps, args.train_size, args.runs, args.seed, **sizes)
