"""Files whose first column says what kind of row each row is (no header row).

Census-style layouts write one row per variable and, under it, one row per code or range of
its values, the kinds told apart by a token in the first column:

    NAME,AGEP,N,2,"Age"
    VAL,AGEP,N,2,0,0,"Under 1 year"
    VAL,AGEP,N,2,1,99,"1 to 99 years (Top-coded)"

The layout is recognised from its repetition, not from the tokens: a first column with a few
short tokens that fill it; the *field* kind is the one whose rows carry a new name each time,
and the rows of the other kinds repeat (or leave blank) that name.  A field row gives the name,
description and type; a value row gives a code and its label, or a from/to range.  A field
with a range gets minimum/maximum over all its bounds (its non-numeric codes, such as blanks
written `bbb`, are missing values); a field with codes only gets them as categories.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from ...formats import Document
from ...model import Category, Field
from ..codes import find_unit, infer_type_from_codes
from . import cells as C

_MIN_ROWS = 10
_MAX_KINDS = 6
_KIND_TOKEN = re.compile(r"^[A-Za-z][\w.-]{0,11}$")
# one-letter storage codes of fixed-width layouts (census, SAS, SPSS)
_TYPE_LETTERS = {"N": "number", "C": "string", "A": "string", "D": "date"}


def rowkind_fields(doc: Document) -> list[Field] | None:
    """Fields of the document's row-kind tables, or None when it has none."""
    out: list[Field] = []
    found = False
    for table in doc.tables:
        layout = _detect([r for r in table.rows if any(r)])
        if layout is not None:
            found = True
            out.extend(_fields(*layout))
    return out if found else None


def _detect(rows: list[list[str]]):
    """(rows, field kind, name column) when the rows follow a row-kind layout, else None."""
    if len(rows) < _MIN_ROWS:
        return None
    kinds = Counter(r[0].strip() for r in rows)
    common = {k for k, n in kinds.items() if n >= 2 and _KIND_TOKEN.match(k)}
    covered = sum(kinds[k] for k in common)
    if not 2 <= len(common) <= _MAX_KINDS or covered < 0.95 * len(rows):
        return None
    for kind in sorted(common, key=lambda k: kinds[k]):
        name_col = _name_column([r for r in rows if r[0].strip() == kind])
        if name_col is not None and _others_repeat(rows, kind, name_col):
            return rows, kind, name_col
    return None


def _name_column(starts: list[list[str]]) -> int | None:
    """The column after the kind token whose cells are unique identifiers."""
    width = min(len(r) for r in starts)
    for j in range(1, min(width, 4)):
        names = [r[j] for r in starts]
        if (sum(C.is_identifier(n) for n in names) >= 0.9 * len(names)
                and len(set(names)) >= 0.8 * len(names)):
            return j
    return None


def _others_repeat(rows: list[list[str]], kind: str, j: int) -> bool:
    """Rows of the other kinds carry the name of the field row above them (or none)."""
    last, hits, total = None, 0, 0
    for r in rows:
        cell = r[j] if j < len(r) else ""
        if r[0].strip() == kind:
            last = cell
            continue
        total += 1
        hits += cell in ("", last)
    return total > 0 and hits >= 0.9 * total


def _fields(rows: list[list[str]], kind: str, j: int) -> Iterator[Field]:
    start: list[str] | None = None
    values: list[list[str]] = []
    for r in rows:
        if r[0].strip() == kind:
            if start is not None:
                yield _field(start, values, j)
            start, values = r, []
        elif start is not None:
            values.append(r)
    if start is not None:
        yield _field(start, values, j)


def _field(start: list[str], values: list[list[str]], j: int) -> Field:
    """One field from its row and its value rows."""
    filled = [k for k in range(j + 1, len(start)) if start[k].strip()]
    desc_col = max(filled, key=lambda k: (len(start[k]), k), default=None)
    f = Field(name=start[j].strip(), description=start[desc_col].strip() if desc_col else None)
    type_text = next((start[k] for k in filled if k != desc_col and _type_of(start[k])), "")
    shared = {k for k in filled if k != desc_col}
    bounds = [_bounds(r, j, shared) for r in values]
    bounds = [b for b in bounds if b is not None]
    _values(f, bounds)
    ftype = _type_of(type_text)
    f.type = ftype or (infer_type_from_codes(f.categories) if f.categories else "any")
    if type_text:
        f.extras["sourceType"] = type_text.strip()
    return f


def _type_of(text: str) -> str | None:
    text = text.strip()
    return _TYPE_LETTERS.get(text) or (C.type_word(text) if len(text) > 1 else None)


def _bounds(row: list[str], j: int, shared: set[int]) -> tuple[str, str, str] | None:
    """(from, to, label) of a value row: its cells past the name, the type and the width it
    repeats from its field row; the last is the label."""
    own = [k for k in range(j + 1, len(row)) if row[k].strip() and k not in shared]
    if not own:
        return None
    label_col = own[-1]
    codes = [row[k].strip() for k in own[:-1]]
    if not codes:
        return None
    lo, hi = codes[0], codes[-1]
    return lo, hi, row[label_col].strip()


def _values(f: Field, bounds: list[tuple[str, str, str]]) -> None:
    """Categories, or a range with its non-numeric codes as missing values."""
    ranges = [(C.number(lo), C.number(hi)) for lo, hi, _ in bounds if lo != hi]
    numeric_ranges = [r for r in ranges if r[0] is not None and r[1] is not None]
    singles = [Category(lo, label or None) for lo, hi, label in bounds if lo == hi]
    if numeric_ranges:
        nums = [x for lo, hi, _ in bounds for x in (C.number(lo), C.number(hi)) if x is not None]
        lo, hi = min(nums), max(nums)
        f.constraints["minimum"] = int(lo) if lo.is_integer() else lo
        f.constraints["maximum"] = int(hi) if hi.is_integer() else hi
        f.missing_values = [c for c in singles if C.number(c.value) is None]
        labels = " ".join(label for lo, hi, label in bounds if lo != hi)
        f.unit = find_unit(labels)
        return
    if ranges or len(singles) < 2:
        return
    valid, missing = C.split_na(singles)
    f.categories, f.missing_values = valid, missing
