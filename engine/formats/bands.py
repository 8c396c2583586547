"""Tables laid side by side in one grid: a spreadsheet printed to a page two or three tables
wide, or a worksheet holding tables next to each other.

A PDF's ruled grid (or a sheet) then reads as one wide table whose rows mix rows of different
tables.  The sign is in the layout, not the words: the same header cells (`Column | Type |
Description`) repeat at another column offset, on the same row or on another one.  Each
offset starts a band of columns; each band is read on its own, cut into one table per header
it repeats, with the row just above each header as that table's title.  A band's empty rows
are no rows of it.

Precision: a wide table that merely has many columns is left whole.  The repeated cells must
read as a header (a few words each, distinct, no numbers), stand at the left of the grid (no
stub column before the first band), never appear again as body cells under themselves, and
sit on a minority of the rows; every band must hold rows of its own under its header.
"""

from __future__ import annotations

import re
from collections import defaultdict

_MAX_HEADER_WORDS = 5
_MAX_HEADER_CHARS = 40
_CLASH_SHARE = 10          # body rows per body cell equal to a header cell above it
_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]", re.S)
_NUMBER = re.compile(r"[-+]?[\d.,]+%?")

Rows = list[list[str]]


def split_bands(rows: Rows) -> list[Rows] | None:
    """The tables of a grid of side-by-side tables, in reading order (band after band, top to
    bottom), each with its title as a first one-cell row when it has one; None when the
    grid is one table."""
    bands = _find(rows)
    if not bands:
        return None
    return [t for start, end, heads in bands for t in _band_tables(rows, start, end, heads)]


def band_columns(rows: Rows) -> list[tuple[int, int]] | None:
    """(first column, end column) of each band of a grid of side-by-side tables, else None."""
    bands = _find(rows)
    return [(start, end) for start, end, _ in bands] if bands else None


def _find(rows: Rows) -> list[tuple[int, int, list[int]]] | None:
    """(first column, end column, header rows) of each band, else None."""
    if len(rows) < 3 or max((len(r) for r in rows), default=0) < 4:
        return None
    norm = [[_norm(c) for c in r] for r in rows]
    for cells, places in _repeated_pairs(norm):
        bands = _bands(norm, cells, places)
        if bands:
            return bands
    return None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _header_cell(text: str) -> bool:
    """A cell as a header is written: a few words with letters, no number."""
    return (bool(text) and len(text) <= _MAX_HEADER_CHARS
            and len(text.split()) <= _MAX_HEADER_WORDS
            and bool(_LETTERS.search(text)) and not _NUMBER.fullmatch(text))


def _repeated_pairs(norm: Rows) -> list[tuple[tuple[str, str], list[tuple[int, int]]]]:
    """Pairs of neighbouring header-like cells found at two or more column offsets, with
    their (row, column) places; the most widely repeated first."""
    places: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for i, row in enumerate(norm):
        for j in range(len(row) - 1):
            a, b = row[j], row[j + 1]
            if a != b and _header_cell(a) and _header_cell(b):
                places[(a, b)].append((i, j))
    found = [(k, v) for k, v in places.items() if len({j for _, j in v}) >= 2]
    found.sort(key=lambda kv: (-len({j for _, j in kv[1]}), -len(kv[1])))
    return found[:5]


def _bands(norm: Rows, pair: tuple[str, str], places: list[tuple[int, int]]
           ) -> list[tuple[int, int, list[int]]] | None:
    """(first column, end column, header rows) of each band, when the repeated pair is a
    header repeated across the grid; else None."""
    width = max(len(r) for r in norm)
    offsets = sorted({j for _, j in places})
    ends = offsets[1:] + [width]
    if any(b - a < 2 for a, b in zip(offsets, ends)):
        return None
    # no stub column (row labels) left of the first band: `Group | N | % | N | %` is one table
    if any(any(r[:offsets[0]]) for r in norm):
        return None
    header_rows = {i for i, _ in places}
    if 2 * len(header_rows) > len(norm):
        return None
    out = []
    for start, end in zip(offsets, ends):
        heads = sorted(i for i, j in places if j == start)
        cells = _header_run(norm, heads, start, end)
        if not _owns_body(norm, heads, header_rows, start, end, cells):
            return None
        out.append((start, end, heads))
    return out


def _header_run(norm: Rows, heads: list[int], start: int, end: int) -> list[str]:
    """The header cells a band repeats: the longest run of header-like cells its header
    rows share from the band's first column."""
    first = norm[heads[0]]
    run = []
    for j in range(start, min(end, len(first))):
        cell = first[j]
        if not _header_cell(cell) or any(j >= len(norm[i]) or norm[i][j] != cell
                                         for i in heads[1:]):
            break
        run.append(cell)
    return run


