"""Tabular dictionaries: one row per variable, in any document that holds tables.

The tables come from `engine.formats` (CSV, spreadsheets, HTML, DOCX, Markdown, reST, PDF).
Each is cut into dictionary tables (`layout.py`): a header row found by its words (in
English, Spanish, Portuguese, French or German; title rows may sit above it, and a sheet may
hold several tables each with its own header), the column roles checked and completed from
the cells (`profile.py`: the names are the column of distinct identifiers, whatever the
header calls it), or read from the cells alone when no header can be read.  Files
laid out as kinds of rows (a `NAME` row per variable, then its `VAL` rows) are read by
`rowkinds.py`.  Header words printed inside the cells of every field's row (`Variablenname\nv_277`)
are moved up into a header row, and the pieces of such a table joined (`stacked.py`).  Tables
that list files or data sets, and legends, are left out
(`notfields.py`); code tables printed apart give their codes to the variable their caption
names (`codetables.py`), and lists printed as named blocks on other sheets to the variables
whose row names them (`namedlists.py`).  A sheet with no header row laid out in blocks (a
variable row, then its code rows) is read by `blockrows.py` when no table is found.  No cell text is dropped: what a values cell says besides codes is the
description or a note (`remarks.py`).  What was read as no field (header and title rows,
legends, statistics tables) is reported to coverage (`regions.py`).  No dictionary table:
`NotThisFormat`, so the free-text parser gets its turn.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...formats import Document
from ...formats import looks_delimited, looks_like_pipe_table
from ...model import Field
from .. import NotThisFormat, ParseContext, ParserSpec
from ..codes import document_missing
from .blockrows import block_fields
from .codetables import attach_code_tables
from .layout import Plan, plan_tables
from .namedlists import attach_named_lists
from .notfields import drop_non_fields
from .regions import recognise_regions
from .rows import read_fields, spaced_names
from .rowkinds import rowkind_fields

__all__ = ["PARSERS", "dictionary_tables", "parse_tabular"]

# a grid table's border over a row of cells (`+---+---+` / `| a | b |`; Pandoc's `+:===+`)
_GRID_TABLE = re.compile(r"^\s*\+(?::?[-=]+:?\+)+\s*\n\s*\|", re.M)
_RST_TABLE = re.compile(r"^\s*\.\. (?:list-table|csv-table|table)::|^\s*\+[-=]{3,}\+|"
                        r"^\s*={3,}(?:\s+={3,})+\s*$", re.M)


def sniff_tabular(ctx: ParseContext) -> bool:
    """Cheap look: text files must show a pipe table or delimited lines; HTML a <table>."""
    if ctx.ext in (".txt", ".md", ".markdown"):
        return (looks_like_pipe_table(ctx.head) or looks_delimited(ctx.head)
                or (ctx.ext != ".txt" and _GRID_TABLE.search(ctx.head) is not None))
    if ctx.ext in (".html", ".htm"):
        return re.search(rb"<table", ctx.data, re.I) is not None
    if ctx.ext == ".rst":
        return _RST_TABLE.search(ctx.head) is not None
    return True


def parse_tabular(ctx: ParseContext) -> Iterator[Field]:
    """Fields of every dictionary table in the document, table by table."""
    doc = ctx.document
    kinds = rowkind_fields(doc)
    if kinds is not None:
        yield from kinds
        return
    plans = plan_tables(doc)
    found = drop_non_fields(plans, doc)
    if not found:
        blocks = block_fields(doc)
        if blocks is None:
            raise NotThisFormat("no table with a variable-name column")
        yield from blocks
        return
    recognise_regions(ctx.recognise, doc, plans, found)
    joiner = " " if doc.kind == "pdf" else "\n"
    several = sum(not p.continued for p in found) > 1
    spaced = (spaced_names([(p.body, p.roles["name"]) for p in found]) if doc.kind == "pdf"
              else {})
    section = None
    fields: list[Field] = []
    shared: set[int] = set()
    for plan in found:
        if several and not plan.continued:
            section = _section_title(doc, plan)
        fields.extend(read_fields(plan.body, plan.roles, header=plan.header, joiner=joiner,
                                  section=section, spaced=spaced, shared=shared))
    _own_rows_describe(fields, shared)
    coded = attach_code_tables(doc, found, fields)
    coded += attach_named_lists(doc, found, fields)
    _note_unused(ctx, doc, found, coded)
    # codes the document says mean missing data for every field, outside the fields' texts
    stated = document_missing(doc.text, fields)
    if stated:
        ctx.declare_missing(stated)
    yield from fields


def _own_rows_describe(fields: list[Field], shared: set[int]) -> None:
    """A name defined on a row of its own and again on a row listing several names: the
    own row's text describes it (the other row's text is about the group), so the other
    definition keeps only what the texts do not say (codes, type, range)."""
    own = {f.name for f in fields if id(f) not in shared and (f.title or f.description)}
    for f in fields:
        if id(f) in shared and f.name in own:
            f.title = f.description = None


def dictionary_tables(doc: Document) -> list[Plan]:
    """The dictionary tables of the document, in order (see `layout.py`)."""
    return drop_non_fields(plan_tables(doc), doc)


def _section_title(doc: Document, plan: Plan) -> str | None:
    """What a table is about: its title rows, its sheet name, the line above it (a caption),
    or the heading above it when that line is a paragraph."""
    if plan.title:
        return plan.title
    table = plan.table
    if doc.kind in ("xlsx", "xls"):
        return table.name
    context = _bare(table.context)
    heading = _bare(table.heading)
    if heading and (not context or _SENTENCE.search(context) or len(context.split()) > 12):
        return heading
    return context or table.name


_SENTENCE = re.compile(r"[.;!?]$")


def _bare(text: str) -> str:
    """A heading or caption without Markdown marks, anchor signs or a closing colon."""
    text = " ".join(text.replace("`", "").replace("*", "").split())
    return text.rstrip("¶#🔗 ").rstrip(":").strip()


def _note_unused(ctx: ParseContext, doc: Document, found: list[Plan], coded: list[str]) -> None:
    """Note which sheets of a workbook the fields come from, and tell the user when it has
    others (sheets of code lists the fields took their codes from are read)."""
    if doc.kind not in ("xlsx", "xls"):
        return
    used = list(dict.fromkeys(p.table.name for p in found))
    ctx.sheets_read = used
    if len(doc.tables) <= 1:
        return
    unused = [t.name for t in doc.tables if t.name not in used and t.name not in coded]
    if unused:
        ctx.warn(f"Field definitions were read from sheet {', '.join(repr(u) for u in used)}; "
                 f"the other sheets ({', '.join(unused)}) hold no variable table. Pick a "
                 "sheet to read only that one.")


PARSERS = [
    ParserSpec(format="table",
               extensions=(".csv", ".tsv", ".tab", ".xlsx", ".xlsm", ".xls", ".html", ".htm",
                           ".docx", ".pdf", ".md", ".markdown", ".txt", ".rst"),
               parse=parse_tabular, sniff=sniff_tabular, priority=40, competes=True),
]
