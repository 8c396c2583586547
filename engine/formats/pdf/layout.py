"""Tables drawn without ruling lines: text runs clustered into lines and aligned columns.

A borderless dictionary table (`Field Name` at one x, `Description` at another, descriptions
wrapping onto lines that start at the second x) is rebuilt from pdfium's text rectangles:

1. runs are grouped into lines by vertical overlap, and split into segments at wide gaps;
2. x positions where segments start on many lines become column anchors;
3. a run of consecutive lines whose segments all start at anchors is a table: a line with
   text in the key column (names: one line per row) starts a row; the other lines join the
   row above (cells aligned at the top) or the nearest one (cells centred on the name, as
   spreadsheets export them: a cell's text split above and below its name);
4. tables printed side by side (a header repeated at another column, `..bands`) are folded
   band by band, each band's rows started by its own key column.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..bands import band_columns

_ALIGN_TOLERANCE = 6.0      # points between an anchor and a segment start
_MIN_ANCHOR_LINES = 3       # lines that must start a segment at an x for it to be a column
_MIN_ROWS = 3
_MAX_LINES_ABOVE = 5        # lines of a centred first cell above the first row's name


@dataclass
class _Run:
    left: float
    bottom: float
    right: float
    top: float
    text: str


@dataclass
class _Line:
    top: float
    bottom: float
    segments: list[tuple[float, float, str]]   # (x0, x1, text)


def aligned_tables(runs: list[tuple[float, float, float, float, str]]
                   ) -> list[tuple[list[list[str]], str]]:
    """(rows, line above) of each table among the text runs (left, bottom, right, top, text)
    of one page."""
    lines = _lines([_Run(*r) for r in runs if r[4].strip()])
    anchors = _anchors(lines)
    if len(anchors) < 2:
        return []
    gaps = sorted(g for g in (lines[k].bottom - lines[k + 1].top for k in range(len(lines) - 1))
                  if g > 0)
    heights = sorted(line.top - line.bottom for line in lines)
    # wider than paragraph spacing inside a cell (Word adds some) ends a table
    max_gap = max(3 * (gaps[len(gaps) // 2] if gaps else 4.0), 2.5 * heights[len(heights) // 2])
    tables = []
    blocks = _blocks_of(lines, anchors)
    i = 0
    while i < len(lines):
        anchors, stop = blocks[i]
        end = _run_end(lines[:stop], i, anchors, max_gap)
        if end > i:
            i = _start_above(lines, i, anchors, max_gap)
            rows = _rows(lines[i:end], anchors)
            header = _header_cells(lines[i - 1], anchors) if i else None
            if header and len(header) == len(rows[0]):
                rows.insert(0, header)
                i -= 1
            if len(rows) >= _MIN_ROWS:
                above = " ".join(t for _, _, t in lines[i - 1].segments) if i else ""
                tables.append((rows, above))
            i = end
        else:
            i += 1
    return tables


def _blocks_of(lines: list[_Line], anchors: list[float]) -> list[tuple[list[float], int]]:
    """(column anchors, end of its block) for each line.  Lines of text running across the
    columns (a caption, a paragraph) cut the page into blocks, and each block's tables align
    on the anchors of its own lines: a code table under the dictionary table has columns of
    its own.  A block whose lines give fewer than two anchors keeps the page's."""
    cuts = [k for k, line in enumerate(lines)
            if len(line.segments) == 1 and _crosses(line.segments[0], anchors)]
    out: list[tuple[list[float], int]] = []
    start = 0
    for end in cuts + [len(lines)]:
        local = _anchors(lines[start:end])
        local = local if len(local) >= 2 else anchors
        out.extend([(local, end)] * (end - start))
        if end < len(lines):
            out.append((anchors, end + 1))
        start = end + 1
    return out


def _crosses(segment: tuple[float, float, str], anchors: list[float]) -> bool:
    """A segment that starts at one anchor and reaches past the next one."""
    x0, x1, _ = segment
    later = [a for a in anchors if a > x0 + _ALIGN_TOLERANCE]
    return bool(later) and x1 > later[0] + _ALIGN_TOLERANCE


def _lines(runs: list[_Run]) -> list[_Line]:
    """Runs grouped into lines (top to bottom), each split into segments at wide gaps."""
    runs.sort(key=lambda r: (-r.top, r.left))
    groups: list[list[_Run]] = []
    for run in runs:
        mid = (run.top + run.bottom) / 2
        for g in reversed(groups[-3:]):
            if min(r.bottom for r in g) <= mid <= max(r.top for r in g):
                g.append(run)
                break
        else:
            groups.append([run])
    return [_segment(g) for g in groups]


