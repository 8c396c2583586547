"""Every bench in bench/ still runs: its --quick mode, in a subprocess, exits 0 and ends with its
summary line.  Nothing here asserts a time: a quick mode judges no target on so small a load,
and fails only when the bench broke (an exception, wrong counts, lost work).  The parse bench's
quick mode has tests of its own (test_bench_parse.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NUMBER = r"[0-9.]+"
QUICK = {
    "analyze_bench.py": ([], rf"analyze ratio={NUMBER} frictionless={NUMBER} "
                             rf"memory={NUMBER} exact=yes"),
    "app_llm_bench.py": ([], rf"app_llm first={NUMBER}s first_llm={NUMBER}s total={NUMBER}s "
                             rf"cached={NUMBER}s chunks=4 cached_calls=0"),
    "hostile.py": (["--cases", "yaml-alias-bomb", "wide-csv", "deep-logic"],
                   r"hostile tried=3 specific=3 crashes=0 hangs=0 leaks=0"),
    "llm_bench.py": ([], rf"llm parallel={NUMBER}x sequential={NUMBER}x in_flight=4 "
                         r"cached_calls=0"),
    "llm_transport.py": ([], rf"llm_transport httpx={NUMBER}ms aiohttp={NUMBER}ms "
                             rf"ratio={NUMBER}"),
    "load.py": (["--users", "4", "--waves", "1", "--idle-seconds", "2", "--after-seconds", "2",
                 "--skip-overload"], r"load targets=\d+ missed=\d+ \(measured \d+, other 0\)"),
    "naive_app.py": ([], r"naive_app parse=79 profile=1460"),
    "pdf_codebook.py": ([], r"pdf_codebook pages=3 source=(chromium|fixtures) bytes=\d+"),
    "profile_bench.py": ([], rf"profile ratio={NUMBER} memory={NUMBER} rows=20000"),
    "worker_bench.py": ([], rf"worker tiny={NUMBER} parse={NUMBER} large={NUMBER} "
                            rf"replacement={NUMBER}"),
}
TESTED_ELSEWHERE = {"parse_bench.py": "tests/integration/test_bench_parse.py",
                    "report_bench.py": "tests/integration/test_bench_report.py"}


def test_every_bench_script_has_its_quick_mode_run():
    scripts = {p.name for p in (ROOT / "bench").glob("*.py") if p.name != "__init__.py"}
    assert scripts == set(QUICK) | set(TESTED_ELSEWHERE)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(QUICK))
def test_quick_mode_runs_and_sums_up(script, tmp_path):
    extra, summary = QUICK[script]
    env = {**os.environ, "CODEBOOK_CACHE_DIR": str(tmp_path / "cache"), "TMPDIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--quick", *extra],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    lines = proc.stdout.strip().splitlines()
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert lines and re.fullmatch(summary, lines[-1]), (lines or [""])[-1]


def test_the_load_bench_runs_as_a_module_with_the_scripts_options():
    """`python -m bench.load` and `bench/load.py` are one program: the same options."""
    helps = [subprocess.run([sys.executable, *how, "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120).stdout
             for how in (["-m", "bench.load"], [str(ROOT / "bench" / "load.py")])]
    assert helps[0] == helps[1] and "--quick" in helps[0] and "--replicas" in helps[0]
