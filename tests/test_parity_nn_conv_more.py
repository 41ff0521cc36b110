"""PyTorch parity of the convolutions beside Conv2d: Conv1d, ConvTranspose1d, ConvTranspose2d, their
functional forms and their lazy forms. Values and gradients (input, weight, bias) in float64 over a
grid of stride / padding / dilation / groups / output_padding (tests/parity.py), unbatched inputs,
modules loaded with torch's state dict, reprs and attributes, the default initialisation's bounds,
ConvTranspose's `output_size=`, gradcheck, the adjoint identity, and the errors (ours, where torch errs)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag
import nn
import nn.functional as F
from autograd import gradcheck, gradgradcheck
from autograd.errors import DomainError, DTypeError, ShapeError
from tests.parity import assert_same, check

RNG = np.random.default_rng(7)


def normal(*shape):
    return RNG.normal(size=shape)


def _tuple(v, n):
    return (v,) * n if isinstance(v, int) else v


def _valid(n, stride, padding, output_padding, dilation, sizes, kernel):
    """PyTorch's rule (output_padding < stride or < dilation, per dim) and a positive output size."""
    s, p, q, d = (_tuple(v, n) for v in (stride, padding, output_padding, dilation))
    if any(qi >= si and qi >= di for qi, si, di in zip(q, s, d)):
        return False
    return all(
        (h - 1) * si - 2 * pi + di * (k - 1) + qi + 1 > 0 for h, si, pi, di, k, qi in zip(sizes, s, p, d, kernel, q)
    )


# ---- functional forms over a grid ------------------------------------------------------------------------

CONV1D = list(itertools.product([1, 2], [0, 2], [1, 2], [1, 2], [True, False]))


