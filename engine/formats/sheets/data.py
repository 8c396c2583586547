"""Excel workbooks: .xlsx with openpyxl (read-only, cached values), .xls with xlrd.

Cells keep the type Excel stored (numbers, dates, text, booleans); a column that mixes types is
read as text.  The first non-empty sheet is read unless one is named.
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable
from xml.etree.ElementTree import ParseError

import pyarrow as pa

from ...errors import CodebookError, EncryptedFile, InputError
from ...guard import check_zip, damaged, open_part
from ...limits import CellBudget, check_columns, current, exceeded, size_text
from ...model import Schema
from ..dataset import Dataset, source_types
from ..delimited.sniff import column_names, has_header

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")


def read_workbook(path: Path, filename: str, kind: str, *, sheet: str | None,
                  schema: Schema | None, header: bool | None) -> Dataset:
    """Read one sheet of a workbook into a Dataset (sheets lists all of them)."""
    head = _head(path)
    if head.startswith(_CFB_MAGIC):
        if _ENCRYPTION_MARK in path.read_bytes():
            raise EncryptedFile(f"{filename} is password-protected: open it in Excel, remove "
                                "the password (File > Info > Protect Workbook) and upload it "
                                "again.")
        kind = "xls"
    elif kind == "xls" and head.startswith(b"PK"):
        kind = "xlsx"
    if kind == "xlsx":
        _check_parts(path, filename)
    opener = _open_xlsx if kind == "xlsx" else _open_xls
    try:
        with opener(path, filename) as (names, rows_of):
            name, rows = _pick_sheet(names, rows_of, sheet, filename)
    except CodebookError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ParseError, KeyError, IndexError,
            ValueError, TypeError) as exc:   # damaged parts found while the rows stream
        raise damaged(filename, exc) from None
    ds = Dataset(pa.table({}), filename, kind, sheet=name, sheets=list(names))
    others = [n for n in names if n != name]
    if others and sheet is None:
        ds.warn(f"{filename} has {len(names)} sheets; '{name}' was read. Choose another sheet "
                f"to profile: {', '.join(others[:10])}.")
    ds.table = _table(rows, ds, schema, header)
    ds.source_types = source_types(ds.table)
    return ds


def _check_parts(path: Path, filename: str) -> None:
    """The workbook's parts checked before openpyxl opens it (engine.guard.check_zip); every
    sheet's cells too, since openpyxl parses a sheet without a `<dimension>` whole when it
    opens the workbook, whichever sheet is then read."""
    for part, cells in check_zip(path, filename, "max_cells").items():
        if cells > current().max_cells:
            raise exceeded(filename, f"its sheet {part} holds too many cells", "max_cells",
                           "Save the sheet you need as CSV.")


def _head(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(1 << 16)


def _pick_sheet(names: list[str], rows_of, sheet: str | None, filename: str):
    """The named sheet, or the first one with any value in it."""
    budget = CellBudget(filename, "max_cells")
    if sheet is not None:
        if sheet not in names:
            raise InputError(f"{filename} has no sheet named '{sheet}'. Its sheets are: "
                             f"{', '.join(names)}.")
        return sheet, _trim(rows_of(sheet), budget, f"sheet '{sheet}'")
    for name in names:
        rows = _trim(rows_of(name), budget, f"sheet '{name}'")
        if rows:
            return name, rows
    raise InputError(f"{filename} has no data: all its sheets are empty.")


def _counted(rows: Iterable[tuple], budget: CellBudget, where: str) -> Iterable[list[Any]]:
    """The rows as lists, each cell counted (an empty row as one) and long text refused."""
    longest = current().max_line_length
    for r in rows:
        budget.take(len(r) or 1, where)
        for v in r:
            if isinstance(v, str) and len(v) > longest:
                raise exceeded(budget.filename, f"a cell of {where} holds "
                               f"{size_text(len(v))} of text", "max_line_length",
                               "A cell of data is far shorter; this looks damaged.")
        yield list(r)


def _trim(rows: Iterable[tuple], budget: CellBudget, where: str) -> list[list[Any]]:
    """Rows without leading/trailing empty rows and without empty columns at the right."""
    rows = list(_counted(rows, budget, where))
    empty = [all(_blank(v) for v in r) for r in rows]
    while rows and empty[-1]:
        rows.pop()
        empty.pop()
    start = next((i for i, e in enumerate(empty) if not e), len(rows))
    rows = rows[start:]
    width = max((max((j + 1 for j, v in enumerate(r) if not _blank(v)), default=0)
                 for r in rows), default=0)
    check_columns(budget.filename, width, f"in {where}")
    budget.take(width * len(rows) - sum(map(len, rows)), where)   # the padding to come
    return [(r + [None] * width)[:width] for r in rows]


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _table(rows: list[list[Any]], ds: Dataset, schema: Schema | None,
           header: bool | None) -> pa.Table:
    text_rows = [[_text(v) for v in r] for r in rows[:200]]
    ds.header = header if header is not None else has_header(text_rows, schema)
    first = [_text(v) for v in rows[0]] if ds.header else None
    body = rows[1:] if ds.header else rows
    width = len(rows[0]) if rows else 0
    names = column_names(first, width, schema, ds.warn)
    columns = [_column([r[j] for r in body]) for j in range(width)]
    return pa.table(columns, names=names)


def _column(values: list[Any]) -> pa.Array:
    """One column: typed when all its cells share a type, else text as Excel shows it."""
    values = [None if _blank(v) and not isinstance(v, str) else v for v in values]
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int} or kinds <= {float} or kinds <= {int, float} or kinds <= {bool}:
        return pa.array(values)
    if kinds <= {dt.datetime} or kinds <= {dt.date} or kinds <= {dt.time}:
        return pa.array(values)
    return pa.array([None if v is None or v == "" else _text(v) for v in values], pa.string())


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    return str(v)


# ---- .xlsx ----------------------------------------------------------------------------------
@contextmanager
def _open_xlsx(path: Path, filename: str):
    """(sheet names, rows of a sheet) of an .xlsx, closed on exit."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    with path.open("rb") as fh:  # a file object: openpyxl would refuse a misnamed path
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, InvalidFileException) as exc:
            raise InputError(f"{filename} is not a valid Excel workbook ({exc}). Save it again "
                             "as .xlsx and upload that file.") from None

        def rows_of(name: str):
            ws = wb[name]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # some writers store a wrong sheet size
            return ws.iter_rows(values_only=True)

        wb._archive = _BoundedArchive(wb._archive, filename)   # parts opened from now on
        try:
            yield list(wb.sheetnames), rows_of
        finally:
            wb.close()


