"""PyTorch parity of nn's activations and small layers: each module and its functional form against
torch.nn's (tests/parity.py: values, dtypes, shapes, gradients in float64), at the edges where the
gradient changes (0, ±λ, ±3, the clamp bounds), in place as PyTorch does it, with PyTorch's reprs
and state_dict keys; errors are the engine's own types."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.errors import DomainError, GraphError, ShapeError
from tests.parity import check

# edge values of every activation below, and values far out where the naive formulas overflow
EDGES = np.array([-40.0, -6.0, -3.0, -2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 6.0, 7.5, 40.0])
SMOOTH = np.linspace(-4.0, 4.0, 9) + 0.05

# (module name, module kwargs, functional name, functional kwargs)
ACTIVATIONS = [
    ("ReLU", {}, "relu", {}),
    ("LeakyReLU", {"negative_slope": 0.2}, "leaky_relu", {"negative_slope": 0.2}),
    ("ELU", {"alpha": 0.7}, "elu", {"alpha": 0.7}),
    ("GELU", {}, "gelu", {}),
    ("GELU", {"approximate": "tanh"}, "gelu", {"approximate": "tanh"}),
    ("SiLU", {}, "silu", {}),
    ("Mish", {}, "mish", {}),
    ("Hardtanh", {}, "hardtanh", {}),
    ("Hardtanh", {"min_val": -2.0, "max_val": 3.0}, "hardtanh", {"min_val": -2.0, "max_val": 3.0}),
    ("ReLU6", {}, "relu6", {}),
    ("Hardsigmoid", {}, "hardsigmoid", {}),
    ("Hardswish", {}, "hardswish", {}),
    ("SELU", {}, "selu", {}),
    ("CELU", {}, "celu", {}),
    ("CELU", {"alpha": 2.5}, "celu", {"alpha": 2.5}),
    ("LogSigmoid", {}, "logsigmoid", {}),
    ("Softsign", {}, "softsign", {}),
    ("Tanhshrink", {}, "tanhshrink", {}),
    ("Threshold", {"threshold": 0.5, "value": -7.0}, "threshold", {"threshold": 0.5, "value": -7.0}),
    ("Softshrink", {}, "softshrink", {}),
    ("Softshrink", {"lambd": 1.0}, "softshrink", {"lambd": 1.0}),
    ("Hardshrink", {}, "hardshrink", {}),
    ("Hardshrink", {"lambd": 2.0}, "hardshrink", {"lambd": 2.0}),
]
IDS = [f"{m}-{kw}" if kw else m for m, kw, _, _ in ACTIVATIONS]
INPLACE = ["ReLU", "LeakyReLU", "ELU", "SiLU", "Mish", "Hardtanh", "ReLU6", "Hardsigmoid", "Hardswish", "SELU"]
INPLACE += ["CELU", "Threshold"]


@pytest.mark.parametrize(("module", "mkw", "fn", "fkw"), ACTIVATIONS, ids=IDS)
@pytest.mark.parametrize("x", [EDGES, SMOOTH.reshape(3, 3)], ids=["edges", "smooth"])
def test_activation_module_and_function_match_pytorch(module, mkw, fn, fkw, x):
    check(lambda m, t: getattr(m.nn, module)(**mkw)(t), [x])
    check(lambda m, t: getattr(m.nn.functional, fn)(t, **fkw), [x])


@pytest.mark.parametrize(("module", "mkw", "fn", "fkw"), [a for a in ACTIVATIONS if a[0] in INPLACE], ids=str)
def test_inplace_writes_into_the_input_with_pytorchs_values_and_gradients(module, mkw, fn, fkw):
    def run(m, t):
        y = t * 1.0  # a non-leaf, as PyTorch requires for an in-place op in the graph
        out = getattr(m.nn, module)(**mkw, inplace=True)(y)
        assert out is y
        z = t * 1.0
        out = getattr(m.nn.functional, fn)(z, **fkw, inplace=True)
        assert out is z
        return y, z

    check(run, [EDGES])


@pytest.mark.parametrize("fn", ["relu", "silu", "hardtanh", "elu"])
def test_inplace_obeys_the_version_checks(fn):
    leaf = ag.tensor(SMOOTH, requires_grad=True)
    with pytest.raises(GraphError, match="leaf"):
        getattr(F, fn)(leaf, inplace=True)
    y = leaf * 2.0
    saved = y * y  # Mul saved y
    getattr(F, fn)(y, inplace=True)
    with pytest.raises(GraphError, match="modified in place"):
        saved.sum().backward()
    with ag.no_grad():  # outside the graph only the values change
        v = ag.tensor(SMOOTH)
        expected = getattr(F, fn)(v).numpy().copy()
        getattr(F, fn)(v, inplace=True)
        np.testing.assert_array_equal(v.numpy(), expected)


def test_modules_repr_as_pytorch():
    modules = [(m, kw) for m, kw, _, _ in ACTIVATIONS]
    modules += [(m, {**kw, "inplace": True}) for m, kw, _, _ in ACTIVATIONS if m in INPLACE]
    modules += [("Softmin", {"dim": 1}), ("GLU", {}), ("GLU", {"dim": 0}), ("LeakyReLU", {"inplace": True})]
    modules += [("Threshold", {"threshold": 0.1, "value": 20, "inplace": True}), ("ReLU", {})]
    for name, kw in modules:
        assert repr(getattr(nn, name)(**kw)) == repr(getattr(torch.nn, name)(**kw)), (name, kw)


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_glu_and_softmin_match_pytorch(dim):
    x = np.linspace(-3, 3, 24).reshape(4, 6)
    check(lambda m, t: m.nn.GLU(dim)(t), [x])
    check(lambda m, t: m.nn.functional.glu(t, dim), [x])
    check(lambda m, t: m.nn.Softmin(dim)(t), [x])
    check(lambda m, t: m.nn.functional.softmin(t, dim), [x])
    check(lambda m, t: m.nn.functional.softmin(t, dim=dim, dtype=m.float32), [x], grad=False)


def test_activation_errors_are_the_engines():
    x = ag.ones(3, 5)
    with pytest.raises(ShapeError, match=r"glu: halving dimension -1 needs an even size, got 5"):
        F.glu(x)
    with pytest.raises(ShapeError, match=r"glu: dim 2 is out of range"):
        nn.GLU(2)(x)
    with pytest.raises(ShapeError, match="glu"):
        F.glu(ag.tensor(1.0))
    with pytest.raises(ag.errors.ArgumentError, match=r"gelu: approximate must be 'none' or 'tanh', got 'erf'"):
        nn.GELU("erf")(x)
    with pytest.raises(DomainError, match="hardtanh: min_val must not exceed max_val"):
        F.hardtanh(x, 2.0, 1.0)
    with pytest.raises(DomainError, match="Hardtanh"):
        nn.Hardtanh(2.0, 1.0)
    with pytest.raises(DomainError, match="softshrink: lambd must be non-negative, got -1"):
        F.softshrink(x, -1)
    with pytest.raises(DomainError, match="celu: alpha must not be 0"):
        F.celu(x, 0.0)


COMPOSED = ["gelu", "silu", "mish", "selu", "celu", "logsigmoid", "softsign", "tanhshrink", "hardswish"]


@settings(max_examples=8, deadline=None)
@given(st.lists(st.floats(-5, 5).filter(lambda v: min(abs(v - 3), abs(v + 3), abs(v)) > 1e-3), min_size=1, max_size=5))
def test_composed_activations_gradcheck_in_float64(values):
    x = ag.tensor(np.array(values), requires_grad=True)
    for name in COMPOSED:
        assert gradcheck(getattr(F, name), (x,)), name
    assert gradcheck(lambda t: F.gelu(t, approximate="tanh"), (x,))
    assert gradgradcheck(F.gelu, (x,))
    assert gradgradcheck(F.mish, (x,))
