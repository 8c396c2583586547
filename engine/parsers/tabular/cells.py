"""Reading single cells of a dictionary table: names, code lists, missing codes, flags."""

from __future__ import annotations

import re

from ...model import Category
from ..codes import map_type, parse_code_line, parse_inline_codes

_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_BRACKETED = re.compile(r"^[\[{]\s*(.+?)\s*[\]}]$", re.S)
_LIST_SPLIT = re.compile(r"\s*[;,|]\s*")
_NO_MISSING = re.compile(r"^(?:none|no|not allowed|not permitted|never|no missing\b.*)$", re.I)
_TRUE = {"true", "yes", "y", "x", "1", "required", "mandatory", "✓", "✔", "r", "req"}
_FALSE = {"false", "no", "n", "0", "optional", "opt", "-"}


def clean_name(text: str) -> tuple[str, str]:
    """(name, rest): the name without Markdown marks, quotes or a trailing colon, and any
    further lines of the cell (a name wrapped in a narrow column is joined back)."""
    first, rest = _wrapped_name(text.strip().split("\n"))
    name = _MD_LINK.sub(r"\1", first)
    name = name.replace("**", "").replace("__", "").strip()
    if len(name) >= 2 and name[0] == name[-1] and name[0] in "`'\"*":
        name = name[1:-1]
    name = name.strip("`“”").rstrip(":").strip()
    return name, rest.strip()


def _wrapped_name(lines: list[str]) -> tuple[str, str]:
    """`Improvement_` + `surcharge` is one name; `age` + `(years)` is a name and a remark."""
    name = lines[0]
    for k, line in enumerate(lines[1:], start=1):
        glue = "" if name.endswith(("_", "-", ".", "/")) else " "
        joined = name + glue + line
        if (line.startswith("(") or len(joined) > 40 or len(joined.split()) > 5
                or parse_code_line(line) is not None):
            return name, "\n".join(lines[k:]).strip()
        name = joined
    return name, ""


def is_sentence(name: str) -> bool:
    """A 'name' that reads like prose (a note row under the table), not a variable."""
    return len(name) > 120 or len(name.split()) > 10


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
        if len(inline) >= 2 and _starts_with(line, inline[0]):
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


def _starts_with(line: str, first: Category) -> bool:
    return line.lstrip(" \"'“(").startswith(first.value)


def values_codes(text: str) -> list[Category]:
    """Codes in a values column: `1=Yes; 2=No`, one per line, `[a, b, c]`, `a; b; c`."""
    text = text.strip()
    if not text:
        return []
    bracketed = _BRACKETED.match(text)
    if bracketed and "," in bracketed.group(1):
        return _plain_list(bracketed.group(1))
    inline = parse_inline_codes(text)
    if len(inline) >= 2:
        return inline
    lines = [line for line in text.split("\n") if line.strip()]
    parsed = [parse_code_line(line) for line in lines]
    if len(lines) >= 2 and all(parsed):
        return [c for c in parsed if c]
    if len(lines) == 1 and parsed[0] and re.search(r"[=:\t]", text):
        return [parsed[0]]
    if len(lines) >= 2 and all(len(x.split()) <= 4 for x in lines):
        return _plain_list("\n".join(lines).replace("\n", ";"))
    return _plain_list(text) if re.search(r"[;|]|,\s", text) else []


def _plain_list(text: str) -> list[Category]:
    """Short items of a separated list as codes without labels; [] when it reads as prose."""
    items = [i.strip().strip("\"'“”`") for i in _LIST_SPLIT.split(text) if i.strip()]
    if len(items) < 2 or any(len(i) > 40 or len(i.split()) > 4 for i in items):
        return []
    if any(map_type(i) for i in items):
        return []  # `integer, float` names types, not values
    return [Category(i) for i in dict.fromkeys(items)]


def missing_codes(text: str) -> list[Category]:
    """Missing-value codes in a missing column: `NA or NULL - optional`, `9=Refused`, `-9`."""
    text = text.strip()
    if not text or _NO_MISSING.match(text.split(" - ")[0].strip()):
        return []
    inline = parse_inline_codes(text)
    if len(inline) >= 2:
        return inline
    single = parse_code_line(text)
    if single is not None and "=" in text:
        return [single]
    clause = re.split(r"\s+[-–—]\s+|[,.;](?:\s|$)|\(", text)[0]
    items = [i.strip().strip("\"'“”`") for i in
             re.split(r"\s*(?:\bor\b|\band\b|/(?!a\b)|,|;)\s*", clause) if i.strip()]
    if not items or any(len(i) > 20 or len(i.split()) > 2 for i in items):
        return []
    return [Category(i) for i in dict.fromkeys(items)]


def flag(text: str) -> bool | None:
    """TRUE/yes/y/x -> True, FALSE/no/optional -> False, anything else None."""
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


def number(text: str) -> float | None:
    """A bound written in a cell (`1,000`, `0.5`), or None."""
    s = text.strip().replace(",", "").replace("−", "-")
    try:
        return float(s)
    except ValueError:
        return None


def position(text: str) -> dict[str, int] | None:
    """`1-20` -> {"start": 1, "end": 20}; a single number is the start."""
    m = re.fullmatch(r"\s*(\d+)\s*(?:[-–:]|to)\s*(\d+)\s*", text)
    if m:
        return {"start": int(m.group(1)), "end": int(m.group(2))}
    m = re.fullmatch(r"\s*(\d+)\s*", text)
    return {"start": int(m.group(1))} if m else None


# type words of data APIs that codes.map_type leaves alone
_EXTRA_TYPES = {"autocomplete": "string", "keyword": "string"}


def type_word(text: str) -> str | None:
    """The Table Schema type a cell names, ignoring parenthesised or bracketed remarks."""
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text).strip()
    return map_type(bare) or map_type(text) or _EXTRA_TYPES.get(bare.lower())
