"""The main phase's figures and targets, as rows of the report table: light latency under
load, heavy completion, LLM requests, fairness, CPU, memory and files."""

from __future__ import annotations

import os
from typing import Any

from .clients import POSTS, JobRecord
from .common import SMALL_CHUNKS, fmt_ms, fmt_s, pct, slope
from .light import LightProcess
from .machine import DISK, Sampler


class Evaluation:
    """The main phase's rows of the report (a part of Run)."""

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
                     f"{ratio:.2f}x", "< 2x", ratio is not None and ratio < 2, measured=True)
        for path, secs in sorted(POSTS.between(load_start, load_end).items()):
            slow = sum(x > 1 for x in secs)
            self.row(f"client HTTP POST {path} during the load: p50 / p95 / max",
                     f"{fmt_ms(pct(secs, 50))} / {fmt_ms(pct(secs, 95))} / "
                     f"{fmt_ms(max(secs))} ({len(secs)} calls, {slow} over 1 s)", "info", None)
        light_fail = [s for s in light.samples if not s.ok]
        self.row("light requests failed (whole run)", f"{len(light_fail)} of {len(light.samples)}"
                 + (f" ({light_fail[0].error})" if light_fail else ""), "0", not light_fail)

        # heavy jobs
        failed = [r for r in recs if not r.ok]
        span = load_end - load_start
        self.row("heavy jobs submitted (spread of the submit loop)",
                 f"{len(recs)} x {a.chunks} chunks in {spread * 1000:.0f} ms", "info", None)
        self.row("heavy completion (first submit -> last done) vs ideal",
                 f"{span:.1f} s vs {self.ideal:.1f} s = {span / self.ideal:.3f}x",
                 "<= 1.25x", span <= 1.25 * self.ideal, measured=True)
        totals = [r.total() for r in recs if r.total() is not None]
        self.row("heavy per-job completion p50 / p95 / max",
                 f"{fmt_s(pct(totals, 50), 1)} / {fmt_s(pct(totals, 95), 1)} / "
                 f"{fmt_s(max(totals, default=None), 1)}", "info", None)
        firsts = [r.first - r.submit for r in recs if r.first is not None]
        self.row("heavy time to first partial result p50 / p95 / max",
                 f"{fmt_s(pct(firsts, 50))} / {fmt_s(pct(firsts, 95))} / "
                 f"{fmt_s(max(firsts, default=None))}", "p95 < 1.5 s",
                 len(firsts) == len(recs) and (pct(firsts, 95) or 99) < 1.5, measured=True)
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
                 "<= 3x, ok", ratio is not None and ratio <= 3 and small.ok, measured=True)

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
                 f"<= {limit / mb:.0f} MB", growth <= limit, measured=True)
        if len(waves) > 1:
            afters = [wv["app_after"].get("VmRSS", 0) for wv in waves]
            peaks = [wv["peak"]["rss"] for wv in waves]
            per_wave = slope(afters)
            self.row(f"app RSS after each of {len(waves)} identical waves (peaks)",
                     " / ".join(f"{x / mb:.0f}" for x in afters) + " MB ("
                     + " / ".join(f"{x / mb:.0f}" for x in peaks) + ")", "info", None)
            self.row("app RSS growth per extra wave (a leak keeps growing; least-squares "
                     "slope)", f"{per_wave / mb:+.1f} MB per wave of {self.args.users} new "
                     "sessions", "<= 5 MB", per_wave <= 5 * mb, measured=True)
            for wv in waves[1:]:
                failed = sum(not r.ok for r in wv["recs"])
                self.row(f"wave {wv['wave']}: heavy completion vs ideal, failed",
                         f"{wv['heavy_completion_s']:.1f} s = "
                         f"{wv['heavy_completion_s'] / self.ideal:.3f}x, {failed} failed",
                         "info, 0 failed", None if not failed else False)
        tp, fp = w0["peak"]["threads"], w0["peak"]["fds"]
        self.row("app threads before / peak / after", f"{before.get('Threads')} / {tp} / "
                 f"{after.get('Threads')}", f"after <= before + {5 * n}",
                 after.get("Threads", 0) <= before.get("Threads", 0) + 5 * n, measured=True)
        self.row("app open files before / peak / after", f"{before.get('fds')} / {fp} / "
                 f"{after.get('fds')}", f"after <= before + {10 * n}",
                 after.get("fds", 0) <= before.get("fds", 0) + 10 * n, measured=True)
        db, da = waves[0]["disk_before"], waves[-1]["disk_after"]
        for k, (label, _, _) in DISK.items():
            (nb, sb), (na, sa) = db[k], da[k]
            self.row(f"app {label}: files before / after the load", f"{nb} / {na} files, "
                     f"{sb / mb:.1f} / {sa / mb:.1f} MB", "info (kept CODEBOOK_UPLOAD_TTL)",
                     None)
