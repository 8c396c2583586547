"""Type inference on strings, vectorised: which values read as integers, numbers, booleans,
dates or datetimes (engine.values.grammar), and their numeric form (int64, float64, or µs since
1970 for dates).  The profile and the starter schema both infer through `detect`.

Inference runs on a column's *distinct* strings (weighted by their counts), so a million-row
column of 40 codes costs 40 parses.  `parse_column` is the fast path for a whole column that
parses completely (high-cardinality numbers and timestamps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .grammar import (DATE_FORMATS, DATE_HINT, NA_TOKENS, as_bool, booleans, has_boolean_word,
                      integers, leading_zeros, matches, numbers, strptime_strict, times,
                      trimmed)

_US = pa.timestamp("us")
_np_bool = as_bool


@dataclass
class Parsed:
    """How a set of distinct strings reads: the kind, which parse, and their numeric form."""

    kind: str                    # integer, number, boolean, date, datetime, time, string
    ok: np.ndarray               # bool per distinct value: parses as `kind`
    values: np.ndarray | None    # int64/float64 per distinct value (meaningless where not ok)
    fmt: str | None = None       # date/datetime format used


def na_mask(values: pa.Array) -> np.ndarray:
    """Which values are NA-like tokens."""
    return _np_bool(pc.is_in(values, value_set=NA_TOKENS))


def blank_mask(values: pa.Array) -> np.ndarray:
    """Which values are empty or only whitespace."""
    return _np_bool(pc.equal(pc.utf8_trim_whitespace(values), ""))


def detect(values: pa.Array, weights: np.ndarray, usable: np.ndarray) -> Parsed:
    """The kind most of the `usable` distinct values (weighted by `weights`) read as.

    A kind is accepted when at least half the rows conform and the values that do not are few
    (at most 3 distinct, or 1% of the distinct values): those are reported, not fatal.  Numbers
    written with a leading zero make the column codes (text); a column with `true`/`false`
    words is tried as booleans first (its `1`/`0` are then booleans too).
    """
    total = float(weights[usable].sum())
    if total <= 0:
        return _text(values)
    if has_boolean_word(values.filter(pa.array(usable))):
        boolean = _parse_boolean(values)
        if _accept(boolean, weights, usable, total):
            return boolean
    number = _parse_number(values)
    integer = _parse_integer(values)
    if _accept(integer, weights, usable, total):
        stray = usable & ~integer.ok
        if not (stray & number.ok).any():
            return _codes_unless_plain(integer, values, usable)
    if _accept(number, weights, usable, total):
        return _codes_unless_plain(number, values, usable)
    dated = _parse_dates(values, weights, usable)
    if dated is not None and _accept(dated, weights, usable, total):
        return dated
    timed = Parsed("time", *times(values))
    if _accept(timed, weights, usable, total):
        return timed
    return _text(values)


def _text(values: pa.Array) -> Parsed:
    return Parsed("string", np.zeros(len(values), bool), None)


def _codes_unless_plain(parsed: Parsed, values: pa.Array, usable: np.ndarray) -> Parsed:
    """Numbers, unless some is written with a leading zero: then codes (ZIP, FIPS, IDs)."""
    if leading_zeros(values.filter(pa.array(usable & parsed.ok))):
        return _text(values)
    return parsed


def _accept(p: Parsed, weights: np.ndarray, usable: np.ndarray, total: float) -> bool:
    ok = p.ok & usable
    if not ok.any() or weights[ok].sum() < 0.5 * total:
        return False
    stray = int((usable & ~p.ok).sum())
    return stray <= max(3, int(0.01 * usable.sum()))


# ---- per-kind parsers on distinct strings ----------------------------------------------------
def _parse_integer(values: pa.Array) -> Parsed:
    return Parsed("integer", *integers(values))


def _parse_number(values: pa.Array) -> Parsed:
    return Parsed("number", *numbers(values))


def _parse_boolean(values: pa.Array) -> Parsed:
    return Parsed("boolean", *booleans(values))


def _parse_dates(values: pa.Array, weights: np.ndarray, usable: np.ndarray) -> Parsed | None:
    """The date/datetime format that reads the most rows, if the values look like dates."""
    hint = matches(values, DATE_HINT) & usable
    if weights[hint].sum() < 0.5 * weights[usable].sum():
        return None
    best: Parsed | None = None
    best_rows = 0.0
    probe = trimmed(values.filter(pa.array(hint)).slice(0, 50))
    for kind, shape, fmt in DATE_FORMATS:
        if not pc.any(pc.match_substring_regex(probe, shape)).as_py():
            continue  # no value has this shape: skip the costly parse
        ok, nums = parse_dates(values, shape, fmt)
        rows = float(weights[ok & usable].sum())
        if rows > best_rows:
            best, best_rows = Parsed(kind, ok, nums, fmt), rows
    return best


def parse_dates(values: pa.Array, shape: str, fmt: str) -> tuple[np.ndarray, np.ndarray]:
    """(ok, µs since 1970) of the values that have `shape` and parse with `fmt`."""
    values = trimmed(values)
    ok = _np_bool(pc.match_substring_regex(values, shape))
    nums = np.zeros(len(values), np.int64)
    if not ok.any():
        return ok, nums
    picked = values.filter(pa.array(ok))
    parsed = _strict_parse(picked, fmt)
    valid = _np_bool(parsed.is_valid())
    nums[np.flatnonzero(ok)[valid]] = pc.cast(parsed.filter(parsed.is_valid()),
                                              pa.int64()).to_numpy()
    ok[np.flatnonzero(ok)[~valid]] = False
    return ok, nums


def _strict_parse(values: pa.Array, fmt: str) -> pa.Array:
    """Parse to timestamp[us]; values that do not parse (or name a day the month has not)
    become null."""
    if fmt.startswith("iso"):
        target = pa.timestamp("us", "UTC") if fmt == "iso-tz" else _US
        try:
            return pc.cast(pc.cast(values, target), _US) if fmt == "iso-tz" else pc.cast(
                values, target)
        except pa.ArrowInvalid:  # one bad value (2017-02-30): parse one by one, rarely
            return pa.array([_try_cast(v, target) for v in values.to_pylist()], _US)
    return pc.cast(strptime_strict(values, fmt), _US)


def _try_cast(v: str, target: pa.DataType):
    try:
        return pc.cast(pa.scalar(v), target).cast(_US).value
    except pa.ArrowInvalid:
        return None


# ---- whole-column fast path -------------------------------------------------------------------
def parse_column(col: pa.ChunkedArray, kind: str, fmt: str | None) -> np.ndarray | None:
    """The non-null values parsed into one numpy array, or None unless every value parses.

    integer -> int64, number -> float64, date -> int64 days, datetime -> int64 µs.  Parsed
    chunk by chunk (long chunks in pieces) into the one array: each piece's parse stays small
    (in cache, its memory reused) rather than a second column-sized array.
    """
    out = np.empty(len(col) - col.null_count, np.float64 if kind == "number" else np.int64)
    at = 0
    try:
        for chunk in _pieces(col):
            if len(chunk) == chunk.null_count:
                continue
            parsed = _parse_chunk(chunk, kind, fmt)
            if parsed is None:
                return None
            values = _numbers(parsed.drop_null() if parsed.null_count else parsed)
            out[at:at + len(values)] = values
            at += len(values)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if kind == "number" and not np.isfinite(out).all():
        return None  # "nan"/"inf" text: let the exact path report it
    return out


# the most values cast at once: a cast that fails takes Arrow time for every value it was
# given, so a long chunk (one read whole, a Python-read file) is cast in pieces and a column
# that does not parse is given up after one piece
_PIECE_ROWS = 1 << 16


def _pieces(col: pa.ChunkedArray):
    """The column's chunks, long ones cut (zero-copy) into pieces of `_PIECE_ROWS`."""
    for chunk in col.chunks:
        if len(chunk) <= _PIECE_ROWS:
            yield chunk
            continue
        for start in range(0, len(chunk), _PIECE_ROWS):
            yield chunk.slice(start, _PIECE_ROWS)


