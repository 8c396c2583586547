"""Code lists inline in a description: `1=Male; 0=Female`, REDCap, R levels, quoted values."""

from __future__ import annotations

import re

from ...model import Category
from .lines import NUM, QUOTED, clean_label, unquote

_ABBREV = re.compile(r"\b(?:Inc|Ltd|Co|Corp|Bros|etc|St|Jr|Sr|No|approx|vs)\.$")

_PIPE_SPLIT = re.compile(r"\s*\|\s*")
_ONE_REDCAP = re.compile(r"\s*-?\d+\s*,\s*[^,|]+")
# `, `, `; `, ` or `, an elision (`, … 5 = high`) between two codes of a list
_LIST_GAP = re.compile(r"(?:[;,|]|\band\b|\bor\b|…|\.\.\.|\s[-–—])\s*(?:…|\.\.\.)?\s*[(\[]?\s*$")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
_TRAILING_SPACE = re.compile(r"\s+$")
_NUMBER = re.compile(NUM)
_SHORT_TOKEN = re.compile(r"[A-Za-z0-9]{1,3}")
_SENTENCE_END = re.compile(r"\.\s+[A-Z]")
_FACTOR_VALUES = re.compile(r"\\code\{([^}]*)\}|[\"“`']([^\"”`']+)[\"”`']")
_FACTOR_END = re.compile(r"[.;\n]\s|[.;]$|\n")
_FACTOR_SEP = re.compile(r"[\s,]+")
# a character one of the finders below needs (or the word `levels`): most lines have none
_CODE_MARK = re.compile("[|,=:\"“`']")
_INLINE_CODE = rf"{NUM}|{QUOTED}|[A-Za-z][\w\-]{{0,9}}|\.[A-Za-z]?(?=\s*=)"
# `3==1+1` is code 3 whose label starts with `=` (no spaces: `x == 1` is a comparison)
_INLINE_EQ = re.compile(rf"(?<![\w=<>!.\-])(?:({_INLINE_CODE})\s*=(?!=)\s*|({NUM})=(?==\S))")
_COMPARED = re.compile(rf"[<>≤≥]=?\s*{NUM}\s*=(?!=)")
_INLINE_COLON = re.compile(rf"(?<![\w.])({NUM})\s*:\s+")
# `1 - client with payment difficulties, 0 - all other cases`: a blank each side of the dash
_INLINE_DASH = re.compile(rf"(?<![\w.\-–—])({NUM})\s+[-–—]\s+(?=[^\W\d_])")
_REDCAP_PART = re.compile(r"^\s*([^,|]{1,40}?)\s*,\s*(.*?)\s*$", re.S)
_FACTOR = re.compile(r"\bfactor\s+with\s+(?:\d+\s+)?levels?\s*:?\s*(.+)$|\blevels\s*:\s*(.+)$",
                     re.I | re.S)
_Q = r"[\"“`']([^\"”`']{1,40})[\"”`']"
_PAREN_QUOTED = re.compile(rf"\(\s*{_Q}\s*\)")
_QUOTED = re.compile(_Q)
_QUOTED_LIST = re.compile(
    rf"(?:one of|either|values?(?:\s+are|\s+is)?|allowed|possible|coded as|can be)\s*:?\s*"
    rf"({_Q}(?:\s*(?:,|/|\bor\b|\band\b|,\s*or\b|,\s*and\b)\s*{_Q})+)", re.I)


def parse_inline_codes(text: str) -> list[Category]:
    """Codes written inside a description (`1=Male; 0=Female`, `1, Yes | 2, No`, ...)."""
    if not text or not text.strip():
        return []
    if _CODE_MARK.search(text) is None and "level" not in text.lower():
        return []
    for finder in (_redcap_choices, _equals_list, _colon_list, _dash_list, _factor_levels,
                   _quoted_values):
        found = finder(text)
        if found:
            return found
    return []


def _redcap_choices(text: str) -> list[Category]:
    """REDCap `1, Yes | 2, No` (also `AP, Asia-Pacific | NA, NA-ACCORD`)."""
    if "|" not in text and "," not in text:
        return []
    parts = [p for p in _PIPE_SPLIT.split(text.strip()) if p.strip()]
    if len(parts) < 2 and not _ONE_REDCAP.fullmatch(text):
        return []
    out = []
    for part in parts:
        m = _REDCAP_PART.match(part)
        if not m or not m.group(1).strip():
            return []
        out.append(Category(m.group(1).strip(), clean_label(m.group(2))))
    return out


def _equals_list(text: str) -> list[Category]:
    """`1 = male; 0 = female` lists (two codes or more) inside running text; not a scale's
    reading (`1 = no change, > 1 = growth`: a comparison stands for a value; `0 = no change,
    0.01 = 1 % growth`: two points of a continuous scale)."""
    if text.count("=") < 2 or _COMPARED.search(text):
        return []
    found = _separated_list(text, _INLINE_EQ)
    return [] if _scale_points(found) else found


