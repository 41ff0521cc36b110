"""The fused recurrent gates (autograd/gates/recurrent.py) against the composition of primitive
gates they replace, over drawn sizes, packed row counts and with or without bias: the same states
at every step and the same gradients (to rounding), gradcheck and gradgradcheck in float64."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
from autograd import gradcheck, gradgradcheck
from autograd.extend import gates

R = gates.recurrent
GATES = [(R.RNNTanhSequence, 1, 1), (R.RNNReluSequence, 1, 1), (R.GRUSequence, 3, 1), (R.LSTMSequence, 4, 2)]


@st.composite
def cases(draw):
    gate, chunks, states = draw(st.sampled_from(GATES))
    steps, batch, hidden = draw(st.integers(1, 4)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    packed = draw(st.booleans())
    lengths = sorted(draw(st.lists(st.integers(1, steps), min_size=batch, max_size=batch)), reverse=True)
    lengths[0] = steps
    sizes = [sum(n > t for n in lengths) for t in range(steps)] if packed else None
    return gate, chunks, states, steps, batch, hidden, sizes, draw(st.booleans()), draw(st.integers(0, 2**16))


def _inputs(chunks, states, steps, batch, hidden, bias, seed):
    rng = np.random.default_rng(seed)
    shapes = [(steps, batch, chunks * hidden)] + [(batch, hidden)] * states + [(chunks * hidden, hidden)]
    shapes += [(chunks * hidden,)] if bias else []
    return [
        ag.tensor(rng.normal(size=s) * (0.7 if len(s) == 2 and s[0] == chunks * hidden else 1), requires_grad=True)
        for s in shapes
    ]


@settings(max_examples=40, deadline=None)
@given(cases())
def test_fused_gate_is_the_composition(case):
    gate, chunks, states, steps, batch, hidden, sizes, bias, seed = case
    inputs = _inputs(chunks, states, steps, batch, hidden, bias, seed)
    state = tuple(inputs[1 : 1 + states]) if states > 1 else inputs[1]
    w_hh, b_hh = inputs[1 + states], inputs[2 + states] if bias else None
    fused = gate.apply(*inputs, sizes=sizes)
    composed = R.composed(gate.step, inputs[0], state, w_hh, b_hh, sizes)
    np.testing.assert_allclose(fused.numpy(), composed.numpy(), rtol=1e-12, atol=1e-13)
    cotangent = ag.tensor(np.random.default_rng(seed + 1).normal(size=fused.shape))
    for ours, theirs in zip(ag.grad((fused * cotangent).sum(), inputs), ag.grad((composed * cotangent).sum(), inputs)):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-11, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(cases())
def test_fused_gate_gradchecks_and_gradgradchecks(case):
    gate, chunks, states, steps, batch, hidden, sizes, bias, seed = case
    inputs = tuple(_inputs(chunks, states, steps, batch, hidden, bias, seed))
    assert gradcheck(lambda *xs: gate.apply(*xs, sizes=sizes), inputs)
    assert gradgradcheck(lambda *xs: gate.apply(*xs, sizes=sizes), inputs)


def test_rows_past_their_length_carry_their_state_and_gradient():
    a, h0, w = (
        ag.tensor(np.random.default_rng(0).normal(size=s), requires_grad=True) for s in [(3, 2, 2), (2, 2), (2, 2)]
    )
    hs = R.RNNTanhSequence.apply(a, h0, w, sizes=[2, 1, 1])
    np.testing.assert_array_equal(hs.numpy()[1, 1], hs.numpy()[0, 1])  # row 1 stopped after step 0
    np.testing.assert_array_equal(hs.numpy()[2, 1], hs.numpy()[0, 1])
    (da,) = ag.grad(hs[2, 1].sum(), [a])
    assert not da.numpy()[1:, 1].any() and da.numpy()[0, 1].any()  # its later steps take no gradient
