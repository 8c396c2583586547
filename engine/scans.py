"""Streaming scans of text bytes, each keeping little of what it reads: an XML prolog up to its
root element (DTD subsets refused), JSON nesting and values outside strings, the longest line.
The JSON and line scans are vectorised with numpy, a chunk at a time.
"""

from __future__ import annotations

import codecs
from typing import TYPE_CHECKING, Iterable, Iterator

from .errors import UnsafeContent
from .limits import current, exceeded

if TYPE_CHECKING:
    import numpy as np


# ---- XML ---------------------------------------------------------------------------------
def check_xml_prolog(chunks: Iterable[bytes], filename: str, part: str | None = None) -> bytes:
    """Refuse an internal DTD subset before the root element (where entities are declared).

    Reads only until the root element starts: comments, processing instructions and the
    DOCTYPE are skipped by their end markers, so a bomb hidden behind a long comment is found.
    Returns the bytes read from the root on (the rest of `chunks` is left unread).
    """
    buf, i = b"", 0
    chunks = _utf8_chunks(iter(chunks))
    while True:
        verdict, i = _prolog_step(buf, i)
        if verdict == "root":
            return buf[i:]
        if verdict == "subset":
            where = f" (in its part {part})" if part else ""
            raise UnsafeContent(
                f"{filename} declares XML entities or a DTD (<!DOCTYPE … [<!ENTITY …>]>){where}, "
                "which are refused for safety: they can expand a small file into gigabytes. "
                "Export the file again without a DOCTYPE section.")
        more = next(chunks, None)
        if more is None:
            return buf[i:]
        buf, i = buf[i:] + more, 0


def _prolog_step(buf: bytes, i: int) -> tuple[str, int]:
    """("root"|"subset"|"more", position): the next prolog item from `i`, or need more bytes."""
    while True:
        while i < len(buf) and buf[i] in b" \t\r\n":
            i += 1
        if buf.startswith(codecs.BOM_UTF8, i):
            i += 3
            continue
        rest = buf[i:i + 9]
        if len(rest) < 9 and not _complete_root(rest):
            return "more", i
        if rest.startswith(b"<?"):
            closer = b"?>"
        elif rest.startswith(b"<!--"):
            closer = b"-->"
        elif rest.upper().startswith(b"<!DOCTYPE"):
            return _doctype(buf, i)
        else:
            return "root", i
        end = buf.find(closer, i + 2)
        if end < 0:
            return "more", i
        i = end + len(closer)


def _complete_root(rest: bytes) -> bool:
    """True when the few bytes left already show a root element (not a `<?`/`<!` item)."""
    return len(rest) >= 2 and rest[:1] == b"<" and rest[1:2] not in (b"?", b"!")


def _doctype(buf: bytes, i: int) -> tuple[str, int]:
    """A DOCTYPE: "subset" when it opens an internal subset (`[`) before it ends (`>`)."""
    j, quote = i + 9, None
    while j < len(buf):
        ch = buf[j:j + 1]
        if quote:
            if ch == quote:
                quote = None
        elif ch in (b'"', b"'"):
            quote = ch
        elif ch == b"[":
            return "subset", i
        elif ch == b">":
            return _prolog_step(buf, j + 1)
        j += 1
    return "more", i


