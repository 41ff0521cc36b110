"""Fine-tuning: pre-train a network on one task, then freeze its body, put a new head on it for a
second task, and train with parameter groups (the head fast, the last body layer slowly, the rest
frozen).

This is PyTorch code: change the imports to `import torch` / `from torch import nn` and it runs on
PyTorch, to the same numbers (the tests run it both ways). NumPy draws the data and the initial
weights, so both engines start from the same ones.

    python examples/finetune_frozen.py
"""

import numpy as np

import autograd as torch
from autograd import nn


def task(n: int, rng: np.random.Generator, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Points in the plane, labelled by which side of a line at `angle` through the origin, and
    whether they lie inside the unit circle (4 classes)."""
    X = rng.uniform(-1.5, 1.5, (n, 2))
    side = (X @ np.array([np.cos(angle), np.sin(angle)]) > 0).astype(np.int64)
    inside = (np.sum(X**2, axis=1) < 1).astype(np.int64)
    return X, 2 * side + inside


def init_from_numpy(model: nn.Module, rng: np.random.Generator) -> None:
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.5, tuple(p.shape))))


def fit(model, optimizer, X, y, steps: int) -> list[float]:
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def main(steps: int = 150) -> dict:
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    body = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh())
    model = nn.Sequential(body, nn.Linear(32, 4))
    init_from_numpy(model, rng)

    X, y = (torch.from_numpy(a) for a in task(200, rng, angle=0.0))
    pretrain = fit(model, torch.optim.Adam(model.parameters(), lr=0.02), X, y, steps)

    # the new task: a new head; the first body layer frozen, the second trained ten times slower
    model[1] = nn.Linear(32, 4)
    init_from_numpy(model[1], rng)
    body[0].requires_grad_(False)
    frozen_before = body[0].weight.detach().clone()
    optimizer = torch.optim.Adam(
        [{"params": body[2].parameters(), "lr": 1e-3}, {"params": model[1].parameters()}], lr=1e-2
    )
    X2, y2 = (torch.from_numpy(a) for a in task(200, rng, angle=np.pi / 3))
    finetune = fit(model, optimizer, X2, y2, steps)

    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    with torch.no_grad():
        accuracy = (model(X2).argmax(1) == y2).double().mean().item()
    return {
        "pretrain": pretrain,
        "finetune": finetune,
        "accuracy": accuracy,
        "trainable": trainable,
        "frozen_unchanged": bool(torch.equal(body[0].weight, frozen_before)),
        "frozen_grad_is_none": body[0].weight.grad is None,
        "group_lrs": [group["lr"] for group in optimizer.param_groups],
    }


if __name__ == "__main__":
    result = main()
    print(f"pre-training loss {result['pretrain'][0]:.3f} -> {result['pretrain'][-1]:.3f}")
    finetune = result["finetune"]
    print(f"fine-tuning loss {finetune[0]:.3f} -> {finetune[-1]:.3f}, accuracy {result['accuracy']:.3f}")
    print(f"trained: {result['trainable']}; frozen layer unchanged: {result['frozen_unchanged']}")
