"""PDF running text in reading order, without page furniture.

pdfium gives a page's text in content-stream order, which is not always the order on the
page: a two-column block (`Label   explanation` rows) drawn after the paragraph below it
comes out after that paragraph.  `page_text` rebuilds the page from its text runs instead:
lines top to bottom, segments left to right, a wide horizontal gap written as a tab (so a
label column stays apart from its explanation).  A page set in two columns of prose keeps
pdfium's order, which follows the columns.

Text drawn twice over itself (a bold face made by overprinting) is kept once.

`drop_furniture` removes what repeats at the top or bottom of the pages (running headers,
`CONTEST - DATA DICTIONARY 3` footers) and bare page numbers there.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field

_PAGE_NUMBER = re.compile(r"^\W{0,3}(?:page\s*|p\.\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?\W{0,3}$",
                          re.I)
_DIGITS = re.compile(r"\d+")
_EDGE_LINES = 2          # lines at the top and at the bottom of a page that may be furniture
_PROSE_SEGMENT = 30      # characters: a segment this long on both sides of a gap is prose
_OVERPRINT = 0.8         # share of a piece another of the same text covers: drawn twice


@dataclass
class _Piece:
    """Characters of one pdfium text line between two wide gaps."""

    left: float = float("inf")
    right: float = float("-inf")
    top: float = float("-inf")
    bottom: float = float("inf")
    chars: list[str] = field(default_factory=list)

    def add(self, ch: str, box: tuple[float, float, float, float] | None) -> None:
        self.chars.append(ch)
        if box is not None:
            left, bottom, right, top = box
            self.left, self.right = min(self.left, left), max(self.right, right)
            self.top, self.bottom = max(self.top, top), min(self.bottom, bottom)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chars).split())

    @property
    def placed(self) -> bool:
        return self.top > self.bottom and bool(self.text)


def page_text(textpage, clean) -> str:
    """The page's lines in reading order (wide gaps as tabs); pdfium's order for two columns.

    `clean` normalises pdfium's text (line ends, soft hyphens)."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    pieces = _pieces(textpage, text) if len(text) == count else []
    lines = _visual_lines(pieces)
    if not lines or _two_prose_columns(lines):
        return clean(text)
    return clean("\n".join(_line_text(line) for line in lines))


def _pieces(textpage, text: str) -> list[_Piece]:
    """pdfium's text lines, each split where a wide gap separates two characters."""
    pieces: list[_Piece] = []
    current = _Piece()
    last_right = None
    for i, ch in enumerate(text):
        if ch in "\r\n":
            if current.chars:
                pieces.append(current)
            current, last_right = _Piece(), None
            continue
        box = textpage.get_charbox(i) if not ch.isspace() else None
        if box is not None and last_right is not None:
            height = max(box[3] - box[1], current.top - current.bottom, 4.0)
            if box[0] - last_right > max(4.0, 0.9 * height):
                pieces.append(current)
                current = _Piece()
        current.add(ch, box)
        if box is not None:
            last_right = box[2]
    if current.chars:
        pieces.append(current)
    return [p for p in pieces if p.placed]


def _visual_lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Pieces grouped into lines by vertical overlap, top to bottom, each left to right."""
    lines: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: (-p.top, p.left)):
        mid = (piece.top + piece.bottom) / 2
        for line in reversed(lines[-3:]):
            if min(p.bottom for p in line) <= mid <= max(p.top for p in line):
                line.append(piece)
                break
        else:
            lines.append([piece])
    return [_once(sorted(line, key=lambda p: p.left)) for line in lines]


def _once(line: list[_Piece]) -> list[_Piece]:
    """The line without pieces drawn again over a piece holding the same text (a bold face
    made by printing the text twice, a little apart, a whole run or a part of it)."""
    out: list[_Piece] = []
    for piece in line:
        if any(piece.text in p.text and _overlap(p, piece) >= _OVERPRINT for p in out):
            continue
        out = [p for p in out if not (p.text in piece.text and _overlap(p, piece) >= _OVERPRINT)]
        out.append(piece)
    return out


def _overlap(a: _Piece, b: _Piece) -> float:
    """Share of the narrower piece's width that the other piece covers."""
    width = min(a.right - a.left, b.right - b.left)
    shared = min(a.right, b.right) - max(a.left, b.left)
    return shared / width if width > 0 else 0.0


def _line_text(line: list[_Piece]) -> str:
    """A line's pieces joined: a tab across a wide gap, a space otherwise."""
    out = line[0].text
    for prev, piece in zip(line, line[1:]):
        height = max(piece.top - piece.bottom, 4.0)
        out += ("\t" if piece.left - prev.right > max(4.0, 0.9 * height) else " ") + piece.text
    return out


def _two_prose_columns(lines: list[list[_Piece]]) -> bool:
    """Whether many lines hold two long pieces side by side (a page set in two columns)."""
    texts = [[p.text for p in line] for line in lines]
    full = [t for t in texts if sum(len(x) for x in t) >= 20]
    paired = sum(1 for t in full if len(t) == 2 and all(len(x) >= _PROSE_SEGMENT for x in t))
    return bool(full) and paired >= 0.4 * len(full)


def drop_furniture(pages: list[str]) -> list[str]:
    """Pages without repeated headers/footers and page numbers at their top or bottom."""
    split = [page.split("\n") for page in pages]
    counts: dict[str, int] = {}
    forms: dict[str, set[str]] = {}
    for lines in split:
        for line in set(_edges(lines)):
            key = _key(line)
            counts[key] = counts.get(key, 0) + 1
            forms.setdefault(key, set()).add(" ".join(line.split()))
    # a line repeated with a number that changes (`Page 3`) is a running header or footer,
    # dropped everywhere; one repeated as is on three pages or more too, except where it
    # first appears (it may be the title)
    changing = {k for k, n in counts.items() if k and n >= 2 and n >= 0.5 * len(pages)
                and len(forms[k]) > 1}
    repeated = {k for k, n in counts.items() if k and n >= 3 and n >= 0.5 * len(pages)}
    seen: set[str] = set()
    out = []
    for lines in split:
        body = [i for i, line in enumerate(lines) if line.strip()]
        edge = set(body[:_EDGE_LINES] + body[-_EDGE_LINES:])
        kept = []
        for i, line in enumerate(lines):
            key = _key(line)
            if i in edge and (_PAGE_NUMBER.match(line.strip()) or key in changing
                              or key in repeated and key in seen):
                continue
            seen.add(key)
            kept.append(line)
        out.append("\n".join(kept))
    return out


def _edges(lines: list[str]) -> list[str]:
    body = [line for line in lines if line.strip()]
    return body[:_EDGE_LINES] + body[-_EDGE_LINES:]


def _key(line: str) -> str:
    """A line with its numbers blanked (`Page 3` and `Page 4` are one footer)."""
    return _DIGITS.sub("#", " ".join(line.split())).lower()
