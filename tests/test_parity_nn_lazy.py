"""Lazy modules against PyTorch's: the shapes inferred from the first input, the class they become,
the same outputs and gradients after loading the same weights, the default initialisation of the
non-lazy class, state dicts of uninitialized modules, optimizers made before the first call, the
errors for using an uninitialized parameter, and the d2l pattern (dummy input, then apply(init))."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd as ag
import nn
from autograd.errors import ArgumentError, ShapeError
from nn.modules.lazy import LazyModuleMixin
from nn.parameter import UninitializedBuffer, UninitializedParameter, UninitializedParameterError, is_lazy
from tests.parity import as_numpy

RNG = np.random.default_rng(3)

LAZY = {
    "Linear": (lambda m: m.nn.LazyLinear(5), [(2, 3), (7,), (2, 4, 6)]),
    "Linear-nobias": (lambda m: m.nn.LazyLinear(2, bias=False), [(3, 4)]),
    "Conv2d": (lambda m: m.nn.LazyConv2d(4, 3, padding=1), [(2, 3, 6, 6), (1, 1, 5, 7), (3, 5, 4)]),
    "Conv2d-groups": (lambda m: m.nn.LazyConv2d(6, (3, 2), stride=2, groups=3, bias=False), [(2, 6, 7, 5)]),
    "Conv1d": (lambda m: m.nn.LazyConv1d(4, 3, padding=1, groups=2), [(2, 6, 7), (4, 9)]),
    "ConvTranspose1d": (lambda m: m.nn.LazyConvTranspose1d(4, 3, stride=2, output_padding=1), [(2, 3, 5), (1, 4)]),
    "ConvTranspose2d": (lambda m: m.nn.LazyConvTranspose2d(6, (3, 2), stride=2, groups=3), [(2, 6, 3, 4), (3, 2, 2)]),
    "BatchNorm1d": (lambda m: m.nn.LazyBatchNorm1d(momentum=0.3), [(4, 3), (5, 2, 6)]),
    "BatchNorm1d-bare": (lambda m: m.nn.LazyBatchNorm1d(affine=False, track_running_stats=False), [(4, 3)]),
    "BatchNorm2d": (lambda m: m.nn.LazyBatchNorm2d(eps=1e-3), [(3, 4, 2, 5)]),
}
CASES = [(name, shape) for name, (_, shapes) in LAZY.items() for shape in shapes]


def _materialized(name, shape, x):
    """Torch's lazy module called once on `x`, and ours loaded with its state (lazy into lazy) and called."""
    make, _ = LAZY[name]
    theirs, ours = make(torch), make(ag)
    theirs(torch.tensor(x))
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    return ours, theirs


@pytest.mark.parametrize("name, shape", CASES)
def test_shapes_inferred_and_class_become_as_torch(name, shape):
    make, _ = LAZY[name]
    ours, theirs = make(ag), make(torch)
    assert type(ours).__name__ == type(theirs).__name__
    assert ours.has_uninitialized_params() == theirs.has_uninitialized_params()
    x = RNG.normal(size=shape)
    ours(ag.tensor(x, dtype=ag.float32)), theirs(torch.tensor(x, dtype=torch.float32))
    assert type(ours) is getattr(nn, type(theirs).__name__)  # e.g. type(m) is nn.Linear
    assert [(k, tuple(v.shape), str(v.dtype)) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape), str(v.dtype).removeprefix("torch.")) for k, v in theirs.state_dict().items()
    ]
    for size in ("in_features", "in_channels", "num_features"):
        assert getattr(ours, size, None) == getattr(theirs, size, None)
    if not name.startswith("BatchNorm"):  # (PyTorch 2.13's BatchNorm repr adds a bias= we do not have)
        assert repr(ours) == repr(theirs)
    assert not any(is_lazy(t) for t in (*ours.parameters(), *ours.buffers()))


