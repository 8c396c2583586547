"""Ruled tables of a PDF page: pdfplumber's table finder fed from pdfium.

pdfplumber finds a ruled table from the page's line, rectangle and curve edges and reads each
cell from the characters whose centres fall in it.  Its own page parse (pdfminer interpreting
the content stream in Python, then every object turned into a dict) took most of a long PDF's
parse time, and pdfium has parsed the page already.  So the edges and characters are built
here from pdfium's objects, in pdfplumber's coordinates and shapes, for pdfplumber's own
`TableFinder` (default settings) and text extraction:

* edges: every painted path split into subpaths at each move; a straight two-point subpath is
  a line (pdfminer's `LTLine`: horizontal when flat, else vertical), a closed axis-aligned
  four-sided one a rectangle (four edges), anything else a curve (an edge per segment between
  the end points of its operators, as pdfminer keeps them).  Lines come first, then rectangles,
  then curves, as `Page.edges` lists them.
* characters: boxed as pdfminer boxes them: the left and right of pdfium's advance-width box,
  its bottom the font's descent below the baseline (the pieces of a ligature, which pdfium
  boxes by their ink, take the descent of their line's font), one font size high.  pdfium
  reports some space glyphs as spaces it added: those, and the spaces it adds where a gap alone
  parts two words, go on their line just after the word before, as a space glyph would.
  pdfium also reads what pdfminer cannot (a ligature without a Unicode mapping is `fi`, not
  NUL; Arabic in its base letters, not its presentation forms).

A rotated page, or one with text set at an angle or upside down, gets None: the caller asks
pdfplumber for it.
"""

from __future__ import annotations

import ctypes
from bisect import bisect_left
from typing import Any

Obj = dict[str, Any]
Point = tuple[float, float]
_ABOVE = 60.0            # points above a table searched for its caption
_WORD_GAP = 0.1          # of the font size: a narrower gap between two characters parts no words
# pdfium's marks for a hyphen that ends a line
_HYPHENS = {"\x02": "-", "\ufffe": "-"}


class _Page:
    """What pdfplumber's `TableFinder` reads from a page."""

    def __init__(self, bbox: tuple[float, float, float, float], edges: list[Obj]) -> None:
        self.bbox = bbox
        self.edges = edges
        self.chars: list[Obj] = []


def ruled_tables(page, textpage, plumbed) -> list[tuple[list, tuple, str]] | None:
    """(raw rows, bbox, line above) of each table pdfplumber's finder sees on the page, or None
    when the page is one for pdfplumber itself.  `plumbed` is pdfplumber's page, for its
    geometry (its content is not parsed here)."""
    from pdfplumber.table import TableFinder, TableSettings

    if plumbed.rotation or page.get_rotation() % 360:
        return None
    height, doctop = plumbed.height, plumbed.initial_doctop
    chars = _chars(textpage, height, doctop)
    if chars is None:
        return None
    edges = _edges(page, height, doctop)
    finder = TableFinder(_Page(plumbed.bbox, edges), TableSettings.resolve(None))
    return [(_extract(table, chars), table.bbox, _line_above(chars, table.bbox, plumbed))
            for table in finder.tables]


def _extract(table, chars: list[Obj]) -> list[list[str | None]]:
    """pdfplumber's `Table.extract()`: each cell's text from the characters whose centres are
    in it (in page order), None where a spanning cell covers the position.  The characters
    are looked up by their centres' heights rather than tested against every row."""
    from pdfplumber.utils import extract_text

    mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in chars]
    order = sorted(range(len(chars)), key=lambda k: mids[k][1])
    heights = [mids[k][1] for k in order]
    out = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        span = order[bisect_left(heights, top):bisect_left(heights, bottom)]
        in_row = sorted(k for k in span if x0 <= mids[k][0] < x1)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            inside = [chars[k] for k in in_row
                      if cx0 <= mids[k][0] < cx1 and ctop <= mids[k][1] < cbottom]
            cells.append(extract_text(inside) if inside else "")
        out.append(cells)
    return out


