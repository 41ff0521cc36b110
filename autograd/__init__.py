"""circuitgrad's engine: reverse-mode automatic differentiation on NumPy.

Every operation on a `Tensor` (or a `Scalar`) is a gate node in a graph; `backward()` walks the
graph in reverse topological order and each gate sends upstream × local gradient to its inputs.
"""

from importlib import import_module as _import_module
from typing import Any as _Any

from numpy import bool_, float16, float32, float64, int32, int64

from .tensor import Tensor  # first: the gate modules import it  # isort: skip
from .anomaly import detect_anomaly
from .gradients import grad
from .draw import draw
from .errors import (
    AnomalyError,
    ArgumentError,
    AutogradError,
    DomainError,
    DTypeError,
    GradcheckError,
    GraphError,
    GraphvizNotFound,
    IndexOutOfRange,
    ShapeError,
)
from .factories import (
    arange,
    default_generator,
    eye,
    full,
    manual_seed,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from .function import Function
from .functional import (
    adaptive_avg_pool2d,
    avg_pool2d,
    cat,
    concatenate,
    conv2d,
    exp,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max_pool2d,
    maximum,
    minimum,
    pad,
    relu,
    sigmoid,
    softmax,
    sqrt,
    stack,
    tanh,
    where,
)
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .scalar import Scalar
from .trace import trace_backward
from . import aliases as _aliases
from . import autograd

_aliases.install()


def __getattr__(name: str) -> _Any:
    """`autograd.nn`, `autograd.optim`, `autograd.utils`: imported when first asked for (see `aliases`)."""
    if name in ("nn", "optim", "utils"):
        return _import_module(f"autograd.{name}")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


__all__ = [
    "AnomalyError",
    "ArgumentError",
    "AutogradError",
    "DTypeError",
    "DomainError",
    "Function",
    "GradcheckError",
    "GraphError",
    "GraphvizNotFound",
    "IndexOutOfRange",
    "Scalar",
    "ShapeError",
    "Tensor",
    "adaptive_avg_pool2d",
    "arange",
    "autograd",
    "avg_pool2d",
    "bool_",
    "cat",
    "concatenate",
    "conv2d",
    "default_generator",
    "detect_anomaly",
    "draw",
    "enable_grad",
    "exp",
    "eye",
    "float16",
    "float32",
    "float64",
    "full",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "int32",
    "int64",
    "is_grad_enabled",
    "log",
    "log_softmax",
    "logsumexp",
    "manual_seed",
    "matmul",
    "max_pool2d",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "pad",
    "rand",
    "randn",
    "relu",
    "set_grad_enabled",
    "sigmoid",
    "softmax",
    "sqrt",
    "stack",
    "tanh",
    "tensor",
    "trace_backward",
    "where",
    "zeros",
    "zeros_like",
]
