"""Decoding bytes people actually publish: UTF-8 (with or without BOM), UTF-16, cp1252, latin-1."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(sample: bytes) -> str:
    """The encoding of `sample` (the first bytes of a file): BOM, else UTF-8, else cp1252/latin-1.

    A sample cut in the middle of a UTF-8 sequence is still recognised as UTF-8.
    """
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample's end is not a reason to reject UTF-8
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
        if _mostly_utf8(sample):
            return "utf-8"
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _mostly_utf8(sample: bytes) -> bool:
    """True when invalid bytes are rare among valid multi-byte sequences (a few stray bytes)."""
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return bad <= 4 and multibyte >= 4 * bad


def decode(data: bytes) -> tuple[str, str]:
    """Decode a whole file; returns (text, encoding). Stray invalid bytes become U+FFFD."""
    enc = detect_encoding(data[:1 << 20])
    if enc == "utf-8":
        text = data.decode("utf-8", errors="replace")
    else:
        text = data.decode(enc, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, enc
