"""nn.utils against torch.nn.utils: gradient clipping (the returned norm's value and dtype, the clipped
gradients, the 1e-6 epsilon and the clamp at 1, NaN and infinite norms) and parameters ↔ vector."""

import warnings

import numpy as np
import pytest
import torch

import autograd as ag
import nn
from autograd.errors import ArgumentError, ShapeError
from nn.utils import (
    NonFiniteNormError,
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
    parameters_to_vector,
    vector_to_parameters,
)
from tests.parity import as_numpy

RNG = np.random.default_rng(7)
GRADS = [RNG.normal(size=(3, 4)), RNG.normal(size=5) * 3, RNG.normal(size=(2, 1, 2))]


def _params(m, grads, dtypes=None):
    """Parameters whose .grad are `grads` (float32 unless `dtypes`), plus one without a gradient."""
    dtypes = dtypes or ["float32"] * len(grads)
    params = []
    for g, dt in zip(grads, dtypes):
        p = m.zeros(g.shape, dtype=getattr(m, dt), requires_grad=True)
        p.grad = m.tensor(np.asarray(g, dtype=dt))
        params.append(p)
    return [*params, m.zeros(2, requires_grad=True)]


def _clip_norm(m, grads, max_norm, norm_type, dtypes=None):
    params = _params(m, grads, dtypes)
    total = m.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type, foreach=None)
    return total, [p.grad for p in params[:-1]]


def _same(ours, theirs, rtol=1e-6):
    (a_total, a_grads), (b_total, b_grads) = ours, theirs
    assert str(a_total.dtype) == str(b_total.dtype).removeprefix("torch.")
    np.testing.assert_allclose(as_numpy(a_total), as_numpy(b_total), rtol=rtol, equal_nan=True)
    for a, b in zip(a_grads, b_grads):
        assert str(a.dtype) == str(b.dtype).removeprefix("torch.")
        np.testing.assert_allclose(as_numpy(a), as_numpy(b), rtol=rtol, atol=1e-7, equal_nan=True)


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, 0, float("inf"), -float("inf"), -1.5, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 4.0, 1e3])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours = _clip_norm(ag, GRADS, max_norm, float(norm_type))
    theirs = _clip_norm(torch, GRADS, max_norm, float(norm_type))
    _same(ours, theirs)


def test_clip_grad_norm_mixed_dtypes_and_float64_match_torch():
    for dtypes in (["float64"] * 3, ["float32", "float64", "float32"]):
        rtol = 1e-12 if "float32" not in dtypes else 1e-7  # PyTorch's float32 norms are within an ulp of ours
        _same(_clip_norm(ag, GRADS, 1.0, 2.0, dtypes), _clip_norm(torch, GRADS, 1.0, 2.0, dtypes), rtol=rtol)


def test_clip_at_the_norm_uses_the_epsilon_as_torch():
    """max_norm equal to the norm: the coefficient is max_norm/(norm + 1e-6), just below 1, as PyTorch's."""
    g = [np.array([3.0, 4.0])]
    ours, theirs = _clip_norm(ag, g, 5.0, 2.0, ["float64"]), _clip_norm(torch, g, 5.0, 2.0, ["float64"])
    _same(ours, theirs, rtol=1e-15)
    assert ours[1][0].numpy()[0] == pytest.approx(3 * 5 / (5 + 1e-6), rel=1e-15) and ours[1][0].numpy()[0] < 3.0


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_norm_clips_as_torch_or_raises_our_error(bad):
    g = [np.array([bad, 1.0]), np.array([2.0])]
    _same(_clip_norm(ag, g, 1.0, 2.0), _clip_norm(torch, g, 1.0, 2.0))
    with pytest.raises(NonFiniteNormError, match=r"total norm of order 2.0 .* is (nan|inf).*error_if_nonfinite=False"):
        clip_grad_norm_(_params(ag, g), 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError):
        torch.nn.utils.clip_grad_norm_(_params(torch, g), 1.0, error_if_nonfinite=True)
    assert issubclass(NonFiniteNormError, RuntimeError)


def test_no_gradients_gives_a_float32_zero_as_torch():
    for m in (ag, torch):
        assert m.nn.utils.clip_grad_norm_([m.zeros(2, requires_grad=True)], 1.0).dtype == m.float32
    assert clip_grad_norm_([], 1.0).item() == 0.0


