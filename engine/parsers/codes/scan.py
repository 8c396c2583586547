"""A field's whole description scanned for codes: a code list over several lines, inline,
or in prose; codes given two labels; a missing-value code stated once in a sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ...model import Category
from .inline import parse_inline_codes
from .lines import NUM, clean_label, parse_code_line
from .missing import is_missing_label, may_say_missing as _may_say_missing
from .prose import prose_codes

_NUMBER = re.compile(NUM)
_SHORT = re.compile(r"[A-Za-z0-9.]{1,4}")
_GLUED = re.compile(r"^(\d+)[-–—]([^\W\d_].*)$")
# `Slightly overweight – 4`, `Less than $15,000 - 1`, `Other – 4 (includes work study)`
_LABEL_FIRST = re.compile(rf"^([^\W\d_$][^=]{{0,120}}?|\$[^=]{{0,120}}?)\s*[-–—=:]\s*({NUM})"
                          rf"\s*(?:\([^()]*\))?\s*$")
_EXAMPLE_CUE = re.compile(r"(?:\be\.g\.?|\bfor example|\bsuch as|\bformat(?: is)?|\bexamples?|"
                          r"\bz\.\s?B\.?|\bpor ejemplo|\bpor exemplo|\bpar exemple)"
                          r"\s*[:,]?\s*[\"“'(]?\s*$", re.I)


@dataclass
class CodeScan:
    """Codes found in a text, one per value, and the values written with a second label."""

    codes: list[Category] = dc_field(default_factory=list)
    conflicts: list[tuple[str, str, str]] = dc_field(default_factory=list)  # value, kept, other


def find_codes(text: str | None) -> CodeScan:
    """The code list a description holds (lines of codes, inline, prose), else an empty scan."""
    if not text or not text.strip():
        return CodeScan()
    found = _line_codes(text) if "\n" in text.strip() else []
    # the prose forms are only looked for here: a parser keeps such a sentence as description
    found = found or parse_inline_codes(text) or prose_codes(text)
    if found and _example(text, found):
        return CodeScan()
    if found and _stray_quote(found):  # `"A" = adult, "J" = juvenile"`
        last = found[-1]
        found[-1] = Category(last.value, (last.label or "")[:-1].rstrip())
    kept, conflicts = resolve_conflicts(found)
    return CodeScan(kept, conflicts)


def _example(text: str, codes: list[Category]) -> bool:
    """A list shown as an example of a format (`Format is "1 = A | 2 = B"`, `e.g. a, b`) is
    not the field's own code list."""
    start = text.find(codes[0].value)
    if _stray_quote(codes) and not _quoted_code(text, codes[0].value, start):
        return True  # the whole list sat inside one pair of quotes
    return start > 0 and _EXAMPLE_CUE.search(text, 0, start) is not None


def _stray_quote(codes: list[Category]) -> bool:
    """Whether the last label ends with a closing quote it does not open."""
    last = codes[-1].label or ""
    return last[-1:] in "\"”" and last[:1] not in "\"“"


def _quoted_code(text: str, value: str, start: int) -> bool:
    """Whether the code at `start` is written in quotes itself (`"J" = juvenile"`)."""
    end = start + len(value)
    return start > 0 and text[start - 1] in "\"“'" and text[end:end + 1] in ("\"", "”", "'")


def resolve_conflicts(codes: list[Category]) -> tuple[list[Category], list[tuple[str, str, str]]]:
    """One category per value, the first kept; (value, kept label, other label) for each value
    written again with another label (`1=Male; 1=Female`).  A repeat without a label, or with
    the same one, only fills an empty label."""
    out: dict[str, Category] = {}
    conflicts: list[tuple[str, str, str]] = []
    for c in codes:
        first = out.get(c.value)
        if first is None:
            out[c.value] = Category(c.value, c.label)
        elif not first.label:
            first.label = c.label
        elif c.label and c.label.lower() != first.label.lower():
            conflicts.append((c.value, first.label, c.label))
    return list(out.values()), conflicts


