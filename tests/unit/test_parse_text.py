"""The free-text dictionary parser (engine.parsers.text), on real files and hand-written edges.

Real files: house-prices/data_description.txt, german-credit/german.doc,
ice-covid-outbreaks/data_dictionary.docx, material-intensity-buildings/codebook.md,
nyc-taxi-yellow PDF text (fallback reading of the flattened table), heart-disease.names
read as plain text.

Edge files (tests/fixtures/edge/):
- text_code_forms.txt: one field per code-line form (`1 = Yes`, `1. Yes`, `1) Yes`, `1 Yes`,
  `Ex<TAB>Excellent`, `A11 : ...` with a wrapped label, `-- Value 1:`, `{1} Yes`,
  `"1" "Yes"`), `9 = Refused`, `-1 = missing`, `98 Don't know`; a Title/Version preamble.
- text_inline_units.txt: `1=Male; 0=Female` inline, `a factor with levels ...`,
  `in years`, `range 0-120`, `between 20 and 250`, `(0-3)`, `1946 & NEWER` (no range),
  curly-quoted values, `YYYY-MM-DD`.
- text_indented.txt: names alone on a line with an indented description and codes below.
- text_spaced_columns.txt: `NAME<2+ spaces>description` with a `Variable  Description` header.
- text_markdown.md: YAML front matter, headings, bold/backtick names in bullets and numbered
  lists, `name (type):`, a `Note:` paragraph, a special-values section (`NA` missing).
- text_preamble_c45.txt: `1. Title:`, `(b) Date: July, 1988`, `Site A: 303` preamble lines
  that are not fields, then `age: continuous.` lines.
- text_definitions.html: an HTML `<dl>` of term/definition pairs.
- text_no_fields.txt: prose and preamble keys only: nothing, so the dispatcher says so.
"""

from __future__ import annotations

import shutil

import pytest

from harness.fixtures import fixture_path
from engine.errors import NoFieldsFound
from engine.parsers import parse_dictionary
from engine.parsers.text import fields_from_lines, strip_footnotes


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


def _edge(name: str):
    return parse_dictionary(fixture_path("edge", name))


# ---- house prices ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def house():
    return parse_dictionary(fixture_path("house-prices", "data_description.txt"))


def test_house_prices_has_all_79_fields_in_order(house):
    assert house.format == "text"
    names = house.schema.names
    assert len(names) == 79
    assert names[:3] == ["MSSubClass", "MSZoning", "LotFrontage"]
    assert names[-1] == "SaleCondition"
    assert {"Bedroom", "Kitchen", "1stFlrSF", "3SsnPorch"} <= set(names)  # names as written


def test_house_prices_numeric_code_list(house):
    f = house.schema.field("MSSubClass")
    assert f.description == "Identifies the type of dwelling involved in the sale."
    assert f.type == "integer"
    assert [c.value for c in f.categories] == ["20", "30", "40", "45", "50", "60", "70", "75",
                                               "80", "85", "90", "120", "150", "160", "180",
                                               "190"]
    assert _pairs(f.categories)[0] == ("20", "1-STORY 1946 & NEWER ALL STYLES")
    assert f.constraints == {}  # `1946 & NEWER` in labels is no range


def test_house_prices_na_is_a_real_category(house):
    alley = house.schema.field("Alley")
    assert _pairs(alley.categories) == [("Grvl", "Gravel"), ("Pave", "Paved"),
                                        ("NA", "No alley access")]
    assert alley.missing_values == []
    assert alley.type == "string"
    assert _pairs(house.schema.field("BsmtExposure").categories)[-1] == ("NA", "No Basement")


def test_house_prices_codes_with_spaces_and_trailing_tabs(house):
    ext = house.schema.field("Exterior2nd")
    assert ("Wd Sdng", "Wood Siding") in _pairs(ext.categories)
    assert ("Wd Shng", "Wood Shingles") not in _pairs(ext.categories)  # the data's, not the doc's
    assert _pairs(house.schema.field("Street").categories) == [("Grvl", "Gravel"),
                                                               ("Pave", "Paved")]
    assert _pairs(house.schema.field("OverallQual").categories)[0] == ("10", "Very Excellent")
    assert house.schema.field("BsmtQual").categories[4].label == "Poor (<70 inches"


def test_house_prices_units_and_plain_fields(house):
    lot = house.schema.field("LotFrontage")
    assert (lot.description, lot.unit, lot.type) == (
        "Linear feet of street connected to property", "feet", "number")
    assert house.schema.field("LotArea").unit == "square feet"
    assert house.schema.field("MiscVal").unit == "USD"
    assert house.schema.field("Fireplaces").type == "integer"  # `Number of fireplaces`
    assert house.schema.field("YrSold").type == "year"         # `Year Sold (YYYY)`
    bedroom = house.schema.field("Bedroom")
    assert bedroom.description == "Bedrooms above grade (does NOT include basement bedrooms)"
    assert bedroom.categories == []


