"""detect_anomaly(): the first NaN/Inf names its gate and the user code that created it.

The tests run with RuntimeWarnings as errors: inside the mode NumPy must not warn before the
AnomalyError is raised."""

import numpy as np
import pytest

import autograd as ag
from autograd import AnomalyError, Function, detect_anomaly
from autograd.anomaly import Anomaly

THIS_FILE = __file__.rsplit("/", 1)[-1]


def test_forward_nan_names_the_gate_and_the_creating_line():
    x = ag.tensor([1.0, -1.0, 4.0], dtype=np.float64)
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        x.log()  # the line the message must show
    msg = str(err.value)
    assert "Log's forward produced non-finite values (1 nan, 0 inf of 3 elements" in msg
    assert THIS_FILE in msg and "x.log()  # the line the message must show" in msg
    assert "function.py" not in msg  # engine frames are left out


def test_forward_notes_inputs_that_were_already_non_finite():
    x = ag.tensor([np.inf, 1.0])
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"Exp's forward .*0 nan, 1 inf.*; input 0 already held"):
        x.exp()
    with detect_anomaly(), pytest.raises(AnomalyError) as err:
        ag.tensor([0.0, 1.0]).log()
    assert "already held" not in str(err.value)


def test_backward_inf_names_the_gate_and_where_it_was_created():
    x = ag.tensor([0.0, 4.0], dtype=np.float64, requires_grad=True)
    with detect_anomaly():
        y = x.sqrt()  # forward finite; d/dx at 0 is infinite
        loss = y.sum()
        with pytest.raises(AnomalyError) as err:
            loss.backward()
    msg = str(err.value)
    assert "Pow's backward returned non-finite values in the gradient of input 0 (0 nan, 1 inf of 2" in msg
    assert "its upstream was finite" in msg
    assert THIS_FILE in msg and "y = x.sqrt()  # forward finite" in msg
    assert x.grad is None  # stopped before the gradient reached the leaf


def test_backward_check_covers_custom_functions():
    class BadGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * float("nan")

    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    with detect_anomaly():
        y = BadGrad.apply(x)
        with pytest.raises(AnomalyError, match=r"BadGrad's backward returned non-finite .*2 nan, 0 inf") as err:
            y.sum().backward()
    assert "y = BadGrad.apply(x)" in str(err.value)


def test_gate_recorded_outside_the_mode_says_its_origin_is_unknown():
    x = ag.tensor([0.0], dtype=np.float64, requires_grad=True)
    y = x.sqrt().sum()
    assert y.grad_fn.trace is None  # nothing recorded outside the mode
    with detect_anomaly(), pytest.raises(AnomalyError, match="created outside detect_anomaly()"):
        y.backward()


def test_outside_the_mode_non_finite_values_pass_silently():
    x = ag.tensor([0.0], dtype=np.float64, requires_grad=True)
    with np.errstate(divide="ignore"):
        x.sqrt().sum().backward()
    assert np.isinf(x.grad.numpy()[0])


def test_mode_nests_restores_and_works_as_a_decorator():
    assert not Anomaly.enabled
    with detect_anomaly():
        with detect_anomaly():
            assert Anomaly.enabled
        assert Anomaly.enabled
        with pytest.raises(AnomalyError):
            ag.tensor([0.0]).reciprocal()
        assert Anomaly.enabled
    assert not Anomaly.enabled

    @detect_anomaly()
    def traced():
        return Anomaly.enabled, ag.tensor([1.0], requires_grad=True).exp().grad_fn.trace

    enabled, trace = traced()
    assert enabled and not Anomaly.enabled
    assert any(frame.name == "traced" for frame in trace)


def test_finite_computation_is_unchanged_in_the_mode():
    x = ag.tensor([[1.0, -2.0], [3.0, 0.5]], dtype=np.float64, requires_grad=True)
    with detect_anomaly():
        (x.tanh() * x).log_softmax(1).sum().backward()
    expected = x.grad.numpy().copy()
    x.grad = None
    (x.tanh() * x).log_softmax(1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), expected)
