"""REDCap "Data Dictionary Codebook" pages printed to PDF by a browser.

- redcap-codebook-pdf-takotsubo/Codebook_Takotsubo_pages_1_2_5.pdf  pages 1, 2 and 5 of a real
  print (Chrome, REDCap 13.1.18; the values below were checked by eye in the PDF): the field
  note under the label in small italics, checkbox choices with their `name___code` columns,
  wrapped names (`[what_is_the_patients_inco` / `m]`) and choice labels.
- edge/redcap_codebook_print.pdf  hand-made in the same layout (written by
  edge/redcap_make_fixtures.py): a `Field Note` column of its own, branching logic wrapped
  under the names, a slider, a dropdown, a name wrapped across the page break, a missing row
  number and a row without its number.
- edge/redcap_codebook_chromium.pdf  a REDCap-like codebook page with a Field Note column (the
  .html beside it, written by the same script) printed by headless Chromium: names, logic and
  notes wrapped by the browser itself, choices continued on the next page, the browser's
  header and footer.
"""

from __future__ import annotations

import csv

import pytest

from harness.fixtures import fixture_path
from engine import logic
from engine.analyze import analyze_files
from engine.parsers import parse_dictionary
from engine.parsers.redcap import CodebookReader
from engine.parsers.redcap.codebook_cells import join_wrapped
from engine.parsers.redcap.dictionary import parse_rows
from engine.parsers.redcap.pdfpages import Page, Segment, iter_pages, open_pdf

TAKOTSUBO = ("redcap-codebook-pdf-takotsubo", "Codebook_Takotsubo_pages_1_2_5.pdf")
PRINT = ("edge", "redcap_codebook_print.pdf")
CHROMIUM = ("edge", "redcap_codebook_chromium.pdf")


def cats(field) -> list[tuple[str, str | None]]:
    return [(c.value, c.label) for c in field.categories]


@pytest.fixture(scope="module")
def tako():
    return parse_dictionary(fixture_path(*TAKOTSUBO))


@pytest.fixture(scope="module")
def printed():
    return parse_dictionary(fixture_path(*PRINT))


# ---- the real print ---------------------------------------------------------------------
def test_takotsubo_rows_in_order(tako):
    assert tako.format == "redcap-pdf"
    names = tako.schema.names
    assert names[:12] == ["record_id", "mrn", "site", "zip", "age", "ethnicity", "race", "sex",
                          "height", "weight", "bmi", "religion"]
    assert names[12:18] == ["demographics_complete", "what_is_the_patients_incom",
                            "what_is_the_patients_educa", "income_complete", "card_history",
                            "other_hist_card"]
    assert names[18:] == ["echo", "echo_date", "dys_echo", "lvef", "tapse", "mitral_regurg",
                          "akinesis_echo", "echo_at_time_of_hospitalization_complete",
                          "ct_confirmation", "reason_no_cath", "angio_performed", "date_cath",
                          "coron_spasm"]


def test_takotsubo_pages_left_out_are_reported(tako):
    # rows 19-48 are on the pages not kept in this copy
    assert tako.warnings == ["REDCap codebook: rows 19-48 not found before row 49 (page 3); "
                             "those variables are missing."]


def test_takotsubo_labels_types_ranges(tako):
    s = tako.schema
    assert s.field("record_id").title == "Study ID"
    assert s.field("mrn").extras["identifier"] is True
    height, weight = s.field("height"), s.field("weight")
    assert (height.type, height.constraints, height.unit) == (
        "number", {"minimum": 130, "maximum": 215}, "cm")
    assert (weight.type, weight.constraints, weight.unit) == (
        "integer", {"minimum": 35, "maximum": 200}, "kg")
    assert s.field("age").unit == "years"
    assert s.field("bmi").extras["calculation"] == "round(([weight]*10000)/(([height])^(2)),1)"
    assert s.field("echo_date").type == "date" and s.field("date_cath").type == "date"
    note = s.field("other_hist_card")  # the field note, in small italics under the label
    assert (note.title, note.description) == ("Other History", "write abbreviation")
    status = s.field("demographics_complete")  # `Section Header: Form Status` above the label
    assert status.title == "Complete?" and status.extras["section"] == "Form Status"
    assert cats(status) == [("0", "Incomplete"), ("1", "Unverified"), ("2", "Complete")]
    assert s.field("what_is_the_patients_incom").title == "What is the patients income level?"
    assert s.field("race").extras["form"] == "demographics"
    assert s.field("what_is_the_patients_educa").extras["form"] == "income"
    assert s.field("card_history").extras["form"] == "history"


