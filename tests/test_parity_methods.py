"""PyTorch parity of the function forms of Tensor methods (autograd.method_forms), of the method
spellings of the operators (add, sub, mul, div with rounding_mode, neg and their aliases) and of
the in-place variants (`x.exp_()`, `x.pow_(2)`, `x.add_(y, alpha=2)`, ...)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd as ag
from autograd import method_forms
from tests.parity import check

M = np.array([[0.25, -0.5, 0.75], [0.5, 0.125, -0.25]])  # inside (-1, 1): acos, atanh, ... are defined
POS = np.abs(M) + 0.1  # where log, sqrt, rsqrt, acosh(x + 1) are defined
INTS = np.array([-7, 7, 5, 0], dtype=np.int64)
FLIPPED = M[::-1].copy()

# every function form, with the arguments after the tensor and the input it runs on
CALLS = {
    "abs": ((), M), "absolute": ((), M), "all": ((0,), INTS), "amax": ((1,), M), "amin": ((0, True), M),
    "any": ((), INTS), "argmax": ((1,), M), "argmin": ((), M), "broadcast_to": (((2, 2, 3),), M),
    "clamp": ((-0.3, 0.3), M), "clip": ((None, 0.1), M), "clone": ((), M), "detach": ((), M),
    "flatten": ((), M), "max": ((1,), M), "mean": ((0,), M), "min": ((1, True), M), "neg": ((), M),
    "negative": ((), M), "numel": ((), M), "permute": (((1, 0),), M), "reciprocal": ((), POS),
    "reshape": (((3, 2),), M), "squeeze": ((), M[:1]), "sum": (((0, 1),), M), "t": ((), M),
    "transpose": ((0, 1), M), "unsqueeze": ((1,), M), "arccos": ((), M), "arccosh": ((), POS + 1),
    "arcsin": ((), M), "arcsinh": ((), M), "arctan": ((), M), "arctanh": ((), M), "fix": ((), M * 7),
    "greater": ((0.1,), M), "greater_equal": ((0.125,), M), "less": ((0.1,), M), "less_equal": ((0.125,), M),
    "not_equal": ((0.125,), M), "clamp_": ((-0.3, 0.3), M), "clamp_max_": ((0.2,), M), "clamp_min_": ((0.2,), M),
    "clip_": ((-0.1,), M), "fill_": ((2.5,), M), "zero_": ((), M), "xlogy_": ((2.0,), POS),
    "add": ((FLIPPED,), M), "subtract": ((FLIPPED,), M), "sub": ((2.0,), M), "mul": ((FLIPPED,), M),
    "multiply": ((3,), M), "div": ((POS,), M), "divide": ((2,), M), "true_divide": ((POS,), M),
    "pow": ((3,), M), "arctan2": ((FLIPPED,), M),
}  # fmt: skip
UNARY_IN_PLACE = """
abs_ acos_ arccos_ arcsin_ arctan_ arctanh_ asin_ asinh_ atan_ atanh_ ceil_ cos_ cosh_ erf_ erfc_ exp_
exp2_ expm1_ fix_ floor_ frac_ neg_ negative_ relu_ round_ sigmoid_ sin_ sinh_ square_ tan_ tanh_ trunc_
arcsinh_
""".split()
POSITIVE_IN_PLACE = "acosh_ arccosh_ log_ log10_ log1p_ log2_ reciprocal_ rsqrt_ sqrt_".split()


def test_every_form_is_a_pytorch_function_and_method_and_is_tested():
    for name in method_forms.__all__:
        assert callable(getattr(torch, name)), name
        assert name in ag.__all__ and getattr(ag, name) is getattr(method_forms, name)
        assert hasattr(ag.Tensor, name) and hasattr(torch.Tensor, name), name
    assert set(method_forms.__all__) == set(CALLS) | set(UNARY_IN_PLACE) | set(POSITIVE_IN_PLACE)


def _arguments(m, args):
    return [m.tensor(a.copy()) if isinstance(a, np.ndarray) else a for a in args]


@pytest.mark.parametrize("name", sorted(CALLS))
def test_function_form_and_method_match_pytorch(name):
    args, x = CALLS[name]
    if name.endswith("_"):  # in place on a non-leaf: the result and the gradient through it
        check(lambda m, t: getattr(m, name)(t * 1, *_arguments(m, args)), [x])
        check(lambda m, t: getattr(t * 1, name)(*_arguments(m, args)), [x])
    else:
        check(lambda m, t: getattr(m, name)(t, *_arguments(m, args)), [x])
        check(lambda m, t: getattr(t, name)(*_arguments(m, args)), [x])


NO_TORCH_GRADIENT = {"acosh_", "arccosh_", "asinh_", "arcsinh_", "atanh_", "arctanh_"}  # not implemented there


def _in_place(m, t, name):
    """t.<name>() on a non-leaf; PyTorch's out-of-place method where it has no in-place gradient."""
    return getattr(t * 1, name if m is ag or name not in NO_TORCH_GRADIENT else name[:-1])()


