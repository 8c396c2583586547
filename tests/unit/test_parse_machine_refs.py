"""What a codebook defines once and its entries point at: named code lists and document-level
missing values in JSON/YAML, value ranges whose labels name a unit in SAS formats, and Rd
`\\describe` entries written with markup in place of `\\item`."""

from __future__ import annotations

import json

from engine.formats.rd.read import load_rd
from engine.parsers import parse_dictionary

YAML = """\
variables:
  score:
    description: Overall score
    type: number
  mood:
    description: How do you feel today?
    type: ordinal
    categories: agreement
  trust:
    description: I trust my team.
    type: ordinal
    categories: agreement
  note:
    description: Free note
    type: string
    categories: not_a_list
missing_values:
  - { value: -99, label: "missing" }
  - { value: -98, label: "redacted" }
not_a_list: plain text
named_scales:
  agreement:
    - { value: 1, label: "Disagree" }
    - { value: 2, label: "Neutral" }
    - { value: 3, label: "Agree" }
"""


def pairs(cats):
    return [(c.value, c.label) for c in cats]


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_dictionary(path)


def test_yaml_categories_named_elsewhere_are_resolved(tmp_path):
    schema = write(tmp_path, "codebook.yaml", YAML).schema
    assert schema.names == ["score", "mood", "trust", "note"]
    agreement = [("1", "Disagree"), ("2", "Neutral"), ("3", "Agree")]
    assert pairs(schema.field("mood").categories) == agreement
    assert pairs(schema.field("trust").categories) == agreement
    assert schema.field("note").categories == []        # names a text, not a code list
    assert schema.field("score").categories == []


def test_yaml_document_missing_values_apply_to_every_field(tmp_path):
    result = write(tmp_path, "codebook.yaml", YAML)
    assert result.schema.missing_values == ["", "-99", "-98"]


def test_json_pointer_names_a_code_list(tmp_path):
    doc = {"definitions": {"yesno": {"1": "Yes", "0": "No"}},
           "variables": [{"name": "smoker", "label": "Smokes", "values": "#/definitions/yesno"},
                      {"name": "drinker", "label": "Drinks", "values": "#/definitions/none"},
                      {"name": "age", "label": "Age in years"}]}
    schema = write(tmp_path, "codebook.json", json.dumps(doc)).schema
    assert pairs(schema.field("smoker").categories) == [("1", "Yes"), ("0", "No")]
    assert schema.field("drinker").categories == []
    assert schema.missing_values is None                 # no document-level declaration


SAS = """\
PROC FORMAT;
  VALUE HTF
    58     = "58 inches or less"
    59-76  = "Number of inches"
    77     = "77 inches or more"
    99     = "Unknown";
  VALUE AGEF
    0      = "Under 1 year"
    1-89   = "1 to 89 years of age, in years"
    90     = "90 years or older";
  VALUE EDF
    1-3    = "Grade school"
    4      = "College";
RUN;
DATA x;
  INFILE 'x.dat';
  INPUT HEIGHT 1-2 AGE 3-4 EDUC 5;
  LABEL HEIGHT = "HEIGHT WITHOUT SHOES" AGE = "RESPONDENT AGE" EDUC = "SCHOOLING";
  FORMAT HEIGHT HTF. AGE AGEF. EDUC EDF.;
RUN;
"""


def test_sas_range_label_naming_a_unit_gives_the_unit(tmp_path):
    schema = write(tmp_path, "setup.sas", SAS).schema
    assert schema.field("HEIGHT").unit == "inches"
    assert schema.field("AGE").unit is None              # a long label with figures: no unit
    assert schema.field("EDUC").unit is None              # the label names no unit


RD = r"""\name{survey}
\format{A data frame.
\describe{
  \item{Age}{Age in years.}
  \code{AgeFirst}{Age when first tried.}
  \item{Race}{Reported race: Mexican, Hispanic, White, or Other.}
  \item{Sex}{Had sex: vaginal, anal, or oral.}
  \item{Note}{See \code{Age}{and more}.}
}}
"""


def test_rd_describe_entry_written_with_code_is_an_item():
    names = [name for name, _ in load_rd(RD).definitions]
    assert names == ["Age", "AgeFirst", "Race", "Sex", "Note"]   # nested \code stays text


def test_rd_colon_list_of_capitalised_words_after_or_is_quoted_as_values():
    defs = dict(load_rd(RD).definitions)
    assert defs["Race"] == "Reported race: `Mexican`, `Hispanic`, `White`, or `Other`."
    assert defs["Sex"] == "Had sex: vaginal, anal, or oral."


def test_rd_prose_value_list_becomes_codes(tmp_path):
    schema = write(tmp_path, "survey.Rd", RD).schema
    assert [c.value for c in schema.field("Race").categories] == [
        "Mexican", "Hispanic", "White", "Other"]
    assert schema.field("Sex").categories == []
    assert "AgeFirst" in schema.names


def test_missing_values_naming_fields_are_not_the_documents(tmp_path):
    doc = {"variables": [{"name": "age", "label": "Age in years"},
                         {"name": "sex", "label": "Sex", "values": {"1": "Male", "2": "Female"}}],
           "missing_values": {"age": -9, "sex": 9}}
    result = write(tmp_path, "codebook.json", json.dumps(doc))
    assert result.schema.missing_values is None
