"""Units stated in a description (`in square feet`, `(mm Hg)`, `in eV`, `en años`, `(lbs)`,
`(beats/min)`, `(cases per 10 facilities)`) or in a name's bracket (`T [K]`, `S.n [µV/K]`).
Ranges are in `ranges` (re-exported here).

A unit the text states for the field (after `in`, `measured in`, `units of`, or alone in
brackets) wins over one it only mentions (`1 inch = 2.54 cm`, `converted from kilograms`);
among either kind the first one written wins.
"""

from __future__ import annotations

import re

from .ranges import find_range
from .unitwords import (ALONE, ALONE_IN_NAME, BRACKET_LETTERS, BRACKET_ONLY, COUNTED, NO_UNIT,
                        NO_UNIT_VALUES, SHORT_TIME, SI_LETTERS, SPELLED, STRFTIME, TIME_WORDS,
                        UNIT_EXPR, UNIT_PATTERNS)

__all__ = ["find_range", "find_unit", "is_no_unit", "is_unit_name", "says_no_unit",
           "strftime_format", "unit_in_name"]

# a count or a share mentions money or a percentage without being measured in it: `Number of
# students (denominator for the percentage ...)`, `Percent of high-income (above $75,000) ...`
_COUNTED = r"\b(?:count|number of|denominator|numerator|n of)\b"
_NOT_UNIT = {"%": re.compile(_COUNTED, re.I),
             "USD": re.compile(rf"{_COUNTED}|\b(?:percent(?:age)?|rate|share|proportion|ratio)\b",
                               re.I)}
_TIME = "|".join(sorted((re.escape(w) for w in TIME_WORDS), key=len, reverse=True))
_SHORT = "|".join(SHORT_TIME)
_NOT_AFTER_TIME = r"(?!\s+(?:of|since|ago|old|de|desde)\b)"
_TIME_MENTION = re.compile(
    rf"\b(?:number of|how many|actual|número de|nombre de|anzahl (?:der )?)\s*({_TIME})\b"
    rf"{_NOT_AFTER_TIME}", re.I)
_TIME_AT = re.compile(rf"({_TIME}|{_SHORT})\b{_NOT_AFTER_TIME}", re.I)
_MINUTES = re.compile(r"\bminutes\b")
# where a unit is stated: after `in` (`measured in`, `en`, `em`), `units of`, `unit:`, or at
# the start of a bracket (`(kg)`, `(in mm Hg ...)`, `[W/K/m/s]`)
# (`in whole years`, `in completed months`: a word on how the count is taken may come between)
_CUE = re.compile(r"(?:\b(?:in|en|em|units? of|unit(?:s|é|ad|idade|heit)?\s*[:=])\s+\[?"
                  r"(?:(?:whole|completed?|full)\s+(?=[a-z]))?|"
                  r"(?:(?<=\s)|^)[(\[]\s*(?:in\s+)?)", re.I)
_SYMBOL_AT = re.compile(r"([^\s\[\](),;]+?)\]?(?=$|[\s),;\]]|\.(?:\s|$))")
_BRACKET = re.compile(r"[^()\[\]]{1,60}(?=[)\]])")
_RATE_PER = re.compile(r"^[^\d()]{0,40}?\b(?:per|por|pour|pro)\s+(?:\d[\d,. ]*\s*)?\S.{0,40}$",
                       re.I)
_PER_WHAT = re.compile(r"\b(?:per|por|pour|pro)\s+(\d|(\w+))", re.I)
_HINTS = sorted({h for _, _, hints in UNIT_PATTERNS for h in hints})
_CLAUSE_END = re.compile(r"\]?\s*(?:$|[.,;:)]|\s(?:and|or|at|on|from|for|per)\b)")
_CLOSES = re.compile(r"[)\]]\s*[.:;,]?\s*$")


