"""A dictionary file's text, laid out for chunking and for the LLM to read.

PDF pages are joined with form feeds (the chunker drops repeated headers and footers and reads a
field across a page break as one piece); Word paragraphs and tables keep their document order
(table rows as `cell | cell`); spreadsheet rows become tab-separated lines; anything else is
decoded as text.  Blocking: call it in a worker thread (`asyncio.to_thread`).
"""

from __future__ import annotations

from pathlib import Path

from ..textio import decode


def dictionary_text(path: str | Path, filename: str | None = None, *,
                    sheet: str | None = None) -> str:
    """The text of a dictionary file for LLM refinement."""
    path = Path(path)
    name = filename or path.name
    ext = Path(name).suffix.lower()
    if ext == ".pdf":
        return _pdf_text(path, name)
    if ext == ".docx":
        return _docx_text(path)
    if ext in (".xlsx", ".xlsm"):
        return _xlsx_text(path, sheet)
    if ext == ".xls":
        return _xls_text(path, sheet)
    return decode(path.read_bytes())[0]


def _pdf_text(path: Path, name: str) -> str:
    from ..documents.pdf import iter_pdf_pages

    return "\f".join(text for _, _, text in iter_pdf_pages(path, name))


def _docx_text(path: Path) -> str:
    import docx
    from docx.table import Table

    lines: list[str] = []
    for block in docx.Document(str(path)).iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                lines.append(" | ".join(_dedupe_merged(cells)))
            lines.append("")
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _dedupe_merged(cells: list[str]) -> list[str]:
    """Merged cells repeat their text in every grid cell: keep one copy."""
    out: list[str] = []
    for c in cells:
        if not out or c != out[-1]:
            out.append(c)
    return out


def _xlsx_text(path: Path, sheet: str | None) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        ws = wb[sheet] if sheet else _pick(wb.worksheets, lambda s: s.title,
                                           lambda s: (s.max_row or 0) * (s.max_column or 0))
        return _rows_text(ws.iter_rows(values_only=True))
    finally:
        wb.close()


def _xls_text(path: Path, sheet: str | None) -> str:
    import xlrd

    book = xlrd.open_workbook(str(path))
    ws = book.sheet_by_name(sheet) if sheet else _pick(book.sheets(), lambda s: s.name,
                                                       lambda s: s.nrows * s.ncols)
    return _rows_text(ws.row_values(i) for i in range(ws.nrows))


def _pick(sheets, title, size):
    """The sheet named like a dictionary, else the largest one."""
    named = [s for s in sheets if any(w in title(s).lower() for w in ("dictionary", "codebook"))]
    return max(named or sheets, key=size)


def _rows_text(rows) -> str:
    lines = []
    for row in rows:
        cells = ["" if v is None else " ".join(str(v).split()) for v in row]
        lines.append("\t".join(cells).rstrip("\t"))
    return "\n".join(lines).strip("\n")
