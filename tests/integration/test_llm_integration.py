"""LLM refinement through the real openai client, over loopback HTTP, to the simulator: what
only a real transport shows (usage as the server counts it, HTTP faults, timeouts, dropped
connections, a server's real 400 and 429 answers, redacted keys, cancelled requests closing
their connections, the Azure route).  The job logic itself is tested on the FakeBackend in
tests/unit/test_llm_refine.py.  No test here bounds how long anything takes; waiting for the
simulator's counters is polling with a give-up."""

from __future__ import annotations

import asyncio
import re
import time

import openai
import pytest

from engine.llm import Limits, LLMService, OpenAIBackend, Provider, RetryPolicy, refine
from engine.llm.cache import ChunkCache
from engine.settings import Settings
from simulator import run_in_thread
from simulator.synthetic import synthetic_dictionary

KEY = "sk-test-NEVER-SHOW-ME-42"
DEFAULTS = dict(latency="0.05", max_concurrency=0, over_capacity="429", rpm=0, rpm_window=60.0,
                fail_500=0.0, timeout_rate=0.0, drop_rate=0.0, malformed=0.0, truncated=0.0,
                json_schema=True, require_key="", seed=7)


@pytest.fixture(scope="module")
def sim():
    handle = run_in_thread(**DEFAULTS)
    yield handle
    handle.stop()


@pytest.fixture
def fresh_sim(sim):
    sim.configure(**DEFAULTS)
    sim.reset()
    return sim


def make_service(sim, tmp_path, *, retries=4, **limits) -> LLMService:
    limits = {"concurrency": 16, "timeout": 5.0, **limits}
    return LLMService(OpenAIBackend(Provider("openai", sim.base_url, "codebook-simulator", KEY)),
                      limits=Limits(**limits),
                      retry=RetryPolicy(retries=retries, base=0.01, cap=0.05),
                      cache=ChunkCache(tmp_path / "llm-cache", 10**8))


async def collect(svc, text, rules, job_id="job", close=True):
    out = []
    try:
        async for u in refine(svc, text, rules, job_id=job_id, filename="dict.txt"):
            out.append(u)
    finally:
        if close:
            await svc.aclose()
    return out


def run(svc, text, rules):
    return asyncio.run(collect(svc, text, rules))


def one_field_per_chunk(fields, **kw):
    text, rules = synthetic_dictionary(fields, codes=2, **kw)
    return text, rules, 60


async def wait_until(sim, predicate, what: str, give_up: float = 30.0) -> dict:
    """Poll the simulator's counters until `predicate(stats)`; fail after `give_up` s."""
    end = time.monotonic() + give_up
    while True:
        stats = await asyncio.to_thread(sim.stats)
        if predicate(stats):
            return stats
        assert time.monotonic() < end, f"gave up waiting for {what}: {stats}"
        await asyncio.sleep(0.02)


def test_a_job_over_http_counts_what_the_server_counts(fresh_sim, tmp_path):
    text, rules, budget = one_field_per_chunk(6)
    updates = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget), text, rules)
    first, last = updates[0], updates[-1]
    assert first.chunks_done == 0 and first.schema.names == rules.names
    assert last.done and not last.flagged and last.error is None
    assert all(f.extras["origin"]["parser"] == "llm" for f in last.schema.fields)
    stats = fresh_sim.stats()
    assert last.usage.calls == stats["requests"] == stats["completed"] == 6
    assert last.usage.prompt_tokens == stats["prompt_tokens"]
    assert last.usage.completion_tokens == stats["completion_tokens"]


@pytest.mark.parametrize("directive, calls", [
    ("[[sim:500x2]]", 3), ("[[sim:timeoutx1]]", 2), ("[[sim:dropx1]]", 2)])