@pytest.mark.parametrize("stride, padding, dilation, groups, bias", CONV1D)
def test_conv1d_values_and_gradients_match_torch(stride, padding, dilation, groups, bias):
    x, w, b = normal(2, 4, 9), normal(6, 4 // groups, 3), normal(6)
    kw = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    if bias:
        check(lambda m, x, w, b: m.nn.functional.conv1d(x, w, b, **kw), [x, w, b])
    else:
        check(lambda m, x, w: m.nn.functional.conv1d(x, w, **kw), [x, w])


CT2D = [
    c
    for c in itertools.product([1, 2, (2, 3)], [0, (1, 2)], [0, 1, (1, 2)], [1, 2], [1, (2, 1)])
    if _valid(2, c[0], c[1], c[2], c[4], (3, 4), (3, 2))
]


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", CT2D)
def test_conv_transpose2d_values_and_gradients_match_torch(stride, padding, output_padding, groups, dilation):
    x, w, b = normal(2, 4, 3, 4), normal(4, 3, 3, 2), normal(3 * groups)
    kw = {"stride": stride, "padding": padding, "output_padding": output_padding, "groups": groups}
    check(lambda m, x, w, b: m.nn.functional.conv_transpose2d(x, w, b, dilation=dilation, **kw), [x, w, b])


CT1D = [
    c
    for c in itertools.product([1, 3], [0, 2], [0, 1, 2], [1, 2], [1, 2])
    if _valid(1, c[0], c[1], c[2], c[4], (5,), (3,))
]


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", CT1D)
def test_conv_transpose1d_values_and_gradients_match_torch(stride, padding, output_padding, groups, dilation):
    x, w = normal(3, 4, 5), normal(4, 2, 3)
    check(
        lambda m, x, w: m.nn.functional.conv_transpose1d(x, w, None, stride, padding, output_padding, groups, dilation),
        [x, w],
    )


def test_grids_cover_the_output_padding_allowed_by_dilation_alone():
    """output_padding 2 with stride 1 is valid when the dilation is 3 (PyTorch's either/or rule)."""
    check(
        lambda m, x, w: m.nn.functional.conv_transpose2d(x, w, output_padding=2, dilation=3),
        [normal(1, 2, 3, 3), normal(2, 3, 2, 2)],
    )
    assert F.conv_transpose2d(ag.zeros(1, 2, 3, 3), ag.zeros(2, 3, 2, 2), output_padding=2, dilation=3).shape == (
        1,
        3,
        8,
        8,
    )
    assert len(CT2D) > 40 and len(CT1D) > 20


@pytest.mark.parametrize(
    "fn, x, w, kw",
    [
        ("conv1d", (4, 9), (6, 4, 3), {"stride": 2, "padding": 1}),
        ("conv_transpose1d", (4, 5), (4, 3, 2), {"stride": 2, "groups": 2}),
        ("conv_transpose2d", (4, 3, 5), (4, 3, 2, 3), {"stride": 2, "groups": 2, "output_padding": 1}),
    ],
)
def test_unbatched_inputs_as_torch(fn, x, w, kw):
    check(lambda m, x, w: getattr(m.nn.functional, fn)(x, w, **kw), [normal(*x), normal(*w)])
    assert getattr(F, fn)(ag.tensor(normal(*x)), ag.tensor(normal(*w)), **kw).ndim == len(x)


# ---- modules ---------------------------------------------------------------------------------------------

MODULES = [
    ("Conv1d", (4, 6, 3), {"stride": 2, "padding": 1, "dilation": 2, "groups": 2}, [(3, 4, 11), (4, 11)]),
    ("Conv1d", (3, 2, 4), {"bias": False}, [(2, 3, 6)]),
    ("ConvTranspose1d", (4, 6, 3), {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2}, [(2, 4, 5), (4, 5)]),
    (
        "ConvTranspose2d",
        (4, 6, (3, 2)),
        {"stride": (2, 3), "padding": (1, 0), "output_padding": (1, 2), "groups": 2, "bias": False, "dilation": (1, 2)},
        [(2, 4, 3, 4), (4, 3, 4)],
    ),
    ("ConvTranspose2d", (3, 2, 3), {"stride": 2, "padding": 1, "dilation": 2}, [(2, 3, 4, 4)]),
]
MODULE_CASES = [(name, args, kw, shape) for name, args, kw, shapes in MODULES for shape in shapes]


def _pair(name, args, kw):
    theirs = getattr(torch.nn, name)(*args, **kw).double()
    ours = getattr(nn, name)(*args, **kw, dtype=ag.float64)
    ours.load_state_dict(theirs.state_dict())
    return ours, theirs


def _same_call(ours, theirs, x, **kw):
    """Same output, input gradient and parameter gradients for one call with `kw` (e.g. output_size)."""
    a, b = ag.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = ours(a, **kw), theirs(b, **kw)
    assert_same(ya, yb)
    cot = RNG.uniform(-1, 1, size=tuple(yb.shape))
    (ya * ag.tensor(cot)).sum().backward()
    (yb * torch.tensor(cot)).sum().backward()
    assert_same(a.grad, b.grad, "input gradient")
    for (k, p), q in zip(ours.named_parameters(), theirs.parameters(), strict=True):
        assert_same(p.grad, q.grad, f"gradient of {k}")


@pytest.mark.parametrize("name, args, kw, shape", MODULE_CASES)
def test_module_after_load_state_dict_matches_torch(name, args, kw, shape):
    ours, theirs = _pair(name, args, kw)
    assert repr(ours) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in ours.state_dict().items()] == [
        (k, tuple(v.shape)) for k, v in theirs.state_dict().items()
    ]
    for attr in ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "transposed"):
        assert getattr(ours, attr) == getattr(theirs, attr), attr
    assert ours.output_padding == tuple(theirs.output_padding) and ours.groups == theirs.groups
    _same_call(ours, theirs, normal(*shape))


@pytest.mark.parametrize(
    "name, args, kw",
    [
        ("Conv1d", (1, 32, 4), {}),
        ("Conv1d", (4, 8, (3,)), {"stride": 2, "padding": 1, "dilation": 2, "groups": 2, "bias": False}),
        ("ConvTranspose1d", (2, 3, 5), {"output_padding": 0, "dilation": 3}),
        ("ConvTranspose2d", (2, 4, 3), {}),
        (
            "ConvTranspose2d",
            (2, 4, (2, 3)),
            {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2, "bias": False},
        ),
        ("Conv2d", (2, 4, 3), {"stride": (1, 2), "padding": (0, 1)}),
    ],
)
def test_reprs_are_torchs(name, args, kw):
    assert repr(getattr(nn, name)(*args, **kw)) == repr(getattr(torch.nn, name)(*args, **kw))


