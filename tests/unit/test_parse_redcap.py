"""REDCap parsers: data dictionary CSV/TXT/XLSX, instrument PDF, codebook PDF.

Real files: redcap-iedea/IeDEA_tblCENTER_2020-06-30.csv and the 90-page
redcap-ltc-promise-pdf/LTCPROMISE8314QC.pdf (values below were checked by eye in the files).
Edge cases (tests/fixtures/edge/):
- redcap_edge_dictionary.csv   hand-written: labels with commas, checkbox (code -1), calc,
  slider, HTML labels, validations, truefalse/yesno, two forms, trailing empty rows, BOM
- redcap_edge_dictionary.xlsx  the same table on the second sheet of a workbook
- redcap_old_header.txt        tab-separated, old header texts with `Field Units`
- redcap_instrument_split.pdf  a checkbox cut by a page break, matrix group, horizontal
  choices, descriptive text, field note, calc/notes/slider markers
- redcap_codebook.pdf          the Codebook page printed to PDF
- redcap_encrypted.pdf, redcap_no_text.pdf   unreadable PDFs
(the PDFs and the workbook are written by redcap_make_fixtures.py).
"""

from __future__ import annotations

import re

import pytest

from harness.fixtures import fixture_path
from engine.errors import EncryptedFile, NoTextLayer
from engine.model import Category
from engine.parsers import NotThisFormat, ParseContext, iter_parse, parse_dictionary
from engine.parsers.redcap.common import parse_choices, split_label, validation_type
from engine.parsers.redcap.dictionary import parse_rows, sniff_dictionary
from engine.parsers.redcap.instrument import InstrumentReader
from engine.parsers.redcap.pdfpages import iter_pages, open_pdf

LTC = ("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")
IEDEA = ("redcap-iedea", "IeDEA_tblCENTER_2020-06-30.csv")


def cats(field) -> list[tuple[str, str | None]]:
    return [(c.value, c.label) for c in field.categories]


def missing(field) -> list[tuple[str, str | None]]:
    return [(c.value, c.label) for c in field.missing_values]


@pytest.fixture(scope="module")
def ltc():
    return parse_dictionary(fixture_path(*LTC))


@pytest.fixture(scope="module")
def iedea():
    return parse_dictionary(fixture_path(*IEDEA))


