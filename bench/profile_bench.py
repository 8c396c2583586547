"""Profile benchmark: read + profile a generated 1M x 30 CSV against plain pandas.read_csv.

    .venv/bin/python bench/profile_bench.py [--rows N] [--runs 3] [--keep]
    .venv/bin/python bench/profile_bench.py --quick      # 20,000 rows in a temp folder, seconds

The CSV (ints, floats with NaN, coded categories, short strings, dates; numpy seed 42) is
written to bench/out/ once, by a child process, and reused (other --rows sizes are deleted
after the run unless --keep).  Every measurement runs in a fresh child process of this small
one, so peak RSS (ru_maxrss, which a child inherits from the process it was started from)
belongs to that measurement alone, and module imports are not timed (for pandas either).  The
three measurements (pandas c, pandas pyarrow, ours) are interleaved and the best of --runs is
kept; each also reports the CPU time (user + system, all threads) of its timed part, steadier
than the wall time on a shared machine.  The targets are ratios measured in the same run:
ours (read_dataset + profile_dataset) / faster pandas load <= 2.0, our peak RSS / file size
<= 4.0.  The last line sums up:

    profile ratio=R memory=M rows=N

With --quick (a smoke run: no target judged on so small a file) the exit status is 0 when the
profile counted every row; otherwise 0 when both targets are met.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # a checkout not installed with `pip install -e .`
OUT = ROOT / "bench" / "out"
TIME_TARGET = 2.0
MEMORY_TARGET = 4.0
FULL_ROWS, QUICK_ROWS = 1_000_000, 20_000


def generate(path: Path, rows: int) -> None:
    """Write the benchmark CSV (30 columns) with a fixed seed."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(42)
    n = rows

    def with_nan(values, share):
        values = values.astype("float64")
        values[rng.random(n) < share] = np.nan
        return values

    def pick(pool, p=None):
        return np.asarray(pool, dtype=object)[rng.choice(len(pool), n, p=p)]

    days = rng.integers(0, 9000, n)
    base = np.datetime64("2000-01-01")
    dates = (base + days.astype("timedelta64[D]")).astype(str)
    seconds = rng.integers(0, 86400, n).astype("timedelta64[s]")
    stamps = (base + days.astype("timedelta64[D]") + seconds).astype(str)
    us_dates = pd.to_datetime(dates).strftime("%m/%d/%Y")
    late = dates.astype(object)
    late[rng.random(n) < 0.05] = ""
    zips = np.char.zfill(rng.integers(0, 100000, n).astype(str), 5)
    letters = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"))
    codes = letters[rng.integers(0, len(letters), (n, 8))].view("<U8").ravel()
    first = [f"Name{i}" for i in range(200)]
    last = [f"Surname{i}" for i in range(2000)]
    cities = [f"City {i}" for i in range(500)]
    comments = ["", "ok", "late", "call back", "None", "n/a", "see notes"]

    df = pd.DataFrame({
        "id": np.arange(1, n + 1),
        "age": rng.integers(18, 96, n),
        "income": with_nan(rng.integers(0, 250000, n), 0.03),
        "visits": rng.poisson(3, n),
        "year": rng.integers(1950, 2025, n),
        "zip": zips,
        "score": with_nan(np.round(rng.normal(50, 10, n), 2), 0.05),
        "ratio": with_nan(rng.random(n), 0.02),
        "amount": with_nan(np.round(rng.lognormal(3, 1, n), 4), 0.01),
        "price": np.round(rng.uniform(1, 500, n), 2),
        "lat": np.round(rng.uniform(-90, 90, n), 6),
        "share": with_nan(np.round(rng.random(n), 4), 0.10),
        "temp": np.round(rng.normal(15, 8, n), 1),
        "q1": pick([1, 2, 3, 4, 5, 9], p=[0.2, 0.2, 0.2, 0.2, 0.15, 0.05]),
        "q2": pick([1, 2, 3, 8, 9]),
        "sex": pick(["M", "F"]),
        "region": pick(["NA", "EU", "AS", "AF", "SA", "OC"]),
        "status": pick(["A11", "A12", "A13", "A14"]),
        "consent": pick(["Yes", "No", ""]),
        "first_name": pick(first),
        "last_name": pick(last),
        "city": pick(cities),
        "code": codes,
        "comment": pick(comments),
        "visit_date": dates,
        "created_at": stamps,
        "us_date": np.asarray(us_dates),
        "followup": late,
        "active": pick([True, False]),
        "category": pick([f"cat_{i:02d}" for i in range(50)]),
    })
    tmp = path.with_suffix(".tmp")
    df.to_csv(tmp, index=False)
    tmp.replace(path)


