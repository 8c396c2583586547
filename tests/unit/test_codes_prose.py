"""Code lists a description writes as lines, inline or as prose (engine.parsers.codes.scan).

Positive cases are description strings of the wild dictionaries (the case is named) and
hand-written variants; negative cases are prose that must not become codes.
"""

from __future__ import annotations

import pytest

from engine.model import Category
from engine.parsers.codes import (find_codes, global_missing_codes, parse_code_line,
                                  parse_inline_codes, parse_value_list, resolve_conflicts,
                                  stated_missing)


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


def _codes(text):
    return _pairs(find_codes(text).codes)


# ---- prose forms -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # xlsx-titled-sheets-elo: an unbalanced quote
    ("Y' if approved, 'N' if denied", [("Y", "approved"), ("N", "denied")]),
    ('"Y" if approved, "N" if denied', [("Y", "approved"), ("N", "denied")]),
    ("1 if yes, 0 if no", [("1", "yes"), ("0", "no")]),
    # docx-sectioned-tables-grave-d
    ("Cold War period indicator. 1 if year is between 1947 and 1991 inclusive, 0 otherwise.",
     [("1", "year is between 1947 and 1991 inclusive"), ("0", "otherwise")]),
    # xlsx-multitable-neocare
    ("One of: Hispanic, Non-Hispanic, Declined, Unavailable",
     [("Hispanic", None), ("Non-Hispanic", None), ("Declined", None), ("Unavailable", None)]),
    ("one of: MI, stroke, ASCVD death, CABG, PTCA",
     [("MI", None), ("stroke", None), ("ASCVD death", None), ("CABG", None), ("PTCA", None)]),
    ("The matching stage at which the patient's CCF and MH data were matched: 1 or 2",
     [("1", None), ("2", None)]),
    ('either "Male" or "Female"', [("Male", None), ("Female", None)]),
    ("1/0 indicating homelessness", [("1", "yes"), ("0", "no")]),
    # md-namedash-list-rossmann
    ("differentiates between 4 different store models: a, b, c, d",
     [("a", None), ("b", None), ("c", None), ("d", None)]),
    ("indicates a state holiday. Normally all stores, with few exceptions, are closed on state "
     "holidays. a = public holiday, b = Easter holiday, c = Christmas, 0 = None",
     [("a", "public holiday"), ("b", "Easter holiday"), ("c", "Christmas"), ("0", "None")]),
    # rst-list-tables-matminer-datasets
    ("Either single crystal, polycrystalline, or nanoparticles.",
     [("single crystal", None), ("polycrystalline", None), ("nanoparticles", None)]),
    # survey-codebook-pdf-candour
    ("binary indicator of whether each profile (the unit of observation) was chosen (1) or not "
     "(0).", [("1", "chosen"), ("0", "not chosen")]),
    ("male (1), female (2) or other (3)", [("1", "male"), ("2", "female"), ("3", "other")]),
    # docx-sectioned-tables-grave-d
    ("Hostility Level. Scale: 0=None, 1=Threat, 2=Display, 3=Use of Force, 4=War.",
     [("0", "None"), ("1", "Threat"), ("2", "Display"), ("3", "Use of Force"), ("4", "War")]),
    # rd-describe-nhefs
    ("level of activity in 1971, 0 = very active, 1 = moderately active, 2 = inactive, "
     "3 = missing information", [("0", "very active"), ("1", "moderately active"),
                                 ("2", "inactive"), ("3", "missing information")]),
    ("1=Male; 2=Female", [("1", "Male"), ("2", "Female")]),
    ("1, Yes | 2, No", [("1", "Yes"), ("2", "No")]),
    ("Valores: sí, no, no sabe", [("sí", None), ("no", None), ("no sabe", None)]),
    ("Male = 1, Female = 2", [("1", "Male"), ("2", "Female")]),            # label = code
    ("Male = M, Female = F", [("M", "Male"), ("F", "Female")]),
    ("Yes = Y, No = N", [("Yes", "Y"), ("No", "N")]),                     # both sides short
    ("Sex: 1 = male,\n2 = female", [("1", "male"), ("2", "female")]),     # wrapped
])
def test_code_lists_in_prose(text, expected):
    assert _codes(text) == expected


@pytest.mark.parametrize("text", [
    "",
    "One of the 30 Elixhauser comorbidities, categorized based on the ICD9 and ICD10 codes",
    "Examples: US, UK, FR",
    "Country code, e.g.: US, UK",
    'Code list Format is "1 = Chocolate | 2 = Strawberry | 3 = Vanilla". The Pipe is required',
    "Income (1) and expenses (2)",
    "see note (1)",
    "He was asked if he smoked, and if so when",
    "Will be missing if from_ccf = 1",
    "either before or after surgery",
    "Number of persons in this household",
    "BMI = weight / height",
    "Favorite books, movies, show, music, and food",
    "Note: see documentation for details",
    # frequency tables: a value with its count is no code with a label
    "Value Obs. 1 107480 0 107480 Missing 0",
    "space-separated list of contributing cause of death ICD10 codes",
    "Age in years (1-99)",
    "Data are available for 2010 for all states, and for 2015 for most",
])
def test_prose_without_codes(text):
    assert _codes(text) == []


