"""PyTorch parity of autograd.logic (tests/parity.py): every function in its `__all__` against torch's
function of the same name, on float64, float32, integer and bool inputs, with NaN and ±inf, numbers
as the second (or first) argument, broadcasting, and the gradients of remainder and fmod."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd as ag
import autograd.logic as logic
from tests.parity import check

EXPECTED = """
eq ne lt le gt ge logical_and logical_or logical_xor logical_not bitwise_and bitwise_or bitwise_xor
bitwise_not isnan isinf isfinite isclose allclose equal floor_divide remainder fmod
isposinf isneginf isreal is_nonzero is_same_size is_signed is_complex
""".split()

NAN, INF = np.nan, np.inf


def lib(m):
    """autograd.logic on our side, torch on PyTorch's."""
    return logic if m is ag else torch


def call(name, **kw):
    return lambda m, *xs: getattr(lib(m), name)(*xs, **kw)


def test_all_lists_exactly_the_functions():
    assert logic.__all__ == EXPECTED
    assert all(callable(getattr(logic, name)) for name in logic.__all__)


SPECIAL = np.array([-INF, -2.5, -1.0, -0.0, 0.0, 1.0, 2.5, INF, NAN])
OTHER = np.array([-INF, 2.5, -1.0, 0.0, -0.0, 3.0, 2.5, INF, NAN])
INTS = np.array([-3, -1, 0, 2, 7, 255], dtype=np.int64)
INTS2 = np.array([2, -1, 0, 2, 3, -255], dtype=np.int64)
BOOLS = np.array([True, False, True, False, True, True])
BOOLS2 = np.array([True, True, False, False, False, True])
UINT8 = np.array([0, 1, 200, 255], dtype=np.uint8)
INT32 = np.array([-5, 0, 7, 2**20], dtype=np.int32)

COMPARISONS = ["eq", "ne", "lt", "le", "gt", "ge"]


@pytest.mark.parametrize("name", COMPARISONS)
@pytest.mark.parametrize(
    "inputs",
    [
        [SPECIAL, OTHER],
        [SPECIAL.astype(np.float32), OTHER],  # float32 with float64: float64
        [INTS, INTS2],
        [BOOLS, BOOLS2],
        [INTS, BOOLS],
        [INTS.astype(np.float64), INTS],
        [np.array([16777217, 3], dtype=np.int64), np.array([16777216.0, 3.0], dtype=np.float32)],  # in float32
        [np.array([[1.0], [NAN]]), np.array([1.0, 2.0, INF])],  # broadcast
        [UINT8, np.array(200, dtype=np.int64)],  # a 0-d int64 tensor does not widen uint8
        [INT32, INTS[:4]],
    ],
)
def test_comparisons_of_two_tensors(name, inputs):
    check(call(name), inputs, grad=False)


@pytest.mark.parametrize("name", COMPARISONS)
@pytest.mark.parametrize(
    "x, number",
    [
        (SPECIAL, 1.0),
        (SPECIAL, NAN),
        (SPECIAL, -INF),
        (SPECIAL.astype(np.float32), 2.5),
        (INTS, 2),
        (INTS, 2.5),  # int tensor with a float: compared as float32
        (np.array([16777217, 1], dtype=np.int64), 16777216.0),
        (BOOLS, True),
        (BOOLS, 0),
        (BOOLS, 0.5),
        (UINT8, -1),  # -1 wraps to 255 in uint8, as PyTorch casts it
        (UINT8, 200),
    ],
)
def test_comparisons_with_a_number(name, x, number):
    check(lambda m, a: getattr(lib(m), name)(a, number), [x], grad=False)


def test_comparisons_of_0d_and_empty_tensors():
    for name in COMPARISONS:
        check(call(name), [np.array(1.5), np.array([1.0, 1.5, 2.0])], grad=False)
        check(call(name), [np.zeros((0, 3)), np.ones(3)], grad=False)


LOGICAL = ["logical_and", "logical_or", "logical_xor"]


@pytest.mark.parametrize("name", LOGICAL)
@pytest.mark.parametrize(
    "inputs",
    [
        [SPECIAL, OTHER],  # NaN is nonzero: true
        [INTS, INTS2],
        [BOOLS, BOOLS2],
        [INTS, BOOLS],
        [SPECIAL[:6].astype(np.float32), INTS],
        [np.array([[0.0], [1.0]]), np.array([0, 3, 0])],
    ],
)
def test_logical(name, inputs):
    check(call(name), inputs, grad=False)


