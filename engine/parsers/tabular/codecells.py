"""Code lists written in one cell: `1=Yes; 2=No`, one code per line, `[a, b, c]`, numbered
lines (`1 Nada satisfecho` / `2` / `5 Muy satisfecho`), labelled score bands."""

from __future__ import annotations

import re

from ...model import Category
from ..codes import map_type, parse_code_line, parse_inline_codes
from .cells import _LETTERS, cell_range, number

__all__ = ["bands", "cell_codes", "split_codes", "starts_with_code", "values_codes"]

_BRACKETED = re.compile(r"^[\[{]\s*(.+?)\s*[\]}]$", re.S)
_LIST_SPLIT = re.compile(r"\s*[;,|]\s*")


def split_codes(text: str) -> tuple[list[str], list[Category]]:
    """(prose lines, codes) of a multi-line cell: code-list lines come out as codes.

    A line of inline codes (`1= A; 2= B`) counts; single `code = label` lines count only
    when there are two or more of them, and the first line only when every line is a code.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    codes: list[Category] = []
    singles: dict[int, Category] = {}
    prose: dict[int, str] = {}
    for i, line in enumerate(lines):
        inline = parse_inline_codes(line)
        if len(inline) >= 2 and starts_with_code(line, inline[0]):
            codes.extend(inline)
            continue
        code = parse_code_line(line)
        if code is not None:
            singles[i] = code
        prose[i] = line
    if len(singles) >= 2 or (singles and codes):
        if 0 in singles and len(singles) < len(lines):
            del singles[0]
        for i in singles:
            del prose[i]
        codes.extend(singles.values())
    return list(prose.values()), codes


def starts_with_code(line: str, first: Category) -> bool:
    """Whether the line opens with the first code, as a token (`A=Lost`, not `Angin`)."""
    rest = line.lstrip(" \"'“(")
    value = str(first.value)
    return rest.startswith(value) and not (value[-1:].isalnum() and rest[len(value):][:1].isalnum())


def values_codes(text: str) -> list[Category]:
    """Codes in a values column: `1=Yes; 2=No`, one per line, `[a, b, c]`, `a; b; c`."""
    text = text.strip()
    if not text:
        return []
    bracketed = _BRACKETED.match(text)
    if bracketed and "," in bracketed.group(1):
        return _plain_list(bracketed.group(1))
    listed = _listed_pairs(text)
    if listed:
        return listed
    inline = parse_inline_codes(text)
    if len(inline) >= 2:
        return _oriented(inline)
    lines = [line for line in text.split("\n") if line.strip()]
    parsed = [parse_code_line(line) for line in lines]
    if len(lines) >= 2 and all(parsed):
        return _oriented([c for c in parsed if c])
    if len(lines) == 1 and parsed[0] and re.search(r"[=:\t]", text):
        return [parsed[0]]
    numbered = _numbered_lines(lines) or _lettered_lines(lines)
    if numbered:
        return numbered
    if len(lines) >= 2 and all(len(x.split()) <= 4 for x in lines):
        return _plain_list("\n".join(lines).replace("\n", ";"))
    return _plain_list(text) if re.search(r"[;|]|,\s", text) else []


_NUMBERED = re.compile(r"^(\d{1,3})(?:\s+(\S.*))?$")
_MAX_NUMBERED_WORDS = 6


def _numbered_lines(lines: list[str]) -> list[Category]:
    """`1 Nada satisfecho / 2 / 3 / 4 / 5 Muy satisfecho`, `1 18 a 29 años / 2 30 a 44 años`:
    every line opens with a number, the numbers count up, and two lines or more go on with a
    label: the numbers are the codes (a bare one has no label)."""
    found = [_NUMBERED.match(x.strip()) for x in lines]
    if len(lines) < 2 or not all(found):
        return []
    nums = [int(m.group(1)) for m in found]
    labelled = sum(bool(m.group(2) and _LETTERS.search(m.group(2))) for m in found)
    if labelled < 2 or any(b <= a for a, b in zip(nums, nums[1:])) \
            or any(m.group(2) and len(m.group(2).split()) > _MAX_NUMBERED_WORDS for m in found) \
            and not _long_labels(found, nums):
        return []               # numbered sentences are steps or notes, not code labels
    return [Category(m.group(1), m.group(2).strip() if m.group(2) else None) for m in found]


def _long_labels(found: list[re.Match[str]], nums: list[int]) -> bool:
    """Long labels that are still code labels: every line has one, the numbers count up by
    one, and no label is a sentence (ends with a full stop)."""
    return (all(m.group(2) for m in found) and all(b == a + 1 for a, b in zip(nums, nums[1:]))
            and not any(m.group(2).rstrip().endswith(".") for m in found))


# `C Urban cluster`: an upper-case letter code (or a short upper-case token) and its label
_LETTERED = re.compile(r"^([A-Z]{1,2}|[A-Z][0-9]{1,2}|[0-9][A-Z])\s+([^\W\d_].*)$")


def _lettered_lines(lines: list[str]) -> list[Category]:
    """`C Urban cluster / R Rural area / U Urban area`: every line a distinct upper-case code
    and a label of words."""
    found = [_LETTERED.match(x.strip()) for x in lines]
    if len(lines) < 2 or not all(found):
        return []
    codes = [m.group(1) for m in found]
    if len(set(codes)) != len(codes):
        return []
    return [Category(m.group(1), m.group(2).strip()) for m in found]


_PAIR = re.compile(r"^([-+]?\d{1,6})\s*[-–—=:.)]\s*([^\W\d_].*)$")
_CODE_PAREN = re.compile(r"^([-+]?\d{1,6})(?:\s*\(\s*([^()]*[^\W\d_][^()]*?)\s*\))?$")
_LABEL_CODE = re.compile(r"^([^\W\d_][^()]*?)\s*\(\s*([-+]?\d{1,6})\s*\)$")


def _listed_pairs(text: str) -> list[Category]:
    """`1 - Yes, 2 - No`, `1 = Homme / 2 = Femme` or `Yes (1), No (0)`: a separated list
    whose every item pairs a number with a label; [] otherwise."""
    items = [i.strip() for i in re.split(r"\s*[;,|\n]\s*|\s+/\s+", text) if i.strip()]
    if len(items) < 2:
        return []
    pairs = [_PAIR.match(i) for i in items]
    if all(pairs):
        return [Category(m.group(1), m.group(2).strip()) for m in pairs]
    pairs = [_LABEL_CODE.match(i) for i in items]
    if all(pairs):
        return [Category(m.group(2), m.group(1).strip()) for m in pairs]
    # `1 (pobres), 2, 3, 4, 5 (ricos)`, `1 (pico); 0 (fora pico)`: codes, some with their
    # label in parentheses (a bare code has none)
    pairs = [_CODE_PAREN.match(i) for i in items]
    if all(pairs) and sum(1 for m in pairs if m.group(2)) >= 2:
        return [Category(m.group(1), m.group(2).strip() if m.group(2) else None)
                for m in pairs]
    return []


def _oriented(codes: list[Category]) -> list[Category]:
    """`Male = 1`: words facing numbers are the labels, the numbers the codes."""
    if all(c.label and number(c.label) is not None and number(c.value) is None
           and _LETTERS.search(c.value) for c in codes):
        return [Category(c.label.strip(), c.value) for c in codes]
    return codes


def _plain_list(text: str) -> list[Category]:
    """Short items of a separated list as codes without labels; [] when it reads as prose."""
    items = [i.strip().strip("\"'“”`") for i in _LIST_SPLIT.split(text) if i.strip()]
    if len(items) < 2 or any(len(i) > 40 or len(i.split()) > 4 for i in items):
        return []
    if any(re.search(r"[=:]", i) or i.count("(") != i.count(")") for i in items):
        return []  # `Free input (minimum 0, maximum 24)`, `in kg; 999 = refused`: prose cut up
    if any(map_type(i) for i in items):
        return []  # `integer, float` names types, not values
    if any(cell_range(i) and not re.fullmatch(r"\w+", i) for i in items):
        return []  # `Número de días, 0-31`: a quantity and its range, not values (`1to7` is a
        # code word)
    return [Category(i) for i in dict.fromkeys(items)]


_BAND = re.compile(r"^\s*([-−]?\d+(?:\.\d+)?)\s*(?:[-–—]|to)\s*([-−]?\d+(?:\.\d+)?)"
                   r"\s*[=:]\s*[^\W\d_]")


def bands(text: str) -> tuple[float, float] | None:
    """`0-30=None; 31-49=Mild; 50-79=Moderate`: labelled bands of a score, whose span is the
    field's range (a band is no code), else None."""
    items = [i for i in re.split(r"\s*[;\n]\s*|,\s+(?=\d)", text.strip()) if i.strip()]
    found = [_BAND.match(i) for i in items]
    if len(items) < 2 or not all(found):
        return None
    nums = [float(x.replace("−", "-")) for m in found for x in m.groups()]
    return min(nums), max(nums)