# ---- lines of codes --------------------------------------------------------------------------
def test_code_lines_with_a_dash_glued_to_the_code():
    # docx-tables-hebrew-young-drivers: `2-  Africa` as well as `1 - Asia`
    text = "1 - אסיה\n2-  אפריקה\n3-  אירופה\n5-  אמריקה-אוקיאניה\n9-  ישראל"
    assert [c.value for c in find_codes(text).codes] == ["1", "2", "3", "5", "9"]
    assert find_codes(text).codes[1].label == "אפריקה"


def test_code_lines_below_a_heading_line():
    # docx-tables-hebrew-young-drivers: a sentence, then the codes
    text = "עד 5 הגבלות לכל נהג עם האופנויות הבאות:\n1- משקפיים\n2- נכה\n3- רפואי\n4- אחר"
    assert _codes(text) == [("1", "משקפיים"), ("2", "נכה"), ("3", "רפואי"), ("4", "אחר")]


def test_code_lines_written_label_first():
    # docx-paragraphs-youth-preferences: `label – code`, a note in brackets after the code
    text = ("Do you consider yourself to be?\n\nOverweight – 5\nSlightly overweight – 4\n"
            "Just right – 3\nSlim - 1\nOther – 7 (includes summer work)")
    assert _codes(text) == [("5", "Overweight"), ("4", "Slightly overweight"),
                            ("3", "Just right"), ("1", "Slim"), ("7", "Other")]
    assert _codes("Yes – 1\nNo – 2\n99 – no answer") == [("1", "Yes"), ("2", "No"),
                                                        ("99", "no answer")]
    assert _codes("Less than $15,000 – 1\n$15,001 to $30,000 – 2") == [
        ("1", "Less than $15,000"), ("2", "$15,001 to $30,000")]


def test_a_label_wrapped_between_two_code_lines():
    assert _codes("1 = Strongly agree with the\n    statement\n2 = Disagree") == [
        ("1", "Strongly agree with the statement"), ("2", "Disagree")]
    assert _codes("1 = Yes\n2 = No\nthat was asked in 2010") == [("1", "Yes"), ("2", "No")]


def test_a_code_glued_to_its_label_continues_a_list():
    # docx-tables-hebrew-young-drivers: `10-Dusk` after `9-  Night`
    text = "1 - אור יום רגיל\n9-  לילה ללא תאורה\n10-דמדומים\n11-יום לא ידוע"
    assert [c.value for c in find_codes(text).codes] == ["1", "9", "10", "11"]
    assert _codes("1-year follow-up\n2-year follow-up") == []


def test_one_code_line_among_prose_is_no_list():
    assert _codes("The age of the respondent.\n1 = see note\nMore text follows here.") == []


def test_dashed_code_line_needs_a_blank_after_the_dash():
    assert _pairs([parse_code_line("2-  אפריקה")]) == [("2", "אפריקה")]
    assert parse_code_line("1-STORY 1946 & NEWER") is None
    assert parse_code_line("A- Apple") is None


# ---- one code given two labels ---------------------------------------------------------------
def test_a_code_with_two_labels_is_reported_and_the_first_kept():
    scan = find_codes("1=Male; 1=Female; 2=Other")
    assert _pairs(scan.codes) == [("1", "Male"), ("2", "Other")]
    assert scan.conflicts == [("1", "Male", "Female")]


def test_inline_list_keeps_the_second_label_for_the_caller():
    assert _pairs(parse_inline_codes("1=Male; 1=Female; 2=Other")) == [
        ("1", "Male"), ("1", "Female"), ("2", "Other")]
    assert _pairs(parse_inline_codes("1=Male; 1=Male; 2=Female")) == [("1", "Male"),
                                                                     ("2", "Female")]


def test_resolve_conflicts_fills_an_empty_label_silently():
    kept, conflicts = resolve_conflicts([Category("1"), Category("1", "Yes"),
                                         Category("2", "No"), Category("2", "no")])
    assert _pairs(kept) == [("1", "Yes"), ("2", "No")] and conflicts == []


