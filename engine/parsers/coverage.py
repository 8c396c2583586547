"""How much of a document its parsed fields account for (pages, sections, words left over).

The document is read as lines, each in a unit (a PDF page, or a section: a sheet, a table, the
text under a heading: `doclines.py`).  Every field is anchored at the first line, from the
previous field's on, that holds its name (else its title) as a whole word.  A field explains
the line it is anchored at (a table row, whatever else the row holds); any other line counts
when at least half its words, weighed by how few lines hold them, are words the fields record
(names, titles, descriptions, codes, units, bounds, other properties): a description's next
line, a code list, even one defined apart from its variables (SAS formats).  The next entry of
a list the parser missed does not count: it shares only the list's common words with the
fields, its name and text are its own.  The share is the document's words in explained lines:
a table row, a `NAME: description` paragraph and a machine format's entry are explained, an
introduction, a methods section or a page the parser never understood is not.

A title page and an introduction before the first field are seldom fields; text after it that
no field explains is where fields are missed.  So the warning that a large part of the document
was not understood looks at the text from the first field on (`body_share`, under a half), or
at the whole when that is very little (under a fifth: the fields found are a few at the end),
and names the pages or sections with (next to) nothing explained.  Markup formats (XML, JSON,
YAML) are read by their structure, and their text is mostly identifiers and metadata: their
share is reported, never warned about.  Binary files (SPSS .sav, Stata .dta, SAS transport)
have no text: their share is None.  Measuring takes one pass over the document's words and one
index look-up per field (tens of milliseconds for a thousand fields).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field as dc_field, replace
from typing import Any, Sequence

from ..model import Field
from .doclines import WORD, SourceLines, source_lines

__all__ = ["Coverage", "Recognised", "SourceLines", "measure", "page_ranges", "source_lines"]

LOW_SHARE = 0.5          # from the first field on, below this a large part was not understood
LOW_SHARE_ALL = 0.2      # of the whole document, below this too (fields only at its end)
_EXPLAINED = 0.5         # share of a line's words a field must account for
_MIN_UNIT_WORDS = 12     # a unit with fewer words (a cover, a blank page) is not reported
_UNIT_READ = 0.1         # a unit with less of its words explained is listed as without fields
_MAX_LISTED = 20
_WEAK_WINDOW = 400       # lines after a mere mention in which a line starting with it wins
_LINE_START = re.compile(r"[\s|*#>\-`'\"“(\d.]*")


@dataclass
class Coverage:
    """How much of the document the fields account for."""

    share: float | None                          # words in explained lines / all words
    body_share: float | None = None              # the same, from the first field's line on
    words: int = 0
    markup: bool = False
    unread_text_chars: int = 0
    pages: int = 0                               # pages of a PDF (0 otherwise)
    pages_without_fields: list[int] = dc_field(default_factory=list)
    sections: int = 0
    sections_without_fields: list[str] = dc_field(default_factory=list)

    @property
    def low(self) -> bool:
        """A large part of the document was not understood."""
        return (self.share is not None and not self.markup
                and (self.share < LOW_SHARE_ALL or (self.body_share or 0.0) < LOW_SHARE))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (job details, API)."""
        return {"share": _rounded(self.share), "body_share": _rounded(self.body_share),
                "words": self.words, "unread_text_chars": self.unread_text_chars,
                "pages": self.pages, "pages_without_fields": list(self.pages_without_fields),
                "sections": self.sections,
                "sections_without_fields": list(self.sections_without_fields),
                "low": self.low}

    def summary(self) -> str:
        """`93% of the document`, or empty when there is no text to measure."""
        return "" if self.share is None else f"{_percent(self.share)} of the document"

    def where_unread(self) -> str:
        """The pages or sections with no field, as a short phrase (empty when none)."""
        if self.pages_without_fields:
            pages = self.pages_without_fields
            return (f"{'page' if len(pages) == 1 else 'pages'} {page_ranges(pages)} "
                    f"(of {self.pages}) {'holds' if len(pages) == 1 else 'hold'} no field")
        if self.sections_without_fields:
            shown = self.sections_without_fields[:5]
            more = len(self.sections_without_fields) - len(shown)
            listed = "; ".join(f"'{s}'" for s in shown) + (f" and {more} more" if more else "")
            return f"no field was found under {listed}"
        return ""

    def warning(self) -> str | None:
        """What to tell the user when a large part of the document was not understood."""
        if not self.low:
            return None
        where = self.where_unread()
        body = self.body_share or 0.0
        body_part = (f" ({_percent(body)} from the first field on)"
                     if body < LOW_SHARE and abs(body - (self.share or 0.0)) >= 0.05 else "")
        return (f"The fields account for only {_percent(self.share)} of the document's text"
                + body_part + (f"; {where}" if where else "")
                + ". The rules may have missed fields there: refine with the LLM (`--llm` on "
                "the command line, 'Refine with LLM' in the app), which reads the whole "
                "document.")


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 3)


