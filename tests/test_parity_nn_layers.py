"""PyTorch parity of nn's activations and small layers: each module and its functional form against
torch.nn's (tests/parity.py: values, dtypes, shapes, gradients in float64), at the edges where the
gradient changes (0, ±λ, ±3, the clamp bounds), in place as PyTorch does it, with PyTorch's reprs
and state_dict keys; errors are the engine's own types."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.errors import DomainError, GraphError, ShapeError
from tests.parity import check

# edge values of every activation below, and values far out where the naive formulas overflow
EDGES = np.array([-40.0, -6.0, -3.0, -2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 6.0, 7.5, 40.0])
SMOOTH = np.linspace(-4.0, 4.0, 9) + 0.05

# (module name, module kwargs, functional name, functional kwargs)
ACTIVATIONS = [
    ("ReLU", {}, "relu", {}),
    ("LeakyReLU", {"negative_slope": 0.2}, "leaky_relu", {"negative_slope": 0.2}),
    ("ELU", {"alpha": 0.7}, "elu", {"alpha": 0.7}),
    ("GELU", {}, "gelu", {}),
    ("GELU", {"approximate": "tanh"}, "gelu", {"approximate": "tanh"}),
    ("SiLU", {}, "silu", {}),
    ("Mish", {}, "mish", {}),
    ("Hardtanh", {}, "hardtanh", {}),
    ("Hardtanh", {"min_val": -2.0, "max_val": 3.0}, "hardtanh", {"min_val": -2.0, "max_val": 3.0}),
    ("ReLU6", {}, "relu6", {}),
    ("Hardsigmoid", {}, "hardsigmoid", {}),
    ("Hardswish", {}, "hardswish", {}),
    ("SELU", {}, "selu", {}),
    ("CELU", {}, "celu", {}),
    ("CELU", {"alpha": 2.5}, "celu", {"alpha": 2.5}),
    ("LogSigmoid", {}, "logsigmoid", {}),
    ("Softsign", {}, "softsign", {}),
    ("Tanhshrink", {}, "tanhshrink", {}),
    ("Threshold", {"threshold": 0.5, "value": -7.0}, "threshold", {"threshold": 0.5, "value": -7.0}),
    ("Softshrink", {}, "softshrink", {}),
    ("Softshrink", {"lambd": 1.0}, "softshrink", {"lambd": 1.0}),
    ("Hardshrink", {}, "hardshrink", {}),
    ("Hardshrink", {"lambd": 2.0}, "hardshrink", {"lambd": 2.0}),
]
IDS = [f"{m}-{kw}" if kw else m for m, kw, _, _ in ACTIVATIONS]
INPLACE = ["ReLU", "LeakyReLU", "ELU", "SiLU", "Mish", "Hardtanh", "ReLU6", "Hardsigmoid", "Hardswish", "SELU"]
INPLACE += ["CELU", "Threshold"]


@pytest.mark.parametrize(("module", "mkw", "fn", "fkw"), ACTIVATIONS, ids=IDS)
@pytest.mark.parametrize("x", [EDGES, SMOOTH.reshape(3, 3)], ids=["edges", "smooth"])
def test_activation_module_and_function_match_pytorch(module, mkw, fn, fkw, x):
    check(lambda m, t: getattr(m.nn, module)(**mkw)(t), [x])
    check(lambda m, t: getattr(m.nn.functional, fn)(t, **fkw), [x])


@pytest.mark.parametrize(("module", "mkw", "fn", "fkw"), [a for a in ACTIVATIONS if a[0] in INPLACE], ids=str)
def test_inplace_writes_into_the_input_with_pytorchs_values_and_gradients(module, mkw, fn, fkw):
    def run(m, t):
        y = t * 1.0  # a non-leaf, as PyTorch requires for an in-place op in the graph
        out = getattr(m.nn, module)(**mkw, inplace=True)(y)
        assert out is y
        z = t * 1.0
        out = getattr(m.nn.functional, fn)(z, **fkw, inplace=True)
        assert out is z
        return y, z

    check(run, [EDGES])


@pytest.mark.parametrize("fn", ["relu", "silu", "hardtanh", "elu"])
def test_inplace_obeys_the_version_checks(fn):
    leaf = ag.tensor(SMOOTH, requires_grad=True)
    with pytest.raises(GraphError, match="leaf"):
        getattr(F, fn)(leaf, inplace=True)
    y = leaf * 2.0
    saved = y * y  # Mul saved y
    getattr(F, fn)(y, inplace=True)
    with pytest.raises(GraphError, match="modified in place"):
        saved.sum().backward()
    with ag.no_grad():  # outside the graph only the values change
        v = ag.tensor(SMOOTH)
        expected = getattr(F, fn)(v).numpy().copy()
        getattr(F, fn)(v, inplace=True)
        np.testing.assert_array_equal(v.numpy(), expected)


def test_modules_repr_as_pytorch():
    modules = [(m, kw) for m, kw, _, _ in ACTIVATIONS]
    modules += [(m, {**kw, "inplace": True}) for m, kw, _, _ in ACTIVATIONS if m in INPLACE]
    modules += [("Softmin", {"dim": 1}), ("GLU", {}), ("GLU", {"dim": 0}), ("LeakyReLU", {"inplace": True})]
    modules += [("Threshold", {"threshold": 0.1, "value": 20, "inplace": True}), ("ReLU", {})]
    for name, kw in modules:
        assert repr(getattr(nn, name)(**kw)) == repr(getattr(torch.nn, name)(**kw)), (name, kw)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_glu_and_softmin_match_pytorch(dim):
    x = np.linspace(-3, 3, 24).reshape(4, 6)
    check(lambda m, t: m.nn.GLU(dim)(t), [x])
    check(lambda m, t: m.nn.functional.glu(t, dim), [x])
    check(lambda m, t: m.nn.Softmin(dim)(t), [x])
    check(lambda m, t: m.nn.functional.softmin(t, dim), [x])
    check(lambda m, t: m.nn.functional.softmin(t, dim=dim, dtype=m.float32), [x], grad=False)


def test_activation_errors_are_the_engines():
    x = ag.ones(3, 5)
    with pytest.raises(ShapeError, match=r"glu: halving dimension -1 needs an even size, got 5"):
        F.glu(x)
    with pytest.raises(ShapeError, match=r"glu: dim 2 is out of range"):
        nn.GLU(2)(x)
    with pytest.raises(ShapeError, match="glu"):
        F.glu(ag.tensor(1.0))
    with pytest.raises(ag.errors.ArgumentError, match=r"gelu: approximate must be 'none' or 'tanh', got 'erf'"):
        nn.GELU("erf")(x)
    with pytest.raises(DomainError, match="hardtanh: min_val must not exceed max_val"):
        F.hardtanh(x, 2.0, 1.0)
    with pytest.raises(DomainError, match="Hardtanh"):
        nn.Hardtanh(2.0, 1.0)
    with pytest.raises(DomainError, match="softshrink: lambd must be non-negative, got -1"):
        F.softshrink(x, -1)
    with pytest.raises(DomainError, match="celu: alpha must not be 0"):
        F.celu(x, 0.0)


COMPOSED = ["gelu", "silu", "mish", "selu", "celu", "logsigmoid", "softsign", "tanhshrink", "hardswish"]


@settings(max_examples=8, deadline=None)
@given(st.lists(st.floats(-5, 5).filter(lambda v: min(abs(v - 3), abs(v + 3), abs(v)) > 1e-3), min_size=1, max_size=5))
def test_composed_activations_gradcheck_in_float64(values):
    x = ag.tensor(np.array(values), requires_grad=True)
    for name in COMPOSED:
        assert gradcheck(getattr(F, name), (x,)), name
    assert gradcheck(lambda t: F.gelu(t, approximate="tanh"), (x,))
    assert gradgradcheck(F.gelu, (x,))
    assert gradgradcheck(F.mish, (x,))


# ---- small layers ---------------------------------------------------------------------------------
def _rng_array(*shape, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, shape)


@pytest.mark.parametrize(("dim", "size"), [(1, (2, 3)), (1, [3, -1]), (-1, (2, 1, 3)), (0, (2, 2))])
def test_unflatten_matches_pytorch(dim, size):
    x = _rng_array(4, 6)
    check(lambda m, t: m.nn.Unflatten(dim, size)(t), [x])
    assert repr(nn.Unflatten(dim, size)) == repr(torch.nn.Unflatten(dim, size))


def test_unflatten_errors():
    with pytest.raises(ag.errors.ArgumentError, match="Unflatten: unflattened_size must be a tuple or list of ints"):
        nn.Unflatten(1, 6)
    with pytest.raises(ShapeError):
        nn.Unflatten(1, (4, 2))(ag.ones(2, 6))


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("lead", [(5,), (2, 3), ()], ids=str)
def test_bilinear_matches_pytorch_with_copied_weights(bias, lead):
    ours = nn.Bilinear(3, 4, 2, bias=bias, dtype=np.float64)
    theirs = torch.nn.Bilinear(3, 4, 2, bias=bias, dtype=torch.float64)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    ours.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x1, x2 = _rng_array(*lead, 3), _rng_array(*lead, 4, seed=1)
    check(lambda m, a, b: (ours if m is ag else theirs)(a, b), [x1, x2])
    params = [theirs.weight.detach().numpy(), *([theirs.bias.detach().numpy()] if bias else [])]
    check(lambda m, a, b, w, *bb: m.nn.functional.bilinear(a, b, w, *bb), [x1, x2, *params])


def test_bilinear_init_is_pytorchs_uniform_bound():
    ag.manual_seed(0)
    layer = nn.Bilinear(16, 3, 50)
    bound = 1 / np.sqrt(16)
    for p in (layer.weight.numpy(), layer.bias.numpy()):
        assert p.dtype == np.float32 and np.abs(p).max() <= bound and np.abs(p).max() > 0.9 * bound
    assert layer.weight.shape == (50, 16, 3)
    assert abs(layer.weight.numpy().std() - bound / np.sqrt(3)) < 0.02


def test_bilinear_errors():
    layer = nn.Bilinear(3, 4, 2)
    with pytest.raises(ShapeError, match="in1_features=3 and in2_features=4"):
        layer(ag.ones(5, 4), ag.ones(5, 4))
    with pytest.raises(ShapeError, match="same leading dims"):
        layer(ag.ones(5, 3), ag.ones(6, 4))
    with pytest.raises(ShapeError, match=r"weight must be \(out_features, in1_features, in2_features\)"):
        F.bilinear(ag.ones(5, 3), ag.ones(5, 4), ag.ones(3, 4))
    with pytest.raises(ag.errors.DTypeError, match="bilinear: input1 is float64 but weight is float32"):
        layer(ag.ones(5, 3, dtype=np.float64), ag.ones(5, 4, dtype=np.float64))


@pytest.mark.parametrize(
    ("shape1", "shape2", "dim"), [((4, 5), (4, 5), 1), ((3, 4, 5), (1, 4, 5), -1), ((6,), (6,), 0)]
)
def test_cosine_similarity_matches_pytorch(shape1, shape2, dim):
    x1, x2 = _rng_array(*shape1), _rng_array(*shape2, seed=1)
    check(lambda m, a, b: m.nn.CosineSimilarity(dim)(a, b), [x1, x2])
    check(lambda m, a, b: m.nn.functional.cosine_similarity(a, b, dim=dim, eps=1e-3), [x1, x2])
    tiny = np.zeros(shape1)  # a zero vector: the norm is clamped to eps
    tiny[..., 0] = 1e-9
    check(lambda m, a, b: m.nn.functional.cosine_similarity(a, b, dim=dim), [tiny, x2])
    check(lambda m, a, b: m.nn.functional.cosine_similarity(a, b, dim=dim), [np.zeros(shape1), x2])
    assert repr(nn.CosineSimilarity()) == repr(torch.nn.CosineSimilarity())


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("keepdim", [False, True])
def test_pairwise_distance_matches_pytorch(p, keepdim):
    x1, x2 = _rng_array(4, 5), _rng_array(4, 5, seed=1)
    check(lambda m, a, b: m.nn.PairwiseDistance(p, keepdim=keepdim)(a, b), [x1, x2])
    check(lambda m, a, b: m.nn.functional.pairwise_distance(a, b, p, 1e-3, keepdim), [x1, x2[:1]])
    check(lambda m, a, b: m.nn.functional.pairwise_distance(a, b, p), [x1[0], x2[0]])


def test_distance_errors():
    with pytest.raises(ShapeError, match=r"cosine_similarity: x1 of shape \(4, 5\) and x2 of shape \(3, 5\)"):
        F.cosine_similarity(ag.ones(4, 5), ag.ones(3, 5))
    with pytest.raises(ShapeError, match="cosine_similarity: dim 2 is out of range"):
        F.cosine_similarity(ag.ones(4, 5), ag.ones(4, 5), dim=2)
    with pytest.raises(ShapeError, match="pairwise_distance"):
        nn.PairwiseDistance()(ag.ones(4, 5), ag.ones(4, 6))


@pytest.mark.parametrize(("p", "dim"), [(2.0, 1), (1.0, 0), (3.0, -1)])
def test_normalize_matches_pytorch(p, dim):
    x = _rng_array(3, 4)
    x[1] = 0.0  # a zero row: divided by eps
    check(lambda m, t: m.nn.functional.normalize(t, p=p, dim=dim), [x])
    check(lambda m, t: m.nn.functional.normalize(t, p, dim, 1e-3), [x])


def test_one_hot_matches_pytorch():
    labels = np.array([[0, 3, 1], [2, 2, 0]])
    check(lambda m, t: m.nn.functional.one_hot(t), [labels])
    check(lambda m, t: m.nn.functional.one_hot(t, num_classes=6), [labels])
    check(lambda m, t: m.nn.functional.one_hot(t, 3), [np.array(2)])
    check(lambda m, t: m.nn.functional.one_hot(t, 3), [np.zeros(0, dtype=np.int64)])


def test_one_hot_errors():
    with pytest.raises(DomainError, match="one_hot: class values must be non-negative, got -1"):
        F.one_hot(ag.tensor([0, -1]))
    with pytest.raises(ag.errors.IndexOutOfRange, match="smaller than num_classes=3, got 3"):
        F.one_hot(ag.tensor([0, 3]), 3)
    with pytest.raises(DomainError, match="cannot infer the number of classes from an empty tensor"):
        F.one_hot(ag.tensor(np.zeros(0, dtype=np.int64)))
    with pytest.raises(ag.errors.DTypeError, match="one_hot: expected an int64 tensor"):
        F.one_hot(ag.tensor([0.0, 1.0]))


PADS = [
    ("constant", (1, 2), 3, None),
    ("constant", (1, 2, 0, 1), 3, 2.5),
    ("constant", (-1, 2, 1, -1), 3, None),
    ("constant", (1, 1, 1, 1, 1, 1), 3, None),
    ("reflect", (2, 1), 3, None),
    ("reflect", (2, 2, 1, 0), 3, None),
    ("reflect", (1, 1, 2, 2), 4, None),
    ("reflect", (1, 2, 1, 1, 1, 0), 4, None),
    ("replicate", (3, 1), 3, None),
    ("replicate", (2, 0, 3, 1), 4, None),
    ("replicate", (1, 1, 1, 1, 2, 2), 4, None),
    ("circular", (3, 2), 2, None),
    ("circular", (2, 1, 1, 3), 3, None),
    ("circular", (1, 1, 1, 1, 1, 1), 4, None),
]


@pytest.mark.parametrize(("mode", "widths", "ndim", "value"), PADS, ids=str)
def test_pad_matches_pytorch_values_and_gradients(mode, widths, ndim, value):
    x = _rng_array(*(2, 3, 4, 3)[:ndim])
    check(lambda m, t: m.nn.functional.pad(t, widths, mode=mode, value=value), [x])


def test_pad_errors():
    x = ag.ones(1, 2, 3)
    with pytest.raises(
        ShapeError, match=r"reflect padding must be smaller than the dimension it pads: widths \(3, 0\)"
    ):
        F.pad(x, (3, 0), mode="reflect")
    with pytest.raises(ShapeError, match="circular padding cannot wrap around more than once"):
        F.pad(x, (4, 0), mode="circular")
    with pytest.raises(ShapeError, match=r"mode 'replicate' pads the last 1, 2 or 3 dims"):
        F.pad(ag.ones(3), (1, 1), mode="replicate")
    with pytest.raises(ag.errors.ArgumentError, match="mode 'reflect' takes no value argument"):
        F.pad(x, (1, 1), mode="reflect", value=1.0)
    with pytest.raises(ag.errors.ArgumentError, match="mode must be 'constant', 'reflect'"):
        F.pad(x, (1, 1), mode="wrap")
    with pytest.raises(ShapeError, match="expected an even number"):
        F.pad(x, (1, 1, 1))
    with pytest.raises(ShapeError, match=r"crop more than the 3 elements"):
        F.pad(x, (-2, -2))


def test_dropout_signature_and_inplace_as_pytorch():
    import inspect

    ours = list(inspect.signature(F.dropout).parameters)[:4]
    assert ours == list(inspect.signature(torch.nn.functional.dropout).parameters)
    x = ag.tensor(np.ones((200, 50)), requires_grad=True)
    y = x * 1.0
    out = F.dropout(y, 0.3, True, True, generator=np.random.default_rng(0))
    assert out is y
    kept = y.numpy() != 0
    np.testing.assert_allclose(y.numpy()[kept], 1 / 0.7)
    assert abs(kept.mean() - 0.7) < 0.02
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), kept / 0.7)
    assert F.dropout(y, 0.3, training=False, inplace=True) is y
    ours2d = list(inspect.signature(F.dropout2d).parameters)[:4]
    assert ours2d == list(inspect.signature(torch.nn.functional.dropout2d).parameters)
    for name, kw in [("Dropout", {}), ("Dropout", {"p": 0.2, "inplace": True}), ("Dropout2d", {"p": 0.1})]:
        assert repr(getattr(nn, name)(**kw)) == repr(getattr(torch.nn, name)(**kw))
    maps = ag.tensor(np.ones((4, 6, 2, 2)), requires_grad=True)
    z = maps * 1.0
    assert nn.Dropout2d(0.5, inplace=True)(z) is z
    channel = z.numpy()[:, :, 0, 0]
    assert set(np.unique(channel)) <= {0.0, 2.0} and (z.numpy() == channel[:, :, None, None]).all()
    z.sum().backward()
    np.testing.assert_allclose(maps.grad.numpy(), z.numpy())
    with pytest.raises(GraphError, match="leaf"):
        nn.Dropout(0.5, inplace=True)(maps)


def test_gumbel_softmax_is_a_softmax_sample_with_the_categorical_law():
    logits = ag.tensor(np.log([[0.5, 0.3, 0.2]]).repeat(4000, 0), requires_grad=True)
    ag.manual_seed(0)
    soft = F.gumbel_softmax(logits, tau=0.5)
    np.testing.assert_allclose(soft.numpy().sum(-1), 1.0)
    assert (soft.numpy() > 0).all()
    hard = F.gumbel_softmax(logits, hard=True, generator=np.random.default_rng(1))
    h = hard.numpy()
    assert set(np.unique(h)) == {0.0, 1.0} and (h.sum(-1) == 1).all()
    np.testing.assert_allclose(h.mean(0), [0.5, 0.3, 0.2], atol=0.03)  # argmax of logits + Gumbel ~ softmax(logits)
    np.testing.assert_allclose(soft.numpy().argmax(-1).__eq__(0).mean(), 0.5, atol=0.03)


def test_gumbel_softmax_hard_has_the_straight_through_gradient():
    logits = ag.tensor(_rng_array(3, 5), requires_grad=True)
    w = ag.tensor(_rng_array(3, 5, seed=2))
    hard = F.gumbel_softmax(logits, tau=0.7, hard=True, dim=-1, generator=np.random.default_rng(5))
    soft = F.gumbel_softmax(logits, tau=0.7, dim=-1, generator=np.random.default_rng(5))  # the same draws
    np.testing.assert_array_equal(hard.numpy(), np.eye(5)[soft.numpy().argmax(-1)])
    (g_hard,) = ag.grad((hard * w).sum(), [logits])
    (g_soft,) = ag.grad((soft * w).sum(), [logits])
    np.testing.assert_allclose(g_hard.numpy(), g_soft.numpy(), rtol=1e-12)
    assert np.abs(g_hard.numpy()).max() > 0
    on_dim0 = F.gumbel_softmax(logits, hard=True, dim=0, generator=np.random.default_rng(5))
    assert (on_dim0.numpy().sum(0) == 1).all()
    with pytest.raises(DomainError, match="gumbel_softmax: tau must be positive"):
        F.gumbel_softmax(logits, tau=0)


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_new_layer_compositions_gradcheck_in_float64(seed):
    x1, x2 = (ag.tensor(_rng_array(2, 3, seed=seed + i), requires_grad=True) for i in range(2))
    w = ag.tensor(_rng_array(2, 3, 3, seed=seed + 2), requires_grad=True)
    assert gradcheck(lambda a, b, c: F.bilinear(a, b, c), (x1, x2, w))
    assert gradcheck(lambda a, b: F.cosine_similarity(a, b), (x1, x2))
    assert gradcheck(lambda a, b: F.pairwise_distance(a, b, 3.0), (x1, x2))
    assert gradcheck(lambda a: F.normalize(a, dim=0), (x1,))
    v = ag.tensor(_rng_array(1, 2, 4, seed=seed), requires_grad=True)
    for mode in ("reflect", "replicate", "circular"):
        assert gradcheck(lambda a, mode=mode: F.pad(a, (2, 1, 1, 1), mode=mode), (v,)), mode
    assert gradgradcheck(lambda a, b: F.cosine_similarity(a, b), (x1, x2))
