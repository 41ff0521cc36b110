"""PyTorch's module paths under `autograd`, for code ported with `import autograd as torch`:
`autograd.nn` is the `nn` package, `autograd.optim` is `nn.optim`, `autograd.utils.data` is
`nn.data`, each submodule included (`import autograd.nn.functional as F`,
`from autograd.utils.data import DataLoader`).

They are the very same module objects, not copies (a copy would have classes of its own, and an
`isinstance` across the two would fail), and `nn` is imported only when one is first asked for, so
`import autograd` does not import nn (which imports autograd: no cycle). The finder below maps
the names; `autograd.__getattr__` does the same for attribute access (`torch.nn.Linear`).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

ALIASES = {"autograd.nn": "nn", "autograd.optim": "nn.optim", "autograd.utils.data": "nn.data"}


def target(name: str) -> str | None:
    """The real module name behind the alias `name` (None if it is no alias)."""
    for alias, real in ALIASES.items():
        if name == alias or name.startswith(alias + "."):
            return real + name[len(alias) :]
    return None


class AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an aliased name as the real module, and registers that module under the alias."""

    def find_spec(
        self, name: str, path: object = None, target_module: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        if target(name) is None:
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        real = target(spec.name)
        assert real is not None
        return importlib.import_module(real)

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the real module ran when it was imported."""


def install() -> None:
    if not any(isinstance(f, AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, AliasFinder())
