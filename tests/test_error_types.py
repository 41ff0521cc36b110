"""Bad input gets the exact `AutogradError` subclass that fits it (not merely its builtin base),
with a message naming the call, the values or shapes, and what was expected: one representative
case per module that raises them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import autograd as ag
from autograd import Scalar, Tensor
from autograd.errors import ArgumentError, AutogradError, DomainError, ShapeError


@contextmanager
def exactly(error: type[AutogradError], match: str) -> Iterator[pytest.ExceptionInfo]:
    """`pytest.raises(error, match=match)` that also refuses a subclass: the type must be `error`."""
    with pytest.raises(error, match=match) as info:
        yield info
    assert type(info.value) is error, f"expected {error.__name__}, got {type(info.value).__name__}"


def leaf(values):
    return ag.tensor(values, dtype=ag.float64, requires_grad=True)


# ---- autograd -------------------------------------------------------------------------------------


def test_grad_counts_outputs_against_grad_outputs():
    x = leaf([1.0, 2.0])
    with exactly(ShapeError, r"grad: 1 outputs but 2 grad_outputs; expected one gradient per output"):
        ag.grad(x * 2, x, grad_outputs=[ag.ones(2), ag.ones(2)])


def test_grad_create_graph_takes_tensors_only():
    a = Scalar(2.0)
    with exactly(ArgumentError, r"grad: create_graph=True records the backward pass for Tensors only"):
        ag.grad(a * a, a, create_graph=True)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(rankdir="sideways"), r"draw: rankdir must be one of .*got 'sideways'"),
        (dict(max_nodes=2), r"draw: max_nodes must be at least 3 .*got 2"),
        (dict(precision=-1), r"draw: precision must be a non-negative integer, got -1"),
        (dict(number_format="q"), r"draw: number_format must be one of .*got 'q'"),
    ],
)
def test_draw_options_outside_their_domain(kwargs, match):
    x = leaf([1.0])
    with exactly(DomainError, match):
        ag.draw(x * 2, **kwargs)


def test_no_grad_with_an_argument_that_is_not_a_function():
    with exactly(ArgumentError, r"no_grad\(\) takes no arguments; as a decorator it wraps a function, not 3"):
        ag.no_grad(3)


def test_gradcheck_needs_an_input_that_requires_grad():
    with exactly(DomainError, r"gradcheck: no input requires grad; expected at least one input"):
        ag.gradcheck(Tensor.exp, ag.tensor([1.0], dtype=ag.float64))


def test_gradgradcheck_takes_tensors_only():
    with exactly(ArgumentError, r"gradgradcheck: .*Tensors only; got inputs of type \['Tensor', 'float'\]"):
        ag.gradgradcheck(lambda a, b: a * b, (leaf([1.0]), 2.0))


def test_trace_backward_needs_a_root_that_requires_grad():
    with exactly(DomainError, r"trace_backward: the root does not require grad"):
        ag.trace_backward(ag.tensor(1.0))


def test_conv2d_gate_groups_must_divide_the_channels():
    x = ag.zeros(1, 3, 5, 5)
    w = ag.zeros(4, 1, 3, 3)
    with exactly(ShapeError, r"conv2d: groups=2 must divide both C_in=3 and C_out=4"):
        ag.conv2d(x, w, groups=2)
    with exactly(ShapeError, r"conv2d: groups must be a positive int, got 0"):
        ag.conv2d(x, w, groups=0)
