"""autograd.load of files written by PyTorch's torch.save: read back equal without PyTorch's code,
and hostile files refused, naming what was refused, without running anything."""

import io
import os
import pickle
import subprocess
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import autograd  # noqa: E402
import nn  # noqa: E402
from autograd import Tensor  # noqa: E402
from autograd.errors import ArgumentError, DeviceError, DTypeError, FileFormatError  # noqa: E402


def _same(ours, theirs):
    assert isinstance(ours, Tensor), type(ours)
    assert ours.shape == tuple(theirs.shape)
    expected = theirs.detach().float() if theirs.dtype == torch.bfloat16 else theirs.detach()
    assert ours.dtype == np.dtype(str(expected.dtype).removeprefix("torch."))
    np.testing.assert_array_equal(ours.numpy(), expected.numpy())


def test_a_torch_model_state_dict_loads_into_the_same_model(tmp_path):
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    theirs.train()
    theirs(torch.randn(8, 3))  # BatchNorm's running statistics and num_batches_tracked move
    theirs.eval()
    torch.save(theirs.state_dict(), tmp_path / "model.pt")
    loaded = autograd.load(tmp_path / "model.pt")
    assert isinstance(loaded, OrderedDict) and list(loaded) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        _same(loaded[key], value)
    ours = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    ours.load_state_dict(autograd.load(tmp_path / "model.pt"))
    ours.eval()
    x = np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32)
    np.testing.assert_allclose(ours(Tensor(x)).numpy(), theirs(torch.from_numpy(x)).detach().numpy(), rtol=1e-6)


def test_an_adam_state_dict_reads_back_equal(tmp_path):
    w = torch.nn.Parameter(torch.randn(2, 3))
    opt = torch.optim.Adam([w], lr=0.01, betas=(0.8, 0.9))
    for _ in range(3):
        opt.zero_grad()
        (w**2).sum().backward()
        opt.step()
    torch.save(opt.state_dict(), tmp_path / "adam.pt")
    loaded = autograd.load(tmp_path / "adam.pt", map_location="cpu")
    theirs = opt.state_dict()
    assert list(loaded["state"]) == [0]
    for key, value in theirs["state"][0].items():
        _same(loaded["state"][0][key], value)
    assert loaded["param_groups"] == theirs["param_groups"]  # numbers, bools, None, the tuple of betas
    assert type(loaded["param_groups"][0]["betas"]) is tuple


def test_nested_structures_views_and_shared_storage(tmp_path):
    base = torch.arange(24, dtype=torch.float64).reshape(4, 6)
    obj = {
        "base": base,
        "views": [base.t(), base[1:, ::2], (base[2], base[3, 4])],
        7: "seven",
        "n": None,
        "f": 1.5,
        "ok": True,
        "expanded": torch.tensor([2.0]).expand(3, 2),
        "empty": torch.zeros(0, 3),
    }
    torch.save(obj, tmp_path / "nested.pt")
    out = autograd.load(tmp_path / "nested.pt")
    _same(out["base"], base)
    _same(out["views"][0], base.t())
    _same(out["views"][1], base[1:, ::2])
    assert type(out["views"][2]) is tuple
    _same(out["views"][2][0], base[2])
    _same(out["views"][2][1], base[3, 4])
    _same(out["expanded"], obj["expanded"])
    _same(out["empty"], obj["empty"])
    assert out[7] == "seven" and out["n"] is None and out["f"] == 1.5 and out["ok"] is True
    assert np.shares_memory(out["base"].numpy(), out["views"][1].numpy())  # one storage, as in PyTorch
    mapped = autograd.load(tmp_path / "nested.pt", mmap=True)
    _same(mapped["views"][1], base[1:, ::2])
    mapped["base"].numpy()[0, 0] = 99.0  # copy-on-write: the file is not changed
    assert autograd.load(tmp_path / "nested.pt")["base"].numpy()[0, 0] == 0.0


DTYPES = ["float16", "bfloat16", "float32", "float64", "bool", "uint8", "int8", "int16", "int32", "int64"]
DTYPES += ["uint16", "uint32", "uint64"]  # saved as UntypedStorage with _rebuild_tensor_v3


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_reads_back_equal(tmp_path, dtype):
    values = torch.tensor([[0.0, 1.0, 2.5], [-3.0, 100.0, 7.0]]).abs().to(getattr(torch, dtype))
    obj = {"t": values, "nc": values.t(), "scalar": values[1, 1]}
    torch.save(obj, tmp_path / "d.pt")
    out = autograd.load(tmp_path / "d.pt")
    for key, value in obj.items():
        _same(out[key], value)
    assert out["scalar"].shape == ()


