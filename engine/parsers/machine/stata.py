"""Stata dictionaries (.dct): `infile dictionary { _column(1) str20 name %20s "label" }`.

Also the `infix dictionary { str name 1-20 }` form.  Positions come from `_column()` and the
input format's width (`%20f`), else from where the next variable starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ...model import Field
from .. import NotThisFormat, ParseContext
from ._common import clean, cut_labels

_SNIFF = re.compile(r"^\s*(?:infile\s+|infix\s+)?dictionary\b", re.I | re.M)
_HEADER = re.compile(r"^\s*(?:(infile|infix)\s+)?dictionary(?:\s+using\s+(\"[^\"]+\"|\S+))?\s*\{",
                     re.I | re.M)
# comments, skipping quoted labels (a label may hold `//` as in a URL)
_COMMENTS = re.compile(r"(\"[^\"\n]*\")|/\*.*?\*/|//[^\n]*|^\s*\*[^\n]*", re.S | re.M)
_TOKEN = re.compile(r"""
    (?P<directive>_(?:column|skip|line|lines|newline|lrecl|firstlineoffile)\b(?:\(\s*\d+\s*\))?)
  | (?P<str>"[^"\n]*"|`"[^\n]*?"')
  | (?P<fmt>%-?\d+(?:\.\d+)?[a-zA-Z]+)
  | (?P<lbl>:\s*[A-Za-z_]\w*)
  | (?P<word>[A-Za-z_]\w*)
