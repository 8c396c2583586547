"""The API's new arguments, through gradio_client on the real app: missing-value markers and
the workbook sheet for /parse_dictionary and /analyze, /analyze's report before its downloads,
an edited schema uploaded back as the dictionary; the outputs clients unpack are unchanged."""

from __future__ import annotations

import json

import pytest
from gradio_client import Client, handle_file

from harness.fixtures import fixture_path

HOUSE_DATA = fixture_path("house-prices", "train.csv")
HOUSE_DICT = fixture_path("house-prices", "data_description.txt")
SCORECARD_DICT = fixture_path("college-scorecard", "CollegeScorecardDataDictionary.xlsx")


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server.url, verbose=False)


def _lot(report: dict) -> dict:
    return next(f for f in report["fields"] if f["name"] == "LotFrontage")


def test_the_endpoints_take_markers_and_sheets_as_optional_arguments(client):
    params = {name: [p["parameter_name"] for p in ep["parameters"]] for name, ep in client.view_api(
        print_info=False, return_format="dict")["named_endpoints"].items()}
    assert params["/parse_dictionary"] == ["file", "use_llm", "missing_values", "sheet"]
    assert params["/analyze"][:4] == ["data_file", "dictionary_file", "mapping",
                                      "missing_values"]
    assert params["/profile"] == ["file", "sheet"]


def test_parse_declares_missing_values_for_the_whole_dictionary(client):
    status, table, schema, schema_file, csv_file, job = client.predict(
        handle_file(str(HOUSE_DICT)), False, "NA, NULL", api_name="/parse_dictionary")
    assert schema["missingValues"] == ["", "NA", "NULL"] and "79 fields" in status
    with open(schema_file, encoding="utf-8") as fh:
        assert json.load(fh)["missingValues"] == ["", "NA", "NULL"]
    assert table["headers"][0] == "name" and len(table["data"]) == 79


def test_parse_reads_the_sheet_asked_for(client):
    *_, job = client.predict(handle_file(str(SCORECARD_DICT)), False,
                             api_name="/parse_dictionary")
    assert any("Pick a sheet" in w for w in job["warnings"])       # every sheet was read
    status, table, schema, *_ , job = client.predict(
        handle_file(str(SCORECARD_DICT)), False, "", "data_dictionary",
        api_name="/parse_dictionary")
    assert not any("Pick a sheet" in w for w in job["warnings"])
    assert len(schema["fields"]) == 1977


def test_analyze_counts_declared_markers_as_missing(client):
    *_, report = client.predict(handle_file(str(HOUSE_DATA)), handle_file(str(HOUSE_DICT)), "",
                                api_name="/analyze")
    assert [v["count"] for v in _lot(report)["violations"]] == [259]
    *_, report = client.predict(handle_file(str(HOUSE_DATA)), handle_file(str(HOUSE_DICT)), "",
                                "NA", api_name="/analyze")
    assert _lot(report)["violations"] == [] and _lot(report)["missing"]["count"] == 259
    assert report["dictionary"]["file"] == "data_description.txt"


def test_analyze_sends_its_report_before_its_downloads(client):
    job = client.submit(handle_file(str(HOUSE_DATA)), handle_file(str(HOUSE_DICT)), "",
                        api_name="/analyze")
    final = job.result(timeout=120)
    outputs = job.outputs()
    assert len(outputs) == 2
    first, last = outputs
    report_md, fields, matching, preview, *charts, files, report = first
    assert files is None and report["summary"]["fields_with_problems"] == 8
    assert report_md.index("**LotFrontage** — type") < report_md.index("passing fields")
    assert len(charts) == 5 and all(c is not None for c in charts)
    assert final[-2] and len(final[-2]) == 11 and final[-1] == report


def test_an_edited_schema_goes_back_in_as_the_dictionary(client, tmp_path):
    *_, schema, _file, _csv, _job = client.predict(handle_file(str(HOUSE_DICT)), False,
                                                   api_name="/parse_dictionary")
    lot = next(f for f in schema["fields"] if f["name"] == "LotFrontage")
    lot["missingValues"] = ["NA"]                        # corrected by hand
    edited = tmp_path / "edited.schema.json"
    edited.write_text(json.dumps(schema))
    *_, report = client.predict(handle_file(str(HOUSE_DATA)), handle_file(str(edited)), "",
                                api_name="/analyze")
    assert _lot(report)["violations"] == [] and report["dictionary"]["format"] == "table-schema"