def _scale_points(codes: list[Category]) -> bool:
    """Two numbers one of which is a fraction read a continuous scale: a list of two codes is
    a choice between two integers or words (`0.01` is no category of its own)."""
    if len(codes) != 2 or not all(_numeric(c.value) for c in codes):
        return False
    return any(not float(c.value).is_integer() for c in codes)


def _colon_list(text: str) -> list[Category]:
    """`0: No; 1: Yes` lists with numeric codes."""
    if ";" not in text and "," not in text or text.count(":") < 2:
        return []
    return _separated_list(text, _INLINE_COLON)


def _dash_list(text: str) -> list[Category]:
    """`1 - yes, 0 - no` lists with numeric codes."""
    if " - " not in text and " – " not in text and " — " not in text:
        return []
    found = _separated_list(text, _INLINE_DASH)
    if all(_YEAR.fullmatch(c.value) for c in found):
        return []  # `2019 - new method, 2020 - revised` is a history
    return found


def _separated_list(text: str, pattern: re.Pattern[str]) -> list[Category]:
    matches = [m for m in pattern.finditer(text) if not _quoted_inside(text, m.start())]
    if len(matches) < 2:
        return []
    out: list[Category] = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = text[m.end():end]
        if i + 1 < len(matches):
            gap = _LIST_GAP.search(label)
            if not gap and _numeric(_code(m)) and _numeric(_code(matches[i + 1])):
                gap = _TRAILING_SPACE.search(label)  # `1= Standard rate 2=JFK` (PDF cells)
            if not gap:
                return out if len(out) >= 2 else []  # the list stops: text in between
            label = label[:gap.start()]
        else:
            label = _cut_tail(label)
        code = unquote(_code(m))
        if not label.strip():
            return out if len(out) >= 2 else []
        label = _strip_period(clean_label(label))
        # the same code again: a repeat is dropped, another label kept for the caller to report
        if not any(c.value == code and c.label == label for c in out):
            out.append(Category(code, label))
    return _oriented(out) if len(out) >= 2 else []


def _quoted_inside(text: str, at: int) -> bool:
    """Whether `at` lies inside a curly or angle quotation (`“Entre S/ 201 - S/ 350”`): a
    number there belongs to a label, not to the list."""
    opened = max(text.rfind("“", 0, at), text.rfind("«", 0, at))
    return opened >= 0 and max(text.rfind("”", 0, at), text.rfind("»", 0, at)) < opened


def _oriented(codes: list[Category]) -> list[Category]:
    """`Male = 1, Female = 2`, `Male = M` are written label first: the side that looks like
    data (numbers, or short tokens facing words) holds the codes."""
    labels = [c.label or "" for c in codes]
    values = [c.value for c in codes]
    numbers = all(map(_numeric, labels)) and not any(map(_numeric, values))
    tokens = all(map(_token, labels)) and not any(map(_token, values))
    if numbers or tokens:
        return [Category(c.label or "", c.value) for c in codes]
    return codes


def _token(text: str) -> bool:
    """A short code: a number or up to three letters and digits (`M`, `NA`, `01`)."""
    return _numeric(text) or _SHORT_TOKEN.fullmatch(text) is not None


def _code(m: re.Match[str]) -> str:
    """The code a list pattern matched (the first group that took part)."""
    return m.group(1) if m.group(1) is not None else m.group(2)


def _numeric(code: str) -> bool:
    return _NUMBER.fullmatch(code) is not None


def _cut_tail(label: str) -> str:
    """The last label of a list ends at an unbalanced `)` or `;` or a sentence end."""
    depth = 0
    for i, ch in enumerate(label):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            if depth == 0:
                return label[:i]
            depth -= 1
        elif ch in ";\n" and depth == 0:
            return label[:i]
        elif ch == "." and depth == 0 and _SENTENCE_END.match(label, i):
            if not _ABBREV.search(label[:i + 1]):
                return label[:i]
    return label


def _strip_period(label: str) -> str:
    if label.endswith(".") and not _ABBREV.search(label):
        return label[:-1].rstrip()
    return label


def _factor_levels(text: str) -> list[Category]:
    """R documentation: `a factor with levels a b c` or `levels: "a", "b"`."""
    if "level" not in text.lower():
        return []
    m = _FACTOR.search(text)
    if not m:
        return []
    rest = (m.group(1) or m.group(2)).strip()
    quoted = _FACTOR_VALUES.findall(rest)
    if quoted:
        values = [a or b for a, b in quoted]
    else:
        rest = _FACTOR_END.split(rest)[0]
        values = [v for v in _FACTOR_SEP.split(rest) if v and v.lower() not in ("and", "or")]
    values = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    return [Category(v) for v in values] if len(values) >= 2 else []


def _quoted_values(text: str) -> list[Category]:
    """Curly- or straight-quoted allowed values: `publicly ("Public") or privately ("Private")`."""
    if '"' not in text and "“" not in text and "`" not in text and "'" not in text:
        return []
    values = _PAREN_QUOTED.findall(text)
    if len(values) < 2:
        m = _QUOTED_LIST.search(text)
        values = _QUOTED.findall(m.group(1)) if m else []
    values = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    return [Category(v) for v in values] if len(values) >= 2 else []
