"""Tables drawn without ruling lines: text runs clustered into lines and aligned columns.

A borderless dictionary table (`Field Name` at one x, `Description` at another, descriptions
wrapping onto lines that start at the second x) is rebuilt from pdfium's text rectangles:

1. runs are grouped into lines by vertical overlap, and split into segments at wide gaps;
2. x positions where segments start on many lines become column anchors;
3. a run of consecutive lines whose segments all start at anchors is a table: a line with
   text at the first anchor starts a row, the others continue the row above.
"""

from __future__ import annotations

from dataclasses import dataclass

_ALIGN_TOLERANCE = 6.0      # points between an anchor and a segment start
_MIN_ANCHOR_LINES = 3       # lines that must start a segment at an x for it to be a column
_MIN_ROWS = 3


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
    i = 0
    while i < len(lines):
        end = _run_end(lines, i, anchors, max_gap)
        if end > i:
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


def _rows(lines: list[_Line], anchors: list[float]) -> list[list[str]]:
    """Lines folded into rows: text at the first anchor starts a row."""
    rows: list[list[str]] = []
    for line in lines:
        cells = _cells(line, anchors) or {}
        if 0 in cells or not rows:
            rows.append([cells.get(k, "") for k in range(len(anchors))])
            continue
        row = rows[-1]
        for k, text in cells.items():
            row[k] = f"{row[k]}\n{text}" if row[k] else text
    used = [k for k in range(len(anchors)) if any(r[k] for r in rows)]
    return [[r[k] for k in used] for r in rows]
