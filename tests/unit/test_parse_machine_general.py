"""Machine codebooks as other publishers write them (hand-written files in tests/fixtures/edge/).

- general_redcap_api.csv: a REDCap data dictionary with the API column names, checkbox codes
  out of order, labels starting with numbers, an empty checkbox label, HTML consent rows in
  three languages, one-sided validation ranges.
- general_ddi32_questionnaire.xml: a DDI 3.2 instance with questions and no variables, codes
  reached through Agency/ID/Version and URN references, numeric/text domains, a grid, routing.
- general_xml_tags.xml: an ad-hoc XML codebook whose tags are the names (mixed case, a tag
  repeated with another description, a unit attribute).
- general_xml_records.xml / general_xml_campos_es.xml / general_xml_eml.xml: repeated records
  with names in attributes or children (English, Spanish, EML), nested code lists.
- general_datapackage_sidelist.json: schema.fields with names and types only, descriptions and
  units in a parallel `bcodmo:parameters` list (HTML), resources without schemas, one name with
  two units.
- general_jsonschema.json / general_csvw.json / general_dbt_schema.yml /
  general_tableschema.yaml: other machine dictionaries found in the wild.
- general_json_variables.json / general_yaml_fields.yaml: JSON and YAML codebooks in no
  standard schema (a list of variables; a map of fields), code maps, code objects, levels.
- general_spss_setup.sps: VALUE LABELS keyed by upper-case names, codes in variable labels
  (one elided), tabs, single-quoted string codes, a block with one `/` per variable, blank
  string missing values, a label repeating its code.
- general_icpsr_setup.sas: an ICPSR-style SAS setup whose PROC FORMAT, FORMAT statement and
  missing-value recodes are commented out; format names differ from the variables; labels
  repeat their codes (`'(9) Don''t know'`); implied decimals; a label over two lines.
- general_stata_cut_labels.dct: labels cut at 40 characters inside a code list.
"""

from __future__ import annotations

import pytest
from harness.fixtures import fixture_path

from engine.errors import InputError
from engine.parsers import parse_dictionary


def parse(name: str):
    """Parse a hand-written fixture of tests/fixtures/edge through the registry."""
    return parse_dictionary(fixture_path("edge", name))


def pairs(cats):
    return [(c.value, c.label) for c in cats]


# ---- REDCap with API column names ---------------------------------------------------------------
@pytest.fixture(scope="module")
def redcap_api():
    return parse("general_redcap_api.csv")


def test_redcap_api_headers_read_every_column(redcap_api):
    assert redcap_api.format == "redcap-csv"
    schema = redcap_api.schema
    assert schema.names == ["study_id", "exam_findings", "fhr_category", "other_sx", "age_years",
                            "weight_kg", "visit_dt", "sex", "smoker", "pain", "bmi"]
    assert schema.field("study_id").extras["identifier"] is True
    assert schema.field("study_id").extras["annotation"] == "@HIDDEN"
    assert schema.field("exam_findings").extras["section"] == "Physical exam"
    assert schema.field("sex").extras["branchingLogic"] == "[age_years] > 0"
    assert schema.field("age_years").constraints == {"minimum": 18, "required": True}
    assert schema.field("weight_kg").constraints == {"maximum": 250}
    assert schema.field("visit_dt").constraints == {"minimum": "2020-01-01"}
    assert schema.field("bmi").extras["calculation"].startswith("round(")
    assert schema.field("pain").extras["sliderLabels"] == ["Nothing", "Some", "Worst"]


def test_redcap_api_choices(redcap_api):
    schema = redcap_api.schema
    assert pairs(schema.field("exam_findings").categories) == [
        ("4", "Normal Exam"), ("1", "Rash"), ("2", "Fever"), ("3", "Cough")]
    assert pairs(schema.field("fhr_category").categories) == [
        ("1", "0: Normal"), ("2", "1-2: Suspect"), ("3", "3+: Pathological")]
    assert pairs(schema.field("other_sx").categories) == [
        ("1", None), ("2", "Headache"), ("3", "Nausea")]
    assert pairs(schema.field("sex").categories) == [("1", "Male"), ("2", "Female")]
    assert pairs(schema.field("sex").missing_values) == [("99", "Unknown")]


