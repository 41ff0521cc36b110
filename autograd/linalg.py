"""`autograd.linalg`: PyTorch's `torch.linalg` namespace (so far its norms)."""

from .reductions import matrix_norm, vector_norm

__all__ = ["matrix_norm", "vector_norm"]
