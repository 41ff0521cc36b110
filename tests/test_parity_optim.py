"""nn.optim against torch.optim: every optimizer's 20-step trajectory on a small float64 problem (a quadratic
plus a nonconvex term, two parameter groups with different options) from the same initial weights, a
state-dict round trip mid-run, and every scheduler's learning-rate (and momentum) sequence over 100 steps."""

import warnings

import numpy as np
import pytest
import torch

import autograd as ag
from autograd.errors import ArgumentError, DomainError
from tests.parity import as_numpy, assert_same

W0 = np.array([0.8, -1.3, 0.4, 2.1])
B0 = np.array([[0.5, -0.2], [1.5, -0.7]])
SCALE = np.array([1.0, 3.0, 0.5, 2.0])


def loss_of(m, w, b):
    """½Σ a·w² + Σ sin(3w) + ½Σ(b − 1)² + Σ cos(2b)·0.3 + (w₀b₀₀)²/4: nonconvex, coupled across groups."""
    a = m.tensor(SCALE)
    return (
        0.5 * (a * w * w).sum()
        + m.sin(3 * w).sum()
        + 0.5 * ((b - 1) ** 2).sum()
        + 0.3 * m.cos(2 * b).sum()
        + 0.25 * (w[0] * b[0, 0]) ** 2
    )


def make(m, opt_name, groups, kw, w0=W0, b0=B0):
    w = m.tensor(w0.copy(), requires_grad=True)
    b = m.tensor(b0.copy(), requires_grad=True)
    g0, g1 = groups
    params = [{"params": [w], **g0}, {"params": [b], **g1}] if g1 is not None else [w, b]
    return (w, b), getattr(m.optim, opt_name)(params, **kw)


def advance(m, params, opt, steps, closure_style=False):
    w, b = params
    out = []
    for _ in range(steps):

        def closure():
            opt.zero_grad()
            loss = loss_of(m, w, b)
            loss.backward()
            return loss

        if closure_style:
            opt.step(closure)
        else:
            closure()
            opt.step()
        out.append(np.concatenate([w.detach().numpy().ravel(), b.detach().numpy().ravel()]))
    return np.array(out)


CASES = {
    "SGD": ({"lr": 0.05}, {"lr": 0.02, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.1}, {}),
    "SGD-nesterov": ({"momentum": 0.8, "nesterov": True}, {"maximize": False, "weight_decay": 0.05}, {"lr": 0.03}),
    "Adam": ({"lr": 0.05, "amsgrad": True}, {"betas": (0.8, 0.95), "weight_decay": 0.1}, {"lr": 0.02}),
    "AdamW": ({"lr": 0.05}, {"amsgrad": True, "weight_decay": 0.3}, {"lr": 0.02}),
    "Adam-decoupled": ({"weight_decay": 0.2}, {"amsgrad": True}, {"lr": 0.02, "decoupled_weight_decay": True}),
    # PyTorch reads initial_accumulator_value from the constructor only, and so do we
    "Adagrad": ({"lr_decay": 0.01}, {"weight_decay": 0.1}, {"lr": 0.1, "initial_accumulator_value": 0.1}),
    "Adadelta": ({"rho": 0.8}, {"weight_decay": 0.1, "lr": 0.5}, {"lr": 1.0}),
    "RMSprop": ({"centered": True, "momentum": 0.5}, {"alpha": 0.9, "weight_decay": 0.1}, {"lr": 0.01}),
    "NAdam": ({"momentum_decay": 0.01}, {"weight_decay": 0.1, "decoupled_weight_decay": True}, {"lr": 0.05}),
    "NAdam-l2": ({"weight_decay": 0.2}, {"betas": (0.7, 0.9)}, {"lr": 0.05}),
    "RAdam": ({"betas": (0.9, 0.9)}, {"weight_decay": 0.1, "decoupled_weight_decay": True}, {"lr": 0.05}),
    "RAdam-l2": ({"weight_decay": 0.1}, {"lr": 0.01}, {"lr": 0.05}),
    "Adamax": ({"betas": (0.8, 0.99)}, {"weight_decay": 0.1, "lr": 0.01}, {"lr": 0.05}),
    "ASGD": ({"lambd": 0.01, "t0": 5.0}, {"weight_decay": 0.1, "alpha": 0.5, "lr": 0.02}, {"lr": 0.05}),
    "Rprop": ({"etas": (0.3, 1.5)}, {"step_sizes": (1e-3, 0.2), "lr": 0.05}, {"lr": 0.01}),
    "maximize": ({"maximize": True}, {}, {"lr": 0.01}),
}


