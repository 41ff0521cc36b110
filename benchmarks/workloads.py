"""The workloads of the benchmark, each a function `(quick) -> Workload` in `WORKLOADS`.

Every contender of a workload starts from the same weights and data (the engine's initialisation,
copied), so they do the same arithmetic. PyTorch and micrograd are imported only inside the
builders of their contenders, which run only when they are installed (the `bench` extra).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import autograd as ag
import nn
import nn.functional as F
import nn.cli
from autograd.extend import gates

from . import numpy_mlp
from .harness import Contender, Row, Step, Workload, per_gate

LR = 0.01
TORCH = "PyTorch eager"


# ---- training steps of an nn model, in the engine and in PyTorch ------------------------------
def engine_step(model: nn.Module, x: np.ndarray, y: np.ndarray) -> Step:
    """One SGD step on the cross-entropy of `model` (an engine model) on (x, y)."""
    optimizer = nn.optim.SGD(model.parameters(), lr=LR)
    inputs = ag.tensor(x)

    def step() -> float:
        loss = F.cross_entropy(model(inputs), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def torch_contender(
    engine_model: Callable[[], nn.Sequential], x: np.ndarray, y: np.ndarray, target: float
) -> Contender:
    """PyTorch eager on the same step, from a copy of the engine model's initial weights."""

    def build() -> Step:
        from . import torch_twin

        return torch_twin.sgd_step(engine_model(), x, y, LR)

    return Contender(TORCH, build, requires="torch", target=target, tracemalloc_sees_it=False)


def classification_batch(shape: Sequence[int], seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape, dtype=np.float32), rng.integers(0, 10, shape[0])


# ---- 1. MLP training step ----------------------------------------------------------------------
def mlp_model(sizes: Sequence[int]) -> nn.Module:
    ag.manual_seed(0)
    return nn.MLP(sizes[0], list(sizes[1:]))


def numpy_params(model: nn.Module) -> numpy_mlp.Params:
    """The (W, b) of each Linear layer of `model`, copied."""
    arrays = [p.numpy().copy() for p in model.parameters()]
    return list(zip(arrays[::2], arrays[1::2]))


def mlp(quick: bool) -> Workload:
    sizes, batch = ((64, 32, 16, 10), 16) if quick else ((784, 256, 128, 10), 128)
    x, y = classification_batch((batch, sizes[0]))

    def numpy_step() -> Step:
        params = numpy_params(mlp_model(sizes))
        return lambda: numpy_mlp.sgd_step(params, x, y, LR)

    return Workload(
        f"MLP step {'-'.join(map(str, sizes))}, batch {batch}",
        Contender("circuitgrad", lambda: engine_step(mlp_model(sizes), x, y)),
        (
            Contender("NumPy by hand", numpy_step, target=1.1),
            torch_contender(lambda: mlp_model(sizes), x, y, target=0.8),
        ),
        rounds=100,
    )


# ---- 2. LeNet training step ---------------------------------------------------------------------
def lenet5() -> nn.Sequential:
    ag.manual_seed(0)
    return nn.models.LeNet5(in_channels=1, num_classes=10)


def lenet(quick: bool) -> Workload:
    batch = 2 if quick else 64
    x, y = classification_batch((batch, 1, 28, 28))
    return Workload(
        f"LeNet step, batch {batch}",
        Contender("circuitgrad", lambda: engine_step(lenet5(), x, y)),
        (torch_contender(lenet5, x, y, target=2.0),),
        rounds=40,
    )


