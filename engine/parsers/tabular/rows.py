"""Turning the rows under a dictionary header into fields.

One row starts a field; the rows after it with a blank name cell (or the same name, when a
merged name cell was filled down) continue it: more codes (VALUE/LABEL pairs), more lines of
description.  A row whose cells all hold the same text is a section heading spanning the
table.  The header repeated (a table continued on the next PDF page) is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Iterator

from ...documents import Table
from ...model import Category, Field
from ..codes import (find_range, find_unit, infer_type_from_codes, parse_inline_codes,
                     split_missing)
from . import cells as C
from .columns import Header, normalize

_IDENTIFIER = re.compile(r"^`?[A-Za-z_][\w.$]*`?$")
_PERCENT = {"%", "percent", "percentage", "pct"}
_NO_UNIT = {"", "n/a", "na", "none", "-", "–", "no unit", "unitless", "dimensionless"}
_EXTRA_ROLES = {"notes": "notes", "source": "source", "alias": "alias", "example": "example",
                "branching": "branchingLogic", "section": "section"}


@dataclass
class _Draft:
    """A field being assembled from its row and the continuation rows below it."""

    name: str
    joiner: str
    prose: list[str] = dc_field(default_factory=list)
    codes: list[Category] = dc_field(default_factory=list)
    cells: dict[str, str] = dc_field(default_factory=dict)   # first non-empty cell per role
    title: str | None = None
    seen: set[tuple[str, str]] = dc_field(default_factory=set)  # (role, cell) taken in

    def add(self, row: dict[str, str]) -> None:
        """Take in one row (the first or a continuation) of this field."""
        self._add_title(row.get("title", ""))
        self._add_description(row.get("description", ""))
        code = row.get("code", "")
        if code:
            self.codes.append(Category(code, row.get("code_label") or None))
        values = row.get("values", "")
        found = C.values_codes(values) if values else []
        self.codes.extend(found)
        for role, text in row.items():
            if text and role not in self.cells and not (role == "values" and found):
                self.cells[role] = text

    def _add_title(self, text: str) -> None:
        if not text or ("title", text) in self.seen:
            return
        self.seen.add(("title", text))
        first, _, rest = text.partition("\n")
        if self.title is None:
            self.title = first.strip()
        if rest.strip():  # a label cell holding the code list after a line break
            prose, codes = C.split_codes(rest)
            self.codes.extend(codes)
            self.prose.extend(prose)

    def _add_description(self, text: str) -> None:
        if not text or ("description", text) in self.seen:
            return
        self.seen.add(("description", text))
        prose, codes = C.split_codes(text)
        self.prose.extend(prose)
        self.codes.extend(codes)

    def finish(self, table_has_unit: bool) -> Field:
        """The finished Field."""
        description = self.joiner.join(self.prose).strip() or None
        codes = self.codes or (parse_inline_codes(description) if description else [])
        missing_col = C.missing_codes(self.cells.get("missing", ""))
        valid, missing = split_missing(_dedupe(codes))
        f = Field(name=self.name, title=self.title or None, description=description,
                  categories=valid, missing_values=_dedupe(missing + missing_col))
        f.type, f.unit = _type_and_unit(self, f, table_has_unit)
        _constraints(self, f)
        _extras(self, f)
        return f


def read_fields(table: Table, header: Header, *, joiner: str = "\n",
                section: str | None = None) -> Iterator[Field]:
    """Fields of one dictionary table, in row order."""
    header_row = table.rows[header.row] if header.row >= 0 else None
    body = table.rows[header.row + 1:]
    table_has_unit = "unit" in header.roles
    identifiers = _identifier_names(body, header.roles["name"])
    draft: _Draft | None = None
    current_section = section
    for row in body:
        if not any(row) or (header_row and _repeats_header(row, header_row, header)):
            continue
        spanning = _spanning_text(row) or (_lone_heading(row, header) if identifiers else None)
        if spanning is not None:
            if draft:
                yield _finish(draft, table_has_unit, current_section)
                draft = None
            current_section = spanning
            continue
        cells = {role: row[j] for role, j in header.roles.items() if j < len(row) and row[j]}
        name, rest = C.clean_name(cells.pop("name", ""))
        if rest:
            cells["description"] = "\n".join(x for x in (rest, cells.get("description")) if x)
        if name and C.is_sentence(name):
            continue
        if draft is not None and (not name or name == draft.name):
            draft.add(cells)
            continue
        if not name:
            continue
        if draft:
            yield _finish(draft, table_has_unit, current_section)
        draft = _Draft(name=name, joiner=joiner)
        draft.add(cells)
    if draft:
        yield _finish(draft, table_has_unit, current_section)


def _finish(draft: _Draft, table_has_unit: bool, section: str | None) -> Field:
    f = draft.finish(table_has_unit)
    if section and "section" not in f.extras:
        f.extras["section"] = section
    return f


def _repeats_header(row: list[str], header_row: list[str], header: Header) -> bool:
    """The header row again (a table continued on the next page)."""
    j = header.roles["name"]
    if j >= len(row) or row[j].lower() != header_row[j].lower():
        return False
    return [normalize(c) for c in row] == [normalize(c) for c in header_row]


def _identifier_names(rows: list[list[str]], j: int) -> bool:
    """Whether the names of a table are identifiers (`age`, `VH_2021`), not phrases."""
    names = [r[j] for r in rows if j < len(r) and r[j]]
    return bool(names) and sum(bool(_IDENTIFIER.match(n)) for n in names) >= 0.8 * len(names)


def _lone_heading(row: list[str], header: Header) -> str | None:
    """A phrase alone in the name column of an identifier table: a section heading."""
    j = header.roles["name"]
    text = row[j] if j < len(row) else ""
    if (" " in text.strip() and len(text) <= 60 and not C.is_sentence(text)
            and not any(c for k, c in enumerate(row) if k != j)):
        return text.strip().rstrip(":")
    return None


def _spanning_text(row: list[str]) -> str | None:
    """The text of a row whose filled cells (two or more) all hold it: a merged heading."""
    filled = [c for c in row if c]
    if len(filled) >= 2 and len(set(filled)) == 1 and len(filled) == len(row):
        return filled[0]
    return None


def _dedupe(codes: list[Category]) -> list[Category]:
    """One category per value; a later label fills an empty one."""
    out: dict[str, Category] = {}
    for c in codes:
        if c.value not in out:
            out[c.value] = Category(c.value, c.label)
        elif not out[c.value].label and c.label:
            out[c.value].label = c.label
    return list(out.values())


def _type_and_unit(d: _Draft, f: Field, table_has_unit: bool) -> tuple[str, str | None]:
    """The field's type (type column, else values, else a type word in the unit column, else
    its codes) and unit (unit column, `%` as a type, or stated in the description)."""
    type_text = d.cells.get("type", "")
    unit_text = d.cells.get("unit", "").strip()
    if type_text:
        f.extras["sourceType"] = type_text
    unit = None if _not_a_unit(unit_text) else unit_text
    if unit is None and {unit_text.lower(), type_text.strip().lower()} & _PERCENT:
        unit = "%"
    # the type column, else a type word in the values or the unit column
    ftype = (C.type_word(type_text) or C.type_word(d.cells.get("values", ""))
             or C.type_word(unit_text))
    if ftype == "year" and not _mentions_year(f):
        ftype, unit = "number", unit or "years"   # `median age` measured in years
    if ftype is None:
        ftype = infer_type_from_codes(f.categories) if f.categories else "any"
    if unit is None and not table_has_unit:
        unit = find_unit(" ".join(x for x in (f.title, f.description) if x))
    return ftype, unit


def _not_a_unit(text: str) -> bool:
    """Blank, `n/a`, a type word (`text`, `integer`) or a kind of name (`country name`)."""
    low = text.lower()
    return low in _NO_UNIT or bool(C.type_word(text)) or re.search(r"\bnames?$", low) is not None


def _mentions_year(f: Field) -> bool:
    text = " ".join(x for x in (f.name, f.title, f.description) if x)
    return re.search(r"year|\byr\b|yyyy", text, re.I) is not None


def _constraints(d: _Draft, f: Field) -> None:
    """Range from min/max or range columns (else the description), required flag."""
    lo = C.number(d.cells.get("min", ""))
    hi = C.number(d.cells.get("max", ""))
    if lo is None and hi is None:
        found = None
        if d.cells.get("range"):
            found = find_range(d.cells["range"]) or _bare_range(d.cells["range"])
        elif not f.categories and f.type in ("number", "integer", "any") and f.description:
            found = find_range(f.description)
        if found:
            lo, hi = found
    if lo is not None:
        f.constraints["minimum"] = _whole(lo)
    if hi is not None:
        f.constraints["maximum"] = _whole(hi)
    values = d.cells.get("values", "").lower()
    if lo is None and re.search(r"\b(?:positive|non-?negative)\b", values):
        f.constraints["minimum"] = 0
    if C.flag(d.cells.get("required", "")):
        f.constraints["required"] = True


def _whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _bare_range(text: str) -> tuple[float, float] | None:
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(?:-|–|to|\.\.)\s*(-?\d+(?:\.\d+)?)\s*", text)
    return (float(m.group(1)), float(m.group(2))) if m else None


def _extras(d: _Draft, f: Field) -> None:
    for role, key in _EXTRA_ROLES.items():
        if d.cells.get(role):
            f.extras[key] = d.cells[role]
    pos = C.position(d.cells.get("position", ""))
    if pos:
        f.extras["position"] = pos
