"""nn.Module and nn.Parameter: registration, traversal, modes, dtypes, repr, name scopes, and
state dicts with PyTorch's names (the expected key lists are written by hand from PyTorch's
documented naming: "<child name>.<parameter name>", parameters before buffers, depth first)."""

import copy

import numpy as np
import pytest

import autograd as ag
import nn
from autograd.graph import topological_order


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(4, 2)
        self.register_buffer("calls", ag.zeros(1))
        self.register_buffer("scratch", ag.zeros(2), persistent=False)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


# ---- Parameter --------------------------------------------------------------------------------
def test_parameter_is_a_float_leaf_that_requires_grad_and_copies_its_data():
    source = np.array([1.0, 2.0], dtype=np.float64)
    p = nn.Parameter(source)
    source[0] = 9.0
    assert isinstance(p, ag.Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == np.float64 and p.numpy()[0] == 1.0
    assert nn.Parameter([1, 2]).dtype == np.float32  # integer data becomes the default float
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad
    assert repr(p).startswith("Parameter containing:\ntensor([1., 2.]")


def test_operations_on_a_parameter_give_plain_tensors_and_gradients_reach_it():
    p = nn.Parameter(np.array([1.0, -2.0]))
    out = (p * 3).relu().sum()
    assert type(out) is ag.Tensor
    out.backward()
    np.testing.assert_array_equal(p.grad.numpy(), [3.0, 0.0])


# ---- registration and traversal ----------------------------------------------------------------
def test_attribute_assignment_registers_parameters_buffers_and_children_in_order():
    m = TwoLayer()
    assert [n for n, _ in m.named_children()] == ["fc1", "act", "fc2"]
    assert [n for n, _ in m.named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert [n for n, _ in m.named_buffers()] == ["calls", "scratch"]
    assert [n for n, _ in m.named_modules()] == ["", "fc1", "act", "fc2"]
    assert list(m.parameters())[0] is m.fc1.weight
    assert len(list(m.modules())) == 4 and len(list(m.children())) == 3
    assert [n for n, _ in m.named_parameters(recurse=False)] == []


def test_reassignment_keeps_the_place_and_none_keeps_the_name():
    m = TwoLayer()
    m.fc1 = nn.Linear(3, 4)
    assert [n for n, _ in m.named_children()] == ["fc1", "act", "fc2"]
    m.fc1.bias = None
    assert "fc1.bias" not in dict(m.named_parameters()) and m.fc1.bias is None
    with pytest.raises(TypeError, match="fc2 is a submodule"):
        m.fc2 = 3
    with pytest.raises(TypeError, match="weight is a parameter"):
        m.fc2.weight = ag.zeros(2, 4)
    with pytest.raises(TypeError, match="calls is a buffer"):
        m.calls = np.zeros(1)
    del m.act
    assert [n for n, _ in m.named_children()] == ["fc1", "fc2"]
    with pytest.raises(AttributeError, match="no attribute 'act'"):
        _ = m.act


def test_assigning_before_super_init_is_a_clear_error():
    class Forgetful(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"call super\(\).__init__\(\)"):
        Forgetful()


def test_shared_parameters_are_listed_and_counted_once():
    shared = nn.Linear(2, 2)
    net = nn.Sequential(shared, nn.ReLU(), shared)
    assert [n for n, _ in net.named_parameters()] == ["0.weight", "0.bias"]
    assert net.count_parameters() == 6
    assert len(list(net.modules())) == 3


def test_parameter_counts_of_the_notes_networks():
    assert nn.MLP(3, [4, 2]).count_parameters() == 26
    assert nn.MLP(3, [4, 4, 1]).count_parameters() == 41
    m = nn.MLP(3, [4, 2])
    m[0].requires_grad_(False)
    assert m.count_parameters(trainable_only=True) == 4 * 2 + 2


# ---- modes, gradients, dtypes, apply --------------------------------------------------------------
def test_train_and_eval_set_the_flag_on_every_submodule():
    m = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(0.5)))
    assert m.eval() is m
    assert [mod.training for mod in m.modules()] == [False] * 4
    m.train()
    assert all(mod.training for mod in m.modules())


