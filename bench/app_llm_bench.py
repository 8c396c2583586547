"""LLM refinement as a gradio_client caller sees it: the real app in a subprocess, the SIMULATOR
at 2 s per call, a 400-field dictionary in 40 chunks at concurrency 16.

Prints: time to the first partial result (rules; target < 1 s), to the first LLM-refined chunk
(target < 2.5 s), to the end (vs the ideal ceil(40/16) x 2 s), and a cached re-run (target
< 0.5 s with zero calls).  Usage: .venv/bin/python bench/app_llm_bench.py
"""

from __future__ import annotations

import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from gradio_client import Client, handle_file  # noqa: E402

from app_server import AppServer  # noqa: E402
from engine.simulator import run_in_thread  # noqa: E402
from engine.simulator.synthetic import synthetic_dictionary  # noqa: E402
from llm_bench import budget_for  # noqa: E402


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


def main() -> int:
    text, rules = synthetic_dictionary(400, codes=3)
    budget = budget_for(text, rules, 40)
    work = Path(tempfile.mkdtemp(prefix="codebook-bench-"))
    path = work / "synthetic_400_fields.txt"
    path.write_text(text)
    sim = run_in_thread(latency="2")
    app = AppServer(env={"OPENAI_BASE_URL": sim.base_url, "OPENAI_MODEL": "codebook-simulator",
                         "OPENAI_API_KEY": "bench", "CODEBOOK_LLM_CONCURRENCY": "16",
                         "CODEBOOK_CHUNK_TOKENS": str(budget),
                         "CODEBOOK_CACHE_DIR": str(work / "cache")})
    try:
        client = Client(app.url, verbose=False)
        # one small rules-only request first: the figures are for a running app, not its
        # very first request (which also pays Gradio's lazy start-up)
        warm = work / "warm.txt"
        warm.write_text("age: age in years\nsex: sex (1 = male; 0 = female)\n")
        client.predict(handle_file(str(warm)), False, api_name="/parse_dictionary")
        run = timed_job(client, path)
        calls = sim.stats()["requests"]
        sim.reset()
        cached = timed_job(client, path)
        cached_calls = sim.stats()["requests"]
    finally:
        app.stop()
        sim.stop()
    llm = run["job"]["llm"]
    ideal = math.ceil(llm["chunks_total"] / 16) * 2.0
    rows = [
        ("chunks", f"{llm['chunks_total']} (budget {budget} tokens), {calls} calls", "40", True),
        ("first partial result (rules)", f"{run['first']:.2f} s", "< 1 s", run["first"] < 1),
        ("first LLM-refined chunk", f"{run['first_llm']:.2f} s", "< 2.5 s",
         run["first_llm"] is not None and run["first_llm"] < 2.5),
        ("whole job vs ideal", f"{run['total']:.2f} s vs {ideal:.0f} s = "
         f"{run['total'] / ideal:.2f}x", "<= 1.15x (engine); info here", True),
        ("cached re-run", f"{cached['total']:.2f} s, {cached_calls} calls", "< 0.5 s, 0 calls",
         cached["total"] < 0.5 and cached_calls == 0),
    ]
    print("LLM refinement through gradio_client (app subprocess, simulator at 2 s per call, "
          "concurrency 16)")
    for name, value, target, ok in rows:
        print(f"  {name:32s} {value:45s} target {target:28s} {'PASS' if ok else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
