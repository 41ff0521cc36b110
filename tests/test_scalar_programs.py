"""Random Scalar programs (every Scalar gate, values reused, constants on either side) against the
same program on float64 0-d Tensors: the same values and input gradients; and the backward trace
never changes a gradient (a trace alone fills them as backward() does; a trace after backward()
adds nothing)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import Scalar

# Each instruction reads earlier values a = v[i], b = v[j] and a constant c, and appends one value.
# Arguments are kept inside each gate's domain: divisors, logs and exps read positive or bounded values.
INSTRUCTIONS = {
    "add": lambda a, b, c: a + b,
    "sub": lambda a, b, c: a - b,
    "mul": lambda a, b, c: a * b,
    "div": lambda a, b, c: a / (b * b + 1),
    "radd": lambda a, b, c: c + a,
    "rsub": lambda a, b, c: c - a,
    "rmul": lambda a, b, c: c * a,
    "rdiv": lambda a, b, c: c / (a * a + 0.5),
    "sub_const": lambda a, b, c: a - c,
    "div_const": lambda a, b, c: a / (abs(c) + 0.5),
    "neg": lambda a, b, c: -a,
    "pow": lambda a, b, c: a**2,
    "cube": lambda a, b, c: a.tanh() ** 3,
    "exp": lambda a, b, c: a.tanh().exp(),
    "log": lambda a, b, c: (a * a + 1).log(),
    "reciprocal": lambda a, b, c: (a * a + 1).reciprocal(),
    "sigmoid": lambda a, b, c: a.sigmoid(),
    "tanh": lambda a, b, c: a.tanh(),
    "relu": lambda a, b, c: a.relu(),
    "maximum": lambda a, b, c: a.maximum(b),
}


@st.composite
def programs(draw):
    n_inputs = draw(st.integers(1, 3))
    inputs = draw(st.lists(st.floats(-2, 2).filter(lambda v: abs(v) > 1e-3), min_size=n_inputs, max_size=n_inputs))
    steps = []
    for k in range(draw(st.integers(1, 10))):
        available = n_inputs + k
        steps.append(
            (
                draw(st.sampled_from(sorted(INSTRUCTIONS))),
                draw(st.integers(0, available - 1)),
                draw(st.integers(0, available - 1)),
                draw(st.floats(-2, 2)),
            )
        )
    return inputs, steps


def run(program, leaf):
    """The inputs as leaves, the program's values, and the sum of the last two (so reuse counts)."""
    inputs, steps = program
    values = [leaf(v) for v in inputs]
    for name, i, j, c in steps:
        values.append(INSTRUCTIONS[name](values[i], values[j], c))
    return values[: len(inputs)], values[-1] + values[-2] if len(values) > 1 else values[-1] * 1.0


def well_separated(program):
    """No maximum of (near-)equal values and no relu at (near) 0, where the gradient is a choice."""
    inputs, steps = program
    values = [float(v) for v in inputs]
    for name, i, j, c in steps:
        a, b = values[i], values[j]
        if (name == "maximum" and i != j and abs(a - b) < 1e-6) or (name == "relu" and abs(a) < 1e-6):
            return False
        values.append(float(INSTRUCTIONS[name](ag.tensor(a, dtype=np.float64), ag.tensor(b, dtype=np.float64), c)))
    return True


def tensor_leaf(v):
    return ag.tensor(v, dtype=np.float64, requires_grad=True)


@settings(max_examples=150, deadline=None)
@given(programs())
def test_scalar_programs_give_the_float64_tensor_gradients(program):
    assume(well_separated(program))
    scalars, s_out = run(program, Scalar)
    tensors, t_out = run(program, tensor_leaf)
    assert s_out.data == pytest.approx(float(t_out), rel=1e-12, abs=1e-12)
    s_out.backward()
    t_out.backward()
    for s, t in zip(scalars, tensors):
        expected = 0.0 if t.grad is None else float(t.grad)
        assert s.grad == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(programs())
def test_the_trace_never_changes_a_gradient(program):
    assume(well_separated(program))
    scalars, out = run(program, Scalar)
    out.backward()
    once = [s.grad for s in scalars]
    fresh_scalars, fresh_out = run(program, Scalar)
    ag.trace_backward(fresh_out)  # a trace alone: as one backward()
    assert [s.grad for s in fresh_scalars] == once
    ag.trace_backward(out)  # a trace after backward(): adds nothing
    assert [s.grad for s in scalars] == once
    tensors, t_out = run(program, tensor_leaf)
    t_out.backward(retain_graph=True)
    before = [None if t.grad is None else float(t.grad) for t in tensors]
    ag.trace_backward(t_out)
    assert [None if t.grad is None else float(t.grad) for t in tensors] == before