def test_transport_faults_are_survived(fresh_sim, tmp_path, directive, calls):
    text, rules, budget = one_field_per_chunk(3, marker={1: directive})
    # the client gives up on the hung answer after 2 s: far beyond a normal answer's time
    # even on a loaded machine, so only the hung call is retried
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, timeout=2.0)
    last = run(svc, text, rules)[-1]
    assert last.done and not last.flagged
    assert last.usage.calls == 2 + calls and last.usage.retries == calls - 1
    assert all(f.extras["origin"]["parser"] == "llm" for f in last.schema.fields)
    assert fresh_sim.stats()["faults"] == {re.search(r":(\w+?)x", directive).group(1): calls - 1}


def test_provider_429_with_retry_after_is_honoured(fresh_sim, tmp_path):
    fresh_sim.configure(rpm=4, rpm_window=0.25)
    text, rules, budget = one_field_per_chunk(8)
    last = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget, retries=8), text,
               rules)[-1]
    stats = fresh_sim.stats()
    assert stats["rejected_429_rpm"] > 0
    assert last.done and not last.flagged and last.usage.retries == stats["rejected_429_rpm"]
    assert all(f.extras["origin"]["parser"] == "llm" for f in last.schema.fields)


def test_server_without_json_schema(fresh_sim, tmp_path):
    fresh_sim.configure(json_schema=False)
    text, rules, budget = one_field_per_chunk(4)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=1)
    last = run(svc, text, rules)[-1]
    assert svc.backend.capabilities.response_format == "json_object"
    assert fresh_sim.stats()["format_rejections"] == 1
    assert not last.flagged and last.schema.fields[0].extras["origin"]["parser"] == "llm"


def test_bad_key_stops_the_job_without_showing_the_key(fresh_sim, tmp_path):
    fresh_sim.configure(require_key="sk-the-right-one")
    text, rules, budget = one_field_per_chunk(40)
    updates = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=4),
                  text, rules)
    last = updates[-1]
    assert last.done and last.error
    assert "refused the credentials" in last.error and "OPENAI_API_KEY" in last.error
    assert "HTTP 401" in last.error
    everything = repr(updates) + last.error + " ".join(last.flagged)
    assert KEY not in everything
    assert fresh_sim.stats()["requests"] <= 8          # stopped at once, not 40 calls
    assert last.schema.names == rules.names


def test_cancel_closes_the_in_flight_requests(fresh_sim, tmp_path):
    """Answers that would take a minute: cancelling the job closes its 4 connections (the
    server sees them go) and sends nothing more."""
    fresh_sim.configure(latency="60")
    text, rules, budget = one_field_per_chunk(12)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=4)

    async def main():
        task = asyncio.create_task(collect(svc, text, rules, close=False))
        await wait_until(fresh_sim, lambda s: s["in_flight"] == 4, "4 calls in flight")
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        stats = await wait_until(fresh_sim, lambda s: s["in_flight"] == 0, "no call in flight")
        await svc.aclose()
        return stats
    stats = asyncio.run(main())
    assert stats["requests"] == 4 and stats["disconnects"] == 4 and stats["completed"] == 0


def test_azure_configuration_reaches_the_deployment_route(fresh_sim, tmp_path):
    settings = Settings(azure_endpoint=fresh_sim.root, azure_api_key=KEY,
                        azure_deployment="codebook-dep", cache_dir=str(tmp_path / "c"))
    svc = LLMService.from_settings(settings)
    text, rules, _ = one_field_per_chunk(2)
    last = run(svc, text, rules)[-1]
    assert not last.flagged and last.usage.calls >= 1
    assert fresh_sim.stats()["requests"] == last.usage.calls


def test_calls_go_through_the_sdks_aiohttp_client(fresh_sim, tmp_path):
    """The SDK's aiohttp client (openai.DefaultAioHttpClient) carries the calls: a call cost
    the serving process a third less CPU than over the SDK's default httpx one."""
    text, rules, budget = one_field_per_chunk(3)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget)
    made = []
    real = svc.backend.http_client

    def http_client():
        made.append(real())
        return made[-1]
    svc.backend.http_client = http_client
    last = run(svc, text, rules)[-1]
    assert last.done and not last.flagged and fresh_sim.stats()["completed"] == 3
    assert len(made) == 1 and isinstance(made[0], openai.DefaultAioHttpClient)
    assert made[0].is_closed                  # closed with the service