def test_a_parameter_keeps_requires_grad_and_complex_is_refused(tmp_path):
    torch.save(
        {"p": torch.nn.Parameter(torch.ones(2)), "frozen": torch.nn.Parameter(torch.ones(2), False)}, tmp_path / "p.pt"
    )
    out = autograd.load(tmp_path / "p.pt")
    assert out["p"].requires_grad and not out["frozen"].requires_grad
    _same(out["p"], torch.ones(2))
    torch.save({"c": torch.ones(2, dtype=torch.complex64)}, tmp_path / "c.pt")
    with pytest.raises(DTypeError, match="complex64 tensor; circuitgrad's Tensor has no complex dtypes"):
        autograd.load(tmp_path / "c.pt")


def test_legacy_format_weights_only_false_and_big_endian(tmp_path):
    torch.save({"w": torch.ones(2)}, tmp_path / "old.pt", _use_new_zipfile_serialization=False)
    with pytest.raises(FileFormatError, match=r"legacy \(non-zip\) format.*torch.save\(torch.load\(path\), path\)"):
        autograd.load(tmp_path / "old.pt")
    torch.save({"w": torch.ones(2)}, tmp_path / "new.pt")
    with pytest.raises(ArgumentError, match="weights_only=False would unpickle .* which circuitgrad never does"):
        autograd.load(tmp_path / "new.pt", weights_only=False)
    big = _archive(tmp_path / "big.pt", _tensor_pickle(2, (2,), (1,)), {"0": np.array([1.5, -2.0], ">f4").tobytes()})
    _rewrite(big, "archive/byteorder", b"big")
    out = autograd.load(big)
    assert out.dtype == np.float32 and out.tolist() == [1.5, -2.0]


# ---- hostile files: crafted pickles in a torch-shaped archive -------------------------------------


class _Storage:
    def __init__(self, numel, key="0", location="cpu"):
        self.numel, self.key, self.location = numel, key, location


class _Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, OrderedDict())

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, _Storage):
            return ("storage", torch.FloatStorage, obj.key, obj.location, obj.numel)
        return None


def _tensor_pickle(numel, size, stride, offset=0, location="cpu"):
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=2).dump(_Tensor(_Storage(numel, location=location), offset, size, stride))
    return buffer.getvalue()


def _archive(path, pickled, storages):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", pickled)
        z.writestr("archive/byteorder", "little")
        for key, data in storages.items():
            z.writestr(f"archive/data/{key}", data)
        z.writestr("archive/version", "3\n")
    return path


def _rewrite(path, name, data):
    with zipfile.ZipFile(path) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members[name] = data
    with zipfile.ZipFile(path, "w") as z:
        for n, d in members.items():
            z.writestr(n, d)


def test_our_crafted_tensor_pickle_loads(tmp_path):
    """The crafted archives below are valid but for the one thing each breaks."""
    path = _archive(tmp_path / "ok.pt", _tensor_pickle(3, (3,), (1,)), {"0": np.float32([1, 2, 3]).tobytes()})
    assert autograd.load(path).tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    "module, name",
    [("os", "system"), ("builtins", "eval"), ("subprocess", "call"), ("builtins", "exec"), ("posix", "system")],
)
def test_a_pickle_calling_a_global_outside_the_allow_list_is_refused_and_does_not_run(tmp_path, module, name):
    marker = tmp_path / "payload-ran"
    command = f"open({str(marker)!r}, 'w').close()" if name in ("eval", "exec") else f"touch {marker}"
    argument = command if name != "call" else None
    pickled = (
        f"c{module}\n{name}\n(V{argument}\ntR.".encode()
        if argument is not None
        else f"c{module}\n{name}\n((lV/bin/touch\naV{marker}\natR.".encode()
    )
    path = _archive(tmp_path / "evil.pt", pickled, {})
    with pytest.raises(FileFormatError, match=f"refused global '{module}.{name}'"):
        autograd.load(path)
    assert not marker.exists()
    if (module, name) == ("os", "system"):  # the payload is real: an unrestricted unpickler runs it
        code = f"import pickle, zipfile; pickle.loads(zipfile.ZipFile({str(path)!r}).read('archive/data.pkl'))"
        subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
        assert marker.exists()


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_reduce_exploit_inside_a_state_dict_is_refused(tmp_path):
    marker = tmp_path / "payload-ran"
    buffer = io.BytesIO()
    torch.save({"weight": torch.ones(2), "evil": _Exploit(marker)}, buffer)
    (tmp_path / "evil.pt").write_bytes(buffer.getvalue())
    with pytest.raises(FileFormatError, match=r"refused global '(posix|os)\.system'"):
        autograd.load(tmp_path / "evil.pt")
    assert not marker.exists()


