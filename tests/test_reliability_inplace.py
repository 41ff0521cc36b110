"""In-place ops: values, version counters, and the errors that replace wrong gradients."""

import numpy as np
import pytest
from hypothesis import given

import autograd as ag
import nn
from autograd import DTypeError, GraphError, ShapeError, gradcheck
from autograd.testing import arrays, shapes

A = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])


def fresh(**kw):
    return ag.tensor(A.copy(), dtype=np.float64, **kw)


@pytest.mark.parametrize(
    "op, expected",
    [
        (lambda t: t.add_(2.0), A + 2),
        (lambda t: t.add_(ag.tensor([1.0, 2.0, 3.0], dtype=np.float64), alpha=-2), A - 2 * np.array([1, 2, 3])),
        (lambda t: t.sub_(0.5), A - 0.5),
        (lambda t: t.sub_(np.array([[1.0], [2.0]]), alpha=3), A - 3 * np.array([[1.0], [2.0]])),
        (lambda t: t.mul_(ag.tensor([[2.0], [-1.0]], dtype=np.float64)), A * np.array([[2.0], [-1.0]])),
        (lambda t: t.div_(4.0), A / 4),
        (lambda t: t.clamp_(-1.0, 2.0), np.clip(A, -1, 2)),
        (lambda t: t.clamp_(min=0.0), np.maximum(A, 0)),
        (lambda t: t.clip_(max=0.0), np.minimum(A, 0)),
        (lambda t: t.fill_(7.0), np.full_like(A, 7)),
        (lambda t: t.zero_(), np.zeros_like(A)),
        (lambda t: t.copy_(ag.tensor([9.0, 8.0, 7.0])), np.array([[9.0, 8, 7], [9, 8, 7]])),
    ],
)
def test_inplace_values_memory_and_version(op, expected):
    t = fresh()
    memory, alias = t.numpy(), t[0]
    assert t._version == 0
    assert op(t) is t
    assert t.numpy() is memory  # written into the same array: aliases see the change
    np.testing.assert_array_equal(t.numpy(), expected)
    np.testing.assert_array_equal(alias.numpy(), expected[0])
    assert t._version == 1 and alias._version == 1  # views share the counter


def test_augmented_assignment_is_in_place():
    t = fresh()
    same, memory = t, t.numpy()
    t += 1.0
    t -= np.array([0.5, 0.5, 0.5])
    t *= 2.0
    t /= 4.0
    assert t is same and t.numpy() is memory
    np.testing.assert_allclose(t.numpy(), (A + 0.5) * 2 / 4)
    assert t._version == 4


def test_versions_count_each_change_and_start_at_zero_for_new_memory():
    t = fresh()
    for k in range(1, 4):
        t.mul_(1.0)
        assert t._version == k
    assert t.detach()._version == 3  # detach shares memory, hence the counter
    assert (t + 0)._version == 0  # a result has fresh memory


def test_copy_casts_to_the_tensor_dtype():
    t = ag.zeros(3)  # float32
    t.copy_(np.array([1.5, 2.5, 3.5], dtype=np.float64))
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.numpy(), np.array([1.5, 2.5, 3.5], dtype=np.float32))
    i = ag.tensor([1, 2, 3])
    i.add_(2)
    assert i.dtype == np.int64 and i.tolist() == [3, 4, 5]


def test_inplace_shape_and_dtype_errors():
    with pytest.raises(ShapeError, match=r"add_: an operand of shape \(2, 3\) does not broadcast to shape \(3,\)"):
        ag.zeros(3).add_(ag.ones(2, 3))
    with pytest.raises(ShapeError, match=r"copy_: an operand of shape \(2,\) does not broadcast to shape \(3,\)"):
        ag.zeros(3).copy_(ag.ones(2))
    with pytest.raises(ShapeError, match=r"\*=: an operand of shape \(4, 1\) does not"):
        t = ag.zeros(3)
        t *= np.ones((4, 1))
    with pytest.raises(DTypeError, match=r"mul_: the result is float32, which cannot be stored in this int64 tensor"):
        ag.tensor([1, 2]).mul_(0.5)


def test_read_only_broadcast_view_cannot_change_in_place():
    e = ag.zeros(3).expand(2, 3)
    with pytest.raises(GraphError, match="add_: this tensor's memory is read-only"):
        e.add_(1.0)


