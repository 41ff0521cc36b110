"""The benchmark harness (benchmarks/): its quick run prints the whole table with sane numbers, and
its hand-written references compute what the engine computes."""

import importlib.util
import math

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from benchmarks import numpy_mlp, run
from benchmarks.harness import COLUMNS
from benchmarks.workloads import WORKLOADS, ScalarMLP, chain, hinge_step, mlp_model, numpy_params

UNITS = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}


def seconds(cell: str) -> float:
    """'1.5 ms (1.2 ms–2 ms)' → 0.0015, the median."""
    value, unit = cell.split(" (")[0].split()
    return float(value) * UNITS[unit]


def test_quick_run_prints_a_row_per_workload_and_reference(capsys):
    rows = run.main(["--quick"])
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("| ")]
    table = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    assert table[0] == list(COLUMNS)
    body = table[2:]
    workloads = [factory(True) for factory in WORKLOADS.values()]
    expected = [(w.name, ref.name if ref else "—") for w in workloads for ref in w.references or [None]]
    assert [(cells[0], cells[2]) for cells in body] == expected
    assert "CPU:" in out and "NumPy" in out
    for row, cells in zip(rows, body):
        assert math.isfinite(row.engine.median) and row.engine.median > 0
        assert row.engine.peak_bytes > 0 if row.workload.memory else row.engine.peak_bytes is None
        assert seconds(cells[1]) == pytest.approx(row.engine.median, rel=0.01)
        if row.workload.self_timed:  # the training runs: their own clock, accuracy or perplexity in the notes
            assert row.engine.median == row.engine.result["seconds"]
            if "test_acc" in row.engine.result:
                assert 0 <= row.engine.result["test_acc"] <= 1
                assert f"test accuracy {row.engine.result['test_acc']:.2%}" in cells[9]
            elif "val_loss" in row.engine.result:  # the GPT: the same weights, windows and steps
                assert f"validation loss {row.engine.result['val_loss']:.4f}" in cells[9]
                assert f"PyTorch {row.timing.result['val_loss']:.4f} (within 2%: yes)" in cells[9]
            else:
                assert f"validation perplexity {row.engine.result['val_perplexity']:.3f}" in cells[9]
                assert f"PyTorch {row.timing.result['val_perplexity']:.3f}" in cells[9]
        if row.reference is None:  # the depth chains: time and memory per gate
            assert cells[9].endswith("per gate") and " and " in cells[9]
            continue
        if row.reference.installed:
            assert row.timing.median > 0 and row.ratio == pytest.approx(
                row.engine.median / row.timing.median
            )  # 1 round
            assert cells[4] == f"{row.ratio:.2f}×"
            if isinstance(row.engine.result, float):  # one step each from the same start: the same loss
                assert row.same_result is True and "same loss" in cells[9], cells[9]
            assert cells[6] == ("—" if row.reference.target is None else "yes" if row.met else "no")
        else:
            assert importlib.util.find_spec(row.reference.requires) is None
            assert cells[3] == "not installed" and cells[4] == "—"
        assert cells[5] == ("—" if row.reference.target is None else f"≤ {row.reference.target:g}×")


@pytest.mark.parametrize("sizes", [(64, 32, 16, 10), (20, 10)])
def test_numpy_mlp_reference_has_the_engines_loss_gradients_and_update(sizes):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((9, sizes[0]), dtype=np.float32)
    y = rng.integers(0, sizes[-1], 9)
    model = mlp_model(sizes)
    params = numpy_params(model)
    before = numpy_mlp.copy_params(params)

    loss = F.cross_entropy(model(ag.tensor(x)), y)
    loss.backward()
    ref_loss, ref_grads = numpy_mlp.loss_and_grads(params, x, y)
    assert ref_loss == pytest.approx(loss.item(), rel=1e-5)
    engine_grads = [p.grad.numpy() for p in model.parameters()]
    for got, want in zip([g for pair in ref_grads for g in pair], engine_grads, strict=True):
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)

    nn.optim.SGD(model.parameters(), lr=0.5).step()
    assert numpy_mlp.sgd_step(params, x, y, 0.5) == pytest.approx(ref_loss)
    for (w, b), (w0, b0) in zip(params, before):
        assert not np.array_equal(w, w0) and not np.array_equal(b, b0)
    for got, want in zip([a for pair in params for a in pair], model.parameters()):
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-4, atol=1e-6)


def test_scalar_mlp_moons_step_matches_numpy():
    """The benchmark's Scalar MLP and hinge step: the loss NumPy computes for the same weights."""
    sizes, rng = (2, 3, 4, 1), np.random.default_rng(0)
    shapes = [(n_out, n_in + 1) for n_in, n_out in zip(sizes, sizes[1:])]  # per neuron: w then b
    layers = [rng.uniform(-1, 1, shape) for shape in shapes]
    xs, ys = rng.standard_normal((5, 2)), rng.choice([-1.0, 1.0], 5)
    h = xs
    for i, wb in enumerate(layers):
        h = h @ wb[:, :-1].T + wb[:, -1]
        h = h if i == len(layers) - 1 else np.maximum(h, 0)
    want = np.maximum(0, 1 - ys * h[:, 0]).mean() + 1e-4 * sum((wb**2).sum() for wb in layers)
    model = ScalarMLP(sizes, np.concatenate([wb.ravel() for wb in layers]).tolist())
    got = hinge_step(model, model.params, ag.Scalar, xs.tolist(), ys.tolist(), lr=0.0)()
    assert got == pytest.approx(want, rel=1e-12)
    assert any(p.grad != 0 for p in model.params)


def test_chain_is_the_same_function_for_tensors_and_scalars():
    x = ag.tensor([0.5, -0.25], dtype=np.float64)
    assert chain(x, 8).tolist() == pytest.approx([chain(ag.Scalar(v), 8).data for v in (0.5, -0.25)])
    with pytest.raises(ValueError, match="multiple of 4"):
        chain(x, 6)
