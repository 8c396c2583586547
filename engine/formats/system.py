"""The one place that says what a file is, and hands it to its format's reader.

    detect(path, filename)                  -> Format (content first, then the name)
    load_document(path, filename, sheet)    -> Document: text and tables, for the rules
    document_text(path, filename, sheet, sheets) -> str: the text a reader (the LLM) sees
    read_dataset(path, filename, ...)       -> Dataset: rows and columns

What the content says wins over the name: a PDF signature, the parts of a ZIP package (an Excel
workbook, a Word document, an OpenDocument file), the streams of an OLE file (Excel 97-2003,
Word 97-2003, a password-protected Office file), Parquet's `PAR1`.  Then the name: statistical
files, then the text formats (an HTML page is recognised whatever its name; a `.xls` that is
text is read as the delimited or HTML file it is).  A file named like a binary format whose
content is not that format is refused with a message saying so (a dataset goes to the reader of
its name, whose own error is more precise).  A compressed file (.gz, .bz2, .xz, .zst, or a ZIP
archive of one file) is read as the file inside (engine.formats.compressed).

Each format's views and their bounds live in its package; tables are counted as they are built
and refused beyond engine.limits; `engine.guard` looks at ZIP parts, XML prologs, JSON nesting
and line lengths before a view expands them.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import EncryptedFile, InputError, UnsupportedFormat
from ..guard import check_dataset_file
from ..limits import check_columns
from ..memory import keep_freed_memory
from ..model import Schema
from . import (delimited, docx, html, jsonfile, markdown, parquet, pdf, rd, rst, sheets, statfile,
               structured)
from .compressed import unwrapped
from .document import Document
from .format import Format, Source
from .textfile import looks_html

if TYPE_CHECKING:
    from .dataset import Dataset

FORMATS: list[Format] = [*pdf.FORMATS, *docx.FORMATS, *sheets.FORMATS, *parquet.FORMATS,
                         *statfile.FORMATS, *html.FORMATS, *delimited.FORMATS,
                         *jsonfile.FORMATS, *structured.FORMATS, *markdown.FORMATS,
                         *rst.FORMATS, *rd.FORMATS]
_BY_NAME = {f.name: f for f in FORMATS}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
# names that promise a binary format: a file without its signature is not what it says
_BINARY_NAMES = {".pdf": "PDF", ".xlsx": "Excel workbook", ".xlsm": "Excel workbook",
                 ".docx": "Word document"}
_OFFICE_NAMES = {**_BINARY_NAMES, ".xls": "Excel workbook"}


def by_name(name: str) -> Format:
    """The format registered under `name` ("pdf", "xlsx", "csv" …)."""
    return _BY_NAME[name]


def by_extension(ext: str) -> Format | None:
    """The format a file of this extension is taken to be, when its content does not say."""
    return next((f for f in FORMATS if ext in f.extensions), None)


# ---- what is this file ------------------------------------------------------------------
def detect(path: str | Path, filename: str | None = None) -> Format:
    """What the file is: its content first, then its name (see the module docstring).  Raises
    InputError for files that are recognised only to be refused."""
    path = Path(path)
    filename = filename or path.name
    ext = Path(filename).suffix.lower()
    head = _head(path)
    for fmt in FORMATS:
        if fmt.magic is not None and fmt.magic(head):
            return fmt
    if head.startswith(_ZIP_MAGIC):
        return _zip_package(path, filename, ext)
    if head.startswith(_OLE_MAGIC):
        return _ole_file(path, filename)
    if ext in _BINARY_NAMES:
        raise InputError(f"{filename} is not a real {_BINARY_NAMES[ext]}: its content does not "
                         "start like one. If it was renamed, give it its real extension; if it "
                         "is damaged, export it again.")
    named = by_extension(ext)
    if named is not None and named.magic is None and named.document is None:
        return named                     # told by its name alone (statistical files)
    return _text_format(head, ext)


def _zip_package(path: Path, filename: str, ext: str) -> Format:
    """XLSX/XLSM or DOCX, told apart by the parts inside the ZIP package."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            main = _main_part(zf, names)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{filename} is a damaged ZIP-based file and cannot be opened. "
                         "Export or download it again.") from exc
    if "xl/workbook.xml" in names:
        return sheets.XLSX
    if "word/document.xml" in names or (main or "").startswith("word/"):
        return docx.DOCX
    if {"mimetype", "content.xml"} <= names or ext in (".ods", ".odt"):
        return sheets.ODF
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


def _ole_file(path: Path, filename: str) -> Format:
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
        return sheets.XLS
    raise InputError(f"{filename} is an old-style Office file that is neither an Excel "
                     "workbook nor a Word document. Save it as .xlsx, .docx or CSV.")


def _text_format(head: bytes, ext: str) -> Format:
    """A text file's format, from its name (an HTML page whatever its name says)."""
    from ..textio import decode

    if ext in html.HTML.extensions or looks_html(decode(head)[0]):
        return html.HTML
    if ext in (".csv", ".tsv", ".tab", ".xls"):      # web exports named .xls are often text
        return delimited.CSV
    named = by_extension(ext)
    return named if named is not None and named.document is not None else markdown.TEXT


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8192)


