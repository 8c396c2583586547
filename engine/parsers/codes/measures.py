"""Units and ranges stated in a description (`in square feet`, `(0-3)`)."""

from __future__ import annotations

import re

_UNITS = (  # (pattern, unit); first match wins. Abbreviations are case-sensitive (`MM` is no mm)
    (r"(?i:square (?:feet|foot)|sq\.? ?ft\b|\bsqft\b)", "square feet"),
    (r"\bkg/m(?:2|²)", "kg/m²"),
    (r"(?i:square met(?:er|re)s?)|\bm²|\bm2\b|\bsqm\b", "m²"),
    (r"(?i:cubic met(?:er|re)s?)|\bm³|\bm3\b", "m³"),
    (r"\b(?i:mm ?hg)\b", "mm Hg"),
    (r"\b(?i:mg/dl)\b", "mg/dl"),
    (r"\b(?i:mmol/l)\b", "mmol/L"),
    (r"\b(?i:kpa)\b", "kPa"),
    (r"\b(?i:beats per minute)\b|\bbpm\b", "bpm"),
    (r"\b(?i:kilograms?)\b|\bkgs?\b(?!/)", "kg"),
    (r"\b(?i:grams?)\b", "g"),
    (r"\b(?i:pounds)\b|\blbs?\b", "lb"),
    (r"\b(?i:centimet(?:er|re)s?)\b|\bcm\b", "cm"),
    (r"\b(?i:millimet(?:er|re)s?)\b|\bmm\b", "mm"),
    (r"\b(?i:kilomet(?:er|re)s?)\b|\bkm\b", "km"),
    (r"\b(?i:miles?)\b", "miles"),
    (r"\b(?i:feet|foot)\b|\bft\b", "feet"),
    (r"\b(?i:inch(?:es)?)\b", "inches"),
    (r"\b(?i:dollars?)\b|\bUSD\b|\$", "USD"),
    (r"\b(?i:euros?)\b|€|\bEUR\b", "EUR"),
    (r"\b(?i:percent(?:age)?)\b|%", "%"),
    (r"\b(?i:degrees? (?:celsius|c))\b|°C", "°C"),
    (r"\b(?i:degrees? (?:fahrenheit|f))\b|°F", "°F"),
)
_UNIT_PATTERNS = tuple((re.compile(pattern), unit) for pattern, unit in _UNITS)
_MINUTES = re.compile(r"\bminutes\b")
_TIME_UNIT = re.compile(
    r"(?:\b(?:in|number of)|\((?:in)?)\s*(years?|months?|weeks?|days?|hours?|minutes?|seconds?)\b"
    r"(?!\s+(?:of|since|ago|old)\b)", re.I)


def find_unit(text: str | None) -> str | None:
    """The unit a description states (`in square feet`, `mm Hg`, `$`, `in years`), else None."""
    if not text:
        return None
    for pattern, unit in _UNIT_PATTERNS:
        if pattern.search(text):
            return unit
    low = text.lower()
    m = _TIME_UNIT.search(low)
    if m:
        word = m.group(1)
        return word if word.endswith("s") else word + "s"
    if _MINUTES.search(low):
        return "minutes"
    return None


_RNUM = r"[-−]?\d+(?:[.,]\d+)?"
_RANGE_PATTERNS = (
    re.compile(rf"\brange[sd]?\b(?:\s+(?:is|of|from))?\s*[:=]?\s*\(?({_RNUM})\s*"
               rf"(?:-|–|—|to)\s*({_RNUM})\b", re.I),
    re.compile(rf"\bfrom\s+({_RNUM})\s+(?:to|through|-)\s+({_RNUM})\b", re.I),
    re.compile(rf"\bbetween\s+({_RNUM})\s+and\s+({_RNUM})\b", re.I),
    re.compile(rf"\(\s*({_RNUM})\s*(?:-|–|—|to)\s*({_RNUM})\s*\)"),
    re.compile(rf"[\[(]\s*({_RNUM})\s*,\s*({_RNUM})\s*[\])]"),
    re.compile(rf"\b(?:scale|values?)\s+(?:of\s+)?({_RNUM})\s*(?:-|–|—|to)\s*({_RNUM})\b",
               re.I),
)

_DATE_AFTER = re.compile(r"[-/]\d")
_YEAR = re.compile(r"(1[89]|20)\d\d")
_RANGE_WORD = re.compile(r"\s*range", re.I)
_THOUSANDS = re.compile(r"-?\d+,\d{3}")


def find_range(text: str | None) -> tuple[float | None, float | None] | None:
    """(minimum, maximum) stated in a description (`range 0-120`, `(0-3)`), else None."""
    if not text:
        return None
    for pattern in _RANGE_PATTERNS:
        for m in pattern.finditer(text):
            if _date_like(text, m):
                continue
            lo, hi = _to_float(m.group(1)), _to_float(m.group(2))
            if lo is not None and hi is not None and lo < hi:
                return lo, hi
    return None


def _date_like(text: str, m: re.Match[str]) -> bool:
    """`2020-03-01` or `1946-1950` without a `range` word is a date, not a range."""
    before = text[max(0, m.start() - 1):m.start()]
    if _DATE_AFTER.match(text[m.end():m.end() + 2]) or before in "-/" and before:
        return True
    years = all(_YEAR.fullmatch(g) for g in m.groups())
    return years and not _RANGE_WORD.match(text, m.start())


def _to_float(s: str) -> float | None:
    s = s.replace("−", "-")
    if _THOUSANDS.fullmatch(s):  # 1,000 is a thousand; 0,5 is a decimal comma
        s = s.replace(",", "")
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None
