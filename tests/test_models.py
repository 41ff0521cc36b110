"""nn.models: LeNet5, SmallVGG and the notes' Keras-style MNIST network. Parameter counts worked
out by hand, PyTorch's positional state-dict keys and shapes, output shapes, and gradients of a
small VGG (conv → batch norm → ReLU → pool → global average pool → linear) against central
differences."""

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import gradcheck
from nn.models import KerasMNIST, LeNet5, SmallVGG, vgg_block


def shapes(model):
    return [(k, v.shape) for k, v in model.state_dict().items()]


def test_lenet5_counts_61706_parameters_and_maps_28x28_digits_to_ten_scores():
    net = LeNet5()
    # conv 6·(1·5·5) + 6, conv 16·(6·5·5) + 16, 400·120 + 120, 120·84 + 84, 84·10 + 10
    assert net.count_parameters() == 156 + 2416 + 48120 + 10164 + 850 == 61706
    assert net(ag.randn(3, 1, 28, 28)).shape == (3, 10)  # 28 → 28 → 14 → 10 → 5 (×16 channels)
    assert shapes(net) == [
        ("0.weight", (6, 1, 5, 5)),
        ("0.bias", (6,)),
        ("3.weight", (16, 6, 5, 5)),
        ("3.bias", (16,)),
        ("7.weight", (120, 400)),
        ("7.bias", (120,)),
        ("9.weight", (84, 120)),
        ("9.bias", (84,)),
        ("11.weight", (10, 84)),
        ("11.bias", (10,)),
    ]
    assert LeNet5(in_channels=3, num_classes=7)(ag.randn(1, 3, 28, 28)).shape == (1, 7)


def test_lenet5_names_the_layer_when_the_image_size_is_wrong():
    with pytest.raises(ValueError, match=r"linear: input of shape \(2, 576\).*in_features=400"):
        LeNet5()(ag.randn(2, 1, 32, 32))  # 32 → 6×6 maps: 576 features, not 400


def test_keras_style_mnist_net_counts_38186_parameters_and_maps_digits_to_ten_scores():
    net = KerasMNIST()
    # 32·(1·4·4) + 32 + 64·(32·4·4) + 64 + 64·64 + 64 + 10·64 + 10
    assert net.count_parameters() == 544 + 32832 + 4160 + 650 == 38186
    assert net(ag.randn(2, 1, 28, 28)).shape == (2, 10)  # 28 → 25 → 8 → 5 → 1 (×64 channels)
    assert shapes(net) == [
        ("0.weight", (32, 1, 4, 4)),
        ("0.bias", (32,)),
        ("3.weight", (64, 32, 4, 4)),
        ("3.bias", (64,)),
        ("7.weight", (64, 64)),
        ("7.bias", (64,)),
        ("9.weight", (10, 64)),
        ("9.bias", (10,)),
    ]


def test_small_vgg_blocks_halve_the_size_and_pool_globally():
    net = SmallVGG()
    types = [type(m).__name__ for m in net]
    block = ["Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d"]
    assert types == [*block, *block, "AdaptiveAvgPool2d", "Flatten", "Linear"]
    assert net[0].bias is None and net[0].kernel_size == (3, 3) and net[0].padding == (1, 1)
    # convs 32·9 + 32·32·9 + 64·32·9 + 64·64·9, batch norms 2·(32 + 32 + 64 + 64), linear 64·10 + 10
    assert net.count_parameters() == 288 + 9216 + 18432 + 36864 + 384 + 650
    for size in (16, 8, 28):  # global average pooling: any size of at least 4
        assert net(ag.randn(2, 1, size, size)).shape == (2, 10)
    state = net.state_dict()
    assert state["1.running_var"].shape == (32,) and state["16.weight"].shape == (10, 64)
    with pytest.raises(ValueError, match="widths"):
        SmallVGG(widths=())


def test_vgg_block_gradients_match_central_differences_in_training_mode():
    ag.manual_seed(0)
    net = nn.Sequential(*vgg_block(2, 3, convs=1, dtype=np.float64), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    x = ag.Tensor(np.random.default_rng(1).standard_normal((3, 2, 4, 4)), requires_grad=True)
    params = list(net.parameters())
    assert [p.shape for p in params] == [(3, 2, 3, 3), (3,), (3,)] and net.training
    assert gradcheck(lambda inp, *_: net(inp) * ag.tensor([1.0, -2.0, 0.5], dtype=np.float64), (x, *params))


def test_model_state_dicts_round_trip_through_npz(tmp_path):
    for model_class in (LeNet5, SmallVGG, KerasMNIST):
        ag.manual_seed(1)
        a = model_class()
        size = model_class.image_size
        a(ag.randn(4, 1, size, size))  # training mode: moves SmallVGG's running statistics off their start
        ag.manual_seed(2)
        b = model_class()
        nn.save(a.state_dict(), tmp_path / "m.npz")
        b.load_state_dict(nn.load(tmp_path / "m.npz"))
        a.eval(), b.eval()
        for key, value in a.state_dict().items():  # parameters and buffers alike
            np.testing.assert_array_equal(b.state_dict()[key], value)
        x = ag.randn(2, 1, size, size)
        np.testing.assert_array_equal(a(x).numpy(), b(x).numpy())
