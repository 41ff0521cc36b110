"""Lazy modules, as PyTorch's: `LazyLinear`, `LazyConv1d`, `LazyConv2d`, `LazyConvTranspose1d`,
`LazyConvTranspose2d`, `LazyBatchNorm1d`, `LazyBatchNorm2d` infer their input size (in_features,
in_channels, num_features) from the first input they are called on.

Until then their parameters (and BatchNorm's running statistics) are `UninitializedParameter` /
`UninitializedBuffer` (nn.parameter). The first call materializes them in place (the same objects, so
an optimizer made before it updates them), draws them as the non-lazy class's `reset_parameters`
does (the same distribution and the same draws from the default generator), and turns the module
into that class (`cls_to_become`: after it, `type(m) is nn.Linear`). The d2l way:

    net = nn.Sequential(nn.LazyConv2d(6, 5, padding=2), nn.Sigmoid(), nn.Flatten(), nn.LazyLinear(10))
    net(autograd.zeros(1, 1, 28, 28))          # shapes inferred, parameters drawn
    net.apply(init_fn)                          # then re-initialise as usual

Loading a state dict into a lazy module materializes its parameters from the loaded shapes instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor, no_grad
from autograd.errors import ArgumentError, ShapeError
from autograd.extend import wrap

from ..parameter import UninitializedBuffer, UninitializedParameter, UninitializedParameterError, is_lazy
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d, IntPair, IntTuple
from .linear import Linear
from .module import Module
from .normalization import BatchNorm1d, BatchNorm2d, _BatchNorm


class LazyModuleMixin:
    """Mixed in before a module class: registers a forward pre-hook that, at the first call, runs
    `initialize_parameters(*args, **kwargs)` (which each lazy module defines), checks nothing is left
    uninitialized, removes itself and turns the module into `cls_to_become` (if set)."""

    cls_to_become: type[Module] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_hook = self.register_forward_pre_hook(_infer_parameters, with_kwargs=True)  # type: ignore[attr-defined]

    def has_uninitialized_params(self) -> bool:
        """Whether a parameter or buffer of this module (not its children) is still uninitialized."""
        own = self.__dict__
        return any(is_lazy(t) for t in (*own["_parameters"].values(), *own["_buffers"].values()))

    def initialize_parameters(self, *args: Any, **kwargs: Any) -> None:
        """Materialize the parameters from the first call's inputs."""
        raise NotImplementedError(f"initialize_parameters is not implemented for {type(self).__name__}")


def _infer_parameters(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    with no_grad():
        module.initialize_parameters(*args, **kwargs)
    if module.has_uninitialized_params():
        raise UninitializedParameterError(
            f"{type(module).__name__}.initialize_parameters left parameters uninitialized: "
            + ", ".join(k for k, v in (*module._parameters.items(), *module._buffers.items()) if is_lazy(v))
        )
    module._initialize_hook.remove()
    del module._initialize_hook
    if module.cls_to_become is not None:
        old = type(module).__name__
        module.__class__ = module.cls_to_become
        label = module._scope_label  # "0: LazyLinear" becomes "0: Linear", as drawings group gates
        object.__setattr__(module, "_scope_label", label[: len(label) - len(old)] + type(module).__name__)


def _input_size(module: Any, input: Any, dim: int, ndims: tuple[int, ...], what: str) -> int:
    """Size `dim` of the first input, which must be a Tensor with one of `ndims` dims (any, if empty)."""
    name = type(module).__name__
    if not isinstance(input, Tensor):
        raise ArgumentError(f"{name}: expected a Tensor input to infer {what} from, got {type(input).__name__}")
    if (ndims and input.ndim not in ndims) or input.ndim < (dim + 1 if dim >= 0 else -dim):
        wanted = " or ".join(f"{d}-d" for d in ndims) if ndims else f"an at least {abs(dim) + (dim >= 0)}-d"
        raise ShapeError(f"{name}: expected {wanted} input to infer {what} from, got shape {input.shape}")
    return int(input.shape[dim])


class LazyLinear(LazyModuleMixin, Linear):
    """`Linear` with `in_features` inferred from the last dim of the first input."""

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, dtype: Any = None) -> None:
        super().__init__(0, 0, False, dtype=dtype)
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_features = out_features
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor) -> None:  # type: ignore[override]
        if self.has_uninitialized_params():
            self.in_features = _input_size(self, input, -1, (), "in_features")
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()
        if self.in_features == 0:  # materialized by load_state_dict: the weight knows it, as in PyTorch
            self.in_features = self.weight.shape[-1]


