"""Heads the winning shape missed: a short line that stands where the document's heads stand.

A list of names alone on their lines (`ActivityMediaName`, then `- Describes ...`, then
`Values:`) may hold a few names the shape does not read as identifiers: words with a space
(`State codes`), a dotted name without a capital inside (`Abbrev.Name`).  Such a line is a
head too when everything around it repeats what the other heads show:

- it is a short label at the margin (three words at most, no closing punctuation, no quotes),
  not under a `Key:` line (then it is a value);
- the line after it starts the way the line after (nearly) every head starts: a list item
  holding a sentence of four words or more;
- its body holds a key line (`Values:`) that (nearly) every head's body holds.

Without a first line and a key line shared by the heads, nothing is added.
"""

from __future__ import annotations

import re
from collections import Counter

from .heads import Head

_SHARE = 0.8                 # of the heads whose first body line and key line agree
_MIN_HEADS = 3
_MAX_WORDS = 3
_MAX_CHARS = 40
_LIST_ITEM = re.compile(r"^(?:[-*+•▪◦–]|\d{1,2}[.)])\s+(?=\S)")
_LABEL = re.compile(r"^[^\W\d_][\w.-]*(?: [^\W\d_][\w.-]*){0,2}$")
_KEY_LINE = re.compile(r"^([^\W\d_][\w .-]{0,30}?)\s*:$")


def sibling_heads(heads: list[Head], lines: list[str]) -> list[Head]:
    """Lines that stand where the heads (names alone on their lines) stand, as heads."""
    if len(heads) < _MIN_HEADS or any(h.rest or h.shape[1] != "none" for h in heads):
        return []
    marks = Counter(_item_mark(lines, h.line) for h in heads)
    mark, n = marks.most_common(1)[0]
    if not mark or n < _SHARE * len(heads):
        return []
    ends = [h.line for h in heads[1:]] + [len(lines)]
    keys = Counter(k for h, end in zip(heads, ends) for k in set(_keys(lines, h.line + 1, end)))
    shared = {k for k, c in keys.items() if c >= _SHARE * len(heads)}
    if not shared:
        return []
    taken = {h.line for h in heads}
    candidates = [i for i in range(len(lines)) if i not in taken and _label_line(lines, i)
                  and _item_mark(lines, i) == mark]
    starts = sorted(taken | set(candidates))
    found = []
    for i in candidates:  # its body runs to the next head or candidate
        end = next((s for s in starts if s > i), len(lines))
        if shared & set(_keys(lines, i + 1, end)):
            found.append(Head(i, heads[0].shape, lines[i].strip(), ""))
    return found


def _label_line(lines: list[str], i: int) -> bool:
    """A short label at the margin, not a value under a `Key:` line."""
    raw = lines[i]
    text = raw.strip()
    if not text or raw[:1].isspace() or len(text) > _MAX_CHARS or not _LABEL.match(text):
        return False
    if len(text.split()) > _MAX_WORDS:
        return False
    above = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
    return not above.endswith(":")


def _item_mark(lines: list[str], i: int) -> str:
    """The list mark of the line after line i when it holds a sentence, else ''."""
    below = next((lines[j].strip() for j in range(i + 1, min(len(lines), i + 3))
                  if lines[j].strip()), "")
    m = _LIST_ITEM.match(below)
    if not m or len(below[m.end():].split()) < 4:
        return ""
    return below[:m.end()].strip()[:1] if not below[0].isdigit() else "N"


def _keys(lines: list[str], start: int, end: int) -> list[str]:
    """The lone `Key:` lines of a body, normalised."""
    out = []
    for line in lines[start:end]:
        m = _KEY_LINE.match(line.strip())
        if m:
            out.append(" ".join(m.group(1).lower().split()))
    return out
