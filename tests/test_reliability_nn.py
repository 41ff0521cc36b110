"""Reliability of the nn layer on top of the engine: updates that change parameters in place are
seen by the version checks, channel counts are checked, files never unpickle, training leaks
nothing. (Linear / BatchNorm1d / Conv2d feature counts, labels, probabilities, state-dict keys
and damaged files are tested beside the nn code; this file covers what those tests do not.)"""

import ast
import gc
import pathlib
import tracemalloc

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F
from autograd import GraphError, ShapeError
from nn.serialization import FileFormatError

ROOT = pathlib.Path(__file__).resolve().parent.parent
X = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)  # float32, as the layers


def test_optimizer_step_between_forward_and_backward_is_caught():
    model = nn.Linear(3, 2)
    opt = nn.optim.SGD(model.parameters(), lr=0.1)
    before = model.weight.numpy().copy()
    for _ in range(3):  # the usual loop: no false alarms
        opt.zero_grad()
        model(ag.tensor(X)).sum().backward()
        opt.step()
    assert not np.allclose(model.weight.numpy(), before)
    loss = model(ag.tensor(X)).sum()
    opt.step()  # updates the weight and bias that the forward recorded
    with pytest.raises(GraphError, match=r"Linear's backward was modified in place: input 1, of shape \(2, 3\)"):
        loss.backward()  # the layer's one gate finds its weight (input 1) changed first, then its bias


def test_load_state_dict_between_forward_and_backward_is_caught():
    model = nn.Linear(3, 2, bias=False)
    loss = model(ag.tensor(X)).sum()
    model.load_state_dict({"weight": np.ones((2, 3))})
    with pytest.raises(GraphError, match=r"Linear's backward was modified in place: input 1, of shape \(2, 3\)"):
        loss.backward()


def test_batchnorm2d_wrong_channel_count_says_expected_and_got():
    with pytest.raises(ShapeError, match=r"running_mean has shape \(3,\) but the input \(2, 4, 5, 5\) has 4 channels"):
        nn.BatchNorm2d(3)(ag.zeros(2, 4, 5, 5))


class WritesAFile:
    """Unpickling this creates the file `path`: the code execution a pickle allows."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_loading_a_pickle_payload_never_runs_it(tmp_path):
    witness = tmp_path / "payload-ran"
    payload = np.empty(1, dtype=object)
    payload[0] = WritesAFile(witness)
    np.savez(tmp_path / "evil.npz", weight=payload)  # NumPy pickles object arrays into the archive
    model = nn.Linear(1, 1)
    with pytest.raises(FileFormatError, match="holds an array of Python objects, which would need pickle"):
        model.load_state_dict(nn.load(tmp_path / "evil.npz"))
    assert not witness.exists()


def test_damaged_members_and_empty_files(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "garbage.npz", "w") as z:
        z.writestr("weight.npy", b"\x93NUMPY this is not an array header")
    with pytest.raises(FileFormatError, match="garbage.npz' has a malformed array member"):
        nn.load(tmp_path / "garbage.npz")
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(FileFormatError, match="is not an .npz archive"):
        nn.load(tmp_path / "empty.npz")


def test_every_np_load_in_the_packages_refuses_pickles():
    calls = []
    for path in [*ROOT.joinpath("autograd").rglob("*.py"), *ROOT.joinpath("nn").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            func = getattr(node, "func", None)
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "load"
                and getattr(func.value, "id", "") in ("np", "numpy")
            ):
                flags = {k.arg: getattr(k.value, "value", None) for k in node.keywords}
                calls.append((f"{path.name}:{node.lineno}", flags.get("allow_pickle", "missing")))
    assert len(calls) >= 2  # nn.load and the digits dataset at least
    assert all(flag is False for _, flag in calls), calls


def test_nn_training_leaks_nothing_and_makes_no_cycles():
    rng = np.random.default_rng(1)
    data = ag.tensor(rng.standard_normal((32, 4)), dtype=np.float32)
    labels = (data.numpy()[:, 0] * data.numpy()[:, 1] > 0).astype(np.int64)
    model = nn.Sequential(nn.Linear(4, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 2))
    opt = nn.optim.Adam(model.parameters(), lr=0.02)

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(data), labels)
        loss.backward()
        opt.step()
        return loss.item()

    gc.collect()
    gc.disable()
    try:
        first = step()
        tracemalloc.start()
        try:
            for _ in range(50):  # warm-up under tracing: caches, free lists, Adam's state
                step()
            before = tracemalloc.get_traced_memory()[0]
            for _ in range(500):
                last = step()
            growth = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        cyclic = gc.collect()  # objects only the collector could free: made by cycles
    finally:
        gc.enable()
    assert last < 0.5 * first
    assert cyclic == 0
    assert growth < 16 * 1024, f"memory grew by {growth} bytes over 500 steps"