def test_zero_grad_sets_gradients_to_none_or_to_zeros():
    m = nn.Linear(3, 2)
    m(ag.ones(4, 3)).sum().backward()
    assert m.weight.grad is not None
    m.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(m.weight.grad.numpy(), np.zeros((2, 3)))
    m.zero_grad()
    assert m.weight.grad is None and m.bias.grad is None


def test_double_and_float_convert_parameters_and_float_buffers_in_place():
    m = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    weight = m[0].weight
    assert m.double() is m
    assert m[0].weight is weight and weight.dtype == np.float64
    assert m[1].running_var.dtype == np.float64
    assert m[1].num_batches_tracked.dtype == np.int64
    assert m(ag.ones(4, 2, dtype=np.float64)).dtype == np.float64
    m.float()
    assert {t.dtype for t in m.parameters()} == {np.dtype(np.float32)}
    with pytest.raises(ag.DTypeError, match="floating-point dtype"):
        m.to(np.int32)


def test_apply_visits_children_first_then_the_module():
    seen = []
    m = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()))
    m.apply(lambda mod: seen.append(type(mod).__name__))
    assert seen == ["Linear", "ReLU", "Sequential", "Sequential"]


def test_a_module_without_forward_says_so():
    with pytest.raises(TypeError, match="does not define forward"):
        nn.Module()(1)


def test_modules_deep_copy_into_independent_models():
    m = nn.MLP(2, [3, 1])
    clone = copy.deepcopy(m)
    clone[0].weight.numpy()[...] = 0
    assert np.any(m[0].weight.numpy() != 0)
    assert [n for n, _ in clone.named_parameters()] == [n for n, _ in m.named_parameters()]


# ---- name scopes --------------------------------------------------------------------------------
def test_calls_tag_their_gates_with_nested_module_labels():
    m = TwoLayer()
    out = m(ag.ones(2, 3))
    scopes = {node.grad_fn.scope for node in topological_order([out]) if node.grad_fn is not None}
    assert ("TwoLayer", "fc1: Linear") in scopes
    assert ("TwoLayer", "act: ReLU") in scopes
    assert ("TwoLayer", "fc2: Linear") in scopes
    seq = nn.MLP(3, [2])
    assert seq(ag.ones(1, 3)).grad_fn.scope == ("MLP", "0: Linear")


# ---- repr ---------------------------------------------------------------------------------------
def test_repr_is_nested_like_pytorch():
    m = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.ReLU(), nn.Dropout(0.25)), nn.BatchNorm1d(4))
    assert repr(m) == (
        "Sequential(\n"
        "  (0): Linear(in_features=3, out_features=4, bias=True)\n"
        "  (1): Sequential(\n"
        "    (0): ReLU()\n"
        "    (1): Dropout(p=0.25, inplace=False)\n"
        "  )\n"
        "  (2): BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)\n"
        ")"
    )


# ---- state dicts --------------------------------------------------------------------------------
def keys_and_shapes(module):
    return [(k, v.shape) for k, v in module.state_dict().items()]


def test_state_dict_names_and_shapes_of_linear_sequential_mlp_and_batchnorm():
    assert keys_and_shapes(nn.Linear(3, 4)) == [("weight", (4, 3)), ("bias", (4,))]
    assert keys_and_shapes(nn.Linear(3, 4, bias=False)) == [("weight", (4, 3))]
    assert keys_and_shapes(nn.MLP(3, [4, 4, 1])) == [
        ("0.weight", (4, 3)),
        ("0.bias", (4,)),
        ("2.weight", (4, 4)),
        ("2.bias", (4,)),
        ("4.weight", (1, 4)),
        ("4.bias", (1,)),
    ]
    assert keys_and_shapes(nn.BatchNorm1d(5)) == [
        ("weight", (5,)),
        ("bias", (5,)),
        ("running_mean", (5,)),
        ("running_var", (5,)),
        ("num_batches_tracked", ()),
    ]
    seq = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(), nn.Sequential(nn.PReLU(3)))
    assert [k for k, _ in keys_and_shapes(seq)] == [
        "0.weight",
        "0.bias",
        "1.weight",
        "1.bias",
        "1.running_mean",
        "1.running_var",
        "1.num_batches_tracked",
        "3.0.weight",
    ]
    assert [k for k, _ in keys_and_shapes(TwoLayer())] == ["calls", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]


