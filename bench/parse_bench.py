"""Parse benchmark: rule-based parse times, as ratios to a baseline measured in the same run.

    .venv/bin/python bench/parse_bench.py [--runs 3] [--quick] [--wild DIR] [--pages 100]
                                          [--cache DIR]

Every measure is the best and the median of --runs runs, and the best as a multiple of the
baseline (the machines are noisy and shared: a ratio means more than a time):

  baseline    a fixed pure-Python loop (the interpreter's speed now), best of its runs before
              and after the rest; and pypdfium2 reading the text of the long PDF alone (the
              floor for any PDF parse)
  startup     `python -c pass`, and importing what `python -m engine parse` imports (also with
              the modules' bytecode cached, when the environment says not to write it: then
              every run compiles the engine's modules from source)
  wild        every case of DIR (default ../shared/data/wild; each case folder's truth.json
              names its file, else its only file is taken; skipped with a note when DIR is
              missing): `python -m engine parse FILE` in a subprocess as the user and the
              scorer run it (start-up and imports included), and `parse_dictionary` in this
              process
  pdf<N>      a generated N-page codebook (bench/pdf_codebook.py; made once into --cache):
              the CLI and in-process
  redcap90    the 90-page REDCap instrument PDF fixture: the CLI, in-process, and when the
              first streamed update arrives as a share of the whole parse
  scorecard   the College Scorecard workbook (1,977 variables), in-process

Targets (issue #19): every wild case under 2 s, a 100-page PDF under 5 s (CLI, best run).
`--quick` (what tests/integration/test_bench_parse.py runs): one run, three wild cases, a 12-page PDF.
It reports and always exits 0 unless the bench itself breaks; a parse that fails is shown as
ERROR with its message.  The last line sums it up:

    parse wild_max=…s (case) pdf100=…s redcap90=…s baseline=…s
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # a checkout not installed with `pip install -e .`

FIXTURES = ROOT / "tests" / "fixtures"
SCORECARD = FIXTURES / "college-scorecard" / "CollegeScorecardDataDictionary.xlsx"
REDCAP_PDF = FIXTURES / "redcap-ltc-promise-pdf" / "LTCPROMISE8314QC.pdf"
WILD = ROOT.parent / "shared" / "data" / "wild"
if not WILD.is_dir():
    WILD = Path("/work/shared/data/wild")
CACHE = ROOT / "bench" / "out" / "parse"
WILD_TARGET, PDF_TARGET = 2.0, 5.0
QUICK_CASES, QUICK_PAGES = 3, 12
_LOOP = 2_000_000
_IMPORTS = "import engine.__main__, engine.jobs, engine.parsers as p; p._specs()"


@dataclass
class Measure:
    """Seconds of the runs of one measurement (or the error that stopped it)."""

    name: str
    times: list[float] = field(default_factory=list)
    note: str = ""
    error: str = ""

    @property
    def best(self) -> float | None:
        return min(self.times) if self.times and not self.error else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.error else None


def timed(name: str, runs: int, work: Callable[[], str | None]) -> Measure:
    """Run `work` `runs` times; its return value (from the last run) is the note."""
    m = Measure(name)
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            note = work()
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
            m.error = f"{type(exc).__name__}: {exc}"[:120]
            return m
        m.times.append(time.perf_counter() - t0)
        m.note = note or ""
    return m


def baseline_loop() -> str:
    """A fixed amount of pure-Python work (integer arithmetic in a loop)."""
    total = 0
    for i in range(_LOOP):
        total = (total * 31 + i) % 1_000_003
    return f"{_LOOP:,} steps"


def cli(path: Path) -> Callable[[], str]:
    """`python -m engine parse FILE` in a subprocess, from the repository root."""
    def run() -> str:
        proc = subprocess.run([sys.executable, "-m", "engine", "parse", str(path)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if proc.returncode:
            lines = proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"]
            raise RuntimeError(lines[-1])
        return f"{len(json.loads(proc.stdout).get('fields', []))} fields"
    return run


def in_process(path: Path) -> Callable[[], str]:
    """`parse_dictionary` in this process (imports done before)."""
    def run() -> str:
        from engine.parsers import parse_dictionary

        result = parse_dictionary(path)
        return f"{len(result.schema.fields)} fields, {result.format}"
    return run


def python(code: str, bytecode: Path | None = None) -> Callable[[], str]:
    """`python -c CODE`; with `bytecode`, compiled modules are cached there (and read back)
    even where the environment says not to write them (PYTHONDONTWRITEBYTECODE)."""
    env = None
    if bytecode is not None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(bytecode)

    def run() -> str:
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env=env)
        return ""
    return run


def pdfium_text(path: Path) -> Callable[[], str]:
    """pypdfium2 alone: open the PDF and read every page's text."""
    def run() -> str:
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(str(path))
        try:
            for page in doc:
                textpage = page.get_textpage()
                textpage.get_text_range()
                textpage.close()
                page.close()
            return f"{len(doc)} pages"
        finally:
            doc.close()
    return run


def first_update(path: Path, runs: int) -> Measure:
    """When `iter_parse`'s first update arrives, as a share of the whole parse (the run with
    the earliest share)."""
    from engine.parsers import iter_parse

    m = Measure("redcap90: first update / total")
    best = None
    for _ in range(runs):
        t0, first, updates = time.perf_counter(), None, 0
        try:
            for _update in iter_parse(path, batch_seconds=0.05):
                updates += 1
                first = time.perf_counter() - t0 if first is None else first
        except Exception as exc:  # noqa: BLE001
            m.error = f"{type(exc).__name__}: {exc}"[:120]
            return m
        share = first / (time.perf_counter() - t0)
        m.times.append(share)
        if best is None or share < best:
            best, m.note = share, f"first after {first:.3f} s, {updates} updates"
    return m


