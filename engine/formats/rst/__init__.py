"""reStructuredText: list, csv, grid and simple tables with the heading above each; the rest
as text (`read.py`)."""

from __future__ import annotations

from ..format import Format, Source
from ..textfile import reading_text, text_document


def _document(src: Source):
    from .read import load_rst

    return text_document(src, lambda text, filename: load_rst(text))


RST = Format("rst", (".rst",), "a reStructuredText file", document=_document, text=reading_text)
FORMATS = [RST]
