"""Looking at bytes before they are expanded: ZIP parts, XML prologs, JSON nesting, line lengths.

Every check reads the file (or a ZIP part) in chunks and keeps little of it, so a hostile file
is refused before the reader that would expand it runs:

    check_zip          parts' declared sizes, DTDs in their prologs, elements counted
    BoundedReader      a part's actual bytes counted as they are read (headers can lie)
    check_xml_prolog   an internal DTD subset (`<!DOCTYPE x [<!ENTITY ...>]>`) is refused
    json_shape         nesting of `[`/`{` and values outside strings, vectorised
    longest_line       the longest line, vectorised
    check_dictionary_file / check_dataset_file   the above, by what the file is
"""

from __future__ import annotations

import codecs
import io
import itertools
import zipfile
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

import numpy as np

from .errors import InputError, UnsafeContent
from .limits import current, exceeded, size_text

_CHUNK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_XML_SUFFIXES = (".xml", ".rels", ".vml")
# worksheets are streamed (datasets) or cut by regular expressions (dictionaries): their cells
# are counted; every other part is loaded whole, so its elements are counted
_SHEETS = ("xl/worksheets/",)


# ---- dispatch ----------------------------------------------------------------------------
def check_dictionary_file(path: Path, filename: str) -> None:
    """Refuse a dictionary file that would expand beyond the bounds (see the module doc)."""
    head = _head(path)
    if head.startswith(_ZIP_MAGIC):
        check_zip(path, filename)
        return
    if head.startswith((b"%PDF", b"\xd0\xcf\x11\xe0")) or b"%PDF-" in head[:1024]:
        return
    ext = Path(filename).suffix.lower()
    start = _text_start(head)
    if ext == ".xml" or start.startswith((b"<?xml", b"<!--", b"<!DOCTYPE", b"<!doctype")):
        check_xml_prolog(_file_chunks(path), filename)
        return
    if b"\x00" in start:
        return  # binary (SPSS, Stata, SAS …): read by its own reader, which is not line-based
    if ext in (".html", ".htm", ".xhtml") or start.startswith(b"<"):
        return
    if ext == ".json" or (ext not in (".yaml", ".yml") and start.startswith((b"{", b"["))):
        check_json(_file_chunks(path), filename)
        return
    if ext in (".yaml", ".yml"):
        return  # aliases and nesting are counted when it is loaded
    check_lines(_file_chunks(path), filename)


def check_dataset_file(path: Path, filename: str, kind: str) -> None:
    """Refuse a dataset file that would expand beyond the bounds, by reader kind."""
    if kind == "xlsx" and _head(path).startswith(_ZIP_MAGIC):
        check_zip(path, filename, cells_attr="max_cells")
    elif kind in ("json", "jsonl"):
        check_json(_file_chunks(path), filename, cells_attr="max_cells")


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(8192)


def _text_start(head: bytes) -> bytes:
    """The head without a BOM and leading blanks (UTF-16 turned into UTF-8)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif head.startswith(b"<\x00"):
        head = head.decode("utf-16-le", errors="ignore").encode("utf-8")
    return head.removeprefix(codecs.BOM_UTF8).lstrip()


def _file_chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


# ---- ZIP ---------------------------------------------------------------------------------
def check_zip(path: Path, filename: str, cells_attr: str = "max_dictionary_cells") -> None:
    """Every XML part: declared size within the bound, no DTD subset; the cells of all
    worksheets counted against `cells_attr`, and the parts that readers load whole counted
    in elements (two to a cell)."""
    limit = current().max_unzipped_size
    cells = _Count(filename, cells_attr)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return          # not an archive at all: the reader says so in its own words
    try:
        with zf:
            parts = [i for i in zf.infolist() if i.filename.lower().endswith(_XML_SUFFIXES)]
            for info in parts:
                if info.file_size > limit:
                    raise _too_big(filename, info.filename, info.file_size)
            for info in parts:
                with open_part(zf, info.filename, filename) as stream:
                    chunks = _stream_chunks(stream)
                    rest = itertools.chain([check_xml_prolog(chunks, filename, info.filename)],
                                           chunks)
                    if info.filename.startswith(_SHEETS):
                        cells.sheet(rest, info.filename)
                    else:
                        cells.elements(rest, info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError,
            RuntimeError, ValueError, zlib.error) as exc:
        raise damaged(filename, exc) from None


def damaged(filename: str, exc: BaseException) -> InputError:
    """The error for a ZIP-based file (XLSX, DOCX) that cannot be unpacked."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return InputError(f"{filename} is damaged and cannot be unpacked ({reason}). Open it in "
                      "the program that made it and save it again, or export it as CSV.")


