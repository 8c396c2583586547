"""The real app in a subprocess, called through gradio_client like an API user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from harness.fixtures import fixture_path


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server.url, verbose=False)


def test_api_lists_stable_endpoints(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/parse_dictionary", "/profile"} <= names


def test_parse_dictionary_returns_schema_and_downloads(client):
    path = fixture_path("house-prices", "data_description.txt")
    status, table, schema, schema_file, csv_file, job = client.predict(
        handle_file(str(path)), False, api_name="/parse_dictionary")
    assert job["format"] == "text" and job["llm"] is None
    assert "79 fields" in status
    names = [f["name"] for f in schema["fields"]]
    assert names[0] == "MSSubClass" and "SaleCondition" in names
    alley = next(f for f in schema["fields"] if f["name"] == "Alley")
    assert {"value": "NA", "label": "No alley access"} in alley["categories"]
    assert table["headers"][0] == "name" and table["data"][0][0] == "MSSubClass"
    with open(schema_file, encoding="utf-8") as fh:
        assert json.load(fh)["fields"][0]["name"] == "MSSubClass"
    with open(csv_file, encoding="utf-8") as fh:
        assert fh.readline().startswith("name,title,description,type")


def test_a_long_pdf_parses_through_the_streaming_path(client):
    """The 90-page PDF goes the streamed way (a worker of its own, fields sent as they come).
    How many partial results reach the client depends on how fast the machine parses it
    against the 0.2 s batch: that every page's fields stream is tested without timing in
    tests/unit/test_pipeline.py; here, that whatever comes before the final result is a
    partial one, and the final result is whole."""
    path = fixture_path("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")
    job = client.submit(handle_file(str(path)), False, api_name="/parse_dictionary")
    final = job.result(timeout=120)
    outputs = job.outputs()
    assert outputs and outputs[-1][0] == final[0] and "fields so far" not in final[0]
    assert all("fields so far" in out[0] for out in outputs[:-1])
    assert len(final[2]["fields"]) > 400


def test_profile_returns_columns(client):
    path = fixture_path("country-codes", "country-codes.csv")
    status, columns, profile, profile_file, _sheet = client.predict(
        handle_file(str(path)), None, api_name="/profile")
    assert profile["rows"] == 249
    by_name = {c["name"]: c for c in profile["columns"]}
    assert by_name["ISO3166-1-Alpha-2"]["missing"] == 0  # "NA" is Namibia, not a missing value
    with open(profile_file, encoding="utf-8") as fh:
        assert json.load(fh)["rows"] == 249


def test_bad_input_gets_a_clear_error(client, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 3)
    with pytest.raises(Exception) as info:
        client.predict(handle_file(str(junk)), False, api_name="/parse_dictionary")
    assert "No field definitions could be recognised" in str(info.value)
    # the server survived and still answers
    status, *_ = client.predict(handle_file(str(fixture_path("house-prices", "data_description.txt"))),
                                False, api_name="/parse_dictionary")
    assert "79 fields" in status


def test_rest_api_cannot_bypass_the_queue(app_server):
    import urllib.error
    import urllib.request

    req = urllib.request.Request(app_server.url + "gradio_api/run/profile",
                                 data=b'{"data": [null, null]}',
                                 headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 404


def test_no_unauthenticated_monitoring_dashboard(app_server):
    """Gradio's monitoring summary (function names, call counts, timings) is not served: the
    app launches without the dashboard (and keeps no event records for it)."""
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(app_server.url + "monitoring/summary", timeout=10)
    assert info.value.code == 403


def test_llm_option_without_provider_says_so_and_keeps_rules(client):
    path = fixture_path("gss-happiness-extract", "GSS.sps")
    status, table, schema, _, _, job = client.predict(handle_file(str(path)), True,
                                                      api_name="/parse_dictionary")
    assert len(schema["fields"]) == 9
    assert "OPENAI_BASE_URL" in job["llm"]["error"] and "OPENAI_BASE_URL" in status


def _violations(report: dict, field: str) -> dict:
    entry = next(f for f in report["fields"] if f["name"] == field)
    return {v["kind"]: v for v in entry["violations"]}


def test_analyze_house_prices_against_its_description(client):
    data = fixture_path("house-prices", "train.csv")
    dictionary = fixture_path("house-prices", "data_description.txt")
    report_md, fields, matching, preview, *plots, files, report = client.predict(
        handle_file(str(data)), handle_file(str(dictionary)), "", api_name="/analyze")
    assert report["rows"] == 1460
    zoning = _violations(report, "MSZoning")["category"]
    assert zoning["count"] == 10 and zoning["rows"][0] == 31  # `C (all)` is not in the list
    pairs = {row[0]: row[1] for row in matching["data"]}
    assert pairs["BedroomAbvGr"] == "Bedroom" and pairs["Id"] == ""
    names = sorted(Path(f).name for f in files)
    assert "train.report.html" in names and "train.flagged.xlsx" in names
    assert plots[0] is not None  # the violations overview chart


def test_analyze_accepts_a_mapping(client):
    data = fixture_path("house-prices", "train.csv")
    dictionary = fixture_path("house-prices", "data_description.txt")
    *_, report = client.predict(handle_file(str(data)), handle_file(str(dictionary)),
                                '{"BedroomAbvGr": ""}', api_name="/analyze")
    bedroom = next(f for f in report["fields"] if f["name"] == "Bedroom")
    assert not bedroom["column"]  # the user unpaired it


def test_the_dictionary_parsed_in_a_session_serves_its_checks(app_server):
    """Parse once; analyze and profile in the same session then use that dictionary."""
    client = Client(app_server.url, verbose=False)
    data = fixture_path("house-prices", "train.csv")
    client.predict(handle_file(str(fixture_path("house-prices", "data_description.txt"))),
                   False, api_name="/parse_dictionary")
    report_md, *_, report = client.predict(handle_file(str(data)), None, "",
                                           api_name="/analyze")
    assert "parsed in this session" in report_md
    assert _violations(report, "MSZoning")["category"]["count"] == 10
    *_, profile, _, _ = client.predict(handle_file(str(data)), None, api_name="/profile")
    assert profile["rows"] == 1460


def test_downloads_are_served_from_where_they_were_written(app_server):
    """Downloads are written inside Gradio's cache (GRADIO_TEMP_DIR), which serves its files as
    they are: one written elsewhere was hashed and copied there first, on the serving thread."""
    raw = Client(app_server.url, verbose=False, download_files=False)
    out = raw.predict(handle_file(str(fixture_path("house-prices", "data_description.txt"))),
                      False, api_name="/parse_dictionary")
    for sent in out[3:5]:
        path = Path(sent["path"])
        assert path.parent.parent.name == "codebook-downloads", path
        assert path.parent.parent.parent.name == "gradio", path   # the fixture's GRADIO_TEMP_DIR
        assert path.name in ("data_description.schema.json", "data_description.fields.csv")
