"""Checkpoints: train, save the model, optimizer and scheduler state to a file, and resume in a
fresh process-like setting (new model, new optimizer) — the resumed run continues exactly as the
uninterrupted one, step for step.

This is PyTorch code: change the imports to `import torch` / `from torch import nn` and it runs on
PyTorch, to the same numbers (the tests run it both ways). On this engine `torch.save` writes the checkpoint
atomically here and `torch.load` reads it back without unpickling anything.

    python examples/checkpoint_resume.py
"""

import os
import tempfile

import numpy as np

import autograd as torch
from autograd import nn


def build(seed: int):
    """The model, its optimizer and its schedule, with NumPy-drawn initial weights."""
    model = nn.Sequential(nn.Linear(4, 32), nn.GELU(), nn.BatchNorm1d(32), nn.Linear(32, 1))
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.3, tuple(p.shape))))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=40)
    return model, optimizer, scheduler


def train(model, optimizer, scheduler, X, y, steps: int) -> list[float]:
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
        losses.append(loss.item())
    return losses


def main(steps: int = 20) -> dict:
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    X = torch.from_numpy(rng.normal(size=(128, 4)))
    y = torch.from_numpy(np.tanh(rng.normal(size=(128, 4)).sum(1, keepdims=True)))

    model, optimizer, scheduler = build(seed=1)
    first = train(model, optimizer, scheduler, X, y, steps)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "checkpoint.pt")
        checkpoint = {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(),
            "step": steps,
        }
        torch.save(checkpoint, path)
        uninterrupted = train(model, optimizer, scheduler, X, y, steps)

        model, optimizer, scheduler = build(seed=2)  # different weights: all state must come from the file
        checkpoint = torch.load(path)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        resumed = train(model, optimizer, scheduler, X, y, steps)

    return {
        "first": first,
        "uninterrupted": uninterrupted,
        "resumed": resumed,
        "identical": uninterrupted == resumed,
        "step": checkpoint["step"],
        "lr": scheduler.get_last_lr(),
    }


if __name__ == "__main__":
    result = main()
    print(f"loss {result['first'][0]:.4f} -> {result['first'][-1]:.4f}, checkpoint at step {result['step']}")
    print(f"continued: {result['uninterrupted'][-1]:.6f}; resumed from the file: {result['resumed'][-1]:.6f}")
    print(f"identical continuation: {result['identical']}")
