"""Benchmark: analyze (read + match + validate + summary) a seeded 1M x 30 CSV and its schema.

Prints, from one run: the time plain pandas.read_csv takes to load the file (the faster of
its default and pyarrow engines), the time `engine.analyze.analyze_files` takes, the time
frictionless takes to validate the same file against the same schema (on the first 100,000
rows, scaled linearly to the full size and labelled so, unless --full), the ratios, whether
exactly the seeded violations were found, and the peak memory (ru_maxrss) of the analyze run
against the file size.  Every measurement runs in a fresh child process.

The CSV (30 columns: ids, codes with missing-value codes, ranges, dates, datetimes, booleans,
patterns; numpy seed 20240607) and its Table Schema are written to bench/out/ once and reused.
One in 10,000 rows of selected columns holds a seeded violation of a known kind.

    .venv/bin/python bench/analyze_bench.py [--rows 1000000] [--runs 2] [--full]
    .venv/bin/python bench/analyze_bench.py --quick     # 20,000 rows in a temp folder, seconds

Targets: analyze <= 2.0 x pandas load; frictionless / analyze >= 25; analyze peak RSS <= 4 x
file size; found == seeded.  Exit status 0 when all hold, 1 otherwise; with --quick (a smoke
run: figures printed, no target judged on so small a file) 0 when the seeded violations were
found exactly.  The last line sums up:

    analyze ratio=R frictionless=F memory=M exact=yes
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))   # a checkout not installed with `pip install -e .`
OUT = ROOT / "bench" / "out"
QUICK_ROWS = 20_000
TIME_TARGET = 2.0
FRICTIONLESS_TARGET = 25.0
MEMORY_TARGET = 4.0
SLICE_ROWS, QUICK_SLICE_ROWS = 100_000, 2_000

SEED = 20240607
Q_CODES = ["1", "2", "3", "4", "5"]


def _schema_descriptor() -> dict:
    """The 30-field Table Schema the generated file is checked against."""
    fields = [
        {"name": "id", "type": "integer", "constraints": {"required": True, "unique": True}},
        {"name": "site", "type": "string",
         "categories": [{"value": v, "label": f"Site {v}"} for v in "ABCD"]},
        {"name": "sex", "type": "integer",
         "categories": [{"value": 1, "label": "Male"}, {"value": 2, "label": "Female"}],
         "missingValues": ["", {"value": "9", "label": "Refused"}]},
        {"name": "age", "type": "integer", "unit": "years",
         "constraints": {"minimum": 0, "maximum": 120}},
        {"name": "height_cm", "type": "number", "unit": "cm",
         "constraints": {"minimum": 30, "maximum": 250}},
        {"name": "weight_kg", "type": "number", "constraints": {"minimum": 1, "maximum": 400}},
        {"name": "visit_date", "type": "date", "constraints": {"required": True}},
        {"name": "visit_time", "type": "datetime"},
        {"name": "smoker", "type": "boolean"},
        {"name": "income", "type": "number", "constraints": {"minimum": 0}},
        {"name": "zip", "type": "string", "constraints": {"pattern": "[0-9]{5}"}},
        {"name": "email", "type": "string",
         "constraints": {"pattern": "[a-z0-9.]+@[a-z]+\\.[a-z]+"}},
        {"name": "score", "type": "integer", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "name", "type": "string", "constraints": {"maxLength": 12}},
    ]
    for i in range(1, 11):
        fields.append({"name": f"q{i}", "type": "integer",
                       "categories": [{"value": int(c), "label": f"level {c}"} for c in Q_CODES],
                       "missingValues": ["", {"value": "8", "label": "Don't know"},
                                         {"value": "9", "label": "No answer"}]})
    for i in range(1, 7):
        fields.append({"name": f"m{i}", "type": "number",
                       "constraints": {"minimum": 0, "maximum": 1000}})
    return {"fields": fields}


def _seed_rows(rng: np.random.Generator, n: int, k: int, taken: set) -> np.ndarray:
    """`k` distinct row indices not used by another seeded violation of the same column."""
    rows: list[int] = []
    while len(rows) < k:
        r = int(rng.integers(1, n))
        if r not in taken:
            taken.add(r)
            rows.append(r)
    return np.array(sorted(rows))


def generate(path: Path, n: int, seed: int = SEED) -> dict:
    """Write the seeded CSV; return {field: {kind: count}} of the violations seeded."""
    rng = np.random.default_rng(seed)
    k = max(1, n // 10_000)                       # violations per (field, kind)
    cols: dict[str, np.ndarray] = {}
    seeded: dict[str, dict[str, int]] = {}

    def seed_values(name: str, kind: str, values: list[str], taken: set) -> None:
        rows = _seed_rows(rng, n, k, taken)
        cols[name][rows] = np.array(values * (k // len(values) + 1))[:k]
        seeded.setdefault(name, {})[kind] = seeded.get(name, {}).get(kind, 0) + k

    cols["id"] = np.arange(1, n + 1).astype(str).astype(object)
    cols["site"] = rng.choice(list("ABCD"), n).astype(object)
    cols["sex"] = rng.choice(["1", "2", "9"], n, p=[0.49, 0.49, 0.02]).astype(object)
    cols["age"] = rng.integers(0, 100, n).astype(str).astype(object)
    height = np.round(rng.normal(170, 10, n).clip(100, 220), 1)
    cols["height_cm"] = height.astype(str).astype(object)
    cols["weight_kg"] = np.round(rng.normal(75, 12, n).clip(30, 200), 1).astype(str).astype(object)
    day = np.datetime64("2015-01-01") + rng.integers(0, 3000, n).astype("timedelta64[D]")
    cols["visit_date"] = np.datetime_as_string(day).astype(object)
    ts = np.datetime64("2015-01-01T00:00:00") + rng.integers(0, 10**8, n).astype("timedelta64[s]")
    cols["visit_time"] = np.datetime_as_string(ts).astype(object)
    cols["smoker"] = rng.choice(["true", "false"], n).astype(object)
    cols["income"] = np.round(rng.exponential(40000, n), 2).astype(str).astype(object)
    cols["zip"] = np.char.zfill(rng.integers(0, 99999, n).astype(str), 5).astype(object)
    user = rng.integers(0, 10**6, n).astype(str)
    cols["email"] = np.char.add(np.char.add("user", user), "@example.org").astype(object)
    cols["score"] = rng.integers(0, 101, n).astype(str).astype(object)
    cols["name"] = rng.choice(["Ann", "Bob", "Chen", "Dara", "Emeka", "Fatima"], n).astype(object)
    for i in range(1, 11):
        cols[f"q{i}"] = rng.choice(Q_CODES + ["8", "9", ""], n,
                                   p=[.18, .18, .18, .18, .18, .04, .03, .03]).astype(object)
    for i in range(1, 7):
        cols[f"m{i}"] = np.round(rng.random(n) * 1000, 3).astype(str).astype(object)

    taken: dict[str, set] = {c: set() for c in cols}
    seed_values("id", "unique", ["7"], taken["id"])
    taken["id"].add(6)                             # row index 6 holds the original "7"
    seed_values("id", "type", ["x12"], taken["id"])
    seed_values("id", "required", [""], taken["id"])
    seed_values("site", "category", ["E", "Z"], taken["site"])
    seed_values("sex", "category", ["3"], taken["sex"])
    seed_values("age", "maximum", ["150", "121"], taken["age"])
    seed_values("age", "minimum", ["-4"], taken["age"])
    seed_values("age", "type", ["forty"], taken["age"])
    seed_values("height_cm", "maximum", ["999.5"], taken["height_cm"])
    seed_values("height_cm", "type", ["1,70"], taken["height_cm"])
    seed_values("weight_kg", "minimum", ["0"], taken["weight_kg"])
    seed_values("visit_date", "type", ["2021-02-30", "12/03/2019"], taken["visit_date"])
    seed_values("visit_date", "required", [""], taken["visit_date"])
    seed_values("visit_time", "type", ["yesterday"], taken["visit_time"])
    seed_values("smoker", "type", ["maybe"], taken["smoker"])
    seed_values("income", "minimum", ["-10.5"], taken["income"])
    seed_values("zip", "pattern", ["1234", "ABCDE"], taken["zip"])
    seed_values("email", "pattern", ["no-at-sign.org"], taken["email"])
    seed_values("score", "type", ["7.5"], taken["score"])
    seed_values("name", "maxLength", ["Bartholomew-Jones"], taken["name"])
    for i in (1, 4, 7):
        seed_values(f"q{i}", "category", ["6", "0"], taken[f"q{i}"])
    for i in (2, 5):
        seed_values(f"m{i}", "maximum", ["1000.5"], taken[f"m{i}"])
    table = pa.table({c: pa.array(v, pa.string()) for c, v in cols.items()})
    pacsv.write_csv(table, path, pacsv.WriteOptions(quoting_style="needed"))
    return seeded


# ---- files -----------------------------------------------------------------------------
def prepare(rows: int, out: Path = OUT) -> tuple[Path, Path, dict]:
    """The CSV, its schema and the seeded violations, generated once per size into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    csv_path = out / f"analyze_{rows}.csv"
    schema_path = out / "analyze.schema.json"
    seeded_path = out / f"analyze_{rows}.seeded.json"
    if not (csv_path.exists() and seeded_path.exists()):
        # in a child: a measurement started from this process would inherit the generator's
        # peak RSS (ru_maxrss) and report it as its own
        tmp = csv_path.with_suffix(".tmp")
        subprocess.run([sys.executable, __file__, "--child", "generate", str(tmp), str(rows)],
                       check=True, cwd=ROOT)
        tmp.replace(csv_path)
        tmp.with_suffix(".seeded").replace(seeded_path)
    schema_path.write_text(json.dumps(_schema_descriptor()))
    return csv_path, schema_path, json.loads(seeded_path.read_text())