def test_redcap_headers_any_case_and_separator(tmp_path):
    path = tmp_path / "dd.csv"
    path.write_text("Field Name;FORM NAME;Section Header;Field_Type;Field Label;"
                    "Select Choices Or Calculations\n"
                    "q1;f;;radio;Pregunta uno;1, Sí | 0, No\n", encoding="utf-8")
    schema = parse_dictionary(path).schema
    assert pairs(schema.field("q1").categories) == [("1", "Sí"), ("0", "No")]


def test_redcap_api_headers_in_a_workbook(tmp_path):
    import csv

    from openpyxl import Workbook
    wb = Workbook()
    with open(fixture_path("edge", "general_redcap_api.csv"), encoding="utf-8") as fh:
        for row in csv.reader(fh):
            wb.active.append(row)
    path = tmp_path / "dictionary.xlsx"
    wb.save(path)
    result = parse_dictionary(path)
    assert result.format == "redcap-csv"
    assert pairs(result.schema.field("exam_findings").categories)[0] == ("4", "Normal Exam")


# ---- DDI 3.2 questionnaire -------------------------------------------------------------------
@pytest.fixture(scope="module")
def ddi32_questions():
    return parse("general_ddi32_questionnaire.xml")


def test_ddi32_questions_are_the_fields(ddi32_questions):
    assert ddi32_questions.format == "ddi"
    schema = ddi32_questions.schema
    # statements, sequences and if-then-else constructs are not fields
    assert schema.names == ["qi_A1", "qi_A2", "qi_A3", "qi_A4", "qg_B1", "qg_B2"]
    assert schema.field("qi_A1").description == "Are you male or female?"


def test_ddi32_codes_through_references(ddi32_questions):
    schema = ddi32_questions.schema
    assert pairs(schema.field("qi_A1").categories) == [("1", "Male"), ("2", "Female")]
    health = schema.field("qi_A4")
    assert pairs(health.categories) == [("1", "Excellent"), ("2", "Good"), ("3", "Poor")]
    assert pairs(health.missing_values) == [("-8", "Don't know")]
    grid = schema.field("qg_B1")
    assert pairs(grid.categories) == [("1", "At least once a week"), ("2", "Never")]
    assert grid.extras["gridRows"] == ["Play sport", "Read a book"]
    ticked = schema.field("qg_B2")              # answers in the second dimension
    assert pairs(ticked.categories) == pairs(grid.categories)
    assert ticked.extras["gridRows"] == ["Play sport", "Read a book"]


def test_ddi32_domains(ddi32_questions):
    schema = ddi32_questions.schema
    age = schema.field("qi_A2")
    assert age.type == "integer" and age.constraints == {"minimum": 16, "maximum": 110}
    job = schema.field("qi_A3")
    assert job.type == "string" and job.constraints == {"maxLength": 120}


