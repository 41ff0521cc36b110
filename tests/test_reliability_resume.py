"""`python -m nn.cli --checkpoint-every N` / `--resume PATH`: a run killed with SIGKILL at a random
step and resumed from its last checkpoint ends on the same weights, bit for bit, as a run that was
never interrupted."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nn
from nn.cli import main

ROOT = Path(__file__).resolve().parent.parent
# The child trains as `python -m nn.cli` does, but SIGKILLs itself when the optimizer is about to
# take step KILL_AT: a real kill at a step of our choosing, whatever the machine's speed.
KILLED_RUN = """
import os, signal, sys
import nn.cli, nn.optim
kill_at, taken = int(os.environ["KILL_AT"]), [0]
step = nn.optim.Adam.step
def counting_step(self, *args, **kwargs):
    taken[0] += 1
    if taken[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    return step(self, *args, **kwargs)
nn.optim.Adam.step = counting_step
nn.cli.main(sys.argv[1:])
"""


def _weights(path: Path) -> dict[str, np.ndarray]:
    return nn.load(path)


def _assert_same_weights(a: Path, b: Path) -> None:
    wa, wb = _weights(a), _weights(b)
    assert wa.keys() == wb.keys()
    for key in wa:
        assert wa[key].dtype == wb[key].dtype
        assert np.array_equal(wa[key], wb[key]), f"{key} differs after the resume"


@pytest.mark.parametrize("flags", [["--model", "mlp", "--dropout", "0.2"], ["--model", "vgg", "--image-size", "8"]])
def test_a_run_killed_at_a_random_step_resumes_to_the_same_weights(tmp_path, flags):
    """mlp with dropout draws from autograd's default generator; vgg crops draw from the shuffling
    generator and has BatchNorm buffers: both generators, the optimizer, the scheduler and the
    position inside the epoch come back from the checkpoint."""
    epochs, every = ["--epochs", "3"], ["--checkpoint-every", "7"]
    common = [*flags, *epochs, "--batch-size", "64", "--no-progress"]
    main([*common, "--out", str(tmp_path / "whole")])
    steps_per_epoch = -(-1257 // 64)  # 1,257 training digits
    kill_at = random.Random(" ".join(flags)).randrange(8, 3 * steps_per_epoch - 2)
    assert kill_at % 7  # between two checkpoints: work since the last one is lost and redone
    env = {**os.environ, "KILL_AT": str(kill_at), "PYTHONPATH": str(ROOT)}
    out = tmp_path / "killed"
    run = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, *common, *every, "--out", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert (out / "checkpoint.npz").is_file() and not (out / "model.npz").exists()
    main(["--resume", str(out / "checkpoint.npz"), "--no-progress", "--out", str(out)])
    _assert_same_weights(tmp_path / "whole" / "model.npz", out / "model.npz")


def test_resume_mid_epoch_in_process_gives_the_same_history(tmp_path):
    common = ["--model", "mlp", "--epochs", "2", "--batch-size", "100", "--no-progress"]
    whole = main([*common, "--out", str(tmp_path / "whole")])
    main([*common, "--checkpoint-every", "17", "--out", str(tmp_path / "part")])  # 13 steps an epoch: mid-epoch
    resumed = main(
        ["--resume", str(tmp_path / "part" / "checkpoint.npz"), "--no-progress", "--out", str(tmp_path / "r")]
    )
    assert resumed["test_acc"] == whole["test_acc"] and resumed["test_loss"] == whole["test_loss"]
    _assert_same_weights(tmp_path / "whole" / "model.npz", tmp_path / "r" / "model.npz")


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["--epochs", "0"], "--epochs"),
        (["--seed", "-1"], "--seed"),
        (["--split-seed", "-1"], "--split-seed"),
        (["--batch-size", "0"], "--batch-size"),
        (["--lr", "-1"], "--lr"),
        (["--lr", "nan"], "--lr"),
        (["--model", "mlp", "--dropout", "1.5"], "--dropout"),
        (["--label-smoothing", "3"], "--label-smoothing"),
        (["--model", "mlp", "--hidden", "0"], "--hidden"),
        (["--weight-decay", "-1"], "--weight-decay"),
        (["--checkpoint-every", "0"], "--checkpoint-every"),
        (["--epochs", "two"], "--epochs"),
    ],
)
def test_every_bad_flag_is_one_argparse_error_line_naming_it(argv, flag, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    error_lines = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert len(error_lines) == 1 and f"argument {flag}:" in error_lines[0], error_lines


def test_resume_of_a_missing_or_foreign_file_is_an_argparse_error(tmp_path, capsys):
    for path in (tmp_path / "nothing.npz", tmp_path / "weights.npz"):
        if path.name == "weights.npz":
            nn.save({"w": np.zeros(2)}, path)
        with pytest.raises(SystemExit) as info:
            main(["--resume", str(path)])
        assert info.value.code == 2
        assert "--resume" in capsys.readouterr().err


def test_one_epoch_curves_show_their_single_point(tmp_path):
    from nn.cli import plot_curves
    from nn.training import History

    history = History(train_loss=[0.5], train_acc=[0.8], val_loss=[0.6], val_acc=[0.7])
    fig = plot_curves(history, tmp_path / "curves.png", "one epoch")
    lines = [line for ax in fig.axes for line in ax.get_lines()]
    assert len(lines) == 4 and all(line.get_marker() not in (None, "", "None") for line in lines)
    assert (tmp_path / "curves.png").stat().st_size > 0