@pytest.mark.parametrize("name", UNARY_IN_PLACE + POSITIVE_IN_PLACE)
def test_unary_in_place_matches_pytorch(name):
    x = POS + (1 if name in ("acosh_", "arccosh_") else 0) if name in POSITIVE_IN_PLACE else M
    # the values and the gradient through the change
    check(lambda m, t: _in_place(m, t, name), [x])
    check(lambda m, t: getattr(m, name)(t.detach().clone()), [x], grad=False)


def test_in_place_keeps_the_tensor_and_counts_a_version():
    x = ag.tensor([0.5, 2.0])
    before = x._version
    assert x.exp_() is x and x._version == before + 1
    np.testing.assert_allclose(x.numpy(), np.exp([0.5, 2.0]).astype(np.float32))


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.add(2, x, alpha=3),
        lambda m, x: m.sub(1, x, alpha=0.5),
        lambda m, x: m.mul(2.5, x),
        lambda m, x: m.div(1, x),
        lambda m, x: m.pow(2, x),
        lambda m, x: m.add(x, 1.5).sub(x, alpha=2).mul(x).div(x + 3),
        lambda m, x: (x * 1).add_(x, alpha=2).sub_(1).mul_(x).div_(2),
        lambda m, x: (x * 1).pow_(2).lerp_(x, 0.25).hypot_(x),
        lambda m, x: (x * 1).div_(0.3, rounding_mode="floor"),
        lambda m, x: m.div(x, 0.3, rounding_mode="trunc"),
        lambda m, x: m.div(3, x, rounding_mode="floor"),
    ],
)
def test_arithmetic_forms_with_numbers_first_and_options(fn):
    check(fn, [POS])


@pytest.mark.parametrize("mode", [None, "trunc", "floor"])
@pytest.mark.parametrize(
    "a, b",
    [(INTS, np.array([2, -2, 3, 5])), (INTS, 2), (INTS, np.array([2.5, -2.0, 0.5, 1.0])), (INTS * 0.5, -2)],
    ids=["int/int", "int/number", "int/float", "float/number"],
)
def test_div_rounding_modes_match_pytorch_in_value_and_dtype(a, b, mode):
    check(lambda m, x, y: m.div(x, y, rounding_mode=mode), [a, b], grad=False)
    check(lambda m, x, y: x.div(y, rounding_mode=mode), [a, b], grad=False)


def test_max_and_min_of_a_tensor_are_elementwise_as_in_pytorch():
    check(lambda m, x, y: (m.max(x, y), x.min(y)), [M, FLIPPED])


def test_the_comparison_and_logic_in_place_aliases_match_pytorch():
    check(lambda m, x: (x * 1).greater_(0.1).logical_not_(), [M])
    check(lambda m, x, y: x.clone().bitwise_and_(y).bitwise_xor_(y), [INTS, np.array([3, -2, 5, 1])], grad=False)


def test_bad_input_gets_our_errors():
    with pytest.raises(TypeError, match="argument 'input'"):
        torch.sum([1, 2])
    with pytest.raises(ag.ArgumentError, match=r"sum\(\): argument 'input' must be a Tensor, got list"):
        ag.sum([1, 2])
    with pytest.raises(ag.ArgumentError, match="div: rounding_mode must be None, 'trunc' or 'floor', got 'round'"):
        ag.div(ag.ones(2), 2, rounding_mode="round")
    leaf = ag.ones(2, requires_grad=True)
    with pytest.raises(ag.GraphError, match="exp_: a leaf tensor that requires grad cannot be changed in place"):
        leaf.exp_()
    with pytest.raises(ag.ShapeError, match=r"add_: an operand of shape \(3, 2\) does not broadcast to shape \(2,\)"):
        ag.zeros(2).add_(ag.zeros(3, 2))
