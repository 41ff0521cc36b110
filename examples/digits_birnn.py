"""A deep bidirectional GRU reading the 8x8 digits row by row (the notes' deep and bidirectional
RNNs: layer l reads layer l-1's states, the forward direction H^f from the top row down, the
backward one H^b from the bottom up): the last layer's two final states, side by side, go to a
linear classifier.

    python examples/digits_birnn.py              # 30 epochs, about 10 s
"""

from __future__ import annotations

import argparse

import autograd
import nn


class RowReader(nn.Module):
    def __init__(self, hidden: int = 64, layers: int = 2, classes: int = 10) -> None:
        super().__init__()
        self.rnn = nn.GRU(8, hidden, num_layers=layers, bidirectional=True, batch_first=True)
        self.head = nn.Linear(2 * hidden, classes)

    def forward(self, images):
        _, h_n = self.rnn(images.reshape(-1, 8, 8))  # (N, 8 rows, 8 pixels)
        return self.head(autograd.cat([h_n[-2], h_n[-1]], dim=1))  # last layer: forward, backward


def accuracy(model: nn.Module, x, y) -> float:
    model.eval()
    with autograd.no_grad():
        return (model(autograd.tensor(x)).argmax(1).numpy() == y).mean().item()


def main(epochs: int = 30, seed: int = 0) -> dict:
    autograd.manual_seed(seed)
    digits = nn.data.digits_splits(seed=0)
    data = nn.data.TensorDataset(autograd.tensor(digits.x_train), autograd.tensor(digits.y_train))
    loader = nn.data.DataLoader(data, batch_size=64, shuffle=True, generator=autograd.Generator().manual_seed(seed))
    model = RowReader()
    optimizer = nn.optim.Adam(model.parameters(), lr=3e-3)
    scheduler = nn.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    history = []
    for _ in range(epochs):
        model.train()
        for images, labels in loader:
            loss = nn.functional.cross_entropy(model(images), labels)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()
        history.append((loss.item(), accuracy(model, digits.x_val, digits.y_val)))
    return {
        "history": history,
        "val_accuracy": history[-1][1],
        "test_accuracy": accuracy(model, digits.x_test, digits.y_test),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    result = main(parser.parse_args().epochs)
    print(f"validation accuracy {result['val_accuracy']:.4f}, test accuracy {result['test_accuracy']:.4f}")
