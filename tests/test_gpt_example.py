"""examples/gpt_names.py: the small GPT learns the names beyond what character pairs tell, sees only
the past, ties its read-out to its embedding, and trains exactly as the same model in PyTorch does."""

from __future__ import annotations

import math
import pathlib
import re

import numpy as np
import pytest
import torch

import autograd
import nn

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"


@pytest.fixture
def gpt(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    import gpt_names

    return gpt_names


def bigram_loss(train: np.ndarray, val: np.ndarray, vocab_size: int) -> float:
    """Cross-entropy on the validation pairs of next-character counts on the training stream
    (add-0.1 smoothing): what a model that looks back one character reaches."""
    counts = np.full((vocab_size, vocab_size), 0.1)
    np.add.at(counts, (train[:-1], train[1:]), 1)
    p = counts / counts.sum(1, keepdims=True)
    return float(-np.log(p[val[:-1], val[1:]]).mean())


def test_the_gpt_learns_more_than_character_pairs(gpt):
    """400 steps (the full run is 1000, validation loss 2.045): the first loss is the uniform
    guess's ln 28 (the initialisation is small), and the validation loss ends more than 0.1 nats
    per character below the bigram counts'; samples are names' letters."""
    result = gpt.main(steps=400, samples=5)
    vocab, train, val = result["vocab"], result["train"], result["val"]
    assert len(vocab) == 28
    assert abs(result["losses"][0] - math.log(28)) < 0.05
    assert result["val_loss"] < bigram_loss(train, val, len(vocab)) - 0.1
    assert all(re.fullmatch(r"[a-z<unk>]{0,30}", s) for s in result["samples"])


def test_a_position_sees_only_the_tokens_before_it(gpt):
    """Changing token t changes the logits at t and after, never before."""
    autograd.manual_seed(1)
    model = gpt.GPT(28)
    tokens = np.random.default_rng(0).integers(0, 28, (2, 16))
    changed = tokens.copy()
    changed[:, 9] = (changed[:, 9] + 1) % 28
    with autograd.no_grad():
        before, after = model(autograd.tensor(tokens)).numpy(), model(autograd.tensor(changed)).numpy()
    assert np.array_equal(before[:, :9], after[:, :9])
    assert np.all(np.abs(before[:, 9:] - after[:, 9:]).max(-1) > 1e-6)


def test_the_read_out_is_the_embedding_and_the_parameters_count_by_hand(gpt):
    config = gpt.GPTConfig()
    model = gpt.GPT(28, config)
    assert model.head.weight is model.token.weight
    d, L = config.d_model, config.n_layer
    block = 2 * 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d)
    assert sum(p.numel() for p in model.parameters()) == 28 * d + config.block_size * d + L * block + 2 * d
    decay, no_decay = gpt.optimizer_groups(model, 0.1)
    assert {id(p) for p in decay["params"]} == {id(p) for p in model.parameters() if p.ndim == 2}
    assert len(decay["params"]) == 2 + 4 * L  # token (= head), position, qkv, proj and the MLP's two
    assert all(p.ndim == 1 for p in no_decay["params"]) and no_decay["weight_decay"] == 0.0
    assert np.std(model.blocks[0].mlp[2].weight.numpy()) == pytest.approx(0.02 / math.sqrt(2 * L), rel=0.05)
    assert np.std(model.blocks[0].mlp[0].weight.numpy()) == pytest.approx(0.02, rel=0.05)


def test_a_context_longer_than_the_block_is_a_shape_error(gpt):
    model = gpt.GPT(28, gpt.GPTConfig(block_size=8))
    with pytest.raises(autograd.ShapeError, match="9 tokens is longer than block_size=8"):
        model(autograd.tensor(np.zeros((1, 9), dtype=np.int64)))


def test_top_1_sampling_is_greedy_decoding(gpt):
    """top_k=1 leaves one character to draw: the name the test's own argmax loop spells."""
    autograd.manual_seed(2)
    vocab, train, _ = gpt.corpus(0)
    model = gpt.GPT(len(vocab))
    optimizer = nn.optim.AdamW(model.parameters(), lr=3e-3)
    rng = np.random.default_rng(0)
    for _ in range(30):
        gpt.train_step(model, optimizer, *gpt.windows(train, 16, 32, rng))
    end = vocab[gpt.END]
    tokens = [end]
    with autograd.no_grad():
        while len(tokens) <= 30:
            tokens.append(int(np.argmax(model(autograd.tensor([tokens[-16:]])).numpy()[0, -1])))
            if tokens[-1] == end:
                break
    expected = "".join(vocab.to_tokens(t) for t in tokens[1:] if t != end)
    samples = {gpt.generate(model, vocab, np.random.default_rng(s), temperature=0.7, top_k=1) for s in range(3)}
    assert samples == {expected}


def test_warm_up_then_cosine_decay_to_the_floor(gpt):
    factor = gpt.warmup_cosine(steps=1100, warmup=100, floor=0.1)
    assert factor(0) == pytest.approx(0.01) and factor(49) == pytest.approx(0.5) and factor(99) == 1.0
    assert factor(100) == 1.0 and factor(600) == pytest.approx(0.55) and factor(1100) == pytest.approx(0.1)


@pytest.fixture
def float64_in_both_engines():
    ours, theirs = autograd.get_default_dtype(), torch.get_default_dtype()
    autograd.set_default_dtype(np.float64)
    torch.set_default_dtype(torch.float64)
    yield
    autograd.set_default_dtype(ours)
    torch.set_default_dtype(theirs)


def test_training_steps_are_pytorchs_in_float64(gpt, float64_in_both_engines):
    """The same GPT in PyTorch (benchmarks/torch_twin.py, weights copied by the state dict), five
    steps on the same windows: the same losses and the same weights after each, to 1e-9."""
    from benchmarks import torch_twin

    config = gpt.GPTConfig()
    autograd.manual_seed(3)
    vocab, train, _ = gpt.corpus(0)
    model = gpt.GPT(len(vocab), config)
    optimizer = nn.optim.AdamW(gpt.optimizer_groups(model, config.weight_decay), lr=config.lr, betas=config.betas)
    net, torch_optimizer = torch_twin.gpt_twin(gpt, model, len(vocab), config)
    rng = np.random.default_rng(0)
    for _ in range(5):
        X, Y = gpt.windows(train, config.block_size, config.batch_size, rng)
        assert gpt.train_step(model, optimizer, X, Y) == pytest.approx(
            torch_twin.gpt_step(net, torch_optimizer, X, Y), rel=1e-12
        )
    theirs = net.state_dict()
    for name, value in model.state_dict().items():
        np.testing.assert_allclose(value.numpy(), theirs[name].numpy(), rtol=1e-9, atol=1e-12, err_msg=name)
