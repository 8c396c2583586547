"""Spreadsheets: XLSX/XLSM read straight from their XML, XLS through xlrd.

openpyxl needs about a second to load the 1,977-variable College Scorecard workbook (six
sheets, 45,000 cells in one of them), and its read-only mode cannot see merged cells.  The
cell grid of a worksheet is a flat, machine-written XML part, so it is tokenised here with
regular expressions (about ten times faster); the small parts (workbook, relationships,
styles, shared strings) are parsed with lxml.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import zipfile
from typing import Iterator

from lxml import etree

from ...errors import EncryptedFile, InputError
from ...guard import open_part, read_part
from ...limits import CellBudget, check_columns, current, exceeded, setting_name
from ...scans import longest_line
from ..bands import split_bands, titled_code_blocks
from ..document import Document, Table, clean_cell, rectangular

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR = re.compile(rb'\b(r|t|s)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>(.*?)</(?:\w+:)?f>", re.S)
_INLINE_T = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*\bref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_REF = re.compile(rb"([A-Z]+)(\d+)")
# the usual shape of a cell, written by Excel, LibreOffice and openpyxl alike
_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_SI_TEXT = etree.XPath("m:t/text() | m:r/m:t/text()", namespaces=_NS)
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
# number formats 14-22 and 45-47 are Excel's built-in dates and times
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | {45, 46, 47}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# the small parts are parsed without expanding entities (engine.guard refuses DTDs before)
_XML = etree.XMLParser(resolve_entities=False, no_network=True)


# ---- XLSX -----------------------------------------------------------------------------
def load_xlsx(path, filename: str, sheet: str | None = None) -> Document:
    """Every worksheet of an XLSX/XLSM workbook (or only `sheet`) as a table."""
    try:
        with zipfile.ZipFile(path) as zf:
            return _read_workbook(zf, filename, sheet)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, IndexError,
            EOFError) as exc:
        raise InputError(
            f"{filename} could not be read as an Excel workbook ({type(exc).__name__}): it is "
            "damaged or not a real .xlsx file. Open it in Excel and save it again as .xlsx, "
            "or export the dictionary sheet as CSV.") from exc


def _read_workbook(zf: zipfile.ZipFile, filename: str, sheet: str | None) -> Document:
    sheets = _sheet_parts(zf)
    if sheet is not None:
        chosen = [(n, p) for n, p in sheets if n == sheet]
        if not chosen:
            names = ", ".join(n for n, _ in sheets)
            raise InputError(f"{filename} has no sheet named '{sheet}'. Its sheets are: {names}.")
        sheets = chosen
    cells = CellBudget(filename)
    strings = _shared_strings(zf, cells, filename)
    date_styles = _date_styles(zf, filename)
    tables, skipped = [], []
    for name, part in sheets:
        where = f"sheet '{name}'"
        xml = read_part(zf, part, filename)
        if len(sheets) > 1 and cells.used + _cell_count(xml) > cells.limit:
            skipped.append(name)     # a data sheet beside the dictionary: left out, said so
            continue
        tables += sheet_tables(_sheet_rows(xml, strings, date_styles, cells, where), name)
    if skipped and not tables:
        cells.take(cells.limit + 1, f"sheet '{skipped[0]}'")     # refused, with the message
    text = "\n\n".join(_table_text(t) for t in tables)
    doc = Document(kind="xlsx", text=text, pages=[text], tables=tables)
    if skipped:
        doc.warnings.append(
            f"{filename}: sheet(s) {', '.join(repr(n) for n in skipped)} were not read: they "
            f"hold more cells than the limit of {cells.limit:,} set by "
            f"{setting_name(cells.attr)} (data rather than a dictionary, it seems).")
    return doc


def sheet_tables(rows: list[list[str]], name: str) -> list[Table]:
    """A sheet's table, or the tables it holds side by side (`..bands`), each under the
    sheet's name; titled code tables side by side below it apart, captioned by their titles."""
    blocks = titled_code_blocks(rows)
    if blocks:
        rest, codes = blocks
        return (sheet_tables(rectangular(rest), name) if any(map(any, rest)) else []) + [
            Table(rows=rectangular(body), name=name, context=title) for title, body in codes]
    bands = split_bands(rows)
    if not bands:
        return [Table(rows=rows, name=name)]
    return [Table(rows=rectangular(b), name=name) for b in bands]


def _long_cell(filename: str, where: str) -> Exception:
    return exceeded(filename, f"a cell of {where} holds too much text", "max_line_length",
                    "A dictionary's cells are short; this looks damaged.")


def _cell_count(xml: bytes) -> int:
    """The `<c>` elements of a worksheet part (prefixed or not)."""
    return xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b":c ")