class _LazyConvMixin(LazyModuleMixin):
    """A convolution with `in_channels` inferred from the channel dim of the first input, which has
    one of `input_dims` dims (dim 1 of a batch, dim 0 of an unbatched input)."""

    input_dims: tuple[int, ...]
    in_channels: int
    out_channels: int
    groups: int
    spatial: int

    def _lazy_parameters(self, out_channels: int, bias: bool, dtype: Any) -> None:
        """Called by __init__ after the plain class's, built with 0 channels and no bias."""
        self.weight = UninitializedParameter(dtype=dtype)
        self.out_channels = out_channels
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()  # type: ignore[misc]

    def initialize_parameters(self, input: Tensor, *args: Any, **kwargs: Any) -> None:
        """Materialize from `input` (a transposed convolution's output_size= plays no part)."""
        if not self.has_uninitialized_params():
            return
        name = type(self).__name__
        batched = isinstance(input, Tensor) and input.ndim == self.spatial + 2
        in_channels = _input_size(self, input, 1 if batched else 0, self.input_dims, "in_channels")
        if in_channels % self.groups:
            raise ShapeError(
                f"{name}: in_channels={in_channels} (dim {int(batched)} of the input of shape {input.shape}) must "
                f"be divisible by groups={self.groups}"
            )
        self.in_channels = in_channels
        self.weight.materialize(self.weight_shape())  # type: ignore[attr-defined]
        if self.bias is not None:
            self.bias.materialize((self.out_channels,))
        self.reset_parameters()


class LazyConv1d(_LazyConvMixin, Conv1d):
    """`Conv1d` with `in_channels` inferred from the first (N, C, L) or (C, L) input."""

    cls_to_become = Conv1d
    input_dims = (2, 3)

    def __init__(
        self,
        out_channels: int,
        kernel_size: IntTuple,
        stride: IntTuple = 1,
        padding: IntTuple | str = 0,
        dilation: IntTuple = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        dtype: Any = None,
    ) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, dtype=dtype)
        self._lazy_parameters(out_channels, bias, dtype)


class LazyConv2d(_LazyConvMixin, Conv2d):
    """`Conv2d` with `in_channels` inferred from the first (N, C, H, W) or (C, H, W) input."""

    cls_to_become = Conv2d
    input_dims = (3, 4)

    def __init__(
        self,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair | str = 0,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        dtype: Any = None,
    ) -> None:
        super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False, padding_mode, dtype=dtype)
        self._lazy_parameters(out_channels, bias, dtype)


class _LazyConvTranspose(_LazyConvMixin):
    """The lazy transposed convolutions' constructor: PyTorch's arguments, without in_channels."""

    def __init__(
        self,
        out_channels: int,
        kernel_size: IntTuple,
        stride: IntTuple = 1,
        padding: IntTuple = 0,
        output_padding: IntTuple = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: IntTuple = 1,
        padding_mode: str = "zeros",
        dtype: Any = None,
    ) -> None:
        super().__init__(
            0, 0, kernel_size, stride, padding, output_padding, groups, False, dilation, padding_mode, dtype=dtype
        )
        self._lazy_parameters(out_channels, bias, dtype)


class LazyConvTranspose1d(_LazyConvTranspose, ConvTranspose1d):
    """`ConvTranspose1d` with `in_channels` inferred from the first (N, C, L) or (C, L) input."""

    cls_to_become = ConvTranspose1d
    input_dims = (2, 3)


class LazyConvTranspose2d(_LazyConvTranspose, ConvTranspose2d):
    """`ConvTranspose2d` with `in_channels` inferred from the first (N, C, H, W) or (C, H, W) input."""

    cls_to_become = ConvTranspose2d
    input_dims = (3, 4)


class _LazyNormBase(LazyModuleMixin, _BatchNorm):
    """Batch normalisation with `num_features` inferred from dim 1 of the first input."""

    def __init__(
        self,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__(0, eps, momentum, False, False, dtype=dtype)
        self.affine, self.track_running_stats = affine, track_running_stats
        if affine:
            self.weight = UninitializedParameter(dtype=dtype)
            self.bias = UninitializedParameter(dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=dtype)
            self.running_var = UninitializedBuffer(dtype=dtype)
            self.num_batches_tracked = wrap(np.array(0, dtype=np.int64))

    def reset_parameters(self) -> None:
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input: Tensor) -> None:  # type: ignore[override]
        if not self.has_uninitialized_params():
            return
        self.num_features = _input_size(self, input, 1, self.dims, "num_features")
        for t in (self.weight, self.bias, self.running_mean, self.running_var):
            if t is not None:
                t.materialize((self.num_features,))
        self.reset_parameters()


class LazyBatchNorm1d(_LazyNormBase, BatchNorm1d):
    """`BatchNorm1d` with `num_features` inferred from the first (N, C) or (N, C, L) input."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormBase, BatchNorm2d):
    """`BatchNorm2d` with `num_features` inferred from the first (N, C, H, W) input."""

    cls_to_become = BatchNorm2d