def _percent(share: float | None) -> str:
    if share is None:
        return "all"
    pct = share * 100
    return f"{pct:.0f}%" if pct >= 1 or pct == 0 else "under 1%"


def page_ranges(pages: list[int]) -> str:
    """`2-5, 8, 10-12` for [2, 3, 4, 5, 8, 10, 11, 12]."""
    parts = []
    for _, run in itertools.groupby(enumerate(pages), key=lambda p: p[1] - p[0]):
        nums = [p for _, p in run]
        parts.append(str(nums[0]) if len(nums) == 1 else f"{nums[0]}-{nums[-1]}")
    return ", ".join(parts)


# ---- measuring -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Recognised:
    """Text a parser recognised as no field: a REDCap descriptive field, a table's title or
    section rows, a legend, a list of files.  Coverage counts it as read."""

    what: str                   # what it is, in words (`descriptive field`, `legend`)
    text: str


def measure(src: SourceLines | None, fields: list[Field],
            recognised: Sequence[Recognised] = ()) -> Coverage:
    """The coverage of `fields` (and of what the parser `recognised` as no field) over the
    document `src` (the last measure of the same fields is reused: a competing reading is
    measured, then its result)."""
    if src is None:
        return Coverage(share=None)
    key = [(f.name, f.title, f.description, f.unit, len(f.categories), len(f.missing_values),
            len(f.constraints), len(f.extras) - ("origin" in f.extras)) for f in fields]
    key.append((len(recognised), sum(len(r.text) for r in recognised)))
    last = src.cache.get("last measure")
    if last is not None and last[0] == key:
        return replace(last[1])
    cov = _measure(src, fields, recognised)
    src.cache["last measure"] = (key, cov)
    return replace(cov)


def _measure(src: SourceLines, fields: list[Field], recognised: Sequence[Recognised]) -> Coverage:
    words = src.words()
    explained, first = _explained_lines(src, fields, recognised)
    # text that is no dictionary text (code, citations, explanation) counts only when read
    counted = [i in explained or i not in src.neutral for i in range(len(words))]
    total = sum(len(ws) for i, ws in enumerate(words) if counted[i])
    if not total:
        return Coverage(share=None)
    covered = sum(len(words[i]) for i in explained)
    body = sum(len(ws) for i, ws in enumerate(words[first:], start=first) if counted[i])
    body_covered = sum(len(words[i]) for i in explained if i >= first)
    unread = sum(len(line.strip()) for i, line in enumerate(src.lines)
                 if i not in explained and counted[i])
    unit_words = [0] * len(src.labels)
    unit_read = [0] * len(src.labels)
    for i, ws in enumerate(words):
        if counted[i]:
            unit_words[src.units[i]] += len(ws)
    for i in explained:
        unit_read[src.units[i]] += len(words[i])
    empty = [u for u in range(len(src.labels)) if unit_words[u] >= _MIN_UNIT_WORDS
             and unit_read[u] < _UNIT_READ * unit_words[u]]
    cov = Coverage(share=covered / total, body_share=body_covered / body if body else 0.0,
                   words=total, markup=src.markup, unread_text_chars=unread)
    if src.paged:
        cov.pages = len(src.labels)
        cov.pages_without_fields = [u + 1 for u in empty]
    else:
        cov.sections = len(src.labels)
        cov.sections_without_fields = [src.labels[u] for u in empty][:_MAX_LISTED]
    return cov


def _explained_lines(src: SourceLines, fields: list[Field],
                     recognised: Sequence[Recognised] = ()) -> tuple[set[int], int]:
    """(indexes of the lines the fields account for, the first field's line): the line each
    field is anchored at (a table row, a `NAME: description` head, whatever else it holds),
    and every line at least half of whose words belong to the fields' recorded words, words
    counting by how distinctive they are (1 / the number of lines holding them): a code list
    or a description's second line counts, the next entry of a list the parser missed does not
    (it shares only the list's common words with the fields; its name and text are its own).
    What the parser recognised as no field counts as the fields' words do."""
    vocab: dict[str, set[str]] = {}             # per distinct name
    for f in fields:
        vocab.setdefault(f.name.strip().lower(), set()).update(field_words(f))
    anchors, first = _anchors(_finder(src), fields)
    words, weight, totals = src.words(), _weights(src), _line_weights(src)
    known = set().union(*vocab.values())
    for r in recognised:
        known.update(WORD.findall(r.text.lower()))
    explained = set(anchors)
    for i, ws in enumerate(words):
        if ws and i not in explained and \
                sum(weight[w] for w in ws if w in known) >= _EXPLAINED * totals[i]:
            explained.add(i)
    return explained, (first if anchors else len(words))


