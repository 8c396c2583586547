"""REDCap's "Data Dictionary Codebook" page printed to PDF: a table of numbered variables.

Columns: `#`, `Variable / Field Name`, `Field Label` (with the field note in small italics
below it, or in a `Field Note` column of its own), `Field Attributes (Field Type, Validation,
Choices, Calculations, etc.)`.  A row starts with its number and `[name]` (a long name wraps:
`[what_is_the_patients_inco` / `m]`); below the name may come `Show the field ONLY if:` and the
branching logic.  `Instrument: Title (form_name)` lines span the table between instruments.
The browser's print adds a date, title, URL and page counter around every page.

Columns are found from the rows themselves (the row number, the `[` of the name, the field
type starting the attribute cell), so they hold whatever language the headings are in; a
heading of its own between the label and the attributes is the field note column.  Pages are
read one at a time; a row is finished when the next row or instrument starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field, replace
from statistics import median
from typing import Iterator

from ...model import Field
from .codebook_cells import Line, Row, row_field
from .common import FIELD_TYPES
from .pdfpages import Page, Segment

_HEADINGS = ("Variable / Field Name", "Field Label", "Field Attributes")
_NEAR = 6.0          # points: a word this close to a column's start starts in that column
_GROUP_GAP = 8.0     # points between two words that start a new cell in a heading line
_BAND = 0.06         # share of the page height where the browser prints its header/footer
_ROW_START = re.compile(r"^(\d{1,5})(\[.*)?$")
_CAPTION = re.compile(r"^[^:\[\]]{2,40}:")    # `Instrument: ...` (in any language)
_INSTRUMENT = re.compile(r"^[^:\[\]]{2,40}:\s*(.*?)\s*\(([A-Za-z0-9_]+)\)")
_FURNITURE = re.compile(   # an address, a page counter (`3/9`, `3 of 9`) or a date
    r"\b[a-z][a-z0-9+.-]*://|www\.|(?:^|\s)\d{1,4}\s*/\s*\d{1,4}(?:\s|$)"
    r"|\b\d{1,4}\s+(?:of|de|von|sur)\s+\d{1,4}\b|\b\d{1,4}[-/.]\d{1,2}[-/.]\d{2,4}\b", re.I)


def looks_like_codebook(text: str) -> bool:
    """The codebook's column headings, its address, or rows of `n [name] ... type`."""
    flat = re.sub(r"\s+", " ", text)
    if all(h in flat for h in _HEADINGS) or "data_dictionary_codebook.php" in flat:
        return True
    rows = re.findall(r"^\d{1,5} ?\[[A-Za-z]\w*\]?", text, re.M)
    types = re.findall(r"\b(%s)\b[^\n]*$" % "|".join(FIELD_TYPES), text, re.M)
    return len(rows) >= 5 and len(types) >= 3


@dataclass
class Columns:
    """Where each column starts (PDF points); `note` only when it is a column of its own."""

    num: float
    name: float
    label: float
    attr: float
    note: float | None = None

    def of(self, seg: Segment) -> str:
        """The column a word starting at seg.x0 belongs to."""
        x = seg.x0 + _NEAR
        if x >= self.attr:
            return "attr"
        if self.note is not None and x >= self.note:
            return "note"
        if x >= self.label:
            return "label"
        return "name" if x >= self.name else "num"


@dataclass
class _Start:
    """A line that starts a numbered row: its number and the words from the name on."""

    number: int
    num_word: Segment
    name_x: float


