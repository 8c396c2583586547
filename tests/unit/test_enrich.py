"""The enrichment pass every parser's fields go through (engine.parsers.enrich): it fills only
what a field lacks, moves missing-labelled codes to the missing values, and reports
contradictions instead of guessing."""

from __future__ import annotations

from engine.model import Category, Field
from engine.parsers import parse_dictionary
from engine.parsers.enrich import enrich


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


def _one(field: Field) -> tuple[Field, list[str]]:
    warnings: list[str] = []
    enrich([field], warnings.append)
    return field, warnings


# ---- codes -----------------------------------------------------------------------------------
def test_codes_from_the_description_when_the_field_has_none():
    # xlsx-titled-sheets-elo
    f, _ = _one(Field("authorized_flag", description="Y' if approved, 'N' if denied"))
    assert _pairs(f.categories) == [("Y", "approved"), ("N", "denied")]
    assert f.type == "string" and f.description == "Y' if approved, 'N' if denied"


def test_codes_from_the_title_when_the_description_has_none():
    f, _ = _one(Field("sex", title="Sex (1 = male; 2 = female)"))
    assert _pairs(f.categories) == [("1", "male"), ("2", "female")] and f.type == "integer"


def test_existing_codes_are_kept():
    f, _ = _one(Field("sex", description="1 = male; 2 = female",
                      categories=[Category("M", "Male"), Category("F", "Female")]))
    assert _pairs(f.categories) == [("M", "Male"), ("F", "Female")]


def test_a_quantity_takes_no_word_codes():
    f, _ = _one(Field("n", type="integer", description="One of: low, medium, high"))
    assert f.categories == []


def test_dates_and_checkboxes_take_no_codes():
    f, _ = _one(Field("d", type="date", description="1 = first; 2 = second"))
    assert f.categories == []


def test_a_code_with_two_labels_keeps_the_first_and_warns():
    f, warnings = _one(Field("sex", description="1=Male; 1=Female; 2=Other"))
    assert _pairs(f.categories) == [("1", "Male"), ("2", "Other")]
    assert len(warnings) == 1 and "sex" in warnings[0] and "code 1" in warnings[0]
    assert "Male" in warnings[0] and "Female" in warnings[0]


def test_a_parser_code_with_two_labels_is_reported_too():
    f, warnings = _one(Field("sex", categories=[Category("1", "Male"), Category("1", "Female"),
                                                Category("2", "Other")]))
    assert _pairs(f.categories) == [("1", "Male"), ("2", "Other")] and len(warnings) == 1


def test_a_label_running_on_into_the_list_is_split():
    f, warnings = _one(Field("sex", categories=[Category("1", "Male; 1=Female; 2=Other")]))
    assert _pairs(f.categories) == [("1", "Male"), ("2", "Other")]
    assert "two labels" in warnings[0]


def test_two_scale_ends_are_a_range_not_codes():
    # bullet-pdf-political-participation
    f, _ = _one(Field("lr", description="Where would you place yourself on this scale, where 0 "
                                        "means the left and 10 means the right?"))
    assert f.categories == [] and f.constraints == {"minimum": 0, "maximum": 10}


def test_two_codes_far_apart_are_scale_ends():
    f, _ = _one(Field("tired", description="How tired are you? 0=not tired at all, "
                                           "10=extremely tired"))
    assert f.categories == [] and f.constraints == {"minimum": 0, "maximum": 10}
    f, _ = _one(Field("smoker", description="1 = Yes, 5 = No"))
    assert _pairs(f.categories) == [("1", "Yes"), ("5", "No")]


# ---- missing values --------------------------------------------------------------------------
def test_missing_labelled_codes_move_to_missing_values():
    # ddi-ipums-atus-extract, redcap-instrument-csv-scid5, docx-tables-hebrew-young-drivers
    f, _ = _one(Field("SEX", categories=[Category("1", "Male"), Category("2", "Female"),
                                         Category("99", "NIU (Not in universe)")]))
    assert _pairs(f.categories) == [("1", "Male"), ("2", "Female")]
    assert _pairs(f.missing_values) == [("99", "NIU (Not in universe)")]
    f, _ = _one(Field("RAMZOR", description="0- לא\n1 – כן\n9- לא ידוע"))
    assert _pairs(f.categories) == [("0", "לא"), ("1", "כן")]
    assert _pairs(f.missing_values) == [("9", "לא ידוע")]


def test_missing_label_fills_an_unlabelled_missing_value():
    f, _ = _one(Field("x", categories=[Category("1", "Yes"), Category("9", "Refused")],
                      missing_values=[Category("9")]))
    assert _pairs(f.missing_values) == [("9", "Refused")] and _pairs(f.categories) == [("1", "Yes")]


