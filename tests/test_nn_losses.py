"""Losses: every loss and reduction against a NumPy reference written here and against central
differences (float64); the notes' worked numbers; extreme logits; bad targets."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.errors import DomainError, DTypeError, IndexOutOfRange, ShapeError

REDUCE = {"mean": np.mean, "sum": np.sum, "none": lambda v: v}
RNG = np.random.default_rng(0)


def t64(a, requires_grad=True):
    return ag.Tensor(np.asarray(a, dtype=np.float64), requires_grad=requires_grad)


def np_log_softmax(x, dim):
    shifted = x - x.max(dim, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(dim, keepdims=True))


def check(loss_fn, reference, inputs, reduction):
    """Forward against `reference` (per-element NumPy losses, then reduced) and gradcheck."""
    value = loss_fn(*inputs, reduction=reduction)
    np.testing.assert_allclose(value.numpy(), REDUCE[reduction](reference(*[t.numpy() for t in inputs])), rtol=1e-10)
    assert gradcheck(lambda *ts: loss_fn(*ts, reduction=reduction), inputs)


# ---- regression losses --------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_mse_and_l1(reduction):
    x, y = t64(RNG.standard_normal((3, 4))), t64(RNG.standard_normal((3, 4)))
    check(F.mse_loss, lambda a, b: (a - b) ** 2, (x, y), reduction)
    check(F.l1_loss, lambda a, b: np.abs(a - b), (x, y), reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("beta", [1.0, 0.5, 0.0])
def test_smooth_l1(reduction, beta):
    x = t64([[0.1, -0.3, 2.0, -1.7], [0.7, 0.2, -0.05, 3.0]])
    y = t64(np.zeros((2, 4)))

    def reference(a, b):
        d = np.abs(a - b)
        return d if beta == 0 else np.where(d < beta, 0.5 * d**2 / beta, d - 0.5 * beta)

    check(lambda a, b, reduction: F.smooth_l1_loss(a, b, reduction=reduction, beta=beta), reference, (x, y), reduction)


def test_smooth_l1_by_hand():
    loss = F.smooth_l1_loss(ag.tensor([0.5, 3.0]), ag.tensor([0.0, 0.0]), reduction="none")
    np.testing.assert_allclose(loss.numpy(), [0.125, 2.5])


# ---- binary losses -------------------------------------------------------------------------------
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy(reduction):
    p = t64(RNG.uniform(0.05, 0.95, (3, 4)))
    y = t64(RNG.uniform(0, 1, (3, 4)))
    check(F.binary_cross_entropy, lambda a, b: -(b * np.log(a) + (1 - b) * np.log(1 - a)), (p, y), reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_binary_cross_entropy_with_logits(reduction):
    x = t64(RNG.standard_normal((3, 4)) * 3)
    y = t64(RNG.uniform(0, 1, (3, 4)))

    def reference(a, b):
        s = 1 / (1 + np.exp(-a))
        return -(b * np.log(s) + (1 - b) * np.log(1 - s))

    check(F.binary_cross_entropy_with_logits, reference, (x, y), reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_binary_cross_entropy_with_logits_pos_weight(reduction):
    x = t64(RNG.standard_normal((3, 4)))
    y = t64(RNG.uniform(0, 1, (3, 4)))
    w = np.array([0.5, 1.0, 2.0, 3.0])

    def reference(a, b):
        s = 1 / (1 + np.exp(-a))
        return -(w * b * np.log(s) + (1 - b) * np.log(1 - s))

    check(
        lambda a, b, reduction: F.binary_cross_entropy_with_logits(a, b, reduction=reduction, pos_weight=w),
        reference,
        (x, y),
        reduction,
    )


def test_binary_cross_entropy_clamps_its_logs_at_minus_100():
    p = ag.tensor([0.0, 1.0, 0.0, 1.0], requires_grad=True)
    y = ag.tensor([1.0, 0.0, 0.0, 1.0])
    loss = F.binary_cross_entropy(p, y, reduction="none")
    np.testing.assert_allclose(loss.numpy(), [100.0, 100.0, 0.0, 0.0])
    loss.sum().backward()
    assert np.all(np.isfinite(p.grad.numpy()))


def test_binary_cross_entropy_rejects_inputs_outside_zero_one():
    with pytest.raises(DomainError, match=r"binary_cross_entropy: input must be probabilities in \[0, 1\], found 1.5"):
        F.binary_cross_entropy(ag.tensor([0.5, 1.5]), ag.tensor([1.0, 0.0]))
    with pytest.raises(DomainError, match="found nan"):
        F.binary_cross_entropy(ag.tensor([np.nan]), ag.tensor([1.0]))


# ---- cross-entropy and NLL --------------------------------------------------------------------------
def np_cross_entropy(x, labels):
    return -np_log_softmax(x, 1)[np.arange(len(labels)), labels]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_on_labels(reduction):
    x = t64(RNG.standard_normal((5, 4)) * 2)
    labels = np.array([0, 3, 1, 1, 2])
    check(
        lambda a, reduction: F.cross_entropy(a, labels, reduction=reduction),
        lambda a: np_cross_entropy(a, labels),
        (x,),
        reduction,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("eps", [0.0, 0.3])
def test_cross_entropy_on_probabilities(reduction, eps):
    x = t64(RNG.standard_normal((3, 4)))
    probs = RNG.random((3, 4))
    probs = t64(probs / probs.sum(1, keepdims=True))
    check(
        lambda a, q, reduction: F.cross_entropy(a, q, reduction=reduction, label_smoothing=eps),
        lambda a, q: -(((1 - eps) * q + eps / 4) * np_log_softmax(a, 1)).sum(1),
        (x, probs),
        reduction,
    )


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_positions_and_label_smoothing(reduction):
    x = t64(RNG.standard_normal((2, 3, 2, 2)))
    labels = RNG.integers(0, 3, (2, 2, 2))
    eps = 0.2

    def reference(a):
        logp = np_log_softmax(a, 1)
        onehot = np.moveaxis(np.eye(3)[labels], -1, 1)
        return -(((1 - eps) * onehot + eps / 3) * logp).sum(1)

    check(
        lambda a, reduction: F.cross_entropy(a, labels, reduction=reduction, label_smoothing=eps),
        reference,
        (x,),
        reduction,
    )


def test_cross_entropy_on_one_unbatched_sample():
    x = t64([1.0, 2.0, 0.5])
    loss = F.cross_entropy(x, np.int64(1))
    np.testing.assert_allclose(loss.numpy(), -2.0 + np.log(np.exp([1.0, 2.0, 0.5]).sum()))


def test_cross_entropy_gradient_is_softmax_minus_onehot_over_n():
    x = t64(RNG.standard_normal((4, 3)))
    labels = np.array([2, 0, 1, 2])
    F.cross_entropy(x, labels).backward()
    e = np.exp(x.numpy())
    expected = (e / e.sum(1, keepdims=True) - np.eye(3)[labels]) / 4
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-10)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_fused_cross_entropy_gate_matches_the_composition_and_has_second_derivatives(reduction):
    """Labels on (N, C) logits take one fused gate: the same float32 value as log_softmax + nll_loss,
    the same gradient, and second derivatives through create_graph."""
    x = ag.tensor(RNG.standard_normal((6, 5)) * 3, dtype=np.float32, requires_grad=True)
    labels = RNG.integers(0, 5, 6)
    fused = F.cross_entropy(x, labels, reduction=reduction)
    composed = F.nll_loss(F.log_softmax(x, 1), labels, reduction=reduction)
    assert fused.grad_fn.name == "CrossEntropy"
    np.testing.assert_array_equal(fused.numpy(), composed.numpy())
    (g_fused,) = ag.grad(fused, x)
    (g_composed,) = ag.grad(composed, x)
    np.testing.assert_allclose(g_fused.numpy(), g_composed.numpy(), rtol=1e-6, atol=1e-7)
    x64 = t64(RNG.standard_normal((4, 3)))
    assert gradgradcheck(lambda a: F.cross_entropy(a, labels[:4] % 3, reduction=reduction), x64)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_on_log_probabilities(reduction):
    x = t64(np_log_softmax(RNG.standard_normal((4, 3)), 1))
    labels = np.array([2, 0, 1, 2])
    check(
        lambda a, reduction: F.nll_loss(a, labels, reduction=reduction),
        lambda a: -a[np.arange(4), labels],
        (x,),
        reduction,
    )


def test_nll_of_log_softmax_equals_cross_entropy():
    x = t64(RNG.standard_normal((6, 5)))
    labels = RNG.integers(0, 5, 6)
    np.testing.assert_allclose(F.nll_loss(F.log_softmax(x, 1), labels).numpy(), F.cross_entropy(x, labels).numpy())


# ---- multiclass SVM -------------------------------------------------------------------------------
def test_multi_margin_loss_on_the_notes_cat_example():
    scores = ag.tensor([[3.2, 5.1, -1.7]])
    # hinge terms: max(0, 5.1 - 3.2 + 1) = 2.9 and max(0, -1.7 - 3.2 + 1) = 0; PyTorch divides by C = 3
    np.testing.assert_allclose(F.multi_margin_loss(scores, np.array([0])).item(), 2.9 / 3, rtol=1e-6)
    np.testing.assert_allclose(nn.MultiMarginLoss(reduction="sum")(scores, [0]).item(), 2.9 / 3, rtol=1e-6)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("p, margin", [(1, 1.0), (2, 1.0), (1, 0.5)])
def test_multi_margin_loss(reduction, p, margin):
    # distinct scores well away from the hinges' kinks, so central differences are exact
    x = t64([[0.3, 2.1, -1.2, 0.9], [1.55, -0.4, 0.1, 3.0], [0.0, 0.25, 2.6, -2.0]])
    labels = np.array([1, 3, 0])

    def reference(a):
        correct = a[np.arange(3), labels][:, None]
        hinge = np.maximum(0.0, margin - correct + a) ** p
        hinge[np.arange(3), labels] = 0
        return hinge.sum(1) / 4

    check(
        lambda a, reduction: F.multi_margin_loss(a, labels, p=p, margin=margin, reduction=reduction),
        reference,
        (x,),
        reduction,
    )


# ---- stability ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_from_logits_are_finite_for_logits_of_plus_minus_1000(dtype):
    x = ag.tensor([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0]], dtype=dtype, requires_grad=True)
    labels = np.array([1, 2])
    probs = np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]], dtype=dtype)
    binary = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]], dtype=dtype)
    cases = {
        "cross_entropy": lambda: F.cross_entropy(x, labels),
        "cross_entropy smoothed": lambda: F.cross_entropy(x, labels, label_smoothing=0.1),
        "cross_entropy probabilities": lambda: F.cross_entropy(x, probs),
        "nll_loss of log_softmax": lambda: F.nll_loss(F.log_softmax(x, 1), labels),
        "bce_with_logits": lambda: F.binary_cross_entropy_with_logits(x, binary),
        "bce_with_logits pos_weight": lambda: F.binary_cross_entropy_with_logits(x, binary, pos_weight=[2.0, 1, 1]),
        "bce of sigmoid": lambda: F.binary_cross_entropy(x.sigmoid(), binary),
        "multi_margin_loss": lambda: F.multi_margin_loss(x, labels),
    }
    for name, make in cases.items():
        loss = make()
        assert np.isfinite(loss.item()), name
        loss.backward()
        assert np.all(np.isfinite(x.grad.numpy())), name
        x.grad = None
    # the exact values: sample 0 puts its mass on class 0, label 1 sits 2000 below; sample 1 is right
    np.testing.assert_allclose(F.cross_entropy(x, labels, reduction="none").numpy(), [2000.0, 0.0])
    np.testing.assert_allclose(
        F.binary_cross_entropy_with_logits(x, binary, reduction="none").numpy(),
        [[1000, 1000, np.log(2)], [1000, 0, 1000]],
    )


# ---- bad targets and arguments -----------------------------------------------------------------------
LABEL_LOSSES = [F.cross_entropy, F.nll_loss, F.multi_margin_loss]


@pytest.mark.parametrize("loss", LABEL_LOSSES, ids=lambda f: f.__name__)
def test_labels_out_of_range_are_named(loss):
    x = ag.zeros(3, 4)
    for bad in (4, -1):
        with pytest.raises(IndexOutOfRange, match=rf"{loss.__name__}: class label {bad} is out of range for 4 classes"):
            loss(x, np.array([0, bad, 1]))


@pytest.mark.parametrize("loss", LABEL_LOSSES, ids=lambda f: f.__name__)
def test_labels_of_the_wrong_shape_are_named(loss):
    with pytest.raises(
        ShapeError, match=rf"{loss.__name__}: input of shape \(3, 4\) needs class labels of shape \(3,\)"
    ):
        loss(ag.zeros(3, 4), np.zeros((3, 1), dtype=np.int64))


@pytest.mark.parametrize("loss", [F.nll_loss, F.multi_margin_loss], ids=lambda f: f.__name__)
def test_float_labels_are_a_dtype_error(loss):
    with pytest.raises(DTypeError, match=rf"{loss.__name__}: class labels must be integers"):
        loss(ag.zeros(3, 4), np.array([0.0, 1.0, 2.0]))


def test_cross_entropy_float_target_must_be_probabilities_of_the_input_shape():
    with pytest.raises(ShapeError, match=r"cross_entropy: a float target \(class probabilities\) has shape \(3,\)"):
        F.cross_entropy(ag.zeros(3, 4), np.array([0.0, 1.0, 2.0]))
    with pytest.raises(DTypeError, match="class labels must be integers .*or pass class probabilities"):
        F.cross_entropy(ag.zeros(3, 4), np.array([True, False, True]))


def test_regression_targets_must_match_the_input_shape():
    with pytest.raises(ShapeError, match=r"mse_loss: target has shape \(3, 1\) but the input has shape \(3,\)"):
        F.mse_loss(ag.zeros(3), np.zeros((3, 1)))


def test_bad_reduction_input_dtype_and_options_are_named():
    with pytest.raises(ValueError, match="l1_loss: reduction must be 'mean', 'sum' or 'none', got 'avg'"):
        F.l1_loss(ag.zeros(2), ag.zeros(2), reduction="avg")
    with pytest.raises(ValueError, match="CrossEntropyLoss: reduction must be"):
        nn.CrossEntropyLoss(reduction="total")
    with pytest.raises(DTypeError, match="cross_entropy: input must be a floating-point Tensor"):
        F.cross_entropy(ag.tensor([[1, 2]]), np.array([0]))
    with pytest.raises(DomainError, match="label_smoothing must be in"):
        F.cross_entropy(ag.zeros(1, 2), np.array([0]), label_smoothing=1.5)
    with pytest.raises(ValueError, match="p must be 1 or 2"):
        F.multi_margin_loss(ag.zeros(1, 2), np.array([0]), p=3)
    with pytest.raises(ValueError, match="beta must be a finite number >= 0"):
        F.smooth_l1_loss(ag.zeros(1), ag.zeros(1), beta=-1.0)


# ---- modules -------------------------------------------------------------------------------------------
@given(reduction=st.sampled_from(["mean", "sum", "none"]))
def test_loss_modules_compute_their_functions(reduction):
    x = t64(RNG.standard_normal((3, 4)), requires_grad=False)
    target = t64(RNG.uniform(0, 1, (3, 4)), requires_grad=False)
    labels = np.array([0, 3, 2])
    pairs = [
        (nn.MSELoss(reduction=reduction)(x, target), F.mse_loss(x, target, reduction=reduction)),
        (nn.L1Loss(reduction=reduction)(x, target), F.l1_loss(x, target, reduction=reduction)),
        (
            nn.SmoothL1Loss(reduction=reduction, beta=0.5)(x, target),
            F.smooth_l1_loss(x, target, reduction=reduction, beta=0.5),
        ),
        (nn.BCELoss(reduction=reduction)(target, target), F.binary_cross_entropy(target, target, reduction=reduction)),
        (
            nn.BCEWithLogitsLoss(reduction=reduction, pos_weight=ag.tensor([1.0, 2.0, 3.0, 4.0]))(x, target),
            F.binary_cross_entropy_with_logits(x, target, reduction=reduction, pos_weight=[1.0, 2.0, 3.0, 4.0]),
        ),
        (
            nn.CrossEntropyLoss(reduction=reduction, label_smoothing=0.1)(x, labels),
            F.cross_entropy(x, labels, reduction=reduction, label_smoothing=0.1),
        ),
        (nn.NLLLoss(reduction=reduction)(x, labels), F.nll_loss(x, labels, reduction=reduction)),
        (
            nn.MultiMarginLoss(2, 0.5, reduction=reduction)(x, labels),
            F.multi_margin_loss(x, labels, p=2, margin=0.5, reduction=reduction),
        ),
    ]
    for module_value, function_value in pairs:
        np.testing.assert_array_equal(module_value.numpy(), function_value.numpy())


def test_bce_with_logits_keeps_pos_weight_as_a_buffer():
    loss = nn.BCEWithLogitsLoss(pos_weight=[2.0, 3.0])
    assert list(loss.state_dict()) == ["pos_weight"]
    assert list(nn.CrossEntropyLoss().state_dict()) == []
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"
