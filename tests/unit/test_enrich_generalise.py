"""The enrichment pass on hand-written fields of other publishers' shapes: labels that embed
their code, missing codes in several languages, codes and ranges in prose, units tied to the
field (the title's, the first stated), formats that are no units."""

from __future__ import annotations

from engine.model import Category, Field
from engine.parsers.enrich import enrich


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


def _one(field: Field) -> Field:
    enrich([field], lambda message: None)
    return field


# ---- missing values --------------------------------------------------------------------------
def test_statistics_package_labels_lose_their_code_and_missing_ones_move():
    f = _one(Field("q7", categories=[Category("1", "'(1) Yes'"), Category("2", "'(2) No'"),
                                     Category("8", "'(8) Not applicable'"),
                                     Category("9", "'(9) Don''t know'")]))
    assert _pairs(f.categories) == [("1", "Yes"), ("2", "No")]
    assert _pairs(f.missing_values) == [("8", "Not applicable"), ("9", "Don't know")]


def test_missing_labels_in_several_languages_move():
    f = _one(Field("p3", categories=[Category("1", "Sí"), Category("2", "No"),
                                     Category("98", "No corresponde"),
                                     Category("99", "No sabe / No responde (NS/NR)")]))
    assert _pairs(f.categories) == [("1", "Sí"), ("2", "No")]
    assert [c.value for c in f.missing_values] == ["98", "99"]
    f = _one(Field("v9", categories=[Category("1", "ja"), Category("-1", "Keine Angabe"),
                                     Category("-2", "Trifft nicht zu")]))
    assert [c.value for c in f.missing_values] == ["-1", "-2"]


def test_a_missing_code_written_twice_is_one_missing_value():
    f = _one(Field("n", type="integer", description="-9.00 = No answer",
                   missing_values=[Category("-9")]))
    assert _pairs(f.missing_values) == [("-9", "No answer")]


def test_missing_codes_stated_in_the_description_join():
    f = _one(Field("kids", type="integer",
                   description="Number of children. -9 (No answer), -8 (Don't know)"))
    assert _pairs(f.missing_values) == [("-9", "No answer"), ("-8", "Don't know")]
    assert f.categories == []


def test_missing_codes_a_note_states_join_without_the_note_as_label():
    note = ("Only one answer was allowed: the asterisk (*) means multiple marks and the dot (.) "
            "a blank answer.")
    f = _one(Field("q2", categories=[Category("A", "Yes"), Category("B", "No")],
                   extras={"notes": note}))
    assert _pairs(f.missing_values) == [("*", None), (".", None)]
    assert [c.value for c in f.categories] == ["A", "B"]


def test_a_valid_code_is_not_made_missing_by_a_sentence():
    f = _one(Field("q", description="Missing values: 9", categories=[Category("9", "Nine")]))
    assert f.missing_values == [] and _pairs(f.categories) == [("9", "Nine")]


# ---- codes and ranges in prose ---------------------------------------------------------------
def test_codes_in_prose_fill_a_field_without_codes():
    f = _one(Field("bill_type", description="Type of bill: house bill (hr), senate bill (s), "
                                            "house joint resolution (hjres)"))
    assert [c.value for c in f.categories] == ["hr", "s", "hjres"]
    assert f.unit is None and f.type == "string"


def test_values_listed_without_a_cue_are_no_codes_and_no_range():
    f = _one(Field("q", type="integer", description="Quality rating (1,2,3)"))
    assert f.categories == [] and f.constraints == {}
    f = _one(Field("q", type="integer", description="Quality rating; values are (1,2,3)"))
    assert [c.value for c in f.categories] == ["1", "2", "3"]


def test_scale_ends_labelled_are_a_range():
    f = _one(Field("health", type="integer", description="Score with 0 indicating worst health "
                                                         "and 100 indicating best health"))
    assert f.categories == [] and f.constraints == {"minimum": 0, "maximum": 100}
    f = _one(Field("change", description="Degree of change, 0 = no changes … 9 = marked "
                                         "changes"))
    assert f.categories == [] and f.constraints == {"minimum": 0, "maximum": 9}


def test_two_labelled_ends_joined_by_to_are_a_range():
    f = _one(Field("pain", type="integer", description="1 = low to 3 = high"))
    assert f.categories == [] and f.constraints == {"minimum": 1, "maximum": 3}
    f = _one(Field("sex", description="1 = Male - 2 = Female"))
    assert [c.value for c in f.categories] == ["1", "2"] and f.constraints == {}


def test_ranges_in_words():
    f = _one(Field("days", type="integer", description="Days exercised last month. zero was "
                   "the minimum input possible and thirty-one was the maximum"))
    assert f.constraints == {"minimum": 0, "maximum": 31}
    f = _one(Field("score", type="integer", description="Maximum score possible is 100"))
    assert f.constraints == {"maximum": 100}
    f = _one(Field("amount", type="number", description="Amount paid; must be positive"))
    assert f.constraints == {"minimum": 0}


def test_observed_statistics_are_no_range():
    f = _one(Field("age", type="integer", description="Age. Observed range 18 to 90; the "
                                                      "observed maximum is 90"))
    assert f.constraints == {}


# ---- units -----------------------------------------------------------------------------------
def test_the_stated_unit_not_one_mentioned_elsewhere():
    f = _one(Field("height", type="number", description="Height of the child in inches (the "
                   "clinic converts centimetres to inches before entry)."))
    assert f.unit == "inches"
    f = _one(Field("weight", type="number", description="Weight in pounds; kilograms were "
                                                        "converted."))
    assert f.unit == "lb"


def test_the_title_unit_before_the_description_unit():
    f = _one(Field("wt", type="number", title="Weight (lbs)",
                   description="Weighed on a scale calibrated in kg."))
    assert f.unit == "lbs"


def test_a_unit_stated_in_a_later_sentence():
    f = _one(Field("waist", type="number", description="Waist circumference. Measured in "
                                                       "centimeters over light clothing."))
    assert f.unit == "cm"
    f = _one(Field("n", type="integer", description="Count of cases. About 5% were imputed."))
    assert f.unit is None


def test_unitless_and_date_patterns_are_no_units():
    f = _one(Field("ratio", type="number", description="Ratio of two lengths (unitless)"))
    assert f.unit is None
    f = _one(Field("ratio", type="number", unit="unitless"))
    assert f.unit is None
    f = _one(Field("sampled", type="string", description="Sample date as %Y-%m-%d"))
    assert (f.type, f.format, f.unit) == ("date", "%Y-%m-%d", None)
    f = _one(Field("sampled", type="date", unit="%d/%m/%Y"))
    assert (f.format, f.unit) == ("%d/%m/%Y", None)


def test_rates_keep_their_written_form():
    f = _one(Field("incidence", type="number",
                   description="Malaria incidence (cases per 10 reporting facilities)"))
    assert f.unit == "cases per 10 reporting facilities"
    f = _one(Field("hr", type="integer", title="Heart rate (beats/min)"))
    assert f.unit == "beats/min"


# ---- machine formats: what a parser read is kept ---------------------------------------------
def test_a_machine_field_keeps_its_codes_range_and_unit():
    f = _one(Field("AGE", type="integer", description="Age (in years) from 0 to 120",
                   unit="years", constraints={"minimum": 0, "maximum": 99},
                   missing_values=[Category(".", "Missing")]))
    assert f.constraints == {"minimum": 0, "maximum": 99} and f.unit == "years"
    assert _pairs(f.missing_values) == [(".", "Missing")]
