"""nn.utils.rnn (pad_sequence, pack_padded_sequence, pad_packed_sequence, pack_sequence) and the
recurrent layers on PackedSequence inputs, against PyTorch: values, batch sizes, permutations,
h_n at each sequence's true last step, and gradients, none of which reaches the padding."""

import numpy as np
import pytest
import torch
from torch.nn.utils import rnn as torch_rnn

import autograd as ag
import nn
from autograd.errors import ArgumentError, DomainError, ShapeError
from nn.utils import rnn
from tests.parity import assert_same, check

RNG = np.random.default_rng(3)
LENGTHS = [3, 5, 1, 4]  # no ties: the sorting permutation is PyTorch's too


def _utils(m):
    return rnn if m is ag else torch_rnn


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence(batch_first, padding_side):
    seqs = [RNG.normal(size=(n, 2)) for n in LENGTHS]
    check(lambda m, *s: _utils(m).pad_sequence(list(s), batch_first, -1.5, padding_side), seqs)


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("enforce_sorted", [False, True])
def test_pack_and_pad_round_trip(batch_first, enforce_sorted):
    lengths = sorted(LENGTHS, reverse=True) if enforce_sorted else LENGTHS
    x = RNG.normal(size=(4, 5, 2) if batch_first else (5, 4, 2))

    def packed(m, x):
        p = _utils(m).pack_padded_sequence(x, lengths, batch_first=batch_first, enforce_sorted=enforce_sorted)
        return [p.data, p.batch_sizes] + ([] if enforce_sorted else [p.sorted_indices, p.unsorted_indices])

    check(packed, [x])

    def round_trip(m, x):
        u = _utils(m)
        p = u.pack_padded_sequence(x, m.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce_sorted)
        return list(u.pad_packed_sequence(p, batch_first=batch_first, padding_value=9.0, total_length=7))

    check(round_trip, [x])


def test_pack_sequence():
    seqs = [RNG.normal(size=(n, 3)) for n in LENGTHS]
    check(lambda m, *s: list(_utils(m).pack_sequence(list(s), enforce_sorted=False)), seqs)


@pytest.mark.parametrize("cls", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("with_state", [False, True])
def test_layers_on_packed_sequences_match_pytorch(cls, with_state):
    theirs = getattr(torch.nn, cls)(2, 3, num_layers=2, bidirectional=True).double()
    ours = getattr(nn, cls)(2, 3, num_layers=2, bidirectional=True, dtype=ag.float64)
    ours.load_state_dict(theirs.state_dict())
    x = RNG.normal(size=(5, 4, 2))
    states = [RNG.normal(size=(4, 4, 3)) for _ in range(2 if cls == "LSTM" else 1)] if with_state else []
    results = []
    for m, layer in ((ag, ours), (torch, theirs)):
        inputs = [m.tensor(a, requires_grad=True) for a in (x, *states)]
        packed = _utils(m).pack_padded_sequence(inputs[0], LENGTHS, enforce_sorted=False)
        hx = (tuple(inputs[1:]) if cls == "LSTM" else inputs[1]) if with_state else None
        out, final = layer(packed, hx)
        finals = list(final) if cls == "LSTM" else [final]
        padded, lengths = _utils(m).pad_packed_sequence(out)
        weights = m.tensor(np.linspace(-1, 1, padded.numel()).reshape(tuple(padded.shape)))
        loss = (padded * weights).sum() + sum((f * f).sum() for f in finals)
        grads = (ag.grad if m is ag else torch.autograd.grad)(loss, inputs + list(layer.parameters()))
        results.append(([out.data, out.batch_sizes, padded, lengths, *finals], list(grads)))
    assert_same(*results)
    grad_x = results[0][1][0].numpy()
    for b, n in enumerate(LENGTHS):
        assert not grad_x[n:, b].any() and grad_x[n - 1, b].any()  # padding gets no gradient


def test_bad_lengths_are_our_error():
    x = ag.zeros(4, 3, 1)
    with pytest.raises(DomainError, match="`lengths` array must be sorted in decreasing order when `enforce_sorted`"):
        rnn.pack_padded_sequence(x, [2, 4, 3])
    with pytest.raises(DomainError, match="length of all samples has to be greater than 0, but found 0"):
        rnn.pack_padded_sequence(x, [4, 0, 3], enforce_sorted=False)
    with pytest.raises(DomainError, match="a length of 5 is longer than the input's 4 steps"):
        rnn.pack_padded_sequence(x, [5, 2, 3], enforce_sorted=False)
    with pytest.raises(ShapeError, match="got 2 lengths for a batch of 3 sequences"):
        rnn.pack_padded_sequence(x, [4, 2])
    with pytest.raises(ArgumentError, match="lengths must be a 1-D list or int64 tensor of integers"):
        rnn.pack_padded_sequence(x, [4.0, 2.0, 1.0])
    with pytest.raises(ShapeError, match=r"pad_sequence: the sequences' shapes after the time dim differ"):
        rnn.pad_sequence([ag.zeros(2, 3), ag.zeros(2, 4)])
    with pytest.raises(DomainError, match="total_length=2 is shorter than the longest sequence"):
        rnn.pad_packed_sequence(rnn.pack_padded_sequence(x, [4, 2, 1]), total_length=2)
    with pytest.raises(ShapeError, match=r"GRU: expected a 3-D input .* or a PackedSequence, got shape \(9,\)"):
        nn.GRU(1, 2)(rnn.PackedSequence(ag.zeros(9), ag.tensor([3, 3, 3])))
