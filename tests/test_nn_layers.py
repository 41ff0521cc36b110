"""Layers: forward values against NumPy, gradients (input and parameters) against central
differences in float64, default initialisations, train/eval behaviour."""

from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck
from autograd.errors import DTypeError, ShapeError
from autograd.testing import arrays, tensors
from layer_checks import check_layer, x64


# ---- Linear -------------------------------------------------------------------------------------
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.booleans())
def test_linear_forward_is_x_wt_plus_b_and_gradchecks(n_in, n_out, batch, bias):
    layer = nn.Linear(n_in, n_out, bias=bias, dtype=np.float64)
    x = x64(batch, n_in)
    expected = x.numpy() @ layer.weight.numpy().T + (layer.bias.numpy() if bias else 0)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)
    assert check_layer(layer, x)


def test_linear_takes_any_leading_dims_and_vectors():
    layer = nn.Linear(3, 2, dtype=np.float64)
    assert layer(x64(4, 5, 3)).shape == (4, 5, 2)
    assert layer(x64(3)).shape == (2,)
    assert check_layer(layer, x64(2, 2, 3))


def test_linear_takes_numpy_arrays_as_constant_inputs():
    layer = nn.Linear(3, 2, dtype=np.float64)
    x = np.linspace(-1, 1, 12).reshape(4, 3)
    out = layer(x)
    out.sum().backward()  # the array is a constant leaf: the parameters still get their gradients
    np.testing.assert_allclose(out.numpy(), x @ layer.weight.numpy().T + layer.bias.numpy())
    np.testing.assert_allclose(layer.weight.grad.numpy(), np.ones((2, 4)) @ x)
    np.testing.assert_allclose(layer.bias.grad.numpy(), [4.0, 4.0])
    w, b = layer.weight.numpy(), layer.bias.numpy()
    np.testing.assert_allclose(F.linear(ag.tensor(x), w, b).numpy(), out.numpy())  # plain arrays as parameters too


@pytest.mark.parametrize("shape", [(3,), (4, 3), (2, 2, 3)], ids=str)
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gate_has_second_derivatives(shape, bias):
    """F.linear is one fused gate whose backward is recorded under create_graph."""
    w, b = x64(2, 3, seed=1), x64(2, seed=2)
    inputs = (x64(*shape), w, b) if bias else (x64(*shape), w)
    assert F.linear(*inputs).grad_fn.name == "Linear"
    assert ag.gradgradcheck(lambda *ts: F.linear(*ts).tanh(), inputs)


def test_linear_rejects_a_weight_or_bias_of_the_wrong_shape():
    with pytest.raises(ShapeError, match=r"linear: the weight must be \(out_features, in_features\), got shape \(3,\)"):
        F.linear(ag.ones(4, 3), ag.ones(3))
    with pytest.raises(ShapeError, match=r"linear: bias must have shape \(2,\) for weight \(2, 3\), got \(4, 2\)"):
        F.linear(ag.ones(4, 3), ag.ones(2, 3), ag.ones(4, 2))


def test_linear_rejects_the_wrong_number_of_features():
    with pytest.raises(ShapeError, match=r"in_features=3"):
        nn.Linear(3, 2)(ag.ones(4, 5))


def test_linear_rejects_an_input_of_another_dtype_as_pytorch_does():
    layer = nn.Linear(3, 2)  # float32
    for dtype in (np.float64, np.int64):
        with pytest.raises(DTypeError, match=rf"linear: input is {np.dtype(dtype)} but weight is float32"):
            layer(ag.tensor(np.ones((4, 3), dtype)))
    with pytest.raises(DTypeError, match="but bias is float64"):
        F.linear(ag.ones(4, 3), ag.ones(2, 3), ag.ones(2, dtype=np.float64))
    assert layer(ag.ones(4, 3)).dtype == np.float32


def test_linear_default_initialisation_is_uniform_within_one_over_sqrt_fan_in():
    ag.manual_seed(0)
    n_in = 50
    layer = nn.Linear(n_in, 400)
    bound = 1 / np.sqrt(n_in)
    w, b = layer.weight.numpy(), layer.bias.numpy()
    assert w.shape == (400, 50) and b.shape == (400,) and w.dtype == np.float32
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound  # fills the whole interval
    np.testing.assert_allclose(w.std(), bound / np.sqrt(3), rtol=0.03)  # std of U(-b, b)
    assert abs(w.mean()) < 0.01 * bound * 3
    np.testing.assert_allclose(b.std(), bound / np.sqrt(3), rtol=0.15)


