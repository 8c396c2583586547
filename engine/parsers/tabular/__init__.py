"""Tabular dictionaries: one row per variable, in any document that holds tables.

The tables come from `engine.documents` (CSV, spreadsheets, HTML, DOCX, Markdown, PDF).  In
each, a header row is looked for among the first rows (title rows may sit above it) and its
columns are mapped by meaning (`columns.py`).  Every table whose header has a name column and
at least one defining column (description, type, codes, ...) is read (`rows.py`); the others
(a README sheet, a glossary, a cohort map) are left alone.  No such table: `NotThisFormat`,
so the free-text parser gets its turn.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...documents import Document, Table
from ...documents.plain import looks_delimited, looks_like_pipe_table
from ...model import Field
from .. import NotThisFormat, ParseContext, ParserSpec
from .columns import Header, find_header, guess_header
from .rows import read_fields

__all__ = ["PARSERS", "dictionary_tables", "parse_tabular"]

# documents whose tables often come without a header row (prose documents, PDF pages)
_HEADERLESS_KINDS = ("pdf", "docx", "html", "markdown")


def sniff_tabular(ctx: ParseContext) -> bool:
    """Cheap look: text files must show a pipe table or delimited lines; HTML a <table>."""
    if ctx.ext in (".txt", ".md", ".markdown"):
        return looks_like_pipe_table(ctx.head) or looks_delimited(ctx.head)
    if ctx.ext in (".html", ".htm"):
        return re.search(rb"<table", ctx.data, re.I) is not None
    return True


def parse_tabular(ctx: ParseContext) -> Iterator[Field]:
    """Fields of every dictionary table in the document, table by table."""
    doc = ctx.document
    found = dictionary_tables(doc)
    if not found:
        raise NotThisFormat("no table with a variable-name column")
    _note_unused(ctx, doc, found)
    heads = [t for t, h in found if h.row >= 0 or h.score > 0]
    joiner = " " if doc.kind == "pdf" else "\n"
    section = None
    for table, header in found:
        if len(heads) > 1 and (header.row >= 0 or header.score > 0):
            section = _section_title(doc, table)
        yield from read_fields(table, header, joiner=joiner, section=section)


def dictionary_tables(doc: Document) -> list[tuple[Table, Header]]:
    """(table, header) of each table that reads as a dictionary, in document order.

    A PDF table without a header that is as wide as the dictionary table before it continues
    that table on the next page (its header has `row=-1` and score 0).
    """
    out: list[tuple[Table, Header]] = []
    prev: tuple[Table, Header] | None = None
    for table in doc.tables:
        header = find_header(table.rows)
        if header is None and prev is not None and doc.kind == "pdf" and _continues(prev, table):
            header = Header(row=-1, roles=prev[1].roles, score=0.0)
        if header is None and doc.kind in _HEADERLESS_KINDS:
            header = guess_header(table.rows)
            if header is not None:
                header.score = 1.0
        if header is not None:
            out.append((table, header))
        prev = (table, header) if header is not None else None
    return out


def _continues(prev: tuple[Table, Header], table: Table) -> bool:
    ptable = prev[0]
    return (bool(table.rows) and bool(ptable.rows) and len(table.rows[0]) == len(ptable.rows[0])
            and table.page is not None and ptable.page is not None
            and table.page == ptable.page + 1)


def _section_title(doc: Document, table: Table) -> str:
    """What a table is about: its sheet name, or the heading or paragraph above it."""
    if doc.kind in ("xlsx", "xls") or not table.context:
        return table.name
    return table.context.replace("`", "").replace("*", "").strip().rstrip(":").strip()


def _note_unused(ctx: ParseContext, doc: Document, found: list[tuple[Table, Header]]) -> None:
    """Tell the user which sheets were read when a workbook has others."""
    if doc.kind not in ("xlsx", "xls") or len(doc.tables) <= 1:
        return
    used = [t.name for t, _ in found]
    unused = [t.name for t in doc.tables if t.name not in used]
    if unused:
        ctx.warn(f"Field definitions were read from sheet {', '.join(repr(u) for u in used)}; "
                 f"the other sheets ({', '.join(unused)}) hold no variable table. Pick a "
                 "sheet to read only that one.")


PARSERS = [
    ParserSpec(format="table",
               extensions=(".csv", ".tsv", ".tab", ".xlsx", ".xlsm", ".xls", ".html", ".htm",
                           ".docx", ".pdf", ".md", ".markdown", ".txt"),
               parse=parse_tabular, sniff=sniff_tabular, priority=40, competes=True),
]
