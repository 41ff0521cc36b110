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
    _stub(bin_dir / "cksum", "echo 1 2")
    (tmp_path / "pyproject.toml").write_text("")
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


def test_setup_env_installs_once_per_pyproject_and_extra(tmp_path):
    """The first run installs; a second with the same pyproject.toml and extra skips pip (it cost
    about 8 s and a setuptools banner on every `scripts/main`); a changed pyproject.toml or another
    extra installs again."""
    log = tmp_path / "calls.log"
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    _stub(tmp_path / ".venv" / "bin" / "python", f'echo "python $*" >> {log}')
    (tmp_path / "scripts").mkdir()
    shutil.copy(SETUP_ENV, tmp_path / "scripts" / "setup-env")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _stub(bin_dir / "dot", "exit 0")  # Graphviz present: only the pip step is under test

    def installs(extra: str) -> int:
        before = log.read_text().count("pip install --quiet -e") if log.exists() else 0
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
        run = subprocess.run(
            [shutil.which("bash"), "scripts/setup-env", extra], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert run.returncode == 0, run.stderr
        return log.read_text().count("pip install --quiet -e") - before

    assert installs("test") == 1
    assert installs("test") == 0
    assert installs("train") == 1
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "2"\n')
    assert installs("test") == 1
    assert installs("test") == 0
