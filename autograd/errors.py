"""The engine's exception types. Each message names the gate or call, the shapes or dtypes
involved, and what was expected."""


class AutogradError(Exception):
    """Base class of every error the engine raises on purpose."""


class ShapeError(AutogradError, ValueError):
    """Operands whose shapes do not fit the operation."""


class ArgumentError(AutogradError, TypeError):
    """An argument of the wrong kind: a float or a string where a size or a dim must be an int,
    a number where a tensor is expected."""


class IndexOutOfRange(AutogradError, IndexError):
    """An index that does not fit the tensor it indexes."""


class DTypeError(AutogradError, TypeError):
    """A dtype the operation cannot take (e.g. an integer tensor that should require grad)."""


class GraphError(AutogradError, RuntimeError):
    """Misuse of the graph: backward without a gradient, backward through a freed graph, ..."""


class GradcheckError(AutogradError, AssertionError):
    """An analytic gradient that disagrees with the central difference."""


class AnomalyError(AutogradError, FloatingPointError):
    """A NaN or infinity found by `detect_anomaly()`, naming the gate and where it was created."""


class DomainError(AutogradError, ValueError):
    """A value outside its domain: the log of a non-positive number, a division by zero, a
    probability outside [0, 1], a negative learning rate, ..."""


class GraphvizNotFound(AutogradError, RuntimeError):
    """Rendering a drawing without Graphviz's `dot` program; the message says how to install it."""


class DeviceError(AutogradError, RuntimeError):
    """A device other than the CPU: the engine computes with NumPy on the CPU only."""


class FileFormatError(AutogradError, ValueError):
    """A file that exists but does not hold what its reader expects, or holds what it refuses to
    run or allocate: a pickle calling a function outside the allow-list, sizes beyond the file's."""


class MissingDependencyError(AutogradError, ImportError):
    """An optional package that a feature needs is not installed; the message says which extra to install."""