@dataclass
class CodebookReader:
    """Feeds codebook pages in order; yields each variable once the next one starts."""

    cols: Columns | None = None
    row: Row | None = None
    form: str = ""
    section: str = ""
    warnings: list[str] = dc_field(default_factory=list)
    last_number: int = 0
    wide: float = _GROUP_GAP   # a gap between words wider than this separates table cells
    unread: list[int] = dc_field(default_factory=list)   # pages after the first row, unused
    right: dict[str, float] = dc_field(default_factory=dict)  # column -> furthest x1 on page
    votes: list[float] = dc_field(default_factory=list)   # x of cells right of the labels
    heading_texts: set[str] = dc_field(default_factory=set)   # heading lines seen so far

    def feed(self, page: Page) -> Iterator[Field]:
        """Read one page; yield the variables completed by it."""
        lines = _content_lines(page)
        starts = _row_starts(lines, self.cols)
        self.cols = _columns(lines, starts, self.cols)
        if self.cols is None:
            return
        self.wide = _wide_gap(lines, self.wide)
        if not starts and self.row is None and self.last_number and len(lines) >= 3:
            self.unread.append(page.number)
        headings = self._headings(lines, min(starts, default=len(lines)))
        self._note_column([lines[i] for i in sorted(headings)])
        self._note_votes([lines[i] for i in starts])
        self.right = {}   # lines across the table (titles, instruments) do not count
        for i, line in enumerate(lines):
            inside = i in starts or (i not in headings and self.cols.of(line[0]) != "num")
            for seg in line if inside else ():
                col = self.cols.of(seg)
                self.right[col] = max(self.right.get(col, 0.0), seg.x1)
        skip = -1
        for i, line in enumerate(lines):
            if i in starts:
                yield from self.close()
                self._open(starts[i], line, page.number)
            elif i in headings or i == skip:
                continue
            elif self.cols.of(line[0]) == "num":   # a line across the table
                inst = _instrument(line, self.cols)
                if inst is None and i + 1 < len(lines) and i + 1 not in starts:
                    inst = _instrument(line + lines[i + 1], self.cols)  # a wrapped title
                    skip = i + 1 if inst is not None else skip
                if inst is not None:
                    yield from self.close()
                    self.form, self.section = inst, ""
            elif self._unnumbered(line):
                yield from self.close()
                self._open_unnumbered(line, page.number)
            elif self.row is not None:
                self._add(line, page.number)

    def close(self) -> Iterator[Field]:
        """The row being read, as a field (none for descriptive rows or unreadable names)."""
        row, self.row = self.row, None
        if row is None:
            return
        f, section = row_field(row, self.form, self.section, self.warnings)
        self.section = section
        if f is not None:
            yield f

    def finish(self) -> list[str]:
        """Warnings about rows that could not be read, once every page is fed."""
        if self.unread:
            pages = ", ".join(str(p) for p in self.unread[:20])
            self.warnings.append(f"REDCap codebook: no numbered rows could be read on page(s) "
                                 f"{pages}; what they hold is missing.")
        return self.warnings

    # ---- rows ------------------------------------------------------------------------------
    def _open(self, start: _Start, line: list[Segment], page: int) -> None:
        """Start a numbered row; say which numbers were skipped."""
        expected = self.last_number + 1
        if start.number > expected:
            missing = (f"row {expected}" if start.number == expected + 1
                       else f"rows {expected}-{start.number - 1}")
            self.warnings.append(f"REDCap codebook: {missing} not found before row "
                                 f"{start.number} (page {page}); those variables are missing.")
        self.last_number = max(self.last_number, start.number)
        self.row = Row(start.number, page, start.num_word.size)
        words = [s for s in line if s is not start.num_word]
        glued = _ROW_START.match(start.num_word.text).group(2)
        if glued:   # `10[comments]`: the name's part of the word goes to the name column
            words.insert(0, replace(start.num_word, text=glued, x0=self.cols.name + 2))
        self._add(words, page)

    def _add(self, line: list[Segment], page: int) -> None:
        """Put a line's words in the open row's cells."""
        cells: dict[str, list[Segment]] = {}
        for seg in line:
            cells.setdefault(self.cols.of(seg), []).append(seg)
        for col, words in cells.items():
            if col != "num":
                self.row.cells.setdefault(col, []).append(
                    Line(page, words, self.wide, self.right.get(col, 0.0)))

    def _unnumbered(self, line: list[Segment]) -> bool:
        """A `[name]` with a field type beside it but no row number: a row whose number was
        not printed (branching logic under a name always follows its caption line)."""
        names = [s for s in line if self.cols.of(s) == "name"]
        attrs = [s for s in line if self.cols.of(s) == "attr"]
        if not names or not attrs or not re.fullmatch(r"\[[A-Za-z]\w*\]?", names[0].text):
            return False
        if not _type_word(attrs[0].text):
            return False
        below = self.row.cells.get("name", [])[1:] if self.row is not None else []
        return not any(ln.text.rstrip().endswith(":") for ln in below)

    def _open_unnumbered(self, line: list[Segment], page: int) -> None:
        """Start a row whose number is missing, and say so."""
        name = next(s.text for s in line if self.cols.of(s) == "name")
        self.warnings.append(f"REDCap codebook: {name} (page {page}) has no row number; it "
                             f"was read as the row after {self.last_number}.")
        self.last_number += 1
        self.row = Row(self.last_number, page, line[0].size)
        self._add(line, page)

    def _note_votes(self, row_lines: list[list[Segment]]) -> None:
        """Smaller text that starts, after a cell gap, at the same x right of the label on two
        rows or more is the note column (when the headings did not show it)."""
        cols = self.cols
        for line in row_lines:
            inner = [s for s in line if cols.label + 2 < s.x0 + _NEAR and s.x0 + _NEAR < cols.attr]
            for prev, seg in zip(inner, inner[1:]):
                if seg.x0 - prev.x1 > self.wide and seg.x0 > cols.label + 20 and \
                        seg.size < line[0].size - 0.5:
                    self.votes.append(seg.x0)
                    break
        if cols.note is None:
            for x in sorted(self.votes):
                if sum(1 for v in self.votes if abs(v - x) <= 3) >= 2:
                    cols.note = x - 1
                    break

    # ---- headings --------------------------------------------------------------------------
    def _headings(self, lines: list[list[Segment]], first: int) -> set[int]:
        """Lines of the column headings above the first row of a page: a block of lines close
        together, one of them with words in two columns or more.  Before the first row of
        the document any line may be one (the block nearest the table counts); later pages
        repeat them in some prints, found by their text or bold type."""
        runs: list[list[int]] = []
        for i in range(first):
            line = lines[i]
            known = not self.last_number or _line_text(line) in self.heading_texts
            if not (known or all(s.bold for s in line)) or _CAPTION.match(line[0].text):
                continue
            prev = lines[runs[-1][-1]] if runs else None
            if prev is not None and runs[-1][-1] == i - 1 and \
                    prev[0].bottom - line[0].top < prev[0].top - prev[0].bottom:
                runs[-1].append(i)
            else:
                runs.append([i])
        runs = [run for run in runs if any(
            len({self.cols.of(s) for s in lines[i]}) >= 2 or
            _line_text(lines[i]) in self.heading_texts for i in run)]
        if not self.last_number:
            runs = runs[-1:]
        out = {i for run in runs for i in run}
        self.heading_texts.update(_line_text(lines[i]) for i in out)
        return out

    def _note_column(self, heading: list[list[Segment]]) -> None:
        """A heading cell starting between the label and the attributes is the note column,
        when the headings are aligned with the columns' content (not centred)."""
        cols = self.cols
        starts = [seg.x0 for line in heading for seg, prev in zip(line, [None] + line[:-1])
                  if prev is None or seg.x0 - prev.x1 > _GROUP_GAP]
        aligned = all(any(abs(x - (col + 2)) <= _NEAR for x in starts)
                      for col in (cols.label, cols.attr))
        between = [x for x in starts if cols.label + 20 < x < cols.attr - 20]
        if aligned and between:
            cols.note = min(between) - 1


