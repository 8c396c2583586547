"""Structured output (strict JSON Schema, lenient pydantic reading) and merging into the rules."""

from __future__ import annotations

import json

import pytest

from engine.llm.chunking import Chunk
from engine.llm.merge import merge_schema
from engine.llm.schema import (FIELD_JSON_SCHEMA, RESULT_JSON_SCHEMA, OutputError, fields_from_json,
                               fields_to_json, parse_output, response_format, to_field)
from engine.model import Category, Field, Schema


def _walk(node):
    yield node
    for v in node.get("properties", {}).values():
        yield from _walk(v)
    if isinstance(node.get("items"), dict):
        yield from _walk(node["items"])


def test_json_schema_is_strict_mode_compatible():
    """Strict mode: every object lists all its properties as required, no extra properties."""
    fmt = response_format("json_schema")
    assert fmt["json_schema"]["strict"] is True and fmt["json_schema"]["schema"] is RESULT_JSON_SCHEMA
    for node in _walk(RESULT_JSON_SCHEMA):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert sorted(node["required"]) == sorted(node["properties"])
    assert set(FIELD_JSON_SCHEMA["properties"]) == {
        "name", "title", "description", "type", "unit", "categories", "missingValues",
        "minimum", "maximum", "required"}
    assert response_format("json_object") == {"type": "json_object"}
    assert response_format("none") is None


def test_strict_answer_becomes_fields():
    answer = {"fields": [{
        "name": "cand_sex", "title": "Candidate sex", "description": "Sex at birth",
        "type": "integer", "unit": None, "categories": [{"value": "1", "label": "Male"},
                                                       {"value": "2", "label": "Female"}],
        "missingValues": [{"value": "98", "label": "Unknown"}], "minimum": None,
        "maximum": None, "required": True}]}
    f = to_field(parse_output(json.dumps(answer)).fields[0], chunk=3)
    assert f.name == "cand_sex" and f.title == "Candidate sex" and f.type == "integer"
    assert [c.text() for c in f.categories] == ["1=Male", "2=Female"]
    assert [c.text() for c in f.missing_values] == ["98=Unknown"]
    assert f.constraints == {"required": True}
    assert f.extras["origin"] == {"parser": "llm", "chunk": 3}


def test_lenient_answers_from_json_object_servers():
    """Bare lists, code fences, numeric codes, dict code lists, type synonyms, string bounds."""
    content = "```json\n" + json.dumps([{
        "name": "`LotFrontage`", "type": "float", "unit": "feet",
        "categories": {"NA": "No lot"}, "minimum": "0", "maximum": "n/a",
        "extra": "ignored"}, {"name": "sex", "categories": [1, 2.0, "9"]}]) + "\n```"
    fields = parse_output(content).fields
    lot = to_field(fields[0], 0)
    assert lot.name == "LotFrontage" and lot.type == "number" and lot.unit == "feet"
    assert lot.constraints == {"minimum": 0}
    assert [c.text() for c in lot.categories] == ["NA=No lot"]
    assert [c.value for c in fields[1].categories] == ["1", "2", "9"]
    assert fields[1].type == "any"


def test_a_code_is_never_both_category_and_missing():
    raw = {"name": "q1", "categories": [{"value": "1", "label": "Yes"},
                                        {"value": "9", "label": "Refused"}],
           "missingValues": [{"value": "9", "label": "Refused"}]}
    f = to_field(parse_output(json.dumps({"fields": [raw]})).fields[0], 0)
    assert [c.value for c in f.categories] == ["1"]
    assert [c.value for c in f.missing_values] == ["9"]


@pytest.mark.parametrize("content, truncated, message", [
    ('{"fields": [{"name": "a"', False, "not valid JSON"),
    ('{"fields": [{"name": "a"}]}', True, "cut off"),
    ("", False, "empty"),
    ('{"columns": []}', False, 'no "fields" list'),
    ('{"fields": [{"name": ""}]}', False, "does not match the schema"),
])
def test_unusable_answers_say_why(content, truncated, message):
    with pytest.raises(OutputError, match=message):
        parse_output(content, truncated=truncated)


def test_cache_round_trip():
    fields = parse_output('{"fields": [{"name": "a", "categories": [{"value": "1"}], '
                          '"missingValues": [{"value": "-1", "label": "missing"}]}]}').fields
    again = fields_from_json(fields_to_json(fields))
    assert again == fields


# ---- merging ------------------------------------------------------------------------------
def _chunks(*names_per_chunk):
    return [Chunk(i, "", tuple(ns), 0, (0, 0)) for i, ns in enumerate(names_per_chunk)]


def _rules():
    return Schema(fields=[
        Field("a", description="A", categories=[Category("1", "Yes"), Category("9", "Refused")],
              extras={"origin": {"parser": "rules", "format": "text"}, "branchingLogic": "[x]=1"}),
        Field("b", description="B"),
        Field("c", description="C rules"),
        Field("d", description="D, unanchored"),
        Field("e", description="E"),
    ], missing_values=["", "NA"])


def _llm(name, chunk, **kw):
    return Field(name, extras={"origin": {"parser": "llm", "chunk": chunk}}, **kw)


