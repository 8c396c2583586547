"""The dictionary model: Table Schema v2 round trips, typed codes, merging, rows."""

from __future__ import annotations

from engine.model import Category, Field, PackedSchema, Schema, merge_duplicates, merge_field


def _sex() -> Field:
    return Field(name="sex", description="Sex of respondent", type="integer",
                 categories=[Category("1", "Male"), Category("2", "Female")],
                 missing_values=[Category("9", "Refused")],
                 constraints={"required": True, "minimum": "1", "maximum": "2"},
                 unit=None, extras={"branchingLogic": "[age] >= 18"})


def test_field_descriptor_uses_standard_names_and_typed_values():
    d = _sex().to_descriptor()
    assert d["categories"] == [{"value": 1, "label": "Male"}, {"value": 2, "label": "Female"}]
    assert d["missingValues"] == [{"value": "9", "label": "Refused"}]  # physical, so a string
    assert d["constraints"] == {"required": True, "minimum": 1, "maximum": 2}
    assert d["branchingLogic"] == "[age] >= 18"


def test_schema_round_trip_keeps_everything():
    schema = Schema(fields=[_sex(), Field(name="age", type="number", unit="years")],
                    missing_values=["", "NA"], extras={"primaryKey": ["sex"]})
    d = schema.to_descriptor()
    assert d["$schema"].endswith("/2.0/tableschema.json")
    back = Schema.from_descriptor(d)
    assert back.to_descriptor() == d
    assert back.field("sex").categories[1] == Category("2", "Female")
    assert back.field("age").unit == "years"


def test_v1_enum_becomes_categories():
    f = Field.from_descriptor({"name": "c", "type": "string", "constraints": {"enum": ["a", "b"]}})
    assert [c.value for c in f.categories] == ["a", "b"]


def test_string_codes_stay_strings():
    f = Field(name="zip", type="string", categories=[Category("01234", "x")])
    assert f.to_descriptor()["categories"] == [{"value": "01234", "label": "x"}]


def test_merge_unites_codes_and_keeps_fuller_description():
    a = Field(name="x", description="short", categories=[Category("1", "Yes")])
    b = Field(name="x", description="a much longer description", type="integer",
              categories=[Category("1"), Category("0", "No")])
    m = merge_field(a, b)
    assert m.description == "a much longer description"
    assert m.type == "integer"
    assert m.categories == [Category("1", "Yes"), Category("0", "No")]
    fields, merged = merge_duplicates([a, Field(name="y"), b])
    assert [f.name for f in fields] == ["x", "y"] and merged == ["x"]


def test_merge_leaves_both_definitions_unchanged():
    # the merged field shares code objects with its inputs (fewer objects per LLM job): a
    # label filled from the other definition is a new code, not a change to a shared one
    a = Field(name="x", categories=[Category("1"), Category("2", "No")],
              missing_values=[Category("9")], constraints={"minimum": 1}, extras={"k": 1})
    b = Field(name="x", categories=[Category("1", "Yes"), Category("3", "Maybe")],
              missing_values=[Category("9", "Refused")], constraints={"maximum": 3})
    before = (repr(a), repr(b))
    m = merge_field(a, b)
    assert [c.text() for c in m.categories] == ["1=Yes", "2=No", "3=Maybe"]
    assert [c.text() for c in m.missing_values] == ["9=Refused"]
    assert m.constraints == {"minimum": 1, "maximum": 3}
    assert (repr(a), repr(b)) == before
    m.categories.append(Category("4"))
    m.constraints["required"] = True
    assert (repr(a), repr(b)) == before


def test_a_packed_schema_unpacks_to_an_equal_one():
    s = Schema(fields=[Field(name="x", title="X", type="integer", unit="kg",
                             categories=[Category("1", "Yes")], categories_ordered=True,
                             constraints={"minimum": 0}, missing_values=[Category("9", "NA")],
                             extras={"origin": {"parser": "rules"}}),
                       Field(name="y")],
               missing_values=["", "-9"], extras={"title": "T"})
    packed = PackedSchema.of(s)
    assert isinstance(packed.data, bytes) and packed.names == ["x", "y"]
    back = packed.unpack()
    assert back == s and back.to_descriptor() == s.to_descriptor()
    assert back.fields[0] is not s.fields[0]          # new objects each time
    assert PackedSchema.of(Schema()).unpack() == Schema()


def test_rows_csv_and_markdown():
    schema = Schema(fields=[_sex()])
    row = schema.rows()[0]
    assert row["codes"] == "1=Male; 2=Female"
    assert row["range"] == "1 – 2"
    assert row["missing"] == "9=Refused"
    assert row["required"] == "yes"
    assert schema.to_csv().splitlines()[0] == "name,title,description,type,unit,codes,range,missing,required"
    assert "| sex |" in schema.to_markdown()


def test_missing_values_are_all_objects_when_any_has_a_label():
    f = Field(name="x", missing_values=[Category("9", "Refused"), Category("NA")])
    assert f.to_descriptor()["missingValues"] == [{"value": "9", "label": "Refused"},
                                                  {"value": "NA", "label": ""}]
    plain = Field(name="y", missing_values=[Category(""), Category("NA")])
    assert plain.to_descriptor()["missingValues"] == ["", "NA"]


def test_the_fields_table_holds_each_repeated_cell_once():
    from engine.jobs import field_table
    from engine.model import FIELD_ROW_COLUMNS

    likert = [Category(str(i), label) for i, label in enumerate(["Never", "Sometimes", "Often"], 1)]
    fields = [Field(f"q{i}", type="integer", title=f"Question {i}", categories=list(likert),
                    missing_values=[Category("9", "Refused")]) for i in range(40)]
    schema = Schema(fields=fields)
    table = field_table(schema)
    assert table == [[r[c] for c in FIELD_ROW_COLUMNS] for r in schema.rows()]   # same cells
    codes = {id(row[FIELD_ROW_COLUMNS.index("codes")]) for row in table}
    missing = {id(row[FIELD_ROW_COLUMNS.index("missing")]) for row in table}
    assert len(codes) == len(missing) == 1        # one string, not one per row
    assert len({id(row[0]) for row in table}) == 40
    assert table[0][FIELD_ROW_COLUMNS.index("codes")] == "1=Never; 2=Sometimes; 3=Often"
