"""autograd.save / autograd.load of .safetensors files (the optional safetensors package), in parity
with safetensors.torch."""

import builtins

import numpy as np
import pytest

import autograd
from autograd import Tensor
from autograd.errors import ArgumentError, DTypeError, FileFormatError, MissingDependencyError

safetensors_torch = pytest.importorskip("safetensors.torch")
torch = pytest.importorskip("torch")

DTYPES = ["float16", "float32", "float64", "bool", "uint8", "int8", "int16", "int32", "int64"]


def test_a_file_written_by_safetensors_torch_reads_back_equal(tmp_path):
    theirs = {name: torch.arange(6).reshape(2, 3).to(getattr(torch, name)) for name in DTYPES}
    theirs["scalar"] = torch.tensor(2.5)
    safetensors_torch.save_file(theirs, tmp_path / "t.safetensors")
    ours = autograd.load(tmp_path / "t.safetensors")
    assert sorted(ours) == sorted(theirs)
    for key, value in theirs.items():
        assert isinstance(ours[key], Tensor) and ours[key].dtype == np.dtype(str(value.dtype).removeprefix("torch."))
        np.testing.assert_array_equal(ours[key].numpy(), value.numpy())
    ours["scalar"].numpy()[...] = 1.0  # our own writeable copy


def test_a_file_written_by_us_reads_back_equal_in_torch(tmp_path):
    base = autograd.arange(12.0).reshape(3, 4)
    ours = {"w": base, "t": base.t(), "mask": autograd.tensor([True, False]), "n": np.arange(3, dtype=np.int16)}
    autograd.save(ours, tmp_path / "m.safetensors")
    theirs = safetensors_torch.load_file(tmp_path / "m.safetensors")
    for key, value in ours.items():
        expected = value.numpy() if isinstance(value, Tensor) else value
        assert str(theirs[key].dtype) == f"torch.{expected.dtype}"
        np.testing.assert_array_equal(theirs[key].numpy(), expected)
    assert autograd.load(tmp_path / "m.safetensors")["t"].tolist() == base.t().tolist()
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]  # written through a renamed temp file


def test_only_a_flat_dict_of_tensors_is_saved(tmp_path):
    with pytest.raises(ArgumentError, match="flat dict of str -> tensor, got list"):
        autograd.save([autograd.ones(2)], tmp_path / "x.safetensors")
    with pytest.raises(ArgumentError, match="only tensors, but 'lr' is a float"):
        autograd.save({"w": autograd.ones(2), "lr": 0.1}, tmp_path / "x.safetensors")
    with pytest.raises(ArgumentError, match="only tensors, but 'state' is a dict"):
        autograd.save({"state": {"w": autograd.ones(2)}}, tmp_path / "x.safetensors")
    assert not (tmp_path / "x.safetensors").exists()


def test_bad_files_and_bfloat16(tmp_path):
    (tmp_path / "bad.safetensors").write_bytes(b"\xff" * 20)
    with pytest.raises(FileFormatError, match="not a readable .safetensors file"):
        autograd.load(tmp_path / "bad.safetensors")
    safetensors_torch.save_file({"w": torch.ones(2)}, tmp_path / "ok.safetensors")
    data = (tmp_path / "ok.safetensors").read_bytes()
    (tmp_path / "cut.safetensors").write_bytes(data[:-4])
    with pytest.raises(FileFormatError, match="not a readable .safetensors file"):
        autograd.load(tmp_path / "cut.safetensors")
    safetensors_torch.save_file({"w": torch.ones(2, dtype=torch.bfloat16)}, tmp_path / "bf.safetensors")
    with pytest.raises(DTypeError, match="bfloat16 tensors, which NumPy .* cannot read"):
        autograd.load(tmp_path / "bf.safetensors")


def test_without_the_package_the_error_says_what_to_install(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_safetensors(name, *args, **kwargs):
        if name.startswith("safetensors"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_safetensors)
    with pytest.raises(MissingDependencyError, match=r"pip install circuitgrad\[safetensors\]") as caught:
        autograd.save({"w": autograd.ones(2)}, tmp_path / "m.safetensors")
    assert isinstance(caught.value, ImportError)
    (tmp_path / "m.safetensors").write_bytes(b"")
    with pytest.raises(ImportError, match=r"load: .safetensors files need the safetensors package"):
        autograd.load(tmp_path / "m.safetensors")