DDI33_VARIABLES = """<?xml version="1.0" encoding="UTF-8"?>
<ddi:FragmentInstance xmlns:ddi="ddi:instance:3_3" xmlns:r="ddi:reusable:3_3"
    xmlns:l="ddi:logicalproduct:3_3" xmlns:d="ddi:datacollection:3_3">
  <ddi:Fragment><l:Variable>
    <r:Agency>de.example</r:Agency><r:ID>v1</r:ID><r:Version>2</r:Version>
    <l:VariableName><r:String>zufrieden</r:String></l:VariableName>
    <l:VariableRepresentation><r:MissingValuesReference><r:Agency>de.example</r:Agency>
      <r:ID>mv</r:ID><r:Version>2</r:Version></r:MissingValuesReference></l:VariableRepresentation>
    <r:Label><r:Content xml:lang="de">Zufriedenheit</r:Content>
      <r:Content xml:lang="en">Satisfaction</r:Content></r:Label>
    <r:QuestionReference><r:Agency>de.example</r:Agency><r:ID>q1</r:ID><r:Version>2</r:Version>
      <r:TypeOfObject>QuestionItem</r:TypeOfObject></r:QuestionReference>
  </l:Variable></ddi:Fragment>
  <ddi:Fragment><d:QuestionItem>
    <r:Agency>de.example</r:Agency><r:ID>q1</r:ID><r:Version>2</r:Version>
    <d:QuestionText xml:lang="de"><d:LiteralText><d:Text>Wie zufrieden sind Sie?</d:Text>
      </d:LiteralText></d:QuestionText>
    <d:StructuredMixedResponseDomain>
      <d:ResponseDomainInMixed><d:NumericDomain><r:NumberRange><r:Low>0</r:Low>
        <r:High>10</r:High></r:NumberRange></d:NumericDomain></d:ResponseDomainInMixed>
      <d:ResponseDomainInMixed><d:CodeDomain><r:CodeListReference><r:Agency>de.example</r:Agency>
        <r:ID>q1</r:ID><r:Version>2</r:Version><r:TypeOfObject>CodeList</r:TypeOfObject>
        </r:CodeListReference></d:CodeDomain></d:ResponseDomainInMixed>
    </d:StructuredMixedResponseDomain>
  </d:QuestionItem></ddi:Fragment>
  <ddi:Fragment><l:CodeList><r:Agency>de.example</r:Agency><r:ID>q1</r:ID><r:Version>2</r:Version>
    <l:Code><r:Agency>de.example</r:Agency><r:ID>c1</r:ID><r:Version>2</r:Version>
      <r:CategoryReference><r:Agency>de.example</r:Agency><r:ID>k1</r:ID><r:Version>2</r:Version>
      </r:CategoryReference><r:Value>-1</r:Value></l:Code></l:CodeList></ddi:Fragment>
  <ddi:Fragment><l:ManagedMissingValuesRepresentation><r:Agency>de.example</r:Agency>
    <r:ID>mv</r:ID><r:Version>2</r:Version><r:MissingValue><r:Value>-2</r:Value></r:MissingValue>
  </l:ManagedMissingValuesRepresentation></ddi:Fragment>
  <ddi:Fragment><l:Category><r:Agency>de.example</r:Agency><r:ID>k1</r:ID><r:Version>2</r:Version>
    <r:Label><r:Content xml:lang="en">Refused</r:Content></r:Label></l:Category></ddi:Fragment>
</ddi:FragmentInstance>
"""


def test_ddi33_variable_takes_its_questions_domain(tmp_path):
    """A variable without a representation is typed by its question's (mixed) domain; a
    reference typed `CodeList` finds the code list, not the question sharing its ID."""
    path = tmp_path / "fragment.xml"
    path.write_text(DDI33_VARIABLES, encoding="utf-8")
    schema = parse_dictionary(path).schema
    assert schema.names == ["zufrieden"]
    f = schema.field("zufrieden")
    assert (f.title, f.description) == ("Satisfaction", "Wie zufrieden sind Sie?")
    assert f.type == "number" and f.constraints == {"minimum": 0, "maximum": 10}
    assert pairs(f.missing_values) == [("-1", "Refused"), ("-2", None)]   # managed ones too


# ---- ad-hoc XML -------------------------------------------------------------------------------
def test_xml_tags_are_names():
    result = parse("general_xml_tags.xml")
    assert result.format == "xml"
    schema = result.schema
    assert schema.names == ["sentyear", "Offense", "AGE", "race", "sentLength"]
    assert schema.field("sentyear").description == "Year Sentenced"
    assert schema.field("race").description.startswith("Race of offender: 1 = White")
    assert schema.field("sentLength").unit == "months"


