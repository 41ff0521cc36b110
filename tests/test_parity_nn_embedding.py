"""nn.Embedding and F.embedding against PyTorch (values, weight gradients, padding_idx,
scale_grad_by_freq, max_norm's in-place renormalisation, from_pretrained, init, repr), the fused
gate against GetItem and by gradcheck, and bad indices raising our errors."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.errors import ArgumentError, DomainError, DTypeError, IndexOutOfRange, ShapeError
from autograd.extend import gates
from tests.parity import assert_same, check

RNG = np.random.default_rng(11)
WEIGHT = RNG.normal(size=(7, 4))
INDEX_SHAPES = [(5,), (2, 3), (2, 2, 3)]


@pytest.mark.parametrize("shape", INDEX_SHAPES)
@pytest.mark.parametrize("padding_idx", [None, 0, 3, -1])
@pytest.mark.parametrize("scale_grad_by_freq", [False, True])
def test_embedding_values_and_weight_gradients(shape, padding_idx, scale_grad_by_freq):
    index = RNG.integers(0, 7, shape)
    index.flat[0] = index.flat[-1] = 3  # a repeated index, and one that may be the padding row
    check(
        lambda m, w, i: m.nn.functional.embedding(i, w, padding_idx, scale_grad_by_freq=scale_grad_by_freq),
        [WEIGHT.copy(), index.astype(np.int64)],
    )


def test_int32_indices_are_accepted_as_pytorch():
    index = np.array([[1, 6], [0, 1]], np.int32)
    check(lambda m, w, i: m.nn.functional.embedding(i, w), [WEIGHT.copy(), index])


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.5])
def test_max_norm_renormalises_the_rows_read_in_place(norm_type):
    index = np.array([[0, 2, 2], [5, 1, 0]])
    results = []
    for m in (ag, torch):
        w = m.tensor(WEIGHT * 3, requires_grad=True)
        out = m.nn.functional.embedding(m.tensor(index), w, max_norm=1.5, norm_type=norm_type)
        (out * m.tensor(np.arange(out.numel(), dtype=np.float64).reshape(out.shape))).sum().backward()
        results.append((out, w.detach().clone(), w.grad))
    assert_same(*results)
    norms = np.linalg.norm(results[0][1].numpy(), ord=norm_type, axis=1)
    assert np.all(norms[[0, 1, 2, 5]] <= 1.5 + 1e-9) and np.allclose(
        norms[[3, 4, 6]], np.linalg.norm(WEIGHT[[3, 4, 6]] * 3, ord=norm_type, axis=1)
    )


def test_module_matches_pytorch_after_loading_its_state_dict():
    ours, theirs = (
        nn.Embedding(12, 5, padding_idx=2, dtype=ag.float64),
        torch.nn.Embedding(12, 5, padding_idx=2).double(),
    )
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    ours.load_state_dict(theirs.state_dict())
    index = RNG.integers(0, 12, (3, 4))
    index[0, 0] = 2
    out_ours, out_theirs = ours(ag.tensor(index)), theirs(torch.tensor(index))
    assert_same(out_ours, out_theirs)
    cotangent = RNG.normal(size=out_ours.shape)
    (out_ours * ag.tensor(cotangent)).sum().backward()
    (out_theirs * torch.tensor(cotangent)).sum().backward()
    assert_same(ours.weight.grad, theirs.weight.grad)
    assert not ours.weight.grad.numpy()[2].any()


def test_init_is_standard_normal_with_the_padding_row_zero():
    ag.manual_seed(0)
    layer = nn.Embedding(4000, 10, padding_idx=-1)
    w = layer.weight.numpy()
    assert w.dtype == np.float32 and w.shape == (4000, 10) and layer.padding_idx == 3999
    assert not w[-1].any()
    assert abs(w[:-1].mean()) < 0.01 and abs(w[:-1].std() - 1) < 0.01  # N(0, 1): 39,990 draws, so ±0.005 is one sigma
    assert repr(layer) == repr(torch.nn.Embedding(4000, 10, padding_idx=-1))  # Embedding(4000, 10, padding_idx=3999)
    assert repr(nn.Embedding(5, 2, max_norm=1.0, scale_grad_by_freq=True)) == repr(
        torch.nn.Embedding(5, 2, max_norm=1.0, scale_grad_by_freq=True)
    )


@pytest.mark.parametrize("freeze", [True, False])
def test_from_pretrained(freeze):
    vectors = RNG.normal(size=(6, 3))
    ours, theirs = (
        nn.Embedding.from_pretrained(ag.tensor(vectors), freeze=freeze, padding_idx=1),
        (torch.nn.Embedding.from_pretrained(torch.tensor(vectors), freeze=freeze, padding_idx=1)),
    )
    assert ours.weight.requires_grad is theirs.weight.requires_grad is (not freeze)
    index = np.array([1, 4, 4, 0])
    assert_same(ours(ag.tensor(index)), theirs(torch.tensor(index)))
    assert np.array_equal(ours.weight.numpy(), vectors)  # the padding row is not zeroed, as PyTorch
    vectors[0, 0] = 99.0
    assert ours.weight.numpy()[0, 0] != 99.0  # a copy


def test_bad_input_is_our_error():
    layer = nn.Embedding(5, 2)
    with pytest.raises(DTypeError, match="embedding: indices must be an integer tensor .* got float32"):
        layer(ag.tensor([0.0, 1.0]))
    with pytest.raises(
        IndexOutOfRange, match=r"embedding: index 5 is out of range for num_embeddings=5 \(expected 0 to 4\)"
    ):
        layer(ag.tensor([[1, 5]]))
    with pytest.raises(IndexOutOfRange, match="index -1 is out of range"):
        layer(ag.tensor([-1]))
    with pytest.raises(DomainError, match=r"Embedding: padding_idx must be within num_embeddings \(-5 to 4\), got 5"):
        nn.Embedding(5, 2, padding_idx=5)
    with pytest.raises(ArgumentError, match="sparse gradients are not supported; use sparse=False"):
        nn.Embedding(5, 2, sparse=True)(ag.tensor([1]))
    with pytest.raises(ShapeError, match=r"embedding: weight must be a 2-D Tensor .* got shape \(5,\)"):
        F.embedding(ag.tensor([1]), ag.zeros(5))
    with pytest.raises(ShapeError, match=r"Embedding.from_pretrained: embeddings must be 2-D, got shape \(3,\)"):
        nn.Embedding.from_pretrained(np.zeros(3))


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 6),
    st.integers(1, 4),
    st.lists(st.integers(0, 5), min_size=1, max_size=8),
    st.sampled_from([None, 0, 2]),
    st.booleans(),
)
def test_the_gate_gradchecks_and_its_options_scale_the_gradient(rows, dim, indices, padding_idx, by_freq):
    """Without options the gate is GetItem (same values and gradients) and gradchecks; padding_idx
    and scale_grad_by_freq deliberately give a gradient other than the derivative (as PyTorch):
    row i gets Σ_{p: index[p] = i} s[p] g[p], checked here by hand."""
    index = np.array([i % rows for i in indices])
    padding = None if padding_idx is None else padding_idx % rows
    rng = np.random.default_rng(rows)
    w = ag.tensor(rng.normal(size=(rows, dim)), requires_grad=True)
    assert gradcheck(lambda weight: F.embedding(ag.tensor(index), weight), (w,))
    assert gradgradcheck(lambda weight: F.embedding(ag.tensor(index), weight) ** 2, (w,))
    plain = gates.index.Embedding.apply(w, index=index, scale=None)
    composed = gates.shape.GetItem.apply(w, index=index)
    g = rng.normal(size=plain.shape)
    np.testing.assert_array_equal(plain.numpy(), composed.numpy())
    np.testing.assert_array_equal(
        ag.grad((plain * ag.tensor(g)).sum(), w)[0].numpy(), ag.grad((composed * ag.tensor(g)).sum(), w)[0].numpy()
    )
    out = F.embedding(ag.tensor(index), w, padding, scale_grad_by_freq=by_freq)
    scale = 1.0 / np.array([np.sum(index == i) for i in index]) if by_freq else np.ones(len(index))
    if padding is not None:
        scale[index == padding] = 0.0
    expected = np.zeros((rows, dim))
    for p, i in enumerate(index):
        expected[i] += scale[p] * g[p]
    np.testing.assert_allclose(ag.grad((out * ag.tensor(g)).sum(), w)[0].numpy(), expected, rtol=1e-12, atol=1e-15)