def _line_above(chars: list[Obj], bbox, plumbed) -> str:
    """The last line of text above the table (its heading or caption), as pdfplumber's
    `page.crop((0, top - 60, page.width, top)).extract_text()` reads it."""
    from pdfplumber.page import test_proposed_bbox
    from pdfplumber.utils import chars_to_textmap, crop_to_bbox

    top = bbox[1]
    if top <= 1:
        return ""
    crop = (0, max(0, top - _ABOVE), plumbed.width, top)
    try:
        test_proposed_bbox(crop, plumbed.bbox)
    except ValueError:
        return ""
    near = [c for c in chars if c["bottom"] >= crop[1] and c["top"] <= crop[3]]
    text = chars_to_textmap(crop_to_bbox(near, crop), layout_bbox=crop,
                            layout_width=crop[2] - crop[0],
                            layout_height=crop[3] - crop[1]).as_string
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


# ---- characters ------------------------------------------------------------------------------
def _chars(textpage, height: float, doctop: float) -> list[Obj] | None:
    """pdfplumber-shaped characters, or None when some are not set upright and level (or
    pdfium's count of them does not match its text)."""
    import pypdfium2.raw as raw

    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:
        return None
    tp = textpage.raw
    generated, loose_box = raw.FPDFText_IsGenerated, raw.FPDFText_GetLooseCharBox
    char_matrix, font_size = raw.FPDFText_GetMatrix, raw.FPDFText_GetFontSize
    origin = raw.FPDFText_GetCharOrigin
    box, m = raw.FS_RECTF(), raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    descents: dict[float, float] = {}       # font size: how far the boxes reach below the line
    out: list[Obj] = []
    for i, ch in enumerate(text):
        if generated(tp, i):
            if ch == " " and out and not out[-1]["text"].isspace():
                out.append({**out[-1], "text": " ", "added": True})     # on prev's line
            continue
        if not char_matrix(tp, i, m) or m.b or m.c or m.a <= 0 or m.d <= 0 \
                or not loose_box(tp, i, box) or not origin(tp, i, ox, oy):
            return None
        size = font_size(tp, i) * m.d
        below = box.bottom - oy.value
        if below < 0:
            descents[size] = below
        else:       # a piece of a ligature is boxed by its ink: it sits on the line
            below = descents.get(size, below)
        bottom = height - (oy.value + below)
        top = bottom - size
        out.append({"text": _HYPHENS.get(ch, ch), "x0": box.left, "x1": box.right,
                    "top": top, "bottom": bottom, "doctop": doctop + top, "upright": True,
                    "size": size, "width": box.right - box.left, "height": size,
                    "object_type": "char"})
    return _place_spaces(out)


def _place_spaces(chars: list[Obj]) -> list[Obj]:
    """The characters with each space pdfium added (for a space glyph it does not count as
    text, or a gap between words) put on the line of the character before it, just after that
    character, so that it parts the words as a space glyph does.  One with no gap after it
    (text drawn over text, a right-to-left run in pdfium's order) is dropped."""
    out: list[Obj] = []
    for k, c in enumerate(chars):
        if not c.pop("added", False):
            out.append(c)
            continue
        prev, nxt = out[-1], chars[k + 1] if k + 1 < len(chars) else None
        if nxt is None or abs(nxt["top"] - prev["top"]) >= 1 \
                or nxt["x0"] - prev["x1"] < _WORD_GAP * prev["size"]:
            continue
        out.append({**c, "x0": prev["x1"], "x1": prev["x1"], "width": 0.0})
    return out


