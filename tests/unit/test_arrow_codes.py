"""Codes written with an arrow between code and label (`13/14 → First two quartiles`,
`1 -> Male`), and Word's symbol-font arrows (`<w:sym w:font="Wingdings" w:char="F0E0"/>`)
read as the arrow they show."""

from __future__ import annotations

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from engine.formats import load_document
from engine.parsers import parse_dictionary
from engine.parsers.codes import parse_code_line


def test_arrow_code_lines():
    assert parse_code_line("13/14 → First two quartiles of 2014").value == "13/14"
    assert parse_code_line("1 -> Male").label == "Male"
    assert parse_code_line("A => Adult").value == "A"
    # a recode of one number to another, or prose with an arrow, is no code
    assert parse_code_line("1 → 2") is None
    assert parse_code_line("Step 1 → Step 2") is None
    assert parse_code_line("Q5 → go to Q7") is None  # routing, not a label


def _symbol_paragraph(d, before: str, after: str, font: str = "Wingdings", char: str = "F0E0"):
    p = d.add_paragraph(before)
    run = p.add_run()
    sym = OxmlElement("w:sym")
    sym.set(qn("w:font"), font)
    sym.set(qn("w:char"), char)
    run._r.append(sym)
    p.add_run(after)


def test_word_symbol_arrows_part_codes_from_labels(tmp_path):
    d = docx.Document()
    d.add_paragraph("id: Respondent identifier")
    d.add_paragraph("age: Age in years")
    d.add_paragraph("")
    d.add_paragraph("Flu season (season):")
    _symbol_paragraph(d, "13/14 ", " First two quartiles of 2014")
    _symbol_paragraph(d, "14/15 ", " Quartile 3 & 4 of 2014 and quartile 1 & 2 of 2015")
    _symbol_paragraph(d, "15/16 ", " Quartile 3 & 4 of 2015", font="Symbol", char="F0AE")
    d.add_paragraph("")
    _symbol_paragraph(d, "Done ", " ticked", char="F0FC")  # a tick is no arrow: left out
    path = tmp_path / "codebook.docx"
    d.save(str(path))
    text = load_document(path, path.name).text
    assert "13/14 → First two quartiles of 2014" in text
    assert "15/16 → Quartile 3 & 4 of 2015" in text
    assert "Done  ticked" in text
    fields = {f.name: f for f in parse_dictionary(path).schema.fields}
    assert [c.value for c in fields["season"].categories] == ["13/14", "14/15", "15/16"]
    assert fields["season"].categories[0].label == "First two quartiles of 2014"
