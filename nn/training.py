"""`fit` and `evaluate`: the classification training loop (logits (N, C), integer labels).

One epoch: for each batch, forward → loss → `optimizer.zero_grad()` → `backward()` → (clip) →
`optimizer.step()`; then the scheduler steps and the validation set is evaluated without a graph.
`fit` can also start mid-run (`start=Position(...)`, `history=...`) and calls `on_epoch_start` /
`on_step` hooks, which is what checkpointing and resuming in `python -m nn.cli` are built on.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from collections.abc import Callable, Iterable

from autograd import Tensor, no_grad
from autograd.errors import DomainError, ShapeError

from .modules import Module
from .optim import Optimizer
from .optim.lr_scheduler import LRScheduler
from .utils import clip_grad_norm_

LossFn = Callable[[Tensor, Tensor], Tensor]


@dataclass
class History:
    """Per-epoch metrics (val_* stay empty without a validation loader)."""

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[float]]:
        return asdict(self)


@dataclass
class Position:
    """Where a run is: `step` batches of epoch `epoch` (1-based) are done, with these running sums
    of their loss (weighted by batch size), correct predictions and examples."""

    epoch: int = 1
    step: int = 0
    total_loss: float = 0.0
    correct: int = 0
    seen: int = 0


def _correct(logits: Tensor, labels: Tensor) -> int:
    if logits.ndim != 2:
        raise ShapeError(
            f"fit/evaluate: expected logits (N, C) and integer labels (N,), got logits of shape {logits.shape} "
            f"and labels of shape {labels.shape}"
        )
    if labels.dtype.kind not in "iu":
        raise DomainError(  # a ValueError, as it always was: targets that are not class indices
            f"fit/evaluate: accuracy needs integer labels (class indices, shape (N,)), got labels of dtype "
            f"{labels.dtype} and shape {labels.shape}"
        )
    return int((logits.numpy().argmax(axis=1) == labels.numpy()).sum())


def evaluate(model: Module, loader: Iterable[Any], loss_fn: LossFn) -> tuple[float, float]:
    """Mean loss (weighted by batch size) and accuracy over `loader`, in eval mode, without a graph.
    The model's previous mode is restored."""
    was_training = model.training
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    try:
        with no_grad():
            for x, y in loader:
                logits = model(x)
                total_loss += loss_fn(logits, y).item() * len(y)
                correct += _correct(logits, y)
                seen += len(y)
    finally:
        model.train(was_training)
    if seen == 0:
        raise ShapeError("evaluate: the loader yielded no examples; expected at least one non-empty batch")
    return total_loss / seen, correct / seen


def fit(
    model: Module,
    train_loader: Iterable[Any],
    val_loader: Iterable[Any] | None,
    loss_fn: LossFn,
    optimizer: Optimizer,
    epochs: int,
    *,
    scheduler: LRScheduler | None = None,
    clip_grad_norm: float | None = None,
    val_loss_fn: LossFn | None = None,
    progress: bool = True,
    history: History | None = None,
    start: Position | None = None,
    on_epoch_start: Callable[[int], None] | None = None,
    on_step: Callable[[Position, History], None] | None = None,
) -> History:
    """Train for `epochs` epochs and return the `History`. With `progress`, a tqdm bar counts the
    batches and each epoch's metrics are printed as it ends. Train loss / accuracy are the running
    means over the epoch's batches (in training mode, as the model was while it learned). The
    validation loss uses `val_loss_fn` (default: `loss_fn`), e.g. plain cross-entropy when the
    training loss is label-smoothed.

    Resuming: `start` (default: epoch 1, step 0) and `history` (the metrics so far, appended to)
    continue a run. The first `start.step` batches of epoch `start.epoch` are drawn from the loader
    but not trained on, so a loader whose random state was restored to the epoch's start consumes
    exactly the same draws as the uninterrupted run. Hooks: `on_epoch_start(epoch)` runs before
    each epoch's loader is iterated, `on_step(position, history)` after each optimizer step."""
    history = History() if history is None else history
    start = start or Position()
    bar = None
    if progress:
        from tqdm import tqdm  # the `train` extra; only needed for the bar

        done = (start.epoch - 1) * len(train_loader) + start.step
        bar = tqdm(total=epochs * len(train_loader), initial=done, unit="batch", dynamic_ncols=True)
    try:
        for epoch in range(start.epoch, epochs + 1):
            began = time.perf_counter()
            pos = replace(start) if epoch == start.epoch else Position(epoch)
            skip = pos.step
            if skip == 0:
                history.lr.append(float(optimizer.param_groups[0]["lr"]))
            if on_epoch_start is not None:
                on_epoch_start(epoch)
            model.train()
            for b, (x, y) in enumerate(train_loader):
                if b < skip:  # done before the run was interrupted: replay the draws, don't train
                    continue
                logits = model(x)
                loss = loss_fn(logits, y)
                optimizer.zero_grad()
                loss.backward()
                if clip_grad_norm is not None:
                    clip_grad_norm_(model.parameters(), clip_grad_norm)
                optimizer.step()
                pos.step += 1
                pos.total_loss += loss.item() * len(y)
                pos.correct += _correct(logits, y)
                pos.seen += len(y)
                if on_step is not None:
                    on_step(pos, history)
                if bar is not None:
                    bar.update()
            if scheduler is not None:
                scheduler.step()
            train_loss, train_acc = pos.total_loss / pos.seen, pos.correct / pos.seen
            history.train_loss.append(train_loss)
            history.train_acc.append(train_acc)
            line = f"epoch {epoch:3d}/{epochs}  train loss {train_loss:.4f} acc {train_acc:.4f}"
            if val_loader is not None:
                val_loss, val_acc = evaluate(model, val_loader, val_loss_fn or loss_fn)
                history.val_loss.append(val_loss)
                history.val_acc.append(val_acc)
                line += f"  val loss {val_loss:.4f} acc {val_acc:.4f}"
            history.seconds.append(time.perf_counter() - began)
            if bar is not None:
                bar.write(line)
                bar.set_postfix(loss=f"{train_loss:.3f}", val_acc=f"{history.val_acc[-1]:.3f}" if val_loader else "-")
    finally:
        if bar is not None:
            bar.close()
    return history
