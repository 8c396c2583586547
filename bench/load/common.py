"""What every part of the load bench shares: its constants, its clock and log, and small
number helpers."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[2]
NAIVE_APP = ROOT / "bench" / "naive_app.py"
BUDGET = 400          # CODEBOOK_CHUNK_TOKENS for every app of the run (app-wide setting)
SMALL_CHUNKS = 2      # the fairness job
HEAVY_SEED0 = 10_000  # heavy user i uses seed HEAVY_SEED0 + i
LIGHT_SEED = 5   # the light user's request times within each second
# The heavy users' clients (gradio_client in this process's threads) run at this niceness: on a
# 2-core machine their CPU (up to 0.9 of a core while 100 jobs are submitted, again while their
# final results are parsed) is taken from the app and the light user, whose clients in use run
# on their own machines.  The app, the simulator and the light user run at the usual one.
CLIENT_NICE = 10
POLL = 0.02           # the heavy-job poller's interval (s)
SAMPLE = 0.25         # the app's RSS / threads / fds sampling interval (s)
T0 = time.monotonic()


def now() -> float:
    return time.monotonic() - T0


def log(msg: str) -> None:
    print(f"[{now():7.1f} s] {msg}", flush=True)


def pct(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100), linear interpolation; None for no values."""
    v = sorted(values)
    if not v:
        return None
    if len(v) == 1:
        return v[0]
    k = (len(v) - 1) * q / 100
    lo, hi = math.floor(k), math.ceil(k)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def fmt_s(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f} s"


def fmt_ms(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 1000:.0f} ms"


def slope(ys: list[float]) -> float:
    """Least-squares slope of ys against 0, 1, 2, ... (growth per step; one noisy reading
    moves it less than the difference of the last and first)."""
    n = len(ys)
    mx, my = (n - 1) / 2, sum(ys) / n
    return (sum((x - mx) * (y - my) for x, y in enumerate(ys))
            / sum((x - mx) ** 2 for x in range(n)))


def split_limit(total: int, n: int) -> list[int]:
    """Per-replica shares of a process-wide limit that add up to it (0 = no limit stays 0)."""
    return [total // n + (1 if i < total % n else 0) for i in range(n)]
