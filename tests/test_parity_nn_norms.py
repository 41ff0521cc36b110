"""LayerNorm, RMSNorm and GroupNorm (modules and functional forms) against PyTorch, float64:
values and the gradients of input, weight and bias; the fused layer-norm gate against the
composition it replaces, gradcheck and gradgradcheck; reprs, state dicts, init; errors."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.errors import ShapeError
from autograd.extend import gates
from tests.parity import check

RNG = np.random.default_rng(17)


@pytest.mark.parametrize("shape, normalized", [((3, 5), (5,)), ((2, 3, 4), (4,)), ((2, 3, 4), (3, 4)), ((6,), (6,))])
@pytest.mark.parametrize("affine", ["both", "weight", "bias", "none"])
def test_layer_norm(shape, normalized, affine):
    x = RNG.normal(size=shape) * 3 + 1
    w, b = RNG.normal(size=normalized), RNG.normal(size=normalized)
    inputs = [x] + ([w] if affine in ("both", "weight") else []) + ([b] if affine in ("both", "bias") else [])

    def fn(m, x, *params):
        weight = params[0] if affine in ("both", "weight") else None
        bias = params[-1] if affine in ("both", "bias") else None
        return m.nn.functional.layer_norm(x, list(normalized), weight, bias, 1e-4)

    check(fn, inputs)


@pytest.mark.parametrize("eps", [None, 1e-3])
@pytest.mark.parametrize("weighted", [False, True])
def test_rms_norm(eps, weighted):
    x, w = RNG.normal(size=(3, 2, 4)), RNG.normal(size=(2, 4))
    check(
        lambda m, x, *w: m.nn.functional.rms_norm(x, [2, 4], w[0] if w else None, eps), [x] + ([w] if weighted else [])
    )


@pytest.mark.parametrize("shape, groups", [((2, 6, 3), 3), ((2, 4, 3, 2), 2), ((3, 4), 4), ((2, 4, 5), 1)])
def test_group_norm(shape, groups):
    x, w, b = RNG.normal(size=shape), RNG.normal(size=shape[1]), RNG.normal(size=shape[1])
    check(lambda m, x, w, b: m.nn.functional.group_norm(x, groups, w, b, 1e-5), [x, w, b])


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.nn.LayerNorm([3, 4]),
        lambda m: m.nn.LayerNorm(4, bias=False, eps=1e-6),
        lambda m: m.nn.LayerNorm(4, elementwise_affine=False),
        lambda m: m.nn.RMSNorm(4),
        lambda m: m.nn.GroupNorm(3, 3),
        lambda m: m.nn.GroupNorm(1, 3, affine=False),
    ],
)
def test_modules_match_pytorch(make):
    ours, theirs = make(ag), make(torch).double()
    ours = ours.double()
    assert repr(ours) == repr(theirs) and list(ours.state_dict()) == list(theirs.state_dict())
    for a, b in zip(ours.state_dict().values(), theirs.state_dict().values()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())  # weight 1, bias 0
    x = RNG.normal(size=(2, 3, 4))
    out_ours, out_theirs = ours(ag.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(out_ours.detach().numpy(), out_theirs.detach().numpy(), rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 2), st.booleans(), st.integers(0, 2**16))
def test_fused_layer_norm_is_the_composition(rows, width, dims, affine, seed):
    rng = np.random.default_rng(seed)
    shape = (rows, 2, width) if dims == 2 else (rows, width)
    x = ag.tensor(rng.normal(size=shape) * 2, requires_grad=True)
    params = [ag.tensor(rng.normal(size=shape[-dims:]), requires_grad=True) for _ in range(2)] if affine else []
    fused = gates.normalization.LayerNorm.apply(x, *params, dims=dims, eps=1e-3)
    composed = gates.normalization.layer_norm_composed(x, *(params or [None, None]), dims, 1e-3)
    np.testing.assert_allclose(fused.numpy(), composed.numpy(), rtol=1e-12, atol=1e-12)
    g = ag.tensor(rng.normal(size=shape))
    for a, b in zip(ag.grad((fused * g).sum(), [x, *params]), ag.grad((composed * g).sum(), [x, *params])):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12)
    assert gradcheck(lambda *t: gates.normalization.LayerNorm.apply(*t, dims=dims, eps=1e-3), (x, *params))
    assert gradgradcheck(lambda *t: gates.normalization.LayerNorm.apply(*t, dims=dims, eps=1e-3), (x, *params))


def test_bad_shapes_are_our_error():
    x = ag.zeros(2, 3, 4)
    with pytest.raises(ShapeError, match=r"layer_norm: normalized_shape \[3\] must be the input's last dims"):
        F.layer_norm(x, [3])
    with pytest.raises(ShapeError, match=r"layer_norm: weight has shape \(3,\), expected normalized_shape \(4,\)"):
        F.layer_norm(x, [4], ag.ones(3))
    with pytest.raises(ShapeError, match=r"GroupNorm: num_channels \(4\) must be divisible by num_groups \(3\)"):
        nn.GroupNorm(3, 4)
    with pytest.raises(ShapeError, match="group_norm: 3 channels cannot be split into 2 groups"):
        F.group_norm(x, 2)
