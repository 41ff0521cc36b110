"""A custom autograd Function and hooks: a fused Swish gate with its backward written by hand,
checked by gradcheck, inside a network whose activations are recorded by forward hooks, whose
gradients are read by backward hooks, and whose input gradient is clipped by a tensor hook.

This is PyTorch code: change the imports to `import torch` / `from torch import nn` and it runs on
PyTorch, to the same numbers (the tests run it both ways).

    python examples/custom_function_hooks.py
"""

import numpy as np

import autograd as torch
from autograd import nn


class Swish(torch.autograd.Function):
    """swish(x) = x * sigmoid(x);  d swish / dx = s + x * s * (1 - s), with s = sigmoid(x)."""

    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * (s + x * s * (1 - s))


class SwishLayer(nn.Module):
    def forward(self, x):
        return Swish.apply(x)


def main(steps: int = 40) -> dict:
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    probe = torch.from_numpy(rng.normal(size=(5, 3))).requires_grad_()
    gradcheck_passed = torch.autograd.gradcheck(Swish.apply, (probe,))

    model = nn.Sequential(nn.Linear(3, 16), SwishLayer(), nn.Linear(16, 16), SwishLayer(), nn.Linear(16, 1))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(rng.normal(0, 0.4, tuple(p.shape))))

    activation_means = {}  # forward hooks: the mean activation of each Swish layer, per step
    gradient_norms = {}  # backward hooks: the norm of the gradient reaching each Swish layer's output

    def record_activation(name):
        def hook(module, inputs, output):
            activation_means.setdefault(name, []).append(output.mean().item())

        return hook

    def record_gradient(name):
        def hook(module, grad_input, grad_output):
            gradient_norms.setdefault(name, []).append(grad_output[0].norm().item())

        return hook

    handles = []
    for name, layer in model.named_children():
        if isinstance(layer, SwishLayer):
            handles.append(layer.register_forward_hook(record_activation(name)))
            handles.append(layer.register_full_backward_hook(record_gradient(name)))

    X = torch.from_numpy(rng.normal(size=(64, 3)))
    y = torch.sin(X.sum(dim=1, keepdim=True))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    for handle in handles:
        handle.remove()
    model(X)  # with the hooks removed, nothing more is recorded
    recorded = {name: len(values) for name, values in activation_means.items()}

    # a tensor hook on the input: clip the gradient that reaches it to [-0.01, 0.01]
    x = X[:4].clone().requires_grad_()
    x.register_hook(lambda grad: grad.clamp(-0.01, 0.01))
    model(x).sum().backward()

    return {
        "gradcheck": gradcheck_passed,
        "losses": losses,
        "activation_means": activation_means,
        "gradient_norms": gradient_norms,
        "recorded": recorded,
        "input_grad": x.grad,
    }


if __name__ == "__main__":
    result = main()
    print(f"gradcheck of Swish: {result['gradcheck']}")
    print(f"loss {result['losses'][0]:.4f} -> {result['losses'][-1]:.4f}")
    for name, norms in result["gradient_norms"].items():
        print(f"layer {name}: gradient norm {norms[0]:.4f} -> {norms[-1]:.4f}")
    print(f"clipped input gradient, largest |g| = {result['input_grad'].abs().max().item():.4f}")
