"""A valid range open at one end or stated in words: `always >= 0`, `non-negative`, `must be
positive`, `Concentration ≥ 0`, `Maximum score possible is 100`, `zero was the minimum input
possible and thirty-one was the maximum`, `el máximo es 31`.

Only a rule counts: a condition on something else (`patients with BMI ≥ 30`, `number of
applications is >= 2`) and observed statistics (`the observed maximum is 98`) do not.
"""

from __future__ import annotations

import re

from .numwords import words_to_digits
from .ranges import STATS, to_float

_RNUM = r"[-−+]?\d+(?:[.,]\d+)?"
_END = r"(?![\d.,]\d)"
# `is >= 2` may state a condition (`number of applications is >= 2`): only a rule counts
_LOWER = re.compile(rf"(?:\b(?:always|must be|should be)\s*(?:>=|≥|greater than or equal "
                    rf"to)|^\s*(?:>=|≥))\s*({_RNUM})(?!\d)", re.I)
_UPPER = re.compile(rf"(?:\b(?:always|must be|should be)\s*(?:<=|≤|less than or equal "
                    rf"to)|^\s*(?:<=|≤))\s*({_RNUM})(?!\d)", re.I)
# `Concentration ≥ 0`, `(>= 0)`: a bound closing the text or alone in brackets
_TRAILING = re.compile(rf"^([^.;:\n]{{0,60}}?)\s*(>=|≥|=>|<=|≤|=<)\s*({_RNUM}){_END}\s*\.?\s*$")
_BRACKETED = re.compile(rf"[(\[]\s*(>=|≥|=>|<=|≤|=<)\s*({_RNUM}){_END}\s*[)\]]")
_CONDITION = re.compile(r"\b(?:with|if|when|where|who|whose|among|for|of|having|has|had|"
                        r"patients?|persons?|people|children|con|si|cuando|com|quando|avec|"
                        r"mit|wenn|falls|bei|number|count)\b", re.I)
_NON_NEGATIVE = re.compile(r"\bnon-?negative\b|\bnonnegative\b|\bno negativ[oa]s?\b|"
                           r"\bn[aã]o negativ[oa]s?\b|\bnon n[ée]gati(?:f|ve)s?\b|"
                           r"\bnicht[- ]?negativ", re.I)
_POSITIVE = re.compile(
    r"\b(?:must|should|shall|has to|have to|can only|will always|is always|are always|always|"
    r"only)\s+(?:be\s+)?(?:a\s+)?positive\b|\bpositive (?:values?|numbers?|integers?) only\b|"
    r"\bdebe(?:n)? ser positiv[oa]s?\b|\bdeve(?:m)? ser positiv[oa]s?\b|"
    r"\bdoi(?:t|vent) être positi(?:f|ve)s?\b|\bmuss positiv\b|\bimmer positiv\b", re.I)

_MIN_WORD = r"(?:minimum|minimal|lowest|smallest|m[ií]nim[oa]|minimale?|niedrigste[rn]?)"
_MAX_WORD = r"(?:maximum|maximal|highest|largest|m[aá]xim[oa]|maximale?|h[öo]chste[rn]?)"
_FILLER = (r"(?:score|scores|value|values|possible|allowed|permitted|input|valid|valor|valeur|"
           r"wert|puntaje|puntuaci[oó]n|pontua[cç][aã]o|note|permitid[oa]|posible|poss[ií]vel|"
           r"zul[äa]ssige?r?|m[öo]gliche?r?)")
_VERB = r"(?:is|was|are|of|=|:|es|era|é|est|ist|war|liegt bei|equals)"
_ARTICLE = r"(?:the|el|la|o|a|le|der|die|das)"
# `Maximum score possible is 100`, `el máximo es 31`: the word, then the number
_WORD_FIRST = {key: re.compile(rf"\b{word}(?:\s+{_FILLER}){{0,3}}\s*{_VERB}\s*(?:is\s+)?"
                               rf"({_RNUM}){_END}", re.I)
               for key, word in (("min", _MIN_WORD), ("max", _MAX_WORD))}
