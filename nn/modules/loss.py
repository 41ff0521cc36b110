"""The losses as modules (`nn.MSELoss()(input, target)`): each calls its function in
`nn.functional` with the module's options. Constructor arguments are PyTorch's, in PyTorch's order
(the legacy `size_average` / `reduce` must be None); `weight` and `pos_weight` are buffers, so they
are in the state dict and move with the module, as in PyTorch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Tensor

from ..functional.loss import (
    _check_legacy,
    _check_reduction,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cosine_embedding_loss,
    cross_entropy,
    gaussian_nll_loss,
    hinge_embedding_loss,
    huber_loss,
    kl_div,
    l1_loss,
    margin_ranking_loss,
    mse_loss,
    multi_margin_loss,
    multilabel_margin_loss,
    multilabel_soft_margin_loss,
    nll_loss,
    poisson_nll_loss,
    smooth_l1_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from .module import Module


# ---- modules ----------------------------------------------------------------------------------
class _Loss(Module):
    """A loss as a module: `forward(*inputs)` calls `function` with the module's options (and its
    buffers named in `buffers`, e.g. weight)."""

    function: Callable[..., Tensor]
    reductions: tuple[str, ...] = ("mean", "sum", "none")

    def __init__(
        self,
        reduction: str = "mean",
        size_average: Any = None,
        reduce: Any = None,
        buffers: dict[str, Any] | None = None,
        **options: Any,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        _check_legacy(name, size_average, reduce)
        _check_reduction(name, reduction, self.reductions)
        self.reduction = reduction
        self._options = tuple(options) + tuple(buffers or ())
        for key, value in options.items():
            setattr(self, key, value)
        for key, value in (buffers or {}).items():
            self.register_buffer(key, value if value is None or isinstance(value, Tensor) else Tensor(value))

    def forward(self, *inputs: Any) -> Tensor:
        options = {name: getattr(self, name) for name in self._options}
        return type(self).function(*inputs, reduction=self.reduction, **options)


class MSELoss(_Loss):
    """`mse_loss`: (x − y)²."""

    function = staticmethod(mse_loss)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction, size_average, reduce)


class L1Loss(_Loss):
    """`l1_loss`: |x − y|."""

    function = staticmethod(l1_loss)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction, size_average, reduce)


class SmoothL1Loss(_Loss):
    """`smooth_l1_loss`: quadratic within β of the target, linear outside."""

    function = staticmethod(smooth_l1_loss)

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean", beta: float = 1.0
    ) -> None:
        super().__init__(reduction, size_average, reduce, beta=beta)


class HuberLoss(_Loss):
    """`huber_loss`: quadratic within δ of the target, linear (slope δ) outside."""

    function = staticmethod(huber_loss)

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction, delta=delta)


class KLDivLoss(_Loss):
    """`kl_div` of log-probabilities from a target distribution (reduction also "batchmean")."""

    function = staticmethod(kl_div)
    reductions = ("mean", "batchmean", "sum", "none")

    def __init__(
        self, size_average: Any = None, reduce: Any = None, reduction: str = "mean", log_target: bool = False
    ) -> None:
        super().__init__(reduction, size_average, reduce, log_target=log_target)


class PoissonNLLLoss(_Loss):
    """`poisson_nll_loss`: the Poisson negative log-likelihood."""

    function = staticmethod(poisson_nll_loss)

    def __init__(
        self,
        log_input: bool = True,
        full: bool = False,
        size_average: Any = None,
        eps: float = 1e-8,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction, size_average, reduce, log_input=log_input, full=full, eps=eps)


class GaussianNLLLoss(_Loss):
    """`gaussian_nll_loss`: forward(input, target, var)."""

    function = staticmethod(gaussian_nll_loss)

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction, full=full, eps=eps)


class BCELoss(_Loss):
    """`binary_cross_entropy` on probabilities."""

    function = staticmethod(binary_cross_entropy)

    def __init__(
        self, weight: Tensor | None = None, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction, size_average, reduce, buffers={"weight": weight})


class BCEWithLogitsLoss(_Loss):
    """`binary_cross_entropy_with_logits`."""

    function = staticmethod(binary_cross_entropy_with_logits)

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(reduction, size_average, reduce, buffers={"weight": weight, "pos_weight": pos_weight})


class CrossEntropyLoss(_Loss):
    """`cross_entropy` from logits, with integer labels or class probabilities."""

    function = staticmethod(cross_entropy)

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(
            reduction,
            size_average,
            reduce,
            buffers={"weight": weight},
            ignore_index=ignore_index,
            label_smoothing=label_smoothing,
        )


class NLLLoss(_Loss):
    """`nll_loss` on log-probabilities."""

    function = staticmethod(nll_loss)

    def __init__(
        self,
        weight: Tensor | None = None,
        size_average: Any = None,
        ignore_index: int = -100,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction, size_average, reduce, buffers={"weight": weight}, ignore_index=ignore_index)


class MultiMarginLoss(_Loss):
    """`multi_margin_loss`: the multiclass SVM hinge loss."""

    function = staticmethod(multi_margin_loss)

    def __init__(
        self,
        p: int = 1,
        margin: float = 1.0,
        weight: Tensor | None = None,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction, size_average, reduce, buffers={"weight": weight}, p=p, margin=margin)


class MultiLabelMarginLoss(_Loss):
    """`multilabel_margin_loss`: the multi-label hinge loss over class-index targets."""

    function = staticmethod(multilabel_margin_loss)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction, size_average, reduce)


class MultiLabelSoftMarginLoss(_Loss):
    """`multilabel_soft_margin_loss`: per-class logistic losses averaged over the classes."""

    function = staticmethod(multilabel_soft_margin_loss)

    def __init__(
        self, weight: Tensor | None = None, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction, size_average, reduce, buffers={"weight": weight})


class SoftMarginLoss(_Loss):
    """`soft_margin_loss`: log(1 + e^(−y x))."""

    function = staticmethod(soft_margin_loss)

    def __init__(self, size_average: Any = None, reduce: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction, size_average, reduce)


class HingeEmbeddingLoss(_Loss):
    """`hinge_embedding_loss`: x for similar pairs, max(0, margin − x) for dissimilar ones."""

    function = staticmethod(hinge_embedding_loss)

    def __init__(
        self, margin: float = 1.0, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction, size_average, reduce, margin=margin)


class MarginRankingLoss(_Loss):
    """`margin_ranking_loss`: forward(input1, input2, target)."""

    function = staticmethod(margin_ranking_loss)

    def __init__(
        self, margin: float = 0.0, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction, size_average, reduce, margin=margin)


class CosineEmbeddingLoss(_Loss):
    """`cosine_embedding_loss`: forward(input1, input2, target)."""

    function = staticmethod(cosine_embedding_loss)

    def __init__(
        self, margin: float = 0.0, size_average: Any = None, reduce: Any = None, reduction: str = "mean"
    ) -> None:
        super().__init__(reduction, size_average, reduce, margin=margin)


class TripletMarginLoss(_Loss):
    """`triplet_margin_loss`: forward(anchor, positive, negative)."""

    function = staticmethod(triplet_margin_loss)

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        size_average: Any = None,
        reduce: Any = None,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction, size_average, reduce, margin=margin, p=p, eps=eps, swap=swap)
