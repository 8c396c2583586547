"""Hostile-input bench: every file of harness/hostile/generators.py against the live app.

    .venv/bin/python bench/hostile.py            # full-size files (200 MB lines), ~1 min
    .venv/bin/python bench/hostile.py --quick    # the small variants, ~30 s
    .venv/bin/python bench/hostile.py --cases yaml-alias-bomb wide-csv

The app starts as harness/app_server.py starts it (its own process, loopback port, default
settings).  A bystander session (a gradio_client Client of its own) parses a small dictionary
over and over the whole time.  Each hostile file goes in through the API as a user would send
it (a dictionary to /parse_dictionary, a dataset to /profile, a pair to /analyze), one after
another, while the RSS of the app and all its worker processes is sampled every 50 ms.

Per case: the message the user got (the error, or the warning the case expects), seconds,
the peak RSS of the app and its workers together during the case, and the bystander's p95
latency over the requests that overlapped the case.  A case is *specific* when its message
matches what the case expects; a *crash* when the app died, a worker died, the worker-memory
ceiling or a generic "Something went wrong" answered instead of a bound; a *hang* when no
answer came within --timeout (or the worker time limit answered); a *leak* when the app and its
workers hold over --leak-mb more, two seconds after the case, than before the first one.  The
last line:

    hostile tried=N specific=N crashes=0 hangs=0 leaks=0

Exit code 0 when every case was specific and there were no crashes, hangs or leaks.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import math
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field as dc_field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # a checkout not installed with `pip install -e .`

from gradio_client import Client, handle_file  # noqa: E402

from harness.app_server import AppServer  # noqa: E402
from harness.hostile.generators import CASES, Case  # noqa: E402
from harness.waiting import wait_until  # noqa: E402

BYSTANDER_FILE = ROOT / "tests" / "fixtures" / "house-prices" / "data_description.txt"
NOT_A_BOUND = re.compile(r"Something went wrong|needed more than [\d,]+ MB of memory|"
                         r"worker process|ended before", re.I)
TOO_SLOW = re.compile(r"took longer than|time limit|CODEBOOK_WORKER_TIMEOUT", re.I)


# ---- measuring the app ------------------------------------------------------------------------
def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    out = [pid]
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return out
    for k in kids:
        out += tree(int(k))
    return out


def rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """RSS of the app and its workers (summed) every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            self.samples.append((time.monotonic(), sum(map(rss, tree(self.pid)))))

    def peak(self, start: float, end: float) -> int:
        return max((v for t, v in self.samples if start <= t <= end), default=0)

    def now(self) -> int:
        return sum(map(rss, tree(self.pid)))


