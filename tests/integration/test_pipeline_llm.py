"""engine.pipeline's LLM stage against the simulator on loopback, through the real client: the
jobs' events in order on the inline executor (the stages without an LLM:
tests/unit/test_pipeline.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.llm import Limits, LLMService, OpenAIBackend, Provider, RetryPolicy
from engine.llm.cache import ChunkCache
from engine.pipeline import ChunkDone, Final, InlineExecutor, Parsed, Warning, parse_job, run_job
from harness.fixtures import fixture_path
from simulator import run_in_thread

DICTIONARY = fixture_path("house-prices", "data_description.txt")
KEY = "sk-test-pipeline"


def events_of(job) -> list:
    async def collect():
        return [event async for event in job]
    return asyncio.run(collect())


def kinds(events: list) -> list[str]:
    return [type(e).__name__ for e in events]


def test_low_coverage_is_a_warning_only_when_no_llm_reads_the_whole(sim, tmp_path):
    doc = tmp_path / "notes.txt"
    # variables the rules cannot read: described in running sentences, not as a list
    prose = " ".join(f"In round {i} the column hh_inc_{i} holds the household's income that "
                     f"round and hh_size_{i} the persons living there." for i in range(60))
    doc.write_text("age: Age of the respondent in years\nsex: Sex (1 = male; 2 = female)\n"
                   "region: Region of residence\n\n" + prose)
    events = events_of(parse_job(doc, executor=InlineExecutor()))
    warned = [e for e in events if isinstance(e, Warning)]
    assert [w.kind for w in warned] == ["coverage"] and "account for only" in warned[0].message
    parsed = next(e for e in events if isinstance(e, Parsed))
    assert parsed.coverage.low and kinds(events).index("Warning") < kinds(events).index("Parsed")

    async def with_llm():
        llm = service(sim, tmp_path)
        try:
            return [e async for e in parse_job(doc, executor=InlineExecutor(), llm=llm,
                                               use_llm=True)]
        finally:
            await llm.aclose()
    events = asyncio.run(with_llm())
    assert not [e for e in events if isinstance(e, Warning)] and events[-1].stage == "llm"


# ---- the LLM stage, against the simulator --------------------------------------------------
@pytest.fixture(scope="module")
def sim():
    handle = run_in_thread(latency="0.05")
    yield handle
    handle.stop()


def service(sim, tmp_path) -> LLMService:
    return LLMService(OpenAIBackend(Provider("openai", sim.base_url, "codebook-simulator", KEY)),
                      limits=Limits(concurrency=4, timeout=10.0, chunk_tokens=400),
                      retry=RetryPolicy(retries=1, base=0.01, cap=0.05),
                      cache=ChunkCache(tmp_path / "llm-cache", 10**8))


def llm_events(sim, tmp_path, **options) -> list:
    async def collect():
        llm = service(sim, tmp_path)
        try:
            return [e async for e in parse_job(DICTIONARY, executor=InlineExecutor(), llm=llm,
                                               use_llm=True, outdir=lambda: tmp_path / "out",
                                               **options)]
        finally:
            await llm.aclose()
    return asyncio.run(collect())


def test_an_llm_job_hands_over_the_rules_then_each_step_then_the_refined_result(sim,
                                                                               tmp_path):
    events = llm_events(sim, tmp_path)
    names = kinds(events)
    assert names[:2] == ["Started", "Parsed"] and names[-2:] == ["ChunkDone", "Final"]
    assert events[0].llm and events[1].llm_follows
    assert events[1].outputs.descriptor is None and events[1].outputs.downloads == (None, None)
    steps = [e for e in events if isinstance(e, ChunkDone)]
    assert steps[0].chunks_done == 0 and steps[-1].done and len(steps) >= 3
    assert [s.chunks_done for s in steps] == sorted(s.chunks_done for s in steps)
    assert steps[-1].chunks_done == steps[-1].chunks_total > 3 and not steps[-1].error
    assert all(len(s.table()) >= 79 for s in steps)
    final = events[-1]
    assert final.stage == "llm" and final.llm is steps[-1]
    assert all(Path(p).exists() for p in final.outputs.downloads)
    changes = final.changes
    assert changes.kept + len(changes.changed) + len(changes.added) == len(final.outputs.table)


def test_cancelling_an_llm_job_keeps_what_was_merged_with_its_downloads(sim, tmp_path):
    async def collect():
        llm, cancel = service(sim, tmp_path), asyncio.Event()
        sim.configure(latency="0.5")
        out = []
        try:
            async for event in parse_job(DICTIONARY, executor=InlineExecutor(), llm=llm,
                                         use_llm=True, outdir=lambda: tmp_path / "out",
                                         cancel=cancel):
                out.append(event)
                if isinstance(event, ChunkDone):
                    cancel.set()
        finally:
            sim.configure(latency="0.05")
            await llm.aclose()
        return out
    events = asyncio.run(collect())
    assert kinds(events)[-1] == "Cancelled" and "Final" not in kinds(events)
    cancelled = events[-1]
    assert cancelled.stage == "llm" and len(cancelled.kept.table) == 79
    assert all(Path(p).exists() for p in cancelled.kept.downloads)


def test_the_rules_result_comes_again_when_the_llm_stage_fails_first(sim, tmp_path,
                                                                    monkeypatch):
    from engine.pipeline import refine as llm_stage

    def broken(path, filename, rules, budget, **options):
        raise RuntimeError("text extraction failed")
    monkeypatch.setattr(llm_stage, "prepare_refine", broken)
    events = llm_events(sim, tmp_path)
    assert kinds(events) == ["Started", "Parsed", "Failed"]
    failed = events[-1]
    assert str(failed.error) == "text extraction failed" and failed.stage == "llm"
    assert failed.kept.descriptor is not None and Path(failed.kept.downloads[0]).exists()


def test_declared_missing_values_reach_the_rules_and_the_refined_result(sim, tmp_path):
    rules = run_job(parse_job(DICTIONARY, executor=InlineExecutor(),
                              missing_values="NA; LotFrontage=-1"))
    assert rules.outputs.descriptor["missingValues"] == ["", "NA"]
    events = llm_events(sim, tmp_path, missing_values="LotFrontage=-1; Nowhere=0")
    final = events[-1]
    assert isinstance(final, Final) and final.stage == "llm"
    lot = next(f for f in final.outputs.descriptor["fields"] if f["name"] == "LotFrontage")
    assert lot["missingValues"] == ["", "-1"]
    assert any(isinstance(e, Warning) and "Nowhere" in e.message for e in events)
    with pytest.raises(InputError, match="Nowhere"):
        run_job(parse_job(DICTIONARY, executor=InlineExecutor(), missing_values="Nowhere=0"))
