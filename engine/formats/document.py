"""The shapes every document reader returns: tables of cell texts and running text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field

from ..limits import current, exceeded


@dataclass
class Table:
    """A table of cell texts; merged cells are filled with the merged value."""

    rows: list[list[str]]
    name: str               # sheet name, "table 2", "page 3 table 1"
    page: int | None = None
    context: str = ""       # the heading / paragraph just before the table
    line: int | None = None  # lines of the document's text before the table (None: unknown)
    heading: str = ""       # the last heading before the table (HTML <hN>, Word heading style)


@dataclass
class Document:
    """Text and tables extracted from one dictionary file."""

    kind: str               # "pdf" | "docx" | "html" | "xlsx" | "xls" | "csv" | "markdown" | "rst" | "text"
    text: str
    pages: list[str] = dc_field(default_factory=list)
    tables: list[Table] = dc_field(default_factory=list)
    definitions: list[tuple[str, str]] = dc_field(default_factory=list)
    warnings: list[str] = dc_field(default_factory=list)   # e.g. a mix of encodings
    # (text, level) of the headings in reading order: HTML <h1>-<h6>, Word heading styles
    headings: list[tuple[str, int]] = dc_field(default_factory=list)


def rectangular(rows: list[list[str]]) -> list[list[str]]:
    """Rows padded to one width, with trailing empty columns and rows dropped.  The padded
    size is checked first (the readers count their cells; this is the backstop for all)."""
    width = max((_used_width(r) for r in rows), default=0)
    if width * len(rows) > current().max_dictionary_cells:
        raise exceeded("The dictionary", f"a table of {len(rows):,} rows and {width:,} "
                       "columns", "max_dictionary_cells", "Upload only the table you need.")
    out = [(r[:width] + [""] * (width - len(r))) for r in rows]
    while out and not any(out[-1]):
        out.pop()
    return out


def _used_width(row: list[str]) -> int:
    n = len(row)
    while n and not row[n - 1]:
        n -= 1
    return n


# direction marks and zero-width spaces: invisible, never part of a name or label
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_cell(text: str) -> str:
    """A cell's text with line endings normalised, invisible marks dropped and outer blanks
    (and NBSPs) stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
    text = _INVISIBLE.sub("", text)
    return "\n".join(line.strip() for line in text.strip().split("\n"))
