"""The shared code-list helpers (engine.parsers.codes) on strings taken from real dictionaries.

Positive cases come from the corpus (house prices, german credit, heart disease, NYC taxi,
ICE outbreaks, REDCap, R documentation); negative cases are preamble and prose lines of the
same files that must not turn into codes, units or ranges.
"""

from __future__ import annotations

import pytest

from engine.model import Category
from engine.parsers.codes import (clean_label, find_range, find_unit, infer_type_from_codes,
                                  is_missing_label, map_type, parse_code_line,
                                  parse_inline_codes, split_missing)


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


# ---- parse_code_line ----------------------------------------------------------------
@pytest.mark.parametrize("line, value, label", [
    ("1 = Yes", "1", "Yes"),
    ("1=Yes", "1", "Yes"),
    ("1. Yes", "1", "Yes"),
    ("1) Yes", "1", "Yes"),
    ("1 Yes", "1", "Yes"),
    ("10 Very Excellent", "10", "Very Excellent"),
    ("       Ex\tExcellent", "Ex", "Excellent"),                       # house prices
    ("       NA \tNo alley access", "NA", "No alley access"),          # NA is a real code
    ("       Wd Sdng\tWood Siding", "Wd Sdng", "Wood Siding"),         # code with a space
    ("        20\t1-STORY 1946 & NEWER ALL STYLES", "20", "1-STORY 1946 & NEWER ALL STYLES"),
    ("       Grvl\tGravel\t", "Grvl", "Gravel"),                       # trailing tab
    ("A11 :      ... <    0 DM", "A11", "... < 0 DM"),                 # german credit
    ("\t       A91 : male   : divorced/separated", "A91", "male : divorced/separated"),
    ("A410 : others", "A410", "others"),
    ("        -- Value 1: typical angina", "1", "typical angina"),     # heart disease
    ("-- Value 0: < 50% diameter narrowing", "0", "< 50% diameter narrowing"),
    ("{1} Yes", "1", "Yes"),                                           # REDCap PDF
    ("{98} Unknown", "98", "Unknown"),
    ('"1" "Yes"', "1", "Yes"),
    ('"NA" = "Not asked"', "NA", "Not asked"),
    ("-1 = missing", "-1", "missing"),
    ("9 = Refused", "9", "Refused"),
    ("98 Don't know", "98", "Don't know"),
    ("          1 = Bruce     ", "1", "Bruce"),
    ("- 1 = Yes", "1", "Yes"),                                         # Markdown bullet
    ("* 2 = No", "2", "No"),
    ("(1) Strongly agree", "1", "Strongly agree"),
    ("A = Agree", "A", "Agree"),
    ("Y= store and forward trip", "Y", "store and forward trip"),      # NYC taxi
    ("2=JFK", "2", "JFK"),
    ("M: Male", "M", "Male"),
    ("1 - Yes", "1", "Yes"),
    ("1.5 = one and a half", "1.5", "one and a half"),
])
def test_code_line_forms(line, value, label):
    assert _pairs([parse_code_line(line)]) == [(value, label)]


@pytest.mark.parametrize("line", [
    "",
    "   \t  ",
    "Number of Instances:  1000",
    "3. Number of Instances:  1000",
    "1. Title: German Credit data",
    "This dataset requires use of a cost matrix (see below)",
    "The age of the respondent in years",
    "2014 was a year of change",
    "20 percent of respondents were re-interviewed",
    "12 years of schooling",
    "Status of existing checking account",
    "Duration in month",
    "Purpose",
    "foreign worker",
    "age: age in years",                       # a field head, not a code
    "MSSubClass: Identifies the type of dwelling involved in the sale.\t",
    "Note: this is important",
    "1. Discretized agrossincome into two ranges with threshold 50,000.",
    "2. Convert U.S. to US to avoid periods.",
    "the rows represent the actual classification and the columns",
    "  1   0        1",                          # a row of the cost matrix
    "5901 E. 7th Street",                        # an address
    "http://www.census.gov/ftp/pub",
    "Long Beach, CA 90028",
    "written!)",
    "(1 = Good,  2 = Bad)",                      # an inline list, not one code
])
def test_lines_that_are_not_codes(line):
    assert parse_code_line(line) is None


def test_clean_label_collapses_space_and_quotes():
    assert clean_label('  "No   alley  access" ; ') == "No alley access"


