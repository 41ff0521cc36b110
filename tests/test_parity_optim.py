"""nn.optim against torch.optim: every optimizer's 20-step trajectory on a small float64 problem (a quadratic
plus a nonconvex term, two parameter groups with different options) from the same initial weights, a
state-dict round trip mid-run, and every scheduler's learning-rate (and momentum) sequence over 100 steps."""

import numpy as np
import pytest
import torch

import autograd as ag
from autograd.errors import ArgumentError, DomainError

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
    # PyTorch reads initial_accumulator_value from the constructor only (ours also per group): set it there
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


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
@pytest.mark.parametrize("kw", [{}, {"lr": 0.5, "max_iter": 4, "history_size": 3}])
def test_lbfgs_matches_torch(line_search_fn, kw):
    kw = {**kw, "line_search_fn": line_search_fn}
    ours = advance(ag, *make(ag, "LBFGS", ({}, None), kw), 20 if kw.get("max_iter") else 3, closure_style=True)
    theirs = advance(torch, *make(torch, "LBFGS", ({}, None), kw), len(ours), closure_style=True)
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
