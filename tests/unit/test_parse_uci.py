"""The UCI `.names` parser (engine.parsers.uci) on the two real files and hand-written edges.

Real files: uci-adult/adult.names (C4.5 declarations), uci-heart-disease/heart-disease.names
(numbered attribute list with a "14 used" cross-reference).

Edge files (tests/fixtures/edge/):
- text_uci_c50_target.names: C5.0 style, the first line names the class attribute (`income.`),
  a trailing `|` comment on a declaration, an `ignore` attribute.
- text_uci_prose.names: a .names file with prose only: not C4.5, no numbered list, so the
  parser declines and the dispatcher ends with NoFieldsFound.
"""

from __future__ import annotations

import pytest

from harness.fixtures import fixture_path
from engine.errors import NoFieldsFound
from engine.parsers import parse_dictionary
from engine.parsers.uci import parse_c45


def _pairs(categories):
    return [(c.value, c.label) for c in categories]


# ---- adult (C4.5) ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def adult():
    return parse_dictionary(fixture_path("uci-adult", "adult.names"))


def test_adult_fields_in_data_order_with_class_last(adult):
    assert adult.format == "uci-names"
    assert adult.schema.names == [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
        "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
        "hours-per-week", "native-country", "class"]
    cls = adult.schema.field("class")
    assert [c.value for c in cls.categories] == [">50K", "<=50K"]  # the final period stripped
    assert cls.type == "string"
    assert any("'class'" in w and "last" in w for w in adult.warnings)


def test_adult_continuous_and_listed_values(adult):
    age = adult.schema.field("age")
    assert (age.type, age.extras["sourceType"], age.categories) == ("number", "continuous", [])
    work = adult.schema.field("workclass")
    assert [c.value for c in work.categories] == [
        "Private", "Self-emp-not-inc", "Self-emp-inc", "Federal-gov", "Local-gov",
        "State-gov", "Without-pay", "Never-worked"]
    assert work.type == "string"
    country = adult.schema.field("native-country")
    assert "Outlying-US(Guam-USVI-etc)" in [c.value for c in country.categories]
    assert country.categories[-1].value == "Holand-Netherlands"
    assert [c.value for c in adult.schema.field("sex").categories] == ["Female", "Male"]


def test_adult_unknown_marker(adult):
    assert adult.schema.missing_values == ["", "?"]


# ---- heart disease (numbered list) -----------------------------------------------------------
@pytest.fixture(scope="module")
def heart():
    return parse_dictionary(fixture_path("uci-heart-disease", "heart-disease.names"))


def test_heart_used_attributes_first_in_data_order(heart):
    assert heart.format == "uci-names"
    names = heart.schema.names
    assert len(names) == 76
    assert names[:14] == ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach",
                          "exang", "oldpeak", "slope", "ca", "thal", "num"]
    assert names[14:17] == ["id", "ccf", "painloc"]
    assert names[-1] == "name"
    assert all(heart.schema.field(n).extras.get("used") for n in names[:14])
    assert not any(heart.schema.field(n).extras.get("used") for n in names[14:])
    assert heart.schema.field("thal").extras["attributeNumber"] == 51
    assert any("14 are marked as used" in w for w in heart.warnings)


def test_heart_three_code_styles(heart):
    s = heart.schema
    assert _pairs(s.field("sex").categories) == [("1", "male"), ("0", "female")]
    assert _pairs(s.field("cp").categories) == [
        ("1", "typical angina"), ("2", "atypical angina"), ("3", "non-anginal pain"),
        ("4", "asymptomatic")]
    assert _pairs(s.field("thal").categories) == [
        ("3", "normal"), ("6", "fixed defect"), ("7", "reversable defect")]
    restecg = s.field("restecg")
    assert restecg.categories[1].label == (
        "having ST-T wave abnormality (T wave inversions and/or ST elevation or depression "
        "of > 0.05 mV)")
    proto = s.field("proto")
    assert [c.value for c in proto.categories] == [str(i) for i in range(1, 13)]
    assert proto.categories[6].label == (
        'bike 150 kpa min/min (Not sure if "kpa min/min" is what was written!)')
    assert _pairs(s.field("dig").categories) == [("1", "yes"), ("0", "no")]


def test_heart_descriptions_units_and_ranges(heart):
    s = heart.schema
    trestbps = s.field("trestbps")
    assert trestbps.description == "resting blood pressure (in mm Hg on admission to the hospital)"
    assert trestbps.unit == "mm Hg"
    assert s.field("chol").unit == "mg/dl"
    assert s.field("age").unit == "years"
    assert s.field("ca").constraints == {"minimum": 0, "maximum": 3}
    assert s.field("oldpeak").description == "ST depression induced by exercise relative to rest"
    num = s.field("num")
    assert num.description == ("diagnosis of heart disease (angiographic disease status) "
                               "(in any major vessel: attributes 59 through 68 are vessels)")
    assert s.field("fbs").unit is None  # `> 120 mg/dl` describes coded true/false
    assert s.field("htn").description is None
    assert s.field("age").type == "number"   # "All attributes are numeric-valued"
    assert s.field("name").type == "any"     # except the dummy string `name`


def test_heart_missing_values(heart):
    assert heart.schema.missing_values == ["", "?", "-9.0"]


# ---- edges -------------------------------------------------------------------------------------
def test_c50_first_line_names_the_class_attribute():
    r = parse_dictionary(fixture_path("edge", "text_uci_c50_target.names"))
    assert r.schema.names == ["age", "workclass", "weight", "income"]
    assert r.schema.field("income").extras["role"] == "class"
    assert [c.value for c in r.schema.field("workclass").categories] == [
        "Private", "Self-emp", "Gov"]
    assert r.schema.field("weight").extras["sourceType"] == "ignore"
    assert not r.warnings


def test_prose_names_file_has_no_fields():
    with pytest.raises(NoFieldsFound):
        parse_dictionary(fixture_path("edge", "text_uci_prose.names"))


def test_c45_rejects_prose():
    lines = fixture_path("uci-heart-disease", "heart-disease.names").read_text().splitlines()
    assert parse_c45(lines) == []
