"""nn.save / nn.load: .npz state dicts, read back without pickle, with clear errors for bad files."""

import math

import numpy as np
import pytest

import nn
from autograd import Tensor
from autograd.errors import AutogradError
from autograd.serialization import STRUCTURE_KEY
from nn.serialization import FileFormatError


def test_flat_state_dict_round_trip_keeps_dtypes_and_is_plain_npz(tmp_path):
    sd = {"0.weight": np.arange(6, dtype=np.float32).reshape(2, 3), "0.bias": Tensor([1.0, 2.0]), "n": np.array(3)}
    nn.save(sd, tmp_path / "m.npz")
    out = nn.load(tmp_path / "m.npz")
    assert sorted(out) == ["0.bias", "0.weight", "n"]
    assert out["0.weight"].dtype == np.float32 and out["0.bias"].dtype == np.float32
    np.testing.assert_array_equal(out["0.weight"], sd["0.weight"])
    assert out["0.bias"].tolist() == [1.0, 2.0] and out["n"] == 3
    with np.load(tmp_path / "m.npz", allow_pickle=False) as plain:  # readable without circuitgrad
        assert sorted(plain.files) == ["0.bias", "0.weight", "n"]


def test_nested_state_round_trip(tmp_path):
    sd = {
        "state": {0: {"step": 3, "exp_avg": np.ones((2, 2), np.float32)}, 5: {"step": 1}},
        "param_groups": [{"lr": 0.1, "betas": (0.9, 0.999), "amsgrad": False, "name": "w", "x": None, "params": [0]}],
        "inf": float("inf"),
    }
    nn.save(sd, tmp_path / "o.npz")
    out = nn.load(tmp_path / "o.npz")
    assert list(out["state"]) == [0, 5] and out["state"][0]["step"] == 3
    assert out["state"][0]["exp_avg"].dtype == np.float32 and out["state"][0]["exp_avg"].sum() == 4
    assert out["param_groups"] == [
        {"lr": 0.1, "betas": (0.9, 0.999), "amsgrad": False, "name": "w", "x": None, "params": [0]}
    ]
    assert out["inf"] == float("inf")


