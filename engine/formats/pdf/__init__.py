"""PDF: text per page with pypdfium2, in reading order without page furniture (`text.py`);
ruled tables by pdfplumber's table finder on pdfium's paths and characters (`ruled.py`);
borderless tables by text alignment (`layout.py`); `read.py` puts them together, a table
holding tables side by side split into them (`..bands`).

The reading text (for the LLM) is the pages' text joined by form feeds, without the table
search: the chunker drops repeated headers and footers itself.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..format import Format, Source


def iter_pdf_pages(path: str | Path, filename: str | None = None
                   ) -> Iterator[tuple[int, int, str]]:
    """(page number from 1, page count, page text) for each page, in order (see read.py)."""
    from .read import iter_pdf_pages as pages

    return pages(path, filename)


def _document(src: Source):
    from .read import load_pdf

    return load_pdf(src.path, src.filename)


def _text(src: Source) -> str:
    return "\f".join(text for _, _, text in iter_pdf_pages(src.path, src.filename))


PDF = Format("pdf", (".pdf",), "a PDF", magic=lambda head: b"%PDF-" in head[:1024],
             document=_document, text=_text)
FORMATS = [PDF]
