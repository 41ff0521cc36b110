"""The shell scripts, run against stub commands so nothing is installed for real."""

import shutil
import subprocess
from pathlib import Path

import pytest

SETUP_ENV = Path(__file__).resolve().parent.parent / "scripts" / "setup-env"


def _stub(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.mark.parametrize("sudo_works", [True, False])
def test_setup_env_installs_graphviz_with_passwordless_sudo(tmp_path, sudo_works):
    """Not root, no `dot`: apt-get runs through `sudo -n` when sudo needs no password, else a note."""
    bin_dir, log = tmp_path / "bin", tmp_path / "calls.log"
    bin_dir.mkdir()
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    _stub(tmp_path / ".venv" / "bin" / "python", "exit 0")  # pip installs are not under test
    _stub(bin_dir / "id", "echo 1000")
    _stub(bin_dir / "apt-get", f'echo "apt-get $*" >> {log}')
    _stub(bin_dir / "sudo", f'[ "$*" = "-n true" ] && exit {0 if sudo_works else 1}\necho "sudo $*" >> {log}')
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    shutil.copy(SETUP_ENV, scripts / "setup-env")
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    bash = shutil.which("bash")
    run = subprocess.run([bash, "scripts/setup-env"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    calls = log.read_text().splitlines() if log.exists() else []
    if sudo_works:
        assert calls == ["sudo -n apt-get update -qq", "sudo -n apt-get install -y -qq graphviz"]
        assert "not installed" not in run.stderr
    else:
        assert calls == []
        assert "Graphviz's 'dot' is not installed" in run.stderr
