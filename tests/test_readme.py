"""Every ```python block of README.md runs as written.

Namespaces: one per README section (a `## ` heading). The blocks of a section run in order in one
namespace, as a reader following that section would run them; no section leans on another one's
variables, so each can be copied on its own. Each runs in a temporary working directory (the nn
snippet saves model.npz). A block's stdout is captured, and the `# ...` comment after each `print(...)`
line is the output it must print: those comments are checked, in order. A block that defines a
Hypothesis test (`@given`) has that test called, so the property runs too. Bash blocks are not run.
"""

import contextlib
import io
import re
import textwrap
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
FENCE = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>\w*)[ \t]*$")


def readme_blocks() -> list[tuple[str, str, str]]:
    """(section, language, code) of every fenced block, in README order, dedented."""
    section, blocks, lines = "(top)", [], README.read_text().splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("## "):
            section = lines[i][3:].strip()
        match = FENCE.match(lines[i])
        if match and match["lang"]:
            body, i = [], i + 1
            while not lines[i].strip().startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append((section, match["lang"], textwrap.dedent("\n".join(body)) + "\n"))
        i += 1
    return blocks


def python_sections() -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    for section, lang, code in readme_blocks():
        if lang == "python":
            sections.setdefault(section, []).append(code)
    return sections


def printed_comments(code: str) -> list[str]:
    """The `# ...` comments after the block's print lines: what those prints write."""
    return [m[1].strip() for m in re.finditer(r"^\s*print\(.*\)\s*#(.*)$", code, re.MULTILINE)]


def test_readme_has_the_python_blocks():
    sections = python_sections()
    assert sum(map(len, sections.values())) >= 4, sections.keys()
    assert {"A first example", "The engine (`autograd`)", "Networks (`nn`)", "Seeing backpropagation"} <= set(sections)


@pytest.mark.parametrize("section", sorted(python_sections()))
def test_readme_section_runs(section, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": f"readme: {section}"}
    for code in python_sections()[section]:
        before = set(namespace)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"README.md ({section})", "exec"), namespace)
            for name in set(namespace) - before:  # Hypothesis tests the block defines
                if callable(namespace[name]) and hasattr(namespace[name], "hypothesis"):
                    namespace[name]()
        printed = out.getvalue().splitlines()
        expected = printed_comments(code)
        assert len(printed) >= len(expected), (printed, expected)
        # each commented print line's output, in order (prints without a comment may come between)
        it = iter(printed)
        missing = [line for line in expected if not any(got.strip() == line for got in it)]
        assert not missing, f"printed {printed}, the comments say {expected}"


def test_first_example_prints_its_gradients(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (code,) = python_sections()["A first example"]
    assert printed_comments(code) == ["tensor(-4.) tensor(-4.) tensor(3.)"]
    exec(compile(code, "README.md (A first example)", "exec"), {})
    assert capsys.readouterr().out == "tensor(-4.) tensor(-4.) tensor(3.)\n"


def test_nn_snippet_saves_the_model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for code in python_sections()["Networks (`nn`)"]:
        exec(compile(code, "README.md (Networks)", "exec"), {})
    assert (tmp_path / "model.npz").stat().st_size > 0