# `0 was the minimum input possible`, `31 el máximo`: the number, then the word (without a
# verb it counts only when the other end is stated too)
_NUMBER_FIRST = {key: re.compile(rf"(?<![\w.,])({_RNUM})\s+({_VERB}\s+)?(?:{_ARTICLE}\s+)?"
                                 rf"(?:{_FILLER}\s+)?{word}\b", re.I)
                 for key, word in (("min", _MIN_WORD), ("max", _MAX_WORD))}
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_CLAUSE_START = re.compile(r"[.;!?]\s|\n")
_EXTREME = re.compile(r"\b(?:m[ií]nim|m[aá]xim|lowest|highest|smallest|largest|niedrigst|"
                      r"h[öo]chst)")
_DIGIT = re.compile(r"\d")
_HINT = re.compile(r"[=≥≤]|negativ|equal|positiv|m[ií]nim|m[aá]xim|lowest|highest|smallest|"
                   r"largest|niedrigst|h[öo]chst")


def find_bounds(text: str | None) -> tuple[float | None, float | None] | None:
    """A range open at one end (`always >= 0`, `non-negative`) or stated in words: (minimum,
    maximum) with None for an end not stated; else None."""
    if not text:
        return None
    low = text.lower()
    if _HINT.search(low) is None:
        return None
    worded = words_to_digits(text) if _EXTREME.search(low) else ""
    lo, hi = _worded(worded) if _DIGIT.search(worded) else (None, None)
    lo_m, hi_m = _LOWER.search(text), _UPPER.search(text)
    if lo is None and lo_m:
        lo = to_float(lo_m.group(1))
    if hi is None and hi_m:
        hi = to_float(hi_m.group(1))
    if lo is None and hi is None:
        lo, hi = _symbol_bound(text)
    if lo is None and (_NON_NEGATIVE.search(text) or _POSITIVE.search(text)):
        lo = 0.0
    if lo is None and hi is None or (lo is not None and hi is not None and lo >= hi):
        return None
    return lo, hi


def _symbol_bound(text: str) -> tuple[float | None, float | None]:
    """`Concentration ≥ 0` closing the text (no condition before it), `(>= 0)`."""
    m = _TRAILING.match(text)
    sign, number = (m.group(2), m.group(3)) if m and not _CONDITION.search(m.group(1)) \
        else (None, None)
    if sign is None:
        b = _BRACKETED.search(text)
        if not b or _CONDITION.search(text, 0, b.start()):
            return None, None
        sign, number = b.group(1), b.group(2)
    value = to_float(number)
    return (value, None) if sign in (">=", "≥", "=>") else (None, value)


def _worded(text: str) -> tuple[float | None, float | None]:
    """Ends written as sentences: `the maximum is 100`, `0 was the minimum`."""
    found: dict[str, tuple[float, bool]] = {}
    for key in ("min", "max"):
        for m in _WORD_FIRST[key].finditer(text):
            if not _observed(text, m.start()):
                found[key] = (to_float(m.group(1)), True)
                break
        if key in found:
            continue
        for m in _NUMBER_FIRST[key].finditer(text):
            if not _observed(text, m.start()) and not _YEAR.fullmatch(m.group(1)):
                found[key] = (to_float(m.group(1)), m.group(2) is not None)
                break
    both = len(found) == 2
    lo = found["min"][0] if "min" in found and (found["min"][1] or both) else None
    hi = found["max"][0] if "max" in found and (found["max"][1] or both) else None
    return lo, hi


def _observed(text: str, at: int) -> bool:
    """Whether the clause holding position `at` reports observed statistics."""
    start = 0
    for c in _CLAUSE_START.finditer(text, 0, at):
        start = c.end()
    end = _CLAUSE_START.search(text, at)
    return STATS.search(text, start, end.start() if end else len(text)) is not None
