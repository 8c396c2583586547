"""Sheets without a header row where each variable's row is followed by its code rows.

Survey tools export codebooks to a spreadsheet as blocks (Unipark/EFS, SPSS output):

    Welches Geschlecht haben Sie? (q_11531850 - Typ 111)
    v_2   | v_2 | int | Geschlecht
          |     | 1   | Weiblich
          |     | 2   | Männlich

Page headings, question texts and filter lines sit between the blocks.  The layout is known by
its repetition, not by words: variable rows share one pattern of filled cells and start with a
unique identifier; code rows leave the columns before their code empty and hold a code and a
label, all in the same column.  A first cell that starts several rows (`Filter`) is a kind of
row, not a name.  Read only when no dictionary table was found.
"""

from __future__ import annotations

from collections import Counter

from ...formats import Document
from ...model import Category, Field
from ..codes import infer_type_from_codes
from . import cells as C

__all__ = ["block_fields"]

_MIN_FIELDS = 5
_MIN_CODED = 2
_MAX_CODE_CHARS = 12


def block_fields(doc: Document) -> list[Field] | None:
    """Fields of the document's block sheets, or None when it has none."""
    if doc.kind not in ("xlsx", "xls", "ods", "csv"):
        return None
    out: list[Field] = []
    for table in doc.tables:
        out.extend(_read(table.rows) or [])
    return out or None


def _read(rows: list[list[str]]) -> list[Field] | None:
    """The fields of one sheet laid out in blocks, else None."""
    rows = [[c.strip() for c in r] for r in rows]
    code_col = _code_column(rows)
    if code_col is None:
        return None
    shape = _field_shape(rows, code_col)
    if shape is None:
        return None
    fields: list[Field] = []
    current: Field | None = None
    for r in rows:
        if _filled(r) == shape and r[0] in _unique_starts(rows):
            current = _field(r, code_col)
            fields.append(current)
        elif current is not None and _code_row(r) == code_col:
            current.categories.append(Category(r[code_col], r[code_col + 1]))
        elif any(r):
            current = None
    coded = [f for f in fields if f.categories]
    if len(fields) < _MIN_FIELDS or len(coded) < _MIN_CODED:
        return None
    for f in coded:
        valid, missing = C.split_na(f.categories)
        f.categories, f.missing_values = valid, missing
        if f.type == "any":
            f.type = infer_type_from_codes(f.categories)
    return fields


def _code_row(r: list[str]) -> int | None:
    """The column of a code row's code: empty cells, a short code, a label of words, and
    nothing after them."""
    filled = [k for k, c in enumerate(r) if c]
    if len(filled) != 2 or filled[0] == 0 or filled[1] != filled[0] + 1:
        return None
    code, label = r[filled[0]], r[filled[1]]
    if len(code) > _MAX_CODE_CHARS or " " in code or not any(ch.isalpha() for ch in label):
        return None
    return filled[0]


def _code_column(rows: list[list[str]]) -> int | None:
    """The one column nearly all code rows put their code in."""
    cols = Counter(k for k in map(_code_row, rows) if k is not None)
    if not cols:
        return None
    col, n = cols.most_common(1)[0]
    return col if n >= 2 * _MIN_CODED and n >= 0.9 * sum(cols.values()) else None


def _filled(r: list[str]) -> tuple[int, ...]:
    return tuple(k for k, c in enumerate(r) if c)


def _unique_starts(rows: list[list[str]]) -> set[str]:
    counts = Counter(r[0] for r in rows if r and r[0])
    return {k for k, n in counts.items() if n == 1 and C.is_identifier(k)}


def _field_shape(rows: list[list[str]], code_col: int) -> tuple[int, ...] | None:
    """The pattern of filled cells of the rows that start with a unique identifier and reach
    the code column; the most common one when it is common enough."""
    starts = _unique_starts(rows)
    shapes = Counter(_filled(r) for r in rows
                     if r and r[0] in starts and len(_filled(r)) >= 2
                     and max(_filled(r)) >= code_col)
    if not shapes:
        return None
    shape, n = shapes.most_common(1)[0]
    return shape if n >= _MIN_FIELDS else None


def _field(r: list[str], code_col: int) -> Field:
    """A variable row: its name, its label (in the codes' label column, else its longest
    text), its storage type (in the codes' column) when it is a type word."""
    label_col = code_col + 1
    texts = [c for k, c in enumerate(r) if k and c and c != r[0]]
    label = r[label_col] if label_col < len(r) and r[label_col] else \
        max(texts, key=len, default="")
    f = Field(name=r[0], description=label or None)
    type_text = r[code_col] if code_col < len(r) else ""
    ftype = C.type_word(type_text.split(" (")[0]) if type_text else None
    if ftype:
        f.type = ftype
        f.extras["sourceType"] = type_text
    return f
