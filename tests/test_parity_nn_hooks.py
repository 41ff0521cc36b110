"""Full backward hooks against PyTorch's: the grad_input / grad_output a hook records (Linear, a
two-input module with a non-Tensor argument, a tuple-output module with an unused output), what a
replacement changes (grad_output: everything below, parameters too; grad_input: only the inputs),
order across modules and hooks, remove(), and the errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import autograd as ag
import nn
from autograd.errors import GraphError
from tests.parity import as_numpy

RNG = np.random.default_rng(5)
X = RNG.normal(size=(4, 3))
W = {"weight": RNG.normal(size=(2, 3)), "bias": RNG.normal(size=2)}


def _linear(m):
    lin = m.nn.Linear(3, 2).double()
    lin.load_state_dict({k: m.tensor(v) for k, v in W.items()})
    return lin


def _recorder(log, tag):
    def hook(module, *grads):
        log.append((tag, *[tuple(None if g is None else as_numpy(g).copy() for g in gs) for gs in grads]))

    return hook


def _same_logs(ours, theirs):
    assert [entry[0] for entry in ours] == [entry[0] for entry in theirs]
    for a, b in zip(ours, theirs):
        for xs, ys in zip(a[1:], b[1:]):
            assert len(xs) == len(ys) and [x is None for x in xs] == [y is None for y in ys], (a[0], xs, ys)
            for x, y in zip(xs, ys):
                if x is not None:
                    np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-14)


def _run(m, build, inputs, loss, hooks):
    """Build a module, register `hooks(module, log)`, run `loss(module(*inputs))` backward; the log."""
    log = []
    module = build(m)
    hooks(module, log)
    args = [m.tensor(x, requires_grad=g) if isinstance(x, np.ndarray) else x for x, g in inputs]
    loss(m, module(*args)).backward()
    return log, module, args


def _both(build, inputs, loss, hooks):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (no input requiring grad: both warn; tested below)
        ours, theirs = _run(ag, build, inputs, loss, hooks), _run(torch, build, inputs, loss, hooks)
    _same_logs(ours[0], theirs[0])
    return ours, theirs


def _both_hooks(module, log):
    module.register_full_backward_pre_hook(_recorder(log, "pre"))
    module.register_full_backward_hook(_recorder(log, "hook"))


def _weighted(m, out):
    return (out * m.tensor(np.arange(8.0).reshape(4, 2))).sum()


@pytest.mark.parametrize("x_requires_grad", [True, False])
def test_linear_hooks_record_what_torch_records(x_requires_grad):
    (log, _, _), _ = _both(_linear, [(X, x_requires_grad)], _weighted, _both_hooks)
    assert [e[0] for e in log] == ["pre", "hook"]
    assert (log[1][1][0] is None) is (not x_requires_grad)  # grad_input is (None,) without an input needing it


class Two:
    """forward(a, b, k): (a·b·k, a − b), in either library."""

    @staticmethod
    def build(m):
        class TwoIn(m.nn.Module):
            def forward(self, a, b, k=2.0):
                return a * b * k, a - b

        return TwoIn()


A, B = RNG.normal(size=3), RNG.normal(size=3)


@pytest.mark.parametrize("b_requires_grad", [True, False])
@pytest.mark.parametrize("use_second", [True, False])
def test_two_inputs_tuple_output_record_what_torch_records(b_requires_grad, use_second):
    """A non-Tensor argument: None; a Tensor input not requiring grad: zeros (PyTorch); an output
    that gets no gradient: None in grad_output."""

    def loss(m, out):
        return out[0].sum() + (3 * out[1]).sum() if use_second else out[0].sum()

    (log, _, (a, b, _)), (_, _, (ta, tb, _)) = _both(
        Two.build, [(A, True), (B, b_requires_grad), (1.5, False)], loss, _both_hooks
    )
    pre, full = log
    assert (pre[1][1] is None) is (not use_second) and full[1][2] is None
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), rtol=1e-12)
    if b_requires_grad:
        np.testing.assert_allclose(b.grad.numpy(), tb.grad.numpy(), rtol=1e-12)
    else:
        assert full[1][1].tolist() == [0.0, 0.0, 0.0]


def test_pre_hook_replacing_grad_output_changes_parameters_and_inputs_as_torch():
    def hooks(module, log):
        module.register_full_backward_pre_hook(lambda mod, go: (go[0] * 10,))
        module.register_full_backward_hook(_recorder(log, "hook"))  # sees the replaced grad_output

    (log, lin, (x,)), (_, tlin, (tx,)) = _both(_linear, [(X, True)], _weighted, hooks)
    np.testing.assert_allclose(lin.bias.grad.numpy(), tlin.bias.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lin.bias.grad.numpy(), 10 * np.arange(8.0).reshape(4, 2).sum(0), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def test_hook_replacing_grad_input_changes_the_inputs_only_as_torch():
    def hooks(module, log):
        module.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0 - 1,))

    (_, lin, (x,)), (_, tlin, (tx,)) = _both(_linear, [(X, True)], _weighted, hooks)
    assert x.grad.numpy().tolist() == tx.grad.numpy().tolist() == [[-1.0] * 3] * 4
    np.testing.assert_allclose(lin.weight.grad.numpy(), tlin.weight.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(lin.bias.grad.numpy(), np.arange(8.0).reshape(4, 2).sum(0), rtol=1e-12)


def test_replaced_grad_input_flows_on_to_the_module_before():
    second = {"weight": RNG.normal(size=(2, 2)), "bias": RNG.normal(size=2)}

    def build(m):
        seq = m.nn.Sequential(_linear(m), m.nn.Tanh(), m.nn.Linear(2, 2).double())
        seq[2].load_state_dict({k: m.tensor(v) for k, v in second.items()})
        return seq

    def hooks(seq, log):
        seq[2].register_full_backward_hook(lambda mod, gi, go: (gi[0] * 3,))
        for i, layer in enumerate(seq):
            layer.register_full_backward_pre_hook(_recorder(log, f"pre {i}"))
            layer.register_full_backward_hook(_recorder(log, f"hook {i}"))

    (log, seq, (x,)), (_, tseq, (tx,)) = _both(build, [(X, True)], lambda m, out: out.square().sum(), hooks)
    assert [e[0] for e in log] == ["pre 2", "hook 2", "pre 1", "hook 1", "pre 0", "hook 0"]
    tripled = 3 * log[0][1][0] @ second["weight"]  # 3 · grad_output @ W of the last Linear
    np.testing.assert_allclose(log[1][1][0], tripled, rtol=1e-12)
    np.testing.assert_allclose(log[3][2][0], tripled, rtol=1e-12)  # what Tanh receives
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-10)
    for p, q in zip(seq.parameters(), tseq.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-10)


def test_hooks_chain_in_order_with_prepend_and_remove_stops_them():
    def hooks(module, log):
        module.register_full_backward_hook(lambda mod, gi, go: log.append("a") or (gi[0] * 2,))
        module.register_full_backward_hook(lambda mod, gi, go: log.append("b") or (gi[0] + 1,))
        module.register_full_backward_hook(lambda mod, gi, go: log.append("first"), prepend=True)
        module.register_full_backward_pre_hook(lambda mod, go: log.append("pre-a"))
        module.register_full_backward_pre_hook(lambda mod, go: log.append("pre-first"), prepend=True)

    (log, _, (x,)), (tlog, _, (tx,)) = (_run(m, _linear, [(X, True)], _weighted, hooks) for m in (ag, torch))
    assert log == tlog == ["pre-first", "pre-a", "first", "a", "b"]
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    lin, calls = _linear(ag), []
    handle = lin.register_full_backward_hook(lambda mod, gi, go: calls.append(1))
    with lin.register_full_backward_pre_hook(lambda mod, go: calls.append(0)):
        lin(ag.tensor(X, requires_grad=True)).sum().backward()
    lin(ag.tensor(X, requires_grad=True)).sum().backward()
    handle.remove()
    lin(ag.tensor(X, requires_grad=True)).sum().backward()
    assert calls == [0, 1, 1]
    assert not lin._backward_hooks and not lin._backward_pre_hooks


def test_hooks_returning_none_change_nothing_and_gradcheck():
    lin = _linear(ag)
    lin.register_full_backward_hook(lambda mod, gi, go: None)
    lin.register_full_backward_pre_hook(lambda mod, go: None)
    x = ag.tensor(X, requires_grad=True)
    assert ag.gradcheck(lambda x: lin(x), (x,))
    assert ag.gradgradcheck(lambda x: lin(x).tanh(), (x,))
    _weighted(ag, lin(x)).backward()
    plain = _linear(ag)
    y = ag.tensor(X, requires_grad=True)
    _weighted(ag, plain(y)).backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.grad.numpy())
    np.testing.assert_array_equal(lin.weight.grad.numpy(), plain.weight.grad.numpy())


def test_no_input_requiring_grad_warns_as_torch():
    for m in (ag, torch):
        lin = _linear(m)
        lin.register_full_backward_hook(lambda mod, gi, go: None)
        with pytest.warns(UserWarning, match="no input"):
            lin(m.tensor(X)).sum().backward()


def test_no_grad_calls_and_kwargs_are_not_hooked():
    calls = []
    lin = _linear(ag)
    lin.register_full_backward_hook(lambda mod, gi, go: calls.append(gi))
    with ag.no_grad():
        out = lin(ag.tensor(X, requires_grad=True))
    assert out.grad_fn is None and calls == []

    class Scaled(nn.Module):
        def forward(self, x, *, scale):
            return x * scale

    s = Scaled()
    s.register_full_backward_hook(lambda mod, gi, go: calls.append(gi))
    x, scale = ag.tensor(X, requires_grad=True), ag.tensor(2.0, requires_grad=True)
    s(x, scale=scale).sum().backward()
    assert len(calls) == 1 and len(calls[0]) == 1 and scale.grad.item() == pytest.approx(X.sum())


def test_hook_errors_are_ours():
    lin = _linear(ag)
    lin.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(GraphError, match="Linear: a backward hook returned 2 value.* for grad_input, expected 1"):
        lin(ag.tensor(X, requires_grad=True)).sum().backward()
    tlin = _linear(torch)
    tlin.register_full_backward_hook(lambda mod, gi, go: (gi[0], gi[0]))
    with pytest.raises(RuntimeError, match="invalid number of grad_input"):
        tlin(torch.tensor(X, requires_grad=True)).sum().backward()
    lin = _linear(ag)
    lin.register_full_backward_pre_hook(lambda mod, go: (go[0], go[0]))
    with pytest.raises(GraphError, match="returned 2 value.* for grad_output, expected 1"):
        lin(ag.tensor(X, requires_grad=True)).sum().backward()
    with pytest.raises(ag.errors.ArgumentError, match="hook must be callable"):
        lin.register_full_backward_hook("not a function")
    assert issubclass(GraphError, RuntimeError)


def test_in_place_on_a_hooked_output_is_refused_as_torch():
    for m, inplace_error in ((ag, GraphError), (torch, RuntimeError)):
        lin = _linear(m)
        lin.register_full_backward_hook(lambda mod, gi, go: None)
        with pytest.raises(inplace_error, match="in place|inplace"):
            y = lin(m.tensor(X, requires_grad=True))
            y += 1
            y.sum().backward()
        relu = m.nn.ReLU(inplace=True)
        relu.register_full_backward_hook(lambda mod, gi, go: None)
        with pytest.raises(inplace_error, match="in place|inplace"):
            relu(m.tensor(X, requires_grad=True) * 1).sum().backward()
