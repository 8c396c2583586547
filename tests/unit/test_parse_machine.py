"""Machine-readable codebooks: Table Schema/Data Package, FHIR, DDI 2/3, ODM XML, SPSS, Stata.

Real files: gss-happiness-extract (GSS.sps, GSS.dct, 1972_2014.ddi3.xml), redcap-iedea (REDCap
project XML), fhir-questionnaire, country-codes/datapackage.yml.

Hand-written edge cases in tests/fixtures/edge/:
- machine_datapackage_two_resources.json: two resources, a v1 `enum`, a non-standard type,
  schema-level missingValues, keys, and a third resource whose schema is only a path.
- machine_schema_yaml_scalars.yaml: `yes`/`no`/`NA`/`01` codes and a date bound in YAML.
- machine_ddi25_codebook.xml: DDI 2.5 catgry with missing="Y", invalrng (and invalidrng) items and ranges,
  valrng, location, NA = Namibia as a real code.
- machine_ddi32_fragment.xml: DDI 3.2 URNs, r:Content labels, CodeList, NumberRange, question.
- machine_odm_generic.xml: plain CDISC ODM with units, RangeCheck, Mandatory, EnumeratedItem.
- machine_redcap_checkbox.xml: REDCap checkbox options, required yes/no, descriptive item.
- machine_fhir_options.json: valueInteger/valueString options, nested items, unit, value set.
- machine_spss_missing_ranges.sps: two records, THRU/LO ranges, multi-variable VALUE LABELS.
- machine_spss_free.sps: DATA LIST LIST with shared formats, abbreviated commands.
- machine_stata_str20.dct / machine_stata_infix.dct: str20 fields, width-less entries, a URL
  in a label, infix.
- machine_malformed.json / .yaml / machine_malformed_ddi.xml / machine_entity_ddi.xml /
  machine_not_a_schema.json: broken or foreign inputs.
"""

from __future__ import annotations

import pytest
from harness.fixtures import fixture_path

from engine.errors import InputError
from engine.parsers import NotThisFormat, ParseContext, parse_dictionary
from engine.parsers.machine import PARSERS
from engine.parsers.machine.spss_syntax import expand_names, format_type, tokenize

GSS = "gss-happiness-extract"
INCOME_MISSING = [("99", "No answer"), ("98", "Don't know"), ("26", "Refused"),
                  ("0", "Not applicable")]
HAPPY_CODES = [("3", "Not too happy"), ("2", "Pretty happy"), ("1", "Very happy")]
HAPPY_MISSING = [("9", "No answer"), ("8", "Don't know"), ("0", "Not applicable")]


def parse(*parts):
    """Parse a fixture through the registry (format detection included)."""
    return parse_dictionary(fixture_path(*parts))


def run(fmt: str, *parts):
    """Run one of this module's parsers directly; returns (fields, context)."""
    path = fixture_path(*parts)
    ctx = ParseContext(path=path, filename=path.name)
    spec = next(s for s in PARSERS if s.format == fmt)
    return list(spec.parse(ctx)), ctx


def pairs(cats):
    return [(c.value, c.label) for c in cats]


@pytest.mark.parametrize("parts, fmt", [
    ((GSS, "GSS.sps"), "spss-syntax"),
    ((GSS, "GSS.dct"), "stata-dct"),
    ((GSS, "1972_2014.ddi3.xml"), "ddi"),
    (("redcap-iedea", "Harmonist0BCodeLists_2017-12-21_1148.REDCap.xml"), "odm-xml"),
    (("fhir-questionnaire", "fhir_questionnaire_with_logic.json"), "fhir-questionnaire"),
    (("country-codes", "datapackage.yml"), "table-schema"),
])
def test_registry_picks_the_machine_parser(parts, fmt):
    assert parse(*parts).format == fmt


# ---- GSS in three formats -------------------------------------------------------------------
def test_gss_spss_syntax():
    schema = parse(GSS, "GSS.sps").schema
    assert schema.names == ["YEAR", "ID_", "EDUC", "INCOME06", "HAPPY", "HAPMAR", "HAPCOHAB",
                            "JOBMEANS", "DEPRESS"]
    year = schema.field("YEAR")
    assert year.description == "Gss year for this respondent"   # trailing blanks dropped
    assert year.type == "number" and year.extras["position"] == {"start": 1, "end": 20}
    assert schema.field("DEPRESS").extras["position"] == {"start": 161, "end": 180}
    educ = schema.field("EDUC")
    assert educ.type == "integer" and educ.categories == []
    assert pairs(educ.missing_values) == [("99", "No answer"), ("98", "Don't know"),
                                          ("97", "Not applicable")]
    income = schema.field("INCOME06")
    assert income.type == "integer"
    assert [c.value for c in income.categories] == [str(v) for v in range(25, 0, -1)]
    assert pairs(income.categories)[0] == ("25", "$150000 or over")
    assert pairs(income.categories)[-1] == ("1", "Under $1 000")
    assert pairs(income.missing_values) == INCOME_MISSING
    assert pairs(schema.field("HAPPY").categories) == HAPPY_CODES
    assert pairs(schema.field("HAPPY").missing_values) == HAPPY_MISSING
    assert pairs(schema.field("JOBMEANS").categories)[-1] == ("1", "Most impt")