# ---- page lines -------------------------------------------------------------------------
def _content_lines(page: Page) -> list[list[Segment]]:
    """The page's lines top to bottom, without the browser's header and footer lines."""
    lines = _group_lines(page.segments)
    band = _BAND * page.height
    drop = set()
    for i in (0, 1, len(lines) - 2, len(lines) - 1):
        if not 0 <= i < len(lines) or i in drop:
            continue
        line = lines[i]
        in_band = line[0].bottom > page.height - band or line[0].top < band
        text = " ".join(s.text for s in line)
        if in_band and _FURNITURE.search(text) and not _ROW_START.match(line[0].text):
            drop.add(i)
    return [line for i, line in enumerate(lines) if i not in drop]


def _group_lines(words: list[Segment]) -> list[list[Segment]]:
    """Words in lines, top to bottom, left to right: a word whose middle lies within a line's
    height belongs to it (`per` is lower-topped than `Cigarettes` on the same line)."""
    lines: list[list[Segment]] = []
    band = (0.0, 0.0)
    for seg in sorted(words, key=lambda s: -s.top):
        middle = (seg.top + seg.bottom) / 2
        if lines and band[0] <= middle <= band[1]:
            lines[-1].append(seg)
            band = (min(band[0], seg.bottom), max(band[1], seg.top))
        else:
            lines.append([seg])
            band = (seg.bottom, seg.top)
    return [sorted(line, key=lambda s: s.x0) for line in lines]


