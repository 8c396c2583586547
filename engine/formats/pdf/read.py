"""PDF: text per page with pypdfium2 (fast), in reading order without page furniture
(pdf_text); ruled tables by pdfplumber's table finder on pdfium's paths and characters
(pdf_ruled; only on pages whose vector graphics look like a table grid); borderless tables by
text alignment."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ...errors import EncryptedFile, InputError, NoTextLayer
from ..bands import split_bands
from ..document import Document, Table, clean_cell, rectangular
from .layout import aligned_tables
from .ruled import ruled_tables
from .text import drop_furniture, page_text

# a ruled table has vertical rules at three or more x positions (left, between, right)
_MIN_RULE_COLUMNS = 3


def iter_pdf_pages(path: str | Path, filename: str | None = None) -> Iterator[tuple[int, int, str]]:
    """(page number from 1, page count, page text) for each page, in order.

    Raises EncryptedFile, InputError for a damaged file, and NoTextLayer (after the last
    page) when no page had any text.
    """
    import pypdfium2 as pdfium

    filename = filename or Path(path).name
    doc = open_pdfium(path, filename)
    try:
        total, any_text = len(doc), False
        for i in range(total):
            text = _page_text(doc, i)
            any_text = any_text or bool(text.strip())
            yield i + 1, total, text
    except pdfium.PdfiumError as exc:
        raise InputError(f"{filename}: a page of this PDF could not be read ({exc}). "
                         "Export the PDF again or upload the original document.") from exc
    finally:
        doc.close()
    if total and not any_text:
        raise no_text_error(filename)


def load_pdf(path: Path, filename: str) -> Document:
    """Text of every page; ruled tables rebuilt by pdfplumber's table finder, borderless ones
    by alignment."""
    pages, runs, _, tables = _scan(path, filename, find_tables=True)
    if not pages:
        raise InputError(f"{filename} has no pages. Upload the complete PDF.")
    if not any(p.strip() for p in pages):
        raise no_text_error(filename)
    for i, page_runs in enumerate(runs):
        if page_runs is None:
            continue
        for k, (rows, above) in enumerate(aligned_tables(page_runs), start=1):
            rows = rectangular([[clean_cell(c) for c in r] for r in rows])
            tables += _band_tables(rows, f"page {i + 1} table {k}", i + 1, above)
    tables.sort(key=lambda t: t.page or 0)
    # the running text leaves out headers, footers and page numbers; `pages` keeps them
    text = "\n\n".join(drop_furniture(pages))
    return Document(kind="pdf", text=text, pages=pages, tables=tables)


def _read_pages(path: Path, filename: str) -> tuple[list[str], list[list[tuple]], list[int]]:
    """(text per page, text runs per page, 0-based numbers of pages drawn with rules)."""
    pages, runs, ruled, _ = _scan(path, filename, find_tables=False)
    return pages, runs, ruled


def _scan(path: Path, filename: str, find_tables: bool
          ) -> tuple[list[str], list, list[int], list[Table]]:
    """(text per page, text runs per page, 0-based numbers of pages drawn with rules, their
    tables).  With `find_tables`, a ruled page's tables are found from pdfium's paths and
    characters (pdf_ruled; pdfplumber parses the pages that reader leaves to it), and a page
    with one has no runs (None): only pages without are searched by alignment."""
    import pypdfium2 as pdfium

    doc = open_pdfium(path, filename)
    pages: list[str] = []
    runs: list = []
    ruled: list[int] = []
    tables: list[Table] = []
    left: list[int] = []                    # ruled pages for pdfplumber itself
    plumbed = _Plumbed(path)
    try:
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(page_text(textpage, _clean_text))
            before = len(tables)
            if _is_ruled(page):
                ruled.append(i)
                found = _ruled_tables(page, textpage, plumbed, i) if find_tables else []
                if found is None:
                    left.append(i)
                else:
                    tables += _kept_tables(found, i)
            runs.append(None if len(tables) > before else _text_runs(textpage))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:
        raise InputError(f"{filename}: a page of this PDF could not be read ({exc}). "
                         "Export the PDF again or upload the original document.") from exc
    finally:
        doc.close()
        plumbed.close()
    if left:
        found_left = _tables(path, filename, left)
        done = {t.page for t in found_left}
        runs = [None if i + 1 in done else r for i, r in enumerate(runs)]
        tables = sorted(tables + found_left, key=lambda t: t.page or 0)
    return pages, runs, ruled, tables


def _ruled_tables(page, textpage, plumbed: "_Plumbed", i: int):
    """pdf_ruled's tables of page `i`, or None when pdfplumber must parse the page itself
    (as it must when that reader fails on it)."""
    import pypdfium2 as pdfium

    try:
        return ruled_tables(page, textpage, plumbed.page(i))
    except pdfium.PdfiumError:
        raise
    except Exception:  # noqa: BLE001 - pdfplumber reads the page itself, and reports
        return None


class _Plumbed:
    """pdfplumber's view of the PDF, opened when a page's geometry is first asked for (its
    pages' contents are parsed only for the pages handed to `_tables`)."""

    def __init__(self, path: Path) -> None:
        self.path, self.pdf, self.failed = path, None, False

    def page(self, i: int):
        if self.failed:
            raise ValueError("pdfplumber could not open the PDF")
        if self.pdf is None:
            import pdfplumber

            self.failed = True
            self.pdf = pdfplumber.open(str(self.path))
            self.failed = False
        return self.pdf.pages[i]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _kept_tables(found: list[tuple[list, tuple, str]], i: int) -> list[Table]:
    """The tables of page `i` (from 0) with two rows and two columns or more, cleaned."""
    out = []
    for k, (raw_rows, _, above) in enumerate(found, start=1):
        rows = clean_pdf_rows(raw_rows)
        if len(rows) >= 2 and len(rows[0]) >= 2:
            out += _band_tables(rows, f"page {i + 1} table {k}", i + 1, above)
    return out


def _band_tables(rows: list[list[str]], name: str, page: int, above: str) -> list[Table]:
    """The table, or the tables laid side by side in it (`..bands`), each its own."""
    bands = split_bands(rows)
    if not bands:
        return [Table(rows=rows, name=name, page=page, context=above)]
    return [Table(rows=rectangular(b), name=f"{name}.{n}", page=page, context=above)
            for n, b in enumerate(bands, start=1)]


def _text_runs(textpage) -> list[tuple[float, float, float, float, str]]:
    """pdfium's text rectangles (runs of text on one line) with their text."""
    out = []
    for k in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(k)
        out.append((left, bottom, right, top, textpage.get_text_bounded(left, bottom, right, top)))
    return out


def open_pdfium(path, filename: str):
    """The pypdfium2 document; encrypted and unreadable files raise user-facing errors."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise EncryptedFile(
                f"{filename} is password-protected. Open it with its password, save or print "
                "it to a new PDF without protection, and upload that.") from exc
        raise InputError(f"{filename} could not be read as a PDF: the file is damaged or not "
                         "a PDF. Export it again or upload the original document.") from exc


def _page_text(doc, i: int) -> str:
    page = doc[i]
    try:
        textpage = page.get_textpage()
        text = textpage.get_text_bounded()
        textpage.close()
    finally:
        page.close()
    return _clean_text(text)


def _clean_text(text: str) -> str:
    """pdfium's page text with plain line ends, hyphens for its soft-hyphen marks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
    text = text.replace("\x02", "-").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def no_text_error(filename: str) -> NoTextLayer:
    return NoTextLayer(f"{filename}: this PDF has no text layer — it is a scanned image; run "
                       "OCR first or upload the original document.")


def _is_ruled(page) -> bool:
    """Whether the page draws vertical rules at three or more x positions (a ruled table).
    Paths on the page and in its forms (not forms within forms) count."""
    import ctypes

    import pypdfium2.raw as raw

    xs: set[int] = set()
    bounds = [ctypes.c_float() for _ in range(4)]

    def look(parent, count, get, descend: bool) -> None:
        for k in range(count(parent)):
            obj = get(parent, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM and descend:
                look(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, False)
            if kind != raw.FPDF_PAGEOBJ_PATH:
                continue
            if not raw.FPDFPageObj_GetBounds(obj, *bounds):
                raise pdfium_error("Failed to locate pageobject.")
            left, bottom, right, top = (v.value for v in bounds)
            w, h = right - left, top - bottom
            if w < 2.5 and h > 5:                   # a thin vertical rule
                xs.add(round(left / 2))
            elif w > 15 and h > 15:                 # a box: its two sides
                xs.update((round(left / 2), round(right / 2)))

    look(page.raw, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject, True)
    return len(xs) >= _MIN_RULE_COLUMNS


def pdfium_error(message: str) -> Exception:
    import pypdfium2 as pdfium

    return pdfium.PdfiumError(message)


def _tables(path: Path, filename: str, page_numbers: list[int]) -> list[Table]:
    """Tables pdfplumber finds on the given pages (parsing them itself), cleaned of layout
    artefacts."""
    if not page_numbers:
        return []
    import pdfplumber

    out: list[Table] = []
    try:
        with pdfplumber.open(str(path)) as pdf:
            for i in page_numbers:
                page = pdf.pages[i]
                found = [(t.extract(), t.bbox, _line_above(page, t.bbox))
                         for t in page.find_tables()]
                out += _kept_tables(found, i)
                page.close()
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise _unreadable_tables(filename, exc) from exc
    return out


def _unreadable_tables(filename: str, exc: Exception) -> InputError:
    return InputError(f"{filename}: the tables of this PDF could not be read "
                      f"({type(exc).__name__}). Export the PDF again or upload the original "
                      "document.")


def clean_pdf_rows(raw_rows: list[list[str | None]]) -> list[list[str]]:
    """pdfplumber rows without empty rows and layout-only columns; spans filled.

    `None` marks a position covered by a spanning cell: filled from the left, or from above
    when the row starts with it (the name cells merged down over a field's code rows).
    """
    rows = [r for r in raw_rows if any(c and c.strip() for c in r)]
    rows = _collapse_sparse_columns(rows)
    out: list[list[str]] = []
    for r in rows:
        cells: list[str] = []
        leading = True
        for j, c in enumerate(r):
            if c is None:
                above = out[-1][j] if out and j < len(out[-1]) else ""
                c = above if leading else cells[j - 1]
            else:
                leading = False
            cells.append(clean_cell(c))
        out.append(cells)
    return rectangular(out)


def _collapse_sparse_columns(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Merge neighbouring columns that never both hold text in one row (drawing artefacts)."""
    if not rows:
        return rows
    cols = [list(c) for c in zip(*rows)]
    merged: list[list[str | None]] = [cols[0]]
    for col in cols[1:]:
        prev = merged[-1]
        if not any(_has_text(a) and _has_text(b) for a, b in zip(prev, col)):
            merged[-1] = [_pick(a, b) for a, b in zip(prev, col)]
        else:
            merged.append(col)
    return [list(r) for r in zip(*merged)]


def _has_text(cell: str | None) -> bool:
    return bool(cell and cell.strip())


def _pick(a: str | None, b: str | None) -> str | None:
    """The cell with text of two merged neighbours (None only when both are covered)."""
    if _has_text(a):
        return a
    if _has_text(b):
        return b
    return a if a is not None else b


def _line_above(page, bbox) -> str:
    """The last line of text above a table on its page (its heading or caption, if any)."""
    top = bbox[1]
    if top <= 1:
        return ""
    try:
        text = page.crop((0, max(0, top - 60), page.width, top)).extract_text() or ""
    except ValueError:
        return ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
