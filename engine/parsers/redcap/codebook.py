"""REDCap's Codebook page printed to PDF: a table of numbered variables.

Columns: `#`, `Variable / Field Name`, `Field Label`, `Field Attributes (Field Type,
Validation, Choices, Calculations, etc.)`.  A row starts with `[name]` in the name column;
below the name may come `Show the field ONLY if:` and the logic.  The label cell may hold
`Section Header: ...` above the label and `Field Note: ...` below it.  The attributes cell
starts with `radio, Required` or `text (date_ymd, Min: ..., Max: ...), Required, Identifier`
and goes on with choices (`code  label`), `Calculation: ...` or `Slider labels: ...`.
`Instrument: Title (form_name)` rows separate the instruments.  Column positions are read
from the header row, which is repeated on every page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field, replace
from typing import Iterator

from ...model import Category, Field
from .common import RedcapItem, to_field
from .pdfpages import Page, Segment, text_lines

_NAME = re.compile(r"^\[(\w+)\]$")
_ATTR = re.compile(r"^(\w+)\s*(?:\(([^)]*)\))?\s*,?\s*(.*)$")
_INSTRUMENT = re.compile(r"^Instrument:\s*(.+?)\s*(?:\((\w+)\))?$")
_HEADINGS = ("Variable / Field Name", "Field Label", "Field Attributes")
_SAME_LINE = 3.0


def looks_like_codebook(text: str) -> bool:
    """The codebook's column headings are on the page."""
    flat = re.sub(r"\s+", " ", text)
    return all(h in flat for h in _HEADINGS)


@dataclass
class _Row:
    """One variable being read."""

    name: str
    page: int
    label: list[str] = dc_field(default_factory=list)
    note: list[str] = dc_field(default_factory=list)
    section: str = ""
    attrs: list[Segment] = dc_field(default_factory=list)
    branching: list[str] = dc_field(default_factory=list)
    in_note: bool = False


class CodebookReader:
    """Feeds codebook pages in order; yields each variable once the next one starts."""

    def __init__(self) -> None:
        self.columns: list[float] = []   # x where the name, label and attribute columns start
        self.row: _Row | None = None
        self.form = ""
        self.section = ""

    def feed(self, page: Page) -> Iterator[Field]:
        """Read one page; yield the variables completed by it."""
        segments = [s for line in text_lines(page.segments, _SAME_LINE) for s in line]
        header = [s for s in segments if s.text.startswith(_HEADINGS)]
        if len(header) >= 3:
            self.columns = sorted(s.x0 for s in header)[:3]
            top = max(s.top for s in header)
            # the heading cells (bold, maybe wrapped) and everything above them go
            segments = [s for s in segments if s.top < top - 1 and not (
                s.bold and s.top > top - 25 and not _INSTRUMENT.match(s.text))]
        if not self.columns:
            return
        for seg in segments:
            yield from self._segment(seg, page)

    def close(self) -> Iterator[Field]:
        if self.row is not None:
            yield self._field(self.row)
        self.row = None

    def _segment(self, seg: Segment, page: Page) -> Iterator[Field]:
        instrument = _INSTRUMENT.match(seg.text)
        if instrument:
            yield from self.close()
            self.form, self.section = instrument.group(2) or instrument.group(1), ""
            return
        column = sum(1 for x in self.columns if seg.x0 >= x - 3)  # 0 = `#`, 1 name, 2, 3
        numbered = re.match(r"^\d+\s+(\[\w+\])$", seg.text)  # `10 [comments]`: no gap after #
        if column == 0 and numbered:
            seg, column = replace(seg, text=numbered.group(1)), 1
        name = _NAME.match(seg.text)
        if column == 1 and name:
            yield from self.close()
            self.row = _Row(name.group(1), page.number)
        elif self.row is None or column == 0:
            return
        elif column == 1:
            self.row.branching.append(seg.text)
        elif column == 2:
            self._label(seg.text)
        else:
            self.row.attrs.append(seg)

    def _label(self, text: str) -> None:
        row = self.row
        if text.startswith("Section Header:"):
            self.section = row.section = text.split(":", 1)[1].strip()
        elif text.startswith("Field Note:"):
            row.in_note = True
            row.note.append(text.split(":", 1)[1].strip())
        else:
            (row.note if row.in_note else row.label).append(text)

    def _field(self, row: _Row) -> Field:
        ftype, validation, lo, hi, flags, rest = _attributes(row.attrs)
        choices, extra = _choices_and_extras(rest, self.columns[2])
        logic = " ".join(row.branching)
        logic = re.sub(r"^Show the field ONLY if:\s*", "", logic).strip()
        item = RedcapItem(
            name=row.name, field_type=ftype, label=" ".join(row.label),
            description=" ".join(row.note) or None, choices=choices,
            choices_text=extra.get("Calculation", extra.get("Slider labels", "")),
            validation=validation, minimum=lo, maximum=hi, required="Required" in flags,
            identifier="Identifier" in flags, branching=logic, form=self.form,
            section=row.section or self.section, extras={"page": row.page})
        if extra.get("Field Annotation"):
            item.extras["annotation"] = extra["Field Annotation"]
        return to_field(item)


def _attributes(segments: list[Segment]):
    """(type, validation, min, max, flags, other lines) from the attribute cell."""
    lines = _lines(segments)
    first = []
    while lines and (not first or _continues(first[-1])):  # the spec may wrap after a comma
        first.append(" ".join(s.text for s in lines.pop(0)))
    m = _ATTR.match(" ".join(first))
    if not m:
        return "text", "", "", "", [], lines
    paren = m.group(2) or ""
    lo = re.search(r"Min:\s*([^,)]+)", paren)
    hi = re.search(r"Max:\s*([^,)]+)", paren)
    validation = re.split(r",|\b(?:Min|Max):", paren)[0].strip()
    flags = [f.strip() for f in m.group(3).split(",") if f.strip()]
    return (m.group(1).lower(), validation, lo.group(1).strip() if lo else "",
            hi.group(1).strip() if hi else "", flags, lines)


def _continues(text: str) -> bool:
    return text.rstrip().endswith(",")


def _choices_and_extras(lines: list[list[Segment]], x_attr: float):
    """Choices (`code  label` lines) and `Key: value` attributes after the type line."""
    choices: list[list[str]] = []
    extra: dict[str, str] = {}
    key = ""
    for line in lines:
        text = " ".join(s.text for s in line)
        kv = re.match(r"^(Calculation|Slider labels|Field Annotation|Custom alignment)\s*:\s*(.*)$",
                      text)
        if kv:
            key = kv.group(1)
            extra[key] = kv.group(2).strip()
        elif key:
            extra[key] = (extra[key] + text if extra[key].endswith(("/", "(")) else
                          extra[key] + " " + text).strip()
        elif len(line) >= 2 and line[0].x0 <= x_attr + 3:
            choices.append([line[0].text, " ".join(s.text for s in line[1:])])
        elif choices:
            choices[-1][1] += " " + text
    return [Category(code, label.strip() or None) for code, label in choices], extra


def _lines(segments: list[Segment]) -> list[list[Segment]]:
    """Attribute segments (already in reading order, maybe over two pages) grouped in lines."""
    out: list[list[Segment]] = []
    for seg in segments:
        if out and abs(out[-1][0].top - seg.top) <= _SAME_LINE:
            out[-1].append(seg)
        else:
            out.append([seg])
    return out
