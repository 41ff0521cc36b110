"""PyTorch parity of creation, dtypes, conversions and devices."""

import numpy as np
import pytest
import torch

import autograd as ag
from tests.parity import assert_same, check

DTYPE_NAMES = ["float32", "float", "float64", "double", "float16", "half", "int64", "long", "int32", "int",
               "int16", "short", "int8", "uint8", "bool"]  # fmt: skip


@pytest.mark.parametrize("name", DTYPE_NAMES)
def test_dtype_names_mean_what_they_mean_in_pytorch(name):
    ours, theirs = ag.zeros(2, dtype=getattr(ag, name)), torch.zeros(2, dtype=getattr(torch, name))
    assert_same(ours, theirs)
    assert ours.dtype == getattr(ag, name)


@pytest.mark.parametrize(
    "fn",
    [
        lambda m: m.linspace(-1, 2, 7),
        lambda m: m.linspace(0, 1, 5, dtype=m.float64),
        lambda m: m.logspace(0, 2, 3),
        lambda m: m.logspace(0, 3, 4, base=2.0, dtype=m.float64),
        lambda m: m.arange(5),
        lambda m: m.arange(0, 1, 0.25),
        lambda m: m.empty(2, 3).shape,
        lambda m: m.empty(2, 3, dtype=m.int64).dtype,
        lambda m: m.full_like(m.zeros(2, 2), 7.5),
        lambda m: m.full_like(m.zeros(3, dtype=m.long), 2),
        lambda m: m.empty_like(m.ones(2, dtype=m.float64)).shape,
        lambda m: m.zeros(2, device="cpu"),
        lambda m: m.ones(2, 2, device=m.device("cpu"), dtype=m.int32),
        lambda m: m.tensor([1, 2], dtype=m.long, device="cpu"),
        lambda m: m.randint(3, 9, (4, 5)).shape,
        lambda m: m.randint(10, (3,)).dtype,
        lambda m: m.randperm(6).dtype,
        lambda m: m.rand_like(m.zeros(2, 3, dtype=m.float64)).dtype,
        lambda m: m.randn_like(m.zeros(4)).shape,
        lambda m: (m.is_tensor(m.zeros(1)), m.is_tensor([1.0]), m.is_floating_point(m.zeros(1, dtype=m.long))),
        lambda m: m.get_default_dtype() == m.float32,
        lambda m: m.cuda.is_available(),
        lambda m: str(m.zeros(1).device),
    ],
)
def test_creation(fn):
    ours, theirs = fn(ag), fn(torch)
    if isinstance(theirs, torch.Size):
        theirs = tuple(theirs)
    if isinstance(theirs, torch.dtype):
        assert str(np.dtype(ours)) == str(theirs).removeprefix("torch.")
        return
    assert_same(ours, theirs)


def test_random_integers_and_permutations_are_what_they_claim():
    gen = np.random.default_rng(0)
    r = ag.randint(3, 9, (1000,), generator=gen)
    assert r.dtype == ag.long and 3 <= r.numpy().min() and r.numpy().max() < 9 and len(np.unique(r.numpy())) == 6
    assert sorted(ag.randperm(50, generator=gen).numpy().tolist()) == list(range(50))
    with pytest.raises(ag.DomainError, match="randint: high must be greater than low"):
        ag.randint(5, 5, (2,))


def test_from_numpy_and_as_tensor_share_memory_as_in_pytorch():
    for m in (ag, torch):
        a = np.zeros(3)
        t, u = m.from_numpy(a), m.as_tensor(a)
        a[0] = 5.0
        assert float(t[0]) == 5.0 and float(u[0]) == 5.0
        assert float(m.as_tensor(a, dtype=m.float32)[0]) == 5.0
        a[1] = 1.0
        assert float(m.as_tensor(a, dtype=m.float32)[1]) == 1.0
    with pytest.raises(ag.ArgumentError, match="from_numpy: expected a numpy.ndarray, got list"):
        ag.from_numpy([1.0])


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: x.to(m.float32),
        lambda m, x: x.to("cpu"),
        lambda m, x: x.to("cpu", m.float32),
        lambda m, x: x.to(m.device("cpu"), dtype=m.float32),
        lambda m, x: x.to(dtype=m.float32, copy=True),
        lambda m, x: x.to(m.zeros(1, dtype=m.float32)) * 2,
        lambda m, x: x.type_as(m.zeros(1, dtype=m.float32)),
        lambda m, x: x.cpu() * 3,
        lambda m, x: x.clone() * x,
        lambda m, x: x.half().float(),
    ],
)
def test_conversions_carry_the_gradient(fn):
    check(fn, [np.array([0.5, -1.25, 3.0])])


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: (x.long(), x.int(), x.short(), x.bool(), x.double()),
        lambda m, x: (x.is_floating_point(), x.long().is_floating_point()),
        lambda m, x: (float(x.sum()), int(x[2]), bool(x[0]), f"{x.sum():.3f}", f"{x[1]}" == f"{x[1].item()}"),
    ],
)
def test_conversions_to_other_types(fn):
    check(fn, [np.array([0.5, -1.25, 3.0])], grad=False)


