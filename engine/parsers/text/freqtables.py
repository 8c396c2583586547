"""Frequency tables and summary tables under a variable: what each says about its values.

A machine-made overview often shows each variable's observed values with their counts:

    Category                | n          Answer | Frequency | Percent
    Ja (gå til spørsmål 76) | 30256      Yes    | 812       | 61.2
    Nei                     | 3817       No     | 514       | 38.8
    NA                      | 673

The count, percent and cumulative columns are no codes.  When they are set aside and one
column of words is left, its cells are the variable's values, written as labels (no code is
shown): each becomes a category whose value is its text.  A row saying missing (`NA`) gives an
unlabelled missing value; a total row is no value.  A column of bare numbers left alone
(`1 | 34237`) names no categories: observed numbers are no code list.

A summary table (`Min. | 1`, `Median | 2011`, `Mean | 2008.9`) or a table of statistics by
group is no code list at all: `is_statistics_table` says so.
"""

from __future__ import annotations

import re

from ...model import Category
from ..codes import is_missing_label

# a header cell naming counts or shares (en/es/pt/fr/de/nl/no/sv/da)
COUNT_HEADER = re.compile(
    r"^(?:n|n\s*obs|obs(?:ervations)?|count|counts|cases|freq\.?|frequenc(?:y|ies)|"
    r"(?:cum(?:ulative|\.)?|valid|weighted|raw)\s*(?:%|percent|pct|freq\.?|frequency|n|count)?|"
    r"%|percent(?:age)?s?|per\s*cent|pct\.?|share|"
    r"frecuencias?|porcentajes?|frequ[eê]ncias?|porcentage[mn]s?|percentual|"
    r"fr[ée]quences?|effectifs?|pourcentages?|"
    r"anzahl|h[aä]ufigkeit(?:en)?|prozent|anteil|"
    r"aantal|frequentie|procent|antall|andel|prosent|antal|"
    r"[a-z]+\s*\(%\)|%\s*\w+)$", re.I)
_NUMBERISH = re.compile(r"^[-+]?(?:\d{1,3}(?:[ ,.\u00a0]\d{3})+|\d+)(?:[.,]\d+)?\s*%?$")
_LETTER = re.compile(r"[^\W\d_]")
_TOTAL = re.compile(r"^(?:totals?|sum|summe|suma|somme|soma|i\s*alt|totalt|gesamt)$", re.I)
# statistic names in a summary table's first column
_STATISTIC = re.compile(
    r"^(?:min(?:imum)?\.?|max(?:imum)?\.?|mean|average|avg\.?|median|mode|"
    r"(?:1st|3rd|first|third|lower|upper)\s*qu(?:\.|artile)?|q[1-3]|p\d{1,2}|"
    r"s\.?d\.?|std\.?(?:\s*dev\.?)?|standard\s+deviation|variance|var\.?|range|iqr|"
    r"skew(?:ness)?|kurtosis|n(?:a's|\s*miss(?:ing)?)|valid\s*n|sum|"
    r"media|mediana|m[eé]dia|moyenne|m[ée]diane|[ée]cart[-\s]type|desv(?:io|iaci[oó]n)[\w\s.]*|"
    r"mittelwert|standardabweichung|gjennomsnitt|snitt|standardavvik)$", re.I)


def is_count_column(head: str, cells: list[str]) -> bool:
    """The column holds counts or shares: a count header over numbers, or every cell a percent."""
    filled = [c for c in cells if c]
    if not filled or not all(_NUMBERISH.match(c) for c in filled):
        return False
    return bool(COUNT_HEADER.match(head.strip())) or all(c.endswith("%") for c in filled)


def frequency_categories(header: list[str], body: list[list[str]]) -> \
        tuple[list[Category], list[Category]] | None:
    """(categories, missing) of a frequency table whose only other column is words, or None."""
    width = len(header)
    counts = [k for k in range(width) if is_count_column(header[k], [r[k] for r in body])]
    rest = [k for k in range(width) if k not in counts]
    if not counts or len(rest) != 1:
        return None
    cells = [r[rest[0]] for r in body if r[rest[0]]]
    kept = [c for c in cells if not _TOTAL.match(c) and not is_missing_label(c)]
    if len(kept) < 2 or sum(1 for c in kept if _LETTER.search(c)) < 0.5 * len(kept):
        return None  # observed numbers alone are no code list
    categories = [Category(c, c) for c in dict.fromkeys(kept)]
    missing = [Category(c, None) for c in dict.fromkeys(cells) if is_missing_label(c)]
    return categories, missing


def without_totals(body: list[list[str]]) -> list[list[str]]:
    """The rows but a total row (`Total | | 1326`): counts summed, no value."""
    return [r for r in body if not any(_TOTAL.match(c.strip()) for c in r)]


def is_statistics_table(header: list[str] | None, body: list[list[str]]) -> bool:
    """Columns headed by statistics (`Mean | SD` by group), or most rows named by one
    (`Min.`, `Median`, `Mean`) in some column."""
    if header and any(_STATISTIC.match(h.strip()) for h in header):
        return True
    width = max((len(r) for r in body), default=0)
    return any(sum(1 for r in body if _STATISTIC.match(r[k].strip())) >= max(2, 0.5 * len(body))
               for k in range(width))
