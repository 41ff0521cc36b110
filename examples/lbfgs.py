"""Logistic regression fitted by L-BFGS with a strong-Wolfe line search: the optimizer calls a
closure that recomputes the loss and its gradient, as many times as its line search needs.

This is PyTorch code: change the imports to `import torch` / `from torch import nn` and it runs on
PyTorch, to the same numbers (the tests run it both ways).

    python examples/lbfgs.py
"""

import numpy as np

import autograd as torch
from autograd import nn


def main(steps: int = 5) -> dict:
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    true_w = np.array([2.0, -1.0, 0.5, 0.0, 1.5])
    X = rng.normal(size=(300, 5))
    y = (rng.uniform(size=300) < 1 / (1 + np.exp(-(X @ true_w - 0.3)))).astype(np.float64)
    inputs, targets = torch.from_numpy(X), torch.from_numpy(y)

    model = nn.Linear(5, 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.zero_()
    optimizer = torch.optim.LBFGS(
        model.parameters(), lr=1.0, max_iter=20, history_size=10, line_search_fn="strong_wolfe"
    )
    loss_fn = nn.BCEWithLogitsLoss()
    evaluations = []

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(model(inputs).squeeze(1), targets) + 1e-3 * model.weight.pow(2).sum()
        loss.backward()
        evaluations.append(loss.item())
        return loss

    losses = [optimizer.step(closure).item() for _ in range(steps)]
    grad_norm = torch.cat([p.grad.reshape(-1) for p in model.parameters()]).norm().item()
    return {
        "losses": losses,
        "evaluations": evaluations,
        "weight": model.weight.detach().reshape(-1),
        "bias": model.bias.item(),
        "final_grad_norm": grad_norm,
    }


if __name__ == "__main__":
    result = main()
    print(f"loss {result['losses'][0]:.6f} -> {result['losses'][-1]:.6f} in {len(result['evaluations'])} evaluations")
    print(f"weights {np.round(result['weight'].numpy(), 3).tolist()} (true [2, -1, 0.5, 0, 1.5])")
    print(f"gradient norm at the end {result['final_grad_norm']:.2e}")
