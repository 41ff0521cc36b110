"""Recurrent gates: one gate runs a whole sequence of one layer and direction of an RNN, GRU or
LSTM, forward and backward through time in NumPy, in place of the ~10–20 primitive gates per step
that the composition (the `*_step` functions below, which nn's cells use and which draw as a
circuit) records. Every gate takes the input projections of all steps, a[t] = x[t] W_ihᵀ + b_ih
(one matrix multiply, done by the caller), so only the recurrence h[t−1] W_hhᵀ runs per step.

`sizes` (one int per step, or None) is the number of rows that step at t, for packed sequences
sorted longest first: the other rows keep their state, and their gradient passes through unchanged.

Their gradients for a recorded backward (create_graph=True) come from the composition, rebuilt on
the saved inputs and differentiated (`Function.fused_backward`), so second derivatives exist; a
test checks the fused gates against the composition, value and gradient, and gradgradchecks them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..function import Function
from ..tensor import Tensor
from .linalg import Linear


# ---- the composition: one step in primitive gates ------------------------------------------------
def rnn_tanh_step(a: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """h' = tanh(a + h W_hhᵀ + b_hh)"""
    return (a + _recurrence(h, w_hh, b_hh)).tanh()


def rnn_relu_step(a: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """h' = relu(a + h W_hhᵀ + b_hh)"""
    return (a + _recurrence(h, w_hh, b_hh)).relu()


def gru_step(a: Tensor, h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    """r, z = σ(a_r + b_r), σ(a_z + b_z); n = tanh(a_n + r ⊙ b_n); h' = (1 − z) ⊙ n + z ⊙ h,
    with b = h W_hhᵀ + b_hh (PyTorch's placement of b_hn inside the reset product)"""
    a_r, a_z, a_n = a.chunk(3, -1)
    b_r, b_z, b_n = _recurrence(h, w_hh, b_hh).chunk(3, -1)
    r, z = (a_r + b_r).sigmoid(), (a_z + b_z).sigmoid()
    n = (a_n + r * b_n).tanh()
    return (1 - z) * n + z * h


def lstm_step(a: Tensor, state: tuple[Tensor, Tensor], w_hh: Tensor, b_hh: Tensor | None) -> tuple[Tensor, Tensor]:
    """i, f, g, o = σ, σ, tanh, σ of the four chunks of a + h W_hhᵀ + b_hh;
    c' = f ⊙ c + i ⊙ g; h' = o ⊙ tanh(c')"""
    h, c = state
    i, f, g, o = (a + _recurrence(h, w_hh, b_hh)).chunk(4, -1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    return o.sigmoid() * c.tanh(), c


def _recurrence(h: Tensor, w_hh: Tensor, b_hh: Tensor | None) -> Tensor:
    return Linear.apply(h, w_hh) if b_hh is None else Linear.apply(h, w_hh, b_hh)


def composed(step: Callable[..., Any], a: Tensor, state: Any, w_hh: Tensor, b_hh: Tensor | None, sizes: Any) -> Any:
    """The steps of one sequence in primitive gates: the states at every step (stacked), rows past
    sizes[t] carried over."""
    from ..functional import cat, stack

    states = []
    for t in range(a.shape[0]):
        n = a.shape[1] if sizes is None else sizes[t]
        if n == a.shape[1]:
            state = step(a[t], state, w_hh, b_hh)
        else:
            rows = tuple(s[:n] for s in state) if isinstance(state, tuple) else state[:n]
            new = step(a[t, :n], rows, w_hh, b_hh)
            state = (
                tuple(cat([x, s[n:]]) for x, s in zip(new, state))
                if isinstance(state, tuple)
                else cat([new, state[n:]])
            )
        states.append(cat(list(state), dim=-1) if isinstance(state, tuple) else state)
    return stack(states)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)  # overflow-free for any x


class _Sequence:
    """What the gates share (a mixin, not a gate): inputs (a, *state, w_hh[, b_hh]), the packed
    sizes, the recorded backward through the composition (`Function.fused_backward`)."""

    __slots__ = ()
    states = 1  # how many state inputs (LSTM: h and c)

    def _rows(self, t: int, batch: int) -> int:
        return batch if self.sizes is None else int(self.sizes[t])

    def _composed(self, a, *rest):
        state = tuple(rest[: self.states]) if self.states > 1 else rest[0]
        bias = rest[self.states + 1] if len(rest) > self.states + 1 else None
        return composed(self.step, a, state, rest[self.states], bias, self.sizes)

    def backward(self, g):
        return self.fused_backward(g, self._composed, self.backward_numpy)

    def _bias_gradient(self, d: np.ndarray) -> tuple[np.ndarray, ...]:
        return (d.sum((0, 1)),) if len(self.inputs) > 2 + self.states else ()


class RNNTanhSequence(_Sequence, Function):
    """h[t] = tanh(a[t] + h[t−1] W_hhᵀ + b_hh), all t  ·  with dp[t] = (∂L/∂h[t] + dp[t+1] W_hh)(1 − h[t]²):
    ∂L/∂a[t] = dp[t], ∂L/∂h₀ = dp[0] W_hh, ∂L/∂W_hh = Σₜ dp[t]ᵀ h[t−1], ∂L/∂b_hh = Σₜ dp[t]"""

    __slots__ = ("sizes", "saved_steps")
    step = staticmethod(rnn_tanh_step)

    def activation(self, pre: np.ndarray, out: np.ndarray) -> None:
        np.tanh(pre, out=out)

    def slope(self, h: np.ndarray) -> np.ndarray:
        return 1.0 - h * h

    def forward(self, a, h0, w_hh, b_hh=None, *, sizes=None):
        self.sizes = sizes
        T, N = a.shape[:2]
        hs = np.empty((T, N, w_hh.shape[1]), a.dtype)
        h = h0
        for t in range(T):
            n = self._rows(t, N)
            pre = h[:n] @ w_hh.T
            pre += a[t, :n]
            if b_hh is not None:
                pre += b_hh
            self.activation(pre, hs[t, :n])
            hs[t, n:] = h[n:]  # rows whose sequence has ended keep their state
            h = hs[t]
        self.saved_steps = hs
        return hs

    def backward_numpy(self, g):
        a, h0, w_hh = (x._data for x in self.inputs[:3])
        hs = self.saved_steps
        dpre = np.zeros_like(a)
        dh = np.zeros_like(h0)
        for t in range(a.shape[0] - 1, -1, -1):
            n = self._rows(t, a.shape[1])
            dh += g[t]
            np.multiply(dh[:n], self.slope(hs[t, :n]), out=dpre[t, :n])
            dh[:n] = dpre[t, :n] @ w_hh
        previous = np.concatenate([h0[None], hs[:-1]])
        dw = dpre.reshape(-1, dpre.shape[-1]).T @ previous.reshape(-1, previous.shape[-1])
        return (dpre, dh, dw, *self._bias_gradient(dpre))


class RNNReluSequence(RNNTanhSequence):
    """h[t] = relu(a[t] + h[t−1] W_hhᵀ + b_hh), all t  ·  as RNNTanhSequence with 1 − h² replaced by [h > 0]"""

    __slots__ = ()
    step = staticmethod(rnn_relu_step)

    def activation(self, pre: np.ndarray, out: np.ndarray) -> None:
        np.maximum(pre, 0, out=out)

    def slope(self, h: np.ndarray) -> np.ndarray:
        return (h > 0).astype(h.dtype)


class GRUSequence(_Sequence, Function):
    """h[t] = (1 − z) ⊙ n + z ⊙ h[t−1], all t (gru_step)  ·  with dh = ∂L/∂h[t] + (from t+1):
    dn = dh(1 − z)(1 − n²), dz = dh(h[t−1] − n)z(1 − z), dr = dn ⊙ b_n ⋅ r(1 − r);
    ∂L/∂a[t] = [dr, dz, dn], ∂L/∂b[t] = [dr, dz, dn ⊙ r], ∂L/∂h[t−1] = dh ⊙ z + ∂L/∂b[t] W_hh,
    ∂L/∂W_hh = Σₜ ∂L/∂b[t]ᵀ h[t−1], ∂L/∂b_hh = Σₜ ∂L/∂b[t]"""

    __slots__ = ("sizes", "saved_steps", "gates")
    step = staticmethod(gru_step)

    def forward(self, a, h0, w_hh, b_hh=None, *, sizes=None):
        self.sizes = sizes
        T, N, G = a.shape
        H = G // 3
        hs = np.empty((T, N, H), a.dtype)
        self.gates = gates = np.zeros((T, N, 4 * H), a.dtype)  # r, z, n and b_n per step
        h = h0
        for t in range(T):
            n = self._rows(t, N)
            r, z, cand, b_n = (gates[t, :n, k * H : (k + 1) * H] for k in range(4))
            b = h[:n] @ w_hh.T
            if b_hh is not None:
                b += b_hh
            b_n[...] = b[:, 2 * H :]  # the candidate reads a_n + r ⊙ b_n: keep b_n for the backward
            r[...] = _sigmoid(a[t, :n, :H] + b[:, :H])
            z[...] = _sigmoid(a[t, :n, H : 2 * H] + b[:, H : 2 * H])
            np.tanh(a[t, :n, 2 * H :] + r * b_n, out=cand)
            np.multiply(1 - z, cand, out=hs[t, :n])  # h' = (1 − z) n + z h
            hs[t, :n] += z * h[:n]
            hs[t, n:] = h[n:]
            h = hs[t]
        self.saved_steps = hs
        return hs

    def backward_numpy(self, g):
        a, h0, w_hh = (x._data for x in self.inputs[:3])
        hs, gates = self.saved_steps, self.gates
        T, N, G = a.shape
        H = G // 3
        da = np.zeros_like(a)
        db = np.zeros_like(a)
        dh = np.zeros_like(h0)
        for t in range(T - 1, -1, -1):
            n = self._rows(t, N)
            dh += g[t]
            r, z, cand, b_n = (gates[t, :n, k * H : (k + 1) * H] for k in range(4))
            previous = hs[t - 1, :n] if t else h0[:n]
            d = dh[:n]
            dr, dz, dcand = (da[t, :n, k * H : (k + 1) * H] for k in range(3))
            np.multiply(d * (1 - z), 1 - cand * cand, out=dcand)
            np.multiply(d * (previous - cand), z * (1 - z), out=dz)
            np.multiply(dcand * b_n, r * (1 - r), out=dr)
            db[t, :n, : 2 * H] = da[t, :n, : 2 * H]
            np.multiply(dcand, r, out=db[t, :n, 2 * H :])
            dh[:n] = d * z + db[t, :n] @ w_hh
        previous = np.concatenate([h0[None], hs[:-1]])
        dw = db.reshape(-1, G).T @ previous.reshape(-1, H)
        return (da, dh, dw, *self._bias_gradient(db))


class LSTMSequence(_Sequence, Function):
    """[h[t], c[t]] for all t (lstm_step; output (T, N, 2H))  ·  with dh, dc = ∂L/∂h[t], ∂L/∂c[t] + (from t+1):
    dc += dh ⊙ o(1 − tanh²c[t]);
    ∂L/∂a[t] = [dc ⊙ g ⋅ i(1−i), dc ⊙ c[t−1] ⋅ f(1−f), dc ⊙ i(1 − g²), dh ⊙ tanh c[t] ⋅ o(1−o)],
    ∂L/∂h[t−1] = ∂L/∂a[t] W_hh, ∂L/∂c[t−1] = dc ⊙ f, ∂L/∂W_hh = Σₜ ∂L/∂a[t]ᵀ h[t−1], ∂L/∂b_hh = Σₜ ∂L/∂a[t]"""

    __slots__ = ("sizes", "saved_steps", "gates")
    step = staticmethod(lstm_step)
    states = 2

    def forward(self, a, h0, c0, w_hh, b_hh=None, *, sizes=None):
        self.sizes = sizes
        T, N, G = a.shape
        H = G // 4
        out = np.empty((T, N, 2 * H), a.dtype)  # [h, c] per step
        self.gates = gates = np.zeros((T, N, G), a.dtype)  # i, f, g, o activated
        h, c = h0, c0
        for t in range(T):
            n = self._rows(t, N)
            pre = h[:n] @ w_hh.T
            pre += a[t, :n]
            if b_hh is not None:
                pre += b_hh
            act = gates[t, :n]
            np.multiply(pre, 0.5, out=act)  # σ(x) = (tanh(x/2) + 1)/2 on all four, then tanh on g
            np.tanh(act, out=act)
            act += 1.0
            act *= 0.5
            np.tanh(pre[:, 2 * H : 3 * H], out=act[:, 2 * H : 3 * H])
            h_t, c_t = out[t, :, :H], out[t, :, H:]
            np.multiply(act[:, H : 2 * H], c[:n], out=c_t[:n])  # c' = f ⊙ c + i ⊙ g
            c_t[:n] += act[:, :H] * act[:, 2 * H : 3 * H]
            np.tanh(c_t[:n], out=h_t[:n])  # h' = o ⊙ tanh(c')
            h_t[:n] *= act[:, 3 * H :]
            h_t[n:], c_t[n:] = h[n:], c[n:]
            h, c = h_t, c_t
        self.saved_steps = out
        return out

    def backward_numpy(self, g):
        a, h0, c0, w_hh = (x._data for x in self.inputs[:4])
        out, gates = self.saved_steps, self.gates
        T, N, G = a.shape
        H = G // 4
        da = np.zeros_like(a)
        dh, dc = np.zeros_like(h0), np.zeros_like(c0)
        for t in range(T - 1, -1, -1):
            n = self._rows(t, N)
            dh += g[t, :, :H]
            dc += g[t, :, H:]
            i, f, gg, o = (gates[t, :n, k * H : (k + 1) * H] for k in range(4))
            di, df, dg, do = (da[t, :n, k * H : (k + 1) * H] for k in range(4))
            c_prev = out[t - 1, :n, H:] if t else c0[:n]
            tanh_c = np.tanh(out[t, :n, H:])
            d_h = dh[:n]
            d_c = dc[:n] + d_h * o * (1 - tanh_c * tanh_c)
            np.multiply(d_c * gg, i * (1 - i), out=di)
            np.multiply(d_c * c_prev, f * (1 - f), out=df)
            np.multiply(d_c * i, 1 - gg * gg, out=dg)
            np.multiply(d_h * tanh_c, o * (1 - o), out=do)
            dh[:n] = da[t, :n] @ w_hh
            np.multiply(d_c, f, out=dc[:n])
        previous = np.concatenate([h0[None], out[:-1, :, :H]])
        dw = da.reshape(-1, G).T @ previous.reshape(-1, H)
        return (da, dh, dc, dw, *self._bias_gradient(da))
