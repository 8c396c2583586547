"""Small tables of one variable's values, and the variable above them they belong to.

A codebook often follows each variable's text with a table of its values:

    Code or Value | Value Description | Count | Cumulative | Skip to Item
    1             | Yes               | 3241  | 3241       |
    48 to 81      | Range of Values   | 5990  | 5990       |
    .             | Missing           | 55    | 6113       |

    Male   | 1                          (a Word table, the label first)
    Female | 2

`read_code_table` decides from the cells which column holds the codes (short tokens, numbers,
ranges, `.`, nearly all different) and which the labels (words); other columns (counts,
cumulative counts, skip targets) are left out.  A header row is recognised by its words
(`Code`, `Valor`, `Wert` ... / `Label`, `Descripción` ...) or by having no code where the
rows have them.  A row whose code is a range (`48 to 81`, `1-5`) gives the field's minimum and
maximum rather than a category.  Tables whose header names variables (`Variable | Label`)
are tables of fields: the table reader's, not code tables.

`attach_code_tables` gives each code table to the field whose name starts a line nearest
above it, within its section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ...model import Category, Field
from ..codes import infer_type_from_codes, split_missing
from .freqtables import (COUNT_HEADER, frequency_categories, is_count_column,
                         is_statistics_table, without_totals)

_NUM = r"(?:[-+]?\d{1,3}(?:,\d{3})+|[-+]?\d+(?:[.,]\d+)?)"
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+$")
_NUMBER = re.compile(rf"^{_NUM}$")
_RANGE = re.compile(rf"^(?P<low>{_NUM})\s*(?:to|thru|through|-|–|—|\.\.|a|à|até|bis|hasta)\s*"
                    rf"(?P<high>{_NUM})$", re.I)
# `.`, `.a`, `<=200`, `A1`, `INT`, `M`, `na`, `q_1`: not `Regular` (a word is a label)
_TOKEN = re.compile(r"^(?:[.][A-Za-z]?|[<>≤≥]=?\s*\d[\d.,]*|[A-Z0-9][A-Z0-9_.+/-]{0,9}|"
                    r"\w{1,3}|[a-z]*[\d_][\w.]{0,9})$")
_LETTER = re.compile(r"[^\W\d_]")
CODE_HEADER = re.compile(r"\b(?:codes?|values?|valor(?:es)?|c[oó]dig[oa]s?|wert[e]?|"
                          r"auspr[aä]gung(?:en)?|valeurs?|modalit[eé]s?|categor[yi]a?)\b", re.I)
LABEL_HEADER = re.compile(r"\b(?:labels?|descriptions?|descripci[oó]n|etiquetas?|"
                           r"libell[eé]s?|bezeichnung|beschreibung|meaning|significado|"
                           r"r[oó]tulos?|signification|texto?|answers?|respuestas?|"
                           r"respostas?|antwort(?:en)?)\b", re.I)
# a header cell of a table of fields, not of values
_FIELD_HEADER = re.compile(r"^(?:variables?|var|varname|(?:variable|field|column)\s*names?|"
                           r"names?|fields?|columns?|nombre|nom|nome|campos?|feld(?:name)?|"
                           r"spalten?|variablen(?:name)?)$", re.I)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_MAX_TEXT_ABOVE = 40       # non-blank lines between a field's name and its table
_MIN_ROWS = 2
_MAX_WIDTH = 6
_MAX_ROWS = 400


@dataclass
class CodeTable:
    """The codes, missing-value codes and bounds one table of values gives."""

    categories: list[Category] = dc_field(default_factory=list)
    missing: list[Category] = dc_field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None


def read_code_table(rows: list[list[str]], *, named: bool = False) -> CodeTable | None:
    """The codes of a table of one variable's values, or None when it is no such table.

    A header cell such as `Name` or `Variable` says a table lists fields, unless the table is
    `named` as a code table by its caption (`Name | Code | Generic name` of bill versions)."""
    rows = [[c.strip() for c in r] for r in rows if any(c.strip() for c in r)]
    width = max((len(r) for r in rows), default=0)
    if not 2 <= width <= _MAX_WIDTH or not _MIN_ROWS <= len(rows) <= _MAX_ROWS:
        return None
    rows = [r + [""] * (width - len(r)) for r in rows]
    header = rows[0] if _is_header(rows) else None
    body = rows[1:] if header else rows
    if len(body) < _MIN_ROWS or not named and any(_FIELD_HEADER.match(c) for c in rows[0]):
        return None
    if is_statistics_table(header, body):
        return None
    if header:
        counted = frequency_categories(header, body)
        if counted is not None:
            return CodeTable(*counted)
        keep = [k for k in range(width) if not is_count_column(header[k], [r[k] for r in body])]
        if len(keep) < width:  # counts set aside, and the total row they sum to
            rows = [[r[k] for k in keep] for r in [header, *without_totals(body)]]
            header, body, width = rows[0], rows[1:], len(keep)
        if width < 2 or len(body) < _MIN_ROWS:
            return None
    columns = _columns(header, body, width)
    if columns is None:
        return None
    code_col, label_col = columns
    table = CodeTable()
    codes: list[Category] = []
    for r in body:
        code, label = r[code_col], r[label_col]
        if not code:
            continue
        m = _RANGE.match(code)
        if m and not _NUMBER.match(code):
            low, high = _number(m.group("low")), _number(m.group("high"))
            if low is not None and high is not None and low <= high:
                table.minimum = low if table.minimum is None else min(table.minimum, low)
                table.maximum = high if table.maximum is None else max(table.maximum, high)
                continue
        codes.append(Category(code, label or None))
    table.categories, table.missing = split_missing(codes)
    if not table.categories and not table.missing and table.minimum is None:
        return None
    return table


def _is_header(rows: list[list[str]]) -> bool:
    """The first row names the columns: header words, or no digit where the rows have codes."""
    first = " ".join(rows[0])
    if CODE_HEADER.search(first) and LABEL_HEADER.search(first):
        return True
    if re.search(r"\d", first):
        return False
    numbers = lambda k: sum(1 for r in rows[1:] if _NUMBER.match(r[k]))  # noqa: E731
    if any(COUNT_HEADER.match(h) and numbers(k) >= 0.8 * (len(rows) - 1)
           for k, h in enumerate(rows[0])):
        return True  # `Category | n` over labels and counts
    return len(rows) > _MIN_ROWS and any(
        sum(1 for r in rows[1:] if _is_code(r[k])) >= 0.8 * (len(rows) - 1)
        and not _is_code(rows[0][k]) for k in range(len(rows[0])))


def _columns(header: list[str] | None, body: list[list[str]],
             width: int) -> tuple[int, int] | None:
    """(code column, label column), from the header's words or the cells."""
    if header:
        code = next((k for k, h in enumerate(header) if CODE_HEADER.search(h)
                     and not LABEL_HEADER.search(h)), None)
        label = next((k for k, h in enumerate(header) if LABEL_HEADER.search(h)
                      and k != code), None)
        if code is not None and label is not None and _codes_ok([r[code] for r in body]):
            return code, label
    wordy = [k for k in range(width)
             if sum(1 for r in body if _LETTER.search(r[k])) >= 0.6 * len(body)]
    if not wordy:
        return None
    label = max(wordy, key=lambda k: (_mean_length([r[k] for r in body]), -k))
    candidates = [k for k in range(width) if k != label and _codes_ok([r[k] for r in body])]
    if not candidates:
        return None
    return min(candidates, key=lambda k: (abs(k - label), k)), label


