"""LLM refinement end to end: the real openai client, real HTTP on loopback to the simulator.

Dictionaries come from `simulator.synthetic` (seeded) and these fixtures:
- house-prices/data_description.txt (merging LLM answers into rule fields),
- edge/llm_two_sections.txt: `state` defined in two sections that land in different chunks.
Latencies are 0.05-0.3 s so the whole file runs in a few seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import re
import time

import pytest

from conftest import fixture_path
from engine.llm import LLMService, Provider, refine, refine_all
from engine.llm.prompt import PROMPT_VERSION
from engine.model import Category, Field, Schema
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


def make_service(sim, tmp_path, **kw) -> LLMService:
    kw = {"concurrency": 16, "retries": 4, "retry_base": 0.01, "retry_cap": 0.05, "seed": 1,
          "timeout": 5.0, "cache_dir": str(tmp_path / "llm-cache"), **kw}
    return LLMService(Provider("openai", sim.base_url, "codebook-simulator", KEY), **kw)


async def collect(svc, text, rules, job_id="job", close=True):
    """All updates of one job, each stamped with the time it arrived."""
    t0 = time.monotonic()
    out = []
    try:
        async for u in refine(svc, text, rules, job_id=job_id, filename="dict.txt"):
            out.append((time.monotonic() - t0, u))
    finally:
        if close:
            await svc.aclose()
    return out


def run(svc, text, rules, **kw):
    return [u for _, u in asyncio.run(collect(svc, text, rules, **kw))]


def synthetic(fields, **kw):
    text, rules = synthetic_dictionary(fields, codes=2, **kw)
    return text, rules


def one_field_per_chunk(fields, **kw):
    """A synthetic dictionary and a chunk budget that puts each field in its own chunk."""
    text, rules = synthetic(fields, **kw)
    return text, rules, 60


# ---- the basics -------------------------------------------------------------------------
def test_first_update_is_rules_then_llm_fields(fresh_sim, tmp_path):
    # answers 0.1 s apart: one update per chunk (chunks that finish together share one)
    fresh_sim.configure(latency="0.1")
    text, rules, budget = one_field_per_chunk(6)
    updates = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=1),
                  text, rules)
    first, last = updates[0], updates[-1]
    assert first.chunks_done == 0 and first.chunks_total == 6 and not first.done
    assert first.schema.names == rules.names
    assert all(f.extras["origin"]["parser"] == "rules" for f in first.schema.fields)
    assert [u.chunks_done for u in updates] == [0, 1, 2, 3, 4, 5, 6]
    assert last.done and not last.flagged and last.error is None
    assert last.schema.names == rules.names
    f = last.schema.fields[2]
    assert f.extras["origin"] == {"parser": "llm", "chunk": 2}
    assert [c.text() for c in f.categories] == ["1=Yes", "2=No"]
    assert [c.text() for c in f.missing_values] == ["9=Refused"]   # the rules had it as a code
    assert last.usage.calls == 6 and last.usage.cache_hits == 0 and last.usage.retries == 0
    assert last.usage.prompt_tokens > 0 and last.usage.completion_tokens > 0


def test_answered_chunks_are_not_held_until_the_job_ends(fresh_sim, tmp_path):
    # each chunk's call is a task; once its answer is merged, nothing should keep the task
    # (and the parsed answer it holds) alive: with 100 jobs in flight that was a third of
    # the serving process's memory
    fresh_sim.configure(latency="0.05")
    text, rules, budget = one_field_per_chunk(6)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=1)

    def answered_tasks() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, asyncio.Task) and o.done()
                   and getattr(o.get_coro(), "__qualname__", "") == "_Job.run_chunk")

    async def main():
        seen = []
        try:
            async with contextlib.aclosing(refine(svc, text, rules, job_id="j")) as updates:
                async for u in updates:
                    if u.chunks_done and not u.done:
                        seen.append((u.chunks_done, answered_tasks()))
        finally:
            await svc.aclose()
        return seen

    seen = asyncio.run(main())
    assert [done for done, _ in seen] == [1, 2, 3, 4, 5]
    # at most the chunk merged just now (one at a time here) is still referenced
    assert max(held for _, held in seen) <= 1, seen


def test_updates_hold_the_schema_packed(fresh_sim, tmp_path):
    # a job's updates wait (in the app, a hundred jobs' at once) as bytes, not as fields:
    # every update of a job kept, no more Field objects are alive than before the job
    def fields_alive() -> int:
        gc.collect()
        return sum(isinstance(o, Field) for o in gc.get_objects())

    text, rules, budget = one_field_per_chunk(6)
    before = fields_alive()
    updates = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget), text, rules)
    assert len(updates) >= 2 and updates[-1].done
    assert fields_alive() == before
    assert all(isinstance(p, bytes) for u in updates for p in u.merged.parts)
    first, last = updates[0].schema, updates[-1].schema   # unpacked on access
    assert first.names == last.names == rules.names
    assert updates[-1].schema == last and updates[-1].schema is not last


def test_parallel_up_to_the_limit(fresh_sim, tmp_path):
    fresh_sim.configure(latency="0.1")
    text, rules, budget = one_field_per_chunk(12)
    t0 = time.monotonic()
    run(make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=4), text, rules)
    elapsed = time.monotonic() - t0
    stats = fresh_sim.stats()
    assert stats["requests"] == 12 and stats["max_in_flight"] == 4
    assert elapsed < 1.0                    # 3 rounds of 0.1 s, not 12 x 0.1 s = 1.2 s


def test_concurrency_is_process_wide_across_jobs(fresh_sim, tmp_path):
    fresh_sim.configure(latency="0.05")
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=60, concurrency=3)
    (ta, ra), (tb, rb) = synthetic(9, seed=1), synthetic(9, seed=2)

    async def both():
        try:
            return await asyncio.gather(collect(svc, ta, ra, "a", close=False),
                                        collect(svc, tb, rb, "b", close=False))
        finally:
            await svc.aclose()
    asyncio.run(both())
    stats = fresh_sim.stats()
    assert stats["requests"] == 18 and stats["max_in_flight"] == 3


def test_small_job_is_not_stuck_behind_a_big_one(fresh_sim, tmp_path):
    fresh_sim.configure(latency="0.08")
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=60, concurrency=2)
    big_text, big_rules = synthetic(12, seed=3)
    small_text, small_rules = synthetic(3, seed=4)

    async def main():
        big = asyncio.create_task(collect(svc, big_text, big_rules, "big", close=False))
        await asyncio.sleep(0.1)            # the big job has filled the queue
        t0 = time.monotonic()
        small = await collect(svc, small_text, small_rules, "small", close=False)
        small_done = time.monotonic() - t0
        big_updates = await big
        await svc.aclose()
        return small_done, small, big_updates
    small_done, small, big = asyncio.run(main())
    assert small[-1][1].done and not small[-1][1].flagged
    assert big[-1][0] >= 0.48               # 12 calls, 2 at a time, 0.08 s each
    assert small_done < 0.5 * big[-1][0]    # 3 calls alternating with the big job's


# ---- limits ------------------------------------------------------------------------------
def test_rpm_never_exceeded(fresh_sim, tmp_path):
    """Our limit is 12 per (scaled) minute of 1.0 s; the simulator allows 12 per 0.5 s and
    would answer 429 if it ever saw more. The 0.5 s slack absorbs the gap between our throttle
    admitting a call and the simulator receiving it, which on a loaded 2-core CI machine has
    exceeded 0.1 s (a 0.6 s period failed there once)."""
    fresh_sim.configure(latency="0.01", rpm=12, rpm_window=0.5)
    text, rules, budget = one_field_per_chunk(18)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, rpm=12, rate_period=1.0)
    t0 = time.monotonic()
    last = run(svc, text, rules)[-1]
    elapsed = time.monotonic() - t0
    stats = fresh_sim.stats()
    assert last.done and not last.flagged
    assert stats["rejected_429_rpm"] == 0 and stats["requests"] == 18
    times = stats["request_times"]
    assert max(sum(1 for u in times if t <= u < t + 0.5) for t in times) <= 12
    assert elapsed >= 1.0                   # the 13th request waited for the window


def test_provider_429_with_retry_after_is_honoured(fresh_sim, tmp_path):
    fresh_sim.configure(rpm=4, rpm_window=0.25)
    text, rules, budget = one_field_per_chunk(8)
    last = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget, retries=8), text, rules)[-1]
    stats = fresh_sim.stats()
    assert stats["rejected_429_rpm"] > 0
    assert last.done and not last.flagged and last.usage.retries == stats["rejected_429_rpm"]
    assert all(f.extras["origin"]["parser"] == "llm" for f in last.schema.fields)


# ---- faults ------------------------------------------------------------------------------
@pytest.mark.parametrize("directive, calls", [
    ("[[sim:500x2]]", 3), ("[[sim:429x2]]", 3), ("[[sim:timeoutx1]]", 2),
    ("[[sim:dropx1]]", 2), ("[[sim:truncatedx1]]", 2), ("[[sim:malformedx1]]", 2)])
def test_each_fault_is_survived(fresh_sim, tmp_path, directive, calls):
    text, rules, budget = one_field_per_chunk(3, marker={1: directive})
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, timeout=0.3)
    last = run(svc, text, rules)[-1]
    assert last.done and not last.flagged
    assert last.usage.calls == 2 + calls and last.usage.retries == calls - 1
    assert all(f.extras["origin"]["parser"] == "llm" for f in last.schema.fields)
    assert fresh_sim.stats()["faults"] == {re.search(r":(\w+?)x", directive).group(1): calls - 1}


def test_unusable_twice_keeps_rules_and_is_flagged(fresh_sim, tmp_path):
    text, rules, budget = one_field_per_chunk(3, marker={1: "[[sim:malformed]]"})
    last = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget), text, rules)[-1]
    assert last.done and last.usage.calls == 4
    assert len(last.flagged) == 1
    assert last.flagged[0].startswith(f"chunk 2 of 3 ({rules.names[1]}): the LLM's answer was "
                                      "unusable twice (the answer is not valid JSON")
    origins = [f.extras["origin"] for f in last.schema.fields]
    assert [o["parser"] for o in origins] == ["llm", "rules", "llm"]
    assert last.schema.fields[1].categories == rules.fields[1].categories


def test_random_faults_all_survived(fresh_sim, tmp_path):
    fresh_sim.configure(fail_500=0.15, timeout_rate=0.05, drop_rate=0.05, malformed=0.1,
                        truncated=0.1, seed=11)
    text, rules, budget = one_field_per_chunk(24)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, timeout=0.3, retries=6)
    last = run(svc, text, rules)[-1]
    stats = fresh_sim.stats()
    assert sum(stats["faults"].values()) >= 5
    assert last.done and last.chunks_done == 24 and last.schema.names == rules.names
    flagged = {int(re.match(r"chunk (\d+)", f).group(1)) - 1 for f in last.flagged}
    for i, f in enumerate(last.schema.fields):
        assert f.extras["origin"]["parser"] == ("rules" if i in flagged else "llm")
    assert len(flagged) <= 3                # only a chunk unusable twice in a row falls back
    assert last.usage.retries >= 5


def test_server_without_json_schema(fresh_sim, tmp_path):
    fresh_sim.configure(json_schema=False)
    text, rules, budget = one_field_per_chunk(4)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=1)
    last = run(svc, text, rules)[-1]
    assert svc.format_mode == "json_object"
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


# ---- cancel and deadline -----------------------------------------------------------------
def test_cancel_stops_queued_and_in_flight_calls(fresh_sim, tmp_path):
    fresh_sim.configure(latency="2")
    text, rules, budget = one_field_per_chunk(12)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=4)

    async def main():
        task = asyncio.create_task(collect(svc, text, rules, close=False))
        for _ in range(100):
            await asyncio.sleep(0.02)
            if (await asyncio.to_thread(fresh_sim.stats))["in_flight"] == 4:
                break
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        t0 = time.monotonic()
        while (await asyncio.to_thread(fresh_sim.stats))["in_flight"] and time.monotonic() - t0 < 2:
            await asyncio.sleep(0.02)
        drained = time.monotonic() - t0
        await asyncio.sleep(0.3)
        await svc.aclose()
        return drained
    drained = asyncio.run(main())
    stats = fresh_sim.stats()
    assert drained < 0.5
    assert stats["in_flight"] == 0 and stats["requests"] == 4 and stats["disconnects"] == 4
    assert stats["completed"] == 0


def test_queued_calls_are_made_only_when_they_get_a_slot(fresh_sim, tmp_path):
    """Two jobs of 12 chunks on 3 slots: never more chunk calls (tasks, coroutines, prompts)
    exist than slots; every slot comes back and nothing of either job is left queued, also
    for a job closed while most of its calls still wait."""
    fresh_sim.configure(latency="0.05")
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=60, concurrency=3)
    (ta, ra), (tb, rb) = synthetic(12, seed=5), synthetic(12, seed=6)
    most = 0

    def chunk_calls() -> int:
        return sum(1 for t in asyncio.all_tasks()
                   if t.get_coro().__qualname__ == "_Job.run_chunk" and not t.done())

    async def watch():
        nonlocal most
        while True:
            most = max(most, chunk_calls())
            await asyncio.sleep(0.005)

    async def closed_early():
        async with contextlib.aclosing(refine(svc, tb, rb, job_id="early")) as updates:
            async for u in updates:
                if u.chunks_done >= 1:
                    break

    async def main():
        watcher = asyncio.create_task(watch())
        try:
            out = await asyncio.gather(collect(svc, ta, ra, "a", close=False), closed_early())
            await asyncio.sleep(0.1)
            scheduler = svc._loop_state().scheduler
            return out[0], scheduler.busy, scheduler.waiting(), chunk_calls()
        finally:
            watcher.cancel()
            await svc.aclose()
    updates, busy, waiting, left = asyncio.run(main())
    assert updates[-1][1].done and not updates[-1][1].flagged
    assert updates[-1][1].chunks_done == 12 and fresh_sim.stats()["requests"] < 24
    assert 1 <= most <= 3, most          # (made at once, 12 + 12 of them existed together)
    assert (busy, waiting, left) == (0, 0, 0)


def test_consumer_leaving_cancels_the_job(fresh_sim, tmp_path):
    fresh_sim.configure(latency="0.15")
    text, rules, budget = one_field_per_chunk(12)
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, concurrency=4)

    async def main():
        async with contextlib.aclosing(refine(svc, text, rules, job_id="j")) as updates:
            async for u in updates:
                if u.chunks_done >= 1:
                    break
        await asyncio.sleep(0.2)
        await svc.aclose()
    asyncio.run(main())
    stats = fresh_sim.stats()
    assert stats["in_flight"] == 0 and stats["requests"] <= 8


def test_deadline_keeps_rule_results(fresh_sim, tmp_path):
    fresh_sim.configure(latency="uniform:0.05,0.1")
    text, rules, budget = one_field_per_chunk(4, marker={2: "[[sim:timeout]]"})
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=budget, deadline=0.4, timeout=5)
    t0 = time.monotonic()
    last = run(svc, text, rules)[-1]
    assert time.monotonic() - t0 < 1.0
    assert last.done and last.chunks_done == 4
    assert last.flagged == [f"chunk 3 of 4 ({rules.names[2]}): the job's time limit was "
                            "reached; kept the rule-based fields"]
    assert [f.extras["origin"]["parser"] for f in last.schema.fields] == ["llm", "llm", "rules",
                                                                          "llm"]
    time.sleep(0.1)
    assert fresh_sim.stats()["in_flight"] == 0


# ---- cache -------------------------------------------------------------------------------
def test_cache_resumes_a_half_failed_job_and_replays_instantly(fresh_sim, tmp_path):
    """Chunks 2 and 5 fail their first two requests: with one retry they fall back in the
    first run; the second run sends only those two and takes the other six from the cache."""
    marker = {1: "[[sim:500x2]]", 4: "[[sim:500x2]]"}
    text, rules, budget = one_field_per_chunk(8, marker=marker)
    first = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget, retries=1), text, rules)[-1]
    assert len(first.flagged) == 2 and first.usage.calls == 6 + 2 * 2
    before = fresh_sim.stats()["requests"]
    second = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget, retries=1), text, rules)
    assert second[1].chunks_done == 6 and second[1].usage.cache_hits == 6   # cached at once
    last = second[-1]
    assert not last.flagged and last.usage.cache_hits == 6 and last.usage.calls == 2
    assert fresh_sim.stats()["requests"] - before == 2   # only the two missing chunks went out
    fresh_sim.reset()
    t0 = time.monotonic()
    third = run(make_service(fresh_sim, tmp_path, chunk_tokens=budget), text, rules)[-1]
    assert time.monotonic() - t0 < 1.0      # no call goes out: nothing to wait for
    assert third.usage.calls == 0 and third.usage.cache_hits == 8
    assert fresh_sim.stats()["requests"] == 0
    assert [f.to_descriptor() for f in third.schema.fields] == \
        [f.to_descriptor() for f in last.schema.fields]


def test_cache_key_covers_provider_model_and_prompt(tmp_path):
    a = LLMService(Provider("openai", "http://a/v1", "m1"), cache_dir=str(tmp_path))
    b = LLMService(Provider("openai", "http://b/v1", "m1"), cache_dir=str(tmp_path))
    c = LLMService(Provider("openai", "http://a/v1", "m2"), cache_dir=str(tmp_path))
    keys = {s.cache_key("same text") for s in (a, b, c)}
    assert len(keys) == 3 and len(PROMPT_VERSION) > 0


# ---- merging real dictionaries -----------------------------------------------------------
def test_field_in_two_chunks_is_merged(fresh_sim, tmp_path):
    text = fixture_path("edge", "llm_two_sections.txt").read_text()
    rules = Schema(fields=[Field("state", description="state code"), Field("capacity"),
                           Field("cases")])
    last = run(make_service(fresh_sim, tmp_path, chunk_tokens=50), text, rules)[-1]
    assert last.chunks_total == 3 and not last.flagged
    assert last.schema.names == ["state", "capacity", "cases"]
    state = last.schema.field("state")
    assert state.description == ("State where the detention facility is located, as a "
                                 "two-letter USPS code")
    assert [c.text() for c in state.categories] == ["CA=California", "AZ=Arizona", "TX=Texas"]
    assert state.extras["origin"] == {"parser": "llm", "chunk": 0}
    assert [c.text() for c in last.schema.field("cases").missing_values] == ["-1=missing"]


def test_house_prices_rules_completed_by_llm(fresh_sim, tmp_path):
    text = fixture_path("house-prices", "data_description.txt").read_text()
    names = re.findall(r"^(\w+):", text, re.M)
    rules = Schema(fields=[Field(n) for n in names] + [
        Field("Alley", categories=[Category("Grvl", "Gravel")])])
    last = run(make_service(fresh_sim, tmp_path, chunk_tokens=500), text, rules)[-1]
    assert last.chunks_total >= 6 and not last.flagged
    assert last.schema.names == names
    alley = last.schema.field("Alley")
    assert alley.description == "Type of alley access to property"
    assert [c.text() for c in alley.categories] == ["Grvl=Gravel", "Pave=Paved",
                                                    "NA=No alley access"]
    assert last.schema.field("MSSubClass").type == "integer"
    assert last.schema.field("MSSubClass").categories[0].text() == "20=1-STORY 1946 & NEWER ALL STYLES"


def test_no_rules_at_all_with_refine_all(fresh_sim, tmp_path):
    text = fixture_path("edge", "llm_two_sections.txt").read_text()
    svc = make_service(fresh_sim, tmp_path, chunk_tokens=50)
    seen = []

    async def main():
        try:
            return await refine_all(svc, text, None, job_id="cli", filename="two.txt",
                                    on_update=seen.append)
        finally:
            await svc.aclose()
    last = asyncio.run(main())
    assert last.done and last.schema.names == ["state", "capacity", "cases"]
    done = [u.chunks_done for u in seen]
    assert done[0] == 0 and done == sorted(done) and done[-1] == 3 and seen[-1] is last
    assert last.status().startswith("LLM refinement of `two.txt`: 3 of 3 chunks done. 3 LLM "
                                    "calls (0 retries), 0 chunks from cache, ")


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
    import openai

    svc = make_service(fresh_sim, tmp_path)

    async def main():
        client = svc._loop_state().client
        try:
            assert isinstance(client._client, openai.DefaultAioHttpClient)
            async for _ in refine(svc, *synthetic(12)[:1], None, job_id="j"):
                pass
        finally:
            await svc.aclose()
        return client._client.is_closed
    assert asyncio.run(main())
    assert fresh_sim.stats()["completed"] >= 1