def test_takotsubo_choices(tako):
    s = tako.schema
    assert cats(s.field("ethnicity")) == [("0", "Hispanic or Latino"),
                                          ("1", "NOT Hispanic or Latino")]
    assert [(c.value, c.label) for c in s.field("ethnicity").missing_values] == [
        ("2", "Unknown / Not Reported")]
    assert cats(s.field("religion"))[-2:] == [("7", "Agnostic"), ("8", "None")]
    assert cats(s.field("mitral_regurg")) == [("1", "Yes"), ("0", "No")]


def test_takotsubo_checkboxes(tako):
    s = tako.schema
    site = s.field("site")
    assert site.extras["checkbox"] is True and site.extras["annotation"] == "site"
    assert cats(site) == [("1", "UCSF-Parnassus"), ("2", "UCSF-SFGH"), ("3", "UCSF-Mission Bay"),
                          ("4", "Brigham and Women's Hospital")]
    assert site.extras["columns"] == ["site___1", "site___2", "site___3", "site___4"]
    hist = s.field("card_history")
    assert len(hist.categories) == 31
    assert hist.categories[27].label == "Cerebrovascular disease other than stroke"  # wrapped
    assert hist.extras["columns"][27] == "card_history___28"
    cath = s.field("reason_no_cath")
    assert cats(cath)[-1] == ("9", "Bleeding Disorder/Anticoagulated State")


def test_takotsubo_no_page_furniture(tako):
    for f in tako.schema.fields:
        text = " ".join([f.name, f.title or "", f.description or ""]
                        + [c.label or "" for c in f.categories])
        assert "REDCap" not in text and "http" not in text and "10:18" not in text


# ---- the hand-made print --------------------------------------------------------------------
def test_print_fields_and_honest_warnings(printed):
    assert printed.schema.names == [
        "record_id", "consent_date", "age_years", "smoker", "cigs_day", "country", "symptoms",
        "pain_score", "what_is_your_current_income", "fu_weight", "fu_bmi", "fu_done",
        "fu_notes", "fu_scan", "fu_end", "fu_orphan"]   # `visit_info` is descriptive
    assert printed.warnings == [
        "REDCap codebook: row 16 not found before row 17 (page 2); those variables are missing.",
        "REDCap codebook: [fu_orphan] (page 2) has no row number; it was read as the row after "
        "17."]


def test_print_field_note_column_and_sections(printed):
    s = printed.schema
    assert (s.field("consent_date").title, s.field("consent_date").description) == (
        "Date of consent", "MM-DD-YYYY")
    assert s.field("consent_date").constraints == {"minimum": "2020-01-01", "required": True}
    assert s.field("age_years").unit == "years" and s.field("fu_weight").unit == "kg"
    smoker = s.field("smoker")
    assert (smoker.title, smoker.extras["section"]) == ("Do you smoke?", "Lifestyle")
    assert s.field("fu_end").title == "End of follow-up"   # the unnumbered row is apart


def test_print_branching_logic_wrapped_under_the_name(printed):
    s = printed.schema
    assert s.field("cigs_day").extras["branchingLogic"] == "[smoker] = '1'"
    logic_text = s.field("symptoms").extras["branchingLogic"]
    assert logic_text == "[age_years] >= 18 and ([smoker] = '1' or [cigs_day] > 0)"
    assert {r.field for r in logic.refs(logic.parse_redcap(logic_text))} == {
        "age_years", "smoker", "cigs_day"}
    assert s.field("fu_done").extras["branchingLogic"] == "[fu_weight] <> ''"
    assert "branchingLogic" not in s.field("fu_end").extras


