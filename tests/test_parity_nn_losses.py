"""Every loss of nn.functional and nn against PyTorch (tests/parity.py: values and gradients,
float64): each reduction, class weights, ignore_index, label smoothing, probability targets,
(N, C, d1, d2) inputs, unbatched inputs, edge values; the modules with PyTorch's positional
constructor arguments and their buffers; bad targets raise our errors naming what was wrong;
float64 gradcheck of the new losses."""

import zlib

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck
from autograd.errors import ArgumentError, DomainError, DTypeError, IndexOutOfRange, ShapeError
from tests.parity import check

RNG = np.random.default_rng(7)
REDUCTIONS = ["mean", "sum", "none"]


@pytest.fixture(autouse=True)
def _seeded(request):
    """Each test draws the same inputs whatever the order (and xdist worker) it runs in."""
    global RNG
    RNG = np.random.default_rng(zlib.crc32(request.node.name.encode()))


def logits(*shape):
    return RNG.standard_normal(shape) * 1.5


def labels(high, *shape):
    return RNG.integers(0, high, shape).astype(np.int64)


def w(m, values):
    """A constant weight tensor on either side (PyTorch has no gradient for nll's weight)."""
    return m.tensor(np.asarray(values, dtype=np.float64))


# ---- cross_entropy and nll_loss ----------------------------------------------------------------
CLASS_CASES = {
    "(N, C)": ((5, 4), (5,)),
    "(C,)": ((4,), ()),
    "(N, C, d1, d2)": ((2, 4, 3, 2), (2, 3, 2)),
    "(N, C, d1)": ((3, 4, 5), (3, 5)),
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(CLASS_CASES))
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_on_labels(reduction, case, weighted, smoothing):
    shape, target_shape = CLASS_CASES[case]
    y = labels(4, *target_shape)
    if y.ndim:
        y.flat[1] = -100  # one ignored target (the default ignore_index)
    weight = [0.5, 2.0, 1.0, 3.0] if weighted else None
    check(
        lambda m, x, t: m.nn.functional.cross_entropy(
            x, t, None if weight is None else w(m, weight), reduction=reduction, label_smoothing=smoothing
        ),
        [logits(*shape), y],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("ignore_index", [0, 2, -1])
def test_cross_entropy_ignore_index_with_weights_and_smoothing(reduction, ignore_index):
    y = np.array([0, 2, 1, 2, 3, -1], dtype=np.int64) % 4 if ignore_index != -1 else np.array([0, -1, 1, 2, 3, -1])
    check(
        lambda m, x: m.nn.functional.cross_entropy(
            x, m.tensor(y), w(m, [1.0, 0.3, 2.0, 0.7]), None, ignore_index, None, reduction, 0.1
        ),
        [logits(6, 4)],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", ["(N, C)", "(C,)", "(N, C, d1, d2)"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.3])
def test_cross_entropy_on_probabilities(reduction, case, weighted, smoothing):
    shape, _ = CLASS_CASES[case]
    probs = RNG.random(shape)
    probs /= probs.sum(1 if len(shape) > 1 else 0, keepdims=True)
    weight = [0.5, 2.0, 1.0, 3.0] if weighted else None
    check(
        lambda m, x, p: m.nn.functional.cross_entropy(
            x, p, None if weight is None else w(m, weight), reduction=reduction, label_smoothing=smoothing
        ),
        [logits(*shape), probs],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(CLASS_CASES))
@pytest.mark.parametrize("weighted", [False, True])
def test_nll_loss(reduction, case, weighted):
    shape, target_shape = CLASS_CASES[case]
    y = labels(4, *target_shape)
    if y.ndim:
        y.flat[0] = 3
        y.flat[-1] = 3  # ignore_index=3: both are dropped
    weight = [0.5, 2.0, 1.0, 3.0] if weighted else None
    check(
        lambda m, x, t: m.nn.functional.nll_loss(
            x.log_softmax(1 if x.ndim > 1 else 0), t, None if weight is None else w(m, weight), None, 3, None, reduction
        ),
        [logits(*shape), y],
    )


def test_every_target_ignored_gives_nan_as_pytorch():
    y = np.array([-100, -100], dtype=np.int64)
    check(lambda m, x, t: m.nn.functional.cross_entropy(x, t), [logits(2, 3), y], grad=False)
    check(lambda m, x, t: m.nn.functional.nll_loss(x, t, w(m, [1.0, 2, 3])), [logits(2, 3), y], grad=False)
    check(lambda m, x, t: m.nn.functional.cross_entropy(x, t, reduction="sum"), [logits(2, 3), y])
    # the gradient of the NaN mean is 0, as PyTorch's (unbatched, and with label smoothing)
    check(lambda m, x: m.nn.functional.nll_loss(x, m.tensor(2), ignore_index=2), [logits(3)])
    check(lambda m, x, t: m.nn.functional.cross_entropy(x, t, label_smoothing=0.2), [logits(2, 3), y])


def test_cross_entropy_extreme_logits():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0]])
    for smoothing in (0.0, 0.1):
        check(lambda m, a, s=smoothing: m.nn.functional.cross_entropy(a, m.tensor([1, 2]), label_smoothing=s), [x])


