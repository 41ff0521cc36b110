"""`python -m nn.train`: train a classifier on the UCI handwritten digits shipped with the package.

With no arguments it trains a LeNet-5 (`nn.models.LeNet5`) on the digits resized to 28×28, for 15
epochs with Adam, a cosine learning-rate schedule, label smoothing 0.1 and random crops of the
images padded by 2 pixels (about 5 s on two cores). `--model vgg` trains `nn.models.SmallVGG`
on 16×16 digits, `--model mlp` an MLP (64 → 128 → 10, ReLU) on the 64 pixels for 30 epochs (under a
second). Options left out take the model's defaults (`DEFAULTS`). It prints each epoch's train /
validation loss and accuracy under a tqdm bar, evaluates the held-out test split (plain
cross-entropy), and writes to --out: model.npz (the state dict; `nn.load` and `np.load` read it
without pickle), history.json and curves.png (loss and accuracy per epoch). Runs with the same
--seed and --split-seed are identical.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import autograd

from . import optim
from .container import MLP
from .data import DataLoader, RandomCrop, Splits, TensorDataset, digits_splits
from .losses import CrossEntropyLoss
from .models import LeNet5, SmallVGG
from .module import Module
from .serialization import save
from .training import History, evaluate, fit

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


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m nn.train", description=__doc__.split("\n\n")[0])
    p.add_argument("--model", choices=sorted(MODELS), default="lenet", help="architecture (default: lenet)")
    p.add_argument("--hidden", type=int, nargs="+", help="mlp: hidden layer sizes (default: 128)")
    p.add_argument("--dropout", type=float, help="mlp: dropout after each hidden layer (default: 0)")
    p.add_argument("--epochs", type=int, help="passes over the training set (lenet, vgg: 15; mlp: 30)")
    p.add_argument("--batch-size", type=int, default=32, help="examples per step (default: 32)")
    p.add_argument("--lr", type=float, help="peak learning rate (default: 2e-3; mlp: 3e-3)")
    p.add_argument("--optimizer", choices=sorted(OPTIMIZERS), default="adam", help="update rule (default: adam)")
    p.add_argument("--weight-decay", type=float, default=0.0, help="weight decay (default: 0)")
    p.add_argument("--label-smoothing", type=float, default=0.1, help="of the training loss (default: 0.1)")
    p.add_argument("--image-size", type=int, help="CNNs: digits resized to this size (lenet: 28, vgg: 16)")
    p.add_argument(
        "--crop-padding", type=int, help="CNNs: random crops of the training images padded by this (lenet 2, vgg 1)"
    )
    p.add_argument("--seed", type=int, default=0, help="seeds initialisation, shuffling and crops (default: 0)")
    p.add_argument("--split-seed", type=int, default=0, help="seeds the train/val/test split (default: 0)")
    p.add_argument("--out", type=Path, help="output directory (default: runs/digits-MODEL)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar or per-epoch lines")
    args = p.parse_args(argv)
    if args.model != "mlp" and (args.hidden is not None or args.dropout is not None):
        p.error("--hidden and --dropout are for the mlp")
    for key, value in DEFAULTS[args.model].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.model == "mlp" and (args.image_size is not None or args.crop_padding):
        p.error("--image-size and --crop-padding are for the CNNs; the mlp reads the 64 pixels")
    if args.crop_padding < 0:
        p.error(f"--crop-padding must be >= 0, got {args.crop_padding}")
    if args.model == "lenet" and args.image_size != LeNet5.image_size:
        p.error(f"--image-size: LeNet5 takes {LeNet5.image_size}×{LeNet5.image_size} images, got {args.image_size}")
    if args.model == "vgg" and args.image_size < 4:
        p.error(f"--image-size: SmallVGG halves the images twice: it needs at least 4 pixels, got {args.image_size}")
    if args.out is None:
        args.out = Path(f"runs/digits-{args.model}")
    return args


def plot_curves(history: History, path: Path, title: str, train_loss_label: str = "train") -> None:
    """Loss and accuracy per epoch, train and validation, side by side. Drawn on a bare matplotlib
    Figure (rendered by Agg), so pyplot's global backend is left alone."""
    from matplotlib.figure import Figure  # the `train` extra

    epochs = np.arange(1, len(history.train_loss) + 1)
    fig = Figure(figsize=(10, 4), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    panels = ((ax_loss, "loss", "cross-entropy", train_loss_label), (ax_acc, "acc", "accuracy", "train"))
    for ax, key, label, train_label in panels:
        ax.plot(epochs, getattr(history, f"train_{key}"), label=train_label)
        ax.plot(epochs, getattr(history, f"val_{key}"), label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(title)
    fig.savefig(path, dpi=120)


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


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    args = parse_args(argv)
    start = time.perf_counter()
    autograd.manual_seed(args.seed)
    data, train, val, test = digits_loaders(args)
    model = MODELS[args.model](args)
    optimizer = OPTIMIZERS[args.optimizer](model.parameters(), args.lr, args.weight_decay)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn, plain_loss = CrossEntropyLoss(label_smoothing=args.label_smoothing), CrossEntropyLoss()
    if not args.no_progress:
        print(
            f"{model}\n{model.count_parameters()} parameters; {len(data.x_train)} train, "
            f"{len(data.x_val)} val, {len(data.x_test)} test examples"
        )
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
    )
    test_loss, test_acc = evaluate(model, test, plain_loss)
    seconds = time.perf_counter() - start

    args.out.mkdir(parents=True, exist_ok=True)
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
