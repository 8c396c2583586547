"""HTML pages: paragraphs as running text, tables with rowspan/colspan filled, <dl> pairs and the
headings (`read.py`).  Recognised by its name or by a page that starts like HTML."""

from __future__ import annotations

from ..format import Format, Source
from ..textfile import reading_text, text_document


def _document(src: Source):
    from .read import load_html

    return text_document(src, load_html)


HTML = Format("html", (".html", ".htm", ".xhtml"), "an HTML page", document=_document,
              text=reading_text)
FORMATS = [HTML]
