"""The light user: a small profile and a small rules parse once a second, in a process of its
own (as another user's client would be), its latencies read back by the run."""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from gradio_client import Client, handle_file

from .clients import new_client, where
from .common import LIGHT_SEED, ROOT, now
from .workload import Workload


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
        path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.load", "--light-user", url,
             str(wl.light_csv), str(wl.light_dict), str(downloads), str(self.out)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
            env={**os.environ, "PYTHONPATH": path})

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
    """`bench.load --light-user URL CSV DICTIONARY DOWNLOADS OUT`: run a LightUser until standard
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
