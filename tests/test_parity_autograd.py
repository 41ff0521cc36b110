"""PyTorch parity of the autograd API and of the import swap (`import autograd as torch`)."""

import subprocess
import sys
import threading

import numpy as np
import pytest
import torch

import autograd as ag
import nn
from tests.parity import assert_same, check

X = np.array([0.5, -1.0, 2.0])
V = np.array([1.0, -2.0, 0.5])


def test_the_import_swap_resolves_pytorchs_module_paths_to_the_same_modules():
    import autograd.nn as swapped_nn
    import autograd.nn.functional as F
    import autograd.optim as optim
    from autograd.utils.data import DataLoader, TensorDataset

    assert swapped_nn is nn and ag.nn is nn and F is nn.functional and optim is nn.optim
    assert DataLoader is nn.data.DataLoader and TensorDataset is nn.data.TensorDataset
    assert ag.utils.data is nn.data
    assert issubclass(ag.autograd.Function, ag.Function) and ag.autograd.grad is ag.grad
    assert callable(ag.autograd.backward) and callable(ag.autograd.functional.jacobian)
    with pytest.raises(AttributeError, match="no attribute 'cuda_graphs'"):
        ag.cuda_graphs  # noqa: B018


def test_import_autograd_alone_does_not_import_nn():
    code = "import sys, autograd; print('nn' in sys.modules); autograd.nn; print('nn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


@pytest.mark.parametrize(
    "name, fn",
    [
        (
            "jacobian",
            lambda m, x: m.autograd.functional.jacobian(lambda t: t * t.sin() if m is torch else t * t.tanh(), x),
        ),
        ("hessian", lambda m, x: m.autograd.functional.hessian(lambda t: (t**3).sum() * t.sum(), x)),
        ("vjp", lambda m, x, v: m.autograd.functional.vjp(lambda t: t**2 * 3, x, v)),
        ("jvp", lambda m, x, v: m.autograd.functional.jvp(lambda t: t.exp() * t, x, v)),
        ("hvp", lambda m, x, v: m.autograd.functional.hvp(lambda t: (t**4).sum(), x, v)),
        ("vhp", lambda m, x, v: m.autograd.functional.vhp(lambda t: (t.exp() * t).sum(), x, v)),
    ],
)
def test_autograd_functional(name, fn):
    if name == "jacobian":  # the same function on both sides
        fn = lambda m, x: m.autograd.functional.jacobian(lambda t: t * t.tanh(), x)  # noqa: E731
    inputs = [X] if name in ("jacobian", "hessian") else [X, V]
    check(fn, inputs, grad=False)


def test_jacobian_of_several_inputs_and_outputs_nests_as_pytorchs():
    f = lambda m: lambda a, b: (a * b, (a + b).exp())  # noqa: E731
    check(lambda m, a, b: m.autograd.functional.jacobian(f(m), (a, b)), [X, V], grad=False)
    check(lambda m, a, b: m.autograd.functional.hessian(lambda p, q: (p * p * q).sum(), (a, b)), [X, V], grad=False)


def test_backward_takes_pytorchs_gradient_and_inputs_keywords():
    def run(m, x, y):
        z = x * y
        z.backward(gradient=m.ones_like(z), inputs=[x])
        return x.grad, y.grad

    ours = run(ag, ag.tensor(X, requires_grad=True), ag.tensor(V, requires_grad=True))
    theirs = run(torch, torch.tensor(X, requires_grad=True), torch.tensor(V, requires_grad=True))
    assert ours[1] is None and theirs[1] is None
    assert_same(ours[0], theirs[0])


def test_autograd_backward_of_several_roots():
    def run(m, x):
        a, b = x * 2, x * x
        m.autograd.backward([a.sum(), b.sum()], [m.tensor(1.0, dtype=m.float64), m.tensor(3.0, dtype=m.float64)])
        return x.grad

    assert_same(run(ag, ag.tensor(X, requires_grad=True)), run(torch, torch.tensor(X, requires_grad=True)))


