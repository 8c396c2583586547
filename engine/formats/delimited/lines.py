"""Line-based text: fixed-width columns cut at dictionary positions, or blank-separated columns.

Both work on one Arrow array of lines with vectorised string kernels (slice, trim, split), so
no Python object is made per row.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ...model import Field, Schema
from ...textio import decode_mixed, mixed_warning
from ..dataset import Dataset
from .sniff import Layout, column_names, looks_utf8

_NULL = pa.scalar(None, pa.string())


def position(f: Field) -> tuple[int, int] | None:
    """A field's 1-based inclusive (start, end) from extras["position"], if it has one."""
    pos = f.extras.get("position")
    if not isinstance(pos, dict):
        return None
    try:
        start = int(pos["start"])
        end = int(pos["end"]) if pos.get("end") is not None else start + int(pos["width"]) - 1
    except (KeyError, TypeError, ValueError):
        return None
    return (start, end) if 1 <= start <= end else None


def has_positions(schema: Schema) -> bool:
    """True when at least one field says where its column sits in a fixed-width line."""
    return any(position(f) for f in schema.fields)


def read_fixed(path: Path, ds: Dataset, schema: Schema, *, header: bool = False) -> Dataset:
    """Cut each line at the schema's positions; values are trimmed, blank ones are null."""
    ds.format, ds.delimiter, ds.header = "fixed-width", None, header
    lines = _lines(path, ds)
    if header:
        lines = lines.slice(1)
    placed = [(f.name, position(f)) for f in schema.fields if position(f)]
    unplaced = [f.name for f in schema.fields if not position(f)]
    if unplaced:
        ds.warn(f"{len(unplaced)} dictionary fields have no column positions and were not "
                f"read: {', '.join(unplaced[:10])}{' …' if len(unplaced) > 10 else ''}")
    columns = [_blank_to_null(pc.utf8_slice_codeunits(lines, start - 1, end))
               for _, (start, end) in placed]
    last = max(end for _, (_, end) in placed)
    longest = pc.max(pc.utf8_length(pc.utf8_rtrim_whitespace(lines))).as_py() or 0
    if longest > last:
        ds.warn(f"Some lines are {longest} characters long but the dictionary's last column "
                f"ends at position {last}; the characters after it were not read.")
    ds.table = pa.table(columns, names=[name for name, _ in placed])
    return ds


def read_whitespace(path: Path, ds: Dataset, schema: Schema | None, layout: Layout) -> Dataset:
    """Columns separated by runs of blanks (aligned numbers, `german.data`-like files)."""
    ds.format, ds.delimiter = "whitespace", "whitespace"
    lines = _lines(path, ds)
    first = None
    if ds.header:
        first, lines = layout.rows[0], lines.slice(1)
    lists = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(lines))
    lengths = pc.list_value_length(lists)
    width = max(pc.max(lengths).as_py() or 0, len(first or ()))
    uneven = len(lines) - pc.sum(pc.equal(lengths, width)).as_py() if len(lines) else 0
    if uneven:
        ds.warn(f"{uneven} rows have fewer than {width} values; their last cells were left "
                "empty.")
    names = column_names(first, width, schema, ds.warn)
    columns = [pc.cast(pc.list_slice(lists, j, j + 1, return_fixed_size_list=True).flatten(),
                       pa.string()) for j in range(width)]
    ds.table = pa.table(columns, names=names)
    return ds


def _lines(path: Path, ds: Dataset) -> pa.Array:
    """The file's non-blank lines (line ends removed) as one string array."""
    data = path.read_bytes()
    text = _decode(data, ds)
    lines = pc.split_pattern(pa.array([text], pa.large_string()), "\n").flatten()
    lines = pc.utf8_rtrim(lines, characters="\r")
    keep = pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(lines)), 0)
    return pc.cast(lines.filter(keep), pa.string())


def _decode(data: bytes, ds: Dataset) -> str:
    enc = ds.encoding or "utf-8"
    text = data.decode(enc, errors="replace").lstrip("\ufeff")
    if enc.startswith("utf-8") and "\ufffd" in text and "\ufffd" not in data.decode(
            "utf-8", errors="ignore"):
        if not looks_utf8(data):
            ds.encoding = "cp1252"
            ds.warn(f"{ds.filename} is not UTF-8 throughout; it was read as Windows-1252.")
            return data.decode("cp1252", errors="replace")
        text = decode_mixed(data).lstrip("\ufeff")   # Windows-1252 mixed in, where plausible
        if "\ufffd" in text:
            ds.warn(f"{ds.filename} contains bytes that are not valid UTF-8; they were "
                    "replaced by '\ufffd'. Re-save the file as UTF-8 to keep those characters.")
        else:
            ds.warn(mixed_warning(ds.filename))
    return text


def _blank_to_null(values: pa.Array) -> pa.Array:
    trimmed = pc.cast(pc.utf8_trim_whitespace(values), pa.string())
    return pc.if_else(pc.equal(trimmed, ""), _NULL, trimmed)
