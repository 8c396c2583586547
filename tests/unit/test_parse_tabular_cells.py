"""engine.parsers.tabular keeps every cell's text: a values cell that holds no code list (free
text stating a range in words, a unit, a remark under the codes) reaches the field, where the
range and unit it states are read; a source column stays a source; codes written in a
description column in several quoting styles, also when the file left the commas of the
description unquoted, come out as codes.  Small hand-written documents."""

from __future__ import annotations

import docx
import pytest

from engine.formats.delimited.table import read_delimited
from engine.formats.delimited.ragged import mend_overflow
from engine.parsers import parse_dictionary
from engine.parsers.tabular import codecells as CC
from engine.parsers.tabular import remarks as R


def parse(path):
    return parse_dictionary(path).schema


def codes(field) -> list[str]:
    return [f"{c.value}={c.label}" if c.label else c.value for c in field.categories]


def word_table(tmp_path, header: list[str], rows: list[tuple[str, ...]], intro: str = ""):
    """A Word document holding one table (cells with line breaks where the text has them)."""
    d = docx.Document()
    d.add_heading("Codebook", 1)
    if intro:
        d.add_paragraph(intro)
    t = d.add_table(rows=1, cols=len(header))
    for c, h in zip(t.rows[0].cells, header):
        c.text = h
    for r in rows:
        for c, v in zip(t.add_row().cells, r):
            c.text = v
    path = tmp_path / "codebook.docx"
    d.save(path)
    return path


# ---- 1. values cells that are not code lists -------------------------------------------------
_YOUTH = [
    ("sex", "Sex of respondent", "1 = Male\n2 = Female", "Baseline questionnaire Q1"),
    ("days_alcohol", "Days drank alcohol in the past month",
     "Free input (zero was the minimum input possible and thirty-one was the maximum)",
     "YRBS 2019 item 41"),
    ("days_smoke", "Days smoked in the past month", "Number of days, 0-31", "YRBS 2019 item 32"),
    ("height", "Height of the respondent", "Measured in centimetres", "Nurse visit"),
    ("bmi", "Body mass index", "Numeric", "Derived from height and weight"),
]


@pytest.mark.parametrize("header", [["Variable", "Label", "Answer Format", "Source"],
                                    ["Variable", "Label", "Response", "Derivation"],
                                    ["Variable", "Etiqueta", "Formato de respuesta", "Fuente"]])
def test_free_text_in_a_values_cell_reaches_the_field(tmp_path, header):
    """No description column: the values cell's text is the description, and its range in
    words, its range in digits and its unit are read; the source column stays a source."""
    s = parse(word_table(tmp_path, header, _YOUTH))
    assert s.names == ["sex", "days_alcohol", "days_smoke", "height", "bmi"]
    assert codes(s.field("sex")) == ["1=Male", "2=Female"]
    alcohol = s.field("days_alcohol")
    assert alcohol.description.startswith("Free input (zero was the minimum")
    assert alcohol.constraints == {"minimum": 0, "maximum": 31}
    smoke = s.field("days_smoke")
    assert smoke.description == "Number of days, 0-31"
    assert smoke.constraints == {"minimum": 0, "maximum": 31} and smoke.unit == "days"
    assert s.field("height").unit == "cm"
    bmi = s.field("bmi")                    # a bare type word is the type, not a description
    assert bmi.description is None and bmi.type == "number"
    for f in s.fields:
        assert f.extras["source"] and f.extras["source"] not in (f.description or "")


def test_beside_a_description_the_values_text_is_a_note_and_still_read(tmp_path):
    """A description column too: the values cell's words are a note (the description stays
    the question), their range is still the field's."""
    rows = [("sexo", "Sexo del encuestado", "1 = Hombre\n2 = Mujer"),
            ("horas", "Horas de sueño en una noche normal",
             "Valor libre; el mínimo es 0 y el máximo es 24"),
            ("peso", "Peso del encuestado", "Medido en kilogramos")]
    s = parse(word_table(tmp_path, ["Variable", "Pregunta", "Opciones"], rows))
    horas = s.field("horas")
    assert horas.description == "Horas de sueño en una noche normal"
    assert horas.constraints == {"minimum": 0, "maximum": 24}
    assert "mínimo es 0" in horas.extras["notes"]
    assert s.field("peso").unit == "kg"


def test_a_remark_under_the_codes_of_a_values_cell_is_kept(tmp_path):
    rows = [("smoker", "Current smoker", "1 = Yes\n2 = No\nAsked of respondents aged 16 or over"),
            ("region", "Region of residence", "1 = North\n2 = South")]
    s = parse(word_table(tmp_path, ["Name", "Label", "Values"], rows))
    smoker = s.field("smoker")
    assert codes(smoker) == ["1=Yes", "2=No"]
    assert smoker.description == "Asked of respondents aged 16 or over"
    assert s.field("region").description is None


