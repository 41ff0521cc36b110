"""Polynomial regression with a learning rate that halves whenever the validation loss stops
improving (ReduceLROnPlateau), and early stopping on the best validation loss.

This is PyTorch code: change the imports to `import torch` / `from torch import nn` and it runs on
PyTorch, to the same numbers (the tests run it both ways).

    python examples/regression_plateau.py
"""

import numpy as np

import autograd as torch
from autograd import nn


def features(x: np.ndarray, degree: int) -> np.ndarray:
    """x, x^2, ..., x^degree, each scaled by 1/k! (the notes' polynomial-regression features)."""
    return np.stack([x**k / np.prod(np.arange(1, k + 1)) for k in range(1, degree + 1)], axis=1)


def main(epochs: int = 80) -> dict:
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    x = rng.normal(size=200)
    true_w = np.array([1.2, -3.4, 5.6])
    y = 5 + features(x, 3) @ true_w + rng.normal(0, 0.1, 200)
    X = torch.from_numpy(features(x, 3))
    Y = torch.from_numpy(y).reshape(-1, 1)
    X_train, Y_train, X_val, Y_val = X[:150], Y[:150], X[150:], Y[150:]

    model = nn.Linear(3, 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=5)
    loss_fn = nn.MSELoss()

    best, best_state, history = float("inf"), None, []
    for _ in range(epochs):
        for start in range(0, 150, 10):
            optimizer.zero_grad()
            loss_fn(model(X_train[start : start + 10]), Y_train[start : start + 10]).backward()
            optimizer.step()
        with torch.no_grad():
            val = loss_fn(model(X_val), Y_val).item()
        scheduler.step(val)
        history.append((val, optimizer.param_groups[0]["lr"]))
        if val < best:
            best, best_state = val, {k: v.clone() for k, v in model.state_dict().items()}

    model.load_state_dict(best_state)
    return {
        "history": history,
        "best_val": best,
        "weight": model.weight.detach().reshape(-1),
        "bias": model.bias.item(),
        "reductions": sum(a[1] != b[1] for a, b in zip(history, history[1:])),
    }


if __name__ == "__main__":
    result = main()
    print(f"best validation loss {result['best_val']:.5f}; the learning rate was halved {result['reductions']} times")
    weights = np.round(result["weight"].numpy(), 4).tolist()
    print(f"weights {weights} (true [1.2, -3.4, 5.6]), bias {result['bias']:.3f} (true 5)")
