"""LLM refinement jobs on the in-process FakeBackend and virtual time: streaming, merging,
fair scheduling, limits, faults, cancel, deadline and cache (no server; the times are exact).
tests/integration/test_llm_integration.py runs the real openai client against the simulator.

Dictionaries come from `simulator.synthetic` (seeded) and these fixtures:
- house-prices/data_description.txt (merging LLM answers into rule fields),
- edge/llm_two_sections.txt: `state` defined in two sections that land in different chunks.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import re

import pytest

from harness.fixtures import fixture_path
from engine.llm import (FakeBackend, LLMService, OpenAIBackend, Provider, VirtualClock, refine,
                        refine_all)
from engine.llm.prompt import PROMPT_VERSION
from engine.model import Category, Field, Schema
from simulator.synthetic import synthetic_dictionary
from harness.llm_fakes import FaultyModel, collect, fake_service


def run(svc, text, rules, **kw):
    return [u for _, u in svc.clock.run(collect(svc, text, rules, **kw))]


def synthetic(fields, **kw):
    return synthetic_dictionary(fields, codes=2, **kw)


def one_field_per_chunk(fields, **kw):
    """A synthetic dictionary and a chunk budget that puts each field in its own chunk."""
    text, rules = synthetic(fields, **kw)
    return text, rules, 60


def setup(latency=0.05, **kw):
    clock = VirtualClock()
    model = FaultyModel(latency=latency, rates=kw.pop("rates", None))
    return model, fake_service(model, clock, **kw)


# ---- the basics -------------------------------------------------------------------------
def test_first_update_is_rules_then_llm_fields():
    # answers 0.1 s apart: one update per chunk (chunks that finish together share one)
    text, rules, budget = one_field_per_chunk(6)
    _, svc = setup(latency=0.1, chunk_tokens=budget, concurrency=1)
    timed = svc.clock.run(collect(svc, text, rules))
    updates = [u for _, u in timed]
    first, last = updates[0], updates[-1]
    assert first.chunks_done == 0 and first.chunks_total == 6 and not first.done
    assert first.schema.names == rules.names
    assert all(f.extras["origin"]["parser"] == "rules" for f in first.schema.fields)
    assert [u.chunks_done for u in updates] == [0, 1, 2, 3, 4, 5, 6]
    assert [t for t, _ in timed] == pytest.approx([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    assert last.done and not last.flagged and last.error is None
    assert last.schema.names == rules.names
    f = last.schema.fields[2]
    assert f.extras["origin"] == {"parser": "llm", "chunk": 2}
    assert [c.text() for c in f.categories] == ["1=Yes", "2=No"]
    assert [c.text() for c in f.missing_values] == ["9=Refused"]   # the rules had it as a code
    assert last.usage.calls == 6 and last.usage.cache_hits == 0 and last.usage.retries == 0
    assert last.usage.prompt_tokens > 0 and last.usage.completion_tokens > 0
    assert last.usage.elapsed == pytest.approx(0.6)


def test_answered_chunks_are_not_held_until_the_job_ends():
    # each chunk's call is a task; once its answer is merged, nothing should keep the task
    # (and the parsed answer it holds) alive: with 100 jobs in flight that was a third of
    # the serving process's memory
    text, rules, budget = one_field_per_chunk(6)
    _, svc = setup(chunk_tokens=budget, concurrency=1)

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

    seen = svc.clock.run(main())
    assert [done for done, _ in seen] == [1, 2, 3, 4, 5]
    # at most the chunk merged just now (one at a time here) is still referenced
    assert max(held for _, held in seen) <= 1, seen


def test_updates_hold_the_schema_packed():
    # a job's updates wait (in the app, a hundred jobs' at once) as bytes, not as fields:
    # every update of a job kept, no more Field objects are alive than before the job
    def fields_alive() -> int:
        gc.collect()
        return sum(isinstance(o, Field) for o in gc.get_objects())

    text, rules, budget = one_field_per_chunk(6)
    _, svc = setup(chunk_tokens=budget)
    before = fields_alive()
    updates = run(svc, text, rules)
    assert len(updates) >= 2 and updates[-1].done
    assert fields_alive() == before
    assert all(isinstance(p, bytes) for u in updates for p in u.merged.parts)
    first, last = updates[0].schema, updates[-1].schema   # unpacked on access
    assert first.names == last.names == rules.names
    assert updates[-1].schema == last and updates[-1].schema is not last


def test_parallel_up_to_the_limit():
    text, rules, budget = one_field_per_chunk(12)
    _, svc = setup(latency=0.1, chunk_tokens=budget, concurrency=4)
    last = run(svc, text, rules)[-1]
    assert len(svc.backend.history) == 12 and svc.backend.max_in_flight == 4
    assert last.usage.elapsed == pytest.approx(0.3)     # 3 rounds of 0.1 s, not 12 x 0.1 s


def test_concurrency_is_process_wide_across_jobs():
    _, svc = setup(chunk_tokens=60, concurrency=3)
    (ta, ra), (tb, rb) = synthetic(9, seed=1), synthetic(9, seed=2)

    async def both():
        try:
            return await asyncio.gather(collect(svc, ta, ra, "a", close=False),
                                        collect(svc, tb, rb, "b", close=False))
        finally:
            await svc.aclose()
    svc.clock.run(both())
    assert len(svc.backend.history) == 18 and svc.backend.max_in_flight == 3


def test_small_job_is_not_stuck_behind_a_big_one():
    _, svc = setup(latency=0.08, chunk_tokens=60, concurrency=2)
    big_text, big_rules = synthetic(12, seed=3)
    small_text, small_rules = synthetic(3, seed=4)

    async def main():
        big = asyncio.create_task(collect(svc, big_text, big_rules, "big", close=False))
        await asyncio.sleep(0.1)            # the big job has filled the queue
        small = await collect(svc, small_text, small_rules, "small", close=False)
        big_updates = await big
        await svc.aclose()
        return small, big_updates
    small, big = svc.clock.run(main())
    assert small[-1][1].done and not small[-1][1].flagged
    assert big[-1][0] == pytest.approx(8 * 0.08)     # 15 calls, 2 at a time, 0.08 s each
    # the small job comes at 0.1 s: its 3 calls take the next 3 slots (2 at 0.16 s, 1 at
    # 0.24 s) ahead of the big job's 8 still queued
    assert small[-1][0] == pytest.approx(0.32 - 0.1)


# ---- limits ------------------------------------------------------------------------------
def test_rpm_never_exceeded():
    """12 requests per (slightly widened) minute: the 13th waits for the first to leave it."""
    text, rules, budget = one_field_per_chunk(18)
    _, svc = setup(latency=0.01, chunk_tokens=budget, rpm=12)
    last = run(svc, text, rules)[-1]
    assert last.done and not last.flagged
    times = svc.backend.times
    assert len(times) == 18
    minute = 60 * 60.5 / 60
    assert max(sum(1 for u in times if t <= u < t + minute) for t in times) == 12
    assert times[12] == pytest.approx(minute)


# ---- faults ------------------------------------------------------------------------------
@pytest.mark.parametrize("directive, calls", [
    ("[[sim:500x2]]", 3), ("[[sim:429x2]]", 3), ("[[sim:timeoutx1]]", 2),
    ("[[sim:dropx1]]", 2), ("[[sim:truncatedx1]]", 2), ("[[sim:malformedx1]]", 2)])
def test_each_fault_is_survived(directive, calls):
    text, rules, budget = one_field_per_chunk(3, marker={1: directive})
    model, svc = setup(chunk_tokens=budget, timeout=0.3)
    last = run(svc, text, rules)[-1]
    assert last.done and not last.flagged
    assert last.usage.calls == 2 + calls and last.usage.retries == calls - 1
    assert all(f.extras["origin"]["parser"] == "llm" for f in last.schema.fields)
    assert model.faults == {re.search(r":(\w+?)x", directive).group(1): calls - 1}


def test_unusable_twice_keeps_rules_and_is_flagged():
    text, rules, budget = one_field_per_chunk(3, marker={1: "[[sim:malformed]]"})
    _, svc = setup(chunk_tokens=budget)
    last = run(svc, text, rules)[-1]
    assert last.done and last.usage.calls == 4
    assert len(last.flagged) == 1
    assert last.flagged[0].startswith(f"chunk 2 of 3 ({rules.names[1]}): the LLM's answer was "
                                      "unusable twice (the answer is not valid JSON")
    origins = [f.extras["origin"] for f in last.schema.fields]
    assert [o["parser"] for o in origins] == ["llm", "rules", "llm"]
    assert last.schema.fields[1].categories == rules.fields[1].categories


def test_random_faults_all_survived():
    text, rules, budget = one_field_per_chunk(24)
    model, svc = setup(chunk_tokens=budget, timeout=0.3, retries=6,
                       rates={"500": 0.15, "timeout": 0.05, "drop": 0.05, "malformed": 0.1,
                              "truncated": 0.1})
    last = run(svc, text, rules)[-1]
    assert sum(model.faults.values()) >= 5
    assert last.done and last.chunks_done == 24 and last.schema.names == rules.names
    flagged = {int(re.match(r"chunk (\d+)", f).group(1)) - 1 for f in last.flagged}
    for i, f in enumerate(last.schema.fields):
        assert f.extras["origin"]["parser"] == ("rules" if i in flagged else "llm")
    assert len(flagged) <= 3                # only a chunk unusable twice in a row falls back
    assert last.usage.retries >= 5


def test_server_without_json_schema():
    text, rules, budget = one_field_per_chunk(4)
    _, svc = setup(chunk_tokens=budget, concurrency=1)
    svc.backend.refuses = {"json_schema"}
    last = run(svc, text, rules)[-1]
    formats = [r.response_format for r in svc.backend.history]
    assert formats == ["json_schema"] + ["json_object"] * 4
    assert svc.backend.capabilities.response_format == "json_object"
    assert not last.flagged and last.schema.fields[0].extras["origin"]["parser"] == "llm"


def test_a_fatal_failure_stops_the_job_at_once():
    text, rules, budget = one_field_per_chunk(40)
    _, svc = setup(chunk_tokens=budget, concurrency=4)
    svc.backend.respond = lambda request: FakeBackend.error(401, "Incorrect API key")
    updates = run(svc, text, rules)
    last = updates[-1]
    assert last.done and last.error == "The fake model failed: HTTP 401: Incorrect API key."
    # the 4 calls in flight, and at most those granted the slots they freed before the job
    # saw the error: not 40 calls
    assert len(svc.backend.history) <= 8
    assert last.schema.names == rules.names
    assert all(f.extras["origin"]["parser"] == "rules" for f in last.schema.fields)


def test_every_failed_chunk_is_summed_up_once():
    text, rules, budget = one_field_per_chunk(4)
    _, svc = setup(chunk_tokens=budget, retries=1)
    svc.backend.respond = lambda request: FakeBackend.error(503, "overloaded")
    last = run(svc, text, rules)[-1]
    assert len(last.flagged) == 4 and all("after 2 attempts (HTTP 503: overloaded)" in f
                                          for f in last.flagged)
    assert last.error == ("Every LLM call of this job failed (4 chunks): HTTP 503: "
                          "overloaded. The fields are the rule-based result.")


# ---- cancel and deadline -----------------------------------------------------------------
def test_cancel_stops_queued_and_in_flight_calls():
    text, rules, budget = one_field_per_chunk(12)
    _, svc = setup(latency=2, chunk_tokens=budget, concurrency=4)
    backend = svc.backend

    async def main():
        task = asyncio.create_task(collect(svc, text, rules, close=False))
        await asyncio.sleep(1)                      # 4 calls in flight, 8 queued
        assert backend.in_flight == 4 and svc.waiting() == 8
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        state = backend.in_flight, svc.waiting(), svc.busy(), svc.clock.now()
        await svc.aclose()
        return state
    in_flight, waiting, busy, at = svc.clock.run(main())
    assert (in_flight, waiting, busy) == (0, 0, 0) and at == 1.0     # at once
    assert len(backend.history) == 4 and backend.cancelled == 4


def test_queued_calls_are_made_only_when_they_get_a_slot():
    """Two jobs of 12 chunks on 3 slots: never more chunk calls (tasks, coroutines, prompts)
    exist than slots; every slot comes back and nothing of either job is left queued, also
    for a job closed while most of its calls still wait."""
    _, svc = setup(chunk_tokens=60, concurrency=3)
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
            return out[0], svc.busy(), svc.waiting(), chunk_calls()
        finally:
            watcher.cancel()
            await svc.aclose()
    updates, busy, waiting, left = svc.clock.run(main())
    assert updates[-1][1].done and not updates[-1][1].flagged
    assert updates[-1][1].chunks_done == 12 and len(svc.backend.history) < 24
    assert 1 <= most <= 3, most          # (made at once, 12 + 12 of them existed together)
    assert (busy, waiting, left) == (0, 0, 0)


def test_consumer_leaving_cancels_the_job():
    text, rules, budget = one_field_per_chunk(12)
    _, svc = setup(latency=0.15, chunk_tokens=budget, concurrency=4)

    async def main():
        async with contextlib.aclosing(refine(svc, text, rules, job_id="j")) as updates:
            async for u in updates:
                if u.chunks_done >= 1:
                    break
        state = svc.backend.in_flight, svc.busy(), svc.waiting()
        await svc.aclose()
        return state
    assert svc.clock.run(main()) == (0, 0, 0)
    assert len(svc.backend.history) <= 8 and svc.backend.cancelled >= 1


def test_deadline_keeps_rule_results():
    text, rules, budget = one_field_per_chunk(4, marker={2: "[[sim:timeout]]"})
    _, svc = setup(latency=0.1, chunk_tokens=budget, deadline=0.4, timeout=5)
    last = run(svc, text, rules)[-1]
    assert last.usage.elapsed == pytest.approx(0.4)
    assert last.done and last.chunks_done == 4
    assert last.flagged == [f"chunk 3 of 4 ({rules.names[2]}): the job's time limit was "
                            "reached; kept the rule-based fields"]
    assert [f.extras["origin"]["parser"] for f in last.schema.fields] == ["llm", "llm", "rules",
                                                                          "llm"]
    assert svc.backend.in_flight == 0 and svc.backend.cancelled == 1


# ---- cache -------------------------------------------------------------------------------
def test_cache_resumes_a_half_failed_job_and_replays_instantly(tmp_path):
    """Chunks 2 and 5 fail their first two requests: with one retry they fall back in the
    first run; the second run sends only those two and takes the other six from the cache."""
    marker = {1: "[[sim:500x2]]", 4: "[[sim:500x2]]"}
    text, rules, budget = one_field_per_chunk(8, marker=marker)
    clock = VirtualClock()
    model = FaultyModel()

    def service():
        return fake_service(model, clock, chunk_tokens=budget, retries=1,
                            cache_dir=tmp_path / "llm-cache")
    first = run(service(), text, rules)[-1]
    assert len(first.flagged) == 2 and first.usage.calls == 6 + 2 * 2
    svc = service()
    second = run(svc, text, rules)
    assert second[1].chunks_done == 6 and second[1].usage.cache_hits == 6   # cached at once
    last = second[-1]
    assert not last.flagged and last.usage.cache_hits == 6 and last.usage.calls == 2
    assert len(svc.backend.history) == 2       # only the two missing chunks went out
    svc = service()
    third = run(svc, text, rules)[-1]
    assert third.usage.calls == 0 and third.usage.cache_hits == 8 and not svc.backend.history
    assert third.usage.elapsed == 0            # no call goes out: nothing to wait for
    assert [f.to_descriptor() for f in third.schema.fields] == \
        [f.to_descriptor() for f in last.schema.fields]


def test_cache_key_covers_provider_model_and_prompt():
    def svc(url, model):
        return LLMService(OpenAIBackend(Provider("openai", url, model)))
    keys = {s.cache_key("same text") for s in (svc("http://a/v1", "m1"), svc("http://b/v1", "m1"),
                                               svc("http://a/v1", "m2"))}
    assert len(keys) == 3 and len(PROMPT_VERSION) > 0
    assert LLMService(FakeBackend(model="m1")).cache_key("same text") not in keys


# ---- merging real dictionaries -----------------------------------------------------------
def test_field_in_two_chunks_is_merged():
    text = fixture_path("edge", "llm_two_sections.txt").read_text()
    rules = Schema(fields=[Field("state", description="state code"), Field("capacity"),
                           Field("cases")])
    _, svc = setup(chunk_tokens=50)
    last = run(svc, text, rules)[-1]
    assert last.chunks_total == 3 and not last.flagged
    assert last.schema.names == ["state", "capacity", "cases"]
    state = last.schema.field("state")
    assert state.description == ("State where the detention facility is located, as a "
                                 "two-letter USPS code")
    assert [c.text() for c in state.categories] == ["CA=California", "AZ=Arizona", "TX=Texas"]
    assert state.extras["origin"] == {"parser": "llm", "chunk": 0}
    assert [c.text() for c in last.schema.field("cases").missing_values] == ["-1=missing"]


def test_house_prices_rules_completed_by_llm():
    text = fixture_path("house-prices", "data_description.txt").read_text()
    names = re.findall(r"^(\w+):", text, re.M)
    rules = Schema(fields=[Field(n) for n in names] + [
        Field("Alley", categories=[Category("Grvl", "Gravel")])])
    _, svc = setup(chunk_tokens=500)
    last = run(svc, text, rules)[-1]
    assert last.chunks_total >= 6 and not last.flagged
    assert last.schema.names == names
    alley = last.schema.field("Alley")
    assert alley.description == "Type of alley access to property"
    assert [c.text() for c in alley.categories] == ["Grvl=Gravel", "Pave=Paved",
                                                    "NA=No alley access"]
    assert last.schema.field("MSSubClass").type == "integer"
    assert last.schema.field("MSSubClass").categories[0].text() == \
        "20=1-STORY 1946 & NEWER ALL STYLES"


def test_no_rules_at_all_with_refine_all():
    text = fixture_path("edge", "llm_two_sections.txt").read_text()
    _, svc = setup(chunk_tokens=50)
    seen = []

    async def main():
        try:
            return await refine_all(svc, text, None, job_id="cli", filename="two.txt",
                                    on_update=seen.append)
        finally:
            await svc.aclose()
    last = svc.clock.run(main())
    assert last.done and last.schema.names == ["state", "capacity", "cases"]
    done = [u.chunks_done for u in seen]
    assert done[0] == 0 and done == sorted(done) and done[-1] == 3 and seen[-1] is last
    assert last.status().startswith("LLM refinement of `two.txt`: 3 of 3 chunks done. 3 LLM "
                                    "calls (0 retries), 0 chunks from cache, ")
