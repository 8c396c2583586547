"""engine.parsers.tabular: dictionaries laid out as a table, one row per variable.

Real files from tests/fixtures, checked by eye, plus hand-made edge cases in
tests/fixtures/edge:

- tab_value_label.csv    title rows above the header; VALUE / Value label code rows under
                         their variable; unit, min, max, missing and required columns;
                         `NA` as a real code; the header repeated mid-table; a note row;
                         a section heading alone in the name column
- tab_inline_values.csv  `;`-separated; values cells holding `1=Male; 2=Female`, a
                         line-broken list, `[a, b, c]` and `A, B, C, D`; missing column
- tab_glossary.csv       a Term / Definition table: no name column, not a dictionary
- tab_pipe_table.txt     a Markdown pipe table inside a .txt file
- doc_merged.docx, doc_spans.html, doc_title_merged.xlsx, doc_legacy.xls,
  doc_ruled_two_pages.pdf, doc_borderless.pdf  (see tests/unit/test_documents.py): the same
                         reading through DOCX merged cells, HTML spans, an XLSX title row, a
                         legacy .xls, a PDF table continued on page 2 and one without rules
"""

from __future__ import annotations

import pytest

from harness.fixtures import fixture_path
from engine.parsers import NotThisFormat, ParseContext, parse_dictionary
from engine.parsers.tabular import parse_tabular, sniff_tabular
from engine.parsers.tabular.columns import map_header


def parse(*parts: str, **kw):
    return parse_dictionary(fixture_path(*parts), **kw)


def codes(field) -> list[str]:
    return [c.text() for c in field.categories]


def missing(field) -> list[str]:
    return [c.text() for c in field.missing_values]


@pytest.fixture(scope="module")
def scorecard():
    return parse("college-scorecard", "CollegeScorecardDataDictionary.xlsx")


# ---- College Scorecard: six sheets, code lists on continuation rows --------------------------
def test_scorecard_reads_the_dictionary_sheet(scorecard):
    assert scorecard.format == "table"
    assert len(scorecard.schema.fields) == 1977
    assert scorecard.schema.names[:4] == ["UNITID", "OPEID", "OPEID6", "INSTNM"]
    assert "read from sheet 'data_dictionary'" in scorecard.warnings[0]
    assert "cohort_map" in scorecard.warnings[0]


def test_scorecard_code_lists_from_continuation_rows(scorecard):
    control = scorecard.schema.field("CONTROL")
    assert control.title == "Control of institution"
    assert control.type == "integer"
    assert codes(control) == ["1=Public", "2=Private nonprofit", "3=Private for-profit"]
    assert control.extras["alias"] == "ownership"
    assert control.extras["section"] == "school"
    assert control.extras["source"] == "IPEDS"
    # every one of the 280 VALUE cells (250 on rows with a blank name) became a code
    assert sum(len(f.categories) + len(f.missing_values)
               for f in scorecard.schema.fields) == 280


def test_scorecard_title_holding_the_code_list(scorecard):
    """`Predominant undergraduate degree awarded\\n 0 Not classified ...` in one cell."""
    preddeg = scorecard.schema.field("PREDDEG")
    assert preddeg.title == "Predominant undergraduate degree awarded"
    assert codes(preddeg) == ["0=Not classified", "1=Predominantly certificate-degree granting",
                              "2=Predominantly associate's-degree granting",
                              "3=Predominantly bachelor's-degree granting",
                              "4=Entirely graduate-degree granting"]


def test_scorecard_types_and_missing_codes(scorecard):
    s = scorecard.schema
    assert (s.field("LATITUDE").type, s.field("OPEID").type) == ("number", "string")
    assert s.field("INSTNM").type == "string"            # API type `autocomplete`
    assert s.field("INSTNM").extras["sourceType"] == "autocomplete"
    relaffil = s.field("RELAFFIL")
    assert missing(relaffil) == ["-1=Not reported", "-2=Not applicable"]
    assert "-1" not in [c.value for c in relaffil.categories]


