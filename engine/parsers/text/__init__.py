"""Free-text dictionaries: the fallback parser for prose, plain-text and document dictionaries.

Works over a list of lines, so the source does not matter: the decoded file for .txt / .md /
.doc (plain text under a .doc name, as UCI ships it) / .names, the running text of a PDF,
DOCX or HTML document (`ctx.document.text`), plus HTML `<dl>` term/definition pairs.

Styles (see the modules for details):

1. `Attribute 1: (qualitative)` blocks (numbered.parse_attribute_blocks; german.doc);
2. a `3 age: age in years` list numbered 1, 2, 3 ... (numbered.parse_numbered_list);
3. `NAME: description` heads with indented code lists (generic.scan; house prices);
4. a definition list whose heads share one shape (heads.py, dlist.py), key-value blocks
   (keyvalue.py, kvfields.py) and a table laid out with spaces (aligned.py): the reading
   with the more convincing names wins.

A table of values below a variable (Markdown, Word, HTML) gives that variable its codes
(codetables.py); so does a code table written with tabs (PDF text) under a caption that names
the variable or that its description points to (tabtables.py), whose rows are no fields.

Precision over recall: a file with fewer than two recognised fields yields nothing, so the
dispatcher can say that no field was found.  Entries named like missing-value markers
(`NULL`, `NA`, `unspecified`) whose text says they mean missing data are not fields: they
become the schema's missing values (material-intensity codebook.md).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Iterator

from ...formats import markdown_tables
from ...errors import InputError
from ...model import Category, Field
from .. import ParseContext, ParserSpec
from ..codes import document_missing, infer_type_from_codes, split_missing
from ..codes.quoted import quoted_values
from .aligned import aligned_tables, value_labels, variable_blocks
from .codetables import attach_code_tables
from .dlist import Reading, read_definition_list
from .entries import Entry, build_field
from .generic import scan
from .headed import headed_blocks
from .keyvalue import blocks_from_lines, blocks_from_pairs, blocks_from_tables
from .kvfields import read_key_value_blocks
from .names import expand_names, is_file_name, name_likeness
from .pairs import one_per_name, pairs_bound
from .numbered import parse_attribute_blocks, parse_numbered_list
from .tabtables import attach as attach_tab_tables, code_tables, without_tables

Warn = Callable[[str], None]

_DOCUMENT_EXTS = (".pdf", ".docx", ".html", ".htm", ".rst", ".rd", ".r")
_TEXT_EXTS = (".txt", ".text", ".md", ".markdown", ".doc", ".names")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_MIN_FIELDS = 2
_HEADING_REACH = 500        # lines searched for the next heading of the document
_MIN_DISTINCT_SHARE = 0.6   # of the names found, the share that must be different
# names of special values a codebook may define (`NULL: missing value ...`); a variable
# called `missing` or `unknown` is more likely a real field, so those are not here
_MISSING_NAMES = {"null", "na", "n/a", "unspecified", "empty value"}
_SAYS_MISSING = re.compile(r"\bmissing\b|\bempty values?\b|"
                           r"\bno (?:information|observation|value|data)\b|"
                           r"\bnot (?:applicable|available|provided)\b|\bunspecified value",
                           re.I)
# a footnote number glued to a word: `CPP data set1`, `Center2)`, `CDC5)`, `et al.4)`
# (not `NINO3.4`: a digit after the period; not `CO2 levels`: a capital word's footnote closes
# with a parenthesis)
_FOOTNOTE = re.compile(r"(?<![\w-])(?:([A-Za-z][a-z]+|al\.)([1-9])(?=[)\s,;]|\.(?!\d)|$)|"
                       r"([A-Z]{2,})([1-9])(?=\)))")
_LETTER = re.compile(r"[^\W\d_]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(\S(?:.*?\S)?)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(\S(?:[^*]*?\S)?)\*(?![\w*])")
_MD_CODE = re.compile(r"`([^`]*)`")


def parse_text(ctx: ParseContext) -> Iterator[Field]:
    """Fields of a free-text dictionary."""
    lines, definitions, is_document = _source(ctx)
    fields, missing = fields_from_lines(lines, ctx.warn, markdown=ctx.ext in (".md", ".markdown"))
    tables = placed_tables(_tables(ctx)) if is_document else _tables(ctx)
    tabled, score = read_key_value_blocks(blocks_from_tables(tables))
    if tabled and score > reading_score(fields):  # a small two-column table per variable
        fields, missing = tabled, []
    else:
        attach_code_tables(fields, lines, tables)  # a table of values below a variable
    defined = _definition_fields(definitions)
    if defined and reading_score(defined) > 2 * reading_score(fields):
        fields = []  # a few names alone on their lines beside the document's list of terms
    _take_codes(fields, defined)  # the text may hold the same pairs (HTML <dl>)
    fields = pairs_bound(fields, defined)
    known = {f.name for f in fields}
    fields += [f for f in defined if f.name not in known]
    if is_document:
        for f in fields:
            f.description = strip_footnotes(f.description)
    if len(fields) < _MIN_FIELDS or _keys_not_fields(fields, tables):
        return
    missing += [m for m in document_missing("\n".join(lines), fields) if m not in missing]
    if missing:
        ctx.declare_missing(missing)
    yield from fields


def _take_codes(fields: list[Field], defined: list[Field]) -> None:
    """Codes a definition pair gives (read with its markup: `<code>Male</code>`) to the field
    the running text gives for the same name without codes."""
    by_name = {f.name: f for f in defined if f.categories}
    for f in fields:
        pair = by_name.get(f.name)
        if pair is not None and not f.categories and not f.missing_values:
            f.categories, f.missing_values = pair.categories, pair.missing_values
            if f.type in ("any", "string"):
                f.type = pair.type


def _keys_not_fields(fields: list[Field], tables: list) -> bool:
    """Names that come back again and again are keys of blocks, not variables; names that
    are the column headers of a table in the document are that table's legend."""
    names = [f.name.lower() for f in fields]
    counts = {n: names.count(n) for n in set(names)}
    singles = sum(1 for k in counts.values() if k == 1)
    # keys come back in (nearly) every block; variables shared by several files of a
    # dictionary come back beside others that do not
    if len(counts) < _MIN_DISTINCT_SHARE * len(names) and singles * 2 <= len(counts):
        return True
    for table in tables:
        header = {cell.strip().lower() for cell in (table.rows[0] if table.rows else [])}
        if len(header) >= 3 and sum(1 for n in set(names) if n in header) >= 0.6 * len(set(names)):
            return True
    return False


