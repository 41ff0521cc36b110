"""Small PyTorch programs, written as the tutorials and courses write them, run twice: as they are,
and with `import torch` swapped for `import autograd as torch`. Each leaves a `result` that must
be the same in both runs (float64 to 1e-9 relative, float32 to 1e-6; the rest exactly)."""

from __future__ import annotations

import pytest

from tests.parity import assert_same_result, plain_result

D2L_PRELIMINARIES = """
import numpy as np
import torch

x = torch.arange(12, dtype=torch.float32)
X = x.reshape(3, 4)
Y = torch.tensor([[2.0, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
cat0, cat1 = torch.cat((X, Y), dim=0), torch.cat((X, Y), dim=1)
same = X == Y
Z = torch.zeros_like(Y)
Z[:] = X + Y
before = id(X)
X += Y
a = torch.arange(3).reshape((3, 1))
b = torch.arange(2).reshape((1, 2))
A = X.numpy()
B = torch.from_numpy(A)
u = torch.tensor([3.0, -4.0])
M = torch.arange(20, dtype=torch.float32).reshape(5, 4)
result = (
    x.shape, x.numel(), X.size(), cat0.shape, cat1, same, Z, id(X) == before, a + b, X[-1], X[1:3],
    type(A).__name__, type(B).__name__, torch.exp(x)[:3], M.T, M.sum(axis=0), M.sum(axis=[0, 1]),
    M.mean(), M.sum(axis=1, keepdims=True), M.cumsum(axis=0), torch.dot(u, u), torch.mv(M, torch.ones(4)),
    torch.mm(M, M.T)[0], torch.norm(u), torch.abs(u).sum(), torch.ones((4, 9)).norm(), float(u[0]),
    int(x.sum().item()), M.max(dim=1).values, torch.argmax(M, dim=0), torch.flatten(M)[:3],
)
"""

D2L_SOFTMAX_REGRESSION = """
import numpy as np
import torch

rng = np.random.default_rng(0)
features = torch.tensor(rng.normal(size=(60, 4)))
labels = torch.tensor(rng.integers(0, 3, 60))
W = torch.tensor(rng.normal(0, 0.01, size=(4, 3)), requires_grad=True)
b = torch.zeros(3, dtype=torch.float64, requires_grad=True)

def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition

def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

def cross_entropy(y_hat, y):
    return -torch.log(y_hat[range(len(y_hat)), y])

def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

losses = []
for epoch in range(5):
    for i in range(0, 60, 10):
        X, y = features[i : i + 10], labels[i : i + 10]
        l = cross_entropy(net(X), y)
        l.sum().backward()
        sgd([W, b], 0.5, X.shape[0])
    with torch.no_grad():
        losses.append(float(cross_entropy(net(features), labels).mean()))
result = (losses, W.detach().numpy().tolist(), accuracy(net(features), labels), labels.dtype == torch.int64)
"""

CS231N_TWO_LAYER_NET = """
import numpy as np
import torch

rng = np.random.default_rng(1)
N, D, H, C = 32, 5, 16, 3
x = torch.tensor(rng.normal(size=(N, D)))
y = torch.tensor(rng.integers(0, C, N)).long()
w1 = torch.tensor(rng.normal(0, 0.3, (D, H)), requires_grad=True)
w2 = torch.tensor(rng.normal(0, 0.3, (H, C)), requires_grad=True)
lr, history = 0.1, []
for t in range(50):
    h = x.mm(w1).clamp(min=0)
    scores = h.mm(w2)
    correct = scores.gather(1, y.view(-1, 1))
    loss = (torch.logsumexp(scores, dim=1, keepdim=True) - correct).mean()
    loss.backward()
    w1.data -= lr * w1.grad.data
    w2.data -= lr * w2.grad.data
    w1.grad.data.zero_()
    w2.grad.data.zero_()
    history.append(loss.item())
_, predicted = torch.max(scores, 1)
accuracy = (predicted == y).float().mean().item()
result = (history, accuracy, w1.size(0), w2.detach().numpy().tolist(), predicted.dtype == torch.long)
"""

AUTOGRAD_TUTORIAL = """
import numpy as np
import torch

x = torch.ones(2, 2, dtype=torch.float64, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
out.backward()
first = (y.grad_fn is not None, x.grad.clone(), out.item())

v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float64)
a = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
b = a * 2
while b.data.norm() < 100:
    b = b * 2
b.backward(v)

t = torch.tensor([1.5, -0.5], dtype=torch.float64, requires_grad=True)
(g,) = torch.autograd.grad((t ** 3).sum(), t, create_graph=True)
(gg,) = torch.autograd.grad(g.sum(), t)

class Exp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result

s = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
Exp.apply(s).sum().backward()
with torch.no_grad():
    frozen = (s * 2).requires_grad
w = torch.zeros(3, dtype=torch.float64).requires_grad_(True)
detached = w.detach().requires_grad
result = (first, a.grad, g, gg, s.grad, frozen, detached, torch.is_grad_enabled())
"""

TENSOR_MANIPULATION = """
import numpy as np
import torch

rng = np.random.default_rng(2)
x = torch.tensor(rng.normal(size=(4, 6)))
x2 = x.clone()
x2[x2 < 0] = 0
x3 = x.clone()
x3[:, 1] = torch.arange(4, dtype=torch.float64)
values, indices = torch.topk(x, 2, dim=1)
sorted_values, order = torch.sort(x[0], descending=True)
mask = x > 0.5
result = (
    x.view(-1, 8).shape, x.view(3, -1).t().shape, torch.stack([x, x], dim=1).shape, torch.where(mask, x, 0.0),
    x2, x3, values, indices, sorted_values, order, torch.einsum("ij,kj->ik", x, x), x.masked_fill(mask, -1.0),
    torch.linalg.solve(x[:, :4] + 4 * torch.eye(4, dtype=torch.float64), x[:, 4]), x.unsqueeze(0).shape,
    x.permute(1, 0).contiguous().shape, x.chunk(2, dim=1)[1], torch.split(x, [2, 4], dim=1)[0],
    x.squeeze().shape, x.expand(2, 4, 6).shape, x.repeat(2, 1).shape, x[[0, 2]], x[:, None].shape,
    x.nonzero().shape, mask.sum().item(), mask.any().item(), x.abs().max().item(), x.std(0), x.var(1, unbiased=False),
    x.type(torch.float32).dtype == torch.float32, x.long().dtype == torch.int64, x.numpy().shape, len(x),
    [row.shape for row in x][0], x.norm(dim=1), x.flip(0)[0], x.roll(1, 0)[0], torch.diag(x[:, :4]),
    torch.tril(x[:, :4]), x.argsort(dim=1), x.cumsum(1)[:, -1], x.prod(1), x.exp().log(),
)
"""

PROGRAMS = {
    "d2l_preliminaries": D2L_PRELIMINARIES,
    "d2l_softmax_regression": D2L_SOFTMAX_REGRESSION,
    "cs231n_two_layer_net": CS231N_TWO_LAYER_NET,
    "autograd_tutorial": AUTOGRAD_TUTORIAL,
    "tensor_manipulation": TENSOR_MANIPULATION,
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_the_program_runs_unchanged_after_the_import_swap(name):
    source = PROGRAMS[name]
    theirs, ours = {}, {}
    exec(compile(source, f"{name}.py", "exec"), theirs)
    exec(compile(source.replace("import torch\n", "import autograd as torch\n"), f"{name}.py", "exec"), ours)
    assert ours["torch"].__name__ == "autograd" and theirs["torch"].__name__ == "torch"
    assert_same_result(plain_result(ours["result"]), plain_result(theirs["result"]))