def wild_cases(folder: Path, limit: int | None) -> list[tuple[str, Path]]:
    """(case, dictionary file) of each case folder: the file its truth.json names, else its
    only file."""
    out = []
    for case in sorted(p for p in folder.iterdir() if p.is_dir()):
        truth = case / "truth.json"
        if truth.is_file():
            out.append((case.name, case / json.loads(truth.read_text())["file"]))
            continue
        files = [p for p in case.iterdir() if p.is_file()]
        if len(files) == 1:
            out.append((case.name, files[0]))
    return out[:limit] if limit else out


def long_pdf(cache: Path, pages: int) -> tuple[Path, str]:
    """The generated codebook of `pages` pages (made once) and how it was made."""
    from bench.pdf_codebook import write_codebook

    path = cache / f"codebook-{pages}p.pdf"
    made = path.with_suffix(".source")
    if not path.is_file() or not made.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        made.write_text(write_codebook(path, pages))
    return path, made.read_text().strip()


def warm_up() -> None:
    """Import what a parse imports, lazily too: imports are measured apart (startup)."""
    import importlib

    import engine.jobs  # noqa: F401
    import engine.parsers

    engine.parsers._specs()
    for name in ("pypdfium2", "pdfplumber", "pdfplumber.table", "openpyxl", "docx", "lxml.html"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def show(rows: list[Measure], base: float) -> None:
    """The table of measures, each best also as a multiple of the baseline."""
    print(f"{'measure':48} {'best':>8} {'median':>8} {'x base':>7}  note")
    print("-" * 104)
    for m in rows:
        if m.error:
            print(f"{m.name:48} {'ERROR':>8} {'':8} {'':7}  {m.error}")
        elif m.name.endswith("/ total"):
            print(f"{m.name:48} {m.best:>8.0%} {m.median:>8.0%} {'':7}  {m.note}")
        else:
            print(f"{m.name:48} {m.best:>8.3f} {m.median:>8.3f} {m.best / base:>7.1f}  {m.note}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true",
                    help=f"one run, {QUICK_CASES} wild cases, a {QUICK_PAGES}-page PDF")
    ap.add_argument("--wild", type=Path, default=WILD, help="folder of wild cases")
    ap.add_argument("--pages", type=int, default=None, help="pages of the generated PDF")
    ap.add_argument("--cache", type=Path, default=CACHE, help="where the PDF is generated")
    args = ap.parse_args(argv)
    runs = 1 if args.quick else args.runs
    pages = args.pages or (QUICK_PAGES if args.quick else 100)

    warm_up()
    rows = [timed("baseline: python loop", runs, baseline_loop)]
    pdf, source = long_pdf(args.cache, pages)
    rows.append(timed(f"baseline: pypdfium2 text of pdf{pages}", runs, pdfium_text(pdf)))
    rows.append(timed("startup: python -c pass", runs, python("pass")))
    rows.append(timed("startup: imports of `python -m engine parse`", runs, python(_IMPORTS)))
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        cached = python(_IMPORTS, bytecode=args.cache / "pycache")
        cached()                                    # compiles once into the cache
        rows.append(timed("startup: the same imports, bytecode cached", runs, cached))

    worst: tuple[float, str] | None = None
    if args.wild.is_dir():
        cases = wild_cases(args.wild, QUICK_CASES if args.quick else None)
        for case, path in cases:
            m = timed(f"wild {case[:30]}: cli", runs, cli(path))
            rows += [m, timed(f"wild {case[:30]}: in-process", runs, in_process(path))]
            if m.best is not None and (worst is None or m.best > worst[0]):
                worst = (m.best, case)
        print(f"wild: {len(cases)} cases from {args.wild}")
    else:
        print(f"wild: skipped ({args.wild} not found: the wild cases are not in this clone)")

    long_cli = timed(f"pdf{pages}: cli", runs, cli(pdf))
    long_cli.note += f" ({source}-made)"
    rows += [long_cli, timed(f"pdf{pages}: in-process", runs, in_process(pdf))]
    redcap = timed("redcap90: cli", runs, cli(REDCAP_PDF))
    rows += [redcap, timed("redcap90: in-process", runs, in_process(REDCAP_PDF)),
             first_update(REDCAP_PDF, runs),
             timed("scorecard xlsx: in-process", runs, in_process(SCORECARD))]
    after = timed("baseline: python loop", runs, baseline_loop)
    rows[0].times += after.times
    base = rows[0].best or float("nan")

    print(f"best and median of {runs} run(s); 'x base' = best / the baseline loop's best\n")
    show(rows, base)
    print(f"\ntargets: wild cli < {WILD_TARGET:g} s each; pdf100 cli < {PDF_TARGET:g} s")

    def secs(m: Measure) -> str:
        return "ERROR" if m.best is None else f"{m.best:.2f}s"

    wild = f"{worst[0]:.2f}s ({worst[1]})" if worst else "- (no wild cases)"
    print(f"parse wild_max={wild} pdf{pages}={secs(long_cli)} redcap90={secs(redcap)} "
          f"baseline={base:.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