""", re.X)
# `[#:] [type] name [#:]start[-end]`: the record (line) number before the entry or before the
# columns (`byte m111 1: 78-79`, as the Stata manual writes it)
_INFIX_LINE = re.compile(r"^\s*(?:(\d+)\s*:\s*)?(?:(byte|int|long|float|double|str\d*|strL)\s+)?"
                         r"([A-Za-z_]\w*)\s+(?:(\d+)\s*:\s*)?(\d+)(?:\s*-\s*(\d+))?", re.I)
_TYPES = {"byte": "integer", "int": "integer", "long": "integer", "float": "number",
          "double": "number", "numeric": "number"}


@dataclass
class _Entry:
    """One variable line of the dictionary."""

    name: str
    storage: str | None = None
    label: str | None = None
    fmt: str | None = None
    start: int | None = None
    end: int | None = None
    line: int = 1
    value_set: str | None = None     # `:name`, the value-label set the entry uses


def sniff_stata(ctx: ParseContext) -> bool:
    """A `dictionary` header at the start of a line."""
    return _SNIFF.search(ctx.head) is not None


def parse_stata(ctx: ParseContext) -> Iterator[Field]:
    """Variables of an infile or infix dictionary, with their columns."""
    text = _COMMENTS.sub(lambda m: m.group(1) or "", ctx.text)
    header = _HEADER.search(text)
    if not header:
        raise NotThisFormat
    if header.group(2):
        data_file = header.group(2).strip('"')
        ctx.warn(f"The dictionary reads its data from {data_file}: upload that file as the "
                 "dataset.")
    body = text[header.end():].split("}", 1)[0]
    infix = (header.group(1) or "").lower() == "infix"
    entries = _infix(body) if infix else _infile(body)
    for e, label in zip(entries, cut_labels([e.label for e in entries])):
        e.label = label
    if not infix and _has_label_name(body):
        ctx.warn("Value labels (`:name` in the dictionary) are defined outside the .dct file, "
                 "usually in a .do file; they were not read.")
    for e in entries:
        yield dictionary_field(e)


def dictionary_entries(text: str) -> list[_Entry]:
    """Entries of a dictionary block inside other text (a do-file may carry one at its end),
    [] when there is none."""
    text = _COMMENTS.sub(lambda m: m.group(1) or "", text)
    header = _HEADER.search(text)
    if not header:
        return []
    body = text[header.end():].split("}", 1)[0]
    return _infix(body) if (header.group(1) or "").lower() == "infix" else _infile(body)


def _has_label_name(body: str) -> bool:
    """Whether an entry names a value label (`age:agelbl`)."""
    return any(m.lastgroup == "lbl" for m in _TOKEN.finditer(body))


def _infile(body: str) -> list[_Entry]:
    """Entries of an infile dictionary, positions filled in."""
    entries: list[_Entry] = []
    column, line, pending = 1, 1, None
    current: _Entry | None = None
    for m in _TOKEN.finditer(body):
        kind, text = m.lastgroup, m.group()
        if kind == "directive":
            column, line, pending = _directive(text, column, line, pending)
            current = None
        elif kind == "word" and current is not None and current.name == "":
            current.name = text
        elif kind == "word":
            current = _Entry(name="" if _is_type(text) else text,
                             storage=text if _is_type(text) else None, start=pending, line=line)
            entries.append(current)
            pending = None
        elif current is not None and kind == "fmt":
            current.fmt = text
            column = _place(current, column)
        elif current is not None and kind == "str":
            current.label = clean(text.strip('`"\''))
        elif current is not None and kind == "lbl":
            current.value_set = text.lstrip(":").strip()
    _fill_ends(entries)
    return [e for e in entries if e.name]


def _directive(text: str, column: int, line: int, pending: int | None
               ) -> tuple[int, int, int | None]:
    """_column(#), _skip(#), _line(#), _newline: move the reading position."""
    name = text.split("(")[0].lower()
    arg = int(re.sub(r"\D", "", text) or 1)
    if name == "_column":
        return arg, line, arg
    if name == "_skip":
        return column + arg, line, column + arg
    if name in ("_line", "_newline"):
        new_line = arg if name == "_line" else line + arg
        return 1, new_line, None
    return column, line, pending  # _lrecl, _firstlineoffile, _lines: no position change


def _is_type(word: str) -> bool:
    """Whether a word is a Stata storage type (`byte`, `str20`, GSS's `numeric`)."""
    return word.lower() in _TYPES or re.fullmatch(r"str(?:\d+|L)?", word) is not None


def _place(e: _Entry, column: int) -> int:
    """Start and end from the format width; returns the next column."""
    width = re.match(r"%-?(\d+)", e.fmt or "")
    if e.start is None and width and int(width.group(1)) > 0:
        e.start = column
    if e.start is not None and width and int(width.group(1)) > 0:
        e.end = e.start + int(width.group(1)) - 1
        return e.end + 1
    return column


def _fill_ends(entries: list[_Entry]) -> None:
    """An entry without a width ends where the next one (on its line) starts."""
    for e, nxt in zip(entries, entries[1:]):
        if e.start is not None and e.end is None and nxt.start and nxt.line == e.line:
            e.end = nxt.start - 1


def _infix(body: str) -> list[_Entry]:
    """`[#:] [type] name [#:]start[-end]` lines of an infix dictionary."""
    out = []
    for raw in body.splitlines():
        m = _INFIX_LINE.match(raw)
        if m:
            start = int(m.group(5))
            end = int(m.group(6)) if m.group(6) else start
            out.append(_Entry(m.group(3), m.group(2), start=start, end=end,
                              line=int(m.group(1) or m.group(4) or 1)))
    return out


def dictionary_field(e: _Entry) -> Field:
    """An entry as a field: type from the storage type (or the format), position."""
    f = Field(name=e.name, description=e.label)
    storage = (e.storage or "").lower()
    if storage.startswith("str") or (not storage and (e.fmt or "").lower().endswith("s")):
        f.type = "string"
    else:
        f.type = _TYPES.get(storage, "number")  # Stata's default storage type is float
    source = " ".join(x for x in (e.storage, e.fmt) if x)
    if source:
        f.extras["sourceType"] = source
    if e.start is not None:
        f.extras["position"] = {"start": e.start, "end": e.end} if e.end else {"start": e.start}
        if e.line > 1:
            f.extras["position"]["record"] = e.line
    return f
