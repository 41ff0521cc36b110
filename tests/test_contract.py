"""The graph core's contract, the `Value` protocol, is enforced by the type checker (mypy, run by
scripts/test over the core): a value that lacks what the core needs is a type error."""

import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).parents[1]


def mypy(tmp_path, source):
    path = tmp_path / "snippet.py"
    path.write_text(source)
    cache = tmp_path / "cache"
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--cache-dir", str(cache), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "value, ok",
    [
        ("autograd.Scalar(1.0)", True),
        ("autograd.Tensor([1.0], requires_grad=True)", True),
        ("NoGradFn()", False),
    ],
)
def test_the_type_checker_holds_values_to_the_protocol(tmp_path, value, ok):
    source = f"""
import autograd
from autograd.graph import topological_order


class NoGradFn:
    data = 1.0
    grad = 0.0
    requires_grad = True
    _retains_grad = True

    def _accumulate_grad(self, g: float, sole: bool = False) -> None: ...


order = topological_order([{value}])
"""
    result = mypy(tmp_path, source)
    if ok:
        assert result.returncode == 0, result.stdout
    else:
        assert result.returncode == 1 and 'missing following "Value" protocol member' in result.stdout, result.stdout
        assert re.search(r"protocol member:\s*\n\S+ note:\s+(\w+)", result.stdout)[1] == "grad_fn", result.stdout
