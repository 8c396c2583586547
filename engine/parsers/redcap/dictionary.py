"""REDCap data dictionaries: the CSV REDCap exports (and the same table saved as XLSX).

Header (current REDCap): `Variable / Field Name, Form Name, Section Header, Field Type, Field
Label, "Choices, Calculations, OR Slider Labels", Field Note, Text Validation Type OR Show
Slider Number, Text Validation Min, Text Validation Max, Identifier?, Branching Logic (Show
field only if...), Required Field?, Custom Alignment, Question Number (surveys only), Matrix
Group Name, Matrix Ranking?, Field Annotation`.  Older exports word some of these differently
(`Choices OR Calculations`, `Text Validation Type`) and may have `Field Units`.  The API and
some tools write the same columns as `field_name, form_name, ..., select_choices_or_calculations,
..., field_annotation`: headers are compared without case, spaces or punctuation.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Iterable, Iterator

from ...model import Field
from .. import NotThisFormat, ParseContext
from .common import RedcapItem, join_description, parse_choices, split_label, strip_html, to_field

# normalised header text -> our key; a header matches the first prefix it starts with
_COLUMNS = (
    ("variablefieldname", "name"), ("fieldname", "name"), ("variablename", "name"),
    ("formname", "form"), ("sectionheader", "section"), ("fieldtype", "type"),
    ("fieldlabel", "label"), ("choices", "choices"), ("selectchoices", "choices"),
    ("fieldnote", "note"),
    ("fieldunits", "unit"), ("textvalidationtype", "validation"),
    ("textvalidationmin", "min"), ("textvalidationmax", "max"), ("identifier", "identifier"),
    ("branchinglogic", "branching"), ("requiredfield", "required"),
    ("matrixgroupname", "matrix"), ("fieldannotation", "annotation"),
)
_NEEDED = {"name", "type", "label"}
_YES = {"y", "yes", "1", "true"}
_SNIFF_SHEETS = 5


def column_map(header: Iterable[str]) -> dict[str, int] | None:
    """Our key -> column index for a REDCap header row, or None when it is not one."""
    found: dict[str, int] = {}
    for i, cell in enumerate(header):
        norm = re.sub(r"[^a-z]", "", (cell or "").lower())
        for prefix, key in _COLUMNS:
            if norm.startswith(prefix) and key not in found:
                found[key] = i
                break
    return found if _NEEDED <= found.keys() else None


def sniff_dictionary(ctx: ParseContext) -> bool:
    """A REDCap header in the first line (CSV/TXT) or the first strings of the workbook."""
    if ctx.ext == ".xlsx":
        return _xlsx_has_header(ctx)
    first = next((line for line in ctx.head.splitlines() if line.strip()), "")
    return column_map(_split_header(first)) is not None


def _split_header(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def _delimiter(line: str) -> str:
    """The separator the header line uses most: comma, tab or semicolon (European Excel)."""
    return max(",\t;", key=line.count)


def _xlsx_has_header(ctx: ParseContext) -> bool:
    """A sheet of the workbook (the one asked for, when it is) starts with a REDCap header."""
    return _redcap_sheet(ctx) is not None


def _redcap_sheet(ctx: ParseContext):
    """The first table of the workbook whose first row is a REDCap header, or None."""
    return next((t for t in ctx.document.tables[:_SNIFF_SHEETS]
                 if t.rows and column_map(t.rows[0]) is not None), None)


def parse_dictionary_file(ctx: ParseContext) -> Iterator[Field]:
    """Fields of a REDCap data dictionary (CSV, TXT or XLSX)."""
    rows = _xlsx_rows(ctx) if ctx.ext == ".xlsx" else _csv_rows(ctx.text)
    yield from parse_rows(rows, ctx)


def _csv_rows(text: str) -> Iterator[list[str]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))


def _xlsx_rows(ctx: ParseContext) -> Iterator[list[str]]:
    """Rows of the sheet holding the REDCap header, as the workbook's document reads them."""
    table = _redcap_sheet(ctx)
    if table is None:
        raise NotThisFormat("no sheet with a REDCap data dictionary header")
    ctx.sheets_read = [table.name]
    yield from table.rows


def parse_rows(rows: Iterable[list[str]], ctx: ParseContext | None = None) -> Iterator[Field]:
    """Fields from dictionary rows, the first non-empty row being the header."""
    it = iter(rows)
    cols = None
    for header in it:
        if any(c.strip() for c in header):
            cols = column_map(header)
            break
    if cols is None:
        raise NotThisFormat("no REDCap data dictionary header")
    note = ctx.recognise if ctx is not None else (lambda what, text: None)
    note("header", " ".join(header))
    form, section = "", ""
    for row in it:
        cell = _getter(row, cols)
        name, ftype = cell("name").strip(), cell("type").strip().lower()
        if not name:
            continue  # trailing empty rows
        if cell("form") and cell("form") != form:
            form, section = cell("form"), ""
        if cell("section").strip():
            section = strip_html(cell("section")).replace("\n", " ")
        if ftype == "descriptive":
            note("descriptive field", " ".join(row))
            continue  # display text, no data
        # every cell of the row is read by its column (markup, other languages, logic)
        note("field row", " ".join(row))
        if not ftype and ctx is not None:
            ctx.warn(f"{name}: no Field Type given; read as text.")
        yield to_field(_item(name, ftype or "text", cell, form, section))


def _getter(row: list[str], cols: dict[str, int]):
    def cell(key: str) -> str:
        i = cols.get(key)
        return (row[i] or "") if i is not None and i < len(row) else ""
    return cell


def _item(name: str, ftype: str, cell, form: str, section: str) -> RedcapItem:
    """A RedcapItem from one dictionary row."""
    title, subtitle = split_label(cell("label"))
    note = strip_html(cell("note")).replace("\n", " ")
    categorical = ftype in ("radio", "dropdown", "checkbox", "select")
    item = RedcapItem(
        name=name, field_type=ftype, label=title,
        description=join_description(subtitle, note),
        choices=parse_choices(cell("choices")) if categorical else [],
        choices_text=cell("choices").strip() if not categorical else "",
        validation=cell("validation").strip() if ftype == "text" else "",
        minimum=cell("min"), maximum=cell("max"),
        required=cell("required").strip().lower() in _YES,
        identifier=cell("identifier").strip().lower() in _YES,
        branching=cell("branching").strip(), form=form, section=section,
        unit=cell("unit").strip(),
    )
    if cell("matrix").strip():
        item.extras["matrixGroup"] = cell("matrix").strip()
    if cell("annotation").strip():
        item.extras["annotation"] = cell("annotation").strip()
    return item