# ---- 3 and 5. Chains of elementwise gates -------------------------------------------------------
def chain(x: Any, gates: int) -> Any:
    """`gates` (a multiple of 4) elementwise gates one after another: ×0.9, +0.1, tanh, negation,
    again and again (the values stay in (−1, 1)); the same code for Tensors, Scalars and torch."""
    if gates % 4:
        raise ValueError(f"chain: gates must be a multiple of 4, got {gates}")
    for _ in range(gates // 4):
        x = -(x * 0.9 + 0.1).tanh()
    return x


def leaf_chain_step(leaf: Any, gates: int) -> Step:
    """Forward and backward through `chain` from `leaf`, a Tensor or a torch tensor that requires grad."""

    def step() -> None:
        leaf.grad = None
        chain(leaf, gates).sum().backward()

    return step


def tensor_chain_step(gates: int) -> Step:
    return leaf_chain_step(ag.tensor(np.linspace(-1, 1, 10, dtype=np.float32), requires_grad=True), gates)


def torch_chain_step(gates: int) -> Step:
    import torch

    return leaf_chain_step(torch.linspace(-1, 1, 10, requires_grad=True), gates)


def scalar_chain_step(gates: int) -> Step:
    x = ag.Scalar(0.5)

    def step() -> None:
        x.grad = 0.0
        chain(x, gates).backward()

    return step


def graph_overhead(quick: bool) -> Workload:
    gates = 1000
    return Workload(
        f"{gates:,} elementwise gates on (10,), fwd+bwd",
        Contender("circuitgrad", lambda: tensor_chain_step(gates)),
        (Contender(TORCH, lambda: torch_chain_step(gates), "torch", 1.5, tracemalloc_sees_it=False),),
        rounds=100,
    )


def depth(make_step: Callable[[int], Step], kind: str) -> Callable[[bool], Workload]:
    def workload(quick: bool) -> Workload:
        gates = 10_000 if quick else 1_000_000
        return Workload(
            f"depth: {gates:,}-gate chain ({kind}), fwd+bwd",
            Contender("circuitgrad", lambda: make_step(gates)),
            rounds=3,
            warmup=0,  # a million gates amortise the first call's costs
            notes=per_gate(gates),
        )

    return workload


# ---- 4. Scalar engine: micrograd's moons demo step ----------------------------------------------
class ScalarMLP:
    """micrograd's MLP on `autograd.Scalar`s: neuron(x) = relu(b + Σ_i w_i x_i), linear in the last
    layer. `flat` gives the parameters in micrograd's order (per layer, per neuron: w then b)."""

    def __init__(self, sizes: Sequence[int], flat: Sequence[float]) -> None:
        values = iter([ag.Scalar(v) for v in flat])
        self.layers = [
            [([next(values) for _ in range(n_in)], next(values)) for _ in range(n_out)]
            for n_in, n_out in zip(sizes, sizes[1:])
        ]
        self.params = [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x: list[ag.Scalar]) -> ag.Scalar:
        for i, layer in enumerate(self.layers):
            acts = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            x = acts if i == len(self.layers) - 1 else [a.relu() for a in acts]
        return x[0]


def hinge_step(
    model: Callable[[list[Any]], Any],
    params: list[Any],
    value: type,
    xs: list[list[float]],
    ys: list[float],
    lr: float = 1.0,
) -> Step:
    """micrograd's demo step, for either engine: the max-margin loss mean_n relu(1 − y_n s_n) plus
    1e-4 Σ p², full batch, then SGD p ← p − lr ∂loss/∂p (the demo's first learning rate is 1.0)."""

    def step() -> float:
        inputs = [[value(a), value(b)] for a, b in xs]
        scores = [model(x) for x in inputs]
        losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + 1e-4 * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        total.backward()
        for p in params:
            p.data -= lr * p.grad
        return total.data

    return step


def moons(quick: bool) -> Workload:
    sizes, n = (2, 16, 16, 1), 20 if quick else 100
    x, labels = nn.data.make_moons(n, noise=0.1, generator=np.random.default_rng(1))
    xs, ys = x.astype(float).tolist(), (2.0 * labels - 1).tolist()
    rng, flat = np.random.default_rng(0), []
    for n_in, n_out in zip(sizes, sizes[1:]):
        for _ in range(n_out):
            flat += [*rng.uniform(-1, 1, n_in).tolist(), 0.0]  # micrograd: w ~ U(-1, 1), b = 0

    def ours() -> Step:
        model = ScalarMLP(sizes, flat)
        return hinge_step(model, model.params, ag.Scalar, xs, ys)

    def micrograd() -> Step:
        from micrograd.engine import Value
        from micrograd.nn import MLP

        model = MLP(sizes[0], list(sizes[1:]))
        params = model.parameters()
        for p, v in zip(params, flat, strict=True):
            p.data = v
        return hinge_step(model, params, Value, xs, ys)

    return Workload(
        f"Scalar MLP 2-16-16-1, moons, {n} points",
        Contender("circuitgrad Scalar", ours),
        (Contender("micrograd", micrograd, requires="micrograd", target=0.5),),
        rounds=10,
        collect_garbage=True,
        notes=lambda row: "each step timed with the gc.collect() that frees its graph",
    )


# ---- 6. End to end: python -m nn.cli (a LeNet-5 on the digits at 28×28) ---------------------------
TARGET_ACCURACY = 0.985


def train_digits(argv: list[str]) -> dict[str, Any]:
    """The engine's `python -m nn.cli <argv>` (its "seconds" leave out writing the model and the
    plot), its output files in a temporary folder, its lines kept off the table."""
    with tempfile.TemporaryDirectory() as out, contextlib.redirect_stdout(io.StringIO()):
        return nn.cli.main([*argv, "--no-progress", "--out", out])


def accuracy_notes(row: Row) -> str:
    ours = row.engine.result["test_acc"]
    notes = f"test accuracy {ours:.2%} (≥ {TARGET_ACCURACY:.1%}: {'yes' if ours >= TARGET_ACCURACY else 'no'})"
    return notes if row.timing is None else f"{notes}; PyTorch {row.timing.result['test_acc']:.2%}"


def digits_training(quick: bool) -> Workload:
    """Each contender's build warms it up with one tiny epoch (outside quick mode, where that is the run)."""
    tiny = ["--model", "lenet", "--epochs", "1", "--batch-size", "256"]  # one epoch of five steps
    argv = tiny if quick else ["--model", "lenet"]

    def ours() -> Step:
        if not quick:
            train_digits(tiny)
        return lambda: train_digits(argv)

    def pytorch() -> Step:
        from . import torch_twin

        if not quick:
            torch_twin.train_digits(tiny)
        return lambda: torch_twin.train_digits(argv)

    return training_run(f"train: python -m nn.cli {' '.join(argv)}", ours, pytorch, 3, accuracy_notes)


def training_run(
    name: str, ours: Callable[[], Step], pytorch: Callable[[], Step], rounds: int, notes: Callable[[Row], str]
) -> Workload:
    """A whole training run, timed by its own clock, beside PyTorch's (no warm-up rounds, no tracemalloc)."""
    return Workload(
        name,
        Contender("circuitgrad", ours),
        (Contender(TORCH, pytorch, requires="torch", tracemalloc_sees_it=False),),
        rounds=rounds,
        warmup=0,
        memory=False,
        notes=notes,
        self_timed=True,
    )


# ---- 8. Recurrent and Transformer layers: forward and backward through a sequence ---------------
def built_layer(cls: str, args: tuple[Any, ...], options: dict[str, Any]) -> nn.Module:
    ag.manual_seed(0)
    return getattr(nn, cls)(*args, **options)


def layer_step(layer: Any, x: np.ndarray, tensor: Callable[..., Any]) -> Step:
    """Σ c ⊙ the layer's output (the first, for an RNN's (output, state)) for a fixed random c
    (a layer norm's outputs sum to 0), backward to the input and every weight."""
    weights: list[Any] = []

    def step() -> float:
        out = layer(tensor(x, requires_grad=True))
        out = out[0] if isinstance(out, tuple) else out
        if not weights:
            weights.append(tensor(np.random.default_rng(1).normal(size=tuple(out.shape)).astype(np.float32)))
        total = (out * weights[0]).sum()
        total.backward()
        return total.item()

    return step


def torch_layer(cls: str, args: tuple[Any, ...], options: dict[str, Any], x: np.ndarray, target: float) -> Contender:
    """The same PyTorch layer, from a copy of the engine layer's weights."""

    def build() -> Step:
        import torch

        twin = getattr(torch.nn, cls)(*args, **options)
        state = built_layer(cls, args, options).state_dict()
        twin.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in state.items()})
        return layer_step(twin, x, torch.tensor)

    return Contender(TORCH, build, requires="torch", target=target, tracemalloc_sees_it=False)