def test_answer_formats_of_a_questionnaire_table(tmp_path):
    """Answer formats as questionnaires write them: a lead-in before the values, the labelled
    ends of a scale (a range, not two codes), prose cut by commas (no false code list)."""
    rows = [("q3", "I feel calm", "Likert 1-5 (1 = strongly disagree, 5 = strongly agree)"),
            ("q8", "Favourite colour", "Multiple choice: Red, Green, Blue"),
            ("q9", "Weight", "Free input, in kilograms; 999 = refused"),
            ("q10", "Hours slept", "Free input (minimum 0, maximum 24)"),
            ("q11", "Do you drink?", "0 = No, 1 = Yes"),
            ("q12", "Do you vote?", "1 = Yes, 9 = Don't know")]
    s = parse(word_table(tmp_path, ["Variable", "Question", "Answer Format"], rows))
    q3 = s.field("q3")
    assert q3.categories == [] and q3.constraints == {"minimum": 1, "maximum": 5}
    q8 = s.field("q8")
    assert codes(q8) == ["Red", "Green", "Blue"] and q8.extras["notes"] == "Multiple choice"
    q9 = s.field("q9")
    assert q9.categories == [] and q9.unit == "kg"
    assert [c.value for c in q9.missing_values] == ["999"]
    q10 = s.field("q10")
    assert q10.categories == [] and q10.constraints == {"minimum": 0, "maximum": 24}
    assert codes(s.field("q11")) == ["0=No", "1=Yes"]
    q12 = s.field("q12")                     # far apart, but one is a missing code
    assert codes(q12) == ["1=Yes"] and [c.value for c in q12.missing_values] == ["9"]


@pytest.mark.parametrize("text,more", [
    ("Free input (zero was the minimum)", True), ("Number of days, 0-31", True),
    ("Integer 0-120", False), ("1 - 7", False), ("Free text", False), ("Numeric", False),
    ("Ordinal", False), ("Measured in centimetres", True)])
def test_what_a_values_cell_says_besides_a_range_and_a_type(text, more):
    assert R.says_more(text) is more


def test_a_quantity_and_its_range_is_no_plain_list():
    assert CC.values_codes("Número de días, 0-31") == []
    assert [c.value for c in CC.values_codes("rural, urbano")] == ["rural", "urbano"]


# ---- 2. codes in a description column, quoting styles ----------------------------------------
_QUOTED = [
    ("region", 'Survey region: "DI" (Discovery Islands), "JS" (Johnstone Strait), '
               '"QCS" (Queen Charlotte Strait)'),
    ("direction", 'Direction of travel: "N" = North, "S" = South, "E" = East, "W" = West'),
    ("sea_state", 'Sea state at the sighting; sea state: "0" = smooth, "1" = ripples, '
                  '"2" = small wavelets'),
    ("event", '"survey_start", "survey_end"'),
    ("behaviour", "Main behaviour: 'T' = travel, 'F' = foraging, 'R' = rest"),
]
_EXPECTED = {"region": ["DI=Discovery Islands", "JS=Johnstone Strait",
                        "QCS=Queen Charlotte Strait"],
             "direction": ["N=North", "S=South", "E=East", "W=West"],
             "sea_state": ["0=smooth", "1=ripples", "2=small wavelets"],
             "event": ["survey_start", "survey_end"],
             "behaviour": ["T=travel", "F=foraging", "R=rest"]}


def _csv_quoted(name, text):
    return f'{name},"{text.replace(chr(34), chr(34) * 2)}",'


def _csv_unquoted(name, text):
    return f"{name},,{text}"


@pytest.mark.parametrize("layout", ["quoted", "unquoted"])
def test_codes_in_a_description_column_in_several_quoting_styles(tmp_path, layout):
    """Each quoting style in one file; `unquoted`: the description is the last column and its
    commas were left unquoted (each row holds more cells than the header names)."""
    if layout == "quoted":
        lines = ["column_name,description,units"] + [_csv_quoted(n, t) for n, t in _QUOTED]
        lines.append("group_size,Number of animals in the group,count")
    else:
        lines = ["column_name,units,description"] + [_csv_unquoted(n, t) for n, t in _QUOTED]
        lines.append("group_size,count,Number of animals in the group")
    path = tmp_path / "sightings_dictionary.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = parse(path)
    assert s.names == [n for n, _ in _QUOTED] + ["group_size"]
    for name, expected in _EXPECTED.items():
        assert codes(s.field(name)) == expected, name
    assert s.field("region").description.endswith('"QCS" (Queen Charlotte Strait)')
    assert s.field("group_size").categories == []