def test_xml_records_with_nested_code_lists():
    schema = parse("general_xml_records.xml").schema
    # the tables wrapping the columns and the codes inside them are not fields
    assert schema.names == ["pid", "gender", "age", "vdate", "region", "result"]
    assert schema.field("pid").type == "integer"
    assert schema.field("vdate").type == "date"
    assert pairs(schema.field("gender").categories) == [("m", "Male"), ("f", "Female")]
    assert schema.field("gender").description == "Gender"
    assert schema.field("age").constraints == {"minimum": 0, "maximum": 120}
    assert schema.field("region").description == "Region of visit"      # English preferred
    result = schema.field("result")
    assert pairs(result.categories) == [("1", "Positive"), ("2", "Negative")]
    assert pairs(result.missing_values) == [("9", "Not done")]   # statistics are no codes


def test_xml_records_spanish_words():
    schema = parse("general_xml_campos_es.xml").schema
    assert schema.names == ["edad", "sexo", "ingreso"]
    assert schema.field("edad").description == "Edad del entrevistado en años"   # markup gone
    assert schema.field("edad").type == "integer"
    assert pairs(schema.field("sexo").categories) == [("H", "Hombre"), ("M", "Mujer")]
    assert schema.field("ingreso").unit == "pesos"


def test_xml_eml_attributes():
    schema = parse("general_xml_eml.xml").schema
    assert schema.names == ["site", "temp", "no3"]        # creators and titles are not fields
    site = schema.field("site")
    assert (site.title, site.description) == ("Site code", "Sampling site identifier")
    assert pairs(site.categories) == [("UP", "Upstream"), ("DN", "Downstream")]
    temp = schema.field("temp")
    assert temp.unit == "celsius" and temp.constraints == {"minimum": -5, "maximum": 40}
    assert pairs(temp.missing_values) == [("-9999", "Not measured")]
    assert schema.field("no3").unit == "milligramsPerLiter"


def test_xml_codes_named_like_identifiers_stay_codes(tmp_path):
    """Codes whose values look like names (m, f) and outnumber the variables are still the
    variables' codes: a code word on their key says so."""
    path = tmp_path / "small.xml"
    path.write_text('<vars><var id="gender"><cat value="m">Male</cat><cat value="f">Female'
                    '</cat></var><var id="region"><cat value="n">North</cat><cat value="s">'
                    'South</cat></var></vars>', encoding="utf-8")
    schema = parse_dictionary(path).schema
    assert schema.names == ["gender", "region"]
    assert pairs(schema.field("region").categories) == [("n", "North"), ("s", "South")]


def test_xml_without_records_is_not_a_codebook(tmp_path):
    path = tmp_path / "config.xml"
    path.write_text("<config><server port='80'/><user>admin</user></config>", encoding="utf-8")
    with pytest.raises(InputError):
        parse_dictionary(path)


def test_xml_entities_still_refused(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
                    "<r><v name='x'>&a;</v><v name='y'>&a;</v></r>", encoding="utf-8")
    with pytest.raises(InputError, match="entities"):
        parse_dictionary(path)


# ---- Data Package with a side list; JSON Schema, CSVW, dbt, Table Schema YAML ------------------
def test_datapackage_side_list_merged_by_name():
    result = parse("general_datapackage_sidelist.json")
    schema = result.schema
    assert schema.names == ["depth", "temp", "station", "NO3", "flag"]
    depth = schema.field("depth")
    assert (depth.description, depth.unit) == ("Depth of sample", "meters")   # HTML stripped
    assert schema.field("temp").unit == "degrees Celsius"
    assert schema.field("station").unit is None                 # `unitless` is no unit
    no3 = schema.field("NO3")                                   # matched without case
    assert (no3.description, no3.unit) == ("Nitrate concentration", "micromoles per liter")
    assert schema.field("flag").description == "Quality flag (WOCE)"
    assert any("decibars" in w and "meters" in w for w in result.warnings)


