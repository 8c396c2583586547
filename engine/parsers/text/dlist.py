"""Definition lists written as prose: the winning head shape, each head's body, the fields.

`read_definition_list(lines)` picks the head shape that repeats most convincingly
(heads.best_shape), gives every head the lines up to the next head as its body (cut at a
Markdown heading or rule; when the shape's fields are one-liners, at the first blank line)
and reads each body (bodies.read_body).  Two more layout conventions:

* a numbered heading with nothing below it shares the description of the heading right
  after it (`5. latitude` / `6. longitude` / `Location of ...`);
* when many heads' text is nothing but a list of short values (`sex- m, f`,
  `drinks- often, socially, rarely`), such lists are those fields' categories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ...model import Category, Field
from .bodies import Body, read_body
from .bodylines import is_code_line
from .options import options_in_line
from .typewords import trailing_type
from .entries import Entry, build_field, join_text, type_words
from .heads import Head, best_shape, clean_line
from .names import expand_names
from .siblings import sibling_heads

_SECTION_BREAK = re.compile(r"^\s{0,3}(?:#{1,6}\s|[=\-*_]{3,}\s*$|<h\d)")
# a numbered section heading of a report (`3.2.Variables demográficas`, `3.4. Labour`)
_NUMBERED_SECTION = re.compile(r"^\d{1,2}(?:\.\d{1,2})+\.?\s*[^\W\d_a-z][^.:;]{2,60}$")
_LIST_ITEM_BAD = re.compile(r"[;:.()?!\[\]{}=]")
_MIN_VALUE_LISTS = 3


@dataclass
class Reading:
    """The fields a definition list gives, how convincing its shape is, where its bodies are."""

    fields: list[Field] = dc_field(default_factory=list)
    score: float = 0.0
    spans: list[tuple[int, int]] = dc_field(default_factory=list)
    heads: set[int] = dc_field(default_factory=set)   # lines of the heads

    def holds(self, line: int) -> bool:
        """Whether a line lies inside one of the fields' bodies."""
        return any(a <= line < b for a, b in self.spans)


def read_definition_list(lines: list[str]) -> Reading:
    """The fields of the head shape that repeats most convincingly (empty when none does)."""
    heads, score = best_shape(lines)
    if not heads:
        return Reading()
    heads = sorted(heads + sibling_heads(heads, lines), key=lambda h: h.line)
    spans = _body_spans(heads, lines)
    bodies = [read_body([clean_line(x) for x in lines[a:b]], h.name, h.rest)
              for h, (a, b) in zip(heads, spans)]
    _share_descriptions(heads, bodies)
    value_lists = _value_list_mode(heads)
    fields: list[Field] = []
    for head, body in zip(heads, bodies):
        values = _value_list(head.rest) if value_lists else []
        for name in expand_names(head.name):
            fields.append(_field(name, head, body, values))
    return Reading(fields, score, spans, {h.line for h in heads})


def _body_spans(heads: list[Head], lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) line of each head's body."""
    ends = [h.line for h in heads[1:]] + [len(lines)]
    spans = [(h.line + 1, _section_end(lines, h.line + 1, end)) for h, end in zip(heads, ends)]
    sizes = sorted(_filled(lines, a, b) for a, b in spans[:-1])
    one_liners = bool(sizes) and sizes[len(sizes) // 2] == 0
    if one_liners:  # a stray paragraph between two entries, or after the last, is no body
        return [(a, _first_blank(lines, a, b)) for a, b in spans]
    if sizes:  # the last body is no longer than the longest other body (and a little more)
        a, b = spans[-1]
        cut = min(b, _nth_filled(lines, a, b, sizes[-1] + 2))
        while a < cut < b and is_code_line(lines[cut]) and is_code_line(lines[cut - 1]):
            cut += 1  # save a code list running on
        spans[-1] = (a, cut)
    return spans


def _section_end(lines: list[str], start: int, end: int) -> int:
    for j in range(start, end):
        if _SECTION_BREAK.match(lines[j]) or _NUMBERED_SECTION.match(lines[j].strip()) \
                and len(lines[j].split()) <= 8:
            return j
    return end


def _first_blank(lines: list[str], start: int, end: int) -> int:
    return next((j for j in range(start, end) if not lines[j].strip()), end)


def _filled(lines: list[str], start: int, end: int) -> int:
    return sum(1 for line in lines[start:end] if line.strip())


def _nth_filled(lines: list[str], start: int, end: int, n: int) -> int:
    """The end index that keeps the first n non-blank lines of lines[start:end]."""
    seen = 0
    for j in range(start, end):
        if lines[j].strip():
            seen += 1
            if seen > n:
                return j
    return end


def _share_descriptions(heads: list[Head], bodies: list[Body]) -> None:
    """`5. lat` with no text right above `6. lon` + text: both fields get that text."""
    for k in range(len(heads) - 2, -1, -1):
        head, body, nxt = heads[k], bodies[k], heads[k + 1]
        if head.shape[1] == "none" and not head.rest and not body.description \
                and not body.categories and nxt.line == head.line + 1:
            body.description = list(bodies[k + 1].description)


def _value_list_mode(heads: list[Head]) -> bool:
    """Whether the document writes many fields as `name- value, value, value`."""
    lists = sum(1 for h in heads if len(_value_list(h.rest)) >= 3)
    return lists >= _MIN_VALUE_LISTS and lists * 4 >= len(heads)


def _value_list(text: str) -> list[str]:
    """The items of `thin, average, fit` (short, not numbers, not a sentence), else []."""
    items = [p.strip() for p in text.split(",")]
    while items and not items[-1]:
        items.pop()
    if len(items) < 2 or any(not p for p in items):
        return []
    for p in items:
        if len(p) > 30 or len(p.split()) > 4 or _LIST_ITEM_BAD.search(p) \
                or not re.search(r"[^\W\d_]", p):
            return []
    if items[-1].lower().startswith(("and ", "or ", "etc")):
        return []  # `books, movies, and food`: an enumeration in a sentence
    return items


def _field(name: str, head: Head, body: Body, values: list[str]) -> Field:
    """The field one head and its body describe."""
    rest, options = options_in_line(head.rest)  # `Q3. Sex?  □ Male  □ Female`
    title = None
    if head.shape[0].startswith("#") and rest and body.description:
        title, rest = rest, ""  # `### age — Age in years` over a paragraph: its title
    entry = Entry(name=name, head=join_text([rest, *body.description, *body.notes]),
                  title=title)
    if head.type_word:
        entry.type_hint, entry.source_type, _ = type_words(f"({head.type_word})")
    else:  # `name of the region [string].`, on the head's line or the text below it
        found = next(filter(None, map(trailing_type, [head.rest, *body.description])), None)
        if found:
            entry.type_hint, entry.source_type = found
    codes = body.categories or options or [Category(v, v) for v in values]
    entry.codes = [Category(c.value, c.label) for c in codes]
    return build_field(entry)