def test_print_choices_slider_calc(printed):
    s = printed.schema
    country = s.field("country")
    assert cats(country) == [("1", "Brazil"), ("2", "Germany"), ("3", "Mozambique"),
                             ("88", "Other")]
    assert [(c.value, c.label) for c in country.missing_values] == [("99", "Don't know")]
    symptoms = s.field("symptoms")
    assert cats(symptoms) == [("1", "Cough"), ("2", "Fever with chills and night sweats"),
                              ("-1", "None of these")]
    assert symptoms.extras["columns"] == ["symptoms___1", "symptoms___2", "symptoms____1"]
    pain = s.field("pain_score")
    assert (pain.type, pain.constraints, pain.extras["sliderLabels"]) == (
        "integer", {"minimum": 0, "maximum": 10}, ["none", "some", "worst"])
    income = s.field("what_is_your_current_income")  # wrapped across the page break
    assert cats(income) == [("1", "Under 20 000"), ("2", "20 000 or more")]
    assert s.field("fu_bmi").extras["calculation"] == "round([fu_weight]/(([height]/100)^2),1)"
    assert cats(s.field("fu_done")) == [("1", "True"), ("0", "False")]
    assert s.field("cigs_day").extras["annotation"] == "@DEFAULT='0'"


# the same project as the REDCap data dictionary CSV would give it
_HEADER = ["Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
           "Choices, Calculations, OR Slider Labels", "Field Note",
           "Text Validation Type OR Show Slider Number", "Text Validation Min",
           "Text Validation Max", "Identifier?", "Branching Logic (Show field only if...)",
           "Required Field?", "Custom Alignment", "Question Number (surveys only)",
           "Matrix Group Name", "Matrix Ranking?", "Field Annotation"]
_ROWS = [
    ("record_id", "screening", "", "text", "Record ID", "", "", "", "", "", "", "", ""),
    ("consent_date", "screening", "", "text", "Date of consent", "", "MM-DD-YYYY", "date_mdy",
     "2020-01-01", "today", "", "", "y"),
    ("age_years", "screening", "", "text", "Age at consent", "", "years", "integer", "18", "99",
     "", "", ""),
    ("smoker", "screening", "Lifestyle", "yesno", "Do you smoke?", "", "", "", "", "", "", "",
     ""),
    ("cigs_day", "screening", "", "text", "Cigarettes per day", "", "", "integer", "0", "100",
     "", "[smoker] = '1'", ""),
    ("country", "screening", "", "dropdown", "Country of residence",
     "1, Brazil | 2, Germany | 3, Mozambique | 88, Other | 99, Don't know", "", "", "", "", "",
     "", ""),
    ("symptoms", "screening", "", "checkbox", "Symptoms in the last week (check all that apply)",
     "1, Cough | 2, Fever with chills and night sweats | -1, None of these", "", "", "", "", "",
     "[age_years] >= 18 and ([smoker] = '1' or [cigs_day] > 0)", "y"),
    ("pain_score", "screening", "", "slider", "Pain right now", "none | some | worst",
     "0 = none, 10 = worst", "", "0", "10", "", "", ""),
    ("visit_info", "screening", "", "descriptive", "Please complete at the visit.", "", "", "",
     "", "", "", "", ""),
    ("what_is_your_current_income", "screening", "", "radio", "What is your current income?",
     "1, Under 20 000 | 2, 20 000 or more | 99, Prefer not to say", "", "", "", "", "", "", "y"),
    ("fu_weight", "follow_up", "", "text", "Weight", "", "kg", "number", "30", "250", "", "", ""),
    ("fu_bmi", "follow_up", "", "calc", "BMI", "round([fu_weight]/(([height]/100)^2),1)", "",
     "", "", "", "", "", ""),
    ("fu_done", "follow_up", "", "truefalse", "Visit done?", "", "", "", "", "", "",
     "[fu_weight] <> ''", ""),
    ("fu_notes", "follow_up", "", "notes", "Notes", "", "", "", "", "", "", "", ""),
    ("fu_scan", "follow_up", "", "file", "Scan of the consent form", "", "", "", "", "", "", "",
     ""),
    ("fu_end", "follow_up", "", "text", "End of follow-up", "", "", "date_ymd", "", "", "", "",
     ""),
    ("fu_orphan", "follow_up", "", "text", "A row whose number is not printed", "", "", "", "",
     "", "", "", ""),
]