def parse_rows(col: pa.ChunkedArray, kind: str, fmt: str | None) -> pa.ChunkedArray:
    """The column parsed row by row, as int64/float64 Arrow with nulls (duplicate-row keys)."""
    parsed = _parse(col, kind, fmt)
    if kind in ("date", "datetime"):
        parsed = pc.cast(parsed.cast(pa.int32() if kind == "date" else pa.int64()), pa.int64())
    return parsed


def _parse(col: pa.ChunkedArray, kind: str, fmt: str | None) -> pa.ChunkedArray | None:
    """The column cast to int64/float64/date32/timestamp[us]; None if a value fails to parse
    (casts raise ArrowInvalid instead)."""
    if kind in ("integer", "number") or fmt == "iso":
        return pc.cast(col, _TARGETS[kind])
    chunks = [_parse_chunk(c, kind, fmt) for c in col.chunks]
    if any(c is None for c in chunks):
        return None
    return pa.chunked_array(chunks, _TARGETS[kind])


_TARGETS = {"integer": pa.int64(), "number": pa.float64(), "date": pa.date32(),
            "datetime": _US}


def _parse_chunk(chunk: pa.Array, kind: str, fmt: str | None) -> pa.Array | None:
    """One chunk cast as `_parse` casts a column; None if a value fails to parse."""
    if kind in ("integer", "number") or fmt == "iso":
        return pc.cast(chunk, _TARGETS[kind])
    stamps = strptime_strict(chunk, fmt)
    if stamps.null_count != chunk.null_count:
        return None
    return pc.cast(stamps, _TARGETS[kind]) if kind == "date" else stamps


