"""Recurrent layers: `RNN`, `GRU`, `LSTM` and their cells, with PyTorch's signatures, parameter
names and shapes, gate order, initialisation and state-dict keys (so `load_state_dict` of a
PyTorch layer's state dict gives its outputs).

Each step is written with the engine's primitive gates, so one cell draws as a circuit and every
gradient is gradchecked; the input projections of all steps are one matrix multiply up front, and
only the recurrence h_{t−1} W_hhᵀ runs per step. With gate size G (H for RNN, 3H for GRU, 4H for
LSTM), layer l reads x_t (l = 0) or the previous layer's output at t (both directions
concatenated), and with a_t = x_t W_ihᵀ + b_ih, b_t = h_{t−1} W_hhᵀ + b_hh:

    RNN:   h_t = tanh(a_t + b_t)                      (or relu)
    GRU:   r, z = σ(a_r + b_r), σ(a_z + b_z);  n = tanh(a_n + r ⊙ b_n);  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
    LSTM:  i, f, g, o = σ(·), σ(·), tanh(·), σ(·) of the four chunks of a_t + b_t
           c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)   (then h_t W_hrᵀ with proj_size)

(PyTorch's GRU puts b_hn inside the reset product, as above.) The reverse direction reads the
sequence from its end. A `PackedSequence` input (sorted longest first) runs each sequence for its
own length: at step t only the first batch_sizes[t] rows step, the others keep their state, so
h_n is each sequence's state at its true last step and padding reaches no output or gradient.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from autograd import Tensor, cat, stack, zeros
from autograd.errors import ArgumentError, DomainError, ShapeError
from autograd.extend import gates

from .. import functional as F
from .. import init
from ..utils.rnn import PackedSequence, padded_index
from .module import Module, check_sizes, empty_parameter

State = Any  # a Tensor h, or LSTM's (h, c)


R = gates.recurrent
STEPS = {"RNN_TANH": R.rnn_tanh_step, "RNN_RELU": R.rnn_relu_step, "GRU": R.gru_step, "LSTM": R.lstm_step}
SEQUENCES = {"RNN_TANH": R.RNNTanhSequence, "RNN_RELU": R.RNNReluSequence, "GRU": R.GRUSequence, "LSTM": R.LSTMSequence}
GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


def _nonlinearity_mode(layer: str, nonlinearity: str) -> str:
    if nonlinearity not in ("tanh", "relu"):
        raise DomainError(f"{layer}: unknown nonlinearity {nonlinearity!r}; expected 'tanh' or 'relu'")
    return "RNN_" + nonlinearity.upper()


class RNNBase(Module):
    """The multi-layer, optionally bidirectional recurrence shared by RNN, GRU and LSTM."""

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        check_sizes(name, input_size=input_size, hidden_size=hidden_size, num_layers=num_layers, proj_size=proj_size)
        if hidden_size < 1 or num_layers < 1:
            raise DomainError(f"{name}: hidden_size and num_layers must be at least 1, got {hidden_size}, {num_layers}")
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not 0 <= dropout <= 1:
            raise DomainError(f"{name}: dropout should be a number in range [0, 1], got {dropout!r}")
        if proj_size and mode != "LSTM":
            raise ArgumentError(f"{name}: proj_size argument is only supported for LSTM, not RNN or GRU")
        if proj_size >= hidden_size:
            raise DomainError(f"{name}: proj_size has to be smaller than hidden_size, got {proj_size} >= {hidden_size}")
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                UserWarning,
                stacklevel=3,
            )
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional, self.proj_size = float(dropout), bidirectional, proj_size
        directions = 2 if bidirectional else 1
        out_size = proj_size or hidden_size
        gate_size = GATES[mode] * hidden_size
        self._flat_weights_names: list[str] = []
        for layer in range(num_layers):
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                layer_input = input_size if layer == 0 else out_size * directions
                shapes = {"weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, out_size)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                for kind, shape in shapes.items():
                    setattr(self, kind + suffix, empty_parameter(*shape, dtype=dtype))
                    self._flat_weights_names.append(kind + suffix)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(−1/√hidden_size, 1/√hidden_size), as PyTorch."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    @property
    def all_weights(self) -> list[list[Tensor]]:
        """The parameters of each layer and direction, in PyTorch's order (w_ih, w_hh, b_ih, b_hh, w_hr)."""
        per = len(self._flat_weights_names) // (self.num_layers * (2 if self.bidirectional else 1))
        names = self._flat_weights_names
        return [[getattr(self, n) for n in names[i : i + per]] for i in range(0, len(names), per)]

    def _weights(
        self, layer: int, direction: int
    ) -> tuple[Tensor, Tensor, Tensor | None, Tensor | None, Tensor | None]:
        suffix = f"_l{layer}" + ("_reverse" if direction else "")

        def get(kind: str) -> Tensor | None:
            return getattr(self, kind + suffix, None)

        return get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), get("weight_hr")  # type: ignore[return-value]

    def _initial_state(self, hx: Any, batch: int, batched: bool, like: Tensor) -> list[State]:
        """hx as one state per layer and direction, zeros if None; its shape is checked."""
        directions = 2 if self.bidirectional else 1
        out_size = self.proj_size or self.hidden_size
        sizes = [out_size, self.hidden_size] if self.mode == "LSTM" else [out_size]
        if hx is None:
            parts = [zeros(self.num_layers * directions, batch, size, dtype=like.dtype) for size in sizes]
        else:
            given = list(hx) if self.mode == "LSTM" and isinstance(hx, (tuple, list)) else [hx]
            if len(given) != len(sizes) or not all(isinstance(t, Tensor) for t in given):
                what = "a tuple (h_0, c_0) of Tensors" if self.mode == "LSTM" else "a Tensor h_0"
                raise ArgumentError(f"{type(self).__name__}: hx must be {what}")
            parts = []
            for k, (t, size) in enumerate(zip(given, sizes)):
                expected = (
                    (self.num_layers * directions, batch, size) if batched else (self.num_layers * directions, size)
                )
                if t.ndim != len(expected) and not batched:
                    raise ShapeError(
                        f"{type(self).__name__}: for unbatched 2-D input, hx should also be 2-D, "
                        f"but got a {t.ndim}-D tensor"
                    )
                if tuple(t.shape) != expected:
                    which = f"hidden[{k}]" if self.mode == "LSTM" else "hidden"
                    raise ShapeError(
                        f"{type(self).__name__}: expected {which} size {expected} "
                        "(num_layers * num_directions, batch, hidden), "
                        f"got {tuple(t.shape)}"
                    )
                parts.append(t if batched else t.unsqueeze(1))
        states = [parts[0][i] if len(parts) == 1 else (parts[0][i], parts[1][i]) for i in range(parts[0].shape[0])]
        return states

    def forward(self, input: Tensor | PackedSequence, hx: Any = None) -> tuple[Any, Any]:
        packed = input if isinstance(input, PackedSequence) else None
        x = self._checked_input(packed.data if packed else input, (2,) if packed else (2, 3))
        batched = packed is not None or x.ndim == 3
        if packed:
            sizes = [int(n) for n in packed.batch_sizes.numpy()]
            index, real = padded_index(packed.batch_sizes.numpy())
            x = cat([x, zeros(1, x.shape[1], dtype=x.dtype)])[index]  # (L, B, H_in), longest first
        elif not batched:
            x = x.unsqueeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        if packed and packed.sorted_indices is not None and hx is not None:
            order = packed.sorted_indices.numpy()
            hx = tuple(h[:, order] for h in hx) if isinstance(hx, (tuple, list)) else hx[:, order]
        states = self._initial_state(hx, x.shape[1], batched, x)
        directions = 2 if self.bidirectional else 1
        run_sizes = sizes if packed else None
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                w_ih, w_hh, b_ih, b_hh, w_hr = self._weights(layer, direction)
                projected = F.linear(x, w_ih, b_ih)  # every step's a_t in one matrix multiply
                state = states[layer * directions + direction]
                if direction:  # read from the end: reverse the steps, and the rows stepping at each
                    projected = projected.flip(0)
                seq = self._run(
                    projected, state, w_hh, b_hh, w_hr, run_sizes[::-1] if direction and packed else run_sizes
                )
                out_size = w_hh.shape[1]
                h, last = seq[..., :out_size], seq[-1]
                finals.append((last[:, :out_size], last[:, out_size:]) if self.mode == "LSTM" else last)
                outputs.append(h.flip(0) if direction else h)
            x = outputs[0] if directions == 1 else cat(outputs, dim=-1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, training=True)
        parts = [stack([s[k] for s in finals]) for k in range(2)] if self.mode == "LSTM" else [stack(finals)]
        if packed:
            output: Any = PackedSequence(x[real], packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
            if packed.unsorted_indices is not None:
                parts = [p[:, packed.unsorted_indices.numpy()] for p in parts]
        elif not batched:
            output, parts = x.squeeze(1), [p.squeeze(1) for p in parts]
        else:
            output = x.transpose(0, 1) if self.batch_first else x
        return output, (tuple(parts) if self.mode == "LSTM" else parts[0])

    def _run(
        self, projected: Tensor, state: State, w_hh: Tensor, b_hh: Tensor | None, w_hr: Tensor | None, sizes: Any
    ) -> Tensor:
        """One layer and direction over the whole sequence: the states of every step (for LSTM
        [h, c] side by side), by one fused gate, or with a projection by the composition."""
        if w_hr is None:
            parts = list(state) if isinstance(state, tuple) else [state]
            bias = [] if b_hh is None else [b_hh]
            return SEQUENCES[self.mode].apply(projected, *parts, w_hh, *bias, sizes=sizes)

        def projected_step(a: Tensor, hc: tuple[Tensor, Tensor], w: Tensor, b: Tensor | None) -> tuple[Tensor, Tensor]:
            h, c = R.lstm_step(a, hc, w, b)
            return F.linear(h, w_hr), c

        return R.composed(projected_step, projected, state, w_hh, b_hh, sizes)

    def _checked_input(self, input: Any, dims: tuple[int, ...]) -> Tensor:
        name = type(self).__name__
        if not isinstance(input, Tensor) or input.ndim not in dims:
            got = f"shape {input.shape}" if isinstance(input, Tensor) else type(input).__name__
            raise ShapeError(
                f"{name}: expected a 3-D input (L, N, H_in) (or (N, L, H_in) with batch_first), an unbatched 2-D "
                f"one (L, H_in) or a PackedSequence, got {got}"
            )
        if input.shape[-1] != self.input_size:
            raise ShapeError(
                f"{name}: input.size(-1) must be equal to input_size. Expected {self.input_size}, got {input.shape[-1]}"
            )
        return input

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        for name, default in (("num_layers", 1), ("bias", True), ("batch_first", False), ("dropout", 0.0)):
            if getattr(self, name) != default:
                s += f", {name}={getattr(self, name)}"
        return s + (", bidirectional=True" if self.bidirectional else "")


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh) (or relu), per layer and direction."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        mode = _nonlinearity_mode("RNN", nonlinearity)
        super().__init__(
            mode, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, 0, device, dtype
        )
        self.nonlinearity = nonlinearity


