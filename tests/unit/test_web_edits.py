"""web.edits: an edited fields table read back into the schema, each refused cell with a
message that says why; missing-value markers for the whole dictionary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.model import FIELD_ROW_COLUMNS, Category, Field, Schema
from engine.pipeline.outputs import compact_schema, schema_from_compact
from web import edits, steps


def _schema() -> Schema:
    return Schema(fields=[
        Field("age", title="Age", type="integer", constraints={"minimum": 0, "maximum": 120}),
        Field("sex", type="integer", categories=[Category("1", "Male"), Category("2", "Female")],
              missing_values=[Category("9", "Refused")]),
        Field("town", type="string")])


def _table(schema: Schema) -> list[list[str]]:
    return [[f.row()[c] for c in FIELD_ROW_COLUMNS] for f in schema.fields]


def _edit(schema: Schema, row: int, column: str, text: str) -> edits.EditResult:
    rows = _table(schema)
    rows[row][FIELD_ROW_COLUMNS.index(column)] = text
    return edits.apply_table(schema, FIELD_ROW_COLUMNS, rows)


def test_an_unchanged_table_changes_nothing():
    schema = _schema()
    before = schema.to_descriptor()
    result = edits.apply_table(schema, FIELD_ROW_COLUMNS, _table(schema))
    assert not result.changed and not result.refused and schema.to_descriptor() == before
    assert result.message() == "No change."


@pytest.mark.parametrize("column,text,check", [
    ("type", "Number", lambda s: s.fields[0].type == "number"),
    ("type", "float", lambda s: s.fields[0].type == "number"),
    ("title", "Age at interview", lambda s: s.fields[0].title == "Age at interview"),
    ("unit", "years", lambda s: s.fields[0].unit == "years"),
    ("range", "18 - 99", lambda s: s.fields[0].constraints == {"minimum": 18, "maximum": 99}),
    ("range", "≥ 18", lambda s: s.fields[0].constraints == {"minimum": 18}),
    ("range", "<= 5", lambda s: s.fields[0].constraints == {"maximum": 5}),
    ("range", "", lambda s: s.fields[0].constraints == {}),
    ("required", "yes", lambda s: s.fields[0].constraints.get("required") is True),
    ("name", "age_years", lambda s: s.fields[0].name == "age_years"),
    ("codes", "0=No; 1=Yes", lambda s: [c.text() for c in s.fields[0].categories]
     == ["0=No", "1=Yes"]),
    ("missing", "-9=Refused; -8", lambda s: [(m.value, m.label) for m in s.fields[0]
                                             .missing_values] == [("-9", "Refused"),
                                                                  ("-8", None)]),
])
def test_each_editable_column_is_read_back(column, text, check):
    schema = _schema()
    result = _edit(schema, 0, column, text)
    assert not result.refused, result.refused
    assert check(schema) and result.changed


@pytest.mark.parametrize("row,column,text,says", [
    (0, "type", "numbr", "'numbr' is not a Table Schema type"),
    (0, "range", "120 – 0", "the minimum 120 is greater than the maximum 0"),
    (0, "range", "about ten", "is not a range"),
    (0, "range", "0.5 - 3", "0.5 is not an integer"),
    (1, "codes", "1=Male; =Female", "has no value before '='"),
    (1, "codes", "1=Male; 1=Female", "'1' appears twice"),
    (1, "codes", "M=Male; F=Female", "'M' is not a number, but the field's type is integer"),
    (2, "type", "integer", None),                       # no codes: nothing to contradict
    (1, "type", "boolean", None),
    (0, "required", "perhaps", "neither yes nor no"),
    (0, "name", "sex", "another field is already called 'sex'"),
    (0, "name", "  ", "a field needs a name"),
])
def test_bad_cells_are_refused_with_a_reason_and_the_field_kept(row, column, text, says):
    schema = _schema()
    before = schema.fields[row].to_descriptor()
    result = _edit(schema, row, column, text)
    if says is None:
        assert not result.refused
        return
    assert len(result.refused) == 1 and says in result.refused[0], result.refused
    assert result.refused[0].startswith(f"Row {row + 1} ({before['name']}), {column}:")
    assert schema.fields[row].to_descriptor() == before
    assert "1 edit not applied" in result.message()


def test_a_type_change_must_fit_the_codes():
    schema = Schema(fields=[Field("grade", type="string", categories=[Category("A")])])
    result = _edit(schema, 0, "type", "integer")
    assert "'A' is not a number" in result.refused[0] and schema.fields[0].type == "string"


def test_rows_added_or_removed_are_matched_by_name():
    schema = _schema()
    rows = _table(schema)
    new = [""] * len(FIELD_ROW_COLUMNS)
    new[0], new[3] = "income", "number"
    result = edits.apply_table(schema, FIELD_ROW_COLUMNS, rows + [new])
    assert schema.names == ["age", "sex", "town", "income"] and result.added == ["income"]
    assert schema.field("income").type == "number" and not result.refused
    result = edits.apply_table(schema, FIELD_ROW_COLUMNS, [rows[0], rows[2], new])
    assert schema.names == ["age", "town", "income"] and result.removed == ["sex"]
    unnamed = edits.apply_table(schema, FIELD_ROW_COLUMNS, _table(schema) + [[""] * 3 + ["x"]])
    assert schema.names == ["age", "town", "income"] and "needs one" in unnamed.refused[0]


def test_a_table_sorted_in_the_browser_comes_back_to_its_fields():
    schema = _schema()
    rows = _table(schema)[::-1]                     # sorted by name, descending
    rows[0][FIELD_ROW_COLUMNS.index("type")] = "date"              # town's
    rows[1][FIELD_ROW_COLUMNS.index("name")] = "gender"            # sex renamed meanwhile
    result = edits.apply_table(schema, FIELD_ROW_COLUMNS, rows)
    assert not result.refused and schema.names == ["age", "gender", "town"]
    assert [f.type for f in schema.fields] == ["integer", "integer", "date"]
    assert schema.fields[0].constraints == {"minimum": 0, "maximum": 120}
    assert sorted(result.changed) == ["gender's name (gender)", "town's type (date)"]


def test_columns_beyond_the_fields_csv_are_ignored():
    schema = _schema()
    headers = FIELD_ROW_COLUMNS[:1] + ["LLM"] + FIELD_ROW_COLUMNS[1:]
    rows = [[r[0], "added", *r[1:]] for r in _table(schema)]
    rows[0][headers.index("type")] = "number"
    result = edits.apply_table(schema, headers, rows)
    assert not result.refused and schema.fields[0].type == "number"


def test_markers_are_read_as_a_user_types_them():
    assert edits.parse_markers('NA, NULL; .\n-9, "N/A", NA, ') == ["NA", "NULL", ".", "-9", "N/A"]
    assert edits.parse_markers(None) == [] and edits.parse_markers("  ") == []
    # a quoted value keeps its ';' and line break, wherever the user's lines end
    assert edits.parse_markers('NA;\n"x;y", "a\nb"\r\n-9') == ["NA", "x;y", "a\nb", "-9"]
    assert edits.markers_of('Note="p;q"\nNA').fields == {"Note": ("p;q",)}
    schema = edits.with_missing_values(_schema(), ["NA", "-9"])
    assert schema.to_descriptor()["missingValues"] == ["", "NA", "-9"]
    assert edits.markers_text(schema) == "NA, -9"
    assert "missingValues" not in edits.with_missing_values(schema, []).to_descriptor()
    # engine.markers' syntax: one field's markers, and a code is no missing value there
    schema = edits.with_missing_values(_schema(), "NA; age=-9")
    assert edits.markers_text(schema) == "NA"
    assert "-9" in schema.to_descriptor()["fields"][0]["missingValues"]


def test_edit_step_writes_the_edited_schema_and_its_downloads(tmp_path):
    schema = _schema()
    rows = _table(schema)
    rows[0][FIELD_ROW_COLUMNS.index("type")] = "number"
    rows[1][FIELD_ROW_COLUMNS.index("range")] = "5 – 1"
    out = steps.edit_dictionary(compact_schema(schema.to_descriptor()), FIELD_ROW_COLUMNS,
                                rows, "NA, NULL", "survey.csv", str(tmp_path))
    assert "age's type (number)" in out.message and "greater than the maximum" in out.message
    assert "NA, NULL" == out.markers and out.fields == 3
    written = json.loads(Path(out.downloads[0]).read_text())
    assert written == out.descriptor
    assert written["fields"][0]["type"] == "number"
    assert "constraints" not in written["fields"][1]          # the refused range left out
    assert written["missingValues"] == ["", "NA", "NULL"]
    assert schema_from_compact(out.compact).to_descriptor() == written
    assert Path(out.downloads[1]).read_text().splitlines()[1].startswith("age,Age,,number")
    assert out.table[1][FIELD_ROW_COLUMNS.index("range")] == ""   # the cell shows what is kept