def _sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) of the worksheets, in workbook order."""
    workbook = etree.fromstring(zf.read("xl/workbook.xml"), _XML)
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"), _XML)
    targets = {r.get("Id"): r.get("Target") for r in rels.iterfind("pr:Relationship", _NS)}
    out = []
    for s in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(s.get(f"{{{_NS['r']}}}id"), "")
        if not target or "worksheet" not in target:
            continue                    # chart sheets and dialog sheets hold no cells
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join("xl", target))
        out.append((s.get("name", ""), part))
    return out


def _shared_strings(zf: zipfile.ZipFile, cells: CellBudget, filename: str) -> list[str]:
    """The shared string table (each string counted as a cell); phonetic runs left out."""
    try:
        stream = open_part(zf, "xl/sharedStrings.xml", filename)
    except KeyError:
        return []
    out = []
    tag = f"{{{_NS['m']}}}si"
    with stream:
        for _, si in etree.iterparse(stream, tag=tag, huge_tree=True, resolve_entities=False,
                                     no_network=True):
            cells.take(1, "the shared strings")
            out.append(clean_cell(_unescape_x("".join(_SI_TEXT(si)))))
            si.clear()
    return out


def _date_styles(zf: zipfile.ZipFile, filename: str) -> set[int]:
    """Indexes of cell styles whose number format shows a date or time."""
    try:
        styles = etree.fromstring(read_part(zf, "xl/styles.xml", filename), _XML)
    except KeyError:
        return set()
    date_ids = set(_BUILTIN_DATE_FORMATS)
    for fmt in styles.iterfind("m:numFmts/m:numFmt", _NS):
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.get("formatCode", "")).lower()
        if re.search(r"[dmyhs]", code) and not re.search(r"[0#?]", code):
            date_ids.add(int(fmt.get("numFmtId", "0")))
    return {i for i, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", _NS))
            if int(xf.get("numFmtId", "0")) in date_ids}


def _sheet_rows(xml: bytes, strings: list[str], date_styles: set[int], budget: CellBudget,
                where: str) -> list[list[str]]:
    """The cell grid of one worksheet part, merged ranges filled with their top-left value."""
    budget.take(_cell_count(xml), where)
    longest = current().max_line_length
    # the longest text between two tags bounds every cell's text: checked before any is made
    if longest_line((xml[i:i + (1 << 20)] for i in range(0, len(xml), 1 << 20)), longest,
                    separator=ord("<"))[0] > longest:
        raise _long_cell(budget.filename, where)
    grid: dict[int, dict[int, str]] = {}
    for r, c, text in _cells(xml, strings, date_styles):
        if text:
            if len(text) > longest:            # a shared string
                raise _long_cell(budget.filename, where)
            grid.setdefault(r, {})[c] = text
    _fill_merged(grid, xml, budget, where)
    if not grid:
        return []
    width = max(max(row) for row in grid.values() if row)
    check_columns(budget.filename, width, f"in {where}")
    # the padded grid, not only the filled cells, is what gets built
    budget.take((max(grid) - min(grid) + 1) * width - sum(map(len, grid.values())), where)
    rows = []
    for r in range(min(grid), max(grid) + 1):
        cells = grid.get(r, {})
        rows.append([cells.get(c, "") for c in range(1, max(cells, default=0) + 1)])
    return rectangular(rows)


def _cells(xml: bytes, strings: list[str], date_styles: set[int]) -> list[tuple[int, int, str]]:
    """(row, column, text) of every non-empty cell, 1-based."""
    fast = _FAST_CELL.findall(xml)
    if len(fast) != xml.count(b"<c ") + xml.count(b"<c>"):
        return list(_iter_cells_slow(xml, strings, date_styles))
    cols: dict[bytes, int] = {}
    out = []
    for letters, row, attrs, body in fast:
        if not body:
            continue
        col = cols.get(letters) or cols.setdefault(letters, _column_number(letters))
        if b' t="s"' in attrs and body[:3] == b"<v>":   # most cells: a shared string
            out.append((int(row), col, strings[int(body[3:-4])]))
        else:
            out.append((int(row), col, _cell_text(attrs, body, strings, date_styles)))
    return out


def _iter_cells_slow(xml: bytes, strings: list[str],
                     date_styles: set[int]) -> Iterator[tuple[int, int, str]]:
    """The general case: namespace prefixes, rows and cells without an `r` reference."""
    row_no = 0
    for row in _ROW.finditer(xml):
        attrs = dict(_ATTR.findall(row.group(1)))
        row_no = int(attrs[b"r"]) if b"r" in attrs else row_no + 1
        col_no = 0
        for cell in _CELL.finditer(row.group(2) or b""):
            ref = dict(_ATTR.findall(cell.group(1))).get(b"r")
            col_no = _column_number(_REF.match(ref).group(1)) if ref else col_no + 1
            yield row_no, col_no, _cell_text(cell.group(1), cell.group(2) or b"", strings,
                                             date_styles)


def _cell_text(attr_text: bytes, body: bytes, strings: list[str], date_styles: set[int]) -> str:
    """The text a user sees in a cell (numbers without a trailing `.0`, dates as ISO)."""
    if b' t="s"' in attr_text:        # the common case first: a shared string
        m = _VALUE.search(body)
        return strings[int(m.group(1))] if m else ""
    attrs = dict(_ATTR.findall(attr_text)) if attr_text else {}
    kind = attrs.get(b"t", b"n")
    if kind == b"inlineStr":
        return clean_cell(_xml_text(b"".join(_INLINE_T.findall(body))))
    m = _VALUE.search(body)
    if m is None or not m.group(1) and kind != b"str":
        # a formula never calculated (as openpyxl and other generators write them: no value,
        # or an empty one that is no text result): the formula is what the cell says
        f = _FORMULA.search(body)
        return clean_cell("=" + _xml_text(f.group(1))) if f and f.group(1).strip() else ""
    raw = m.group(1)
    if kind == b"s":
        return strings[int(raw)]
    if kind == b"b":
        return "TRUE" if raw.strip() == b"1" else "FALSE"
    if kind in (b"str", b"e", b"d"):
        return clean_cell(_xml_text(raw))
    style = int(attrs.get(b"s", b"0"))
    return _number_text(raw.decode(), as_date=style in date_styles)


def _number_text(raw: str, as_date: bool = False) -> str:
    try:
        x = float(raw)
    except ValueError:
        return raw.strip()
    if as_date and 0 <= x < 2958466:
        stamp = _EXCEL_EPOCH + dt.timedelta(days=x)
        return stamp.date().isoformat() if x.is_integer() else stamp.isoformat(timespec="seconds")
    return number_text(x)


def number_text(x: float) -> str:
    """`1.0` -> `1`, `0.5` -> `0.5`, `1e-2` -> `0.01`."""
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def _fill_merged(grid: dict[int, dict[int, str]], xml: bytes, budget: CellBudget,
                 where: str) -> None:
    """Copy each merged range's top-left value into all its cells."""
    tail = xml[xml.rfind(b"sheetData>"):]  # mergeCells follow the cell data
    for m in _MERGE.finditer(tail):
        c1, r1, c2, r2 = (_column_number(m.group(1)), int(m.group(2)),
                          _column_number(m.group(3)), int(m.group(4)))
        value = grid.get(r1, {}).get(c1, "")
        if not value or (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            continue
        budget.take((r2 - r1 + 1) * (c2 - c1 + 1), where)
        for r in range(r1, r2 + 1):
            row = grid.setdefault(r, {})
            for c in range(c1, c2 + 1):
                row[c] = value


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _xml_text(raw: bytes) -> str:
    return _unescape_x(html.unescape(raw.decode("utf-8", errors="replace")))


def _unescape_x(text: str) -> str:
    """Excel writes control characters as `_x000D_`; turn them back into characters."""
    if "_x" not in text:
        return text
    return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)


