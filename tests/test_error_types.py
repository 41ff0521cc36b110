"""Bad input gets the exact `AutogradError` subclass that fits it (not merely its builtin base),
with a message naming the call, the values or shapes, and what was expected: one representative
case per module that raises them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest

import autograd as ag
import nn
from autograd import Scalar, Tensor
from autograd.errors import ArgumentError, AutogradError, DomainError, DTypeError, ShapeError
from nn.data.dataset import TensorDataset, random_split
from nn.data.datasets import digits_splits
from nn.data.transforms import RandomCrop, Standardize, one_hot, resize
from nn.training import evaluate


@contextmanager
def exactly(error: type[AutogradError], match: str) -> Iterator[pytest.ExceptionInfo]:
    """`pytest.raises(error, match=match)` that also refuses a subclass: the type must be `error`."""
    with pytest.raises(error, match=match) as info:
        yield info
    assert type(info.value) is error, f"expected {error.__name__}, got {type(info.value).__name__}"


def leaf(values):
    return ag.tensor(values, dtype=ag.float64, requires_grad=True)


# ---- autograd -------------------------------------------------------------------------------------


def test_grad_counts_outputs_against_grad_outputs():
    x = leaf([1.0, 2.0])
    with exactly(ShapeError, r"grad: 1 outputs but 2 grad_outputs; expected one gradient per output"):
        ag.grad(x * 2, x, grad_outputs=[ag.ones(2), ag.ones(2)])


def test_grad_create_graph_takes_tensors_only():
    a = Scalar(2.0)
    with exactly(ArgumentError, r"grad: create_graph=True records the backward pass for Tensors only"):
        ag.grad(a * a, a, create_graph=True)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(rankdir="sideways"), r"draw: rankdir must be one of .*got 'sideways'"),
        (dict(max_nodes=2), r"draw: max_nodes must be at least 3 .*got 2"),
        (dict(precision=-1), r"draw: precision must be a non-negative integer, got -1"),
        (dict(number_format="q"), r"draw: number_format must be one of .*got 'q'"),
    ],
)
def test_draw_options_outside_their_domain(kwargs, match):
    x = leaf([1.0])
    with exactly(DomainError, match):
        ag.draw(x * 2, **kwargs)


def test_no_grad_with_an_argument_that_is_not_a_function():
    with exactly(ArgumentError, r"no_grad\(\) takes no arguments; as a decorator it wraps a function, not 3"):
        ag.no_grad(3)


def test_gradcheck_needs_an_input_that_requires_grad():
    with exactly(DomainError, r"gradcheck: no input requires grad; expected at least one input"):
        ag.gradcheck(Tensor.exp, ag.tensor([1.0], dtype=ag.float64))


def test_gradgradcheck_takes_tensors_only():
    with exactly(ArgumentError, r"gradgradcheck: .*Tensors only; got inputs of type \['Tensor', 'float'\]"):
        ag.gradgradcheck(lambda a, b: a * b, (leaf([1.0]), 2.0))


def test_trace_backward_needs_a_root_that_requires_grad():
    with exactly(DomainError, r"trace_backward: the root does not require grad"):
        ag.trace_backward(ag.tensor(1.0))


def test_conv2d_gate_groups_must_divide_the_channels():
    x = ag.zeros(1, 3, 5, 5)
    w = ag.zeros(4, 1, 3, 3)
    with exactly(ShapeError, r"conv2d: groups=2 must divide both C_in=3 and C_out=4"):
        ag.conv2d(x, w, groups=2)
    with exactly(ShapeError, r"conv2d: groups must be a positive int, got 0"):
        ag.conv2d(x, w, groups=0)


# ---- nn -------------------------------------------------------------------------------------------


def test_conv2d_layer_groups_must_divide_the_channels():
    with exactly(ShapeError, r"Conv2d: groups=2 must be positive and divide in_channels=3 and out_channels=4"):
        nn.Conv2d(3, 4, 3, groups=2)
    with exactly(ShapeError, r"Conv2d: groups=0 must be positive"):
        nn.Conv2d(3, 4, 3, groups=0)


def test_mlp_arguments():
    with exactly(DomainError, r"MLP: layer_sizes needs at least one entry \(the output size\), got \[\]"):
        nn.MLP(4, [])
    with exactly(ArgumentError, r"MLP: pass the activation's class or a factory .*not an instance"):
        nn.MLP(4, [3, 2], activation=nn.ReLU())


def test_init_arguments():
    with exactly(DomainError, r"calculate_gain: unsupported nonlinearity 'swish'; expected one of"):
        nn.init.calculate_gain("swish")
    with exactly(ArgumentError, r"calculate_gain: the leaky_relu slope must be a number, got '0.1'"):
        nn.init.calculate_gain("leaky_relu", "0.1")
    with exactly(DomainError, r"kaiming_normal_: mode must be 'fan_in' or 'fan_out', got 'fan_avg'"):
        nn.init.kaiming_normal_(ag.zeros(3, 2), mode="fan_avg")


def test_lr_scheduler_needs_an_optimizer():
    with exactly(ArgumentError, r"StepLR: expected an Optimizer, got list"):
        nn.optim.lr_scheduler.StepLR([nn.Parameter(ag.zeros(2))], step_size=1)


def test_save_arguments(tmp_path):
    with exactly(DTypeError, r"save: 'a' is an array of Python objects; only numeric, bool and string"):
        nn.save({"a": np.array([object(), 1], dtype=object)}, tmp_path / "x.npz")
    with exactly(ArgumentError, r"save: key \(1, 2\) at .* is a tuple; keys must be str or int"):
        nn.save({"a": {(1, 2): 3}}, tmp_path / "x.npz")
    with exactly(ArgumentError, r"save: cannot store set at .*; expected arrays, tensors"):
        nn.save({"a": {1, 2}}, tmp_path / "x.npz")
    with exactly(ArgumentError, r"save: expected a path \(str or os.PathLike\), got int"):
        nn.save([np.zeros(2)], 3)
    assert not (tmp_path / "x.npz").exists()


# ---- nn.data --------------------------------------------------------------------------------------


def test_tensor_dataset_shapes():
    with exactly(ShapeError, r"TensorDataset: needs at least one array"):
        TensorDataset()
    with exactly(
        ShapeError, r"TensorDataset: the arrays must have the same first dimension, got shapes \[\(3, 2\), \(4,\)\]"
    ):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))


def test_random_split_lengths():
    data = TensorDataset(np.arange(10))
    with exactly(DomainError, r"random_split: lengths \[3, 3\] must be >= 0 and sum to the dataset size 10"):
        random_split(data, [3, 3])
    with exactly(DomainError, r"random_split: fractions \[0.5, 0.6\] must lie in \[0, 1\] and sum to 1"):
        random_split(data, [0.5, 0.6])


def test_digits_splits_arguments():
    with exactly(DomainError, r"digits_splits: need val_fraction >= 0, test_fraction > 0 .*got 0.15, 0"):
        digits_splits(test_fraction=0)
    with exactly(DomainError, r"digits_splits: image_size must be a positive int or None, got 0"):
        digits_splits(image_size=0)


def test_transforms_arguments():
    with exactly(DTypeError, r"one_hot: labels must be integers, got dtype float64"):
        one_hot(np.array([0.0, 1.0]))
    with exactly(DomainError, r"one_hot: labels must lie in \[0, 3\); got values in \[0, 5\]"):
        one_hot(np.array([0, 5]), num_classes=3)
    with exactly(ShapeError, r"resize: expected an \(N, C, H, W\) batch, got shape \(8, 8\)"):
        resize(np.zeros((8, 8)), 4)
    with exactly(DomainError, r"resize: size must be positive, got 0"):
        resize(np.zeros((1, 1, 8, 8)), 0)
    scaler = Standardize(axis=0).fit(np.ones((4, 3)))
    with exactly(ShapeError, r"Standardize: data of shape \(4, 5\) does not fit statistics of shape \(1, 3\)"):
        scaler(np.ones((4, 5)))


def test_random_crop_arguments():
    images = np.zeros((2, 1, 4, 4), dtype=np.uint8)
    with exactly(ShapeError, r"RandomCrop: crop \(5, 5\) is larger than the padded image \(4, 4\)"):
        RandomCrop(5)(images)
    with exactly(DomainError, r"RandomCrop: fill=0.5 cannot pad uint8 images"):
        RandomCrop(4, padding=1, fill=0.5)(images)


def test_small_vgg_needs_a_block():
    with exactly(DomainError, r"SmallVGG: widths needs at least one entry \(one per VGG block\), got \(\)"):
        nn.models.SmallVGG(widths=())


def test_evaluate_checks_logits_labels_and_the_loader():
    def loss(logits, labels):
        return logits.sum()

    model = nn.Identity()
    with exactly(ShapeError, r"evaluate: the loader yielded no examples; expected at least one non-empty batch"):
        evaluate(model, [], loss)
    with exactly(ShapeError, r"fit/evaluate: expected logits \(N, C\) .*got logits of shape \(2, 3, 4\)"):
        evaluate(model, [(ag.zeros(2, 3, 4), ag.tensor([0, 1]))], loss)
    with exactly(DomainError, r"fit/evaluate: accuracy needs integer labels \(class indices, .*dtype float32"):
        evaluate(model, [(ag.zeros(2, 3), ag.tensor([0.0, 1.0]))], loss)


# ---- the Tensor, the Scalar and nn's Module ---------------------------------------------------------


def test_tensor_misuse_gets_our_types():
    x = leaf([[1.0, 2.0], [3.0, 4.0]])
    with exactly(ShapeError, r"truth value of a tensor of shape \(2, 2\) is ambiguous; use .any\(\) or .all\(\)"):
        bool(x)
    with exactly(ShapeError, r"item: only a one-element tensor converts to a number; shape is \(2, 2\)"):
        x.item()
    with exactly(ArgumentError, "len\\(\\) of a 0-d tensor"):
        len(ag.tensor(1.0))
    with exactly(ArgumentError, "clip: give at least one of min and max"):
        x.clip()
    with exactly(ArgumentError, "sum: pass either dim or axis, not both"):
        x.sum(dim=0, axis=0)


def test_the_any_and_all_the_truth_value_error_points_at_exist():
    x = ag.tensor([[0.0, 1.0], [0.0, 0.0]])
    assert bool(x.any()) and not bool(x.all())
    np.testing.assert_array_equal(x.any(1).numpy(), [True, False])
    np.testing.assert_array_equal(x.all(0, keepdim=True).numpy(), [[False, False]])
    assert x.any((0, 1)).shape == () and x.any().dtype == np.bool_


def test_scalar_misuse_gets_our_types():
    with exactly(ArgumentError, "Scalar: got the bool True"):
        Scalar(True)
    with exactly(ArgumentError, "the exponent must be a number"):
        Scalar(2.0) ** Scalar(3.0)
    with exactly(ArgumentError, "maximum: cannot combine a Scalar with str"):
        Scalar(1.0).maximum("a")


def test_module_misuse_gets_our_types():
    class NoForward(nn.Module):
        pass

    with exactly(ArgumentError, "NoForward does not define forward"):
        NoForward()(1)
    layer = nn.Linear(2, 2)
    with exactly(ArgumentError, r"Linear.weight is a parameter: assign an nn.Parameter or None, not ndarray"):
        layer.weight = np.zeros((2, 2))
    with exactly(DomainError, "softplus: beta must be positive, got -1"):
        nn.functional.softplus(leaf([1.0]), beta=-1)
    with exactly(ArgumentError, "batch_norm: running_mean and running_var are required"):
        nn.functional.batch_norm(leaf([[1.0, 2.0]]), None, None, training=False)
