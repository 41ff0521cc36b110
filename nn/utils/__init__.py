"""`nn.utils`, as PyTorch's `torch.nn.utils`: gradient clipping (`clip_grad`), between parameters and
one vector (`convert_parameters`), and variable-length sequences (`rnn`: padding and packing); and,
beyond PyTorch, per-layer gradient norms and their bar chart (`grad_norms`)."""

from . import clip_grad, convert_parameters, rnn
from .clip_grad import NonFiniteNormError, clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .grad_norms import grad_norms, plot_grad_norms

__all__ = [
    "NonFiniteNormError",
    "clip_grad",
    "clip_grad_norm_",
    "clip_grad_value_",
    "clip_grads_with_norm_",
    "convert_parameters",
    "get_total_norm",
    "grad_norms",
    "parameters_to_vector",
    "plot_grad_norms",
    "rnn",
    "vector_to_parameters",
]
