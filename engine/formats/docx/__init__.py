"""Word documents (.docx): paragraphs in reading order with list numbers and heading levels,
tables with merged cells filled (`read.py`; numbering in `lists.py`).  The reading text keeps
paragraphs and tables in document order, a table's row as `cell | cell`.  Recognised by the
parts of its ZIP package (engine.formats.system)."""

from __future__ import annotations

from ..format import Format, Source


def _document(src: Source):
    from .read import load_docx

    return load_docx(src.path, src.filename)


def _text(src: Source) -> str:
    from .read import docx_text

    return docx_text(src.path, src.filename)


DOCX = Format("docx", (".docx",), "a Word document", document=_document, text=_text)
FORMATS = [DOCX]
