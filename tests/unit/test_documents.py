"""engine.formats (documents): text and tables out of every dictionary document format.

Real files from tests/fixtures plus hand-made edge cases in tests/fixtures/edge, written by
tests/fixtures/edge/doc_make_fixtures.py:

- doc_title_merged.xlsx    title row merged across the top, a name merged down over its code
                           rows; a Notes sheet with a date, a boolean and numbers
- doc_legacy.xls           the same kinds of cells in a legacy BIFF8 workbook (made with xlwt)
- doc_merged.docx          vertically merged name cells, a horizontally merged section row,
                           a second (non-dictionary) table, paragraphs around them
- doc_spans.html           rowspan/colspan, <caption>, a nested table, <script>, a <dl>
- doc_pipes.md             setext heading, escaped pipe, a fenced "table", a table without
                           outer pipes
- doc_ruled_two_pages.pdf  a ruled table continued on page 2 without its header
- doc_borderless.pdf       the same dictionary in aligned columns with no ruling lines
- doc_encrypted.pdf        RC4-encrypted with a user password
- doc_scanned.pdf          one image, no text layer
- doc_encrypted_ole.xlsx   an OLE container naming an `EncryptedPackage` stream (how Office
                           stores a password-protected .xlsx; the container is a stub)
- doc_not_really.xlsx      CSV text with an .xlsx name
- doc_corrupt.docx         a ZIP signature followed by junk
- doc_zip_archive.csv      a ZIP archive holding a CSV
- doc_binary.csv           binary junk;  doc_empty.csv  zero bytes
- doc_utf16.txt            UTF-16 tab-separated text
- doc_semicolon_cp1252.csv semicolon-separated cp1252 text with a title line
"""

from __future__ import annotations

from itertools import islice

import pytest

from harness.fixtures import fixture_path
from engine.formats import Document, iter_pdf_pages, load_document
from engine.formats.pdf.read import _read_pages
from engine.formats.pdf.layout import aligned_tables
from engine.errors import EncryptedFile, InputError, NoTextLayer

NYC_NAMES = ["VendorID", "tpep_pickup_datetime", "tpep_dropoff_datetime", "Passenger_count",
             "Trip_distance", "PULocationID", "DOLocationID", "RateCodeID", "Store_and_fwd_flag",
             "Payment_type", "Fare_amount", "Extra", "MTA_tax", "Improvement_surcharge",
             "Tip_amount", "Tolls_amount", "Total_amount"]


def load(*parts: str, **kw) -> Document:
    path = fixture_path(*parts)
    return load_document(path, path.name, **kw)


@pytest.fixture(scope="module")
def scorecard() -> Document:
    return load("college-scorecard", "CollegeScorecardDataDictionary.xlsx")


@pytest.fixture(scope="module")
def nyc() -> Document:
    return load("nyc-taxi-yellow", "data_dictionary_trip_records_yellow.pdf")


# ---- delimited text -----------------------------------------------------------------------
def test_csv_is_one_table_with_bom_stripped():
    doc = load("jhu-covid-vaccine-hesitancy", "data_dictionary.csv")
    assert doc.kind == "csv" and len(doc.tables) == 1
    rows = doc.tables[0].rows
    assert rows[0] == ["Field Name", "Format", "Definition", "Source"]
    assert len(rows) == 23
    assert rows[3][:3] == ["MMR_VR", "numeric", "MMR vaccination coverage (0-1)"]
    assert rows[2][2] == "county name, state name"   # quoted comma kept in the cell


def test_semicolon_cp1252_with_title_line():
    doc = load("edge", "doc_semicolon_cp1252.csv")
    rows = doc.tables[0].rows
    assert rows[0] == ["Codebook – clinic visits", ""]
    assert rows[2:] == [["Variable", "Description"], ["age", "Âge à la visite"],
                        ["sex", "Sexe"]]


def test_utf16_tab_separated_text():
    doc = load("edge", "doc_utf16.txt")
    assert doc.kind == "text"
    assert doc.tables[0].rows == [["name", "label"], ["age", "Age in years"], ["sex", "Sex"]]


def test_free_text_has_no_table():
    doc = load("house-prices", "data_description.txt")
    assert doc.kind == "text" and doc.tables == []
    assert doc.text.startswith("MSSubClass: Identifies the type of dwelling")


