"""Use a model trained in PyTorch: read a checkpoint that `torch.save` wrote (data/checkerboard_mlp.pt,
a float32 MLP trained on XOR-labelled points) and classify new points with it — no PyTorch needed.
The file is read with an allow-listing reader: only tensors, numbers, strings and containers come
out of it; a file that asks for anything else is refused.

This is PyTorch code: change the imports to `import torch` / `from torch import nn` and it runs on
PyTorch, to the same numbers (the tests run it both ways).

    python examples/load_torch_checkpoint.py
"""

import pathlib

import numpy as np

import autograd as torch
from autograd import nn

CHECKPOINT = pathlib.Path(__file__).parent / "data" / "checkerboard_mlp.pt"


def main() -> dict:
    checkpoint = torch.load(CHECKPOINT, weights_only=True)
    hidden = checkpoint["hidden"]
    model = nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, 2))
    report = model.load_state_dict(checkpoint["model"])
    model.eval()

    X = np.random.default_rng(1).uniform(-1, 1, (1000, 2)).astype(np.float32)
    labels = torch.from_numpy(((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(np.int64))
    with torch.no_grad():
        logits = model(torch.from_numpy(X))
    corners = torch.tensor([[0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5], [0.5, -0.5]])
    with torch.no_grad():
        corner_probabilities = torch.softmax(model(corners), dim=1)[:, 1]
    return {
        "keys": sorted(checkpoint["model"].keys()),
        "missing_and_unexpected": (report.missing_keys, report.unexpected_keys),
        "float32": model[0].weight.dtype == torch.float32,
        "train_accuracy": checkpoint["train_accuracy"],
        "test_accuracy": (logits.argmax(1) == labels).float().mean().item(),
        "logits": logits[:5],
        "corner_probabilities": corner_probabilities,
    }


if __name__ == "__main__":
    result = main()
    print(f"loaded {len(result['keys'])} tensors (float32: {result['float32']}) from {CHECKPOINT.name}")
    print(f"accuracy: {result['train_accuracy']:.3f} on its training points, {result['test_accuracy']:.3f} on new ones")
    print(f"P(class 1) in the four quadrants: {np.round(result['corner_probabilities'].numpy(), 3).tolist()}")
