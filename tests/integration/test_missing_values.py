"""Missing-value markers declared by the user (issue #20): the text form, how they are written
into a Table Schema (v2: a field's own list replaces the schema's), and their effect on a check
of house-prices, whose LotFrontage holds 259 'NA' cells against an integer/number type."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness.fixtures import fixture_path
from engine.analyze import analyze_files
from engine.errors import InputError
from engine.markers import Markers, combine, parse_markers
from engine.model import Category, Field, Schema

ROOT = Path(__file__).resolve().parent.parent
DATA = fixture_path("house-prices", "train.csv")
DICTIONARY = fixture_path("house-prices", "data_description.txt")


# ---- the text form ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, every, fields", [
    ("NA,NULL", ("NA", "NULL"), {}),
    ("LotFrontage=NA", (), {"LotFrontage": ("NA",)}),
    ("NA, NULL; Age=-9,999 ; Age=0", ("NA", "NULL"), {"Age": ("-9", "999", "0")}),
    ('"a,b"; Note="x;y=z"', ("a,b",), {"Note": ("x;y=z",)}),
    ('""', ("",), {}),
    ("", (), {}),
])
def test_the_text_form(text, every, fields):
    markers = parse_markers(text)
    assert markers == Markers(every, fields)
    assert parse_markers(markers.text()) == markers


@pytest.mark.parametrize("bad", ["NA,,NULL", "=NA", "Age=", "a=b=c", '"NA', "NA;Age=1=2"])
def test_malformed_text_is_an_input_error(bad):
    with pytest.raises(InputError, match="Missing values"):
        parse_markers(bad)


def test_lists_dicts_and_repeated_options_combine():
    assert combine(["NA"], {"*": ["."], "Age": [-9]}, "NULL; Age=-9") == \
        Markers(("NA", ".", "NULL"), {"Age": ("-9",)})


# ---- written into the schema ------------------------------------------------------------------
def _schema() -> Schema:
    return Schema([Field("Alley", categories=[Category("NA", "No alley access")]),
                   Field("Lot", type="integer"),
                   Field("q", missing_values=[Category("9", "Refused")])])


def test_markers_for_every_field_follow_table_schema_v2():
    d = _schema().with_missing_values(["NA", "NULL"]).to_descriptor()
    assert d["missingValues"] == ["", "NA", "NULL"]
    alley, lot, q = d["fields"]
    assert alley["missingValues"] == ["", "NULL"]        # its code NA stays a code
    assert "missingValues" not in lot                     # the schema's list applies
    assert [m["value"] for m in q["missingValues"]] == ["9", "NA", "NULL"]   # its own list
    assert _schema().to_descriptor().get("missingValues") is None      # a new Schema


def test_markers_for_one_field_start_from_the_schemas_list():
    schema = _schema().with_missing_values(fields={"Lot": ["-9"]})
    assert schema.field("Lot").to_descriptor()["missingValues"] == ["", "-9"]
    assert schema.missing_values is None
    with pytest.raises(InputError, match="did you mean 'Lot'"):
        _schema().with_missing_values("Lott=-9")
    assert _schema().with_missing_values("Lott=-9", strict=False).to_descriptor() == \
        _schema().to_descriptor()


def test_declared_na_removes_lotfrontages_type_violations():
    def violations(**options) -> dict:
        report = analyze_files(DATA, DICTIONARY, **options).report
        return {f["name"]: sum(v["count"] for v in f["violations"]) for f in report["fields"]}

    before = violations()
    assert before["LotFrontage"] == 259 and before["MasVnrArea"] == 8
    every = violations(missing_values="NA")
    assert every["LotFrontage"] == 0 and every["MasVnrArea"] == 0
    one = violations(missing_values="LotFrontage=NA")
    assert one["LotFrontage"] == 0 and one["MasVnrArea"] == 8
    lot = next(f for f in analyze_files(DATA, DICTIONARY, missing_values="NA").report["fields"]
               if f["name"] == "LotFrontage")
    assert lot["missing"]["count"] == 259


def test_markers_without_a_dictionary_are_left_out_of_the_inferred_types(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("n\n1\nNA\n3\n4\n5\n")
    assert analyze_files(data).schema.field("n").type == "string"
    a = analyze_files(data, missing_values="NA")
    assert a.schema.field("n").type == "integer" and a.report["summary"]["violations"] == 0


# ---- the command line ---------------------------------------------------------------------------
def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


def _lot(report: dict) -> dict:
    return next(f for f in report["fields"] if f["name"] == "LotFrontage")


def test_cli_analyze_missing_values():
    base = ["analyze", str(DATA), "--dictionary", str(DICTIONARY)]
    r = run(*base, "--missing-values", "NA")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert _lot(report)["violations"] == [] and report["dictionary"]["missing_values_declared"] \
        == "NA"
    r = run(*base, "--missing-values", "LotFrontage=NA", "--missing-values", "MasVnrArea=NA")
    report = json.loads(r.stdout)
    assert _lot(report)["violations"] == []
    assert report["summary"]["violations"] == 742 - 259 - 8
    bad = run(*base, "--missing-values", "LotFrontag=NA")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()]
    assert "did you mean 'LotFrontage'" in bad.stderr


def test_cli_parse_writes_missing_values_into_the_schema():
    r = run("parse", str(DICTIONARY), "--missing-values", "NA; LotFrontage=-1")
    assert r.returncode == 0, r.stderr
    schema = json.loads(r.stdout)
    assert schema["missingValues"] == ["", "NA"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["LotFrontage"]["missingValues"] == ["", "NA", "-1"]
    assert fields["Alley"]["missingValues"] == [""]       # NA = "No alley access" is a code
    assert "--missing-values" in run("parse", "--help").stdout


def test_cli_checks_an_edited_schema(tmp_path):
    """An edited Table Schema is a dictionary like any other: what it says is what is checked."""
    schema = json.loads(run("parse", str(DICTIONARY)).stdout)
    fields = {f["name"]: f for f in schema["fields"]}
    fields["LotFrontage"]["missingValues"] = ["", "NA"]
    fields["LotArea"]["constraints"] = {"maximum": 10000}
    edited = tmp_path / "edited.schema.json"
    edited.write_text(json.dumps(schema))
    r = run("analyze", str(DATA), "--dictionary", str(edited))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert _lot(report)["violations"] == []
    area = next(f for f in report["fields"] if f["name"] == "LotArea")
    assert {v["kind"]: v["count"] for v in area["violations"]} == {"maximum": _above(10000)}


def _above(limit: int) -> int:
    import csv

    with open(DATA, newline="") as fh:
        return sum(1 for row in csv.DictReader(fh) if int(row["LotArea"]) > limit)