class GRU(RNNBase):
    """Gated recurrent unit (gate order r, z, n, with b_hn inside the reset product, as PyTorch)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("GRU", *args, **kwargs)


class LSTM(RNNBase):
    """Long short-term memory (gate order i, f, g, o, as PyTorch); returns (output, (h_n, c_n))."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__("LSTM", *args, **kwargs)


class RNNCellBase(Module):
    """One step of a recurrence: weight_ih (G, input_size), weight_hh (G, hidden_size), biases (G,)."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, bias: bool, dtype: Any = None) -> None:
        super().__init__()
        check_sizes(type(self).__name__, input_size=input_size, hidden_size=hidden_size)
        self.mode, self.input_size, self.hidden_size, self.bias = mode, input_size, hidden_size, bias
        gate_size = GATES[mode] * hidden_size
        self.weight_ih = empty_parameter(gate_size, input_size, dtype=dtype)
        self.weight_hh = empty_parameter(gate_size, hidden_size, dtype=dtype)
        if bias:
            self.bias_ih = empty_parameter(gate_size, dtype=dtype)
            self.bias_hh = empty_parameter(gate_size, dtype=dtype)
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    reset_parameters = RNNBase.reset_parameters

    def forward(self, input: Tensor, hx: Any = None) -> Any:
        name = type(self).__name__
        if not isinstance(input, Tensor) or input.ndim not in (1, 2):
            got = f"shape {input.shape}" if isinstance(input, Tensor) else type(input).__name__
            raise ShapeError(f"{name}: expected a 2-D input (N, input_size) or 1-D (input_size,), got {got}")
        if input.shape[-1] != self.input_size:
            raise ShapeError(
                f"{name}: input has {input.shape[-1]} features (its last dim), but input_size is {self.input_size}"
            )
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        expected = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
        if hx is None:
            state: State = zeros(x.shape[0], self.hidden_size, dtype=x.dtype)
            state = (state, state) if self.mode == "LSTM" else state
        else:
            parts = list(hx) if self.mode == "LSTM" and isinstance(hx, (tuple, list)) else [hx]
            for t in parts:
                if not isinstance(t, Tensor) or tuple(t.shape) != expected:
                    got = tuple(t.shape) if isinstance(t, Tensor) else type(t).__name__
                    raise ShapeError(f"{name}: expected hidden state of shape {expected}, got {got}")
            parts = parts if batched else [t.unsqueeze(0) for t in parts]
            state = tuple(parts) if self.mode == "LSTM" else parts[0]
        out = STEPS[self.mode](F.linear(x, self.weight_ih, self.bias_ih), state, self.weight_hh, self.bias_hh)
        if self.mode == "LSTM":
            return out if batched else (out[0].squeeze(0), out[1].squeeze(0))
        return out if batched else out.squeeze(0)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            s += ", bias=False"
        if self.mode == "RNN_RELU":
            s += ", nonlinearity=relu"
        return s


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (or relu)."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(_nonlinearity_mode("RNNCell", nonlinearity), input_size, hidden_size, bias, dtype)
        self.nonlinearity = nonlinearity


class GRUCell(RNNCellBase):
    """One GRU step (r, z, n, as GRU)."""

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__("GRU", input_size, hidden_size, bias, dtype)


class LSTMCell(RNNCellBase):
    """One LSTM step: (h', c') from x and (h, c)."""

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None
    ) -> None:
        super().__init__("LSTM", input_size, hidden_size, bias, dtype)
