"""The PyTorch parity harness: run one API entry on this engine and on PyTorch (the CPU wheel, a
test extra), from the same float64 inputs, and compare values, dtypes, shapes and gradients.

    check(lambda m, x: m.sin(x), [np.linspace(-2, 2, 5)])

`fn(m, *inputs)` is called twice: with `m = autograd` and `Tensor` inputs, and with `m = torch`
and torch tensors; results may be a tensor, a number, a bool, or a tuple/list of those. Floats
compare to 1e-6 relative (float64), integers and bools exactly. With `grad=True` (the default
when every result is floating), the sum of each floating result weighted by fixed random
cotangents is backpropagated on both sides and every input's gradient compared too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

import autograd as ag

RTOL, ATOL = 1e-6, 1e-9


def _ours(x: np.ndarray, requires_grad: bool) -> ag.Tensor:
    return ag.tensor(x, dtype=x.dtype, requires_grad=requires_grad and x.dtype.kind == "f")


def _theirs(x: np.ndarray, requires_grad: bool) -> torch.Tensor:
    return torch.tensor(x, requires_grad=requires_grad and x.dtype.kind == "f")


def _flat(result: Any) -> list[Any]:
    if isinstance(result, (tuple, list)):
        return [r for item in result for r in _flat(item)]
    return [result]


def as_numpy(value: Any) -> Any:
    """Our result or PyTorch's as NumPy (arrays) or a plain Python value."""
    if isinstance(value, ag.Tensor):
        return np.asarray(value.numpy())
    if isinstance(value, torch.Tensor):
        return value.detach().numpy()
    return value


def _torch_dtype_name(value: Any) -> str | None:
    if isinstance(value, ag.Tensor):
        return str(value.dtype)
    if isinstance(value, torch.Tensor):
        return str(value.dtype).removeprefix("torch.")
    return None


def assert_same(ours: Any, theirs: Any, what: str = "result") -> None:
    """Values, dtypes and shapes of two results (ours, PyTorch's) agree."""
    a, b = _flat(ours), _flat(theirs)
    assert len(a) == len(b), f"{what}: {len(a)} results here, {len(b)} in PyTorch"
    for i, (x, y) in enumerate(zip(a, b)):
        name = f"{what}[{i}]" if len(a) > 1 else what
        assert _torch_dtype_name(x) == _torch_dtype_name(y), (
            f"{name}: dtype {_torch_dtype_name(x)} vs {_torch_dtype_name(y)}"
        )
        xv, yv = as_numpy(x), as_numpy(y)
        if isinstance(yv, np.ndarray):
            assert isinstance(xv, np.ndarray), f"{name}: got {type(x).__name__}, PyTorch gives a tensor"
            assert xv.shape == yv.shape, f"{name}: shape {xv.shape} vs {yv.shape}"
            if yv.dtype.kind == "f":
                np.testing.assert_allclose(xv, yv, rtol=RTOL, atol=ATOL, err_msg=name, equal_nan=True)
            else:
                np.testing.assert_array_equal(xv, yv, err_msg=name)
        else:
            assert type(xv) is type(yv), f"{name}: {type(xv).__name__} vs {type(yv).__name__}"
            if isinstance(yv, float):
                np.testing.assert_allclose(xv, yv, rtol=RTOL, atol=ATOL, err_msg=name)
            else:
                assert xv == yv, f"{name}: {xv!r} vs {yv!r}"


