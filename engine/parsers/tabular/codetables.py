"""Code tables printed apart from the dictionary table: `Value | Meaning` lists of one variable.

Codebooks often list a variable's codes in a table of their own, under a caption that names
the variable (`Table 2: Values of status_code`) or that the variable's description points to
(`Status of the bill (see Table 2)`).  Such a table has no name column, so it defines no
field; its codes become the categories of the one field it is about.  A code table that
names no field, or several, is left alone.
"""

from __future__ import annotations

import re

from ...formats import Document, Table
from ...model import Category, Field
from ..codes import infer_type_from_codes
from . import cells as C
from .layout import Plan

_TABLE_REF = re.compile(r"\b(?:table|tabla|tableau|tabelle|tabela)\s+([A-Z]?\d+(?:\.\d+)?[a-z]?)\b",
                        re.I)
_MAX_CODE_CHARS = 8
_MIN_CODES = 2


def attach_code_tables(doc: Document, plans: list[Plan], fields: list[Field]) -> None:
    """Give each field without codes the codes of the code table that is about it."""
    used = {id(p.table) for p in plans}
    by_name = {f.name: f for f in fields}
    refs = _table_refs(fields)
    for table in doc.tables:
        if id(table) in used:
            continue
        codes = code_table(table.rows)
        if not codes:
            continue
        target = _target(table, by_name, refs)
        if target is not None and not target.categories:
            target.categories = codes
            if target.type == "any":
                target.type = infer_type_from_codes(codes)


def code_table(rows: list[list[str]]) -> list[Category]:
    """The codes of a two-column table of codes and labels (a header row of words above
    them is skipped), else []."""
    rows = [[c for c in r if c] for r in rows if any(r)]
    swapped = _labels_first(rows)
    if swapped:
        rows = [r[::-1] for r in rows]
    if rows and len(rows[0]) == 2 and not _code(rows[0][0]):
        rows = rows[1:]                       # `Value | Meaning`
    if len(rows) < _MIN_CODES or any(len(r) != 2 for r in rows):
        return []
    # labels hold words; labels written first may be bands of numbers (`0-17`, `90+`)
    if not all(_code(r[0]) and (re.search(r"[^\W\d_]", r[1]) or swapped) for r in rows):
        return []
    values = [r[0] for r in rows]
    if len(set(values)) != len(values):
        return []
    return [Category(v, label) for v, label in rows]


def _labels_first(rows: list[list[str]]) -> bool:
    """`0-17 | 1`: labels, then whole-number codes (below a header row, if any); the labels
    are no numbers."""
    body = rows[1:] if rows and len(rows[0]) == 2 and C.number(rows[0][1]) is None else rows
    if len(body) < _MIN_CODES or any(len(r) != 2 for r in body):
        return False
    codes = [C.number(r[1]) for r in body]
    return (all(x is not None and x.is_integer() for x in codes)
            and all(C.number(r[0]) is None for r in body))


def _code(text: str) -> bool:
    """A code as code tables write them: a number, or a short token."""
    text = text.strip()
    return C.number(text) is not None or (len(text) <= _MAX_CODE_CHARS and " " not in text
                                          and text.isalnum() and not text.isalpha()) \
        or (len(text) <= 2 and text.isalpha())


def _table_refs(fields: list[Field]) -> dict[str, list[Field]]:
    """`Table 2` -> the fields whose description points to it."""
    out: dict[str, list[Field]] = {}
    for f in fields:
        for ref in set(_TABLE_REF.findall(f.description or "")):
            out.setdefault(ref.lower(), []).append(f)
    return out


def _target(table: Table, by_name: dict[str, Field], refs: dict[str, list[Field]]
            ) -> Field | None:
    """The one field a code table is about: named in its caption, else pointing to it."""
    caption = " ".join(x for x in (table.context, table.heading) if x)
    named = {n for n in re.findall(r"[A-Za-z_][\w.]*", caption) if n in by_name}
    if len(named) == 1:
        return by_name[named.pop()]
    if named:
        return None
    m = _TABLE_REF.search(table.context)
    pointing = refs.get(m.group(1).lower(), []) if m else []
    return pointing[0] if len(pointing) == 1 else None