def _table_text(table: Table) -> str:
    """A sheet as text: its name, then one line per row (a merged value once)."""
    lines = [table.name]
    for row in table.rows:
        cells = [c for k, c in enumerate(row) if c and (k == 0 or c != row[k - 1])]
        if cells:
            lines.append("\t".join(cells))
    return "\n".join(lines)


# ---- XLS ------------------------------------------------------------------------------
def load_xls(data: bytes, filename: str, sheet: str | None = None) -> Document:
    """Every sheet of a legacy .xls workbook (or only `sheet`) as a table."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise EncryptedFile(
                f"{filename} is password-protected. Remove the password in Excel (File > "
                "Info > Protect Workbook) and upload it again.") from exc
        raise InputError(f"{filename} could not be read as an Excel 97-2003 workbook: {exc}. "
                         "Save it again as .xlsx or CSV.") from exc
    except Exception as exc:  # xlrd raises assorted errors on damaged files
        raise InputError(f"{filename} could not be read as an Excel 97-2003 workbook; it "
                         "seems damaged. Save it again as .xlsx or CSV.") from exc
    sheets = book.sheets()
    if sheet is not None:
        sheets = [s for s in sheets if s.name == sheet]
        if not sheets:
            names = ", ".join(book.sheet_names())
            raise InputError(f"{filename} has no sheet named '{sheet}'. Its sheets are: {names}.")
    budget = CellBudget(filename)
    tables = []
    for sh in sheets:
        budget.take(sh.nrows * sh.ncols, f"sheet '{sh.name}'")   # before the grid is built
        tables += sheet_tables(_xls_rows(sh, book.datemode), sh.name)
    text = "\n\n".join(_table_text(t) for t in tables)
    return Document(kind="xls", text=text, pages=[text], tables=tables)


def _xls_rows(sh, datemode: int) -> list[list[str]]:
    import xlrd

    rows = [[_xls_text(sh.cell(r, c), datemode, xlrd) for c in range(sh.ncols)]
            for r in range(sh.nrows)]
    for r1, r2, c1, c2 in sh.merged_cells:  # half-open ranges
        value = rows[r1][c1] if r1 < len(rows) and c1 < len(rows[r1]) else ""
        for r in range(r1, min(r2, len(rows))):
            for c in range(c1, min(c2, len(rows[r]))):
                rows[r][c] = value
    return rectangular(rows)


def _xls_text(cell, datemode: int, xlrd) -> str:
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return number_text(float(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            stamp = xlrd.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError):
            return number_text(float(cell.value))
        return stamp.date().isoformat() if float(cell.value).is_integer() else stamp.isoformat()
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return clean_cell(str(cell.value))
