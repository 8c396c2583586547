"""PDF pages as positioned text segments (pypdfium2), with REDCap's page furniture removed.

A segment is a run of text on one line with no wide horizontal gap: REDCap lays question text
and its choices side by side, and pdfium joins them into one line, so lines are split where
the gap between two characters is wider than a few spaces.
"""

from __future__ import annotations

import ctypes
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ...formats.pdf.read import no_text_error, open_pdfium  # noqa: F401 - re-exported

_WORD = re.compile(r"[^\s]+|\n")
# pdfium's soft hyphen and hyphen marks read as "-", its NUL as a blank (same string length)
_PDFIUM_MARKS = str.maketrans({"\x02": "-", "\ufffe": "-", "\x00": " "})
_GAP = 8.0          # points: wider than a word space, narrower than the gap between columns
_FURNITURE = re.compile(
    r"^(?:Confidential|Page \d+(?: of \d+)?|\d{1,2}[-/]\d{1,2}[-/]\d{2,4} \d{1,2}:\d{2}(?: ?[AP]M)?"
    r"|(?:www\.)?projectredcap\.org)$")


@dataclass(frozen=True)
class Segment:
    """Text on one line between two wide gaps, with its box (PDF points, y upwards)."""

    x0: float
    x1: float
    top: float
    bottom: float
    text: str
    size: float = 0.0
    bold: bool = False


@dataclass(frozen=True)
class Page:
    """One page's content segments (top to bottom) and its size."""

    number: int          # from 1
    total: int
    width: float
    height: float
    segments: list[Segment]


@contextmanager
def open_pdf(path: str | Path, filename: str):
    """The pypdfium2 document, closed on exit (errors as engine.formats.pdf raises them)."""
    doc = open_pdfium(path, filename)
    try:
        yield doc
    finally:
        doc.close()


def page_text(doc, index: int) -> str:
    """Plain text of one page (for sniffing)."""
    page = doc[index]
    try:
        textpage = page.get_textpage()
        text = textpage.get_text_range()
        textpage.close()
    finally:
        page.close()
    return text


def iter_pages(doc, start: int = 0, words: bool = False) -> Iterator[Page]:
    """Every page from `start` as segments, header and footer lines removed.

    With `words`, each word is its own segment and nothing is removed (the caller knows
    its layout's furniture).
    """
    total = len(doc)
    for i in range(start, total):
        page = doc[i]
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            segments = _segments(textpage, words)
            textpage.close()
        finally:
            page.close()
        if not words:
            segments = strip_furniture(segments, width, height)
        yield Page(i + 1, total, width, height, segments)


def _segments(textpage, words: bool = False) -> list[Segment]:
    """Runs of words split at line ends and at wide gaps (at every word with `words`).

    Only the first and last character of each word are measured: asking pdfium for every
    character's box costs more than the rest of the parse.
    """
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != count:  # indices must line up with char boxes: read char by char
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    text = text.translate(_PDFIUM_MARKS)
    boxes = [ctypes.c_double() for _ in range(4)]
    refs = [ctypes.byref(v) for v in boxes]

    def box(i: int) -> tuple[float, float, float, float]:
        raw.FPDFText_GetCharBox(handle, i, *refs)
        return boxes[0].value, boxes[1].value, boxes[2].value, boxes[3].value  # l, r, b, t

    out: list[Segment] = []
    run: _Run | None = None
    for m in _WORD.finditer(text):
        if m.group() == "\n":
            _close(run, out)
            run = None
            continue
        i, j = m.start(), m.end() - 1
        left, right, bottom, top = box(i)
        if j > i:
            _, right2, bottom2, top2 = box(j)
            if words and top2 < bottom:   # the last character is below the first: wrapped?
                _close(run, out)
                run = None
                out.extend(_wrapped_word(textpage, m.start(), m.group(), box))
                continue
            right, bottom, top = max(right, right2), min(bottom, bottom2), max(top, top2)
        if run is not None and (words or _splits(run, left, m.group()[0])):
            _close(run, out)
            run = None
        if run is None:
            run = _Run(left, right, top, bottom, [m.group()],
                       raw.FPDFText_GetFontSize(handle, i), _bold(textpage, i))
        else:
            run.x1, run.top = max(run.x1, right), max(run.top, top)
            run.bottom = min(run.bottom, bottom)
            run.words.append(m.group())
    _close(run, out)
    return out


