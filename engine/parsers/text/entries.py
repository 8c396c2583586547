"""A field being read from free text, and how its lines become a `Field`.

A free-text dictionary describes a field with a head line (`NAME: description`), then maybe
more lines: description that wraps, code lines (`1 = Yes`), labels that wrap onto the next
line.  `Entry` collects those lines as they come; `build_field` turns them into a `Field`
(codes split into categories and missing values, type, unit, range).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import Any

from ...model import Category, Field
from ..codes import (find_range, find_unit, infer_type_from_codes, map_type, parse_code_line,
                     parse_inline_codes, split_missing)
from ..codes.lines import collapse_spaces
from .bodies import STAT_WORDS
from .typewords import kind_word, type_of


_CODE_LED = re.compile(r"^[(\[]?\s*[\"“']?[-\w.]{1,12}[\"”']?\s*[=:]")
# `Don't know = 8`, `<=200: 1`, `201-500: 2`: a label, then its code (a small number)
# (behind a bullet or a list item's number: `iii. Unique values: 48` is a statistic still)
_LABEL_CODE = re.compile(r"^(?:(?:[-*•▪◦]|\d{1,3}[.)]|[a-z][.)]|[ivx]{1,5}[.)])\s+)?"
                         r"(?P<label>(?:[<>]=)?[^=:]{1,60}?)\s*(?:=|:)\s*(?P<code>-?\d{1,4})"
                         r"\s*[,;.]?$")
_BOUND_LABEL = re.compile(r"^(?:[<>≤≥]=?\s*\d[\d.,]*|\d[\d.,]*\s*[-–]\s*\d[\d.,]*|"
                          r"\d[\d.,]*\s*\+)$")
_NUMERIC = re.compile(r"^[-+]?\d+(?:[.,]\d+)?$")


def indent_of(line: str) -> int:
    """Columns of leading white space, tabs counted to the next multiple of 8."""
    lead = len(line) - len(line.lstrip())
    if not lead:
        return 0
    blanks = line[:lead]  # only the leading blanks need their tabs expanded
    return len(blanks.expandtabs(8)) if "\t" in blanks else lead


@dataclass
class Entry:
    """The lines of one field seen so far."""

    name: str
    indent: int = 0
    head: str = ""
    lines: list[str] = dc_field(default_factory=list)
    codes: list[Category] = dc_field(default_factory=list)
    code_indent: int | None = None
    type_hint: str | None = None
    source_type: str | None = None
    title: str | None = None
    extras: dict[str, Any] = dc_field(default_factory=dict)
    line: int = -1                # where the head stands in the document (-1: unknown)

    def add_line(self, line: str) -> None:
        """Take one continuation line: a code, a wrapped label, or more description."""
        self.add_text(line.strip(), indent_of(line))

    def add_text(self, text: str, indent: int) -> None:
        """`add_line` for a line given stripped, with its `indent_of`."""
        if not text:
            return
        if self.codes and _next_bare_code(self.codes[-1].value, text):
            # `2.` alone between `1. Not at all` and `5. Extremely`: a scale's unlabelled step
            self._add_codes([Category(text, text.rstrip(".)"))], indent)
            return
        code = parse_code_line(text) or label_code(text)
        # codes inline count on a line that starts with a code: only there are they looked for
        led = code is not None or _code_led(text)
        inline = parse_inline_codes(text) if led else []
        if len(inline) >= 2:
            self._add_codes(inline, indent)
        elif code is not None:
            self._add_codes([code], indent)
        elif self.codes and self.code_indent is not None and indent > self.code_indent:
            last = self.codes[-1]  # a label that wraps onto the next line
            last.label = f"{last.label} {text}".strip() if last.label else text
        else:
            self.lines.append(text)

    def _add_codes(self, codes: list[Category], indent: int) -> None:
        self.codes.extend(codes)
        self.code_indent = indent

    @property
    def has_content(self) -> bool:
        return bool(self.head or self.lines or self.codes or self.type_hint or self.source_type)


_BARE_CODE = re.compile(r"^(\d{1,2})[.)]?$")


def _next_bare_code(last: object, text: str) -> bool:
    """Whether a line is only the number after the last code (`2.` after code 1)."""
    m = _BARE_CODE.match(text)
    last = str(last).rstrip(".)")
    return m is not None and last.isdigit() and int(m.group(1)) == int(last) + 1


def label_code(text: str) -> Category | None:
    """`Don't know = 8`, `<=200: 1`: a code line written label first (a few words, or a
    bound such as `<=200` or `201-500`, then a small number); not a statistic (`Mean: 4`)."""
    m = _LABEL_CODE.match(text.strip())
    if not m:
        return None
    label = m.group("label").strip().strip("*").strip()
    words = label.split()
    if not words or len(words) > 6 or label.lower().rstrip(". ") in STAT_WORDS:
        return None
    if not (_LETTER.search(label) or _BOUND_LABEL.match(label)) or _NUMERIC.match(label):
        return None
    return Category(m.group("code"), label)


def _list_period(label: str | None) -> str | None:
    """`divers.` ending a code list written as a sentence (`1 = weiblich, 3 = divers.`):
    the period ends the list, not the label (`etc.`, `k.A.` keep theirs)."""
    if not label or not label.endswith(".") or label.endswith(".."):
        return label
    words = label[:-1].split()
    if "." in label[:-1] or len(words) > 6 or not words or len(words[-1]) <= 3:
        return label
    return label[:-1]


def oriented(codes: list[Category]) -> list[Category]:
    """`Yes = 1`, `INDIA = 1` are written label first: when each code pairs a number with
    words and most have the number on the right, the numbers are the codes."""
    def number(text: str | None) -> bool:
        return bool(text) and _NUMERIC.match(text) is not None

    if len(codes) < 2 or any(number(c.value) == number(c.label) for c in codes):
        return codes
    flipped = [c for c in codes if number(c.label)]
    if len(flipped) * 2 < len(codes):
        return codes
    return [Category(c.label or "", c.value) if number(c.label) else c for c in codes]


def _code_led(text: str) -> bool:
    """A line that starts with its first code (`1 = yes; 0 = no`), not with prose."""
    return _CODE_LED.match(text) is not None


# ---- building the field ------------------------------------------------------------
# `TRUE/FALSE whether ...`; not `Yes/No`, which data write as words a boolean would reject
_BOOLEAN_LEAD = re.compile(r"^\[?\s*(?:TRUE\s*[/,|]\s*FALSE|FALSE\s*[/,|]\s*TRUE|TRUE if\b)",
                           re.I)
_DATE_FORMATS = (
    (re.compile(r"\bYYYY-MM-DD[ T]HH:MM(?::SS)?\b"), "datetime"),
    (re.compile(r"\bYYYY-MM-DD\b|\bMM/DD/YYYY\b|\bDD/MM/YYYY\b|\bYYYYMMDD\b"), "date"),
    (re.compile(r"\(YYYY\)"), "year"),
)
_LETTER = re.compile(r"[^\W\d_]")
_COUNT_LEAD = re.compile(r"^(?:the\s+)?(?:number|count|total number) of\b", re.I)


def join_text(parts: list[str]) -> str:
    """Lines of one description joined with single spaces."""
    return collapse_spaces(" ".join(p.strip() for p in parts if p.strip())).strip()


def build_field(entry: Entry) -> Field:
    """The `Field` an entry describes."""
    # a lone label (german.doc) is both the title and the description
    desc = join_text([entry.head, *entry.lines]) or entry.title or ""
    if desc.startswith("(") and desc.endswith(")") and desc.count("(") == 1:
        desc = desc[1:-1].strip()  # `pncaden (sum of 5, 6, and 7)`
    codes = oriented([Category(c.value, _list_period(c.label)) for c in entry.codes]) \
        or parse_inline_codes(desc)
    # a value listed without a label (`one of \`Male\` or \`Female\``) is its own label
    codes = [Category(c.value, c.value) if c.label is None and _LETTER.search(c.value) else c
             for c in codes]
    valid, missing = split_missing(codes)
    field = Field(name=entry.name, title=entry.title, description=desc or None,
                  categories=valid, missing_values=missing, extras=dict(entry.extras))
    field.type = _field_type(entry, desc, valid)
    if not valid and field.type in ("number", "integer", "any"):
        field.unit = find_unit(desc)
        bounds = find_range(desc)
        if bounds:
            field.constraints["minimum"], field.constraints["maximum"] = bounds
        if field.unit and field.type == "any":
            field.type = "number"  # a quantity with a unit is a number
    if entry.source_type:
        field.extras["sourceType"] = entry.source_type
    return field


def _field_type(entry: Entry, desc: str, valid: list[Category]) -> str:
    """The type from the dictionary's own words, else from the codes, else from the text."""
    if entry.type_hint and not (valid and entry.type_hint in ("number", "integer")
                                and infer_type_from_codes(valid) == "string"):
        return entry.type_hint
    if _BOOLEAN_LEAD.match(desc):
        return "boolean"
    if valid:
        return infer_type_from_codes(valid)
    for pattern, ftype in _DATE_FORMATS:
        if pattern.search(desc):
            return ftype
    if _COUNT_LEAD.match(desc):
        return "integer"
    return "any"


