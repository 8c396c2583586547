"""bench/report_bench.py --quick runs (on the scorecard fixture) and prints its summary line."""

from __future__ import annotations

import re

from bench import report_bench


def test_quick_report_bench_prints_its_ratios(capsys):
    assert report_bench.main(["--quick"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    match = re.fullmatch(r"report to_report=[\d.]+s \([\d.]+x check, CPU [\d.]+x\) "
                         r"all_downloads=[\d.]+s \([\d.]+x check, CPU [\d.]+x\) "
                         r"report/downloads=([\d.]+) \(CPU [\d.]+\) flagged=[\d.]+s "
                         r"\(CPU [\d.]+s\)", last)
    assert match, last
    assert float(match.group(1)) <= 1.0        # the report never comes after the downloads