def _wide_gap(lines: list[list[Segment]], known: float) -> float:
    """A gap wider than this separates table cells: about two thirds of an em, measured as
    three quarters of the height of the digits on the page (row numbers, codes); word spaces
    are narrower."""
    heights = sorted(s.top - s.bottom for line in lines for s in line if s.text.isdigit())
    if len(heights) < 3:
        return known
    return 0.75 * heights[len(heights) // 2]


def _row_starts(lines: list[list[Segment]], cols: Columns | None) -> dict[int, _Start]:
    """Line index -> row start, for lines that begin with a number then `[name`."""
    found: dict[int, _Start] = {}
    for i, line in enumerate(lines):
        m = _ROW_START.match(line[0].text)
        if not m:
            continue
        if m.group(2):        # `10[comments]`: no gap after the number
            name_x = cols.name + 2 if cols is not None else line[0].x0
        elif len(line) > 1 and line[1].text.startswith("["):
            name_x = line[1].x0
        else:
            continue
        found[i] = _Start(int(m.group(1)), line[0], name_x)
    if not found:
        return found
    if cols is not None:
        return {i: s for i, s in found.items()
                if abs(s.num_word.x0 - cols.num) <= _NEAR and abs(s.name_x - cols.name) <= _NEAR}
    left = min(s.num_word.x0 for s in found.values())  # numbers in the first column only
    return {i: s for i, s in found.items() if s.num_word.x0 - left <= _NEAR}


def _columns(lines: list[list[Segment]], starts: dict[int, _Start],
             known: Columns | None) -> Columns | None:
    """Column starts from this page's row lines, else those already known."""
    if not starts:
        return known
    num = median(s.num_word.x0 for s in starts.values())
    name = median(s.name_x for s in starts.values())
    attrs, labels = [], []
    for i, start in starts.items():
        words = [s for s in lines[i] if s.x0 > start.name_x + 1]
        types = [s for s in words if _type_word(s.text)]
        if types:
            attrs.append(types[-1].x0)
    if not attrs:
        return known
    attr = median(attrs)
    for i, start in starts.items():
        glued = _ROW_START.match(start.num_word.text).group(2)
        after = [s for s in lines[i][1 if glued else 2:] if s.x0 < attr - 2]  # past the name
        if after:
            labels.append(after[0].x0)
    if labels:
        label = median(labels)
    elif known is not None:
        label = known.label
    else:
        label = (name + attr) / 2
    note = known.note if known is not None else None
    return Columns(num - 2, name - 2, label - 2, attr - 2, note)


def _line_text(line: list[Segment]) -> str:
    """A line's words, spaced."""
    return " ".join(s.text for s in line)


def _type_word(text: str) -> bool:
    """The word is a REDCap field type (`text`, `radio,`, `text (date_ymd`)."""
    word = re.split(r"[\s,(]", text, 1)[0].lower()
    return word in FIELD_TYPES


def _instrument(line: list[Segment], cols: Columns) -> str | None:
    """`Instrument: Title (form_name)`: a bold line from the table's left edge."""
    if line[0].x0 > cols.name or not line[0].bold:
        return None
    m = _INSTRUMENT.match(" ".join(s.text for s in line))
    return m.group(2) if m else None