def test_gss_stata_dictionary():
    schema = parse(GSS, "GSS.dct").schema
    assert schema.names[0] == "YEAR" and schema.names[-1] == "DEPRESS" and len(schema.names) == 9
    for i, f in enumerate(schema.fields):
        assert f.extras["position"] == {"start": 1 + 20 * i, "end": 20 * (i + 1)}
        assert f.type == "number" and f.extras["sourceType"] == "numeric %20f"
    assert schema.field("JOBMEANS").description == "Work important and feel accomplishment"
    assert schema.field("YEAR").description == "Gss year for this respondent"


def test_gss_ddi3_resolves_code_schemes_and_categories():
    schema = parse(GSS, "1972_2014.ddi3.xml").schema
    assert schema.names == ["year", "id_", "educ", "income06", "happy", "hapmar", "hapcohab",
                            "jobmeans", "depress"]
    assert schema.field("year").type == "number"
    assert schema.field("year").extras["sourceType"] == "Double"
    assert schema.field("hapcohab").description == "Happiness of relt with partner"
    educ = schema.field("educ")
    assert educ.type == "integer" and educ.categories == []
    assert [m.value for m in educ.missing_values] == ["99", "98", "97"]
    assert pairs(schema.field("income06").missing_values) == INCOME_MISSING
    assert pairs(schema.field("income06").categories)[4] == ("21", "$75000 to $89999")
    depress = schema.field("depress")   # in the second VariableScheme
    assert pairs(depress.categories) == [("2", "No"), ("1", "Yes")]
    assert pairs(depress.missing_values) == HAPPY_MISSING


def test_gss_formats_agree():
    sps = parse(GSS, "GSS.sps").schema
    ddi = parse(GSS, "1972_2014.ddi3.xml").schema
    dct = parse(GSS, "GSS.dct").schema
    for a, b, c in zip(sps.fields, ddi.fields, dct.fields):
        assert a.name.lower() == b.name == c.name.lower()
        assert a.description == b.description == c.description
        assert pairs(a.categories) == pairs(b.categories)
        assert pairs(a.missing_values) == pairs(b.missing_values)
        assert a.extras["position"] == c.extras["position"]


# ---- REDCap ODM, FHIR, Data Package ------------------------------------------------------------
def test_redcap_project_xml():
    schema = parse("redcap-iedea", "Harmonist0BCodeLists_2017-12-21_1148.REDCap.xml").schema
    assert schema.names == ["record_id", "list_name", "code_format", "code_list", "code_file",
                            "codelist_update_d", "codelist_update_txt", "code_list_complete"]
    fmt = schema.field("code_format")
    assert fmt.description == "Choose a format for the code list:"
    assert fmt.type == "integer" and fmt.extras["sourceType"] == "radio"
    assert pairs(fmt.categories) == [
        ("1", "List of codes separated by pipe character"),
        ("3", "CSV file upload with codes in column 1 and labels in column 2.")]
    assert schema.field("code_list").extras["branchingLogic"] == "[code_format] = '1'"
    assert schema.field("code_list").description.startswith("Code list Format is \"1 = Choc")
    notes = schema.field("codelist_update_txt")
    assert notes.extras["branchingLogic"] == "[codelist_update_d] <> ''"
    date = schema.field("codelist_update_d")
    assert date.type == "date" and date.extras["sourceType"] == "text (date_ymd)"
    assert pairs(schema.field("code_list_complete").categories) == [
        ("0", "Incomplete"), ("1", "Unverified"), ("2", "Complete")]
    assert "maxLength" not in schema.field("record_id").constraints   # REDCap's Length="999"


