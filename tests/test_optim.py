"""Optimizers, learning-rate schedulers and gradient clipping.

Every update is checked against the algorithm PyTorch documents, written out again here on plain
Python floats (`ref_*`, one coordinate at a time), and the first steps of the simplest settings
against numbers worked out by hand.
"""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor
from autograd.errors import DomainError
from nn.optim import SGD, Adadelta, Adagrad, Adam, AdamW, RMSprop
from nn.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, StepLR
from nn.utils import clip_grad_norm_, clip_grad_value_

THETA0 = [1.0, -2.0, 0.5]
GRADS = [[0.5, -1.0, 0.25], [-0.2, 0.3, 0.0], [0.7, 0.1, -0.4]]


def run(make_opt, grads=GRADS, theta0=THETA0, dtype=np.float64):
    """Parameter values after each step of an optimizer fed the gradients `grads`."""
    p = Tensor(np.array(theta0, dtype=dtype), requires_grad=True)
    opt = make_opt([p])
    out = []
    for g in grads:
        p.grad = Tensor(np.array(g, dtype=dtype))
        opt.step()
        out.append(p.numpy().copy())
    return np.array(out)


def per_coordinate(ref, grads=GRADS, theta0=THETA0):
    """Run a scalar reference rule `ref(theta0, [g1, g2, ...]) -> [theta1, theta2, ...]` per coordinate."""
    return np.array([ref(t, [g[i] for g in grads]) for i, t in enumerate(theta0)]).T


# ---- reference algorithms (PyTorch's documented pseudocode, on floats) -------------------------


def ref_sgd(theta, grads, lr, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False, maximize=False):
    out, b = [], None
    for t, g in enumerate(grads, 1):
        g = -g if maximize else g
        if weight_decay:
            g = g + weight_decay * theta
        if momentum:
            b = g if t == 1 else momentum * b + (1 - dampening) * g
            g = g + momentum * b if nesterov else b
        theta = theta - lr * g
        out.append(theta)
    return out