def find_unit(text: str | None, *, stated_only: bool = False) -> str | None:
    """The unit a description states (`in square feet`, `mm Hg`, `$`, `in years`, `(lbs)`),
    else the first it mentions (not with `stated_only`); None when it says `unitless`."""
    if not text or says_no_unit(text):
        return None
    if "%" in text:
        text = STRFTIME.sub(" ", text)
    low = text.lower()
    present = {h for h in _HINTS if h in low}
    patterns = [(p, unit) for p, unit, hints in UNIT_PATTERNS if not present.isdisjoint(hints)]
    stated = _stated_unit(text, patterns)
    if stated or stated_only:
        return stated
    return _mentioned_unit(text, low, patterns)


def says_no_unit(text: str | None) -> bool:
    """Whether a text says its field has no unit (`unitless`, `dimensionless`)."""
    if not text:
        return False
    low = text.lower()
    return ("unit" in low or "dimension" in low or "einheit" in low or "unidad" in low) \
        and NO_UNIT.search(text) is not None


def is_unit_name(text: str) -> bool:
    """Whether a short text is plainly a unit (`kg`, `years`, `mm Hg`, `%`); short forms that
    are also codes (`hr`, `s`, `in`) are not."""
    return (_is_symbol(text, ALONE) or text.lower() in TIME_WORDS or text.lower() in SPELLED
            and len(text) > 2 or _whole_word_unit(text) is not None)


def is_no_unit(unit: str | None) -> bool:
    """Whether a unit a parser read is the absence of one (`unitless`, `none`, `-`)."""
    return unit is not None and unit.strip().lower() in NO_UNIT_VALUES


def strftime_format(text: str | None) -> str | None:
    """The strftime pattern a text gives (`%Y-%m-%d`), else None."""
    if not text or "%" not in text:
        return None
    m = STRFTIME.search(text)
    return m.group(0) if m else None


# ---- a unit stated for the field -------------------------------------------------------------
def _stated_unit(text: str, patterns: list[tuple[re.Pattern[str], str | None]]) -> str | None:
    """The first unit written after a cue (`in`, `units of`, a bracket's start)."""
    for cue in _CUE.finditer(text):
        bracket = cue.group(0).lstrip()[:1] in "(["
        unit = (_bracket_unit(text, cue) if bracket else None) or \
            _unit_at(text, cue, patterns, letters=not bracket)
        if unit and not _guarded(unit, text, cue.start()):
            return unit
    return None


def _unit_at(text: str, cue: re.Match[str], patterns: list[tuple[re.Pattern[str], str | None]],
             letters: bool) -> str | None:
    """The unit that starts right after a cue: a unit word, a time word, or symbols (one SI
    letter only after `in` and closing the clause: `depth in m`, not `Income (K)`)."""
    pos = cue.end()
    best: tuple[int, str] | None = None
    for pattern, unit in patterns:
        m = pattern.match(text, pos) or pattern.match(text, cue.start())
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), unit or m.group(0))
    m = _TIME_AT.match(text, pos)
    if m and (best is None or m.end() > best[0]):
        word = m.group(1).lower()
        best = (m.end(), TIME_WORDS.get(word) or SHORT_TIME[word])
    m = _SYMBOL_AT.match(text, pos)
    if m and (best is None or m.end() > best[0]):
        token = m.group(1)
        closes = letters and token in SI_LETTERS and _CLAUSE_END.match(text, m.end()) is not None
        if _is_symbol(token, ALONE) or "/" in token and _spelled(token) or closes:
            best = (m.end(), _whole_word_unit(token) or token.strip("[]"))
    return best[1] if best else None


def _bracket_unit(text: str, cue: re.Match[str]) -> str | None:
    """A bracket holding only a unit abbreviation (`(in)`, `(lbs)`, `(y)`) or a rate
    (`(beats/min)`, `(cells/µL)`, `(cases per 10 reporting facilities)`), as written."""
    m = _BRACKET.match(text, cue.end())
    if not m:
        return None
    content = m.group(0).strip()
    if content in BRACKET_ONLY:
        if content in BRACKET_LETTERS and not _CLOSES.match(text, m.end()):
            return None
        return BRACKET_ONLY[content]
    if "/" in content:
        return _slash_rate(content)
    if _RATE_PER.match(content) and len(content.split()) <= 7:
        per = _PER_WHAT.search(content)
        if per and (per.group(1).isdigit() or _is_unit_word(per.group(2) or "")):
            return content
    return None