def test_other_devices_say_the_engine_runs_on_the_cpu():
    x = ag.zeros(2)
    for call in (lambda: x.cuda(), lambda: x.to("cuda"), lambda: ag.zeros(2, device="cuda:0"), lambda: x.to("mps")):
        with pytest.raises(ag.DeviceError, match="on the CPU only"):
            call()
    with pytest.raises(ag.ArgumentError, match="unknown device 'gpu'"):
        ag.device("gpu")
    assert ag.device("cuda:1").index == 1 and ag.device("cpu") == "cpu"


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.tensor([1.0, 2.0], requires_grad=True),
        lambda m: m.tensor([1.0, 2.0], requires_grad=True) * 2,
        lambda m: m.tensor([[1.5, -2.25], [3.0, 4.0]]),
        lambda m: m.tensor([1, 2, 3]),
        lambda m: m.tensor([True, False]),
        lambda m: m.tensor(3.5),
        lambda m: m.tensor([0.1234567, 100.0]),
    ],
)
def test_repr_reads_like_pytorchs(make):
    assert repr(make(ag)) == repr(make(torch))


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: ag.linspace("a", 1, 3), ag.ArgumentError, "linspace: start must be a number"),
        (lambda: ag.linspace(0, float("inf"), 3), ag.DomainError, "linspace: end must be finite"),
        (lambda: ag.linspace(0, 1, -1), ag.ShapeError, "linspace: steps must be non-negative"),
        (lambda: ag.linspace(0, 1, 2.5), ag.ArgumentError, "linspace: steps must be an int"),
        (lambda: ag.logspace(0, 1, 3, base="e"), ag.ArgumentError, "logspace: base must be a number"),
        (lambda: ag.randint(0, 2.5, (2,)), ag.ArgumentError, "randint: high must be an int"),
        (lambda: ag.randperm(-1), ag.ShapeError, "randperm"),
        (lambda: ag.empty(2, dtype="complex64"), ag.DTypeError, "empty"),
        (lambda: ag.full_like(ag.zeros(2), 1.0, device="cuda"), ag.DeviceError, "full_like"),
        (lambda: ag.as_tensor("text"), ag.DTypeError, "tensor"),
        (lambda: ag.from_numpy(np.array(["a"])), ag.DTypeError, "from_numpy: a tensor cannot hold dtype <U1"),
        (lambda: ag.zeros(2).to(1, 2, foo=3), ag.ArgumentError, r"to: unexpected keyword arguments \['foo'\]"),
        (lambda: ag.zeros(2).size(3), ag.ShapeError, "size"),
    ],
)
def test_creation_and_conversion_errors_name_the_function(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ---- set_default_dtype ---------------------------------------------------------------------------

DEFAULT_DTYPE_CASES = [
    lambda m: m.tensor(1.5),
    lambda m: m.tensor([1, 2]) / m.tensor(2),
    lambda m: m.tensor([1, 2]) * 1.5,
    lambda m: m.tensor([3, 4]) / 2,
    lambda m: m.tensor([1, 2]).sqrt(),
    lambda m: m.zeros(2),
    lambda m: m.ones(2, 1),
    lambda m: m.full((2,), 0.5),
    lambda m: m.eye(2),
    lambda m: m.arange(0, 1, 0.5),
    lambda m: m.arange(3),
    lambda m: m.linspace(0, 1, 3),
    lambda m: m.logspace(0, 1, 3),
    lambda m: m.rand(2).dtype == m.get_default_dtype(),
    lambda m: m.randn(2).dtype == m.get_default_dtype(),
    lambda m: m.empty(2).dtype == m.get_default_dtype(),
    lambda m: m.result_type(m.tensor([1]), 1.0) == m.get_default_dtype(),
    lambda m: m.tensor([1.0], dtype=m.float32) + 1.0,
    lambda m: m.maximum(m.tensor([1, 5]), m.tensor([2.5, 3.0], dtype=m.float32)),
    lambda m: m.nn.Linear(2, 3).weight.dtype == m.get_default_dtype(),
    lambda m: m.isclose(m.tensor([100000001]), m.tensor([100000000]), rtol=0, atol=0.5),
]


@pytest.fixture
def restore_default_dtype():
    yield
    ag.set_default_dtype(ag.float32)
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name", ["float32", "float64", "float16"])
@pytest.mark.parametrize("case", range(len(DEFAULT_DTYPE_CASES)))
def test_set_default_dtype_changes_what_pytorch_changes(restore_default_dtype, name, case):
    fn = DEFAULT_DTYPE_CASES[case]
    ag.set_default_dtype(getattr(ag, name))
    torch.set_default_dtype(getattr(torch, name))
    assert ag.get_default_dtype() == getattr(ag, name)
    assert_same(fn(ag), fn(torch))


def test_set_default_dtype_takes_only_floating_dtypes(restore_default_dtype):
    for bad in (ag.int64, ag.bool):
        with pytest.raises(TypeError):  # PyTorch's TypeError
            torch.set_default_dtype(getattr(torch, str(np.dtype(bad))))
        with pytest.raises(ag.DTypeError, match="set_default_dtype: only floating-point types .* got (int64|bool)"):
            ag.set_default_dtype(bad)
    with pytest.raises(ag.DTypeError, match="set_default_dtype: unknown dtype 'float99'"):
        ag.set_default_dtype("float99")
    assert ag.get_default_dtype() == ag.float32


@pytest.mark.parametrize("name", ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"])
def test_legacy_type_names_and_casts_as_pytorch(name):
    ours, theirs = ag.zeros(2, dtype=getattr(ag, name)), torch.zeros(2, dtype=getattr(torch, name))
    assert ours.type() == theirs.type()
    assert_same(ag.ones(2).type(ours.type()), torch.ones(2).type(theirs.type()))
    assert_same(ag.ones(2).type(getattr(ag, name)), torch.ones(2).type(getattr(torch, name)))