def test_save_rejects_what_it_cannot_store_without_pickle(tmp_path):
    with pytest.raises(TypeError, match="Python objects"):
        nn.save({"a": np.array([object(), 1], dtype=object)}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="cannot store set"):
        nn.save({"a": {1, 2}}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="keys must be str or int"):
        nn.save({"a": {(1, 2): 3}}, tmp_path / "x.npz")
    with pytest.raises(TypeError, match="expected a path"):
        nn.save([np.zeros(2)], 3)


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no file"):
        nn.load(tmp_path / "missing.npz")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(FileFormatError, match="not an .npz archive"):
        nn.load(tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))
    with pytest.raises(FileFormatError, match="not an .npz archive"):
        nn.load(tmp_path / "single.npy")
    nn.save({"w": np.arange(1000.0)}, tmp_path / "full.npz")
    data = (tmp_path / "full.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(FileFormatError, match="damaged or truncated"):
        nn.load(tmp_path / "cut.npz")
    np.savez(tmp_path / "obj.npz", a=np.array([{"x": 1}], dtype=object))  # NumPy pickles this member
    with pytest.raises(FileFormatError, match="Python objects"):
        nn.load(tmp_path / "obj.npz")
    np.savez(tmp_path / "bad.npz", **{STRUCTURE_KEY: np.array("{not json"), "a0": np.zeros(1)})
    with pytest.raises(FileFormatError, match="malformed") as caught:
        nn.load(tmp_path / "bad.npz")
    assert isinstance(caught.value, AutogradError) and isinstance(caught.value, ValueError)


def test_a_save_that_fails_halfway_leaves_the_previous_checkpoint_loadable(tmp_path):
    """The save runs in a child whose file-size limit (RLIMIT_FSIZE) is below the new archive's
    size, so its write fails halfway (EFBIG), as on a full disk. Before, the target was truncated
    first and no longer loaded."""
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "model.npz"
    old = {"w": np.arange(10.0)}
    nn.save(old, path)
    child = textwrap.dedent(
        f"""
        import resource, signal, sys
        import numpy as np
        import nn
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
        try:
            nn.save({{"w": np.zeros(1_000_000)}}, {str(path)!r})
        except OSError as e:
            print("failed:", e.strerror)
            sys.exit(3)
        """
    )
    run = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=60)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "File too large" in run.stdout
    np.testing.assert_array_equal(nn.load(path)["w"], old["w"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]  # no temporary file left behind


def test_a_save_killed_before_the_rename_leaves_the_previous_file(tmp_path, monkeypatch):
    import autograd.file_checks as file_checks

    path = tmp_path / "model.npz"
    nn.save({"w": np.ones(3)}, path)

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(file_checks.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        nn.save({"w": np.zeros(3)}, path)
    np.testing.assert_array_equal(nn.load(path)["w"], np.ones(3))
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def _npy_header(shape: tuple[int, ...], dtype: str = "<f8") -> bytes:
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": dtype, "fortran_order": False, "shape": shape})
    return buffer.getvalue()  # the magic, the version and the header


def test_load_refuses_a_member_declaring_more_than_the_file_can_hold(tmp_path):
    """A header declaring 8 TB on a file of a few hundred bytes: refused before any allocation."""
    import zipfile

    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("w.npy", _npy_header((10**12,)) + b"\x00" * 64)
    with pytest.raises(FileFormatError, match=r"member 'w' declare 8,000,000,000,000 bytes, more than the .* allowed"):
        nn.load(path)


def test_load_refuses_a_decompression_bomb_and_max_bytes_sets_the_budget(tmp_path):
    """200 MB of zeros deflate to about 200 KB: the declared size is 1,000 times the file's."""
    import zipfile

    path = tmp_path / "bomb.npz"
    count = 25_000_000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("w.npy", "w") as member:
            member.write(_npy_header((count,)))
            chunk = bytes(8 * 1_000_000)
            for _ in range(count // 1_000_000):
                member.write(chunk)
    assert path.stat().st_size * 100 < 8 * count
    with pytest.raises(FileFormatError, match="100 times its file size"):
        nn.load(path)
    with pytest.raises(FileFormatError, match=r"more than the 1,000 allowed \(max_bytes\)"):
        nn.load(path, max_bytes=1000)
    assert nn.load(path, max_bytes=8 * count + 1)["w"].shape == (count,)  # trusted: an explicit budget


def test_load_refuses_a_structure_nested_too_deep_without_recursion_error(tmp_path):
    import json
    import zipfile

    import autograd.serialization as serialization

    for depth in (150, 100_000):  # past our limit; past Python's recursion limit in json itself
        node: dict = {"value": 1}
        text = '{"list": [' * depth + json.dumps(node) + "]}" * depth
        path = tmp_path / f"deep{depth}.npz"
        np.savez(path, **{serialization.STRUCTURE_KEY: np.array(text)})
        with pytest.raises(FileFormatError, match="nested deeper than 100 levels"):
            nn.load(path)
    shallow = {"a": [{"b": [np.ones(2)]}]}
    nn.save(shallow, tmp_path / "ok.npz")
    np.testing.assert_array_equal(nn.load(tmp_path / "ok.npz")["a"][0]["b"][0], np.ones(2))
    assert zipfile.is_zipfile(tmp_path / "ok.npz")


def test_autograd_save_load_are_pytorchs_names_and_give_tensors(tmp_path):
    import autograd

    assert nn.save is autograd.save and nn.load is autograd.load
    obj = {
        "w": autograd.tensor([[1.0, 2.0]]),
        "pair": (autograd.tensor([1, 2]), [3, "x", None, True]),
        7: {"step": 2, "scale": 0.5},
    }
    autograd.save(obj, tmp_path / "o.pt")  # any extension but .safetensors: our .npz format
    out = autograd.load(tmp_path / "o.pt", weights_only=False)  # nothing to unpickle: the same as True
    assert isinstance(out["w"], Tensor) and out["w"].dtype == np.float32 and out["w"].tolist() == [[1.0, 2.0]]
    assert type(out["pair"]) is tuple and isinstance(out["pair"][0], Tensor) and out["pair"][0].dtype == np.int64
    assert out["pair"][1] == [3, "x", None, True] and out[7] == {"step": 2, "scale": 0.5}
    assert list(out) == ["w", "pair", 7]
    autograd.save(autograd.tensor(3.5), tmp_path / "t.npz")  # a lone (0-d) tensor
    lone = autograd.load(tmp_path / "t.npz")
    assert isinstance(lone, Tensor) and lone.shape == () and lone.item() == 3.5


def test_load_arguments(tmp_path):
    import autograd
    from autograd.errors import ArgumentError, DeviceError

    autograd.save({"w": np.ones(2)}, tmp_path / "m.npz")
    assert autograd.load(tmp_path / "m.npz", map_location="cpu", mmap=False)["w"].tolist() == [1.0, 1.0]
    with pytest.raises(DeviceError, match="not available"):
        autograd.load(tmp_path / "m.npz", map_location="cuda:0")
    with pytest.raises(ArgumentError, match="pickle_module is not supported"):
        autograd.load(tmp_path / "m.npz", pickle_module=object())
    with pytest.raises(ArgumentError, match="callable map_location"):
        autograd.load(tmp_path / "m.npz", map_location=lambda storage, location: storage)
    with pytest.raises(ArgumentError, match=r"expected a path \(str or os.PathLike\), got BytesIO"):
        import io

        autograd.load(io.BytesIO(b""))


def test_autograd_does_not_import_nn():
    import subprocess
    import sys

    code = "import sys, autograd; autograd.save; assert 'nn' not in sys.modules, sorted(sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("name, shape", [("Adam", (3,)), ("Adam", ()), ("LBFGS", (3,))])
def test_optimizer_round_trip_through_load_continues_identically(tmp_path, name, shape):
    """save -> load -> load_state_dict: the loaded state is Tensors (LBFGS: lists of them, int keys),
    and the next steps equal those of the optimizer that never stopped. A 0-d parameter's moments are
    0-d tensors that must stay arrays (updated in place), not become numbers."""
    import autograd

    rng = np.random.default_rng(1)
    target = rng.standard_normal(shape)
    scale = np.array([1.0, 3.0, 0.5])[: math.prod(shape)].reshape(shape)

    def run(opt, w, steps):
        for _ in range(steps):

            def closure():
                opt.zero_grad()
                loss = ((w - autograd.tensor(target)) ** 2 * autograd.tensor(scale)).sum()
                loss.backward()
                return loss

            opt.step(closure)

    def make():
        w = autograd.tensor(np.zeros(shape), requires_grad=True)
        opt = nn.optim.Adam([w], lr=0.1, betas=(0.8, 0.9)) if name == "Adam" else nn.optim.LBFGS([w], max_iter=3)
        return w, opt

    w, opt = make()
    run(opt, w, 2)
    autograd.save(opt.state_dict(), tmp_path / "opt.npz")
    loaded = autograd.load(tmp_path / "opt.npz")
    assert all(isinstance(k, int) for k in loaded["state"])
    w2, opt2 = make()
    w2.numpy()[...] = w.numpy()
    opt2.load_state_dict(loaded)
    assert opt2.param_groups[0].keys() == opt.param_groups[0].keys()
    run(opt, w, 3)
    run(opt2, w2, 3)
    assert not np.array_equal(w.numpy(), np.zeros(shape))
    np.testing.assert_array_equal(w2.numpy(), w.numpy())


def test_any_key_is_a_member_even_numpys_own_keyword(tmp_path):
    nn.save({"allow_pickle": np.ones(2), "file": np.zeros(1)}, tmp_path / "k.npz")  # np.savez's parameters
    out = nn.load(tmp_path / "k.npz")
    assert out["allow_pickle"].tolist() == [1.0, 1.0] and out["file"].tolist() == [0.0]


def test_requires_grad_survives_the_round_trip(tmp_path):
    import autograd

    w = autograd.ones(2, requires_grad=True)
    autograd.save({"w": w, "b": autograd.zeros(1)}, tmp_path / "p.npz")
    out = autograd.load(tmp_path / "p.npz")
    assert out["w"].requires_grad and out["w"].is_leaf and not out["b"].requires_grad
    (out["w"] * 3).sum().backward()
    assert out["w"].grad.tolist() == [3.0, 3.0]
    autograd.save([w.detach()], tmp_path / "d.npz")
    assert not autograd.load(tmp_path / "d.npz")[0].requires_grad