def resolve(case):
    name = case.split("-")[0]
    g0, g1, kw = CASES[case]
    if case == "maximize":
        return "SGD", (g0, g1), kw
    return name, (g0, g1), kw


@pytest.mark.parametrize("case", list(CASES))
def test_trajectory_matches_torch(case):
    name, groups, kw = resolve(case)
    ours = advance(ag, *make(ag, name, groups, kw), 20)
    theirs = advance(torch, *make(torch, name, groups, kw), 20)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-12)
    assert np.abs(ours[-1] - ours[0]).max() > 1e-3  # it moved


MAXIMIZERS = ["SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "RMSprop", "NAdam", "RAdam", "Adamax", "ASGD", "Rprop"]


@pytest.mark.parametrize("name", MAXIMIZERS)
def test_maximize_matches_torch(name):
    groups = ({"maximize": True}, {"maximize": True})
    kw = {"lr": 0.01}
    ours = advance(ag, *make(ag, name, groups, kw), 5)
    theirs = advance(torch, *make(torch, name, groups, kw), 5)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-12)


LBFGS_CASES = [
    (ls, kw, 1.0) for ls in (None, "strong_wolfe") for kw in ({}, {"lr": 0.5, "max_iter": 4, "history_size": 3})
] + [
    # far out, the line search zooms a dozen times; without it lr=2 is chaotic here (rounding grows ~3x an
    # iteration, so two exact implementations part after ~15 iterations)
    ("strong_wolfe", {"lr": 2.0, "max_iter": 5, "history_size": 2}, 3.0)
]


@pytest.mark.parametrize("line_search_fn, kw, start", LBFGS_CASES)
def test_lbfgs_matches_torch(line_search_fn, kw, start):
    kw = {**kw, "line_search_fn": line_search_fn}
    steps = 20 if kw.get("max_iter") else 3
    ours = advance(ag, *make(ag, "LBFGS", ({}, None), kw, W0 * start, B0 * start), steps, closure_style=True)
    theirs = advance(torch, *make(torch, "LBFGS", ({}, None), kw, W0 * start, B0 * start), steps, closure_style=True)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("case", [*CASES, "LBFGS", "LBFGS-wolfe"])
def test_state_dict_round_trip_mid_run_continues_identically(case):
    if case.startswith("LBFGS"):
        name, groups, kw, closure_style = "LBFGS", ({}, None), {"max_iter": 3, "history_size": 4}, True
        if case == "LBFGS-wolfe":
            kw["line_search_fn"] = "strong_wolfe"
    else:
        (name, groups, kw), closure_style = resolve(case), False
    params, opt = make(ag, name, groups, kw)
    advance(ag, params, opt, 6, closure_style)
    saved = opt.state_dict()
    snapshot = [p.detach().numpy().copy() for p in params]
    rest = advance(ag, params, opt, 6, closure_style)

    params2, opt2 = make(ag, name, groups, {**kw, "lr": 7.0}, *snapshot)
    opt2.load_state_dict(saved)
    np.testing.assert_array_equal(advance(ag, params2, opt2, 6, closure_style), rest)


