"""Bracketed notes a document closes many fields' texts with: the answer options of test items
(`Zad. 1 [A/B/C/D]`, `Q3 [Yes/No]`) and the score range of open items (`[open: 0-1-2 pts]`).

Square brackets hold other things in prose too (`[sic]`, a reference `[12]`, a unit `[m/s]`,
a format `[dd/mm/yyyy]`), so a note is read only when its shape (options, or a score range)
closes the texts of several fields of the document.  The note then leaves the text, which keeps
what it says besides (`Zad. 21.1 [otwarte]`); the options become the field's codes (each its
own label) and the scores its range.
"""

from __future__ import annotations

import re

from ...model import Category, Field
from .measures import is_unit_name, unit_in_name
from .ranges import score_range

# a kind of note must close this many fields' texts before any of them is read
MIN_REPEATS = 3
_NOTE = re.compile(r"\s*\[([^\[\]]{1,80})\]\s*\.?\s*$")
_SLASH = re.compile(r"\s*/\s*")
_KINDS = (("letter", re.compile(r"[A-Z]")), ("letter", re.compile(r"[a-z]")),
          ("number", re.compile(r"\d{1,3}")), ("word", re.compile(r"[^\W\d_]{2,20}")))
_REPEATED_LETTER = re.compile(r"(\w)\1*", re.I)   # `dd`, `mm`, `yyyy` spell a date format
_LABEL = re.compile(r"^\s*([^\W\d_][^:]{0,30}?)\s*:\s*")
# (kind, where the note starts, options, score range, the note's words kept)
_Note = tuple[str, int, "list[str] | None", "tuple[float, float] | None", str]


def bracketed_notes(fields: list[Field]) -> None:
    """Options and score ranges from the notes that close several fields' texts (in place)."""
    found = [(f, key, note) for f in fields if not f.categories
             for key in ("description", "title") for note in [_note(getattr(f, key))] if note]
    counts: dict[str, int] = {}
    for _, _, (kind, *_rest) in found:
        counts[kind] = counts.get(kind, 0) + 1
    done: set[int] = set()
    for f, key, (kind, start, options, bounds, kept) in found:
        if counts[kind] < MIN_REPEATS or id(f) in done or not _suits(f, options):
            continue
        done.add(id(f))
        text = getattr(f, key)
        setattr(f, key, (text[:start].rstrip() + (f" [{kept}]" if kept else "")) or None)
        if options:
            f.categories = [Category(v, v) for v in options]
            if f.type == "any":
                f.type = "integer" if all(v.isdigit() for v in options) else "string"
        elif bounds:
            stated = (f.constraints.get("minimum"), f.constraints.get("maximum"))
            if stated in ((None, None), bounds):  # (the parser may have read the same)
                f.constraints["minimum"], f.constraints["maximum"] = map(int, bounds)
            if f.type == "any":
                f.type = "integer"  # scores are whole points


def _suits(f: Field, options: list[str] | None) -> bool:
    """Options in words suit no quantity or date; scores suit no text or date."""
    numeric = options is None or all(v.isdigit() for v in options)
    return f.type in ("any", "string") and options is not None or \
        f.type in ("any", "integer", "number") and numeric


def _note(text: str | None) -> _Note | None:
    """The bracketed note closing `text` (options or scores), else None."""
    m = _NOTE.search(text) if text and text.rstrip().rstrip(".").endswith("]") else None
    if m is None or not text[:m.start()].strip():
        return None
    inner = m.group(1).strip()
    label = _LABEL.match(inner)  # `[closed: A/B/C/D]`, `[open: 0-1 pts]`
    rest = inner[label.end():] if label else inner
    kept = label.group(1) if label else ""
    options = _options(rest)
    if options:
        return ("options", m.start(), options, None, kept)
    bounds = score_range(rest, whole=True)
    if bounds:
        return ("scores", m.start(), None, bounds, kept)
    return None


def _options(inner: str) -> list[str] | None:
    """The options of `A/B/C/D`, `Yes/No`, `1/2/3`: two or more of one kind, all different;
    a unit (`m/s`) or a date format (`dd/mm/yyyy`) is none."""
    items = _SLASH.split(inner)
    if len(items) < 2 or len(set(i.lower() for i in items)) < len(items):
        return None
    kinds = {next((k for k, p in _KINDS if p.fullmatch(i)), None) for i in items}
    if len(kinds) != 1 or None in kinds:
        return None
    if kinds == {"letter"} and len(items) < 3 and not all(i.isupper() for i in items):
        return None  # `m/s`, `h/d`
    if kinds == {"word"} and any(_REPEATED_LETTER.fullmatch(i) for i in items):
        return None
    if any(is_unit_name(i) for i in items) or len(items) == 2 and unit_in_name(f"x [{inner}]"):
        return None  # (three single letters or more spell no unit)
    return items