def head_slice(path: Path, rows: int) -> Path:
    """The header and the first `rows` data rows of `path` (for frictionless)."""
    out = path.with_name(f"{path.stem}.head{rows}.csv")
    if not out.exists():
        with path.open("rb") as src, out.open("wb") as dst:
            for i, line in enumerate(src):
                if i > rows:
                    break
                dst.write(line)
    return out


# ---- measurements (each in a child process) -----------------------------------------------
def _child_pandas(path: str, engine: str) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(path, engine=engine) if engine != "c" else pd.read_csv(path, low_memory=False)
    return {"seconds": time.perf_counter() - t0, "rows": len(df)}


def _child_analyze(path: str, schema: str) -> dict:
    from engine.analyze import analyze_files

    t0 = time.perf_counter()
    analysis = analyze_files(path, schema)
    report = analysis.to_dict()
    seconds = time.perf_counter() - t0
    found: dict[str, dict[str, int]] = {}
    for f in report["fields"]:
        for v in f["violations"]:
            found.setdefault(f["name"], {})[v["kind"]] = v["count"]
    return {"seconds": seconds, "validate": analysis.seconds, "rows": report["rows"],
            "found": found, "duplicates": report["dataset_checks"][3]["count"]}


def _child_frictionless(path: str, schema: str) -> dict:
    import frictionless

    from engine.model import Schema

    # the model writes each missingValues list in one form (Table Schema v2 allows strings or
    # {value, label} objects in a list, not both mixed), as frictionless wants it
    descriptor = Schema.from_descriptor(json.loads(Path(schema).read_text())).to_descriptor()
    for f in descriptor["fields"]:          # frictionless checks code lists as enum constraints
        if "categories" in f:
            f.setdefault("constraints", {})["enum"] = [c["value"] for c in f.pop("categories")]
    resource = frictionless.Resource.from_descriptor(
        {"$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
         "name": "bench", "path": Path(path).name, "schema": descriptor},
        basepath=str(Path(path).parent))
    t0 = time.perf_counter()
    report = resource.validate(limit_errors=10**9)
    return {"seconds": time.perf_counter() - t0, "errors": report.stats["errors"]}