def _mean_length(cells: list[str]) -> float:
    filled = [c for c in cells if c]
    return sum(map(len, filled)) / len(filled) if filled else 0.0


def _codes_ok(cells: list[str]) -> bool:
    """Nearly every cell is a code and nearly all codes differ (counts repeat less often,
    but a count column is no nearer the labels than the codes: see `_columns`)."""
    filled = [c for c in cells if c]
    if len(filled) < max(_MIN_ROWS, 0.8 * len(cells)):
        return False
    if sum(1 for c in filled if _is_code(c)) < 0.9 * len(filled):
        return False
    return len(set(filled)) >= 0.9 * len(filled)


def _is_code(cell: str) -> bool:
    cell = cell.strip()
    return bool(cell) and (_NUMBER.match(cell) is not None or _RANGE.match(cell) is not None
                           or _TOKEN.match(cell) is not None)


def _number(text: str) -> float | None:
    """A cell's number: `7,000` with a thousands separator, `2,5` with a decimal comma."""
    text = text.replace(",", "") if _THOUSANDS.match(text) else text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def tab_code_table(value: str, key: str = "") -> CodeTable | None:
    """A table of values written as tab-separated lines under a key (`Catégories de réponse`
    `<TAB>Code<TAB>Fréquence ...`, as PDF text gives it): the key is the header's first cell;
    a line without a tab continues the label above (a label wrapped in its cell), a header
    repeated on a new page is dropped, and a row short of cells (`Total` and its counts) is
    no value."""
    lines = [x for x in value.split("\n") if x.strip()]
    if sum(1 for x in lines if "\t" in x) < _MIN_ROWS:
        return None
    first = [c.strip() for c in lines[0].split("\t")]
    header = [key, *first] if not re.search(r"\d", lines[0]) else None
    rows: list[list[str]] = [header] if header else []
    for line in lines[1:] if header else lines:
        cells = [c.strip() for c in line.split("\t")]
        if header and cells == first:
            continue
        if len(cells) == 1 and rows and rows[-1] is not header:
            rows[-1][0] = f"{rows[-1][0]} {cells[0]}"
            continue
        rows.append(cells)
    width = len(header) if header else max(len(r) for r in rows)
    rows = [r for r in rows if len(r) == width or width < 3]
    return read_code_table(rows)


