"""Reliability, round 2, in the engine: per-thread modes, casts outside the graph, a binary
cross-entropy that stays finite, factories that draw and allocate in their dtype, and our own error
for every misuse of a factory. Each test failed before its fix."""

from __future__ import annotations

import threading
import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
import nn.functional as F
from autograd.errors import ArgumentError, AutogradError, DomainError, DTypeError


# ---- grad mode and anomaly mode belong to a thread ---------------------------------------------
def _interleaved(enter_exit, probe):
    """Thread A enters a mode, thread B enters and leaves it, A probes, A leaves: the steps of the
    two threads interleaved by events. Returns what `probe` saw in A while B had entered, and in the
    main thread after both left."""
    a_in, b_in, b_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def thread_a():
        with enter_exit():
            a_in.set()
            b_in.wait(5)
            seen["a_inside"] = probe()
            b_out.wait(5)
        seen["a_after"] = probe()

    def thread_b():
        a_in.wait(5)
        with enter_exit():
            b_in.set()
            seen["b_inside"] = probe()
        seen["b_after"] = probe()
        b_out.set()

    threads = [threading.Thread(target=thread_a), threading.Thread(target=thread_b)]
    for t in threads:
        t.start()
    seen["main_during"] = probe()
    for t in threads:
        t.join(10)
    seen["main_after"] = probe()
    return seen


def test_no_grad_in_one_thread_leaves_the_others_recording():
    probe = lambda: (ag.tensor([1.0], requires_grad=True) * 2).requires_grad  # noqa: E731
    main_seen = []
    started = threading.Event()
    release = threading.Event()

    def other():
        with ag.no_grad():
            started.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    started.wait(5)
    main_seen.append(probe())  # the other thread is inside no_grad now
    release.set()
    t.join(10)
    assert main_seen == [True]
    seen = _interleaved(ag.no_grad, probe)
    assert seen == {
        "a_inside": False,
        "b_inside": False,
        "b_after": True,
        "a_after": True,
        "main_during": True,
        "main_after": True,
    }


def test_anomaly_mode_belongs_to_its_thread():
    from autograd.anomaly import Anomaly

    seen = _interleaved(ag.detect_anomaly, lambda: Anomaly.enabled)
    assert seen["a_inside"] and seen["b_inside"]
    assert not (seen["a_after"] or seen["b_after"] or seen["main_after"])


def test_a_new_thread_records_even_when_its_parent_is_in_no_grad():
    result = []
    with ag.no_grad():
        t = threading.Thread(target=lambda: result.append(ag.is_grad_enabled()))
        t.start()
        t.join(10)
        assert not ag.is_grad_enabled()
    assert result == [True]


# ---- casts to integer and bool dtypes are outside the graph ------------------------------------
@pytest.mark.parametrize("cast", [lambda x: x.long(), lambda x: x.to("int32"), lambda x: x.to(bool)])
def test_an_integer_or_bool_cast_does_not_carry_a_gradient(cast):
    x = ag.tensor([1.5, -2.0], requires_grad=True)
    y = cast(x)
    assert not y.requires_grad and y.grad_fn is None
    z = x * 2.0 + y * 3.0  # only the float path reaches x
    z.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_a_float_cast_still_carries_the_gradient_in_the_original_dtype():
    x = ag.tensor([1.5, -2.0], requires_grad=True)
    (x.double() * 3.0).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0])


@pytest.mark.parametrize("dtype", [complex, np.complex64, str, "U3", object, "datetime64[s]"])
def test_to_refuses_the_dtypes_the_constructor_refuses(dtype):
    with pytest.raises(DTypeError, match="to: a tensor cannot hold dtype"):
        ag.tensor([1.0]).to(dtype)
    with pytest.raises(DTypeError):
        ag.tensor([1.0], dtype=dtype)