def test_scorecard_one_sheet_asked_for():
    result = parse("college-scorecard", "CollegeScorecardDataDictionary.xlsx",
                   sheet="data_dictionary")
    assert len(result.schema.fields) == 1977 and result.warnings == []


# ---- JHU vaccine hesitancy: Format mixes types and units
def test_jhu_types_units_and_ranges():
    s = parse("jhu-covid-vaccine-hesitancy", "data_dictionary.csv").schema
    assert len(s.fields) == 22
    fips = s.field("FIPS")
    assert (fips.type, fips.description) == ("string", "county level FIPS code")
    mmr = s.field("MMR_VR")
    assert mmr.type == "number" and mmr.constraints == {"minimum": 0, "maximum": 1}
    assert mmr.extras["sourceType"] == "numeric"
    assert (s.field("VH_2021_12_15").type, s.field("VH_2021_12_15").unit) == ("number", "%")
    assert s.field("pop2020").type == "integer"                       # `count`
    age = s.field("median_age")                                       # `year`: a unit here
    assert (age.type, age.unit) == ("number", "years")
    assert s.field("area_name").extras["source"].startswith("https://www.nrcs.usda.gov/")


# ---- material intensity: unit, values, missing_data and required columns ------------------------
def test_material_codebook_columns():
    s = parse("material-intensity-buildings", "codebook.csv").schema
    assert len(s.fields) == 84
    sid = s.field("sid")
    assert sid.type == "integer" and sid.constraints == {"required": True}
    assert sid.missing_values == []                       # `not allowed - every column ...`
    country = s.field("Country")
    assert country.unit is None                            # `country name` is not a unit
    assert missing(country) == ["NA", "NULL"]
    steel = s.field("steel")
    assert (steel.type, steel.unit) == ("number", "kg per squaremeter of gross floor area")
    assert steel.constraints == {"minimum": 0, "required": True}   # `positive float numbers`
    assert codes(s.field("occupation")) == ["residential", "office", "commercial", "industrial",
                                            "public", "non-residential"]
    assert missing(s.field("R32")) == ["unspecified"]
    entry = s.field("data_entry")
    assert missing(entry) == ["NULL"] and "required" not in entry.constraints
    assert s.field("publication_year").type == "integer"


# ---- fivethirtyeight: three pipe tables under prose headings -------------------------------------
def test_fivethirtyeight_three_tables_with_sections():
    s = parse("fivethirtyeight-primary-candidates-2018", "README.md").schema
    assert len(s.fields) == 45
    for name in ("Office Type", "Primary %", "Warren Endorsed?", "Dem Party Support?"):
        assert s.field(name) is not None, name
    assert s.field("Candidate").extras["section"] == (
        "dem_candidates.csv and rep_candidates.csv include")
    assert s.field("Partisan Lean").extras["section"] == "dem_candidates.csv includes"
    assert s.field("Trump Endorsed?").extras["section"] == "rep_candidates.csv includes"
    assert s.field("State").description == ("The state in which the candidate ran. "
                                            "Supplied by Ballotpedia.")
    assert codes(s.field("Primary Status")) == ["Lost", "Advanced"]