def _definition_fields(definitions: list[tuple[str, str]]) -> list[Field]:
    """Fields of term/definition pairs: one per term, or one per block when the terms repeat
    (`Variable Name:`, `SAS Label:` ... for each variable)."""
    fields, _ = read_key_value_blocks(blocks_from_pairs(definitions))
    if not fields:
        fields = [build_field(Entry(name=name, head=d)) for t, d in definitions
                  if _definition_ok(t) for name in expand_names(t)]
    for f in fields:  # codes are read with their quoting, before it goes
        if f.description and ("`" in f.description or '"' in f.description):
            _quoted_codes(f)
            f.description = _MD_CODE.sub(r"\1", f.description)
    return fields


def _quoted_codes(field: Field) -> None:
    """Values the text lists in quotes or back-ticks (`` `Male` or `Female` ``, Rd's
    `\\code{Male}`) as the field's categories, each its own label."""
    if field.categories or field.missing_values:
        return
    values = [c.value.strip("\"'“”‘’") for c in quoted_values(field.description)]
    codes = [Category(v, v) for v in dict.fromkeys(values) if v]
    valid, missing = split_missing(codes)
    if valid:
        field.categories, field.missing_values = valid, missing
        if field.type == "any":
            field.type = infer_type_from_codes(valid)


