"""Looking at bytes before they are expanded: ZIP parts, XML prologs, JSON nesting, line lengths.

Every check reads the file (or a ZIP part) in chunks and keeps little of it, so a hostile file
is refused before the reader that would expand it runs:

    check_dictionary_file / check_dataset_file   the checks below, by what the file is
    check_zip          parts' declared sizes, DTDs in their prologs, cells and elements counted
    BoundedReader      a part's actual bytes counted as they are read (headers can lie)
    engine.scans       XML prologs (DTD subsets refused), JSON nesting and values, line lengths
"""

from __future__ import annotations

import codecs
import io
import itertools
import zipfile
import zlib
from pathlib import Path
from typing import IO, Iterable, Iterator

from .errors import InputError
from .limits import current, exceeded, size_text
from .scans import check_json, check_lines, check_xml_prolog

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
    """Refuse a dataset file that would expand beyond the bounds, by reader kind (workbooks:
    see formats.sheets.data, which knows which sheet it reads)."""
    if kind in ("json", "jsonl"):
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
def check_zip(path: Path, filename: str,
              cells_attr: str = "max_dictionary_cells") -> dict[str, int]:
    """Every XML part: declared size within the bound, no DTD subset; the parts that readers
    load whole counted in elements (two to a cell of `cells_attr`).  Returns the cells of
    each worksheet part (counted up to one past the bound), for the reader to refuse the
    sheet it is about to read."""
    limit = current().max_unzipped_size
    cells = _Count(filename, cells_attr)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return {}       # not an archive at all: the reader says so in its own words
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
    return cells.sheets


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
    """Cells of each worksheet and elements of each part parsed whole, counted as the parts
    stream."""

    def __init__(self, filename: str, attr: str) -> None:
        self.filename, self.attr = filename, attr
        self.limit = getattr(current(), attr)
        self.sheets: dict[str, int] = {}

    def sheet(self, chunks: Iterable[bytes], part: str) -> None:
        """Count `<c>` elements (prefixed or not) of a worksheet, up to one past the bound."""
        tail, count = b"", 0
        for chunk in chunks:
            data = tail + chunk
            count += sum(data.count(t) for t in (b"<c ", b"<c>", b":c ", b":c>"))
            tail = data[-2:]       # shorter than a tag: a tag cut by the chunk is counted once
            if count > self.limit:
                break
        self.sheets[part] = count

    def elements(self, chunks: Iterable[bytes], part: str) -> None:
        """Count elements of a part parsed whole (an element tree takes some 150 bytes an
        element): more than two per allowed cell is refused."""
        count = 0
        for chunk in chunks:
            count += (chunk.count(b"<") - chunk.count(b"</") - chunk.count(b"<?")
                      - chunk.count(b"<!"))
            if count > 2 * self.limit:
                raise exceeded(self.filename, f"its part {part} holds too many XML elements "
                               "(two count as a cell)", self.attr,
                               "Save the part you need on its own, or as CSV.")
