"""Report benchmark: how soon a Check shows its report, against when all its downloads exist,
for the College Scorecard (1,977 dictionary fields, 60 columns), as ratios to a baseline
measured in the same run.

    .venv/bin/python bench/report_bench.py [--runs 3] [--quick] [--data DIR]

Measured in this process, the analysis job run as the app runs it (engine.pipeline.analyze_job,
in place, the app's own `present`: web.steps.check_present), best of --runs:

  check        baseline: analyze_files alone (read the workbook dictionary and the data,
               match, validate): what the report has to wait for anyway
  report       from the job's start to its Checked event (the report, tables and charts made:
               what the browser shows first); when the job has no Checked event (before issue
               #20), to its Final event
  downloads    from the job's start to its Final event (every download written)
  flagged      write_flagged_xlsx alone (the data with every violating cell highlighted and
               commented), and its share of the downloads

Each as wall-clock seconds and as CPU seconds of this process (validation's threads included;
on a loaded machine the steadier measure).  The last line sums it up:

    report to_report=…s (…x check, CPU …x) all_downloads=…s (…x check, CPU …x)
        report/downloads=… (CPU …) flagged=…s (CPU …s)

DIR defaults to ../shared/data/dictionaries/college-scorecard (7,058 rows); `--quick` (and a
checkout without it) uses tests/fixtures/college-scorecard (its first 1,000 rows) and one run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHARED = ROOT.parent / "shared" / "data" / "dictionaries" / "college-scorecard"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/data/dictionaries/college-scorecard")
FIXTURE = ROOT / "tests" / "fixtures" / "college-scorecard"
DATA, DICTIONARY = "College-scorecard-reduced.csv", "CollegeScorecardDataDictionary.xlsx"


class Clock:
    """Wall-clock and CPU seconds (this process, all its threads) since it was made: on a
    shared, loaded machine the CPU time is the steadier of the two."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def read(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def time_check(folder: Path) -> tuple[float, float]:
    """analyze_files alone: (wall, CPU) seconds."""
    from engine.analyze import analyze_files

    clock = Clock()
    analyze_files(folder / DATA, folder / DICTIONARY)
    return clock.read()


def time_job(folder: Path) -> tuple[tuple[float, float], tuple[float, float], int]:
    """((wall, CPU) to the report, (wall, CPU) to the last download, downloads written) of
    one analysis job run in place, presented as the app presents it."""
    from engine.pipeline import Final, InlineExecutor, analyze_job
    from web.steps import check_present

    async def run():
        with tempfile.TemporaryDirectory(prefix="report-bench-") as out:
            clock = Clock()
            report_at = None
            async for event in analyze_job(folder / DATA, folder / DICTIONARY,
                                           executor=InlineExecutor(), outdir=lambda: out,
                                           present=check_present):
                kind = type(event).__name__
                if kind == "Checked" and report_at is None:
                    report_at = clock.read()
                if kind == "Failed":
                    raise event.error
                if isinstance(event, Final):
                    done = clock.read()
                    return (done if report_at is None else report_at), done, \
                        len(event.value)     # check_present: the paths
        raise RuntimeError("the job ended without a result")

    return asyncio.run(run())


def time_flagged(folder: Path) -> tuple[float, float]:
    """write_flagged_xlsx alone: (wall, CPU) seconds."""
    from engine.analyze import analyze_files
    from engine.report import write_flagged_xlsx

    analysis = analyze_files(folder / DATA, folder / DICTIONARY)
    with tempfile.TemporaryDirectory(prefix="report-bench-") as out:
        clock = Clock()
        write_flagged_xlsx(analysis.table, analysis.result, Path(out) / "flagged.xlsx")
        return clock.read()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--quick", action="store_true",
                   help="the 1,000-row fixture, one run")
    p.add_argument("--data", type=Path, default=None,
                   help="a folder holding the scorecard's CSV and workbook dictionary")
    a = p.parse_args(argv)
    folder = a.data or (FIXTURE if a.quick or not SHARED.is_dir() else SHARED)
    runs = 1 if a.quick else max(1, a.runs)
    time_check(folder)                       # warm: imports, the file cache
    checks, reports, totals, flagged = [], [], [], []
    written = 0
    for _ in range(runs):
        checks.append(time_check(folder))
        report, total, written = time_job(folder)
        reports.append(report)
        totals.append(total)
        flagged.append(time_flagged(folder))
    print(f"data: {folder / DATA} (best of {runs} run{'s' * (runs > 1)}; wall-clock, and CPU "
          "seconds of this process)")
    best = {}
    for name, values in (("check", checks), ("report", reports), ("downloads", totals),
                         ("flagged", flagged)):
        best[name] = (min(v[0] for v in values), min(v[1] for v in values))
    (check, check_cpu), (report, report_cpu) = best["check"], best["report"]
    (total, total_cpu), (flag, flag_cpu) = best["downloads"], best["flagged"]
    rows = [("check (baseline)", check, check_cpu, ""),
            ("time to report", report, report_cpu, ""),
            ("time to all downloads", total, total_cpu, f" ({written} files)"),
            ("flagged XLSX alone", flag, flag_cpu, "")]
    for label, wall, cpu, note in rows:
        print(f"{label:22s} {wall:6.2f} s {wall / check:5.2f}x check   CPU {cpu:6.2f} s "
              f"{cpu / check_cpu:5.2f}x check{note}")
    print(f"report to_report={report:.2f}s ({report / check:.2f}x check, CPU "
          f"{report_cpu / check_cpu:.2f}x) all_downloads={total:.2f}s ({total / check:.2f}x "
          f"check, CPU {total_cpu / check_cpu:.2f}x) report/downloads={report / total:.2f} "
          f"(CPU {report_cpu / total_cpu:.2f}) flagged={flag:.2f}s (CPU {flag_cpu:.2f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
