"""Hostile files made once per test run (a few MB on disk in all), and how to run a case: the
engine in this process under an address-space cap, or the CLI in a capped grandchild."""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.hostile.generators import CASES, Case

ROOT = Path(__file__).resolve().parents[2]
# the CLI runs under this address-space cap, so a regression fails instead of eating the machine
CLI_ADDRESS_SPACE = 3 << 30
# its peak resident memory must stay under this (a plain parse or profile peaks near 150 MB)
CLI_PEAK_RSS = 400 << 20


_made: dict[str, list[Path]] = {}
_root: Path | None = None


def hostile(name: str) -> list[Path]:
    """The files of a case, made on first use (deleted when the test run ends)."""
    global _root
    if name not in _made:
        if _root is None:
            _root = Path(tempfile.mkdtemp(prefix="codebook-hostile-"))
            atexit.register(shutil.rmtree, _root, True)
        case = next(c for c in CASES if c.name == name)
        sub = _root / name
        sub.mkdir()
        _made[name] = case.make(sub, False)
    return _made[name]


@contextlib.contextmanager
def capped_address_space(extra: int = 2 << 30):
    """This process's address space capped at its present size plus `extra` for a `with`
    block, so an engine call that regresses fails with MemoryError instead of eating the
    machine (the soft limit goes back up afterwards)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    size = next(int(line.split()[1]) * 1024 for line in open("/proc/self/status")
                if line.startswith("VmSize:"))
    cap = size + extra if hard == resource.RLIM_INFINITY else min(size + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def cli_args(case: Case, files: list[Path]) -> list[str]:
    """The `python -m engine` arguments that feed a case's file(s) to the engine."""
    if case.kind == "analyze":
        data, dictionary = files
        return ["analyze", str(data), "--dictionary", str(dictionary)]
    return [case.kind, str(files[0])]


@dataclass
class CliRun:
    """How one CLI run ended."""

    code: int
    stdout: str
    stderr: str
    peak_rss: int


# Runs `python -m engine ARGS` in a grandchild forked from this small launcher, capped, and
# writes the grandchild's peak RSS (KiB) to the file named first.  A child forked (or vforked)
# from the test process itself starts with the test process's resident pages counted as its
# own, so its ru_maxrss was never below pytest's size at that moment (over 400 MB late in a
# full run).
_LAUNCHER = """
import os, resource, sys
peak_file, cap, args = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.execv(sys.executable, [sys.executable, "-m", "engine", *args])
_, status, usage = os.wait4(pid, 0)
with open(peak_file, "w") as fh:
    fh.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_cli(args: list[str], env: dict[str, str] | None = None,
            timeout: float = 120.0) -> CliRun:
    """`python -m engine ARGS` capped at CLI_ADDRESS_SPACE; its exit code, output, peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak") as peak:
        proc = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, peak.name, str(CLI_ADDRESS_SPACE), *args],
            cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, timeout=timeout)
        peak_kib = int(peak.read() or 0)
    return CliRun(proc.returncode, proc.stdout.decode(errors="replace"),
                  proc.stderr.decode(errors="replace"), peak_kib * 1024)


def report_text(run: CliRun) -> str:
    """Everything a CLI run said (its JSON report included) as one string."""
    try:
        return json.dumps(json.loads(run.stdout)) + run.stderr
    except ValueError:
        return run.stdout + run.stderr