@pytest.mark.parametrize(
    "case", ["SGD", "Adam", "AdamW", "Adagrad", "RMSprop", "NAdam", "RAdam", "Adamax", "ASGD", "Rprop"]
)
def test_a_pytorch_optimizer_state_dict_loads_and_continues_as_pytorch(case):
    """`opt.load_state_dict(torch_opt.state_dict())`: PyTorch's extra group keys (foreach, fused,
    capturable, differentiable) are dropped, its tensors become arrays, its 0-d step a number."""
    name, groups, kw = resolve(case)
    (tw, tb), theirs = make(torch, name, groups, kw)
    advance(torch, (tw, tb), theirs, 10)
    (w, b), ours = make(ag, name, groups, kw, w0=tw.detach().numpy(), b0=tb.detach().numpy())
    ours.load_state_dict(theirs.state_dict())
    assert not {"foreach", "fused", "capturable", "differentiable"} & set(ours.param_groups[0])
    np.testing.assert_allclose(
        advance(ag, (w, b), ours, 10), advance(torch, (tw, tb), theirs, 10), rtol=1e-6, atol=1e-12
    )


def test_optimizer_errors_are_ours():
    p = ag.tensor([1.0, 2.0], requires_grad=True)
    q = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(DomainError, match="Nesterov"):
        ag.optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)
    with pytest.raises(DomainError, match="Nesterov"):
        ag.optim.SGD([{"params": [p], "nesterov": True}], lr=0.1)  # no momentum
    with pytest.raises(DomainError, match="parameter groups"):
        ag.optim.LBFGS([{"params": [p]}, {"params": [q]}])
    with pytest.raises(DomainError, match="line_search_fn"):
        ag.optim.LBFGS([p], line_search_fn="armijo")
    with pytest.raises(ArgumentError, match="closure"):
        ag.optim.LBFGS([p]).step()
    with pytest.raises(DomainError, match="etas"):
        ag.optim.Rprop([p], etas=(1.2, 0.5))
    with pytest.raises(DomainError, match="betas"):
        ag.optim.NAdam([p], betas=(0.9, 1.5))
    with pytest.raises(DomainError, match="momentum_decay"):
        ag.optim.NAdam([p], momentum_decay=-1.0)
    with pytest.raises(ArgumentError, match="decoupled_weight_decay must be True or False"):
        ag.optim.RAdam([p], decoupled_weight_decay=1)


def test_zero_grad_sets_none_by_default_as_torch():
    for m in (ag, torch):
        p = m.tensor([1.0, 2.0], requires_grad=True)
        opt = m.optim.Adam([p])
        (p * p).sum().backward()
        opt.zero_grad()
        assert p.grad is None
        (p * p).sum().backward()
        opt.zero_grad(set_to_none=False)
        assert p.grad.tolist() == [0.0, 0.0]


def test_adagrad_starts_every_accumulator_from_the_constructors_value_as_torch():
    """PyTorch fills state_sum when the optimizer is made, from the constructor's argument: a group's
    own initial_accumulator_value, and a group added later, start from it too."""
    results = []
    for m in (ag, torch):
        p, q, r = (m.tensor([1.0, -2.0], dtype=m.float64, requires_grad=True) for _ in range(3))
        opt = m.optim.Adagrad(
            [{"params": [p]}, {"params": [q], "initial_accumulator_value": 5.0}], lr=0.5, initial_accumulator_value=0.5
        )
        saved = opt.state_dict()["state"]
        sums = (sorted(saved), [np.array(as_numpy(saved[i]["sum"])) for i in sorted(saved)])  # PyTorch's are live
        opt.add_param_group({"params": [r], "initial_accumulator_value": 3.0})
        for _ in range(3):
            opt.zero_grad()
            (p * p + q**3 + r.exp()).sum().backward()
            opt.step()
        results.append((*sums, p, q, r))
    assert_same(*results)


# ---- schedulers ---------------------------------------------------------------------------------------


class Halve:
    """A callable object: its attributes go into the state dict."""

    def __init__(self):
        self.rate = 0.97

    def __call__(self, epoch):
        return self.rate**epoch


