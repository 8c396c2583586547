"""Text and tables out of every document a dictionary comes in.

`load_document(path, filename)` looks at the content (not only the extension) and returns a
`Document`: running text, text per page, tables of cell texts (merged cells filled) and
HTML definition-list pairs.  Parsers read `ParseContext.document`, which calls it once.

    PDF         pypdfium2 text per page; pdfplumber tables on pages drawn with rules
    DOCX        paragraphs and tables (gridSpan / vMerge filled)
    HTML        paragraphs, tables (rowspan / colspan filled), <dl> pairs
    XLSX/XLSM   every sheet (or the one asked for), merged ranges filled
    XLS         every sheet through xlrd
    CSV/TSV     one table, delimiter sniffed
    Markdown    pipe tables with the heading or paragraph before them; the rest is text
    reST        list, csv, grid and simple tables with the heading above them; the text
    R .Rd       `\\item{name}{description}` pairs as definitions; the sections as text
    R source    the same, from its roxygen comments (`#' @format \\describe{...}`)
    text        the text; pipe tables, or the whole file when it is delimited

Files that are not what their name says, empty files and binary junk raise `InputError`
with a message saying what to do; password-protected files raise `EncryptedFile`; a PDF of
scanned images raises `NoTextLayer`.  Tables are counted as they are built (merged and spanned
cells too) and refused beyond the bounds of `engine.limits`; the parse dispatcher runs
`engine.guard.check_dictionary_file` first, which looks at ZIP parts, XML prologs, JSON
nesting and line lengths before any of this expands them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import EncryptedFile, InputError
from ..textio import MIXED, decode, looks_binary, mixed_warning
from .base import Document, Table
from .pdf import iter_pdf_pages

__all__ = ["Document", "Table", "load_document", "iter_pdf_pages"]

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_OFFICE_NAMES = {".xlsx": "Excel workbook", ".xlsm": "Excel workbook", ".xls": "Excel workbook",
                 ".docx": "Word document", ".pdf": "PDF"}


def load_document(path: Path, filename: str, *, sheet: str | None = None) -> Document:
    """Read a dictionary document of any supported kind into text and tables."""
    path = Path(path)
    ext = Path(filename).suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        raise InputError(f"{filename} is empty: upload a file with the dictionary's contents.")
    if b"%PDF-" in head[:1024]:
        from .pdf import load_pdf

        return load_pdf(path, filename)
    if head.startswith(_ZIP_MAGIC):
        return _load_zip(path, filename, ext, sheet)
    if head.startswith(_OLE_MAGIC):
        return _load_ole(path, filename, sheet)
    if ext in (".pdf", ".xlsx", ".xlsm", ".docx"):
        raise InputError(f"{filename} is not a real {_OFFICE_NAMES[ext]}: its content does not "
                         f"start like one. If it was renamed, give it its real extension; if it "
                         "is damaged, export it again.")
    return _load_text(path.read_bytes(), filename, ext)


def _load_zip(path: Path, filename: str, ext: str, sheet: str | None) -> Document:
    """XLSX/XLSM or DOCX, told apart by the parts inside the ZIP archive."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            main = _main_part(zf, names)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{filename} is a damaged ZIP-based file and cannot be opened. "
                         "Export or download it again.") from exc
    if "xl/workbook.xml" in names:
        from .sheets import load_xlsx

        return load_xlsx(path, filename, sheet)
    if "word/document.xml" in names or (main or "").startswith("word/"):
        from .markup import load_docx

        return load_docx(path, filename)
    if {"mimetype", "content.xml"} <= names or ext in (".ods", ".odt"):
        raise InputError(f"{filename} is an OpenDocument file (.ods/.odt), which cannot be "
                         "read. Save it as .xlsx, .docx or CSV and upload that.")
    if ext in _OFFICE_NAMES:
        raise InputError(f"{filename} is a ZIP archive but not a real {_OFFICE_NAMES[ext]}. "
                         "If it was renamed, give it its real extension; if it is damaged, "
                         "export it again.")
    raise InputError(f"{filename} is a ZIP archive. Unzip it and upload the dictionary file "
                     "inside.")


_RELS_MAX_BYTES = 65536
_OFFICE_DOCUMENT = re.compile(
    rb'<Relationship\b(?=[^>]*\bType="[^"]*/officeDocument")[^>]*\bTarget="/?([^"]+)"')


def _main_part(zf: zipfile.ZipFile, names: set[str]) -> str | None:
    """The package's main part as its `_rels/.rels` names it (`word/document2.xml` in some
    Word files), or None."""
    if "_rels/.rels" not in names or zf.getinfo("_rels/.rels").file_size > _RELS_MAX_BYTES:
        return None
    m = _OFFICE_DOCUMENT.search(zf.read("_rels/.rels"))
    return m.group(1).decode("utf-8", "replace") if m else None


def _load_ole(path: Path, filename: str, sheet: str | None) -> Document:
    """Legacy Office files; also how password-protected XLSX and DOCX files are stored."""
    data = path.read_bytes()
    if _ENCRYPTED_STREAM in data:
        raise EncryptedFile(
            f"{filename} is password-protected. Open it with its password, remove the "
            "protection (File > Info > Protect), save it, and upload it again.")
    if "WordDocument".encode("utf-16-le") in data:
        raise InputError(f"{filename} is a Word 97-2003 document (.doc), which cannot be read. "
                         "Open it in Word and save it as .docx (or PDF), then upload that.")
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        from .sheets import load_xls

        return load_xls(data, filename, sheet)
    raise InputError(f"{filename} is an old-style Office file that is neither an Excel "
                     "workbook nor a Word document. Save it as .xlsx, .docx or CSV.")


def _load_text(data: bytes, filename: str, ext: str) -> Document:
    """CSV/TSV, Markdown, HTML and plain text (also an .xls that is really HTML or TSV)."""
    from . import plain

    text, encoding = decode(data)
    if _looks_binary(data, text, encoding):
        raise InputError(f"{filename} is a binary file, not a text dictionary. Upload the "
                         "dictionary as CSV, Excel, Word, PDF, HTML, Markdown or text.")
    if not text.strip():
        raise InputError(f"{filename} holds only blank space: upload a file with the "
                         "dictionary's contents.")
    if ext in (".html", ".htm", ".xhtml") or _looks_html(text):
        from .markup import load_html

        doc = load_html(text, filename)
    elif ext in (".csv", ".tsv", ".tab", ".xls"):
        doc = plain.load_csv(text, ext, filename)
    elif ext in (".md", ".markdown"):
        doc = plain.load_markdown(text, filename=filename)
    elif ext == ".rst":
        from .rst import load_rst

        doc = load_rst(text)
    elif ext == ".rd":
        from .rd import load_rd

        doc = load_rd(text)
    elif ext == ".r":
        from .rd import load_roxygen

        doc = load_roxygen(text)
    else:
        doc = plain.load_text(text, filename)
    if encoding == MIXED:
        doc.warnings.append(mixed_warning(filename))
    return doc


def _looks_binary(data: bytes, text: str, encoding: str) -> bool:
    """NUL bytes (outside UTF-16) or many control/replacement characters in the first KiBs."""
    if b"\x00" in data[:8192] and not encoding.startswith("utf-16"):
        return True
    return looks_binary(text)


def _looks_html(text: str) -> bool:
    start = text.lstrip()[:512].lower()
    return start.startswith(("<!doctype html", "<html")) or (
        start.startswith("<?xml") and "<html" in start)