def test_side_list_needs_matching_names(tmp_path):
    """A list of objects whose values are not the field names (keywords) is not merged."""
    import json
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"resources": [{"name": "r", "schema": {"fields": [
        {"name": "a"}, {"name": "b"}]}, "keywords": [{"word": "x", "description": "Nope"},
                                                    {"word": "a b", "description": "No"}]}]}))
    schema = parse_dictionary(path).schema
    assert [f.description for f in schema.fields] == [None, None]


def test_json_schema():
    result = parse("general_jsonschema.json")
    assert result.format == "json-schema"
    schema = result.schema
    assert schema.names == ["visit_id", "age", "sex", "bp_sys", "visit_date", "smoker", "notes"]
    assert schema.field("visit_id").constraints == {"pattern": "^V[0-9]{5}$", "required": True}
    age = schema.field("age")
    assert age.type == "integer" and age.constraints == {"minimum": 0, "maximum": 120}
    sex = schema.field("sex")                                   # through $ref
    assert (sex.description, [c.value for c in sex.categories]) == ("Sex at birth",
                                                                     ["F", "M", "X"])
    bp = schema.field("bp_sys")
    assert (bp.title, bp.unit, bp.constraints) == ("Systolic BP", "mmHg",
                                                   {"exclusiveMinimum": 0})
    assert schema.field("visit_date").type == "date"
    assert pairs(schema.field("smoker").categories) == [("0", "Never"), ("1", "Former"),
                                                        ("2", "Current")]
    assert schema.field("notes").constraints == {"maxLength": 500}


def test_json_schema_definitions_only(tmp_path):
    import json
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps({"openapi": "3.0.0", "components": {"schemas": {
        "Station": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "string", "description": "Station id"},
            "kind": {"type": "string", "enum": ["rain", "river"]}}},
        "Error": {"type": "string"}}}}), encoding="utf-8")
    result = parse_dictionary(path)
    assert result.format == "json-schema"
    schema = result.schema
    assert schema.names == ["id", "kind"]
    assert schema.field("id").constraints == {"required": True}
    assert schema.field("kind").extras["resource"] == "Station"


def test_csvw_metadata():
    result = parse("general_csvw.json")
    assert result.format == "csvw"
    schema = result.schema
    assert schema.names == ["station_id", "elev", "opened", "n_obs"]    # virtual column left out
    st = schema.field("station_id")
    assert (st.title, st.description, st.constraints) == (
        "Station ID", "WMO station identifier", {"required": True})
    elev = schema.field("elev")
    assert (elev.title, elev.type) == ("Elevation", "number")
    assert elev.description == "Elevation above sea level in metres"
    assert elev.constraints == {"minimum": -500, "maximum": 9000}
    assert [m.value for m in elev.missing_values] == ["-9999"]
    opened = schema.field("opened")
    assert (opened.type, opened.format, opened.description) == (
        "date", "dd.MM.yyyy", "Date the station opened")
    assert schema.field("n_obs").type == "integer"


def test_dbt_schema_yml():
    result = parse("general_dbt_schema.yml")
    assert result.format == "dbt"
    schema = result.schema
    assert schema.names == ["order_id", "status", "amount", "customer_id", "tier",
                            "payment_method"]
    order_id = schema.field("order_id")
    assert order_id.type == "integer"
    assert order_id.constraints == {"unique": True, "required": True}
    status = schema.field("status")
    assert [c.value for c in status.categories] == ["placed", "shipped", "completed",
                                                    "returned"]
    assert status.description is None and status.extras["docBlock"] == "orders_status"
    amount = schema.field("amount")
    assert (amount.unit, amount.constraints) == ("USD", {"minimum": 0})
    assert schema.field("customer_id").constraints == {"required": True}
    assert schema.field("tier").type == "integer"
    assert schema.field("payment_method").extras["resource"] == "raw.payments"


def test_table_schema_yaml():
    result = parse("general_tableschema.yaml")
    assert result.format == "table-schema"
    schema = result.schema
    assert [c.value for c in schema.field("site").categories] == ["A", "B", "C"]
    assert schema.field("depth_m").unit == "metres"            # non-standard `units` key
    assert schema.missing_values == ["", "NA"]


