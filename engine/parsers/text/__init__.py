"""Free-text dictionaries: the fallback parser for prose, plain-text and document dictionaries.

Works over a list of lines, so the source does not matter: the decoded file for .txt / .md /
.doc (plain text under a .doc name, as UCI ships it) / .names, the running text of a PDF,
DOCX or HTML document (`ctx.document.text`), plus HTML `<dl>` term/definition pairs.

Styles, tried in order (see the modules for details):

1. `Attribute 1: (qualitative)` blocks (numbered.parse_attribute_blocks; german.doc);
2. a `3 age: age in years` list numbered 1, 2, 3 ... (numbered.parse_numbered_list);
3. `NAME: description` heads with indented code lists (generic.scan; house prices).

Precision over recall: a file with fewer than two recognised fields yields nothing, so the
dispatcher can say that no field was found.  Entries named like missing-value markers
(`NULL`, `NA`, `unspecified`) whose text says they mean missing data are not fields: they
become the schema's missing values (material-intensity codebook.md).
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from ...model import Field
from .. import ParseContext, ParserSpec
from .entries import Entry, build_field
from .generic import scan
from .numbered import parse_attribute_blocks, parse_numbered_list

Warn = Callable[[str], None]

_DOCUMENT_EXTS = (".pdf", ".docx", ".html", ".htm", ".rst")
_TEXT_EXTS = (".txt", ".text", ".md", ".markdown", ".doc", ".names")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_MIN_FIELDS = 2
# names of special values a codebook may define (`NULL: missing value ...`); a variable
# called `missing` or `unknown` is more likely a real field, so those are not here
_MISSING_NAMES = {"null", "na", "n/a", "unspecified", "empty value"}
_SAYS_MISSING = re.compile(r"\bmissing\b|\bempty values?\b|"
                           r"\bno (?:information|observation|value|data)\b|"
                           r"\bnot (?:applicable|available|provided)\b|\bunspecified value",
                           re.I)
# a footnote number glued to a word: `CPP data set1`, `Center2)`, `CDC5)`, `et al.4)`
_FOOTNOTE = re.compile(r"(?<![\w-])([A-Za-z][a-z]+|[A-Z]{2,}|al\.)([1-9])(?=[)\s,;.]|$)")
_LETTER = re.compile(r"[^\W\d_]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])")
_MD_CODE = re.compile(r"`([^`]*)`")


def parse_text(ctx: ParseContext) -> Iterator[Field]:
    """Fields of a free-text dictionary."""
    lines, definitions, is_document = _source(ctx)
    fields, missing = fields_from_lines(lines, ctx.warn, markdown=ctx.ext in (".md", ".markdown"))
    fields += [build_field(Entry(name=t.strip(), head=d)) for t, d in definitions
               if _definition_ok(t)]
    if is_document:
        for f in fields:
            f.description = strip_footnotes(f.description)
    if len(fields) < _MIN_FIELDS:
        return
    if missing:
        ctx.missing_values = list(dict.fromkeys(["", *missing]))
        shown = ", ".join(m or "(empty)" for m in missing)
        ctx.warn(f"The dictionary defines special values that mean missing data ({shown}); "
                 "they were set as the schema's missing values.")
    yield from fields


def _source(ctx: ParseContext) -> tuple[list[str], list[tuple[str, str]], bool]:
    """(lines, definition pairs, whether the text came from a document) for this file."""
    if ctx.ext in _DOCUMENT_EXTS or ctx.data[:4] == _OLE_MAGIC:
        doc = ctx.document  # raises a user-facing InputError for a Word 97 .doc and such
        return doc.text.splitlines(), list(doc.definitions or []), True
    return ctx.text.splitlines(), [], False


def fields_from_lines(lines: list[str], warn: Warn, *,
                      markdown: bool = False) -> tuple[list[Field], list[str]]:
    """(fields, missing-value markers) of a free-text dictionary given as lines."""
    for numbered in (parse_attribute_blocks, parse_numbered_list):
        fields = numbered(lines, warn)
        if fields:
            return fields, []
    if markdown and lines and lines[0].strip() == "---":  # YAML front matter is not fields
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines = lines[end + 1:]
    fields, missing = [], []
    for entry in scan(lines):
        marker = _missing_marker(entry)
        if marker is not None:
            missing.append(marker)
        else:
            field = build_field(entry)
            if markdown:
                field.description = strip_markdown(field.description)
            fields.append(field)
    return fields, missing


def _missing_marker(entry: Entry) -> str | None:
    """`NULL: Missing value that has no observation` defines a missing marker, not a field."""
    name = entry.name.lower()
    if name not in _MISSING_NAMES or not _SAYS_MISSING.search(" ".join([entry.head, *entry.lines])):
        return None
    return "" if name == "empty value" else entry.name


def _definition_ok(term: str) -> bool:
    term = term.strip()
    return 0 < len(term) <= 64 and "\n" not in term and _LETTER.search(term) is not None


def strip_footnotes(text: str | None) -> str | None:
    """Footnote numbers glued to words in documents (`Center2)` -> `Center)`)."""
    if not text:
        return text
    return _FOOTNOTE.sub(r"\1", text)


def strip_markdown(text: str | None) -> str | None:
    """Emphasis, code spans and links of Markdown reduced to their text."""
    if not text:
        return text
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_STRONG.sub(r"\2", text)
    text = _MD_EMPHASIS.sub(r"\1", text)
    return _MD_CODE.sub(r"\1", text)


PARSERS = [ParserSpec(format="text", extensions=_TEXT_EXTS + _DOCUMENT_EXTS, parse=parse_text,
                      priority=90, competes=True)]