@pytest.mark.parametrize(
    "name, args, kw",
    [
        ("Conv1d", (6, 402, 5), {"groups": 3}),
        ("ConvTranspose1d", (3, 400, 4), {"groups": 1}),
        ("ConvTranspose2d", (6, 400, (2, 3)), {"groups": 2}),
    ],
)
def test_default_init_is_uniform_within_one_over_sqrt_of_torchs_fan_in(name, args, kw):
    """kaiming_uniform_(a=√5) and the bias from U(±1/√fan_in), fan_in as torch computes it from the
    weight as laid out: for a transposed one, (in, out/groups, *k) gives out/groups · ∏k."""
    theirs = getattr(torch.nn, name)(*args, **kw)
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(theirs.weight)
    ours = getattr(nn, name)(*args, **kw)
    assert ours.weight.shape == tuple(theirs.weight.shape) and ours.weight.dtype == np.float32
    bound = 1 / np.sqrt(fan_in)
    w, b = ours.weight.numpy(), ours.bias.numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.98 * bound
    assert w.std() == pytest.approx(bound / np.sqrt(3), rel=0.05)
    assert np.abs(b).max() <= bound and np.abs(b).max() > 0.9 * bound
    if name == "ConvTranspose2d":
        assert fan_in == 200 * 6  # out_channels/groups · kH · kW, not in_channels/groups · …


def test_init_is_reproducible_under_manual_seed():
    ag.manual_seed(5)
    a = nn.ConvTranspose2d(2, 4, 3)
    ag.manual_seed(5)
    b = nn.ConvTranspose2d(2, 4, 3)
    np.testing.assert_array_equal(a.weight.numpy(), b.weight.numpy())
    np.testing.assert_array_equal(a.bias.numpy(), b.bias.numpy())


# ---- ConvTranspose's output_size= ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x, output_size",
    [((1, 2, 4, 5), (7, 13)), ((1, 2, 4, 5), (8, 15)), ((1, 2, 4, 5), [1, 3, 8, 14]), ((2, 4, 5), (3, 7, 14))],
)
def test_conv_transpose2d_output_size_as_torch(x, output_size):
    ours, theirs = _pair("ConvTranspose2d", (2, 3, 3), {"stride": (2, 3), "padding": 1, "output_padding": 1})
    _same_call(ours, theirs, normal(*x), output_size=output_size)


def test_conv_transpose1d_output_size_as_torch():
    ours, theirs = _pair("ConvTranspose1d", (2, 3, 2), {"stride": 3})
    for size in ((17,), (19,), [2, 3, 18]):
        _same_call(ours, theirs, normal(2, 2, 6), output_size=size)


@pytest.mark.parametrize(
    "output_size, message",
    [
        ((9, 13), r"requested an output size of \(9, 13\), but valid sizes range from \(7, 13\) to \(8, 15\)"),
        ((6, 13), r"valid sizes range from \(7, 13\) to \(8, 15\)"),
        ((1, 2, 3, 8, 13), r"for a 4-d input, output_size must have 2 or 4 elements, got \(1, 2, 3, 8, 13\)"),
    ],
)
def test_output_size_out_of_range_is_our_error_where_torch_errs(output_size, message):
    ours, theirs = _pair("ConvTranspose2d", (2, 3, 3), {"stride": (2, 3), "padding": 1})
    with pytest.raises(ValueError):
        theirs(torch.zeros(1, 2, 4, 5, dtype=torch.float64), output_size=output_size)
    with pytest.raises(ShapeError, match="ConvTranspose2d: .*" + message):
        ours(ag.zeros(1, 2, 4, 5, dtype=ag.float64), output_size=output_size)


# ---- gradients -------------------------------------------------------------------------------------------


def _t(*shape):
    return ag.tensor(normal(*shape), requires_grad=True)


def test_gradcheck_conv1d():
    kw = {"stride": 2, "padding": 1, "dilation": 2, "groups": 2}
    assert gradcheck(lambda x, w, b: F.conv1d(x, w, b, **kw), (_t(2, 4, 7), _t(4, 2, 2), _t(4)))
    assert gradgradcheck(lambda x, w: F.conv1d(x, w, **kw), (_t(1, 4, 6), _t(2, 2, 2)))


