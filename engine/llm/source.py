"""A dictionary file's text, laid out for chunking and for the LLM to read: the same file the
rules read, through the same format reader (engine.formats.document_text).

PDF pages are joined with form feeds (the chunker drops repeated headers and footers and reads a
field across a page break as one piece); Word paragraphs and tables keep their document order
(table rows as `cell | cell`); a workbook's rows become tab-separated lines, of the sheet asked
for, else of the sheets the rules took their fields from (`sheets`, ParseResult.sheets), else
of every sheet; anything else is the text as written.  A compressed file is read as the file
inside.  Blocking: call it in a worker thread (`asyncio.to_thread`).
"""

from __future__ import annotations

from pathlib import Path

from ..formats import document_text


def dictionary_text(path: str | Path, filename: str | None = None, *,
                    sheet: str | None = None, sheets: tuple[str, ...] | list[str] = ()) -> str:
    """The text of a dictionary file for LLM refinement."""
    return document_text(path, filename, sheet=sheet, sheets=tuple(sheets))
