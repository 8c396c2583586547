"""LLM refinement as a gradio_client caller sees it: the real app in a subprocess, the SIMULATOR
(in a process of its own) at 2 s per call, a 400-field dictionary in 40 chunks at concurrency 16.

Prints: time to the first partial result (rules; target < 1 s), to the first LLM-refined chunk
(target < 2.5 s), to the end (vs the ideal ceil(40/16) x 2 s), and a cached re-run (target
< 0.5 s with zero calls).

    .venv/bin/python bench/app_llm_bench.py
    .venv/bin/python bench/app_llm_bench.py --quick   # one caller, 4 chunks at 0.2 s, seconds

Two callers, each with a dictionary of its own: gradio_client as it comes, and gradio_client
given one SSL context (`Client(url, ssl_verify=ssl.create_default_context())`).  As it comes,
gradio_client builds a new SSL context for every HTTP request, even to an http:// address:
about 40 ms of client CPU each, and a job is 3 requests plus 2 per downloaded file per result.
The last line sums up the last caller's run:

    app_llm first=S first_llm=S total=S cached=S chunks=N cached_calls=N

With --quick (a smoke run: no target judged) the exit status is 1 when the job had not the
expected chunks or the cached re-run made calls; otherwise it is always 0.
"""

from __future__ import annotations

import argparse
import math
import ssl
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # a checkout not installed with `pip install -e .`

from gradio_client import Client, handle_file  # noqa: E402

from harness.app_server import AppServer  # noqa: E402
from simulator import run_in_process  # noqa: E402
from simulator.synthetic import synthetic_dictionary  # noqa: E402
from bench.llm_bench import budget_for  # noqa: E402


def timed_job(client: Client, path: Path) -> dict:
    """Submit one LLM parse; return when the first, first-LLM and last results arrived."""
    t0 = time.perf_counter()
    job = client.submit(handle_file(str(path)), True, api_name="/parse_dictionary")
    first = first_llm = None
    seen = 0
    while not job.done():
        outs = job.outputs()
        for out in outs[seen:]:
            now = time.perf_counter() - t0
            first = first if first is not None else now
            llm = out[5].get("llm") if isinstance(out[5], dict) else None
            if first_llm is None and llm and llm.get("chunks_done", 0) >= 1:
                first_llm = now
        seen = len(outs)
        time.sleep(0.01)
    final = job.result()
    total = time.perf_counter() - t0
    return {"first": first, "first_llm": first_llm, "total": total, "job": final[5]}


def measure(app_url: str, sim, path: Path, warm: Path, **client_kw) -> dict:
    """One caller: a warm-up request, the LLM job, then its cached re-run."""
    client = Client(app_url, verbose=False, **client_kw)
    # one small rules-only request first: the figures are for a running app and a connected
    # client, not their very first request (which also pays Gradio's lazy start-up)
    client.predict(handle_file(str(warm)), False, api_name="/parse_dictionary")
    sim.reset()
    run = timed_job(client, path)
    calls = sim.stats()["requests"]
    sim.reset()
    cached = timed_job(client, path)
    return {"run": run, "calls": calls, "cached": cached,
            "cached_calls": sim.stats()["requests"]}


@dataclass(frozen=True)
class Shape:
    """The workload: `fields` in `chunks` chunks, `concurrency` at once, `latency` s per call."""

    fields: int = 400
    chunks: int = 40
    latency: float = 2.0
    concurrency: int = 16


FULL, QUICK = Shape(), Shape(fields=40, chunks=4, latency=0.2, concurrency=4)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: one caller, 40 fields in 4 chunks at 0.2 s per call, no "
                         "target judged")
    args = ap.parse_args(argv)
    shape = QUICK if args.quick else FULL
    work = Path(tempfile.mkdtemp(prefix="codebook-bench-"))
    warm = work / "warm.txt"
    warm.write_text("age: age in years\nsex: sex (1 = male; 0 = female)\n")
    paths, budget = [], 0
    for seed in (1, 2):
        text, rules = synthetic_dictionary(shape.fields, codes=3, seed=seed)
        budget = max(budget, budget_for(text, rules, shape.chunks))   # as many chunks for both
        paths.append(work / f"synthetic_{shape.fields}_fields_{seed}.txt")
        paths[-1].write_text(text)
    sim = run_in_process(latency=f"{shape.latency:g}")
    app = AppServer(env={"OPENAI_BASE_URL": sim.base_url, "OPENAI_MODEL": "codebook-simulator",
                         "OPENAI_API_KEY": "bench",
                         "CODEBOOK_LLM_CONCURRENCY": str(shape.concurrency),
                         "CODEBOOK_CHUNK_TOKENS": str(budget),
                         "CODEBOOK_CACHE_DIR": str(work / "cache")})
    try:
        results = {"gradio_client, one SSL context": measure(
            app.url, sim, paths[1], warm, ssl_verify=ssl.create_default_context())}
        if not args.quick:
            results = {"gradio_client as it comes": measure(app.url, sim, paths[0], warm),
                       **results}
    finally:
        app.stop()
        sim.stop()
    print(f"LLM refinement through gradio_client (app subprocess, simulator process at "
          f"{shape.latency:g} s per call, concurrency {shape.concurrency})")
    for caller, r in results.items():
        print(f"\n  {caller}")
        for name, value, target, ok in rows_of(r, shape, budget):
            verdict = "PASS" if ok else "FAIL"
            print(f"    {name:30s} {value:45s} target {target:28s} "
                  f"{'info (--quick)' if args.quick else verdict}")
    run, cached, llm = r["run"], r["cached"], r["run"]["job"]["llm"]
    print(f"app_llm first={run['first']:.2f}s first_llm={run['first_llm'] or 0:.2f}s "
          f"total={run['total']:.2f}s cached={cached['total']:.2f}s "
          f"chunks={llm['chunks_total']} cached_calls={r['cached_calls']}")
    broken = llm["chunks_total"] != shape.chunks or r["cached_calls"] != 0
    return 1 if args.quick and broken else 0


def rows_of(r: dict, shape: Shape, budget: int) -> list[tuple[str, str, str, bool]]:
    """One caller's figures: (name, value, target, met)."""
    run, cached = r["run"], r["cached"]
    llm = run["job"]["llm"]
    ideal = math.ceil(llm["chunks_total"] / shape.concurrency) * shape.latency
    first_llm_target = shape.latency + 0.5
    return [
        ("chunks", f"{llm['chunks_total']} (budget {budget} tokens), {r['calls']} calls",
         str(shape.chunks), llm["chunks_total"] == shape.chunks),
        ("first partial result (rules)", f"{run['first']:.2f} s", "< 1 s", run["first"] < 1),
        ("first LLM-refined chunk", f"{run['first_llm']:.2f} s", f"< {first_llm_target:g} s",
         run["first_llm"] is not None and run["first_llm"] < first_llm_target),
        ("whole job vs ideal", f"{run['total']:.2f} s vs {ideal:g} s = "
         f"{run['total'] / ideal:.2f}x", "<= 1.15x (engine); info here", True),
        ("cached re-run", f"{cached['total']:.2f} s, {r['cached_calls']} calls",
         "< 0.5 s, 0 calls", cached["total"] < 0.5 and r["cached_calls"] == 0),
    ]


if __name__ == "__main__":
    sys.exit(main())