# ---- edges -----------------------------------------------------------------------------------
def _edges(page, height: float, doctop: float) -> list[Obj]:
    """pdfplumber's `page.edges`: line edges, then rectangle edges, then curve edges."""
    import pypdfium2.raw as raw

    lines: list[tuple[Point, Point]] = []
    rects: list[tuple[float, float, float, float]] = []
    curves: list[list[Point]] = []
    for path, matrix in _paths(page.raw, raw):
        for ops, pts in _subpaths(path, matrix, raw):
            pts = [(x, height - y) for x, y in pts]
            _classify(ops, pts, lines, rects, curves)
    out = [_line_edge(p0, p1, doctop) for p0, p1 in lines]
    for x0, top, x1, bottom in rects:
        out += [_edge(x0, top, x1, top, "h", "rect_edge", doctop),
                _edge(x0, bottom, x1, bottom, "h", "rect_edge", doctop),
                _edge(x0, top, x0, bottom, "v", "rect_edge", doctop),
                _edge(x1, top, x1, bottom, "v", "rect_edge", doctop)]
    for pts in curves:
        for p0, p1 in zip(pts, pts[1:]):
            orient = "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)
            out.append(_edge(min(p0[0], p1[0]), min(p0[1], p1[1]), max(p0[0], p1[0]),
                             max(p0[1], p1[1]), orient, "curve_edge", doctop))
    return out


def _edge(x0, top, x1, bottom, orientation, kind: str, doctop: float) -> Obj:
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": doctop + top, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation}


def _line_edge(p0, p1, doctop: float) -> Obj:
    x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
    top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
    return _edge(x0, top, x1, bottom, "h" if top == bottom else "v", "line", doctop)


def _classify(ops: str, pts: list[Point], lines: list, rects: list, curves: list) -> None:
    """A subpath as pdfminer's `paint_path` sees it: a line, a rectangle or a curve."""
    if ops in ("ml", "mlh"):
        lines.append((pts[0], pts[1]))
        return
    if ops in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or \
                 (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if last == pts[0] and square:
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            rects.append((min(xs), min(ys), max(xs), max(ys)))
            return
    curves.append(pts)


def _paths(page, raw):
    """(path object, its matrix on the page) for every path, in forms too."""
    yield from _paths_in(page, raw.FPDFPage_CountObjects, raw.FPDFPage_GetObject,
                         (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), raw)


def _paths_in(parent, count, get, outer, raw):
    """The paths among `parent`'s objects (a page's or a form's), `outer` its matrix."""
    m = raw.FS_MATRIX()
    for k in range(count(parent)):
        obj = get(parent, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, m)
        matrix = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), outer)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield obj, matrix
        else:
            yield from _paths_in(obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject,
                                 matrix, raw)


def _multiply(m1, m0):
    """The matrix m1 then m0 (PDF row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1, b0 * c1 + d0 * d1,
            a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _subpaths(path, matrix, raw):
    """(operators, end points on the page) of each subpath: `m`, `l`, `c` (a Bézier, by its
    end point) and `h` (closed back to the start), as pdfminer records them."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    ops: list[str] = []
    pts: list[Point] = []
    n = raw.FPDFPath_CountSegments(path)
    k = 0
    while k < n:
        seg = raw.FPDFPath_GetPathSegment(path, k)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            seg = raw.FPDFPath_GetPathSegment(path, min(k + 2, n - 1))
            k += 3
        else:
            k += 1
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        pt = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if ops:
                yield "".join(ops), pts
            ops, pts = ["m"], [pt]
            continue
        if not ops:
            ops, pts = ["m"], [pt]
            continue
        closes = raw.FPDFPathSegment_GetClose(seg)
        if closes and pt == pts[0] and kind == raw.FPDF_SEGMENT_LINETO:
            ops.append("h")
        else:
            ops.append("c" if kind == raw.FPDF_SEGMENT_BEZIERTO else "l")
            if closes:
                pts.append(pt)
                ops.append("h")
                pt = pts[0]
        pts.append(pt)
    if ops:
        yield "".join(ops), pts
