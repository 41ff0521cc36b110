"""The training loop (`nn.training.fit` / `evaluate`) and the `python -m nn.cli` entry point,
end to end on the shipped digits."""

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import autograd
import nn
from nn.data import DataLoader, TensorDataset, digits_splits, make_moons
from nn.cli import main, parse_args
from nn.training import History, evaluate, fit

ROOT = Path(__file__).resolve().parent.parent


def moons_loaders(seed=0):
    x, y = make_moons(200, noise=0.1, generator=np.random.default_rng(seed))
    train = DataLoader(TensorDataset(x[:150], y[:150]), 16, shuffle=True, generator=np.random.default_rng(seed))
    return train, DataLoader(TensorDataset(x[150:], y[150:]), 50)


def test_the_default_lenet_reaches_98_5_percent_on_the_digits(tmp_path):
    summary = main(["--no-progress", "--out", str(tmp_path)])
    assert summary["test_acc"] >= 0.985
    record = json.loads((tmp_path / "history.json").read_text())
    assert record["args"]["model"] == "lenet" and record["args"]["image_size"] == 28
    assert len(record["history"]["val_acc"]) == 15 and max(record["history"]["val_acc"]) >= 0.97
    # the saved model reloads (no pickle) into a fresh LeNet5 and scores the same on the test split
    model = nn.models.LeNet5()
    model.load_state_dict(nn.load(tmp_path / "model.npz"))
    data = digits_splits(seed=0, image_size=28)
    _, acc = evaluate(model, DataLoader(TensorDataset(data.x_test, data.y_test), 100), nn.CrossEntropyLoss())
    assert acc == summary["test_acc"]


def test_the_mlp_reaches_97_percent_on_the_digits_in_seconds(tmp_path):
    start = time.perf_counter()
    summary = main(["--model", "mlp", "--no-progress", "--out", str(tmp_path)])
    assert time.perf_counter() - start < 30
    assert summary["test_acc"] >= 0.97
    record = json.loads((tmp_path / "history.json").read_text())
    assert record["test_acc"] == summary["test_acc"] and len(record["history"]["val_acc"]) == 30
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the saved model reloads (no pickle) into a fresh MLP and scores the same on the test split
    with np.load(tmp_path / "model.npz", allow_pickle=False) as f:
        assert sorted(f.files) == ["0.bias", "0.weight", "2.bias", "2.weight"] and f["0.weight"].shape == (128, 64)
    model = nn.MLP(64, [128, 10])
    model.load_state_dict(nn.load(tmp_path / "model.npz"))
    data = digits_splits(seed=0)
    _, acc = evaluate(model, DataLoader(TensorDataset(data.x_test, data.y_test), 100), nn.CrossEntropyLoss())
    assert acc == summary["test_acc"]


def test_seeded_runs_are_identical(tmp_path):
    args = ["--model", "mlp", "--no-progress", "--epochs", "3", "--seed", "5"]
    first = main([*args, "--out", str(tmp_path / "a")])
    second = main([*args, "--out", str(tmp_path / "b")])
    other = main([*args[:-1], "6", "--out", str(tmp_path / "c")])
    a, b, c = (nn.load(tmp_path / d / "model.npz") for d in "abc")
    assert all(np.array_equal(a[k], b[k]) for k in a) and first["test_loss"] == second["test_loss"]
    assert not np.array_equal(a["0.weight"], c["0.weight"]) and other["test_loss"] != first["test_loss"]
    ha, hb = (json.loads((tmp_path / d / "history.json").read_text())["history"] for d in "ab")
    assert ha["train_loss"] == hb["train_loss"] and ha["val_acc"] == hb["val_acc"]