def sequence_layer(
    cls: str, args: tuple[Any, ...], shape: Callable[[bool], tuple[int, ...]], target: float, **options: Any
) -> Callable[[bool], Workload]:
    """nn.<cls>(*args, **options) on a float32 batch of `shape(quick)`: forward and backward."""

    def workload(quick: bool) -> Workload:
        x = np.random.default_rng(0).normal(size=shape(quick)).astype(np.float32)
        described = ", ".join([*map(str, args), *(f"{k}={v}" for k, v in options.items())])
        return Workload(
            f"nn.{cls}({described}), input {'×'.join(map(str, x.shape))}, forward + backward",
            Contender("circuitgrad", lambda: layer_step(built_layer(cls, args, options), x, ag.tensor)),
            (torch_layer(cls, args, options, x, target),),
        )

    return workload


def recurrent(cls: str, **options: Any) -> Callable[[bool], Workload]:
    """nn.<cls>(64, 128) on 32 sequences of 35 steps (the issue's size; quick: 4 of 5)."""
    return sequence_layer(cls, (64, 128), lambda quick: (5, 4, 64) if quick else (35, 32, 64), 2.0, **options)


def transformer_layer() -> Callable[[bool], Workload]:
    """nn.TransformerEncoderLayer(128, 4, 512, dropout 0, batch_first) on 32 sequences of 64
    tokens (the issue's size; quick: 2 of 8)."""
    return sequence_layer(
        "TransformerEncoderLayer",
        (128, 4, 512, 0.0),
        lambda quick: (2, 8, 128) if quick else (32, 64, 128),
        1.5,
        batch_first=True,
    )


