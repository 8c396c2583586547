"""The `codebook` command: `pip install .` into a new virtualenv gives it (every file of the
packages installed, package data included), with the subcommands of `python -m engine` and
shell-friendly exit codes (its help: tests/unit/test_cli_help.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from harness.fixtures import fixture_path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("engine", "web", "simulator", "harness")


def tracked_package_files() -> list[str]:
    """Every file git tracks under the packages (each must be installed)."""
    out = subprocess.run(["git", "ls-files", *PACKAGES], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    files = [f for f in out.splitlines() if (ROOT / f).is_file()]
    assert any(f == "engine/__main__.py" for f in files)
    return files


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """`pip install --no-deps` of a copy of the project into a new virtualenv (the copy: pip
    builds in the source tree), the dependencies seen through a .pth file naming this
    interpreter's site-packages (installing them would download hundreds of MB)."""
    base = tmp_path_factory.mktemp("install")
    source = base / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package, ignore=skip)
    for name in ("pyproject.toml", "README.md", "requirements.txt"):
        shutil.copy2(ROOT / name, source / name)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                          "--disable-pip-version-check", "--no-deps", str(source)],
                         capture_output=True, text=True, timeout=280)
    assert pip.returncode == 0, pip.stderr[-2000:]
    site = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    (site / "codebook-tests-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv, site


def codebook(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(venv / "bin" / "codebook"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_pip_install_gives_the_packages_and_their_data(installed):
    venv, site = installed
    missing = [f for f in tracked_package_files() if not (site / f).is_file()]
    assert not missing, f"not installed: {missing[:10]}"
    where = subprocess.run([str(venv / "bin" / "python"), "-c",
                            "import engine; print(engine.__file__)"], cwd=venv,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site))       # the installed copy, not this checkout


@pytest.mark.slow
def test_the_codebook_command_parses_profiles_and_exits_as_a_shell_expects(installed,
                                                                           tmp_path):
    venv, _ = installed
    help_ = codebook(venv, "--help", cwd=tmp_path)
    assert help_.returncode == 0 and help_.stdout.startswith("usage: codebook ")
    assert "codebook parse data_description.txt > schema.json" in help_.stdout
    parse_help = codebook(venv, "parse", "--help", cwd=tmp_path)
    assert parse_help.returncode == 0 and "examples:\n  codebook parse " in parse_help.stdout

    parsed = codebook(venv, "parse", str(fixture_path("house-prices", "data_description.txt")),
                      cwd=tmp_path)
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["fields"][0]["name"] == "MSSubClass"
    profile = codebook(venv, "profile", str(fixture_path("country-codes", "country-codes.csv")),
                       "--format", "md", cwd=tmp_path)
    assert profile.returncode == 0 and profile.stdout.startswith("**249 rows")

    missing = codebook(venv, "parse", "no-such-file.txt", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.strip().splitlines() == [missing.stderr.strip()]   # one line
    assert missing.stderr.startswith("error: ")
    usage = codebook(venv, "parse", cwd=tmp_path)          # no file: argparse's usage error
    assert usage.returncode == 2 and "usage: codebook parse" in usage.stderr