def test_unquoted_commas_go_back_into_the_text_column():
    text = ("name;label;description\n"
            "lat;Latitude;Latitude of the site; WGS84; decimal degrees\n"
            "site;Site;Code of the sampling site\n")
    rows = read_delimited(text, ";")
    assert rows[1] == ["lat", "Latitude", "Latitude of the site; WGS84; decimal degrees"]
    assert rows[2] == ["site", "Site", "Code of the sampling site"]


def test_rows_wider_by_design_are_left_alone():
    """Rows of kinds (a `V` row and its wider `C` rows), and a header one cell short on every
    row (row names written without a header cell), are not mended."""
    kinds = [["V", "AGE", "N", "2", "Age of person"],
             ["C", "AGE", "N", "2", "0", "0", "Under 1 year"]]
    before = [list(r) for r in kinds]
    mend_overflow(kinds, ["V,AGE,N,2,Age of person\n", "C,AGE,N,2,0,0,Under 1 year\n"], ",")
    assert kinds == before
    short = [["name", "description"], ["1", "age", "Age of the person", " in years"],
             ["2", "sex", "Sex of the person"]]
    before = [list(r) for r in short]
    mend_overflow(short, [None, "1,age,Age of the person, in years\n",
                          "2,sex,Sex of the person\n"], ",")
    assert short == before


# ---- 4. a blank or non-word header over the names; <code> names; a name in two tables ---------
_SHOPS = [("restaurant_id", "Unique identifier of the restaurant"),
          ("name", "Name of the restaurant as registered"),
          ("city", "City where the restaurant is located"),
          ("cuisine", "Main cuisine served, e.g. Italian")]
_INSPECTIONS = [("inspection_id", "Unique identifier of the inspection"),
                ("restaurant_id", "Restaurant inspected"),
                ("city", "City of the inspecting health department"),
                ("score", "Inspection score")]


def _html_table(head: str, rows) -> str:
    body = "".join(f"<tr><td><code>{n}</code></td><td>{d}</td></tr>" for n, d in rows)
    return f"<table><tr><th>{head}</th><th>Description</th></tr>{body}</table>"


@pytest.mark.parametrize("head", ["", "&nbsp;", "#"])
def test_html_tables_with_a_blank_header_over_code_names(tmp_path, head):
    """A variable called `name` in the first table is a row, not the table's header; `city`
    in both tables is merged, and the warning names it."""
    path = tmp_path / "inspections.html"
    path.write_text("<html><body><h1>Inspections</h1><h2>restaurants.csv</h2>"
                    + _html_table(head, _SHOPS) + "<h2>inspections.csv</h2>"
                    + _html_table(head, _INSPECTIONS) + "</body></html>", encoding="utf-8")
    result = parse_dictionary(path)
    s = result.schema
    assert s.names == ["restaurant_id", "name", "city", "cuisine", "inspection_id", "score"]
    assert s.field("name").description == "Name of the restaurant as registered"
    assert s.field("cuisine").extras["section"] == "restaurants.csv"
    merged = [w for w in result.warnings if "more than once" in w]
    assert merged and "city" in merged[0] and "restaurant_id" in merged[0]


def test_markdown_tables_with_blank_headers_and_inline_html_names(tmp_path):
    """`| — | Meaning |` then `| | Meaning |` over `<code>` names: two tables, each with its
    own header (the second does not continue the first), names without their tags."""
    path = tmp_path / "README.md"
    path.write_text("\n".join([
        "# Shops", "", "Data for the shops table.", "",
        "| — | Meaning |", "|---|---|",
        "| `name` | Name of the shop as registered |",
        "| `kind` | Kind of shop: \"A\" (artisan), \"R\" (retail) |",
        "| `city` | City where the shop is located |", "",
        "| | Meaning |", "|---|---|",
        "| <code>owner_id</code> | Identifier of the owner |",
        "| <code>city</code> | City where the owner lives<br>(not the shop's) |",
        "| <code>age</code> | Age of the owner &amp; partner in years |", ""]),
        encoding="utf-8")
    s = parse(path)
    assert s.names == ["name", "kind", "city", "owner_id", "age"]
    assert codes(s.field("kind")) == ["A=artisan", "R=retail"]
    assert s.field("age").description == "Age of the owner & partner in years"
    assert "Meaning" not in {f.extras.get("section") for f in s.fields}