def test_checkbox_choices_stay_codes():
    f, _ = _one(Field("race", categories=[Category("1", "White"), Category("99", "Unknown")],
                      extras={"checkbox": True}))
    assert [c.value for c in f.categories] == ["1", "99"] and f.missing_values == []


def test_a_missing_code_stated_in_a_sentence():
    # txt-jse-okcupid-codebook
    f, _ = _one(Field("income", description="(US $, -1 means rather not say) -1, 20000, 30000"))
    assert _pairs(f.missing_values) == [("-1", "rather not say")] and f.unit == "USD"


# ---- range -----------------------------------------------------------------------------------
def test_range_from_the_description():
    # docx-sectioned-tables-grave-d
    f, _ = _one(Field("polity2", type="integer",
                      description="Combined Polity score (−10 to +10). democ − autoc."))
    assert f.constraints == {"minimum": -10, "maximum": 10}


def test_range_from_the_source_type():
    f, _ = _one(Field("hindgenpct_b", type="number", description="Hindu Percentage (Target).",
                      extras={"sourceType": "Continuous (0–100)"}))
    assert f.constraints == {"minimum": 0, "maximum": 100} and f.unit == "%"


def test_a_stated_range_is_not_replaced_and_strings_take_none():
    f, _ = _one(Field("x", type="number", description="(0-10)", constraints={"minimum": 1}))
    assert f.constraints == {"minimum": 1}
    f, _ = _one(Field("x", type="string", description="(0-10)"))
    assert f.constraints == {}


def test_observed_statistics_are_no_range():
    f, _ = _one(Field("x", description="Obs. 214960 Mean 5.2 Std.Dev. 2.6 Min. 0 Max. 10"))
    assert f.constraints == {}


def test_minimum_above_maximum_is_dropped_with_a_warning():
    f, warnings = _one(Field("age", type="integer", constraints={"minimum": 120, "maximum": 0,
                                                                  "required": True}))
    assert f.constraints == {"required": True}
    assert len(warnings) == 1 and "age" in warnings[0] and "120" in warnings[0]


def test_bounds_written_as_text_are_compared_as_numbers_and_dates_left_alone():
    f, warnings = _one(Field("n", type="integer", constraints={"minimum": "50", "maximum": "5"}))
    assert f.constraints == {} and len(warnings) == 1
    f, warnings = _one(Field("d", type="date", constraints={"minimum": "2020-12-31",
                                                             "maximum": "2020-01-01"}))
    assert f.constraints["minimum"] == "2020-12-31" and warnings == []


# ---- unit ------------------------------------------------------------------------------------
def test_unit_from_the_description_name_or_title():
    f, _ = _one(Field("flipper", type="integer",
                      description="an integer denoting the length penguin flipper (millimeters)"))
    assert f.unit == "mm"
    f, _ = _one(Field("κₑ.n [W/K/m/s]", description="Average eigenvalue, in [W/K/m/s]."))
    assert f.unit == "W/K/m/s" and f.type == "number"
    f, _ = _one(Field("age", title="Age (years)"))
    assert f.unit == "years"


def test_unit_only_from_the_first_sentence_and_never_replaced():
    f, _ = _one(Field("n", type="integer", description="Count of cases. About 5% were imputed."))
    assert f.unit is None
    f, _ = _one(Field("w", type="number", unit="lb", description="weight in kilograms"))
    assert f.unit == "lb"


def test_a_coded_field_takes_no_unit():
    f, _ = _one(Field("age_category", description="Age category in years",
                      categories=[Category("1", "25 years old")]))
    assert f.unit is None


# ---- through the dispatcher ------------------------------------------------------------------
def test_every_parse_goes_through_the_pass(tmp_path):
    path = tmp_path / "dictionary.csv"
    path.write_text("variable,description\n"
                    "approved,\"Y' if approved, 'N' if denied\"\n"
                    "score,Polity score (−10 to +10)\n", encoding="utf-8")
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert _pairs(fields["approved"].categories) == [("Y", "approved"), ("N", "denied")]
    assert fields["approved"].description == "Y' if approved, 'N' if denied"
    assert fields["score"].constraints == {"minimum": -10, "maximum": 10}


def test_a_contradiction_reaches_the_warnings(tmp_path):
    path = tmp_path / "codebook.txt"
    path.write_text("sex: Sex of the respondent\n    1=Male; 1=Female; 2=Other\n"
                    "age: Age in years\n", encoding="utf-8")
    result = parse_dictionary(path)
    fields = {f.name: f for f in result.schema.fields}
    assert _pairs(fields["sex"].categories) == [("1", "Male"), ("2", "Other")]
    assert any("sex" in w and "code 1" in w and "Female" in w for w in result.warnings)