def _schedule(m, make, steps=100, optimizer="SGD", metrics=None):
    """Each step's (lr, momentum) of both groups and get_last_lr(), for 100 steps after construction."""
    w, b = m.tensor([1.0], requires_grad=True), m.tensor([1.0], requires_grad=True)
    if optimizer == "SGD":
        opt = m.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1, momentum=0.9)
    else:
        opt = m.optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1)
    sched = make(m.optim.lr_scheduler, opt)

    def row():
        groups = opt.param_groups
        mom = [g["momentum"] if "momentum" in g else g["betas"][0] for g in groups]
        return [*(g["lr"] for g in groups), *mom, *sched.get_last_lr()]

    out = [row()]
    for i in range(steps):
        opt.step()
        sched.step(metrics[i]) if metrics is not None else sched.step()
        out.append(row())
    return np.array(out, dtype=float), sched


def _sequential(L, opt):
    return L.SequentialLR(opt, [L.LinearLR(opt, 0.1, total_iters=10), L.CosineAnnealingLR(opt, 30)], milestones=[10])


def _sequential3(L, opt):
    a, b = L.ConstantLR(opt, 0.5, total_iters=7), L.ExponentialLR(opt, 0.95)
    return L.SequentialLR(opt, [a, b, L.StepLR(opt, 9, 0.5)], milestones=[20, 50])


def _chained(L, opt):
    return L.ChainedScheduler([L.LinearLR(opt, 0.2, total_iters=8), L.ExponentialLR(opt, 0.97), L.StepLR(opt, 15)])


PLATEAU = [1.0 / (1 + i) if i < 30 else 0.03 + 0.001 * ((i * 7) % 5) for i in range(100)]
RISING = [min(i, 40) * 0.1 + 0.001 * (i % 3) for i in range(100)]

SCHEDULES = {
    "LambdaLR": lambda L, o: L.LambdaLR(o, [lambda e: 1 / (1 + e), Halve()]),
    "MultiplicativeLR": lambda L, o: L.MultiplicativeLR(o, lambda e: 0.95 if e % 2 else 1.01),
    "StepLR": lambda L, o: L.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda L, o: L.MultiStepLR(o, milestones=[10, 25, 25, 60], gamma=0.3),
    "ConstantLR": lambda L, o: L.ConstantLR(o, factor=0.25, total_iters=12),
    "LinearLR": lambda L, o: L.LinearLR(o, start_factor=0.05, end_factor=0.8, total_iters=40),
    "ExponentialLR": lambda L, o: L.ExponentialLR(o, gamma=0.96),
    "PolynomialLR": lambda L, o: L.PolynomialLR(o, total_iters=60, power=2.0),
    "CosineAnnealingLR": lambda L, o: L.CosineAnnealingLR(o, T_max=30, eta_min=1e-3),
    "WarmRestarts": lambda L, o: L.CosineAnnealingWarmRestarts(o, T_0=7, T_mult=2, eta_min=1e-4),
    "WarmRestarts-1": lambda L, o: L.CosineAnnealingWarmRestarts(o, T_0=9),
    "CyclicLR": lambda L, o: L.CyclicLR(o, 0.01, [0.1, 0.2], step_size_up=9, step_size_down=5),
    "CyclicLR-tri2": lambda L, o: L.CyclicLR(o, [0.01, 0.002], 0.1, step_size_up=6, mode="triangular2"),
    "CyclicLR-exp": lambda L, o: L.CyclicLR(o, 0.01, 0.1, 8, mode="exp_range", gamma=0.98, base_momentum=0.7),
    "CyclicLR-nomom": lambda L, o: L.CyclicLR(o, 0.01, 0.1, 8, cycle_momentum=False),
    "OneCycleLR": lambda L, o: L.OneCycleLR(o, max_lr=[0.5, 0.1], total_steps=100),
    "OneCycleLR-linear3": lambda L, o: L.OneCycleLR(
        o, 0.3, epochs=10, steps_per_epoch=10, pct_start=0.25, anneal_strategy="linear", three_phase=True
    ),
    "Plateau": lambda L, o: L.ReduceLROnPlateau(o, patience=3, factor=0.5, cooldown=2, min_lr=[1e-3, 1e-4]),
    "Plateau-max-abs": lambda L, o: L.ReduceLROnPlateau(
        o, mode="max", threshold=0.05, threshold_mode="abs", patience=2, eps=1e-3
    ),
    "SequentialLR": _sequential,
    "SequentialLR-3": _sequential3,
    "ChainedScheduler": _chained,
}


