"""The command-line program, `python -m nn.cli`: train a classifier on the UCI handwritten digits shipped
with the package (the training loop itself is the library's `nn.training.fit`).

With no arguments it trains a LeNet-5 (`nn.models.LeNet5`) on the digits resized to 28×28, for 15
epochs with Adam, a cosine learning-rate schedule, label smoothing 0.1 and random crops of the
images padded by 2 pixels (about 5 s on two cores). `--model vgg` trains `nn.models.SmallVGG`
on 16×16 digits, `--model mlp` an MLP (64 → 128 → 10, ReLU) on the 64 pixels for 30 epochs (under a
second). Options left out take the model's defaults (`DEFAULTS`). It prints each epoch's train /
validation loss and accuracy under a tqdm bar, evaluates the held-out test split (plain
cross-entropy), and writes to --out: model.npz (the state dict; `nn.load` and `np.load` read it
without pickle), history.json and curves.png (loss and accuracy per epoch). Runs with the same
--seed and --split-seed are identical.

`--checkpoint-every N` also writes OUT/checkpoint.npz every N steps (atomically, with `nn.save`): the
model, optimizer and scheduler states, the random generators' states, the position in the run and
the history so far. `--resume OUT/checkpoint.npz` continues that run with its saved options and ends
with the same model.npz, bit for bit, as the uninterrupted run.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import autograd

from . import optim
from .data import DataLoader, RandomCrop, Splits, TensorDataset, digits_splits
from .models import LeNet5, SmallVGG
from .modules import MLP, CrossEntropyLoss, Module
from .serialization import FileFormatError, load, save
from .training import History, Position, evaluate, fit

# name -> builder(args); an MLP reads the 64 standardised pixels, a CNN (1, S, S) images
MODELS: dict[str, Callable[[argparse.Namespace], Module]] = {
    "mlp": lambda args: MLP(64, [*args.hidden, 10], dropout=args.dropout),
    "lenet": lambda args: LeNet5(1, 10),
    "vgg": lambda args: SmallVGG(1, 10),
}
# each model's defaults for the options the command line leaves out; image_size None = flat pixels
DEFAULTS: dict[str, dict[str, Any]] = {
    "mlp": {"epochs": 30, "lr": 3e-3, "image_size": None, "crop_padding": 0, "hidden": [128], "dropout": 0.0},
    "lenet": {"epochs": 15, "lr": 2e-3, "image_size": LeNet5.image_size, "crop_padding": 2},
    "vgg": {"epochs": 15, "lr": 2e-3, "image_size": SmallVGG.image_size, "crop_padding": 1},
}
OPTIMIZERS: dict[str, Callable[..., optim.Optimizer]] = {
    "adam": lambda params, lr, wd: optim.Adam(params, lr=lr, weight_decay=wd),
    "adamw": lambda params, lr, wd: optim.AdamW(params, lr=lr, weight_decay=wd),
    "sgd": lambda params, lr, wd: optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=wd),
}


CHECKPOINT = "checkpoint.npz"  # written to --out by --checkpoint-every
# The module was nn.train when this format was named; the string stays so older checkpoints still resume.
CHECKPOINT_FORMAT = "nn.train checkpoint 1"
RESUME_MAY_CHANGE = {"out", "no_progress", "checkpoint_every"}  # options a resumed run may set anew


def positive_int(text: str) -> int:
    """An argparse type: an integer >= 1."""
    return _int_at_least(text, 1)


def nonnegative_int(text: str) -> int:
    """An argparse type: an integer >= 0."""
    return _int_at_least(text, 0)


def _int_at_least(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or value < low:
        raise argparse.ArgumentTypeError(f"expected an integer >= {low}, got {text!r}")
    return value


def finite_float_in(
    low: float, high: float, *, low_open: bool = False, high_open: bool = False
) -> Callable[[str], float]:
    """An argparse type: a finite float in the interval from `low` to `high` (open at an end when
    `low_open` / `high_open`; an infinite bound is always open)."""
    interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open or math.isinf(high) else ']'}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        above = value > low if low_open else value >= low
        below = value < high if high_open else value <= high
        if not (math.isfinite(value) and above and below):
            raise argparse.ArgumentTypeError(f"expected a finite number in {interval}, got {text!r}")
        return value

    parse.__name__ = f"float in {interval}"
    return parse


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m nn.cli", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", choices=sorted(MODELS), default="lenet", help="architecture (default: lenet)")
    p.add_argument("--hidden", type=positive_int, nargs="+", help="mlp: hidden layer sizes (default: 128)")
    p.add_argument(
        "--dropout",
        type=finite_float_in(0, 1, high_open=True),
        help="mlp: dropout after each hidden layer, in [0, 1) (default: 0)",
    )
    p.add_argument("--epochs", type=positive_int, help="passes over the training set (lenet, vgg: 15; mlp: 30)")
    p.add_argument("--batch-size", type=positive_int, default=32, help="examples per step (default: 32)")
    p.add_argument(
        "--lr",
        type=finite_float_in(0, math.inf, low_open=True),
        help="peak learning rate, > 0 (default: 2e-3; mlp: 3e-3)",
    )
    p.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam", help="update rule (default: adam)")
    p.add_argument(
        "--weight-decay", type=finite_float_in(0, math.inf), default=0.0, help="weight decay, >= 0 (default: 0)"
    )
    p.add_argument(
        "--label-smoothing",
        type=finite_float_in(0, 1),
        default=0.1,
        help="of the training loss, in [0, 1] (default: 0.1)",
    )
    p.add_argument("--image-size", type=positive_int, help="CNNs: digits resized to this size (lenet: 28, vgg: 16)")
    p.add_argument(
        "--crop-padding",
        type=nonnegative_int,
        help="CNNs: random crops of the training images padded by this (lenet 2, vgg 1)",
    )
    p.add_argument(
        "--seed", type=nonnegative_int, default=0, help="seeds initialisation, shuffling and crops (default: 0)"
    )
    p.add_argument("--split-seed", type=nonnegative_int, default=0, help="seeds the train/val/test split (default: 0)")
    p.add_argument("--out", type=Path, help="output directory (default: runs/digits-MODEL)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar or per-epoch lines")
    p.add_argument(
        "--checkpoint-every",
        type=positive_int,
        metavar="N",
        help=f"every N steps (batches), save everything needed to resume to OUT/{CHECKPOINT} (default: never)",
    )
    p.add_argument(
        "--resume",
        type=Path,
        metavar="PATH",
        help=f"continue the run saved in PATH (an OUT/{CHECKPOINT}) with its options; only --out, --no-progress "
        "and --checkpoint-every may be given anew",
    )
    return p


def read_checkpoint(path: Path) -> dict[str, Any]:
    """The checkpoint at `path`; a ValueError (or FileNotFoundError) if it is missing or not one."""
    state = load(path)
    if state.get("format") != CHECKPOINT_FORMAT:
        raise FileFormatError(f"{path} is not a checkpoint written by --checkpoint-every")
    return state


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = _parser()
    args = p.parse_args(argv)
    if args.resume is not None:
        return _resumed_args(p, args, argv)
    if args.model != "mlp" and (args.hidden is not None or args.dropout is not None):
        p.error("--hidden and --dropout are for the mlp")
    for key, value in DEFAULTS[args.model].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.model == "mlp" and (args.image_size is not None or args.crop_padding):
        p.error("--image-size and --crop-padding are for the CNNs; the mlp reads the 64 pixels")
    if args.model == "lenet" and args.image_size != LeNet5.image_size:
        p.error(f"--image-size: LeNet5 takes {LeNet5.image_size}×{LeNet5.image_size} images, got {args.image_size}")
    if args.model == "vgg" and args.image_size < 4:
        p.error(f"--image-size: SmallVGG halves the images twice: it needs at least 4 pixels, got {args.image_size}")
    if args.out is None:
        args.out = Path(f"runs/digits-{args.model}")
    return args


def _resumed_args(
    p: argparse.ArgumentParser, args: argparse.Namespace, argv: Sequence[str] | None
) -> argparse.Namespace:
    """The options saved in the --resume checkpoint, with --out, --no-progress and --checkpoint-every
    taken from the command line when given; any other option given must match the saved one."""
    try:
        saved = read_checkpoint(args.resume)["args"]
    except (OSError, ValueError) as e:
        p.error(f"argument --resume: {e}")
    explicit = _parser()
    for action in explicit._actions:  # only the options given on the command line come back
        action.default = argparse.SUPPRESS
    given = vars(explicit.parse_args(argv))
    for key, value in given.items():
        if key not in RESUME_MAY_CHANGE | {"resume"} and value != saved[key]:
            p.error(
                f"argument --{key.replace('_', '-')}: the checkpoint's run has {saved[key]!r}, not {value!r}; "
                "leave it out to resume with the saved options"
            )
    merged = {**saved, **{key: given[key] for key in RESUME_MAY_CHANGE & given.keys()}, "resume": args.resume}
    merged["out"] = Path(merged["out"])
    return argparse.Namespace(**merged)


def plot_curves(history: History, path: Path, title: str, train_loss_label: str = "train") -> Any:
    """Loss and accuracy per epoch, train and validation, side by side, saved to `path`; returns the
    matplotlib Figure. Each epoch is a marker, so a one-epoch run shows its point. Drawn on a bare
    Figure (rendered by Agg), so pyplot's global backend is left alone."""
    from matplotlib.figure import Figure  # the `train` extra

    epochs = np.arange(1, len(history.train_loss) + 1)
    fig = Figure(figsize=(10, 4), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    panels = ((ax_loss, "loss", "cross-entropy", train_loss_label), (ax_acc, "acc", "accuracy", "train"))
    for ax, key, label, train_label in panels:
        ax.plot(epochs, getattr(history, f"train_{key}"), marker="o", markersize=4, label=train_label)
        ax.plot(epochs, getattr(history, f"val_{key}"), marker="o", markersize=4, label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.savefig(path, dpi=120)
    return fig


def digits_loaders(args: argparse.Namespace) -> tuple[Splits, DataLoader, DataLoader, DataLoader]:
    """The digits split by --split-seed and the train / validation / test loaders `main` trains on:
    training batches shuffled by --seed and, with --crop-padding, randomly cropped from images
    padded with the background (a raw 0, standardised)."""
    data = digits_splits(seed=args.split_seed, image_size=args.image_size)
    shuffle = np.random.default_rng(args.seed)
    crop = None
    if args.crop_padding:
        background = float(data.scaler(np.zeros((1, 1, 1, 1))).item())
        crop = RandomCrop(args.image_size, args.crop_padding, generator=shuffle, fill=background)
    train = DataLoader(
        TensorDataset(data.x_train, data.y_train), args.batch_size, shuffle=True, generator=shuffle, transform=crop
    )
    val = DataLoader(TensorDataset(data.x_val, data.y_val), batch_size=512)
    test = DataLoader(TensorDataset(data.x_test, data.y_test), batch_size=512)
    return data, train, val, test


def _checkpoint(
    args: argparse.Namespace,
    model: Module,
    optimizer: optim.Optimizer,
    scheduler: optim.lr_scheduler.LRScheduler,
    epoch_rng: dict[str, Any],
    position: Position,
    history: History,
) -> dict[str, Any]:
    """Everything `--resume` needs: `epoch_rng` is the shuffling / crop generator's state at the start
    of the epoch (the resumed run replays the epoch's batches up to `position` from it), the autograd
    default generator's (dropout) is its state now."""
    return {
        "format": CHECKPOINT_FORMAT,
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items() if k != "resume"},
        "model": dict(model.state_dict()),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "epoch_rng": epoch_rng,
        "autograd_rng": autograd.default_generator().bit_generator.state,
        "position": vars(position).copy(),
        "history": history.as_dict(),
    }


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    args = parse_args(argv)
    start = time.perf_counter()
    autograd.manual_seed(args.seed)
    data, train, val, test = digits_loaders(args)
    model = MODELS[args.model](args)
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), args.lr, args.weight_decay)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn, plain_loss = CrossEntropyLoss(label_smoothing=args.label_smoothing), CrossEntropyLoss()
    history, position = None, None
    if args.resume is not None:
        saved = read_checkpoint(args.resume)
        model.load_state_dict(saved["model"])
        optimizer.load_state_dict(saved["optimizer"])
        scheduler.load_state_dict(saved["scheduler"])
        train.generator.bit_generator.state = saved["epoch_rng"]
        autograd.default_generator().bit_generator.state = saved["autograd_rng"]
        history, position = History(**saved["history"]), Position(**saved["position"])
    if not args.no_progress:
        print(
            f"{model}\n{model.count_parameters()} parameters; {len(data.x_train)} train, "
            f"{len(data.x_val)} val, {len(data.x_test)} test examples"
        )
        if position is not None:
            print(f"resuming {args.resume} at epoch {position.epoch}, step {position.step}/{len(train)}")
    args.out.mkdir(parents=True, exist_ok=True)
    epoch_rng: dict[str, Any] = {}

    def on_epoch_start(epoch: int) -> None:
        epoch_rng.clear()
        epoch_rng.update(train.generator.bit_generator.state)

    def on_step(pos: Position, hist: History) -> None:
        if args.checkpoint_every and ((pos.epoch - 1) * len(train) + pos.step) % args.checkpoint_every == 0:
            state = _checkpoint(args, model, optimizer, scheduler, epoch_rng, pos, hist)
            save(state, args.out / CHECKPOINT)

    history = fit(
        model,
        train,
        val,
        loss_fn,
        optimizer,
        args.epochs,
        scheduler=scheduler,
        val_loss_fn=plain_loss,
        progress=not args.no_progress,
        history=history,
        start=position,
        on_epoch_start=on_epoch_start,
        on_step=on_step,
    )
    test_loss, test_acc = evaluate(model, test, plain_loss)
    seconds = time.perf_counter() - start

    save(model.state_dict(), args.out / "model.npz")
    summary = {"test_loss": test_loss, "test_acc": test_acc, "seconds": seconds}
    record = {"args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}, **summary}
    (args.out / "history.json").write_text(json.dumps({**record, "history": history.as_dict()}, indent=1))
    title = f"{args.model} on the digits: test accuracy {test_acc:.2%}"
    smoothed = f"train (label smoothing {args.label_smoothing})" if args.label_smoothing else "train"
    plot_curves(history, args.out / "curves.png", title, train_loss_label=smoothed)
    print(f"test loss {test_loss:.4f}  test accuracy {test_acc:.2%}  ({seconds:.1f} s)")
    print(f"wrote {args.out / 'model.npz'}, {args.out / 'history.json'}, {args.out / 'curves.png'}")
    return summary


if __name__ == "__main__":
    main()