# ---- leaves that require grad ---------------------------------------------------------------


def test_leaf_requiring_grad_is_an_error_while_recording():
    w = fresh(requires_grad=True)
    for change in (lambda: w.add_(1.0), lambda: w.zero_(), lambda: w.copy_(A)):
        with pytest.raises(GraphError, match="a leaf tensor that requires grad cannot be changed in place"):
            change()
    with pytest.raises(GraphError, match=r"\+=: a leaf tensor"):
        w += 1.0
    np.testing.assert_array_equal(w.numpy(), A)  # nothing was written
    assert w._version == 0


def test_leaf_requiring_grad_changes_inside_no_grad_like_an_optimizer_step():
    w = fresh(requires_grad=True)
    (w * w).sum().backward()
    with ag.no_grad():
        w.sub_(w.grad, alpha=0.25)  # w - 0.25 * 2w = w / 2
        w.grad.zero_()
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    np.testing.assert_allclose(w.numpy(), A / 2)
    np.testing.assert_array_equal(w.grad.numpy(), np.zeros_like(A))
    (w * w).sum().backward()  # the next step's graph records the new version: no error
    np.testing.assert_allclose(w.grad.numpy(), A)


# ---- saved tensors changed before backward --------------------------------------------------


def test_changing_a_saved_input_makes_that_backward_raise():
    x = fresh(requires_grad=True)
    c = ag.tensor([2.0, 2.0, 2.0], dtype=np.float64)
    y = x * c
    c.mul_(3.0)
    with pytest.raises(GraphError) as err:
        y.sum().backward()
    msg = str(err.value)
    assert "one of the tensors needed by Mul's backward was modified in place" in msg
    assert "input 1, of shape (3,), is at version 1, expected version 0" in msg
    assert x.grad is None


def test_error_names_the_version_the_gate_saw():
    x = fresh(requires_grad=True)
    c = ag.tensor([1.0, 2.0, 3.0], dtype=np.float64)
    c.add_(1.0)
    c.add_(1.0)
    y = x * c  # records c at version 2
    c.mul_(2.0)
    c.mul_(2.0)
    with pytest.raises(GraphError, match="input 1, of shape \\(3,\\), is at version 4, expected version 2"):
        y.sum().backward()
    z = x * c
    for _ in range(20):  # more changes than the history keeps: the version it saw is not known
        c.mul_(1.0)
    with pytest.raises(GraphError, match="is at version 24, expected an earlier version"):
        z.sum().backward()


def test_changing_a_saved_output_makes_that_backward_raise():
    x = fresh(requires_grad=True)
    y = x.exp()  # Exp's backward reads its output
    with ag.no_grad():
        y.mul_(2.0)
    with pytest.raises(GraphError, match=r"needed by Exp's backward .* its output, of shape \(2, 3\), is at version 1"):
        y.sum().backward()


def test_changing_memory_through_a_view_or_detach_is_seen():
    base = ag.tensor(np.arange(6.0).reshape(2, 3))
    x = ag.tensor([1.0, 2.0, 3.0], dtype=np.float64, requires_grad=True)
    y = x * base[1]  # Mul keeps a view of base's memory
    base.zero_()
    with pytest.raises(GraphError, match=r"Mul's backward .* input 1, of shape \(3,\), is at version 1"):
        y.sum().backward()

    z = x * x
    x.detach().zero_()  # detach shares x's memory and counter
    with pytest.raises(GraphError, match="Mul's backward was modified in place: input 0"):
        z.sum().backward()


def test_optimizer_step_between_forward_and_backward_is_caught():
    layer = nn.Linear(3, 2, dtype=np.float64)
    loss = layer(ag.tensor(A, dtype=np.float64)).sum()
    with ag.no_grad():
        layer.weight.sub_(1.0)  # a Parameter (a Tensor subclass) updated before backward
    with pytest.raises(GraphError, match=r"Linear's backward was modified in place: input 1, of shape \(2, 3\)"):
        loss.backward()


def test_gradient_accumulation_counts_as_a_change():
    x = fresh(requires_grad=True)
    (x * 1.0).sum().backward()
    w = ag.tensor(A.copy(), dtype=np.float64, requires_grad=True)
    y = w * x.grad  # x.grad is read by Mul's backward (for w)
    (x * 1.0).sum().backward()  # accumulates into x.grad in place
    with pytest.raises(GraphError, match="Mul's backward was modified in place: input 1"):
        y.sum().backward()