# ---- missing codes stated in a sentence ------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    # txt-jse-okcupid-codebook
    ("(US $, -1 means rather not say) -1, 20000, 30000, 40000", [("-1", "rather not say")]),
    ("99 = unknown", [("99", "unknown")]),
    ("Age in years (999 if missing)", [("999", "missing")]),
    ("Refused (coded as -7)", [("-7", "Refused")]),
    ("what year were you born?\n99 – missing (the rest are years)", [("99", "missing")]),
    (".N Not stated or inferred", []),    # no separator: a code line, not a sentence
    ("1 = yes, 2 = no", []),
    ("Will be missing if from_ccf = 1", []),
    ("Number of missing teeth: 3", []),
])
def test_stated_missing(text, expected):
    assert _pairs(stated_missing(text)) == expected


@pytest.mark.parametrize("text, codes", [
    ("CODEBOOK\n\n99 – always indicates a missing value\n\n1) Birthyear", ["99"]),
    ("Missing values are coded as -9 throughout.", ["-9"]),
    ("Note: -1 denotes missing data.", ["-1"]),
    ("The value 1 indicates a positive answer.", []),
    ("Missing data is blank.", []),
])
def test_global_missing_rule(text, codes):
    assert [c.value for c in global_missing_codes(text)] == codes


# ---- plain value lists -----------------------------------------------------------------------
@pytest.mark.parametrize("text, values", [
    # txt-jse-okcupid-codebook (`name- values` lines)
    ("rather not say, thin, overweight, skinny, average, fit, athletic, jacked, a little extra, "
     "curvy, full figured, used up",
     ["rather not say", "thin", "overweight", "skinny", "average", "fit", "athletic", "jacked",
      "a little extra", "curvy", "full figured", "used up"]),
    ("m, f", ["m", "f"]),
    ("yes, sometimes, when drinking, trying to quit, no",
     ["yes", "sometimes", "when drinking", "trying to quit", "no"]),
    ("Favorite books, movies, show, music, and food", []),
    ("mostly/strictly; anything, vegetarian, vegan", []),
    ("inches", []),
    ("My self summary", []),
    ("(US $, -1 means rather not say) -1, 20000, 30000", []),
])
def test_plain_value_lists(text, values):
    assert [c.value for c in parse_value_list(text)] == values


# ---- `N means X` in other languages ----------------------------------------------------------
_INCOME = ("Cantidad de ingresos mensuales, donde 1101 significa “Entre S/ 0 y S/ 200”, 1102 "
           "significa “Entre S/ 201 - S/ 350, 1103 “significa “Entre S/ 351 - S/ 635”, 1104 "
           "significa “Entre S/ 636 – S/ 800” , 1105 “Entre S/ 801 – S/ 980” y 1106 “Más de "
           "S/ 980” Tipo de dato: Cualitativo ordinal.")


@pytest.mark.parametrize("text, expected", [
    # md-heading-label-bullets-peru-es: curly quotes, `y` before the last item
    ("Género de la persona encuestada, donde 0 significa “Hombre” y 1 significa “Mujer”.",
     [("0", "Hombre"), ("1", "Mujer")]),
    ("donde 0 significa “peor”, 1 significa “igual” y 2 significa “mejor”.",
     [("0", "peor"), ("1", "igual"), ("2", "mejor")]),
    ("1 signifie « oui » et 2 signifie « non ».", [("1", "oui"), ("2", "non")]),
    ('1 bedeutet "ja" und 2 bedeutet "nein".', [("1", "ja"), ("2", "nein")]),
    ("0 representa ausente e 1 representa presente.", [("0", "ausente"), ("1", "presente")]),
    ("1 si oui, 0 sinon", [("1", "oui"), ("0", "otherwise")]),
    # four-digit codes with a meaning verb; quoted labels without the verb once it is set
    (_INCOME, [("1101", "Entre S/ 0 y S/ 200"), ("1102", "Entre S/ 201 - S/ 350"),
               ("1103", "Entre S/ 351 - S/ 635"), ("1104", "Entre S/ 636 – S/ 800"),
               ("1105", "Entre S/ 801 – S/ 980"), ("1106", "Más de S/ 980")]),
    # a year with a condition is no code; one quoted label alone sets no form
    ("Counted in 2010 for all states and 2011 for some.", []),
    ("El valor 1 “Sí” es el más frecuente, y 2 significa otra cosa.", []),
])
def test_meaning_verbs_in_several_languages(text, expected):
    assert _codes(text) == expected


def test_numbers_inside_a_curly_quoted_label_are_no_dash_codes():
    assert parse_inline_codes("entre “S/ 201 - S/ 350” y “S/ 351 - S/ 635”") == []
    assert _pairs(parse_inline_codes("1 - sí, 2 - no")) == [("1", "sí"), ("2", "no")]


def test_a_quoted_label_ending_in_a_missing_word_states_no_missing_code():
    text = ("’Participation à des activités sportives, non déclaré’ (1099) inclut ‘Sports "
            "de compétition’ (1003).")
    assert stated_missing(text) == []
    assert _pairs(stated_missing("Refused (coded as -7)")) == [("-7", "Refused")]
