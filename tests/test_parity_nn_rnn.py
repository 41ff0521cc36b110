"""nn.RNN / GRU / LSTM and their cells against PyTorch, float64, with PyTorch's weights loaded
through the state dict: outputs, h_n / c_n, the gradients of the input, of the initial state and
of every parameter, over layers, directions, batch_first, projections, bias and unbatched inputs;
PyTorch's names, shapes, init and repr; gradcheck over drawn sizes; bad input as our errors."""

import math
import zlib

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
from autograd import gradcheck
from autograd.errors import ArgumentError, DomainError, ShapeError
from tests.parity import assert_same

LAYERS = {
    "RNN": ({}, "RNN"),
    "RNN-relu": ({"nonlinearity": "relu"}, "RNN"),
    "GRU": ({}, "GRU"),
    "LSTM": ({}, "LSTM"),
    "LSTM-proj": ({"proj_size": 2}, "LSTM"),
}


def _pair(name, input_size=3, hidden_size=4, **kw):
    extra, cls = LAYERS[name]
    theirs = getattr(torch.nn, cls)(input_size, hidden_size, **extra, **kw).double()
    ours = getattr(nn, cls)(input_size, hidden_size, **extra, **kw, dtype=ag.float64)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def _run(m, layer, x, h0, cotangents):
    """Outputs and the gradients of Σ cotangent · output w.r.t. input, initial state and parameters."""
    inputs = [m.tensor(x, requires_grad=True)] + [m.tensor(h, requires_grad=True) for h in h0]
    state = None if not h0 else (tuple(inputs[1:]) if len(h0) == 2 else inputs[1])
    output, final = layer(inputs[0], state) if state is not None else layer(inputs[0])
    results = [output, *(final if isinstance(final, tuple) else (final,))]
    loss = sum((r * m.tensor(c)).sum() for r, c in zip(results, cotangents))
    params = [p for _, p in layer.named_parameters()]
    grads = (ag.grad if m is ag else torch.autograd.grad)(loss, inputs + params)
    return results, list(grads)


@pytest.mark.parametrize("name", list(LAYERS))
@pytest.mark.parametrize("num_layers, bidirectional", [(1, False), (1, True), (2, False), (2, True)])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("with_state", [False, True])
def test_layer_matches_pytorch(name, num_layers, bidirectional, batch_first, with_state):
    rng = np.random.default_rng(zlib.crc32(f"{name}{num_layers}{bidirectional}{batch_first}{with_state}".encode()))
    ours, theirs = _pair(name, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    L, N, D = 5, 2, 2 if bidirectional else 1
    x = rng.normal(size=(N, L, 3) if batch_first else (L, N, 3))
    out_size = 2 if name == "LSTM-proj" else 4
    sizes = [out_size, 4] if name.startswith("LSTM") else [out_size]
    h0 = [rng.normal(size=(D * num_layers, N, s)) for s in sizes] if with_state else []
    shapes = [x.shape[:2] + (D * out_size,)] + [(D * num_layers, N, s) for s in sizes]
    cotangents = [rng.normal(size=s) for s in shapes]
    (r_ours, g_ours), (r_theirs, g_theirs) = _run(ag, ours, x, h0, cotangents), _run(torch, theirs, x, h0, cotangents)
    assert_same(r_ours, r_theirs, "outputs")
    assert_same(g_ours, g_theirs, "gradients")


@pytest.mark.parametrize("name", list(LAYERS))
def test_unbatched_input_and_no_bias(name):
    rng = np.random.default_rng(5)
    ours, theirs = _pair(name, num_layers=2, bias=False, bidirectional=True)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    x = rng.normal(size=(6, 3))
    out_size = 2 if name == "LSTM-proj" else 4
    sizes = [out_size, 4] if name.startswith("LSTM") else [out_size]
    h0 = [rng.normal(size=(4, s)) for s in sizes]
    cotangents = [rng.normal(size=(6, 2 * out_size))] + [rng.normal(size=(4, s)) for s in sizes]
    (r_ours, g_ours), (r_theirs, g_theirs) = _run(ag, ours, x, h0, cotangents), _run(torch, theirs, x, h0, cotangents)
    assert_same(r_ours, r_theirs, "outputs")
    assert_same(g_ours, g_theirs, "gradients")


@pytest.mark.parametrize(
    "cls, kw",
    [
        ("RNNCell", {}),
        ("RNNCell", {"nonlinearity": "relu"}),
        ("GRUCell", {}),
        ("LSTMCell", {}),
        ("GRUCell", {"bias": False}),
    ],
)
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_pytorch(cls, kw, batched):
    rng = np.random.default_rng(zlib.crc32(f"{cls}{kw}{batched}".encode()))
    theirs = getattr(torch.nn, cls)(3, 4, **kw).double()
    ours = getattr(nn, cls)(3, 4, **kw, dtype=ag.float64)
    ours.load_state_dict(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    x = rng.normal(size=(2, 3) if batched else (3,))
    states = [rng.normal(size=(2, 4) if batched else (4,)) for _ in range(2 if cls == "LSTMCell" else 1)]
    results = []
    for m, layer in ((ag, ours), (torch, theirs)):
        inputs = [m.tensor(a, requires_grad=True) for a in (x, *states)]
        out = layer(inputs[0], tuple(inputs[1:]) if cls == "LSTMCell" else inputs[1])
        outs = list(out) if isinstance(out, tuple) else [out]
        loss = sum(
            (o * m.tensor(np.arange(o.numel(), dtype=np.float64).reshape(tuple(o.shape)) / 7)).sum() for o in outs
        )
        params = [p for _, p in layer.named_parameters()]
        grads = (ag.grad if m is ag else torch.autograd.grad)(loss, inputs + params)
        results.append((outs, list(grads), layer(inputs[0])))  # and with no state: zeros
    assert_same(*results)


def test_names_shapes_init_and_repr_are_pytorchs():
    ag.manual_seed(0)
    for cls, kw in [
        ("RNN", {"num_layers": 3, "dropout": 0.5}),
        ("GRU", {"bidirectional": True, "batch_first": True}),
        ("LSTM", {"proj_size": 3, "num_layers": 2, "bias": False}),
    ]:
        ours, theirs = getattr(nn, cls)(10, 20, **kw), getattr(torch.nn, cls)(10, 20, **kw)
        assert repr(ours) == repr(theirs)
        assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
            (n, tuple(p.shape)) for n, p in theirs.named_parameters()
        ]
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert len(ours.all_weights) == len(theirs.all_weights)
        values = np.concatenate([p.numpy().ravel() for p in ours.parameters()])
        bound = 1 / math.sqrt(20)
        assert values.dtype == np.float32 and np.abs(values).max() <= bound
        assert abs(values.std() - bound / math.sqrt(3)) < 0.01 * bound  # U(−b, b) has std b/√3


def test_eval_mode_has_no_dropout_and_training_drops_between_layers():
    ours, theirs = _pair("GRU", num_layers=2, dropout=0.5)
    x = np.random.default_rng(0).normal(size=(4, 2, 3))
    ours.eval(), theirs.eval()
    assert_same(ours(ag.tensor(x))[0], theirs(torch.tensor(x))[0])
    ours.train()
    ag.manual_seed(1)
    first, again = ours(ag.tensor(x)), ours(ag.tensor(x))
    assert not np.allclose(first[0].numpy(), again[0].numpy())  # the dropout mask differs
    np.testing.assert_array_equal(first[1].numpy()[0], again[1].numpy()[0])  # layer 0's state: no dropout before it


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(list(LAYERS)), st.integers(1, 3), st.integers(1, 3), st.integers(1, 4), st.booleans())
def test_layers_gradcheck(name, steps, batch, hidden, bidirectional):
    """Central differences of the output by the input, and of h_n by the input and h_0 (the
    parameters' gradients are compared with PyTorch's above)."""
    extra, cls = LAYERS[name]
    if extra.get("proj_size", 0) >= hidden:
        extra = {}
    layer = getattr(nn, cls)(2, hidden, **extra, bidirectional=bidirectional, dtype=ag.float64)
    rng = np.random.default_rng(steps)
    x = ag.tensor(rng.normal(size=(steps, batch, 2)), requires_grad=True)
    assert gradcheck(lambda inp: layer(inp)[0], (x,))
    h0 = ag.tensor(rng.normal(size=(2 if bidirectional else 1, batch, layer.proj_size or hidden)), requires_grad=True)
    if cls == "LSTM":
        c0 = ag.tensor(rng.normal(size=(h0.shape[0], batch, hidden)), requires_grad=True)
        assert gradcheck(lambda inp, h, c: layer(inp, (h, c))[1][1], (x, h0, c0))
    else:
        assert gradcheck(lambda inp, h: layer(inp, h)[1], (x, h0))