class Bystander(threading.Thread):
    """One ordinary user parsing a small dictionary again and again."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.client = Client(url, verbose=False)
        self.done: list[tuple[float, float]] = []     # (start, end)
        self.failures: list[str] = []
        self.current: float | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.current = time.monotonic()
            try:
                status, *_ = self.client.predict(handle_file(str(BYSTANDER_FILE)), False,
                                                 api_name="/parse_dictionary")
                if "79 fields" not in status:
                    self.failures.append(status[:100])
            except Exception as exc:  # noqa: BLE001 - a failed bystander is what we count
                self.failures.append(f"{type(exc).__name__}: {exc}"[:200])
            self.done.append((self.current, time.monotonic()))
            self.current = None
            time.sleep(0.2)

    def p95(self, start: float, end: float) -> float:
        """p95 latency (s) of the requests overlapping [start, end]; one still running counts
        with the time it has waited so far."""
        lat = [e - s for s, e in self.done if s <= end and e >= start]
        if self.current is not None and self.current <= end:
            lat.append(end - self.current)
        if not lat:
            return math.nan
        lat.sort()
        return lat[min(len(lat) - 1, int(math.ceil(0.95 * len(lat))) - 1)]


# ---- one case ---------------------------------------------------------------------------------
@dataclass
class Outcome:
    case: Case
    message: str = ""
    seconds: float = 0.0
    peak: int = 0
    p95: float = math.nan
    verdict: str = ""                       # specific | crash | hang | wrong
    leak: int = 0
    notes: list[str] = dc_field(default_factory=list)


def call(url: str, case: Case, files: list[Path]) -> str:
    """Send the case through the API; the warnings (a success) as text, or raise."""
    client = Client(url, verbose=False)
    if case.kind == "parse":
        *_, job = client.predict(handle_file(str(files[0])), False, api_name="/parse_dictionary")
        return " | ".join(job.get("warnings") or [])
    if case.kind == "profile":
        status, *_ = client.predict(handle_file(str(files[0])), None, api_name="/profile")
        return str(status)
    data, dictionary = files
    report, *rest = client.predict(handle_file(str(data)), handle_file(str(dictionary)), "",
                                   api_name="/analyze")
    return str(report) + " " + str(rest[-1])


def run_case(app: AppServer, case: Case, files: list[Path], sampler: Sampler,
             bystander: Bystander, timeout: float) -> Outcome:
    out = Outcome(case)
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        fut = pool.submit(call, app.url, case, files)
        try:
            said = fut.result(timeout=timeout)
            raised = False
        except concurrent.futures.TimeoutError:
            said, raised = f"no answer within {timeout:.0f} s", True
            out.verdict = "hang"
        except Exception as exc:  # noqa: BLE001 - the user's error message is the result
            said, raised = str(exc), True
    end = time.monotonic()
    out.seconds = end - start
    out.peak = sampler.peak(start, end)
    out.p95 = bystander.p95(start, end)
    out.message = _relevant(said, case)
    if out.verdict:
        return out
    if app.proc.poll() is not None or NOT_A_BOUND.search(said):
        out.verdict = "crash"
    elif TOO_SLOW.search(said):
        out.verdict = "hang"
    elif re.search(case.expect, said) and raised != case.warning:
        out.verdict = "specific"
    else:
        out.verdict = "wrong"
    return out


def _relevant(said: str, case: Case) -> str:
    """The part of an answer worth a table cell: its start, or the words before and around
    what the case expects when that comes late (a note inside a report)."""
    said = " ".join(said.split())
    m = re.search(case.expect, said)
    if m is None or m.end() <= 160:
        return said[:160]
    return "…" + said[max(0, m.end() - 140):m.end() + 20]


# ---- the run ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="the small variants of the files")
    ap.add_argument("--cases", nargs="*", help="only these cases (names from the table)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds a case may take")
    ap.add_argument("--leak-mb", type=float, default=300.0,
                    help="growth of the app's RSS after a case that counts as a leak")
    args = ap.parse_args(argv)
    cases = [c for c in CASES if not args.cases or c.name in args.cases]
    with tempfile.TemporaryDirectory(prefix="codebook-hostile-") as tmp:
        tmp_path = Path(tmp)
        t0 = time.monotonic()
        files = {}
        for c in cases:
            (tmp_path / c.name).mkdir()
            files[c.name] = c.make(tmp_path / c.name, not args.quick)
        on_disk = sum(p.stat().st_size for fs in files.values() for p in fs)
        print(f"made {len(cases)} hostile files in {time.monotonic() - t0:.1f} s "
              f"({on_disk / 1e6:.0f} MB on disk)", flush=True)
        cache = tmp_path / "app"
        app = AppServer(env={"CODEBOOK_CACHE_DIR": str(cache),
                             "GRADIO_TEMP_DIR": str(cache / "gradio")})
        try:
            return _drive(app, cases, files, args)
        finally:
            app.stop()


def _drive(app: AppServer, cases: list[Case], files: dict, args) -> int:
    sampler = Sampler(app.proc.pid)
    sampler.start()
    bystander = Bystander(app.url)
    bystander.start()
    wait_until(lambda: len(bystander.done) >= 3 or bystander.failures,   # warm: workers up,
               "the bystander's first parses", give_up=120, every=0.1)     # first parses done
    time.sleep(1.0)
    baseline = sampler.now()
    print(f"app up; app + workers hold {baseline / 1e6:.0f} MB before the first case\n")
    header = (f"{'case':32} {'kind':8} {'secs':>6} {'peak MB':>8} {'p95 ms':>7}  "
              f"{'verdict':9} message")
    print(header)
    print("-" * len(header))
    outcomes = []
    for c in cases:
        o = run_case(app, c, files[c.name], sampler, bystander, args.timeout)
        time.sleep(2.0)
        o.leak = sampler.now() - baseline
        outcomes.append(o)
        p95 = "-" if math.isnan(o.p95) else f"{o.p95 * 1000:.0f}"
        print(f"{c.name:32} {c.kind:8} {o.seconds:6.1f} {o.peak / 1e6:8.0f} {p95:>7}  "
              f"{o.verdict:9} {o.message}", flush=True)
        if app.proc.poll() is not None:
            print("the app has ended; the remaining cases are not tried")
            break
    bystander.stop.set()
    sampler.stop.set()
    bystander.join(timeout=30)
    specific = sum(o.verdict == "specific" for o in outcomes)
    crashes = sum(o.verdict == "crash" for o in outcomes) + (app.proc.poll() is not None)
    hangs = sum(o.verdict == "hang" for o in outcomes)
    leaks = sum(o.leak > args.leak_mb * 1e6 for o in outcomes)
    print(f"\nbystander: {len(bystander.done)} parses, {len(bystander.failures)} failed"
          + (f" (first: {bystander.failures[0]})" if bystander.failures else ""))
    print(f"app + workers after the last case: {sampler.now() / 1e6:.0f} MB "
          f"(before the first: {baseline / 1e6:.0f} MB)")
    print(f"hostile tried={len(outcomes)} specific={specific} crashes={crashes} hangs={hangs} "
          f"leaks={leaks}")
    ok = (specific == len(cases) and not crashes and not hangs and not leaks
          and not bystander.failures)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