# `1 - Yes`, `2-  No`, `3– Other`, `A. Label`: a code and its label in a code-list cell
_LOOSE_CODE = re.compile(r"^([-+]?\d{1,6}(?:\.\d+)?|[A-Za-z]{1,2})\s*[-–—=:.)]\s*(\S.*)$")


def cell_codes(text: str) -> list[Category]:
    """The codes of a cell that holds a code list (labelled: two or more), else []."""
    text = text.strip()
    if not text:
        return []
    lines = [x.strip() for x in text.split("\n") if x.strip() and not x.strip().startswith("*")]
    if len(lines) >= 2:
        loose = [_LOOSE_CODE.match(x) for x in lines]
        # a label has letters: `1990-2000` is a bare label, not code 1990
        hits = [m for m in loose if m and _LETTERS.search(m.group(2))]
        if len(hits) >= 2 and len(hits) >= 0.6 * len(lines):
            return [Category(m.group(1), m.group(2).strip()) for m in hits]
    numbered = _numbered_lines(lines)
    if numbered:
        return numbered             # bare middle points of a scale stay codes
    found = values_codes(text)
    if _bare_between_labelled(text):
        return found                # `1 (pobres), 2, 3, 4, 5 (ricos)`: the bare codes count
    found = [c for c in found if c.label]
    return found if len(found) >= 2 else []


def _bare_between_labelled(text: str) -> bool:
    """A list of codes whose ends carry their label in parentheses, middle ones bare."""
    items = [i.strip() for i in re.split(r"\s*[;,|\n]\s*|\s+/\s+", text) if i.strip()]
    pairs = [_CODE_PAREN.match(i) for i in items]
    return (len(items) >= 3 and all(pairs) and bool(pairs[0].group(2))
            and bool(pairs[-1].group(2)))
