"""Every operation of the function modules is `autograd.NAME` and, where PyTorch has the method,
`x.NAME(...)`, meaning the same as in PyTorch."""

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import linalg_ops, logic, reductions, special

NAMES = sorted(
    {*special.__all__, *reductions.__all__, *linalg_ops.__all__, *logic.__all__} - {"vector_norm", "matrix_norm"}
)


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


@pytest.mark.parametrize(
    "module, skip",
    [(ag.views, {"view_checked", "squeeze_dims"}), (ag.indexing, {"setitem", "where_indices"})],
    ids=["views", "indexing"],
)
def test_views_and_indexing_are_where_pytorch_has_them(module, skip):
    for name in set(module.__all__) - skip:
        if hasattr(torch, name):
            assert getattr(ag, name) is getattr(module, name), name
        if hasattr(torch.Tensor, name):
            assert getattr(ag.Tensor, name) is getattr(module, name), name
    assert ag.Tensor.view is ag.views.view_checked and ag.Tensor.__setitem__ is ag.indexing.setitem


def test_setitem_and_one_argument_where_as_in_pytorch():
    from tests.parity import check

    def assign(m, x, v):
        y = x * 1
        y[0, 1:] = v
        y[1] = 5.0
        return y * x

    check(assign, [np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]), np.array([7.0, 8.0])])
    check(lambda m, x: m.where(x > 2), [np.array([[1.0, 3.0], [4.0, 0.0]])], grad=False)


def test_random_functions_and_methods_are_where_pytorch_has_them():
    for name in ("Generator", "bernoulli", "multinomial", "normal", "poisson"):
        assert hasattr(torch, name) and getattr(ag, name) is getattr(ag.random_ops, name)
    for name in ("bernoulli", "multinomial", "uniform_", "normal_", "bernoulli_", "exponential_", "random_"):
        assert hasattr(torch.Tensor, name) and getattr(ag.Tensor, name) is getattr(ag.random_ops, name)
    g = ag.Generator().manual_seed(3)
    assert np.array_equal(ag.rand(4, generator=g).numpy(), ag.rand(4, generator=ag.Generator().manual_seed(3)).numpy())


@pytest.mark.parametrize(
    "op",
    [
        lambda m, a, b: (a & b, a | b, a ^ b, ~a),
        lambda m, x, y: (x // y, x % y, 7 // y, 7 % y, x // 2, x % -3),
        lambda m, x, y: (x == y, x != y, x < y, x >= 2, m.eq(x, y), x.isclose(y), m.equal(x, x)),
    ],
    ids=["bitwise", "division", "comparison"],
)
def test_operators_as_in_pytorch(op):
    from tests.parity import check

    if op.__code__.co_varnames[1] == "a":
        inputs = [np.array([True, False, True]), np.array([True, True, False])]
    else:
        inputs = [np.array([5.0, -3.5, 2.0]), np.array([2.0, 1.5, -4.0])]
    check(op, inputs, grad=False)


@pytest.mark.parametrize(
    "values",
    [
        lambda m: (m.tensor([1], dtype=m.int64), m.tensor([1.0], dtype=m.float32)),
        lambda m: (m.tensor([1.0], dtype=m.float32), m.tensor(1.0, dtype=m.float64)),
        lambda m: (m.tensor([1], dtype=m.int32), 2.5),
        lambda m: (m.tensor([True]), 3),
        lambda m: (m.tensor(1, dtype=m.int8), m.tensor([1], dtype=m.uint8)),
    ],
)
def test_result_type_and_promote_types_as_in_pytorch(values):
    ours, theirs = ag.result_type(*values(ag)), torch.result_type(*values(torch))
    assert str(ours) == str(theirs).removeprefix("torch.")
    assert str(ag.promote_types(ag.int64, ag.float32)) == "float32"
    assert str(ag.promote_types(ag.int8, ag.uint8)) == str(torch.promote_types(torch.int8, torch.uint8)).removeprefix(
        "torch."
    )


@pytest.mark.parametrize(
    "operands",
    [
        lambda m: (m.ones(2), m.tensor(2.0, dtype=m.float64)),  # a 0-d float64 does not widen float32
        lambda m: (m.tensor([1, 2]), m.ones(2)),  # int64 with float32: float32
        lambda m: (m.tensor([1, 2]), m.tensor([3, 4])),  # int / int: the default float
        lambda m: (m.ones(2, dtype=m.float64), m.ones(2)),  # both dimensioned: the wider float
        lambda m: (m.tensor([1, 0], dtype=m.uint8), m.tensor([1, 2], dtype=m.int32)),
        lambda m: (m.tensor([1, 2], dtype=m.int32), 2.5),
    ],
)
def test_arithmetic_promotes_as_pytorch(operands):
    import operator

    for op in (operator.add, operator.sub, operator.mul, operator.truediv):
        a, b = operands(ag)
        c, d = operands(torch)
        ours, theirs = op(a, b), op(c, d)
        assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch."), (op, ours.dtype, theirs.dtype)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_the_gradient_of_a_promoted_operand_comes_back_in_its_own_dtype():
    from tests.parity import check

    check(lambda m, x: x * m.tensor([1.5, 2.0], dtype=m.float32), [np.array([1.0, -2.0])])


def test_det_inverse_and_slogdet_are_at_the_top_level_and_methods_as_in_pytorch():
    from tests.parity import check

    A = np.array([[2.0, 1.0], [0.5, 3.0]])
    check(lambda m, a: (m.det(a), a.det(), m.inverse(a), a.inverse(), a.slogdet().logabsdet), [A])


@pytest.mark.parametrize(
    "call",
    [
        lambda m, x: x.cumsum(axis=0),
        lambda m, x: m.cumprod(x, axis=1),
        lambda m, x: x.prod(axis=1, keepdims=True),
        lambda m, x: x.std(axis=0),
        lambda m, x: m.var(x, axis=1, keepdims=True),
        lambda m, x: x.median(axis=0),
        lambda m, x: m.sort(x, axis=0),
        lambda m, x: x.logcumsumexp(axis=1),
        lambda m, x: m.diff(x, axis=0),
        lambda m, x: x.unbind(axis=1),
        lambda m, x: m.nansum(x, axis=0, keepdims=True),
        lambda m, x: x.quantile(0.25, axis=1),
        lambda m, x: m.topk(x, 1, axis=0),
    ],
)
def test_numpys_axis_and_keepdims_are_accepted_as_pytorchs_functions_do(call):
    from tests.parity import check

    check(call, [np.array([[0.5, -1.0, 3.0], [2.0, 0.25, -0.5]])])


def test_dim_and_axis_together_are_refused():
    with pytest.raises(ag.ArgumentError, match="cumsum: pass either dim or axis, not both"):
        ag.ones(2).cumsum(dim=0, axis=0)
