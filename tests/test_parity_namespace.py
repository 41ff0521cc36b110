"""Every operation of the function modules is `autograd.NAME` and, where PyTorch has the method,
`x.NAME(...)`, meaning the same as in PyTorch."""

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import linalg_ops, reductions, special

NAMES = sorted({*special.__all__, *reductions.__all__, *linalg_ops.__all__} - {"vector_norm", "matrix_norm"})


@pytest.mark.parametrize("name", NAMES)
def test_each_function_is_at_the_top_level_as_in_pytorch(name):
    assert hasattr(torch, name), f"torch has no {name}: it should not be at our top level either"
    assert name in ag.__all__ and callable(getattr(ag, name))


@pytest.mark.parametrize("name", [n for n in NAMES if hasattr(torch.Tensor, n)])
def test_the_tensor_method_is_the_function_with_the_tensor_first(name):
    assert hasattr(ag.Tensor, name), f"Tensor.{name} is missing (PyTorch has it)"
    assert getattr(ag.Tensor, name) is getattr(ag, name)


def test_norms_live_in_linalg_as_in_pytorch():
    x = np.array([[3.0, -4.0], [1.0, 2.0]])
    assert ag.linalg.vector_norm(ag.tensor(x)).item() == pytest.approx(torch.linalg.vector_norm(torch.tensor(x)).item())
    assert ag.linalg.matrix_norm(ag.tensor(x)).item() == pytest.approx(torch.linalg.matrix_norm(torch.tensor(x)).item())


@pytest.mark.parametrize(
    "call", [lambda m, x: x.sin().cumsum(0), lambda m, x: x.mm(x.t()).trace(), lambda m, x: x.var(0, False)]
)
def test_methods_chain_as_in_pytorch(call):
    from tests.parity import check

    check(call, [np.array([[0.5, -1.0], [2.0, 0.25]])])