def attention_memory(quick: bool) -> Workload:
    """F.scaled_dot_product_attention, causal, on (B, h, T, d) = (32, 4, 64, 32) float32 (quick: (2,
    2, 8, 4)), forward and backward, as one fused gate that keeps only the probabilities
    (B·h·T² floats) against the composition of primitive gates, which keeps each (…, T, T)
    intermediate: time and peak memory."""
    shape = (2, 2, 8, 4) if quick else (32, 4, 64, 32)
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=shape).astype(np.float32) for _ in range(3)]
    causal = np.where(np.tril(np.ones((shape[2], shape[2]), bool)), 0.0, -np.inf)

    def build(fused: bool) -> Step:
        def step() -> float:
            q, k, v = (ag.tensor(a, requires_grad=True) for a in arrays)
            if fused:
                out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                bias = ag.tensor(causal.astype(np.float32))
                out = gates.attention.attention_composed(q, k, v, bias, shape[-1] ** -0.5, None)
            total = (out * out).sum()
            total.backward()
            return total.item()

        return step

    return Workload(
        f"F.scaled_dot_product_attention(is_causal=True), {'×'.join(map(str, shape))}, forward + backward",
        Contender("circuitgrad", lambda: build(True)),
        (Contender("the composition (attention_composed)", lambda: build(False), target=1.0),),
    )


# ---- 9. A character-level language model trained in both engines ---------------------------------
TARGET_PERPLEXITY_GAP = 0.02


def load_example(name: str) -> Any:
    """examples/<name>.py as a module (examples/ is not a package; its programs import each other)."""
    import importlib.util
    import pathlib
    import sys

    folder = pathlib.Path(__file__).parent.parent / "examples"
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules[name] = importlib.util.module_from_spec(spec)  # dataclasses look it up
    sys.path.insert(0, str(folder))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(folder))
    return module


def agreement_notes(key: str, label: str, digits: int, gap: float) -> Callable[[Row], str]:
    """The notes of a training run in both engines: our `result[key]`, PyTorch's, and whether they
    agree within the relative `gap`."""

    def notes(row: Row) -> str:
        ours = row.engine.result[key]
        if row.timing is None:
            return f"{label} {ours:.{digits}f}"
        theirs = row.timing.result[key]
        met = "yes" if abs(ours - theirs) / theirs <= gap else "no"
        return f"{label} {ours:.{digits}f}, PyTorch {theirs:.{digits}f} (within {gap:.0%}: {met})"

    return notes