def test_gradcheck_conv_transpose2d():
    kw = {"stride": (2, 1), "padding": (1, 0), "output_padding": (1, 0), "groups": 2, "dilation": (1, 2)}
    assert gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, **kw), (_t(2, 4, 2, 3), _t(4, 2, 2, 2), _t(4)))
    assert gradgradcheck(lambda x, w: F.conv_transpose2d(x, w, **kw), (_t(1, 2, 2, 2), _t(2, 1, 2, 2)))


def test_gradcheck_conv_transpose1d_unbatched():
    assert gradcheck(
        lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2),
        (_t(2, 4), _t(2, 3, 2), _t(3)),
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 3), st.integers(0, 2), st.integers(1, 2), st.integers(1, 3), st.integers(4, 8))
def test_conv_transpose2d_is_the_adjoint_of_conv2d(stride, kernel, padding, dilation, groups, size):
    """<conv2d(x, w), y> = <x, conv_transpose2d(y, w)> (hand math), the output_padding giving x's size back."""
    span = dilation * (kernel - 1) + 1
    if span > size + 2 * padding:
        return
    rng = np.random.default_rng(stride * 100 + kernel * 10 + size)
    x, w = rng.normal(size=(2, 2 * groups, size, size + 1)), rng.normal(size=(groups, 2, kernel, kernel))
    y = F.conv2d(ag.tensor(x), ag.tensor(w), stride=stride, padding=padding, dilation=dilation, groups=groups)
    g = rng.normal(size=y.shape)
    back = [n + 2 * padding - span - (o - 1) * stride for n, o in zip(x.shape[2:], y.shape[2:])]
    z = F.conv_transpose2d(ag.tensor(g), ag.tensor(w), None, stride, padding, tuple(back), groups, dilation)
    assert z.shape == x.shape
    np.testing.assert_allclose((y.numpy() * g).sum(), (x * z.numpy()).sum(), rtol=1e-10)


# ---- lazy forms (the shared checks are in tests/test_parity_nn_lazy.py's LAZY table) -----------------------


