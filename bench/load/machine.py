"""Readings of the machine and the app's processes: what the run ran on, /proc readings of a
process and its workers (RSS, threads, open files, CPU), the CPU of a time window, a sampler
thread, and the app's files on disk."""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from .common import ROOT, SAMPLE, now


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
