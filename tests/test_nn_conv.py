"""Image layers: Conv2d, the pools, BatchNorm2d and Dropout2d. Forward values against nested loops
and NumPy, gradients (input and parameters) against central differences in float64, PyTorch's
initialisations, reprs and state-dict keys."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck
from autograd.errors import DomainError, ShapeError
from conv_reference import adaptive_reference, conv_reference, pool_reference
from layer_checks import check_layer, x64


# ---- Conv2d ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "c_in, c_out, kernel, kw",
    [
        (2, 3, 3, {}),
        (2, 2, (2, 3), {"stride": 2, "padding": (1, 0), "bias": False}),
        (4, 2, 2, {"groups": 2, "dilation": (2, 1), "padding": 1}),
    ],
)
def test_conv2d_layer_matches_nested_loops_and_gradchecks(c_in, c_out, kernel, kw):
    layer = nn.Conv2d(c_in, c_out, kernel, dtype=np.float64, **kw)
    x = x64(2, c_in, 5, 6)
    bias = None if layer.bias is None else layer.bias.numpy()
    expected = conv_reference(
        x.numpy(), layer.weight.numpy(), bias, layer.stride, layer.padding, layer.dilation, layer.groups
    )
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-10, atol=1e-12)
    assert check_layer(layer, x)


def test_conv2d_attributes_and_parameter_shapes_are_pytorchs():
    layer = nn.Conv2d(6, 4, (3, 5), stride=2, groups=2)
    assert (layer.kernel_size, layer.stride, layer.padding, layer.dilation) == ((3, 5), (2, 2), (0, 0), (1, 1))
    assert layer.weight.shape == (4, 3, 3, 5) and layer.bias.shape == (4,)
    assert layer.weight.dtype == np.float32
    assert [k for k in layer.state_dict()] == ["weight", "bias"]
    assert list(nn.Conv2d(1, 2, 3, bias=False).state_dict()) == ["weight"]


@pytest.mark.parametrize("c_in, groups, kernel", [(8, 1, 5), (8, 4, 3)])
def test_conv2d_default_initialisation_is_uniform_within_one_over_sqrt_fan_in(c_in, groups, kernel):
    ag.manual_seed(0)
    layer = nn.Conv2d(c_in, 400, kernel, groups=groups)
    bound = 1 / np.sqrt(c_in // groups * kernel * kernel)  # fan_in = C_in/groups · kH · kW
    w, b = layer.weight.numpy(), layer.bias.numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > 0.99 * bound
    np.testing.assert_allclose(w.std(), bound / np.sqrt(3), rtol=0.03)  # std of U(-b, b)
    np.testing.assert_allclose(b.std(), bound / np.sqrt(3), rtol=0.15)


def test_conv2d_initialisation_is_reproducible_under_manual_seed():
    ag.manual_seed(3)
    a = nn.Conv2d(2, 3, 3)
    ag.manual_seed(3)
    b = nn.Conv2d(2, 3, 3)
    np.testing.assert_array_equal(a.weight.numpy(), b.weight.numpy())
    np.testing.assert_array_equal(a.bias.numpy(), b.bias.numpy())


def test_conv2d_constructor_errors():
    with pytest.raises(ValueError, match="groups=2 must be positive and divide in_channels=3"):
        nn.Conv2d(3, 4, 3, groups=2)
    with pytest.raises(ShapeError, match="Conv2d: kernel_size must be an int or a pair of ints, each at least 1"):
        nn.Conv2d(3, 4, 0)
    with pytest.raises(ShapeError, match=r"input \(1, 2, 5, 5\) has 2 channels but weight \(4, 3, 3, 3\) expects 3"):
        nn.Conv2d(3, 4, 3)(ag.zeros(1, 2, 5, 5))


def test_reprs_read_like_pytorchs():
    assert repr(nn.Conv2d(1, 32, 4)) == "Conv2d(1, 32, kernel_size=(4, 4), stride=(1, 1))"
    assert (
        repr(nn.Conv2d(4, 8, 3, padding=1, dilation=2, groups=2, bias=False))
        == "Conv2d(4, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(2, 2), groups=2, bias=False)"
    )
    assert repr(nn.MaxPool2d(3)) == "MaxPool2d(kernel_size=3, stride=3, padding=0)"
    assert repr(nn.AvgPool2d(2, 1, 1)) == "AvgPool2d(kernel_size=2, stride=1, padding=1)"
    assert repr(nn.AdaptiveAvgPool2d((1, None))) == "AdaptiveAvgPool2d(output_size=(1, None))"
    assert repr(nn.Dropout2d(0.2)) == "Dropout2d(p=0.2, inplace=False)"


# ---- pools ----------------------------------------------------------------------------------------------
def test_max_pool_layer_strides_by_its_kernel_and_routes_to_the_maximum():
    x = ag.Tensor(np.random.default_rng(1).permutation(2 * 3 * 7 * 6).reshape(2, 3, 7, 6) * 0.1, requires_grad=True)
    layer = nn.MaxPool2d(3, padding=1)
    assert layer.stride == 3
    expected = pool_reference(x.numpy(), (3, 3), (3, 3), (1, 1), np.max, -np.inf)
    np.testing.assert_array_equal(layer(x).numpy(), expected)
    assert gradcheck(layer, x)


def test_avg_pool_layer_matches_reference_and_gradchecks():
    x = x64(2, 2, 5, 7)
    layer = nn.AvgPool2d((2, 3), stride=(1, 2), padding=(1, 0))
    expected = pool_reference(x.numpy(), (2, 3), (1, 2), (1, 0), np.mean, 0.0)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12)
    assert gradcheck(layer, x)


@pytest.mark.parametrize("size, out", [(1, (1, 1)), ((3, 2), (3, 2)), ((None, 4), (5, 4))])
def test_adaptive_avg_pool_layer_matches_reference_and_gradchecks(size, out):
    x = x64(2, 3, 5, 7)
    result = nn.AdaptiveAvgPool2d(size)(x)
    np.testing.assert_allclose(result.numpy(), adaptive_reference(x.numpy(), out), rtol=1e-12)
    assert gradcheck(nn.AdaptiveAvgPool2d(size), x)


# ---- BatchNorm2d --------------------------------------------------------------------------------------------
def test_batchnorm2d_normalises_each_channel_over_batch_and_positions():
    bn = nn.BatchNorm2d(3, momentum=0.5, dtype=np.float64)
    bn.weight.numpy()[...] = [1.0, 2.0, -1.0]
    bn.bias.numpy()[...] = [0.5, 0.0, 1.0]
    x = np.random.default_rng(2).standard_normal((4, 3, 5, 2)) * 2 + 1
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    channel = (1, 3, 1, 1)
    expected = (x - mean.reshape(channel)) / np.sqrt(var.reshape(channel) + 1e-5) * bn.weight.numpy().reshape(
        channel
    ) + bn.bias.numpy().reshape(channel)
    np.testing.assert_allclose(bn(ag.Tensor(x)).numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(bn.running_mean.numpy(), 0.5 * mean, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var.numpy(), 0.5 + 0.5 * x.var(axis=(0, 2, 3), ddof=1), rtol=1e-12)
    bn.eval()
    running = (x - bn.running_mean.numpy().reshape(channel)) / np.sqrt(bn.running_var.numpy().reshape(channel) + 1e-5)
    np.testing.assert_allclose(
        bn(ag.Tensor(x)).numpy(),
        running * bn.weight.numpy().reshape(channel) + bn.bias.numpy().reshape(channel),
        rtol=1e-10,
    )


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm2d_gradchecks_in_training_and_eval(training):
    bn = nn.BatchNorm2d(2, dtype=np.float64)
    bn.weight.numpy()[...] = [1.5, -0.5]
    bn.running_var.numpy()[...] = [0.5, 2.0]
    bn.train(training)
    assert check_layer(bn, x64(3, 2, 2, 3, scale=2.0))


def test_batchnorm2d_takes_only_images_and_keeps_pytorchs_state_dict_keys():
    with pytest.raises(ShapeError, match=r"BatchNorm2d: expected 4-d input, got shape \(4, 3\)"):
        nn.BatchNorm2d(3)(ag.zeros(4, 3))
    assert [(k, v.shape) for k, v in nn.BatchNorm2d(5).state_dict().items()] == [
        ("weight", (5,)),
        ("bias", (5,)),
        ("running_mean", (5,)),
        ("running_var", (5,)),
        ("num_batches_tracked", ()),
    ]


# ---- Dropout2d ----------------------------------------------------------------------------------------------
def test_dropout2d_zeroes_whole_channels_with_probability_p_and_scales_the_rest():
    ag.manual_seed(0)
    p = 0.3
    out = nn.Dropout2d(p)(ag.ones(100, 50, 3, 4)).numpy()
    per_channel = out.reshape(100, 50, -1)
    dropped = (per_channel == 0).all(axis=2)
    kept = (per_channel == np.float32(1 / (1 - p))).all(axis=2)
    assert np.all(dropped | kept)  # a channel is zeroed or kept as a whole
    assert abs(dropped.mean() - p) < 0.02


def test_dropout2d_is_the_identity_in_eval_mode_and_gradient_is_the_scaled_mask():
    x = x64(2, 3, 2, 2)
    np.testing.assert_array_equal(nn.Dropout2d(0.5).eval()(x).numpy(), x.numpy())

    def drop(t):
        return F.dropout2d(t, 0.4, True, generator=np.random.default_rng(5))

    assert gradcheck(drop, x)
    out = drop(x)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), (out.numpy() != 0) / 0.6)


def test_dropout2d_errors():
    with pytest.raises(ShapeError, match=r"dropout2d: expected a 4-d input \(N, C, H, W\), got shape \(3, 4\)"):
        F.dropout2d(ag.ones(3, 4))
    with pytest.raises(DomainError, match=r"Dropout2d: probability p must be in \[0, 1\], got 2"):
        nn.Dropout2d(2)


# ---- state dicts -----------------------------------------------------------------------------------------------
def test_state_dict_round_trip_restores_a_conv_net_with_batchnorm():
    def vgg_block():
        return nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Dropout2d(0.25),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(4, 3),
        )

    ag.manual_seed(1)
    source = vgg_block()
    source(ag.randn(6, 1, 8, 8))  # move the running statistics
    assert list(source.state_dict()) == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
        "7.weight",
        "7.bias",
    ]
    target = vgg_block()
    weight = target[0].weight
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target[0].weight is weight
    source.eval(), target.eval()
    x = ag.randn(3, 1, 8, 8)
    np.testing.assert_array_equal(target(x).numpy(), source(x).numpy())
