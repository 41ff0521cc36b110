"""PyTorch parity of the Module API: containers, state dicts as Tensors, the module lookups, `.to`
in all its forms, forward hooks and pre-hooks, and the error for a plain list of modules."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np
import pytest
import torch

import autograd as ag
import nn


def _keys(module):
    return [(k, tuple(v.shape)) for k, v in module.state_dict().items()]


def _build(m):
    """The same structure in either library (m.nn is nn or torch.nn)."""

    class Net(m.nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = m.nn.ModuleList([m.nn.Linear(3, 4), m.nn.Linear(4, 4)])
            self.heads = m.nn.ModuleDict({"a": m.nn.Linear(4, 2), "b": m.nn.Linear(4, 1)})
            self.scales = m.nn.ParameterList([m.nn.Parameter(m.ones(4)), m.nn.Parameter(m.zeros(2))])
            self.extra = m.nn.ParameterDict({"shift": m.nn.Parameter(m.zeros(1))})
            self.register_buffer("steps", m.zeros(1))
            self.register_buffer("scratch", m.zeros(2), persistent=False)

        def forward(self, x):
            for block in self.blocks:
                x = block(x).relu() * self.scales[0]
            return self.heads["a"](x) + self.extra["shift"]

    return Net()


def test_containers_register_what_pytorchs_register_under_the_same_keys():
    ours, theirs = _build(ag), _build(torch)
    assert _keys(ours) == _keys(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    ours.load_state_dict(theirs.state_dict())  # torch's Tensors load directly
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_allclose(
        ours(ag.tensor(x)).numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6
    )


def test_list_operations_renumber_as_pytorchs():
    for m in (ag, torch):
        layers = m.nn.ModuleList([m.nn.Linear(1, i + 1) for i in range(4)])
        layers.insert(1, m.nn.Linear(1, 9))
        del layers[3]
        layers.append(m.nn.Linear(1, 7)).extend([m.nn.Linear(1, 8)])
        seq = m.nn.Sequential(OrderedDict([("first", m.nn.Linear(1, 2)), ("second", m.nn.ReLU())]))
        seq.append(m.nn.Linear(2, 3))
        result = (
            [layer.out_features for layer in layers],
            [k for k, _ in layers.state_dict().items()],
            [layer.out_features for layer in layers[1:3]],
            len(layers),
            list(dict(seq.named_children())),
            type(seq[0:2]).__name__,
        )
        if m is ag:
            ours = result
    assert ours == result


def test_a_plain_list_or_dict_of_modules_is_refused_with_the_container_to_use():
    class Net(nn.Module):
        def __init__(self, value):
            super().__init__()
            self.layers = value

    cases = [
        ([nn.Linear(2, 2)], "a plain list of Modules .* nn.ModuleList"),
        ((nn.Linear(2, 2),), "a plain tuple of Modules .* nn.ModuleList"),
        ({"a": nn.Linear(2, 2)}, "a plain dict of Modules .* nn.ModuleDict"),
        ([nn.Parameter(ag.ones(2))], "a plain list of Parameters .* nn.ParameterList"),
        ({"w": nn.Parameter(ag.ones(2))}, "a plain dict of Parameters .* nn.ParameterDict"),
    ]
    for value, message in cases:
        with pytest.raises(ag.ArgumentError, match=f"Net.layers: {message}"):
            Net(value)
    assert Net([1, 2]).layers == [1, 2] and Net([]).layers == []  # lists of anything else stay plain


def test_lookups_by_dotted_path_as_pytorchs():
    for m in (ag, torch):
        net = _build(m)
        assert net.get_submodule("heads.a") is net.heads["a"]
        assert net.get_parameter("blocks.1.bias") is net.blocks[1].bias
        assert net.get_buffer("steps") is net.steps
        with pytest.raises(AttributeError, match="has no"):
            net.get_submodule("heads.c")
        with pytest.raises(AttributeError):
            net.get_parameter("blocks.1.scale")


@pytest.mark.parametrize(
    "args, kwargs",
    [(("float64",), {}), (("cpu",), {}), (("cpu", "float64"), {}), ((), {"dtype": "float64"}), (("tensor",), {})],
)
def test_to_in_pytorchs_forms(args, kwargs):
    dtypes = []
    for m in (ag, torch):
        resolved = [
            m.zeros(1, dtype=m.float64) if a == "tensor" else getattr(m, a) if a == "float64" else a for a in args
        ]
        kw = {k: getattr(m, v) for k, v in kwargs.items()}
        net = m.nn.Sequential(m.nn.Linear(2, 2), m.nn.BatchNorm1d(2))
        assert net.to(*resolved, **kw) is net
        dtypes.append([str(t.dtype).removeprefix("torch.") for t in net.state_dict().values()])
    assert dtypes[0] == dtypes[1]
    net = nn.Linear(2, 2)
    assert net.cpu() is net and net.half().weight.dtype == np.float16
    with pytest.raises(ag.DeviceError, match="CPU"):
        net.cuda()


def _hook_log(m):
    log = []
    layer = m.nn.Linear(2, 2, bias=False)
    with m.no_grad():
        layer.weight.copy_(m.tensor([[1.0, 2.0], [3.0, 4.0]]))
    h1 = layer.register_forward_pre_hook(lambda mod, args: (args[0] * 2,))
    h2 = layer.register_forward_pre_hook(lambda mod, args: log.append("pre, prepended"), prepend=True)
    h3 = layer.register_forward_hook(lambda mod, args, out: out + 1)
    h4 = layer.register_forward_hook(lambda mod, args, kwargs, out: log.append(("kw", kwargs)), with_kwargs=True)
    log.append(layer(m.ones(1, 2)).tolist())
    h1.remove(), h3.remove()
    log.append(layer(m.ones(1, 2)).tolist())
    h2.remove(), h4.remove()
    with layer.register_forward_hook(lambda mod, args, out: out * 0):
        log.append(layer(m.ones(1, 2)).tolist())
    log.append(layer(m.ones(1, 2)).tolist())
    return log


def test_forward_hooks_and_pre_hooks_run_in_pytorchs_order_and_can_replace_values():
    ours, theirs = _hook_log(ag), _hook_log(torch)
    assert ours == theirs
    assert ours[2] == [[7.0, 15.0]]  # (1·2 + 2·2) + 1, (3·2 + 4·2) + 1


def test_hook_must_be_callable():
    with pytest.raises(ag.ArgumentError, match="hook must be callable"):
        nn.Linear(1, 1).register_forward_hook("print")


def test_container_misuse_gets_pytorchs_error_types_with_our_messages():
    layers = nn.ModuleDict({"a": nn.Linear(1, 1)})
    with pytest.raises(KeyError, match=r"ModuleDict has no module 'b'; its keys are \['a'\]"):
        layers["b"]
    with pytest.raises(ag.ArgumentError, match="ModuleDict: keys must be strings, got 3"):
        layers[3] = nn.Linear(1, 1)
    with pytest.raises(IndexError, match="ParameterList: index 2 is out of range for 1 parameters"):
        nn.ParameterList([nn.Parameter(ag.ones(1))])[2]
    with pytest.raises(KeyError, match="ParameterDict has no parameter 'w'"):
        nn.ParameterDict()["w"]
    with pytest.raises(IndexError, match="ModuleList: index 5 is out of range for 1 modules"):
        nn.ModuleList([nn.Linear(1, 1)])[5]
    with pytest.raises(ag.ArgumentError, match="Sequential: an index must be an int or a slice, got 'x'"):
        nn.Sequential(nn.Linear(1, 1))["x"]
    with pytest.raises(ValueError, match="invalid type"):
        torch.ones(2).type("torch.NoSuchTensor")
    with pytest.raises(ag.DTypeError, match="type: unknown dtype 'torch.NoSuchTensor'"):
        ag.ones(2).type("torch.NoSuchTensor")