# ---- giving the tables to their fields ------------------------------------------------------
def attach_code_tables(fields: list[Field], lines: list[str], tables: list) -> None:
    """Each code table's codes (and bounds) to the field named last above it, when that field
    has no codes of its own (options listed without codes give way to a table's codes)."""
    placed = [(t.line, t) for t in tables if getattr(t, "line", None) is not None]
    if not placed or not fields:
        return
    index = {f.name: k for k, f in enumerate(fields)}
    taken: set[int] = set()
    for line, table in sorted(placed, key=lambda p: p[0]):
        owner = _owner_above(line, lines, index)
        if owner is None or owner in taken:
            continue
        field = fields[owner]
        if field.missing_values or not _uncoded(field.categories):
            continue
        codes = read_code_table(table.rows)
        if codes is None or field.categories and _uncoded(codes.categories):
            continue
        taken.add(owner)
        give(field, codes)


_LEAD_TOKEN = re.compile(r"^[\s#>*_`\-+•\d.)]*([^\s|:`*,;()\[\]]+)")


def _uncoded(categories: list[Category]) -> bool:
    """Options without codes (`Feet`, `Meter` listed above a `Meter | 1` table), or none."""
    return all(str(c.value) == c.label for c in categories)


def _owner_above(line: int, lines: list[str], index: dict[str, int]) -> int | None:
    """The field whose name starts a line nearest above the table, within its section (a
    heading, `name: ...`, a `Variable Name:` value on its own line).  Scanning up from the
    table, not down from the top: a list of contents before the variables names them all."""
    seen = 0
    for i in range(min(line, len(lines)) - 1, -1, -1):
        text = lines[i]
        if not text.strip():
            continue
        m = _LEAD_TOKEN.match(text)
        if m and m.group(1) in index:
            return index[m.group(1)]
        seen += 1
        if seen > _MAX_TEXT_ABOVE or _HEADING.match(text):
            return None
    return None


def give(field: Field, codes: CodeTable) -> None:
    """The table's codes, missing values and bounds on the field (a range row and numeric
    codes beside it, `0 | None` + `1 to 20 | Range`, bound the values together)."""
    field.categories = codes.categories
    field.missing_values = codes.missing
    if codes.categories:
        field.type = infer_type_from_codes(codes.categories)
    if codes.minimum is None:
        return
    numbers = [n for n in (_number(c.value) for c in codes.categories) if n is not None]
    if len(numbers) < len(codes.categories):
        return  # text codes beside a range: no numeric bounds hold for all values
    low, high = min([codes.minimum, *numbers]), max([codes.maximum, *numbers])
    field.constraints["minimum"], field.constraints["maximum"] = low, high
    if field.type in ("any", "string", "integer"):
        field.type = "integer" if all(isinstance(v, int) for v in (low, high)) else "number"