def _numbers(chunk: pa.Array) -> np.ndarray:
    """A null-free chunk as int64/float64 numpy (dates as days, timestamps as µs)."""
    if pa.types.is_date32(chunk.type):
        return chunk.view(pa.int32()).to_numpy().astype(np.int64)
    if pa.types.is_timestamp(chunk.type):
        return chunk.view(pa.int64()).to_numpy()
    return chunk.to_numpy()


_POW10 = np.array([10 ** k for k in range(19)], np.int64)
# integers below which a value has one digit more than below the last: 10, 100 … 10^18 and,
# for negatives, -9, -99 …; then 0, below which every value has a minus sign
_STEPS = np.concatenate([_POW10[1:], 1 - _POW10[1:], [0]])


def canonical_integers(col: pa.ChunkedArray, uniq: np.ndarray, counts: np.ndarray,
                       suffix: int = 0) -> bool:
    """True when every integer is written exactly as its own spelling: no leading zeros, hex,
    sign or blanks ('0123', '0x1F', '+5', '-0'), followed by `suffix` characters ('.0': 2).

    Compares the column's total text length (read off the Arrow offsets, no pass over the data)
    with the length the distinct values (sorted) and their counts would take written plainly:
    any other spelling of an integer is longer.
    """
    if not len(uniq):
        return _text_bytes(col) == 0
    below = np.searchsorted(uniq, _STEPS)          # distinct values below each step
    if counts.strides == (0,):                      # all counts alike (every value distinct)
        weight = int(counts[0])
        total, under = weight * len(uniq), below * weight
    else:
        cum = np.concatenate([[0], np.cumsum(counts)])
        total, under = int(cum[-1]), cum[below]
    powers = len(_POW10) - 1
    # a digit each, one more per power of ten reached (either sign), a minus when negative
    plain = total + (total * powers - int(under[:powers].sum())) + int(under[powers:].sum())
    return plain + suffix * total == _text_bytes(col)


def _text_bytes(col: pa.ChunkedArray) -> int:
    """Total bytes of the non-null values of a string column."""
    if col.null_count:   # a null slot may span bytes (a value nulled by if_else)
        return pc.sum(pc.binary_length(col)).as_py() or 0
    total = 0
    for chunk in col.chunks:
        if len(chunk):
            offsets = string_offsets(chunk)
            total += int(offsets[-1]) - int(offsets[0])
    return total


def string_offsets(chunk: pa.Array) -> np.ndarray:
    """A string chunk's value offsets into its data buffer (len + 1 of them), read in place
    from where the chunk starts (a sliced chunk starts inside its buffers)."""
    width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
    return np.frombuffer(chunk.buffers()[1], width, len(chunk) + 1, width.itemsize * chunk.offset)


def point_zero_integers(col: pa.ChunkedArray) -> np.ndarray | None:
    """The non-null values as int64 when every one ends in '.0' and reads as a whole number a
    float holds exactly (a float column of whole numbers: '12.0', '-3.0'); None otherwise.

    Whether each is written plainly ('012.0', '+3.0', '-0.0', '.0' are not) is for
    `point_zero_plain` to say, from the distinct values.
    """
    if len(col) == col.null_count or not pc.all(pc.ends_with(col, ".0")).as_py():
        return None
    values = parse_column(col, "number", None)
    if values is None or not (-2.0 ** 53 < values.min() and values.max() < 2.0 ** 53):
        return None  # beyond 2^53 a float does not hold every integer exactly
    return values.astype(np.int64)


def point_zero_plain(col: pa.ChunkedArray, uniq: np.ndarray, counts: np.ndarray) -> bool:
    """Every value of a `point_zero_integers` column is its integer written plainly and '.0'.

    Any other spelling is longer (`canonical_integers`), except a zero written '.0', '-.0' or
    '+.0': so where zeros occur, they are counted as written.
    """
    if not canonical_integers(col, uniq, counts, suffix=2):
        return False
    at = int(np.searchsorted(uniq, 0))
    if at == len(uniq) or uniq[at] != 0:
        return True
    return pc.sum(pc.equal(col, "0.0")).as_py() == int(counts[at])
