"""What every text format shares: the bytes decoded (BOMs, UTF-16, Windows-1252 and lines of
both mixed: engine.textio), binary junk and blank files refused, the reading text as decoded."""

from __future__ import annotations

from typing import Callable

from ..errors import InputError
from ..textio import MIXED, decode, looks_binary, mixed_warning
from .document import Document
from .format import Source


def text_document(src: Source, load: Callable[[str, str], Document]) -> Document:
    """`load(text, filename)` on the decoded file, after the checks every text format shares."""
    data = src.path.read_bytes()
    text, encoding = decode(data)
    if _binary(data, text, encoding):
        raise InputError(f"{src.filename} is a binary file, not a text dictionary. Upload the "
                         "dictionary as CSV, Excel, Word, PDF, HTML, Markdown or text.")
    if not text.strip():
        raise InputError(f"{src.filename} holds only blank space: upload a file with the "
                         "dictionary's contents.")
    doc = load(text, src.filename)
    if encoding == MIXED:
        doc.warnings.append(mixed_warning(src.filename))
    return doc


def reading_text(src: Source) -> str:
    """The file decoded, as it is written."""
    return decode(src.path.read_bytes())[0]


def looks_html(text: str) -> bool:
    """An HTML page, whatever its name says."""
    start = text.lstrip()[:512].lower()
    return start.startswith(("<!doctype html", "<html")) or (
        start.startswith("<?xml") and "<html" in start)


def _binary(data: bytes, text: str, encoding: str) -> bool:
    """NUL bytes (outside UTF-16) or many control/replacement characters in the first KiBs."""
    if b"\x00" in data[:8192] and not encoding.startswith("utf-16"):
        return True
    return looks_binary(text)
