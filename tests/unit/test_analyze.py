"""analyze_files on the real pairs of the corpus and on bad input.

Every count below was checked by hand against the files (awk / csv counts of the raw data).

Edge fixtures (tests/fixtures/edge/):
- check_nyc_taxi_rate99.csv: the header and 8 real rows of the full NYC taxi sample (its first
  3 rows and rows 25,333-25,337), one of which has the undocumented RatecodeID 99 (row 6).
- check_redcap_dictionary.csv + check_redcap_data.csv: a small REDCap project with branching
  logic (`[sex] = '2' and [age] >= 12`, `[race(4)] = '1'`, `<>`), a checkbox field, required
  fields, and one logic expression we cannot evaluate (datediff with ';').
- check_fhir_data.csv: six answers to the fhir-questionnaire example, with enableWhen broken
  on purpose (values where the question is hidden, required answers missing where shown).
- check_header_only.csv: a header and no rows.  check_no_shared.csv: columns unrelated to
  check_seeded.schema.json.  check_mixed.csv: numbers and words in one column.
  check_contradictory.schema.json: minimum above maximum, one code with two labels.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from harness.fixtures import fixture_path
from engine.analyze import analyze_files, analyze_table
from engine.errors import InputError


def _field(analysis, name: str) -> dict:
    return next(f for f in analysis.to_dict()["fields"] if f["name"] == name)


def _kinds(field: dict) -> dict[str, dict]:
    return {v["kind"] if v["kind"] != "logic" else f"logic:{v['rule']}": v
            for v in field["violations"]}


def _top(violation: dict) -> dict[str, int]:
    return {t["value"]: t["count"] for t in violation["top_values"]}


# ---- real pairs --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def house():
    return analyze_files(fixture_path("house-prices", "train.csv"),
                         fixture_path("house-prices", "data_description.txt"))


def test_house_prices_matching(house):
    pairs = {p["column"]: p for p in house.to_dict()["matching"]["pairs"]}
    assert pairs["BedroomAbvGr"]["field"] == "Bedroom"
    assert pairs["KitchenAbvGr"]["field"] == "Kitchen"
    assert house.to_dict()["unmatched_columns"] == ["Id", "SalePrice"]


def test_house_prices_codes_missing_from_the_lists(house):
    mszoning = _kinds(_field(house, "MSZoning"))["category"]
    assert (mszoning["count"], _top(mszoning)) == (10, {"C (all)": 10})
    assert mszoning["rows"] == [31, 89, 94, 496, 558, 712, 813, 917, 1062, 1280]
    assert _top(_kinds(_field(house, "Neighborhood"))["category"]) == {"NAmes": 225}
    bldg = _kinds(_field(house, "BldgType"))["category"]
    assert (bldg["count"], _top(bldg)) == (126, {"Duplex": 52, "Twnhs": 43, "2fmCon": 31})
    ext = _kinds(_field(house, "Exterior2nd"))["category"]
    assert (ext["count"], _top(ext)) == (105, {"CmentBd": 60, "Wd Shng": 38, "Brk Cmn": 7})
    brk = house.result.field("Exterior2nd").violations[0]
    assert [int(r) + 1 for r in brk.rows if house.table["Exterior2nd"][int(r)].as_py()
            == "Brk Cmn"] == [196, 411, 505, 676, 963, 1001, 1161]


def test_house_prices_na_category_and_na_marker(house):
    # 'NA' means "No alley access" in Alley's code list: 1,369 rows, all valid
    assert _field(house, "Alley")["violations"] == []
    # in LotFrontage the dictionary does not declare NA: 259 type errors, with a hint
    lot = _kinds(_field(house, "LotFrontage"))["type"]
    assert lot["count"] == 259 and "looks like a missing-value marker" in lot["message"]
    assert house.to_dict()["summary"]["fields_with_problems"] == 8


def test_nyc_taxi_undocumented_rate_code():
    a = analyze_files(fixture_path("edge", "check_nyc_taxi_rate99.csv"),
                      fixture_path("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf"))
    rate = _field(a, "RateCodeID")
    assert rate["column"] == "RatecodeID" and rate["match"]["method"] == "normalized"
    assert [(v["kind"], v["rows"], v["values"]) for v in rate["violations"]] == [
        ("category", [6], ["99"])]
    assert a.to_dict()["summary"]["fields_with_problems"] == 1


def test_heart_disease_question_marks_and_num_codes():
    a = analyze_files(fixture_path("uci-heart-disease", "processed.cleveland.data"),
                      fixture_path("uci-heart-disease", "heart-disease.names"))
    ca, thal, num = _field(a, "ca"), _field(a, "thal"), _field(a, "num")
    assert ca["missing"]["codes"][0] | {} == {"value": "?", "label": None, "count": 4,
                                             "percent": 1.32}
    assert thal["missing"]["count"] == 2 and ca["violations"] == [] == thal["violations"]
    # documented as 0/1, the data has 0-4: 36 + 35 + 13 rows hold 2, 3, 4
    cat = _kinds(num)["category"]
    assert (cat["count"], _top(cat)) == (84, {"2": 36, "3": 35, "4": 13})
    assert cat["rows"][:3] == [2, 7, 9]
    assert _field(a, "sex")["violations"] == []            # '1.0' is code '1'


def test_gss_fixed_width_with_spss_setup():
    a = analyze_files(fixture_path("gss-happiness-extract", "GSS.dat"),
                      fixture_path("gss-happiness-extract", "GSS.sps"))
    assert a.to_dict()["rows"] == 2538
    hapmar = {m["value"]: (m["label"], m["count"]) for m in _field(a, "HAPMAR")["missing"]["codes"]}
    assert hapmar == {"0": ("Not applicable", 1376), "8": ("Don't know", 2),
                      "9": ("No answer", 5)}
    income = {m["value"]: m["count"] for m in _field(a, "INCOME06")["missing"]["codes"]}
    assert income == {"26": 126, "98": 98}
    assert a.to_dict()["summary"]["violations"] == 0


def test_value_labels_on_a_measure_leave_its_other_values_alone(tmp_path):
    """SPSS value labels on a few values of an age or a count are no list of its values: only
    values that are not numbers (and missing codes) are reported; a closed list still is."""
    setup = tmp_path / "survey.sps"
    setup.write_text(
        "DATA LIST FILE='survey.dat' /ID 1-4 AGE 5-6 KIDS 7-8 SEX 9 INCOME 10-16.\n"
        "VARIABLE LABELS AGE 'Age in years' /KIDS 'Number of children' /SEX 'Sex'.\n"
        "VALUE LABELS AGE 95 '95 or older' /KIDS 0 'None' 8 'Eight or more'\n"
        " /SEX 1 'Male' 2 'Female' /INCOME 9999998 'Refused' 9999999 \"Don't know\".\n"
        "MISSING VALUES INCOME (9999998, 9999999).\n")
    data = tmp_path / "survey.csv"
    data.write_text("ID,AGE,KIDS,SEX,INCOME\n1,34,2,1,50000\n2,95,0,2,9999999\n"
                    "3,61,3,3,72000\n4,1x,1,1,9999998\n")
    a = analyze_files(data, setup)
    assert {k: v["values"] for k, v in _kinds(_field(a, "AGE")).items()} == {"type": ["1x"]}
    assert _field(a, "KIDS")["violations"] == []
    assert {k: v["values"] for k, v in _kinds(_field(a, "SEX")).items()} == {"category": ["3"]}
    assert {m["value"] for m in _field(a, "INCOME")["missing"]["codes"]} == {"9999998", "9999999"}


def test_redcap_branching_logic_on_a_hand_made_project():
    a = analyze_files(fixture_path("edge", "check_redcap_data.csv"),
                      fixture_path("edge", "check_redcap_dictionary.csv"))
    preg = _kinds(_field(a, "pregnant"))
    # shown only for women of 12+: a value for a man (row 2), a girl of 8 (row 4) and a woman
    # of unknown age (row 8); missing for a woman of 30 (row 3)
    assert preg["logic:present_when_hidden"]["rows"] == [2, 4, 8]
    assert preg["logic:required_when_shown"]["rows"] == [3]
    other = _kinds(_field(a, "race_other"))
    assert other["logic:present_when_hidden"]["values"] == ["Pacific"]
    assert other["logic:required_when_shown"]["rows"] == [6]
    assert _kinds(_field(a, "packs_day"))["logic:present_when_hidden"]["rows"] == [7]
    race = _field(a, "race")
    assert race["column"] == "race___1, race___2, race___3, race___4"
    assert [(v["column"], v["rows"], v["values"]) for v in race["violations"]] == [
        ("race___4", [8], ["2"])]
    note = _field(a, "visit_note")
    assert note["status"] == "warn" and "could not be parsed" in note["notes"][0]
    assert _kinds(_field(a, "age"))["required"]["rows"] == [8]


def test_fhir_enable_when_on_a_hand_made_dataset():
    a = analyze_files(fixture_path("edge", "check_fhir_data.csv"),
                      fixture_path("fhir-questionnaire", "fhir_questionnaire_with_logic.json"))
    found = {(f["name"], k): v["rows"] for f in a.to_dict()["fields"]
             for k, v in _kinds(f).items()}
    assert found == {
        ("age", "minimum"): [6],
        ("pregnant", "logic:present_when_hidden"): [2],
        ("pregnant", "logic:required_when_shown"): [3],
        ("weeks_pregnant", "logic:present_when_hidden"): [4],
        ("dosage_mg", "logic:present_when_hidden"): [6],
        ("dosage_mg", "logic:required_when_shown"): [3],
        ("diabetes_type", "logic:present_when_hidden"): [5],
        ("diabetes_type", "logic:required_when_shown"): [4],
        ("lab_glucose", "logic:required_when_shown"): [4],
        ("ae_description", "logic:present_when_hidden"): [6],
        ("ae_description", "logic:required_when_shown"): [4],
    }


# ---- starter dictionary, mapping, downloads ----------------------------------------------------
def test_starter_dictionary_round_trip(tmp_path):
    a = analyze_files(fixture_path("edge", "check_seeded.csv"))
    d = a.to_dict()
    assert d["dictionary"]["inferred"]
    fields = {f.name: f for f in a.schema.fields}
    assert fields["sex"].type == "integer"
    assert [c.value for c in fields["sex"].categories] == ["1", "2", "3", "7", "9"]
    assert fields["age"].constraints == {"minimum": -3, "maximum": 150, "required": True}
    assert fields["visit"].type == "string"        # 22 of 24 dates: below the 95% bar
    assert fields["visit"].description.startswith("Mixed types: 22 of 24 values are dates")
    # a type that fits 95% of a column is kept; the rest are reported
    found = {(f["name"], v["kind"]): v["values"] for f in d["fields"] for v in f["violations"]}
    assert found == {("age", "type"): ["forty"], ("height", "type"): ["tall"],
                     ("smoker", "type"): ["maybe"], ("zip", "type"): ["ABCDE"]}
    paths = a.write_downloads(tmp_path)
    assert paths["schema_json"].name == "check_seeded.starter.schema.json"
    again = analyze_files(fixture_path("edge", "check_seeded.csv"), paths["schema_json"])
    assert not again.to_dict()["dictionary"]["inferred"]
    assert {(f["name"], v["kind"]): v["values"] for f in again.to_dict()["fields"]
            for v in f["violations"]} == found


def test_starter_keeps_codes_with_leading_zeros_as_text():
    import pyarrow as pa

    a = analyze_table(pa.table({"zip": ["01234", "35762", "99501"], "n": ["1", "2", "3"]}))
    assert [f.type for f in a.schema.fields] == ["string", "integer"]


def test_labels_stored_in_a_sav_file_make_the_starter():
    """edge/data_labels.sav (the readers' fixture): value labels and missing codes inside."""
    a = analyze_files(fixture_path("edge", "data_labels.sav"))
    happy = a.schema.field("happy")
    assert [c.text() for c in happy.categories] == ["1=Very happy", "2=Pretty happy",
                                                    "3=Not too happy"]
    assert [m["value"] for m in _field(a, "happy")["missing"]["codes"]] == ["8", "9"]
    preview = a.preview(5)
    assert preview["sex"].tolist()[:2] == ["Male", "Female"]
    assert preview["score"].tolist()[1] == "Skipped"


def test_mapping_overrides_the_matching():
    a = analyze_files(fixture_path("house-prices", "train.csv"),
                      fixture_path("house-prices", "data_description.txt"),
                      mapping={"BedroomAbvGr": None, "KitchenAbvGr": "Bedroom"})
    pairs = {p["column"]: (p["field"], p["method"]) for p in a.to_dict()["matching"]["pairs"]}
    assert pairs["KitchenAbvGr"] == ("Bedroom", "mapping")
    table = {row[0]: row for row in a.matching_table()}
    assert table["BedroomAbvGr"] == ["BedroomAbvGr", "", "unmatched", 0.0]
    assert table["KitchenAbvGr"] == ["KitchenAbvGr", "Bedroom", "mapping", 1.0]
    # the table, edited, goes back in as a mapping
    again = analyze_files(fixture_path("house-prices", "train.csv"),
                          fixture_path("house-prices", "data_description.txt"),
                          mapping=[[r[0], r[1]] for r in a.matching_table()])
    assert again.matching.mapping() == a.matching.mapping()
    rows = {row[0]: row for row in again.fields_table()}
    assert rows["MSSubClass"][:4] == ["MSSubClass", "MSSubClass", "integer", "pass"]
    assert "BedroomAbvGr" in a.to_dict()["unmatched_columns"]
    assert "Kitchen" in a.to_dict()["unmatched_fields"]
    with pytest.raises(InputError, match="not in the data"):
        analyze_files(fixture_path("house-prices", "train.csv"),
                      fixture_path("house-prices", "data_description.txt"),
                      mapping='{"Bedrooms": "Bedroom"}')


# ---- bad input ---------------------------------------------------------------------------------
def test_empty_file_is_an_input_error(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        analyze_files(empty, fixture_path("edge", "check_seeded.schema.json"))


def test_header_only_dataset_gives_a_report():
    a = analyze_files(fixture_path("edge", "check_header_only.csv"),
                      fixture_path("edge", "check_seeded.schema.json"))
    d = a.to_dict()
    assert d["rows"] == 0
    assert d["summary"]["verdict"] == "the data has 0 rows, fewer than the 1 expected."
    assert "<svg" in a.to_html() and "0 rows" in a.to_markdown()


def test_no_shared_columns_gives_a_clear_report():
    a = analyze_files(fixture_path("edge", "check_no_shared.csv"),
                      fixture_path("edge", "check_seeded.schema.json"))
    d = a.to_dict()
    assert d["matching"]["pairs"] == []
    assert d["summary"]["verdict"] == "No column of the data matches a field of the dictionary."
    assert "pair columns and fields with a mapping" in d["warnings"][-1]
    assert d["unmatched_columns"] == ["colour", "weight", "shape"]


def test_mixed_types_and_contradictory_dictionary():
    starter = analyze_files(fixture_path("edge", "check_mixed.csv"))
    assert any("'value': Mixed types: 8 of 10 values are numbers" in w
               and "'n/a', 'abc'" in w for w in starter.to_dict()["warnings"])
    a = analyze_files(fixture_path("edge", "check_mixed.csv"),
                      fixture_path("edge", "check_contradictory.schema.json"))
    value = _field(a, "value")
    assert _kinds(value)["type"]["values"] == ["n/a", "abc"]
    # the parse reports the contradictions and drops the impossible range: no value is flagged
    # for breaking a minimum above its maximum
    assert "minimum" not in _kinds(value) and "maximum" not in _kinds(value)
    warnings = a.to_dict()["warnings"]
    assert any(w.startswith("value:") and "minimum 100 is above the maximum 10" in w
               for w in warnings)
    assert any(w.startswith("when:") and "2020-01-01" in w and "two labels" in w
               for w in warnings)


def test_thousand_column_dataset(tmp_path):
    rng = np.random.default_rng(11)
    data = rng.integers(0, 9, (50, 1000)).astype(str)
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"v{i}" for i in range(1000)) + "\n" +
                    "\n".join(",".join(row) for row in data) + "\n")
    a = analyze_files(path)
    d = a.to_dict()
    assert d["columns"] == 1000 and len(d["fields"]) == 1000
    assert d["summary"]["violations"] == 0
    assert len(a.figures()) <= 10                       # charts stay bounded
    assert json.loads(a.to_json())["summary"]["fields_in_data"] == 1000


def test_analyze_table_accepts_pandas():
    import pandas as pd

    a = analyze_table(pd.DataFrame({"x": ["1", "2", "2"]}))
    assert a.to_dict()["fields"][0]["type"] == "integer"
