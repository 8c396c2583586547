"""A document as lines in units (PDF pages, or sections: sheets, tables, headed text), the
text coverage is measured on (`coverage.py`).

PDF pages come from the extracted document when a parser extracted it, else from pypdfium2's
text (fast: a REDCap PDF parser reads pages itself).  Word, HTML and Markdown documents hold
their tables apart from their running text: each table is put back after the paragraph before
it.  Spreadsheets and delimited files are their tables, a section per sheet.  Other text files
are their text, with markup tags reduced to their attribute values (a variable's name is often
one).  Binary files (SPSS .sav, Stata .dta, SAS transport) have no text: None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from typing import TYPE_CHECKING, Any

from .doctext import not_dictionary_text

if TYPE_CHECKING:
    from . import ParseContext

__all__ = ["SourceLines", "WORD", "source_lines"]

WORD = re.compile(r"[^\W_]+")
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*\S)")
_UNDERLINE = re.compile(r"^\s*([=\-~^*+#])\1{2,}\s*$")
_DOCUMENT_EXTS = (".pdf", ".docx", ".html", ".htm", ".xhtml", ".xlsx", ".xlsm", ".xls")
_BINARY_EXTS = (".sav", ".zsav", ".por", ".dta", ".xpt", ".sas7bdat")
_MARKUP_EXTS = (".xml", ".ddi", ".odm", ".json", ".yaml", ".yml")
# text written for people (not program syntax, not delimited): its prose may be explanation
_PROSE_EXTS = (".txt", ".text", ".md", ".markdown", ".rst", ".names", "")


@dataclass
class SourceLines:
    """A document as lines, each in a unit (a page or a section), for measuring coverage."""

    lines: list[str]
    units: list[int]            # unit index of each line
    labels: list[str]           # label of each unit ("3" for page 3, or a section's title)
    paged: bool                 # units are PDF pages
    markup: bool = False        # XML / JSON / YAML: read by structure, text is metadata
    # lines that are no dictionary text (code, citations, explanation): counted only when read
    neutral: set[int] = dc_field(default_factory=set)
    # what is found once for all readings measured against these lines (see coverage.py)
    cache: dict[str, Any] = dc_field(default_factory=dict, repr=False)

    def words(self) -> list[list[str]]:
        """The lower-cased words of each line."""
        if "words" not in self.cache:
            self.cache["words"] = [WORD.findall(line.lower()) for line in self.lines]
        return self.cache["words"]


def source_lines(ctx: "ParseContext") -> SourceLines | None:
    """The document's lines for coverage (None for a binary file with no text)."""
    ext = ctx.ext
    if ext == ".pdf" or ctx.data[:5] == b"%PDF-":
        return _pdf_lines(ctx)
    if ext in _DOCUMENT_EXTS:
        return _document_lines(ctx.document)
    if ext in _BINARY_EXTS or _binary(ctx):
        return None
    text = ctx.text
    start = text.lstrip()[:1]
    markup = ext in _MARKUP_EXTS or start in ("<", "{", "[")
    if markup and start == "<":
        text = _TAG.sub(_tag_values, text)
    out = _sectioned(text.splitlines())
    out.markup = markup
    if not markup and ext in _PROSE_EXTS:
        out.neutral = not_dictionary_text(out.lines)
    return out


def _tag_values(m: re.Match) -> str:
    """A markup tag as its attribute values (a variable's name is often one), else a space."""
    return " " + " ".join(a or b for a, b in _ATTRIBUTE.findall(m.group(0))) + " "


