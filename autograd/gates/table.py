"""The derivative table: one row per gate, read from the gate classes' docstrings.

Every gate's docstring opens with `forward  ·  local gradient(s)`: a middle dot with whitespace on
both sides, wider than a single space on at least one side (two spaces, or a line break). A
single-spaced ` · ` is a product (Mul's `x · y`, Conv2d's `w · xₚ`) and never separates. What the
first paragraph says after the separator is the gradient column, except its convention clauses:
a clause of a trailing parenthetical (clauses split at `;`), a `;` clause of the formula itself, or
a sentence after the formula's, that says what happens at a tie or a kink (`tie`, `ties`, `tied`,
`kink`, `at x = …`) goes to the conventions column. Everything else stays in the gradient column as
written. A gate is fused when a later paragraph's first sentence says "fused" or starts "One gate
for what would be"; its "replaces" cell is the clause of that paragraph naming the composition
("what would be …", "the composition …", "composed, it is …"), else the paragraph's first sentence.

`python -m autograd.gates --table > docs/derivatives.md` regenerates the page.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType

from ..errors import AutogradError
from ..function import Function

# The gate families, in the order of the table. scalar.py (the Scalar engine's duplicates, about
# to be merged into elementwise.py) is not a family.
FAMILIES = (
    "elementwise",
    "special",
    "reduce",
    "scan",
    "shape",
    "index",
    "logic",
    "linalg",
    "conv",
    "pool",
    "normalization",
    "attention",
    "recurrent",
)

COMMAND = "python -m autograd.gates --table > docs/derivatives.md"

INTRO = f"""\
# Derivatives of the gates

Every gate of the Tensor engine with its forward, its local gradient(s) and the conventions it
picks where the derivative is not unique (ties, kinks), and for a fused gate, the composition of
smaller gates it stands for; "Scalar" marks the gates `Scalar` has too, whose float path sits in
the same class. ∂z/∂x is a gate's local derivative; ∂L/∂x, with g = ∂L/∂z, is what its backward
returns when the gate is not elementwise. This page is generated from the gate classes' docstrings
in `autograd/gates/`: do not edit it by hand, run `{COMMAND}`
(tests/test_derivative_table.py checks that it is current).
"""

HEADER = ("gate", "family", "forward", "local gradient(s)", "conventions", "fused", "replaces", "Scalar")


class GateDocError(AutogradError, ValueError):
    """A gate's docstring does not follow the `forward  ·  local gradient(s)` pattern."""


@dataclass(frozen=True)
class Row:
    name: str
    family: str
    forward: str
    gradient: str
    conventions: str
    fused: bool
    replaces: str
    scalar: bool

    def cells(self) -> tuple[str, ...]:
        return (self.name, self.family, self.forward, self.gradient, self.conventions,
                "yes" if self.fused else "no", self.replaces, "yes" if self.scalar else "")  # fmt: skip


