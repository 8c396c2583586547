"""Valid ranges stated in a description: `(0-3)`, `(−10 to +10)`, `between 0 and 1`,
`entre 0 y 1`, `from 1 to 5`, `1..99999`, `Min: 0, Max: 100`, `0-100 scale`, `>= 0`.

Only a range the text states as the valid values counts: observed statistics (`Mean 5.2 ...
Min. 0 Max. 10`, `observed range`, `in the sample`) and spans of years (`survey years
1972-2014`) are not ranges of the field's values.
"""

from __future__ import annotations

import re

from .numwords import words_to_digits

_RNUM = r"[-−+]?\d+(?:[.,]\d+)?"
_DOTNUM = r"[-−+]?\d+(?:\.\d+)?"
# `--` is how Markdown and LaTeX sources write an en dash (`(0--1)`)
_DASH = r"(?:--|-|–|—|‒|−|\.\.|to|through|thru)"
_AND = r"(?:and|y|e|et|und)"
# unit words that may follow the upper end of a range closing a clause (`18 to 90 years`)
_CLOSING_UNITS = (r"years?|months?|weeks?|days?|hours?|minutes?|seconds?|points?|kg|g|cm|mm|m|"
                  r"km|%|percent|años|anos|ans|jahre|meses|mois|monate|días|dias|jours|tage|"
                  r"puntos|pontos|Punkte")
# two ends of a scale, each with its label: `0 = none to 10 = worst`, `1 (low) - 5 (high)`
# (a dash joins only bracketed labels: `1 = Male - 2 = Female` is a code list)
_SPAN = (rf"(?<![\w.])({_RNUM})\s*(?:(?:=\s*[^=;,()\d]{{1,30}}?|\([^()]{{1,30}}\))\s*"
         rf"(?:to|through|a|à|até|hasta|bis)|\([^()]{{1,30}}\)\s*[-–—])\s+({_RNUM})\s*(?:=|\()")
# (pattern, hints): a pattern is tried only when the lower-cased text holds one of its hints
_RANGE_PATTERNS = tuple((re.compile(pattern, flags), hints) for pattern, flags, hints in (
    (rf"\b(?:range[sd]?|rango|intervalo|faixa|amplitude|plage|[ée]tendue|wertebereich|"
     rf"bereich)\b(?:\s+(?:is|of|from|between|de|entre|von|zwischen|des))?\s*[:=]?\s*[(\[]?"
     rf"\s*({_RNUM})\s*(?:{_DASH}|and|a|à|até|bis|{_AND})\s*({_RNUM})(?!\d)", re.I,
     ("range", "rango", "intervalo", "faixa", "amplitude", "plage", "tendue", "bereich")),
    # `from 0 (Left) to 10 (Right)`: a label may follow each end
    # `del 1 al 4047`
    (rf"\b(?:from|von|de|del|desde|du)\s+({_RNUM})\s*(?:\([^()]{{1,30}}\)\s*)?"
     rf"(?:to|through|thru|-|bis|a|al|à|até|hasta|au)\s+({_RNUM})(?!\d)", re.I,
     ("from ", "von ", "de ", "del ", "du ")),
    (rf"\b(?:between|entre|zwischen|tra)\s+({_RNUM})\s+{_AND}\s+({_RNUM})(?!\d)", re.I,
     ("between", "entre", "zwischen", "tra ")),
    (rf"\(\s*({_RNUM})\s*{_DASH}\s*({_RNUM})\s*\)", 0, ("(",)),
    # `[0, 1]`, `(0;100)`: the comma separates, so no decimal comma (`(1,2,3)` is no range)
    (rf"[\[(]\s*({_DOTNUM})\s*[,;]\s*({_DOTNUM})\s*[\])]", 0, ("(", "[")),
    (rf"\b(?:scale|values?|score|escala|échelle|Skala)\s+(?:of\s+|de\s+)?({_RNUM})\s*"
     rf"{_DASH}\s*({_RNUM})(?!\d)", re.I, ("scale", "value", "score", "escala", "échelle",
                                            "skala")),
    (rf"(?<![\w.])({_RNUM})\s*{_DASH}\s*({_RNUM})(?:[- ]point)?[- ]scale\b", re.I, ("scale",)),
    (rf"(?<![\w.])({_RNUM})\.\.({_RNUM})(?![\w.])", 0, ("..",)),
    # `vertical layers 0 to 10`, `93 through 113`, `1 bis 5 Punkte`: the range closes a clause
    (rf"(?<![\w.,])({_RNUM})\s+(?:to|through|thru|bis|hasta|até|à)\s+({_RNUM})(?![\w.,]\d)"
     rf"(?=\s*(?:$|[.;,)\]]|\s+(?:inclusive|incl\.?|inclusivo|inclus|einschlie)|"
     rf"\s+(?:{_CLOSING_UNITS})\b\s*(?:$|[.;,)\]])))", re.I,
     (" to ", "through", "thru", " bis ", "hasta", "até", " à ")),
    # `(00 a 97 años)`, a line `00000001 a 99999999`: Spanish/Portuguese/Italian `a` (to) where
    # the bracket or the line holds nothing but the range (and a unit word)
    (rf"(?:^|[(\n])\s*({_RNUM})\s+a\s+({_RNUM})(?:\s+[^\W\d_]+)?\s*(?=[)\n]|$)", re.I | re.M,
     (" a ",)),
))
_SPAN_RE = re.compile(_SPAN, re.I)
_RANGE_HINTS = sorted({h for _, hints in _RANGE_PATTERNS for h in hints})
_MIN_MAX = re.compile(rf"\bm[ií]n(?:imum|imo|\.)?\s*[:=]?\s*({_RNUM})\s*[,;/]?\s*"
                      rf"m[aá]x(?:imum|imo|\.)?\s*[:=]?\s*({_RNUM})(?!\d)", re.I)
