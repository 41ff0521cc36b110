"""PyTorch's `torch.autograd.functional`: Jacobians, Hessians and their products for a function of
tensors, built from `autograd.grad` (reverse mode; a Jacobian takes one backward per output
element, a Jacobian-vector product two backwards through a dummy cotangent u:
J v = d/du ⟨uᵀ J, v⟩).

`inputs` is a Tensor or a tuple of Tensors; results follow PyTorch's nesting: a single input (or
output) gives a Tensor where a tuple would give a tuple. `strict=True` raises where an output does
not depend on an input (PyTorch's check); `vectorize` and `strategy` are accepted (`vectorize`
changes nothing here, `strategy` must be "reverse-mode").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..errors import ArgumentError, GraphError, ShapeError
from ..functional import stack
from ..grad_mode import enable_grad
from ..gradients import grad
from ..tensor import Tensor

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _tuple(where: str, value: Any, what: str) -> tuple[bool, tuple[Tensor, ...]]:
    """(whether `value` was a tuple, its Tensors as a tuple)."""
    is_tuple = isinstance(value, (tuple, list))
    values = tuple(value) if is_tuple else (value,)
    for i, v in enumerate(values):
        if not isinstance(v, Tensor):
            raise ArgumentError(f"{where}: {what} {i} must be a Tensor, got {type(v).__name__}")
    return is_tuple, values


def _prepare(where: str, inputs: Any) -> tuple[bool, tuple[Tensor, ...]]:
    is_tuple, values = _tuple(where, inputs, "input")
    return is_tuple, tuple(v.detach().requires_grad_(True) if v.dtype.kind == "f" else v.detach() for v in values)


def _grads(
    where: str, out: Tensor, inputs: tuple[Tensor, ...], seed: Any, create_graph: bool, strict: bool
) -> tuple[Tensor, ...]:
    if not out.requires_grad:
        if strict:
            raise GraphError(f"{where}: an output does not depend on the inputs (strict=True)")
        return tuple(Tensor._wrap(np.zeros_like(x._data)) for x in inputs)
    gs = grad(out, inputs, seed, retain_graph=True, create_graph=create_graph, allow_unused=True)
    if strict and any(g is None for g in gs):
        raise GraphError(
            f"{where}: the output does not depend on input {[g is None for g in gs].index(True)} (strict=True)"
        )
    return tuple(Tensor._wrap(np.zeros_like(x._data)) if g is None else g for x, g in zip(inputs, gs))


def _check_strategy(where: str, strategy: str) -> None:
    if strategy != "reverse-mode":
        raise ArgumentError(f'{where}: only strategy="reverse-mode" is supported, got {strategy!r}')


def jacobian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """J[i][j] = d outputs[i] / d inputs[j], of shape outputs[i].shape + inputs[j].shape."""
    _check_strategy("jacobian", strategy)
    in_tuple, xs = _prepare("jacobian", inputs)
    with enable_grad():
        out_tuple, outs = _tuple("jacobian", func(*xs), "output")
        rows = []
        for out in outs:
            flat = out.reshape(-1)
            per_element = []
            for k in range(flat.shape[0]):
                seed = np.zeros(flat.shape[0], dtype=out.dtype)
                seed[k] = 1
                per_element.append(_grads("jacobian", flat, xs, Tensor._wrap(seed), create_graph, strict))
            row = []
            for j, x in enumerate(xs):
                columns = [g[j] for g in per_element]
                block = stack(columns) if columns else Tensor._wrap(np.zeros((0,) + x.shape, dtype=out.dtype))
                row.append(block.reshape(out.shape + x.shape))
            rows.append(tuple(row) if in_tuple else row[0])
    return tuple(rows) if out_tuple else rows[0]


def hessian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """H[i][j] = d² f / d inputs[i] d inputs[j] for a function f with one element."""
    in_tuple, xs = _prepare("hessian", inputs)

    def gradient(*values: Tensor) -> Any:
        out = func(*values)
        if not isinstance(out, Tensor) or out._data.size != 1:
            raise ShapeError("hessian: the function must return a Tensor with a single element")
        gs = _grads("hessian", out.reshape(()), values, None, True, strict)
        return gs if in_tuple else gs[0]

    return jacobian(gradient, xs if in_tuple else xs[0], create_graph, strict, vectorize, outer_jacobian_strategy)


def _result(values: tuple[Tensor, ...], is_tuple: bool, create_graph: bool) -> Any:
    values = values if create_graph else tuple(v.detach() for v in values)
    return values if is_tuple else values[0]


def _cotangents(where: str, v: Any, like: tuple[Tensor, ...], what: str) -> tuple[Tensor, ...] | None:
    if v is None:
        if any(t._data.size != 1 for t in like):
            raise ShapeError(f"{where}: v can be left out only when every {what} has a single element")
        return None
    _, vs = _tuple(where, v, "v")
    if len(vs) != len(like) or any(a.shape != b.shape for a, b in zip(vs, like)):
        raise ShapeError(
            f"{where}: v has shapes {[a.shape for a in vs]}; expected the {what}s' shapes {[b.shape for b in like]}"
        )
    return vs


def vjp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), vᵀ J): the vector-Jacobian product."""
    in_tuple, xs = _prepare("vjp", inputs)
    with enable_grad():
        out_tuple, outs = _tuple("vjp", func(*xs), "output")
        seeds = _cotangents("vjp", v, outs, "output")
        total = grad(outs, xs, seeds, create_graph=create_graph, allow_unused=True, materialize_grads=True)
    return _result(outs, out_tuple, create_graph), _result(tuple(total), in_tuple, create_graph)


def jvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), J v): the Jacobian-vector product, as d/du of uᵀ J v for a dummy u."""
    in_tuple, xs = _prepare("jvp", inputs)
    tangents = _cotangents("jvp", v, xs, "input")
    with enable_grad():
        out_tuple, outs = _tuple("jvp", func(*xs), "output")
        us = tuple(Tensor._wrap(np.zeros_like(o._data)).requires_grad_(True) for o in outs)
        uj = grad(outs, xs, us, create_graph=True, allow_unused=True, materialize_grads=True)
        total = _contract(uj, tangents, xs, us, create_graph)
    return _result(outs, out_tuple, create_graph), _result(tuple(total), out_tuple, create_graph)


def _contract(
    grads: tuple[Tensor, ...],
    tangents: tuple[Tensor, ...] | None,
    xs: tuple[Tensor, ...],
    wrt: tuple[Tensor, ...],
    create_graph: bool,
) -> tuple[Tensor, ...]:
    """d/d`wrt` of Σᵢ ⟨grads[i], tangents[i]⟩ (tangents of ones for None): the second backward of
    jvp and vhp. Gradients that are constants (no graph to `wrt`) contribute zeros."""
    pairs = zip(grads, tangents or tuple(Tensor._wrap(np.ones_like(x._data)) for x in xs))
    live = [(g, t) for g, t in pairs if g.requires_grad]
    if not live:
        return tuple(Tensor._wrap(np.zeros_like(w._data)) for w in wrt)
    return grad(
        [g for g, _ in live],
        wrt,
        [t for _, t in live],
        create_graph=create_graph,
        allow_unused=True,
        materialize_grads=True,
    )


def vhp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), vᵀ H) for a function with one element."""
    in_tuple, xs = _prepare("vhp", inputs)
    tangents = _cotangents("vhp", v, xs, "input")
    with enable_grad():
        out = func(*xs)
        if not isinstance(out, Tensor) or out._data.size != 1:
            raise ShapeError("vhp: the function must return a Tensor with a single element")
        gs = grad(out, xs, create_graph=True, allow_unused=True, materialize_grads=True)
        total = _contract(gs, tangents, xs, xs, create_graph)
    return _result((out,), False, create_graph), _result(tuple(total), in_tuple, create_graph)


def hvp(
    func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), H v); the Hessian is symmetric, so this is `vhp`."""
    return vhp(func, inputs, v, create_graph, strict)
