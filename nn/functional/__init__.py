"""The functional form of every layer, activation and loss (`import nn.functional as F`), PyTorch's
names and arguments, one file per family beside nn/modules/."""

from autograd import adaptive_avg_pool2d, avg_pool2d, conv2d, max_pool2d

from .activation import elu, leaky_relu, log_softmax, prelu, relu, sigmoid, softmax, softplus, tanh
from .dropout import dropout, dropout2d
from .linear import linear
from .loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    multi_margin_loss,
    nll_loss,
    smooth_l1_loss,
)
from .normalization import batch_norm

__all__ = [
    "adaptive_avg_pool2d",
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv2d",
    "cross_entropy",
    "dropout",
    "dropout2d",
    "elu",
    "l1_loss",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "mse_loss",
    "multi_margin_loss",
    "nll_loss",
    "prelu",
    "relu",
    "sigmoid",
    "smooth_l1_loss",
    "softmax",
    "softplus",
    "tanh",
]