def test_a_storage_whose_member_differs_from_its_declared_size_is_refused(tmp_path):
    path = _archive(tmp_path / "short.pt", _tensor_pickle(1000, (1000,), (1,)), {"0": bytes(8)})
    with pytest.raises(
        FileFormatError, match=r"storage '0' declares 1,000 elements of float32 \(4,000 bytes\), its member holds 8"
    ):
        autograd.load(path)


@pytest.mark.parametrize(
    "size, stride, offset, reaches",
    [((100,), (1,), 0, 99), ((2, 2), (1, 2), 0, 3), ((1,), (1,), 3, 3), ((2,), (5,), 0, 5)],
)
def test_a_tensor_reaching_beyond_its_storage_is_refused(tmp_path, size, stride, offset, reaches):
    path = _archive(tmp_path / "oob.pt", _tensor_pickle(3, size, stride, offset), {"0": bytes(12)})
    with pytest.raises(FileFormatError, match=f"reaches element {reaches} of a storage of 3 elements"):
        autograd.load(path)


def test_negative_or_malformed_sizes_are_refused(tmp_path):
    for size, stride in [((-1,), (1,)), ((2,), (-1,)), ((2,), (1, 1)), ((True,), (1,))]:
        path = _archive(tmp_path / "bad.pt", _tensor_pickle(3, size, stride), {"0": bytes(12)})
        with pytest.raises(FileFormatError, match="refused a tensor"):
            autograd.load(path)


def test_a_zip_bomb_storage_is_refused_before_it_is_inflated(tmp_path):
    count = 12_500_000  # 50 MB of float32 zeros, deflated to about 50 KB
    path = tmp_path / "bomb.pt"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", _tensor_pickle(count, (count,), (1,)))
        with z.open("archive/data/0", "w") as member:
            for _ in range(count // 1_250_000):
                member.write(bytes(5_000_000))
    assert path.stat().st_size * 100 < 4 * count
    with pytest.raises(FileFormatError, match=r"storages up to '0' declare 50,000,000 bytes.*100 times its file size"):
        autograd.load(path)
    assert autograd.load(path, max_bytes=4 * count).shape == (count,)  # trusted: an explicit budget


def test_a_truncated_torch_file_is_refused(tmp_path):
    torch.save({"w": torch.arange(1000.0)}, tmp_path / "full.pt")
    data = (tmp_path / "full.pt").read_bytes()
    for cut in (len(data) // 2, len(data) - 30):
        (tmp_path / "cut.pt").write_bytes(data[:cut])
        with pytest.raises(FileFormatError, match="damaged or truncated"):
            autograd.load(tmp_path / "cut.pt")


def test_deep_nesting_and_cycles_are_refused(tmp_path):
    deep: list = []
    for _ in range(300):
        deep = [deep]
    torch.save(deep, tmp_path / "deep.pt")
    with pytest.raises(FileFormatError, match="nested deeper than 100 levels"):
        autograd.load(tmp_path / "deep.pt")
    cycle: list = []
    cycle.append(cycle)
    path = _archive(tmp_path / "cycle.pt", pickle.dumps(cycle, protocol=2), {})
    with pytest.raises(FileFormatError, match="nested deeper than 100 levels"):
        autograd.load(path)
    shared = [1]
    for _ in range(90):  # 2^90 paths through 90 lists: walked in linear time, and kept shared
        shared = [shared, shared]
    path = _archive(tmp_path / "dag.pt", pickle.dumps(shared, protocol=2), {})
    out = autograd.load(path)
    assert out[0] is out[1]


def test_a_storage_on_another_device_needs_map_location(tmp_path):
    pickled = _tensor_pickle(2, (2,), (1,), location="cuda:0")
    path = _archive(tmp_path / "gpu.pt", pickled, {"0": np.float32([1, 2]).tobytes()})
    with pytest.raises(DeviceError, match="storage on 'cuda:0'.*map_location='cpu'"):
        autograd.load(path)
    assert autograd.load(path, map_location="cpu").tolist() == [1.0, 2.0]
    assert autograd.load(path, map_location={"cuda:0": "cpu"}).tolist() == [1.0, 2.0]
