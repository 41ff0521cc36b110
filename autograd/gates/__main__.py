"""`python -m autograd.gates --table`: the derivative table of every gate, generated from the gate
docstrings (see `autograd.gates.table`); `> docs/derivatives.md` regenerates the docs page."""

from __future__ import annotations

import argparse
import sys

from .table import GateDocError, page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograd.gates", description=__doc__.split("\n\n")[0])
    parser.add_argument("--table", action="store_true", help="print the Markdown derivative table of every gate")
    args = parser.parse_args(argv)
    if not args.table:
        parser.error("nothing to do: pass --table")  # usage on stderr, exit 2
    try:
        text = page()
    except GateDocError as e:
        print(f"python -m autograd.gates: {e}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