def test_unchanged_graph_backpropagates_after_unrelated_inplace_changes():
    x = fresh(requires_grad=True)
    unrelated = ag.zeros(5)
    y = (x * x).sum()
    unrelated.add_(1.0)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * A)


# ---- in-place ops recorded in the graph -----------------------------------------------------


def with_inplace(x, b):
    h = x * 2.0  # a non-leaf: the in-place ops below are recorded
    h += b
    h.mul_(x)
    h.sub_(b, alpha=0.5)
    h /= b * b + 1.0
    h.clamp_(-50.0, 50.0)
    return h


def without_inplace(x, b):
    return (((x * 2.0 + b) * x - 0.5 * b) / (b * b + 1.0)).clip(-50.0, 50.0)


@given(arrays(shapes(min_dims=1, max_dims=2)), arrays(shapes(min_dims=0, max_dims=1)))
def test_recorded_inplace_ops_match_out_of_place_values_and_gradients(a, c):
    if a.shape[-1:] != c.shape and c.ndim:
        c = np.resize(c, a.shape[-1:])
    x = ag.tensor(a, requires_grad=True)
    b = ag.tensor(c, requires_grad=True)
    np.testing.assert_allclose(with_inplace(x, b).numpy(), without_inplace(x, b).numpy())
    assert gradcheck(with_inplace, (x, b))


def test_leaf_without_grad_becomes_part_of_the_graph():
    w = ag.tensor([1.0, -2.0, 3.0], dtype=np.float64, requires_grad=True)
    buf = ag.zeros(3, dtype=np.float64)
    buf += w
    assert not buf.is_leaf and buf.requires_grad and buf.grad_fn.name == "Add"
    (buf * buf).sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), 2 * w.numpy())


def test_fill_and_copy_route_gradient_to_the_source_only():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    s = ag.tensor(3.0, dtype=np.float64, requires_grad=True)
    h = x * 1.0
    h.copy_(s)  # h = [s, s]
    (h * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])  # only through the second factor
    np.testing.assert_allclose(s.grad.numpy(), 3.0)  # x0 + x1
    assert gradcheck(lambda x: (x * 1.0).fill_(5.0) * x, x)


def test_inplace_with_itself_as_operand():
    x = ag.tensor([1.0, 2.0], dtype=np.float64, requires_grad=True)
    h = x * x
    h.mul_(h)  # h = x⁴
    h.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 4 * x.numpy() ** 3)


def test_consumer_recorded_before_the_change_refuses_to_backpropagate():
    x = fresh(requires_grad=True)
    h = x * 2.0
    z = h + 1.0  # Add's gradient for h would now flow through the mul_ below: wrong
    h.mul_(3.0)
    with pytest.raises(GraphError, match=r"needed by Add's backward was modified in place: input 0.*version 1"):
        (z + h).sum().backward()
    h2 = x * 2.0
    h2.mul_(3.0)
    (h2 + 1.0).sum().backward()  # consumers after the change are fine
    np.testing.assert_allclose(x.grad.numpy(), np.full_like(A, 6.0))


def test_operand_sharing_memory_with_the_changed_tensor_is_refused_in_the_graph():
    x = fresh(requires_grad=True)
    h = x * 2.0
    with pytest.raises(GraphError, match="mul_: an operand shares memory with the tensor changed in place"):
        h.mul_(h[0])
    np.testing.assert_array_equal(h.numpy(), 2 * A)  # nothing was written
    with ag.no_grad():
        h.mul_(h[0])  # outside the graph it is just arithmetic (NumPy handles the overlap)
    np.testing.assert_array_equal(h.numpy(), 2 * A * (2 * A[0]))


def test_view_of_a_graph_tensor_cannot_change_in_place():
    x = fresh(requires_grad=True)
    v = x.reshape(6)
    with pytest.raises(GraphError, match="add_: this tensor is a view of the input of Reshape"):
        v.add_(1.0)
    np.testing.assert_array_equal(x.numpy(), A)
    with pytest.raises(GraphError, match=r"mul_: this tensor is a view of the input of GetItem"):
        (x * 1.0)[0].mul_(2.0)
