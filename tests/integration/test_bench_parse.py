"""bench/parse_bench.py runs (its quick mode) and sums up; no time is asserted.

The bench times `python -m engine parse` on the wild cases, a generated long PDF and the
REDCap PDF against a baseline loop of the same run.  These tests run it as a subprocess on a
copy of the repository's wild fixtures (so they pass on a fresh clone) and on a missing wild
folder, and check its summary line and a few of its helpers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bench import parse_bench

ROOT = Path(__file__).resolve().parents[2]

SUMMARY = re.compile(r"^parse wild_max=(\S+) \((.+)\) pdf(\d+)=(\S+)s redcap90=(\S+)s "
                     r"baseline=(\S+)s$")


def _bench(*args: str) -> tuple[str, re.Match]:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "parse_bench.py"), "--quick",
                           *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    m = SUMMARY.match(last)
    assert m, last
    return proc.stdout, m


def test_quick_bench_on_the_repository_wild_fixtures(tmp_path):
    out, m = _bench("--wild", str(ROOT / "tests" / "fixtures" / "wild"),
                    "--cache", str(tmp_path))
    assert "ERROR" not in out
    worst, case, pages, pdf, redcap, base = m.groups()
    assert worst.endswith("s") and float(worst[:-1]) > 0
    assert case in {p.name for p in (ROOT / "tests" / "fixtures" / "wild").iterdir()}
    assert pages == str(parse_bench.QUICK_PAGES)
    assert float(pdf) > 0 and float(redcap) > 0 and float(base) > 0
    # every wild case is timed both ways, the CLI in a subprocess
    assert len(re.findall(r"^wild .*: cli ", out, re.M)) == parse_bench.QUICK_CASES
    assert len(re.findall(r"^wild .*: in-process ", out, re.M)) == parse_bench.QUICK_CASES
    assert list(tmp_path.glob("codebook-*p.pdf"))          # the PDF went to the cache given
    assert ("bytecode cached" in out) == bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))


def test_quick_bench_without_wild_cases_says_so(tmp_path):
    out, m = _bench("--wild", str(tmp_path / "absent"), "--cache", str(tmp_path))
    assert "wild: skipped" in out
    assert m.group(1) == "-" and m.group(2) == "no wild cases"


def test_wild_cases_take_the_file_truth_names_else_the_only_file(tmp_path):
    named = tmp_path / "a-case"
    named.mkdir()
    (named / "truth.json").write_text('{"file": "dict.csv"}')
    (named / "dict.csv").write_text("name,description\n")
    (named / "notes.txt").write_text("")
    single = tmp_path / "b-case"
    single.mkdir()
    (single / "codebook.pdf").write_bytes(b"%PDF-")
    (tmp_path / "c-case").mkdir()                             # no file: not a case
    assert parse_bench.wild_cases(tmp_path, None) == [("a-case", named / "dict.csv"),
                                                       ("b-case", single / "codebook.pdf")]
    assert parse_bench.wild_cases(tmp_path, 1) == [("a-case", named / "dict.csv")]


def test_a_failing_parse_is_reported_not_raised(tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_text("")
    m = parse_bench.timed("x", 2, parse_bench.cli(bad))
    assert m.error and m.best is None and "empty" in m.error