# ---- spreadsheets ---------------------------------------------------------------------------
def test_xlsx_all_sheets_in_order(scorecard):
    assert scorecard.kind == "xlsx"
    assert [t.name for t in scorecard.tables] == [
        "README", "ChangeLog", "glossary", "data_dictionary", "cohort_map",
        "most_recent_cohort_map"]
    dd = scorecard.tables[3]
    assert dd.rows[0] == ["NAME OF DATA ELEMENT", "dev-category", "developer-friendly name",
                          "API data type", "VARIABLE NAME", "VALUE", "LABEL", "SOURCE", "NOTES"]
    assert len(dd.rows) == 2228
    assert dd.rows[26][:7] == ["Control of institution", "school", "ownership", "integer",
                               "CONTROL", "1", "Public"]
    assert dd.rows[27][4:7] == ["", "2", "Private nonprofit"]   # code row: blank name cell


def test_xlsx_keeps_line_breaks_inside_cells(scorecard):
    preddeg = next(r for r in scorecard.tables[3].rows if r[4] == "PREDDEG")
    assert preddeg[0].split("\n") == [
        "Predominant undergraduate degree awarded", "0 Not classified",
        "1 Predominantly certificate-degree granting",
        "2 Predominantly associate's-degree granting",
        "3 Predominantly bachelor's-degree granting", "4 Entirely graduate-degree granting"]


def test_xlsx_one_sheet_and_unknown_sheet():
    doc = load("college-scorecard", "CollegeScorecardDataDictionary.xlsx", sheet="glossary")
    assert [t.name for t in doc.tables] == ["glossary"]
    assert doc.tables[0].rows[0] == ["Value", "Description", "Notes"]
    with pytest.raises(InputError, match="no sheet named 'Vars'.*README, ChangeLog, glossary"):
        load("college-scorecard", "CollegeScorecardDataDictionary.xlsx", sheet="Vars")


def test_xlsx_merged_cells_dates_and_booleans():
    doc = load("edge", "doc_title_merged.xlsx")
    book, notes, _ = doc.tables
    assert book.rows[0] == ["Household Survey 2024 - Codebook"] * 5   # A1:E1 merged
    assert book.rows[2] == ["Var name", "Question text", "Data type", "Value", "Label"]
    assert book.rows[4:7] == [
        ["tenure", "Tenure of the dwelling", "integer", "1", "Owned"],
        ["tenure", "Tenure of the dwelling", "integer", "2", "Rented"],     # merged down
        ["tenure", "Tenure of the dwelling", "integer", "9", "Don't know"]]
    assert notes.rows == [["Version", "Released", "Final", "Share"],
                          ["2", "2024-03-01", "TRUE", "0.25"]]
    assert "Household Survey 2024 - Codebook\nVar name\tQuestion text" in doc.text


def test_xls_merged_cells_numbers_and_dates():
    doc = load("edge", "doc_legacy.xls")
    assert doc.kind == "xls"
    book, notes = doc.tables
    assert book.name == "Variables"
    assert book.rows[0] == ["Clinic codebook (legacy Excel)"] * 4
    assert book.rows[3:5] == [["smoker", "Smoking status", "1", "Yes"],
                              ["smoker", "Smoking status", "2", "No"]]   # merged down
    assert notes.rows == [["Released", "2024-03-01", "0.25"]]


# ---- Markdown, HTML, DOCX ---------------------------------------------------------------------
def test_markdown_pipe_tables_with_their_paragraphs():
    doc = load("fivethirtyeight-primary-candidates-2018", "README.md")
    assert doc.kind == "markdown"
    assert [t.context for t in doc.tables] == [
        "`dem_candidates.csv` and `rep_candidates.csv` include:",
        "`dem_candidates.csv` includes:", "`rep_candidates.csv` includes:"]
    assert [len(t.rows) for t in doc.tables] == [12, 22, 14]
    assert doc.tables[0].rows[0] == ["Column", "Description"]
    assert doc.tables[0].rows[10][0] == "`Primary %`"
    assert "`Candidate` |" not in doc.text and "#### Updates" in doc.text


def test_markdown_edge_cases():
    doc = load("edge", "doc_pipes.md")
    first, second = doc.tables
    assert first.context == "Person file"                    # setext heading, no underline
    assert first.rows == [["Name", "Description"], ["`a|b`", "a pipe inside a name"],
                          ["c", "second row"]]
    assert second.context == "Codes used in the household file:"
    assert second.rows == [["code", "meaning"], ["1", "yes"], ["2", "no"]]
    assert "| not | a table |" in doc.text                    # fenced code is not a table