def _line_weights(src: SourceLines) -> list[float]:
    """Each line's words' weights summed (found once)."""
    if "line weights" not in src.cache:
        weight = _weights(src)
        src.cache["line weights"] = [sum(map(weight.__getitem__, ws)) for ws in src.words()]
    return src.cache["line weights"]


def _weights(src: SourceLines) -> dict[str, float]:
    """How distinctive each word is: 1 / the number of lines it is in (found once)."""
    if "weights" not in src.cache:
        lines_with: dict[str, int] = {}
        for ws in src.words():
            for w in set(ws):
                lines_with[w] = lines_with.get(w, 0) + 1
        src.cache["weights"] = {w: 1.0 / n for w, n in lines_with.items()}
    return src.cache["weights"]


def _anchors(finder: "_Finder", fields: list[Field]) -> tuple[set[int], int]:
    """(the lines fields are anchored at, the first field's line).  Each field is anchored at
    the line, from the previous field's on, that starts with its name (or its title), else the
    first that holds it; a field found only before the previous one (out of document order)
    must start a line there, and does not move the others' search."""
    out: set[int] = set()
    line, first = 0, None
    for f in fields:
        at, behind = None, False
        for key in (f.name, f.title):
            key = (key or "").strip().lower()
            if key:
                at = finder.find(key, line)
                if at is None:
                    at, behind = finder.find(key, 0, strong_only=True), True
            if at is not None:
                break
        if at is None:
            continue
        if not behind:
            line = at
            first = at if first is None else first
        out.add(at)
    return out, (min(out, default=0) if first is None else first)


def _finder(src: SourceLines) -> "_Finder":
    """The index that finds names in the lines (made once per document)."""
    if "finder" not in src.cache:
        src.cache["finder"] = _Finder(src.lines, src.words())
    return src.cache["finder"]


class _Finder:
    """Finds names as whole words in a document's lines, through an index of its words (a
    scan of the whole text for every field would be quadratic)."""

    def __init__(self, lines: list[str], words: list[list[str]]) -> None:
        self.low = [ln.lower() for ln in lines]
        self.index: dict[str, list[int]] = {}
        for i, ws in enumerate(words):
            for w in set(ws):
                self.index.setdefault(w, []).append(i)

    def find(self, key: str, line: int, strong_only: bool = False) -> int | None:
        """The first line from `line` on where `key` starts the line (after bullets, numbers,
        pipes) or is bracketed, else (unless `strong_only`) the first line holding it."""
        toks = WORD.findall(key)
        if not toks:
            return None
        lines = min((self.index.get(t, []) for t in toks), key=len)
        weak = None
        for i in lines[bisect.bisect_left(lines, line):]:
            if weak is not None and i > weak + _WEAK_WINDOW:
                break
            text = self.low[i]
            at = _whole_word(text, key)
            if at is None:
                continue
            end = at + len(key)
            if (text[at - 1:at] == "[" and text[end:end + 1] == "]") \
                    or _LINE_START.fullmatch(text, 0, at):
                return i
            if weak is None:
                weak = i
        return None if strong_only else weak


def _whole_word(text: str, key: str) -> int | None:
    """Where `key` first occurs in `text` with no word character glued to its word ends."""
    at = text.find(key)
    while at >= 0:
        before = text[at - 1] if at else " "
        end = at + len(key)
        after = text[end] if end < len(text) else " "
        if not (_word_char(key[0]) and _word_char(before)) and \
                not (_word_char(key[-1]) and _word_char(after)):
            return at
        at = text.find(key, at + 1)
    return None


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def field_words(f: Field) -> set[str]:
    """Every word a field records: name, title, description, codes, unit, bounds, extras
    (nested values as their text: a float `120.0` gives the words `120` and `0`)."""
    parts = [f.name, f.title or "", f.description or "", f.unit or "", f.format or "", f.type]
    for c in itertools.chain(f.categories, f.missing_values):
        parts.append(c.value)
        if c.label:
            parts.append(c.label)
    if f.constraints:
        parts.append(str(list(f.constraints.values())))
    extras = [v for k, v in f.extras.items() if k != "origin"]
    if extras:
        parts.append(str(extras))
    return set(WORD.findall(" ".join(parts).lower()))