# ---- the 90-page instrument PDF ------------------------------------------------------------
def test_ltc_pdf_has_one_field_per_marker(ltc):
    """585 fields: one per `{[name] type ...}` marker in pdfium's text, same names, same order."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(fixture_path(*LTC)))
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    pdf.close()
    markers = re.findall(r"\{\[(\w+)\]\s+\w+", text)
    assert ltc.format == "redcap-pdf"
    assert len(markers) == len(set(markers)) == 585
    assert ltc.schema.names == markers
    assert ltc.warnings == []


def test_ltc_pdf_first_page(ltc):
    s = ltc.schema
    rid = s.field("record_id")
    assert (rid.title, rid.type, rid.constraints) == ("PROMISE Lung Study ID", "string", {})
    ie = s.field("ie_criteria")
    assert ie.title == ("Did the candidate meet all inclusion and no exclusion criteria for the "
                        "PROMISE Lung Study?")
    assert cats(ie) == [("1", "Yes"), ("0", "No")]
    assert ie.type == "integer" and ie.constraints == {"required": True}
    assert ie.extras["sourceType"] == "radio"
    assert ie.extras["form"] == "Consent Demographics" and ie.extras["page"] == 1
    consent = s.field("consent_date")
    assert consent.type == "date" and consent.extras["validation"] == "date_mdy"
    assert consent.extras["branchingLogic"] == "[ie_criteria] = '1'"
    eth = s.field("cand_eth")
    assert cats(eth) == [("1", "Hispanic/Latino"), ("2", "Not Hispanic/Latino")]
    assert missing(eth) == [("98", "Unknown")]


def test_ltc_pdf_checkbox_with_choices_beside_and_below_the_marker(ltc):
    race = ltc.schema.field("race_cand")
    assert cats(race) == [("1", "American Indian or Alaska Native"), ("2", "Asian"),
                          ("3", "Black or African American"),
                          ("4", "Native Hawaiian or Other Pacific Islander"), ("5", "White"),
                          ("98", "Unknown"), ("7", "Other")]
    assert race.extras["checkbox"] is True
    assert race.extras["columns"][:2] == ["race_cand___1", "race_cand___2"]
    assert race.extras["columns"][5] == "race_cand___98"
    assert race.missing_values == []  # each checkbox choice is a 0/1 column
    other = ltc.schema.field("oth_race")  # logic wrapped over two lines
    assert other.extras["branchingLogic"] == "[ie_criteria] = '1' and [race_cand(7)] = '1'"


def test_ltc_pdf_wrapped_choice_labels_and_logic(ltc):
    studies = ltc.schema.field("ltc_u01_studies")
    assert studies.title == "Select LTC U01 study (or studies) that participant is enrolled in"
    assert len(studies.categories) == 7
    assert studies.categories[0] == Category(
        "1", "CATCH: Creating Access to Transplant for Candidates who are High Risk "
             "(Lead Center - Toronto; PI - Keshavjee)")
    assert studies.categories[6].label == ("Perioperative Factors that Drive Cell-Free "
                                           "Hemoglobin-Mediated PGD (Lead Center - Vanderbilt; "
                                           "PI - Ware)")
    assert studies.extras["branchingLogic"] == "[ltc_u01_enrollment] = '1'"
    assert ltc.schema.field("study_id_catch").extras["branchingLogic"] == (
        "[ltc_u01_enrollment] = '1' and [ltc_u01_studies(1)] = '1'")


def test_ltc_pdf_validations_ranges_and_flags(ltc):
    s = ltc.schema
    z = s.field("z_score_hip")
    assert (z.type, z.constraints) == ("number", {"minimum": -5, "maximum": 4})
    pf = s.field("don_pf_accept")  # marker wrapped: `... (integer Min: 200 Max: 600)` `Required}`
    assert pf.type == "integer"
    assert pf.constraints == {"minimum": 200, "maximum": 600, "required": True}
    tx = s.field("tx_date")  # `{[tx_date] text (date_mdy) Required Identifier}`
    assert tx.type == "date" and tx.extras["identifier"] is True
    assert tx.constraints == {"required": True}
    assert s.field("blood_draw_date_time").type == "datetime"
    assert s.field("pao2").title == "PaO2 (mmHg)" and s.field("pao2").unit == "mm Hg"
    assert s.field("pd_narr").extras["sourceType"] == "notes"
    vas = s.field("vasscale")
    assert (vas.type, vas.constraints) == ("integer", {"minimum": 0, "maximum": 100})
    assert vas.categories == []
    assert s.field("pciworksheet").extras["sourceType"] == "file"


def test_ltc_pdf_fields_around_page_breaks(ltc):
    """The last field of page 1 and the first of page 2 are whole; a matrix header repeated
    at the top of page 83 gives its choices to the first question there."""
    s = ltc.schema
    last = s.field("unos_cand_pxid")
    assert (last.extras["page"], last.type) == (1, "number")
    assert last.extras["branchingLogic"] == "[ie_criteria] = '1'"
    first = s.field("ltc_u01_enrollment")
    assert first.extras["page"] == 2
    assert first.title == ("Is this participant also enrolled in a local Lung Transplant "
                           "Consortium (LTC) U01 study?")
    assert cats(first) == [("1", "Yes"), ("2", "No")]
    q42, q43 = s.field("ltqol42"), s.field("ltqol43")
    assert (q42.extras["page"], q43.extras["page"]) == (82, 83)
    assert q42.title == "42. Have you felt downhearted and depressed?"
    assert cats(q42) == [("1", "Never"), ("2", "Once or twice"), ("3", "A few times"),
                         ("4", "Fairly often"), ("5", "Very often")]
    assert q43.title == "43. How depressed (at its worst) have you felt?"
    assert cats(q43) == [("1", "Not at all"), ("2", "A little"), ("3", "Somewhat"),
                         ("4", "Very"), ("5", "Extremely")]
    assert missing(q43) == [("6", "Don't Know"), ("7", "Patient Refused")]


def test_ltc_pdf_matrix_question_in_its_header(ltc):
    q6 = ltc.schema.field("ltqol6")  # no row text: the matrix header is the question
    assert q6.title == ("6. Over the last 3 months, how many good days (with few ling "
                        "respirator problems) have you had?")
    assert cats(q6)[0] == ("1", "Every day") and len(q6.categories) == 5
    q1 = ltc.schema.field("ltqol1")
    assert q1.title == "1. I had shortness of breath"
    assert q1.extras["section"].startswith("Thinking back over the past 4 weeks")


def test_ltc_pdf_no_page_furniture_or_descriptive_text_in_fields(ltc):
    texts = [f"{f.title} {f.description or ''}" for f in ltc.schema.fields]
    for junk in ("Confidential", "projectredcap", "LTC-PROMISE.8314_QC", "09-24-2025",
                 "Please complete an early withdrawal form", "We are trying to find out"):
        assert not any(junk in t for t in texts), junk
    assert ltc.schema.field("imgdonorid").title == "UNOS Donor ID:"  # after a bullet list
    ae = ltc.schema.field("ae_num")  # after a full-width warning; its field note
    assert ae.title == "AE Number"
    assert ae.description == "(Note: This field is auto-populated and cannot be edited.)"
    assert ltc.schema.field("micro_biop").categories == [Category("1", "Yes"), Category("0", "No")]


def test_ltc_pdf_streams_page_by_page():
    """One update per field with batch_seconds=0 (no timing involved): many updates before
    the end, each with the pages read so far."""
    updates = list(iter_parse(fixture_path(*LTC), batch_seconds=0))
    partial = [u for u in updates if not u.done]
    assert updates[-1].done and len(updates[-1].fields) == 585
    assert len(partial) > 1 and len(partial[0].fields) < 585
    pages = [u.progress[0] for u in partial]
    assert all(u.progress[1] == 90 for u in partial)
    assert pages == sorted(pages) and pages[0] < 10 and pages[-1] >= 85
    assert updates[-1].progress == (90, 90)


# ---- instrument PDF edge cases --------------------------------------------------------------
def test_field_cut_by_page_break_stays_whole():
    result = parse_dictionary(fixture_path("edge", "redcap_instrument_split.pdf"))
    sym = result.schema.field("symptoms")
    assert sym.title == "Which symptoms did you have in the last week? (check all)"
    assert cats(sym) == [("1", "Cough"), ("2", "Fever, with chills"), ("3", "Headache"),
                         ("4", "Sore throat or runny nose"), ("98", "Unknown")]
    assert sym.extras["branchingLogic"] == "[smoker] = '1' and [age] >= 18"
    assert sym.constraints == {"required": True} and sym.extras["page"] == 1
    assert result.schema.names == ["age", "smoker", "bmi", "freq_ex", "freq_veg", "symptoms",
                                   "other_notes", "health_vas"]


def test_reader_holds_the_last_field_of_a_page_until_the_next_page():
    reader = InstrumentReader()
    with open_pdf(fixture_path("edge", "redcap_instrument_split.pdf"), "split.pdf") as doc:
        page1, page2 = list(iter_pages(doc))
    first = [f.name for f in reader.feed(page1)]
    assert first == ["age", "smoker", "bmi", "freq_ex", "freq_veg"]  # symptoms still open
    second = [f.name for f in reader.feed(page2)] + [f.name for f in reader.close()]
    assert second == ["symptoms", "other_notes", "health_vas"]


def test_instrument_edge_layouts():
    s = parse_dictionary(fixture_path("edge", "redcap_instrument_split.pdf")).schema
    age = s.field("age")
    assert (age.title, age.type) == ("Age at enrolment (years)", "integer")
    assert age.constraints == {"minimum": 0, "maximum": 120, "required": True}
    assert age.extras["form"] == "Baseline Visit"
    smoker = s.field("smoker")  # `{1} Yes  {0} No` on one line
    assert (smoker.type, cats(smoker)) == ("integer", [("1", "Yes"), ("0", "No")])
    bmi = s.field("bmi")  # after a full-width descriptive paragraph; a field note beside it
    assert (bmi.title, bmi.type) == ("Body mass index", "number")
    assert bmi.description == "(Note: calculated from height and weight)"
    for name in ("freq_ex", "freq_veg"):  # a matrix: choices printed once above the rows
        f = s.field(name)
        assert cats(f) == [("1", "Never"), ("2", "Some days"), ("3", "Every day")]
        assert missing(f) == [("9", "Refused")]
        assert f.extras["section"] == "How often did you..."
    assert s.field("freq_ex").title == "1. Exercise?"
    assert s.field("other_notes").type == "string"
    vas = s.field("health_vas")
    assert (vas.type, vas.constraints, vas.categories) == (
        "integer", {"minimum": 0, "maximum": 100}, [])


def test_codebook_pdf():
    result = parse_dictionary(fixture_path("edge", "redcap_codebook.pdf"))
    s = result.schema
    assert result.format == "redcap-pdf"
    assert s.names == ["record_id", "dob", "sex", "height", "race", "bmi", "consent",
                       "visit_date", "pain", "comments"]
    dob = s.field("dob")  # attributes wrapped after a comma
    assert dob.type == "date" and dob.extras["identifier"] is True
    assert dob.constraints == {"minimum": "1900-01-01", "required": True}
    sex = s.field("sex")
    assert cats(sex) == [("1", "Female"), ("2", "Male")]
    assert missing(sex) == [("99", "Prefer not to answer")]
    assert sex.extras["section"] == "About you" and sex.extras["form"] == "demographics"
    height = s.field("height")
    assert (height.description, height.unit, height.constraints) == (
        "measured standing", "cm", {"minimum": 50, "maximum": 250})
    race = s.field("race")
    assert cats(race) == [("1", "White"), ("2", "Black, African American, or African-descended")]
    assert race.extras["branchingLogic"] == "[dob] <> ''"
    assert s.field("bmi").extras["calculation"] == "round([weight]/(([height]/100)^2),1)"
    assert cats(s.field("consent")) == [("1", "Yes"), ("0", "No")]
    assert s.field("visit_date").extras == {**s.field("visit_date").extras, "form": "follow_up",
                                            "page": 2}
    assert s.field("pain").extras["sliderLabels"] == ["None", "Moderate", "Worst"]


def test_encrypted_pdf_says_so():
    with pytest.raises(EncryptedFile, match="password-protected"):
        parse_dictionary(fixture_path("edge", "redcap_encrypted.pdf"))


def test_pdf_without_text_says_so():
    with pytest.raises(NoTextLayer, match="no text layer"):
        parse_dictionary(fixture_path("edge", "redcap_no_text.pdf"))


# ---- data dictionary CSV / TXT / XLSX -------------------------------------------------------
def test_iedea_fields_and_descriptive_rows(iedea):
    """24 rows: 22 fields, 2 descriptive rows (tblcenter_txt, supplemental_txt), 9 empty rows."""
    assert iedea.format == "redcap-csv"
    assert iedea.schema.names == [
        "record_id", "last_reviewed_d", "region", "center", "name", "program", "adultped",
        "rural", "level", "country", "province", "district", "city", "geocode_lat",
        "geocode_lon", "open_d", "close_d", "add_center", "drop_center", "survey_internet",
        "survey_paper", "notes"]
    assert not any(f.constraints.get("required") for f in iedea.schema.fields)  # none marked y


def test_iedea_region_keeps_na_as_a_code(iedea):
    region = iedea.schema.field("region")
    assert cats(region) == [("AP", "Asia-Pacific"), ("NA", "NA-ACCORD (North America)"),
                            ("CN", "CCASAnet (Latin America)"), ("CA", "Central Africa"),
                            ("EA", "East Africa"), ("SA", "Southern Africa"), ("WA", "West Africa")]
    assert region.missing_values == [] and region.type == "string"
    assert region.title == "REGION"
    assert region.description == "IeDEA global region\nValues: AP, EA, SA, WA, CA, CN, NA"
    assert region.extras["sourceType"] == "dropdown" and region.extras["form"] == "tblcenter"


def test_iedea_labels_dates_codes_and_sections(iedea):
    s = iedea.schema
    reviewed = s.field("last_reviewed_d")
    assert (reviewed.title, reviewed.type) == ("Last Reviewed Date", "date")
    assert reviewed.description == "Date when this center's data was last reviewed and/or updated"
    center = s.field("center")  # a <div> subtitle over two lines
    assert center.description == ("Code for Clinic/Centre/Hospital where patient is seen. "
                                  "Needs to be unique within each region.")
    level = s.field("level")
    assert cats(level)[2] == ("3", "Regional, provincial or university hospital")
    assert missing(level) == [("9", "Unknown")] and level.type == "integer"
    assert missing(s.field("survey_paper")) == [("8", "not applicable"), ("9", "Unknown")]
    country = s.field("country")
    assert len(country.categories) == 249
    assert Category("NAM", "Namibia") in country.categories
    assert Category("CIV", "Côte d'Ivoire") in country.categories
    assert country.description == "Coded as 3-letter ISO code (on back end)"
    assert country.extras["section"] == "Site Location"
    assert s.field("open_d").extras["section"] == "Site Metadata"
    assert s.field("notes").type == "string" and s.field("notes").extras["sourceType"] == "notes"
    assert s.field("geocode_lat").description.endswith("Example look-up website: iTouchMap")


def _edge_checks(s) -> None:
    """What the edge dictionary says, whichever file format carries it."""
    assert s.names == ["record_id", "agree", "symptoms", "weight", "height", "bmi", "pain",
                       "visit_dt", "dob", "email", "zip", "smoking", "happy", "consent", "scan",
                       "comments"]  # `intro` is descriptive; trailing empty rows ignored
    agree = s.field("agree")
    assert cats(agree) == [("1", "Yes, definitely"), ("2", "No")]
    assert missing(agree) == [("9", "Refused")]
    assert agree.constraints == {"required": True} and agree.extras["section"] == "About you"
    sym = s.field("symptoms")
    assert cats(sym) == [("1", "Cough"), ("2", "Fever, with chills"), ("-1", "None of these")]
    assert sym.extras["columns"] == ["symptoms___1", "symptoms___2", "symptoms____1"]
    assert sym.extras["branchingLogic"] == "[agree] = '1'"
    weight = s.field("weight")
    assert (weight.title, weight.description, weight.type, weight.unit) == (
        "Weight (kg)", "Measured without shoes", "number", "kg")
    assert weight.constraints == {"minimum": 20, "maximum": 300, "required": True}
    bmi = s.field("bmi")
    assert bmi.type == "number"
    assert bmi.extras["calculation"] == "round([weight]/(([height]/100)^2),1)"
    assert bmi.extras["annotation"] == "@HIDDEN"
    pain = s.field("pain")
    assert (pain.title, pain.description, pain.type) == ("Pain right now", "Move the slider",
                                                         "integer")
    assert pain.constraints == {"minimum": 0, "maximum": 100}
    assert pain.extras["sliderLabels"] == ["No pain", "Moderate", "Worst pain"]
    visit = s.field("visit_dt")
    assert (visit.type, visit.format) == ("datetime", "%Y-%m-%d %H:%M:%S")
    assert visit.constraints == {"minimum": "2020-01-01 00:00:00"}  # `today` is no bound
    dob = s.field("dob")
    assert dob.type == "date" and dob.extras["identifier"] is True
    assert (s.field("email").type, s.field("email").format) == ("string", "email")
    assert s.field("zip").constraints == {"pattern": r"\d{5}(-\d{4})?"}
    smoking = s.field("smoking")
    assert (smoking.title, smoking.description) == ("Smoking status",
                                                    "as reported by the participant")
    assert missing(smoking) == [("88", "Not applicable")]
    assert cats(s.field("happy")) == [("1", "True"), ("0", "False")]
    consent = s.field("consent")
    assert cats(consent) == [("1", "Yes"), ("0", "No")] and consent.type == "integer"
    assert (consent.extras["form"], consent.extras["section"]) == ("consent_form", "Consent")
    assert s.field("scan").type == "string" and s.field("comments").type == "string"


def test_edge_dictionary_csv():
    result = parse_dictionary(fixture_path("edge", "redcap_edge_dictionary.csv"))
    assert result.format == "redcap-csv"
    _edge_checks(result.schema)


def test_edge_dictionary_xlsx_on_second_sheet():
    result = parse_dictionary(fixture_path("edge", "redcap_edge_dictionary.xlsx"))
    assert result.format == "redcap-csv"
    _edge_checks(result.schema)


def test_old_header_tab_separated():
    result = parse_dictionary(fixture_path("edge", "redcap_old_header.txt"))
    assert result.format == "redcap-csv"
    age = result.schema.field("age")
    assert (age.type, age.unit, age.constraints) == (
        "integer", "years", {"minimum": 0, "maximum": 120, "required": True})
    assert cats(result.schema.field("sex")) == [("0", "Female"), ("1", "Male")]


def test_other_csv_is_not_redcap():
    path = fixture_path("jhu-covid-vaccine-hesitancy", "data_dictionary.csv")
    assert not sniff_dictionary(ParseContext(path=path, filename=path.name))
    with pytest.raises(NotThisFormat):
        list(parse_rows([["Field Name", "Format"], ["a", "text"]]))


# ---- small helpers ---------------------------------------------------------------------------
def test_choices_labels_and_validations():
    assert parse_choices("1, Yes, definitely | 2, No") == [Category("1", "Yes, definitely"),
                                                           Category("2", "No")]
    assert parse_choices("AP, Asia-Pacific | NA, NA-ACCORD") == [
        Category("AP", "Asia-Pacific"), Category("NA", "NA-ACCORD")]
    assert parse_choices("0, <b>Never</b>|1,Often") == [Category("0", "Never"),
                                                        Category("1", "Often")]
    assert split_label('Weight <div class="x">in kg,<br>no shoes</div>') == (
        "Weight", "in kg, no shoes")
    assert split_label("Age &amp; sex") == ("Age & sex", None)
    assert validation_type("date_mdy") == ("date", None, None)
    assert validation_type("datetime_dmy") == ("datetime", "%Y-%m-%d %H:%M", None)
    assert validation_type("time") == ("time", "%H:%M", None)
    assert validation_type("number_2dp_comma_decimal") == ("number", None, None)
    assert validation_type("integer") == ("integer", None, None)
    assert validation_type("phone")[0] == "string"
