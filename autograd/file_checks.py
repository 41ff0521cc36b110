"""What every reader and writer of `autograd.save` / `autograd.load` shares: atomic writes and the
limits that keep a hostile file from exhausting memory or the stack."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from typing import IO, Any

from .errors import FileFormatError

MAX_COMPRESSION_RATIO = 100  # load's default budget: the arrays may declare 100 times the file's size
MAX_DEPTH = 100  # how deeply a loaded structure (dicts, lists, tuples) may nest


def write_atomically(path: str | os.PathLike[str], write: Callable[[IO[bytes]], Any]) -> None:
    """Write through `write(file)` to a temporary file beside `path`, fsync it, then rename it onto
    `path` (`os.replace`, atomic on POSIX and Windows): a save that fails or is killed halfway leaves
    the previous file whole, and no temporary file behind."""
    target = os.path.abspath(os.fspath(path))
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def budget_error(path: str, what: str, declared: int, budget: int, explicit: bool) -> FileFormatError:
    """The refusal of a file whose `what` declares `declared` bytes, more than `budget` allows."""
    limit = "max_bytes" if explicit else f"{MAX_COMPRESSION_RATIO} times its file size"
    return FileFormatError(
        f"load: {path!r}: {what} declare {declared:,} bytes, more than the {budget:,} allowed ({limit}); "
        "pass a larger max_bytes= if the file is trusted"
    )


def check_depth(obj: Any, path: str) -> None:
    """Refuse a structure nested more than MAX_DEPTH containers deep (a cycle counts as endless).
    Iterative, and each container is walked again only when reached deeper than before, so a shared
    sub-structure (a pickle's memo can make a DAG of 2^100 paths in a few bytes) costs at most
    MAX_DEPTH walks."""
    deepest: dict[int, int] = {}
    stack = [(obj, 0)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (dict, list, tuple)):
            continue
        if depth > MAX_DEPTH:
            raise FileFormatError(f"load: {path!r} holds a structure nested deeper than {MAX_DEPTH} levels")
        if deepest.get(id(node), -1) >= depth:
            continue
        deepest[id(node)] = depth
        children = [*node.keys(), *node.values()] if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)