# ---- parse_inline_codes -----------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("1=Male; 0=Female", [("1", "Male"), ("0", "Female")]),
    ("sex (1 = male; 0 = female)", [("1", "male"), ("0", "female")]),
    ("1= Creative Mobile Technologies, LLC; 2= VeriFone Inc.",
     [("1", "Creative Mobile Technologies, LLC"), ("2", "VeriFone Inc.")]),
    ("1, Yes | 2, No", [("1", "Yes"), ("2", "No")]),
    ("AP, Asia-Pacific | NA, NA-ACCORD | CN, CCASAnet",
     [("AP", "Asia-Pacific"), ("NA", "NA-ACCORD"), ("CN", "CCASAnet")]),
    ("3 = normal; 6 = fixed defect; 7 = reversable defect",
     [("3", "normal"), ("6", "fixed defect"), ("7", "reversable defect")]),
    ("(fasting blood sugar > 120 mg/dl)  (1 = true; 0 = false)", [("1", "true"), ("0", "false")]),
    ("digitalis used furing exercise ECG: 1 = yes; 0 = no", [("1", "yes"), ("0", "no")]),
    ("where 1 = yes and 0 = no.", [("1", "yes"), ("0", "no")]),
    ("Code as 1 = Yes, 2 = No, 9 = Refused", [("1", "Yes"), ("2", "No"), ("9", "Refused")]),
    ("0: No; 1: Yes", [("0", "No"), ("1", "Yes")]),
    ("The final rate code. 1= Standard rate 2=JFK 3=Newark 4=Nassau or Westchester",
     [("1", "Standard rate"), ("2", "JFK"), ("3", "Newark"), ("4", "Nassau or Westchester")]),
    ("a factor with levels a b c", [("a", None), ("b", None), ("c", None)]),
    ('levels: "a", "b"', [("a", None), ("b", None)]),
    ("A factor with levels \\code{Female} \\code{Male}", [("Female", None), ("Male", None)]),
    ("whether a facility is publicly (“Public”) or privately (“Private”) operated",
     [("Public", None), ("Private", None)]),
    ("(“R” = Republican, i.e. state voted for Trump; “D” = Democrat, i.e. voted for Biden)",
     [("R", "Republican, i.e. state voted for Trump"), ("D", "Democrat, i.e. voted for Biden")]),
    ("Region, one of “North”, “South” or “East”",
     [("North", None), ("South", None), ("East", None)]),
])
def test_inline_code_lists(text, expected):
    assert _pairs(parse_inline_codes(text)) == expected


@pytest.mark.parametrize("text", [
    "",
    "sum of 5, 6, and 7",
    "ST depression induced by exercise relative to rest",
    "x = 5",
    "BMI = weight / height",
    "TRUE if the “outbreak” column is TRUE and it is the first time it has switched to TRUE",
    "difference between “start_date” and “end_date” in weeks",
    "(calculated from “pop_est” in “all_cases.csv”)",
    "value x = 1 then y = 2",
    "Age in years",
])
def test_text_without_inline_codes(text):
    assert parse_inline_codes(text) == []


# ---- missing values ---------------------------------------------------------------------
@pytest.mark.parametrize("label", [
    "Refused", "Don't know", "DON’T KNOW", "Not applicable", "No answer", "Missing",
    "Unknown/not stated", "NA", "N/A", "Skipped", "Inapplicable", "Legitimate skip",
    "Prefer not to say", "Don't know/Refused", "Not applicable (never married)", "IAP", "DK",
    "System missing", "Missing - not asked",
])
def test_missing_labels(label):
    assert is_missing_label(label)


@pytest.mark.parametrize("label", [
    None, "", "No alley access", "None", "No", "Unknown why", "unknown/ no savings account",
    "NA-ACCORD", "Other", "Normal", "no such history", "Missing teeth", "No Basement",
])
def test_labels_that_are_not_missing(label):
    assert not is_missing_label(label)


def test_split_missing_keeps_real_na_and_moves_sentinels():
    cats = [Category("1", "Yes"), Category("9", "Refused"), Category("-1", "Not available"),
            Category("NA", "No alley access"), Category("-8", "Lowest")]
    valid, missing = split_missing(cats)
    assert _pairs(valid) == [("1", "Yes"), ("NA", "No alley access"), ("-8", "Lowest")]
    assert _pairs(missing) == [("9", "Refused"), ("-1", "Not available")]


# ---- units ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, unit", [
    ("Age in years", "years"),
    ("resting blood pressure (in mm Hg on admission to the hospital)", "mm Hg"),
    ("Lot size in square feet", "square feet"),
    ("Total square feet of basement area", "square feet"),
    ("Linear feet of street connected to property", "feet"),
    ("serum cholestoral in mg/dl", "mg/dl"),
    ("$Value of miscellaneous feature", "USD"),
    ("Household income in dollars", "USD"),
    ("The elapsed trip distance in miles reported by the taximeter.", "miles"),
    ("Installment rate in percentage of disposable income", "%"),
    ("Share of adults vaccinated (%)", "%"),
    ("duration of exercise test in minutes", "minutes"),
    ("Duration in month", "months"),
    ("Body mass index in kg/m2", "kg/m²"),
    ("Body weight in kg", "kg"),
])
def test_units(text, unit):
    assert find_unit(text) == unit