def _owns_body(norm: Rows, heads: list[int], header_rows: set[int], start: int, end: int,
               cells: list[str]) -> bool:
    """Whether the band holds rows below its first header, and its header cells come back
    as body cells in their own columns on few of them (values repeated down a data table
    are no header; another table's header under it may share a word)."""
    body = clashes = 0
    for i, row in enumerate(norm):
        if i in header_rows or i < heads[0]:
            continue
        part = row[start:end]
        clashes += any(k < len(part) and part[k] == c for k, c in enumerate(cells))
        body += any(part)
    return body >= 1 and clashes * _CLASH_SHARE <= body


def _band_tables(rows: Rows, start: int, end: int, heads: list[int]) -> list[Rows]:
    """A band's tables: one per header row, from it to the next one's title."""
    band = [(i, [c for c in r[start:end]]) for i, r in enumerate(rows)]
    band = [(i, r + [""] * (end - start - len(r))) for i, r in band if any(r)]
    at = [k for k, (i, _) in enumerate(band) if i in set(heads)]
    tables = []
    for n, k in enumerate(at):
        stop = at[n + 1] if n + 1 < len(at) else len(band)
        body = [r for _, r in band[k + 1:stop]]
        if n + 1 < len(at) and _is_title(body):
            body = body[:-1]
        if n == 0:
            above = [r for _, r in band[:k]]
        else:
            prev = [r for _, r in band[at[n - 1] + 1:k]]
            above = prev[-1:] if _is_title(prev) else []
        title = " ".join(c for r in above for c in r if c)
        head = [[title] + [""] * (end - start - 1)] if title else []
        tables.append(head + [band[k][1]] + body)
    return tables


def _is_title(rows: Rows) -> bool:
    """Whether the last of a table's rows is the next table's title: one text, or fewer
    filled cells than every row above it has."""
    if len(rows) < 2:
        return len(rows) == 1 and sum(1 for c in rows[0] if c) == 1
    filled = [sum(1 for c in r if c) for r in rows]
    return filled[-1] == 1 or filled[-1] < min(filled[:-1])


# ---- code tables side by side under a gap --------------------------------------------------
# A sheet may list its variables, then, below a blank row, a few short code tables side by
# side, each two columns (code | label, or label | code) under a one-cell title naming its
# variable, the tables apart by blank columns.  Each such table is cut out (its title as the
# table's caption); the rest of the grid stays one table.  All tables of the row block must be
# so titled, and there must be two or more: one pair of columns is no layout to go by.

_MAX_TITLE_CHARS = 40
_MAX_CODE_CHARS = 12


def titled_code_blocks(rows: Rows) -> tuple[Rows, list[tuple[str, Rows]]] | None:
    """(the grid without them, [(title, rows)]) of the titled code tables a grid holds side
    by side in blocks of rows of their own, else None."""
    found, drop = [], set()
    for start, end in _row_blocks(rows):
        groups = _column_groups(rows, start, end)
        if len(groups) < 2:
            continue
        tables = [_titled_pair(rows, start, end, a, b) for a, b in groups]
        if all(tables):
            found += tables
            drop.update(range(start, end))
    if not found:
        return None
    return [r for i, r in enumerate(rows) if i not in drop], found


def _row_blocks(rows: Rows) -> list[tuple[int, int]]:
    """(first row, end row) of each run of rows with a filled cell."""
    return _runs([any(c.strip() for c in row) for row in rows])


def _column_groups(rows: Rows, start: int, end: int) -> list[tuple[int, int]]:
    """(first column, end column) of each run of columns with a filled cell in rows
    start..end."""
    width = max(len(r) for r in rows[start:end])
    return _runs([any(j < len(r) and r[j].strip() for r in rows[start:end])
                  for j in range(width)])


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of true flags."""
    out, start = [], None
    for i, flag in enumerate(flags + [False]):
        if flag:
            start = i if start is None else start
        elif start is not None:
            out.append((start, i))
            start = None
    return out


def _titled_pair(rows: Rows, start: int, end: int, a: int, b: int
                 ) -> tuple[str, Rows] | None:
    """(title, rows) of a two-column code table under a one-cell title, else None."""
    if b - a != 2:
        return None
    part = [[c.strip() for c in (r[a:b] + ["", ""])[:2]] for r in rows[start:end]]
    while part and not any(part[-1]):
        part.pop()                  # a shorter table beside a longer one
    title, body = part[0], part[1:]
    if (not title[0] or title[1] or len(title[0]) > _MAX_TITLE_CHARS
            or len(title[0].split()) > _MAX_HEADER_WORDS or _NUMBER.fullmatch(title[0])):
        return None
    if len(body) < 2 or not all(x and y for x, y in body):
        return None
    if not any(_short_distinct([r[k] for r in body]) for k in (0, 1)):
        return None
    return title[0], body


def _short_distinct(cells: list[str]) -> bool:
    """Codes as code tables write them: short tokens, each once."""
    return (len(set(cells)) == len(cells)
            and all(len(c) <= _MAX_CODE_CHARS and " " not in c for c in cells))