def _metrics(case):
    return {"Plateau": PLATEAU, "Plateau-max-abs": RISING}.get(case)


# momentum cycling writes SGD's momentum, or Adam's beta1
SCHEDULE_CASES = [(c, "SGD") for c in SCHEDULES] + [(c, "Adam") for c in SCHEDULES if c.startswith(("Cyc", "One"))]


@pytest.mark.parametrize("case, optimizer", SCHEDULE_CASES)
def test_schedule_matches_torch(case, optimizer):
    ours, _ = _schedule(ag, SCHEDULES[case], optimizer=optimizer, metrics=_metrics(case))
    theirs, _ = _schedule(torch, SCHEDULES[case], optimizer=optimizer, metrics=_metrics(case))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-15)
    assert len(np.unique(ours[:, 0])) > 1  # the lr did change


@pytest.mark.parametrize("case", list(SCHEDULES))
def test_schedule_state_dict_resumes(case):
    """Save optimizer and scheduler at step 40, load both into fresh ones: the next 60 lrs are the same."""
    metrics = _metrics(case) or [None] * 100
    full, _ = _schedule(ag, SCHEDULES[case], metrics=_metrics(case))
    _, sched = _schedule(ag, SCHEDULES[case], steps=40, metrics=_metrics(case))
    opt_state, sched_state = sched.optimizer.state_dict(), sched.state_dict()
    assert "optimizer" not in sched_state
    w, b = ag.tensor([1.0], requires_grad=True), ag.tensor([1.0], requires_grad=True)
    opt = ag.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1, momentum=0.9)
    fresh = SCHEDULES[case](ag.optim.lr_scheduler, opt)
    opt.load_state_dict(opt_state)
    fresh.load_state_dict(sched_state)
    assert getattr(fresh, "last_epoch", None) == getattr(sched, "last_epoch", None)
    for i in range(40, 100):
        opt.step()
        fresh.step(metrics[i]) if metrics[i] is not None else fresh.step()
        np.testing.assert_allclose(fresh.get_last_lr(), full[i + 1, 4:], rtol=1e-12)


def test_scheduler_errors_are_ours():
    L = ag.optim.lr_scheduler
    opt = ag.optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
    for make in (
        lambda o: L.StepLR(o, 3),
        lambda o: L.LambdaLR(o, lambda e: 1.0),
        lambda o: L.CyclicLR(o, 0.01, 0.1),
        lambda o: L.OneCycleLR(o, 0.1, total_steps=10),
        lambda o: L.ReduceLROnPlateau(o),
        lambda o: L.SequentialLR(o, [L.StepLR(opt, 3)], []),
    ):
        with pytest.raises(ArgumentError, match="needs an optimizer"):
            make(None)
        with pytest.raises(ArgumentError, match="expected an Optimizer, got Linear"):
            make(ag.nn.Linear(2, 2))
    with pytest.raises(ArgumentError, match="scheduler 0 is a SGD, not an LRScheduler"):
        L.ChainedScheduler([opt])
    with pytest.raises(DomainError, match="factor must be < 1.0"):
        L.ReduceLROnPlateau(opt, factor=1.5)
    with pytest.raises(DomainError, match="mode must be 'min' or 'max'"):
        L.ReduceLROnPlateau(opt, mode="up")
    with pytest.raises(DomainError, match="expected 1 milestones for 2 schedulers"):
        L.SequentialLR(opt, [L.StepLR(opt, 3), L.StepLR(opt, 4)], [2, 5])
    with pytest.raises(DomainError, match="different optimizer"):
        other = ag.optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
        L.ChainedScheduler([L.StepLR(opt, 3), L.StepLR(other, 3)])
    with pytest.raises(DomainError, match="neither momentum nor betas"):
        L.CyclicLR(ag.optim.Adagrad([ag.tensor([1.0], requires_grad=True)]), 0.01, 0.1)
    with pytest.raises(ArgumentError, match="total_steps"):
        L.OneCycleLR(opt, 0.1)
    sched = L.OneCycleLR(opt, 0.1, total_steps=3)
    for _ in range(3):
        opt.step()
        sched.step()
    with pytest.raises(DomainError, match="tried to step 4 times"):
        sched.step()
    with pytest.raises(ArgumentError, match="metric"):
        L.ReduceLROnPlateau(opt).step()