_BARE = re.compile(rf"\s*[(\[]?\s*({_RNUM})\s*(?:--|-|–|—|‒|−|to|\.\.)\s*({_RNUM})\s*[)\]]?\s*\.?\s*")
# observed statistics near a number are no stated range
STATS = re.compile(r"\b(?:mean|median|average|std|s\.?d|observed|obs|sample|iqr|quartiles?|"
                    r"percentiles?|in the data|actual|summary|promedio|moyenne|mittelwert)\b", re.I)
_CLAUSE_START = re.compile(r"[.;!?]\s|\n")
# who was asked, not what they answered: `reported for participants aged 18 to 59`
_UNIVERSE = re.compile(
    r"\b(?:participants?|respondents?|persons?|people|individuals?|women|men|children|"
    r"adults?|girls|boys|those|subjects?|patients?|members?|residents?|students?|mujeres|"
    r"hombres|personas|participantes|encuestad[oa]s|ni[ñn]os|femmes|hommes|personnes|"
    r"frauen|m[äa]nner|personen|teilnehmer(?:innen)?)\s+(?:(?:who\s+(?:are|were)\s+)?aged?|"
    r"ages|de|âgée?s?|im\s+alter(?:\s+von)?)\s*(?:between|from|entre|de|zwischen|von)?\s*$",
    re.I)
# a condition on the person's age: `ONLY IF SP IS FEMALE AND AGE IS 16 THROUGH 59`
_AGE_CONDITION = re.compile(
    r"\b(?:if|when|only\s+for|si|cuando|quand|wenn|falls|se|quando)\b[^.;\n]{0,50}?"
    r"\b(?:age|aged|âge|edad|idade|alter)\s+(?:is|was|es|est|ist|é|of|de|von)?\s*"
    r"(?:between|from|entre|zwischen|von|de)?\s*$", re.I)
_DATE_AFTER = re.compile(r"[-/]\d")
_YEAR = re.compile(r"(1[89]|20)\d\d")
_RANGE_WORD = re.compile(r"\s*range", re.I)
_YEAR_WORD = re.compile(r"(?:years?|año|ano|année|jahr|periodo|period)\s*$", re.I)
_DIGIT = re.compile(r"\d")
_THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+")
# the scores an item may get, a dash between each: `0-1-2 pkt.`, `0-3 points`, `0–2 Punkte`
_SCORES = re.compile(r"(?<![\w.,\-–])(\d{1,3}(?:\s*[-–]\s*\d{1,3})+)\s*(?:pkt|pts?|points?|"
                     r"punkte?|puntos?|pontos?)(?![\w-])\.?", re.I)
# `3-5 points higher` is a difference, not the scores
_COMPARED = re.compile(r"\s*(?:higher|lower|more|less|above|below|mehr|weniger|h[öo]her|"
                       r"niedriger|m[aá]s|menos|plus|moins|mais|acima|abaixo)\b", re.I)


