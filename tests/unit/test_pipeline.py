"""engine.pipeline: the jobs' events, in order, run on the inline executor; a job ends with
exactly one of Final, Cancelled, Failed (the LLM jobs against the simulator:
tests/integration/test_pipeline_llm.py)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from engine.errors import InputError
from engine.pipeline import (InlineExecutor, PartialFields, Started, Warning, analyze_job,
                             parse_job, profile_job, run_job)
from engine.pipeline import steps
from engine.pipeline.steps import parse_file
from harness.fixtures import fixture_path

DICTIONARY = fixture_path("house-prices", "data_description.txt")


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


def test_a_long_pdf_streams_its_fields_page_by_page(monkeypatch):
    """(Fields are sent at most every BATCH_SECONDS: at 0 every new field is sent, so the
    stream does not depend on how fast this machine parses the 90 pages.)"""
    monkeypatch.setattr(steps, "BATCH_SECONDS", 0.0)
    path = fixture_path("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")
    events = events_of(parse_job(path, executor=InlineExecutor()))
    partial = [e for e in events if isinstance(e, PartialFields)]
    assert kinds(events)[0] == "Started" and kinds(events)[-2:] == ["Parsed", "Final"]
    assert partial and all(e.progress and e.progress[1] > 1 for e in partial)
    pages = [e.progress[0] for e in partial]
    assert pages == sorted(pages) and len(set(pages)) > 10      # page after page
    counts = [e.count for e in partial]
    assert counts == sorted(counts) and len(partial[-1].table()) == counts[-1]
    assert events[-1].outputs.descriptor["fields"]


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


def test_a_compressed_file_is_scheduled_by_what_is_inside(tmp_path):
    """A gzipped or zipped PDF gets a worker of its own as the PDF would; a small .csv.gz that
    unpacks past the heavy size too (its size from the gzip trailer / ZIP directory)."""
    import gzip
    import zipfile

    from engine.formats import expanded
    from engine.pipeline import file_work, is_quick
    from engine.pipeline.parse import HEAVY_BYTES

    body = b"%PDF-1.4 " + b"x" * 1000
    gz_pdf = tmp_path / "codebook.pdf.gz"
    gz_pdf.write_bytes(gzip.compress(body))
    zipped = tmp_path / "codebook.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("docs/codebook.pdf", body)
    big = tmp_path / "data.csv.gz"
    big.write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * (HEAVY_BYTES // 4 + 1)))
    small = tmp_path / "data.csv.gz"
    assert expanded(gz_pdf) == ("codebook.pdf", len(body))
    assert expanded(zipped) == ("codebook.pdf", len(body))
    assert file_work(gz_pdf).heavy and file_work(zipped).heavy and not is_quick(gz_pdf)
    assert big.stat().st_size < HEAVY_BYTES < expanded(big)[1] and file_work(big).heavy
    small.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert expanded(small)[0] == "data.csv" and not file_work(small).heavy and is_quick(small)
    plain = tmp_path / "dictionary.csv"
    plain.write_text("name,description\nage,Age\n")
    assert expanded(plain) == ("dictionary.csv", plain.stat().st_size)