class _BoundedArchive:
    """openpyxl's ZIP archive, its parts' actual bytes counted as the rows stream (the
    declared sizes were checked before: see engine.guard.check_zip)."""

    def __init__(self, archive: zipfile.ZipFile, filename: str) -> None:
        self._archive, self._filename = archive, filename

    def open(self, name, *args, **kwargs):
        return open_part(self._archive, name, self._filename)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._archive, attr)


# ---- .xls -----------------------------------------------------------------------------------
@contextmanager
def _open_xls(path: Path, filename: str):
    """(sheet names, rows of a sheet) of an Excel 97-2003 .xls, released on exit."""
    import xlrd

    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many unrelated types on bad files
        if "encrypted" in str(exc).lower():
            raise EncryptedFile(f"{filename} is password-protected: remove the password in "
                                "Excel and upload it again.") from None
        raise InputError(f"{filename} is not a valid Excel 97-2003 workbook ({exc}). Save it "
                         "again as .xlsx and upload that file.") from None

    def rows_of(name: str):
        sh = book.sheet_by_name(name)
        if sh.nrows * sh.ncols > current().max_cells:
            raise exceeded(filename, f"sheet '{name}' has {sh.nrows:,} rows of {sh.ncols:,} "
                           "columns", "max_cells", "Save the sheet as CSV.")
        return ([_xls_value(sh.cell(i, j), book.datemode) for j in range(sh.ncols)]
                for i in range(sh.nrows))

    try:
        yield list(book.sheet_names()), rows_of
    finally:
        book.release_resources()


def _xls_value(cell, datemode: int) -> Any:
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() else value
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, datemode)
        except (ValueError, OverflowError):
            return value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    return value
