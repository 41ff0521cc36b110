"""The derivative table (`python -m autograd.gates --table`, docs/derivatives.md) is generated from
the gate docstrings: the committed page is current, every gate is in it once, and a gate whose
docstring breaks the `forward  ·  gradient` pattern is an error naming it."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

import autograd.gates
from autograd.function import Function
from autograd.gates import table

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "derivatives.md"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "autograd.gates", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def by_name(text: str) -> dict[str, list[str]]:
    """The table rows of a generated page, as cells keyed by gate name."""
    rows = {}
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("| gate |"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            assert len(cells) == len(table.HEADER), line
            rows[cells[0]] = cells
    return rows


@pytest.fixture(scope="module")
def cli_output() -> str:
    done = run_cli("--table")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def test_committed_page_is_current():
    assert DOC.read_text(encoding="utf-8") == table.page(), (
        f"docs/derivatives.md is out of date with the gate docstrings: regenerate it with `{table.COMMAND}`"
    )


def test_cli_prints_the_page_with_the_known_rows(cli_output):
    assert cli_output == table.page()
    rows = by_name(cli_output)
    col = {name: i for i, name in enumerate(table.HEADER)}
    mul = rows["Mul"]
    assert mul[col["family"]] == "elementwise"
    assert mul[col["forward"]] == "z = x · y"  # the product's single-spaced dot is not the separator
    assert "∂z/∂x = y" in mul[col["local gradient(s)"]] and "∂z/∂y = x" in mul[col["local gradient(s)"]]
    assert mul[col["fused"]] == "no" and mul[col["replaces"]] == ""
    sigmoid = rows["Sigmoid"]
    assert sigmoid[col["fused"]] == "yes"
    assert "neg, exp, add-one and reciprocal" in sigmoid[col["replaces"]]
    assert sigmoid[col["local gradient(s)"]] == "∂z/∂x = z(1 − z)"
    maximum = rows["Maximum"]
    assert "ties split evenly" in maximum[col["conventions"]]
    assert "ties" not in maximum[col["local gradient(s)"]]  # moved, not copied
    assert rows["Relu"][col["conventions"]] == "0 at x = 0, project rule"
    assert rows["Max"][col["conventions"]] == "k tied maxima get 1/k each"
    assert rows["Add"][col["conventions"]] == ""  # "(the distributor)" is a note, not a convention
    assert rows["Abs"][col["forward"]] == "z = \\|x\\|"  # pipes escaped, or the row would split
    assert rows["Linear"][col["replaces"]] == "Composed it is Permute, MatMul and Add"
    assert "scalar" not in {r[col["family"]] for r in rows.values()}


def test_every_gate_appears_exactly_once(cli_output):
    rows = by_name(cli_output)
    listed = [line.split(" | ")[0][2:] for line in cli_output.splitlines() if line.startswith("| ")][1:]
    assert len(listed) == len(set(listed)), "a gate is listed twice"
    expected = set()
    for family in table.FAMILIES:
        module = importlib.import_module(f"autograd.gates.{family}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Function) and obj.__module__ == module.__name__:
                expected.add(obj.__name__)
                assert rows[obj.__name__][1] == family
    assert expected >= {"Add", "Sum", "Reshape", "MatMul", "Conv2d", "MaxPool2d"}
    assert set(rows) == expected


def test_no_gate_module_is_left_out_of_the_families():
    """A new gate module must be added to FAMILIES (scalar.py, being merged away, is the exception)."""
    for info in pkgutil.iter_modules(autograd.gates.__path__):
        if info.name in (*table.FAMILIES, "scalar", "table", "__main__"):
            continue
        module = importlib.import_module(f"autograd.gates.{info.name}")
        assert not table.gates(module), f"autograd/gates/{info.name}.py defines gates but is not in table.FAMILIES"


def fake_module(*classes: type) -> types.ModuleType:
    module = types.ModuleType("fake_gates")
    for cls in classes:
        cls.__module__ = module.__name__
        setattr(module, cls.__name__, cls)
    return module


def test_a_docstring_without_the_separator_is_an_error_naming_the_gate():
    class Fine(Function):
        """z = 2x  ·  ∂z/∂x = 2"""

    class Broken(Function):
        """z = 2x, whose derivative is 2"""

    with pytest.raises(table.GateDocError, match=r"fake_gates\.[\w.<>]*Broken\b"):
        table.rows([fake_module(Fine, Broken)])
    assert [r.name for r in table.rows([fake_module(Fine)])] == [Fine.__qualname__]


def test_a_product_dot_is_not_a_separator_and_a_missing_docstring_is_an_error():
    class OnlyProduct(Function):
        """z = x · y"""

    class Undocumented(Function):
        pass

    with pytest.raises(table.GateDocError, match="OnlyProduct"):
        table.gate_row(OnlyProduct)
    with pytest.raises(table.GateDocError, match="Undocumented"):
        table.gate_row(Undocumented)


def test_a_fake_gate_row_is_parsed_from_its_docstring():
    class Kinky(Function):
        """z = x · |x|
        ·  ∂z/∂x = 2|x|  (the doubler; 0 at x = 0, by symmetry)

        Fused: one gate for what would be Abs and Mul.
        """

    row = table.gate_row(Kinky)
    assert (row.forward, row.gradient, row.conventions) == (
        "z = x · |x|",
        "∂z/∂x = 2|x| (the doubler)",
        "0 at x = 0, by symmetry",
    )
    assert row.fused and row.replaces == "one gate for what would be Abs and Mul."
    assert "\\|x\\|" in table.markdown_table([row])


def test_the_cli_reports_a_broken_gate_instead_of_a_traceback(monkeypatch, capsys):
    from autograd.gates import __main__ as cli

    class Broken(Function):
        """no separator here"""

    monkeypatch.setattr(cli, "page", lambda: table.page([fake_module(Broken)]))
    assert cli.main(["--table"]) == 1
    err = capsys.readouterr().err
    assert "Broken" in err and "Traceback" not in err


@pytest.mark.parametrize("args", [(), ("--tables",), ("--table", "extra"), ("-x",)])
def test_bad_usage_exits_2_with_the_usage(args):
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "usage: python -m autograd.gates" in done.stderr
