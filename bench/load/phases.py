"""The run's phases: warm-up, the idle and fairness baselines, the heavy waves, the upload
clean-up check, the overload app and the old way."""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from gradio_client import handle_file

from harness.app_server import AppServer

from .apps import Replicas, pids_of
from .clients import (JobRecord, Poller, close_clients, in_niced_thread, new_clients, run_one,
                      submit_llm, thread_niceness)
from .common import NAIVE_APP, ROOT, SMALL_CHUNKS, fmt_ms, fmt_s, log, now
from .light import LightProcess
from .machine import DISK, CpuWindow, Proc, Sampler, disk_usage, walk


class Phases:
    """The run's phases (a part of Run)."""

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
                     "< 1 s", bool(times) and max(times) < 1, measured=True)
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
