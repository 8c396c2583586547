"""Load benchmark: the real app and the LLM SIMULATOR on loopback, driven only through
gradio_client, as real clients would drive it.

    .venv/bin/python bench/load.py                 # 100 users x 10 chunks, 2 s per call, ~6 min
    .venv/bin/python bench/load.py --quick         # 20 users x 10 chunks, 0.5 s per call, ~1.5 min
    .venv/bin/python bench/load.py --old-way --old-way-users 3 --waves 1   # + the old way
    .venv/bin/python bench/load.py --naive         # the same drive, the issue's naive app

Phases (one run): start the simulator (latency, RPM limit, max_concurrency = the app's LLM
concurrency with 429 beyond it, so any excess shows) and the app; warm up; IDLE baseline (one
light user profiles a small CSV and parses a small dictionary by rules once a second, at a
random moment of each second, alone, for --idle-seconds);
FAIRNESS baseline (a 2-chunk LLM job alone); LOAD (--users heavy users each submit an
LLM-refined parse of a --chunks-chunk dictionary at nearly the same moment, the light user keeps
going, and --small-delay s in a 2-chunk job is submitted and timed; the app's RSS, threads, open
files and CPU are sampled every 0.25 s); AFTER (the heavy clients leave, 15 s idle, RSS again);
with --waves 4 (the default) the same load three more times with new users and new
dictionaries, to tell a one-off high-water mark from memory that grows with every wave (the
growth per wave is the least-squares slope of the RSS after each wave); OVERLOAD (a second
app with a queue of 5 and 2 LLM jobs at once is filled; extra submissions must be refused at
once with "Queue is full", and the app must then serve a new request by itself); with
--old-way, the OLD WAY (an app with CODEBOOK_LLM_CONCURRENCY=1 and the heavy jobs sent one
after another;
--old-way-users N times N of them and extrapolates linearly, labelled so).  --upload-ttl N also
checks that uploads and downloads are deleted after N s.

Every simulated user has its own gradio_client.Client (one session each), created before the
timed part.  All clients share one SSL context (`ssl_verify=ssl.create_default_context()`):
gradio_client otherwise builds a new one for every HTTP request (~40 ms of client CPU each, even
for http://), which a tuned real client would not do.  Otherwise the clients keep gradio_client's
defaults, including its 5 s HTTP timeout on uploads and queue/join (a slower answer fails the
job, as it would for a real caller).  Heavy users' clients do not download the result files
(download_files=False); the light user's client does (its latency is a full round trip).  The
light user runs in a process of its own, as another user's client would (in this one it shared
the interpreter lock with the hundred heavy clients' threads, and its latency included theirs:
it measured the bench as much as the app).  One poller thread watches every job's outputs
every 20 ms (first partial, first LLM chunk and completion are timed to that resolution).  The
heavy users' clients run at niceness --client-nice (10; their threads only: the app, the
simulator and the light user keep the usual one): on one 2-core machine their CPU, up to 0.9 of
a core while a hundred jobs are submitted and again while their results are parsed, was taken
from the app and the light user, whereas real clients run on their users' machines.  The
CPU used by the app, the simulator, this process (the clients) and other processes on the
machine is measured and printed: with many clients on 2 cores the client side, or a neighbour,
can become the bottleneck.  So is the machine's speed, as the time of a fixed CPU loop before
and after the main phase: on a shared VM it varies by half within minutes, and with it every
latency figure of a run.

Prints a table (metric, value, target, PASS/FAIL/info) and writes bench/out/load-<timestamp>.json
(every job's and light request's timings, RSS samples, simulator counters).  Exit code 0 when
every target is met, 1 otherwise.  Use --py-spy for a flame graph of the app during the load.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import json
import math
import os
import platform
import random
import resource
import shlex
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field as dc_field
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # a checkout not installed with `pip install -e .`
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from gradio_client import Client, handle_file  # noqa: E402

from harness.app_server import AppServer  # noqa: E402
from engine.pipeline.steps import parse_file  # noqa: E402
from engine.llm import dictionary_text  # noqa: E402
from engine.llm.chunking import chunk_text  # noqa: E402
from simulator import run_in_process  # noqa: E402
from simulator.synthetic import synthetic_dictionary  # noqa: E402

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


# ---- small helpers ------------------------------------------------------------------------
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


def machine() -> dict[str, Any]:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    import gradio_client
    try:
        import gradio
        gv = gradio.__version__
    except Exception:  # noqa: BLE001
        gv = "?"
    return {"nproc": os.cpu_count(), "cpu": model, "ram": mem,
            "python": platform.python_version(), "platform": platform.platform(),
            "gradio": gv, "gradio_client": gradio_client.__version__}


def git_state() -> str:
    """The commit under test, and whether app.py / engine/ differ from it."""
    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    head = git("log", "-1", "--format=%h %s")[:90] or "?"
    dirty = git("status", "--porcelain", "--", "app.py", "engine")
    n = len(dirty.splitlines())
    return f"git {head}" + (f" + {n} uncommitted change(s) in app.py/engine" if n else "")


def descendants(pid: int) -> list[int]:
    """The live descendants of a process (e.g. the app's CPU worker processes)."""
    parent: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int(Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()[1])
                parent.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        for child in parent.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


class Proc:
    """/proc readings of one process and its descendants (the app forks CPU workers), or of
    several such processes added up (replicas)."""

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, pid: int | list[int]) -> None:
        self.pids = pid if isinstance(pid, list) else [pid]

    @staticmethod
    def _status(pid: int) -> dict[str, int]:
        out = {}
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                k, _, v = line.partition(":")
                if k in ("VmRSS", "VmHWM"):
                    out[k] = int(v.split()[0]) * 1024
                elif k == "Threads":
                    out[k] = int(v)
            out["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
        except (OSError, ValueError):
            pass
        return out

    def status(self) -> dict[str, int]:
        """VmRSS, VmHWM, Threads, fds of the main process(es); workers, workers_rss of their
        descendants."""
        out: dict[str, int] = {}
        for pid in self.pids:
            one = self._status(pid)
            if not one:
                return {}
            kids = [self._status(k) for k in descendants(pid)]
            one["workers"] = len(kids)
            one["workers_rss"] = sum(k.get("VmRSS", 0) for k in kids)
            for k, v in one.items():
                out[k] = out.get(k, 0) + v
        return out

    @classmethod
    def _cpu(cls, pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        # utime, stime, and cutime, cstime (children it has waited for)
        return sum(int(x) for x in fields[11:15]) / cls.TICK

    def cpu(self) -> float:
        """CPU seconds of the process(es) and their live descendants."""
        total = 0.0
        for pid in self.pids:
            try:
                total += self._cpu(pid)
            except (OSError, IndexError, ValueError):
                return float("nan")
            for k in descendants(pid):
                with contextlib.suppress(OSError, IndexError, ValueError):
                    total += self._cpu(k)
        return total


def cpu_probe(runs: int = 5) -> list[float]:
    """Milliseconds a fixed piece of pure-Python work takes, `runs` times, 0.2 s apart: how
    fast the machine is at that moment.  On a shared VM the same work took from 0.35 to
    0.54 s within a minute with no steal time reported, and the app's CPU for the same load
    varied as much: read a run's figures with this one."""
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        acc, d = 0, {}
        for i in range(300_000):
            acc += i * i % 7
        for i in range(30_000):
            d[str(i)] = i
        out.append((time.perf_counter() - t) * 1000)
        time.sleep(0.2)
    return out


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies from /proc/stat."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + (parts[4] if len(parts) > 4 else 0)
    return sum(parts) - idle, sum(parts)


def self_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class CpuWindow:
    """CPU seconds used by the app, the simulator and this process over a window."""

    def __init__(self, app: Proc, sim: Proc) -> None:
        self.app, self.sim = app, sim

    def __enter__(self) -> "CpuWindow":
        self.t = time.monotonic()
        self.a, self.s, self.c = self.app.cpu(), self.sim.cpu(), self_cpu()
        self.busy, self.total = machine_busy()
        return self

    def __exit__(self, *exc: Any) -> None:
        wall = time.monotonic() - self.t
        busy, total = machine_busy()
        ours = (self.app.cpu() - self.a) + (self.sim.cpu() - self.s) + (self_cpu() - self.c)
        machine = (busy - self.busy) / max(1, total - self.total) * (os.cpu_count() or 1)
        self.result = {
            "other_processes_cores": round(max(0.0, machine - ours / wall), 2),
            "wall_s": round(wall, 2),
            "app_cores": round((self.app.cpu() - self.a) / wall, 2),
            "simulator_cores": round((self.sim.cpu() - self.s) / wall, 2),
            "bench_client_cores": round((self_cpu() - self.c) / wall, 2),
            "machine_busy_pct": round(100 * (busy - self.busy) / max(1, total - self.total), 1),
        }


class Sampler(threading.Thread):
    """Samples the app's RSS, threads and open files every SAMPLE seconds."""

    def __init__(self, proc: Proc) -> None:
        super().__init__(daemon=True, name="rss-sampler")
        self.proc = proc
        self.samples: list[dict[str, float]] = []
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            s = self.proc.status()
            if s:
                self.samples.append({"t": round(now(), 3), "rss": s.get("VmRSS", 0),
                                     "workers_rss": s.get("workers_rss", 0),
                                     "workers": s.get("workers", 0),
                                     "threads": s.get("Threads", 0), "fds": s.get("fds", 0),
                                     "cpu": self.proc.cpu(), "bench_cpu": self_cpu()})
            self.stop_event.wait(SAMPLE)

    def between(self, a: float, b: float) -> list[dict[str, float]]:
        return [s for s in self.samples if a <= s["t"] <= b]

    def cores(self, a: float, b: float, key: str = "cpu") -> float | None:
        """Mean CPU use (cores) of the app ("cpu") or this process ("bench_cpu") between two
        times."""
        s = self.between(a, b)
        if len(s) < 2 or s[-1]["t"] <= s[0]["t"]:
            return None
        return (s[-1][key] - s[0][key]) / (s[-1]["t"] - s[0]["t"])

    def stop(self) -> None:
        self.stop_event.set()
        self.join(5)


# what an app keeps on disk, under its work directory: (label, folder, subfolder not counted)
DISK = {"uploads": ("uploads (GRADIO_TEMP_DIR)", "gradio", "codebook-downloads"),
        "downloads": ("downloads (codebook-downloads, in it)", "gradio/codebook-downloads", None)}


def walk(path: Path, skip: str | None = None):
    """os.walk(path) without its top-level folder `skip`."""
    for dirpath, dirnames, files in os.walk(path):
        if skip and Path(dirpath) == path and skip in dirnames:
            dirnames.remove(skip)
        yield dirpath, dirnames, files


def disk_usage(app_dir: Path) -> dict[str, tuple[int, int]]:
    return {k: dir_usage(app_dir / folder, skip) for k, (_, folder, skip) in DISK.items()}


def dir_usage(path: Path, skip: str | None = None) -> tuple[int, int]:
    """(files, bytes) under path (but not in its folder `skip`)."""
    n = size = 0
    for dirpath, _, files in walk(path, skip):
        for f in files:
            with contextlib.suppress(OSError):
                size += os.path.getsize(os.path.join(dirpath, f))
                n += 1
    return n, size


# ---- workload -----------------------------------------------------------------------------
def app_chunks(path: Path, budget: int) -> int:
    """The number of chunks the app will cut this file into (its own rules parse + text)."""
    rules = parse_file(path).schema
    return len(chunk_text(dictionary_text(path), rules.names, budget=budget))


def fields_for(chunks: int, seeds: list[int], budget: int) -> int:
    """A field count that gives exactly `chunks` chunks for every seed (synthetic rules)."""
    start = max(1, int(chunks * 8.6 * budget / 400) - 4 * chunks)
    for fields in range(start, start + 30 * chunks + 40):
        ok = True
        for seed in seeds:
            text, rules = synthetic_dictionary(fields, codes=3, seed=seed)
            if len(chunk_text(text, rules.names, budget=budget)) != chunks:
                ok = False
                break
        if ok:
            return fields
    raise RuntimeError(f"no field count gives {chunks} chunks for all seeds at budget {budget}")


@dataclass
class Workload:
    work: Path
    heavy: list[Path]
    heavy_fields: int
    small_fields: int
    small_seeds: dict[str, int]
    light_csv: Path
    light_dict: Path
    warm_rules: Path
    warm_llm: Path

    def small(self, name: str) -> Path:
        p = self.work / f"small_{name}.txt"
        if not p.exists():
            text, _ = synthetic_dictionary(self.small_fields, codes=3,
                                           seed=self.small_seeds[name])
            p.write_text(text)
        return p


def build_workload(work: Path, users: int, chunks: int, old_users: int) -> Workload:
    seeds = [HEAVY_SEED0 + i for i in range(max(users, old_users))]
    heavy_fields = fields_for(chunks, seeds, BUDGET)
    small_seeds = {name: 500 + i for i, name in enumerate(
        ["baseline", "load", "warm"] + [f"overload{i}" for i in range(16)])}
    small_fields = fields_for(SMALL_CHUNKS, list(small_seeds.values()), BUDGET)
    heavy = []
    for seed in seeds:
        text, _ = synthetic_dictionary(heavy_fields, codes=3, seed=seed)
        p = work / f"heavy_{seed}.txt"
        p.write_text(text)
        heavy.append(p)
    # the app cuts what it parses itself: check a sample of files end to end
    for p in heavy[:: max(1, len(heavy) // 10)] + heavy[-1:]:
        n = app_chunks(p, BUDGET)
        if n != chunks:
            raise RuntimeError(f"{p.name}: the app would cut it into {n} chunks, not {chunks}")
    wl = Workload(work, heavy, heavy_fields, small_fields, small_seeds, work / "light.csv",
                  work / "light_dictionary.txt", work / "warm_rules.txt",
                  work / "warm_llm.txt")
    for name in ("baseline", "load"):
        if app_chunks(wl.small(name), BUDGET) != SMALL_CHUNKS:
            raise RuntimeError("the small job is not 2 chunks")
    with open(wl.light_csv, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "age", "sex", "region", "income", "smoker"])
        for i in range(200):
            w.writerow([i + 1, 18 + (i * 7) % 60, i % 2, ["N", "S", "E", "W"][i % 4],
                        1000 + (i * 37) % 5000, ["yes", "no"][i % 3 == 0]])
    text, _ = synthetic_dictionary(8, codes=3, seed=7)
    wl.light_dict.write_text(text)
    wl.warm_rules.write_text("age: age in years\nsex: sex (1 = male; 0 = female)\n")
    text, _ = synthetic_dictionary(3, codes=3, seed=3)
    wl.warm_llm.write_text(text)
    return wl


# ---- clients ------------------------------------------------------------------------------
SSL_CONTEXT = ssl.create_default_context()


class PostTimes:
    """Times every httpx.post gradio_client makes (uploads, queue/join), by endpoint: which
    step of a request is slow under load."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.samples: list[tuple[float, str, float, str]] = []  # start, path, seconds, error
        self._post = None

    def install(self) -> None:
        import httpx

        self._post = real = httpx.post

        def post(url, *args, **kwargs):
            t, start, err = time.monotonic(), now(), ""
            try:
                return real(url, *args, **kwargs)
            except Exception as exc:
                err = type(exc).__name__
                raise
            finally:
                path = str(url).split("/gradio_api/", 1)[-1].split("?")[0]
                with self.lock:
                    self.samples.append((start, path, time.monotonic() - t, err))

        httpx.post = post

    def between(self, a: float, b: float) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        with self.lock:
            for start, path, sec, _ in self.samples:
                if a <= start <= b:
                    out.setdefault(path, []).append(sec)
        return out


POSTS = PostTimes()


def new_client(url: str, downloads: Path | None = None) -> Client:
    return Client(url, verbose=False, ssl_verify=SSL_CONTEXT,  # type: ignore[arg-type]
                  download_files=str(downloads) if downloads else False,
                  analytics_enabled=False)


def new_clients(url: str, n: int) -> list[Client]:
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: new_client(url), range(n)))


def close_clients(clients: list[Client], wait: float = 0.0) -> None:
    """Close clients (in parallel: each close() waits up to 1 s for its heartbeat thread);
    with `wait`, wait up to that long for their heartbeat connections to end (they notice the
    close only at the server's next heartbeat, every 15 s)."""
    if not clients:
        return

    def close(c: Client) -> None:
        with contextlib.suppress(Exception):
            c.close()

    with concurrent.futures.ThreadPoolExecutor(min(64, len(clients))) as pool:
        list(pool.map(close, clients))
    deadline = time.monotonic() + wait
    for c in clients:
        hb = getattr(c, "heartbeat", None)
        if hb is not None and hb.is_alive():
            hb.join(max(0.0, deadline - time.monotonic()))


def in_niced_thread(nice: int, fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in a thread of its own running at niceness `nice` (on Linux niceness is per
    thread, and the threads a thread starts inherit it: the clients' heartbeat, job and
    event-stream threads started from `fn` run at it too; this process's other threads, and
    the processes it starts later, do not).  Where the niceness cannot be set, at the usual one."""
    out: dict[str, Any] = {}

    def run() -> None:
        if nice:
            with contextlib.suppress(OSError, AttributeError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
        try:
            out["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
            out["error"] = exc

    t = threading.Thread(target=run, name=f"clients-nice{nice}")
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def thread_niceness() -> dict[int, int]:
    """This process's threads by niceness (from /proc; empty elsewhere)."""
    counts: dict[int, int] = {}
    for stat in Path("/proc/self/task").glob("*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            nice = int(stat.read_text().rsplit(")", 1)[1].split()[16])
            counts[nice] = counts.get(nice, 0) + 1
    return counts


@dataclass
class JobRecord:
    """One LLM parse as its client saw it (times relative to the benchmark's start)."""

    name: str
    chunks: int
    submit: float = 0.0
    first: float | None = None       # any output (the rule-based partial result)
    first_llm: float | None = None   # first output with an LLM chunk done
    done: float | None = None
    outputs: int = 0
    ok: bool = False
    error: str | None = None
    calls: int = 0
    retries: int = 0
    cache_hits: int = 0
    chunks_done: int = 0
    flagged: int = 0
    job: Any = dc_field(default=None, repr=False)

    def total(self) -> float | None:
        return None if self.done is None else self.done - self.submit


def llm_of(out: Any) -> dict | None:
    if isinstance(out, (tuple, list)) and len(out) > 5 and isinstance(out[5], dict):
        llm = out[5].get("llm")
        return llm if isinstance(llm, dict) else None
    return None


def where(exc: BaseException) -> str:
    """' (in gradio_client's <function>)' for an exception raised inside gradio_client (e.g.
    _upload_file or send_data for a ReadTimeout: its default HTTP timeout is 5 s)."""
    tb, name = exc.__traceback__, None
    while tb is not None:
        if "gradio_client" in tb.tb_frame.f_code.co_filename:
            name = tb.tb_frame.f_code.co_name
        tb = tb.tb_next
    return f" (in gradio_client's {name})" if name else ""


def submit_llm(client: Client, path: Path, rec: JobRecord) -> None:
    rec.submit = now()
    rec.job = client.submit(handle_file(str(path)), True, api_name="/parse_dictionary")


def finish(rec: JobRecord) -> None:
    """Record the outcome of a finished job."""
    try:
        final = rec.job.result(timeout=0)
    except Exception as exc:  # noqa: BLE001
        rec.error = f"{type(exc).__name__}: {exc}" + where(exc)
        return
    llm = llm_of(final)
    if llm is None:
        rec.error = "no LLM details in the final output"
        return
    usage = llm.get("usage") or {}
    rec.calls, rec.retries = usage.get("calls", 0), usage.get("retries", 0)
    rec.cache_hits = usage.get("cache_hits", 0)
    rec.chunks_done, rec.flagged = llm.get("chunks_done", 0), len(llm.get("flagged") or [])
    problems = []
    if llm.get("error"):
        problems.append(f"llm.error: {llm['error']}")
    if rec.flagged:
        problems.append(f"{rec.flagged} flagged chunks: {llm['flagged'][:2]}")
    if not llm.get("done") or rec.chunks_done != llm.get("chunks_total"):
        problems.append(f"{rec.chunks_done} of {llm.get('chunks_total')} chunks done")
    if llm.get("chunks_total") != rec.chunks:
        problems.append(f"{llm.get('chunks_total')} chunks, expected {rec.chunks}")
    rec.error = "; ".join(problems) or None
    rec.ok = not problems


class Poller(threading.Thread):
    """Watches every registered job's outputs every POLL seconds (one thread for all)."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="job-poller")
        self.active: list[JobRecord] = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.all_done = threading.Condition(self.lock)

    def add(self, rec: JobRecord) -> None:
        with self.lock:
            self.active.append(rec)

    def pending(self) -> int:
        with self.lock:
            return len(self.active)

    def run(self) -> None:
        while not self.stop_event.is_set():
            with self.lock:
                recs = list(self.active)
            finished = []
            for rec in recs:
                job = rec.job
                if job is None:
                    continue
                outs = job.outputs()
                n = len(outs)
                if n > rec.outputs:
                    t = now()
                    if rec.first is None:
                        rec.first = t
                    if rec.first_llm is None:
                        for out in outs[rec.outputs:n]:
                            llm = llm_of(out)
                            if llm and llm.get("chunks_done", 0) >= 1:
                                rec.first_llm = t
                                break
                    rec.outputs = n
                if job.done():
                    rec.done = now()
                    finish(rec)
                    finished.append(rec)
            if finished:
                with self.lock:
                    self.active = [r for r in self.active if r not in finished]
                    self.all_done.notify_all()
            self.stop_event.wait(POLL)

    def wait_all(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.active:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.all_done.wait(min(left, 1.0))
        return True


def run_one(client: Client, path: Path, name: str, chunks: int, poller: Poller,
            timeout: float) -> JobRecord:
    rec = JobRecord(name, chunks)
    submit_llm(client, path, rec)
    poller.add(rec)
    poller.wait_all(timeout)
    return rec


@dataclass
class LightSample:
    kind: str        # "profile" or "parse"
    start: float
    latency: float
    ok: bool
    error: str | None = None


class LightSamples:
    """What both light users give: their samples, and those taken in a time window."""

    samples: list[LightSample]

    def between(self, a: float, b: float, kind: str | None = None) -> list[LightSample]:
        return [s for s in self.samples if a <= s.start <= b and (kind is None or s.kind == kind)]


class LightUser(LightSamples, threading.Thread):
    """One user: profile a small CSV, then parse a small dictionary by rules, once a second."""

    def __init__(self, client: Client, wl: Workload) -> None:
        super().__init__(daemon=True, name="light-user")
        self.client, self.wl = client, wl
        self.samples: list[LightSample] = []
        self.stop_event = threading.Event()

    def one(self, kind: str) -> None:
        t = time.monotonic()
        start = now()
        try:
            if kind == "profile":
                status, _, prof, *_ = self.client.predict(handle_file(str(self.wl.light_csv)),
                                                          None, api_name="/profile")
                ok = isinstance(prof, dict) and prof.get("rows") == 200
            else:
                out = self.client.predict(handle_file(str(self.wl.light_dict)), False,
                                          api_name="/parse_dictionary")
                ok = isinstance(out[2], dict) and len(out[2].get("fields", [])) == 8
            err = None if ok else "unexpected result"
        except Exception as exc:  # noqa: BLE001
            ok, err = False, f"{type(exc).__name__}: {exc}" + where(exc)
        self.samples.append(LightSample(kind, start, time.monotonic() - t, ok, err))

    def run(self) -> None:
        # once a second, at a random moment of each second (seeded): the LLM answers come in
        # waves (every call takes the simulator's latency), and at a fixed phase every request
        # met a wave, or none did (runs of the same code gave light p95s of 1.0x to 4.5x idle)
        rng = random.Random(LIGHT_SEED)
        second = time.monotonic()
        while not self.stop_event.is_set():
            self.one("profile")
            self.one("parse")
            second = max(second + 1.0, math.floor(time.monotonic() - second) + second)
            self.stop_event.wait(max(0.0, second + rng.random() - time.monotonic()))

    def stop(self) -> None:
        self.stop_event.set()
        self.join(60)



class LightProcess(LightSamples):
    """The light user (LightUser) in a process of its own, as another user's client is: in
    this process its client shared the interpreter lock with the heavy users' hundred clients
    and their threads, and its latency included waiting for them.  Same interface as
    LightUser; its samples are read back with their times in this process's clock."""

    def __init__(self, url: str, wl: Workload, downloads: Path) -> None:
        self.out = downloads.with_name(downloads.name + ".samples.jsonl")
        self.out.unlink(missing_ok=True)
        self.offset = time.time() - now()      # wall clock -> now()
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--light-user", url,
             str(wl.light_csv), str(wl.light_dict), str(downloads), str(self.out)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def start(self) -> None:
        """Wait until its client is connected and its first request is on the way."""
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if line.strip() != "ready":
            raise RuntimeError(f"the light user's process did not start: {line!r}")

    def stop(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()            # the child stops at end of input
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    @property
    def samples(self) -> list[LightSample]:
        out = []
        with contextlib.suppress(FileNotFoundError), open(self.out) as f:
            for line in f:
                if line.endswith("\n"):
                    d = json.loads(line)
                    d["start"] -= self.offset
                    out.append(LightSample(**d))
        return out



def light_user_main(argv: list[str]) -> int:
    """`load.py --light-user URL CSV DICTIONARY DOWNLOADS OUT`: run a LightUser until standard
    input ends, appending each sample to OUT as a JSON line (start in wall-clock seconds)."""
    url, csv_path, dict_path, downloads, out = argv
    wl = Workload.__new__(Workload)
    wl.light_csv, wl.light_dict = Path(csv_path), Path(dict_path)

    class Writing(LightUser):
        def one(self, kind: str) -> None:
            super().one(kind)
            s = self.samples[-1]
            with open(out, "a") as f:
                f.write(json.dumps({**asdict(s), "start": s.start + time.time() - now()}) + "\n")

    user = Writing(new_client(url, Path(downloads)), wl)
    user.start()
    print("ready", flush=True)
    sys.stdin.read()
    user.stop()
    return 0


# ---- the run ------------------------------------------------------------------------------
class Replicas:
    """N app processes behind Debian's nginx configured from deploy/nginx.conf, as
    docker-compose runs them: each has its own serving thread; the LLM limits are split
    between them (their sum is the provider's), the LLM cache directory is shared."""

    def __init__(self, apps: list[AppServer], proxy: Any) -> None:
        self.apps, self.proxy, self.url = apps, proxy, proxy.url

    @property
    def pids(self) -> list[int]:
        return [a.proc.pid for a in self.apps]

    def log(self) -> str:
        return "\n".join(a.log() for a in self.apps) + "\n" + self.proxy.errors()


def pids_of(app: AppServer | Replicas) -> list[int]:
    return app.pids if isinstance(app, Replicas) else [app.proc.pid]


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


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="codebook-load-"))
        self.sim = None
        self.apps: list[AppServer] = []
        self.clients: list[Client] = []
        self.rows: list[tuple[str, str, str, bool | None]] = []
        self.result: dict[str, Any] = {}

    # -- infrastructure
    def start_app(self, name: str, script: Path = ROOT / "app.py", **env: str) -> AppServer:
        d = self.work / name
        for sub in ("cache", "gradio", "tmp"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        full = {"OPENAI_BASE_URL": self.sim.base_url, "OPENAI_MODEL": "codebook-simulator",
                "OPENAI_API_KEY": "bench", "CODEBOOK_CHUNK_TOKENS": str(BUDGET),
                "CODEBOOK_CACHE_DIR": str(d / "cache"), "GRADIO_TEMP_DIR": str(d / "gradio"),
                "TMPDIR": str(d / "tmp"), **env}
        t = time.monotonic()
        app = AppServer(env=full, timeout=120, script=script)
        self.apps.append(app)
        log(f"app '{name}' up at {app.url} (pid {app.proc.pid}) in "
            f"{time.monotonic() - t:.1f} s; {', '.join(f'{k}={v}' for k, v in env.items())}")
        return app

    def start_replicas(self, name: str, n: int, concurrency: int, rpm: int,
                       **env: str) -> Replicas:
        """n apps (the LLM limits split between them, one cache) behind nginx."""
        from concurrent.futures import ThreadPoolExecutor

        from harness.nginx_server import MISSING_NGINX, NginxServer, find_nginx

        nginx = find_nginx()
        if nginx is None:
            raise SystemExit(f"--replicas: {MISSING_NGINX}")
        shares = zip(split_limit(concurrency, n), split_limit(rpm, n))
        # the machine's cores shared out too: CPU worker processes per replica
        workers = str(max(1, (os.cpu_count() or 2) // n))
        with ThreadPoolExecutor(n) as pool:
            futures = [pool.submit(self.start_app, name, CODEBOOK_LLM_CONCURRENCY=str(c),
                                   CODEBOOK_LLM_RPM=str(r), CODEBOOK_CPU_WORKERS=workers, **env)
                       for c, r in shares]
        apps = [f.result() for f in futures]
        proxy = NginxServer(nginx, self.work / name / "nginx",
                            [f"127.0.0.1:{a.port}" for a in apps])
        cluster = Replicas(apps, proxy)
        self.apps.append(cluster)
        log(f"'{name}': {n} replicas behind nginx at {cluster.url}")
        return cluster

    def stop_app(self, app: AppServer | Replicas, name: str = "") -> None:
        """Stop the app; then stop any of its worker processes that outlived it (they were
        started by this run: their PIDs were read from /proc before the stop)."""
        if isinstance(app, Replicas):
            app.proxy.stop()
            for i, one in enumerate(app.apps):
                self.stop_app(one, f"{name} {i + 1}" if name else "")
            if app in self.apps:
                self.apps.remove(app)
            return
        t = time.monotonic()
        kids = descendants(app.proc.pid) if app.proc.poll() is None else []
        app.stop()
        if app in self.apps:
            self.apps.remove(app)
        def alive(pid: int) -> bool:
            try:   # a zombie has exited (its new parent has not reaped it yet)
                return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
            except (OSError, IndexError):
                return False

        deadline = time.monotonic() + 5   # workers may take a moment to notice
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [k for k in kids if alive(k)]
        for k in left:
            with contextlib.suppress(OSError):
                os.kill(k, signal.SIGKILL)
        log(f"app pid {app.proc.pid} stopped in {time.monotonic() - t:.1f} s "
            f"(exit code {app.proc.returncode}); {len(kids)} worker process(es)"
            + (f", {len(left)} outlived it and were killed: {left}" if left else ""))
        if name:
            self.row(f"app '{name}': worker processes left running after the app stopped",
                     f"{len(left)} of {len(kids)}", "0", not left)

    def client(self, url: str, downloads: Path | None = None) -> Client:
        c = new_client(url, downloads)
        self.clients.append(c)
        return c

    def cleanup(self) -> None:
        close_clients(self.clients)
        for app in list(self.apps):
            with contextlib.suppress(Exception):
                self.stop_app(app)
        if self.sim is not None:
            with contextlib.suppress(Exception):
                self.sim.stop()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def row(self, metric: str, value: str, target: str, ok: bool | None) -> None:
        self.rows.append((metric, value, target, ok))

    # -- phases
    def main(self) -> int:
        a = self.args
        ideal_conc = a.users * a.chunks / a.concurrency * a.latency
        ideal_rpm = a.users * a.chunks / a.rpm * 60 if a.rpm else 0.0
        self.ideal = max(ideal_conc, ideal_rpm)
        self.result.update(machine=machine(), command=self.command(), args=vars(a),
                           code=git_state(),
                           ideal_s=self.ideal, ideal_bound=(
                               "concurrency" if ideal_conc >= ideal_rpm else "rpm"))
        self.print_header()
        log(f"building {a.users * a.waves} dictionaries of {a.chunks} chunks (budget {BUDGET} "
            "tokens) ...")
        self.wl = build_workload(self.work, a.users * a.waves, a.chunks,
                                 a.old_way_users if a.old_way else 0)
        log(f"heavy dictionaries: {self.wl.heavy_fields} fields -> {a.chunks} chunks each; "
            f"small job: {self.wl.small_fields} fields -> {SMALL_CHUNKS} chunks")
        self.sim = run_in_process(latency=f"{a.latency:g}", rpm=a.rpm, rpm_window=60,
                                  max_concurrency=a.concurrency, over_capacity="429")
        self.sim_proc = Proc(self.sim._process.pid)
        log(f"simulator at {self.sim.base_url} (pid {self.sim._process.pid}): latency "
            f"{a.latency:g} s, rpm {a.rpm}, max_concurrency {a.concurrency} (429 beyond)")
        probe_before = cpu_probe()
        self.phase_main()
        probe_after = cpu_probe()
        self.result["cpu_probe_ms"] = {"before": probe_before, "after": probe_after}
        self.row("machine speed: a fixed CPU loop before / after the main phase (5 runs each)",
                 f"{min(probe_before):.0f}-{max(probe_before):.0f} ms / "
                 f"{min(probe_after):.0f}-{max(probe_after):.0f} ms (same work: lower is "
                 "faster; runs on slower moments give slower figures)", "info", None)
        if not a.skip_overload:
            self.phase_overload()
        if a.old_way:
            self.phase_old_way()
        return self.report()

    def phase_main(self) -> None:
        a = self.args
        ttl = {"CODEBOOK_UPLOAD_TTL": str(a.upload_ttl)} if a.upload_ttl else {}
        app: AppServer | Replicas
        if a.replicas > 1:
            app = self.start_replicas("main", a.replicas, a.concurrency, a.rpm, **ttl)
        else:
            app = self.start_app("main", NAIVE_APP if a.naive else ROOT / "app.py",
                                 CODEBOOK_LLM_CONCURRENCY=str(a.concurrency),
                                 CODEBOOK_LLM_RPM=str(a.rpm), **ttl)
        self.app_proc = Proc(pids_of(app))
        sampler = Sampler(self.app_proc)
        sampler.start()
        poller = Poller()
        poller.start()
        try:
            self._phase_main(app, sampler, poller)
        finally:
            poller.stop_event.set()
            sampler.stop()
            self.result["rss_samples"] = sampler.samples
            self.scan_log(app, "main")
            self.stop_app(app, "main")

    def _phase_main(self, app: AppServer, sampler: Sampler, poller: Poller) -> None:
        a, wl = self.args, self.wl
        # warm up: a rules parse, a tiny LLM parse; then zero the simulator's counters
        warm = self.client(app.url)
        warm.predict(handle_file(str(wl.warm_rules)), False, api_name="/parse_dictionary")
        rec = run_one(warm, wl.warm_llm, "warm", 1, poller, 120)
        if rec.error and "chunks" not in rec.error:
            raise RuntimeError(f"warm-up LLM parse failed: {rec.error}")
        api = warm.view_api(print_info=False, return_format="dict")
        self.result["api_profile_params"] = [p.get("parameter_name") for p in
                                             api["named_endpoints"]["/profile"]["parameters"]]
        self.sim.reset()

        # IDLE baseline: the light user alone
        light = LightProcess(app.url, wl, self.work / "light-downloads")
        light.start()
        idle_start = now()
        time.sleep(a.idle_seconds)
        idle_end = now()
        log(f"idle baseline: {len(light.between(idle_start, idle_end))} light requests")

        # FAIRNESS baseline: the small job alone (the light user keeps going: it will under
        # load too)
        small_client = self.client(app.url)
        base = run_one(small_client, wl.small("baseline"), "small-baseline", SMALL_CHUNKS,
                       poller, 120)
        log(f"fairness baseline: small 2-chunk job alone took {fmt_s(base.total())} "
            f"({'ok' if base.ok else base.error})")

        # LOAD, wave by wave (wave 1 is the measured one; later waves check memory)
        waves = []
        for w in range(a.waves):
            waves.append(self.load_wave(app, sampler, poller, light, w))
        w0 = waves[0]
        self.result["main"] = {
            **{k: v for k, v in w0.items() if k not in ("recs", "small")},
            "heavy": [self.rec_dict(r) for r in w0["recs"]],
            "small_baseline": self.rec_dict(base), "small_load": self.rec_dict(w0["small"]),
            "light": [asdict(s) for s in light.samples], "idle_window": [idle_start, idle_end],
            "later_waves": [{k: v for k, v in wv.items() if k not in ("recs", "small",
                                                                       "sim_request_times")}
                            | {"failed": sum(not r.ok for r in wv["recs"])}
                            for wv in waves[1:]],
        }
        self.evaluate_main(w0, base, light, idle_start, idle_end, sampler)
        self.evaluate_memory(waves, sampler)
        if a.upload_ttl:
            self.check_cleanup(a.upload_ttl, waves[-1]["load_end"])
        light.stop()

    def load_wave(self, app: AppServer, sampler: Sampler, poller: Poller,
                  light: LightProcess, wave: int) -> dict[str, Any]:
        """One wave: users heavy jobs at once (+ the small job in wave 0), then clients
        leave and the app idles; returns the records and readings."""
        a, wl = self.args, self.wl
        tag = f"wave {wave + 1}/{a.waves}"
        log(f"{tag}: creating {a.users} clients ...")
        t = time.monotonic()
        heavy_clients = in_niced_thread(a.client_nice, new_clients, app.url, a.users)
        self.clients += heavy_clients
        small_client = self.client(app.url)
        log(f"{tag}: {a.users} clients created in {time.monotonic() - t:.1f} s")
        time.sleep(2.0)   # let the light user and the app settle after client creation
        self.sim.reset()
        before = self.app_proc.status()
        disk_before = disk_usage(self.work / "main")
        recs = [JobRecord(f"heavy-w{wave + 1}-{i}", a.chunks) for i in range(a.users)]
        paths = wl.heavy[wave * a.users:(wave + 1) * a.users]
        small = None
        pyspy = self.start_pyspy(app) if a.py_spy and wave == 0 else None
        with CpuWindow(self.app_proc, self.sim_proc) as cpu:
            load_start = now()

            def submit_all() -> None:
                for client, path, rec in zip(heavy_clients, paths, recs):
                    submit_llm(client, path, rec)
                    poller.add(rec)
            in_niced_thread(a.client_nice, submit_all)
            submitted = now()
            log(f"{tag}: LOAD: {a.users} heavy jobs submitted in {submitted - load_start:.3f} s;"
                f" ideal {self.ideal:.1f} s")
            if wave == 0:
                self.result["bench_thread_niceness"] = thread_niceness()
                time.sleep(max(0.0, load_start + a.small_delay - now()))
                small = JobRecord("small-load", SMALL_CHUNKS)
                submit_llm(small_client, wl.small("load"), small)
                poller.add(small)
            last_report = time.monotonic()
            while poller.pending():
                poller.wait_all(1.0)
                if time.monotonic() - last_report > 10:
                    last_report = time.monotonic()
                    done = sum(r.done is not None for r in recs)
                    st = self.app_proc.status()
                    log(f"  {done}/{a.users} heavy jobs done, app RSS "
                        f"{st.get('VmRSS', 0) / 2**20:.0f} MB, {st.get('Threads')} threads, "
                        f"{st.get('fds')} fds")
                if now() - load_start > max(600, 5 * self.ideal):
                    log("giving up: jobs still running after the time limit")
                    break
            load_end = max((r.done or now()) for r in recs)
        if pyspy is not None:
            self.stop_pyspy(pyspy)
        sim_stats = self.sim.stats()
        log(f"{tag}: LOAD done in {load_end - load_start:.1f} s, "
            f"{sum(not r.ok for r in recs)} failed")

        # AFTER: heavy users leave; idle for a while (the light user keeps going)
        t = time.monotonic()
        close_clients(heavy_clients + [small_client], wait=20)
        log(f"{tag}: heavy clients closed (heartbeat connections ended) in "
            f"{time.monotonic() - t:.1f} s; idle for {a.after_seconds:g} s")
        time.sleep(a.after_seconds)
        after = self.app_proc.status()
        return {
            "wave": wave + 1, "recs": recs, "small": small, "load_start": load_start,
            "load_end": load_end, "submit_spread_s": submitted - load_start,
            "cpu_during_load": cpu.result,
            "sim_stats": {k: v for k, v in sim_stats.items() if k != "request_times"},
            "sim_request_times": sim_stats.get("request_times"), "after_t": now(),
            "app_before": before, "app_after": after, "disk_before": disk_before,
            "disk_after": disk_usage(self.work / "main"),
            "peak": {k: max([x[k] for x in sampler.between(load_start, load_end + 1)]
                            + [0]) for k in ("rss", "workers_rss", "threads", "fds")},
            "heavy_completion_s": load_end - load_start,
        }

    def evaluate_main(self, w0: dict[str, Any], base: JobRecord, light: LightProcess,
                      idle_start: float, idle_end: float, sampler: Sampler) -> None:
        a = self.args
        recs, small, sim_stats, cpu = w0["recs"], w0["small"], w0["sim_stats"], \
            w0["cpu_during_load"]
        load_start, load_end, spread = w0["load_start"], w0["load_end"], w0["submit_spread_s"]
        # light requests
        for kind in ("profile", "parse"):
            idle = [s.latency for s in light.between(idle_start, idle_end, kind) if s.ok]
            load = [s.latency for s in light.between(load_start, load_end, kind) if s.ok]
            p50i, p95i, p50l, p95l = pct(idle, 50), pct(idle, 95), pct(load, 50), pct(load, 95)
            self.row(f"light {kind}: idle p50 / p95 / max ({len(idle)} requests)",
                     f"{fmt_ms(p50i)} / {fmt_ms(p95i)} / {fmt_ms(max(idle, default=None))}",
                     "info", None)
            self.row(f"light {kind}: under load p50 / p95 / max ({len(load)} requests)",
                     f"{fmt_ms(p50l)} / {fmt_ms(p95l)} / {fmt_ms(max(load, default=None))}",
                     "info", None)
            if p50i and p50l:
                self.row(f"light {kind}: p50 load / idle", f"{p50l / p50i:.2f}x", "info", None)
            ratio = p95l / p95i if p95i and p95l else None
            self.row(f"light {kind}: p95 load / idle", "n/a" if ratio is None else
                     f"{ratio:.2f}x", "< 2x", ratio is not None and ratio < 2)
        for path, secs in sorted(POSTS.between(load_start, load_end).items()):
            slow = sum(x > 1 for x in secs)
            self.row(f"client HTTP POST {path} during the load: p50 / p95 / max",
                     f"{fmt_ms(pct(secs, 50))} / {fmt_ms(pct(secs, 95))} / "
                     f"{fmt_ms(max(secs))} ({len(secs)} calls, {slow} over 1 s)", "info", None)
        light_fail = [s for s in light.samples if not s.ok]
        self.row("light requests failed (whole run)", f"{len(light_fail)} of {len(light.samples)}"
                 + (f" ({light_fail[0].error})" if light_fail else ""), "0", not light_fail)

        # heavy jobs
        ok = [r for r in recs if r.ok]
        failed = [r for r in recs if not r.ok]
        span = load_end - load_start
        self.row("heavy jobs submitted (spread of the submit loop)",
                 f"{len(recs)} x {a.chunks} chunks in {spread * 1000:.0f} ms", "info", None)
        self.row("heavy completion (first submit -> last done) vs ideal",
                 f"{span:.1f} s vs {self.ideal:.1f} s = {span / self.ideal:.3f}x",
                 "<= 1.25x", span <= 1.25 * self.ideal)
        totals = [r.total() for r in recs if r.total() is not None]
        self.row("heavy per-job completion p50 / p95 / max",
                 f"{fmt_s(pct(totals, 50), 1)} / {fmt_s(pct(totals, 95), 1)} / "
                 f"{fmt_s(max(totals, default=None), 1)}", "info", None)
        firsts = [r.first - r.submit for r in recs if r.first is not None]
        self.row("heavy time to first partial result p50 / p95 / max",
                 f"{fmt_s(pct(firsts, 50))} / {fmt_s(pct(firsts, 95))} / "
                 f"{fmt_s(max(firsts, default=None))}", "p95 < 1.5 s",
                 len(firsts) == len(recs) and (pct(firsts, 95) or 99) < 1.5)
        llm_firsts = [r.first_llm - r.submit for r in recs if r.first_llm is not None]
        self.row("heavy time to first LLM chunk p50 / p95 / max",
                 f"{fmt_s(pct(llm_firsts, 50))} / {fmt_s(pct(llm_firsts, 95))} / "
                 f"{fmt_s(max(llm_firsts, default=None))}", "info", None)
        self.row("heavy jobs failed (raised, llm.error, flagged chunks, missing chunks)",
                 f"{len(failed)} of {len(recs)}" + (f" (e.g. {failed[0].name}: "
                                                   f"{failed[0].error})" if failed else ""),
                 "0", not failed)

        # requests
        calls = sum(r.calls for r in recs) + small.calls
        retries = sum(r.retries for r in recs) + small.retries
        expected = a.users * a.chunks + SMALL_CHUNKS
        self.row("LLM calls the jobs report (llm.usage.calls), retries",
                 f"{calls} calls, {retries} retries, expected {expected} + retries",
                 f"{expected} + retries", calls - retries == expected)
        self.row("requests the simulator received", f"{sim_stats['requests']}",
                 f"= {calls} (jobs' calls)", sim_stats["requests"] == calls)
        lost = expected - (sim_stats["completed"])
        self.row(f"LLM chunks not answered (of {expected}: heavy + the small job)",
                 f"{lost} (completed {sim_stats['completed']}, disconnects "
                 f"{sim_stats['disconnects']}, faults {sim_stats['faults'] or 0})", "0",
                 lost == 0 and not sim_stats["disconnects"])
        self.row("max concurrent requests at the simulator", f"{sim_stats['max_in_flight']}",
                 f"<= {a.concurrency}", sim_stats["max_in_flight"] <= a.concurrency)
        self.row("429s sent by the simulator (rpm / concurrency)",
                 f"{sim_stats['rejected_429']} ({sim_stats['rejected_429_rpm']} / "
                 f"{sim_stats['rejected_429_concurrency']})", "0", sim_stats["rejected_429"] == 0)
        pm = sim_stats.get("per_minute") or {}
        if pm:
            self.row("requests per minute at the simulator (by minute)",
                     ", ".join(f"{v}" for v in pm.values()), f"<= {a.rpm} rpm", None)

        # fairness
        bt, st = base.total(), small.total()
        ratio = st / bt if bt and st else None
        self.row("fairness: 2-chunk job alone", f"{fmt_s(bt)} ({'ok' if base.ok else base.error})",
                 "info", None)
        self.row("fairness: 2-chunk job under load: first partial / first LLM / done",
                 " / ".join(fmt_s(None if x is None else x - small.submit)
                            for x in (small.first, small.first_llm, small.done)), "info", None)
        self.row(f"fairness: 2-chunk job submitted {a.small_delay:g} s into the load",
                 (f"{fmt_s(st)} = {ratio:.2f}x alone" if ratio else f"{fmt_s(st)}")
                 + ("" if small.ok else f", FAILED: {small.error}"),
                 "<= 3x, ok", ratio is not None and ratio <= 3 and small.ok)

        self.row("CPU during load: app (+ workers) / simulator / bench clients",
                 f"{cpu['app_cores']:.2f} / {cpu['simulator_cores']:.2f} / "
                 f"{cpu['bench_client_cores']:.2f} cores; other processes "
                 f"{cpu['other_processes_cores']:.2f}; machine {cpu['machine_busy_pct']:.0f}% "
                 f"busy of {os.cpu_count()} cores", "info", None)
        nice = self.result.get("bench_thread_niceness") or {}
        self.row("bench process threads by niceness after the submissions (heavy clients at "
                 f"{a.client_nice})", ", ".join(f"{n}: {c}" for n, c in sorted(nice.items()))
                 or "n/a", "info", None)
        burst = min(10.0, (load_end - load_start) / 3)
        ab = sampler.cores(load_start, load_start + burst)
        bb = sampler.cores(load_start, load_start + burst, "bench_cpu")
        if ab is not None and bb is not None:
            self.row(f"CPU in the first {burst:.0f} s of the load: app / bench clients",
                     f"{ab:.2f} / {bb:.2f} cores (one Python process holding the GIL "
                     "all the time shows as ~1.0)", "info", None)

    def check_cleanup(self, ttl: int, load_end: float) -> None:
        """Wait until every upload and download of the load is older than the TTL plus the
        sweep interval (Gradio's delete_cache runs every max(60, ttl/4) s), then count the
        files older than that which are still there."""
        slack = max(60, ttl // 4) + 15
        wait = max(0.0, load_end + ttl + slack - now())
        log(f"upload TTL {ttl} s: waiting {wait:.0f} s for the clean-up of the load's files")
        time.sleep(wait)
        cutoff = time.time() - ttl - slack
        for k, (label, folder, skip) in DISK.items():
            root = self.work / "main" / folder
            old: dict[str, int] = {}
            total = 0
            for dirpath, _, files in walk(root, skip):
                for f in files:
                    path = Path(dirpath, f)
                    with contextlib.suppress(OSError):
                        total += 1
                        st = path.stat()
                        if st.st_mtime < cutoff:
                            kind = ("zero-byte files at the top" if path.parent == root
                                    and st.st_size == 0 else "*" + "".join(path.suffixes[-2:]))
                            old[kind] = old.get(kind, 0) + 1
            n = sum(old.values())
            what = ", ".join(f"{v} {k}" for k, v in sorted(old.items(), key=lambda x: -x[1]))
            self.row(f"{label} older than TTL {ttl} s + {slack} s left after the load",
                     f"{n} of {total} files" + (f" ({what})" if what else ""), "0", n == 0)
            self.result.setdefault("cleanup", {})[k] = {"old": old, "total": total}

    def evaluate_memory(self, waves: list[dict[str, Any]], sampler: Sampler) -> None:
        mb = 2 ** 20
        n = self.args.replicas   # processes whose readings are added up
        w0 = waves[0]
        before, after = w0["app_before"], w0["app_after"]
        rb, ra, rp = before.get("VmRSS", 0), after.get("VmRSS", 0), w0["peak"]["rss"]
        self.row(f"app RSS before / peak / after load (+{self.args.after_seconds:g} s idle)",
                 f"{rb / mb:.0f} / {rp / mb:.0f} / {ra / mb:.0f} MB", "info", None)
        if before.get("workers"):
            self.row(f"app worker processes ({before['workers']}): RSS before / peak / after",
                     f"{before.get('workers_rss', 0) / mb:.0f} / "
                     f"{w0['peak']['workers_rss'] / mb:.0f} / "
                     f"{after.get('workers_rss', 0) / mb:.0f} MB (not in the rows above)",
                     "info", None)
        growth = ra - rb
        limit = max(0.10 * rb, 0.25 * (rp - rb))
        self.row("app RSS kept after the load (after - before)", f"{growth / mb:+.0f} MB",
                 f"<= {limit / mb:.0f} MB", growth <= limit)
        if len(waves) > 1:
            afters = [wv["app_after"].get("VmRSS", 0) for wv in waves]
            peaks = [wv["peak"]["rss"] for wv in waves]
            per_wave = slope(afters)
            self.row(f"app RSS after each of {len(waves)} identical waves (peaks)",
                     " / ".join(f"{x / mb:.0f}" for x in afters) + " MB ("
                     + " / ".join(f"{x / mb:.0f}" for x in peaks) + ")", "info", None)
            self.row("app RSS growth per extra wave (a leak keeps growing; least-squares "
                     "slope)", f"{per_wave / mb:+.1f} MB per wave of {self.args.users} new "
                     "sessions", "<= 5 MB", per_wave <= 5 * mb)
            for wv in waves[1:]:
                failed = sum(not r.ok for r in wv["recs"])
                self.row(f"wave {wv['wave']}: heavy completion vs ideal, failed",
                         f"{wv['heavy_completion_s']:.1f} s = "
                         f"{wv['heavy_completion_s'] / self.ideal:.3f}x, {failed} failed",
                         "info, 0 failed", None if not failed else False)
        tp, fp = w0["peak"]["threads"], w0["peak"]["fds"]
        self.row("app threads before / peak / after", f"{before.get('Threads')} / {tp} / "
                 f"{after.get('Threads')}", f"after <= before + {5 * n}",
                 after.get("Threads", 0) <= before.get("Threads", 0) + 5 * n)
        self.row("app open files before / peak / after", f"{before.get('fds')} / {fp} / "
                 f"{after.get('fds')}", f"after <= before + {10 * n}",
                 after.get("fds", 0) <= before.get("fds", 0) + 10 * n)
        db, da = waves[0]["disk_before"], waves[-1]["disk_after"]
        for k, (label, _, _) in DISK.items():
            (nb, sb), (na, sa) = db[k], da[k]
            self.row(f"app {label}: files before / after the load", f"{nb} / {na} files, "
                     f"{sb / mb:.1f} / {sa / mb:.1f} MB", "info (kept CODEBOOK_UPLOAD_TTL)",
                     None)

    def phase_overload(self) -> None:
        a = self.args
        qmax, jobs = 5, 2
        self.sim.configure(latency="2")   # slow enough for the queue to stay full
        app = self.start_app("overload", CODEBOOK_QUEUE_MAX_SIZE=str(qmax),
                             CODEBOOK_LLM_JOBS=str(jobs),
                             CODEBOOK_LLM_CONCURRENCY=str(a.concurrency))
        poller = Poller()
        poller.start()
        res: dict[str, Any] = {}
        try:
            clients = new_clients(app.url, jobs + qmax + 4)
            self.clients += clients
            warm = clients[-1]
            warm.predict(handle_file(str(self.wl.warm_rules)), False,
                         api_name="/parse_dictionary")
            fill = [JobRecord(f"fill-{i}", SMALL_CHUNKS) for i in range(jobs + qmax)]
            for i, (c, rec) in enumerate(zip(clients, fill)):
                submit_llm(c, self.wl.small(f"overload{i}"), rec)
                poller.add(rec)
            # wait until the app has taken all of them (running or waiting)
            deadline = time.monotonic() + 15
            from gradio_client.utils import Status
            while time.monotonic() < deadline:
                codes = [r.job.status().code for r in fill]
                if all(c not in (Status.STARTING, Status.JOINING_QUEUE) for c in codes):
                    break
                time.sleep(0.05)
            res["fill_status"] = [str(r.job.status().code.value) for r in fill]
            log(f"OVERLOAD: queue filled: {res['fill_status']}")
            extra = []
            for i, c in enumerate(clients[jobs + qmax: jobs + qmax + 3]):
                rec = JobRecord(f"extra-{i}", SMALL_CHUNKS)
                submit_llm(c, self.wl.small(f"overload{jobs + qmax + i}"), rec)
                extra.append(rec)
                poller.add(rec)
            t = time.monotonic()
            while any(r.done is None for r in extra) and time.monotonic() - t < 30:
                time.sleep(0.01)
            refusals = [r for r in extra if r.error and "queue is full" in r.error.lower()]
            times = [r.total() for r in extra if r.total() is not None]
            res["extra"] = [self.rec_dict(r) for r in extra]
            log(f"OVERLOAD: extra submissions -> {[r.error or 'accepted' for r in extra]}")
            poller.wait_all(120)
            fill_ok = sum(r.ok for r in fill)
            t = time.monotonic()
            rec = run_one(warm, self.wl.small(f"overload{jobs + qmax + 3}"), "recovery",
                          SMALL_CHUNKS, poller, 120)
            res.update(fill=[self.rec_dict(r) for r in fill], recovery=self.rec_dict(rec))
            self.row(f"overload (queue max_size {qmax}, {jobs} jobs at once): extra "
                     "submissions refused", f"{len(refusals)} of {len(extra)}: "
                     f"\"{refusals[0].error if refusals else extra[0].error}\"",
                     "all, 'Queue is full'", len(refusals) == len(extra))
            self.row("overload: time to the refusal (max)", fmt_ms(max(times, default=None)),
                     "< 1 s", bool(times) and max(times) < 1)
            self.row("overload: jobs already queued completed", f"{fill_ok} of {len(fill)}",
                     f"{len(fill)}", fill_ok == len(fill))
            self.row("overload: a new request after the burst (recovery)",
                     f"{'ok' if rec.ok else rec.error} in {fmt_s(rec.total())}", "ok", rec.ok)
        finally:
            poller.stop_event.set()
            self.result["overload"] = res
            self.scan_log(app, "overload")
            self.stop_app(app, "overload")
            self.sim.configure(latency=f"{a.latency:g}")

    def phase_old_way(self) -> None:
        a = self.args
        n = min(a.old_way_users, a.users)
        app = self.start_app("oldway", CODEBOOK_LLM_CONCURRENCY="1", CODEBOOK_LLM_RPM=str(a.rpm))
        poller = Poller()
        poller.start()
        try:
            client = self.client(app.url)
            client.predict(handle_file(str(self.wl.warm_rules)), False,
                           api_name="/parse_dictionary")
            self.sim.reset()
            recs = []
            t0 = now()
            for i in range(n):
                recs.append(run_one(client, self.wl.heavy[i], f"old-{i}", a.chunks, poller,
                                    a.chunks * a.latency * 5 + 60))
                log(f"OLD WAY: job {i + 1}/{n} took {fmt_s(recs[-1].total())}")
            total = now() - t0
            stats = self.sim.stats()
        finally:
            poller.stop_event.set()
            self.scan_log(app, "oldway")
            self.stop_app(app, "oldway")
        extrapolated = total / n * a.users
        par = self.result["main"]["load_end"] - self.result["main"]["load_start"]
        label = "measured" if n == a.users else f"EXTRAPOLATED from {n} jobs x {a.users}/{n}"
        self.result["old_way"] = {"jobs": [self.rec_dict(r) for r in recs], "measured_s": total,
                                  "jobs_timed": n, "total_s": extrapolated, "label": label,
                                  "sim_max_in_flight": stats["max_in_flight"]}
        self.row(f"old way: {n} jobs one after another, 1 call at a time",
                 f"{total:.1f} s ({total / n:.1f} s per job, ideal {a.chunks * a.latency:g}); "
                 f"sim max in flight {stats['max_in_flight']}; "
                 f"{sum(r.ok for r in recs)} ok", "info", None)
        self.row(f"old way: {a.users} jobs ({label})", f"{extrapolated:.0f} s", "info", None)
        self.row("speed-up: old way / parallel run", f"{extrapolated:.0f} s / {par:.1f} s = "
                 f"{extrapolated / par:.1f}x", "info", None)

    # -- output
    def rec_dict(self, r: JobRecord) -> dict[str, Any]:
        d = {k: getattr(r, k) for k in r.__dataclass_fields__ if k != "job"}
        d["total"] = r.total()
        return d

    def scan_log(self, app: AppServer, name: str) -> None:
        try:
            text = app.log()
        except OSError:
            return
        lines = text.splitlines()
        bad = [ln for ln in lines if "Traceback" in ln or " ERROR" in ln or "ERROR:" in ln
               or "Exception" in ln]
        self.result.setdefault("app_logs", {})[name] = {"lines": len(lines),
                                                        "error_lines": bad[:50]}
        if bad:
            log(f"app '{name}' log has {len(bad)} error lines, e.g. {bad[0][:200]}")
        if self.args.keep or bad:
            dest = ROOT / "bench" / "out" / f"load-{self.stamp}-{name}.log"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text)
            self.result["app_logs"][name]["saved"] = str(dest)
        self.row(f"app '{name}' log: error / traceback lines", str(len(bad)), "0", not bad)

    def start_pyspy(self, app: AppServer) -> subprocess.Popen | None:
        exe = Path(sys.executable).parent / "py-spy"
        if not exe.exists():
            log("py-spy not found next to python; --py-spy ignored")
            return None
        out = ROOT / "bench" / "out" / f"load-{self.stamp}-app.svg"
        out.parent.mkdir(parents=True, exist_ok=True)
        dur = int(self.ideal * 1.3 + 10)
        self.result["py_spy"] = str(out)
        log(f"py-spy recording the app for {dur} s -> {out}")
        return subprocess.Popen([str(exe), "record", "--nonblocking", "--subprocesses",
                                 "-p", str(pids_of(app)[0]),
                                 "-d", str(dur), "-o", str(out)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def stop_pyspy(self, proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGINT)   # py-spy writes its output on SIGINT
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()

    def command(self) -> str:
        return " ".join(shlex.quote(x) for x in [sys.executable, *sys.argv])

    def print_header(self) -> None:
        m, a = self.result["machine"], self.args
        print("Codebook load benchmark - the app and the SIMULATOR (codebook-simulator, not a "
              "real LLM) on loopback, driven through gradio_client")
        print(f"machine: {m['nproc']} cores, {m['cpu']}, {m['ram']} RAM, Python {m['python']}, "
              f"gradio {m['gradio']}, gradio_client {m['gradio_client']}")
        print(f"command: {self.command()}")
        print(f"code: {self.result['code']}")
        rate = a.concurrency / a.latency * 60
        print(f"workload: {a.users} heavy users x {a.chunks} chunks, simulator latency "
              f"{a.latency:g} s, CODEBOOK_LLM_CONCURRENCY {a.concurrency} (simulator "
              f"max_concurrency {a.concurrency}, 429 beyond), RPM limit {a.rpm} for both app "
              f"and simulator (concurrency-bound rate {rate:.0f} rpm); ideal = "
              f"{a.users * a.chunks} chunks / {a.concurrency} x {a.latency:g} s"
              + (f" (or the RPM bound {a.users * a.chunks / a.rpm * 60:.1f} s)" if a.rpm else "")
              + f" = {self.ideal:.1f} s")
        if a.replicas > 1:
            print(f"app: {a.replicas} replicas behind nginx (deploy/nginx.conf), each with "
                  f"CODEBOOK_CPU_WORKERS {max(1, (os.cpu_count() or 2) // a.replicas)}, "
                  f"CODEBOOK_LLM_CONCURRENCY {split_limit(a.concurrency, a.replicas)} and "
                  f"CODEBOOK_LLM_RPM {split_limit(a.rpm, a.replicas)} (sums: {a.concurrency}, "
                  f"{a.rpm}), one shared LLM cache")
        print("clients: one gradio_client.Client per simulated user, one shared SSL context "
              "(ssl_verify=ssl.create_default_context(), as a tuned client would do), heavy "
              "clients created before the timed part", flush=True)

    def report(self) -> int:
        w = max(len(r[0]) for r in self.rows)
        v = min(70, max(len(r[1]) for r in self.rows))
        t = max(len(r[2]) for r in self.rows)
        print()
        print(f"{'metric':<{w}} | {'value':<{v}} | {'target':<{t}} | result")
        print(f"{'-' * w}-+-{'-' * v}-+-{'-' * t}-+-------")
        for metric, value, target, ok in self.rows:
            res = "info" if ok is None else ("PASS" if ok else "FAIL")
            print(f"{metric:<{w}} | {value:<{v}} | {target:<{t}} | {res}")
        failed = [r for r in self.rows if r[3] is False]
        elapsed = now()
        print(f"\n{len(failed)} target(s) missed" if failed else "\nall targets met",
              f"- whole run {elapsed:.0f} s")
        self.result["client_posts"] = POSTS.samples
        self.result["rows"] = [{"metric": m, "value": v_, "target": t_, "ok": ok}
                               for m, v_, t_, ok in self.rows]
        self.result["elapsed_s"] = elapsed
        self.result["passed"] = not failed
        out = ROOT / "bench" / "out" / f"load-{self.stamp}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(self.result, indent=1, default=str))
        print(f"results: {out}")
        return 1 if failed else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=" ".join(__doc__.split("\n")[:2]))
    p.add_argument("--users", type=int, default=100,
                   help="heavy users, one LLM job each (default 100; 20 with --quick)")
    p.add_argument("--chunks", type=int, default=10, help="chunks per heavy dictionary (10)")
    p.add_argument("--latency", type=float, default=2.0,
                   help="simulator seconds per call (default 2; 0.5 with --quick)")
    p.add_argument("--concurrency", type=int, default=50,
                   help="CODEBOOK_LLM_CONCURRENCY, and the simulator's max_concurrency "
                        "(default 50; 20 with --quick)")
    p.add_argument("--client-nice", type=int, default=CLIENT_NICE,
                   help="niceness of the heavy users' clients (their threads in this process; "
                        f"default {CLIENT_NICE}, 0 = as the app): on one machine they take "
                        "CPU that in use is their users' own")
    p.add_argument("--rpm", type=int, default=None,
                   help="CODEBOOK_LLM_RPM and the simulator's rpm (default: 1.5x the "
                        "concurrency-bound rate, so it does not bind; 0 = no limit)")
    p.add_argument("--old-way", action="store_true",
                   help="also run the heavy workload the old way (one job at a time, one "
                        "chunk at a time: an app with CODEBOOK_LLM_CONCURRENCY=1) and print "
                        "the speed-up")
    p.add_argument("--old-way-users", type=int, default=None,
                   help="time only N old-way jobs and extrapolate linearly (default: all)")
    p.add_argument("--quick", action="store_true",
                   help="smoke run: 20 users x 10 chunks at 0.5 s per call, concurrency 20, "
                        "shorter idle phases")
    p.add_argument("--idle-seconds", type=float, default=None,
                   help="idle baseline length (default 30 s, 6 s with --quick)")
    p.add_argument("--after-seconds", type=float, default=None,
                   help="idle time after the load before RSS 'after' is read (default 15 s: "
                        "anyio keeps an idle worker thread 10 s; 6 s with --quick)")
    p.add_argument("--small-delay", type=float, default=None,
                   help="seconds after the heavy submissions when the 2-chunk job is sent "
                        "(default 5 s, or a quarter of the ideal time if that is shorter)")
    p.add_argument("--waves", type=int, default=None,
                   help="identical heavy waves (new users each time) run one after another; "
                        "wave 1 gives the timings, later ones show whether memory keeps "
                        "growing (default 4: the second wave still settles the allocator; "
                        "2 with --quick; 1 = a single wave)")
    p.add_argument("--upload-ttl", type=int, default=None,
                   help="run the main app with CODEBOOK_UPLOAD_TTL=N and, after the load, "
                        "wait until the load's uploads and downloads should be gone, then "
                        "count those left (default: the app's own TTL, not checked)")
    p.add_argument("--replicas", type=int, default=1,
                   help="run the main phase on N app processes behind nginx (deploy/nginx.conf,"
                        " Debian's nginx), the LLM concurrency and RPM split between them, as "
                        "docker-compose does (default 1: one process, no nginx)")
    p.add_argument("--naive", action="store_true",
                   help="drive bench/naive_app.py instead of the app: the issue's reference "
                        "(the same parsing code served the naive way: handlers in the serving "
                        "process, asyncio.gather under a semaphore, max_threads=200, no "
                        "tuning), to see what Gradio itself costs on this machine; the main "
                        "phase only")
    p.add_argument("--skip-overload", action="store_true", help="skip the overload phase")
    p.add_argument("--py-spy", action="store_true",
                   help="record a py-spy flame graph of the app during the load "
                        "(bench/out/load-<timestamp>-app.svg)")
    p.add_argument("--keep", action="store_true",
                   help="keep the scratch directory and save the app logs")
    a = p.parse_args(argv)
    if a.quick:
        defaults = {"users": 100, "latency": 2.0, "concurrency": 50}
        given = {k for k in defaults if getattr(a, k) != defaults[k]}
        a.users = a.users if "users" in given else 20
        a.latency = a.latency if "latency" in given else 0.5
        a.concurrency = a.concurrency if "concurrency" in given else 20
    if a.rpm is None:
        a.rpm = math.ceil(1.5 * a.concurrency / a.latency * 60)
    if a.waves is None:
        a.waves = 2 if a.quick else 4
    if a.idle_seconds is None:
        a.idle_seconds = 6.0 if a.quick else 30.0
    if a.after_seconds is None:
        # anyio ends a worker thread after 10 s idle: read threads after that
        a.after_seconds = 6.0 if a.quick else 15.0
    if a.small_delay is None:
        ideal = a.users * a.chunks / a.concurrency * a.latency
        a.small_delay = min(5.0, ideal / 4)
    if a.old_way_users is None:
        a.old_way_users = a.users
    if a.naive:
        if a.replicas > 1 or a.old_way or a.upload_ttl:
            p.error("--naive runs the main phase of one naive app: no --replicas, --old-way "
                    "or --upload-ttl")
        a.skip_overload = True   # the naive app has no queue limit to fill
    return a


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--light-user"]:
        return light_user_main(argv[1:])
    args = parse_args(argv)
    POSTS.install()
    run = Run(args)
    run.stamp = time.strftime("%Y%m%d-%H%M%S")

    def on_term(signum, frame):  # noqa: ARG001 - clean up on kill as on Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    # Ctrl-C even when started in the background by a shell (which ignores SIGINT for it)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return run.main()
    except KeyboardInterrupt:
        log("interrupted; stopping the app(s) and the simulator")
        return 130
    finally:
        run.cleanup()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # client threads (heartbeats, streams) must not keep the process alive
