"""autograd.random_ops against PyTorch. Random values cannot be PyTorch's (NumPy's generators draw
them), so each function is compared on what can agree: dtypes, shapes and ranges of the draws, their
statistics (means and variances within a few standard errors over 20,000 draws with a fixed seed, on
both sides), the errors PyTorch raises, the in-place rules, and that one seed gives the same draws."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import autograd as ag
import autograd.random_ops as R

N = 20_000
EXPECTED = ["Generator", "bernoulli", "multinomial", "normal", "poisson",
            "uniform_", "normal_", "bernoulli_", "exponential_", "random_"]  # fmt: skip


def gen(seed=0):
    return R.Generator().manual_seed(seed)


def tgen(seed=0):
    return torch.Generator().manual_seed(seed)


def dtype_name(t):
    return str(t.dtype).removeprefix("torch.")


def assert_mean(values, mean, sd, sigmas=4.0):
    """The sample mean within `sigmas` standard errors of `mean` (sd: one draw's standard deviation)."""
    values = np.asarray(values, dtype=np.float64)
    se = sd / np.sqrt(values.size)
    assert abs(values.mean() - mean) <= sigmas * se + 1e-12, f"mean {values.mean()} vs {mean} ± {sigmas}·{se}"


def both_mean(ours, theirs, mean, sd):
    assert_mean(ours, mean, sd)
    assert_mean(theirs, mean, sd)


def test_all_lists_exactly_the_functions():
    assert R.__all__ == EXPECTED
    assert all(callable(getattr(R, name)) for name in R.__all__)


# ---- Generator --------------------------------------------------------------------------------------


def test_generator_behaves_as_torch_generator():
    g, t = R.Generator(), torch.Generator()
    assert g.initial_seed() == t.initial_seed() == R.DEFAULT_SEED
    assert g.manual_seed(5) is g and t.manual_seed(5) is t
    assert g.initial_seed() == t.initial_seed() == 5
    assert g.manual_seed(-1).initial_seed() == t.manual_seed(-1).initial_seed() == 2**64 - 1
    s = g.seed()
    assert isinstance(s, int) and g.initial_seed() == s and 0 <= s < 2**64
    assert g.device == ag.device("cpu")
    with pytest.raises(ag.ArgumentError, match="seed must be an integer"):
        g.manual_seed(1.5)
    with pytest.raises(ag.DeviceError):
        R.Generator("cuda")


def test_same_seed_same_draws_and_state_round_trips():
    draws = lambda g: [  # noqa: E731
        R.bernoulli(ag.full((50,), 0.5), generator=g).tolist(),
        R.multinomial(ag.ones(2, 10), 3, generator=g).tolist(),
        R.multinomial(ag.ones(10), 30, True, generator=g).tolist(),
        R.normal(0.0, 1.0, (20,), generator=g).tolist(),
        R.poisson(ag.full((20,), 3.0), generator=g).tolist(),
        R.uniform_(ag.zeros(20), generator=g).tolist(),
        R.normal_(ag.zeros(20), generator=g).tolist(),
        R.bernoulli_(ag.zeros(20), generator=g).tolist(),
        R.exponential_(ag.zeros(20), generator=g).tolist(),
        R.random_(ag.zeros(20, dtype="int64"), 0, 100, generator=g).tolist(),
    ]
    assert draws(gen(7)) == draws(gen(7))
    assert draws(gen(7)) != draws(gen(8))
    assert draws(R.Generator()) == draws(R.Generator())  # unseeded: PyTorch's fixed default seed
    g = gen(3)
    state = g.get_state()
    first = R.normal(0.0, 1.0, (5,), generator=g).tolist()
    assert R.normal(0.0, 1.0, (5,), generator=g.set_state(state)).tolist() == first


def test_as_numpy_generator_accepts_ours_numpy_and_none():
    g = gen(1)
    assert R.as_numpy_generator(g) is g.numpy_generator
    rng = np.random.default_rng(0)
    assert R.as_numpy_generator(rng) is rng
    ag.manual_seed(4)
    assert R.as_numpy_generator(None) is ag.factories.default_generator()
    with pytest.raises(ag.ArgumentError, match="rand: generator must be an autograd.Generator or a numpy"):
        R.as_numpy_generator(torch.Generator(), "rand")


def test_a_numpy_generator_and_the_default_one_draw_too():
    a = R.normal(0.0, 1.0, (5,), generator=np.random.default_rng(2)).tolist()
    assert a == R.normal(0.0, 1.0, (5,), generator=np.random.default_rng(2)).tolist()
    ag.manual_seed(9)
    b = R.normal(0.0, 1.0, (5,)).tolist()
    ag.manual_seed(9)
    assert R.normal(0.0, 1.0, (5,)).tolist() == b


# ---- bernoulli --------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bernoulli_of_probabilities(dtype):
    p = np.linspace(0, 1, 5).repeat(N // 5)
    ours = R.bernoulli(ag.tensor(p, dtype=dtype), generator=gen())
    theirs = torch.bernoulli(torch.tensor(p, dtype=getattr(torch, dtype)), generator=tgen())
    assert dtype_name(ours) == dtype_name(theirs) == dtype and ours.shape == tuple(theirs.shape)
    assert set(np.unique(ours.numpy())) <= {0.0, 1.0}
    for k, pk in enumerate(np.linspace(0, 1, 5)):
        part = slice(k * (N // 5), (k + 1) * (N // 5))
        both_mean(ours.numpy()[part], theirs.numpy()[part], pk, np.sqrt(pk * (1 - pk)))
    assert ours.numpy()[: N // 5].max() == 0 and ours.numpy()[-N // 5 :].min() == 1  # p = 0 and p = 1 exactly


@pytest.mark.parametrize("dtype", ["float64", "int64", "bool"])
def test_bernoulli_with_p_keeps_any_dtype(dtype):
    x = np.zeros((N // 10, 10))
    ours = R.bernoulli(ag.tensor(x, dtype=dtype), 0.3, generator=gen())
    theirs = torch.bernoulli(torch.tensor(x).to(getattr(torch, dtype)), 0.3, generator=tgen())
    assert dtype_name(ours) == dtype_name(theirs) and ours.shape == tuple(theirs.shape)
    both_mean(ours.numpy(), theirs.numpy(), 0.3, np.sqrt(0.21))


def test_bernoulli_result_is_outside_the_graph():
    p = ag.full((4,), 0.5, requires_grad=True)
    assert not R.bernoulli(p).requires_grad


@pytest.mark.parametrize(
    "args, torch_error, ours_error",
    [
        (([1.5],), RuntimeError, ag.DomainError),
        (([float("nan")],), RuntimeError, ag.DomainError),
        (([-0.1],), RuntimeError, ag.DomainError),
        (([0.5], 1.5), RuntimeError, ag.DomainError),
        (([0.5], -0.5), RuntimeError, ag.DomainError),
    ],
)
def test_bernoulli_errors(args, torch_error, ours_error):
    x, *p = args
    with pytest.raises(torch_error):
        torch.bernoulli(torch.tensor(x), *p)
    with pytest.raises(ours_error, match="bernoulli"):
        R.bernoulli(ag.tensor(x), *p)
    with pytest.raises(NotImplementedError):
        torch.bernoulli(torch.tensor([1, 0]))
    with pytest.raises(ag.DTypeError, match="bernoulli: not implemented for int64"):
        R.bernoulli(ag.tensor([1, 0]))
    with pytest.raises(ag.ArgumentError, match="'input' must be a Tensor"):
        R.bernoulli(0.5)


# ---- multinomial ------------------------------------------------------------------------------------


def category_frequencies(drawn, categories):
    return np.bincount(np.asarray(drawn).ravel(), minlength=categories) / np.asarray(drawn).size


def test_multinomial_with_replacement():
    w = np.array([1.0, 0.0, 3.0, 6.0])
    ours = R.multinomial(ag.tensor(w), N, replacement=True, generator=gen())
    theirs = torch.multinomial(torch.tensor(w), N, replacement=True, generator=tgen())
    assert dtype_name(ours) == dtype_name(theirs) == "int64" and ours.shape == tuple(theirs.shape) == (N,)
    p = w / w.sum()
    for o, t in ((ours, theirs),):
        for k in range(4):
            both_mean(o.numpy() == k, t.numpy() == k, p[k], np.sqrt(p[k] * (1 - p[k])))
    assert not (ours.numpy() == 1).any()  # a zero weight is never drawn


def test_multinomial_rows_and_without_replacement():
    w = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 5.0, 0.0, 5.0]])
    rows = np.repeat(w, N // 2, axis=0)
    ours = R.multinomial(ag.tensor(rows, dtype="float32"), 2, generator=gen())
    theirs = torch.multinomial(torch.tensor(rows, dtype=torch.float32), 2, generator=tgen())
    assert dtype_name(ours) == dtype_name(theirs) == "int64" and ours.shape == tuple(theirs.shape) == (N, 2)
    o, t = ours.numpy(), theirs.numpy()
    assert (o[:, 0] != o[:, 1]).all()  # no category twice in a row
    # the first draw follows the weights; without replacement the second follows the rest
    first = w[0] / w[0].sum()
    for k in range(4):
        both_mean(o[: N // 2, 0] == k, t[: N // 2, 0] == k, first[k], np.sqrt(first[k] * (1 - first[k])))
    second_given = np.array([sum(first[j] * (w[0][k] / (w[0].sum() - w[0][j])) for j in range(4) if j != k)
                             for k in range(4)])  # fmt: skip
    for k in range(4):
        both_mean(
            o[: N // 2, 1] == k, t[: N // 2, 1] == k, second_given[k], np.sqrt(second_given[k] * (1 - second_given[k]))
        )
    assert set(np.unique(o[N // 2 :])) == {1, 3}  # the zero weights are never reached with 2 draws


def test_multinomial_zero_weights_come_last_as_torch():
    w = [1.0, 0.0, 0.0, 2.0]
    ours = R.multinomial(ag.tensor(w), 4, generator=gen()).numpy()
    theirs = torch.multinomial(torch.tensor(w), 4, generator=tgen()).numpy()
    assert set(ours[:2]) == set(theirs[:2]) == {0, 3} and set(ours[2:]) == set(theirs[2:]) == {1, 2}


@pytest.mark.parametrize(
    "w, n, replacement, ours_error",
    [
        ([1.0, -2.0], 1, False, ag.DomainError),
        ([1.0, float("inf")], 1, False, ag.DomainError),
        ([1.0, float("nan")], 1, True, ag.DomainError),
        ([0.0, 0.0], 1, True, ag.DomainError),
        ([[1.0, 1.0], [0.0, 0.0]], 1, False, ag.DomainError),
        ([1.0, 2.0], 3, False, ag.ShapeError),
        ([1.0, 2.0], 0, True, ag.ShapeError),
        (1.0, 1, False, ag.ShapeError),
        (np.ones((2, 2, 2)).tolist(), 1, False, ag.ShapeError),
    ],
)
def test_multinomial_errors(w, n, replacement, ours_error):
    with pytest.raises(RuntimeError):
        torch.multinomial(torch.tensor(w), n, replacement)
    with pytest.raises(ours_error, match="multinomial"):
        R.multinomial(ag.tensor(w), n, replacement)


def test_multinomial_of_integers_and_a_float_num_samples_are_refused():
    with pytest.raises(RuntimeError, match="floating-point"):
        torch.multinomial(torch.tensor([1, 2]), 1)
    with pytest.raises(ag.DTypeError, match="floating-point"):
        R.multinomial(ag.tensor([1, 2]), 1)
    with pytest.raises(ag.ArgumentError, match="num_samples must be an int"):
        R.multinomial(ag.tensor([1.0, 2.0]), 1.0)


def test_multinomial_with_replacement_more_draws_than_categories():
    assert R.multinomial(ag.tensor([1.0, 2.0]), 5, True).shape == (5,)


# ---- normal -----------------------------------------------------------------------------------------


def test_normal_of_numbers_with_size():
    ours = R.normal(2.0, 3.0, (N // 4, 4), generator=gen())
    theirs = torch.normal(2.0, 3.0, (N // 4, 4), generator=tgen())
    assert dtype_name(ours) == dtype_name(theirs) == "float32" and ours.shape == tuple(theirs.shape)
    both_mean(ours.numpy(), theirs.numpy(), 2.0, 3.0)
    both_mean((ours.numpy() - 2.0) ** 2, (theirs.numpy() - 2.0) ** 2, 9.0, 9.0 * np.sqrt(2))  # the variance
    d = R.normal(0, 1, (3,), dtype="float64")
    assert d.dtype == np.float64 == torch.normal(0, 1, (3,), dtype=torch.float64).numpy().dtype
    assert R.normal(0.0, 1.0, (2,), requires_grad=True).requires_grad


def test_normal_of_tensors_broadcasts_and_promotes():
    mean = np.array([-5.0, 0.0, 5.0])
    std = np.array([[0.5], [2.0]])
    f32 = np.float32
    for m, s in ((mean, std), (mean.astype(f32), std), (mean, std.astype(f32)), (mean.astype(f32), std.astype(f32))):
        ours = R.normal(ag.tensor(m, dtype=m.dtype), ag.tensor(s, dtype=s.dtype), generator=gen())
        theirs = torch.normal(torch.tensor(m), torch.tensor(s), generator=tgen())
        assert dtype_name(ours) == dtype_name(theirs) and ours.shape == tuple(theirs.shape) == (2, 3)
    big = R.normal(ag.tensor(np.tile(mean, N)), 2.0, generator=gen()).numpy().reshape(N, 3)
    tbig = torch.normal(torch.tensor(np.tile(mean, N)), 2.0, generator=tgen()).numpy().reshape(N, 3)
    for k in range(3):
        both_mean(big[:, k], tbig[:, k], mean[k], 2.0)
    tstd = R.normal(1.0, ag.tensor(np.full(N, 0.5), dtype="float32"), generator=gen())
    ttstd = torch.normal(1.0, torch.full((N,), 0.5), generator=tgen())
    assert dtype_name(tstd) == dtype_name(ttstd) == "float32"
    both_mean(tstd.numpy(), ttstd.numpy(), 1.0, 0.5)


def test_normal_errors():
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        torch.normal(torch.zeros(2), -1.0)
    with pytest.raises(ag.DomainError, match="normal: expects std >= 0.0"):
        R.normal(ag.zeros(2), -1.0)
    with pytest.raises(ag.DomainError, match="std >= 0.0"):
        R.normal(0.0, -1.0, (2,))
    with pytest.raises(ag.DomainError, match="std >= 0.0"):
        R.normal(ag.zeros(2), ag.tensor([1.0, -1.0]))
    with pytest.raises(NotImplementedError):
        torch.normal(torch.tensor([1, 2]), 1.0)
    with pytest.raises(ag.DTypeError, match="normal: not implemented for int64"):
        R.normal(ag.tensor([1, 2]), 1.0)
    with pytest.raises(TypeError):
        torch.normal(0.0, 1.0)
    with pytest.raises(ag.ArgumentError, match="give the size"):
        R.normal(0.0, 1.0)
    with pytest.raises(RuntimeError):
        torch.normal(torch.zeros(3), torch.ones(4))
    with pytest.raises(ag.ShapeError, match="do not broadcast"):
        R.normal(ag.zeros(3), ag.ones(4))
    with pytest.raises(ag.DTypeError, match="float dtype"):
        R.normal(0.0, 1.0, (2,), dtype="int64")


# ---- poisson ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_poisson(dtype):
    rates = np.array([0.0, 0.5, 4.0, 100.0])
    x = np.tile(rates, N // 4)
    ours = R.poisson(ag.tensor(x, dtype=dtype), generator=gen())
    theirs = torch.poisson(torch.tensor(x, dtype=getattr(torch, dtype)), generator=tgen())
    assert dtype_name(ours) == dtype_name(theirs) == dtype and ours.shape == tuple(theirs.shape)
    o, t = ours.numpy().reshape(-1, 4), theirs.numpy().reshape(-1, 4)
    assert (o >= 0).all() and (o == np.round(o)).all() and (o[:, 0] == 0).all()
    for k, r in enumerate(rates[1:], start=1):
        both_mean(o[:, k], t[:, k], r, np.sqrt(r))


def test_poisson_errors():
    for bad in ([-1.0], [float("nan")]):
        with pytest.raises(RuntimeError, match="invalid Poisson rate"):
            torch.poisson(torch.tensor(bad))
        with pytest.raises(ag.DomainError, match="poisson: invalid Poisson rate"):
            R.poisson(ag.tensor(bad))
    with pytest.raises(ag.DomainError, match="inf"):
        R.poisson(ag.tensor([float("inf")]))
    with pytest.raises(NotImplementedError):
        torch.poisson(torch.tensor([1, 2]))
    with pytest.raises(ag.DTypeError, match="poisson: not implemented for int64"):
        R.poisson(ag.tensor([1, 2]))


# ---- in-place fillers -------------------------------------------------------------------------------

FILLERS = {
    "uniform_": ((2.0, 5.0), 3.5, 3.0 / np.sqrt(12)),
    "normal_": ((1.0, 2.0), 1.0, 2.0),
    "bernoulli_": ((0.25,), 0.25, np.sqrt(0.25 * 0.75)),
    "exponential_": ((4.0,), 0.25, 0.25),
}


@pytest.mark.parametrize("name", sorted(FILLERS))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fillers_statistics_dtype_and_return_value(name, dtype):
    args, mean, sd = FILLERS[name]
    t, tt = ag.zeros(N, dtype=dtype), torch.zeros(N, dtype=getattr(torch, dtype))
    out = getattr(R, name)(t, *args, generator=gen())
    tout = getattr(tt, name)(*args, generator=tgen())
    assert out is t and tout is tt
    assert dtype_name(t) == dtype_name(tt) == dtype and t.shape == tuple(tt.shape)
    both_mean(t.numpy(), tt.numpy(), mean, sd)
    if name == "uniform_":
        assert 2.0 <= t.numpy().min() and t.numpy().max() < 5.0
    if name == "exponential_":
        assert (t.numpy() >= 0).all()
    if name == "bernoulli_":
        assert set(np.unique(t.numpy())) == {0.0, 1.0}


def test_uniform_stays_below_to_in_low_precision():
    t = R.uniform_(ag.zeros(N, dtype="float16"), 0.0, 1.0, generator=gen())
    assert t.numpy().max() < 1.0 and t.dtype == np.float16


def test_bernoulli_fill_of_integers_bools_and_a_tensor_p():
    for dtype, torch_dtype in (("int64", torch.int64), ("bool", torch.bool)):
        t, tt = ag.zeros(N, dtype=dtype), torch.zeros(N, dtype=torch_dtype)
        R.bernoulli_(t, 0.7, generator=gen())
        tt.bernoulli_(0.7, generator=tgen())
        assert dtype_name(t) == dtype_name(tt) == dtype
        both_mean(t.numpy(), tt.numpy(), 0.7, np.sqrt(0.21))
    p = [0.0, 1.0, 1.0, 0.0]
    assert R.bernoulli_(ag.zeros(4), ag.tensor(p)).tolist() == torch.zeros(4).bernoulli_(torch.tensor(p)).tolist()


@pytest.mark.parametrize(
    "dtype, args, low, high",
    [
        ("int64", (10,), 0, 10),
        ("int64", (-5, 5), -5, 5),
        ("float32", (3,), 0, 3),
        ("float64", (-2, 2), -2, 2),
        ("uint8", (), 0, 256),
        ("int8", (), 0, 128),
        ("int16", (100, None), 100, 2**15),
        ("bool", (), 0, 2),
        ("float32", (), 0, 2**24 + 1),
        ("float32", (2**23, None), 2**23, 2**24 + 1),
    ],
)
def test_random_fill_ranges_and_mean(dtype, args, low, high):
    t, tt = ag.zeros(N, dtype=dtype), torch.zeros(N, dtype=getattr(torch, dtype))
    R.random_(t, *args, generator=gen())
    tt.random_(*args, generator=tgen())
    assert dtype_name(t) == dtype_name(tt) == dtype
    o = t.numpy().astype(np.float64)
    assert o.min() >= low and o.max() < high and (o == np.round(o)).all()
    assert tt.numpy().astype(np.float64).min() >= low and tt.numpy().astype(np.float64).max() < high
    n = high - low
    both_mean(o, tt.numpy().astype(np.float64), low + (n - 1) / 2, np.sqrt((n * n - 1) / 12))


def test_random_fill_of_the_widest_integers():
    assert R.random_(ag.zeros(100, dtype="int64"), generator=gen()).numpy().min() >= 0
    big = R.random_(ag.zeros(N, dtype="uint64"), generator=gen()).numpy()
    assert big.dtype == np.uint64 and big.max() > 2**63  # the top half is reached


@pytest.mark.parametrize(
    "name, dtype, args, error",
    [
        ("uniform_", "float32", (2, 1), ag.DomainError),
        ("uniform_", "int64", (), ag.DTypeError),
        ("uniform_", "float32", (0, float("inf")), ag.DomainError),
        ("normal_", "float32", (0, -1), ag.DomainError),
        ("normal_", "int64", (), ag.DTypeError),
        ("exponential_", "float32", (0,), ag.DomainError),
        ("exponential_", "float32", (-1,), ag.DomainError),
        ("exponential_", "int64", (), ag.DTypeError),
        ("bernoulli_", "float32", (1.5,), ag.DomainError),
        ("random_", "float32", (5, 2), ag.DomainError),
        ("random_", "uint8", (-1, 2), ag.DomainError),
        ("random_", "uint8", (0, 300), ag.DomainError),
        ("random_", "float32", (2.5,), ag.ArgumentError),
    ],
)
def test_filler_errors_where_torch_raises(name, dtype, args, error):
    with pytest.raises((RuntimeError, NotImplementedError, TypeError)):
        getattr(torch.zeros(3, dtype=getattr(torch, dtype)), name)(*args)
    with pytest.raises(error, match=name):
        getattr(R, name)(ag.zeros(3, dtype=dtype), *args)


@pytest.mark.parametrize("name", ["uniform_", "normal_", "bernoulli_", "exponential_", "random_"])
def test_fillers_follow_the_in_place_rule(name):
    fill = getattr(R, name)
    # a leaf that requires grad: refused while the graph is recorded (as PyTorch), allowed in no_grad
    w, tw = ag.zeros(5, requires_grad=True), torch.zeros(5, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        getattr(tw, name)()
    with pytest.raises(ag.GraphError, match=f"{name}: a leaf tensor that requires grad"):
        fill(w)
    assert w._version == 0 and not w.numpy().any()
    with ag.no_grad():
        assert fill(w) is w
    assert w._version == 1 and w.requires_grad and w.is_leaf
    # a tensor that does not require grad: allowed anywhere, and counted
    t = ag.zeros(5)
    fill(t)
    fill(t)
    assert t._version == 2
    # a saved tensor changed by a filler: the gate that saved it refuses to backpropagate
    x = ag.ones(5, requires_grad=True)
    c = ag.ones(5)
    y = (x * c).sum()
    fill(c)
    with pytest.raises(ag.GraphError, match="modified in place"):
        y.backward()


def test_a_filled_non_leaf_gets_no_gradient_as_torch():
    x, tx = ag.ones(3, requires_grad=True), torch.ones(3, requires_grad=True)
    y, ty = x * 2, tx * 2
    R.normal_(y)
    ty.normal_()
    assert y.requires_grad and ty.requires_grad
    (y * 3).sum().backward()
    (ty * 3).sum().backward()
    assert x.grad.tolist() == tx.grad.tolist() == [0.0, 0.0, 0.0]


def test_filling_a_read_only_view_is_refused():
    with pytest.raises(ag.GraphError, match="read-only"):
        R.normal_(ag.zeros(3).expand(2, 3))


def test_fillers_check_their_arguments():
    with pytest.raises(ag.ArgumentError, match="uniform_: argument 'self' must be a Tensor"):
        R.uniform_(np.zeros(3))
    with pytest.raises(ag.ArgumentError, match="normal_: argument 'std' must be a number"):
        R.normal_(ag.zeros(3), 0, "1")
    with pytest.raises(ag.ArgumentError, match="generator must be"):
        R.uniform_(ag.zeros(3), generator=1)
    with pytest.raises(ag.ShapeError, match="bernoulli_: p of shape"):
        R.bernoulli_(ag.zeros(3), ag.full((4,), 0.5))