def _wrapped_word(textpage, start: int, word: str, box) -> list[Segment]:
    """A word the layout broke over lines without a space (`DD-` / `MM-YYYY`), one segment
    per line, each character measured."""
    import pypdfium2.raw as raw

    pieces: list[list] = []   # [first index, text, l, r, b, t]
    prev_left = 0.0
    for k, ch in enumerate(word):
        left, right, bottom, top = box(start + k)
        last = pieces[-1] if pieces else None
        if last is not None and not (left < prev_left and top < last[4]):   # same line
            last[1] += ch
            last[3], last[4], last[5] = max(last[3], right), min(last[4], bottom), max(last[5], top)
        else:
            pieces.append([start + k, ch, left, right, bottom, top])
        prev_left = left
    return [Segment(x0, x1, top, bottom, text,
                    round(raw.FPDFText_GetFontSize(textpage.raw, i), 1), _bold(textpage, i))
            for i, text, x0, x1, bottom, top in pieces]


@dataclass
class _Run:
    """A segment being collected."""

    x0: float
    x1: float
    top: float
    bottom: float
    words: list[str]
    size: float
    bold: bool


def _bold(textpage, index: int) -> bool:
    """Bold by weight, or by name for fonts that state no weight (the standard Helvetica)."""
    import pypdfium2.raw as raw

    if raw.FPDFText_GetFontWeight(textpage.raw, index) >= 600:
        return True
    buf = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    n = raw.FPDFText_GetFontInfo(textpage.raw, index, buf, len(buf), ctypes.byref(flags))
    name = buf.raw[:max(n - 1, 0)].decode("latin-1", errors="replace")
    return re.search(r"Bold|Black|Heavy", name) is not None


def _splits(run: _Run, x: float, ch: str) -> bool:
    """A gap wider than a font size (or a few points before a `{code}`) ends a segment."""
    gap = x - run.x1
    # word gaps in big titles reach 8-9 pt; columns of choices are 9 pt apart or more
    return gap > max(_GAP, run.size) or (ch == "{" and gap > 3.0)


def _close(run: _Run | None, out: list[Segment]) -> None:
    if run is None:
        return
    text = " ".join(run.words).strip()
    if text:
        out.append(Segment(run.x0, run.x1, run.top, run.bottom, text, round(run.size, 1),
                           run.bold))


def text_lines(segments: list[Segment], tolerance: float = 3.0) -> list[list[Segment]]:
    """Segments grouped into lines (tops within `tolerance`), top to bottom, left to right."""
    lines: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: -s.top):
        if lines and lines[-1][0].top - seg.top <= tolerance:
            lines[-1].append(seg)
        else:
            lines.append([seg])
    return [sorted(line, key=lambda s: s.x0) for line in lines]


def strip_furniture(segments: list[Segment], width: float, height: float) -> list[Segment]:
    """Drop the export date, `Confidential`, `Page n` and the project title above it."""
    band = 0.06 * height
    marks = [s for s in segments if (s.top > height - band or s.bottom < band)
             and _FURNITURE.match(s.text)]
    page_no = next((s for s in marks if s.text.startswith("Page ") and s.top > height - band),
                   None)
    drop = set(marks)
    if page_no is not None:  # the project title sits above `Page n`, right-aligned
        drop.update(s for s in segments if s.x0 > width / 2 and s.bottom >= page_no.top - 1)
    return [s for s in segments if s not in drop]
