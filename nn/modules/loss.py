"""The losses as modules (`nn.MSELoss()(input, target)`): each calls its function in
`nn.functional` with the module's options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Tensor

from ..functional.loss import (
    _check_reduction,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    l1_loss,
    mse_loss,
    multi_margin_loss,
    nll_loss,
    smooth_l1_loss,
)
from .module import Module


# ---- modules ----------------------------------------------------------------------------------
class _Loss(Module):
    """A loss as a module: `forward(input, target)` calls `function` with the module's options."""

    function: Callable[..., Tensor]

    def __init__(self, reduction: str = "mean", **options: Any) -> None:
        super().__init__()
        _check_reduction(type(self).__name__, reduction)
        self.reduction = reduction
        self._options = tuple(options)
        for name, value in options.items():
            setattr(self, name, value)

    def forward(self, input: Tensor, target: Any) -> Tensor:
        options = {name: getattr(self, name) for name in self._options}
        return type(self).function(input, target, reduction=self.reduction, **options)


class MSELoss(_Loss):
    """`mse_loss`: (x − y)²."""

    function = staticmethod(mse_loss)

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)


class L1Loss(_Loss):
    """`l1_loss`: |x − y|."""

    function = staticmethod(l1_loss)

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)


class SmoothL1Loss(_Loss):
    """`smooth_l1_loss`: quadratic within β of the target, linear outside."""

    function = staticmethod(smooth_l1_loss)

    def __init__(self, *, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction, beta=beta)


class BCELoss(_Loss):
    """`binary_cross_entropy` on probabilities."""

    function = staticmethod(binary_cross_entropy)

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)


class BCEWithLogitsLoss(_Loss):
    """`binary_cross_entropy_with_logits`; `pos_weight` is kept as a buffer (as in PyTorch)."""

    function = staticmethod(binary_cross_entropy_with_logits)

    def __init__(self, *, reduction: str = "mean", pos_weight: Tensor | None = None) -> None:
        super().__init__(reduction)
        self.register_buffer("pos_weight", None if pos_weight is None else Tensor(pos_weight))
        self._options = ("pos_weight",)


class CrossEntropyLoss(_Loss):
    """`cross_entropy` from logits, with integer labels or class probabilities."""

    function = staticmethod(cross_entropy)

    def __init__(self, *, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(reduction, label_smoothing=label_smoothing)


class NLLLoss(_Loss):
    """`nll_loss` on log-probabilities."""

    function = staticmethod(nll_loss)

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)


class MultiMarginLoss(_Loss):
    """`multi_margin_loss`: the multiclass SVM hinge loss."""

    function = staticmethod(multi_margin_loss)

    def __init__(self, p: int = 1, margin: float = 1.0, *, reduction: str = "mean") -> None:
        super().__init__(reduction, p=p, margin=margin)
