"""Numbered attribute lists, the style of UCI documentation files.

Two layouts:

* blocks headed `Attribute 1:  (qualitative)` (german.doc, also the typo `Attibute 6`), the
  description on the next line and `A11 : ...` codes below.  The file names no field, so the
  fields are called `attribute_1` ... in order; a trailing `(1 = Good, 2 = Bad)` code line
  after the blocks (the cost-matrix section) becomes a last field `class`.
* a numbered list `3 age: age in years`, `9 cp: chest pain type` + `-- Value 1: ...` lines
  (heart-disease.names).  Numbers must run 1, 2, 3 ... so that code lines (`1 = Bruce`) and
  prose are not mistaken for attributes.  When a `-- Only 14 used` list (`#3 (age)`) names the
  attributes that the processed data files keep, those come first in that order — the column
  order of those files — with `extras["used"] = True`; the other attributes follow.  Every
  field keeps its documented number in `extras["attributeNumber"]`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field as dc_field
from typing import Callable

from ...model import Field
from ..codes import parse_inline_codes
from .entries import Entry, build_field, indent_of, type_words

Warn = Callable[[str], None]

# `Attibute 6:` too; the indent is possessive (`\s*+`: an `a` never needs a blank given back)
_BLOCK_HEAD = re.compile(r"^\s*+att?r?ibute\s+(\d{1,3})\s*:\s*(.*)$", re.I)
_LIST_HEAD = re.compile(r"^\s*(\d{1,3})\s+([A-Za-z][\w\-]*)\s*(?:(:|=)\s*|(?=\()|$)(.*)$")
# the start of a _LIST_HEAD with a separator after the name (`3 age:`, `4 sex (`); each part
# is possessive (`*+`): what follows it could never be matched by giving characters back
_SEPARATED_HEAD = re.compile(r"\s*+\d{1,3}+\s++[A-Za-z][\w\-]*+\s*+[:=(]")
_USED = re.compile(r"#\s*(\d{1,3})\s*\(\s*([A-Za-z][\w\-]*)\s*\)")
_CLASS = re.compile(r"class", re.I)
_ALL_NUMERIC = re.compile(r"\ball (?:the )?attributes are numeric", re.I)
_DOCUMENTED_MISSING = re.compile(
    r"missing (?:attribute )?values?\s*:?[^\n]*?(?:value|with|as|by)\s+"
    r"[\"'“]?(-?\d+(?:\.\d+)?|\?|NA|N/A)[\"'”]?", re.I)


def parse_attribute_blocks(lines: list[str], warn: Warn) -> list[Field]:
    """Fields of `Attribute n:` blocks (german.doc); [] when the file has fewer than two."""
    entries: list[Entry] = []
    current: Entry | None = None
    last = 0
    for i, raw in enumerate(lines):
        m = _BLOCK_HEAD.match(raw)
        if m:
            current = _block_entry(int(m.group(1)), m.group(2), indent_of(raw))
            entries.append(current)
            last = i
        elif current is not None and raw.strip():
            if indent_of(raw) <= current.indent:
                current = None  # the next numbered section (`8. Cost Matrix`)
            elif current.title is None and not current.codes and not _is_code(raw):
                current.title = raw.strip()
            else:
                current.add_line(raw)
    if len(entries) < 2:
        return []
    fields = [build_field(e) for e in entries]
    cls = _class_field(lines[last + 1:])
    if cls is not None:
        fields.append(cls)
    warn(f"This dictionary numbers its attributes but does not name them: they were named "
         f"attribute_1 … attribute_{len(entries)} in the documented order"
         + (", and the class codes found after them became a last field 'class'." if cls
            else "."))
    return fields


def _block_entry(number: int, rest: str, indent: int) -> Entry:
    entry = Entry(name=f"attribute_{number}", indent=indent,
                  extras={"attributeNumber": number})
    entry.type_hint, entry.source_type, rest = type_words(rest)
    entry.head = rest.strip()
    return entry


def _is_code(raw: str) -> bool:
    probe = Entry(name="probe")
    probe.add_line(raw)
    return bool(probe.codes)


def _class_field(tail: list[str]) -> Field | None:
    """`(1 = Good,  2 = Bad)` alone on a line after the attribute blocks: the class column."""
    for raw in tail:
        text = raw.strip()
        if text.startswith("(") and text.endswith(")"):
            codes = parse_inline_codes(text)
            if len(codes) >= 2 and _CLASS.search("\n".join(tail)):
                return Field(name="class", description="Class (from the cost-matrix section)",
                             type="integer" if all(c.value.isdigit() for c in codes)
                             else "string", categories=codes)
    return None


def parse_numbered_list(lines: list[str], warn: Warn) -> list[Field]:
    """Fields of a `3 age: age in years` list numbered 1, 2, 3 ...; [] when there is none."""
    # a list kept has 3 heads or more, half of them separated: 2 at least (most files have none)
    if len(list(itertools.islice(filter(_SEPARATED_HEAD.match, lines), 2))) < 2:
        return []
    run = _numbered_run(lines)
    # `1 Yes / 2 No / 3 Maybe` is a code list: attribute heads mostly have `name:` or `name (`
    if len(run) < 3 or sum(1 for head in run if head.sep) * 2 < len(run):
        return []
    fields = [build_field(head.entry()) for head in run]
    if _ALL_NUMERIC.search("\n".join(lines)):
        for f in fields:  # "All attributes are numeric-valued"; the data writes codes as 1.0
            if "string" not in (f.description or "").lower():  # `dummy string "name"`
                f.type = "number"
    return order_by_used(fields, used_attributes(lines), warn)


@dataclass(slots=True)
class _ListHead:
    """A `3 age: age in years` head and its continuation lines.  Most runs found are code lists
    (`1 Yes`, `2 No`) and are dropped, so lines are read into an `Entry` only for the run kept."""

    number: int
    name: str
    indent: int
    head: str
    sep: bool                      # a separator after the name (`age:`, `painexer (`)
    more: list[str] = dc_field(default_factory=list)

    def entry(self) -> Entry:
        entry = Entry(name=self.name, indent=self.indent, head=self.head,
                      extras={"attributeNumber": self.number})
        for raw in self.more:
            entry.add_line(raw)
        return entry


def _numbered_run(lines: list[str]) -> list[_ListHead]:
    """The longest run of list heads numbered 1, 2, 3 ... with their continuation lines."""
    runs: list[list[_ListHead]] = [[]]
    current: _ListHead | None = None
    lowest = 0  # the smallest indent of the current run's heads
    for raw in lines:
        m = _LIST_HEAD.match(raw)
        indent = indent_of(raw) if m or current is not None and raw.strip() else 0
        number = int(m.group(1)) if m else 0
        run = runs[-1]
        if m and (number == len(run) + 1 or number == 1 and indent <= lowest):
            if number == 1 and run:
                runs.append([])
            lowest = indent if number == 1 else min(lowest, indent)
            _, name, sep, rest = m.groups()
            current = _ListHead(number, name, indent, rest.strip(),
                                bool(sep) or rest.startswith("("))
            runs[-1].append(current)
        elif current is not None and raw.strip():
            if indent < lowest:
                current = None  # the list has ended (`9. Missing Attribute Values`)
            else:
                current.more.append(raw)
    return max(runs, key=len)


def used_attributes(lines: list[str]) -> list[tuple[int, str]]:
    """The `#3 (age)` cross-reference list: (attribute number, name) in data order."""
    return [(int(m.group(1)), m.group(2)) for line in lines for m in _USED.finditer(line)]


def order_by_used(fields: list[Field], used: list[tuple[int, str]], warn: Warn) -> list[Field]:
    """Used attributes first, in the order of the `used` list; the others after them."""
    by_number = {f.extras.get("attributeNumber"): f for f in fields}
    picked = [by_number[n] for n, name in used
              if n in by_number and by_number[n].name == name]
    if len(picked) < 2 or len(picked) != len(used):
        return fields
    for f in picked:
        f.extras["used"] = True
    rest = [f for f in fields if not f.extras.get("used")]
    warn(f"The dictionary documents {len(fields)} attributes, of which {len(picked)} are "
         f"marked as used: those come first, in the order of that list (the column order of "
         f"the processed data files), and the other {len(rest)} follow.")
    return picked + rest


def documented_missing(text: str) -> list[str]:
    """Missing-value markers a UCI file documents (`Distinguished with value -9.0`)."""
    return list(dict.fromkeys(m.group(1) for m in _DOCUMENTED_MISSING.finditer(text)))
