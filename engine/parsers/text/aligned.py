"""Tables laid out with spaces in plain text (statistics packages' printed dictionaries).

    Variable   Position   Label                  Level      Print Format   Missing Values
    id         1          Respondent ID          Scale      F8
    sex        3          Sex                    Nominal    F1             9

    Value              Label
    sex      1         Male
             2         Female

A header row is a line of three cells or more (two for a table of values) parted by two
spaces or more, each cell a few words without digits, one of them naming the variables
(`Variable`, `Name`, `Nombre` ...).  The rows below it, up to a blank line followed by text
that is not a row, are split where the header's cells start.  A table of variables becomes one
key-value block per row (the header's cells are the keys: kvfields.py decides which is the
name, the label, the type); a table of values whose first column names a variable only on its
first row gives each variable its codes.
"""

from __future__ import annotations

import re

from ...model import Category
from .keyvalue import Block
from .names import is_identifier

_GAP = re.compile(r"\S+(?: \S+)*")   # cells: runs of text parted by two blanks or more
_NAME_HEADER = re.compile(r"^(?:variables?|var(?:iable)?\s*name|name|nombre|nom|nome|"
                          r"variablen(?:name)?|campo|champ|feld)$", re.I)
_VALUE_HEADER = re.compile(r"^(?:values?|codes?|valor(?:es)?|c[oó]digos?|valeurs?|werte?)$",
                           re.I)
_LABEL_HEADER = re.compile(r"^(?:labels?|value\s*labels?|etiquetas?|libell[eé]s?|r[oó]tulos?|"
                           r"beschriftung|wertelabels?)$", re.I)
_HEADER_CELL = re.compile(r"^[^\W\d_][^\d]{0,30}$")
_MIN_ROWS = 2
_TOLERANCE = 2      # columns a cell may start before its header cell


def _cells(line: str) -> list[tuple[int, str]]:
    """(start column, text) of the cells of a line (tabs expanded)."""
    line = line.expandtabs(8)
    return [(m.start(), m.group(0)) for m in _GAP.finditer(line)
            if m.start() == 0 or line[m.start() - 2:m.start()] == "  "
            or m.start() == len(line) - len(line.lstrip())]


Table = tuple[list[str], list[list[str]], list[list[str]]]  # header, rows by column, raw cells


def aligned_tables(lines: list[str]) -> list[Table]:
    """(header cells, rows split into the header's columns, each row's own cells) of every
    table laid out with spaces."""
    out = []
    i = 0
    while i < len(lines):
        header = _header(lines[i])
        if header is None:
            i += 1
            continue
        rows, raw, end = _rows(lines, i + 1, header)
        if len(rows) >= _MIN_ROWS:
            out.append(([text for _, text in header], rows, raw))
            i = end
        else:
            i += 1
    return out


def _header(line: str) -> list[tuple[int, str]] | None:
    cells = _cells(line)
    if len(cells) < 2 or not all(_HEADER_CELL.match(t) and len(t.split()) <= 3
                                 for _, t in cells):
        return None
    names = [t for _, t in cells]
    if any(_NAME_HEADER.match(t) for t in names) and len(cells) >= 3:
        return cells
    if any(_VALUE_HEADER.match(t) for t in names) and any(_LABEL_HEADER.match(t) for t in names):
        return cells
    return None


def _rows(lines: list[str], start: int,
          header: list[tuple[int, str]]) -> tuple[list[list[str]], list[list[str]], int]:
    """The rows below a header (split at its cell starts, and as written) and where they end:
    at a blank line before a line that is no row, or at the next header."""
    starts = [s for s, _ in header]
    rows: list[list[str]] = []
    raw: list[list[str]] = []
    j, gap = start, False
    while j < len(lines):
        if not lines[j].strip():
            gap, j = True, j + 1
            continue
        cells = _cells(lines[j])
        if _header(lines[j]) or len(cells) < 2 and (gap or not rows or cells[0][0] == 0):
            break
        row = [""] * len(starts)
        for s, text in cells:
            k = max((k for k, h in enumerate(starts) if h <= s + _TOLERANCE), default=0)
            row[k] = f"{row[k]} {text}".strip()
        if len(cells) < 2:  # a cell wrapped onto the next line
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], row)]
        else:
            rows.append(row)
            raw.append([text for _, text in cells])
        gap, j = False, j + 1
    return rows, raw, j


def variable_blocks(tables: list[Table]) -> list[Block]:
    """A key-value block per row of the tables of variables."""
    blocks = []
    for header, rows, _ in tables:
        if any(_NAME_HEADER.match(h) for h in header):
            blocks += [Block([(h, c) for h, c in zip(header, row) if c]) for row in rows]
    return blocks


def value_labels(tables: list[Table]) -> dict[str, list[Category]]:
    """Codes per variable of tables of values whose first column names each variable on its
    first row only (`sex  1  Male` then `2  Female`)."""
    out: dict[str, list[Category]] = {}
    for header, _, raw in tables:
        if any(_NAME_HEADER.match(h) for h in header):
            continue
        current = None
        for cells in raw:
            if len(cells) == 3 and is_identifier(cells[0]):
                current, code, text = cells
            elif len(cells) == 2 and current:
                code, text = cells
            else:
                current = None
                continue
            out.setdefault(current, []).append(Category(code, text))
    return out