def ref_adagrad(theta, grads, lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
    out, s = [], initial_accumulator_value
    for t, g in enumerate(grads, 1):
        clr = lr / (1 + (t - 1) * lr_decay)
        if weight_decay:
            g = g + weight_decay * theta
        s = s + g * g
        theta = theta - clr * g / (math.sqrt(s) + eps)
        out.append(theta)
    return out


def ref_rmsprop(theta, grads, lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    out, v, b, g_ave = [], 0.0, 0.0, 0.0
    for g in grads:
        if weight_decay:
            g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g * g
        v_tilde = v
        if centered:
            g_ave = g_ave * alpha + (1 - alpha) * g
            v_tilde = v_tilde - g_ave**2
        if momentum > 0:
            b = momentum * b + g / (math.sqrt(v_tilde) + eps)
            theta = theta - lr * b
        else:
            theta = theta - lr * g / (math.sqrt(v_tilde) + eps)
        out.append(theta)
    return out


def ref_adadelta(theta, grads, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    out, v, u = [], 0.0, 0.0
    for g in grads:
        if weight_decay:
            g = g + weight_decay * theta
        v = v * rho + g * g * (1 - rho)
        dx = math.sqrt(u + eps) / math.sqrt(v + eps) * g
        u = u * rho + dx * dx * (1 - rho)
        theta = theta - lr * dx
        out.append(theta)
    return out


def ref_adam(theta, grads, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, decoupled=False):
    (b1, b2), out, m, v, v_max = betas, [], 0.0, 0.0, 0.0
    for t, g in enumerate(grads, 1):
        if weight_decay and decoupled:
            theta = theta - lr * weight_decay * theta
        elif weight_decay:
            g = g + weight_decay * theta
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        if amsgrad:
            v_max = max(v_max, v)
            v_hat = v_max / (1 - b2**t)
        else:
            v_hat = v / (1 - b2**t)
        theta = theta - lr * m_hat / (math.sqrt(v_hat) + eps)
        out.append(theta)
    return out


CASES = [
    (SGD, ref_sgd, dict(lr=0.1)),
    (SGD, ref_sgd, dict(lr=0.1, momentum=0.9)),
    (SGD, ref_sgd, dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.05)),
    (SGD, ref_sgd, dict(lr=0.1, momentum=0.8, nesterov=True, weight_decay=0.01)),
    (SGD, ref_sgd, dict(lr=0.1, momentum=0.5, maximize=True)),
    (Adagrad, ref_adagrad, dict(lr=0.1)),
    (Adagrad, ref_adagrad, dict(lr=0.1, lr_decay=0.5, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-3)),
    (RMSprop, ref_rmsprop, dict(lr=0.01)),
    (RMSprop, ref_rmsprop, dict(lr=0.01, alpha=0.9, weight_decay=0.1, momentum=0.7)),
    (RMSprop, ref_rmsprop, dict(lr=0.01, alpha=0.8, centered=True, momentum=0.5, eps=1e-3)),
    (Adadelta, ref_adadelta, dict()),
    (Adadelta, ref_adadelta, dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.2)),
    (Adam, ref_adam, dict(lr=0.1)),
    (Adam, ref_adam, dict(lr=0.1, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1)),
    (Adam, ref_adam, dict(lr=0.1, betas=(0.5, 0.6), amsgrad=True)),
]


@pytest.mark.parametrize("opt_cls, ref, kw", CASES, ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_update_follows_documented_algorithm(opt_cls, ref, kw):
    got = run(lambda params: opt_cls(params, **kw))
    expected = per_coordinate(lambda th, gs: ref(th, gs, **kw))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(
    "kw", [dict(lr=0.1), dict(lr=0.1, weight_decay=0.3), dict(lr=0.05, weight_decay=0.5, amsgrad=True)]
)
def test_adamw_decays_weights_outside_the_gradient(kw):
    got = run(lambda params: AdamW(params, **kw))
    full = {"weight_decay": 0.01, **kw}
    expected = per_coordinate(lambda th, gs: ref_adam(th, gs, decoupled=True, **full))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("opt_cls", [Adagrad, RMSprop, Adadelta, Adam, AdamW])
def test_maximize_is_the_rule_on_the_negated_gradient(opt_cls):
    up = run(lambda params: opt_cls(params, lr=0.1, maximize=True))
    negated = run(lambda params: opt_cls(params, lr=0.1), grads=[[-g for g in gs] for gs in GRADS])
    np.testing.assert_array_equal(up, negated)
    assert not np.allclose(up, run(lambda params: opt_cls(params, lr=0.1)))


def test_adamw_differs_from_adam_with_l2():
    adamw = run(lambda params: AdamW(params, lr=0.1, weight_decay=0.5))
    adam = run(lambda params: Adam(params, lr=0.1, weight_decay=0.5))
    assert np.abs(adamw - adam).max() > 1e-3


# ---- first steps worked out by hand -------------------------------------------------------------


def one_coordinate(make_opt, grads):
    return run(make_opt, grads=[[g] for g in grads], theta0=[1.0])[:, 0]


def test_sgd_momentum_by_hand():
    # g1 = 0.5 + 0.01·1 = 0.51, b1 = 0.51, θ1 = 1 − 0.1·0.51 = 0.949
    # g2 = −0.2 + 0.01·0.949 = −0.19051, b2 = 0.9·0.51 + 0.9·(−0.19051) = 0.287541, θ2 = 0.9202459
    got = one_coordinate(lambda p: SGD(p, lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01), [0.5, -0.2])
    np.testing.assert_allclose(got, [0.949, 0.9202459], rtol=1e-12)


def test_sgd_nesterov_by_hand():
    # b1 = 0.51, g1 = 0.51 + 0.9·0.51 = 0.969, θ1 = 0.9031
    # g2 = −0.190969, b2 = 0.459 − 0.190969 = 0.268031, g2 ← −0.190969 + 0.9·0.268031 = 0.0502589, θ2 = 0.89807411
    got = one_coordinate(lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01), [0.5, -0.2])
    np.testing.assert_allclose(got, [0.9031, 0.89807411], rtol=1e-12)


def test_adagrad_by_hand():
    # sum1 = 0.1 + 0.25, θ1 = 1 − 0.1·0.5/√0.35; lr2 = 0.1/1.5, sum2 = 0.39, θ2 = θ1 + (0.1/1.5)·0.2/√0.39
    got = one_coordinate(lambda p: Adagrad(p, lr=0.1, lr_decay=0.5, initial_accumulator_value=0.1), [0.5, -0.2])
    theta1 = 1 - 0.05 / math.sqrt(0.35)
    np.testing.assert_allclose(got, [theta1, theta1 + (0.1 / 1.5) * 0.2 / math.sqrt(0.39)], rtol=1e-9)


def test_adam_first_step_is_lr_times_sign():
    # m̂1 = g, v̂1 = g², so θ1 = θ0 − lr·g/(|g| + ε) ≈ θ0 − lr·sign(g)
    got = one_coordinate(lambda p: Adam(p, lr=0.01), [-3.0])
    np.testing.assert_allclose(got, [1.0 + 0.01 * 3.0 / (3.0 + 1e-8)], rtol=1e-12)


def test_rmsprop_by_hand():
    # v1 = 0.01·0.25 = 0.0025, θ1 = 1 − 0.01·0.5/(0.05 + 1e-8)
    got = one_coordinate(lambda p: RMSprop(p, lr=0.01), [0.5])
    np.testing.assert_allclose(got, [1 - 0.01 * 0.5 / (0.05 + 1e-8)], rtol=1e-12)


def test_adadelta_by_hand():
    # v1 = 0.1·0.25 = 0.025, Δx1 = √(1e-6)/√(0.025 + 1e-6)·0.5, θ1 = 1 − Δx1
    got = one_coordinate(lambda p: Adadelta(p), [0.5])
    np.testing.assert_allclose(got, [1 - math.sqrt(1e-6) / math.sqrt(0.025 + 1e-6) * 0.5], rtol=1e-12)


# ---- the optimizer machinery ---------------------------------------------------------------------


def test_gradient_from_backward_drives_sgd():
    p = Tensor([1.0, -2.0], requires_grad=True)
    opt = SGD([p], lr=0.25)
    (p * p).sum().backward()  # grad 2p
    opt.step()
    np.testing.assert_allclose(p.numpy(), [0.5, -1.0])


def test_params_without_grad_are_skipped_and_get_no_state():
    a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
    opt = Adam([a, b], lr=0.1)
    a.grad = Tensor([1.0])
    opt.step()
    assert b.numpy().tolist() == [2.0] and a.numpy()[0] < 1.0
    assert list(opt.state_dict()["state"]) == [0]


@pytest.mark.parametrize("opt_cls", [SGD, Adagrad, RMSprop, Adadelta, Adam, AdamW])
def test_float32_stays_float32(opt_cls):
    kw = dict(momentum=0.9) if opt_cls in (SGD, RMSprop) else {}
    out = run(lambda params: opt_cls(params, lr=0.1, **kw), dtype=np.float32)
    assert out.dtype == np.float32
    expected = run(lambda params: opt_cls(params, lr=0.1, **kw), dtype=np.float64)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


def test_update_is_in_place_on_the_same_array():
    p = Tensor([1.0, 2.0], requires_grad=True)
    array = p.numpy()
    opt = SGD([p], lr=0.1)
    p.grad = Tensor([1.0, 1.0])
    opt.step()
    assert p.numpy() is array and p.grad_fn is None
    np.testing.assert_allclose(array, [0.9, 1.9], rtol=1e-6)


def test_param_groups_have_their_own_hyperparameters():
    a, b = Tensor([1.0], requires_grad=True), Tensor([1.0], requires_grad=True)
    opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.5, "momentum": 0.9}], lr=0.1)
    assert opt.param_groups[0]["lr"] == 0.1 and opt.param_groups[0]["momentum"] == 0.0
    for _ in range(2):
        a.grad, b.grad = Tensor([1.0]), Tensor([1.0])
        opt.step()
    np.testing.assert_allclose(a.numpy(), [1 - 0.1 - 0.1], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [1 - 0.5 - 0.5 * (0.9 + 1)], rtol=1e-6)