def _slash_rate(content: str) -> str | None:
    """`beats/min`, `cells/µL`, `mEq/L`: a count or unit over a unit; `yes/no`, `Y/N` are not."""
    parts = [p.strip() for p in content.split("/")]
    if len(parts) != 2 or not all(parts) or any(len(p.split()) > 2 for p in parts):
        return None
    top, below = parts
    if _is_symbol(content, ALONE) or _spelled(content):
        return _whole_word_unit(content) or content
    if not _is_unit_word(below) or not re.fullmatch(r"[^\W\d_]+", top):
        return None
    if len(below) == 1 and not _is_symbol(top, ALONE) and top not in COUNTED:
        return None  # `Y/N`, `s/he`
    return content


def _is_unit_word(word: str) -> bool:
    """A unit symbol or a unit or time word (`min`, `µL`, `kg`, `minute`, `m^2`)."""
    return (word.lower() in SPELLED or word.lower() in TIME_WORDS or word.lower() in SHORT_TIME
            or _is_symbol(word, ALONE_IN_NAME))


# ---- a unit only mentioned -------------------------------------------------------------------
def _mentioned_unit(text: str, low: str,
                    patterns: list[tuple[re.Pattern[str], str | None]]) -> str | None:
    """The first unit word the text holds anywhere (the longest at one place)."""
    best: tuple[int, int, str] | None = None  # (start, -length, unit)
    for pattern, unit in patterns:
        for m in pattern.finditer(text):
            if _guarded(unit or m.group(0), text, m.start()):
                continue
            key = (m.start(), -len(m.group(0)), unit or m.group(0))
            best = key if best is None or key < best else best
            break
    m = _TIME_MENTION.search(text)
    if m and (best is None or m.start() < best[0]):
        best = (m.start(), 0, TIME_WORDS[m.group(1).lower()])
    if best:
        return best[2]
    return "minutes" if _MINUTES.search(low) else None


def _guarded(unit: str, text: str, start: int) -> bool:
    guard = _NOT_UNIT.get(unit)
    return guard is not None and guard.search(text, 0, start) is not None


def _whole_word_unit(text: str) -> str | None:
    """The unit a pattern names when it spans the whole text (`kg/m2` -> `kg/m²`)."""
    for pattern, unit, _ in UNIT_PATTERNS:
        if pattern.fullmatch(text):
            return unit or text
    return None


def _spelled(unit: str) -> bool:
    return "/" in unit and all(part.lower() in SPELLED for part in unit.split("/"))


_NAME_BRACKET = re.compile(r"[\[(]\s*([^\[\]()]{1,16}?)\s*[\])]\s*$")


def unit_in_name(name: str | None) -> str | None:
    """The unit in a name's trailing bracket: `T [K]`, `S.n [µV/K]`, `kappa [W/mK]`."""
    if not name or not name.rstrip().endswith(("]", ")")):
        return None
    m = _NAME_BRACKET.search(name)
    if not m:
        return None
    unit = m.group(1).strip()
    if _is_symbol(unit, ALONE_IN_NAME):
        return unit
    if len(unit.split()) <= 2:  # `(years)`, `($)`, `(millimeters)`
        return find_unit(unit if unit.startswith("(") else f"({unit})")
    return None


def _is_symbol(text: str, alone: set[str]) -> bool:
    """Whether text is a unit made of symbols: a compound (`W/m.K`, `cm2`) or a known one."""
    if text in alone:
        return True
    if not UNIT_EXPR.fullmatch(text):
        return False
    parts = re.split(r"[/.*·]", text)
    if len(parts) <= 2 and all(len(p) == 1 and p.isupper() for p in parts):
        return False  # `T/F`, `S/N` are codes
    compound = any(ch in text for ch in "/.*·^²³") or any(ch.isdigit() for ch in text)
    return compound and any(ch.isalpha() for ch in text)
