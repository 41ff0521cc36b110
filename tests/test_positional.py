"""Positional encodings: the sinusoidal table against the notes' formula written out entry by entry,
RoPE against the complex-number rotation it is defined by (both pairings), its relative-position
property, gradients, the layers' buffers, state dicts and the errors for sequences that do not fit."""

import cmath
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
from autograd import gradcheck
from autograd.errors import DomainError, ShapeError

F = nn.functional


@pytest.mark.parametrize("dim", [1, 6, 7])
def test_sinusoidal_table_is_the_notes_formula(dim):
    table = F.sinusoidal_positional_encoding(9, dim, dtype=ag.float64).numpy()
    assert table.shape == (9, dim)
    for pos in range(9):
        for i in range(dim):
            k = i // 2
            angle = pos / 10000 ** (2 * k / dim)
            assert table[pos, i] == pytest.approx(math.sin(angle) if i % 2 == 0 else math.cos(angle), abs=1e-12)


def test_sinusoidal_shift_is_a_fixed_rotation_of_each_pair():
    """PE[pos + δ] = R(δ) PE[pos] per pair of columns, the same R for every pos."""
    table = F.sinusoidal_positional_encoding(40, 8, dtype=ag.float64).numpy()
    delta = 5
    for k in range(4):
        pairs = table[:, 2 * k : 2 * k + 2]  # (sin, cos) of pos·ω
        w = delta / 10000 ** (2 * k / 8)
        rotation = np.array([[math.cos(w), -math.sin(w)], [math.sin(w), math.cos(w)]])
        np.testing.assert_allclose(pairs[:-delta] @ rotation, pairs[delta:], atol=1e-12)


def test_sinusoidal_dtype_follows_default_and_argument():
    assert F.sinusoidal_positional_encoding(3, 4).dtype == ag.get_default_dtype()
    assert F.sinusoidal_positional_encoding(3, 4, dtype=ag.float64).dtype == np.float64


@pytest.mark.parametrize("length, dim", [(0, 4), (3, 0), (2.5, 4), (True, 4)])
def test_sinusoidal_rejects_bad_sizes(length, dim):
    with pytest.raises(DomainError, match="sinusoidal_positional_encoding: .* must be a positive int"):
        F.sinusoidal_positional_encoding(length, dim)


