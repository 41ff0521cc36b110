"""PyTorch's side of the benchmarks: an engine `Sequential` translated layer by layer into a
`torch.nn.Sequential` with the same weights, its training step, and its run of `python -m nn.cli`.
Only imported where PyTorch is installed."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
import torch.nn as tnn

import autograd as ag
import nn
from nn.cli import MODELS, digits_loaders, parse_args

from .harness import Step


def layer(m: nn.Module) -> tnn.Module:
    """The PyTorch layer computing what the engine layer `m` computes (freshly initialised)."""
    name = type(m).__name__
    if name == "Conv2d":
        args = (m.in_channels, m.out_channels, m.kernel_size, m.stride, m.padding, m.dilation, m.groups)
        return tnn.Conv2d(*args, bias=m.bias is not None)
    if name == "Linear":
        return tnn.Linear(m.in_features, m.out_features, bias=m.bias is not None)
    if name == "MaxPool2d":
        return tnn.MaxPool2d(m.kernel_size, m.stride, m.padding)
    if name == "Flatten":
        return tnn.Flatten(m.start_dim, m.end_dim)
    if name == "ReLU":
        return tnn.ReLU()
    raise TypeError(f"torch_twin: no PyTorch layer for the engine's {name}")


def twin(model: nn.Sequential) -> tnn.Sequential:
    """`model` in PyTorch: the same layers with copies of its weights."""
    out = tnn.Sequential(*(layer(m) for m in model))
    with torch.no_grad():
        for mine, theirs in zip(model.parameters(), out.parameters(), strict=True):
            theirs.copy_(torch.from_numpy(mine.numpy()))
    return out


def sgd_step(model: nn.Sequential, x: np.ndarray, y: np.ndarray, lr: float) -> Step:
    """One SGD step on the cross-entropy of the twin of `model` on (x, y)."""
    net = twin(model)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(y)

    def step() -> float:
        loss = tnn.functional.cross_entropy(net(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def accuracy(net: tnn.Module, loader: nn.data.DataLoader) -> float:
    net.eval()
    with torch.no_grad():
        hits = [(net(torch.from_numpy(x.numpy())).argmax(1).numpy() == y.numpy()).sum() for x, y in loader]
    net.train()
    return float(sum(hits) / len(loader.dataset))


def train_digits(argv: Sequence[str]) -> dict[str, Any]:
    """`python -m nn.cli <argv>` in PyTorch: the twin of the same initial model, the same optimizer
    (Adam, AdamW or Nesterov SGD), cosine schedule, label smoothing and epochs; the batches come from
    the same nn.data loader with the same seeds, so shuffles and crops are the same too. Validation
    accuracy each epoch, test accuracy at the end, as the engine's run; `seconds` is the wall time."""
    args = parse_args(argv)
    start = time.perf_counter()
    ag.manual_seed(args.seed)
    _, train, val, test = digits_loaders(args)  # the same batches and crops as nn.cli.main
    net = twin(MODELS[args.model](args))
    optimizer = {
        "adam": lambda p: torch.optim.Adam(p, lr=args.lr, weight_decay=args.weight_decay),
        "adamw": lambda p: torch.optim.AdamW(p, lr=args.lr, weight_decay=args.weight_decay),
        "sgd": lambda p: torch.optim.SGD(p, args.lr, momentum=0.9, nesterov=True, weight_decay=args.weight_decay),
    }[args.optimizer](net.parameters())
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn = tnn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    for _ in range(args.epochs):
        for x, y in train:
            loss = loss_fn(net(torch.from_numpy(x.numpy())), torch.from_numpy(y.numpy()))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        scheduler.step()
        accuracy(net, val)
    return {"test_acc": accuracy(net, test), "seconds": time.perf_counter() - start}