def test_set_grad_enabled_works_as_a_plain_call_a_block_and_a_decorator():
    x = ag.tensor([1.0], requires_grad=True)
    try:
        ag.set_grad_enabled(False)
        assert not ag.is_grad_enabled() and not (x * 2).requires_grad
    finally:
        ag.set_grad_enabled(True)
    with ag.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert ag.is_grad_enabled()

    @ag.set_grad_enabled(False)
    def frozen(t):
        return t * 2

    assert ag.is_grad_enabled()  # decorating switches nothing
    assert not frozen(x).requires_grad and ag.is_grad_enabled()
    with pytest.raises(ag.ArgumentError, match="set_grad_enabled: mode must be a bool"):
        ag.set_grad_enabled("no")


def test_grad_mode_is_per_thread():
    seen = []
    with ag.no_grad():
        thread = threading.Thread(target=lambda: seen.append(ag.is_grad_enabled()))
        thread.start()
        thread.join()
        assert not ag.is_grad_enabled()
    assert seen == [True]


def test_tensor_hooks_see_and_replace_gradients_as_in_pytorchs():
    def run(m, x):
        seen = []
        y = x * 3
        handle = y.register_hook(lambda g: g * 10)  # a non-leaf: replaces the gradient sent on
        x.register_hook(lambda g: seen.append(g.clone()))  # a leaf: sees it before accumulation
        (y * y).sum().backward()
        first = x.grad.clone()
        handle.remove()
        x.grad = None
        (x * 3 * x).sum().backward()
        return first, seen[0], x.grad, seen[1]

    assert_same(run(ag, ag.tensor(X, requires_grad=True)), run(torch, torch.tensor(X, requires_grad=True)))
    with pytest.raises(
        ag.GraphError, match="register_hook: cannot register a hook on a tensor that does not require grad"
    ):
        ag.tensor([1.0]).register_hook(print)


def test_inference_mode_records_nothing():
    for m in (ag, torch):
        x = m.tensor([1.0], requires_grad=True)
        with m.inference_mode():
            assert not (x * 2).requires_grad
        with m.inference_mode(False):
            assert (x * 2).requires_grad


class ArgSortish(ag.Function):
    """z = x (the values) with an index output marked non-differentiable  ·  ∂z/∂x = 1"""

    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        ctx.mark_non_differentiable(x)
        return np.argsort(x, axis=-1)

    @staticmethod
    def backward(ctx, g):
        raise AssertionError("never called: the output is not differentiable")


def test_mark_non_differentiable_makes_an_output_that_does_not_require_grad():
    out = ArgSortish.apply(ag.tensor([3.0, 1.0, 2.0], requires_grad=True))
    assert not out.requires_grad and out.grad_fn is None
    np.testing.assert_array_equal(out.numpy(), [1, 2, 0])


D2L_LINEAR_REGRESSION = """
import numpy as np
import torch

torch.manual_seed(0)
true_w, true_b = torch.tensor([2.0, -3.4], dtype=torch.float64), 4.2
X = torch.tensor(np.random.default_rng(0).normal(0, 1, (200, 2)))
y = (X @ true_w + true_b).reshape(-1, 1)
w = torch.zeros((2, 1), dtype=torch.float64, requires_grad=True)
b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
losses = []
for epoch in range(30):
    for i in range(0, 200, 20):
        Xb, yb = X[i : i + 20], y[i : i + 20]
        loss = ((Xb @ w + b - yb) ** 2 / 2).sum()
        loss.backward()
        with torch.no_grad():
            for param in (w, b):
                param -= 0.03 * param.grad / 20
                param.grad.zero_()
    with torch.no_grad():
        losses.append(float(((X @ w + b - y) ** 2 / 2).mean()))
result = (w.detach().numpy().ravel().tolist(), float(b.item()), losses, w.size(), w.dim(), w.numel())
"""


