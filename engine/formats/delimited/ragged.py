"""Rows of a delimited file written with the delimiter unquoted inside a text cell.

`region,,Survey region: "DI" (Discovery Islands), "JS" (Johnstone Strait)` holds more cells
than its header names: the commas belong to the text.  Such a row's extra cells are put back
into the column that holds the longest text in the well-formed rows (the description), from
the line as written (the quotes a CSV reader takes off a leading `"survey_start"` are kept).

Only when some rows are as wide as the header: a file whose every row is one cell wider than
its header lacks a header cell (R's `write.table` leaves out the row names' one), it holds no
unquoted delimiters.
"""

from __future__ import annotations

import re

__all__ = ["mend_overflow"]

_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_MIN_TEXT = 12          # mean characters of the column that holds the text


def mend_overflow(rows: list[list[str]], lines: list[str | None], delimiter: str) -> None:
    """Put the extra cells of over-wide rows back into the text column (in place).

    `lines`: each row's line as written (None for a record over several lines)."""
    head = _header_index(rows)
    if head is None:
        return
    width = len(rows[head])
    body = range(head + 1, len(rows))
    if not any(_used(rows[i]) <= width for i in body):
        return
    wide = [i for i in body if _used(rows[i]) > width and lines[i] is not None]
    if not wide:
        return
    col = _text_column(rows, head, width)
    if col is None:
        return
    for i in wide:
        spans = _spans(lines[i], delimiter)
        extra = _used(rows[i]) - width
        if len(spans) != len(rows[i]):
            continue
        start, end = spans[col][0], spans[col + extra][1]
        rows[i][col:col + extra + 1] = [lines[i][start:end].strip()]


def _used(row: list[str]) -> int:
    """Cells up to the last filled one."""
    n = len(row)
    while n and not row[n - 1].strip():
        n -= 1
    return n


def _header_index(rows: list[list[str]]) -> int | None:
    """The first row of two or more cells when it reads as a header: every cell filled with a
    short, distinct text that is not a number (`V,AGE,N,2,"Age"` is a record of a file laid
    out in kinds of rows, whose rows differ in width by design)."""
    for i, row in enumerate(rows[:20]):
        n = _used(row)
        if n < 2:
            continue
        cells = [c.strip() for c in row[:n]]
        ok = (all(cells) and len(set(cells)) == n and all(len(c) <= 60 for c in cells)
              and not any(_NUMBER.fullmatch(c) for c in cells))
        return i if ok else None
    return None


def _text_column(rows: list[list[str]], head: int, width: int) -> int | None:
    """The column with the longest mean text in the rows no wider than the header, when that
    is prose-long."""
    sums = [0] * width
    count = 0
    for row in rows[head + 1:]:
        if _used(row) <= width:
            count += 1
            for j in range(min(width, len(row))):
                sums[j] += len(row[j])
    best = max(range(width), key=lambda j: sums[j])
    return best if count and sums[best] >= _MIN_TEXT * count else None


def _spans(line: str, delimiter: str) -> list[tuple[int, int]]:
    """(start, end) of each cell of one line read as CSV (a cell opening with a quote runs
    to its closing quote; doubled quotes stay inside)."""
    line = line.rstrip("\r\n")
    out: list[tuple[int, int]] = []
    i, n = 0, len(line)
    while True:
        j = i
        if j < n and line[j] == '"':
            j += 1
            while j < n:
                if line[j] == '"':
                    if line[j + 1:j + 2] == '"':
                        j += 2
                        continue
                    j += 1
                    break
                j += 1
        k = line.find(delimiter, j)
        out.append((i, n if k < 0 else k))
        if k < 0:
            return out
        i = k + 1