def test_bad_input_is_our_error():
    lstm = nn.LSTM(3, 4)
    with pytest.raises(ShapeError, match="LSTM: input.size\\(-1\\) must be equal to input_size. Expected 3, got 7"):
        lstm(ag.zeros(5, 2, 7))
    with pytest.raises(ShapeError, match=r"LSTM: expected hidden\[1\] size \(1, 2, 4\) .* got \(1, 3, 4\)"):
        lstm(ag.zeros(5, 2, 3), (ag.zeros(1, 2, 4), ag.zeros(1, 3, 4)))
    with pytest.raises(ArgumentError, match=r"LSTM: hx must be a tuple \(h_0, c_0\) of Tensors"):
        lstm(ag.zeros(5, 2, 3), ag.zeros(1, 2, 4))
    with pytest.raises(
        ShapeError,
        match=r"GRU: expected hidden size \(1, 2, 4\) \(num_layers \* num_directions, batch, hidden\), got \(2, 2, 4\)",
    ):
        nn.GRU(3, 4)(ag.zeros(5, 2, 3), ag.zeros(2, 2, 4))
    with pytest.raises(ShapeError, match="GRU: for unbatched 2-D input, hx should also be 2-D, but got a 3-D tensor"):
        nn.GRU(3, 4)(ag.zeros(5, 3), ag.zeros(1, 2, 4))
    with pytest.raises(ShapeError, match=r"RNN: expected a 3-D input .* got shape \(1, 5, 2, 3\)"):
        nn.RNN(3, 4)(ag.zeros(1, 5, 2, 3))
    with pytest.raises(ArgumentError, match="GRU: proj_size argument is only supported for LSTM"):
        nn.GRU(3, 4, proj_size=2)
    with pytest.raises(DomainError, match="LSTM: proj_size has to be smaller than hidden_size, got 4 >= 4"):
        nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(DomainError, match="RNN: unknown nonlinearity 'sigmoid'"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(DomainError, match="dropout should be a number in range"):
        nn.LSTM(3, 4, dropout=1.5)
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1, but got dropout=0.5"):
        nn.GRU(3, 4, dropout=0.5)
    with pytest.raises(ShapeError, match=r"LSTMCell: expected hidden state of shape \(2, 4\), got \(2, 5\)"):
        nn.LSTMCell(3, 4)(ag.zeros(2, 3), (ag.zeros(2, 4), ag.zeros(2, 5)))
    with pytest.raises(ShapeError, match="GRUCell: input has 2 features .* but input_size is 3"):
        nn.GRUCell(3, 4)(ag.zeros(2, 2))