def test_fhir_questionnaire_with_logic():
    schema = parse("fhir-questionnaire", "fhir_questionnaire_with_logic.json").schema
    assert len(schema.fields) == 16
    assert "demographics" not in schema.names   # groups are flattened, not fields
    age = schema.field("age")
    assert (age.type, age.description) == ("integer", "Age (years)")
    assert age.constraints == {"required": True, "minimum": 18, "maximum": 85}
    assert pairs(schema.field("gender").categories) == [
        ("male", "Male"), ("female", "Female"), ("other", "Other")]
    pregnant = schema.field("pregnant")
    assert pregnant.type == "boolean" and pregnant.extras["group"] == "Demographics"
    assert pregnant.extras["enableWhen"] == [
        {"question": "gender", "operator": "=", "answerCoding": {"code": "female"}}]
    dose = schema.field("dosage_mg")
    assert dose.type == "number"
    assert (dose.constraints["minimum"], dose.constraints["maximum"]) == (5.0, 500.0)
    assert schema.field("due_date").type == "date"
    assert "required" not in schema.field("due_date").constraints
    assert schema.field("ae_description").type == "string"
    assert schema.field("ae_severity").categories[-1].value == "life-threatening"


def test_country_codes_datapackage_yaml():
    schema = parse("country-codes", "datapackage.yml").schema
    assert len(schema.fields) == 56
    fifa = schema.field("FIFA")
    assert fifa.title == "FIFA code" and fifa.type == "string"
    assert fifa.description == ("Codes assigned by the Fédération Internationale de Football "
                                "Association")
    assert schema.field("ISO3166-1-Alpha-3").constraints == {"maxLength": 3, "minLength": 3,
                                                             "unique": True}
    assert schema.field("ISO3166-1-numeric").type == "string"   # numeric-looking codes
    assert schema.field("Continent").constraints == {"maxLength": 2, "minLength": 2}
    assert schema.field("Geoname ID").type == "integer"
    assert "resource" not in schema.field("FIFA").extras   # one resource: no resource tag
    assert schema.missing_values is None


# ---- edge cases ---------------------------------------------------------------------------
def test_datapackage_with_two_resources_and_a_linked_schema():
    result = parse("edge", "machine_datapackage_two_resources.json")
    schema = result.schema
    assert schema.names == ["patient_id", "sex", "region", "visit_date", "weight"]
    assert schema.field("sex").extras["resource"] == "patients"
    assert schema.field("visit_date").extras["resource"] == "visits"
    assert schema.field("visit_date").format == "%d/%m/%Y"
    assert pairs(schema.field("sex").missing_values) == [("U", "Unknown")]
    assert [c.value for c in schema.field("region").categories] == ["NA", "EU", "AS"]
    weight = schema.field("weight")
    assert (weight.type, weight.unit, weight.extras["sourceType"]) == ("number", "kg", "numeric")
    assert schema.missing_values == ["", "-99", "NA"]
    assert "primaryKey" not in schema.extras
    assert any("schemas/labs.json" in w for w in result.warnings)
    assert any("primaryKey" in w and "patients" in w for w in result.warnings)


def test_yaml_keeps_codes_as_written():
    schema = parse("edge", "machine_schema_yaml_scalars.yaml").schema
    assert [c.value for c in schema.field("answer").categories] == ["yes", "no", "NA", "01", "02"]
    assert schema.field("visit").constraints["minimum"] == "2020-01-01"
    assert schema.missing_values == ["", "NA"]


def test_ddi25_codebook():
    schema = parse("edge", "machine_ddi25_codebook.xml").schema
    sex = schema.field("sex")
    assert (sex.title, sex.description) == ("Sex of respondent", "What is your sex?")
    assert sex.type == "integer" and pairs(sex.categories) == [("1", "Male"), ("2", "Female")]
    assert pairs(sex.missing_values) == [("9", "Skipped by design"), ("8", "Don't know")]
    assert sex.extras["position"] == {"start": 1, "end": 1}
    age = schema.field("age")
    assert [m.value for m in age.missing_values] == ["-1", "997", "998", "999"]
    assert age.constraints == {"minimum": 18, "maximum": 99}
    assert age.extras["position"] == {"start": 2, "end": 4}
    income = schema.field("income")
    assert income.type == "number" and income.extras["missingRanges"] == [{"maximum": -1}]
    assert income.description == "Gross yearly income of the household, in dollars."
    country = schema.field("country")
    assert country.type == "string"
    assert pairs(country.categories) == [("NA", "Namibia"), ("NL", "Netherlands")]
    assert pairs(country.missing_values) == [("XX", "Refused")]


