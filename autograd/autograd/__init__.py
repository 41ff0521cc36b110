"""`autograd.autograd`: the namespace PyTorch calls `torch.autograd`, so that code ported with
`import autograd as torch` finds `torch.autograd.grad`, `.backward`, `.Function` and `.functional`."""

from ..anomaly import detect_anomaly
from ..extend import once_differentiable
from .function import Function
from ..grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from ..gradcheck import gradcheck, gradgradcheck
from ..gradients import backward, grad
from . import functional

__all__ = [
    "Function",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "functional",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "is_grad_enabled",
    "no_grad",
    "once_differentiable",
    "set_grad_enabled",
]