def complex_rope(x, positions, interleaved, base=10000.0):
    """RoPE by its definition: pair j as the complex number a + ib, times e^{i·pos·θ_j}."""
    out = np.empty_like(x)
    T, d = x.shape
    for t in range(T):
        for j in range(d // 2):
            a_index, b_index = (2 * j, 2 * j + 1) if interleaved else (j, j + d // 2)
            z = complex(x[t, a_index], x[t, b_index]) * cmath.exp(1j * positions[t] * base ** (-2 * j / d))
            out[t, a_index], out[t, b_index] = z.real, z.imag
    return out


@pytest.mark.parametrize("interleaved", [False, True])
def test_rope_is_the_complex_rotation(interleaved):
    x = np.random.default_rng(0).normal(size=(5, 8))
    ours = F.rotary_embedding(ag.tensor(x), interleaved=interleaved).numpy()
    np.testing.assert_allclose(ours, complex_rope(x, np.arange(5), interleaved), atol=1e-12)
    positions = np.array([3, 1, 4, 1, 5])
    ours = F.rotary_embedding(ag.tensor(x), positions, interleaved=interleaved).numpy()
    np.testing.assert_allclose(ours, complex_rope(x, positions, interleaved), atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(
    m=st.integers(0, 50),
    n=st.integers(0, 50),
    shift=st.integers(0, 50),
    interleaved=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_rope_scores_depend_on_relative_position_only(m, n, shift, interleaved, seed):
    q, k = np.random.default_rng(seed).normal(size=(2, 1, 6))

    def score(i, j):
        rq = F.rotary_embedding(ag.tensor(q), [i], interleaved=interleaved).numpy()
        rk = F.rotary_embedding(ag.tensor(k), [j], interleaved=interleaved).numpy()
        return float((rq @ rk.T)[0, 0])

    assert score(m + shift, n + shift) == pytest.approx(score(m, n), abs=1e-9)
    norm = np.linalg.norm(F.rotary_embedding(ag.tensor(q), [m], interleaved=interleaved).numpy())
    assert norm == pytest.approx(np.linalg.norm(q))


@pytest.mark.parametrize("interleaved", [False, True])
def test_rope_gradcheck(interleaved):
    x = ag.tensor(np.random.default_rng(1).normal(size=(2, 3, 4, 6)), requires_grad=True)
    assert gradcheck(lambda x: F.rotary_embedding(x, interleaved=interleaved), (x,))


@pytest.mark.parametrize(
    "shape, positions, message",
    [
        ((4, 5), None, "last dimension must be even"),
        ((6,), None, r"input must be a Tensor \(…, T, d\)"),
        ((3, 4), [0, 1], r"positions has shape \(2,\), expected \(3,\)"),
    ],
)
def test_rope_bad_input(shape, positions, message):
    with pytest.raises(ShapeError, match=message):
        F.rotary_embedding(ag.zeros(*shape), positions)


def test_sinusoidal_layer_adds_the_table_batch_first_or_not():
    layer = nn.SinusoidalPositionalEncoding(6, max_len=10, dtype=ag.float64)
    table = F.sinusoidal_positional_encoding(10, 6, dtype=ag.float64).numpy()
    x = np.random.default_rng(2).normal(size=(3, 7, 6))
    np.testing.assert_allclose(layer(ag.tensor(x)).numpy(), x + table[:7])
    time_first = nn.SinusoidalPositionalEncoding(6, max_len=10, batch_first=False, dtype=ag.float64)
    np.testing.assert_allclose(time_first(ag.tensor(x)).numpy(), x + table[:3, None])
    assert list(layer.state_dict()) == [] and [name for name, _ in layer.named_buffers()] == ["pe"]
    assert (
        repr(layer) == "SinusoidalPositionalEncoding(\n  6, max_len=10\n  (dropout): Dropout(p=0.0, inplace=False)\n)"
    )


def test_sinusoidal_layer_passes_gradients_and_drops_out_in_training():
    layer = nn.SinusoidalPositionalEncoding(4, max_len=8, dropout=0.5, dtype=ag.float64)
    x = ag.tensor(np.ones((2, 8, 4)), requires_grad=True)
    ag.manual_seed(0)
    out = layer(x).numpy()
    table = F.sinusoidal_positional_encoding(8, 4, dtype=ag.float64).numpy()
    kept = out != 0
    assert 0.3 < kept.mean() < 0.7
    np.testing.assert_allclose(
        out[kept], 2 * np.broadcast_to(1 + table, out.shape)[kept]
    )  # kept ones scaled by 1/(1 − p)
    layer.eval()
    layer(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((2, 8, 4)))


def test_learned_embedding_adds_its_rows_and_learns_them():
    ag.manual_seed(0)
    layer = nn.LearnedPositionalEmbedding(5, 3, dtype=ag.float64)
    x = np.random.default_rng(3).normal(size=(2, 4, 3))
    out = layer(ag.tensor(x))
    np.testing.assert_allclose(out.numpy(), x + layer.weight.numpy()[:4])
    out.sum().backward()
    np.testing.assert_array_equal(layer.weight.grad.numpy(), [[2.0] * 3] * 4 + [[0.0] * 3])
    assert list(layer.state_dict()) == ["weight"] and layer.weight.shape == (5, 3)
    assert abs(layer.weight.numpy().std() - 1) < 0.6  # N(0, 1), as nn.Embedding's


def test_rotary_layer_matches_the_function_with_an_offset():
    layer = nn.RotaryEmbedding(8, max_len=20)
    x = ag.tensor(np.random.default_rng(4).normal(size=(2, 3, 5, 8)))
    np.testing.assert_allclose(layer(x).numpy(), F.rotary_embedding(x).numpy(), atol=1e-6)
    np.testing.assert_allclose(layer(x, offset=7).numpy(), F.rotary_embedding(x, np.arange(7, 12)).numpy(), atol=1e-6)
    interleaved = nn.RotaryEmbedding(8, max_len=20, interleaved=True)
    np.testing.assert_allclose(interleaved(x).numpy(), F.rotary_embedding(x, interleaved=True).numpy(), atol=1e-6)
    assert layer(x).dtype == x.dtype and list(layer.state_dict()) == []


@pytest.mark.parametrize(
    "layer, shape, message",
    [
        (
            lambda: nn.SinusoidalPositionalEncoding(4, max_len=6),
            (2, 7, 4),
            "a sequence of 7 positions is longer than the table's max_len=6",
        ),
        (
            lambda: nn.SinusoidalPositionalEncoding(4, max_len=6, batch_first=False),
            (7, 2, 4),
            "7 positions .* max_len=6",
        ),
        (
            lambda: nn.SinusoidalPositionalEncoding(4),
            (2, 3, 5),
            r"expected a Tensor \(…, T, 4\), got shape \(2, 3, 5\)",
        ),
        (lambda: nn.LearnedPositionalEmbedding(6, 4), (1, 7, 4), "7 positions .* max_len=6"),
        (lambda: nn.LearnedPositionalEmbedding(6, 4), (7,), r"expected a Tensor \(…, T, 4\)"),
        (lambda: nn.RotaryEmbedding(4, max_len=6), (1, 7, 4), "7 positions .* max_len=6"),
    ],
)
def test_layers_refuse_sequences_that_do_not_fit(layer, shape, message):
    with pytest.raises(ShapeError, match=message):
        layer()(ag.zeros(*shape))


def test_rotary_layer_offset_past_the_table_and_odd_head_dim():
    with pytest.raises(ShapeError, match="a sequence of 8 positions is longer than the table's max_len=6"):
        nn.RotaryEmbedding(4, max_len=6)(ag.zeros(1, 3, 4), offset=5)
    with pytest.raises(ShapeError, match="RotaryEmbedding: head_dim must be even"):
        nn.RotaryEmbedding(5)
