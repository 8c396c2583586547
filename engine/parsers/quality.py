"""How well one reading of a document explains it: the score competing parsers are ranked by.

score = coverage share x plausibility x consistency x focus, each in [0, 1]:

- coverage share: the document's words in lines the fields account for (`coverage.measure`);
  two fields read from a 30-page document explain little of it, ninety table rows most of it;
- plausibility: the share of names that look like names (a token or a few words, not a
  sentence) and whose fields record something besides the name, softened by repeated names;
- consistency: the share of fields of the commonest shape (whether they carry a description,
  a type), softened: a dictionary's entries are alike, a misreading's are a mixed lot;
- focus: the share of the fields' text words in texts of a plausible length, softened.  A
  reading that swallows whole sections (an introduction, the next variables' entries) into a
  few fields' descriptions explains many words with few fields; the same words read as more,
  finer fields with their own names explain them better.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import Field
from .coverage import Coverage

_MAX_NAME_WORDS = 5
_MAX_NAME_CHARS = 64
_SENTENCE_END = (".", "?", "!", ";", ",")
_LONG_TEXT = 150            # words: a field's title and description longer than this swallow
_WORD = re.compile(r"[^\W_]+")


def reading_score(fields: list[Field], coverage: Coverage) -> float:
    """How well `fields` explain the document (0: not at all, 1: completely and cleanly)."""
    if not fields:
        return 0.0
    share = 1.0 if coverage.share is None else coverage.share
    return (share * plausibility(fields) * (0.5 + 0.5 * consistency(fields))
            * (0.5 + 0.5 * focus(fields)))


def focus(fields: list[Field]) -> float:
    """Share of the fields' text words (titles, descriptions) in texts of at most _LONG_TEXT
    words (1 when the fields have no text)."""
    total = long = 0
    for f in fields:
        n = sum(len(_WORD.findall(t)) for t in (f.title, f.description) if t)
        total += n
        if n > _LONG_TEXT:
            long += n
    return 1.0 - long / total if total else 1.0


def plausibility(fields: list[Field]) -> float:
    """Share of distinct names that look like names and whose fields record something,
    softened by how many names repeat (tables of several sheets repeat their keys; a data
    file read as a dictionary repeats a few values endlessly)."""
    first: dict[str, Field] = {}
    for f in fields:
        first.setdefault(f.name.strip().casefold(), f)
    good = sum(1 for f in first.values() if name_like(f.name) and has_content(f))
    return good / len(first) * (0.5 + 0.5 * len(first) / len(fields))


def name_like(name: str) -> bool:
    """A variable name or a short label, not a sentence or a bare number."""
    name = name.strip()
    return (0 < len(name) <= _MAX_NAME_CHARS and len(name.split()) <= _MAX_NAME_WORDS
            and not name.endswith(_SENTENCE_END) and any(c.isalpha() for c in name))


def has_content(f: Field) -> bool:
    """The field records something besides its name (a type as written counts)."""
    return bool(f.title or f.description or f.categories or f.missing_values or f.unit
                or f.constraints or f.type not in ("any", "string")
                or any(k != "origin" for k in f.extras))


def consistency(fields: list[Field]) -> float:
    """Share of fields of the commonest shape: whether they carry a text, whether a type (one
    the document states, `string` too, or one read from the field's codes or text)."""
    shapes = Counter((bool(f.title or f.description),
                      "sourceType" in f.extras or f.type not in ("any", "string"))
                     for f in fields)
    return shapes.most_common(1)[0][1] / len(fields)