def check(fn: Callable[..., Any], inputs: Sequence[Any], *, grad: bool | None = None, seed: int = 0) -> None:
    """Run `fn(m, *inputs)` on both engines and compare results and (if `grad`) input gradients.
    Inputs that are NumPy arrays become tensors (float ones require grad); others pass as they are.
    `grad=False` skips the gradient comparison (for results that are not differentiable)."""
    arrays = [np.asarray(x) if isinstance(x, (np.ndarray, list)) else x for x in inputs]
    ours_in = [_ours(x, True) if isinstance(x, np.ndarray) else x for x in arrays]
    theirs_in = [_theirs(x, True) if isinstance(x, np.ndarray) else x for x in arrays]
    ours, theirs = fn(ag, *ours_in), fn(torch, *theirs_in)
    assert_same(ours, theirs)
    floating = [
        (o, t) for o, t in zip(_flat(ours), _flat(theirs)) if isinstance(t, torch.Tensor) and t.is_floating_point()
    ]
    if grad is None:
        grad = bool(floating) and len(floating) == len(_flat(theirs)) and any(t.requires_grad for _, t in floating)
    if not grad:
        return
    rng = np.random.default_rng(seed)
    cotangents = [rng.uniform(-1, 1, np.shape(as_numpy(t))) for _, t in floating]
    loss_ours = sum(((o * ag.tensor(c)).sum() for (o, _), c in zip(floating, cotangents)), ag.tensor(0.0))
    loss_theirs = sum(
        ((t * torch.tensor(c)).sum() for (_, t), c in zip(floating, cotangents)), torch.tensor(0.0, dtype=torch.float64)
    )
    leaves = [(o, t) for o, t in zip(ours_in, theirs_in) if isinstance(t, torch.Tensor) and t.requires_grad]
    grads_ours = ag.grad(loss_ours, [o for o, _ in leaves], allow_unused=True, materialize_grads=True)
    grads_theirs = torch.autograd.grad(loss_theirs, [t for _, t in leaves], allow_unused=True, materialize_grads=True)
    for i, (go, gt) in enumerate(zip(grads_ours, grads_theirs)):
        assert_same(go, gt, f"gradient of input {i}")


def plain_result(value: Any) -> Any:
    """A program's result (nested lists, tuples and dicts of tensors and Python values) as NumPy
    arrays and Python values, to compare across the two engines."""
    if isinstance(value, dict):
        return {k: plain_result(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not isinstance(value, torch.Size):
        return [plain_result(v) for v in value]
    if isinstance(value, (ag.Tensor, torch.Tensor)):
        return np.asarray(as_numpy(value))
    return value


def assert_same_result(ours: Any, theirs: Any, where: str = "result", rtol: float = 1e-9) -> None:
    """Two `plain_result`s agree: the same structure, dtypes and shapes; floats to `rtol` (float32
    arrays to 1e-6: NumPy's and PyTorch's exp differ by an ulp); everything else exactly."""
    if isinstance(theirs, dict):
        assert isinstance(ours, dict) and list(ours) == list(theirs), f"{where}: keys {list(ours)} vs {list(theirs)}"
        for k in theirs:
            assert_same_result(ours[k], theirs[k], f"{where}[{k!r}]", rtol)
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), where
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same_result(a, b, f"{where}[{i}]", rtol)
    elif isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray), f"{where}: {type(ours).__name__}, PyTorch gives a tensor"
        assert ours.shape == theirs.shape and ours.dtype == theirs.dtype, (
            f"{where}: {ours.shape} {ours.dtype} vs {theirs.shape} {theirs.dtype}"
        )
        if theirs.dtype.kind == "f":
            tol = rtol if theirs.dtype == np.float64 else max(rtol, 1e-6)
            np.testing.assert_allclose(ours, theirs, rtol=tol, atol=1e-12, err_msg=where)
        else:
            np.testing.assert_array_equal(ours, theirs, err_msg=where)
    elif isinstance(theirs, float):
        assert type(ours) is float, f"{where}: {type(ours).__name__} vs float"
        np.testing.assert_allclose(ours, theirs, rtol=rtol, err_msg=where)
    elif isinstance(theirs, tuple):  # torch.Size
        assert tuple(ours) == theirs, where
    else:
        assert ours == theirs and type(ours) is type(theirs), f"{where}: {ours!r} vs {theirs!r}"
