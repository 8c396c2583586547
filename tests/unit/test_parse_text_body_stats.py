"""Bodies of prose entries laid out as bulleted key lines, in the shape of a Word codebook:
`- Definition: ...`, a lone `- Tabulation:` key leading to the codes, code tables with the
label first and the code last (`Male | 1`) placed below their field even after a one-column
table (a framed note) earlier in the document, and summary statistics written with `=` or behind
bullets (`- Unique values = 2`, `- Mean = 44.35`, `- Missing: 0`) that are neither codes nor
missing values.  Negative cases: `Average = 2` and `Missing = 9` in a code list stay codes."""

from __future__ import annotations

import docx

from engine.parsers import ParseContext
from engine.parsers.text import parse_text
from engine.parsers.text.bodies import read_body

# (name, bullet lines, code table rows or None, bullet lines after the table)
_ENTRIES = [
    ("GEN_SEX", ["Definition: Sex of patient", "Tabulation:"], [("Male", "1"), ("Female", "2")],
     ["Unique values = 2", "Missing: 0"]),
    ("GEN_AGE", ["Age of patient", "Unique values = 89", "Mean = 44.35", "StndDev",
                 "Valid Range", "Missing: 0"], None, []),
    ("GEN_MEASURE", ["Definition: distance at which acuity was tested", "Tabulation:", "Feet",
                     "vision accurate for a few feet", "Meter",
                     "vision accurate for a few meters"], [("Meter", "1"), ("Feet", "2")],
     ["Unique values = 2", "Missing: 0"]),
    ("GEN_VISIT_DATE", ["Date of hospital visit", "Unique values = 1105", "Missing: 0"], None, []),
    ("GEN_REF_NUMBER", ["Patient ID", "Unique values: 1135", "Missing value: 0"], None, []),
    ("SRG_DATE", ["Definition: Date of surgery", "Unique values = 933", "Missing: 0"], None, []),
    ("GEN_COUNTRY", ["Home country of patient", "Tabulation:", "INDIA = 1", "BANGLADESH = 2",
                     "Unique values = 2", "Missing: 0"], None, []),
]


def _codebook(path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Variable Summaries")
    frame = doc.add_table(rows=2, cols=1)  # a one-column table lays out a note: no codes
    frame.rows[0].cells[0].text = "Note: counts are from the 2019 extract."
    frame.rows[1].cells[0].text = "Missing counts are cells left empty."
    for name, before, rows, after in _ENTRIES:
        doc.add_paragraph(name)
        for line in before:
            doc.add_paragraph(line, style="List Bullet")
        if rows:
            table = doc.add_table(rows=0, cols=2)
            for label, code in rows:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, code
            doc.add_paragraph("")
        for line in after:
            doc.add_paragraph(line, style="List Bullet")
    doc.save(str(path))


def _fields(tmp_path):
    path = tmp_path / "Codebook.docx"
    _codebook(path)
    return {f.name: f for f in parse_text(ParseContext(path=path, filename=path.name))}


def _codes(field):
    return [(str(c.value), c.label) for c in field.categories]


def test_key_lines_and_statistics_are_no_options(tmp_path):
    fields = _fields(tmp_path)
    assert list(fields) == [e[0] for e in _ENTRIES]
    sex = fields["GEN_SEX"]
    assert sex.description == "Sex of patient"
    assert _codes(sex) == [("1", "Male"), ("2", "Female")]
    assert not sex.missing_values  # `Missing: 0` counts missing cells; it is no code
    age = fields["GEN_AGE"]
    assert age.description == "Age of patient"
    assert not age.categories and not age.missing_values
    country = fields["GEN_COUNTRY"]
    assert _codes(country) == [("1", "INDIA"), ("2", "BANGLADESH")]
    assert country.description == "Home country of patient"
    assert fields["SRG_DATE"].description == "Date of surgery"
    assert not fields["GEN_REF_NUMBER"].missing_values


def test_options_without_codes_give_way_to_a_code_table(tmp_path):
    measure = _fields(tmp_path)["GEN_MEASURE"]
    assert _codes(measure) == [("1", "Meter"), ("2", "Feet")]


def test_label_then_code_rows_in_a_body():
    body = read_body(["Sex of patient", "Tabulation:", "Male | 1", "Female | 2", "",
                      "Unique values = 2", "Missing: 0"])
    assert [(c.value, c.label) for c in body.categories] == [("1", "Male"), ("2", "Female")]
    assert body.description == ["Sex of patient"]  # `Tabulation:` only led to the codes


def test_small_codes_with_stat_like_labels_stay_codes():
    body = read_body(["Poor = 1", "Average = 2", "Good = 3", "Missing = 9"])
    assert [(c.value, c.label) for c in body.categories] == [
        ("1", "Poor"), ("2", "Average"), ("3", "Good"), ("9", "Missing")]


def test_a_short_intro_that_leads_to_the_codes_describes_the_field():
    body = read_body(["Geschlecht:", "1 = weiblich", "2 = männlich", "3 = divers"])
    assert body.description == ["Geschlecht:"]
    assert [c.label for c in body.categories] == ["weiblich", "männlich", "divers"]
    trailing = read_body(["Age in years", "Political attitudes:"])
    assert trailing.description == ["Age in years"]  # heads the next section