def find_range(text: str | None) -> tuple[float, float] | None:
    """(minimum, maximum) stated in a description (`range 0-120`, `(0-3)`), else None."""
    if not text:
        return None
    text = words_to_digits(text)
    if _DIGIT.search(text) is None:
        return None
    low = text.lower()
    present = {h for h in _RANGE_HINTS if h in low}
    for pattern, hints in _RANGE_PATTERNS:
        if present.isdisjoint(hints):
            continue
        for m in pattern.finditer(text):
            if _date_like(text, m) or _statistic(text, m) or _universe(text, m):
                continue
            found = _bounds(m)
            if found:
                return found
    # in running text only a chain naming each score (`0-1-2 points`): `scored 0-4 points` may
    # tell the scores of the items a total adds up
    scores = score_range(text, chain=True) if "p" in low else None
    if scores:
        return scores
    span = scale_span(text)
    if span:
        return span
    m = _MIN_MAX.search(text) if ("min" in low or "mín" in low) and \
        ("max" in low or "máx" in low) else None
    if m and not STATS.search(text):  # `Mean 5.2 Std.Dev. 2.6 Min. 0 Max. 10` is observed
        found = _bounds(m)
        if found:
            return found
    m = _BARE.fullmatch(text)  # a description that is only a range: `17-24`, `1 – 7`
    if m and not any(_YEAR.fullmatch(g) for g in m.groups()):  # `03-2020` is a month
        return _bounds(m)
    return None


def scale_span(text: str | None) -> tuple[float, float] | None:
    """The two labelled ends of a scale (`0 = none to 10 = worst`), else None."""
    if not text or "=" not in text and "(" not in text:
        return None
    for m in _SPAN_RE.finditer(text):
        found = _bounds(m)
        if found and found[1] - found[0] >= 2 and not _statistic(text, m):
            return found  # (`1 (Male) - 2 (Female)` are two codes)
    return None


def score_range(text: str, whole: bool = False,
                chain: bool = False) -> tuple[float, float] | None:
    """The lowest and highest score of `0-1-2 pkt.` / `0-3 points` (the numbers rising), else
    None; with `whole`, only when that is all the text says; with `chain`, only when each
    score is named (`0-1-2`, three or more in steps of one)."""
    for m in _SCORES.finditer(text):
        if whole and (m.start() > 0 or text[m.end():].strip()) or _COMPARED.match(text, m.end()):
            continue
        numbers = [int(n) for n in re.findall(r"\d+", m.group(1))]
        if chain and (len(numbers) < 3 or any(b - a != 1 for a, b in zip(numbers, numbers[1:]))):
            continue
        if all(a < b for a, b in zip(numbers, numbers[1:])):
            return float(numbers[0]), float(numbers[-1])
    return None


def _bounds(m: re.Match[str]) -> tuple[float, float] | None:
    lo, hi = to_float(m.group(1)), to_float(m.group(2))
    if lo is not None and hi is not None and lo < hi:
        return lo, hi
    return None


def _statistic(text: str, m: re.Match[str]) -> bool:
    """Whether the clause holding the match reports observed statistics."""
    start = 0
    for c in _CLAUSE_START.finditer(text, 0, m.start()):
        start = c.end()
    return STATS.search(text, start, m.start()) is not None


def _universe(text: str, m: re.Match[str]) -> bool:
    """Whether the range gives the ages of the people a question was put to (`participants
    aged 18 to 59`, `ONLY IF ... AGE IS 16 THROUGH 59`), not the field's values."""
    start = max(0, m.start() - 60)
    return (_UNIVERSE.search(text, start, m.start()) is not None
            or _AGE_CONDITION.search(text, start, m.start()) is not None)


def _date_like(text: str, m: re.Match[str]) -> bool:
    """`2020-03-01` or `1946-1950` without a `range` word is a date, not a range; `year
    (1946–2020)` is the range of a year."""
    before = text[max(0, m.start() - 1):m.start()]
    if _DATE_AFTER.match(text[m.end():m.end() + 2]) or before in "-/" and before:
        return True
    if not _all_years(m) or _RANGE_WORD.match(text, m.start()):
        return False
    lead = text[max(0, m.start() - 20):m.start()]
    return not (text[m.start()] == "(" and _YEAR_WORD.search(lead))


def _all_years(m: re.Match[str]) -> bool:
    return all(_YEAR.fullmatch(g) for g in m.groups())


def to_float(s: str) -> float | None:
    s = s.replace("−", "-").lstrip("+")
    if _THOUSANDS.fullmatch(s):  # 1,000 is a thousand; 0,5 is a decimal comma
        s = s.replace(",", "")
    try:
        return float(s.replace(",", "."))
    except ValueError:
        return None