# ---- binary cross-entropy: finite for every probability, targets in [0, 1] --------------------
def _bce_reference(p: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's formulas in float64: the logs clamped at −100, the gradient's denominator at 1e-12."""
    p64, y64 = p.astype(np.float64), y.astype(np.float64)
    with np.errstate(divide="ignore"):
        loss = -(y64 * np.maximum(np.log(p64), -100) + (1 - y64) * np.maximum(np.log(1 - p64), -100))
    grad = (p64 - y64) / np.maximum(p64 * (1 - p64), 1e-12)
    return loss, grad


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_bce_of_a_denormal_probability_has_a_finite_gradient(dtype):
    x = ag.tensor(np.array([-95.0, -200.0, 95.0, 0.0], dtype), requires_grad=True)
    p = x.sigmoid()
    assert p.numpy()[0] != 0 and p.numpy()[0] < np.finfo(np.float32).tiny or dtype == np.float64
    target = ag.tensor(np.array([1.0, 1.0, 0.0, 1.0], dtype))
    loss = F.binary_cross_entropy(p, target, reduction="sum")
    loss.backward()
    assert np.isfinite(loss.item()) and np.isfinite(x.grad.numpy()).all()
    expected, _ = _bce_reference(p.numpy(), target.numpy())
    np.testing.assert_allclose(loss.item(), expected.sum(), rtol=1e-6)


@given(
    p=st.lists(st.floats(0, 1, width=32), min_size=1, max_size=6),
    y=st.floats(0, 1, width=32),
)
def test_bce_loss_and_gradient_are_finite_and_pytorchs_for_every_probability(p, y):
    probs = ag.tensor(np.array(p, np.float32), requires_grad=True)
    target = np.full(len(p), y, np.float32)
    loss = F.binary_cross_entropy(probs, target, reduction="none")
    loss.sum().backward()
    expected_loss, expected_grad = _bce_reference(probs.numpy(), target)
    assert np.isfinite(loss.numpy()).all() and np.isfinite(probs.grad.numpy()).all()
    np.testing.assert_allclose(loss.numpy(), expected_loss, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(probs.grad.numpy(), expected_grad, rtol=1e-4, atol=1e-6)


def test_bce_fused_gate_matches_the_composition_where_that_is_finite():
    rng = np.random.default_rng(0)
    p = ag.tensor(rng.uniform(0.01, 0.99, 8), requires_grad=True)
    y = ag.tensor(rng.uniform(0, 1, 8), requires_grad=True)
    fused = F.binary_cross_entropy(p, y)
    fused.backward()
    fused_grads = p.grad.numpy(), y.grad.numpy()
    p.grad = y.grad = None
    composed = -(y * p.log() + (1 - y) * (1 - p).log()).mean()
    composed.backward()
    np.testing.assert_allclose(fused.item(), composed.item(), rtol=1e-12)
    np.testing.assert_allclose(fused_grads[0], p.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(fused_grads[1], y.grad.numpy(), rtol=1e-10)
    assert ag.gradcheck(F.binary_cross_entropy, (p, y))
    assert ag.gradgradcheck(F.binary_cross_entropy, (p, y))


@pytest.mark.parametrize("bad", [9.0, -0.5, 1.0000001])
def test_bce_target_outside_0_1_is_a_domain_error(bad):
    with pytest.raises(DomainError, match=f"binary_cross_entropy: target must be in \\[0, 1\\].*found {bad}"):
        F.binary_cross_entropy(ag.tensor([0.5, 0.5], dtype=np.float64), np.array([0.0, bad]))


# ---- factories ---------------------------------------------------------------------------------
def test_rand_in_float32_draws_in_float32_and_never_reaches_1():
    """A float64 draw rounded to float32 is 1.0 for draws above 1 − 2⁻²⁵: about once in 3·10⁷.
    Drawn in float32, the largest value is 1 − 2⁻²⁴, whatever the seed."""
    g = np.random.default_rng(12345)
    x = ag.rand(4_000_000, generator=g)
    assert x.dtype == np.float32 and x.numpy().max() < 1.0 and x.numpy().min() >= 0.0
    expected = np.random.default_rng(12345).random(4_000_000, np.float32)
    np.testing.assert_array_equal(x.numpy(), expected)  # drawn in float32, not rounded from float64
    half = ag.rand(100_000, dtype=np.float16, generator=g)
    assert half.dtype == np.float16 and half.numpy().max() < 1.0


@pytest.mark.parametrize(
    "make",
    [
        lambda src: ag.zeros(2_000_000),
        lambda src: ag.ones(2_000_000),
        lambda src: ag.full((2_000_000,), 3.0),
        lambda src: ag.eye(1500),
        lambda src: ag.rand(2_000_000),
        lambda src: ag.zeros_like(src, dtype=np.float32),
        lambda src: ag.ones_like(src, dtype=np.float32),
    ],
)
def test_factories_allocate_in_their_dtype(make):
    """Allocating in float64 and casting peaked at three times the float32 result."""
    src = np.empty(2_000_000, np.float64)
    tracemalloc.start()
    try:
        t = make(src)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert t.dtype == np.float32
    assert peak < 1.2 * t.numpy().nbytes + 64 * 1024


def test_out_of_memory_names_the_dtype_asked_for():
    with pytest.raises(MemoryError, match="int8"):
        ag.zeros(2**62, dtype=np.int8)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (
            lambda: ag.rand(3, generator=5),
            ArgumentError,
            "rand: generator must be an autograd.Generator or a numpy.random.Generator.*got 5",
        ),
        (lambda: ag.randn(3, generator="g"), ArgumentError, "randn: generator must be"),
        (lambda: ag.rand(3, dtype=np.int64), DTypeError, "rand: draws floating-point numbers.*got int64"),
        (lambda: ag.manual_seed("x"), ArgumentError, "manual_seed: seed must be an integer, got 'x'"),
        (lambda: ag.manual_seed(1.5), ArgumentError, "manual_seed: seed must be an integer, got 1.5"),
        (lambda: ag.arange(0, float("nan")), DomainError, "arange: end must be finite, got nan"),
        (lambda: ag.arange(float("-inf"), 3), DomainError, "arange: start must be finite, got -inf"),
        (lambda: ag.zeros(3, dtype=complex), DTypeError, "zeros: a tensor cannot hold dtype complex128"),
    ],
)
def test_factory_misuse_gets_our_error(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, AutogradError)


def test_manual_seed_accepts_negative_seeds_as_pytorch_does():
    a = ag.randn(5, generator=ag.manual_seed(-1))
    b = ag.randn(5, generator=ag.manual_seed(-1))
    c = ag.randn(5, generator=ag.manual_seed(1))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())


# ---- optimizers: our own error for every bad hyperparameter and state dict ----------------------
def _params():
    import nn

    return [nn.Parameter(ag.tensor([1.0, 2.0]))]


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda nn, p: nn.optim.SGD(p, lr="abc"), ArgumentError, "SGD: lr must be a number, got 'abc'"),
        (lambda nn, p: nn.optim.Adam(p, lr=float("nan")), DomainError, "Adam: invalid lr nan; expected a finite"),
        (lambda nn, p: nn.optim.RMSprop(p, alpha=float("inf")), DomainError, "RMSprop: invalid alpha inf"),
        (lambda nn, p: nn.optim.Adam(p, betas=(0.9, "x")), ArgumentError, "Adam: betas must be a number"),
        (lambda nn, p: nn.optim.Adam(p, betas=0.9), ArgumentError, "Adam: betas must be 2 numbers, got 0.9"),
        (lambda nn, p: nn.optim.SGD(p, lr=0.1, nesterov="yes"), ArgumentError, "SGD: nesterov must be True or"),
        (lambda nn, p: nn.optim.SGD([], lr=0.1), DomainError, "SGD: got an empty parameter list"),
        (lambda nn, p: nn.optim.SGD([1.0], lr=0.1), ArgumentError, "SGD: can only optimize Tensors, got float"),
    ],
)
def test_optimizer_hyperparameter_misuse_gets_our_error(make, error, match):
    import nn

    with pytest.raises(error, match=match) as info:
        make(nn, _params())
    assert isinstance(info.value, AutogradError)


def test_optimizer_refuses_another_optimizers_state_naming_both():
    import nn
    from nn import StateDictError

    p = _params()
    adam = nn.optim.Adam(p)
    sgd = nn.optim.SGD(p, lr=0.1, momentum=0.9)
    with pytest.raises(StateDictError, match="SGD.load_state_dict: this is Adam's or AdamW's state, not SGD's"):
        sgd.load_state_dict(adam.state_dict())
    with pytest.raises(StateDictError, match="with keys 'state' and 'param_groups'.*got \\['a'\\]"):
        sgd.load_state_dict({"a": 1})
    with pytest.raises(StateDictError, match="expected an optimizer state dict"):
        sgd.load_state_dict([1, 2])


def test_optimizer_refuses_state_values_of_the_wrong_type_and_changes_nothing():
    import nn

    p = _params()
    sgd = nn.optim.SGD(p, lr=0.1, momentum=0.9)
    p[0].grad = ag.tensor([1.0, 1.0])
    sgd.step()
    before = sgd.state_dict()
    bad_state = {"state": {0: {"momentum_buffer": "x"}}, "param_groups": before["param_groups"]}
    with pytest.raises(ArgumentError, match="state 'momentum_buffer' of parameter 0 is str"):
        sgd.load_state_dict(bad_state)
    bad_lr = {"state": before["state"], "param_groups": [{**before["param_groups"][0], "lr": "fast"}]}
    with pytest.raises(ArgumentError, match="SGD: lr must be a number, got 'fast'"):
        sgd.load_state_dict(bad_lr)
    after = sgd.state_dict()
    assert after["param_groups"] == before["param_groups"]
    np.testing.assert_array_equal(after["state"][0]["momentum_buffer"], before["state"][0]["momentum_buffer"])


# ---- misuse of tensors, losses and data: our own errors ----------------------------------------
@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: ag.tensor([1.0]).leaky_relu("a"), ArgumentError, "leaky_relu: negative_slope must be a number"),
        (lambda: -ag.tensor([True]), DTypeError, "neg: negation, the `-` operator, on a bool tensor.*`~`"),
        (lambda: F.mse_loss(ag.tensor([1.0]), [1.0], reduction="avg"), DomainError, "reduction must be .*got 'avg'"),
        (lambda: F.smooth_l1_loss(ag.tensor([1.0]), [1.0], beta=-1), DomainError, "beta must be a finite number >= 0"),
        (lambda: F.smooth_l1_loss(ag.tensor([1.0]), [1.0], beta="x"), ArgumentError, "beta must be a number"),
    ],
)
def test_tensor_and_loss_misuse_gets_our_error(make, error, match):
    with pytest.raises(error, match=match) as info:
        make()
    assert isinstance(info.value, AutogradError)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda d: d.RandomCrop(4, padding=-2), DomainError, "RandomCrop: padding must be an integer >= 0, got -2"),
        (lambda d: d.RandomCrop(0), DomainError, "RandomCrop: size must be a positive integer"),
        (lambda d: d.make_moons(-5), DomainError, "make_moons: n .* must be an integer >= 0, got -5"),
        (lambda d: d.make_moons(10, noise=float("nan")), DomainError, "make_moons: noise .* got nan"),
        (lambda d: d.make_spirals(10, classes=0), DomainError, "make_spirals: classes must be an integer >= 1"),
        (lambda d: d.DataLoader([1, 2], batch_size=0), DomainError, "DataLoader: batch_size must be a positive"),
    ],
)
def test_data_misuse_gets_our_error_naming_the_argument_and_value(make, error, match):
    import nn.data

    with pytest.raises(error, match=match) as info:
        make(nn.data)
    assert isinstance(info.value, AutogradError)


def test_comparing_with_none_is_false_as_in_pytorch():
    x = ag.tensor([1.0, 2.0])
    assert (x == None) is False  # noqa: E711
    assert (x != None) is True  # noqa: E711
    np.testing.assert_array_equal((x == 1.0).numpy(), [True, False])
