"""A small CNN with BatchNorm, trained with SGD + momentum and a StepLR schedule: is the bar in a
noisy 8x8 image horizontal, vertical or diagonal?

This is PyTorch code: change the imports to `import torch` / `from torch import nn` and it runs on
PyTorch, to the same numbers (the tests run it both ways). NumPy draws the data and the initial
weights, so both engines start from the same ones.

    python examples/cnn_batchnorm.py
"""

import numpy as np

import autograd as torch
from autograd import nn


def bars(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n noisy 1x8x8 images, each with one bar: class 0 horizontal, 1 vertical, 2 diagonal."""
    labels = rng.integers(0, 3, n)
    images = rng.normal(0.0, 0.5, (n, 1, 8, 8))
    where = rng.integers(0, 8, n)
    for image, label, k in zip(images, labels, where):
        if label == 0:
            image[0, k, :] += 2.0
        elif label == 1:
            image[0, :, k] += 2.0
        else:
            image[0] += 2.0 * np.eye(8)[:, ::-1] if k % 2 else 2.0 * np.eye(8)
    return images, labels


class BarNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, kernel_size=3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(8, 16, kernel_size=3, padding=1),
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.classifier = nn.Linear(16, 3)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def init_from_numpy(model: nn.Module, seed: int) -> None:
    """He-normal convolution and linear weights, zero biases, drawn by NumPy."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, (nn.Conv2d, nn.Linear)):
                fan_in = layer.weight[0].numel()
                layer.weight.copy_(torch.from_numpy(rng.normal(0, np.sqrt(2 / fan_in), tuple(layer.weight.shape))))
                nn.init.zeros_(layer.bias)


def main(epochs: int = 6) -> dict:
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    X, y = bars(256, rng)
    X_test, y_test = bars(128, rng)
    images, labels = torch.from_numpy(X), torch.from_numpy(y)

    model = BarNet()
    init_from_numpy(model, seed=1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    loss_fn = nn.CrossEntropyLoss()

    losses, lrs = [], []
    for _ in range(epochs):
        model.train()
        for start in range(0, len(labels), 32):
            optimizer.zero_grad()
            loss = loss_fn(model(images[start : start + 32]), labels[start : start + 32])
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        lrs.append(scheduler.get_last_lr()[0])
        scheduler.step()

    model.eval()
    with torch.no_grad():
        predictions = model(torch.from_numpy(X_test)).argmax(1)
    return {
        "losses": losses,
        "lrs": lrs,
        "test_accuracy": (predictions == torch.from_numpy(y_test)).double().mean().item(),
        "running_mean": model.features[1].running_mean,
        "num_batches_tracked": model.features[1].num_batches_tracked.item(),
    }


if __name__ == "__main__":
    result = main()
    print(f"loss {result['losses'][0]:.3f} -> {result['losses'][-1]:.3f}, lr {result['lrs']}")
    print(f"test accuracy {result['test_accuracy']:.3f}")