def test_cli_runs_as_a_module_with_a_progress_bar(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "nn.cli", "--model", "mlp", "--epochs", "2", "--hidden", "16", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr
    assert "epoch   2/2" in out.stdout + out.stderr and "batch" in out.stderr  # tqdm writes to stderr
    assert "test accuracy" in out.stdout and (tmp_path / "model.npz").is_file()


def test_parse_args_fills_in_each_models_defaults_and_rejects_bad_options():
    args = parse_args([])
    assert (args.model, args.epochs, args.batch_size, args.lr, args.seed) == ("lenet", 15, 32, 2e-3, 0)
    assert (args.image_size, args.crop_padding, args.out) == (28, 2, Path("runs/digits-lenet"))
    mlp = parse_args(["--model", "mlp"])
    assert (mlp.epochs, mlp.lr, mlp.image_size, mlp.crop_padding, mlp.hidden) == (30, 3e-3, None, 0, [128])
    assert mlp.out == Path("runs/digits-mlp")
    vgg = parse_args(["--model", "vgg", "--epochs", "4", "--crop-padding", "0"])
    assert (vgg.epochs, vgg.image_size, vgg.crop_padding) == (4, 16, 0)  # given options win
    bad_options = (
        ["--model", "transformer"],
        ["--model", "mlp", "--image-size", "28"],
        ["--crop-padding", "-1"],
        ["--image-size", "32"],  # LeNet5's first Linear layer fits 28×28 images only
        ["--model", "vgg", "--image-size", "2"],
        ["--model", "vgg", "--hidden", "5"],
        ["--dropout", "0.5"],
    )
    for bad in bad_options:
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_the_vgg_trains_on_the_8x8_digits_with_batch_norm(tmp_path):
    summary = main(["--model", "vgg", "--image-size", "8", "--epochs", "3", "--no-progress", "--out", str(tmp_path)])
    assert summary["test_acc"] >= 0.95  # three epochs already learn most digits (98.1% measured)
    keys = nn.load(tmp_path / "model.npz")
    assert keys["1.running_mean"].shape == (32,) and keys["16.weight"].shape == (10, 64)


def test_fit_learns_the_moons_and_records_history():
    autograd.manual_seed(0)
    train, val = moons_loaders()
    model = nn.MLP(2, [16, 2])
    opt = nn.optim.Adam(model.parameters(), lr=0.05)
    sched = nn.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=15)
    history = fit(model, train, val, nn.CrossEntropyLoss(), opt, 15, scheduler=sched, progress=False)
    assert isinstance(history, History) and len(history.train_loss) == len(history.val_acc) == 15
    assert history.train_loss[-1] < history.train_loss[0] / 3 and history.val_acc[-1] >= 0.95
    np.testing.assert_allclose(history.lr, [0.05 * (1 + math.cos(math.pi * e / 15)) / 2 for e in range(15)])
    assert set(history.as_dict()) == {"train_loss", "train_acc", "val_loss", "val_acc", "lr", "seconds"}
    assert model.training


def test_fit_without_validation_and_with_clipping_bounds_each_step():
    autograd.manual_seed(1)
    train, _ = moons_loaders()
    model = nn.MLP(2, [8, 2])
    before = [p.numpy().copy() for p in model.parameters()]
    opt = nn.optim.SGD(model.parameters(), lr=1.0)
    history = fit(model, train, None, nn.CrossEntropyLoss(), opt, 1, clip_grad_norm=1e-3, progress=False)
    assert history.val_loss == [] and len(history.train_loss) == 1
    moved = math.sqrt(sum(((p.numpy() - b) ** 2).sum() for p, b in zip(model.parameters(), before)))
    assert 0 < moved <= len(train) * 1e-3 * (1 + 1e-4)  # lr 1 × clipped norm ≤ 1e-3 per step


class Fixed(nn.Module):
    """logits = x (two features as two class scores), and a dropout-like train/eval switch."""

    def forward(self, x):
        return x * 2.0 if self.training else x


def test_evaluate_is_the_weighted_mean_over_batches_in_eval_mode():
    x = np.array([[2.0, 0.0], [0.0, 1.0], [3.0, 1.0]], dtype=np.float32)
    y = np.array([0, 0, 1])
    model = Fixed()
    loss, acc = evaluate(model, DataLoader(TensorDataset(x, y), batch_size=2), nn.CrossEntropyLoss())
    # per example: −log softmax(x)_y in eval mode (logits = x, not 2x)
    expected = [math.log(1 + math.exp(-2)), math.log(1 + math.exp(1)), math.log(1 + math.exp(2))]
    assert loss == pytest.approx(sum(expected) / 3, rel=1e-6) and acc == pytest.approx(1 / 3)
    assert model.training  # restored


def test_evaluate_rejects_non_class_targets_and_empty_loaders():
    x = np.zeros((2, 2), np.float32)
    with pytest.raises(ValueError, match="integer labels"):
        evaluate(Fixed(), DataLoader(TensorDataset(x, x), 2), nn.MSELoss())
    with pytest.raises(ValueError, match="no examples"):
        evaluate(Fixed(), [], nn.CrossEntropyLoss())
