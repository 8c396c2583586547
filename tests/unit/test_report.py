"""Reports and downloads: JSON/Markdown/HTML, spreadsheets safe from formula injection, charts.

Edge fixtures (tests/fixtures/edge/):
- check_formula.csv: cells that a spreadsheet would run as formulas (`=1+1`, `@SUM(A1)`,
  `+cmd|...`, a leading tab), a plain negative number, an HTML `<script>` cell, and a `sex`
  column with codes 1/2, an undocumented 3 and the missing code 9.
- check_seeded.csv + check_seeded.schema.json: see test_validate.py.
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from matplotlib.figure import Figure
from openpyxl import load_workbook

from harness.fixtures import fixture_path
from engine.analyze import Analysis, analyze_files
from engine.charts import distribution_figure, figure_svg, heatmap_figure, violations_figure
from engine.model import Category, Field, Schema
from engine.report import (fields_csv, neutralise, neutralise_column,
                           write_fields_xlsx, write_flagged_xlsx)


def _formula_schema() -> Schema:
    return Schema([
        Field("id", type="integer"),
        Field("name", description="=HYPERLINK(\"http://evil\")"),
        Field("comment", title="@risky title", constraints={"maxLength": 12}),
        Field("sex", type="integer", categories=[Category("1", "Male"), Category("2", "Female")],
              missing_values=[Category("9", "Refused")]),
    ])


@pytest.fixture()
def formula_analysis(tmp_path) -> Analysis:
    schema_path = tmp_path / "formula.schema.json"
    schema_path.write_text(json.dumps(_formula_schema().to_descriptor()))
    return analyze_files(fixture_path("edge", "check_formula.csv"), schema_path)


@pytest.fixture()
def seeded() -> Analysis:
    return analyze_files(fixture_path("edge", "check_seeded.csv"),
                         fixture_path("edge", "check_seeded.schema.json"))


# ---- formula injection ----------------------------------------------------------------------
@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"), ("\tx", "'\tx"), ("-5", "-5"), ("+1.5e3", "+1.5e3"), ("Ann", "Ann"),
    (3, 3), (None, None),
])
def test_neutralise(value, safe):
    assert neutralise(value) == safe


def test_neutralise_column_matches_the_scalar_rule():
    values = ["=1+1", "-5", "Ann", None, "@x", "-x"]
    got = neutralise_column(pa.chunked_array([values[:3], values[3:]])).to_pylist()
    assert got == [neutralise(v) for v in values]


def test_fields_csv_and_xlsx_are_neutralised(tmp_path):
    text = fields_csv(_formula_schema())
    assert "'=HYPERLINK" in text and "'@risky title" in text
    path = write_fields_xlsx(_formula_schema(), tmp_path / "fields.xlsx")
    ws = load_workbook(path)["fields"]
    cells = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert not any(str(c).startswith(("=", "@")) for c in cells)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# ---- the flagged workbook ---------------------------------------------------------------------
def test_flagged_workbook_highlights_and_explains(seeded, tmp_path):
    path = write_flagged_xlsx(seeded.table, seeded.result, tmp_path / "flagged.xlsx")
    wb = load_workbook(path)
    data = wb["data"]
    header = [c.value for c in data[1]]
    assert header[:3] == ["row", "id", "name"]
    age = data.cell(row=1 + 3, column=header.index("age") + 1)         # data row 3: age 150
    assert age.value == 150
    assert age.fill.fgColor.rgb.endswith("FFC7CE")
    assert "maximum: above the maximum 120" in age.comment.text
    clean = data.cell(row=1 + 1, column=header.index("age") + 1)
    assert clean.comment is None and clean.fill.fgColor.rgb == "00000000"
    issues = [[c.value for c in r] for r in wb["issues"].iter_rows()]
    assert "All 24 rows" in issues[0][0]
    assert issues[2] == ["field", "column", "kind", "count", "percent", "row", "value", "message"]
    assert ["age", "age", "maximum", 1, 4.17, 3, "150"] == issues[issues.index(
        next(r for r in issues if r[:3] == ["age", "age", "maximum"]))][:7]
    assert any(r[0] == "(dataset)" and r[2] == "duplicate_rows" for r in issues)


def test_flagged_workbook_of_big_data_keeps_the_problem_rows(seeded, tmp_path):
    path = write_flagged_xlsx(seeded.table, seeded.result, tmp_path / "f.xlsx", max_cells=100)
    wb = load_workbook(path)
    rows = [r[0].value for r in wb["data"].iter_rows(min_row=2)]
    assert rows == list(range(3, 14))               # 100 cells // 9 columns = 11 rows
    assert "rows with problems" in wb["issues"]["A1"].value


def test_flagged_workbook_neutralises_data_cells(formula_analysis, tmp_path):
    path = write_flagged_xlsx(formula_analysis.table, formula_analysis.result,
                              tmp_path / "f.xlsx")
    ws = load_workbook(path)["data"]
    names = [ws.cell(row=r, column=3).value for r in range(2, 6)]
    assert names == ["'=1+1", -5, "Ann", "Bob"]
    assert ws.cell(row=2, column=4).value == "'@SUM(A1)"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# ---- JSON / Markdown / HTML -------------------------------------------------------------------
def test_json_report_has_stable_keys(seeded):
    d = json.loads(seeded.to_json())
    assert d["rows"] == 24 and d["row_numbering"].startswith("1-based data rows")
    assert set(d) >= {"rows", "fields", "summary", "dataset_checks", "matching",
                      "unmatched_columns", "unmatched_fields", "warnings"}
    sex = next(f for f in d["fields"] if f["name"] == "sex")
    assert sex["column"] == "sex"
    assert sex["violations"][0] | {} == {**sex["violations"][0], "kind": "category",
                                         "count": 2, "rows": [9, 23], "values": ["3", "7"]}
    assert sex["missing"]["codes"] == [
        {"value": "", "label": "Empty", "count": 1, "percent": 4.17},
        {"value": "9", "label": "Refused", "count": 1, "percent": 4.17}]
    assert d["summary"]["violations_by_kind"]["type"] == 6


def test_markdown_report(seeded):
    md = seeded.to_markdown()
    assert md.startswith("# Data check: check_seeded.csv")
    assert "❌ **duplicate_rows**: 1 row repeats an earlier row exactly" in md
    assert "### 5. sex — 2 rows (8.33%)" in md     # the problems come ranked, not in a table
    assert "- missing 9 = Refused: 1 rows (4.17%)" in md
    assert "First: row 9: '3', row 23: '7'" in md


def test_html_report_is_self_contained_and_escaped(formula_analysis):
    page = formula_analysis.to_html()
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 2
    assert "<script" not in page and "<link" not in page
    assert 'src="http' not in page and "url(http" not in page
    assert "&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in page
    assert "outside the code list" in page


def test_schema_descriptor_uses_one_form_of_missing_values():
    schema = Schema([Field("q", missing_values=[Category(""), Category("9", "Refused")])])
    d = schema.to_descriptor()
    assert d["fields"][0]["missingValues"] == [{"value": "", "label": ""},
                                                {"value": "9", "label": "Refused"}]


# ---- labels, charts, downloads ----------------------------------------------------------------
def test_labelled_preview_and_downloads(formula_analysis, tmp_path):
    preview = formula_analysis.preview(10)
    assert preview["sex"].tolist() == ["Male", "Female", "3", "Refused"]
    paths = formula_analysis.write_downloads(tmp_path)
    assert sorted(paths) == sorted(["report_json", "report_md", "report_html", "schema_json",
                                    "fields_csv", "fields_xlsx", "labelled_csv",
                                    "labelled_parquet", "labelled_sav", "labelled_dta",
                                    "flagged_xlsx"])
    assert all(p.exists() and p.stat().st_size > 0 for p in paths.values())
    assert pq.read_table(paths["labelled_parquet"])["name"].to_pylist()[0] == "=1+1"
    labelled_csv = paths["labelled_csv"].read_text()
    assert "\"'=1+1\"" in labelled_csv and "Refused" in labelled_csv and "\"-5\"" in labelled_csv
    assert json.loads(paths["schema_json"].read_text())["fields"][3]["categories"][0] == \
        {"value": 1, "label": "Male"}


def test_charts(seeded):
    figs = seeded.figures()
    assert {"Violations by field", "Where the violations are"} <= set(figs)
    assert all(isinstance(f, Figure) for f in figs.values())
    assert "field:sex" in figs and "field:age" in figs
    assert figure_svg(figs["Violations by field"]).startswith("<svg")
    numbers = pa.array([str(i % 97) for i in range(500)])
    hist = distribution_figure(numbers, Field("n", type="integer", constraints={"maximum": 90}))
    assert "distribution of 500 values" in hist.axes[0].get_title()
    bars = distribution_figure(pa.array(["1", "2", "9", "3", "1"]),
                               Field("s", categories=[Category("1", "Male")],
                                     missing_values=[Category("9", "Refused")]))
    labels = [t.get_text() for t in bars.axes[0].get_yticklabels()]
    assert labels[0] == "1 = Male" and "9 = Refused" in labels
    assert violations_figure(seeded.result).axes and heatmap_figure(seeded.result).axes


@pytest.mark.parametrize("data, dictionary", [
    (("edge", "check_redcap_data.csv"), ("edge", "check_redcap_dictionary.csv")),
    (("gss-happiness-extract", "GSS.dat"), ("gss-happiness-extract", "GSS.sps")),
    (("edge", "check_seeded.csv"), None),
])
def test_written_table_schemas_are_valid_for_frictionless(data, dictionary):
    """Parsed (REDCap, SPSS with labelled missing codes) and inferred schemas, as downloaded."""
    frictionless = pytest.importorskip("frictionless")
    a = analyze_files(fixture_path(*data), dictionary and fixture_path(*dictionary))
    descriptor = json.loads(json.dumps(a.schema.to_descriptor()))
    report = frictionless.Schema.validate_descriptor(descriptor)
    assert report.valid, [e.message for e in report.errors]