_SEPARATOR = re.compile(r"(\s+)·(\s+)")
_CONVENTION = re.compile(r"\bti(?:e|es|ed)\b|\bkinks?\b|\bat [a-zα-ω] = ", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=\.)\s+(?=[A-Z`])")
_FUSED = re.compile(r"\bfused\b|^One gate for what would be\b", re.IGNORECASE)
_COMPOSITION = re.compile(r"\bwhat would be\b|\bcompos(?:ition|ed)\b", re.IGNORECASE)
_OPEN, _CLOSE = "([{", ")]}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _split_top(text: str, pattern: re.Pattern[str]) -> list[str]:
    """`text` split at the matches of `pattern` outside brackets."""
    depth, parts, start = 0, [], 0
    depths = []
    for ch in text:
        depths.append(depth)
        depth += (ch in _OPEN) - (ch in _CLOSE)
    for m in pattern.finditer(text):
        if depths[m.start()] == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _trailing_group(text: str) -> int | None:
    """Where the bracket group that ends `text` opens, when it is a note: a parenthesis after a
    space (not a call like max(0, x)). None when `text` does not end in such a group."""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += (text[i] in _CLOSE) - (text[i] in _OPEN)
        if depth == 0:
            return i if text[i] == "(" and i > 0 and text[i - 1] == " " else None
    return None


def _take_conventions(formula: str) -> tuple[str, list[str]]:
    """The formula sentence without its convention clauses, and those clauses. Text with none is
    returned as written."""
    stop = "." if formula.endswith(".") else ""
    body = formula[: len(formula) - len(stop)]
    note, start = None, _trailing_group(body)
    if start is not None:
        body, note = body[:start].rstrip(), body[start + 1 : -1]
    kept, conventions = [], []
    for clause in _split_top(body, re.compile(";")):
        (conventions if kept and _CONVENTION.search(clause) else kept).append(clause)
    kept_note = []
    for clause in _split_top(note, re.compile(";")) if note is not None else ():
        (conventions if _CONVENTION.search(clause) else kept_note).append(clause)
    if not conventions:
        return formula, []
    body = "; ".join(kept) + (" (" + "; ".join(kept_note) + ")" if kept_note else "")
    return body + stop, conventions


def _replaces(paragraph: str) -> str:
    sentences = _split_top(paragraph, _SENTENCE_END)
    for sentence in sentences:
        if _COMPOSITION.search(sentence):
            for clause in _split_top(sentence, re.compile(":")):
                if _COMPOSITION.search(clause):
                    return clause
    return sentences[0]


def gate_row(cls: type) -> Row:
    """The table row of one gate class, from its docstring; GateDocError when it has no separator."""
    name = f"{cls.__module__}.{cls.__qualname__}"
    doc = cls.__dict__.get("__doc__")
    if not doc or not doc.strip():
        raise GateDocError(f"gate {name} has no docstring; it must open with 'forward  ·  local gradient(s)'")
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(doc))
    head = paragraphs[0]
    sep = next((m for m in _SEPARATOR.finditer(head) if len(m[1]) + len(m[2]) > 2 or "\n" in m[0]), None)
    if sep is None:
        raise GateDocError(
            f"gate {name}: the first paragraph of its docstring has no '  ·  ' separator between the forward "
            f"and its local gradient(s) (a single-spaced ' · ' is a product): {_one_line(head)!r}"
        )
    forward, rest = _one_line(head[: sep.start()]), _one_line(head[sep.end() :])
    if not forward or not rest:
        raise GateDocError(f"gate {name}: its docstring's forward or gradient is empty: {_one_line(head)!r}")
    sentences = _split_top(rest, _SENTENCE_END)
    gradient, conventions = _take_conventions(sentences[0])
    for sentence in sentences[1:]:
        if _CONVENTION.search(sentence):
            conventions.append(sentence)
        else:
            gradient += " " + sentence
    fused = next(
        (_one_line(p) for p in paragraphs[1:] if _FUSED.search(_split_top(_one_line(p), _SENTENCE_END)[0])), ""
    )
    return Row(
        name=cls.__qualname__,
        family=cls.__module__.rsplit(".", 1)[-1],
        forward=forward,
        gradient=gradient,
        conventions="; ".join(conventions),
        fused=bool(fused),
        replaces=_replaces(fused) if fused else "",
        scalar="float_forward" in cls.__dict__,
    )


def gates(module: ModuleType) -> list[type]:
    """The Function subclasses defined in `module` (not imported into it), in definition order."""
    return [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Function) and obj.__module__ == module.__name__
    ]


def family_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__package__}.{family}") for family in FAMILIES]


def rows(modules: Iterable[ModuleType] | None = None) -> list[Row]:
    return [gate_row(cls) for module in (family_modules() if modules is None else modules) for cls in gates(module)]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(table_rows: Iterable[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(_cell(c) for c in row.cells()) + " |" for row in table_rows]
    return "\n".join(lines) + "\n"


def page(modules: Iterable[ModuleType] | None = None) -> str:
    """docs/derivatives.md: the intro paragraph and the table."""
    return INTRO + "\n" + markdown_table(rows(modules))