@pytest.mark.parametrize("text", [
    None, "Type of dwelling", "Number of fireplaces", "Year garage was built",
    "Month Sold (MM)", "Size of garage in car capacity", "years since diagnosis",
    "The total amount charged to passengers.",
])
def test_no_unit(text):
    assert find_unit(text) is None


# ---- ranges --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, bounds", [
    ("range 0-120", (0, 120)),
    ("values in range 0 - 120", (0, 120)),
    ("(0-1)", (0, 1)),
    ("from 0 to 120", (0, 120)),
    ("between 1 and 5", (1, 5)),
    ("number of major vessels (0-3) colored by flourosopy", (0, 3)),
    ("ranges from -1 to 1", (-1, 1)),
    ("Scale of 1 to 10", (1, 10)),
    ("score [0, 100]", (0, 100)),
    ("Share of the population (0.5-1.5)", (0.5, 1.5)),
    # a double hyphen is how Markdown and LaTeX sources write an en dash
    ("Hauptwahl vote share (0--1).", (0.0, 1.0)),
    ("Confidence in the classification (0.50--0.95).", (0.5, 0.95)),
    ("Valid range: 18--99", (18.0, 99.0)),
])
def test_ranges(text, bounds):
    assert find_range(text) == bounds


@pytest.mark.parametrize("text", [
    None, "1-STORY 1946 & NEWER", "date 2020-03-01", "from 1990 to 2000", "(1972-2014)",
    "survey years 1972-2014", "Poor (<70 inches", "phase 1-2 rollout", "in 2008-2010",
    "0 <= ... < 200 DM", "(sum of 5, 6, and 7)", "elections held 1945--2026.", "(1990--2025)",
])
def test_no_range(text):
    assert find_range(text) is None


# ---- types -----------------------------------------------------------------------------------
@pytest.mark.parametrize("word, ftype", [
    ("numeric", "number"), ("Numeric", "number"), ("continuous.", "number"),
    ("(numerical)", "number"), ("float", "number"), ("double", "number"), ("real", "number"),
    ("decimal(10,2)", "number"), ("%", "number"), ("rate", "number"),
    ("positive float numbers", "number"),
    ("integer", "integer"), ("int", "integer"), ("count", "integer"),
    ("whole number", "integer"),
    ("text", "string"), ("String", "string"), ("char", "string"), ("varchar(255)", "string"),
    ("character", "string"), ("free text", "string"),
    ("date", "date"), ("date_ymd", "date"), ("date_mdy", "date"), ("YYYY-MM-DD", "date"),
    ("datetime", "datetime"), ("timestamp", "datetime"), ("time", "time"), ("year", "year"),
    ("boolean", "boolean"), ("bool", "boolean"), ("yes/no", "boolean"), ("yesno", "boolean"),
    ("logical", "boolean"), ("TRUE/FALSE", "boolean"),
])
def test_type_words(word, ftype):
    assert map_type(word) == ftype


@pytest.mark.parametrize("word", [
    None, "", "categorical", "(qualitative)", "factor", "nominal", "ordinal", "notes",
    "the age of the respondent in years at the time",
])
def test_words_without_a_type(word):
    assert map_type(word) is None


def test_type_from_codes():
    assert infer_type_from_codes([Category("1"), Category("2")]) == "integer"
    assert infer_type_from_codes([Category("-9"), Category("2")]) == "integer"
    assert infer_type_from_codes([Category("1.5"), Category("2")]) == "number"
    assert infer_type_from_codes([Category("A11"), Category("2")]) == "string"
    assert infer_type_from_codes([]) == "string"


def test_unit_in_parentheses_and_who_refused():
    from engine.parsers.codes import find_unit, is_missing_label

    assert find_unit("Age (years)") == "years"
    assert is_missing_label("Patient Refused")
    assert is_missing_label("Respondent don't know")
    assert not is_missing_label("Patient")


@pytest.mark.parametrize("text", [
    "CAPI INSTRUCTION: DISPLAY OPTIONAL SENTENCE ONLY IF SP IS FEMALE AND AGE IS 16 THROUGH 59.",
    "Asked only if age is between 18 and 65",
    "Sólo si la edad es entre 15 y 49",
])
def test_a_condition_on_the_persons_age_is_no_range(text):
    """The ages a question is put to (NHANES' CAPI instructions) are not the answers' range."""
    assert find_range(text) is None


def test_a_field_that_is_an_age_keeps_its_range():
    assert find_range("Age in years at screening (0 to 80)") == (0, 80)
    assert find_range("Range of values: 16 through 59") == (16, 59)
