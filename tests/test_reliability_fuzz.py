"""Random-program fuzzing: Hypothesis writes small programs from the gates (random shapes with
broadcasting, unary / binary / reduction / shape ops, intermediate values reused) and every
input's gradient is checked against central differences in float64.

A program is a list of steps; each step applies one op to values made before it (inputs or
earlier results), so values get reused. Every value is an output, so gradcheck (a random
projection of each output) checks the gradient along every path. Values stay well-conditioned:
log, sqrt, reciprocal and pow see x² + c > 0, exp sees tanh x, and no op has a kink.
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import gradcheck
from autograd.testing import arrays, broadcastable_shapes

MAX_SIZE = 48  # elements per value: keeps central differences cheap


def unary(fn):
    return lambda draw, shapes, i: ((i,), None), lambda ops, _: fn(*ops)


def over_dim(fn, keep=True, min_len=1):
    """An op over one dim of a value with at least one dim (of length >= min_len)."""

    def propose(draw, shapes, i):
        dims = [d for d, n in enumerate(shapes[i]) if n >= min_len]
        if not dims:
            return None
        return (i,), (draw(st.sampled_from(dims)), draw(st.booleans()) if keep else None)

    return propose, lambda ops, p: fn(ops[0], *p)


def binary(fn):
    def propose(draw, shapes, i):
        j = draw(st.integers(0, len(shapes) - 1))
        try:
            np.broadcast_shapes(shapes[i], shapes[j])
        except ValueError:
            j = i  # reuse the same value for both operands
        return (i, j), None

    return propose, lambda ops, _: fn(*ops)


def propose_where(draw, shapes, i):
    (i, j), _ = binary(None)[0](draw, shapes, i)
    shape = np.broadcast_shapes(shapes[i], shapes[j])
    return (i, j), draw(arrays(shape, low=-1, high=1)) > 0


def propose_index(draw, shapes, i):
    shape = shapes[i]
    if not shape or shape[0] == 0:
        return None
    kind = draw(st.sampled_from(["repeats", "slice", "mask"]))
    if kind == "repeats":  # an integer array with repeated entries: scatter must add
        return (i,), np.array(draw(st.lists(st.integers(0, shape[0] - 1), min_size=1, max_size=4)))
    if kind == "slice":
        return (i,), (slice(None, None, -1),) + (slice(1, None),) * (len(shape) > 1)
    mask = draw(arrays((shape[0],), low=-1, high=1)) > 0
    return ((i,), mask) if mask.any() else None


def propose_permute(draw, shapes, i):
    return ((i,), tuple(draw(st.permutations(range(len(shapes[i])))))) if len(shapes[i]) >= 2 else None


def propose_cat(draw, shapes, i):
    if not shapes[i]:
        return None
    d = draw(st.integers(0, len(shapes[i]) - 1))
    fits = [
        j
        for j, s in enumerate(shapes)
        if len(s) == len(shapes[i]) and s[:d] + s[d + 1 :] == shapes[i][:d] + shapes[i][d + 1 :]
    ]
    return (i, draw(st.sampled_from(fits))), d


def propose_matmul(draw, shapes, i):
    """x @ (a vector or matrix that fits), or x @ xᵀ when none does."""
    s = shapes[i]
    if not s:
        return None
    fits = [j for j, t in enumerate(shapes) if len(t) in (1, 2) and t[0] == s[-1]]
    return ((i, draw(st.sampled_from(fits))), None) if fits else ((i, i), "transposed")


def run_matmul(ops, how):
    a, b = ops
    return a @ (a.mT if a.ndim >= 2 else a) if how == "transposed" else a @ b


OPS: dict[str, tuple[Any, Any]] = {
    "neg": unary(lambda a: -a),
    "tanh": unary(lambda a: a.tanh()),
    "sigmoid": unary(lambda a: a.sigmoid()),
    "exp": unary(lambda a: a.tanh().exp()),
    "log": unary(lambda a: (a * a + 1).log()),
    "sqrt": unary(lambda a: (a * a + 1).sqrt()),
    "reciprocal": unary(lambda a: (a * a + 1).reciprocal()),
    "pow": unary(lambda a: (a * a + 0.5) ** 1.5),
    "number_pow": unary(lambda a: 1.5 ** a.tanh()),
    "affine": unary(lambda a: 0.75 * a - 0.25),
    "add": binary(lambda a, b: a + b),
    "sub": binary(lambda a, b: a - b),
    "mul": binary(lambda a, b: a * b),
    "div": binary(lambda a, b: a / (b * b + 1)),
    "where": (propose_where, lambda ops, mask: ag.where(mask, ops[0], ops[1])),
    "sum": over_dim(lambda a, d, k: a.sum(d, keepdim=k)),
    "sum_all": unary(lambda a: a.sum()),
    "mean": over_dim(lambda a, d, k: a.mean(d, keepdim=k)),
    "var": over_dim(lambda a, d, k: a.var(d, keepdim=k), min_len=2),
    "logsumexp": over_dim(lambda a, d, k: a.logsumexp(d, keepdim=k)),
    "softmax": over_dim(lambda a, d, _: a.softmax(d), keep=False),
    "log_softmax": over_dim(lambda a, d, _: a.log_softmax(d), keep=False),
    "flatten": unary(lambda a: a.flatten()),
    "unsqueeze": (
        lambda draw, shapes, i: ((i,), draw(st.integers(0, len(shapes[i])))),
        lambda ops, d: ops[0].unsqueeze(d),
    ),
    "permute": (propose_permute, lambda ops, order: ops[0].permute(order)),
    "expand": unary(lambda a: a.expand((2,) + a.shape)),
    "index": (propose_index, lambda ops, index: ops[0][index]),
    "cat": (propose_cat, lambda ops, d: ag.cat(list(ops), d)),
    "stack": (lambda draw, shapes, i: ((i, i), None), lambda ops, _: ag.stack([ops[0], ops[1] * 0.5])),
    "pad": (lambda draw, shapes, i: ((i,), None) if shapes[i] else None, lambda ops, _: ag.pad(ops[0], (1, 2), 0.5)),
    "matmul": (propose_matmul, run_matmul),
}


@dataclass
class Step:
    op: str
    operands: tuple[int, ...]
    params: Any


def execute(steps, inputs):
    values = list(inputs)
    for step in steps:
        values.append(OPS[step.op][1]([values[k] for k in step.operands], step.params))
    return tuple(values[len(inputs) :])


@st.composite
def programs(draw):
    count = draw(st.integers(1, 3))
    shapes = list(draw(broadcastable_shapes(count, min_dims=0, max_dims=3, max_side=3)))
    inputs = [ag.tensor(draw(arrays(s, low=-2, high=2)), requires_grad=True) for s in shapes]
    steps = []
    for _ in range(draw(st.integers(3, 8))):
        op = draw(st.sampled_from(sorted(OPS)))
        proposal = OPS[op][0](draw, shapes, draw(st.integers(0, len(shapes) - 1)))
        if proposal is None:
            continue
        step = Step(op, *proposal)
        with ag.no_grad():  # the shape of the new value, from zeros
            shape = OPS[op][1]([ag.zeros(shapes[k], dtype=np.float64) for k in step.operands], step.params).shape
        if int(np.prod(shape)) > MAX_SIZE or len(shape) > 4:
            continue
        steps.append(step)
        shapes.append(shape)
    assume(steps)
    return inputs, steps


# One program exercises a handful of the ~30 ops, so this test runs ten times the profile's examples
# (300 under `ci`, about 3 s).
@settings(max_examples=10 * settings.default.max_examples)
@given(programs())
def test_random_programs_match_central_differences(program):
    inputs, steps = program
    note(f"inputs {[x.shape for x in inputs]}; steps {steps}")
    values = execute(steps, inputs)
    assume(all(np.abs(v.numpy()).max(initial=0) < 1e3 for v in values))  # no blow-up from repeated products
    assert gradcheck(lambda *xs: execute(steps, xs), inputs)