# ---- JSON and YAML in no standard schema -------------------------------------------------------
def test_json_list_of_variables():
    result = parse("general_json_variables.json")
    assert result.format == "json"
    schema = result.schema
    assert schema.names == ["age", "sex", "region", "q1"]
    age = schema.field("age")
    assert (age.description, age.type, age.constraints) == (
        "Age in years", "integer", {"minimum": 16, "maximum": 99})
    sex = schema.field("sex")
    assert sex.description == "Sex"                        # English of a language map
    assert pairs(sex.categories) == [("1", "Male"), ("2", "Female")]
    assert pairs(sex.missing_values) == [("-9", "No answer")]
    assert pairs(schema.field("region").categories) == [("N", "North"), ("S", "South")]
    q1 = schema.field("q1")
    assert [c.value for c in q1.categories] == ["low", "medium", "high"]
    assert [m.value for m in q1.missing_values] == ["-1", "-2"]


def test_yaml_map_of_fields():
    schema = parse("general_yaml_fields.yaml").schema
    assert schema.names == ["age", "sex", "income"]
    assert schema.field("age").unit == "years"
    assert pairs(schema.field("sex").categories) == [("1", "Male"), ("2", "Female")]
    assert schema.field("income").constraints == {"minimum": 0}


def test_json_data_rows_are_not_a_dictionary(tmp_path):
    import json
    path = tmp_path / "people.json"
    path.write_text(json.dumps([{"id": i, "name": n, "age": a} for i, (n, a) in enumerate(
        [("alice", 30), ("bob", 41), ("carol", 25)])]), encoding="utf-8")
    with pytest.raises(InputError):
        parse_dictionary(path)


# ---- SPSS, SAS, Stata setups ----------------------------------------------------------------
def test_spss_setup_names_codes_and_missing():
    schema = parse("general_spss_setup.sps").schema
    assert schema.names == ["q8", "sex", "agecat", "state", "zip", "income"]
    q8 = schema.field("q8")                         # VALUE LABELS Q8 ...
    assert pairs(q8.categories) == [("1", "Poor"), ("2", "Fair"), ("3", "Good")]
    assert pairs(q8.missing_values) == [("9", "Don't know")]
    assert pairs(schema.field("sex").categories) == [("1", "Female"), ("2", "Male")]
    assert pairs(schema.field("state").categories) == [
        ("AZB", "Arizona"), ("CAL", "California"), ("NEV", "Nevada")]
    assert pairs(schema.field("agecat").categories) == [("1", "Under 13"), ("7", "18 or older")]
    assert [m.value for m in schema.field("zip").missing_values] == [""]
    income = schema.field("income")
    assert [m.value for m in income.missing_values] == ["999998", "999999"]
    assert income.categories == []


def test_spss_names_spelled_by_the_defining_command(tmp_path):
    path = tmp_path / "labels_first.sps"
    path.write_text("VALUE LABELS Q8 1 'Poor' 2 'Good' /SEX 1 'F' 2 'M'.\n"
                    "VARIABLE LABELS q8\t'Rating' /sex\t'Sex' /agegrp '1= <=12...7=18+ yrs'.\n",
                    encoding="utf-8")
    schema = parse_dictionary(path).schema
    assert schema.names == ["q8", "sex", "agegrp"]
    assert schema.field("agegrp").categories == []      # an elided list gives no codes


def test_icpsr_sas_setup_commented_sections():
    result = parse("general_icpsr_setup.sas")
    schema = result.schema
    assert schema.names == ["CASEID", "V2", "V3", "STATE", "WEIGHT", "INCOME"]
    v2 = schema.field("V2")                         # format `sex.` tied in a comment
    assert [c.value for c in v2.categories] == ["1", "2"]
    assert pairs(v2.missing_values) == [("9", "Don't know")]   # the label's own code is tidied away
    v3 = schema.field("V3")
    assert v3.description == "Has health insurance - any kind"
    assert [c.value for c in v3.categories] == ["0", "1"]
    assert pairs(v3.missing_values) == [("8", "Refused")]     # its label, without its own code
    assert pairs(schema.field("STATE").categories) == [("AZ", "Arizona"), ("CA", "California")]
    weight = schema.field("WEIGHT")
    assert weight.type == "number" and weight.extras["position"] == {"start": 162, "end": 169}
    assert [m.value for m in schema.field("INCOME").missing_values] == ["999998", "999999"]
    assert any("commented out" in w for w in result.warnings)


