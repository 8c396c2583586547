"""REDCap dictionaries: the data dictionary (CSV/XLSX), instrument PDFs and codebook PDFs.

    dictionary.py   the data dictionary table REDCap exports (CSV, TXT, XLSX)
    instrument.py   "Download PDF of instrument(s)": `{[name] radio Required}` markers
    codebook.py     the Codebook page printed to PDF: numbered `[name]` rows, columns, pages
    codebook_cells.py  one codebook row's cells read as a field (name, logic, label, choices)
    pdfpages.py     PDF pages as positioned text segments (pypdfium2), page furniture removed
    common.py       REDCap semantics shared by all three: types, choices, flags -> Field
"""

from __future__ import annotations

import re
from typing import Iterator

from ...model import Field
from .. import NotThisFormat, ParseContext, ParserSpec
from .codebook import CodebookReader, looks_like_codebook
from .dictionary import parse_dictionary_file, sniff_dictionary
from .instrument import InstrumentReader
from .pdfpages import iter_pages, no_text_error, open_pdf, page_text

_MARKER = re.compile(r"\{\[\w+\]\s+\w+")
_SNIFF_PAGES = 3


def sniff_pdf(ctx: ParseContext) -> bool:
    """REDCap markers or codebook headings on the first pages; unreadable PDFs too.

    An encrypted or image-only PDF is accepted so that `parse_pdf` can say what is wrong.
    """
    try:
        with open_pdf(ctx.path, ctx.filename) as doc:
            texts = [page_text(doc, i) for i in range(min(len(doc), _SNIFF_PAGES))]
    except Exception:  # noqa: BLE001 - any failure to open is reported by parse_pdf
        return True
    if not any(t.strip() for t in texts):
        return True
    return any(_MARKER.search(t) or looks_like_codebook(t) for t in texts)


def parse_pdf(ctx: ParseContext) -> Iterator[Field]:
    """Fields of a REDCap instrument or codebook PDF, page by page (ctx.progress is set)."""
    with open_pdf(ctx.path, ctx.filename) as doc:
        total = len(doc)
        reader = _reader([page_text(doc, i) for i in range(min(total, _SNIFF_PAGES))])
        any_text = found = False
        for page in iter_pages(doc, words=isinstance(reader, CodebookReader)):
            any_text = any_text or bool(page.segments)
            ctx.progress = (page.number, total)
            for f in reader.feed(page):
                found = True
                yield f
        for f in reader.close():
            found = True
            yield f
        if isinstance(reader, CodebookReader):
            for message in reader.finish():
                ctx.warn(message)
    if not any_text:
        raise no_text_error(ctx.filename)
    if not found:
        raise NotThisFormat("no REDCap field markers")


def _reader(texts: list[str]) -> InstrumentReader | CodebookReader:
    """The codebook reader when its headings come before any instrument marker."""
    for text in texts:
        if _MARKER.search(text):
            return InstrumentReader()
        if looks_like_codebook(text):
            return CodebookReader()
    return InstrumentReader()


PARSERS = [
    ParserSpec(format="redcap-csv", extensions=(".csv", ".txt", ".xlsx"),
               parse=parse_dictionary_file, sniff=sniff_dictionary, priority=10),
    ParserSpec(format="redcap-pdf", extensions=(".pdf",), parse=parse_pdf, sniff=sniff_pdf,
               priority=10),
]