def _line_codes(text: str) -> list[Category]:
    """Codes written one per line (`1 - Asia` / `2- Africa`), in blocks of two lines or more;
    prose lines around them (a heading, a note) are left out.  A short line between two codes
    is the label above it wrapped."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    parsed = [_line_code(line) for line in lines]
    blocks: list[list[Category]] = []
    block: list[Category] = []
    for i, (line, code) in enumerate(zip(lines, parsed)):
        if code is None and block:
            code = _glued_code(line)
        if code is not None:
            block.append(code)
        elif block and _wraps(line, parsed[i + 1] if i + 1 < len(parsed) else None):
            last = block[-1]
            block[-1] = Category(last.value, f"{last.label or ''} {line}".strip())
        else:
            if block:
                blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    codes = [c for b in blocks if len(b) >= 2 for c in b]
    return codes if codes and _consistent(codes) else []


def _glued_code(line: str) -> Category | None:
    """`10-Dusk` below other code lines (alone, `1-year follow-up` is no code)."""
    m = _GLUED.match(line)
    return Category(m.group(1), clean_label(m.group(2))) if m else None


def _wraps(line: str, following: Category | None) -> bool:
    """Whether a line that is no code continues the label above it."""
    return following is not None and len(line.split()) <= 8


def _line_code(line: str) -> Category | None:
    """One code of a line, in either order: `2- Africa`, `Overweight – 5`, `Other – 7 (note)`."""
    code = parse_code_line(line)
    if code is not None:
        if code.label and _NUMBER.fullmatch(code.label) and not _NUMBER.fullmatch(code.value):
            return Category(code.label, code.value)  # `NA – 3`: the number is the code
        return code
    m = _LABEL_FIRST.match(line)
    if m and len(m.group(1).split()) <= 15:
        return Category(m.group(2), clean_label(m.group(1)))
    return None


def _consistent(codes: list[Category]) -> bool:
    """Codes of one list look alike: numbers, or short codes; not phrases."""
    numeric = sum(_NUMBER.fullmatch(c.value) is not None for c in codes)
    short = sum(_SHORT.fullmatch(c.value) is not None for c in codes)
    return numeric == len(codes) or short == len(codes) or numeric >= len(codes) - 1 >= 1


# ---- one missing-value code stated in a sentence ---------------------------------------------
_STATED = re.compile(
    rf"(?<![\w.])[\"'“]?({NUM}|\.[A-Za-z]?|[A-Z]{{1,3}})[\"'”]?(?:\s*(?:=|:)|\s+[-–—]|\s+(?:"
    rf"means|indicates|denotes|if|for|is used for|represents|stands for))\s+([^,;.()]{{1,40}})")
# `-9 (No answer)`, `.R (refused)`: a number or SAS code, its label in brackets
_STATED_PAREN = re.compile(rf"(?<![\w.])[\"'“]?({NUM}|\.[A-Za-z]?)[\"'”]?\s*\(([^()]{{1,40}})\)")
# `the dot (.) means a blank answer`, `(*) indica dupla marcação`: a symbol in brackets, a verb
_STATED_SYMBOL = re.compile(
    r"\(\s*([*.#?]|-?\d{1,4}|\.[A-Za-z])\s*\)\s*(?:indica|indicates?|means?|denotes?|significa|"
    r"signifie|bedeutet|represents?|representa|stands for|=|:)?\s+(?:an?\s+|the\s+|o\s+|a\s+|"
    r"la\s+|el\s+|le\s+|une?\s+|die\s+|der\s+)?([^,;.()]{1,40}?)"
    r"(?=\s+(?:and|e|y|et|und|or|ou|o|oder)\s|[,;.()]|$)", re.I)
# `Refused (coded as -7)`, `Missing = 99`: the code after the label
_CODE_AFTER = re.compile(rf"\s*(?:=|\(|:)\s*(?:coded\s+(?:as\s+)?)?[\"'“]?({NUM})(?![\w.])")
_LABEL_BEFORE = re.compile(r"[A-Za-z][^,;.()=]{0,39}$")
_DIGIT = re.compile(r"\d")
_CODE_OR_DOT = re.compile(r"(?<![\w.])\.[A-Za-z]?(?![\w.])|\bN/?A\b|\(\s*[*#?]\s*\)")
# `Missing values: -9, -8`, `fehlende Werte: -1`: a heading word, then only codes
_MISSING_CUE = re.compile(
    r"(?:^|(?<=[(\[;.\n])\s*)(?:missing(?:\s+(?:values?|codes?|data))?|"
    r"valor(?:es)?\s+(?:perdidos?|faltantes?|ausentes?)|valeurs?\s+manquantes?|"
    r"fehlende\s+werte|missings?)\s*(?:[:=]|\s(?:are|is|coded as|codes?)\b:?)\s*"
    rf"((?:{NUM}|\.[A-Za-z]?)(?:\s*(?:,|/|;|\bor\b|\band\b|\by\b|\be\b|\bet\b|\bund\b|\bou\b)"
    rf"\s*(?:{NUM}|\.[A-Za-z]?))*)(?=\s*(?:$|[.;)\]\n]))", re.I)
_CODE_ITEM = re.compile(rf"{NUM}|\.[A-Za-z]?")


def stated_missing(text: str | None) -> list[Category]:
    """Missing-value codes stated in prose: `-1 means rather not say`, `99 = unknown`, `(9 if
    missing)`, `Refused (coded as -7)`, `-9 (No answer)`, `Missing values: -9, -8`."""
    # a missing label needs one of its words (or a non-ASCII letter)
    if not text:
        return []
    digit = _DIGIT.search(text) is not None
    if not digit and ("=" not in text and ":" not in text and "(" not in text
                      or not _CODE_OR_DOT.search(text)):
        return []  # without a digit only `NA = ...`, `.A: ...`, `(*) ...` or `.R (...)`
    if text.isascii() and not _may_say_missing(text):
        return []
    out: dict[str, Category] = {}
    for pattern in (_STATED, _STATED_PAREN, _STATED_SYMBOL):
        for m in pattern.finditer(text):
            label = clean_label(m.group(2))
            if is_missing_label(label) and m.group(1) not in out:
                out[m.group(1)] = Category(m.group(1), label)
    if digit:
        for m in _MISSING_CUE.finditer(text):
            for code in _CODE_ITEM.findall(m.group(1)):
                out.setdefault(code, Category(code))
        _codes_after_labels(text, out)
    return list(out.values())


def _codes_after_labels(text: str, out: dict[str, Category]) -> None:
    """`Refused (coded as -7)`: the label is the last words before the code."""
    for m in _CODE_AFTER.finditer(text):
        if _quoted_longer(text, m.start()):
            continue
        before = _LABEL_BEFORE.search(text, max(0, m.start() - 40), m.start())
        words = clean_label(before.group(0)).split() if before else []
        for k in range(len(words)):
            tail = " ".join(words[k:])
            if is_missing_label(tail):
                out.setdefault(m.group(1), Category(m.group(1), tail))
                break


def _quoted_longer(text: str, end: int) -> bool:
    """`‘Sports, non déclaré’ (1099)`: the label before the code is a quotation whose words
    run past a comma; its last words alone (`non déclaré`) are no label of their own."""
    head = text[:end].rstrip()
    if not head or head[-1] not in "’”\"'":
        return False
    opened = max(head.rfind(q, 0, len(head) - 1) for q in "‘“\"'’")
    return opened >= 0 and any(c in head[opened:] for c in ",;")


# ---- a plain list of values ------------------------------------------------------------------
_VALUE_SPLIT = re.compile(r"\s*,\s*")


def parse_value_list(text: str | None) -> list[Category]:
    """A text that is only a comma list of short values (`m, f`; `never, sometimes, often`)
    as unlabelled codes; [] for prose (`books, movies, and food`), a semicolon or a long item.
    For parsers whose layout says the text holds values (`name- values` lines)."""
    if not text or "," not in text or ";" in text or "=" in text:
        return []
    items = [i.strip() for i in _VALUE_SPLIT.split(text.strip().rstrip(",."))]
    if len(items) < 2 or any(not i or len(i) > 30 or len(i.split()) > 4 for i in items):
        return []
    if any(re.match(r"(?:and|or|und|y|et|e|o|ou)\s", i, re.I) for i in items):
        return []  # `a, b, and c` is a sentence's enumeration
    values = list(dict.fromkeys(items))
    return [Category(v) for v in values] if len(values) == len(items) else []
