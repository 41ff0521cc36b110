"""circuitgrad's engine: reverse-mode automatic differentiation on NumPy.

Every operation on a `Tensor` (or a `Scalar`) is a gate node in a graph; `backward()` walks the
graph in reverse topological order and each gate sends upstream × local gradient to its inputs.
"""

from importlib import import_module as _import_module
from typing import Any as _Any

from numpy import bool_, float16, float32, float64, int8, int16, int32, int64, uint8

from .tensor import Size, Tensor  # first: the gate modules import it  # isort: skip
from .anomaly import detect_anomaly
from .gradients import grad
from .draw import draw
from .errors import (
    AnomalyError,
    ArgumentError,
    AutogradError,
    DeviceError,
    DomainError,
    DTypeError,
    FileFormatError,
    GradcheckError,
    GraphError,
    GraphvizNotFound,
    IndexOutOfRange,
    MissingDependencyError,
    ShapeError,
)
from .device import cuda, device
from .factories import (
    arange,
    as_tensor,
    empty,
    empty_like,
    from_numpy,
    full_like,
    get_default_dtype,
    set_default_dtype,
    is_floating_point,
    is_tensor,
    linspace,
    logspace,
    rand_like,
    randint,
    randn_like,
    randperm,
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
from .grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .scalar import Scalar
from .trace import trace_backward
from . import aliases as _aliases
from . import autograd, indexing, linalg, linalg_ops, logic, method_forms, promotion, random_ops, reductions
from . import special, views
from .logic import *  # noqa: F403
from .method_forms import *  # noqa: F403  (autograd.sum(x, 1), autograd.add(2, x), autograd.exp_(x), ...)
from .promotion import promote_types, result_type
from .random_ops import Generator, bernoulli, multinomial, normal, poisson
from .linalg import det, slogdet
from .linalg import inv as inverse
from .linalg_ops import *  # noqa: F403  (each module's __all__: autograd.mm, autograd.cumsum, autograd.sin, ...)
from .reductions import *  # noqa: F403
from .special import *  # noqa: F403
from .indexing import (
    argwhere,
    gather,
    index_add,
    index_fill,
    index_select,
    masked_fill,
    masked_select,
    nonzero,
    scatter,
    scatter_add,
    take_along_dim,
)
from .views import (
    adjoint,
    chunk,
    dsplit,
    fliplr,
    flipud,
    hsplit,
    moveaxis,
    ravel,
    rot90,
    select,
    take,
    tensor_split,
    vsplit,
    flip,
    movedim,
    narrow,
    repeat_interleave,
    roll,
    split,
    swapaxes,
    swapdims,
    tile,
    unbind,
    unflatten,
)

from .serialization import load, save

_aliases.install()


def __getattr__(name: str) -> _Any:
    """`autograd.nn`, `autograd.optim`, `autograd.utils`: imported when first asked for (see `aliases`)."""
    if name in ("nn", "optim", "utils"):
        return _import_module(f"autograd.{name}")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


# PyTorch's dtype names (np.dtype compares equal to them: x.dtype == autograd.long)
float = float32  # noqa: A001
double = float64
half = float16
long = int64
int = int32  # noqa: A001
short = int16
bool = bool_  # noqa: A001

__all__ = [
    "adaptive_avg_pool2d",
    "AnomalyError",
    "arange",
    "ArgumentError",
    "as_tensor",
    "autograd",
    "linalg",
    "AutogradError",
    "avg_pool2d",
    "bool",
    "bool_",
    "cat",
    "concatenate",
    "conv2d",
    "cuda",
    "default_generator",
    "detect_anomaly",
    "device",
    "DeviceError",
    "DomainError",
    "double",
    "draw",
    "DTypeError",
    "empty",
    "empty_like",
    "enable_grad",
    "exp",
    "eye",
    "FileFormatError",
    "float",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "Function",
    "get_default_dtype",
    "set_default_dtype",
    "grad",
    "gradcheck",
    "GradcheckError",
    "gradgradcheck",
    "GraphError",
    "GraphvizNotFound",
    "half",
    "IndexOutOfRange",
    "int",
    "int16",
    "int32",
    "int64",
    "int8",
    "is_floating_point",
    "inference_mode",
    "is_grad_enabled",
    "is_tensor",
    "linspace",
    "load",
    "log",
    "log_softmax",
    "logspace",
    "logsumexp",
    "long",
    "manual_seed",
    "matmul",
    "max_pool2d",
    "maximum",
    "minimum",
    "MissingDependencyError",
    "no_grad",
    "ones",
    "ones_like",
    "pad",
    "rand",
    "rand_like",
    "randint",
    "randn",
    "randn_like",
    "randperm",
    "relu",
    "save",
    "Scalar",
    "Size",
    "set_grad_enabled",
    "ShapeError",
    "short",
    "sigmoid",
    "softmax",
    "sqrt",
    "stack",
    "tanh",
    "Tensor",
    "tensor",
    "trace_backward",
    "uint8",
    "where",
    "zeros",
    "zeros_like",
    *linalg_ops.__all__,
    *(name for name in reductions.__all__ if name not in ("vector_norm", "matrix_norm")),  # those: autograd.linalg
    *special.__all__,
    "argwhere",
    "gather",
    "index_add",
    "index_fill",
    "index_select",
    "masked_fill",
    "masked_select",
    "nonzero",
    "scatter",
    "scatter_add",
    "take_along_dim",
    "adjoint",
    "chunk",
    "dsplit",
    "fliplr",
    "flipud",
    "hsplit",
    "moveaxis",
    "ravel",
    "rot90",
    "select",
    "take",
    "tensor_split",
    "vsplit",
    "flip",
    "movedim",
    "narrow",
    "repeat_interleave",
    "roll",
    "split",
    "swapaxes",
    "swapdims",
    "tile",
    "unbind",
    "unflatten",
    "indexing",
    "views",
    "logic",
    "promotion",
    "random_ops",
    "promote_types",
    "result_type",
    "Generator",
    "bernoulli",
    "multinomial",
    "normal",
    "poisson",
    "det",
    "inverse",
    "slogdet",
    *logic.__all__,
    *method_forms.__all__,
]