@pytest.mark.parametrize("name, shape", CASES)
def test_same_weights_same_outputs_and_gradients_as_torch(name, shape):
    x = RNG.normal(size=shape).astype(np.float32)
    ours, theirs = _materialized(name, shape, x)
    a, b = ours(ag.tensor(x, requires_grad=True)), theirs(torch.tensor(x, requires_grad=True))
    np.testing.assert_allclose(as_numpy(a), as_numpy(b), rtol=1e-5, atol=1e-6)
    cot = RNG.normal(size=a.shape).astype(np.float32)
    (a * ag.tensor(cot)).sum().backward()
    (b * torch.tensor(cot)).sum().backward()
    for (k, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=k)
    for (k, u), v in zip(ours.named_buffers(), theirs.buffers()):  # running statistics after the step
        np.testing.assert_allclose(u.numpy(), v.numpy(), rtol=1e-5, atol=1e-6, err_msg=k)


@pytest.mark.parametrize(
    "lazy, plain, x",
    [
        (lambda: nn.LazyLinear(5), lambda: nn.Linear(3, 5), (2, 3)),
        (lambda: nn.LazyConv2d(4, 3, groups=2), lambda: nn.Conv2d(6, 4, 3, groups=2), (1, 6, 5, 5)),
        (lambda: nn.LazyBatchNorm2d(), lambda: nn.BatchNorm2d(3), (2, 3, 2, 2)),
    ],
)
def test_materialized_parameters_are_drawn_as_the_plain_class(lazy, plain, x):
    """The same reset_parameters: under one seed, the lazy module's first call draws what the
    constructor of the non-lazy class draws (so the same distribution, U(±1/√fan_in) for Linear/Conv)."""
    ag.manual_seed(11)
    a = lazy().eval()  # (BatchNorm: no running-statistics update from the dummy input)
    a(ag.zeros(*x))
    ag.manual_seed(11)
    b = plain()
    for (k, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        np.testing.assert_array_equal(p.numpy(), q.numpy(), err_msg=k)


def test_lazy_linear_bound_is_that_of_its_inferred_fan_in():
    m = nn.LazyLinear(400)
    m(ag.zeros(1, 25))
    w = m.weight.numpy()
    assert np.abs(w).max() <= 1 / 5 and np.abs(w).max() > 0.19  # U(-1/√25, 1/√25), 10,000 draws
    assert abs(w.mean()) < 0.01 and w.std() == pytest.approx(0.2 / np.sqrt(3), rel=0.05)


def test_d2l_lenet_dummy_input_then_apply_init_cnn():
    def lenet(m):
        L = m.nn
        return L.Sequential(
            L.LazyConv2d(6, kernel_size=5, padding=2), L.Sigmoid(), L.AvgPool2d(kernel_size=2, stride=2),
            L.LazyConv2d(16, kernel_size=5), L.Sigmoid(), L.AvgPool2d(kernel_size=2, stride=2),
            L.Flatten(), L.LazyLinear(120), L.Sigmoid(), L.LazyLinear(84), L.Sigmoid(), L.LazyLinear(10),
        )  # fmt: skip

    def init_cnn(module):
        if type(module) is nn.Linear or type(module) is nn.Conv2d:
            nn.init.xavier_uniform_(module.weight)

    ours, theirs = lenet(ag), lenet(torch)
    for m, errors in ((nn, UninitializedParameterError), (torch.nn, (RuntimeError, ValueError))):
        with pytest.raises(errors):  # initialising before the dummy input: the shape is unknown
            m.init.xavier_uniform_(m.LazyLinear(3).weight)
    assert ours(ag.zeros(1, 1, 28, 28)).shape == (1, 10)
    theirs(torch.zeros(1, 1, 28, 28))
    assert [type(c).__name__ for c in ours] == [type(c).__name__ for c in theirs]
    assert [c.in_features for c in ours if type(c) is nn.Linear] == [400, 120, 84]
    ours.apply(init_cnn)
    for layer in ours:
        if type(layer) in (nn.Linear, nn.Conv2d):
            fan_in, fan_out = nn.init.calculate_fan_in_and_fan_out(layer.weight)
            bound = np.sqrt(6 / (fan_in + fan_out))
            assert np.abs(layer.weight.numpy()).max() <= bound and np.abs(layer.weight.numpy()).max() > 0.9 * bound
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    x = RNG.normal(size=(3, 1, 28, 28)).astype(np.float32)
    np.testing.assert_allclose(
        ours(ag.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-4, atol=1e-6
    )


def test_using_an_uninitialized_parameter_is_our_error_where_torch_errs():
    ours, theirs = nn.LazyLinear(3), torch.nn.LazyLinear(3)
    uses = {
        "shape": (lambda p: p.shape, RuntimeError),
        "numel": (lambda p: p.numel(), ValueError),
        "math": (lambda p: p + 1, ValueError),
        "matmul": (lambda p: p @ p, ValueError),
        "sum": (lambda p: p.sum(), ValueError),
    }
    for use, torch_error in uses.values():
        with pytest.raises(torch_error):
            use(theirs.weight)
        with pytest.raises(UninitializedParameterError, match=r"run a forward pass \(model\(dummy_input\)\) first"):
            use(ours.weight)
        with pytest.raises(torch_error):  # ours is both a RuntimeError and a ValueError, as either of PyTorch's
            use(ours.weight)
    with pytest.raises(UninitializedParameterError, match="UninitializedParameter is uninitialized .* no shape yet"):
        ours.weight.size()
    with pytest.raises(UninitializedParameterError, match="no `numpy`"):
        ours.weight.numpy()
    with pytest.raises(UninitializedParameterError, match="cannot be used in an operation"):
        ag.matmul(ag.ones(2, 2), ours.weight)
    with pytest.raises(UninitializedParameterError, match="UninitializedBuffer is uninitialized"):
        nn.LazyBatchNorm1d().running_mean.numpy()
    assert (ours.weight.dtype, ours.weight.requires_grad, ours.weight.is_leaf, ours.weight.grad) == (
        np.float32,
        True,
        True,
        None,
    )
    assert repr(ours.weight) == repr(theirs.weight) == "<UninitializedParameter>"


def test_optimizer_made_before_the_first_call_updates_the_materialized_parameters():
    """PyTorch 2.13 accepts uninitialized parameters in an optimizer (no warning, no error) and, since
    materializing keeps the objects, steps them after the first call: so do we."""
    x = RNG.normal(size=(4, 3)).astype(np.float32)

    def run(m, state=None):
        model = m.nn.Sequential(m.nn.LazyLinear(4), m.nn.Tanh(), m.nn.LazyLinear(1))
        opt = m.optim.Adam(model.parameters(), lr=0.1)
        opt.step()  # nothing has a gradient yet: nothing happens
        model(m.tensor(x)) if state is None else model.load_state_dict(state)  # materialized either way
        start = {k: as_numpy(v).copy() for k, v in model.state_dict().items()}
        for _ in range(3):
            opt.zero_grad()
            model(m.tensor(x)).square().mean().backward()
            opt.step()
        return start, [as_numpy(p) for p in model.parameters()]

    start, ours = run(ag)
    _, theirs = run(torch, {k: torch.tensor(v) for k, v in start.items()})
    for a, b, s in zip(ours, theirs, start.values()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
        assert not np.allclose(a, s)


def test_state_dict_of_an_uninitialized_module_as_torch():
    ours, theirs = nn.LazyBatchNorm1d(), torch.nn.LazyBatchNorm1d()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    state = ours.state_dict()
    assert isinstance(state["weight"], UninitializedParameter) and isinstance(
        state["running_mean"], UninitializedBuffer
    )
    assert int(state["num_batches_tracked"].item()) == 0
    fresh = nn.LazyBatchNorm1d()
    fresh.load_state_dict(state)  # uninitialized into uninitialized: still lazy, as PyTorch
    assert fresh.has_uninitialized_params()
    torch.nn.LazyBatchNorm1d().load_state_dict(theirs.state_dict())
    with pytest.raises(nn.StateDictError, match="weight: the state dict holds an uninitialized parameter"):
        nn.BatchNorm1d(3).load_state_dict(state)
    with pytest.raises(RuntimeError):
        torch.nn.BatchNorm1d(3).load_state_dict(theirs.state_dict())
    with pytest.raises(UninitializedParameterError):
        nn.save(state, "unused.npz")


def test_load_state_dict_materializes_from_the_loaded_shapes_as_torch():
    source = nn.Linear(5, 4)
    for m, lazy in ((nn, nn.LazyLinear(4)), (torch.nn, torch.nn.LazyLinear(4))):
        lazy.load_state_dict(
            {k: (v.numpy() if m is nn else torch.tensor(v.numpy())) for k, v in source.state_dict().items()}
        )
        assert not lazy.has_uninitialized_params() and type(lazy).__name__ == "LazyLinear"  # until its first call
        assert tuple(lazy.weight.shape) == (4, 5) and lazy.in_features == 0
        lazy(torch.zeros(2, 5) if m is torch.nn else ag.zeros(2, 5))
        assert type(lazy).__name__ == "Linear" and lazy.in_features == 5
    loaded = nn.LazyLinear(4)
    loaded.load_state_dict(source.state_dict())
    np.testing.assert_array_equal(loaded(ag.ones(1, 5)).numpy(), source(ag.ones(1, 5)).numpy())
    with pytest.raises(ShapeError):
        loaded(ag.ones(1, 6))


def test_lazy_dtype_float64():
    m = nn.LazyConv2d(2, 1, dtype=ag.float64)
    assert m.weight.dtype == np.float64
    m(ag.zeros(1, 3, 2, 2, dtype=ag.float64))
    assert m.weight.dtype == m.bias.dtype == np.float64 and m.weight.shape == (2, 3, 1, 1)
    x = ag.tensor(RNG.normal(size=(1, 3, 3, 3)), requires_grad=True)
    assert ag.gradcheck(lambda x: m(x), (x,))


def test_to_dtype_before_the_first_call_as_torch():
    """PyTorch's advice: convert a lazy network's dtype after construction, before the dry run."""
    for m in (ag, torch):
        net = m.nn.Sequential(m.nn.LazyLinear(3), m.nn.LazyBatchNorm1d()).double()
        assert [str(t.dtype).removeprefix("torch.") for t in (*net.parameters(), *net.buffers())] == ["float64"] * 6 + [
            "int64"
        ]
        net(m.zeros(2, 4, dtype=m.float64))
        assert [str(t.dtype).removeprefix("torch.") for t in net.state_dict().values()] == ["float64"] * 6 + ["int64"]
        assert tuple(net[0].weight.shape) == (3, 4)


def test_lazy_errors_are_ours():
    with pytest.raises(
        ShapeError, match=r"LazyConv2d: expected 3-d or 4-d input to infer in_channels from, got shape \(3, 5\)"
    ):
        nn.LazyConv2d(4, 3)(ag.zeros(3, 5))
    with pytest.raises(ShapeError, match="in_channels=3 .* must be divisible by groups=2"):
        nn.LazyConv2d(6, 3, groups=2)(ag.zeros(1, 3, 5, 5))
    with pytest.raises(ValueError):
        torch.nn.LazyConv2d(6, 3, groups=2)(torch.zeros(1, 3, 5, 5))
    with pytest.raises(ShapeError, match="LazyBatchNorm2d: expected 4-d input to infer num_features from, got shape"):
        nn.LazyBatchNorm2d()(ag.zeros(3, 5))
    with pytest.raises(ShapeError, match="LazyLinear: expected an at least 1-d input"):
        nn.LazyLinear(3)(ag.tensor(1.0))
    with pytest.raises(ArgumentError, match="LazyLinear: expected a Tensor input to infer in_features from, got list"):
        nn.LazyLinear(3)([1.0, 2.0])
    lazy = nn.LazyLinear(3)
    assert lazy(ag.zeros(15)).shape == (3,) and type(lazy) is nn.Linear and lazy.in_features == 15


def test_a_lazy_module_must_define_initialize_parameters():
    class Half(LazyModuleMixin, nn.Module):
        def forward(self, x):
            return x

    with pytest.raises(NotImplementedError, match="initialize_parameters is not implemented for Half"):
        Half()(ag.ones(2))

    class Forgetful(LazyModuleMixin, nn.Module):
        def __init__(self):
            super().__init__()
            self.w = UninitializedParameter()

        def initialize_parameters(self, x):
            pass

    with pytest.raises(UninitializedParameterError, match="left parameters uninitialized: w"):
        Forgetful()(ag.ones(2))


def test_exports():
    assert nn.UninitializedParameter is nn.parameter.UninitializedParameter
    assert nn.UninitializedBuffer is nn.parameter.UninitializedBuffer
    assert nn.parameter.Parameter is nn.Parameter and issubclass(UninitializedParameter, nn.Parameter)
    assert [n for n in nn.modules.__all__ if n.startswith("Lazy")] == [
        "LazyBatchNorm1d",
        "LazyBatchNorm2d",
        "LazyConv1d",
        "LazyConv2d",
        "LazyConvTranspose1d",
        "LazyConvTranspose2d",
        "LazyLinear",
    ]
