"""Helpers the layer tests share: float64 inputs and a gradcheck over a layer's input and parameters."""

import numpy as np

import autograd as ag
from autograd import gradcheck


def check_layer(layer, x):
    """gradcheck of `layer` w.r.t. its input and every parameter (all float64)."""
    params = list(layer.parameters())
    assert all(p.dtype == np.float64 for p in params)
    return gradcheck(lambda inp, *_: layer(inp), (x, *params))


def x64(*shape, seed=0, scale=1.0):
    """A float64 standard-normal input of `shape` (times `scale`) that requires grad."""
    return ag.Tensor(np.random.default_rng(seed).standard_normal(shape) * scale, requires_grad=True)