@pytest.mark.parametrize("x", [SPECIAL, INTS, BOOLS, UINT8, SPECIAL.astype(np.float32), np.array(0.0)])
def test_logical_not_and_the_classes(x):
    for name in ("logical_not", "isnan", "isinf", "isfinite"):
        check(call(name), [x], grad=False)


BITWISE = ["bitwise_and", "bitwise_or", "bitwise_xor"]


@pytest.mark.parametrize("name", BITWISE)
@pytest.mark.parametrize(
    "inputs",
    [
        [INTS, INTS2],
        [BOOLS, BOOLS2],
        [INTS, BOOLS],  # int64
        [UINT8, UINT8[::-1].copy()],
        [INT32, INTS[:4]],
        [UINT8, np.array(3, dtype=np.int64)],  # uint8
        [np.array([[1], [6]]), INTS],
    ],
)
def test_bitwise_of_two_tensors(name, inputs):
    check(call(name), inputs, grad=False)


@pytest.mark.parametrize("name", BITWISE)
@pytest.mark.parametrize("x, number", [(INTS, 6), (BOOLS, True), (BOOLS, 1), (UINT8, -1), (INT32, 12)])
def test_bitwise_with_a_number(name, x, number):
    check(lambda m, a: getattr(lib(m), name)(a, number), [x], grad=False)


@pytest.mark.parametrize("x", [INTS, BOOLS, UINT8, INT32, np.array(5)])
def test_bitwise_not(x):
    check(call("bitwise_not"), [x], grad=False)


@pytest.mark.parametrize("name", [*BITWISE, "bitwise_not"])
def test_bitwise_of_floats_is_refused_by_both(name):
    args = [np.array([1.0, 2.0])] if name == "bitwise_not" else [np.array([1.0, 2.0]), np.array([1, 2])]
    with pytest.raises(NotImplementedError, match="not implemented for '(Float|Double)'"):
        getattr(torch, name)(*[torch.tensor(a) for a in args])
    with pytest.raises(ag.DTypeError, match=f"{name}: not implemented for float64"):
        getattr(logic, name)(*[ag.tensor(a, dtype=a.dtype) for a in args])
    if name != "bitwise_not":
        with pytest.raises(ag.DTypeError, match="not implemented for float32"):
            getattr(logic, name)(ag.tensor([1, 2]), 1.5)


CLOSE_A = np.array([1.0, 1.0 + 1e-6, 1.0 + 1e-4, 0.0, 1e-9, INF, -INF, INF, NAN, NAN, 1e10])
CLOSE_B = np.array([1.0, 1.0, 1.0, 1e-8, 0.0, INF, INF, 3e38, NAN, 1.0, 1e10 + 1e5])


