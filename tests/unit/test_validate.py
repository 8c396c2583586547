"""Vectorised validation: every kind of violation, missing codes apart, dataset checks.

Edge fixtures (tests/fixtures/edge/):
- check_seeded.csv + check_seeded.schema.json: 24 rows with one or two seeded errors of each
  kind (type, minimum, maximum, enum, required, unique, pattern, min/maxLength, email format,
  a duplicate row) and a '9 = Refused' missing code; also validated by `frictionless`.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from harness.fixtures import fixture_path
from engine.match import match_columns
from engine.model import Category, Field, Schema
from engine.validation import ROW_NUMBERING, validate_table

SEEDED = ("edge", "check_seeded.csv")
SEEDED_SCHEMA = ("edge", "check_seeded.schema.json")


def _strings(*parts: str) -> pa.Table:
    """A CSV fixture read as written: every cell a string, empty cells null."""
    path = fixture_path(*parts)
    names = next(iter(open(path, encoding="utf-8"))).strip().split(",")
    opts = pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                strings_can_be_null=True)
    return pacsv.read_csv(path, convert_options=opts)


def _seeded_schema() -> Schema:
    return Schema.from_descriptor(json.loads(fixture_path(*SEEDED_SCHEMA).read_text()))


def _found(result) -> dict[tuple[str, str], list[int]]:
    """{(field, kind): [1-based rows]} of every violation."""
    return {(f.name, v.kind): [int(r) + 1 for r in v.rows]
            for f in result.fields for v in f.violations}


def _one(values: list, field: Field, **kw):
    t = pa.table({field.name: pa.array(values, pa.string())})
    return validate_table(t, Schema([field], **kw)).fields[0]


# ---- the seeded fixture ---------------------------------------------------------------------
def test_seeded_fixture_every_kind_found_with_rows():
    result = validate_table(_strings(*SEEDED), _seeded_schema())
    assert _found(result) == {
        ("id", "required"): [17], ("id", "unique"): [18, 22],
        ("name", "minLength"): [7], ("name", "maxLength"): [8], ("name", "required"): [16],
        ("age", "type"): [5], ("age", "minimum"): [4], ("age", "maximum"): [3],
        ("height", "type"): [6], ("height", "minimum"): [23], ("height", "maximum"): [19],
        ("sex", "category"): [9, 23],
        ("zip", "pattern"): [10, 11],
        ("visit", "type"): [12, 13],
        ("smoker", "type"): [14],
        ("email", "type"): [15],
    }
    sex = result.field("sex")
    assert sex.violations[0].values == ["3", "7"]
    assert [m.text() for m in sex.missing] == ["(empty) = Empty: 1 rows", "9 = Refused: 1 rows"]
    dup = result.check("duplicate_rows")
    assert (dup.passed, dup.detail["count"], dup.detail["rows"]) == (False, 1, [22])


def test_seeded_fixture_agrees_with_frictionless():
    """frictionless validates our written Table Schema on the same file: same rows per kind."""
    frictionless = pytest.importorskip("frictionless")
    descriptor = _seeded_schema().to_descriptor()
    resource = frictionless.Resource.from_descriptor(
        {"$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
         "name": "seeded", "path": SEEDED[1], "schema": descriptor},
        basepath=str(fixture_path("edge")))
    report = resource.validate(checklist=frictionless.Checklist(
        checks=[frictionless.checks.duplicate_row()]))
    theirs: dict[tuple[str, str], list[int]] = {}
    duplicates: list[int] = []
    for e in report.flatten(["rowNumber", "fieldName", "type", "note"]):
        row, field, etype, note = e
        if etype == "duplicate-row":
            duplicates.append(row - 1)
            continue
        kind = {"type-error": "type", "unique-error": "unique"}.get(etype)
        if kind is None:                          # constraint-error: 'constraint "maximum" ...'
            kind = note.split('"')[1].replace("enum", "category")
        theirs.setdefault((field, kind), []).append(row - 1)   # their row 2 = our row 1
    ours = validate_table(_strings(*SEEDED), _seeded_schema())
    assert _found(ours) == theirs
    assert ours.check("duplicate_rows").detail["rows"] == duplicates


# ---- types ---------------------------------------------------------------------------------
@pytest.mark.parametrize("ftype, fmt, good, bad", [
    ("integer", None, ["1", "-7", "007", "3.0", " 12 "], ["1.5", "0x1F", "1e3", "one"]),
    ("number", None, ["1.5", "-2", "1e-3", ".5", "NaN", "INF"], ["1,70", "1.2.3", "abc"]),
    ("boolean", None, ["true", "False", "1", "0"], ["yes", "T"]),
    ("date", None, ["2020-02-29", "1999-12-31"], ["2021-02-29", "2020-13-01", "12/03/2020",
                                                  "2020-1-1"]),
    ("date", "%d/%m/%Y", ["12/03/2020", "1/2/2020"], ["2020-03-12"]),
    ("datetime", None, ["2017-06-14T08:11:00", "2017-06-14 08:11:00.5"],
     ["2017-06-14 8:11", "2017-06-14T08:11", "2017-06-14"]),
    ("datetime", "any", ["2017-06-14 8:11", "06/14/2017 08:11 PM"], ["soon"]),
    ("time", None, ["08:11:00", "23:59:59"], ["24:00:00", "8:11"]),
    ("year", None, ["1999", "2024"], ["99", "20245"]),
    ("string", "email", ["a@b.org"], ["a@b", "no at sign"]),
])
def test_type_conformance(ftype, fmt, good, bad):
    result = _one(good + bad, Field("x", type=ftype, format=fmt))
    types = [v for v in result.violations if v.kind == "type"]
    assert (types[0].values if types else []) == bad


@pytest.mark.parametrize("chunk", [None, 1000])
def test_long_columns_with_rare_bad_values(chunk):
    """A varied column with a few distinct bad values stays on the one-cast path (Arrow names
    each bad value, which is set aside); with many distinct bad values every value is screened
    by a regex.  Both give the same rows, chunked or not."""
    n = 50_000
    ints = [str(i) for i in range(n)]
    many = [str(i) for i in range(n)]
    stamps = [f"2020-01-01T00:00:{i % 60:02d}" for i in range(n)]
    for row, bad in ((10, "x1"), (20_000, "0x1F"), (49_999, "1.5"), (30, " 7 "), (40, "8.0")):
        ints[row] = bad
    for k in range(12):
        many[k * 1000] = f"bad{k}"
    for row, bad in ((5, "yesterday"), (30_000, "2020-02-30T00:00:00")):
        stamps[row] = bad
    cols = {"i": pa.array(ints), "m": pa.array(many), "t": pa.array(stamps)}
    if chunk:
        cols = {k: pa.chunked_array([v.slice(j, chunk) for j in range(0, n, chunk)])
                for k, v in cols.items()}
    schema = Schema([Field("i", type="integer", constraints={"maximum": 49_000}),
                     Field("m", type="integer"), Field("t", type="datetime")])
    r = validate_table(pa.table(cols), schema)
    assert _found(r) == {("i", "type"): [11, 20_001, 50_000],
                         ("i", "maximum"): list(range(49_002, 50_000)),
                         ("m", "type"): [k * 1000 + 1 for k in range(12)],
                         ("t", "type"): [6, 30_001]}


def test_dict_and_direct_paths_agree():
    """A repetitive column is checked on its distinct values; a varied one directly."""
    rng = np.random.default_rng(7)
    codes = rng.choice(["1", "2", "3", "9", "x", ""], 5000).tolist()
    varied = [f"{v}{i}" if v not in ("", "9") else v for i, v in enumerate(codes)]
    f = Field("c", type="integer", categories=[Category("1"), Category("2")],
              missing_values=[Category("9", "Refused")])
    for values in (codes, varied):
        r = _one(values, f)
        kinds = {v.kind: v.count for v in r.violations}
        expected_bad = sum(1 for v in values if v not in ("", "9") and not v.isdigit())
        assert kinds.get("type", 0) == expected_bad
        assert r.n_missing == sum(1 for v in values if v in ("", "9"))
        assert {m.value: m.count for m in r.missing} == {
            "9": values.count("9"), "": values.count("")}


# ---- constraints ---------------------------------------------------------------------------
def test_ranges_and_codes_compare_numbers_as_numbers():
    f = Field("num", type="number", categories=[Category("0"), Category("1")])
    r = _one(["0", "1.0", "1", "2.0", "4"], f)
    assert [(v.kind, v.values) for v in r.violations] == [("category", ["2.0", "4"])]
    r = _one(["5", "10", "10.5", "-1"], Field("n", type="number",
                                              constraints={"minimum": "0", "maximum": 10}))
    assert {v.kind: v.values for v in r.violations} == {"minimum": ["-1"], "maximum": ["10.5"]}


def _cats(*pairs) -> list[Category]:
    return [Category(str(v), label) for v, label in pairs]


@pytest.mark.parametrize("ftype, cats, missing", [
    ("integer", [(95, "95 or older")], []),                       # a top code (SPSS AGE)
    ("integer", [(0, "None"), (8, "Eight or more")], []),         # a count's zero and top
    ("number", [(58, "58 inches or less"), (76, "76 inches or more")], []),
    ("integer", [(0, "Ninguno"), (10, "10 o más")], []),
    ("integer", [(0, "Aucun"), (6, "6 et plus")], []),
    ("integer", [(0, "Nenhum"), (5, "5 ou mais")], []),
    ("integer", [(90, "90 Jahre und älter")], []),
    ("integer", [(1, "Less than 1 year"), (30, "30+ years")], []),
    ("integer", [(95, "95 or older"), (98, "Don't know")], [(98, "Don't know")]),
])
def test_labels_that_bound_a_quantity_are_no_code_list(ftype, cats, missing):
    """SPSS/Stata/SAS value labels on a few values of a measure say what those values mean;
    they do not list the values the field may take (every other age was flagged)."""
    f = Field("x", type=ftype, categories=_cats(*cats), missing_values=_cats(*missing))
    r = _one(["34", "61", "18", str(cats[0][0]), "abc", "98"], f)
    assert [(v.kind, v.values) for v in r.violations] == [("type", ["abc"])]


def test_a_stated_range_with_a_few_labelled_codes_is_no_code_list():
    """CSPro's `0:94`, `95 = 95+`, `98 = NSP` (missing): ages 0-94 are valid, 95 names one
    value beside them; the check applies 0 to 95, and so do the exports."""
    from engine.report.exports.rules import field_rule

    f = Field("HL6", type="integer", constraints={"minimum": 0, "maximum": 94},
              categories=_cats((95, "95+"), (98, "NSP")), missing_values=_cats((98, "NSP")))
    r = _one(["0", "34", "94", "95", "96", "98", "-1"], f)
    assert {v.kind: v.values for v in r.violations} == {"minimum": ["-1"], "maximum": ["96"]}
    assert field_rule(f, [""]).bounds == {"minimum": 0, "maximum": 95}
    assert field_rule(f, [""]).codes == []
    # three codes below a range read from a question's text (NHANES' `aged 16 to 59`): a list
    beside = Field("w", type="integer", constraints={"minimum": 16, "maximum": 59},
                   categories=_cats((1, "Overweight"), (2, "Underweight"), (3, "About right")))
    assert [(v.kind, v.values) for v in _one(["2", "4"], beside).violations] == [
        ("minimum", ["2", "4"]), ("category", ["4"])]
    closed = Field("q", type="integer", constraints={"minimum": 1, "maximum": 3},
                   categories=_cats((1, "Low"), (2, "Mid"), (3, "High")))
    assert [(v.kind, v.values) for v in _one(["2", "4"], closed).violations] == [
        ("maximum", ["4"]), ("category", ["4"])]


@pytest.mark.parametrize("ftype, cats", [
    ("integer", [(1, "Less than $20,000"), (2, "$20,000 to $39,999"), (3, "$40,000 or more")]),
    ("integer", [(1, "Less than high school"), (2, "More than high school")]),
    ("integer", [(0, "No"), (1, "Yes")]),
    ("integer", [(1, "Yes"), (5, "No")]),            # PSID's coding: sparse, yet closed
    ("integer", [(11, "City: Large (population of 250,000 or more)"),   # class labels with bound
                 (12, "City: Midsize (population of 100,000 to 250,000)"),  # words, codes sparse
                 (21, "Suburb: Large (population of 250,000 or more)")]),
    ("integer", [(95, "95 or older"), (98, "Don't know")]),     # an answer that is no bound
    ("string", [("95", "95 or older")]),
])
def test_code_lists_stay_closed_unless_every_label_bounds_a_quantity(ftype, cats):
    f = Field("x", type=ftype, categories=_cats(*cats))
    r = _one(["4", str(cats[0][0])], f)
    assert [(v.kind, v.values) for v in r.violations] == [("category", ["4"])]


def test_date_bounds_and_exclusive_bounds():
    r = _one(["2014-12-31", "2015-01-01", "2030-01-01"],
             Field("d", type="date", constraints={"minimum": "2015-01-01",
                                                  "exclusiveMaximum": "2030-01-01"}))
    assert {v.kind: v.values for v in r.violations} == {"minimum": ["2014-12-31"],
                                                        "exclusiveMaximum": ["2030-01-01"]}


def test_na_that_is_a_real_code_stays_a_category():
    """REDCap's `NA, NA-ACCORD` and Namibia's `NA`: a category wins over a missing value."""
    f = Field("region", categories=[Category("NA", "NA-ACCORD"), Category("AP", "Asia-Pacific")])
    r = _one(["NA", "AP", "XX"], f, missing_values=["", "NA"])
    assert r.n_missing == 0
    assert [(v.kind, v.values) for v in r.violations] == [("category", ["XX"])]


def test_missing_codes_are_not_violations_and_not_required_failures():
    f = Field("q", type="integer", categories=[Category("1"), Category("2")],
              missing_values=[Category("9", "Refused"), Category("98", "Don't know")],
              constraints={"required": True})
    r = _one(["1", "9", "9", "98", None, "2"], f)
    assert [m.text() for m in r.missing] == ["9 = Refused: 2 rows", "98 = Don't know: 1 rows",
                                             "(empty): 1 rows"]
    # a refusal is an answer; only the empty cell breaks `required`
    assert [(v.kind, [int(x) + 1 for x in v.rows]) for v in r.violations] == [("required", [5])]


def test_unique_compares_numbers_by_value():
    r = _one(["7", "8", "7.0", "9", "8"], Field("id", type="integer",
                                                constraints={"unique": True}))
    assert [(v.kind, v.values) for v in r.violations] == [("unique", ["7.0", "8"])]
    r = _one([str(i) for i in range(10_000)], Field("id", type="integer",
                                                    constraints={"unique": True}))
    assert r.violations == []


def test_patterns_re2_python_fallback_and_invalid():
    r = _one(["ab12", "AB12", "ab1"], Field("p", constraints={"pattern": "[a-z]{2}[0-9]{2}"}))
    assert r.violations[0].values == ["AB12", "ab1"]
    # a look-ahead is beyond RE2: Python's re checks the distinct values
    r = _one(["ab12", "abcd"], Field("p", constraints={"pattern": "(?=.*[0-9]).*"}))
    assert r.violations[0].values == ["abcd"]
    r = _one(["x"], Field("p", constraints={"pattern": "([a-z"}))
    assert r.violations == [] and "not a valid regular expression" in r.notes[0]


def test_missing_marker_hint():
    r = _one(["65", "NA", "80", "NA"], Field("LotFrontage", type="number"))
    msg = r.violations[0].message
    assert msg.startswith("2 values not a number (e.g. 'NA')")
    assert "'NA' looks like a missing-value marker" in msg


# ---- dataset level -------------------------------------------------------------------------
def test_dataset_checks():
    t = pa.table({"a": ["1", "2", "1", None, "1"], "b": ["x", "y", "x", "z", "x"],
                  "extra": ["", "q", "", "r", ""]})
    schema = Schema([Field("a", type="integer"), Field("b"),
                     Field("gone", constraints={"required": True}), Field("optional")])
    r = validate_table(t, schema, min_rows=10)
    checks = {c.kind: c for c in r.checks}
    assert not checks["min_rows"].passed
    assert checks["min_rows"].message == "the data has 5 rows, fewer than the 10 expected"
    assert checks["required_columns"].detail["absent_required"] == ["gone"]
    assert checks["duplicate_rows"].detail["rows"] == [3, 5]
    # 15 cells: a has 1 null, 'extra' has 3 empty strings (the schema's default missing value)
    assert checks["completeness"].detail["percent"] == round(100 * 11 / 15, 2)
    assert r.unmatched_columns == ["extra"]
    assert r.field("gone").verdict() == "Not in the data."


def test_duplicate_rows_with_hash_and_high_cardinality_columns():
    n = 20_000
    ids = [str(i % 19_990) for i in range(n)]             # last 10 rows repeat rows 1-10 ...
    cat = [str(i % 7) for i in range(n)]
    t = pa.table({"id": ids, "cat": cat, "val": [str(i % 19_990 * 0.5) for i in range(n)]})
    t = t.set_column(1, "cat", pa.array([c if i != 19_995 else "x" for i, c in enumerate(cat)]))
    schema = Schema([Field("id", type="integer"), Field("cat"), Field("val", type="number")])
    r = validate_table(t, schema)
    rows = r.check("duplicate_rows").detail
    # ... but only where 'cat' agrees too: 19_990 % 7 != 0, so none of them repeat exactly
    assert rows["count"] == 0
    t2 = pa.table({"id": ids, "cat": [str(i % 19_990 % 7) for i in range(n)], "val": t["val"]})
    r2 = validate_table(t2, schema)
    assert r2.check("duplicate_rows").detail["count"] == 10
    assert r2.check("duplicate_rows").detail["rows"][:2] == [19_991, 19_992]


def test_chunked_and_pandas_inputs_give_the_same_result():
    base = _strings(*SEEDED)
    chunked = pa.Table.from_batches(base.to_batches(max_chunksize=5))
    assert chunked.column(0).num_chunks > 1
    frame = base.to_pandas()
    expected = _found(validate_table(base, _seeded_schema()))
    assert _found(validate_table(chunked, _seeded_schema())) == expected
    assert _found(validate_table(frame, _seeded_schema())) == expected


def test_typed_columns_are_checked_as_written():
    t = pa.table({"n": pa.array([1.0, 2.0, None, 150.0]), "b": pa.array([True, False, None, True]),
                  "d": pa.array([pd.Timestamp("2020-01-01").date()] * 4)})
    schema = Schema([Field("n", type="integer", constraints={"maximum": 100}),
                     Field("b", type="boolean"), Field("d", type="date")])
    r = validate_table(t, schema)
    assert [(v.kind, v.values) for v in r.field("n").violations] == [("maximum", ["150"])]
    assert r.field("b").violations == [] and r.field("d").violations == []


def test_zero_rows():
    t = pa.table({"a": pa.array([], pa.string())})
    r = validate_table(t, Schema([Field("a", type="integer", constraints={"required": True})]))
    assert r.n_rows == 0 and r.field("a").violations == []
    assert not r.check("min_rows").passed
    assert r.summary()["rows"] == 0


def test_thousand_columns():
    rng = np.random.default_rng(3)
    data = {f"c{i}": rng.integers(0, 5, 300).astype(str) for i in range(1000)}
    data["c7"][10] = "oops"
    schema = Schema([Field(f"c{i}", type="integer", constraints={"maximum": 4})
                     for i in range(1000)])
    r = validate_table(pa.table(data), schema)
    assert r.summary()["fields_with_problems"] == 1
    assert _found(r) == {("c7", "type"): [11]}


def test_contradictions_in_the_dictionary_are_noted():
    f = Field("v", type="number", constraints={"minimum": 100, "maximum": 10},
              categories=[Category("1", "one"), Category("1", "uno")])
    r = _one(["1"], f)
    assert "minimum 100 is above its maximum 10" in r.notes[0]
    assert "'1' two different labels" in r.notes[1]


def test_an_impossible_range_is_reported_once_not_on_every_value():
    """minimum 100 > maximum 0: one note on the field, no value flagged for the range; the
    other checks still run (a text value is still of the wrong type)."""
    f = Field("v", type="integer", constraints={"minimum": 100, "maximum": 0})
    r = _one(["5", "50", "150", "abc"], f)
    assert [v.kind for v in r.violations] == ["type"]
    assert len(r.notes) == 1 and "minimum 100 is above its maximum 0" in r.notes[0]
    assert "not checked" in r.notes[0]
    g = Field("w", type="number", constraints={"minimum": 5, "exclusiveMaximum": 5})
    r = _one(["5", "4"], g)
    assert r.violations == [] and "minimum 5 equals its exclusive maximum 5" in r.notes[0]
    ok = Field("x", type="integer", constraints={"minimum": 0, "maximum": 100})
    r = _one(["5", "150"], ok)      # a possible range is still checked
    assert [v.kind for v in r.violations] == ["maximum"] and r.notes == []


def test_report_shape_and_row_numbering():
    r = validate_table(_strings(*SEEDED), _seeded_schema())
    d = r.field("age").to_dict()
    assert set(d) >= {"name", "column", "violations", "missing", "verdict", "status"}
    v = d["violations"][0]
    assert set(v) >= {"kind", "count", "percent", "rows", "values", "message"}
    assert d["verdict"].startswith("3 problems: 1 of the wrong type; 1 below the minimum")
    assert ROW_NUMBERING.startswith("1-based data rows")
    names, grid = r.heatmap()
    assert grid.shape == (len(names), r.n_bins) and grid.sum() == r.summary()["violations"]


def test_matching_can_be_given():
    t = pa.table({"AGE": ["200"]})
    schema = Schema([Field("years", type="integer", constraints={"maximum": 120})])
    m = match_columns(t.column_names, schema, {"AGE": "years"})
    r = validate_table(t, schema, m)
    assert r.field("years").columns == ["AGE"]
    assert r.field("years").violations[0].column == "AGE"


def test_a_column_that_breaks_a_check_gets_a_note(monkeypatch):
    """An unexpected error in one column's checks is reported on that field only."""
    import engine.validation.run as run

    real = run.check_column

    def flaky(field, col, *args):
        if field.name == "b":
            raise RuntimeError("boom")
        return real(field, col, *args)

    monkeypatch.setattr(run, "check_column", flaky)
    r = validate_table(pa.table({"a": ["x"], "b": ["y"]}), Schema([Field("a"), Field("b")]))
    assert r.field("a").status == "pass"
    assert (r.field("b").status, r.field("b").notes) == (
        "warn", ["could not be checked (RuntimeError: boom)"])


def test_exports_state_labels_on_a_measure_as_labels_not_a_code_list():
    """Every export says what the Check does: the Data Package keeps the labels as v2
    `categories` and gives no `enum`; pandera checks no `isin`."""
    from engine.report.exports import render

    schema = Schema(fields=[
        Field("AGE", type="integer", categories=_cats((95, "95 or older"))),
        Field("SEX", type="integer", categories=_cats((1, "Male"), (2, "Female")))])
    package = json.loads(render(schema, "datapackage"))
    age, sex = package["resources"][0]["schema"]["fields"]
    assert age["categories"] == [{"value": 95, "label": "95 or older"}]
    assert "enum" not in age.get("constraints", {}) and sex["constraints"]["enum"] == [1, 2]
    pandera = render(schema, "pandera")
    assert "codes([1, 2]" in pandera and "codes([95]" not in pandera