def _utf8_chunks(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks as UTF-8 (UTF-16, told by its BOM or by `<` beside a NUL, is transcoded)."""
    first = b""
    for chunk in chunks:
        first += chunk
        if len(first) >= 4:
            break
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif first.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif first.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        yield first
        yield from chunks
        return
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    yield decoder.decode(first).encode("utf-8")
    for chunk in chunks:
        yield decoder.decode(chunk).encode("utf-8")


# ---- JSON --------------------------------------------------------------------------------
def check_json(chunks: Iterable[bytes], filename: str, cells_attr: str | None = None) -> None:
    """Refuse JSON nested deeper than the bound (before a recursive parser meets it), and with
    `cells_attr`, JSON holding more values than that many cells (a dataset)."""
    limits = current()
    depth, values = json_shape(chunks, stop=limits.max_nesting)
    if depth > limits.max_nesting:
        raise exceeded(filename, "its JSON is nested too deeply", "max_nesting",
                       "A codebook or table is a few levels deep; this looks generated or "
                       "damaged.")
    if cells_attr and values > getattr(limits, cells_attr):
        raise exceeded(filename, f"its JSON holds about {values:,} values", cells_attr,
                       "Save large data as CSV or Parquet.")


def json_shape(chunks: Iterable[bytes], stop: int | None = None) -> tuple[int, int]:
    """(deepest nesting of `[`/`{`, values inside them: commas plus containers), all counted
    outside strings; stops early once the nesting passes `stop`."""
    import numpy as np  # here: a PDF, workbook or Word document is parsed without numpy

    depth = deepest = values = 0
    in_string, backslashes = False, 0
    for chunk in chunks:
        a = np.frombuffer(chunk, np.uint8)
        quotes = _real_quotes(a, backslashes)
        backslashes = _trailing_backslashes(a, backslashes)
        opens, closes, commas = (a == 91) | (a == 123), (a == 93) | (a == 125), a == 44
        at = np.flatnonzero(opens | closes | commas)
        if len(at):
            # a character is inside a string when an odd number of real quotes precede it
            outside = at[(np.searchsorted(quotes, at) + in_string) % 2 == 0]
            values += int(np.count_nonzero(commas[outside]) + np.count_nonzero(opens[outside]))
            steps = np.where(opens[outside], 1, np.where(closes[outside], -1, 0))
            if len(steps):
                levels = depth + np.cumsum(steps)
                deepest = max(deepest, int(levels.max()))
                depth = int(levels[-1])
        in_string = (len(quotes) + in_string) % 2 == 1
        if stop is not None and deepest > stop:
            break
    return deepest, values


def _real_quotes(a: np.ndarray, carried: int) -> np.ndarray:
    """Positions of `"` not escaped by an odd run of backslashes (`carried`: the run that
    ended the previous chunk)."""
    import numpy as np

    quotes = np.flatnonzero(a == 34)
    if not len(quotes):
        return quotes
    after_bs = quotes[(quotes > 0) & (a[quotes - 1] == 92)]
    suspects = set(after_bs.tolist())
    if carried and quotes[0] == 0:
        suspects.add(0)
    escaped = [q for q in suspects if _run_before(a, q, carried) % 2 == 1]
    return np.setdiff1d(quotes, escaped, assume_unique=True) if escaped else quotes


def _run_before(a: np.ndarray, q: int, carried: int) -> int:
    n, j = 0, q - 1
    while j >= 0 and a[j] == 92:
        n, j = n + 1, j - 1
    return n + carried if j < 0 else n


def _trailing_backslashes(a: np.ndarray, carried: int) -> int:
    import numpy as np

    not_bs = np.flatnonzero(a != 92)
    if not len(not_bs):
        return carried + len(a)
    return len(a) - 1 - int(not_bs[-1])


# ---- lines -------------------------------------------------------------------------------
def check_lines(chunks: Iterable[bytes], filename: str) -> None:
    """Refuse text with a line longer than the bound (a dictionary has short lines)."""
    limit = current().max_line_length
    length, number = longest_line(chunks, stop=limit)
    if length > limit:
        raise exceeded(filename, f"line {number:,} is too long",
                       "max_line_length",
                       "A dictionary's lines are short; this looks like data or a damaged file.")


def longest_line(chunks: Iterable[bytes], stop: int | None = None,
                 separator: int = 10) -> tuple[int, int]:
    """(length in bytes, 1-based number) of the longest line (run of bytes between two
    `separator` bytes); stops once past `stop`."""
    import numpy as np

    longest, number, current_len, lines = 0, 1, 0, 0
    for chunk in chunks:
        ends = np.flatnonzero(np.frombuffer(chunk, np.uint8) == separator)
        if len(ends):
            lengths = np.diff(ends, prepend=-1)
            lengths[0] += current_len
            k = int(lengths.argmax())
            if lengths[k] - 1 > longest:
                longest, number = int(lengths[k]) - 1, lines + k + 1
            lines += len(ends)
            current_len = len(chunk) - 1 - int(ends[-1])
        else:
            current_len += len(chunk)
        if current_len > longest:
            longest, number = current_len, lines + 1
        if stop is not None and longest > stop:
            break
    return longest, number