# ---- german credit --------------------------------------------------------------------
@pytest.fixture(scope="module")
def german():
    return parse_dictionary(fixture_path("german-credit", "german.doc"))


def test_german_credit_generated_names_and_class(german):
    assert german.format == "text"
    assert german.schema.names == [f"attribute_{i}" for i in range(1, 21)] + ["class"]
    assert any("attribute_1 … attribute_20" in w for w in german.warnings)
    cls = german.schema.field("class")
    assert _pairs(cls.categories) == [("1", "Good"), ("2", "Bad")]


def test_german_credit_code_lists_with_wrapped_labels(german):
    a1 = german.schema.field("attribute_1")
    assert a1.title == "Status of existing checking account"
    assert a1.type == "string"
    assert a1.extras["sourceType"] == "qualitative"
    assert _pairs(a1.categories) == [
        ("A11", "... < 0 DM"), ("A12", "0 <= ... < 200 DM"),
        ("A13", "... >= 200 DM / salary assignments for at least 1 year"),
        ("A14", "no checking account")]
    a3 = german.schema.field("attribute_3")
    assert _pairs(a3.categories)[0] == ("A30", "no credits taken/ all credits paid back duly")
    a12 = german.schema.field("attribute_12")
    assert a12.categories[1].label == ("if not A121 : building society savings agreement/ "
                                       "life insurance")
    assert [c.value for c in german.schema.field("attribute_4").categories][-1] == "A410"


def test_german_credit_typo_and_numeric_attributes(german):
    a6 = german.schema.field("attribute_6")  # `Attibute 6` in the file
    assert a6.title == "Savings account/bonds"
    assert _pairs(a6.categories)[-1] == ("A65", "unknown/ no savings account")
    assert a6.missing_values == []           # `unknown/ no savings account` is a real answer
    a2 = german.schema.field("attribute_2")
    assert (a2.title, a2.type, a2.unit) == ("Duration in month", "number", "months")
    assert a2.extras["sourceType"] == "numerical"
    assert german.schema.field("attribute_13").unit == "years"


# ---- ICE outbreaks (DOCX paragraphs) --------------------------------------------------------
@pytest.fixture(scope="module")
def ice():
    return parse_dictionary(fixture_path("ice-covid-outbreaks", "data_dictionary.docx"))


def test_ice_docx_paragraph_definitions(ice):
    assert ice.format == "text"
    names = ice.schema.names
    assert len(names) == 32  # 15 + 22 entries, 5 names in both sections merged
    assert names[:3] == ["date", "facility", "state"]
    assert "cummulative_cases" in names and "max_incidence_percent" in names
    assert not {"Summary", "Terms", "Data Sources"} & set(names)
    assert any("merged" in w and "political_leaning" in w for w in ice.warnings)
    date = ice.schema.field("date")
    assert (date.description, date.type) == ("date of recorded case count in YYYY-MM-DD format",
                                             "date")


def test_ice_docx_curly_quoted_values_and_footnotes(ice):
    op = ice.schema.field("operator_class")
    # values listed without labels are their own labels
    assert _pairs(op.categories) == [("Public", "Public"), ("Private", "Private")]
    assert op.description.endswith("(from National Immigrant Justice Center)")  # no `Center2`
    assert ice.schema.field("state").description == (
        "state in which facility is located (from the CPP data set)")
    lean = ice.schema.field("political_leaning")
    assert [c.value for c in lean.categories] == ["R", "D"]
    assert lean.categories[0].label.startswith("Republican")
    assert [c.value for c in ice.schema.field("vax_timing").categories] == ["early", "late"]
    assert ice.schema.field("outbreak").type == "boolean"
    assert ice.schema.field("unique_outbreak").categories == []  # “outbreak” is a column


def test_strip_footnotes_leaves_names_and_numbers():
    assert strip_footnotes("from CDC5) and Wang, et al.4)") == "from CDC) and Wang, et al.)"
    assert strip_footnotes("COVID-19 in phase 1 of week3_total") == (
        "COVID-19 in phase 1 of week3_total")