def test_html_spans_caption_nested_and_definitions():
    doc = load("edge", "doc_spans.html")
    assert doc.kind == "html" and len(doc.tables) == 1
    table = doc.tables[0]
    assert table.context == "Variables of the person file"
    assert table.rows == [
        ["Field", "Label", "Type", "Codes"],
        ["sex", "Sex", "integer", "1 = Male"],
        ["sex", "Sex", "integer", "2 = Female"],             # rowspan filled
        ["Income block"] * 4,                                 # colspan filled
        ["income", "Monthly income in dollars", "numeric", ""],
        ["remarks", "Free text\ninner cell", "text", ""]]
    assert doc.definitions == [("NA", "Not applicable"), ("DK", "Respondent did not know"),
                               ("Don't know", "Respondent did not know")]
    assert doc.text.startswith("Household survey\nIntro paragraph with bold text.\n"
                               "Second line of it.\nPerson file")
    assert "junk" not in doc.text and "Monthly income" not in doc.text


def test_docx_merged_cells_and_paragraphs():
    doc = load("edge", "doc_merged.docx")
    assert doc.kind == "docx"
    codebook, versions = doc.tables
    assert codebook.context == "Variables of the person file."
    assert codebook.rows[1:5] == [
        ["sex", "Sex of respondent", "1", "Male"],
        ["sex", "Sex of respondent", "2", "Female"],          # vMerge continued
        ["sex", "Sex of respondent", "9", "Refused"],
        ["Income block"] * 4]                                 # gridSpan repeated
    assert versions.context == "Version history"
    assert versions.rows == [["Version", "Date"], ["1.0", "2024-03-01"]]
    assert doc.text.split("\n") == ["Household survey codebook", "Variables of the person file.",
                                    "Version history", "End of codebook."]


def test_docx_prose_dictionary_has_paragraphs_and_no_tables():
    doc = load("ice-covid-outbreaks", "data_dictionary.docx")
    assert doc.tables == []
    lines = doc.text.split("\n")
    assert lines[0] == "Data Dictionary" and lines[2] == "Summary"
    assert "cummulative_cases" in doc.text


# ---- PDF -------------------------------------------------------------------------------------
def test_pdf_ruled_table_rebuilt(nyc):
    assert nyc.kind == "pdf" and len(nyc.pages) == 1
    assert "Data Dictionary – Yellow Taxi Trip Records" in nyc.pages[0]
    table = nyc.tables[0]
    assert (table.name, table.page) == ("page 1 table 1", 1)
    assert table.rows[0] == ["Field Name", "Description"]
    assert [r[0] for r in table.rows[1:]] == NYC_NAMES
    vendor = table.rows[1][1]
    assert vendor == ("A code indicating the TPEP provider that provided the record.\n"
                      "1= Creative Mobile Technologies, LLC; 2= VeriFone Inc.")
    rate = dict(table.rows)["RateCodeID"].split("\n")
    assert rate[1:] == ["1= Standard rate", "2=JFK", "3=Newark", "4=Nassau or Westchester",
                        "5=Negotiated fare", "6=Group ride"]


def test_pdf_alignment_fallback_on_a_real_word_export():
    """The NYC page without its rules: words clustered by x give the same table."""
    _, runs, _ = _read_pages(fixture_path("nyc-taxi-yellow",
                                          "data_dictionary_trip_records_yellow.pdf"), "nyc.pdf")
    (rows, _), = aligned_tables(runs[0])
    assert rows[0] == ["Field Name", "Description"]
    assert [r[0] for r in rows[1:]] == NYC_NAMES
    assert rows[4][1] == "The number of passengers in the vehicle.\nThis is a driver-entered value."


def test_pdf_borderless_table():
    doc = load("edge", "doc_borderless.pdf")
    table, = doc.tables
    assert table.context == "Each trip record holds the fields below."
    assert table.rows[0] == ["Field Name", "Description"]
    assert table.rows[3] == ["payment", "How the passenger paid.\n1= Card\n2= Cash\n3= No charge"]
    assert table.rows[4] == ["fare", "Fare in dollars calculated by the meter, before tips\n"
                                     "and tolls."]


