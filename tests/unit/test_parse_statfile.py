"""engine.parsers.statfile (engine.formats.statfile): the labels inside .sav/.dta/.xpt files read as a dictionary.

Edge files used here (tests/fixtures/edge/, written by data_make_fixtures.py):
- data_labels.sav  variable labels; value labels; user-missing 8/9 (discrete) on `happy`, the
                   range 97-99 on `income`, the wide range -999..-1 on `score`; `happy`
                   ordinal; formats F8.0/F1.0/F8.2/A/DATE11/F4.0
- data_labels.dta  the same labels in Stata (no user-missing: "Don't know"/"No answer" labels)
- data_small.xpt   SAS transport: variable labels only
"""

from __future__ import annotations

import pytest

from harness.fixtures import fixture_path
from engine.errors import InputError
from engine.model import Category, Schema
from engine.parsers import parse_dictionary
from engine.formats.statfile import code_text, field_type
from engine.formats import read_dataset


@pytest.fixture(scope="module")
def sav():
    return parse_dictionary(fixture_path("edge", "data_labels.sav"))


def test_sav_fields_descriptions_and_types(sav):
    assert sav.format == "spss-sav" and sav.warnings == []
    s = sav.schema
    assert s.names == ["id", "sex", "happy", "income", "name", "visit", "score"]
    assert [f.type for f in s.fields] == ["integer", "integer", "integer", "number", "string",
                                         "date", "integer"]
    assert s.field("income").description == "Household income (thousands)"
    assert s.field("income").extras["sourceType"] == "F8.2"
    assert s.extras["description"] == "Tiny survey"
    assert s.field("id").extras["origin"] == {"parser": "rules", "format": "spss-sav"}


def test_sav_value_labels_and_user_missing(sav):
    happy = sav.schema.field("happy")
    assert happy.categories == [Category("1", "Very happy"), Category("2", "Pretty happy"),
                                Category("3", "Not too happy")]
    assert happy.missing_values == [Category("8", "Don't know"), Category("9", "No answer")]
    assert happy.categories_ordered is True
    income = sav.schema.field("income")
    assert income.categories == []                     # 97-99 is a missing range
    assert income.missing_values == [Category("97", "Refused"), Category("98", "Don't know"),
                                     Category("99")]
    sex = sav.schema.field("sex")
    assert sex.categories == [Category("1", "Male"), Category("2", "Female")]
    assert not sex.categories_ordered and sex.missing_values == []


def test_sav_wide_missing_range_kept_as_extra(sav):
    score = sav.schema.field("score")
    assert score.missing_values == [Category("-99", "Skipped")]
    assert score.extras["missingRanges"] == [{"minimum": -999, "maximum": -1}]
    d = score.to_descriptor()
    assert d["missingValues"] == [{"value": "-99", "label": "Skipped"}]


def test_descriptor_round_trip(sav):
    again = Schema.from_descriptor(sav.schema.to_descriptor())
    assert again.field("happy").missing_values == sav.schema.field("happy").missing_values
    assert again.field("visit").type == "date"


def test_dta_missing_codes_found_by_their_labels():
    r = parse_dictionary(fixture_path("edge", "data_labels.dta"))
    assert r.format == "stata-dta"
    happy = r.schema.field("happy")
    assert [c.value for c in happy.categories] == ["1", "2", "3"]
    assert happy.missing_values == [Category("8", "Don't know"), Category("9", "No answer")]
    assert r.schema.field("visit").type == "date"
    assert r.schema.field("name").type == "string"
    assert r.schema.field("id").extras["sourceType"] == "%10.0g"


def test_xpt_variable_labels():
    r = parse_dictionary(fixture_path("edge", "data_small.xpt"))
    assert r.format == "sas"
    assert [(f.name, f.type, f.description) for f in r.schema.fields] == [
        ("SUBJID", "string", "Subject id"), ("AGE", "number", "Age in years"),
        ("WEIGHT", "number", "Weight (kg)")]


def test_reader_labels_equal_the_parsed_dictionary(sav):
    ds = read_dataset(fixture_path("edge", "data_labels.sav"))
    assert ds.labels.field("happy").missing_values == sav.schema.field("happy").missing_values
    assert ds.labels.names == sav.schema.names


def test_damaged_files_get_a_clear_error(tmp_path):
    fake = tmp_path / "survey.sav"
    fake.write_text("id,name\n1,a\n")
    with pytest.raises(InputError, match="survey.sav does not start like an SPSS file"):
        parse_dictionary(fake)
    cut = tmp_path / "cut.dta"
    cut.write_bytes(fixture_path("edge", "data_labels.dta").read_bytes()[:200])
    with pytest.raises(InputError, match="cut.dta could not be read as a Stata file"):
        parse_dictionary(cut)


@pytest.mark.parametrize("fmt, storage, expected", [
    ("F8.2", "double", "number"), ("F3.0", "double", "integer"), ("A20", "string", "string"),
    ("ADATE10", "double", "date"), ("DATETIME20", "double", "datetime"),
    ("TIME8", "double", "time"), ("%td", "double", "date"), ("%tc", "double", "datetime"),
    ("%9.0g", "int16", "integer"), ("%9.0g", "double", "number"), ("%-12s", "string", "string"),
    ("%ty", "int16", "year"), ("$CHAR8.", "string", "string"), ("DATE9.", "double", "date"),
    ("BEST12.", "double", "number"), (None, "double", "number"),
])
def test_field_type_from_formats(fmt, storage, expected):
    assert field_type(fmt, storage) == expected


def test_code_text():
    assert (code_text(1.0), code_text(2.5), code_text("A"), code_text(float("-inf"))) == (
        "1", "2.5", "A", "LOWEST")