# ---- NYC taxi: a two-column table in a PDF
def test_nyc_pdf_fields_codes_and_units():
    s = parse("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf").schema
    assert s.names == ["VendorID", "tpep_pickup_datetime", "tpep_dropoff_datetime",
                       "Passenger_count", "Trip_distance", "PULocationID", "DOLocationID",
                       "RateCodeID", "Store_and_fwd_flag", "Payment_type", "Fare_amount", "Extra",
                       "MTA_tax", "Improvement_surcharge", "Tip_amount", "Tolls_amount",
                       "Total_amount"]
    vendor = s.field("VendorID")
    assert vendor.description == "A code indicating the TPEP provider that provided the record."
    assert codes(vendor) == ["1=Creative Mobile Technologies, LLC", "2=VeriFone Inc."]
    assert codes(s.field("RateCodeID")) == ["1=Standard rate", "2=JFK", "3=Newark",
                                            "4=Nassau or Westchester", "5=Negotiated fare",
                                            "6=Group ride"]
    payment = s.field("Payment_type")
    assert codes(payment) == ["1=Credit card", "2=Cash", "3=No charge", "4=Dispute",
                              "6=Voided trip"]
    assert missing(payment) == ["5=Unknown"]
    flag = s.field("Store_and_fwd_flag")
    assert codes(flag) == ["Y=store and forward trip", "N=not a store and forward trip"]
    assert flag.description.startswith("This flag indicates whether the trip record was held "
                                       "in vehicle memory before sending to the vendor")
    assert s.field("Trip_distance").unit == "miles"
    assert s.field("MTA_tax").unit == "USD"


# ---- hand-made edge cases
def test_value_label_rows_ranges_missing_required():
    s = parse("edge", "tab_value_label.csv").schema
    # the repeated header and the note row are skipped; LABORATORY RESULTS is a heading
    assert s.names == ["age", "smoker", "alley", "sbp", "visit_type", "bmi", "hb"]
    assert "section" not in s.field("bmi").extras
    assert s.field("hb").extras["section"] == "LABORATORY RESULTS"
    age = s.field("age")
    assert (age.title, age.type, age.unit) == ("Age at visit", "integer", "years")
    assert age.constraints == {"minimum": 0, "maximum": 120, "required": True}
    assert missing(age) == ["-9"]
    smoker = s.field("smoker")
    assert codes(smoker) == ["1=Yes", "2=No"] and missing(smoker) == ["9=Refused"]
    alley = s.field("alley")
    assert codes(alley) == ["Grvl=Gravel", "Pave=Paved", "NA=No alley access"]
    assert alley.missing_values == [] and "required" not in alley.constraints
    sbp = s.field("sbp")
    assert missing(sbp) == ["-9=not measured", "-8=refused"]
    assert sbp.constraints == {"minimum": 60, "maximum": 250, "required": True}
    assert (sbp.type, sbp.unit) == ("number", "mm Hg")
    assert s.field("bmi").constraints == {"minimum": 10, "maximum": 80}


def test_values_cells_holding_code_lists():
    s = parse("edge", "tab_inline_values.csv").schema
    assert codes(s.field("sex")) == ["1=Male", "2=Female"]
    assert missing(s.field("sex")) == ["9=Unknown"]
    smoker = s.field("smoker")
    assert codes(smoker) == ["0=never", "1=former", "2=current"] and missing(smoker) == ["99"]
    use = s.field("use")
    assert codes(use) == ["residential", "office", "commercial"]
    assert missing(use) == ["NA", "NULL"]
    assert codes(s.field("grade")) == ["A", "B", "C", "D"]


def test_docx_vertically_merged_names_and_section_row():
    s = parse("edge", "doc_merged.docx").schema
    assert s.names == ["sex", "income", "region"]
    sex = s.field("sex")
    assert sex.description == "Sex of respondent"
    assert codes(sex) == ["1=Male", "2=Female"] and missing(sex) == ["9=Refused"]
    assert s.field("income").extras["section"] == "Income block"
    assert codes(s.field("region")) == ["N=North", "S=South"]


def test_html_rowspan_continues_the_code_list():
    s = parse("edge", "doc_spans.html").schema
    assert s.names == ["sex", "income", "remarks"]
    sex = s.field("sex")
    assert (sex.title, sex.type) == ("Sex", "integer")
    assert codes(sex) == ["1=Male", "2=Female"]
    income = s.field("income")
    assert (income.type, income.unit) == ("number", "USD")