def test_manual_seed_makes_initialisation_reproducible():
    ag.manual_seed(42)
    a = nn.MLP(4, [5, 3])
    ag.manual_seed(42)
    b = nn.MLP(4, [5, 3])
    for (_, pa), (_, pb) in zip(a.named_parameters(), b.named_parameters()):
        np.testing.assert_array_equal(pa.numpy(), pb.numpy())


def test_layer_dtype_must_be_floating_point():
    with pytest.raises(DTypeError, match="floating-point"):
        nn.Linear(2, 2, dtype=np.int64)


# ---- Identity, Flatten ----------------------------------------------------------------------------
def test_identity_returns_its_input():
    x = ag.ones(2, 3)
    assert nn.Identity()(x) is x


@pytest.mark.parametrize(
    "start, end, shape", [(1, -1, (2, 60)), (0, -1, (120,)), (1, 2, (2, 12, 5)), (-2, -1, (2, 3, 20))]
)
def test_flatten_merges_the_given_dims_and_gradchecks(start, end, shape):
    x = x64(2, 3, 4, 5)
    layer = nn.Flatten(start, end)
    out = layer(x)
    assert out.shape == shape
    np.testing.assert_array_equal(out.numpy().ravel(), x.numpy().ravel())
    assert gradcheck(layer, x64(2, 3, 1, 2))


# ---- Dropout ------------------------------------------------------------------------------------
def test_dropout_zeroes_a_fraction_p_and_scales_the_rest_by_one_over_keep():
    ag.manual_seed(0)
    p = 0.3
    x = ag.ones(200, 500)
    out = nn.Dropout(p)(x).numpy()
    dropped = out == 0
    assert abs(dropped.mean() - p) < 0.01
    np.testing.assert_allclose(out[~dropped], 1 / (1 - p), rtol=1e-6)


def test_dropout_is_the_identity_in_eval_mode_and_for_p_zero():
    x = x64(3, 4)
    layer = nn.Dropout(0.5).eval()
    np.testing.assert_array_equal(layer(x).numpy(), x.numpy())
    np.testing.assert_array_equal(nn.Dropout(0.0)(x).numpy(), x.numpy())
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).numpy(), np.zeros((3, 4)))


def test_dropout_is_reproducible_under_manual_seed():
    x = ag.ones(10, 10)
    ag.manual_seed(7)
    a = nn.Dropout(0.5)(x).numpy()
    ag.manual_seed(7)
    b = nn.Dropout(0.5)(x).numpy()
    c = nn.Dropout(0.5)(x).numpy()
    np.testing.assert_array_equal(a, b)
    assert np.any(b != c)


def test_dropout_gradient_is_the_mask_scaled():
    x = x64(4, 5)
    assert gradcheck(lambda t: F.dropout(t, 0.4, True, generator=np.random.default_rng(3)), x)
    out = F.dropout(x, 0.4, True, generator=np.random.default_rng(3))
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), (out.numpy() != 0) / 0.6)


def test_dropout_rejects_probabilities_outside_zero_one():
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\]"):
        F.dropout(ag.ones(2), -0.1)


# ---- BatchNorm1d ----------------------------------------------------------------------------------
def numpy_batch_norm(x, mean, var, weight, bias, eps=1e-5):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * weight.reshape(shape) + bias.reshape(shape)


@pytest.mark.parametrize("shape, axes", [((6, 3), (0,)), ((4, 3, 5), (0, 2))])
def test_batchnorm_training_normalises_with_batch_statistics_and_updates_running_ones(shape, axes):
    bn = nn.BatchNorm1d(3, momentum=0.2, dtype=np.float64)
    bn.weight.numpy()[...] = [1.0, 2.0, 0.5]
    bn.bias.numpy()[...] = [0.0, -1.0, 3.0]
    rng = np.random.default_rng(0)
    running_mean, running_var = np.zeros(3), np.ones(3)
    for step in range(1, 3):
        x = rng.standard_normal(shape) * 3 + 2
        mean, biased, unbiased = x.mean(axes), x.var(axes), x.var(axes, ddof=1)
        out = bn(ag.Tensor(x)).numpy()
        np.testing.assert_allclose(
            out, numpy_batch_norm(x, mean, biased, bn.weight.numpy(), bn.bias.numpy()), rtol=1e-10
        )
        running_mean = 0.8 * running_mean + 0.2 * mean
        running_var = 0.8 * running_var + 0.2 * unbiased
        np.testing.assert_allclose(bn.running_mean.numpy(), running_mean, rtol=1e-12)
        np.testing.assert_allclose(bn.running_var.numpy(), running_var, rtol=1e-12)
        assert bn.num_batches_tracked.item() == step
    bn.eval()
    x = rng.standard_normal(shape)
    expected = numpy_batch_norm(x, running_mean, running_var, bn.weight.numpy(), bn.bias.numpy())
    np.testing.assert_allclose(bn(ag.Tensor(x)).numpy(), expected, rtol=1e-10)
    assert bn.num_batches_tracked.item() == 2  # eval does not count batches


