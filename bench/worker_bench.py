"""Worker-pool benchmark: what a step and a replacement cost, against the pool it replaced.

    .venv/bin/python bench/worker_bench.py [--steps 300] [--parses 30] [--replacements 10]
    .venv/bin/python bench/worker_bench.py --quick       # 20 / 3 / 2 of each, seconds

Both pools are made in this run, in a process that has imported what the app imports (so a
fork copies an app-sized image):
- baseline: `concurrent.futures.ProcessPoolExecutor` with fork workers (the previous pool: no
  ceiling, no replacement; a dead worker broke it for good), and a thread of this process for
  large files (as the previous app read them);
- new: `CpuPool` (workers from a fork server, a memory ceiling, replacement).
It prints the median of each, and new / baseline ratios:
(a) a step's round trip, a tiny step (`os.getpid`) and a real one (the rule-based parse of the
    79-field house-prices dictionary with its outputs, `engine.pipeline.steps.parse_rules`);
(b) a large file's step: in a worker of its own (started and ended for it) against a thread;
(c) a replacement: from a worker's death to a step's answer from its replacement, against
    starting a fresh fork worker for the old pool (which had no replacement at all).
It reports and always exits 0 (unless a step fails).  The last line sums up the new / baseline
ratios:

    worker tiny=R parse=R large=R replacement=R
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import multiprocessing
import os
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DICTIONARY = str(ROOT / "tests" / "fixtures" / "house-prices" / "data_description.txt")


async def timed(make, n: int) -> float:
    """Median seconds of `await make()` over n runs."""
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        await make()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


async def measure(pool, old: concurrent.futures.ProcessPoolExecutor, a) -> list[tuple]:
    from engine.pipeline.steps import parse_rules

    loop = asyncio.get_running_loop()
    rows = []
    parse = (DICTIONARY, "d.txt", None, False, True, None)   # (the app's quick parse step)
    for name, fn, args, n in (("tiny step", os.getpid, (), a.steps),
                              ("parse step", parse_rules, parse, a.parses)):
        base = await timed(lambda: loop.run_in_executor(old, fn, *args), n)
        new = await timed(lambda: pool.run(fn, *args), n)
        rows.append((f"{name} (persistent worker)", base, new))
        base = await timed(lambda: asyncio.to_thread(fn, *args), n)
        new = await timed(lambda: pool.run(fn, *args, heavy=True), n)
        rows.append((f"{name}, large file (own worker vs thread)", base, new))

    async def replace() -> None:
        victim = pool.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        while _running(victim):
            await asyncio.sleep(0.0005)
        await pool.run(os.getpid)       # finds it dead, has it replaced, runs in the new one

    def fresh_old_worker() -> None:
        with concurrent.futures.ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("fork")) as ex:
            ex.submit(os.getpid).result()
    base = await timed(lambda: asyncio.to_thread(fresh_old_worker), a.replacements)
    new = await timed(replace, a.replacements)
    rows.append(("replacement (death -> answer from the new one) vs new fork worker", base, new))
    return rows


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=None, help="tiny steps (300; 20 with --quick)")
    ap.add_argument("--parses", type=int, default=None, help="parse steps (30; 3 with --quick)")
    ap.add_argument("--replacements", type=int, default=None,
                    help="workers killed and replaced (10; 2 with --quick)")
    ap.add_argument("--quick", action="store_true", help="smoke run: a few of each")
    a = ap.parse_args(argv)
    for name, full, quick in (("steps", 300, 20), ("parses", 30, 3), ("replacements", 10, 2)):
        if getattr(a, name) is None:
            setattr(a, name, quick if a.quick else full)

    import gradio  # noqa: F401 - an app-sized image to fork
    from web.runtime.warmup import warm_up
    from web.runtime.workers import CpuPool

    warm_up()
    pool = CpuPool(1, heavy=1, memory_limit=3_000_000_000, time_limit=300)
    pool.start()
    old = concurrent.futures.ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork"))
    old.submit(os.getpid).result()
    try:
        rows = asyncio.run(measure(pool, old, a))
    finally:
        old.shutdown()
        pool.close()
    print(f"{'':64} {'baseline':>10} {'new':>10} {'new/base':>9}")
    for name, base, new in rows:
        print(f"{name:64} {base * 1000:8.2f}ms {new * 1000:8.2f}ms {new / base:8.2f}x")
    ratios = [new / base for _, base, new in rows]
    print("worker tiny={:.2f} parse={:.2f} large={:.2f} replacement={:.2f}".format(
        ratios[0], ratios[2], ratios[3], ratios[4]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
