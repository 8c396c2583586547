"""`NAME: text` lines where one upper-case name is written with a space (`UNIT NUM`) among coded
names (`STUB_NAME_NUM`): a field, when its words are the document's names or their parts."""

from __future__ import annotations

from engine.parsers.text import fields_from_lines

_LINES = """Death rates for suicide
Author: Centers for Disease Control
INDICATOR: Death rates for suicide
UNIT: Deaths per 100,000 resident population
UNIT NUM: The number of deaths in thousands
STUB_NAME: What this data is based on
STUB_NAME_NUM: The amount of people in these categories
YEAR: The year
YEAR_NUM: The number of people born in these years
ESTIMATE: The estimated death rate
FLAG: There is no data for this entry
"""


def _names(text: str) -> list[str]:
    fields, _ = fields_from_lines(text.splitlines(), lambda _m: None)
    return [f.name for f in fields]


def test_an_upper_case_name_with_a_space_among_coded_names():
    fields, _ = fields_from_lines(_LINES.splitlines(), lambda _m: None)
    by_name = {f.name: f for f in fields}
    assert "UNIT NUM" in by_name
    assert by_name["UNIT NUM"].description == "The number of deaths in thousands"
    assert by_name["UNIT"].description == "Deaths per 100,000 resident population"


def test_words_that_are_no_names_or_parts_stay_text():
    text = _LINES.replace("UNIT NUM:", "DATA NOTE:")
    assert "DATA NOTE" not in _names(text)
    # without coded names around it, two capitalised words are a heading, not a name
    plain = "\n".join(line.replace("_", "") for line in _LINES.splitlines())
    assert "UNIT NUM" not in _names(plain)