def test_batchnorm_with_momentum_none_keeps_the_cumulative_average():
    bn = nn.BatchNorm1d(2, momentum=None, dtype=np.float64)
    rng = np.random.default_rng(1)
    batches = [rng.standard_normal((5, 2)) + i for i in range(3)]
    for x in batches:
        bn(ag.Tensor(x))
    np.testing.assert_allclose(bn.running_mean.numpy(), np.mean([b.mean(0) for b in batches], axis=0), rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), np.mean([b.var(0, ddof=1) for b in batches], axis=0), rtol=1e-12)


def test_batchnorm_without_tracking_or_affine_has_no_state_and_uses_batch_statistics_in_eval():
    bn = nn.BatchNorm1d(2, affine=False, track_running_stats=False, dtype=np.float64).eval()
    assert bn.state_dict() == {} and list(bn.parameters()) == []
    x = np.random.default_rng(2).standard_normal((6, 2))
    expected = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    np.testing.assert_allclose(bn(ag.Tensor(x)).numpy(), expected, rtol=1e-10)


@pytest.mark.parametrize("shape", [(5, 3), (3, 3, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradchecks_in_training_and_eval(shape, training):
    bn = nn.BatchNorm1d(3, dtype=np.float64)
    bn.weight.numpy()[...] = [1.5, -0.5, 2.0]
    bn.running_var.numpy()[...] = [0.5, 2.0, 1.0]
    bn.train(training)
    assert check_layer(bn, x64(*shape, scale=2.0))


def test_batchnorm_input_errors_are_clear():
    bn = nn.BatchNorm1d(3)
    with pytest.raises(ShapeError, match="expected 2-d or 3-d input"):
        bn(ag.ones(2, 3, 4, 5))
    with pytest.raises(ShapeError, match="has 4 channels"):
        bn(ag.ones(2, 4))
    with pytest.raises(ShapeError, match="more than 1 value per channel"):
        bn(ag.ones(1, 3))


# ---- activations --------------------------------------------------------------------------------
def np_softmax(x, dim):
    e = np.exp(x - x.max(dim, keepdims=True))
    return e / e.sum(dim, keepdims=True)


ACTIVATIONS = [
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.LeakyReLU(), lambda x: np.where(x > 0, x, 0.01 * x)),
    (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    (nn.ELU(), lambda x: np.where(x > 0, x, np.exp(np.minimum(x, 0)) - 1)),
    (nn.ELU(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(np.minimum(x, 0)) - 1))),
    (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (nn.Tanh(), np.tanh),
    (nn.Softplus(), lambda x: np.log1p(np.exp(x))),
    (nn.Softplus(beta=2.0, threshold=3.0), lambda x: np.where(2 * x > 3, x, np.log1p(np.exp(2 * x)) / 2)),
    (nn.Softmax(dim=1), lambda x: np_softmax(x, 1)),
    (nn.Softmax(dim=0), lambda x: np_softmax(x, 0)),
    (nn.LogSoftmax(dim=1), lambda x: np.log(np_softmax(x, 1))),
]


@pytest.mark.parametrize("module, reference", ACTIVATIONS, ids=lambda v: repr(v) if isinstance(v, nn.Module) else "")
@given(x=tensors((3, 4), away_from=[0.0, 1.5], margin=1e-3))
def test_activation_modules_match_numpy_and_gradcheck(module, reference, x):
    np.testing.assert_allclose(module(x).numpy(), reference(x.numpy()), rtol=1e-10, atol=1e-12)
    assert gradcheck(module, x)


@given(x=arrays((2, 3, 2), away_from=[0.0], margin=1e-3), per_channel=st.booleans())
def test_prelu_matches_numpy_and_gradchecks_input_and_slopes(x, per_channel):
    layer = nn.PReLU(3 if per_channel else 1, dtype=np.float64)
    assert layer.weight.numpy().tolist() == [0.25] * (3 if per_channel else 1)
    layer.weight.numpy()[...] = np.array([0.1, -0.5, 2.0])[: layer.weight.numel()]
    slopes = layer.weight.numpy().reshape(1, -1, 1)
    np.testing.assert_allclose(layer(ag.Tensor(x)).numpy(), np.where(x > 0, x, slopes * x), rtol=1e-12)
    assert check_layer(layer, ag.Tensor(x, requires_grad=True))


def test_activations_are_finite_at_extreme_inputs():
    x = ag.tensor([[-1000.0, 0.5, 1000.0]], requires_grad=True)
    for module, _ in ACTIVATIONS + [(nn.PReLU(), None)]:
        out = module(x)
        assert np.all(np.isfinite(out.numpy())), module
        out.sum().backward()
        assert np.all(np.isfinite(x.grad.numpy())), module
        x.grad = None


# ---- Sequential and MLP ---------------------------------------------------------------------------
def test_sequential_indexing_length_iteration_and_append():
    a, b, c = nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)
    seq = nn.Sequential(a, b)
    assert len(seq) == 2 and seq[0] is a and seq[-1] is b and list(seq) == [a, b]
    assert seq.append(c) is seq and seq[2] is c and len(seq) == 3
    head = seq[1:]
    assert isinstance(head, nn.Sequential) and list(head) == [b, c]
    assert [n for n, _ in head.named_children()] == ["1", "2"]
    seq[1] = nn.Tanh()
    assert [type(m).__name__ for m in seq] == ["Linear", "Tanh", "Linear"]
    with pytest.raises(IndexError, match="out of range for 3 modules"):
        seq[3]


def test_sequential_applies_its_modules_in_order():
    seq = nn.Sequential(nn.Linear(3, 4, dtype=np.float64), nn.Tanh(), nn.Linear(4, 2, dtype=np.float64))
    x = x64(5, 3)
    hidden = np.tanh(x.numpy() @ seq[0].weight.numpy().T + seq[0].bias.numpy())
    np.testing.assert_allclose(seq(x).numpy(), hidden @ seq[2].weight.numpy().T + seq[2].bias.numpy(), rtol=1e-12)
    assert check_layer(seq, x)


def test_sequential_takes_named_modules_from_an_ordered_dict():
    seq = nn.Sequential(OrderedDict([("fc", nn.Linear(2, 2)), ("act", nn.ReLU())]))
    assert [n for n, _ in seq.named_children()] == ["fc", "act"]
    assert list(seq.state_dict()) == ["fc.weight", "fc.bias"]


def test_mlp_layout_has_no_activation_after_the_last_layer():
    mlp = nn.MLP(3, [4, 5, 2])
    assert [type(m).__name__ for m in mlp] == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert [(m.in_features, m.out_features) for m in mlp if isinstance(m, nn.Linear)] == [(3, 4), (4, 5), (5, 2)]
    with_dropout = nn.MLP(3, [4, 2], activation=lambda: nn.LeakyReLU(0.2), dropout=0.1)
    assert [type(m).__name__ for m in with_dropout] == ["Linear", "LeakyReLU", "Dropout", "Linear"]
    assert with_dropout[1].negative_slope == 0.2
    linear_only = nn.MLP(3, [4, 2], activation=None)
    assert [type(m).__name__ for m in linear_only] == ["Linear", "Linear"]
    assert mlp[1] is not mlp[3]  # a fresh activation per layer
    with pytest.raises(ValueError, match="at least one entry"):
        nn.MLP(3, [])
    with pytest.raises(TypeError, match="not an instance"):
        nn.MLP(3, [4, 2], activation=nn.ReLU())
    for name, suggestion in (("tanh", "nn.Tanh"), ("leaky_relu", "nn.LeakyReLU"), ("swish", "nn.ReLU")):
        with pytest.raises(
            TypeError, match=rf"activation must be a Module class .*\(e.g. {suggestion}\), not '{name}'"
        ):
            nn.MLP(3, [4, 2], activation=name)


def test_mlp_in_float64_gradchecks():
    mlp = nn.MLP(3, [4, 2], activation=nn.Tanh, dtype=np.float64)
    assert check_layer(mlp, x64(3, 3))