def test_empty_generator_warns_as_torch():
    for m in (ag, torch):
        with pytest.warns(UserWarning, match="empty generator"):
            m.nn.utils.clip_grad_norm_((p for p in []), 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clip_grad_norm_([], 1.0)


def test_get_total_norm_then_clip_grads_with_norm_is_clip_grad_norm_():
    for m in (ag, torch):
        params = _params(m, GRADS)
        total = m.nn.utils.get_total_norm([p.grad for p in params[:-1]], 3.0)
        m.nn.utils.clip_grads_with_norm_(params, 2.0, total, foreach=True)
        expected = _clip_norm(m, GRADS, 2.0, 3.0)
        np.testing.assert_allclose(as_numpy(total), as_numpy(expected[0]), rtol=1e-6)
        for p, g in zip(params, expected[1]):
            np.testing.assert_allclose(as_numpy(p.grad), as_numpy(g), rtol=1e-6)
    assert float(get_total_norm(ag.tensor([3.0, 4.0]))) == 5.0


def test_clipping_changes_the_gradient_in_place_as_torch():
    for m in (ag, torch):
        params = _params(m, GRADS)
        before = params[0].grad
        m.nn.utils.clip_grad_norm_(params, 0.1)
        assert params[0].grad is before
        m.nn.utils.clip_grad_value_(params, 0.01)
        assert params[0].grad is before
        assert float(abs(before).max()) <= 0.01 + 1e-9


@pytest.mark.parametrize("clip_value", [0.0, 0.3, 2, 10.0])
def test_clip_grad_value_matches_torch(clip_value):
    g = [*GRADS, np.array([np.nan, -np.inf, np.inf])]
    results = []
    for m in (ag, torch):
        params = _params(m, g)
        assert m.nn.utils.clip_grad_value_(params, clip_value, foreach=False) is None
        results.append([as_numpy(p.grad) for p in params[:-1]])
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype


def test_parameters_to_vector_and_back_match_torch_and_share_memory():
    state = nn.Linear(3, 2).state_dict()
    ours, theirs = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    ours.load_state_dict(state)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in state.items()})
    a, b = parameters_to_vector(ours.parameters()), torch.nn.utils.parameters_to_vector(theirs.parameters())
    np.testing.assert_array_equal(a.numpy(), b.detach().numpy())
    vec = np.arange(8.0, dtype=np.float32)
    vector_to_parameters(ag.tensor(vec), ours.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(vec), theirs.parameters())
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_array_equal(p.numpy(), q.detach().numpy(), err_msg=name)
    shared = ag.tensor(np.zeros(9, dtype=np.float32))  # one entry more than needed: unused, as PyTorch
    vector_to_parameters(shared, ours.parameters())
    shared.numpy()[:] = 1
    assert ours.weight.numpy().tolist() == [[1.0] * 3] * 2


def test_parameters_to_vector_is_differentiable():
    w = ag.tensor(RNG.normal(size=(2, 3)), requires_grad=True)
    b = ag.tensor(RNG.normal(size=2), requires_grad=True)
    assert ag.gradcheck(lambda w, b: parameters_to_vector([w, b]) ** 2, (w, b))
    (parameters_to_vector([w, b]) * ag.arange(8.0, dtype=ag.float64)).sum().backward()
    assert w.grad.numpy().tolist() == [[0, 1, 2], [3, 4, 5]] and b.grad.numpy().tolist() == [6, 7]


def test_convert_parameters_errors_are_ours():
    lin = nn.Linear(3, 2)
    with pytest.raises(ArgumentError, match="expected a Tensor as vec, got list"):
        vector_to_parameters([1.0] * 8, lin.parameters())
    with pytest.raises(ShapeError, match="vec has 5 entries, too few for parameter 0 of shape \\(2, 3\\)"):
        vector_to_parameters(ag.zeros(5), lin.parameters())
    with pytest.raises(ShapeError, match="must be 1-d"):
        vector_to_parameters(ag.zeros(2, 4), lin.parameters())
    with pytest.raises(ArgumentError, match="parameter 1 is a list"):
        parameters_to_vector([lin.weight, [1.0]])
    with pytest.raises(ArgumentError, match="no parameters"):
        parameters_to_vector([])


def test_clip_grad_old_import_path_still_works():
    from nn.utils.clip_grad import clip_grad_norm_ as deep

    assert deep is clip_grad_norm_ and nn.utils.clip_grad_value_ is clip_grad_value_
    assert clip_grads_with_norm_ is nn.utils.clip_grads_with_norm_