def _binary(ctx: "ParseContext") -> bool:
    head = ctx.head[:4096]
    bad = sum(1 for ch in head if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return bad > max(8, len(head) // 50)


def _pdf_lines(ctx: "ParseContext") -> SourceLines:
    """PDF page texts: the document's when a parser extracted it, else pypdfium2's (fast)."""
    if "document" in ctx.__dict__:
        pages = ctx.document.pages
    else:
        from ..formats import iter_pdf_pages

        pages = [text for _, _, text in iter_pdf_pages(ctx.path, ctx.filename)]
    lines, units, neutral = [], [], set()
    for i, page in enumerate(pages):
        page_lines = page.splitlines()
        # citations and code on the page (a page's lines are no paragraphs: no explanation)
        neutral.update(len(lines) + k for k in not_dictionary_text(page_lines, prose=False))
        lines += page_lines
        units += [i] * len(page_lines)
    return SourceLines(lines, units, [str(i + 1) for i in range(len(pages))], paged=True,
                       neutral=neutral)


def _document_lines(doc) -> SourceLines:
    """Running text with each table placed after the paragraph before it; a workbook's
    sheets each a section."""
    if doc.kind in ("xlsx", "xls", "csv"):
        out = SourceLines([], [], [], paged=False)
        for table in doc.tables:
            _add_section(out, table.name, [" | ".join(r) for r in table.rows])
        return out
    lines = doc.text.splitlines()
    blocks: list[tuple[int, str, list[str]]] = []   # (insert after line, label, rows)
    at = 0
    for table in doc.tables:
        place = _find_line(lines, table.context, at) if table.context else None
        if place is None:
            place = len(lines) - 1
        at = max(at, place)
        label = _label(table.context) or table.name
        blocks.append((place, label, [" | ".join(r) for r in table.rows]))
    out = SourceLines([], [], [], paged=False)
    start = 0
    rows_at: set[int] = set()
    for place, label, rows in blocks:
        _extend_text(out, lines[start:place + 1])
        start = max(start, place + 1)
        rows_at.update(range(len(out.lines), len(out.lines) + len(rows)))
        _add_section(out, label, rows)
    _extend_text(out, lines[start:])
    out.neutral = not_dictionary_text(out.lines, skip=rows_at)
    return out


def _find_line(lines: list[str], context: str, start: int) -> int | None:
    """Index of the line that ends the table's context paragraph (from `start` on)."""
    tail = " ".join(context.split())[-40:]
    if not tail:
        return None
    for i in range(start, len(lines)):
        if tail in " ".join(lines[i].split()):
            return i
    return None


def _sectioned(lines: list[str]) -> SourceLines:
    out = SourceLines([], [], [], paged=False)
    _extend_text(out, lines)
    return out


def _add_section(out: SourceLines, label: str, lines: list[str]) -> None:
    out.labels.append(label)
    out.lines += lines
    out.units += [len(out.labels) - 1] * len(lines)


def _extend_text(out: SourceLines, lines: list[str]) -> None:
    """Add running text, a new section at each heading (a section of its own without one)."""
    if not lines:
        return
    for i, line in enumerate(lines):
        title = _heading(lines, i)
        if title is not None or i == 0:
            out.labels.append(_label(title if title is not None else _first_words(lines)))
        out.lines.append(line)
        out.units.append(len(out.labels) - 1)


def _heading(lines: list[str], i: int) -> str | None:
    """The title when line `i` is a heading: `# Title`, a title underlined with `===`, or a
    short line in capitals or ending with a colon, standing alone."""
    line = lines[i].strip()
    m = _MD_HEADING.match(lines[i])
    if m:
        return m.group(1).strip("# ")[:60]
    if not line or len(line) > 60:
        return None
    if i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1]) and not _UNDERLINE.match(line):
        return line
    words = line.split()
    alone = (i == 0 or not lines[i - 1].strip()) and len(words) <= 8
    letters = [c for c in line if c.isalpha()]
    if alone and len(letters) >= 4 and line.upper() == line and len(words) >= 2:
        return line
    if alone and line.endswith(":") and len(words) <= 5 and not line.startswith(".."):
        return line.rstrip(":").strip()
    return None


def _label(text: str) -> str:
    """A section's title as shown: one line, without Markdown marks, at most 60 characters."""
    return " ".join(text.replace("`", "").replace("*", "").split())[:60]


def _first_words(lines: list[str]) -> str:
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    return first[:60]
