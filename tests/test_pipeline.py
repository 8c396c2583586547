"""engine.pipeline: the jobs' events, in order, run on the inline executor (the LLM jobs against
the simulator on loopback); a job ends with exactly one of Final, Cancelled, Failed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from conftest import fixture_path
from engine.errors import InputError
from engine.llm import Limits, LLMService, OpenAIBackend, Provider, RetryPolicy
from engine.llm.cache import ChunkCache
from engine.pipeline import (Cancelled, ChunkDone, Failed, Final, InlineExecutor, Parsed,
                             PartialFields, Started, Warning, analyze_job, parse_job,
                             profile_job, run_job)
from engine.pipeline.steps import parse_file
from simulator import run_in_thread

DICTIONARY = fixture_path("house-prices", "data_description.txt")
KEY = "sk-test-pipeline"


def events_of(job) -> list:
    async def collect():
        return [event async for event in job]
    return asyncio.run(collect())


def kinds(events: list) -> list[str]:
    return [type(e).__name__ for e in events]


def test_a_small_dictionary_parses_in_one_step_with_its_downloads(tmp_path):
    events = events_of(parse_job(DICTIONARY, executor=InlineExecutor(),
                                 outdir=lambda: tmp_path))
    assert kinds(events) == ["Started", "Parsed", "Final"]
    started, parsed, final = events
    assert started == Started("parse", "data_description.txt", llm=False)
    assert (parsed.format, parsed.count, parsed.llm_follows) == ("text", 79, False)
    assert parsed.outputs is final.outputs and len(final.outputs.table) == 79
    schema_json, fields_csv = map(Path, final.outputs.downloads)
    assert schema_json.parent == tmp_path and fields_csv.exists()
    assert json.loads(schema_json.read_text()) == final.outputs.descriptor
    assert final.schema().to_descriptor() == parse_file(DICTIONARY).schema.to_descriptor()


def test_the_command_line_form_makes_no_outputs():
    final = run_job(parse_job(DICTIONARY, executor=InlineExecutor(), outputs=False))
    assert final.outputs is None and len(final.source.fields) == 79


def test_a_long_pdf_streams_its_fields_page_by_page():
    path = fixture_path("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")
    events = events_of(parse_job(path, executor=InlineExecutor()))
    partial = [e for e in events if isinstance(e, PartialFields)]
    assert kinds(events)[0] == "Started" and kinds(events)[-2:] == ["Parsed", "Final"]
    assert partial and all(e.progress and e.progress[1] > 1 for e in partial)
    counts = [e.count for e in partial]
    assert counts == sorted(counts) and len(partial[-1].table()) == counts[-1]
    assert events[-1].outputs.descriptor["fields"]


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


def test_an_llm_asked_for_but_not_configured_keeps_the_rules_and_says_so():
    events = events_of(parse_job(DICTIONARY, executor=InlineExecutor(), use_llm=True))
    assert kinds(events) == ["Started", "Parsed", "Warning", "Final"]
    assert events[2].kind == "no-provider" and "OPENAI_API_KEY" in events[2].message
    assert events[-1].llm_unavailable == events[2].message
    assert events[-1].outputs.descriptor is not None     # the rules' result, complete


def test_a_job_that_fails_ends_with_failed_and_raises_nothing(tmp_path):
    events = events_of(parse_job(tmp_path / "missing.txt", executor=InlineExecutor()))
    assert kinds(events) == ["Started", "Failed"]
    assert isinstance(events[-1].error, InputError) and events[-1].stage == "rules"
    with pytest.raises(InputError, match="not found"):
        run_job(parse_job(tmp_path / "missing.txt", executor=InlineExecutor()))


def test_profile_and_analysis_jobs_present_their_result_where_it_was_made(tmp_path):
    data = fixture_path("house-prices", "train.csv")
    final = run_job(profile_job(data, executor=InlineExecutor(), outdir=lambda: tmp_path,
                                present=lambda result: ("shown", result.download)))
    assert final.job == "profile" and final.value == ("shown", str(tmp_path /
                                                                   "train.profile.json"))
    events = events_of(analyze_job(data, DICTIONARY, '{"BedroomAbvGr": "Bedroom"}',
                                   executor=InlineExecutor(), outdir=lambda: tmp_path / "a"))
    assert kinds(events)[0] == "Started" and kinds(events)[-1] == "Final"
    analyzed = events[-1].value
    assert analyzed.analysis.report["rows"] == 1460
    assert {"report_json", "flagged_xlsx"} <= set(analyzed.downloads)
    assert [e.message for e in events if isinstance(e, Warning)] == analyzed.analysis.warnings


def test_an_analysis_shows_its_report_before_writing_its_downloads(tmp_path):
    data = fixture_path("house-prices", "train.csv")
    seen: list[tuple[str, int]] = []        # each event, and the files written by then
    final = run_job(analyze_job(data, DICTIONARY, executor=InlineExecutor(),
                                outdir=lambda: tmp_path, missing_values="NA"),
                    on_event=lambda e: seen.append((type(e).__name__,
                                                    len(list(tmp_path.iterdir())))))
    names = [name for name, _ in seen]
    checked = names.index("Checked")
    assert names[0] == "Started" and names[checked + 1:] == ["DownloadWritten"] * 11 + ["Final"]
    assert seen[checked][1] == 0 and seen[-1][1] == 11    # the report came before any file
    assert list(final.value.downloads)[:3] == ["report_json", "report_md", "report_html"]
    assert final.value.analysis.markers.every == ("NA",)
    bad = events_of(analyze_job(data, DICTIONARY, executor=InlineExecutor(),
                                missing_values="NA,,"))
    assert kinds(bad) == ["Started", "Failed"] and "Missing values" in str(bad[-1].error)


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
