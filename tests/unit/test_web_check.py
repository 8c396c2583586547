"""The web side's steps and views: a check hands over its report before it writes its
downloads and takes missing-value markers; the report leads with its problems; the Dataset
tab's charts; workbook sheets; a Gradio cancel that keeps what the job made."""

from __future__ import annotations

import asyncio
import functools
import shutil
from pathlib import Path

import pyarrow as pa

from harness.fixtures import fixture_path
from engine.pipeline import Checked, Failed, Final, InlineExecutor, analyze_job
from engine.formats import sheet_names
from web import steps
from web.jobs import keep_on_cancel
from web.minicharts import column_cards
from web.report_view import report_parts
from web.session import session_dictionary

HOUSE = ("house-prices", "train.csv"), ("house-prices", "data_description.txt")


def _check(tmp_path: Path, markers: str, mapping=None, dictionary=None, **options
           ) -> list[tuple]:
    """The analysis job as the Check tab runs it (web.steps.check_present in the worker): its
    ("view" | "downloads", value, files in the folder then)."""
    data = str(fixture_path(*HOUSE[0]))
    dictionary = dictionary or str(fixture_path(*HOUSE[1]))

    async def run():
        seen = []
        async for event in analyze_job(data, dictionary, mapping, executor=InlineExecutor(),
                                       data_filename="train.csv", missing_values=markers,
                                       outdir=lambda: tmp_path, **options,
                                       present=functools.partial(steps.check_present, plots=5)):
            if isinstance(event, Failed):
                raise event.error
            kind = {Checked: "view", Final: "downloads"}.get(type(event))
            if kind:
                seen.append((kind, event.value, sorted(p.name for p in tmp_path.iterdir())))
        return seen
    return asyncio.run(run())


def test_the_report_comes_before_any_download_is_written(tmp_path):
    (kind, view, files_then), (kind2, downloads, files_after) = _check(tmp_path, "")
    assert kind == "view" and kind2 == "downloads"
    assert not [f for f in files_then if f.startswith("train.")]     # none written yet
    assert len(downloads) == 11 and all(Path(p).exists() for p in downloads)
    assert {"train.labelled.sav", "train.labelled.dta"} <= {Path(p).name for p in downloads}
    assert "train.flagged.xlsx" in files_after
    lot = next(f for f in view.report["fields"] if f["name"] == "LotFrontage")
    assert [(v["kind"], v["count"]) for v in lot["violations"]] == [("type", 259)]
    assert len(view.charts) == 5 and all(uri.startswith("data:image/png;base64,")
                                         for _, uri in view.charts)
    assert view.report["dictionary"]["format"] == "text"


def test_declared_missing_values_clear_the_NA_violations(tmp_path):
    (_, view, _), _ = _check(tmp_path, "NA")
    lot = next(f for f in view.report["fields"] if f["name"] == "LotFrontage")
    assert lot["violations"] == [] and lot["missing"]["count"] == 259
    # the report still names the dictionary as uploaded, read in its own format
    assert view.report["dictionary"]["file"] == "data_description.txt"
    assert view.report["dictionary"]["format"] == "text"


def test_the_session_dictionary_and_a_mapping_are_used(tmp_path):
    from engine.parsers import parse_dictionary
    from engine.pipeline.outputs import compact_schema

    schema = parse_dictionary(fixture_path(*HOUSE[1])).schema
    schema.field("LotArea").type = "string"          # an edit made in the Dictionary tab
    saved = session_dictionary(compact_schema(schema.to_descriptor()), tmp_path / "session")
    (kind, view, _), _ = _check(tmp_path, "", [["Id", "MSSubClass"]], str(saved),
                                dictionary_label="data_description.txt (tab)")
    assert view.report["dictionary"]["file"] == "data_description.txt (tab)"
    assert next(f for f in view.report["fields"] if f["name"] == "LotArea")["type"] == "string"
    pair = next(p for p in view.report["matching"]["pairs"] if p["column"] == "Id")
    assert pair["field"] == "MSSubClass" and pair["method"] == "mapping"


def _report(fields: list[dict], absent: int = 0) -> dict:
    fields = fields + [{"name": f"gone{i}", "column": None, "status": "absent", "verdict": "",
                        "violations": []} for i in range(absent)]
    present = [f for f in fields if f["status"] != "absent"]
    return {"summary": {"verdict": "2 of 3 matched fields have problems.", "rows": 100,
                        "columns": 4, "fields": len(fields), "fields_in_data": len(present),
                        "fields_with_problems": 2, "fields_absent": absent,
                        "columns_unmatched": 1, "violations": 70,
                        "completeness_percent": 99.0},
            "dictionary": {"file": "dict.csv"}, "fields": fields,
            "dataset_checks": [{"kind": "duplicate_rows", "passed": False, "count": 3,
                                "message": "3 duplicate rows"}],
            "unmatched_columns": ["extra"]}