def _too_big(filename: str, part: str, size: int | None = None) -> Exception:
    what = (f"its part {part} unpacks to {size_text(size)}" if size is not None
            else f"its part {part} unpacks to more than its size bound")
    return exceeded(filename, what, "max_unzipped_size",
                    "A file this inflated is damaged or built to exhaust memory; save the "
                    "sheet as CSV or split the document.")


class BoundedReader(io.RawIOBase):
    """A ZIP part's stream that counts the bytes it hands out and refuses more than the bound."""

    def __init__(self, raw: IO[bytes], filename: str, part: str) -> None:
        super().__init__()
        self.raw, self.filename, self.part = raw, filename, part
        self.left = current().max_unzipped_size
        self.seen = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(min(len(buffer), self.left + 1))
        self.seen += len(data)
        if len(data) > self.left:
            raise _too_big(self.filename, self.part)
        self.left -= len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_part(zf: zipfile.ZipFile, part: str, filename: str) -> io.BufferedReader:
    """A ZIP part opened for reading, its actual size bounded (see BoundedReader)."""
    return io.BufferedReader(BoundedReader(zf.open(part), filename, part), _CHUNK)


def read_part(zf: zipfile.ZipFile, part: str, filename: str) -> bytes:
    """A ZIP part's bytes, refused beyond the bound whatever its headers declare."""
    info = zf.getinfo(part)
    if info.file_size > current().max_unzipped_size:
        raise _too_big(filename, part, info.file_size)
    with open_part(zf, part, filename) as stream:
        return stream.read()


def _stream_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(1 << 20):
        yield chunk


class _Count:
    """Cells of a workbook's sheets (all of them, one bound per file) and elements of the
    parts parsed whole (each on its own), counted as the parts stream."""

    def __init__(self, filename: str, attr: str) -> None:
        self.filename, self.attr = filename, attr
        self.limit = getattr(current(), attr)
        self.cells = 0

    def sheet(self, chunks: Iterable[bytes], part: str) -> None:
        """Count `<c>` elements (prefixed or not) of a worksheet."""
        tail = b""
        for chunk in chunks:
            data = tail + chunk
            self.cells += sum(data.count(t) for t in (b"<c ", b"<c>", b":c ", b":c>"))
            tail = data[-2:]       # shorter than a tag: a tag cut by the chunk is counted once
            if self.cells > self.limit:
                raise exceeded(self.filename, f"its sheets hold too many cells (counted up to "
                               f"{part})", self.attr,
                               "Upload only the sheet you need, or save it as CSV.")

    def elements(self, chunks: Iterable[bytes], part: str) -> None:
        """Count elements of a part parsed whole (an element tree takes some 150 bytes an
        element): more than two per allowed cell is refused."""
        count = 0
        for chunk in chunks:
            count += (chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?")
                      - chunk.count(b"<!"))
            if count > 2 * self.limit:
                raise exceeded(self.filename, f"its part {part} holds too many XML elements "
                               "(two count as a cell)", self.attr, "Save the part you need on its own, or as CSV.")


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


def longest_line(chunks: Iterable[bytes], stop: int | None = None) -> tuple[int, int]:
    """(length in bytes, 1-based number) of the longest line; stops once past `stop`."""
    longest, number, current_len, lines = 0, 1, 0, 0
    for chunk in chunks:
        ends = np.flatnonzero(np.frombuffer(chunk, np.uint8) == 10)
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
