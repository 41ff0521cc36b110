"""Writes examples/data/checkerboard_mlp.pt with the real PyTorch: the file the example
`load_torch_checkpoint.py` reads. Run `python tests/torch_checkpoint.py` to rewrite it;
tests/test_examples.py checks the committed file is what this writes."""

from __future__ import annotations

import pathlib

import numpy as np
import torch

PATH = pathlib.Path(__file__).parent.parent / "examples" / "data" / "checkerboard_mlp.pt"


def checkerboard(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]^2 labelled 1 where exactly one coordinate is positive (XOR)."""
    X = np.random.default_rng(seed).uniform(-1, 1, (n, 2)).astype(np.float32)
    return X, ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(np.int64)


def train() -> dict:
    """The checkpoint: a float32 2-16-16-2 MLP trained with Adam in PyTorch, and its training record."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2)
    )
    X, y = (torch.from_numpy(a) for a in checkerboard(400, seed=0))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(300):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(X), y).backward()
        optimizer.step()
    with torch.no_grad():
        accuracy = (model(X).argmax(1) == y).float().mean().item()
    return {"model": model.state_dict(), "hidden": 16, "train_accuracy": accuracy, "epochs": 300}


if __name__ == "__main__":
    torch.set_num_threads(1)
    torch.save(train(), PATH)
    print(f"wrote {PATH}")
