"""dtypes through every gate: float32 stays float32 (Python numbers included), float64 stays
float64, mixing promotes as NumPy and each input's gradient comes back in the input's dtype;
integer tensors cannot require grad."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

# Every gate and Tensor operation, as a function of a (2, 3) tensor with values in [0.5, 2].
OPS = {
    "x + 1": lambda x: x + 1,
    "1 + x": lambda x: 1 + x,
    "x + x": lambda x: x + x,
    "x - 2.5": lambda x: x - 2.5,
    "2.5 - x": lambda x: 2.5 - x,
    "x * 3": lambda x: x * 3,
    "0.1 * x": lambda x: 0.1 * x,
    "x / 7": lambda x: x / 7,
    "2 / x": lambda x: 2 / x,
    "x ** 2": lambda x: x**2,
    "x ** 0.5": lambda x: x**0.5,
    "2.5 ** x": lambda x: 2.5**x,
    "x ** x": lambda x: x**x,
    "-x": lambda x: -x,
    "abs": abs,
    "exp": Tensor.exp,
    "log": Tensor.log,
    "reciprocal": Tensor.reciprocal,
    "sqrt": Tensor.sqrt,
    "tanh": Tensor.tanh,
    "sigmoid": Tensor.sigmoid,
    "relu": Tensor.relu,
    "leaky_relu": lambda x: (x - 1).leaky_relu(0.3),
    "clip": lambda x: x.clip(0.7, 1.5),
    "maximum": lambda x: ag.maximum(x, 1.0),
    "minimum": lambda x: ag.minimum(1.0, x),
    "where": lambda x: ag.where(x > 1, x, 0.0),
    "matmul": lambda x: x @ x.T,
    "matmul vector": lambda x: x[0] @ x[1],
    "sum": Tensor.sum,
    "sum dim": lambda x: x.sum(1, keepdim=True),
    "mean": Tensor.mean,
    "var": lambda x: x.var(0),
    "std": Tensor.std,
    "max": lambda x: x.max(1).values,
    "amax": lambda x: x.amax((0, 1)),
    "min": Tensor.min,
    "logsumexp": lambda x: x.logsumexp(0),
    "softmax": Tensor.softmax,
    "log_softmax": lambda x: x.log_softmax(0),
    "reshape": lambda x: x.reshape(3, 2),
    "flatten": Tensor.flatten,
    "squeeze unsqueeze": lambda x: x.unsqueeze(0).squeeze(),
    "permute": lambda x: x.permute(1, 0),
    "transpose": lambda x: x.transpose(0, 1),
    "T": lambda x: x.T,
    "mT": lambda x: x.mT,
    "expand": lambda x: x.expand(4, 2, 3),
    "broadcast_to": lambda x: x[:1].broadcast_to((2, 3)),
    "getitem slice": lambda x: x[:, 1:],
    "getitem ints": lambda x: x[[0, 0, 1], [2, 2, 0]],
    "getitem mask": lambda x: x[x > 1],
    "cat": lambda x: ag.cat([x, x * 2], 1),
    "stack": lambda x: ag.stack([x, x]),
    "pad": lambda x: ag.pad(x, (1, 2), value=0.5),
    "sum_to": lambda x: x.sum_to((1, 3)),
}


def positive(dtype) -> Tensor:
    return ag.tensor(np.linspace(0.5, 2.0, 6).reshape(2, 3), dtype=dtype, requires_grad=True)


@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
@pytest.mark.parametrize("name", OPS)
def test_every_gate_keeps_the_float_dtype(name, dtype):
    x = positive(dtype)
    out = OPS[name](x)
    assert out.dtype == dtype
    (g,) = ag.grad(out.sum(), x, create_graph=True)  # as computed, without the cast .grad applies
    assert g.dtype == dtype
    if g.requires_grad:  # the gradient depends on x: its own gradient keeps the dtype too
        (gg,) = ag.grad((g * g).sum(), x, allow_unused=True)
        assert gg is None or gg.dtype == dtype


def test_default_dtypes():
    assert Tensor([1.0, 2.0]).dtype == np.float32  # Python floats: float32, as PyTorch
    assert Tensor(1.5).dtype == np.float32
    assert Tensor([1, 2]).dtype == np.int64
    assert Tensor([True]).dtype == np.bool_
    assert Tensor(np.array([1.0])).dtype == np.float64  # NumPy arrays keep their dtype
    assert Tensor(np.array([1.0], dtype=np.float16)).dtype == np.float16
    assert Tensor([1, 2], dtype=ag.float64).dtype == np.float64


def test_python_numbers_keep_float32_even_when_large():
    x = ag.ones(2)
    for out in (x + 1e30, 1e-30 * x, x - 12345678901, x / 3, 2**x, x**3):
        assert out.dtype == np.float32


BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
}


@pytest.mark.parametrize("op", BINARY)
@pytest.mark.parametrize("number", [2, 0.5, True])
def test_every_binary_operator_keeps_float32_with_a_python_number_on_either_side(op, number):
    x = ag.tensor([0.5, 2.0])
    assert BINARY[op](x, number).dtype == np.float32
    assert BINARY[op](number, x).dtype == np.float32


@pytest.mark.parametrize("op", BINARY)
def test_an_integer_tensor_and_a_python_float_give_the_default_float_dtype(op):
    """PyTorch's promotion: int64 (op) Python float is float32, where NumPy gives float64."""
    i, as_float = ag.tensor([1, 2]), np.array([1.0, 2.0])
    for out, expected in (
        (BINARY[op](i, 1.5), BINARY[op](as_float, 1.5)),
        (BINARY[op](1.5, i), BINARY[op](1.5, as_float)),
    ):
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)
    assert BINARY[op](ag.tensor([True, False]), 1.5).dtype == np.float32


