"""What a values cell says besides its codes: a lead-in before a list, the labelled ends of a
scale, a remark under the codes, words that state more than a range and a type (`Free input
(zero was the minimum ...)`).  No cell text is dropped: the table reader keeps what these
find as the field's description or a note (`draft.py`)."""

from __future__ import annotations

import re

from ...model import Category
from ..codes import split_missing
from ..codes.ranges import scale_span
from .cells import RANGE_IN, level_word, number, type_word

_LEAD_IN = re.compile(r"^([^\W\d_][^:;,=\n]{0,39}):\s+(\S.*)$")


def lead_in(text: str) -> tuple[str, str]:
    """(`Multiple choice`, `Red, Green, Blue`): a few words and a colon before a one-line
    list; ('', text) otherwise."""
    m = _LEAD_IN.match(text.strip())
    if not m or len(m.group(1).split()) > 4 or not re.search(r"[;,|/]", m.group(2)):
        return "", text
    return m.group(1).strip(), m.group(2)


def scale_ends(text: str, codes: list[Category]) -> tuple[float, float] | None:
    """The span of a scale whose two labelled ends are all a cell gives (`Likert 1-5 (1 =
    strongly disagree, 5 = strongly agree)`, `0 = never ... 10 = always`), else None."""
    if len(codes) != 2 or not all(c.label and number(c.value) is not None for c in codes):
        return None
    if split_missing(codes)[1]:
        return None                     # `0 = No, 9 = Don't know`: a code and a missing one
    lo, hi = sorted(number(c.value) for c in codes)
    stated = scale_span(text) or next(((float(a.replace("−", "-").replace("–", "-")),
                                        float(b.replace("−", "-").replace("–", "-")))
                                       for a, b in RANGE_IN.findall(text)), None)
    if stated == (lo, hi) or hi - lo >= 5 or hi - lo >= 2 and _SCALE_WORD.search(text):
        return lo, hi
    return None


_SCALE_WORD = re.compile(r"scale|escala|[ée]chelle|skala|likert|rating|score", re.I)
_TEXT_WORD = re.compile(r"[^\W\d_]{2,}")


def says_more(text: str) -> bool:
    """Whether a values cell that holds no codes states more than a range and a type word
    (`Free input (zero was the minimum)`, `Number of days, 0-31`; not `Integer 0-120`)."""
    rest = RANGE_IN.sub(" ", text)
    words = _TEXT_WORD.findall(rest)
    if not words:
        return False
    return len(words) > 2 or not (type_word(rest) or level_word(rest))


def uncoded_lines(text: str, codes: list[Category]) -> str:
    """The lines of a code-list cell that hold none of its codes (a remark under them)."""
    out = []
    for line in text.split("\n"):
        low = line.strip().lower()
        if not low or any(c.label and c.label.lower() in low for c in codes) or any(
                re.search(rf"(?<!\w){re.escape(c.value.lower())}(?!\w)", low) for c in codes):
            continue
        out.append(line.strip())
    return "\n".join(out)
