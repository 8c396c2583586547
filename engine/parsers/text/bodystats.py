"""Summary statistics in a field's body (`Obs. 214960`, `Mean = 44.35`, `- Unique values: 6`,
`Missing: 0`): observations of the data, not definitions, so neither codes nor options.

A line is a statistic by its key (a statistic word) and a number after it.  Keys that an
answer may also say (`Missing`, `Valid`, `Total`) make a statistic only in a run of
statistics, and `Key = n` with one word and a small whole number (`Average = 3`,
`Missing = 9`) is left to be a code.  Short lines between two statistics (`StndDev`,
`Valid Range`: keys whose values were left blank) belong to the run.
"""

from __future__ import annotations

import re

STAT_WORDS = {
    "obs", "n", "count", "mean", "average", "avg", "std", "sd", "std.dev", "stdev", "std dev",
    "std. dev", "variance", "var", "min", "minimum", "max", "maximum", "median", "mode",
    "missing", "unique", "distinct", "valid", "total", "sum", "q1", "q3", "p25", "p50", "p75",
    "iqr", "range", "skewness", "kurtosis", "nmiss", "null", "nulls", "empty", "freq",
    "frequency", "percent", "media", "mediana", "moyenne", "médiane", "mittelwert", "mínimo",
    "máximo", "minimo", "maximo", "desvio", "écart-type", "faltantes", "manquants",
    "fehlend", "valides", "válidos", "unique values", "distinct values", "std deviation",
    "standard deviation", "percentiles", "quartiles", "valores únicos", "valores unicos",
    "valores distintos", "valeurs uniques", "valeurs distinctes", "eindeutige werte",
    "valores válidos", "valores validos", "valores ausentes", "valeurs manquantes",
}
# keys an answer may say too (`Missing: 9`)
ANSWER_WORDS = {"missing", "null", "nulls", "empty", "valid", "total", "missing value",
                "missing values"}
_STAT_KEYS = STAT_WORDS | ANSWER_WORDS
_STAT_LINE = re.compile(r"^(?P<key>[^\W\d_][\w.\- ]{0,20}?)\.?\s*(?::|=)?\s+[-+]?[\d,]*\.?\d+%?$")
_BULLET = re.compile(r"^(?:[-*+–—](?:\s+|\t)|[•▪◦·☐□○◯●■▢❑◻]\s*)(?=\S)")
_SMALL_INT = re.compile(r"=\s*\d{1,3}$")
_REACH = 3   # lines a run of statistics reaches over


def stat_key(text: str) -> str:
    """The key of a statistic line (`Mean = 44.35`, `- Unique values: 6`), else ''."""
    m = _STAT_LINE.match(_BULLET.sub("", text, count=1))
    key = m.group("key").lower().rstrip(".: ") if m else ""
    if m and "=" in text and (key in ANSWER_WORDS or " " not in key and _SMALL_INT.search(text)):
        return ""  # `Missing = 9`, `Average = 3` are codes as often as counts
    return key


def is_stat_line(text: str) -> bool:
    """A statistic by itself: a statistic word and a number (answer words unbulleted only)."""
    key = stat_key(text)
    return key in _STAT_KEYS and (text[:1].isalpha() or key not in ANSWER_WORDS)


def stat_runs(kinds: list[str], texts: list[str]) -> set[int]:
    """Indexes of the lines that join a run of statistics (`kinds` holds "stat" for the
    statistics found alone, "blank" for blank lines)."""
    kinds = list(kinds)
    filled = [i for i, kind in enumerate(kinds) if kind != "blank"]
    joined: set[int] = set()
    for k, i in enumerate(filled):
        near = [kinds[j] for j in filled[max(0, k - _REACH):k]]
        if kinds[i] == "code" and "stat" in near and stat_key(texts[i]) in ANSWER_WORDS:
            kinds[i] = "stat"
            joined.add(i)
    stats = [k for k, i in enumerate(filled) if kinds[i] == "stat"]
    for a, b in zip(stats, stats[1:]):
        between = [filled[k] for k in range(a + 1, b)]
        if len(between) <= _REACH and all(kinds[i] in ("bullet", "bare") for i in between):
            joined.update(between)
    return joined
