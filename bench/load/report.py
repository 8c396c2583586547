"""The report: the header (machine, command, workload), the table of metrics with their
targets, and the JSON record of the run in bench/out/."""

from __future__ import annotations

import json
import os
import shlex
import sys
from typing import Any

from .clients import POSTS, JobRecord
from .common import ROOT, now, split_limit


class Report:
    """The header, the table and the JSON record (a part of Run)."""

    def row(self, metric: str, value: str, target: str, ok: bool | None,
            measured: bool = False) -> None:
        """A row of the table; `measured`: its target is a time, a ratio of times or a memory
        figure, which a busy machine can miss without anything being wrong (--quick judges
        only the other targets)."""
        self.rows.append((metric, value, target, ok))
        if measured:
            self.measured.add(metric)

    # -- output
    def rec_dict(self, r: JobRecord) -> dict[str, Any]:
        d = {k: getattr(r, k) for k in r.__dataclass_fields__ if k != "job"}
        d["total"] = r.total()
        return d

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
        broken = [r for r in failed if r[0] not in self.measured]
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
        targets = sum(r[3] is not None for r in self.rows)
        print(f"load targets={targets} missed={len(failed)} "
              f"(measured {len(failed) - len(broken)}, other {len(broken)})")
        if self.args.quick:
            return 1 if broken else 0
        return 1 if failed else 0
