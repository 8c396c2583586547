"""Code tables side by side under a sheet's variable list (engine/formats/bands.py
`titled_code_blocks`): below a blank row, two-column code tables apart by blank columns, each
under a one-cell title naming its variable; one of them may give the label first."""

from __future__ import annotations

import openpyxl

from engine.formats.bands import titled_code_blocks
from engine.parsers import parse_dictionary
from engine.parsers.tabular.codetables import code_table


def _workbook(tmp_path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    path = tmp_path / "dictionary.xlsx"
    wb.save(path)
    return path


SHEET = [
    ["hh_id", "Identifier of the household", None, None, None, None, None, None],
    ["region", "Region of the household (codes below)", None, None, None, None, None, None],
    ["ageband", "Age band of the respondent", None, None, None, None, None, None],
    ["weight", "Sampling weight of the household", None, None, None, None, None, None],
    [None] * 8,
    ["region", None, None, "ageband", None, None, "tenure", None],
    ["N", "North", None, "Band", "Code", None, "OW", "Owned"],
    ["S", "South", None, "0-24", 1, None, "RE", "Rented"],
    ["E", "East", None, "25-49", 2, None, "OT", "Other"],
    [None, None, None, "50+", 3, None, None, None],
]


def test_code_tables_under_the_variable_list(tmp_path):
    schema = parse_dictionary(_workbook(tmp_path, SHEET)).schema
    fields = {f.name: f for f in schema.fields}
    assert list(fields) == ["hh_id", "region", "ageband", "weight"]
    assert "Sampling weight" in (fields["weight"].description or fields["weight"].title)
    assert [(c.value, c.label) for c in fields["region"].categories] == [
        ("N", "North"), ("S", "South"), ("E", "East")]
    # the label first, the code second: read as code 1 = `0-24`
    assert [(c.value, c.label) for c in fields["ageband"].categories] == [
        ("1", "0-24"), ("2", "25-49"), ("3", "50+")]
    assert not fields["hh_id"].categories


def test_blocks_need_two_titled_pairs():
    one = [["a", "Text of a"], ["b", "Text of b"], ["", ""],
           ["a", ""], ["1", "Yes"], ["2", "No"]]
    assert titled_code_blocks(one) is None
    # a block of three columns, or one without a one-cell title, is no code table
    wide = [["a", "", "", "", "b", ""], ["1", "Yes", "x", "", "1", "Low"],
            ["2", "No", "y", "", "2", "High"]]
    untitled = [["1", "Yes", "", "1", "Low"], ["2", "No", "", "2", "High"],
                ["3", "Maybe", "", "3", "Mid"]]
    assert titled_code_blocks(wide) is None and titled_code_blocks(untitled) is None


def test_labels_first_only_over_whole_numbers():
    assert [(c.value, c.label) for c in code_table([["Male", "1"], ["Female", "2"]])] == [
        ("1", "Male"), ("2", "Female")]
    assert code_table([["Male", "1.5"], ["Female", "2"]]) == []
