"""Column matching: exact, case-insensitive, checkbox, fuzzy, title, position, user mapping."""

from __future__ import annotations

import csv
import random

import pytest

from harness.fixtures import fixture_path
from engine.errors import InputError
from engine.match import match_columns, normalize_name, parse_mapping
from engine.model import Field, Schema
from engine.parsers import parse_dictionary


def _header(*parts: str, encoding: str = "utf-8") -> list[str]:
    with fixture_path(*parts).open(encoding=encoding, errors="replace", newline="") as fh:
        return next(csv.reader(fh))


def _pair(m, column: str) -> dict:
    return next(p.to_dict() for p in m.pairs if p.column == column)


def test_house_prices_fuzzy_names_and_leftovers():
    """Bedroom/Kitchen are renamed BedroomAbvGr/KitchenAbvGr in the data: fuzzy, < 1."""
    schema = parse_dictionary(fixture_path("house-prices", "data_description.txt")).schema
    m = match_columns(_header("house-prices", "train.csv"), schema)
    bed, kitchen = _pair(m, "BedroomAbvGr"), _pair(m, "KitchenAbvGr")
    assert (bed["field"], bed["method"]) == ("Bedroom", "fuzzy")
    assert (kitchen["field"], kitchen["method"]) == ("Kitchen", "fuzzy")
    assert 0.85 <= bed["confidence"] < 0.95
    assert _pair(m, "MSZoning") == {"column": "MSZoning", "field": "MSZoning",
                                    "method": "exact", "confidence": 1.0}
    assert m.unmatched_columns == ["Id", "SalePrice"]
    assert m.unmatched_fields == []


def test_nyc_taxi_case_differences():
    """The PDF says Passenger_count and RateCodeID; the CSV passenger_count and RatecodeID."""
    schema = parse_dictionary(
        fixture_path("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf")).schema
    m = match_columns(_header("nyc-taxi-yellow", "yellow_tripdata_2017_sample.csv"), schema)
    assert _pair(m, "passenger_count")["field"] == "Passenger_count"
    assert _pair(m, "RatecodeID") == {"column": "RatecodeID", "field": "RateCodeID",
                                      "method": "normalized", "confidence": 0.98}
    assert _pair(m, "VendorID")["method"] == "exact"
    assert m.unmatched_columns == [] and m.unmatched_fields == []


def test_material_intensity_renamed_and_recased():
    """Country/country by case; copyright_publication/copyright fuzzily; sid/id is too short."""
    schema = parse_dictionary(
        fixture_path("material-intensity-buildings", "codebook.csv")).schema
    cols = _header("material-intensity-buildings", "buildings.csv", encoding="cp1252")
    m = match_columns(cols, schema)
    assert _pair(m, "country")["field"] == "Country"
    assert _pair(m, "copyright")["field"] == "copyright_publication"
    assert "id" in m.unmatched_columns and "sid" in m.unmatched_fields
    assert "Notes, population_0" in m.unmatched_columns


def test_fivethirtyeight_trailing_space_and_prefix():
    """`Warren Endorsed? ` (trailing space) and `Party Support?` for `Dem Party Support?`."""
    schema = parse_dictionary(
        fixture_path("fivethirtyeight-primary-candidates-2018", "README.md")).schema
    cols = _header("fivethirtyeight-primary-candidates-2018", "dem_candidates.csv")
    m = match_columns(cols, schema)
    assert _pair(m, "Warren Endorsed? ") == {"column": "Warren Endorsed? ",
                                             "field": "Warren Endorsed?",
                                             "method": "normalized", "confidence": 0.98}
    assert _pair(m, "Party Support?")["field"] == "Dem Party Support?"
    assert _pair(m, "Guns Sense Candidate?")["field"] == "Gun Sense Candidate?"


def test_normalize_name():
    assert normalize_name("Warren Endorsed? ") == "warrenendorsed"
    assert normalize_name("RateCodeID") == normalize_name("RatecodeID") == "ratecodeid"
    assert normalize_name("Café_Crème") == "cafecreme"
    assert normalize_name("?") == "?"


