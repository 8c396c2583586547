"""Numbered prose lists of variables (`1. region—name of the area [string].`), hand-written in
the shape of a PDF codebook's running text: an em dash glued to the name, items naming several
variables (`a, b and c—...`), a bracketed type closing the text, bullet notes below each item
(`• Source: ...`, `• range: 1990—2030`) that are no answer options, and numbering that skips.
Negative cases: glued dashes in prose and one lone `241 names` line are no fields or codes."""

from __future__ import annotations

from engine.parsers.text import fields_from_lines
from engine.parsers.text.bodies import read_body
from engine.parsers.text.heads import read_head

_LIST = """\
Population estimates codebook
Background
This file holds yearly estimates for 195 areas, 1990—2030, with notes on sources.
Columns
1. region—name of the area or province [string].
•\t195 unique names
• Source: national statistics office
2. year—calendar year of the estimate [numeric].

•\trange: 1990—2030
• Source: national statistics office
3. pop_male, pop_female and pop_total—population of each group in thousands
of people [numeric]
• Note: rounded to the nearest thousand.
• Source: own calculation from the census.
5. share.u15_m, share.u15_f and share.u15_t—
share of the population younger than 15 for each group.
• Checked against the survey tables and found consistent.
References
Someone, A. 2017. A book. Publisher.
"""


def _fields():
    fields, _ = fields_from_lines(_LIST.splitlines(), lambda m: None)
    return {f.name: f for f in fields}


def test_numbered_items_with_glued_dashes_and_name_lists_are_fields():
    fields = _fields()
    assert list(fields) == ["region", "year", "pop_male", "pop_female", "pop_total",
                            "share.u15_m", "share.u15_f", "share.u15_t"]
    assert fields["pop_female"].description.startswith("population of each group in thousands")
    assert fields["share.u15_t"].description.startswith("share of the population younger")


def test_bracketed_type_and_a_bullet_range_are_read():
    fields = _fields()
    assert fields["region"].type == "string"
    assert fields["pop_total"].type == "number"
    assert fields["year"].type == "number"
    assert fields["year"].constraints == {"minimum": 1990, "maximum": 2030}


def test_bullet_notes_are_no_code_lists():
    fields = _fields()
    assert all(not f.categories and not f.missing_values for f in fields.values())
    assert "Source: national statistics office" in fields["region"].description


def test_glued_dash_is_a_separator_only_in_list_items():
    assert read_head("1. location—name of the area [string].", 0).name == "location"
    assert read_head("• location—name of the area", 0).name == "location"
    assert read_head("However—as noted above—the data differ.", 0) is None
    head = read_head("3. a_x, a_y and a_z — coordinates", 0)
    assert head.name == "a_x, a_y and a_z" and head.rest == "coordinates"
    # words of a title are not a list of names
    head = read_head("3. Age, Sex and Race — asked of everyone", 0)
    assert head is None or "," not in head.name


def test_options_in_bullets_stay_options():
    body = read_body(["• Urban", "• Rural", "• Peri-urban"], "area", "Kind of area:")
    assert [c.value for c in body.categories] == ["Urban", "Rural", "Peri-urban"]
    notes = read_body(["• 195 unique names", "• Source: census"], "area", "Name of the area.")
    assert not notes.categories
    assert notes.description == ["195 unique names", "Source: census"]
