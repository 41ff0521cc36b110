"""`nn.save` / `nn.load`: the aliases of `autograd.save` / `autograd.load`, whose format code lives in
`autograd.serialization` (re-exported here so that existing imports keep working)."""

from autograd import FileFormatError, load, save

__all__ = ["FileFormatError", "load", "save"]
