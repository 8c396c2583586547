"""Decoding bytes people actually publish: UTF-8 (with or without BOM), UTF-16, cp1252, latin-1,
and files that mix UTF-8 with Windows-1252 (lines pasted from different editors).
"""

from __future__ import annotations

import codecs
import re

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


def looks_binary(text: str) -> bool:
    """Many control or replacement characters in the first KiBs of decoded text."""
    sample = text[:8192]
    bad = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    return bad > max(8, len(sample) // 50)


def _mostly_utf8(sample: bytes) -> bool:
    """True when invalid bytes are rare among valid multi-byte sequences (a few stray bytes)."""
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return bad <= 4 and multibyte >= 4 * bad


MIXED = "utf-8+cp1252"
_FALLBACK = "codebook-cp1252"
# a well-formed multi-byte UTF-8 character (RFC 3629: no overlongs, no surrogates)
_UTF8_CHAR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]"
                        rb"|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
                        rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
                        rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}")
_HIGH = bytes(range(128, 256))
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"


def _cp1252_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Error handler: a run of bytes that are not UTF-8 is read as Windows-1252 when that gives
    plausible text, else each byte becomes U+FFFD.  Implausible: a byte cp1252 leaves undefined,
    or an upper-case letter right after a lower-case one (`ChÌÁvez` is damage, not text)."""
    data = exc.object
    end = exc.end
    while end < len(data) and data[end] >= 0x80 and end - exc.start < 8:
        end += 1
    run = data[exc.start:end]
    before = data[exc.start - 1:exc.start] if exc.start else b""
    if any(b in _CP1252_UNDEFINED for b in run):
        return "\ufffd" * len(run), end
    text = run.decode("cp1252")
    if before.islower() and any(ch.isupper() for ch in text):
        return "\ufffd" * len(run), end
    return text, end
codecs.register_error(_FALLBACK, _cp1252_fallback)


def decode_mixed(data: bytes) -> str:
    """UTF-8 where the bytes are UTF-8, Windows-1252 where they are not."""
    return data.decode("utf-8", errors=_FALLBACK)


def is_mixed(data: bytes) -> bool:
    """True when bytes that are not UTF-8 sit beside a fair share of real UTF-8 characters
    (a Windows-1252 file only now and then holds a pair of bytes that looks like one)."""
    chars = _UTF8_CHAR.findall(data)
    if len(chars) < 2:
        return False
    high = len(data) - len(data.translate(None, _HIGH))
    invalid = high - sum(map(len, chars))
    return invalid > 0 and len(chars) * 20 >= invalid


def mixed_warning(filename: str) -> str:
    """The warning for a file decoded with `decode_mixed`."""
    return (f"{filename} mixes UTF-8 and Windows-1252 (cp1252) text; each part was decoded as "
            "what it is. Check accented characters, and save the file as UTF-8 to be sure.")


def decode(data: bytes) -> tuple[str, str]:
    """Decode a whole file; returns (text, encoding).  A file mixing UTF-8 and cp1252 gives the
    encoding `MIXED` (callers warn with `mixed_warning`)."""
    enc = detect_encoding(data[:1 << 20])
    if enc == "utf-8":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = decode_mixed(data)
            enc = MIXED if is_mixed(data) else enc
    elif enc in ("cp1252", "latin-1") and is_mixed(data):
        text, enc = decode_mixed(data), MIXED
    else:
        text = data.decode(enc, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, enc
