"""Ruled PDF tables read from pdfium's paths and characters (engine/formats/pdf/ruled.py).

pdfplumber's table finder runs on edges and characters built from pdfium's objects instead of
its own page parse (pdfminer in Python, most of a long PDF's parse time).  These tests hold the
tables to pdfplumber's own reading of the same pages, cell for cell, on PDFs from Word, Chrome
and a government export; and check what pdfium reads better, and the pages left to pdfplumber.
"""

from __future__ import annotations

import unicodedata

import pdfplumber
import pypdfium2 as pdfium
import pytest

from harness.fixtures import fixture_path
from engine.formats.pdf.read import _is_ruled, _line_above, _tables, load_pdf
from engine.formats.pdf.ruled import _edges, ruled_tables

RULED = [
    ("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf"),      # Word export
    ("wild", "gov-table-pdf-cms-inpatient", "data_dictionary.pdf"),      # tagged, artifacts
    ("edge", "doc_ruled_two_pages.pdf"),
    ("edge", "redcap_codebook_chromium.pdf"),                            # Chrome print
    ("edge", "ruled_rtl_chromium.pdf"),              # Chrome: Hebrew, Arabic, a ligature
]


def _both(path):
    """(page number, pdfium reading, pdfplumber reading) of each ruled page."""
    doc, plumbed = pdfium.PdfDocument(str(path)), pdfplumber.open(str(path))
    try:
        for i in range(len(doc)):
            page = doc[i]
            if not _is_ruled(page):
                continue
            ours = ruled_tables(page, page.get_textpage(), plumbed.pages[i])
            theirs = [(t.extract(), t.bbox, _line_above(plumbed.pages[i], t.bbox))
                      for t in plumbed.pages[i].find_tables()]
            yield i + 1, ours, theirs
    finally:
        plumbed.close()
        doc.close()


def _texts(reading, norm=lambda s: s):
    """The cell texts and captions of a reading (bounding boxes aside: pdfium's coordinates
    are single precision)."""
    return [([[None if c is None else norm(c) for c in row] for row in rows], norm(above))
            for rows, _, above in reading]


@pytest.mark.parametrize("parts", RULED, ids=lambda p: p[-1])
def test_same_tables_as_pdfplumber(parts):
    # pdfium gives Arabic in its base letters, pdfminer in presentation forms: NFKC maps
    # those to the base letters
    norm = (lambda s: unicodedata.normalize("NFKC", s)) if "rtl" in parts[-1] else str
    pages = list(_both(fixture_path(*parts)))
    assert pages
    for number, ours, theirs in pages:
        assert ours is not None, number
        assert _texts(ours, norm) == _texts(theirs, norm), number
        for (_, box, _), (_, their_box, _) in zip(ours, theirs):
            assert box == pytest.approx(their_box, abs=0.01)


def test_spaces_pdfium_adds_for_space_glyphs_part_the_words():
    """Chrome's space glyphs come out of pdfium as spaces it added, the gap alone under
    pdfplumber's three points: they must still part the words, as pdfplumber's do."""
    (_, ours, _), = _both(fixture_path("edge", "ruled_rtl_chromium.pdf"))
    rows, _, above = ours[0]
    assert "status of the respondent" in rows[2][1]
    assert "Days of sick leave taken last year" in [r[1] for r in rows]
    assert above == "Variables of the household file"      # `fi` is a ligature there


def test_ligature_without_unicode_mapping_is_read():
    """pdfminer reads the REDCap PDF's `fi` ligature as NUL; pdfium as `fi`.  Otherwise the
    cells are pdfplumber's."""
    pages = list(_both(fixture_path("redcap-codebook-pdf-takotsubo",
                                    "Codebook_Takotsubo_pages_1_2_5.pdf")))
    cells = [c for _, ours, _ in pages for rows, _, _ in ours for r in rows for c in r if c]
    assert any("Unverified" in c for c in cells) and not any("\x00" in c for c in cells)
    for number, ours, theirs in pages:
        fixed = [([[c if c is None else c.replace("\x00", "fi") for c in row] for row in rows],
                  above) for rows, above in _texts(theirs)]
        assert _texts(ours) == fixed, number


@pytest.mark.parametrize("parts", RULED[:2], ids=lambda p: p[-1])
def test_edges_are_pdfplumbers(parts):
    path = fixture_path(*parts)
    doc, plumbed = pdfium.PdfDocument(str(path)), pdfplumber.open(str(path))

    def key(e):     # sorted by rounded positions: pdfium's coordinates are single precision
        exact = (e["x0"], e["top"], e["x1"], e["bottom"])
        return (e["orientation"], *(round(v, 1) for v in exact)), exact

    try:
        page, theirs = doc[0], plumbed.pages[0]
        ours = sorted(map(key, _edges(page, theirs.height, theirs.initial_doctop)))
        want = sorted(map(key, theirs.edges))
        assert len(ours) == len(want) > 10
        for (a, a_exact), (b, b_exact) in zip(ours, want):
            assert a[0] == b[0] and a_exact == pytest.approx(b_exact, abs=0.01)
    finally:
        plumbed.close()
        doc.close()


def test_ruled_pages_are_not_parsed_by_pdfminer(monkeypatch):
    """The speed comes from never asking pdfplumber for a page's objects."""
    def refuse(self):
        raise AssertionError("pdfplumber parsed a page")

    monkeypatch.setattr(pdfplumber.page.Page, "parse_objects", refuse)
    path = fixture_path("wild", "gov-table-pdf-cms-inpatient", "data_dictionary.pdf")
    doc = load_pdf(path, path.name)
    assert [t.name for t in doc.tables] == ["page 1 table 1", "page 2 table 1"]


def test_rotated_pages_are_left_to_pdfplumber(tmp_path):
    src = pdfium.PdfDocument(str(fixture_path("edge", "doc_ruled_two_pages.pdf")))
    for page in src:
        page.set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    src.save(str(rotated))
    src.close()
    doc, plumbed = pdfium.PdfDocument(str(rotated)), pdfplumber.open(str(rotated))
    try:
        assert ruled_tables(doc[0], doc[0].get_textpage(), plumbed.pages[0]) is None
    finally:
        plumbed.close()
        doc.close()
    tables = load_pdf(rotated, rotated.name).tables
    expected = _tables(rotated, rotated.name, [0, 1])
    assert tables and [(t.name, t.rows, t.context) for t in tables] == \
        [(t.name, t.rows, t.context) for t in expected]
