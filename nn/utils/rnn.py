"""Variable-length sequences for the recurrent layers, as PyTorch's `torch.nn.utils.rnn`.

A `PackedSequence` holds a batch of sequences sorted by length (longest first), step by step:
`data` stacks, for t = 0, 1, …, the t-th element of every sequence longer than t, and
`batch_sizes[t]` says how many there are. An RNN, GRU or LSTM given one runs each sequence for
its own length only: `h_n` is the state at each sequence's true last step, and padding takes part
in no output and no gradient.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from autograd import Tensor, cat, stack
from autograd.errors import ArgumentError, DomainError, ShapeError
from autograd.extend import wrap


class PackedSequence(NamedTuple):
    """`data` (Σ lengths, *), `batch_sizes` (int64, one per step), and the permutation that sorted
    the batch by length (`sorted_indices`) and its inverse (`unsorted_indices`), None if it was sorted."""

    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None = None
    unsorted_indices: Tensor | None = None


def _as_sequence(name: str, value: Any) -> Tensor:
    if not isinstance(value, Tensor):
        raise ArgumentError(f"{name}: expected Tensors, got {type(value).__name__}")
    if value.ndim == 0:
        raise ShapeError(f"{name}: expected sequences with a time dim (L, *), got a 0-d tensor")
    return value


def pad_sequence(
    sequences: Sequence[Tensor], batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"
) -> Tensor:
    """Stack sequences of shapes (Lᵢ, *) into (L_max, B, *) (or (B, L_max, *) with batch_first),
    filling with `padding_value` after each sequence (`padding_side="left"`: before it)."""
    if padding_side not in ("right", "left"):
        raise DomainError(f"pad_sequence: padding_side must be 'right' or 'left', got {padding_side!r}")
    seqs = [_as_sequence("pad_sequence", s) for s in sequences]
    if not seqs:
        raise ArgumentError("pad_sequence: got no sequences")
    trailing = {tuple(s.shape[1:]) for s in seqs}
    if len(trailing) > 1:
        raise ShapeError(f"pad_sequence: the sequences' shapes after the time dim differ: {sorted(trailing)}")
    longest = max(s.shape[0] for s in seqs)
    padded = []
    for s in seqs:
        fill = wrap(np.full((longest - s.shape[0], *s.shape[1:]), padding_value, dtype=s.dtype))
        padded.append(cat([s, fill] if padding_side == "right" else [fill, s]) if fill.shape[0] else s)
    return stack(padded, dim=0 if batch_first else 1)


def _lengths(name: str, lengths: Any, batch: int, longest: int) -> np.ndarray:
    values = np.asarray(lengths.numpy() if isinstance(lengths, Tensor) else lengths)
    if values.ndim != 1 or values.dtype.kind not in "iu":
        raise ArgumentError(
            f"{name}: lengths must be a 1-D list or int64 tensor of integers, got {values.dtype} {values.shape}"
        )
    if values.shape[0] != batch:
        raise ShapeError(f"{name}: got {values.shape[0]} lengths for a batch of {batch} sequences")
    if values.size and values.min() <= 0:
        raise DomainError(f"{name}: length of all samples has to be greater than 0, but found {int(values.min())}")
    if values.size and values.max() > longest:
        raise DomainError(f"{name}: a length of {int(values.max())} is longer than the input's {longest} steps")
    return values.astype(np.int64)


def pack_padded_sequence(
    input: Tensor, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch (L, B, *) (or (B, L, *)) of sequences of the given `lengths`. With
    enforce_sorted the lengths must already decrease; otherwise the batch is sorted here and the
    permutation kept, so that `pad_packed_sequence` and the layers' h_n give back the input's order."""
    x = _as_sequence("pack_padded_sequence", input)
    if x.ndim < 2:
        raise ShapeError(f"pack_padded_sequence: expected a padded batch (L, B, *), got shape {x.shape}")
    if batch_first:
        x = x.transpose(0, 1)
    steps = _lengths("pack_padded_sequence", lengths, x.shape[1], x.shape[0])
    if enforce_sorted:
        if np.any(np.diff(steps) > 0):
            raise DomainError(
                "pack_padded_sequence: `lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                f"True (got {steps.tolist()}); pass enforce_sorted=False to have the batch sorted here"
            )
        order, sorted_indices, unsorted_indices = np.arange(len(steps)), None, None
    else:
        order = np.argsort(-steps, kind="stable")
        sorted_indices, unsorted_indices = wrap(order), wrap(np.argsort(order))
    batch_sizes = (steps[order][None, :] > np.arange(x.shape[0])[:, None]).sum(1)
    batch_sizes = batch_sizes[batch_sizes > 0]
    rows = [(t, order[b]) for t, n in enumerate(batch_sizes) for b in range(n)]
    time, batch = (np.array(i, dtype=np.intp) for i in zip(*rows))
    return PackedSequence(x[time, batch], wrap(batch_sizes.astype(np.int64)), sorted_indices, unsorted_indices)


def padded_index(batch_sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For a packed batch, the row of `data` at each (t, b) of the padded (L, B) layout (the
    dummy row Σ batch_sizes where sequence b has ended), and the mask of real steps."""
    batch = int(batch_sizes[0])
    offsets = np.concatenate([[0], np.cumsum(batch_sizes)[:-1]])
    real = np.arange(batch)[None, :] < batch_sizes[:, None]
    return np.where(real, offsets[:, None] + np.arange(batch)[None, :], int(batch_sizes.sum())), real


def pad_packed_sequence(
    sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0, total_length: int | None = None
) -> tuple[Tensor, Tensor]:
    """Undo `pack_padded_sequence`: the padded batch (L, B, *) in the original order (padded to
    `total_length` steps if given), and the lengths (int64)."""
    if not isinstance(sequence, PackedSequence):
        raise ArgumentError(f"pad_packed_sequence: expected a PackedSequence, got {type(sequence).__name__}")
    sizes = sequence.batch_sizes.numpy()
    index, real = padded_index(sizes)
    if total_length is not None:
        if total_length < len(sizes):
            raise DomainError(
                f"pad_packed_sequence: total_length={total_length} is shorter than the longest sequence ({len(sizes)})"
            )
        extra = total_length - len(sizes)
        index = np.concatenate([index, np.full((extra, index.shape[1]), int(sizes.sum()))])
        real = np.concatenate([real, np.zeros((extra, real.shape[1]), bool)])
    data = sequence.data
    fill = wrap(np.full((1, *data.shape[1:]), padding_value, dtype=data.dtype))
    padded = cat([data, fill])[index]
    lengths = real.sum(0).astype(np.int64)
    if sequence.unsorted_indices is not None:
        padded, lengths = padded[:, sequence.unsorted_indices.numpy()], lengths[sequence.unsorted_indices.numpy()]
    return (padded.transpose(0, 1) if batch_first else padded), wrap(lengths)


def pack_sequence(sequences: Sequence[Tensor], enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences (Lᵢ, *): `pack_padded_sequence(pad_sequence(sequences), lengths)`."""
    seqs = [_as_sequence("pack_sequence", s) for s in sequences]
    return pack_padded_sequence(pad_sequence(seqs), [s.shape[0] for s in seqs], enforce_sorted=enforce_sorted)