def _child_main(kind: str, path: str, extra: str) -> None:
    import resource

    if kind == "generate":
        seeded = generate(Path(path), int(extra))
        Path(path).with_suffix(".seeded").write_text(json.dumps(seeded))
        return
    if kind == "analyze":
        result = _child_analyze(path, extra)
    elif kind == "frictionless":
        result = _child_frictionless(path, extra)
    else:
        result = _child_pandas(path, extra)
    result["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def measure(kind: str, path: Path, extra: str) -> dict:
    """Run one measurement in a fresh interpreter; return its JSON result."""
    cmd = [sys.executable, __file__, "--child", kind, str(path), extra]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(kind: str, path: Path, extra: str, runs: int) -> dict:
    """The fastest of `runs` measurements."""
    return min((measure(kind, path, extra) for _ in range(runs)), key=lambda r: r["seconds"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=None,
                    help=f"rows of the generated CSV (default 1,000,000; {QUICK_ROWS:,} with "
                         "--quick)")
    ap.add_argument("--runs", type=int, default=None,
                    help="runs per measurement, the best kept (default 2; 1 with --quick)")
    ap.add_argument("--full", action="store_true", help="run frictionless on the whole file")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: a small file in a temp folder, no target judged")
    ap.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "EXTRA"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child_main(*args.child)
        return 0
    args.rows = args.rows or (QUICK_ROWS if args.quick else 1_000_000)
    args.runs = args.runs or (1 if args.quick else 2)
    if not args.quick:
        return run(args, OUT)
    with tempfile.TemporaryDirectory(prefix="codebook-analyze-bench-") as tmp:
        return run(args, Path(tmp))


def run(args: argparse.Namespace, out: Path) -> int:
    """Measure, print the comparison and the summary line; the exit status."""
    csv_path, schema_path, seeded = prepare(args.rows, out)
    size = csv_path.stat().st_size
    print(f"file: {csv_path.name}, {args.rows:,} rows x 30 columns, {size / 1e6:.1f} MB")
    pandas_c = best("pandas", csv_path, "c", args.runs)
    pandas_pa = best("pandas", csv_path, "pyarrow", args.runs)
    ours = best("analyze", csv_path, str(schema_path), args.runs)
    load = min(pandas_c["seconds"], pandas_pa["seconds"])
    slice_rows = min(QUICK_SLICE_ROWS if args.quick else SLICE_ROWS, args.rows)
    sliced = csv_path if args.full else head_slice(csv_path, slice_rows)
    fric = measure("frictionless", sliced, str(schema_path))
    scale = 1.0 if args.full else args.rows / slice_rows
    fric_full = fric["seconds"] * scale
    exact = ours["found"] == seeded and ours["duplicates"] == 0
    checks = {
        "time": ours["seconds"] / load <= TIME_TARGET,
        "frictionless": fric_full / ours["seconds"] >= FRICTIONLESS_TARGET,
        "memory": ours["peak_rss"] / size <= MEMORY_TARGET,
        "exact": exact,
    }
    print(f"pandas.read_csv (c engine)       {pandas_c['seconds']:8.2f} s")
    print(f"pandas.read_csv (pyarrow engine) {pandas_pa['seconds']:8.2f} s")
    print(f"analyze (read+match+validate)    {ours['seconds']:8.2f} s   "
          f"ratio to the faster pandas load {ours['seconds'] / load:.2f} (target <= {TIME_TARGET})")
    label = ("whole file" if args.full or scale == 1 else
             f"first {args.rows / scale:,.0f} rows, x {scale:g} (linear scale)")
    print(f"frictionless Resource.validate   {fric_full:8.2f} s   [{label}: "
          f"{fric['seconds']:.2f} s measured]   frictionless / analyze "
          f"{fric_full / ours['seconds']:.1f} (target >= {FRICTIONLESS_TARGET:g})")
    print(f"analyze peak RSS                 {ours['peak_rss'] / 1e6:8.0f} MB  "
          f"= {ours['peak_rss'] / size:.2f} x file size (target <= {MEMORY_TARGET:g})")
    print(f"seeded violations found exactly: {exact} "
          f"({sum(sum(k.values()) for k in seeded.values()):,} seeded, "
          f"{sum(sum(k.values()) for k in ours['found'].values()):,} found)")
    if not exact:
        print("  seeded:", json.dumps(seeded, sort_keys=True))
        print("  found: ", json.dumps(ours["found"], sort_keys=True))
    if args.quick:
        print("targets: not judged (--quick: a smoke run on a small file)")
    else:
        print("targets:", ", ".join(f"{k} {'ok' if v else 'MISSED'}" for k, v in checks.items()))
    print(f"analyze ratio={ours['seconds'] / load:.2f} "
          f"frictionless={fric_full / ours['seconds']:.1f} memory={ours['peak_rss'] / size:.2f} "
          f"exact={'yes' if exact else 'no'}")
    if args.quick:
        return 0 if exact else 1
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
