"""The reference for the MLP training step: the same step written by hand in plain NumPy.

Layers i = 1 … L with weights W_i (out, in) and biases b_i, as nn.Linear holds them:

    forward   h_0 = x,  z_i = h_{i−1} W_iᵀ + b_i,  h_i = max(0, z_i) for i < L
              loss = (1/N) Σ_n [log Σ_j exp z_{L,nj} − z_{L,n y_n}]        (softmax cross-entropy)
    backward  dz_L = (softmax(z_L) − onehot(y)) / N
              dW_i = dz_iᵀ h_{i−1},  db_i = Σ_n dz_i,  dz_{i−1} = (dz_i W_i) ⊙ [z_{i−1} > 0]
    SGD       W_i ← W_i − lr dW_i,  b_i ← b_i − lr db_i
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Params = list[tuple[np.ndarray, np.ndarray]]


def loss_and_grads(params: Params, x: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
    """The mean cross-entropy of the MLP `params` on (x, y), and its gradient for every (W, b)."""
    hs, z = [x], x
    for i, (w, b) in enumerate(params):
        z = hs[-1] @ w.T + b
        if i < len(params) - 1:
            hs.append(np.maximum(z, 0))
    n = len(y)
    shifted = z - z.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(total[:, 0]) - shifted[np.arange(n), y]))
    dz = exp / total
    dz[np.arange(n), y] -= 1
    dz /= n
    grads: Params = []
    for i in range(len(params) - 1, -1, -1):
        w, h = params[i][0], hs[i]
        grads.append((dz.T @ h, dz.sum(axis=0)))
        if i:
            dz = (dz @ w) * (h > 0)
    return loss, grads[::-1]


def sgd_step(params: Params, x: np.ndarray, y: np.ndarray, lr: float) -> float:
    """One training step in place: the loss before the update."""
    loss, grads = loss_and_grads(params, x, y)
    for (w, b), (dw, db) in zip(params, grads):
        w -= lr * dw
        b -= lr * db
    return loss


def copy_params(params: Sequence[tuple[np.ndarray, np.ndarray]]) -> Params:
    return [(w.copy(), b.copy()) for w, b in params]