def _violating(name: str, count: int) -> dict:
    return {"name": name, "column": name, "status": "fail", "verdict": "problems",
            "violations": [{"kind": "type", "count": count, "percent": count,
                            "message": f"{count} values not a number", "rows": [3, 5],
                            "values": ["NA", "x|y"]}]}


def test_the_report_leads_with_the_problems_most_rows_first():
    ok = {"name": "fine", "column": "fine", "status": "pass", "verdict": "OK: 100 values.",
          "violations": []}
    parts = report_parts(_report([ok, _violating("small", 10), _violating("big", 60)],
                                 absent=1500))
    head = parts.head
    assert head.index("**big**") < head.index("**small**") < head.index("Dataset — duplicate")
    assert "row 3: `NA`, row 5: `x|y`" in head                   # the evidence
    assert "fine" not in head and parts.passing_count == 1 and "fine" in parts.passing
    assert parts.absent.startswith("**1,500 of 1,503 dictionary fields are not in this "
                                   "dataset.** <details>")
    assert "`extra`" in parts.absent
    whole = parts.markdown()
    assert whole.index("**big**") < whole.index("1 passing fields") < whole.index("1,500 of")


def test_a_clean_report_says_so_without_a_problem_list():
    ok = {"name": "fine", "column": "fine", "status": "pass", "verdict": "OK", "violations": []}
    report = _report([ok])
    report["dataset_checks"] = []
    report["summary"]["fields_with_problems"] = 0
    parts = report_parts(report, tables=["a", "b"])
    assert parts.head.startswith("### ✓") and "Problems" not in parts.head
    assert "describes **2 tables**" in parts.head


def test_column_cards_chart_numbers_as_histograms_and_text_as_top_values():
    from engine.profile import profile_dataset
    from engine.formats import read_dataset

    ds = read_dataset(fixture_path(*HOUSE[0]))
    prof = profile_dataset(ds)
    cards = column_cards(ds.table, prof.columns)
    assert cards.count("class='cb-card'") == 81
    lot = cards[cards.index("title='LotArea'"):]
    lot = lot[:lot.index("class='cb-card'")]
    assert lot.count("rows' style='flex:1") == 24 and "1,300" in lot   # bins, the minimum
    zoning = cards[cards.index("title='MSZoning'"):]
    assert ">RL</span>" in zoning[:2000] and "1,151" in zoning[:2000]


def test_column_cards_escape_what_the_data_says():
    from engine.profile import profile_dataset
    from engine.formats import Dataset

    table = pa.table({"<b>x</b>": ["<script>alert(1)</script>"] * 3 + ["a"]})
    prof = profile_dataset(Dataset(table, "t.csv", "csv"))
    cards = column_cards(table, prof.columns)
    assert "<script>" not in cards and "&lt;script&gt;" in cards and "&lt;b&gt;x" in cards


def test_sheet_names_of_workbooks_and_other_files(tmp_path):
    book = fixture_path("college-scorecard", "CollegeScorecardDataDictionary.xlsx")
    assert sheet_names(str(book)) == ["README", "ChangeLog", "glossary",
                                            "data_dictionary", "cohort_map",
                                            "most_recent_cohort_map"]
    assert sheet_names(str(fixture_path(*HOUSE[1]))) == []
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    assert sheet_names(str(broken)) == []
    copy = tmp_path / "copy.xlsx"
    shutil.copy(book, copy)
    assert len(sheet_names(str(copy))) == 6


async def _job(cancel: asyncio.Event, log: list[str]):
    """A job that stops when `cancel` is set, and says what it kept."""
    step = 0
    try:
        while True:
            step += 1
            yield f"step {step}"
            try:
                await asyncio.wait_for(cancel.wait(), 0.05)
            except TimeoutError:
                continue
            await asyncio.sleep(0.05)                 # writing what it kept
            yield f"cancelled, kept {step}"
            return
    finally:
        log.append("closed")


def test_a_gradio_cancel_becomes_the_jobs_own_and_its_last_events_still_come_out():
    async def main():
        cancel, log, got = asyncio.Event(), [], []

        async def consume():
            async for item in keep_on_cancel(_job(cancel, log), cancel):
                got.append(item)
        task = asyncio.ensure_future(consume())
        while len(got) < 3:
            await asyncio.sleep(0.01)
        task.cancel()                                  # what Gradio's /cancel does
        await asyncio.wait_for(task, 5)                # ends by itself, not cancelled
        return got, log, cancel.is_set(), task.cancelled()

    got, log, was_set, cancelled = asyncio.run(main())
    assert was_set and not cancelled and log == ["closed"]
    assert got[-1].startswith("cancelled, kept ") and got[-2].startswith("step ")


def test_a_consumer_that_leaves_stops_the_job():
    async def main():
        cancel, log = asyncio.Event(), []
        events = keep_on_cancel(_job(cancel, log), cancel)
        assert await anext(events) == "step 1"
        await events.aclose()
        await asyncio.sleep(0.05)
        return log, cancel.is_set()

    log, was_set = asyncio.run(main())
    assert log == ["closed"] and not was_set
