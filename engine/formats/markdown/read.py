"""Markdown with pipe and grid tables (the heading or paragraph before each as its context), and plain text
(its pipe tables, or the whole file as one table when it is delimited)."""

from __future__ import annotations

import html
import re

from ...limits import CellBudget, check_columns
from ..document import Document, Table, clean_cell, rectangular
from ..delimited.table import read_delimited, sniff_delimiter
from ..rst.read import GRID_BORDER, grid_rows

# a Markdown table's separator row: `---|:---:|---`, with or without outer pipes
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CELL_PIPE = re.compile(r"(?<!\\)\|")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_INLINE = re.compile(r"</?(?:code|b|strong|em|i|u|span|sup|sub|a|kbd|tt|samp|var|small|"
                          r"mark|font|p|div)(?:\s[^<>]*)?>", re.I)


# ---- Markdown -------------------------------------------------------------------------
def load_markdown(text: str, kind: str = "markdown", filename: str = "The file") -> Document:
    """Markdown: pipe tables become tables (with the heading or paragraph before them)."""
    tables, rest = markdown_tables(text, filename)
    body = "\n".join(rest)
    return Document(kind=kind, text=body, pages=[body], tables=tables)


def markdown_tables(text: str, filename: str = "The file") -> tuple[list[Table], list[str]]:
    """Pipe tables found in `text`, and the lines that are not part of one."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    budget = CellBudget(filename)
    tables: list[Table] = []
    rest: list[str] = []
    i, fenced = 0, False
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and _starts_grid(lines, i):
            end = _grid_end(lines, i)
            rows = [[clean_cell(_inline_html(c)) for c in r] for r in grid_rows(lines[i:end])]
            _add_table(tables, rows, rest, filename, budget)
            i = end
            continue
        if not fenced and _starts_table(lines, i):
            end = _table_end(lines, i + 2)
            rows = [_md_cells(lines[i])] + [_md_cells(x) for x in lines[i + 2:end]]
            _add_table(tables, rows, rest, filename, budget)
            i = end
            continue
        rest.append(line)
        i += 1
    return tables, rest


def _add_table(tables: list[Table], rows: list[list[str]], rest: list[str], filename: str,
               budget: CellBudget) -> None:
    """One more table, within the limits, with the heading or paragraph before it."""
    rows = [r for r in rows if any(r)]
    if not rows:
        return
    width = max(map(len, rows))
    check_columns(filename, width, f"in table {len(tables) + 1}")
    budget.take(width * len(rows), f"table {len(tables) + 1}")
    tables.append(Table(rows=rectangular(rows), name=f"table {len(tables) + 1}",
                        context=_md_context(rest), line=len(rest)))


def _starts_grid(lines: list[str], i: int) -> bool:
    """A grid table (Pandoc, reStructuredText): a `+---+---+` border, then a `|` row."""
    return (GRID_BORDER.match(lines[i]) is not None and i + 1 < len(lines)
            and lines[i + 1].lstrip().startswith("|"))


def _grid_end(lines: list[str], i: int) -> int:
    j = i
    while j < len(lines) and lines[j].strip()[:1] in ("+", "|"):
        j += 1
    return j


def _starts_table(lines: list[str], i: int) -> bool:
    """A header line with a pipe followed by a separator row with the same number of cells."""
    if i + 1 >= len(lines) or "|" not in lines[i]:
        return False
    sep = lines[i + 1]
    if "|" not in sep or "-" not in sep or not _MD_SEPARATOR.match(sep):
        return False
    return len(_md_cells(sep)) == len(_md_cells(lines[i]))


def _table_end(lines: list[str], j: int) -> int:
    while j < len(lines) and lines[j].strip() and "|" in lines[j]:
        j += 1
    return j


def _md_cells(line: str) -> list[str]:
    """Cells of one pipe-table row; `\\|` is a literal pipe."""
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    cells = _CELL_PIPE.split(s)
    return [clean_cell(_inline_html(c.replace("\\|", "|"))) for c in cells]


# an inline link or image `[text](target "title")`: its text is what the cell says
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")


def _inline_html(cell: str) -> str:
    """A cell's inline HTML and links as text: `<br>` a line break, `<code>age</code>` the
    name, entities decoded (Markdown tables often carry them), `[Country](#country)` its text."""
    if "](" in cell:
        cell = _MD_LINK.sub(r"\1", cell)
    if "<" not in cell and "&" not in cell:
        return cell
    cell = _HTML_BREAK.sub("\n", cell)
    return html.unescape(_HTML_INLINE.sub("", cell))


def _md_context(previous: list[str]) -> str:
    """The last paragraph or heading before a table, as one line without heading marks."""
    block: list[str] = []
    for line in reversed(previous):
        if not line.strip():
            if block:
                break
            continue
        if not block and _SETEXT.match(line):
            continue                    # the underline of a `Heading\n=====` heading
        block.append(line.strip())
        if _MD_HEADING.match(line):
            break
    text = " ".join(reversed(block))
    return _MD_HEADING.sub("", text).strip()


# ---- plain text -----------------------------------------------------------------------
def load_text(text: str, filename: str = "The file") -> Document:
    """Plain text: pipe tables if any, else the whole file as one table when it is delimited."""
    tables, _ = markdown_tables(text, filename)
    if not tables and looks_delimited(text):
        delim, _ = sniff_delimiter(text, prefer="\t")
        tables = [Table(rows=read_delimited(text, delim, filename), name="table 1")]
    return Document(kind="text", text=text, pages=[text], tables=tables)


def looks_delimited(text: str) -> bool:
    """True when nearly every line of the head splits into the header's field count (2+)."""
    _, score = sniff_delimiter(text, prefer="\t")
    return score >= 0.9


def looks_like_pipe_table(text: str) -> bool:
    """True when the text holds a Markdown pipe table (header plus separator row)."""
    if "|" not in text:
        return False
    lines = text.replace("\r\n", "\n").split("\n")
    return any(_starts_table(lines, i) for i, line in enumerate(lines) if "|" in line)