def test_integer_tensors_divide_into_the_default_float_and_otherwise_stay_integer():
    i = ag.tensor([1, 2])
    assert (i / 2).dtype == np.float32 and (i / 2).tolist() == [0.5, 1.0]
    assert (2 / i).dtype == np.float32 and (2 / i).tolist() == [2.0, 1.0]
    for out in (i + 1, 1 - i, i * 2, i**2, 2**i):
        assert out.dtype == np.int64
    assert i.maximum(1.5).dtype == np.float32 and i.minimum(1.5).tolist() == [1.0, 1.5]


def test_mixing_float32_and_float64_promotes_and_gives_each_input_its_dtype_back():
    x32 = ag.tensor([1.0, 2.0], requires_grad=True)
    x64 = ag.tensor([3.0, 4.0], dtype=ag.float64, requires_grad=True)
    out = x32 * x64
    assert out.dtype == np.float64
    g32, g64 = ag.grad(out.sum(), [x32, x64], retain_graph=True)
    assert g32.dtype == np.float32 and g64.dtype == np.float64
    np.testing.assert_array_equal(g32.numpy(), [3, 4])
    out.sum().backward(create_graph=True)
    assert x32.grad.dtype == np.float32 and x64.grad.dtype == np.float64
    assert (x32 + np.array([1.0, 2.0])).dtype == np.float64  # NumPy promotion for arrays
    assert (np.array([1.0, 2.0], dtype=np.float32) + x64).dtype == np.float64


def test_cast_sends_the_gradient_back_in_the_source_dtype():
    x = ag.tensor([1.0, 2.0], dtype=ag.float64, requires_grad=True)
    y = x.float()
    assert y.dtype == np.float32 and y.grad_fn.name == "Cast"
    (y * 3).sum().backward()
    assert x.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad.numpy(), [3, 3])
    assert x.double() is x  # already float64: no gate
    assert x.to(np.int64).dtype == np.int64


@pytest.mark.parametrize(
    "make",
    [
        lambda: Tensor([1, 2], requires_grad=True),
        lambda: ag.tensor([1, 2], requires_grad=True),
        lambda: ag.zeros(2, dtype=ag.int64, requires_grad=True),
        lambda: ag.arange(3, requires_grad=True),
        lambda: ag.tensor([True, False]).requires_grad_(),
    ],
)
def test_an_integer_or_bool_tensor_cannot_require_grad(make):
    with pytest.raises(ag.DTypeError, match=r"only floating-point tensors can require grad; this one is (int64|bool)"):
        make()


def test_non_numeric_data_is_a_dtype_error():
    with pytest.raises(ag.DTypeError, match="cannot hold data of dtype <U1"):
        Tensor(["a"])
