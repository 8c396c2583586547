"""REDCap instrument PDFs ("Download PDF of instrument(s)"): fields rebuilt from the layout.

Each field is a table row: on the left the question text, then a marker such as
`{[cand_sex] radio Required}` or `{[z_score_hip] text (float Min: -5 Max: 4)}`, then maybe
`{Branching logic (show if): [ie_criteria] = '1'}`; on the right its choices `{1} Male`,
`{2} Female` (wrapped labels continue on the next lines) or an answer line.  Matrix groups
print one row of choices across the page above their questions.  Bold lines are section
headers, big bold lines instrument titles, and full-width text is a descriptive field.

Pages are read one at a time and a field is handed out as soon as nothing on a later page can
still belong to it, so a long PDF streams.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Iterator

from ...model import Category, Field
from .common import RedcapItem, to_field
from .pdfpages import Page, Segment

_MARKER = re.compile(r"^\{\[([^\]]+)\]\s*(\w+)?\s*(?:\(([^)]*)\))?\s*([^{}]*)\}$", re.S)
_CHOICE = re.compile(r"^[,;\s]*\{([^{}]{1,40})\}\s*(.*)$", re.S)
_CHOICE_SPLIT = re.compile(r"\s+(?=\{[^{}\[\]]{1,20}\}(?:\s|$))")
_BRANCHING = re.compile(r"^\{\s*Branching logic\s*\(show if\)\s*:\s*(.*)\}$", re.S | re.I)
_TYPES = {"textarea": "notes", "select": "dropdown"}
_CHOICE_TYPES = {"radio", "dropdown", "checkbox", "yesno", "truefalse"}
_LEFT = 0.2        # a left-column line starts in the first fifth of the page
_WIDE = 0.55       # a line reaching past this share of the width is full-width (descriptive)
_PARAGRAPH = 16.0  # points between line tops that separate paragraphs
_SAME_LINE = 2.5   # points of top difference still counted as one line
_TITLE_SIZE = 14.0


@dataclass
class _Item:
    """A block of the left column being read: question text, heading, matrix row or field."""

    kind: str                     # text | heading | matrix | field | descriptive
    page: int
    top: float
    lines: list[Segment] = dc_field(default_factory=list)
    line_pages: list[int] = dc_field(default_factory=list)
    marker: str = ""
    marker_page: int = 0
    branching: str = ""
    open_part: str = ""           # "marker" / "branching" while its closing brace is unseen
    right: list[tuple[int, Segment]] = dc_field(default_factory=list)  # (page, segment)
    width: float = 0.0


class InstrumentReader:
    """Feeds pages in order; yields fields once they cannot grow any more."""

    def __init__(self) -> None:
        self.items: list[_Item] = []     # items not yet turned into fields
        self.form = ""
        self.section = ""
        self.heading = ""                # the latest heading, until a field uses it
        self.matrix: list[Category] = []

    def feed(self, page: Page) -> Iterator[Field]:
        """Read one page; yield the fields completed by it."""
        carried = self.items[-1] if self.items else None
        left, other = _split_columns(page)
        rows, other = _matrix_rows(other, left)
        first_new = len(self.items)
        events = sorted([(s.top, 0, s) for s in left] + [(r[0].top, 1, r) for r in rows],
                        key=lambda e: -e[0])
        for _, is_row, ev in events:
            self._event(ev, page, bool(is_row))
        self._place(other, page.number, self.items[first_new:], carried)
        done, self.items = self.items[:-1], self.items[-1:]
        yield from self._finish(done)

    def close(self) -> Iterator[Field]:
        """The fields still open after the last page."""
        done, self.items = self.items, []
        yield from self._finish(done)

    # ---- reading the left column ------------------------------------------------------
    def _event(self, ev, page: Page, is_row: bool) -> None:
        cur = self.items[-1] if self.items else None
        if is_row:
            self._new("matrix", page, ev[0].top).lines = list(ev)
            return
        seg: Segment = ev
        text = seg.text
        if cur is not None and cur.open_part and not text.startswith("{["):
            self._continue(cur, text)  # a new marker ends an unclosed one (a damaged line)
        elif text.startswith("{["):
            item = self._current_or_new(cur, ("text",), page, seg)
            item.kind, item.open_part, item.marker_page = "field", "marker", page.number
            self._continue(item, text)
        elif re.match(r"^\{\s*Branching logic", text, re.I):
            fresh = cur is None or cur.branching
            item = self._current_or_new(None if fresh else cur, ("field", "text"), page, seg)
            if item.kind != "field":
                item.kind = "descriptive"  # display text shown on a condition: no data
            item.open_part = "branching"
            self._continue(item, text)
        elif seg.bold or seg.size >= _TITLE_SIZE:
            self._heading(cur, seg, page)
        else:
            item = self._current_or_new(cur, ("text",), page, seg)
            item.lines.append(seg)
            item.line_pages.append(page.number)

    def _current_or_new(self, cur: _Item | None, kinds: tuple[str, ...], page: Page,
                        seg: Segment) -> _Item:
        """The item being read when it is of one of `kinds`, else a new text item here."""
        if cur is not None and cur.kind in kinds:
            return cur
        return self._new("text", page, seg.top)

    def _continue(self, item: _Item, text: str) -> None:
        """Add a line to the marker or branching text being read; close it when braces match."""
        part = item.open_part
        value = (getattr(item, part) + " " + text).strip()
        setattr(item, part, value)
        if value.count("{") <= value.count("}"):
            item.open_part = ""

    def _heading(self, cur: _Item | None, seg: Segment, page: Page) -> None:
        title = seg.size >= _TITLE_SIZE
        same = (cur is not None and cur.kind == "heading" and cur.page == page.number
                and (cur.lines[-1].size >= _TITLE_SIZE) == title
                and cur.lines[-1].top - seg.top < 2.2 * max(seg.size, 8))
        if same:
            cur.lines.append(seg)
        else:
            self._new("heading", page, seg.top).lines.append(seg)

    def _new(self, kind: str, page: Page, top: float) -> _Item:
        item = _Item(kind, page.number, top, width=page.width)
        self.items.append(item)
        return item

    # ---- the right column -------------------------------------------------------------
    def _place(self, segments: list[Segment], page: int, items: list[_Item],
               carried: _Item | None) -> None:
        """Give each right-hand segment to the item whose row it lies in."""
        for seg in segments:
            owner = carried
            for item in items:
                if item.top >= seg.top - _SAME_LINE:
                    owner = item
                else:
                    break
            if owner is not None:
                owner.right.append((page, seg))

    # ---- items -> fields ----------------------------------------------------------------
    def _finish(self, items: list[_Item]) -> Iterator[Field]:
        for item in items:
            if item.kind == "heading":
                self._set_heading(item)
            elif item.kind == "matrix":
                self.matrix = _matrix_choices(item)
            elif item.kind == "field":
                f = self._field(item)
                if f is not None:
                    yield f

    def _set_heading(self, item: _Item) -> None:
        text = _clean(" ".join(s.text for s in item.lines))
        if item.lines[0].size >= _TITLE_SIZE:
            self.form, self.section, self.matrix = text, "", []
        else:
            self.section = self.heading = text

    def _field(self, item: _Item) -> Field | None:
        m = _MARKER.match(item.marker)
        if not m:
            return None
        name, ftype, paren, flags = m.group(1).strip(), (m.group(2) or "text").lower(), \
            m.group(3) or "", (m.group(4) or "").split()
        ftype = _TYPES.get(ftype, ftype)
        validation, lo, hi = _validation(paren) if ftype == "text" else ("", "", "")
        choices = _choices(item.right) if ftype != "slider" else []
        note = _note(item.right) if ftype not in _CHOICE_TYPES | {"slider"} else ""
        if ftype in ("radio", "dropdown", "checkbox"):
            choices = choices or self.matrix
            self.matrix = self.matrix if not item.right else []
        else:
            self.matrix = []
        title, first_page = _question(item)
        title = title or self.heading
        self.heading = ""
        rc = RedcapItem(name=name, field_type=ftype, label=title, description=note or None,
                        choices=choices,
                        validation=validation, minimum=lo, maximum=hi,
                        required="Required" in flags, identifier="Identifier" in flags,
                        branching=_branching(item.branching), form=self.form,
                        section=self.section,
                        extras={"page": first_page or item.marker_page or item.page})
        return to_field(rc)


def _split_columns(page: Page) -> tuple[list[Segment], list[Segment]]:
    limit = _LEFT * page.width
    left = [s for s in page.segments if s.x0 < limit]
    other = [s for s in page.segments if s.x0 >= limit]
    return left, other


def _matrix_rows(segments: list[Segment], left: list[Segment]):
    """Lines holding two or more `{code}` cells with no question beside them: matrix headers."""
    lines: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: -s.top):
        if lines and abs(lines[-1][0].top - seg.top) <= _SAME_LINE:
            lines[-1].append(seg)
        else:
            lines.append([seg])
    rows, rest = [], []
    for line in lines:
        cells = [s for s in line if _CHOICE.match(s.text)]
        beside = any(abs(s.top - line[0].top) <= _SAME_LINE for s in left)
        if len(cells) >= 2 and not beside:
            rows.append(sorted(line, key=lambda s: s.x0))
        else:
            rest.extend(line)
    return rows, rest


def _matrix_choices(item: _Item) -> list[Category]:
    """Choices of a matrix header row; wrapped words below go to the nearest cell."""
    cells = [(s.x0 + s.x1) / 2 for s in item.lines]
    parts: list[list[Segment]] = [[s] for s in item.lines]
    for _, seg in item.right:
        centre = (seg.x0 + seg.x1) / 2
        i = min(range(len(cells)), key=lambda k: abs(cells[k] - centre))
        parts[i].append(seg)
    out = []
    for group in parts:
        group.sort(key=lambda s: -s.top)
        m = _CHOICE.match(" ".join(s.text for s in group))
        if m:
            out.append(_category(m.group(1), m.group(2)))
    return out


def _lines(placed: list[tuple[int, Segment]]) -> list[Segment]:
    """Segments in reading order: pages, then lines (by baseline, which a lone comma shares)."""
    lines: list[list[tuple[int, Segment]]] = []
    for page, seg in sorted(placed, key=lambda p: (p[0], -p[1].bottom)):
        last = lines[-1][0] if lines else None
        if last is not None and last[0] == page and last[1].bottom - seg.bottom <= _SAME_LINE:
            lines[-1].append((page, seg))
        else:
            lines.append([(page, seg)])
    return [s for line in lines for _, s in sorted(line, key=lambda p: p[1].x0)]


def _choices(segments: list[tuple[int, Segment]]) -> list[Category]:
    """`{code} label` choices of one field, labels continued on the following lines."""
    codes: list[list[str]] = []
    for seg in _lines(segments):
        for piece in _CHOICE_SPLIT.split(seg.text):
            m = _CHOICE.match(piece)
            if m:
                codes.append([m.group(1), m.group(2)])
            elif codes and not re.fullmatch(r"_+", piece):
                codes[-1][1] += " " + piece
    return [_category(code, label) for code, label in codes]


def _note(segments: list[tuple[int, Segment]]) -> str:
    """Text beside a field without choices (not its answer line): REDCap's field note."""
    return _clean(" ".join(s.text for s in _lines(segments)))