def _write_csv_dictionary(path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(_HEADER)
        for row in _ROWS:
            w.writerow(list(row) + [""] * (len(_HEADER) - len(row) - 1)
                       + ["@DEFAULT='0'" if row[0] == "cigs_day" else ""])


def test_print_gives_the_fields_the_csv_dictionary_gives(printed, tmp_path):
    path = tmp_path / "dictionary.csv"
    _write_csv_dictionary(path)
    with open(path, newline="", encoding="utf-8") as fh:
        from_csv = {f.name: f for f in parse_rows(csv.reader(fh))}
    assert list(from_csv) == printed.schema.names
    for f in printed.schema.fields:
        g = from_csv[f.name]
        pdf_extras = {k: v for k, v in f.extras.items() if k not in ("page", "origin")}
        csv_extras = {k: v for k, v in g.extras.items() if k != "origin"}
        assert (f.title, f.description, f.type, f.format, f.constraints, f.categories,
                f.missing_values, f.unit, pdf_extras) == (
            g.title, g.description, g.type, g.format, g.constraints, g.categories,
            g.missing_values, g.unit, csv_extras), f.name


def test_check_tab_gives_the_same_findings_from_the_print_and_the_csv(tmp_path):
    dictionary = tmp_path / "dictionary.csv"
    _write_csv_dictionary(dictionary)
    data = tmp_path / "data.csv"
    data.write_text(
        "record_id,consent_date,age_years,smoker,cigs_day,country,symptoms___1,symptoms___2,"
        "symptoms____1,pain_score,what_is_your_current_income,fu_weight,fu_bmi,fu_done\n"
        "1,2021-05-01,34,1,10,1,1,0,0,3,1,70,22.9,1\n"
        "2,2021-05-02,40,0,5,2,0,0,1,11,2,80,24.1,1\n"        # cigs_day shown only to smokers
        "3,2021-05-03,17,0,,3,0,1,0,0,99,,,1\n"               # symptoms asked from 18 only
        "4,2021-05-04,50,1,0,88,,,,4,1,90,30.0,\n", encoding="utf-8")
    found = {}
    for dict_path in (fixture_path(*PRINT), dictionary):
        a = analyze_files(data, dict_path).to_dict()
        found[str(dict_path)] = {
            (f["name"], v["kind"] if v["kind"] != "logic" else f"logic:{v['rule']}",
             tuple(v["rows"])) for f in a["fields"] for v in f["violations"]}
    from_pdf, from_csv = found.values()
    assert from_pdf == from_csv
    assert from_pdf == {
        ("age_years", "minimum", (3,)),
        ("pain_score", "maximum", (2,)),
        ("cigs_day", "logic:present_when_hidden", (2,)),
        ("symptoms", "logic:present_when_hidden", (3,)),
        ("symptoms", "logic:required_when_shown", (4,)),
        ("fu_done", "logic:present_when_hidden", (3,)),
    }


# ---- printed by Chromium ------------------------------------------------------------------
def test_chromium_print_wrapped_by_the_browser():
    result = parse_dictionary(fixture_path(*CHROMIUM))
    s = result.schema
    assert result.warnings == []
    assert len(s.fields) == 23 and s.names[-1] == "fu_complete"
    assert "cigarettes_per_day_at_enrolment_visit" in s.names   # over three lines
    logic_of = {f.name: f.extras["branchingLogic"] for f in s.fields
                if "branchingLogic" in f.extras}
    assert logic_of == {
        "pregnant": "[sex] = '1' and [age] >= 12 and [age] <= 55",
        "pregnancy_weeks": "[pregnant] = '1'",
        "comorbidities_other_specify_text": "[comorbidities(98)] = '1'",
        "quit_date": "[smoking_status] = '1'",
        "cigarettes_per_day_at_enrolment_visit":
            "[smoking_status] = '2' or ([smoking_status] = '1' and "
            "datediff([quit_date], [enrol_date], 'y', 'dmy') < 1)",
        "fu_death_date": "[fu_outcome] = '4'",
        "fu_symptoms": "[fu_outcome] <> '4' and [fu_outcome] <> '99'",
    }
    for name, text in logic_of.items():
        logic.tokenize(text)
        if "datediff" not in text:   # a function the Check tab does not evaluate (yet)
            logic.parse_redcap(text)
    como = s.field("comorbidities")
    assert como.extras["section"] == "Medical history"
    assert cats(como)[1] == (
        "2", "Diabetes mellitus type 1 or type 2 requiring medication or insulin")
    assert como.extras["columns"][-1] == "comorbidities____99"
    symptoms = s.field("fu_symptoms")   # choices 9-12 are on the next page
    assert [c.value for c in symptoms.categories] == [str(i) for i in range(1, 13)]
    assert cats(s.field("fu_outcome"))[0] == (
        "1", "Recovered without any remaining symptoms reported by the participant")
    assert (s.field("age").description, s.field("age").unit) == ("years", "years")
    enrol = s.field("enrol_date")   # the note is broken over three lines at its hyphens
    assert (enrol.title, enrol.description) == ("Date of enrolment", "DD-MM-YYYY")
    assert s.field("bmi").extras["calculation"] == "round([weight]/(([height]/100)^2),1)"
    assert s.field("notes").extras["annotation"] == "@HIDDEN-SURVEY"
    assert s.field("fu_date").extras["form"] == "follow_up"


# ---- streaming and helpers ----------------------------------------------------------------
def test_reader_streams_rows_page_by_page():
    reader = CodebookReader()
    with open_pdf(fixture_path(*PRINT), "print.pdf") as doc:
        page1, page2 = list(iter_pages(doc, words=True))
    first = [f.name for f in reader.feed(page1)]
    # row 10 may go on over the page break (its name does)
    assert first == ["record_id", "consent_date", "age_years", "smoker", "cigs_day", "country",
                     "symptoms", "pain_score"]
    rest = [f.name for f in reader.feed(page2)] + [f.name for f in reader.close()]
    assert rest[0] == "what_is_your_current_income" and rest[-1] == "fu_orphan"


def _page(number: int, lines: list[list[tuple[float, str]]], bold: bool = False) -> Page:
    """A page of words laid out at (x, text) on lines 20 points apart (5 points a letter)."""
    segs = []
    for k, line in enumerate(lines):
        top = 700 - 20 * k
        for x, text in line:
            for word in text.split():
                segs.append(Segment(x, x + 5 * len(word), top, top - 7, word, 10, bold))
                x += 5 * len(word) + 3
    return Page(number, 2, 612, 792, segs)


def test_pages_without_rows_after_an_instrument_are_reported():
    reader = CodebookReader()
    page1 = _page(1, [[(40, "1"), (60, "[age]"), (200, "Age"), (400, "text (integer)")],
                      [(40, "2"), (60, "[sex]"), (200, "Sex"), (400, "radio")],
                      [(410, "1"), (430, "Female")],
                      [(410, "2"), (430, "Male")]])
    page2 = _page(2, [[(30, "Some"), (100, "text that is"), (300, "not a row")],
                      [(30, "More text"), (300, "here")], [(30, "And more")]])
    names = [f.name for f in reader.feed(page1)]
    names += [f.name for f in reader.feed(_page(1, [[(36, "Instrument: Other (other)")]],
                                                bold=True))]
    names += [f.name for f in reader.feed(page2)] + [f.name for f in reader.close()]
    assert names == ["age", "sex"]
    assert reader.finish() == ["REDCap codebook: no numbered rows could be read on page(s) 2; "
                               "what they hold is missing."]


@pytest.mark.parametrize("parts, joined", [
    (["[what_is_th", "e_name] = '1'"], "[what_is_the_name] = '1'"),      # inside a name
    (["[a] = '1' and", "[b] = 2"], "[a] = '1' and [b] = 2"),
    (["[a] = 1", "or [b] = 2"], "[a] = 1 or [b] = 2"),
    (["[a] >", "= 2"], "[a] >= 2"),
    (["round([w]/", "(([h]/100)^2),1)"], "round([w]/(([h]/100)^2),1)"),
    (["datedi", "ff([a], 'today')"], "datediff([a], 'today')"),          # a word cut in two
    (["[x] = 12", "and [y]"], "[x] = 12 and [y]"),
])
def test_join_wrapped(parts, joined):
    assert join_wrapped(parts) == joined