def test_xlsx_title_row_and_merged_name():
    result = parse("edge", "doc_title_merged.xlsx")
    s = result.schema
    assert s.names == ["hhsize", "tenure", "start_date", "weight"]
    tenure = s.field("tenure")
    assert codes(tenure) == ["1=Owned", "2=Rented"] and missing(tenure) == ["9=Don't know"]
    assert (s.field("start_date").type, s.field("weight").type) == ("date", "number")
    assert "sheet 'Codebook'" in result.warnings[0]


def test_legacy_xls_dictionary():
    s = parse("edge", "doc_legacy.xls").schema
    assert s.names == ["smoker", "weight"]
    assert codes(s.field("smoker")) == ["1=Yes", "2=No"]
    assert s.field("weight").unit == "kg"


@pytest.mark.parametrize("name", ["doc_ruled_two_pages.pdf", "doc_borderless.pdf"])
def test_pdf_tables_continued_or_without_rules(name):
    s = parse("edge", name).schema
    assert s.names == ["trip_id", "pickup_time", "payment", "fare", "flag", "tolls"]
    assert codes(s.field("payment")) == ["1=Card", "2=Cash", "3=No charge"]
    assert s.field("fare").description == ("Fare in dollars calculated by the meter, before "
                                           "tips and tolls.")
    assert codes(s.field("flag")) == ["Y=stored and forwarded", "N=sent at once"]


def test_pipe_table_in_a_text_file():
    s = parse("edge", "tab_pipe_table.txt").schema
    assert s.names == ["visit_id", "visit_date", "score"]
    assert s.field("visit_date").type == "date"
    assert s.field("score").constraints == {"minimum": 0, "maximum": 10}


# ---- what is not a tabular dictionary
def context(*parts: str) -> ParseContext:
    path = fixture_path(*parts)
    return ParseContext(path=path, filename=path.name)


def test_table_without_a_name_column_is_not_this_format():
    with pytest.raises(NotThisFormat):
        list(parse_tabular(context("edge", "tab_glossary.csv")))


@pytest.mark.parametrize("parts", [("jhu-covid-vaccine-hesitancy", "dataset.csv"),
                                   ("country-codes", "country-codes.csv")])
def test_data_files_are_not_dictionaries(parts):
    """`area_name` + `Area_Type`, `Region Name` + `Global Code`: data headers, not dictionaries."""
    with pytest.raises(NotThisFormat):
        list(parse_tabular(context(*parts)))


def test_sniff_is_cheap_and_selective(tmp_path):
    assert sniff_tabular(context("edge", "tab_pipe_table.txt"))
    assert not sniff_tabular(context("house-prices", "data_description.txt"))
    assert not sniff_tabular(context("material-intensity-buildings", "codebook.md"))
    page = tmp_path / "defs.html"
    page.write_text("<html><body><dl><dt>age</dt><dd>Age</dd></dl></body></html>")
    assert not sniff_tabular(ParseContext(path=page, filename=page.name))


def test_prose_pdf_tables_are_left_to_other_parsers():
    """The REDCap PDF's side-by-side layout yields aligned tables, but none has a header."""
    ctx = context("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")
    with pytest.raises(NotThisFormat):
        list(parse_tabular(ctx))


def test_header_columns_by_meaning_and_fuzzy():
    roles, _ = map_header(["NAME OF DATA ELEMENT", "dev-category", "developer-friendly name",
                           "API data type", "VARIABLE NAME", "VALUE", "LABEL", "SOURCE", "NOTES"])
    assert roles == {"title": 0, "section": 1, "alias": 2, "type": 3, "name": 4, "code": 5,
                     "code_label": 6, "source": 7, "notes": 8}
    roles, _ = map_header(["Varible Name", "Desription", "Units"])
    assert roles == {"name": 0, "description": 1, "unit": 2}
    roles, _ = map_header(["Variable", "Label", "Value", "Value label"])
    assert (roles["title"], roles["code_label"]) == (1, 3)
