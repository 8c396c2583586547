"""Delimited text read with pyarrow.csv: every cell a string as written, only empty cells null.

The file is parsed multi-threaded straight into string columns (no per-value work in Python):
a large file in byte ranges cut at line ends, several per core, each on one thread (a cut that
falls inside a quoted value with a line break leaves a broken row, and the file is read again
whole).  A UTF-8 file is checked for valid UTF-8 as its strings are copied.
Files that are not UTF-8 are transcoded by pyarrow while parsing.  A UTF-8 file with invalid
bytes is read again as bytes: if it is really Windows-1252 it is re-read as such, otherwise the
few invalid bytes are replaced (with a warning).  Rows of uneven length in small files are
re-read in Python, padded rather than dropped.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ...errors import InputError
from ...limits import check_columns, current, exceeded
from ...model import Schema
from ...textio import decode_mixed, looks_binary, mixed_warning
from ..dataset import Dataset
from .lines import has_positions, read_fixed, read_whitespace
from ...parallel import cores, map_columns
from .sniff import (SAMPLE_BYTES, Layout, choose_encoding, column_names, has_header,
                    sample_lines, sniff_layout)

_UTF8 = ("utf-8", "utf-8-sig")
# a block and the values parsed from it stay in a core's cache while they are converted
# (larger blocks cost more CPU), and a large file has blocks enough for every core
_BLOCK_BYTES = 1 << 20
_PART_MIN_BYTES = 16 << 20   # a file is parsed in ranges of at least this size,
_PARTS_PER_CORE = 4           # several per core: a core held up elsewhere then parses fewer
_SPLITTABLE = (*_UTF8, "cp1252", "latin-1")   # every b"\n" byte ends a line
_FALLBACK_MAX_BYTES = 64 << 20   # rows of uneven length: re-read in Python up to this size
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def read_text(path: Path, filename: str, *, sheet=None, schema: Schema | None = None,
              header: bool | None = None, encoding: str | None = None,
              delimiter: str | None = None) -> Dataset:
    """Read delimited (or fixed-width) text; see the module docstring."""
    with path.open("rb") as fh:
        raw = fh.read(SAMPLE_BYTES)
    complete = len(raw) < SAMPLE_BYTES or path.stat().st_size == len(raw)
    enc = _normal(encoding) if encoding else choose_encoding(raw)
    text = sample_lines(raw.decode(enc, errors="replace").lstrip("\ufeff"), complete)
    if looks_binary(text):
        raise InputError(f"{filename} is a binary file, not delimited text: its first bytes are "
                         "mostly control characters. Upload the data as CSV/TSV, Excel, "
                         "Parquet, JSON, SPSS, Stata or SAS, with the matching extension.")
    if not text.strip():
        raise InputError(f"{filename} contains only blank lines: there is no data to read.")
    ds = Dataset(pa.table({}), filename, "csv", encoding=enc)
    layout = sniff_layout(text, Path(filename).suffix.lower(), _delimiter(delimiter))
    check_columns(filename, max(layout.width, len(layout.rows[0]) if layout.rows else 0))
    if schema is not None and has_positions(schema) and not delimiter and (
            layout.delimiter in (" ", "whitespace") or layout.width <= 1):
        return read_fixed(path, ds, schema, header=bool(header))
    ds.header = header if header is not None else has_header(layout.rows, schema)
    ds.delimiter = layout.delimiter
    if layout.delimiter == "whitespace":
        return read_whitespace(path, ds, schema, layout)
    first = layout.rows[0] if ds.header and layout.rows else None
    width = max(len(first or ()), layout.width, 1)
    names = column_names(first, width, schema, ds.warn)
    ds.format = "tsv" if layout.delimiter == "\t" else "csv"
    ds.table = _read_table(path, ds, layout, names)
    return ds


def _read_table(path: Path, ds: Dataset, layout: Layout, names: list[str]) -> pa.Table:
    """Parse with pyarrow; fall back to Python for small files whose rows are uneven."""
    invalid: list[pa.csv.InvalidRow] = []
    try:  # strings straight away, UTF-8 checked by the converter as it copies them
        table = _arrow_read(path, ds, layout, len(names), invalid, pa.string())
    except _NotUtf8:
        invalid.clear()
        table = _arrow_read(path, ds, layout, len(names), invalid, pa.binary())
    if invalid:
        if path.stat().st_size <= _FALLBACK_MAX_BYTES:
            return _python_read(path, ds, layout, names)
        ds.warn(f"{len(invalid)} rows have a different number of values than the "
                f"{len(names)} columns and were skipped, e.g. {invalid[0].text[:80]!r}.")
    columns = _as_strings(path, ds, table, layout)
    if columns is None:  # not UTF-8 after all: read again as Windows-1252 / Latin-1
        return _read_table(path, ds, layout, names)
    if columns is table:  # a new table of the same columns is validated chunk by chunk
        return table.rename_columns(names)
    return pa.table(columns, names=names)


class _NotUtf8(Exception):
    """Some value is not valid UTF-8: read the bytes, then decide what to do with them."""


def _arrow_read(path: Path, ds: Dataset, layout: Layout, width: int,
                invalid: list, cell_type: pa.DataType, block: int | None = None) -> pa.Table:
    internal = [f"c{i}" for i in range(width)]
    block = block or _BLOCK_BYTES
    utf8 = pa.types.is_string(cell_type) and ds.encoding in _UTF8   # to be checked

    def parse(source, skip: bool, threads: bool, found: list) -> pa.Table:
        read = pacsv.ReadOptions(column_names=internal, skip_rows=int(skip),
                                 encoding="utf8" if ds.encoding in _UTF8 else ds.encoding,
                                 block_size=block, use_threads=threads)
        options = pacsv.ParseOptions(delimiter=layout.delimiter, quote_char='"',
                                     double_quote=True,
                                     newlines_in_values=layout.quoted_newlines,
                                     ignore_empty_lines=True,
                                     invalid_row_handler=lambda row: found.append(row) or "skip")
        convert = pacsv.ConvertOptions(column_types={c: cell_type for c in internal},
                                       null_values=[""], strings_can_be_null=True,
                                       check_utf8=utf8 and not isinstance(source, _FileRange))
        table = pacsv.read_csv(source, read_options=read, parse_options=options,
                               convert_options=convert)
        if utf8 and isinstance(source, _FileRange) and not source.ascii:
            _check_utf8(table)
        return table

    try:
        ranges = _ranges(path, ds, layout)
        if len(ranges) == 1:
            table = parse(path, bool(ds.header), True, invalid)
        else:
            table = _parse_ranges(path, ranges, bool(ds.header), parse, invalid)
    except pa.ArrowInvalid as exc:
        if "invalid UTF8" in str(exc):   # read the bytes, then decide (_as_strings)
            raise _NotUtf8 from None
        if "straddl" in str(exc):   # a row longer than a block: read in blocks of the bound
            longest = current().max_line_length
            if block < longest:
                return _arrow_read(path, ds, layout, width, invalid, cell_type, longest)
            raise exceeded(ds.filename, "a row runs on for longer than allowed (a very long "
                           "line, or a quote left open that runs to the end of the file)",
                           "max_line_length", "Check the quotes around that spot.") from None
        if not layout.quoted_newlines:
            layout.quoted_newlines = True
            return _arrow_read(path, ds, layout, width, invalid, cell_type, block)
        raise InputError(f"{ds.filename} could not be read as delimited text: "
                         f"{_first_line(exc)}") from None
    if invalid and not layout.quoted_newlines and any('"' in r.text for r in invalid):
        # a quoted value with a line break beyond the sample split its row: parse again
        layout.quoted_newlines = True
        invalid.clear()
        return _arrow_read(path, ds, layout, width, invalid, cell_type, block)
    return table


def _ranges(path: Path, ds: Dataset, layout: Layout) -> list[tuple[int, int]]:
    """The file's byte ranges to parse, several per core, cut at line ends; one range for
    a small file, when values may hold line breaks, or in an encoding where a b"\\n" byte
    need not end a line."""
    size = path.stat().st_size
    parts = min(cores() * _PARTS_PER_CORE, size // _PART_MIN_BYTES)
    if parts < 2 or layout.quoted_newlines or ds.encoding not in _SPLITTABLE:
        return [(0, size)]
    cuts = [0]
    with path.open("rb") as fh:
        for k in range(1, parts):
            fh.seek(size * k // parts)
            rest = fh.readline(_BLOCK_BYTES)
            if not rest.endswith(b"\n"):   # no line end near the cut: do not split there
                continue
            if cuts[-1] < fh.tell() < size:
                cuts.append(fh.tell())
    return list(zip(cuts, cuts[1:] + [size]))


def _parse_ranges(path: Path, ranges: list[tuple[int, int]], header: bool, parse,
                  invalid: list) -> pa.Table:
    """Parse the byte ranges on a thread per core, each range with Arrow's single-threaded
    reader: a thread converts the blocks it has just parsed while they are in its core's cache,
    and there is no task per block and column to schedule, as the multi-threaded reader has."""
    found: list[list] = [[] for _ in ranges]
    with path.open("rb") as fh:
        def one(i: int) -> pa.Table:
            return parse(_FileRange(fh.fileno(), *ranges[i]), header and i == 0, False, found[i])

        with ThreadPoolExecutor(max_workers=min(cores(), len(ranges))) as pool:
            tables = list(pool.map(one, range(len(ranges))))
    for rows in found:   # in file order, whatever order the threads met them in
        invalid.extend(rows)
    return pa.concat_tables(tables)


def _check_utf8(table: pa.Table) -> None:
    """Raise _NotUtf8 when some string of the table is not valid UTF-8."""
    try:
        table.validate(full=True)
    except pa.ArrowInvalid:
        raise _NotUtf8 from None


class _FileRange(io.RawIOBase):
    """Bytes start..end of an open file, read with pread (no shared file position, and the
    GIL let go while the kernel copies); `ascii` stays true while every byte read is ASCII
    (then the strings parsed from them are valid UTF-8, with no check value by value)."""

    def __init__(self, fd: int, start: int, end: int):
        super().__init__()
        self._fd, self._at, self._end = fd, start, end
        self.ascii = True

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = self._end - self._at if size < 0 else min(size, self._end - self._at)
        data = os.pread(self._fd, size, self._at)
        self._at += len(data)
        self.ascii = self.ascii and data.isascii()
        return data

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _as_strings(path: Path, ds: Dataset, table: pa.Table,
                layout: Layout) -> pa.Table | list | None:
    """The columns as UTF-8 strings (the table itself when they are already); None when the
    file turns out not to be UTF-8."""
    if not layout.skip_space and not any(pa.types.is_binary(t) for t in table.schema.types):
        return table
    cols = list(table.columns)
    if any(pa.types.is_binary(c.type) for c in cols):
        cols = map_columns(_utf8_or_none, cols)
    bad = [i for i, c in enumerate(cols) if c is None]
    if bad:
        if not _file_looks_utf8(path):
            ds.encoding = _single_byte_encoding(path)
            ds.warn(f"{ds.filename} is not UTF-8 throughout; it was read as "
                    f"{_ENCODING_NAMES.get(ds.encoding, ds.encoding)}.")
            return None
        for i in bad:
            cols[i] = _replace_invalid(table.column(i), ds)
    if layout.skip_space:
        cols = map_columns(_strip_leading_blanks, cols)
    return cols


def _utf8_or_none(col: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """A binary column as strings; None when some value is not valid UTF-8."""
    try:
        return col.cast(pa.string())
    except pa.ArrowInvalid:
        return None


def _replace_invalid(col: pa.ChunkedArray, ds: Dataset) -> pa.ChunkedArray:
    """Decode one column value by value (rare path): bytes that are not UTF-8 are read as
    Windows-1252 where that gives plausible text, else replaced with U+FFFD."""
    raw = col.to_pylist()
    values = [None if b is None else decode_mixed(b) for b in raw]
    bad = [v for v in values if v is not None and "\ufffd" in v]
    if bad:
        ds.warn(f"{len(bad)} value(s) in {ds.filename} contain bytes that are not valid UTF-8; "
                f"they were replaced by '\ufffd' (e.g. {bad[0]!r}). Re-save the file as UTF-8 "
                "to keep those characters.")
    if any(v is not None and "\ufffd" not in v and v != b.decode("utf-8", errors="replace")
           for v, b in zip(values, raw)):
        ds.warn(mixed_warning(ds.filename))
    return pa.chunked_array([pa.array(values, pa.string())])


def _strip_leading_blanks(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """`, value` -> `value`; a cell that was only blanks becomes empty, i.e. null."""
    trimmed = pc.utf8_ltrim(col, characters=" ")
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


# ---- encodings -------------------------------------------------------------------------------
_ENCODING_NAMES = {"cp1252": "Windows-1252 (cp1252)", "latin-1": "Latin-1 (ISO-8859-1)"}


def _file_looks_utf8(path: Path) -> bool:
    """Stream the whole file: are valid multi-byte characters at least a twentieth of the bad
    bytes?  (Then the bad ones are Windows-1252 text mixed in, or damage: see
    _replace_invalid; the bound is textio.is_mixed's.)"""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    bad = multibyte = 0
    with path.open("rb") as fh:
        while chunk := fh.read(8 << 20):
            text = decoder.decode(chunk)
            n_bad = text.count("\ufffd")
            bad += n_bad
            multibyte += len(text) - len(text.encode("ascii", "ignore")) - n_bad
    return multibyte >= 1 and multibyte * 20 >= bad


def _single_byte_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        while chunk := fh.read(8 << 20):
            if _CP1252_UNDEFINED.search(chunk):
                return "latin-1"
    return "cp1252"


def _normal(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"Unknown text encoding '{encoding}': use e.g. utf-8, cp1252 or "
                         "latin-1.") from None
    return {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "iso8859-1": "latin-1"}.get(name, name)


def _delimiter(delimiter: str | None) -> str | None:
    if delimiter is None:
        return None
    named = {"tab": "\t", "\\t": "\t", "space": " ", "whitespace": "whitespace"}
    d = named.get(delimiter.lower(), delimiter)
    if d != "whitespace" and len(d) != 1:
        raise InputError(f"The delimiter must be one character (or 'tab', 'whitespace'), "
                         f"not {delimiter!r}.")
    return d


# ---- uneven rows: Python fallback for small files --------------------------------------------
def _python_read(path: Path, ds: Dataset, layout: Layout, names: list[str]) -> pa.Table:
    """csv.reader over the decoded text; short rows padded, long rows widen the table."""
    text = path.read_bytes().decode(ds.encoding or "utf-8", errors="replace").lstrip("\ufeff")
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
                if any(r)]
    except csv.Error as exc:
        raise InputError(f"{ds.filename} could not be read as delimited text ({exc}): check "
                         "for an unclosed quote or stray control characters, or save it again "
                         "as CSV.") from None
    if ds.header and rows:
        rows = rows[1:]
    if layout.skip_space:
        rows = [[c.lstrip(" ") for c in r] for r in rows]
    width = max([len(names)] + [len(r) for r in rows])
    short = sum(len(r) < len(names) for r in rows)
    long = sum(len(r) > len(names) for r in rows)
    if short:
        ds.warn(f"{short} rows have fewer than {len(names)} values; the missing cells were "
                "left empty.")
    if long:
        ds.warn(f"{long} rows have more than {len(names)} values; the extra cells are in "
                "columns named column_N.")
    names = names + [f"column_{i}" for i in range(len(names) + 1, width + 1)]
    columns = [pa.array([(r[j] or None) if j < len(r) else None for r in rows], pa.string())
               for j in range(width)]
    return pa.table(columns, names=names)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