@pytest.mark.parametrize(
    "lazy, plain, x",
    [
        (lambda: nn.LazyConv1d(4, 3, groups=2), lambda: nn.Conv1d(6, 4, 3, groups=2), (1, 6, 5)),
        (lambda: nn.LazyConv1d(4, 2), lambda: nn.Conv1d(3, 4, 2), (3, 5)),
        (lambda: nn.LazyConvTranspose1d(4, 3), lambda: nn.ConvTranspose1d(2, 4, 3), (2, 5)),
        (lambda: nn.LazyConvTranspose2d(4, 3, groups=2), lambda: nn.ConvTranspose2d(6, 4, 3, groups=2), (2, 6, 3, 3)),
        (
            lambda: nn.LazyConvTranspose2d(2, (1, 2), bias=False),
            lambda: nn.ConvTranspose2d(5, 2, (1, 2), bias=False),
            (5, 2, 2),
        ),
    ],
)
def test_lazy_infers_in_channels_and_draws_as_the_plain_class(lazy, plain, x):
    ag.manual_seed(3)
    a = lazy()
    a(ag.zeros(*x))
    ag.manual_seed(3)
    b = plain()
    assert type(a) is type(b) and repr(a) == repr(b)
    assert list(a.state_dict()) == list(b.state_dict())
    for (k, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        np.testing.assert_array_equal(p.numpy(), q.numpy(), err_msg=k)


def test_lazy_conv_transpose2d_first_call_with_output_size_as_torch():
    x = normal(2, 3, 4, 4)
    theirs = torch.nn.LazyConvTranspose2d(5, 3, stride=2).double()
    theirs(torch.tensor(x), output_size=(10, 10))
    ours = nn.LazyConvTranspose2d(5, 3, stride=2, dtype=ag.float64)
    ours.load_state_dict(theirs.state_dict())
    out = ours(ag.tensor(x), output_size=(10, 10))
    assert type(ours) is nn.ConvTranspose2d and out.shape == (2, 5, 10, 10)
    _same_call(ours, theirs, x, output_size=(10, 9))


def test_lazy_errors_are_ours_where_torch_errs():
    with pytest.raises(ShapeError, match=r"LazyConv1d: expected 2-d or 3-d input to infer in_channels from, got shape"):
        nn.LazyConv1d(4, 3)(ag.zeros(1, 2, 3, 4))
    with pytest.raises(RuntimeError):
        torch.nn.LazyConv1d(4, 3)(torch.zeros(1, 2, 3, 4))
    with pytest.raises(ShapeError, match=r"LazyConvTranspose2d: in_channels=3 .* must be divisible by groups=2"):
        nn.LazyConvTranspose2d(4, 3, groups=2)(ag.zeros(1, 3, 4, 4))
    with pytest.raises(ValueError):
        torch.nn.LazyConvTranspose2d(4, 3, groups=2)(torch.zeros(1, 3, 4, 4))


# ---- errors ----------------------------------------------------------------------------------------------

ERRORS = [
    (
        "conv1d",
        (2, 3, 5),
        (4, 2, 3),
        {},
        ShapeError,
        r"conv1d: input \(2, 3, 5\) has 3 channels but weight \(4, 2, 3\) expects 2",
    ),
    (
        "conv1d",
        (1, 3, 4, 4),
        (2, 3, 3),
        {},
        ShapeError,
        r"conv1d: expected a 2-d \(C, L\) or 3-d \(N, C, L\) input, got shape \(1, 3, 4, 4\)",
    ),
    ("conv1d", (1, 3, 4), (2, 3, 3, 3), {}, ShapeError, r"conv1d: expected a 3-d weight \(C_out, C_in/groups, kL\)"),
    (
        "conv1d",
        (2, 3, 4),
        (2, 3, 5),
        {},
        ShapeError,
        r"conv1d: the kernel spans 5 \(size 5, dilation 1\) but the padded input is only 4 long",
    ),
    (
        "conv1d",
        (2, 4, 5),
        (3, 2, 3),
        {"groups": 2},
        ShapeError,
        r"conv1d: groups=2 must divide both C_in=4 and C_out=3",
    ),
    (
        "conv1d",
        (2, 3, 5),
        (2, 3, 3),
        {"stride": 0},
        ShapeError,
        r"conv1d: stride must be an int or a 1-tuple of an int, at least 1",
    ),
    (
        "conv_transpose2d",
        (1, 2, 3, 3),
        (3, 3, 2, 2),
        {},
        ShapeError,
        r"conv_transpose2d: input \(1, 2, 3, 3\) has 2 channels but weight \(3, 3, 2, 2\)",
    ),
    (
        "conv_transpose2d",
        (1, 2, 3, 3),
        (2, 3, 2, 2),
        {"stride": 2, "output_padding": 2},
        ShapeError,
        r"output_padding must be smaller than either stride or dilation in each dim, got "
        r"output_padding=\(2, 2\), stride=\(2, 2\)",
    ),
    (
        "conv_transpose2d",
        (1, 2, 3, 3),
        (2, 3, 2, 2),
        {"output_padding": (0, 1)},
        ShapeError,
        r"output_padding must be smaller than either stride or dilation",
    ),
    (
        "conv_transpose2d",
        (1, 2, 1, 1),
        (2, 3, 1, 1),
        {"padding": 1},
        ShapeError,
        r"conv_transpose2d: the output would be \(-1, -1\)",
    ),
    (
        "conv_transpose2d",
        (1, 3, 3, 3),
        (3, 3, 2, 2),
        {"groups": 2},
        ShapeError,
        r"conv_transpose2d: groups=2 must divide C_in=3",
    ),
    (
        "conv_transpose2d",
        (3, 3),
        (3, 3, 2, 2),
        {},
        ShapeError,
        r"conv_transpose2d: expected a 3-d \(C, H, W\) or 4-d \(N, C, H, W\) input",
    ),
    (
        "conv_transpose2d",
        (1, 2, 3, 3),
        (2, 3, 2),
        {},
        ShapeError,
        r"conv_transpose2d: expected a 4-d weight \(C_in, C_out/groups, kH, kW\)",
    ),
    (
        "conv_transpose1d",
        (1, 2, 3),
        (2, 3, 2),
        {"dilation": 0},
        ShapeError,
        r"conv_transpose1d: dilation must be an int or a 1-tuple",
    ),
]


@pytest.mark.parametrize("fn, x, w, kw, error, message", ERRORS)
def test_functional_errors_are_ours_where_torch_errs(fn, x, w, kw, error, message):
    with pytest.raises((RuntimeError, ValueError)):
        getattr(torch.nn.functional, fn)(torch.zeros(*x), torch.zeros(*w), **kw)
    with pytest.raises(error, match=message):
        getattr(F, fn)(ag.zeros(*x), ag.zeros(*w), **kw)


def test_bias_and_dtype_errors():
    x, w = ag.zeros(1, 2, 3, 3), ag.zeros(2, 3, 2, 2)
    with pytest.raises(
        ShapeError, match=r"conv_transpose2d: bias must have shape \(6,\) for weight \(2, 3, 2, 2\) and groups=2"
    ):
        F.conv_transpose2d(x, w, ag.zeros(3), groups=2)
    with pytest.raises(DTypeError, match="conv_transpose2d: input is float32 but weight is float64"):
        F.conv_transpose2d(x, ag.zeros(2, 3, 2, 2, dtype=ag.float64))
    with pytest.raises(DTypeError, match="conv1d: input is float32 but bias is float64"):
        F.conv1d(ag.zeros(1, 2, 3), ag.zeros(4, 2, 1), ag.zeros(4, dtype=ag.float64))
    with pytest.raises(DTypeError, match="conv1d: expected a floating-point input, got int64"):
        F.conv1d(ag.tensor(np.zeros((1, 2, 3), dtype=np.int64)), ag.zeros(4, 2, 1))


def test_module_errors():
    with pytest.raises(ShapeError, match="Conv1d: groups=2 must be positive and divide in_channels=3"):
        nn.Conv1d(3, 4, 3, groups=2)
    with pytest.raises(
        ShapeError, match="ConvTranspose2d: groups=2 must be positive and divide in_channels=2 and out_channels=3"
    ):
        nn.ConvTranspose2d(2, 3, 3, groups=2)
    with pytest.raises(
        ShapeError, match=r"Conv1d: kernel_size must be an int or a 1-tuple of an int, at least 1; got \(3, 3\)"
    ):
        nn.Conv1d(3, 4, (3, 3))
    with pytest.raises(ShapeError, match="ConvTranspose1d: output_padding must be an int or a 1-tuple"):
        nn.ConvTranspose1d(3, 4, 3, output_padding=-1)
    m, t = (
        nn.ConvTranspose2d(2, 3, 2, stride=2, output_padding=2),
        torch.nn.ConvTranspose2d(2, 3, 2, stride=2, output_padding=2),
    )
    with pytest.raises(RuntimeError):
        t(torch.zeros(1, 2, 3, 3))
    with pytest.raises(
        ShapeError, match="conv_transpose2d: output_padding must be smaller than either stride or dilation"
    ):
        m(ag.zeros(1, 2, 3, 3))
    with pytest.raises(ShapeError, match=r"conv1d: input \(1, 2, 5\) has 2 channels but weight \(4, 3, 3\) expects 3"):
        nn.Conv1d(3, 4, 3)(ag.zeros(1, 2, 5))


def test_exports():
    names = ["Conv1d", "ConvTranspose1d", "ConvTranspose2d", "LazyConv1d", "LazyConvTranspose1d", "LazyConvTranspose2d"]
    assert all(n in nn.modules.__all__ and getattr(nn, n) is getattr(nn.modules, n) for n in names)
    assert all(n in F.__all__ for n in ("conv1d", "conv_transpose1d", "conv_transpose2d"))


# ---- padding='same' / 'valid' and padding_mode ---------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel lengths")  # torch's, about its copy
@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("kernel, dilation", [(3, 1), (4, 1), (4, 3), (2, 2), (1, 1)])
def test_string_padding_of_conv1d_and_conv2d_as_torch(padding, kernel, dilation):
    """'same' pads D·(k − 1) zeros, the odd one after (even kernels with odd dilation are asymmetric)."""
    kw = {"padding": padding, "dilation": dilation}
    check(lambda m, x, w, b: m.nn.functional.conv1d(x, w, b, **kw), [normal(2, 2, 11), normal(3, 2, kernel), normal(3)])
    w2 = normal(4, 1, kernel, max(kernel - 1, 1))
    check(lambda m, x, w: m.nn.functional.conv2d(x, w, groups=2, **kw), [normal(2, 2, 11, 10), w2])
    if padding == "same":
        assert F.conv1d(ag.zeros(1, 2, 11), ag.zeros(3, 2, kernel), **kw).shape == (1, 3, 11)


PADDED = [
    ("Conv1d", (2, 3, 4), {"padding": "same", "padding_mode": "reflect", "dilation": 2}, (2, 2, 9)),
    ("Conv1d", (2, 3, 3), {"padding": 2, "padding_mode": "circular", "stride": 2}, (2, 7)),
    ("Conv1d", (2, 4, 3), {"padding": "valid", "padding_mode": "replicate", "groups": 2}, (2, 2, 6)),
    ("Conv2d", (2, 3, (2, 3)), {"padding": "same", "padding_mode": "replicate"}, (2, 2, 5, 6)),
    ("Conv2d", (2, 3, 3), {"padding": (1, 2), "padding_mode": "reflect", "stride": 2}, (2, 2, 5, 6)),
    ("Conv2d", (2, 3, 3), {"padding": 1, "padding_mode": "circular", "bias": False}, (1, 2, 4, 4)),
    ("Conv2d", (2, 3, 4), {"padding": "same"}, (2, 2, 5, 6)),
    ("Conv2d", (2, 3, 4), {"padding": "valid"}, (2, 2, 5, 6)),
]


@pytest.mark.parametrize("name, args, kw, shape", PADDED)
def test_padding_modes_and_strings_of_the_modules_as_torch(name, args, kw, shape):
    ours, theirs = _pair(name, args, kw)
    assert repr(ours) == repr(theirs) and ours.padding_mode == theirs.padding_mode
    assert ours.padding == (theirs.padding if isinstance(theirs.padding, str) else tuple(theirs.padding))
    _same_call(ours, theirs, normal(*shape))


def test_lazy_conv_takes_padding_mode():
    ours, theirs = (
        nn.LazyConv1d(3, 3, padding="same", padding_mode="circular"),
        torch.nn.LazyConv1d(3, 3, padding="same", padding_mode="circular"),
    )
    x = normal(2, 4, 6)
    theirs.double()(torch.tensor(x))
    ours.double()(ag.tensor(x))
    ours.load_state_dict(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    _same_call(ours, theirs, x)


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda m: m.nn.Conv2d(2, 4, 3, padding="same", stride=2),
            "padding='same' is not supported for strided convolutions",
        ),
        (
            lambda m: m.nn.Conv1d(2, 4, 3, padding="full"),
            r"padding must be an int, a tuple of ints, 'valid' or 'same'; got 'full'",
        ),
        (
            lambda m: m.nn.Conv1d(2, 4, 3, padding_mode="wrap"),
            r"Conv1d: padding_mode must be one of \('zeros', 'reflect'",
        ),
        (
            lambda m: m.nn.ConvTranspose2d(2, 4, 3, padding_mode="reflect"),
            "ConvTranspose2d: only integer padding with padding_mode 'zeros'",
        ),
        (
            lambda m: m.nn.functional.conv2d(m.zeros(1, 1, 5, 5), m.zeros(1, 1, 3, 3), stride=2, padding="same"),
            "conv2d: padding='same' is not supported",
        ),
        (
            lambda m: m.nn.functional.conv1d(m.zeros(1, 1, 5), m.zeros(1, 1, 3), padding="full"),
            "conv1d: padding must be",
        ),
    ],
)
def test_padding_errors_are_ours_where_torch_errs(make, message):
    with pytest.raises((RuntimeError, ValueError)):
        make(torch)
    with pytest.raises(DomainError, match=message):
        make(ag)


def test_conv2d_takes_unbatched_inputs_as_torch():
    check(
        lambda m, x, w, b: m.nn.functional.conv2d(x, w, b, stride=2, padding=1),
        [normal(4, 5, 6), normal(6, 4, 3, 3), normal(6)],
    )
    check(lambda m, x, w: m.nn.functional.conv2d(x, w, padding="same", groups=2), [normal(4, 5, 6), normal(2, 2, 2, 3)])
    ours, theirs = _pair("Conv2d", (3, 2, 3), {"padding_mode": "reflect", "padding": 1})
    _same_call(ours, theirs, normal(3, 5, 4))
