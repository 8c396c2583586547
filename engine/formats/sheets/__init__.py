"""Spreadsheets: Excel workbooks (.xlsx/.xlsm read from their XML, .xls through xlrd).

    grid.py   a dictionary's view: every sheet (or the one asked for) as a table of cell texts,
              merged ranges filled; a data sheet too big for a dictionary left out, said so;
              tables side by side on a sheet (`..bands`) each a table under the sheet's name
    data.py   a dataset's view: one sheet (the one asked for, else the first with values),
              cells keeping the types Excel stored (openpyxl read-only, streamed)

The reading text (for the LLM) is made from the very tables the rules read: the sheet asked
for, else the sheets the rules took their fields from, else every sheet of the document; one
line per row, cells separated by tabs.  OpenDocument spreadsheets are recognised only to say
how to convert them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..format import Format, Source


def sheet_names(path: str | Path) -> list[str]:
    """The worksheets of an XLSX/XLSM or XLS workbook, in order ([] for other files or when
    the file cannot be read: a parse then says what is wrong with it)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"PK"):
            from .grid import _sheet_parts

            with zipfile.ZipFile(path) as zf:
                if "xl/workbook.xml" not in zf.namelist():
                    return []
                return [name for name, _ in _sheet_parts(zf)]
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            import xlrd

            book = xlrd.open_workbook(path, on_demand=True)
            try:
                return list(book.sheet_names())
            finally:
                book.release_resources()
    except Exception:  # noqa: BLE001 - a listing only: the parse reports the file's problem
        return []
    return []


def _document(src: Source):
    from .grid import load_xlsx

    return load_xlsx(src.path, src.filename, src.sheet)


def _xls_document(src: Source):
    from .grid import load_xls

    return load_xls(src.path.read_bytes(), src.filename, src.sheet)


def _dataset(kind: str):
    def read(src: Source):
        from .data import read_workbook

        opts = src.options
        return read_workbook(src.path, src.filename, kind, sheet=src.sheet,
                             schema=opts.get("schema"), header=opts.get("header"))
    return read


def sheets_text(doc, sheets: tuple[str, ...] = ()) -> str:
    """The workbook's tables (only `sheets`, when they name some of them) as text: a line per
    row, cells separated by tabs; each sheet under its name when there are several."""
    tables = [t for t in doc.tables if t.name in sheets] or doc.tables
    parts = []
    for t in tables:
        rows = ["\t".join(" ".join(c.split()) for c in row).rstrip("\t") for row in t.rows]
        body = "\n".join(rows).strip("\n")
        parts.append(f"{t.name}\n{body}" if len(tables) > 1 else body)
    return "\n\n".join(parts)


def _text(document):
    def text(src: Source) -> str:
        return sheets_text(document(src), src.sheets)
    return text


XLSX = Format("xlsx", (".xlsx", ".xlsm"), "an Excel workbook", document=_document,
              text=_text(_document), dataset=_dataset("xlsx"))
XLS = Format("xls", (".xls",), "an Excel 97-2003 workbook", document=_xls_document,
             text=_text(_xls_document), dataset=_dataset("xls"))
ODF = Format("opendocument", (".ods", ".odt"), "an OpenDocument file", refusal=(
    "{filename} is an OpenDocument file (.ods/.odt), which cannot be read. Save it as .xlsx, "
    ".docx or CSV and upload that."))
FORMATS = [XLSX, XLS, ODF]