def _tables(ctx: ParseContext) -> list:
    """The document's tables (none when it cannot be read as a document)."""
    try:
        return ctx.document.tables
    except InputError:
        return []


def _source(ctx: ParseContext) -> tuple[list[str], list[tuple[str, str]], bool]:
    """(lines, definition pairs, whether the text came from a document) for this file."""
    if ctx.ext in _DOCUMENT_EXTS or ctx.data[:4] == _OLE_MAGIC:
        doc = ctx.document  # raises a user-facing InputError for a Word 97 .doc and such
        lines = mark_headings(doc.text.splitlines(), doc.headings)
        lines = with_column_tables(lines, doc.tables)
        return lines, list(doc.definitions or []), True
    if ctx.ext in (".md", ".markdown"):
        # pipe tables are the table reader's: as prose, a heading over a table read as one
        # field whose description was the whole table
        return markdown_tables(ctx.text)[1], [], False
    return ctx.text.splitlines(), [], False


def with_column_tables(lines: list[str], tables: list) -> list[str]:
    """Lines with the text of one-column tables put back where the tables stand, a blank line
    after each cell: a table of one column lays paragraphs out (a page's frame), it holds no
    rows of a dictionary table."""
    out, shift = list(lines), 0
    for table in tables:
        cells = _column_lines(table)
        if cells:
            at = min(len(out), table.line + shift)
            out[at:at] = cells
            shift += len(cells)
    return out


def placed_tables(tables: list) -> list:
    """The tables with their lines counted in the text with_column_tables gives (the lines
    of the one-column tables put back before a table move it down)."""
    out, shift = [], 0
    for table in tables:
        cells = _column_lines(table)
        if table.line is not None and shift and not cells:
            table = replace(table, line=table.line + shift)
        out.append(table)
        shift += len(cells)
    return out


def _column_lines(table) -> list[str]:
    """The lines a one-column table puts back into the text (none for other tables)."""
    if table.line is None or any(len(r) != 1 for r in table.rows):
        return []
    return ["", *(line for row in table.rows for line in [*row[0].split("\n"), ""])]


def fields_from_lines(lines: list[str], warn: Warn, *,
                      markdown: bool = False) -> tuple[list[Field], list[str]]:
    """(fields, missing-value markers) of a free-text dictionary given as lines.

    Code tables written with tabs (a caption or a code header over them) are no fields: the
    text is read again without them, and their codes go to the fields they are about."""
    fields, missing = _read_lines(lines, warn, markdown)
    tables = code_tables(lines, fields)
    if not tables:
        return fields, missing
    rest = without_tables(lines, tables)
    fewer, fewer_missing = _read_lines(rest, warn, markdown)
    if len(fewer) < _MIN_FIELDS:
        return fields, missing  # the tables were the document
    attach_tab_tables(fewer, rest, tables)
    return fewer, fewer_missing


def _read_lines(lines: list[str], warn: Warn, markdown: bool) -> tuple[list[Field], list[str]]:
    """(fields, missing-value markers) of the readings that compete over the lines."""
    listed: Reading | None = None
    for numbered in (parse_attribute_blocks, parse_numbered_list):
        fields = numbered(lines, warn)
        if fields:
            listed = read_definition_list(lines)
            if not _list_outweighs(listed, fields):
                return fields, []
    if markdown and lines and lines[0].strip() == "---":  # YAML front matter is not fields
        end = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0)
        lines, listed = lines[end + 1:], None
    fields, missing, heads = [], [], []
    for entry in scan(lines):
        marker = _missing_marker(entry)
        if marker is not None:
            missing.append(marker)
        else:
            fields.extend(one_per_name(build_field(entry)))
            heads.append(entry.line)
    listed = listed or read_definition_list(lines)
    # the special values found (`NULL: missing ...`) hold whichever reading wins
    if listed.fields and _list_wins(listed, heads, reading_score(fields)):
        fields = listed.fields
    for found in (blocks_from_lines(lines), headed_blocks(lines)):
        blocks, score = read_key_value_blocks(found)
        if blocks and score > reading_score(fields):
            fields = blocks
    fields = _aligned_reading(lines, fields)
    fields = [f for f in fields if not is_file_name(f.name)]  # a list of files
    if markdown:
        for field in fields:
            field.description = strip_markdown(field.description)
            field.title = strip_markdown(field.title)
    return fields, missing


