"""What the table reader recognised in a document besides fields, for coverage.

A dictionary table's header and title rows and the caption or heading just above it; whole
tables read as no dictionary (lists of files or data sets, legends: `notfields.py`); code
tables given to a variable; tables of statistics (numbers in most cells).  A table of words
the reader made nothing of is not recognised: it may be variables the rules missed, and
coverage must say so.
"""

from __future__ import annotations

from typing import Callable

from ...formats import Document, Table
from . import cells as C
from .codetables import code_table
from .layout import Plan

_STATS_SHARE = 0.5          # share of a table's cells (below its first row) that are numbers

Note = Callable[[str, str], None]


def recognise_regions(note: Note, doc: Document, plans: list[Plan], found: list[Plan]) -> None:
    """Call `note(what, text)` for each part of the document read as no field."""
    kept = {id(p) for p in found}
    used = {id(p.table) for p in found}
    for p in plans:
        if id(p) not in kept:
            note("table of no fields", _rows_text(p.table.rows))
            continue
        if p.header:
            note("table header", " ".join(p.header))
        if p.title:
            note("table title", p.title)
        if not p.continued:
            note("table caption", " ".join(x for x in (p.table.context, p.table.heading) if x))
    planned = {id(p.table) for p in plans}
    for table in doc.tables:
        if id(table) in planned or id(table) in used:
            continue
        if code_table(table.rows) or _statistics(table):
            note("code or statistics table", _rows_text(table.rows))


def _rows_text(rows: list[list[str]]) -> str:
    return "\n".join(" ".join(c for c in r if c) for r in rows)


def _statistics(table: Table) -> bool:
    """Numbers in most cells below the first row (counts, shares, means), beside labels
    (`Male`, `18-24`), not identifiers (`AGE | 1 | 2` lays out a file's variables)."""
    body = [r for r in table.rows[1:] if any(r)]
    cells = [c for r in body for c in r if c.strip()]
    numbers = sum(C.number(c.strip().rstrip("%")) is not None for c in cells)
    firsts = [r[0] for r in body if r and r[0].strip()]
    idents = sum(C.code_like(c) for c in firsts)
    return (bool(cells) and numbers >= _STATS_SHARE * len(cells)
            and idents < _STATS_SHARE * max(len(firsts), 1))