# ---- the views ---------------------------------------------------------------------------
def load_document(path: str | Path, filename: str | None = None, *,
                  sheet: str | None = None) -> Document:
    """A dictionary file of any supported format as text and tables (a compressed one as the
    file inside)."""
    path = _existing(path)
    filename = filename or path.name
    with unwrapped(path, filename) as (inner, name):
        return _document(Source(inner, name, sheet))


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"File not found: {path}")
    return path


def _document(src: Source) -> Document:
    if src.path.stat().st_size == 0:
        raise InputError(f"{src.filename} is empty: upload a file with the dictionary's "
                         "contents.")
    fmt = detect(src.path, src.filename)
    if fmt.document is None:
        raise InputError(_refusal(fmt, src.filename, "a dictionary"))
    return fmt.document(src)


def document_text(path: str | Path, filename: str | None = None, *, sheet: str | None = None,
                  sheets: tuple[str, ...] | list[str] = ()) -> str:
    """The text of a dictionary file as a reader sees it (the LLM's source): a PDF's pages
    joined by form feeds, a Word document's paragraphs and tables in order, a workbook's rows
    (the sheet asked for, else `sheets` — those the rules read — else all), a text file as
    written.  Blocking: call it in a worker thread."""
    path = _existing(path)
    filename = filename or path.name
    with unwrapped(path, filename) as (inner, name):
        src = Source(inner, name, sheet, tuple(sheets))
        fmt = detect(inner, name)
        if fmt.text is None:
            raise InputError(_refusal(fmt, name, "a dictionary"))
        return fmt.text(src)


def read_dataset(path: str | Path, filename: str | None = None, *, sheet: str | None = None,
                 schema: Schema | None = None, header: bool | None = None,
                 encoding: str | None = None, delimiter: str | None = None,
                 typed: bool = True) -> "Dataset":
    """Read a dataset file of any supported format (a compressed one as the file inside).

    `schema` names the columns of a header-less file, gives fixed-width positions, and (unless
    `typed=False`) converts the columns it declares integer/number/date to those types.
    Raises `InputError` subclasses with messages fit for users; a file that would expand
    beyond the bounds of `engine.limits` is refused before it is expanded (`LimitExceeded`).
    """
    path = _existing(path)
    filename = filename or path.name
    with unwrapped(path, filename) as (inner, name):
        src = Source(inner, name, sheet, options=dict(schema=schema, header=header,
                                                      encoding=encoding, delimiter=delimiter))
        ds = _dataset(src)
    if schema is not None and typed:
        from .schema_types import apply_schema_types

        apply_schema_types(ds, schema)
    return ds


def _dataset(src: Source) -> "Dataset":
    size = src.path.stat().st_size
    if size == 0:
        raise InputError(f"{src.filename} is empty: upload a file that contains the data.")
    fmt = dataset_format(src.path, src.filename)
    check_dataset_file(src.path, src.filename, fmt.name)
    keep_freed_memory()
    ds = fmt.dataset(_for(fmt, src))
    check_columns(src.filename, ds.table.num_columns)   # the readers that can check earlier do
    ds.size_bytes = size
    return ds


def _for(fmt: Format, src: Source) -> Source:
    """The options a dataset reader of this format takes."""
    if fmt in (delimited.CSV, markdown.TEXT):
        return src
    keep = {k: v for k, v in src.options.items() if k in ("schema", "header")}
    return Source(src.path, src.filename, src.sheet, options=keep)


def dataset_format(path: Path, filename: str) -> Format:
    """The format whose reader reads this dataset: by content, else by name; an extension no
    dataset format goes by is refused first."""
    ext = Path(filename).suffix.lower()
    named = by_extension(ext) if ext else None
    if ext and (named is None or named.dataset is None):
        raise UnsupportedFormat(_dataset_refusal(filename, ext))
    try:
        found = detect(path, filename)
    except InputError:
        found = None                     # refused as a document: the reader of its name says
    if found is not None and found.dataset is not None:
        return found
    if named is not None:
        return named
    raise UnsupportedFormat(f"{filename} has no file extension and does not look like text, "
                            "Excel or Parquet: add the right extension (.csv, .xlsx …).")


def dataset_extensions() -> list[str]:
    """The extensions a dataset may have."""
    return [e for f in FORMATS if f.dataset is not None for e in f.extensions]


def _dataset_refusal(filename: str, ext: str) -> str:
    return (f"{filename}: files of type '{ext}' are not supported as a dataset. Use CSV, TSV or "
            "other delimited text, fixed-width .dat, Excel (.xlsx/.xls), Parquet, JSON/JSON "
            "Lines, SPSS .sav, Stata .dta or SAS .xpt/.sas7bdat.")


def _refusal(fmt: Format, filename: str, what: str) -> str:
    if fmt.refusal:
        return fmt.refusal.format(filename=filename)
    return (f"{filename} is {fmt.title or fmt.name}, which cannot be read as {what}.")