def test_merge_pending_chunks_keep_rules_in_order():
    schema = merge_schema(_rules(), _chunks(["a", "b"], ["c", "e"]), {})
    assert schema.names == ["a", "b", "c", "d", "e"]
    assert [f.extras["origin"]["chunk"] for f in schema.fields] == [0, 0, 1, 1, 1]
    assert schema.fields[0].extras["origin"] == {"parser": "rules", "format": "text", "chunk": 0}
    assert schema.missing_values == ["", "NA"]


def test_merge_llm_completes_rules_and_decides_missing_codes():
    answers = {0: [_llm("a", 0, description="Did the respondent agree to take part?",
                        type="integer", categories=[Category("1", "Yes")],
                        missing_values=[Category("9", "Refused")]),
                   _llm("new", 0, description="found only by the LLM")]}
    rules = _rules()
    schema = merge_schema(rules, _chunks(["a", "b"], ["c", "e"]), answers)
    assert schema.names == ["a", "new", "b", "c", "d", "e"]
    a = schema.field("a")
    assert a.description == "Did the respondent agree to take part?"
    assert a.type == "integer"
    assert [c.value for c in a.categories] == ["1"] and [c.value for c in a.missing_values] == ["9"]
    assert a.extras["branchingLogic"] == "[x]=1"          # rule-only extras survive
    assert a.extras["origin"] == {"parser": "llm", "chunk": 0}
    assert schema.field("b").extras["origin"]["parser"] == "rules"   # not mentioned: kept
    assert rules.fields[0].categories[1].value == "9"                # rules left untouched


def test_merge_field_seen_in_two_chunks():
    answers = {0: [_llm("a", 0, description="short", categories=[Category("1", "Yes")])],
               1: [_llm("A", 1, description="a much longer description",
                        categories=[Category("2", "No")]), _llm("c", 1)]}
    schema = merge_schema(_rules(), _chunks(["a", "b"], ["c", "e"]), answers)
    assert schema.names == ["a", "b", "c", "d", "e"]   # "A" matched loosely, folded into "a"
    a = schema.field("a")
    assert a.description == "a much longer description"
    assert [c.value for c in a.categories] == ["1", "9", "2"]
    assert a.extras["origin"] == {"parser": "llm", "chunk": 0}
    assert schema.field("c").extras["origin"] == {"parser": "llm", "chunk": 1}


@pytest.mark.parametrize("answers, unpacks", [
    ({}, 0),                                                            # the rules alone
    ({0: [_llm("a", 0, description="Agreed?", categories=[Category("1", "Yes")]),
          _llm("new", 0, description="found only by the LLM")]}, 0),    # names all distinct
    ({0: [_llm("a", 0, description="short")],
      1: [_llm("A", 1, description="longer")]}, 2),                     # "A" folds into "a"
    ({0: [_llm("b", 0, description="b, from the next chunk")]}, 2),    # and "b" into "b"
])
def test_merge_table_from_packed_rows_equals_the_schemas_table(monkeypatch, answers, unpacks):
    """A step's table comes from the rows packed with each part, equal to the folded schema's
    table: no field objects when no names fold together, else only the parts holding them
    (two of three here); equal cells shared."""
    import engine.llm.merge as merge
    from engine.jobs import field_table

    merger = merge.Merger(_rules(), _chunks(["a"], ["b"], ["c", "e"]))
    for i, answer in answers.items():
        merger.add(i, answer)
    snap = merger.snapshot()
    expected = field_table(snap.schema())
    unpacked = []
    real = merge.unpack_fields
    monkeypatch.setattr(merge, "unpack_fields", lambda data: unpacked.append(1) or real(data))
    table = snap.table()
    assert table == expected
    assert len(unpacked) == unpacks
    cells = [c for row in table for c in row]
    assert len({id(c) for c in cells}) == len({c for c in cells})


@pytest.mark.parametrize("seed", range(40))
def test_merge_table_equals_the_schemas_table_whatever_folds(seed):
    """Random merges, names repeated across and within chunks, alike but for case and
    punctuation, from the LLM and from the rules (which the fold leaves apart): the table
    from the packed rows is the folded schema's table at every step."""
    import random

    from engine.jobs import field_table
    from engine.llm.merge import Merger

    rng = random.Random(seed)
    names = ["age", "Age", "a_g_e", "sex", "SEX", "income", "region", "Region_", "id", "wave"]
    rules = Schema(fields=[
        Field(rng.choice(names), description=f"rule {i}", type=rng.choice(["integer", "string"]),
              categories=[Category(str(c), f"code {c}") for c in range(rng.randint(0, 2))],
              extras={"origin": {"parser": "rules"}})
        for i in range(rng.randint(3, 12))])
    chunks = _chunks(*[[f.name for f in rules.fields[i::3]] for i in range(3)])
    merger = Merger(rules, chunks)
    for chunk in rng.sample(range(3), 3):
        merger.add(chunk, [_llm(rng.choice(names), chunk, description=f"llm {chunk}.{j}",
                                categories=[Category("9", "Refused")] if rng.random() < .5
                                else [])
                           for j in range(rng.randint(0, 4))])
        snap = merger.snapshot()
        assert snap.table() == field_table(snap.schema())