def test_ddi32_fragment_with_urns():
    schema = parse("edge", "machine_ddi32_fragment.xml").schema
    smoke = schema.field("smoke")
    assert (smoke.title, smoke.description) == ("Smoking status", "Do you currently smoke tobacco?")
    assert pairs(smoke.categories) == [("1", "Daily"), ("2", "Never")]
    assert pairs(smoke.missing_values) == [("-9", "Refused")]
    cigs = schema.field("cigs")
    assert cigs.type == "integer" and cigs.constraints == {"minimum": 0, "maximum": 80}


def test_generic_odm():
    schema = parse("edge", "machine_odm_generic.xml").schema
    assert schema.names == ["WEIGHT", "SEX", "ARM", "COMMENT"]   # form order first
    weight = schema.field("WEIGHT")
    assert (weight.title, weight.unit, weight.type) == ("Weight", "kg", "number")
    assert weight.description == "Body weight measured at the visit, without shoes"
    assert weight.constraints == {"minimum": 20, "exclusiveMaximum": 300, "required": True}
    assert schema.field("ARM").description == "Treatment arm"   # English text preferred
    assert [c.value for c in schema.field("ARM").categories] == ["PLACEBO", "DRUG A"]
    assert schema.field("COMMENT").constraints == {"maxLength": 200}


def test_redcap_checkbox_options_are_named():
    schema = parse("edge", "machine_redcap_checkbox.xml").schema
    assert schema.names == ["race___1", "race___2", "smoker", "packs"]   # descriptive skipped
    assert schema.field("race___2").description == "Race: Black or African American"
    assert pairs(schema.field("race___1").categories) == [("1", "Checked"), ("0", "Unchecked")]
    smoker = schema.field("smoker")
    assert smoker.description == "Do you smoke?\nAny tobacco in the last 30 days"
    assert smoker.type == "integer" and smoker.constraints == {"required": True}
    packs = schema.field("packs")
    assert packs.type == "integer" and packs.constraints == {"minimum": 0, "maximum": 50}
    assert packs.extras["branchingLogic"] == "[smoker] = '1'"
    assert packs.extras["sourceType"] == "text (int)"


def test_fhir_options_units_and_value_sets():
    result = parse("edge", "machine_fhir_options.json")
    schema = result.schema
    assert schema.names == ["1.1", "1.2", "1.2.1", "1.3", "1.4"]   # display item skipped
    cups = schema.field("1.1")
    assert cups.type == "integer" and cups.unit == "cups per day"
    assert [c.value for c in cups.categories] == ["0", "1", "2"]
    assert [c.value for c in schema.field("1.2").categories] == ["Tea", "Coffee"]
    assert schema.field("1.2.1").constraints == {"maxLength": 200}
    assert schema.field("1.4").extras["enableBehavior"] == "all"
    assert any("1.3" in w and "value set" in w for w in result.warnings)


def test_spss_missing_ranges_and_multi_variable_labels():
    schema = parse("edge", "machine_spss_missing_ranges.sps").schema
    assert schema.names == ["ID", "NAME", "Q1", "Q2", "Q3", "INCOME", "BIRTH", "SCORE"]
    for i, name in enumerate(["Q1", "Q2", "Q3"]):
        q = schema.field(name)
        assert q.extras["position"] == {"start": 26 + i, "end": 26 + i, "record": 1}
        assert pairs(q.categories) == [("1", "Not at all"), ("2", "Somewhat"), ("3", "A lot")]
        assert pairs(q.missing_values) == [("8", "Don't know"), ("9", "Skipped")]
    assert schema.field("Q3").description == 'Trust in "the press"'
    assert schema.field("NAME").description == "Respondent's name"
    income = schema.field("INCOME")
    assert income.description == "Household income (dollars)"
    assert income.type == "number" and income.extras["sourceType"] == "F8.2"
    assert income.extras["missingRanges"] == [{"maximum": -1}]
    name = schema.field("NAME")
    assert name.type == "string" and name.extras["sourceType"] == "A20"
    assert pairs(name.categories) == [("NA", "No name given"), ("ZZZ", "Anonymous")]
    birth = schema.field("BIRTH")
    assert (birth.type, birth.format, birth.extras["sourceType"]) == ("date", "%m/%d/%Y", "ADATE10")
    assert birth.extras["position"] == {"start": 1, "end": 10, "record": 2}
    score = schema.field("SCORE")
    assert score.type == "number" and pairs(score.missing_values) == [("-1", "Not computed")]
    spelled = [str(v) for v in range(99990, 100000)]   # 99990 THRU 99999
    assert [m.value for m in schema.field("ID").missing_values] == spelled


