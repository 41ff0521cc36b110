"""Resource bounds: a million-gate chain, saved buffers released by backward, graphs freed by
reference counting alone (no cycles for the garbage collector), flat memory over training."""

import gc
import tracemalloc
import weakref

import numpy as np
import pytest

import autograd as ag
from autograd import Function, GraphError


@pytest.fixture
def gc_off():
    """Only reference counting frees objects inside the test: a cycle would keep them alive."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def test_million_gate_chain_backpropagates_and_is_freed(gc_off):
    x = ag.tensor(1.5, dtype=np.float64, requires_grad=True)
    z = -x
    first = weakref.ref(z)
    for _ in range(10**6 - 1):
        z = -z
    assert first() is not None  # held by the chain
    z.backward()
    assert x.grad.item() == 1.0  # an even number of negations
    np.testing.assert_array_equal(z.numpy(), 1.5)
    del z
    assert first() is None  # a million gates freed without recursion or the collector


class ScaleBySquare(Function):
    """z = x · s with s = x² saved from the forward  ·  ∂z/∂x = 3x²"""

    @staticmethod
    def forward(ctx, x):
        square = x * x
        ctx.save_for_backward(x, square)
        return x * square

    @staticmethod
    def backward(ctx, g):
        x, square = ctx.saved_tensors
        return g * 3 * square


def test_backward_releases_saved_buffers_unless_retained():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    y = ScaleBySquare.apply(x)
    square = weakref.ref(y.grad_fn.saved[1])
    y.sum().backward(retain_graph=True)
    assert square() is not None
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * 3 * x.numpy() ** 2)
    assert square() is None  # dropped while the output and its gate are still alive
    with pytest.raises(GraphError, match="ScaleBySquare: trying to backward through the graph a second time"):
        _ = y.grad_fn.saved_tensors
    with pytest.raises(GraphError, match="a second time"):
        y.sum().backward()


def small_graph():
    """Many gate kinds, a reused value, repeated indices; returns the loss, the inputs and weak
    references to intermediate tensors, their arrays and a gate's upstream gradient."""
    x = ag.tensor(np.linspace(-1, 1, 6).reshape(2, 3), dtype=np.float64, requires_grad=True)
    w = ag.tensor(np.full((3, 2), 0.5), dtype=np.float64, requires_grad=True)
    h = (x @ w).tanh()
    k = ag.cat([h, h.exp()], 1)[:, [0, 2, 2]]
    y = (k.log_softmax(1) * k.amax(1, keepdim=True) + ScaleBySquare.apply(h).mean()).sum()
    return y, (x, w), [weakref.ref(v) for v in (h, k, h.numpy(), k.grad_fn.inputs[0])]


def backward_plain(y, inputs):
    y.backward()


def backward_retained(y, inputs):
    y.backward(retain_graph=True)
    y.backward()


def grad_of_grad(y, inputs):
    gx, gw = ag.grad(y, inputs, create_graph=True)
    (gx.sum() + gw.sum()).backward()


def in_anomaly_mode(y, inputs):
    with ag.detect_anomaly():
        y.backward()


@pytest.mark.parametrize("run", [backward_plain, backward_retained, grad_of_grad, in_anomaly_mode])
def test_graph_is_freed_by_reference_counting(gc_off, run):
    y, inputs, refs = small_graph()
    run(y, inputs)
    upstream = weakref.ref(y.grad_fn.inputs[0].grad_fn.grad_out)
    assert all(r() is not None for r in refs + [upstream])
    del y
    assert all(r() is None for r in refs + [upstream])
    assert all(x.grad is not None for x in inputs)


def test_scalar_graph_is_freed_by_reference_counting(gc_off):
    def neuron():
        xs = [ag.Scalar(v) for v in (0.5, -1.5, 2.0)]
        ws = [ag.Scalar(v) for v in (1.0, 0.25, -0.5)]
        out = (sum(w * x for w, x in zip(ws, xs)) + 0.1).tanh()
        out.backward()
        return [w.grad for w in ws]

    grads = neuron()  # everything it built is unreachable now
    assert grads[0] != 0.0
    assert gc.collect() == 0  # nothing was left for the collector: no cycles


def test_graph_with_recorded_inplace_ops_is_freed(gc_off):
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    h = x * 2.0
    h += x
    h.mul_(h)
    snapshot = weakref.ref(h.grad_fn.inputs[0])  # the value before mul_, kept for its backward
    h.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 18 * x.numpy())  # h = (3x)²
    del h
    assert snapshot() is None


def test_backward_with_create_graph_cycle_is_broken_by_clearing_grad(gc_off):
    # As in PyTorch: the leaf's gradient is a graph that reads the leaf, a cycle x -> x.grad -> x.
    # autograd.grad (tested above) stores nothing and makes no cycle.
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    y = (x * x * x).sum()
    y.backward(create_graph=True)
    gate = weakref.ref(x.grad)
    del y
    assert gate() is not None
    x.grad = None
    assert gate() is None


def test_training_memory_stays_flat():
    rng = np.random.default_rng(0)
    n = 64
    data = rng.standard_normal((n, 2))
    labels = (data[:, 0] * data[:, 1] > 0).astype(np.int64)  # XOR of signs: needs the hidden layer
    X = ag.tensor(data, dtype=np.float32)
    shapes = [(2, 16), (16,), (16, 2), (2,)]
    params = [ag.tensor(rng.standard_normal(s) * 0.5, dtype=np.float32, requires_grad=True) for s in shapes]

    def step():
        W1, b1, W2, b2 = params
        logits = (X @ W1 + b1).relu() @ W2 + b2
        loss = -logits.log_softmax(1)[np.arange(n), labels].mean()
        for p in params:
            p.grad = None
        loss.backward()
        with ag.no_grad():
            for p in params:
                p.sub_(p.grad, alpha=0.1)
        return loss.item()

    first = step()
    tracemalloc.start()
    try:
        for _ in range(100):  # warm-up under tracing: caches, free lists, the last graph alive
            step()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(1000):
            last = step()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert last < 0.3 * first  # it trained
    assert growth < 16 * 1024, f"memory grew by {growth} bytes over 1000 steps"


@pytest.mark.parametrize("cell", ["GRU", "LSTM"])
def test_recurrent_training_with_a_carried_state_keeps_memory_flat(cell):
    """The char model's loop (examples/char_rnn.py, smaller): the state carried from batch to batch
    and detached; 300 steps under tracemalloc must not grow (a state kept attached would hold every
    earlier batch's graph)."""
    import nn

    ag.manual_seed(0)
    rng = np.random.default_rng(0)
    embed, rnn, head = nn.Embedding(12, 8), getattr(nn, cell)(8, 16, batch_first=True), nn.Linear(16, 12)
    params = [*embed.parameters(), *rnn.parameters(), *head.parameters()]
    optimizer = nn.optim.Adam(params, lr=1e-2)
    corpus = rng.integers(0, 12, 4000)
    state = None

    def step(t):
        nonlocal state
        start = (t * 10) % 3900
        X = ag.tensor(corpus[start : start + 80].reshape(8, 10))
        Y = ag.tensor(corpus[start + 1 : start + 81].reshape(8, 10))
        out, state = rnn(embed(X), state)
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        loss = nn.functional.cross_entropy(head(out).reshape(-1, 12), Y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()

    for t in range(20):
        step(t)
    tracemalloc.start()
    try:
        for t in range(20, 60):  # warm-up under tracing
            step(t)
        before = tracemalloc.get_traced_memory()[0]
        for t in range(60, 360):
            step(t)
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert growth < 64 * 1024, f"memory grew by {growth} bytes over 300 steps"
