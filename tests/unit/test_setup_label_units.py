"""A unit named in a setup file's variable label belongs to a quantity: a field whose codes are
classes (`1 = Less than $20,000`) has none, one whose codes top a measure (`58 = 58 inches or
less`) or say missing keeps it."""

from __future__ import annotations

from engine.parsers import parse_dictionary

_SAS = """proc format;
  value inc 1 = 'Less than $20,000' 2 = '$20,000 or more' 3 = 'Unknown';
  value hgt 58 = '58 inches or less' 77 = '77 inches or more' 99 = 'Unknown';
  value len 0 = 'Members do not collect' 998 = "Don't know";
run;
data persons;
  infile 'persons.dat';
  input INCFAM20 1 HEIGHT 2-3 WATERMIN 4-6;
  label INCFAM20 = "FAMILY INCOME $20,000 OR MORE"
        HEIGHT = "HEIGHT WITHOUT SHOES, IN INCHES"
        WATERMIN = "Length (in minutes) of getting water";
  format INCFAM20 inc. HEIGHT hgt. WATERMIN len.;
run;
"""


def test_units_of_label_words_only_for_quantities(tmp_path):
    path = tmp_path / "persons.sas"
    path.write_text(_SAS, encoding="utf-8")
    f = parse_dictionary(path).schema.field
    assert [c.value for c in f("INCFAM20").categories] == ["1", "2"]
    assert f("INCFAM20").unit is None
    assert f("HEIGHT").unit == "inches"
    assert f("WATERMIN").unit == "minutes"