def train_char_lm(example: Any, cell: str, steps: int, seed: int = 0) -> dict[str, Any]:
    """examples/char_rnn.py's training in PyTorch: the example's model, built under the same seed,
    copied into torch's Embedding, GRU/LSTM and Linear; the same Adam, clipping, and batches (the
    example's own iterator); the validation perplexity at the end; `seconds` is the wall time."""
    start = time.perf_counter()
    ag.manual_seed(seed)
    vocab, train, val = example.corpus(seed)
    model = example.CharModel(len(vocab), cell)
    rnn = {"rnn": tnn.RNN, "gru": tnn.GRU, "lstm": tnn.LSTM}[cell]
    embed, recurrent, head = tnn.Embedding(len(vocab), 32), rnn(32, 128, batch_first=True), tnn.Linear(128, len(vocab))
    for theirs, ours in ((embed, model.embed), (recurrent, model.rnn), (head, model.head)):
        theirs.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in ours.state_dict().items()})
    params = [*embed.parameters(), *recurrent.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(params, lr=5e-3)
    state: Any = None
    for X, Y, fresh in example.batches(train, steps, seed):
        out, state = recurrent(embed(torch.from_numpy(X)), None if fresh else state)
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        loss = tnn.functional.cross_entropy(head(out).reshape(-1, len(vocab)), torch.from_numpy(Y).reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        tnn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
    with torch.no_grad():
        out, _ = recurrent(embed(torch.from_numpy(val[None, :-1])))
        val_loss = tnn.functional.cross_entropy(head(out)[0], torch.from_numpy(val[1:]))
    return {"val_perplexity": float(np.exp(val_loss.item())), "seconds": time.perf_counter() - start}


class TorchGPT(tnn.Module):
    """examples/gpt_names.py's GPT in PyTorch, module for module, so the state-dict keys match."""

    def __init__(self, vocab_size: int, config: Any) -> None:
        super().__init__()
        d, block = config.d_model, config.block_size
        self.n_head = config.n_head
        self.token, self.position = tnn.Embedding(vocab_size, d), tnn.Embedding(block, d)
        self.blocks = tnn.Sequential(*(TorchBlock(d, config.n_head) for _ in range(config.n_layer)))
        self.ln_f = tnn.LayerNorm(d)
        self.head = tnn.Linear(d, vocab_size, bias=False)
        self.head.weight = self.token.weight

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        x = self.token(tokens) + self.position(torch.arange(tokens.shape[1]))
        return self.head(self.ln_f(self.blocks(x)))


class TorchBlock(tnn.Module):
    def __init__(self, d: int, n_head: int) -> None:
        super().__init__()
        self.n_head = n_head
        self.ln1, self.ln2 = tnn.LayerNorm(d), tnn.LayerNorm(d)
        self.attn = tnn.Module()
        self.attn.qkv, self.attn.proj = tnn.Linear(d, 3 * d), tnn.Linear(d, d)
        self.mlp = tnn.Sequential(tnn.Linear(d, 4 * d), tnn.GELU(), tnn.Linear(4 * d, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        N, T, C = x.shape
        qkv = self.attn.qkv(self.ln1(x)).reshape(N, T, 3, self.n_head, C // self.n_head).permute(2, 0, 3, 1, 4)
        heads = tnn.functional.scaled_dot_product_attention(*qkv.unbind(0), is_causal=True)
        x = x + self.attn.proj(heads.transpose(1, 2).reshape(N, T, C))
        return x + self.mlp(self.ln2(x))


def gpt_twin(example: Any, model: nn.Module, vocab_size: int, config: Any) -> tuple[TorchGPT, torch.optim.AdamW]:
    """The PyTorch GPT with a copy of `model`'s weights, and its AdamW with the example's groups."""
    net = TorchGPT(vocab_size, config)
    net.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in model.state_dict().items()})
    groups = example.optimizer_groups(net, config.weight_decay)
    return net, torch.optim.AdamW(groups, lr=config.lr, betas=config.betas)


def gpt_step(net: TorchGPT, optimizer: torch.optim.Optimizer, X: np.ndarray, Y: np.ndarray) -> float:
    """One training step of the twin: cross-entropy, backward, clipping to norm 1, AdamW."""
    logits = net(torch.from_numpy(X))
    loss = tnn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.from_numpy(Y).reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    tnn.utils.clip_grad_norm_(net.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def train_gpt(example: Any, steps: int, seed: int = 0) -> dict[str, Any]:
    """examples/gpt_names.py's training in PyTorch: the example's GPT, built under the same seed and
    copied; the same AdamW groups, warm-up and cosine schedule, clipping, and windows (the example's
    own sampler with the same seed); the validation loss at the end; `seconds` is the wall time."""
    start = time.perf_counter()
    config = example.GPTConfig()
    ag.manual_seed(seed)
    vocab, train, val = example.corpus(seed)
    net, optimizer = gpt_twin(example, example.GPT(len(vocab), config), len(vocab), config)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, example.warmup_cosine(steps, config.warmup))
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        gpt_step(net, optimizer, *example.windows(train, config.block_size, config.batch_size, rng))
        scheduler.step()
    X, Y = example.validation_windows(val, config.block_size)
    with torch.no_grad():
        logits = net(torch.from_numpy(X))
        val_loss = tnn.functional.cross_entropy(logits.reshape(-1, len(vocab)), torch.from_numpy(Y).reshape(-1))
    return {"val_loss": val_loss.item(), "seconds": time.perf_counter() - start}