perplexity_notes = agreement_notes("val_perplexity", "validation perplexity", 3, TARGET_PERPLEXITY_GAP)


def char_lm(cell: str) -> Callable[[bool], Workload]:
    """examples/char_rnn.py with `cell` (400 steps; quick: 3) against the same model in PyTorch from
    the same initial weights on the same batches: time, and the validation perplexities."""

    def workload(quick: bool) -> Workload:
        steps = 3 if quick else 400

        def ours() -> Step:
            example = load_example("char_rnn")

            def run() -> dict[str, Any]:
                start = time.perf_counter()
                result = example.main(cell, steps)
                return {**result, "seconds": time.perf_counter() - start}

            return run

        def pytorch() -> Step:
            from . import torch_twin

            return lambda: torch_twin.train_char_lm(load_example("char_rnn"), cell, steps)

        return training_run(
            f"char LM: examples/char_rnn.py --cell {cell} --steps {steps}", ours, pytorch, 1, perplexity_notes
        )

    return workload


# ---- 10. The small GPT: one training step, and a whole training in both engines -----------------
TARGET_LOSS_GAP = 0.02


def gpt_step(quick: bool) -> Workload:
    """One training step of examples/gpt_names.py's GPT (cross-entropy, backward, clipping, AdamW)
    on one batch of 32 windows of 16 characters (quick: 2 of 4), against the same in PyTorch."""
    example = load_example("gpt_names")
    config = example.GPTConfig(**({"batch_size": 2, "block_size": 4} if quick else {}))
    vocab, train, _ = example.corpus(0)
    X, Y = example.windows(train, config.block_size, config.batch_size, np.random.default_rng(0))

    def model() -> Any:
        ag.manual_seed(0)
        return example.GPT(len(vocab), config)

    def ours() -> Step:
        net = model()
        optimizer = nn.optim.AdamW(example.optimizer_groups(net, config.weight_decay), lr=config.lr, betas=config.betas)
        return lambda: example.train_step(net, optimizer, X, Y)

    def pytorch() -> Step:
        from . import torch_twin

        net, optimizer = torch_twin.gpt_twin(example, model(), len(vocab), config)
        return lambda: torch_twin.gpt_step(net, optimizer, X, Y)

    return Workload(
        f"GPT training step (examples/gpt_names.py), batch {config.batch_size}×{config.block_size}",
        Contender("circuitgrad", ours),
        (Contender(TORCH, pytorch, requires="torch", target=1.5, tracemalloc_sees_it=False),),
    )


loss_notes = agreement_notes("val_loss", "validation loss", 4, TARGET_LOSS_GAP)


def gpt_training(quick: bool) -> Workload:
    """examples/gpt_names.py (1000 steps; quick: 3) against the same GPT in PyTorch from the same
    initial weights on the same windows: time, and the validation losses."""
    steps = 3 if quick else 1000

    def ours() -> Step:
        example = load_example("gpt_names")

        def run() -> dict[str, Any]:
            start = time.perf_counter()
            result = example.main(steps, samples=0)
            return {**result, "seconds": time.perf_counter() - start}

        return run

    def pytorch() -> Step:
        from . import torch_twin

        return lambda: torch_twin.train_gpt(load_example("gpt_names"), steps)

    return training_run(f"GPT: examples/gpt_names.py --steps {steps}", ours, pytorch, 1, loss_notes)


WORKLOADS: dict[str, Callable[[bool], Workload]] = {
    "mlp": mlp,
    "lenet": lenet,
    "gates": graph_overhead,
    "moons": moons,
    "depth-tensor": depth(tensor_chain_step, "Tensor"),
    "depth-scalar": depth(scalar_chain_step, "Scalar"),
    "lstm": recurrent("LSTM"),
    "gru": recurrent("GRU"),
    "lstm-deep": recurrent("LSTM", num_layers=2, bidirectional=True),
    "transformer": transformer_layer(),
    "attention": attention_memory,
    "char-rnn": char_lm("rnn"),
    "char-gru": char_lm("gru"),
    "char-lstm": char_lm("lstm"),
    "gpt-step": gpt_step,
    "gpt": gpt_training,
    "train": digits_training,
}