def test_spss_free_format_data_list():
    fields, _ = run("spss-syntax", "edge", "machine_spss_free.sps")
    assert [(f.name, f.type, f.extras.get("sourceType")) for f in fields] == [
        ("id", "integer", "F3.0"), ("age", "integer", "F3.0"), ("name", "string", "A20"),
        ("score", "number", None)]
    assert fields[1].description == "Age at interview"
    assert pairs(fields[1].missing_values) == [("999", "Refused")]
    assert pairs(fields[2].categories) == [("x", "Withheld")]


def test_stata_str20_dictionary():
    result = parse("edge", "machine_stata_str20.dct")
    f = result.schema.field
    assert (f("name").type, f("name").extras["position"]) == ("string", {"start": 1, "end": 20})
    assert f("age").type == "integer" and f("age").description == "Age in years"
    assert f("state").extras == {"sourceType": "str2 %2s", "position": {"start": 24, "end": 25},
                                 "origin": f("state").extras["origin"]}
    assert f("state").description == "State code (see https://www.census.gov/library)"
    assert f("income").extras["position"] == {"start": 26, "end": 35}   # follows state
    assert f("zip").extras["position"] == {"start": 40, "end": 45}      # ends where score starts
    assert f("year").extras["position"] == {"start": 54, "end": 57}     # _column(52) _skip(2)
    assert any("people data.txt" in w for w in result.warnings)
    assert any(":name" in w for w in result.warnings)


def test_stata_infix_dictionary():
    fields, ctx = run("stata-dct", "edge", "machine_stata_infix.dct")
    assert [(x.name, x.type, x.extras["position"]) for x in fields] == [
        ("name", "string", {"start": 1, "end": 20}), ("year", "integer", {"start": 21, "end": 24}),
        ("age", "number", {"start": 1, "end": 3, "record": 2})]
    assert ctx.warnings == ["The dictionary reads its data from data.raw: upload that file as "
                            "the dataset."]


@pytest.mark.parametrize("name, where", [
    ("machine_malformed.json", "line 4, column 5"),
    ("machine_malformed.yaml", "line 4, column 4"),
    ("machine_malformed_ddi.xml", "line 6, column 7"),
])
def test_malformed_files_say_where(name, where):
    with pytest.raises(InputError) as info:
        parse("edge", name)
    message = str(info.value)
    assert name in message and where in message and "export" in message


def test_entity_declarations_are_refused():
    with pytest.raises(InputError, match="ENTITY"):
        parse("edge", "machine_entity_ddi.xml")


def test_json_that_is_no_schema_is_not_this_format():
    with pytest.raises(NotThisFormat):
        run("table-schema", "edge", "machine_not_a_schema.json")
    with pytest.raises(NotThisFormat):
        run("fhir-questionnaire", "edge", "machine_not_a_schema.json")


def test_sniffs_are_specific():
    def sniffs(*parts):
        path = fixture_path(*parts)
        ctx = ParseContext(path=path, filename=path.name)
        return {s.format for s in PARSERS if ctx.ext in s.extensions and s.sniff(ctx)}

    assert sniffs(GSS, "1972_2014.ddi3.xml") == {"ddi"}
    assert sniffs("redcap-iedea", "Harmonist0BCodeLists_2017-12-21_1148.REDCap.xml") == {"odm-xml"}
    assert sniffs("fhir-questionnaire", "fhir_questionnaire_with_logic.json") == {
        "fhir-questionnaire", "table-schema"}   # FHIR is tried first (priority 10)
    assert sniffs(GSS, "GSS.sps") == {"spss-syntax"}


# ---- SPSS syntax helpers ------------------------------------------------------------------------
def test_spss_tokens_names_and_formats():
    tokens = tokenize("VALUE LABELS a 1 'Don''t' + ' know' /* note */ 2 \"x\"")
    assert [t.text for t in tokens] == ["VALUE", "LABELS", "a", "1", "Don't know", "2", "x"]
    assert expand_names(["a", "TO", "c", "z"], ["A", "B", "C", "D"]) == ["A", "B", "C", "z"]
    assert expand_names(["q08", "to", "q10"], []) == ["q08", "q09", "q10"]
    assert format_type("F8.2") == ("number", None)
    assert format_type("F3") == ("integer", None)
    assert format_type("A20") == ("string", None)
    assert format_type("DATE9") == ("date", "%d-%b-%y")
    assert format_type("DATETIME20") == ("datetime", "%d-%b-%Y %H:%M:%S")


def test_table_schema_without_fields_says_so(tmp_path):
    from engine.errors import InputError
    from engine.parsers import parse_dictionary

    path = tmp_path / "empty.schema.json"
    path.write_text('{"fields": []}')
    with pytest.raises(InputError, match="Table Schema without fields"):
        parse_dictionary(path)