def _category(code: str, label: str) -> Category:
    label = _clean(label)
    # `{1,}` with a stray comma: a choice whose label is empty
    return Category(code.strip().rstrip(",").strip(), label if re.search(r"\w", label) else None)


def _question(item: _Item) -> tuple[str, int | None]:
    """The question text (the lines after the last full-width paragraph) and its page."""
    paragraphs: list[list[tuple[int, Segment]]] = []
    for page, seg in zip(item.line_pages, item.lines):
        last = paragraphs[-1][-1] if paragraphs else None
        if last is not None and last[0] == page and last[1].top - seg.top <= _PARAGRAPH:
            paragraphs[-1].append((page, seg))
        else:
            paragraphs.append([(page, seg)])
    wide = [i for i, p in enumerate(paragraphs) if any(s.x1 > _WIDE * item.width for _, s in p)]
    keep = paragraphs[wide[-1] + 1:] if wide else paragraphs
    if not keep:
        return "", None
    return _clean(" ".join(s.text for p in keep for _, s in p)), keep[0][0][0]


def _validation(paren: str) -> tuple[str, str, str]:
    """(validation, min, max) from `(float Min: -5 Max: 4)`."""
    lo = re.search(r"\bMin:\s*(\S+)", paren)
    hi = re.search(r"\bMax:\s*(\S+)", paren)
    head = re.split(r"\b(?:Min|Max):", paren)[0].strip()
    return head, lo.group(1) if lo else "", hi.group(1) if hi else ""


def _branching(text: str) -> str:
    m = _BRANCHING.match(text.strip())
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def _clean(text: str) -> str:
    text = re.sub(r"_{3,}", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\(\s+", "(", text)