# ---- measurements (each in a child process) -------------------------------------------
def _cpu() -> float:
    """User + system CPU seconds of this process so far (every thread)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _child_pandas(path: str, engine: str) -> dict:
    import pandas as pd

    c0, t0 = _cpu(), time.perf_counter()
    df = pd.read_csv(path, engine=engine) if engine != "c" else pd.read_csv(path)
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "cpu": _cpu() - c0, "rows": len(df)}


def _child_ours(path: str) -> dict:
    import engine.formats.delimited.read  # noqa: F401 - imported lazily by read_dataset; not timed
    from engine.profile import profile_dataset
    from engine.formats import read_dataset

    c0, t0 = _cpu(), time.perf_counter()
    ds = read_dataset(path)
    t1 = time.perf_counter()
    prof = profile_dataset(ds)
    t2 = time.perf_counter()
    cpu = _cpu() - c0
    json.dumps(prof.to_dict())
    return {"seconds": t2 - t0, "cpu": cpu, "read": t1 - t0, "profile": t2 - t1,
            "rows": prof.rows, "duplicates": prof.duplicate_rows}


def _child_main(kind: str, path: str, engine: str) -> None:
    import resource

    result = _child_ours(path) if kind == "ours" else _child_pandas(path, engine)
    result["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def measure(kind: str, path: Path, engine: str = "c") -> dict:
    """Run one measurement in a fresh interpreter; return its JSON result."""
    cmd = [sys.executable, __file__, "--child", kind, "--engine", engine, str(path)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def best_of(path: Path, runs: int) -> tuple[dict, dict, dict]:
    """The fastest of `runs` measurements of pandas (c), pandas (pyarrow) and ours.

    The three are interleaved run by run, so a busy spell on a shared machine slows all of
    them rather than only the one measured at the time.
    """
    results: dict[str, list[dict]] = {"c": [], "pyarrow": [], "ours": []}
    for _ in range(runs):
        results["c"].append(measure("pandas", path, "c"))
        results["pyarrow"].append(measure("pandas", path, "pyarrow"))
        results["ours"].append(measure("ours", path))
    c, arrow, ours = (min(results[k], key=lambda r: r["seconds"])
                      for k in ("c", "pyarrow", "ours"))
    return c, arrow, ours


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=None,
                   help=f"rows of the generated CSV (default {FULL_ROWS:,}; {QUICK_ROWS:,} "
                        "with --quick)")
    p.add_argument("--runs", type=int, default=None,
                   help="runs per measurement, the best kept (default 3; 1 with --quick)")
    p.add_argument("--keep", action="store_true", help="keep the generated CSV (default: keep "
                   "the standard 1M-row file, delete other sizes)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: a small file in a temp folder, no target judged")
    p.add_argument("--child", choices=["ours", "pandas", "generate"], help=argparse.SUPPRESS)
    p.add_argument("--engine", default="c", help=argparse.SUPPRESS)
    p.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child == "generate":
        generate(Path(args.path), args.rows)
        return 0
    if args.child:
        _child_main(args.child, args.path, args.engine)
        return 0
    args.rows = args.rows or (QUICK_ROWS if args.quick else FULL_ROWS)
    args.runs = args.runs or (1 if args.quick else 3)
    if args.quick:
        with tempfile.TemporaryDirectory(prefix="codebook-profile-bench-") as tmp:
            return run(args, Path(tmp))
    try:
        return run(args, OUT)
    finally:
        if not args.keep and args.rows != FULL_ROWS:
            (OUT / f"bench_{args.rows}x30.csv").unlink(missing_ok=True)


def run(args: argparse.Namespace, out: Path) -> int:
    """Generate the file if needed (in a child, so this process stays small), measure, print."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"bench_{args.rows}x30.csv"
    if not path.exists():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--child", "generate", "--rows",
                        str(args.rows), str(path)], check=True, cwd=ROOT)
        print(f"generated {path.name} in {time.perf_counter() - t0:.1f} s")
    ratio, mem, rows = report(path, args.runs, judged=not args.quick)
    print(f"profile ratio={ratio:.2f} memory={mem:.2f} rows={rows}")
    if args.quick:
        return 0 if rows == args.rows else 1
    return 0 if ratio <= TIME_TARGET and mem <= MEMORY_TARGET else 1


def report(path: Path, runs: int, judged: bool = True) -> tuple[float, float, int]:
    """Measure and print the comparison; (ratio, peak RSS / file size, rows profiled)."""

    def verdict(ok: bool) -> str:
        return ("PASS" if ok else "FAIL") if judged else "info (--quick)"
    size = path.stat().st_size
    c, arrow, ours = best_of(path, runs)
    baseline = min(c["seconds"], arrow["seconds"])
    ratio = ours["seconds"] / baseline
    mem = ours["peak_rss"] / size
    print(f"file            {path.name}: {size / 1e6:.1f} MB, {ours['rows']:,} rows")
    print(f"pandas c        {c['seconds']:.2f} s, {c['cpu']:.2f} s CPU (peak RSS "
          f"{c['peak_rss'] / 1e6:.0f} MB)")
    print(f"pandas pyarrow  {arrow['seconds']:.2f} s, {arrow['cpu']:.2f} s CPU (peak RSS "
          f"{arrow['peak_rss'] / 1e6:.0f} MB)")
    print(f"baseline        {baseline:.2f} s (faster of the two)")
    print(f"ours            {ours['seconds']:.2f} s (read {ours['read']:.2f} s + profile "
          f"{ours['profile']:.2f} s), {ours['cpu']:.2f} s CPU")
    print(f"ratio           {ratio:.2f} (target <= {TIME_TARGET}) "
          f"{verdict(ratio <= TIME_TARGET)}")
    print(f"peak RSS        {ours['peak_rss'] / 1e6:.0f} MB = {mem:.2f} x file size "
          f"(target <= {MEMORY_TARGET}) {verdict(mem <= MEMORY_TARGET)}")
    return ratio, mem, ours["rows"]


if __name__ == "__main__":
    sys.exit(main())