# ---- material intensity codebook.md --------------------------------------------------------
def test_material_codebook_md_columns_and_special_values():
    r = parse_dictionary(fixture_path("material-intensity-buildings", "codebook.md"))
    assert r.format == "text"
    assert r.schema.names == ["variable_name", "notes", "unit", "values",
                              "classification_scheme", "missing_data", "required"]
    assert r.schema.field("variable_name").description == "The name of the variable"
    assert r.schema.field("required").type == "boolean"   # `[TRUE, FALSE] Indicates ...`
    assert r.schema.missing_values == ["", "NULL", "NA", "unspecified"]
    assert any("special values" in w for w in r.warnings)


# ---- fallbacks on other real files ---------------------------------------------------------
def test_nyc_pdf_text_read_below_a_field_name_header():
    """The flattened PDF table: one-space `NAME description` rows below `Field Name Description`."""
    from pathlib import Path

    from engine.formats import load_document

    path = fixture_path("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf")
    lines = load_document(Path(path), path.name).text.splitlines()
    fields, _ = fields_from_lines(lines, lambda m: None)
    by_name = {f.name: f for f in fields}
    assert len(fields) == 17
    assert _pairs(by_name["VendorID"].categories) == [
        ("1", "Creative Mobile Technologies, LLC"), ("2", "VeriFone Inc.")]
    assert [c.value for c in by_name["RateCodeID"].categories] == ["1", "2", "3", "4", "5", "6"]
    assert _pairs(by_name["Payment_type"].missing_values) == [("5", "Unknown")]
    assert by_name["Trip_distance"].unit == "miles"
    assert by_name["Passenger_count"].description == (
        "The number of passengers in the vehicle. This is a driver-entered value.")
    assert by_name["Extra"].description.startswith("Miscellaneous extras and surcharges.")


def test_heart_disease_read_as_plain_text(tmp_path):
    """The numbered attribute list also works under a .txt name (through the text parser)."""
    path = tmp_path / "heart.txt"
    shutil.copy(fixture_path("uci-heart-disease", "heart-disease.names"), path)
    r = parse_dictionary(path)
    assert r.format == "text"
    assert r.schema.names[:3] == ["age", "sex", "cp"]
    assert len(r.schema.names) == 76


def test_fivethirtyeight_readme_prose_gives_no_fields():
    """The README's fields are in pipe tables (the tabular parser's); its prose has none."""
    lines = fixture_path("fivethirtyeight-primary-candidates-2018", "README.md").read_text(
        encoding="utf-8").splitlines()
    fields, _ = fields_from_lines(lines, lambda m: None, markdown=True)
    assert fields == []


# ---- hand-written edge cases --------------------------------------------------------------
def test_edge_every_code_line_form():
    r = _edge("text_code_forms.txt")
    s = r.schema
    assert r.format == "text"
    assert s.names == [f"q{i}" for i in range(1, 11)]  # `Version: 2.1`, `Source:` are not fields
    q1 = s.field("q1")
    assert (_pairs(q1.categories), _pairs(q1.missing_values)) == (
        [("1", "Yes"), ("2", "No")], [("9", "Refused")])
    assert _pairs(s.field("q2").categories) == [("1", "Excellent"), ("2", "Good"), ("3", "Poor")]
    assert _pairs(s.field("q3").categories) == [("1", "Yes"), ("2", "No")]
    assert _pairs(s.field("q4").categories) == [("1", "North"), ("2", "South")]
    assert _pairs(s.field("q5").categories) == [("Ex", "Excellent"), ("Gd", "Good"),
                                                ("NA", "No kitchen")]
    assert _pairs(s.field("q6").categories)[1] == ("A12", "0 <= ... < 200 DM / salary assignments")
    assert _pairs(s.field("q7").categories) == [("1", "typical angina"), ("2", "atypical angina")]
    assert _pairs(s.field("q8").categories) == [("1", "Yes"), ("0", "No")]
    assert _pairs(s.field("q9").categories) == [("1", "Yes"), ("2", "No")]
    q10 = s.field("q10")
    assert _pairs(q10.categories) == [("1", "Male"), ("2", "Female")]
    assert _pairs(q10.missing_values) == [("-1", "missing"), ("98", "Don't know")]
    assert q10.type == "integer"


def test_edge_inline_codes_units_and_ranges():
    s = _edge("text_inline_units.txt").schema
    assert _pairs(s.field("sex").categories) == [("1", "Male"), ("0", "Female")]
    assert [c.value for c in s.field("species").categories] == ["setosa", "versicolor",
                                                               "virginica"]
    age = s.field("age")
    assert (age.unit, age.type, age.constraints) == ("years", "number",
                                                     {"minimum": 0, "maximum": 120})
    weight = s.field("weight")
    assert (weight.unit, weight.constraints) == ("kg", {"minimum": 20, "maximum": 250})
    assert s.field("income").unit == "USD"
    assert s.field("vessels").constraints == {"minimum": 0, "maximum": 3}
    smoker = s.field("smoker")
    assert _pairs(smoker.missing_values) == [("9", "Refused")]
    assert [c.value for c in smoker.categories] == ["1", "0"]
    assert s.field("built").constraints == {}
    assert [c.value for c in s.field("region").categories] == ["North", "South", "East"]
    assert s.field("visit_date").type == "date"