def test_a_d2l_style_pytorch_program_runs_unchanged_after_the_import_swap():
    theirs = {}
    exec(compile(D2L_LINEAR_REGRESSION, "d2l.py", "exec"), theirs)
    ours = {}
    exec(compile(D2L_LINEAR_REGRESSION.replace("import torch\n", "import autograd as torch\n"), "d2l.py", "exec"), ours)
    (w1, b1, l1, size1, dim1, n1), (w2, b2, l2, size2, dim2, n2) = ours["result"], theirs["result"]
    np.testing.assert_allclose(w1, w2, rtol=1e-9)
    np.testing.assert_allclose([b1, *l1], [b2, *l2], rtol=1e-9)
    assert (tuple(size1), dim1, n1) == (tuple(size2), dim2, n2) and l1[-1] < 1e-4


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: ag.autograd.functional.jacobian(lambda t: t, [1.0]),
            ag.ArgumentError,
            "jacobian: input 0 must be a Tensor",
        ),
        (
            lambda: ag.autograd.functional.jacobian(lambda t: t, ag.ones(2), strategy="forward-mode"),
            ag.ArgumentError,
            "reverse-mode",
        ),
        (
            lambda: ag.autograd.functional.hessian(lambda t: t * 2, ag.ones(2)),
            ag.ShapeError,
            "hessian: the function must return",
        ),
        (lambda: ag.autograd.functional.vjp(lambda t: t * 2, ag.ones(2)), ag.ShapeError, "vjp: v can be left out only"),
        (
            lambda: ag.autograd.functional.jvp(lambda t: t * 2, ag.ones(2), ag.ones(3)),
            ag.ShapeError,
            "jvp: v has shapes",
        ),
        (lambda: ag.inference_mode("yes"), ag.ArgumentError, "inference_mode: mode must be a bool"),
        (lambda: ag.result_type("a"), ag.ArgumentError, "result_type: expected Tensors or numbers"),
        (lambda: ag.promote_types("complex64", ag.float32), ag.DTypeError, "promote_types"),
        (lambda: ag.autograd.backward([ag.ones(1)]), ag.GraphError, "backward: tensor 0 does not require grad"),
        (
            lambda: ag.grad(
                ag.ones(1, requires_grad=True).sum(), ag.ones(1, requires_grad=True), is_grads_batched=True
            ),
            ag.ArgumentError,
            "is_grads_batched",
        ),
    ],
)
def test_autograd_api_errors_name_the_function(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- torch.autograd.Function: forward and backward on Tensors, as PyTorch's ------------------


def _clamped_square_forward(ctx, x, low):
    clamped = x.clamp(min=low)
    ctx.save_for_backward(x, clamped * clamped)
    ctx.low = low
    return clamped * clamped


def _clamped_square_backward(ctx, g):
    x, _ = ctx.saved_tensors  # the input: Tensor ops on it in backward are recorded (create_graph)
    return g * 2 * x.clamp(min=ctx.low), None


def _scale_setup_context(ctx, inputs, output):
    ctx.k = inputs[1]


BODIES = {  # PyTorch code: each class is built on torch.autograd.Function and on ours
    "ClampedSquare": {"forward": _clamped_square_forward, "backward": _clamped_square_backward},
    "Scale": {  # PyTorch 2's form: forward without ctx, setup_context beside it
        "forward": lambda x, k: x * k,
        "setup_context": _scale_setup_context,
        "backward": lambda ctx, g: (g * ctx.k, None),
    },
}


def function_class(m, name):
    body = {key: staticmethod(fn) for key, fn in BODIES[name].items()}
    return type(name, (m.autograd.Function,), body)


def test_a_pytorch_custom_function_runs_on_tensors_with_first_and_second_derivatives():
    x = np.array([-1.0, 0.5, 2.0])
    check(lambda m, t: function_class(m, "ClampedSquare").apply(t, 0.0), [x])
    for m in (ag, torch):
        t = m.tensor(x, requires_grad=True)
        (g,) = m.autograd.grad(function_class(m, "ClampedSquare").apply(t, 0.0).sum(), t, create_graph=True)
        (gg,) = m.autograd.grad(g.sum(), t)
        assert gg.numpy().tolist() == [0.0, 2.0, 2.0]  # the backward recorded through saved_tensors


def test_setup_context_form_and_what_a_gate_cannot_return():
    check(lambda m, t: function_class(m, "Scale").apply(t, 3.0), [np.array([1.0, 2.0])])

    class Pair(ag.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x, x * 2

    class Number(ag.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return 1.0

    x = ag.ones(2, requires_grad=True)
    with pytest.raises(ag.ArgumentError, match="Pair.forward returned 2 outputs: a gate of this engine has one output"):
        Pair.apply(x)
    with pytest.raises(ag.ArgumentError, match="Number.forward must return a Tensor, got float"):
        Number.apply(x)