def test_open_missing_ranges_closed_by_the_field_width(tmp_path):
    """`x >= 98` on a two-column whole-number field means 98 and 99; a range on a field with
    decimals, or open below, stays a range."""
    sas = tmp_path / "recodes.sas"
    sas.write_text("DATA; INFILE 'd'; INPUT V1 1-2 V4 5-10 W 11-14 .1;\n"
                   "/*\nIF (V1 >= 98) THEN V1 = .;\nIF (V4 <= -1) THEN V4 = .;\n"
                   "IF (W GE 999) THEN W = .;\n*/\nRUN;\n", encoding="utf-8")
    schema = parse_dictionary(sas).schema
    assert [m.value for m in schema.field("V1").missing_values] == ["98", "99"]
    assert schema.field("V4").extras["missingRanges"] == [{"maximum": -1}]
    assert schema.field("W").missing_values == []
    sps = tmp_path / "setup.sps"
    sps.write_text("DATA LIST FIXED /age 1-2 inc 3-8 (2).\n"
                   "MISSING VALUES age (97 THRU HI) / inc (9000 THRU HI).\n", encoding="utf-8")
    schema = parse_dictionary(sps).schema
    assert [m.value for m in schema.field("age").missing_values] == ["97", "98", "99"]
    assert schema.field("inc").extras["missingRanges"] == [{"minimum": 9000}]


def test_stata_labels_cut_inside_a_code_never_make_codes():
    schema = parse("general_stata_cut_labels.dct").schema
    month = schema.field("month")
    assert month.categories == [] and month.description == "Month interviewed (1=Jan, 12=Dec)"
    assert schema.field("car").categories == []
    assert pairs(schema.field("marital").categories) == [("1", "Married"), ("2", "Single")]
    assert pairs(schema.field("region").categories) == [("1", "North"), ("2", "South")]
    assert [c.value for c in schema.field("health").categories] == ["1", "2", "3"]


def test_ddi32_reference_picks_the_version_it_names(tmp_path):
    """Two versions of one code list: the reference's Agency/ID/Version chooses; a question
    without a name is named by its ID."""
    cl = ("<l:CodeList><r:Agency>a</r:Agency><r:ID>cl</r:ID><r:Version>{v}</r:Version>"
          "<l:Code><r:Value>{code}</r:Value></l:Code></l:CodeList>")
    path = tmp_path / "versions.xml"
    path.write_text(
        '<ddi:FragmentInstance xmlns:ddi="ddi:instance:3_2" xmlns:r="ddi:reusable:3_2" '
        'xmlns:l="ddi:logicalproduct:3_2" xmlns:d="ddi:datacollection:3_2">'
        + cl.format(v=1, code=7) + cl.format(v=2, code=8) +
        "<d:QuestionItem><r:Agency>a</r:Agency><r:ID>q-9</r:ID><r:Version>1</r:Version>"
        "<d:QuestionText><d:LiteralText><d:Text>Which?</d:Text></d:LiteralText></d:QuestionText>"
        "<d:CodeDomain><r:CodeListReference><r:Agency>a</r:Agency><r:ID>cl</r:ID>"
        "<r:Version>2</r:Version></r:CodeListReference></d:CodeDomain></d:QuestionItem>"
        "</ddi:FragmentInstance>", encoding="utf-8")
    schema = parse_dictionary(path).schema
    assert schema.names == ["q-9"]
    assert [c.value for c in schema.field("q-9").categories] == ["8"]
