"""Prose dictionaries from the wild (tests/fixtures/wild/, see SOURCES.md there): fields,
labels and codes checked by eye against each document.

The text parser is called directly, so these tests hold whichever parser the dispatcher
prefers for a file.
"""

from __future__ import annotations

import pytest

from harness.fixtures import fixture_path
from engine.model import Schema
from engine.parsers import ParseContext
from engine.parsers.text import parse_text


def _parse(case: str, name: str) -> Schema:
    path = fixture_path("wild", case, name)
    return Schema(fields=list(parse_text(ParseContext(path=path, filename=path.name))))


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


def _values(field):
    return [c.value for c in field.categories + field.missing_values]


def test_rd_describe_items():
    s = _parse("rd-describe-nhefs", "nhefs_dat.Rd")
    assert len(s.names) == 13
    assert s.names[:3] == ["seqn", "wt82_71", "qsmk"]  # `wt82\_71` unescaped
    assert s.field("wt82_71").description == "weight gain in kilograms between 1971 and 1982"
    assert _pairs(s.field("race").categories) == [("0", "white"), ("1", "black or other")]
    assert s.field("ht").description == "height in centimeters in 1971"


def test_jse_value_lists():
    s = _parse("txt-jse-okcupid-codebook", "okcupid_codebook.txt")
    assert len(s.names) == 28
    assert "NAME" not in s.names and "SPECIAL NOTES" not in s.names
    assert [c.value for c in s.field("status").categories] == [
        "single", "seeing someone", "married", "in an open relationship"]
    assert s.field("education").categories == []       # `graduated from, ...; high school`
    assert s.field("speaks").categories == []
    assert s.field("essay9").description == "You should message me if..."


def test_markdown_readme_numbered_dash_list():
    s = _parse("md-namedash-list-rossmann", "README.md")
    assert s.names == ["Id", "Store", "Sales", "Customers", "Open", "StateHoliday",
                       "SchoolHoliday", "StoreType", "Assortment", "CompetitionDistance",
                       "CompetitionOpenSinceMonth", "CompetitionOpenSinceYear", "Promo",
                       "Promo2", "Promo2SinceYear", "Promo2SinceWeek", "PromoInterval"]
    assert s.field("Promo").description == (
        "indicates whether a store is running a promo on that day")
    assert _pairs(s.field("Assortment").categories) == [("a", "basic"), ("b", "extra"),
                                                        ("c", "extended")]


def test_html_pkgdown_definition_list():
    s = _parse("html-pkgdown-dl-penguins-raw", "penguins_raw.html")
    assert len(s.names) == 17 and s.names[0] == "studyName" and s.names[-1] == "Comments"
    assert s.field("Body Mass").description == "an integer denoting the penguin body mass (grams)"


def test_docx_numbered_questions_with_label_code_lines():
    s = _parse("docx-paragraphs-youth-preferences", "codebook.docx")
    assert len(s.names) == 89
    assert s.names[:6] == ["Birthyear", "Weight", "selfweight", "height", "selfheight", "Gender"]
    assert _pairs(s.field("Birthyear").missing_values) == [("99", "missing (the rest are years)")]
    assert _pairs(s.field("selfweight").categories)[-3:] == [
        ("1", "Slim"), ("6", "I don’t think myself in these terms"), ("7", "Other")]
    assert _pairs(s.field("Gender").categories) == [("1", "Female"), ("2", "Male")]
    assert _pairs(s.field("Blackspecial").categories) == [
        ("5", "Strongly disagree"), ("4", "Disagree"), ("3", "Neutral"), ("2", "Agree"),
        ("1", "Strongly agree")]                         # `Strongly agree 1`: no separator
    assert _pairs(s.field("Prayer").categories)[:2] == [("0", "0 times"), ("1", "1 time")]
    assert s.field("height").description == "how tall are you in feet and inches"
    assert s.field("GPA").categories == []


def test_pdf_numbered_questionnaire_with_bullets_across_a_page_break():
    s = _parse("bullet-pdf-political-participation", "Codebook.pdf")
    assert s.names == ["Gender", "Year of birth", "Country of residence", "Years of education",
                       "Type of area of residence", "Political interest",
                       "Left-right placement", "Voted or not", "Reasons for voting",
                       "Reasons for not voting", "Political participation"]
    assert _values(s.field("Gender")) == ["Female", "Male", "Other", "Prefer not to say"]
    area = s.field("Type of area of residence")
    assert area.description == "Which phrase best describes the area where you live?"
    assert _values(area) == ["A big city", "A small city or a town", "A village or countryside"]
    assert s.field("Left-right placement").categories == []


def test_pdf_prose_headings_with_value_blocks():
    s = _parse("prose-pdf-alberta-wildfire", "data_dictionary.pdf")
    assert s.names[:5] == ["fire_number", "fire_year", "assessment_datetime", "size_class",
                           "fire_location_latitude"]
    assert s.field("fire_location_latitude").description == (
        s.field("fire_location_longitude").description)
    assert _pairs(s.field("fire_number").categories)[:2] == [("C", "Calgary"), ("E", "Edson")]
    assert _pairs(s.field("size_class").categories)[0] == ("A", "0 to 0.1 ha")
    # the two-column block runs on over a page break, read in the order of the page
    assert [c.value for c in s.field("general_cause_desc").categories] == [
        "Agriculture Industry", "Forest Industry", "Government", "Incendiary", "Lightning",
        "Oil and Gas Industry", "Other Industry", "Power Line Industry", "Railroad",
        "Recreation", "Resident", "Undetermined"]
    assert _pairs(s.field("fuel_type").categories)[-2:] == [("O-1a", "Matted Grass"),
                                                           ("O-1b", "Standing Grass")]
    assert "CARINO" not in " ".join(f.description or "" for f in s.fields)  # page footers


def test_pdf_survey_frequency_tables():
    s = _parse("survey-codebook-pdf-candour", "codebook.pdf")
    assert s.names[:4] == ["id", "country", "age", "gender"]
    assert [c.value for c in s.field("gender").categories] == ["Female", "Male", "Other"]
    age = s.field("age")
    assert (age.description, age.constraints) == ("Age of respondent.", {})
    assert s.field("ind_inc").description.startswith("Dichotomous classification")


@pytest.mark.parametrize("case,name", [
    ("rd-describe-nhefs", "nhefs_dat.Rd"),
    ("md-namedash-list-rossmann", "README.md"),
    ("txt-jse-okcupid-codebook", "okcupid_codebook.txt")])
def test_the_dispatcher_reads_them_as_text(case, name):
    from engine.parsers import parse_dictionary

    assert parse_dictionary(fixture_path("wild", case, name)).format == "text"