def test_pdf_table_continued_on_next_page():
    doc = load("edge", "doc_ruled_two_pages.pdf")
    assert [(t.name, t.page) for t in doc.tables] == [("page 1 table 1", 1),
                                                      ("page 2 table 1", 2)]
    assert doc.tables[1].rows[0] == ["fare", "Fare in dollars calculated by the meter, "
                                             "before tips\nand tolls."]
    assert len(doc.pages) == 2 and "page 2" in doc.pages[1]


def test_iter_pdf_pages_streams_a_long_pdf():
    path = fixture_path("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")
    first = list(islice(iter_pdf_pages(path), 4))
    assert [(n, total) for n, total, _ in first] == [(1, 90), (2, 90), (3, 90), (4, 90)]
    assert "{[native_lung_disease] dropdown Required}" in first[3][2]


# ---- files that are not what they claim ---------------------------------------------------------
@pytest.mark.parametrize("name, error, words", [
    ("doc_encrypted.pdf", EncryptedFile, "password-protected"),
    ("doc_encrypted_ole.xlsx", EncryptedFile, "password-protected"),
    ("doc_scanned.pdf", NoTextLayer, "no text layer — it is a scanned image; run OCR first"),
    ("doc_not_really.xlsx", InputError, "not a real Excel workbook"),
    ("doc_corrupt.docx", InputError, "damaged ZIP-based file"),
    ("doc_binary.csv", InputError, "binary file, not a text dictionary"),
    ("doc_empty.csv", InputError, "is empty"),
])
def test_unreadable_files_say_what_to_do(name, error, words):
    with pytest.raises(error, match=words):
        load("edge", name)


def test_a_zip_archive_of_one_dictionary_is_read_as_the_file_inside():
    """(It was refused, "Unzip it", before compressed inputs were read: engine.formats.compressed.)"""
    doc = load("edge", "doc_zip_archive.csv")
    assert doc.kind == "csv" and doc.tables[0].rows == [["name", "description"], ["age", "Age"]]


def test_scanned_pdf_stream_raises_after_the_pages():
    with pytest.raises(NoTextLayer):
        list(iter_pdf_pages(fixture_path("edge", "doc_scanned.pdf")))


def test_damaged_pdf_and_word_97_document(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(InputError, match="damaged or not a PDF"):
        load_document(broken, "broken.pdf")
    old = tmp_path / "old.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                    + "WordDocument".encode("utf-16-le"))
    with pytest.raises(InputError, match=r"Word 97-2003 document.*save it as \.docx"):
        load_document(old, "old.docx")


def test_xls_names_for_other_content(tmp_path):
    """Web exports named .xls are often TSV or HTML; a damaged real .xls says so."""
    tsv = tmp_path / "export.xls"
    tsv.write_text("name\tlabel\nage\tAge\n")
    assert load_document(tsv, tsv.name).tables[0].rows == [["name", "label"], ["age", "Age"]]
    page = tmp_path / "report.xls"
    page.write_text("<html><body><table><tr><td>name</td><td>label</td></tr></table></body></html>")
    doc = load_document(page, page.name)
    assert doc.kind == "html" and doc.tables[0].rows == [["name", "label"]]
    damaged = tmp_path / "damaged.xls"
    damaged.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500
                        + "Workbook".encode("utf-16-le"))
    with pytest.raises(InputError, match="Excel 97-2003 workbook"):
        load_document(damaged, damaged.name)


def test_a_word_document_whose_main_part_is_not_document_xml_is_read(tmp_path):
    """Word may name the main part `word/document2.xml`; `_rels/.rels` says which it is."""
    import zipfile

    import docx

    plain = tmp_path / "plain.docx"
    d = docx.Document()
    d.add_paragraph("age: Age of the respondent in years")
    d.add_paragraph("sex: Sex of the respondent")
    d.save(plain)
    renamed = tmp_path / "renamed.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(renamed, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            name = item.filename
            if name == "word/document.xml":
                name = "word/document2.xml"
            elif name == "word/_rels/document.xml.rels":
                name = "word/_rels/document2.xml.rels"
            elif name in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"word/document.xml", b"word/document2.xml")
            dst.writestr(name, data)
    doc = load_document(renamed, "renamed.docx")
    assert doc.kind == "docx"
    assert "age: Age of the respondent in years" in doc.text