def test_add_param_group_later_and_lr_change_take_effect():
    a, b = Tensor([1.0], requires_grad=True), Tensor([1.0], requires_grad=True)
    opt = SGD([a], lr=0.1)
    opt.add_param_group({"params": b, "lr": 0.01})
    opt.param_groups[0]["lr"] = 0.2
    a.grad, b.grad = Tensor([1.0]), Tensor([1.0])
    opt.step()
    np.testing.assert_allclose([a.numpy()[0], b.numpy()[0]], [0.8, 0.99], rtol=1e-6)


def test_bad_params_and_hyperparameters_are_rejected():
    p = Tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="one Tensor"):
        SGD(p, lr=0.1)
    with pytest.raises(TypeError, match="floating-point"):
        SGD([Tensor([1, 2])], lr=0.1)
    with pytest.raises(ValueError, match="leaf tensors; this one was made by Mul"):
        SGD([p * 2], lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        SGD([{"params": [p]}, {"params": [p]}], lr=0.1)
    with pytest.raises(DomainError, match="invalid lr -1.0; expected a number >= 0"):
        Adam([p], lr=-1.0)
    with pytest.raises(DomainError, match="betas"):
        Adam([p], betas=(0.9, 1.0))
    with pytest.raises(DomainError, match="Nesterov"):
        SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(DomainError, match="invalid momentum -0.5"):
        SGD([p], lr=0.1, momentum=-0.5)
    with pytest.raises(DomainError, match="invalid rho 1.5"):
        Adadelta([p], rho=1.5)
    with pytest.raises(DomainError, match="invalid alpha -1"):
        RMSprop([p], alpha=-1)
    with pytest.raises(DomainError, match="invalid lr_decay -1"):
        Adagrad([p], lr_decay=-1)
    with pytest.raises(DomainError, match="step_size must be a positive integer, got 0"):
        StepLR(SGD([p], lr=0.1), step_size=0)
    with pytest.raises(DomainError, match="T_max must be a positive integer, got 0"):
        CosineAnnealingLR(SGD([p], lr=0.1), T_max=0)
    with pytest.raises(ValueError, match="unknown hyperparameter"):
        SGD([{"params": [p], "learning_rate": 0.1}], lr=0.1)


def test_gradient_of_wrong_shape_is_a_clear_error():
    p = Tensor([1.0, 2.0], requires_grad=True)
    p.grad = Tensor([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"shape \(2,\) has a gradient of shape \(3,\)"):
        SGD([p], lr=0.1).step()


def test_zero_grad():
    p = Tensor([1.0, 2.0], requires_grad=True)
    opt = SGD([p], lr=0.1)
    p.grad = Tensor([3.0, 4.0])
    opt.zero_grad(set_to_none=False)
    assert p.grad.numpy().tolist() == [0.0, 0.0]
    opt.zero_grad()
    assert p.grad is None


def test_step_calls_the_closure_and_returns_its_loss():
    p = Tensor([3.0], requires_grad=True)
    opt = SGD([p], lr=0.5)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    assert opt.step(closure).item() == 9.0
    np.testing.assert_allclose(p.numpy(), [0.0])


# ---- state dicts ------------------------------------------------------------------------------------


STATEFUL = [
    (SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
    (Adagrad, dict(lr=0.1, lr_decay=0.1)),
    (RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
    (Adadelta, dict(weight_decay=0.1)),
    (Adam, dict(lr=0.1, amsgrad=True)),
    (AdamW, dict(lr=0.1)),
]


def _model_and_opt(opt_cls, kw):
    w = Tensor(np.array([[1.0, -1.0], [0.5, 2.0]]), requires_grad=True)
    b = Tensor(np.array([0.1, -0.3]), requires_grad=True)
    opt = opt_cls([{"params": [w]}, {"params": [b], "lr": 0.05}], **kw)
    return [w, b], opt


def _steps(params, opt, grads):
    for gw, gb in grads:
        params[0].grad, params[1].grad = Tensor(gw), Tensor(gb)
        opt.step()


@pytest.mark.parametrize("opt_cls, kw", STATEFUL, ids=[c.__name__ for c, _ in STATEFUL])
def test_state_dict_round_trip_through_a_file_continues_identically(opt_cls, kw, tmp_path):
    rng = np.random.default_rng(0)
    grads = [(rng.standard_normal((2, 2)), rng.standard_normal(2)) for _ in range(5)]
    params, opt = _model_and_opt(opt_cls, kw)
    _steps(params, opt, grads[:3])
    nn.save(opt.state_dict(), tmp_path / "opt.npz")
    snapshot = [p.numpy().copy() for p in params]
    _steps(params, opt, grads[3:])  # the uninterrupted run

    fresh, opt2 = _model_and_opt(opt_cls, {**kw, "lr": 123.0})
    for p, s in zip(fresh, snapshot):
        p.numpy()[...] = s
    opt2.load_state_dict(nn.load(tmp_path / "opt.npz"))
    assert opt2.param_groups[0]["lr"] == kw.get("lr", 1.0) and opt2.param_groups[1]["lr"] == 0.05
    _steps(fresh, opt2, grads[3:])
    for p, q in zip(params, fresh):
        np.testing.assert_array_equal(p.numpy(), q.numpy())


def test_state_dict_uses_integer_indices_and_copies():
    params, opt = _model_and_opt(Adam, dict(lr=0.1))
    _steps(params, opt, [(np.ones((2, 2)), np.ones(2))])
    sd = opt.state_dict()
    assert [g["params"] for g in sd["param_groups"]] == [[0], [1]]
    assert sorted(sd["state"]) == [0, 1] and sd["state"][1]["step"] == 1
    sd["state"][0]["exp_avg"][...] = 99.0
    assert opt.state_dict()["state"][0]["exp_avg"].max() < 1.0


def test_load_state_dict_rejects_a_different_layout():
    params, opt = _model_and_opt(Adam, dict(lr=0.1))
    other = Adam([Tensor([1.0], requires_grad=True)], lr=0.1)
    with pytest.raises(ValueError, match="parameter groups"):
        other.load_state_dict(opt.state_dict())
    _steps(params, opt, [(np.ones((2, 2)), np.ones(2))])
    swapped = Adam([{"params": [params[1]]}, {"params": [params[0]]}], lr=0.1)
    with pytest.raises(ValueError, match="shape"):
        swapped.load_state_dict(opt.state_dict())
    stray = opt.state_dict()
    stray["state"][7] = stray["state"].pop(1)
    with pytest.raises(ValueError, match="index 7"):
        opt.load_state_dict(stray)


# ---- schedulers ------------------------------------------------------------------------------------


def lr_sequence(make_sched, epochs, lrs=(0.1, 0.02)):
    params = [Tensor([1.0], requires_grad=True) for _ in lrs]
    opt = SGD([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)])
    sched = make_sched(opt)
    seq = [sched.get_last_lr()]
    for _ in range(epochs):
        opt.step()
        sched.step()
        seq.append(sched.get_last_lr())
        assert [g["lr"] for g in opt.param_groups] == seq[-1]
    return np.array(seq)


def test_step_lr():
    got = lr_sequence(lambda opt: StepLR(opt, step_size=3, gamma=0.5), 8)
    np.testing.assert_allclose(got[:, 0], [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025])
    np.testing.assert_allclose(got[:, 1], [0.02 * 0.5 ** (e // 3) for e in range(9)])


def test_exponential_lr():
    got = lr_sequence(lambda opt: ExponentialLR(opt, gamma=0.9), 6)
    np.testing.assert_allclose(got, [[0.1 * 0.9**e, 0.02 * 0.9**e] for e in range(7)])


def test_cosine_annealing_matches_closed_form_and_pytorch_recursive_form():
    T, eta_min, base = 4, 0.001, 0.1
    got = lr_sequence(lambda opt: CosineAnnealingLR(opt, T_max=T, eta_min=eta_min), 12)[:, 0]
    closed = [eta_min + (base - eta_min) * (1 + math.cos(math.pi * e / T)) / 2 for e in range(13)]
    np.testing.assert_allclose(got, closed, rtol=1e-12)
    assert got[0] == pytest.approx(base) and got[T] == pytest.approx(eta_min) and got[2 * T] == pytest.approx(base)
    # PyTorch's recursive (chainable) form, step by step from the base lr
    rec = [base]
    for e in range(1, 13):
        if (e - 1 - T) % (2 * T) == 0:
            rec.append(rec[-1] + (base - eta_min) * (1 - math.cos(math.pi / T)) / 2)
        else:
            ratio = (1 + math.cos(math.pi * e / T)) / (1 + math.cos(math.pi * (e - 1) / T))
            rec.append(ratio * (rec[-1] - eta_min) + eta_min)
    np.testing.assert_allclose(got, rec, rtol=1e-9)


def test_scheduler_state_dict_resumes():
    p = Tensor([1.0], requires_grad=True)
    opt = SGD([p], lr=1.0)
    sched = StepLR(opt, step_size=2, gamma=0.1)
    for _ in range(3):
        opt.step()
        sched.step()
    saved = sched.state_dict()
    assert saved["last_epoch"] == 3 and "optimizer" not in saved
    opt2 = SGD([Tensor([1.0], requires_grad=True)], lr=1.0)
    sched2 = StepLR(opt2, step_size=2, gamma=0.1)
    opt2.load_state_dict(opt.state_dict())  # the step rule is chainable (on the current lr), as PyTorch's
    sched2.load_state_dict(saved)
    sched.step()
    sched2.step()
    assert sched2.get_last_lr() == sched.get_last_lr() == pytest.approx([0.01])


def test_scheduler_resuming_without_initial_lr_is_an_error():
    opt = SGD([Tensor([1.0], requires_grad=True)], lr=1.0)
    with pytest.raises(KeyError, match="initial_lr"):
        StepLR(opt, step_size=2, last_epoch=4)


# ---- clipping ----------------------------------------------------------------------------------------


def _with_grads(*grads):
    params = []
    for g in grads:
        p = Tensor(np.zeros(len(g), dtype=np.float32), requires_grad=True)
        p.grad = Tensor(np.array(g, dtype=np.float32))
        params.append(p)
    return params


def test_clip_grad_norm_scales_all_gradients_together():
    a, b = _with_grads([3.0, 4.0], [12.0])  # global 2-norm √(9 + 16 + 144) = 13
    none = Tensor([1.0], requires_grad=True)
    total = clip_grad_norm_([a, b, none], max_norm=6.5)
    assert total.item() == pytest.approx(13.0) and total.dtype == np.float32
    scale = 6.5 / (13.0 + 1e-6)
    np.testing.assert_allclose(a.grad.numpy(), [3 * scale, 4 * scale], rtol=1e-6)
    np.testing.assert_allclose(b.grad.numpy(), [12 * scale], rtol=1e-6)
    assert a.grad.dtype == np.float32 and none.grad is None


def test_clip_grad_norm_leaves_small_gradients_and_supports_other_norms():
    (a,) = _with_grads([0.3, -0.4])
    assert clip_grad_norm_(a, max_norm=1.0).item() == pytest.approx(0.5)
    np.testing.assert_allclose(a.grad.numpy(), [0.3, -0.4], rtol=1e-6)
    a, b = _with_grads([1.0, -5.0], [2.0])
    assert clip_grad_norm_([a, b], max_norm=2.5, norm_type=float("inf")).item() == pytest.approx(5.0)
    np.testing.assert_allclose(a.grad.numpy(), [0.5, -2.5], rtol=1e-6)
    a, b = _with_grads([1.0, -5.0], [2.0])
    assert clip_grad_norm_([a, b], max_norm=100.0, norm_type=1).item() == pytest.approx(8.0)


def test_clip_grad_norm_nonfinite():
    (a,) = _with_grads([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="inf"):
        clip_grad_norm_(a, 1.0, error_if_nonfinite=True)


def test_clip_grad_value():
    a, b = _with_grads([3.0, -0.5, -7.0], [0.1])
    clip_grad_value_([a, b], 1.0)
    assert a.grad.numpy().tolist() == [1.0, -0.5, -1.0] and b.grad.numpy().tolist() == pytest.approx([0.1])
