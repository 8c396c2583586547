"""Text formats: delimited files (CSV/TSV/...), Markdown with pipe tables, plain text."""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
from collections import Counter

from ..errors import InputError
from ..limits import CellBudget, check_columns
from .base import Document, Table, clean_cell, rectangular
from .ragged import mend_overflow

_DELIMITERS = (",", "\t", ";", "|")
_SAMPLE_CHARS = 65536
# a Markdown table's separator row: `---|:---:|---`, with or without outer pipes
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CELL_PIPE = re.compile(r"(?<!\\)\|")
_HTML_BREAK = re.compile(r"<br\s*/?>", re.I)
_HTML_INLINE = re.compile(r"</?(?:code|b|strong|em|i|u|span|sup|sub|a|kbd|tt|samp|var|small|"
                          r"mark|font|p|div)(?:\s[^<>]*)?>", re.I)


# ---- delimited text ---------------------------------------------------------------
def sniff_delimiter(text: str, prefer: str = ",") -> tuple[str, float]:
    """The delimiter whose field count is the most consistent in the first lines, and that share.

    The share is of sampled records having the commonest field count of two or more (0.0 when
    no delimiter splits any line).
    """
    sample = text[:_SAMPLE_CHARS]
    best, best_score = prefer, 0.0
    for delim in sorted(_DELIMITERS, key=lambda d: d != prefer):
        score = _consistency(sample, delim, cut=len(text) > len(sample))
        if score > best_score:
            best, best_score = delim, score
    return best, best_score


def _consistency(sample: str, delim: str, cut: bool) -> float:
    """Share of records with the commonest field count of two or more (title rows aside)."""
    # the first 100 records decide, so reading stops after 101 (the last may be cut off), unless
    # a later line could still raise csv.Error (a carriage return inside a line, a long field)
    safe = "\r" not in sample and csv.field_size_limit() >= len(sample)
    reader = csv.reader(io.StringIO(sample), delimiter=delim)
    try:
        records = list(itertools.islice((r for r in reader if any(r)), 101 if safe else None))
    except csv.Error:
        return 0.0
    if cut and len(records) > 1:
        records = records[:-1]          # the sample may end inside a record
    records = records[:100]
    # a record with one filled cell (a title, a `| comment` line) says nothing about delimiters
    counts = Counter(len(r) for r in records
                     if len(r) >= 2 and sum(1 for c in r if c.strip()) >= 2)
    if len(records) < 2 or not counts:
        return 0.0
    return counts.most_common(1)[0][1] / len(records)


def read_delimited(text: str, delimiter: str, filename: str = "The file") -> list[list[str]]:
    """All records of delimited text, cells cleaned (cells and columns counted first)."""
    budget = CellBudget(filename)
    rows: list[list[str]] = []
    lines: list[str | None] = []          # each record's line as written (None: several)
    width = 0
    physical = io.StringIO(text).readlines()
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        last = 0
        for row in reader:
            budget.take(len(row), "the table")
            width = max(width, len(row))
            at, last = last, reader.line_num
            lines.append(physical[at] if last == at + 1 else None)
            rows.append(row)
    except csv.Error as exc:   # a field past the line bound (a quote left open), a NUL
        raise InputError(f"{filename} could not be read as delimited text ({exc}): check for "
                         "an unclosed quote, or save it again as CSV.") from None
    check_columns(filename, width)
    budget.take(width * len(rows) - budget.used, "the table")
    mend_overflow(rows, lines, delimiter)
    return rectangular([[clean_cell(c) for c in row] for row in rows])


def load_csv(text: str, ext: str, filename: str = "The file") -> Document:
    """A delimited file: one table."""
    delim, _ = sniff_delimiter(text, prefer="\t" if ext in (".tsv", ".tab") else ",")
    return Document(kind="csv", text=text, pages=[text],
                    tables=[Table(rows=read_delimited(text, delim, filename), name="table 1")])


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
        if not fenced and _starts_table(lines, i):
            end = _table_end(lines, i + 2)
            rows = [_md_cells(lines[i])] + [_md_cells(x) for x in lines[i + 2:end]]
            width = max(map(len, rows))
            check_columns(filename, width, f"in table {len(tables) + 1}")
            budget.take(width * len(rows), f"table {len(tables) + 1}")
            tables.append(Table(rows=rectangular(rows), name=f"table {len(tables) + 1}",
                                context=_md_context(rest), line=len(rest)))
            i = end
            continue
        rest.append(line)
        i += 1
    return tables, rest


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


def _inline_html(cell: str) -> str:
    """A cell's inline HTML as text: `<br>` a line break, `<code>age</code>` the name, entities
    decoded (Markdown tables often carry them)."""
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
