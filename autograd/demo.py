"""A short tour of the engine: `python -m autograd.demo`."""

from __future__ import annotations

import numpy as np

import autograd as ag


def main() -> None:
    print("f(x, y, z) = (x + y) * z at x=-2, y=5, z=-4")
    x, y, z = (ag.tensor(v, requires_grad=True) for v in (-2.0, 5.0, -4.0))
    q = x + y
    f = q * z
    f.backward()
    print(f"  q = {q.item():g}, f = {f.item():g}")
    print(f"  df/dx = {x.grad.item():g}, df/dy = {y.grad.item():g}, df/dz = {z.grad.item():g}\n")

    print("q = W x, f = ||q||^2 with W=[[0.1, 0.5], [-0.3, 0.8]], x=[0.2, 0.4]")
    W = ag.tensor([[0.1, 0.5], [-0.3, 0.8]], dtype=np.float64, requires_grad=True)
    v = ag.tensor([0.2, 0.4], dtype=np.float64, requires_grad=True)
    q = W @ v
    f = (q * q).sum()
    f.backward()
    print(f"  f = {f.item():.4f}")
    print(f"  df/dW =\n{W.grad.numpy()}\n  (2 q x^T =\n{2 * np.outer(q.numpy(), v.numpy())})")
    print(f"  df/dx = {v.grad.numpy()}  (2 W^T q = {2 * W.numpy().T @ q.numpy()})\n")

    print("d^2/dx^2 of x^3 at x=2 through create_graph=True")
    x = ag.tensor(2.0, dtype=np.float64, requires_grad=True)
    (d1,) = ag.grad(x**3, x, create_graph=True)
    (d2,) = ag.grad(d1, x)
    print(f"  first {d1.item():g} (3x^2 = 12), second {d2.item():g} (6x = 12)\n")

    W = ag.randn(3, 4, dtype=np.float64, requires_grad=True)
    ok = ag.gradcheck(lambda w: (w @ ag.ones(4, dtype=np.float64)).sigmoid(), W)
    print(f"gradcheck of sigmoid(W @ 1) against central differences: {ok}")


if __name__ == "__main__":
    main()