def test_edge_names_with_indented_descriptions():
    s = _edge("text_indented.txt").schema
    assert s.names == ["AGE", "SEX", "EDUC", "HHSIZE"]  # the all-caps title is not a field
    assert s.field("AGE").description == "Age of the respondent at the interview, in years."
    assert s.field("AGE").unit == "years"
    sex = s.field("SEX")
    assert (_pairs(sex.categories), _pairs(sex.missing_values)) == (
        [("1", "Male"), ("2", "Female")], [("9", "No answer")])
    assert _pairs(s.field("EDUC").missing_values) == [("8", "Don't know")]
    assert s.field("HHSIZE").type == "integer"


def test_edge_space_separated_columns():
    s = _edge("text_spaced_columns.txt").schema
    assert s.names == ["id", "age_years", "wt_kg", "smoker"]  # the header row is no field
    assert s.field("wt_kg").unit == "kg"
    assert _pairs(s.field("smoker").categories) == [("1", "yes"), ("0", "no")]


def test_edge_markdown_codebook():
    r = _edge("text_markdown.md")
    s = r.schema
    assert s.names == ["respondent_id", "age", "smoker", "region", "income", "consent"]
    age = s.field("age")
    assert (age.type, age.extras["sourceType"], age.constraints) == (
        "integer", "integer", {"minimum": 18, "maximum": 99})
    assert [c.value for c in s.field("region").categories] == ["urban", "rural"]
    assert s.field("income").description == "Household income in dollars, see the methods"
    assert s.field("consent").type == "boolean"
    assert r.schema.missing_values == ["", "NA"]


def test_edge_preamble_is_not_fields():
    s = _edge("text_preamble_c45.txt").schema
    assert s.names == ["age", "colour", "height"]
    assert s.field("age").type == "number"
    assert s.field("age").extras["sourceType"] == "continuous"


def test_edge_html_definition_list():
    s = _edge("text_definitions.html").schema
    assert s.names == ["record_id", "bmi", "smoker"]
    bmi = s.field("bmi")
    assert (bmi.unit, bmi.constraints) == ("kg/m²", {"minimum": 10, "maximum": 80})
    assert _pairs(s.field("smoker").missing_values) == [("9", "Refused")]


def test_edge_prose_only_raises_no_fields_found():
    with pytest.raises(NoFieldsFound):
        _edge("text_no_fields.txt")


def test_single_field_is_not_enough():
    """Precision: one `Name: text` line in prose is more likely a remark than a dictionary."""
    fields, _ = fields_from_lines(["Some notes.", "", "Conclusion: we are done."],
                                  lambda m: None)
    assert len(fields) == 1  # found, but parse_text yields nothing below two fields


def test_codes_at_column_zero_under_a_field():
    lines = ["sex:", "M: Male", "F: Female", "", "age: Age in years"]
    fields, _ = fields_from_lines(lines, lambda m: None)
    assert [f.name for f in fields] == ["sex", "age"]
    assert _pairs(fields[0].categories) == [("M", "Male"), ("F", "Female")]


def test_preamble_keys_only_in_title_case():
    """`Date: July, 1988` is preamble; `date:` and `DATE:` are variables of that name."""
    lines = ["Title: Example", "Date: July, 1988", "", "date: Date of the interview",
             "DATE: Date of the interview (upper-case style)", "SOURCE: Sampling frame"]
    fields, _ = fields_from_lines(lines, lambda m: None)
    assert [f.name for f in fields] == ["date", "DATE", "SOURCE"]


def test_weak_heads_need_a_run_but_long_code_lists_do_not_break_it():
    """`NAME` alone / `NAME - text` count only in a run of three; codes inside keep the run."""
    lines = []
    for name in ("STATE", "COUNTY", "TRACT"):
        lines += [name, "    Geographic code."] + [f"    {i} = Area {i}" for i in range(1, 31)]
    fields, _ = fields_from_lines(lines, lambda m: None)
    assert [f.name for f in fields] == ["STATE", "COUNTY", "TRACT"]
    assert len(fields[2].categories) == 30
    prose = ["(Site A - Stanford; PI - Nicolls)", "Center - Stanford; PI - Nicolls)",
             "Some question text", "PI - Ware)", "", "More prose here."]
    assert fields_from_lines(prose, lambda m: None)[0] == []
