"""Every hostile file through `python -m engine`: exit 2 and one specific line on stderr (or the
expected warning), never a traceback, with the process's memory capped and its peak measured."""

from __future__ import annotations

import re

import pytest

from harness.hostile.runner import CLI_PEAK_RSS, cli_args, hostile, report_text, run_cli
from harness.hostile.generators import CASES, wide_csv

ERRORS = [c for c in CASES if not c.warning]
WARNINGS = [c for c in CASES if c.warning]


@pytest.mark.parametrize("case", ERRORS, ids=lambda c: c.name)
def test_refused_with_one_specific_line(case):
    run = run_cli(cli_args(case, hostile(case.name)))
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    lines = run.stderr.strip().splitlines()
    assert run.code == 2, run.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert re.search(case.expect, lines[0]), lines[0]
    assert run.peak_rss < CLI_PEAK_RSS, f"peak RSS {run.peak_rss >> 20} MB"


@pytest.mark.parametrize("case", WARNINGS, ids=lambda c: c.name)
def test_read_with_a_specific_warning(case):
    run = run_cli(cli_args(case, hostile(case.name)))
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.code == 0, run.stderr[-2000:]
    assert re.search(case.expect, report_text(run))
    assert run.peak_rss < CLI_PEAK_RSS, f"peak RSS {run.peak_rss >> 20} MB"


def test_a_bound_is_raised_by_its_environment_variable(tmp_path):
    path = wide_csv("wide20.csv", 20)(tmp_path, False)[0]
    narrow = run_cli(["profile", str(path)], env={"CODEBOOK_MAX_COLUMNS": "10"})
    assert narrow.code == 2
    assert "20 columns, beyond the limit of 10 columns set by CODEBOOK_MAX_COLUMNS" in narrow.stderr
    assert run_cli(["profile", str(path)]).code == 0


def test_a_bad_bound_value_names_the_variable(tmp_path):
    path = wide_csv("wide3.csv", 3)(tmp_path, False)[0]
    run = run_cli(["profile", str(path)], env={"CODEBOOK_MAX_CELLS": "many"})
    assert run.code == 2 and "CODEBOOK_MAX_CELLS" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
