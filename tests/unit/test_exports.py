"""Every CSV and XLSX the app and the CLI write is safe to open in a spreadsheet (no cell reads
as a formula), and a dictionary's own cells starting with `=` are kept as they are on input.

The dictionaries are written here: a CSV, and an XLSX made by openpyxl, whose `=` cells are
formulas without a calculated value (as generators write them)."""

from __future__ import annotations

import csv
import io
import re

import pyarrow as pa
import pytest
from openpyxl import Workbook, load_workbook

from engine.__main__ import main as cli
from engine.analyze import analyze_table
from engine.jobs import parse_file, write_schema_downloads

HYPERLINK = '=HYPERLINK("http://evil.test","click")'
ROWS = [["Variable", "Label", "Type", "Values"],
        ["q1", HYPERLINK, "integer", "1=Yes; 2=No; 3==1+1"],
        ["q2", "@SUM(A1:A2)", "integer", "1=Low; 2=High"],
        ["q3", "=1+1", "integer", "-9=Refused; 1=One; 2=Two"],
        ["q4", "-2+3", "string", ""],
        ["q5", "Plain title", "integer", "1=Male; 2=Female"]]
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def unsafe(cell) -> bool:
    """True for a cell a spreadsheet would read as a formula."""
    return (isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r")
            and not _PLAIN_NUMBER.fullmatch(cell))


def csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def xlsx_cells(path) -> list:
    wb = load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]     # no formula at all
    return [c.value for c in cells]


@pytest.fixture(params=["csv", "xlsx"])
def dictionary(request, tmp_path):
    path = tmp_path / f"formulas.{request.param}"
    if request.param == "csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(ROWS)
    else:
        wb = Workbook()
        for row in ROWS:
            wb.active.append(row)
        wb.save(path)
    return path


def test_a_dictionary_keeps_its_cells_that_start_with_an_equals_sign(dictionary):
    schema = parse_file(dictionary).schema
    titles = {f.name: f.title for f in schema.fields}
    assert titles == {"q1": HYPERLINK, "q2": "@SUM(A1:A2)", "q3": "=1+1", "q4": "-2+3",
                      "q5": "Plain title"}
    codes = [(c.value, c.label) for c in schema.field("q1").categories]
    assert codes == [("1", "Yes"), ("2", "No"), ("3", "=1+1")]


def test_cli_fields_csv_is_neutralised(dictionary, capsys):
    assert cli(["parse", str(dictionary), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    cells = csv_cells(out)
    assert not [c for c in cells if unsafe(c)]
    assert "'" + HYPERLINK in cells and "'@SUM(A1:A2)" in cells and "'=1+1" in cells
    assert "'-2+3" in cells and "'-9=Refused" in cells      # (-9: a missing-value code)


def test_app_downloads_of_a_parse_are_neutralised(dictionary, tmp_path):
    schema = parse_file(dictionary).schema
    _, csv_path = write_schema_downloads(schema, dictionary.name, tmp_path / "out")
    cells = csv_cells(csv_path.read_text(encoding="utf-8"))
    assert not [c for c in cells if unsafe(c)] and "'" + HYPERLINK in cells


def test_every_analysis_download_is_neutralised_headers_included(tmp_path):
    """A dataset whose column names and values are formulas, against a dictionary whose
    labels are: the fields CSV/XLSX, labelled CSV (header too) and flagged workbook."""
    from engine.model import Category, Field, Schema

    table = pa.table({"=cmd|' /C calc'!A0": ["1", "2", "-5", "3"],
                      "sex": ["1", "2", "2", "7"], "@note": ["=1+1", "ok", "\t=2+2", "-7"]})
    schema = Schema([Field("=cmd|' /C calc'!A0", type="integer",
                           constraints={"minimum": 0}),
                     Field("sex", type="integer", title="+Sex",
                           categories=[Category("1", "=Male"), Category("2", "@Female")]),
                     Field("@note", description="-note")])
    analysis = analyze_table(table, schema)
    paths = analysis.write_downloads(tmp_path)
    labelled = paths["labelled_csv"].read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(labelled)))
    assert header == ["'=cmd|' /C calc'!A0", "sex", "'@note"]
    cells = csv_cells(labelled)
    assert "'=Male" in cells and "'@Female" in cells and "-5" in cells and "'\t=2+2" in cells
    assert not [c for c in cells if unsafe(c)]
    assert not [c for c in csv_cells(paths["fields_csv"].read_text()) if unsafe(c)]
    for kind in ("fields_xlsx", "flagged_xlsx"):
        values = xlsx_cells(paths[kind])
        assert not [v for v in values if unsafe(v)], kind
    flagged = xlsx_cells(paths["flagged_xlsx"])
    assert -5 in flagged            # a plain number stays a number


def test_a_formula_cell_reads_as_its_value_or_else_as_its_formula():
    """A calculated formula is its value (an empty text result too); one never calculated
    (no value, as generators write it) is its formula."""
    from engine.formats.sheets.grid import _cell_text

    assert _cell_text(b' r="A1"', b"<f>1+1</f><v>2</v>", [], set()) == "2"
    assert _cell_text(b' r="A1" t="str"', b'<f>IF(B1="","",B1)</f><v></v>', [], set()) == ""
    assert _cell_text(b' r="A1"', b"<f>1+1</f><v></v>", [], set()) == "=1+1"
    assert _cell_text(b' r="A1"', b"<f>HYPERLINK(&quot;x&quot;)</f>", [], set()) == \
        '=HYPERLINK("x")'
