"""nn.data against torch.utils.data for everything deterministic: default_collate / default_convert
structures and dtypes, the batches of sequential, custom and batch samplers and of iterable
datasets, len() of loaders, DataLoader's argument conflicts, random_split's lengths from fractions,
ConcatDataset's indexing, samplers' argument checks."""

import collections
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as td

import autograd as ag
import nn.data as nd
from autograd.errors import AutogradError

Point = collections.namedtuple("Point", "x y")


def norm(value):
    """A result of either library as comparable plain data: tensors as (dtype, values), containers
    as (type name, contents)."""
    if isinstance(value, ag.Tensor):
        return ("tensor", str(value.dtype), value.numpy().tolist())
    if isinstance(value, torch.Tensor):
        return ("tensor", str(value.dtype).removeprefix("torch."), value.numpy().tolist())
    if isinstance(value, dict):
        return (type(value).__name__, {k: norm(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [norm(v) for v in value])
    if isinstance(value, np.ndarray):
        return ("ndarray", value.dtype.str, value.tolist())
    return value


def modules(m):
    return nd if m is ag else td


def tensor_of(m):
    return ag.tensor if m is ag else torch.tensor


# batches as functions of the tensor constructor t, so each library gets its own tensors
COLLATE_CASES = {
    "ints": lambda t: [1, 2, 3],
    "floats": lambda t: [1.5, 2.0],
    "bools": lambda t: [True, False],
    "strings": lambda t: ["a", "bc"],
    "bytes": lambda t: [b"a", b"b"],
    "numpy float32 arrays": lambda t: [np.ones(2, np.float32), np.zeros(2, np.float32)],
    "numpy int32 arrays": lambda t: [np.array([1, 2], np.int32)] * 3,
    "numpy scalars": lambda t: [np.float32(1.5), np.float32(2)],
    "numpy int scalars": lambda t: [np.int16(1), np.int16(7)],
    "tensors": lambda t: [t([1.0, 2.0]), t([3.0, 4.0])],
    "int tensors": lambda t: [t([[1, 2]]), t([[3, 4]])],
    "tuples": lambda t: [(1, 2.0, "a"), (3, 4.0, "b")],
    "lists": lambda t: [[1, 2], [3, 4]],
    "dicts": lambda t: [{"x": t([1.0]), "y": 0}, {"x": t([2.0]), "y": 1}],
    "nested": lambda t: [
        {"a": (1, [2.0, np.int64(3)]), "b": {"c": np.zeros((2, 2))}},
        {"a": (4, [5.0, np.int64(6)]), "b": {"c": np.ones((2, 2))}},
    ],
    "namedtuples": lambda t: [Point(1, t([1.0])), Point(2, t([2.0]))],
    "tuple of tensor and label": lambda t: [(t([0.5, 1.0]), 3), (t([1.5, 2.0]), 4)],
}


@pytest.mark.parametrize("case", COLLATE_CASES)
def test_default_collate_structures_and_dtypes(case):
    make = COLLATE_CASES[case]
    assert norm(nd.default_collate(make(ag.tensor))) == norm(td.default_collate(make(torch.tensor)))


CONVERT_CASES = {
    "number": lambda t: 3,
    "array": lambda t: np.arange(3),
    "float32 scalar": lambda t: np.float32(2),
    "tuple": lambda t: (np.array([1.0]), 2),
    "list": lambda t: [np.array([1]), "s"],
    "dict": lambda t: {"a": np.array(1), "b": [np.zeros(2, np.float32)]},
    "namedtuple": lambda t: Point(np.array(1), 2),
    "string array": lambda t: np.array(["a", "b"]),
    "tensor": lambda t: t([1, 2]),
    "string": lambda t: "text",
}


@pytest.mark.parametrize("case", CONVERT_CASES)
def test_default_convert(case):
    make = CONVERT_CASES[case]
    assert norm(nd.default_convert(make(ag.tensor))) == norm(td.default_convert(make(torch.tensor)))


@pytest.mark.parametrize(
    ("batch", "torch_error"),
    [
        ([[1, 2], [3]], RuntimeError),  # ragged
        ([np.array(["a"]), np.array(["b"])], TypeError),  # string arrays
        ([object(), object()], TypeError),
        ([None, None], TypeError),
        ([torch.ones(1), np.ones(1)], TypeError),  # a Tensor, then an array
    ],
)
def test_default_collate_refuses_what_pytorch_refuses(batch, torch_error):
    with pytest.raises(torch_error):
        td.default_collate(batch)
    ours = [ag.tensor(b.numpy()) if isinstance(b, torch.Tensor) else b for b in batch]
    with pytest.raises(AutogradError, match="default_collate"):
        nd.default_collate(ours)


class Pairs:
    """A map-style dataset (any object with __getitem__ / __len__): item i is (float vector, int)."""

    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i % 3


class Counting:
    """An iterable dataset of 0..n-1 (with a __len__), for either library."""

    def __init__(self, m, n):
        self.n = n
        base = modules(m).IterableDataset
        self.dataset = type("CountingSet", (base,), {"__iter__": lambda s: iter(range(n)), "__len__": lambda s: n})()


LOADER_CASES = {
    "batch 3": {"batch_size": 3},
    "batch 3 drop_last": {"batch_size": 3, "drop_last": True},
    "batch 1": {},
    "no batching": {"batch_size": None},
    "sampler list": {"sampler": [4, 0, 2, 2], "batch_size": 2},
    "batch sampler": {"batch_sampler": [[0, 1, 2], [6], [3, 5]]},
    "batch of whole set": {"batch_size": 100},
}


@pytest.mark.parametrize("case", LOADER_CASES)
@pytest.mark.parametrize("kind", ["tensor dataset", "plain dataset", "subset", "concat"])
def test_loader_batches_and_len(case, kind):
    def batches(m):
        data = modules(m)
        t = tensor_of(m)
        tensors = data.TensorDataset(t(np.arange(14.0).reshape(7, 2)), t(np.arange(7)))
        dataset = {
            "tensor dataset": tensors,
            "plain dataset": Pairs(7),
            "subset": data.Subset(tensors, [6, 5, 4, 3, 2, 1, 0]),
            "concat": data.ConcatDataset([data.Subset(tensors, [0, 1, 2]), tensors]),
        }[kind]
        loader = data.DataLoader(dataset, **LOADER_CASES[case])
        return len(loader), norm(list(loader))

    assert batches(ag) == batches(torch)


@pytest.mark.parametrize("kwargs", [{"batch_size": 3}, {"batch_size": 3, "drop_last": True}, {"batch_size": None}])
@pytest.mark.parametrize("n", [0, 1, 6, 7])
def test_iterable_dataset_batches_and_len(kwargs, n):
    def batches(m):
        loader = modules(m).DataLoader(Counting(m, n).dataset, **kwargs)
        return len(loader), norm(list(loader))

    assert batches(ag) == batches(torch)


def test_len_of_loaders_matches():
    for n in range(0, 12):
        for bs in (1, 2, 5, 11):
            for drop_last in (False, True):
                ours = len(nd.DataLoader(Pairs(n), batch_size=bs, drop_last=drop_last))
                assert ours == len(td.DataLoader(Pairs(n), batch_size=bs, drop_last=drop_last)), (n, bs, drop_last)
    ours = nd.DataLoader(Pairs(10), sampler=nd.RandomSampler(Pairs(10), replacement=True, num_samples=23), batch_size=4)
    theirs = td.DataLoader(
        Pairs(10), sampler=td.RandomSampler(Pairs(10), replacement=True, num_samples=23), batch_size=4
    )
    assert len(ours) == len(theirs) == 6


CONFLICTS = [
    {"shuffle": True, "sampler": [0, 1]},
    {"batch_sampler": [[0]], "batch_size": 2},
    {"batch_sampler": [[0]], "shuffle": True},
    {"batch_sampler": [[0]], "sampler": [0]},
    {"batch_sampler": [[0]], "drop_last": True},
    {"batch_sampler": [[0]], "batch_size": 1, "shuffle": False, "drop_last": False},  # allowed
    {"batch_size": None, "drop_last": True},
    {"batch_size": None, "shuffle": True},  # allowed
    {"prefetch_factor": 2},
    {"num_workers": 1, "prefetch_factor": 3},  # allowed
    {"persistent_workers": True},
    {"num_workers": -1},
    {"timeout": -1},
    {"multiprocessing_context": "fork"},
    {"num_workers": 1, "multiprocessing_context": "no-such-method"},
    {"iterable": True, "shuffle": True},
    {"iterable": True, "shuffle": False},  # allowed
    {"iterable": True, "sampler": [0]},
    {"iterable": True, "batch_sampler": [[0]]},
]


@pytest.mark.parametrize("kwargs", CONFLICTS, ids=str)
def test_argument_conflicts_are_refused_where_pytorch_refuses_them(kwargs):
    kwargs = dict(kwargs)
    iterable = kwargs.pop("iterable", False)

    def make(m):
        dataset = Counting(m, 3).dataset if iterable else Pairs(3)
        return modules(m).DataLoader(dataset, **kwargs)

    try:
        make(torch)
    except ValueError:
        with pytest.raises(AutogradError, match="DataLoader: "):
            make(ag)
    else:
        make(ag)


def test_conflict_messages_name_the_arguments():
    with pytest.raises(ag.errors.ArgumentError, match="sampler option is mutually exclusive with shuffle"):
        nd.DataLoader(Pairs(3), shuffle=True, sampler=[0])
    with pytest.raises(ag.errors.ArgumentError, match="batch_sampler option is mutually exclusive with batch_size"):
        nd.DataLoader(Pairs(3), batch_sampler=[[0]], batch_size=4)
    with pytest.raises(ag.errors.ArgumentError, match="persistent_workers option needs num_workers > 0"):
        nd.DataLoader(Pairs(3), persistent_workers=True)


@pytest.mark.parametrize("n", [0, 1, 7, 10, 11, 99])
@pytest.mark.parametrize("fractions", [[0.5, 0.5], [0.5, 0.3, 0.2], [0.1] * 10, [1 / 3] * 3, [0.7, 0.3, 0.0]])
def test_random_split_lengths_from_fractions(n, fractions):
    with warnings.catch_warnings():  # an empty split warns, in both
        warnings.simplefilter("ignore")
        ours = [len(s) for s in nd.random_split(Pairs(n), fractions, generator=np.random.default_rng(0))]
        theirs = [len(s) for s in td.random_split(Pairs(n), fractions, generator=torch.Generator().manual_seed(0))]
    assert ours == theirs


def test_an_empty_split_warns_as_pytorch():
    for split in (nd.random_split, td.random_split):
        with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
            split(Pairs(1), [0.5, 0.5])


def test_random_split_is_a_partition_and_takes_either_generator():
    parts = nd.random_split(Pairs(10), [0.5, 0.5], generator=ag.Generator().manual_seed(3))
    again = nd.random_split(Pairs(10), [5, 5], generator=np.random.default_rng(3))
    assert [p.indices for p in parts] == [p.indices for p in again]
    assert sorted(parts[0].indices + parts[1].indices) == list(range(10))
    assert parts[0].indices == np.random.default_rng(3).permutation(10)[:5].tolist()


def test_concat_dataset_indexing():
    def items(m):
        data = modules(m)
        a = data.TensorDataset(tensor_of(m)([10, 11, 12]))
        c = data.ConcatDataset([a, Pairs(2), data.TensorDataset(tensor_of(m)([20]))])
        plus = a + a
        got = [norm(c[i]) for i in range(-len(c), len(c))]
        return c.cumulative_sizes, len(c), got, len(plus), norm(plus[4])

    assert items(ag) == items(torch)
    c = nd.ConcatDataset([Pairs(2), Pairs(3)])
    for bad in (5, -6):
        with pytest.raises((IndexError, ValueError)):  # PyTorch: IndexError past the end, ValueError before the start
            td.ConcatDataset([Pairs(2), Pairs(3)])[bad]
        with pytest.raises(ag.errors.IndexOutOfRange, match=f"index {bad} is out of range for a dataset of length 5"):
            c[bad]


def test_sequential_and_batch_samplers():
    for n, bs, drop_last in [(0, 2, False), (7, 3, False), (7, 3, True), (6, 3, True), (5, 10, False)]:
        ours = nd.BatchSampler(nd.SequentialSampler(range(n)), bs, drop_last)
        theirs = td.BatchSampler(td.SequentialSampler(range(n)), bs, drop_last)
        assert (list(ours), len(ours)) == (list(theirs), len(theirs))
    assert list(nd.BatchSampler([5, 3, 1], 2, False)) == list(td.BatchSampler([5, 3, 1], 2, False))


@pytest.mark.parametrize(
    "make",
    [
        lambda d: d.BatchSampler(range(3), 0, False),
        lambda d: d.BatchSampler(range(3), True, False),
        lambda d: d.BatchSampler(range(3), 2, 1),
        lambda d: d.RandomSampler(range(3), num_samples=0),
        lambda d: d.RandomSampler(range(3), replacement=1),
        lambda d: d.WeightedRandomSampler([1.0, 2.0], 0),
        lambda d: d.WeightedRandomSampler([[1.0, 2.0]], 2),
        lambda d: d.WeightedRandomSampler([1.0, 2.0], 2, replacement=None),
    ],
)
def test_sampler_arguments_are_checked_as_pytorch(make):
    with pytest.raises((ValueError, TypeError)):
        make(td)
    with pytest.raises(AutogradError, match="Sampler: .* should be"):
        make(nd)