def _order_warnings(m, make, optimizer_first, replace_step=False):
    """The messages of the warnings raised by two scheduler steps (with the optimizer stepping first or not)."""
    w, b = m.tensor([1.0], requires_grad=True), m.tensor([1.0], requires_grad=True)
    opt = m.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1, momentum=0.9)
    sched = make(m.optim.lr_scheduler, opt)
    if replace_step:
        opt.step = lambda closure=None: None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            if optimizer_first:
                opt.step()
            sched.step(1.0) if isinstance(sched, m.optim.lr_scheduler.ReduceLROnPlateau) else sched.step()
    return [str(c.message) for c in caught if issubclass(c.category, UserWarning)]


@pytest.mark.parametrize("case", list(SCHEDULES))
def test_scheduler_before_optimizer_warns_as_torch(case):
    """PyTorch warns once per scheduler at its first step() if optimizer.step() has not run yet (not for
    CosineAnnealingWarmRestarts and ReduceLROnPlateau, whose step() is their own); in order, never."""
    ours = _order_warnings(ag, SCHEDULES[case], optimizer_first=False)
    theirs = _order_warnings(torch, SCHEDULES[case], optimizer_first=False)
    assert len(ours) == len(theirs)
    assert all("before optimizer.step(): call optimizer.step() first" in text for text in ours)
    assert _order_warnings(ag, SCHEDULES[case], optimizer_first=True) == []
    assert _order_warnings(torch, SCHEDULES[case], optimizer_first=True) == []


def test_scheduler_warning_names_the_scheduler_and_points_at_the_caller():
    opt = ag.optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
    sched = ag.optim.lr_scheduler.StepLR(opt, 3)
    with pytest.warns(ag.optim.lr_scheduler.SchedulerOrderWarning, match=r"StepLR.step\(\) was called before") as w:
        sched.step()
    assert w[0].filename == __file__
    assert issubclass(ag.optim.lr_scheduler.SchedulerOrderWarning, UserWarning)
    opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched.step()  # only the first step is checked, as in PyTorch


def test_optimizer_step_replaced_after_scheduler_warns_as_torch():
    make = SCHEDULES["StepLR"]
    ours = _order_warnings(ag, make, optimizer_first=True, replace_step=True)
    theirs = _order_warnings(torch, make, optimizer_first=True, replace_step=True)
    assert len(ours) == len(theirs) == 1
    assert "SGD.step was replaced after StepLR was constructed" in ours[0]
    assert "make sure to call optimizer.step() before StepLR.step()" in ours[0]


def test_two_schedulers_wrap_the_optimizer_step_once():
    opt = ag.optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1)
    first = ag.optim.lr_scheduler.StepLR(opt, 3)
    step = opt.step
    second = ag.optim.lr_scheduler.ExponentialLR(opt, 0.5)
    assert opt.step is step
    opt.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first.step()
        second.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.05)