# ---- binary and regression losses --------------------------------------------------------------
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_weight(reduction):
    p = RNG.uniform(0.05, 0.95, (3, 4))
    y = RNG.uniform(0, 1, (3, 4))
    check(lambda m, a, b: m.nn.functional.binary_cross_entropy(a, b, reduction=reduction), [p, y])
    for weight in ([0.5, 1.0, 2.0, 3.0], RNG.uniform(0, 2, (3, 4))):
        check(
            lambda m, a, b, v=weight: m.nn.functional.binary_cross_entropy(a, b, w(m, v), reduction=reduction), [p, y]
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits_weight_and_pos_weight(reduction):
    x, y = logits(3, 4) * 2, RNG.uniform(0, 1, (3, 4))
    v, pw = RNG.uniform(0.1, 2, (3, 1)), RNG.uniform(0.1, 3, (4,))  # a weight per row, one pos_weight per class
    check(
        lambda m, a, b: m.nn.functional.binary_cross_entropy_with_logits(
            a, b, w(m, v), None, None, reduction, w(m, pw)
        ),
        [x, y],
    )
    check(lambda m, a, b: m.nn.functional.binary_cross_entropy_with_logits(a, b, reduction=reduction), [x, y])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(reduction):
    x, y = logits(3, 4), logits(3, 4)
    check(lambda m, a, b: m.nn.functional.mse_loss(a, b, reduction=reduction), [x, y])
    check(lambda m, a, b: m.nn.functional.l1_loss(a, b, reduction=reduction), [x, y])
    check(lambda m, a, b: m.nn.functional.smooth_l1_loss(a, b, reduction=reduction, beta=0.7), [x, y])
    for delta in (1.0, 0.5, 2.5):
        check(lambda m, a, b, d=delta: m.nn.functional.huber_loss(a, b, reduction, d), [x, y])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses_with_elementwise_weight(reduction):
    """weight= (PyTorch 2.6+): w · loss per element, the mean Σ w·loss / Σ w; gradients reach w too."""
    x, y, w = logits(3, 4), logits(3, 4), RNG.uniform(0.1, 2.0, (3, 4))
    check(lambda m, a, b, c: m.nn.functional.mse_loss(a, b, reduction=reduction, weight=c), [x, y, w])
    check(lambda m, a, b, c: m.nn.functional.l1_loss(a, b, reduction=reduction, weight=c), [x, y, w])
    check(lambda m, a, b, c: m.nn.functional.huber_loss(a, b, reduction, 0.8, weight=c), [x, y, w])
    with pytest.raises(ShapeError, match=r"mse_loss: weight has shape \(4,\), the input \(3, 4\)"):
        F.mse_loss(ag.tensor(x), ag.tensor(y), weight=ag.tensor(w[0]))
    with pytest.raises(ValueError, match="same size"):
        torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y), weight=torch.tensor(w[0]))


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides the total loss:UserWarning")  # PyTorch's
@pytest.mark.parametrize("reduction", ["mean", "batchmean", "sum", "none"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    x = np.log(RNG.dirichlet(np.ones(5), 3))
    q = RNG.dirichlet(np.ones(5), 3)
    target = np.log(q) if log_target else q
    check(lambda m, a, b: m.nn.functional.kl_div(a, b, reduction=reduction, log_target=log_target), [x, target])
    # a zero target probability contributes 0 (the input's gradient there is 0 too)
    q[0, 1] = 0.0
    if not log_target:
        check(lambda m, a: m.nn.functional.kl_div(a, m.tensor(q), reduction=reduction), [x])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("log_input", [True, False])
@pytest.mark.parametrize("full", [False, True])
def test_poisson_nll_loss(reduction, log_input, full):
    rates = RNG.uniform(0.2, 3, (3, 4))
    x = np.log(rates) if log_input else rates
    counts = RNG.integers(1, 6, (3, 4)).astype(np.float64)
    check(lambda m, a, b: m.nn.functional.poisson_nll_loss(a, b, log_input, full, reduction=reduction), [x, counts])
    # zero counts: PyTorch's target gradient is NaN there (its Stirling term takes log 0 before masking)
    counts[0, :2] = 0.0
    check(lambda m, a: m.nn.functional.poisson_nll_loss(a, m.tensor(counts), log_input, full, reduction=reduction), [x])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("var_shape", [(3, 4), (3, 1), (3,)])
def test_gaussian_nll_loss(reduction, full, var_shape):
    var = RNG.uniform(0.1, 2, var_shape)
    var.flat[0] = 1e-9  # below eps: clamped, the gradient passes through
    check(
        lambda m, a, b, v: m.nn.functional.gaussian_nll_loss(a, b, v, full, 1e-6, reduction),
        [logits(3, 4), logits(3, 4), var],
    )
    check(
        lambda m, a, b: m.nn.functional.gaussian_nll_loss(a, b, 0.5, reduction=reduction), [logits(3, 4), logits(3, 4)]
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_and_embedding_losses(reduction):
    sign = np.where(RNG.random(6) < 0.5, -1.0, 1.0)
    a, b = logits(6), logits(6)
    for margin in (0.0, 0.5):
        check(
            lambda m, x1, x2, y, mg=margin: m.nn.functional.margin_ranking_loss(x1, x2, y, mg, reduction=reduction),
            [a, b, sign],
        )
    dist = RNG.uniform(0, 2, (2, 3))
    for margin in (1.0, 0.7):
        check(
            lambda m, x, mg=margin: m.nn.functional.hinge_embedding_loss(
                x, m.tensor(sign.reshape(2, 3)), mg, reduction=reduction
            ),
            [dist],
        )
    check(
        lambda m, x: m.nn.functional.soft_margin_loss(x, m.tensor(sign.reshape(2, 3)), reduction=reduction),
        [logits(2, 3)],
    )
    for shape, target in (((6, 5), sign), ((5,), np.float64(-1.0)), ((5,), np.float64(1.0))):
        for margin in (0.0, -0.3, 0.2):
            check(
                lambda m, x1, x2, y=target, mg=margin: m.nn.functional.cosine_embedding_loss(
                    x1, x2, m.tensor(y), mg, reduction=reduction
                ),
                [logits(*shape), logits(*shape)],
            )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p, swap", [(2, False), (2, True), (1, False), (3.0, True)])
def test_triplet_margin_loss(reduction, p, swap):
    for shape in ((4, 5), (5,)):
        check(
            lambda m, a, pos, neg: m.nn.functional.triplet_margin_loss(
                a, pos, neg, 0.8, p, 1e-6, swap, reduction=reduction
            ),
            [logits(*shape), logits(*shape), logits(*shape)],
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_losses(reduction):
    targets = np.array([[3, 0, -1, 1], [0, 1, 2, 3], [1, 1, -1, -1], [-1, 2, 0, 0]], dtype=np.int64)
    check(lambda m, x, y: m.nn.functional.multilabel_margin_loss(x, y, reduction=reduction), [logits(4, 4), targets])
    check(
        lambda m, x, y: m.nn.functional.multilabel_margin_loss(x, y, reduction=reduction),
        [logits(4), np.array([2, 3, -1, 0], dtype=np.int64)],
    )
    y01 = (RNG.random((3, 4)) < 0.5).astype(np.float64)
    check(lambda m, x, y: m.nn.functional.multilabel_soft_margin_loss(x, y, reduction=reduction), [logits(3, 4), y01])
    check(
        lambda m, x, y: m.nn.functional.multilabel_soft_margin_loss(x, y, w(m, [0.5, 1, 2, 3]), reduction=reduction),
        [logits(3, 4), y01],
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multi_margin_loss_with_weight(reduction):
    check(
        lambda m, x, y: m.nn.functional.multi_margin_loss(x, y, 2, 0.7, w(m, [0.5, 1, 2, 3]), reduction=reduction),
        [logits(5, 4), labels(4, 5)],
    )


# ---- modules -----------------------------------------------------------------------------------
MODULES = [
    ("CrossEntropyLoss", lambda m: (w(m, [1.0, 2, 0.5, 1]), None, 1, None, "sum", 0.1), "labels"),
    ("NLLLoss", lambda m: (w(m, [1.0, 2, 0.5, 1]), None, 2), "labels"),
    ("MultiMarginLoss", lambda m: (2, 0.5, w(m, [1.0, 2, 0.5, 1])), "labels"),
    ("BCEWithLogitsLoss", lambda m: (w(m, [1.0, 2, 0.5, 1]), None, None, "sum", w(m, [3.0, 1, 1, 2])), "probs"),
    ("BCELoss", lambda m: (w(m, [1.0, 2, 0.5, 1]),), "bce"),
    ("MSELoss", lambda m: (None, None, "sum"), "values"),
    ("L1Loss", lambda m: (), "values"),
    ("SmoothL1Loss", lambda m: (None, None, "none", 0.5), "values"),
    ("HuberLoss", lambda m: ("sum", 0.5), "values"),
    ("KLDivLoss", lambda m: (None, None, "batchmean", False), "kl"),
    ("PoissonNLLLoss", lambda m: (False, True, None, 1e-6), "counts"),
    ("SoftMarginLoss", lambda m: (), "signs"),
    ("HingeEmbeddingLoss", lambda m: (0.5,), "signs"),
    ("MultiLabelMarginLoss", lambda m: (), "multilabel"),
    ("MultiLabelSoftMarginLoss", lambda m: (w(m, [1.0, 2, 0.5, 1]),), "probs"),
]


def _module_inputs(kind):
    x = logits(3, 4)
    return {
        "labels": [x, labels(4, 3)],
        "probs": [x, RNG.uniform(0, 1, (3, 4))],
        "bce": [RNG.uniform(0.1, 0.9, (3, 4)), RNG.uniform(0, 1, (3, 4))],
        "values": [x, logits(3, 4)],
        "kl": [np.log(RNG.dirichlet(np.ones(4), 3)), RNG.dirichlet(np.ones(4), 3)],
        "counts": [RNG.uniform(0.5, 3, (3, 4)), RNG.integers(0, 5, (3, 4)).astype(np.float64)],
        "signs": [x, np.where(RNG.random((3, 4)) < 0.5, -1.0, 1.0)],
        "multilabel": [x, np.array([[1, 2, -1, 0], [3, -1, 0, 0], [0, 1, 2, 3]], dtype=np.int64)],
    }[kind]


@pytest.mark.parametrize("name, args, kind", MODULES, ids=[m[0] for m in MODULES])
def test_modules_with_positional_arguments_and_buffers(name, args, kind):
    inputs = _module_inputs(kind)
    if kind in ("signs", "counts"):  # targets PyTorch does not differentiate
        target = inputs.pop()
        check(lambda m, *xs: getattr(m.nn, name)(*args(m))(*xs, m.tensor(target)), inputs)
    else:
        check(lambda m, *xs: getattr(m.nn, name)(*args(m))(*xs), inputs)
    ours, theirs = getattr(nn, name)(*args(ag)), getattr(torch.nn, name)(*args(torch))
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs) == f"{name}()"


def test_three_input_modules():
    a, b, c = logits(4, 5), logits(4, 5), logits(4, 5)
    sign = np.array([1.0, -1.0, -1.0, 1.0])
    check(lambda m, x, y, z: m.nn.TripletMarginLoss(0.5, 1.0, 1e-6, True)(x, y, z), [a, b, c])
    check(lambda m, x, y: m.nn.CosineEmbeddingLoss(0.1, reduction="sum")(x, y, m.tensor(sign)), [a, b])
    check(lambda m, x, y: m.nn.MarginRankingLoss(0.3)(x, y, m.tensor(sign)), [a[:, 0], b[:, 0]])
    check(
        lambda m, x, y, v: m.nn.GaussianNLLLoss(full=True, reduction="none")(x, y, v),
        [a, b, RNG.uniform(0.1, 1, (4, 1))],
    )


def test_module_weights_are_buffers_in_the_state_dict():
    loss = nn.CrossEntropyLoss(ag.tensor([1.0, 2.0]))
    assert list(loss.state_dict()) == ["weight"]
    assert list(nn.BCEWithLogitsLoss(pos_weight=[2.0, 3.0]).state_dict()) == ["pos_weight"]
    assert list(nn.BCEWithLogitsLoss([1.0], pos_weight=[2.0]).state_dict()) == ["weight", "pos_weight"]
    loss.load_state_dict({"weight": ag.tensor([3.0, 4.0])})
    np.testing.assert_array_equal(loss.weight.numpy(), [3.0, 4.0])
    x = ag.tensor([[0.0, 1.0]])
    np.testing.assert_allclose(loss(x, np.array([1])).item(), F.cross_entropy(x, np.array([1])).item())


# ---- errors ------------------------------------------------------------------------------------
def test_class_index_errors_name_the_index_and_the_classes():
    x = ag.zeros(3, 4)
    for f in (F.cross_entropy, F.nll_loss):
        with pytest.raises(IndexOutOfRange, match=rf"{f.__name__}: class label 7 is out of range for 4 classes"):
            f(x, np.array([0, 7, 1]))
        with pytest.raises(IndexOutOfRange, match="class label -100 is out of range"):
            f(x, np.array([0, -100, 1]), ignore_index=-1)
        with pytest.raises(
            ShapeError, match=rf"{f.__name__}: input of shape \(3, 4\) needs class labels of shape \(3,\)"
        ):
            f(x, np.array([0, 1]))
        with pytest.raises(ShapeError, match=r"weight must have shape \(4,\), one per class, got shape \(3,\)"):
            f(x, np.array([0, 1, 2]), ag.ones(3))
    with pytest.raises(DTypeError, match="nll_loss: class labels must be integers"):
        F.nll_loss(x, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ShapeError, match=r"cross_entropy: a float target \(class probabilities\) has shape"):
        F.cross_entropy(x, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ShapeError, match=r"input of shape \(2, 4, 3\) needs class labels of shape \(2, 3\)"):
        F.cross_entropy(ag.zeros(2, 4, 3), np.zeros((2, 4), np.int64))
    with pytest.raises(IndexOutOfRange, match="multilabel_margin_loss: target class 4 is out of range for 4 classes"):
        F.multilabel_margin_loss(x, np.array([[4, -1, 0, 0]] * 3))
    with pytest.raises(DTypeError, match="multilabel_margin_loss: targets must be integer"):
        F.multilabel_margin_loss(x, np.zeros((3, 4)))


def test_other_errors_are_named():
    x = ag.zeros(3, 4)
    with pytest.raises(ArgumentError, match="cross_entropy: the legacy argument size_average=True .* use reduction"):
        F.cross_entropy(x, np.array([0, 1, 2]), None, True)
    with pytest.raises(ArgumentError, match="NLLLoss: the legacy argument reduce=False"):
        nn.NLLLoss(reduce=False)
    with pytest.raises(DomainError, match="kl_div: reduction must be 'mean', 'batchmean', 'sum' or 'none'"):
        F.kl_div(x, x, reduction="avg")
    with pytest.raises(DomainError, match="mse_loss: reduction must be 'mean', 'sum' or 'none', got 'batchmean'"):
        F.mse_loss(x, x, reduction="batchmean")
    with pytest.raises(DomainError, match="huber_loss: delta must be a finite number > 0"):
        F.huber_loss(x, x, delta=0.0)
    with pytest.raises(DomainError, match="gaussian_nll_loss: var must be >= 0"):
        F.gaussian_nll_loss(x, x, -ag.ones(3, 4))
    with pytest.raises(ShapeError, match=r"gaussian_nll_loss: var has shape \(2,\)"):
        F.gaussian_nll_loss(x, x, ag.ones(2))
    with pytest.raises(ShapeError, match=r"margin_ranking_loss: target has shape \(2,\) but input1 has shape \(3,\)"):
        F.margin_ranking_loss(ag.zeros(3), ag.zeros(3), ag.ones(2))
    with pytest.raises(ShapeError, match=r"cosine_embedding_loss: inputs of shape \(3, 4\) need a target of shape"):
        F.cosine_embedding_loss(x, x, ag.ones(4))
    with pytest.raises(ShapeError, match=r"triplet_margin_loss: negative has shape \(3, 5\)"):
        F.triplet_margin_loss(x, x, ag.zeros(3, 5))
    with pytest.raises(ShapeError, match=r"binary_cross_entropy: weight of shape \(3,\) does not broadcast"):
        F.binary_cross_entropy(x, x, ag.ones(3))


# ---- float64 gradcheck of the new losses -------------------------------------------------------
def t64(a):
    return ag.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**16), reduction=st.sampled_from(REDUCTIONS))
def test_gradcheck_new_losses(seed, reduction):
    rng = np.random.default_rng(seed)
    x, y = t64(rng.standard_normal((3, 4))), t64(rng.standard_normal((3, 4)))
    sign = np.where(rng.random((3, 4)) < 0.5, -1.0, 1.0)
    q = t64(rng.dirichlet(np.ones(4), 3))
    var = t64(rng.uniform(0.2, 2, (3, 4)))
    cases = {
        "huber": (lambda a, b: F.huber_loss(a, b, reduction, 0.8), (x, y)),
        "kl_div": (lambda a, b: F.kl_div(a, b, reduction=reduction), (x, q)),
        "kl_div log_target": (lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=True), (x, y)),
        "poisson": (lambda a: F.poisson_nll_loss(a, ag.tensor(np.abs(sign) * 2), reduction=reduction, full=True), (x,)),
        "gaussian": (lambda a, b, v: F.gaussian_nll_loss(a, b, v, True, reduction=reduction), (x, y, var)),
        "soft_margin": (lambda a: F.soft_margin_loss(a, sign, reduction=reduction), (x,)),
        "cosine": (lambda a, b: F.cosine_embedding_loss(a, b, sign[:, 0], 0.1, reduction=reduction), (x, y)),
        "triplet": (lambda a, b: F.triplet_margin_loss(a, b, -b, 5.0, swap=True, reduction=reduction), (x, y)),
        "multilabel_soft": (lambda a: F.multilabel_soft_margin_loss(a, (sign + 1) / 2, reduction=reduction), (x,)),
        "ce weighted smoothed": (
            lambda a: F.cross_entropy(
                a, np.array([0, -100, 3]), [1.0, 2, 3, 4], label_smoothing=0.2, reduction=reduction
            ),
            (x,),
        ),
    }
    for name, (fn, inputs) in cases.items():
        assert gradcheck(fn, inputs), name


def test_gradcheck_hinge_losses_away_from_their_kinks():
    x = t64([[0.3, 2.1, -1.2, 0.9], [1.55, -0.4, 0.1, 3.0]])
    y = t64([[0.05, 1.0, -0.5, 0.2], [0.9, 0.3, -1.1, 2.2]])
    sign = np.array([[1.0, -1.0, -1.0, 1.0], [-1.0, 1.0, -1.0, 1.0]])
    assert gradcheck(lambda a: F.hinge_embedding_loss(a.abs(), sign, 1.0), (x,))
    assert gradcheck(lambda a, b: F.margin_ranking_loss(a, b, ag.tensor(sign), 0.5), (x, y))
    assert gradcheck(lambda a: F.multilabel_margin_loss(a, np.array([[1, 3, -1, 0], [0, -1, 2, 2]])), (x,))