def _aligned_reading(lines: list[str], fields: list[Field]) -> list[Field]:
    """A table of variables laid out with spaces, when it reads the text better, and the codes
    of a table of values for the fields it names."""
    tables = aligned_tables(lines)
    if not tables:
        return fields
    rows, score = read_key_value_blocks(variable_blocks(tables))
    names = {f.name for f in rows}
    # the same lines read column by column: it wins over a reading of them as prose
    if rows and (score > reading_score(fields)
                 or sum(1 for f in fields if f.name in names) >= 0.8 * len(fields)):
        fields = rows
    labels = value_labels(tables)
    for f in fields:
        if f.name in labels and not f.categories:
            valid, missing = split_missing(labels[f.name])
            labelled = {c.value for c in missing}
            f.categories = valid
            f.missing_values = missing + [c for c in f.missing_values if c.value not in labelled]
            if valid and f.type == "any":
                f.type = infer_type_from_codes(valid)
    return fields


def _list_outweighs(listed: Reading, numbered: list[Field]) -> bool:
    """A numbered run (`1 Unipersonal: ...`, `2 Nuclear: ...`) that is one field's code list
    in a long definition list (`sexo_ci`, `relacion_ci` alone on their lines, ...): the list's
    heads are many times as many and as convincing."""
    return len(listed.fields) >= 4 * len(numbered) \
        and listed.score >= 4 * reading_score(numbered)


def _list_wins(listed: Reading, heads: list[int], generic: float) -> bool:
    """Whether the definition list reads the document better than the generic scan.

    It does when it is as convincing, or nearly so while most of the generic scan's other
    heads lie inside the list's bodies (code lines such as `LKT – lookout`)."""
    if listed.score >= generic:
        return True
    others = [line for line in heads if line not in listed.heads]
    nested = sum(1 for line in others if listed.holds(line))
    return bool(others) and nested * 2 >= len(others) and listed.score * 2 >= generic


def reading_score(fields: list[Field]) -> float:
    """How convincingly a reading found fields: the name-likeness of its names, each name
    counted once and less for every time it comes back (keys of repeated blocks do)."""
    counts: dict[str, int] = {}
    for f in fields:
        counts[f.name] = counts.get(f.name, 0) + 1
    return sum(name_likeness(n) / k for n, k in counts.items())


def mark_headings(lines: list[str], headings: list[tuple[str, int]]) -> list[str]:
    """Lines with the document's headings written as Markdown headings (`### age`), so that
    readers see sections in HTML and Word documents as they do in Markdown."""
    lines = list(lines)
    pos = 0
    for text, level in headings:
        first = text.split("\n")[0].strip()
        for i in range(pos, min(len(lines), pos + _HEADING_REACH)):
            if lines[i].strip() == first:
                lines[i] = f"{'#' * level} {first}"
                pos = i + 1
                break
    return lines


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
    return _FOOTNOTE.sub(lambda m: m.group(0) if _list_item(text, m) else m.group(1) or m.group(3),
                         text)


_MAX_ITEM = 5


def _list_item(text: str, m: re.Match[str]) -> bool:
    """A short token between commas (or after a colon) of a list of values (`c8e1, cae1,
    ab03`): a code, not a word with a footnote."""
    before = text[:m.start()].rstrip()
    after = text[m.end():]
    return (len(m.group(0)) <= _MAX_ITEM and before.endswith((",", ":"))
            and after[:1] in (",", "."))


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