def _segment(group: list[_Run]) -> _Line:
    group.sort(key=lambda r: r.left)
    height = max(r.top - r.bottom for r in group) or 10.0
    segments: list[tuple[float, float, str]] = []
    for run in group:
        gap = run.left - segments[-1][1] if segments else 0.0
        if segments and gap < max(4.0, 0.9 * height):
            x0, _, text = segments[-1]
            # runs split inside a word (kerning, font change) touch; words are a space apart
            glue = "" if gap < 0.15 * height or text.endswith(" ") or run.text.startswith(" ") \
                else " "
            segments[-1] = (x0, run.right, text + glue + run.text)
        else:
            segments.append((run.left, run.right, run.text))
    segments = [(x0, x1, " ".join(t.split())) for x0, x1, t in segments]
    return _Line(top=max(r.top for r in group), bottom=min(r.bottom for r in group),
                 segments=segments)


def _anchors(lines: list[_Line]) -> list[float]:
    """x positions where segments of multi-segment lines start on several lines."""
    starts = sorted(x0 for line in lines if len(line.segments) >= 2
                    for x0, _, _ in line.segments)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= _ALIGN_TOLERANCE:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [min(c) for c in clusters if len(c) >= _MIN_ANCHOR_LINES]


def _cells(line: _Line, anchors: list[float]) -> dict[int, str] | None:
    """Column -> text of a line whose segments fit the columns, else None.

    Each column's first segment must start at its anchor; later segments in the same column
    (a wide gap inside a description) join it.  A segment reaching into the next column is a
    paragraph running across the table.
    """
    cells: dict[int, str] = {}
    for x0, x1, text in line.segments:
        k = max((j for j, a in enumerate(anchors) if a - _ALIGN_TOLERANCE <= x0), default=None)
        if k is None or (k not in cells and abs(x0 - anchors[k]) > _ALIGN_TOLERANCE):
            return None
        if k + 1 < len(anchors) and x1 > anchors[k + 1] + _ALIGN_TOLERANCE:
            return None
        cells[k] = f"{cells[k]} {text}" if k in cells else text
    return cells


def _run_end(lines: list[_Line], i: int, anchors: list[float], max_gap: float) -> int:
    """End (exclusive) of the table starting at line i; i when no table starts there."""
    first = _cells(lines[i], anchors)
    if first is None or len(first) < 2:
        return i
    j = i + 1
    while j < len(lines) and _cells(lines[j], anchors) is not None:
        if lines[j - 1].bottom - lines[j].top > max_gap:
            break  # a wide vertical gap ends the table
        j += 1
    return j


def _header_cells(line: _Line, anchors: list[float]) -> list[str] | None:
    """A header line above a table: one segment centred in each column (`Field Name`)."""
    if len(line.segments) != len(anchors):
        return None
    bounds = anchors[1:] + [float("inf")]
    cells = []
    for (x0, x1, text), left, right in zip(line.segments, anchors, bounds):
        if not left - _ALIGN_TOLERANCE <= (x0 + x1) / 2 < right:
            return None
        cells.append(text)
    return cells


def _start_above(lines: list[_Line], i: int, anchors: list[float], max_gap: float) -> int:
    """The first line of a table found at line i: a centred first cell may start above it
    (lines fitting the columns, without text in the first one)."""
    k = i
    while (k > 0 and i - k < _MAX_LINES_ABOVE and lines[k - 1].bottom - lines[k].top <= max_gap):
        cells = _cells(lines[k - 1], anchors)
        if not cells or 0 in cells:
            break
        k -= 1
    return k


def _rows(lines: list[_Line], anchors: list[float]) -> list[list[str]]:
    """Lines folded into rows.  Tables side by side (a header repeated at another column,
    `..bands`) are folded band by band, a band's rows beside the other bands' rows of the
    same rank: each band's key column starts its own rows."""
    cells = [_cells(line, anchors) or {} for line in lines]
    bands = band_columns([[c.get(k, "") for k in range(len(anchors))] for c in cells])
    if not bands:
        return _fold(lines, cells, len(anchors))
    parts = [_fold(lines, [{k - a: t for k, t in c.items() if a <= k < b} for c in cells], b - a)
             for a, b in bands]
    height = max(len(p) for p in parts)
    out: list[list[str]] = [[] for _ in range(height)]
    for part in parts:
        width = max((len(r) for r in part), default=0)
        for r in range(height):
            row = part[r] if r < len(part) else []
            out[r] += row + [""] * (width - len(row))
    return out


