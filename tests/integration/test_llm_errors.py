"""Provider failures are reported as what they are: a refused connection says so (the SDK's
aiohttp client calls it a timeout), and a job whose calls failed says so once, for the whole
job, besides the per-chunk flags.  Against a closed port and a simulator stopped mid-job."""

from __future__ import annotations

import asyncio
import socket

from engine.llm import Limits, LLMService, OpenAIBackend, Provider, RetryPolicy, refine
from engine.llm.cache import ChunkCache
from simulator import run_in_process
from simulator.synthetic import synthetic_dictionary

REFUSED = "(connection refused)"


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service(url: str, tmp_path, **limits) -> LLMService:
    limits = {"concurrency": 2, "timeout": 5.0, "chunk_tokens": 60, **limits}
    return LLMService(OpenAIBackend(Provider("openai", url, "codebook-simulator", "sk-x")),
                      limits=Limits(**limits), retry=RetryPolicy(retries=1, base=0.01, cap=0.02),
                      cache=ChunkCache(tmp_path / "llm-cache", 10**8))


async def updates_of(svc, text, rules, on_update=None):
    out = []
    try:
        async for u in refine(svc, text, rules, job_id="job", filename="d.txt"):
            out.append(u)
            if on_update is not None:
                await on_update(u)
    finally:
        await svc.aclose()
    return out


def test_a_closed_port_is_a_refused_connection_and_the_job_says_so_once(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    text, rules = synthetic_dictionary(4, codes=2)
    last = asyncio.run(updates_of(service(url, tmp_path), text, rules))[-1]
    assert last.done and last.chunks_done == last.chunks_total == 4
    assert len(last.flagged) == 4
    for flag in last.flagged:
        assert f"could not connect to the LLM endpoint at {url} {REFUSED}" in flag, flag
        assert "timed out" not in flag
    assert last.error == (f"Every LLM call of this job failed (4 chunks): could not connect "
                          f"to the LLM endpoint at {url} {REFUSED}. The fields are the "
                          "rule-based result.")
    assert last.status().endswith(last.error)          # the job's status says it once
    assert last.schema.names == rules.names            # the rules are kept


def test_a_simulator_stopped_mid_job(tmp_path):
    """The endpoint answers the first chunks, then its process ends: the chunks after it are
    flagged as refused connections, and the job sums them up once."""
    sim = run_in_process(latency="0.05", seed=3)
    url = sim.base_url
    text, rules = synthetic_dictionary(10, codes=2)
    svc = service(url, tmp_path, concurrency=1)

    async def stop_after_two(u):
        if u.chunks_done >= 2 and sim._process.poll() is None:
            await asyncio.to_thread(sim.stop)
    try:
        updates = asyncio.run(updates_of(svc, text, rules, stop_after_two))
    finally:
        sim.stop()
    last = updates[-1]
    assert last.done and last.chunks_done == 10
    failed = len(last.flagged)
    assert 1 <= failed <= 8
    refused = [f for f in last.flagged if REFUSED in f]
    assert len(refused) >= failed - 1          # (a call in flight at the stop: dropped)
    assert not any("timed out" in f for f in last.flagged)
    assert last.error.startswith(f"The LLM calls of {failed} of 10 chunks failed: could not "
                                 f"connect to the LLM endpoint at {url} {REFUSED}")
    assert last.error.endswith("Those chunks keep the rule-based fields.")