_PAREN_TYPE = re.compile(r"^\(\s*([A-Za-z][\w /-]{0,24})\s*\)\s*(.*)$", re.S)
# `(type: int)`, `(Tipo: numérico)`: the type word after a key
_KEYED_TYPE = re.compile(r"^\(\s*(?:data\s+)?(?:type|tipo|typ|type de données)\s*[:=]\s*"
                         r"([A-Za-z][\w /-]{0,24}?)\s*\)\s*(.*)$", re.S | re.I)


def type_words(text: str) -> tuple[str | None, str | None, str]:
    """(type, type word as written, rest) when text is or starts with a type word.

    `(numerical)`, `continuous.`, `(qualitative)` are type words; the rest is description.
    """
    m = _PAREN_TYPE.match(text.strip()) or _KEYED_TYPE.match(text.strip())
    if m and _is_type_word(m.group(1)):
        return map_type(m.group(1)) or type_of(m.group(1)), m.group(1).strip(), m.group(2)
    word = text.strip().rstrip(".").strip()
    if word.lower() in _BARE_TYPE_WORDS:  # `age: continuous.`; a bare `Date` stays a description
        return map_type(word), word, ""
    return None, None, text


_BARE_TYPE_WORDS = {"continuous", "numeric", "numerical", "integer", "real", "float", "string",
                    "text", "categorical", "qualitative", "nominal", "ordinal", "boolean",
                    "discrete", "symbolic"}


def _is_type_word(word: str) -> bool:
    """A type word in any of the languages read, or a kind of variable (`categorical`)."""
    low = word.strip().lower()
    if low in ("count", "rate", "notes"):
        return False
    return map_type(low) is not None or low == "symbolic" or type_of(low) is not None \
        or kind_word(low)