def _fold(lines: list[_Line], cells: list[dict[int, str]], n: int) -> list[list[str]]:
    """Lines folded into rows: a line with text in the key column starts a row; the lines
    of the other columns join the row above, or in tables whose cells are centred on their
    key line, the row they are centred on."""
    key = _key_column(cells, n)
    keys = [i for i, c in enumerate(cells) if key in c]
    if not keys:
        return []
    limit = _cell_pitch(lines, cells, key)
    blocks = [(k, b) for k in range(n) if k != key
              for b in _blocks(lines, cells, k, limit)]
    centred = _centred(blocks, keys, lines, cells)
    rows = [[""] * n for _ in keys]
    for r, i in enumerate(keys):
        rows[r][key] = cells[i][key]
    for k in range(n):
        if k == key:
            continue
        column = [i for i, c in enumerate(cells) if k in c]
        owners = (_centred_owners(column, keys, lines) if centred
                  else [_owner_above(i, keys) for i in column])
        for i, r in zip(column, owners):
            rows[r][k] = f"{rows[r][k]}\n{cells[i][k]}" if rows[r][k] else cells[i][k]
    used = [k for k in range(n) if any(r[k] for r in rows)]
    return [[r[k] for k in used] for r in rows]


def _owner_above(i: int, keys: list[int]) -> int:
    """The row of the key line at or above line i (the first row for lines above all)."""
    before = [r for r, k in enumerate(keys) if k <= i]
    return before[-1] if before else 0


def _centred_owners(column: list[int], keys: list[int], lines: list[_Line]) -> list[int]:
    """Rows of a column's lines when cells are centred on their key line: the lines are cut
    into consecutive groups, one per row (or none), each centred on its row's key line as
    nearly as can be; a group never holds another row's key line."""
    n, m = len(column), len(keys)
    key_mid = [(lines[k].top + lines[k].bottom) / 2 for k in keys]
    inf = float("inf")

    def cost(a: int, b: int, r: int) -> float:   # lines column[a:b] -> row r
        lo, hi = column[a], column[b - 1]
        first, last = bisect_left(keys, lo), bisect_right(keys, hi)
        if last - first > 1 or (last - first == 1 and first != r):
            return inf
        return abs((lines[lo].top + lines[hi].bottom) / 2 - key_mid[r])

    best = [[inf] * (n + 1) for _ in range(m + 1)]
    cut = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for r in range(1, m + 1):
        for j in range(n + 1):
            best[r][j], cut[r][j] = best[r - 1][j], j          # row r-1 takes no line
            for i in range(j):
                c = best[r - 1][i] + cost(i, j, r - 1) if best[r - 1][i] < inf else inf
                if c < best[r][j]:
                    best[r][j], cut[r][j] = c, i
    if best[m][n] == inf:
        return [_owner_above(i, keys) for i in column]
    owners = [0] * n
    j = n
    for r in range(m, 0, -1):
        i = cut[r][j]
        for t in range(i, j):
            owners[t] = r - 1
        j = i
    return owners


def _key_column(cells: list[dict[int, str]], width: int) -> int:
    """The column of names: of the first two, the one whose lines are single words."""
    for k in range(min(2, width)):
        texts = [c[k] for c in cells if k in c]
        if len(texts) >= _MIN_ROWS and sum(" " not in t for t in texts) >= 0.8 * len(texts):
            return k
    return 0


def _cell_pitch(lines: list[_Line], cells: list[dict[int, str]], key: int) -> float:
    """The largest top-to-top distance between two lines of one cell, a little over the line
    spacing (the short pitch in a column); 0 (no lines joined) unless most key lines are
    further apart than that (rows are spaced wider than lines)."""
    pitches = sorted(p for k in {k for c in cells for k in c} for p in _pitches(lines, cells, k))
    names = _pitches(lines, cells, key)
    if not pitches or not names:
        return 0.0
    heights = sorted(line.top - line.bottom for line in lines)
    limit = min(1.12 * pitches[len(pitches) // 5], 1.8 * heights[len(heights) // 2])
    return limit if sum(p > limit for p in names) >= 0.6 * len(names) else 0.0


def _pitches(lines: list[_Line], cells: list[dict[int, str]], k: int) -> list[float]:
    idx = [i for i, c in enumerate(cells) if k in c]
    return [lines[a].top - lines[b].top for a, b in zip(idx, idx[1:])]


def _blocks(lines: list[_Line], cells: list[dict[int, str]], k: int, limit: float
            ) -> list[list[int]]:
    """Runs of lines with text in column k, each within `limit` of the one above."""
    out: list[list[int]] = []
    for i, c in enumerate(cells):
        if k not in c:
            continue
        if out and lines[out[-1][-1]].top - lines[i].top <= limit:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _centred(blocks, keys: list[int], lines: list[_Line], cells: list[dict[int, str]]) -> bool:
    """Whether cells are centred on their key line: multi-line cells with lines above their
    key line, or (lines not joined) text lines just above key lines that sit alone."""
    above = top = 0
    for _, block in blocks:
        inside = [i for i in keys if block[0] <= i <= block[-1]]
        if len(block) >= 2 and len(inside) == 1:
            above += inside[0] > block[0]
            top += inside[0] == block[0]
    if above or top:
        return above > top
    lonely = [i for i in keys if len(cells[i]) == 1]
    return bool(lonely) and all(i > 0 and i - 1 not in keys for i in lonely)
