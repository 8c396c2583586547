"""One run of the load bench: its scratch folder, the simulator, the phases in order and the
report (each concern in a module of its own, mixed in here)."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from typing import Any

from gradio_client import Client

from harness.app_server import AppServer
from simulator import run_in_process

from .apps import Apps
from .common import BUDGET, SMALL_CHUNKS, log
from .evaluate import Evaluation
from .machine import Proc, cpu_probe, git_state, machine
from .phases import Phases
from .report import Report
from .workload import build_workload


class Run(Apps, Phases, Evaluation, Report):
    """A load run: set up in __init__, run by main(), cleaned up by cleanup()."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work = Path(tempfile.mkdtemp(prefix="codebook-load-"))
        self.sim = None
        self.apps: list[AppServer] = []
        self.clients: list[Client] = []
        self.rows: list[tuple[str, str, str, bool | None]] = []
        self.measured: set[str] = set()     # rows whose target is a time or memory figure
        self.result: dict[str, Any] = {}

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
