"""Code lists kept as named blocks on other sheets, named in a column of the variable table.

Statistical offices' record designs (INE's `Diseño de registro`) list each variable with the
name of its code list (`SEXOa | TSEXO | …`) and print the lists on other sheets, one block
after another, each headed by that name and separated by a blank row:

    TSEXO    |             | SEXOa
    Código   | Descripción |
    1        | Hombre      |
    2        | Mujer       |

A list shared by many variables is printed once.  A sheet may instead give one code a row,
the list's name first (`YESNO | 1 | Yes`).  The referring column is recognised from its cells
(most of them are list names, and several different ones), not from its header.
"""

from __future__ import annotations

import re

from ...formats import Document
from ...model import Category, Field
from ..codes import infer_type_from_codes
from . import cells as C
from .codetables import code_table
from .layout import Plan

__all__ = ["attach_named_lists"]

# a list's name: one token of letters, digits and `_.-`, not a number
_LIST_NAME = re.compile(r"[A-Za-z_][\w.-]{0,39}")
_MIN_REFERENCES = 2


def attach_named_lists(doc: Document, plans: list[Plan], fields: list[Field]) -> list[str]:
    """Give fields the codes of the named lists their row refers to; the names of the sheets
    whose lists were used."""
    if doc.kind not in ("xlsx", "xls", "ods"):
        return []
    used = {id(p.table) for p in plans}
    lists: dict[str, tuple[list[Category], str]] = {}
    for table in doc.tables:
        if id(table) not in used:
            for key, codes in [*_blocks(table.rows), *_keyed_rows(table.rows)]:
                lists.setdefault(key, (codes, table.name))
    if not lists:
        return []
    by_name: dict[str, Field] = {}
    for f in fields:
        by_name.setdefault(f.name, f)
    sheets: list[str] = []
    for plan in plans:
        name_col = plan.roles.get("name")
        col = _reference_column(plan.body, name_col, lists)
        if name_col is None or col is None:
            continue
        for row in plan.body:
            field = by_name.get(_cell(row, name_col).strip())
            hit = lists.get(_cell(row, col).strip())
            if field is None or hit is None:
                continue
            _give(field, hit[0])
            key = _cell(row, col).strip()
            if (field.description or "").strip() == key:
                field.description = None        # the list's name, read as a description
            if hit[1] not in sheets:
                sheets.append(hit[1])
    return sheets


def _blocks(rows: list[list[str]]):
    """(name, codes) of each block of rows between blank rows in which a row whose first cell
    is a list name is followed by a code table (a note row may come before it)."""
    group: list[list[str]] = []
    for row in rows + [[]]:
        if any(c.strip() for c in row):
            group.append(row)
            continue
        for k, head in enumerate(group[:-1]):
            key = head[0].strip() if head else ""
            if _LIST_NAME.fullmatch(key) and C.number(key) is None:
                codes = code_table(group[k + 1:])
                if codes:
                    yield key, codes
                break
        group = []


def _keyed_rows(rows: list[list[str]]):
    """(name, codes) of a sheet of code lists one code a row, the list's name in the first
    column (written on each row, or on its first row only): `YESNO | 1 | Yes`."""
    key = ""
    runs: dict[str, list[list[str]]] = {}
    for row in rows:
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        key = cells[0] or key
        if key and _LIST_NAME.fullmatch(key) and C.number(key) is None:
            runs.setdefault(key, []).append([c for c in cells[1:] if c])
    for key, body in runs.items():
        codes = code_table(body)
        if codes:
            yield key, codes


def _reference_column(body: list[list[str]], name_col: int | None,
                      lists: dict[str, tuple]) -> int | None:
    """The column whose filled cells are mostly list names (several different ones)."""
    width = max((len(r) for r in body), default=0)
    best, best_hits = None, 0
    for col in range(width):
        if col == name_col:
            continue
        filled = [_cell(r, col).strip() for r in body if _cell(r, col).strip()]
        hits = [v for v in filled if v in lists]
        if (len(set(hits)) >= _MIN_REFERENCES and 2 * len(hits) >= len(filled)
                and len(hits) > best_hits):
            best, best_hits = col, len(hits)
    return best


def _cell(row: list[str], col: int | None) -> str:
    return row[col] if col is not None and col < len(row) and row[col] else ""


def _give(field: Field, codes: list[Category]) -> None:
    """The list's codes become the field's, after any codes of its own the list lacks."""
    known = {c.value.strip() for c in codes}
    own = [c for c in field.categories if c.value.strip() not in known]
    field.categories = [Category(c.value, c.label) for c in codes] + own
    if field.type in ("any", "string"):
        field.type = infer_type_from_codes(field.categories)
