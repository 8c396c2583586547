"""Code lists written as an enumeration on one line: `(1) Yes (2) No (9) Don't know`, `1) Yes
2) No`, `1. Yes 2. No`, `a) Yes b) No`, `1 Strongly agree 2 Agree 3 Neutral`.

The enumeration must close the text and start it (or follow a colon or a question): a number
in the middle of a sentence (`chapter 1. Introduction`, `took 3 doses 2 times`) starts none.
Bare numbers (`1 Yes 2 No 3 Maybe`) need three items in increasing order.
"""

from __future__ import annotations

import re

from ...model import Category
from .lines import NUM, clean_label

# one item mark per group: (1) [1] 1) 1. a) 1
_ITEM = re.compile(rf"(?:(?<=[\s:?(\[])|^)(?:\(\s*({NUM})\s*\)|\[\s*({NUM})\s*\]|({NUM})\s*\)|"
                   rf"(\d{{1,3}})\.(?!\d)|([a-z])\)|(-?\d{{1,3}}))\s+(?=[^\W\d_]|[\"'“¿¡])")
_BARE = 6  # the group of a bare number
_LEAD = re.compile(r"(?:^|[:?]|\.\s*$|[-–—]\s*$)\s*$")
_TAIL = re.compile(r"\s*[.;]?\s*$")
_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|should|can|could|must|may|"
                   r"see|used|took|gave|get|got)\b", re.I)


def enumerated_codes(text: str) -> list[Category]:
    """Codes of a one-line enumeration that closes the text, else []."""
    if not text or len(text) > 600:
        return []
    matches = list(_ITEM.finditer(text))
    if len(matches) < 2:
        return []
    form = _form(matches[0])
    run = [m for m in matches if _form(m) == form]
    start = _start(text, run)
    if start is None:
        return []
    run = run[start:]
    need = 3 if form == _BARE else 2
    if len(run) < need:
        return []
    out: list[Category] = []
    for i, m in enumerate(run):
        end = run[i + 1].start() if i + 1 < len(run) else len(text)
        label = clean_label(text[m.end():end]).rstrip(".;, ")
        if not label or len(label.split()) > 6 or "=" in label or _VERB.search(label):
            return []
        out.append(Category(m.group(form), label))
    values = [c.value for c in out]
    if len(set(values)) != len(values) or not _ordered(values, form):
        return []
    return out


def _form(m: re.Match[str]) -> int:
    """Which of the item marks a match is (the index of its group)."""
    return next(i for i, g in enumerate(m.groups(), 1) if g is not None)


def _start(text: str, run: list[re.Match[str]]) -> int | None:
    """The first item the list starts at: at the text's start, or after a colon, a question
    mark, a sentence end or a dash."""
    for i, m in enumerate(run):
        if _LEAD.search(text, 0, m.start()):
            return i
    return None


def _ordered(values: list[str], form: int) -> bool:
    """Letters run a, b, c; bare numbers increase; other marks may come in any order."""
    if form == _BARE:
        numbers = [float(v) for v in values]
        return all(a < b for a, b in zip(numbers, numbers[1:]))
    if values[0].isalpha():
        return all(ord(b) - ord(a) == 1 for a, b in zip(values, values[1:]))
    return True