def test_state_dict_holds_detached_tensors_sharing_memory_as_pytorchs():
    m = nn.Linear(2, 2)
    state = m.state_dict()
    assert all(type(v) is ag.Tensor and not v.requires_grad for v in state.values())
    state["weight"].fill_(7.0)  # the same memory as the parameter, as in PyTorch: clone() for a snapshot
    assert np.all(m.weight.numpy() == 7.0)
    assert m.state_dict(keep_vars=True)["weight"] is m.weight
    assert list(m.state_dict(prefix="fc.")) == ["fc.weight", "fc.bias"]


def test_load_state_dict_round_trip_restores_outputs_and_keeps_parameter_objects():
    ag.manual_seed(1)
    source = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    source(ag.randn(8, 3))  # move the running statistics away from their defaults
    target = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    weight = target[0].weight
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert target[0].weight is weight
    assert int(target[1].num_batches_tracked.item()) == 1
    source.eval(), target.eval()
    x = ag.randn(5, 3)
    np.testing.assert_array_equal(target(x).numpy(), source(x).numpy())


def test_load_state_dict_casts_to_the_models_dtypes():
    m = nn.BatchNorm1d(2)
    state = {k: np.asarray(v, dtype=np.float64) for k, v in m.state_dict().items()}
    state["running_mean"] = np.array([1.5, -2.0])
    state["num_batches_tracked"] = np.array(3.0)
    m.load_state_dict(state)
    assert m.running_mean.dtype == np.float32 and m.running_mean.numpy().tolist() == [1.5, -2.0]
    assert m.num_batches_tracked.dtype == np.int64 and m.num_batches_tracked.item() == 3


def test_strict_load_lists_every_missing_unexpected_and_mismatched_key_and_loads_nothing():
    m = nn.MLP(3, [4, 2])
    before = m.state_dict()
    bad = {"0.weight": np.zeros((5, 3)), "0.bias": np.zeros(4), "extra.weight": np.zeros(1), "2.bias": np.zeros(2)}
    with pytest.raises(nn.StateDictError) as info:
        m.load_state_dict(bad)
    message = str(info.value)
    assert "missing keys: 2.weight" in message
    assert "unexpected keys: extra.weight" in message
    assert "size mismatch for 0.weight: the state dict has shape (5, 3), the model (4, 3)" in message
    for key, value in m.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_non_strict_load_reports_missing_and_unexpected_keys_but_still_rejects_bad_shapes():
    m = nn.MLP(3, [4, 2])
    result = m.load_state_dict({"0.weight": np.ones((4, 3)), "bogus": np.ones(1)}, strict=False)
    assert result.missing_keys == ["0.bias", "2.weight", "2.bias"]
    assert result.unexpected_keys == ["bogus"]
    np.testing.assert_array_equal(m[0].weight.numpy(), np.ones((4, 3)))
    with pytest.raises(nn.StateDictError, match="size mismatch for 0.bias"):
        m.load_state_dict({"0.bias": np.ones(3)}, strict=False)
    with pytest.raises(nn.StateDictError, match="0.bias: expected a numeric array"):
        m.load_state_dict({"0.bias": np.array(["a"] * 4)}, strict=False)


def test_load_state_dict_accepts_tensors():
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    b.load_state_dict({"weight": a.weight, "bias": a.bias})
    np.testing.assert_array_equal(b.weight.numpy(), a.weight.numpy())