def test_similar_but_different_names_are_not_paired():
    m = match_columns(["weight", "sid", "colour"], Schema([Field("height"), Field("id"),
                                                           Field("color_code")]))
    assert m.pairs == []
    assert m.unmatched_fields == ["height", "id", "color_code"]


def test_titles_are_matched_when_names_differ():
    schema = Schema([Field("q1", title="Age at enrolment"), Field("q2", title="Sex")])
    m = match_columns(["Age at enrolment", "sex_code"], schema)
    assert _pair(m, "Age at enrolment")["field"] == "q1"
    assert _pair(m, "Age at enrolment")["method"] == "title"
    assert m.unmatched_columns == ["sex_code"]     # 'Sex' is too short a title to guess from


def test_each_field_gets_one_column():
    m = match_columns(["Age", "age", "AGE "], Schema([Field("age")]))
    assert [(p.column, p.method) for p in m.pairs] == [("age", "exact")]
    assert m.unmatched_columns == ["Age", "AGE "]


def test_redcap_checkbox_columns_belong_to_their_field():
    schema = Schema([Field("race", extras={"checkbox": True}), Field("race_other")])
    m = match_columns(["race___1", "race___2", "race____1", "race_other"], schema)
    assert [(p.column, p.field, p.code) for p in m.pairs] == [
        ("race___1", "race", "1"), ("race___2", "race", "2"), ("race____1", "race", "-1"),
        ("race_other", "race_other", None)]
    assert [c.column for c in m.columns_of("race")] == ["race___1", "race___2", "race____1"]


def test_headerless_columns_pair_by_position():
    m = match_columns(["column_1", "column_2", "column_3"], Schema([Field("age"), Field("sex")]))
    assert [(p.column, p.field, p.method) for p in m.pairs] == [
        ("column_1", "age", "position"), ("column_2", "sex", "position")]
    assert m.unmatched_columns == ["column_3"]
    assert "no header" in m.warnings[0]


def test_user_mapping_overrides_everything():
    schema = Schema([Field("Bedroom"), Field("Kitchen"), Field("rooms")])
    m = match_columns(["BedroomAbvGr", "KitchenAbvGr", "Kitchen"],
                      schema, {"KitchenAbvGr": "rooms", "BedroomAbvGr": None})
    assert _pair(m, "KitchenAbvGr") == {"column": "KitchenAbvGr", "field": "rooms",
                                        "method": "mapping", "confidence": 1.0}
    assert _pair(m, "Kitchen")["method"] == "exact"
    assert "BedroomAbvGr" in m.unmatched_columns        # set aside: not fuzzily re-paired
    assert m.unmatched_fields == ["Bedroom"]
    assert m.mapping() == {"KitchenAbvGr": "rooms", "Kitchen": "Kitchen"}


def test_mapping_forms_and_errors():
    assert parse_mapping('{"a": "b", "c": ""}') == {"a": "b", "c": None}
    assert parse_mapping([["a", "b"]]) == {"a": "b"}
    assert parse_mapping(None) == {}
    schema = Schema([Field("age"), Field("sex")])
    with pytest.raises(InputError, match=r"'agee'.*not in the data.*did you mean 'age'"):
        match_columns(["age"], schema, {"agee": "age"})
    with pytest.raises(InputError, match="not a field of the dictionary"):
        match_columns(["age"], schema, {"age": "height"})
    with pytest.raises(InputError, match="pair each field with one column"):
        match_columns(["a", "b"], schema, {"a": "age", "b": "age"})
    with pytest.raises(InputError, match="not valid JSON"):
        parse_mapping("{a: b")


def test_a_thousand_columns_match():
    rng = random.Random(42)
    names = [f"var_{i}_{rng.randrange(10**6)}" for i in range(1000)]
    schema = Schema([Field(n.upper()) for n in names[:900]] + [Field("unrelated_field")])
    m = match_columns(names, schema)
    assert len(m.pairs) == 900 and all(p.method == "normalized" for p in m.pairs)
    assert len(m.unmatched_columns) == 100 and m.unmatched_fields == ["unrelated_field"]