@pytest.mark.parametrize("equal_nan", [False, True])
@pytest.mark.parametrize(
    "kw", [{}, {"rtol": 0.0, "atol": 0.0}, {"rtol": 1e-3}, {"atol": 1e-3, "rtol": 0.0}, {"rtol": 0.5, "atol": 2.0}]
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_isclose_and_allclose_of_floats(kw, equal_nan, dtype):
    a, b = CLOSE_A.astype(dtype), CLOSE_B.astype(dtype)
    check(call("isclose", equal_nan=equal_nan, **kw), [a, b], grad=False)
    check(call("allclose", equal_nan=equal_nan, **kw), [a, b], grad=False)
    check(call("allclose", equal_nan=equal_nan, **kw), [a[:3], b[:3]], grad=False)
    check(call("isclose", equal_nan=equal_nan, **kw), [a[:5, None], b[:5]], grad=False)  # broadcast


@pytest.mark.parametrize("kw", [{}, {"rtol": 0.0, "atol": 0.0}, {"rtol": 0.5}, {"atol": 1.0}, {"atol": 2.5}])
@pytest.mark.parametrize("pair", [(INTS, INTS2), (BOOLS, BOOLS2), (UINT8, UINT8[::-1].copy()), (INT32, INT32 + 1)])
def test_isclose_and_allclose_of_integers_and_bools(kw, pair):
    check(call("isclose", **kw), list(pair), grad=False)
    check(call("allclose", **kw), list(pair), grad=False)
    check(call("allclose", **kw), [pair[0], pair[0]], grad=False)


def test_isclose_rounds_like_torch():
    """Integers compared in float32, tolerances rounded to the inputs' dtype."""
    big = [np.array([16777217, 2**62, 100]), np.array([16777216, -(2**62), 0])]
    check(call("isclose", rtol=0.0, atol=0.5), big, grad=False)
    check(call("isclose", rtol=0.0, atol=1e30), big, grad=False)
    check(
        call("isclose", rtol=0.0, atol=99.99999999),
        [big[0].astype(np.int32)[2:], big[1].astype(np.int32)[2:]],
        grad=False,
    )
    one, next_up = np.array([1.0], dtype=np.float32), np.array([1.0 + 2**-23], dtype=np.float32)
    for kw in ({"rtol": 0.0, "atol": 2**-23 * 0.99999999999}, {"rtol": 2**-23 * 0.99999999999, "atol": 0.0}):
        check(call("isclose", **kw), [one, next_up], grad=False)
    check(call("isclose", rtol=2**-23 * 0.99, atol=0.0), [one, next_up], grad=False)


def test_isclose_refuses_mixed_dtypes_and_negative_tolerances_as_torch():
    with pytest.raises(RuntimeError, match="did not match"):
        torch.isclose(torch.tensor([1]), torch.tensor([1.0]))
    with pytest.raises(ag.DTypeError, match="same dtype"):
        logic.isclose(ag.tensor([1]), ag.tensor([1.0]))
    with pytest.raises(ag.DTypeError, match="same dtype"):
        logic.allclose(ag.tensor([1.0]), ag.tensor([1.0], dtype="float64"))
    with pytest.raises(RuntimeError, match="rtol must be greater than or equal to zero"):
        torch.isclose(torch.tensor([1.0]), torch.tensor([1.0]), rtol=-1)
    with pytest.raises(ag.DomainError, match="rtol must be greater than or equal to zero"):
        logic.isclose(ag.tensor([1.0]), ag.tensor([1.0]), rtol=-1)
    with pytest.raises(ag.DomainError, match="atol must be greater than or equal to zero"):
        logic.isclose(ag.tensor([1.0]), ag.tensor([1.0]), atol=float("nan"))
    with pytest.raises(ag.ArgumentError, match="'other' must be a Tensor"):
        logic.isclose(ag.tensor([1.0]), 1.0)


@pytest.mark.parametrize(
    "pair",
    [
        (SPECIAL[:8], SPECIAL[:8]),
        (SPECIAL, SPECIAL),  # NaN != NaN
        (SPECIAL, OTHER),
        (INTS, INTS.astype(np.float64)),  # promoted
        (np.array([1, 0]), np.array([True, False])),
        (INTS, INTS[:3]),  # shapes differ (no broadcasting)
        (np.ones((2, 1)), np.ones((2, 2))),
        (np.zeros(0), np.zeros(0)),
        (np.array(2.0), np.array([2.0])),
    ],
)
def test_equal(pair):
    check(call("equal"), list(pair), grad=False)


# ---- division with rounding -------------------------------------------------------------------------

DIVIDEND = np.array([5.0, -5.0, 5.0, -5.0, INF, 3.0, 0.0, -0.0, 7.3, -7.3, 1e10, -1e-30, NAN, 6.0, -6.0, 0.0])
DIVISOR = np.array([INF, INF, -INF, 0.0, 2.0, 0.0, -3.0, 3.0, 0.4, 0.4, 0.3, 3.0, 1.0, -4.0, -4.0, 0.0])
DIVISION = ["floor_divide", "remainder", "fmod"]


@pytest.mark.parametrize("name", DIVISION)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_division_of_floats_with_nan_inf_and_zero(name, dtype):
    check(call(name), [DIVIDEND.astype(dtype), DIVISOR.astype(dtype)], grad=False)


@pytest.mark.parametrize("name", DIVISION)
@pytest.mark.parametrize(
    "inputs",
    [
        [np.array([-7, 7, -7, 7, 0, 9, -9]), np.array([2, -2, -2, 2, 5, 4, 4])],
        [INT32, np.array([3, -3, 5, 7], dtype=np.int32)],
        [UINT8, np.array([3, 7, 9, 250], dtype=np.uint8)],
        [INTS, np.array([2.5])],  # int with float: float
        [INT32, np.array([2, -1, 3, 2])],  # int32 with int64: int64
        [BOOLS, np.array([2, -1, 1, 2, 3, -255])],  # bool with int: int64
        [np.array([[-7], [8]]), np.array([2, -3, 5])],  # broadcast
    ],
)
def test_division_of_integers_and_mixed_dtypes(name, inputs):
    check(call(name), inputs, grad=False)


@pytest.mark.parametrize("name", DIVISION)
@pytest.mark.parametrize(
    "x, number", [(DIVIDEND, 2.5), (DIVIDEND, -3), (INTS, 4), (INTS, -2.5), (UINT8, 7), (BOOLS, 3), (INT32, -4)]
)
def test_division_by_a_number(name, x, number):
    check(lambda m, a: getattr(lib(m), name)(a, number), [x], grad=False)


@pytest.mark.parametrize("name", ["floor_divide", "remainder"])
@pytest.mark.parametrize(
    "number, y", [(7, np.array([2, -1, 3, -4])), (-7.5, DIVISOR), (2, np.array([3, 253], dtype=np.uint8))]
)
def test_a_number_divided_by_a_tensor(name, number, y):
    check(lambda m, b: getattr(lib(m), name)(number, b), [y], grad=False)


SMOOTH_X = np.array([7.3, -7.3, 2.2, -2.2, 0.45, 11.0])
SMOOTH_Y = np.array([2.0, 2.0, -0.7, -0.7, 0.3, 4.1])


@pytest.mark.parametrize("name", ["remainder", "fmod"])
def test_gradients_of_remainder_and_fmod(name):
    check(call(name), [SMOOTH_X, SMOOTH_Y])  # both inputs' gradients, as PyTorch's
    check(call(name), [SMOOTH_X.astype(np.float32), SMOOTH_Y.astype(np.float32)])
    check(call(name), [SMOOTH_X[:, None], SMOOTH_Y[None, :]])  # broadcast gradients summed back
    check(lambda m, a: getattr(lib(m), name)(a, 1.7), [SMOOTH_X])
    check(lambda m, a: getattr(lib(m), name)(a, -1.7), [SMOOTH_X])
    check(call(name), [SMOOTH_X, np.array(2.3)])  # a 0-d divisor's gradient is a sum


def test_gradient_of_a_number_divided_by_a_tensor():
    """PyTorch has no derivative for remainder(number, tensor); here it is the tensor-tensor one."""
    with pytest.raises(RuntimeError, match="derivative for aten::remainder is not implemented"):
        torch.remainder(5.5, torch.tensor(SMOOTH_Y, requires_grad=True)).sum().backward()
    y = ag.tensor(SMOOTH_Y, requires_grad=True)
    logic.remainder(5.5, y).sum().backward()
    expected = torch.autograd.grad(
        torch.remainder(torch.tensor(5.5, dtype=torch.float64), ty := torch.tensor(SMOOTH_Y, requires_grad=True)).sum(),
        ty,
    )[0]
    np.testing.assert_array_equal(y.grad.numpy(), expected.numpy())


def test_second_derivatives_of_remainder_and_fmod_match_torch():
    for name in ("remainder", "fmod"):
        x, y = ag.tensor(SMOOTH_X, requires_grad=True), ag.tensor(SMOOTH_Y, requires_grad=True)
        tx, ty = torch.tensor(SMOOTH_X, requires_grad=True), torch.tensor(SMOOTH_Y, requires_grad=True)
        gx, gy = ag.grad(getattr(logic, name)(x, y).sum(), [x, y], create_graph=True)
        tgx, tgy = torch.autograd.grad(getattr(torch, name)(tx, ty).sum(), [tx, ty], create_graph=True)
        np.testing.assert_array_equal(gy.numpy(), tgy.detach().numpy())
        np.testing.assert_array_equal(gx.numpy(), tgx.detach().numpy())
        (thy,) = torch.autograd.grad((tgy * tgy).sum(), [ty], allow_unused=True, materialize_grads=True)
        assert not thy.any()  # PyTorch's second derivative is 0; here the quotient is a constant


def test_floor_divide_requires_grad_but_has_no_derivative_as_torch():
    x, tx = ag.tensor([5.0, -3.0], requires_grad=True), torch.tensor([5.0, -3.0], requires_grad=True)
    ours, theirs = logic.floor_divide(x, 2), torch.floor_divide(tx, 2)
    assert ours.requires_grad and theirs.requires_grad
    with pytest.raises(RuntimeError, match="derivative for aten::floor_divide is not implemented"):
        theirs.sum().backward()
    with pytest.raises(ag.GraphError, match="the derivative for 'floor_divide' is not implemented"):
        ours.sum().backward()


@pytest.mark.parametrize("name", DIVISION)
def test_integer_division_by_zero_is_refused_as_torch(name):
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        getattr(torch, name)(torch.tensor([1, 2]), torch.tensor([1, 0]))
    with pytest.raises(ag.DomainError, match=f"{name}: integer division by zero"):
        getattr(logic, name)(ag.tensor([1, 2]), ag.tensor([1, 0]))
    with pytest.raises(ag.DomainError, match="integer division by zero"):
        getattr(logic, name)(ag.tensor([1, 2]), 0)


@pytest.mark.parametrize("name", DIVISION)
def test_division_of_bools_is_refused_as_torch(name):
    with pytest.raises(NotImplementedError, match="'Bool'"):
        getattr(torch, name)(torch.tensor([True]), torch.tensor([True]))
    with pytest.raises(ag.DTypeError, match=f"{name}: not implemented for bool"):
        getattr(logic, name)(ag.tensor([True]), ag.tensor([True]))


def test_every_function_is_covered():
    covered = {*COMPARISONS, *LOGICAL, *BITWISE, "logical_not", "isnan", "isinf", "isfinite", "bitwise_not"}
    covered |= {"isclose", "allclose", "equal", *DIVISION, *CLASSES, *PROPERTIES}
    assert covered == set(logic.__all__)


# ---- eq_ ne_ lt_ le_ gt_ ge_: in place, in the tensor's own dtype -----------------------------


@pytest.mark.parametrize("name", ["eq_", "ne_", "lt_", "le_", "gt_", "ge_"])
@pytest.mark.parametrize(
    "inputs", [[SPECIAL, OTHER], [INTS, INTS2], [SPECIAL.reshape(3, 3), OTHER[:3]]], ids=["float", "int", "broadcast"]
)
def test_in_place_comparisons(name, inputs):
    check(lambda m, x, y: getattr(x * 1, name)(y), inputs)  # x * 1: a non-leaf, so the gradient (0) is compared
    check(lambda m, x: getattr(x.detach().clone(), name)(2.5), inputs[:1], grad=False)


def test_in_place_comparison_cannot_change_the_shape():
    with pytest.raises(RuntimeError):
        torch.zeros(2).eq_(torch.zeros(3, 2))
    with pytest.raises(ag.ShapeError, match=r"eq_: an operand of shape \(3, 2\) does not broadcast to shape \(2,\)"):
        ag.zeros(2).eq_(ag.zeros(3, 2))


# ---- isposinf isneginf isreal, and the properties of a tensor ---------------------------------------

CLASSES = ["isposinf", "isneginf", "isreal"]
PROPERTIES = ["is_nonzero", "is_same_size", "is_signed", "is_complex"]


@pytest.mark.parametrize("name", CLASSES)
@pytest.mark.parametrize(
    "x", [SPECIAL, SPECIAL.astype(np.float32).reshape(3, 3), INTS, BOOLS, UINT8, np.asarray(-INF), np.zeros((0, 2))]
)
def test_classes(name, x):
    check(call(name), [x])
    check(lambda m, a, n=name: getattr(a, n)(), [x])


@pytest.mark.parametrize(
    "x", [np.array([0.0]), np.array([[-0.0]]), np.asarray(2.5), np.array([NAN]), np.array([0]), np.array([True])]
)
def test_is_nonzero(x):
    check(call("is_nonzero"), [x], grad=False)


@pytest.mark.parametrize("x", [np.array([1.0, 2.0]), np.zeros((0,))])
def test_is_nonzero_refuses_other_sizes_as_torch(x):
    with pytest.raises(RuntimeError, match="ambiguous"):
        torch.is_nonzero(torch.tensor(x))
    with pytest.raises(ag.ShapeError, match="is_nonzero: .*ambiguous"):
        logic.is_nonzero(ag.tensor(x))


@pytest.mark.parametrize("x", [SPECIAL, SPECIAL.astype(np.float32), INTS, INT32, UINT8, BOOLS, np.int8([1, -1])])
def test_is_signed_and_is_complex(x):
    check(call("is_signed"), [x], grad=False)
    check(call("is_complex"), [x], grad=False)
    check(lambda m, a: (a.is_signed(), a.is_complex(), a.isreal()), [x], grad=False)


def test_is_same_size():
    for a, b in [(np.zeros(2), np.zeros((2, 1))), (np.zeros((2, 3)), np.ones((2, 3), dtype=np.int64))]:
        check(call("is_same_size"), [a, b], grad=False)
        check(lambda m, x, y: x.is_same_size(y), [a, b], grad=False)


@pytest.mark.parametrize("name", CLASSES + PROPERTIES)
def test_properties_refuse_non_tensors(name):
    args = (ag.tensor([1.0]),) if name == "is_same_size" else ()
    with pytest.raises(ag.ArgumentError, match=name):
        getattr(logic, name)([1.0], *args)
