"""CPU per LLM call of the openai SDK's two async HTTP clients, on the SIMULATOR over loopback.

    .venv/bin/python bench/llm_transport.py              # 600 calls each, 3 rounds, ~30 s
    .venv/bin/python bench/llm_transport.py --calls 200 --rounds 1
    .venv/bin/python bench/llm_transport.py --quick      # 60 calls, 1 round, a few seconds

The app makes its calls as `client.post("/chat/completions", ...)`
(engine/llm/openai_backend.py), 50 at once under bench/load.py, on the thread that serves every
user: each call's CPU is taken from theirs.  This makes the same calls (a chunk-sized prompt,
50 at once, the simulator at 0.2 s in another process) through `openai.DefaultAsyncHttpxClient`
(httpx, the SDK's default) and `openai.DefaultAioHttpClient` (aiohttp, the app's), alternating,
and prints this process's CPU time per call for each and their ratio (same run: the machine's
speed varies by the minute).  The last line:

    llm_transport httpx=MS aiohttp=MS ratio=R
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
import openai  # noqa: E402

from simulator import run_in_process  # noqa: E402

MESSAGES = [{"role": "system", "content": "Turn this codebook text into JSON fields. " * 20},
            {"role": "user", "content": "AGE: age of the respondent in years, 0-120. " * 60}]
CLIENTS = {"httpx": lambda: openai.DefaultAsyncHttpxClient(verify=False),
           "aiohttp": lambda: openai.DefaultAioHttpClient(verify=False)}


async def cpu_per_call(kind: str, url: str, calls: int, at_once: int) -> float:
    """This process's CPU milliseconds per call (after 50 warm-up calls)."""
    client = openai.AsyncOpenAI(base_url=url, api_key="k", max_retries=0,
                                http_client=CLIENTS[kind]())
    gate = asyncio.Semaphore(at_once)

    async def one() -> None:
        async with gate:
            raw = await client.post("/chat/completions", cast_to=httpx2.Response,
                                    body={"model": "m", "messages": MESSAGES},
                                    options={"timeout": 30, "security": {"bearer_auth": True}})
            raw.json()
    try:
        await asyncio.gather(*(one() for _ in range(50)))
        cpu = time.process_time()
        await asyncio.gather(*(one() for _ in range(calls)))
        return (time.process_time() - cpu) / calls * 1000
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--calls", type=int, default=None, help="calls per round (600; 60 --quick)")
    p.add_argument("--rounds", type=int, default=None, help="rounds (3; 1 with --quick)")
    p.add_argument("--at-once", type=int, default=50)
    p.add_argument("--quick", action="store_true", help="smoke run: one short round")
    a = p.parse_args(argv)
    a.calls = a.calls or (60 if a.quick else 600)
    a.rounds = a.rounds or (1 if a.quick else 3)
    try:
        import uvloop
        run = uvloop.run
    except ImportError:
        run = asyncio.run
    sim = run_in_process(latency="0.2", max_concurrency=2 * a.at_once)
    ms: dict[str, list[float]] = {k: [] for k in CLIENTS}
    try:
        for r in range(a.rounds):
            for kind in CLIENTS:
                ms[kind].append(run(cpu_per_call(kind, sim.base_url, a.calls, a.at_once)))
                print(f"round {r + 1}: {kind:8s} {ms[kind][-1]:.2f} ms CPU per call", flush=True)
    finally:
        sim.stop()
    med = {k: statistics.median(v) for k, v in ms.items()}
    print(f"median CPU per call: httpx {med['httpx']:.2f} ms, aiohttp {med['aiohttp']:.2f} ms "
          f"= {med['aiohttp'] / med['httpx']:.2f}x")
    print(f"llm_transport httpx={med['httpx']:.2f}ms aiohttp={med['aiohttp']:.2f}ms "
          f"ratio={med['aiohttp'] / med['httpx']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
