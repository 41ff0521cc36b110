"""An MLP classifier trained with a DataLoader and Adam: two interleaved spirals, 3 classes.

This is PyTorch code: change the imports to `import torch`, `from torch import nn` and
`from torch.utils.data import ...` and it runs on PyTorch, to the same numbers (the tests run it
both ways). NumPy draws the data, the initial weights and the shuffling order, so both engines see
the same ones.

    python examples/mlp_adam.py
"""

import numpy as np

import autograd as torch
from autograd import nn
from autograd.utils.data import DataLoader, Sampler, TensorDataset


def spirals(n_per_class: int, classes: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """cs231n's spirals: class k winds from the origin out along angle 4k ... 4(k+1), with noise."""
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), classes)
    t = np.concatenate([np.linspace(4 * k, 4 * (k + 1), n_per_class) for k in range(classes)])
    t += rng.normal(0, 0.2, t.shape)
    X = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    return X, np.repeat(np.arange(classes), n_per_class)


class NumpyShuffle(Sampler):
    """A new random order of the dataset each epoch, drawn by NumPy (the same on every engine)."""

    def __init__(self, n: int, seed: int) -> None:
        self.n, self.rng = n, np.random.default_rng(seed)

    def __iter__(self):
        return iter(self.rng.permutation(self.n).tolist())

    def __len__(self) -> int:
        return self.n


def init_from_numpy(model: nn.Module, seed: int) -> None:
    """Uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)) weights and biases, PyTorch's Linear default, from NumPy."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, nn.Linear):
                bound = 1 / np.sqrt(layer.in_features)
                for p in (layer.weight, layer.bias):
                    p.copy_(torch.from_numpy(rng.uniform(-bound, bound, tuple(p.shape))))


def main(epochs: int = 30) -> dict:
    torch.set_default_dtype(torch.float64)
    X, y = spirals(100, 3, np.random.default_rng(0))
    data = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    loader = DataLoader(data, batch_size=32, sampler=NumpyShuffle(len(data), seed=1))

    model = nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 3))
    init_from_numpy(model, seed=2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.CrossEntropyLoss()

    losses = []
    for _ in range(epochs):
        total = 0.0
        for inputs, labels in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), labels)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(labels)
        losses.append(total / len(data))

    with torch.no_grad():
        predictions = model(data.tensors[0]).argmax(dim=1)
    accuracy = (predictions == data.tensors[1]).float().mean().item()
    return {"losses": losses, "accuracy": accuracy, "labels_are_int64": data.tensors[1].dtype == torch.int64}


if __name__ == "__main__":
    result = main()
    print(f"loss {result['losses'][0]:.4f} -> {result['losses'][-1]:.4f}, train accuracy {result['accuracy']:.3f}")
