"""Type conformance of text columns, vectorised: which values are valid for a declared Table
Schema type, and their numbers (the check's reading of engine.values.grammar).

Values arrive as an Arrow string array with missing cells already null.  Each checker returns
`Parsed(ok, num)`: `ok` marks the values that conform to the field's Table Schema type, `num`
holds a number for range checks (dates and datetimes as seconds since 1970), NaN elsewhere.
A fast path casts the whole column at once; only when that fails are the values screened with
a regular expression (RE2, inside Arrow) to find the bad ones.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model import Field
from .grammar import (FALSE_VALUES, INTEGER, ISO_DATE, ISO_DATETIME, NUMBER, SPECIAL_NUMBER,
                      TIME, TRUE_VALUES, YEAR, YEARMONTH, booleans, strptime_strict, trimmed)

NULL = pa.scalar(None, pa.string())

# integer-valued decimals ("3.0") pass as integers: exports of numeric columns with gaps
# write them so, and the value is still a whole number
_INT = INTEGER
_NUM = f"{NUMBER}|{SPECIAL_NUMBER}"
_DATE = ISO_DATE
_DATETIME = ISO_DATETIME
_DATETIME_ANY = (r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
                 r"\s*([AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?)?\s*$|"
                 r"^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}([T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
                 r"\s*([AaPp][Mm])?)?\s*$")
_DURATION = (r"^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_STRING_FORMATS = {
    "email": r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    "uri": r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$",
    "uuid": r"^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$",
    "binary": r"^[A-Za-z0-9+/]*={0,2}$",
}
_GEOPOINT = r"^\s*[+-]?\d+(\.\d+)?\s*,\s*[+-]?\d+(\.\d+)?\s*$"
_ANY_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y", "%d-%m-%Y",
                     "%d %b %Y", "%b %d %Y", "%d-%b-%Y", "%Y%m%d")


@dataclass
class Parsed:
    """Which values conform (`ok`), and their numbers for ranges (`num`, NaN elsewhere)."""

    ok: np.ndarray
    num: np.ndarray | None = None


def type_label(ftype: str) -> str:
    """How a violation message names the type: 'an integer', 'a date'."""
    article = "an" if ftype[:1] in "aeiou" else "a"
    return f"{article} {ftype}"


def parse_values(text: pa.Array, field: Field) -> Parsed | None:
    """Check `text` (missing cells null) against the field's type; None for unchecked types."""
    checker = _CHECKERS.get(field.type)
    if checker is None:
        return None
    return checker(text, field)


def _np(arr: pa.Array) -> np.ndarray:
    return arr.to_numpy(zero_copy_only=False)


def _valid(arr: pa.Array) -> np.ndarray:
    """True where not null."""
    return _np(pc.is_valid(arr))


def _regex_ok(text: pa.Array, pattern: str) -> np.ndarray:
    return _np(pc.fill_null(pc.match_substring_regex(text, pattern), False))


def _floats(arr: pa.Array) -> np.ndarray:
    return _np(arr.cast(pa.float64())).astype(np.float64, copy=False)


_CAST_ERRORS = (pa.ArrowInvalid, pa.ArrowNotImplementedError)
_FAILED_VALUE = re.compile(r"^Failed to parse string: '(.*)' as a scalar of type ", re.S)
_MAX_BAD_VALUES = 8


def _fast_then_slow(text: pa.Array, fast: Callable[[pa.Array], Parsed],
                    slow: Callable[[pa.Array], Parsed]) -> Parsed:
    """`fast` (one cast over the column), else `slow` (a regex screen of every value).

    A column with only a few distinct bad values ('x12', 'yesterday') stays on the fast path:
    Arrow names the value that broke the cast, so that value is set aside (it is a type
    violation) and the cast is tried again, up to _MAX_BAD_VALUES times.
    """
    bad: list[str] = []
    current = text
    for _ in range(_MAX_BAD_VALUES + 1):
        try:
            parsed = fast(current)
        except _CAST_ERRORS as exc:
            value = _failed_value(exc)
            if value is None or value in bad or len(bad) == _MAX_BAD_VALUES:
                return slow(text)
            bad.append(value)
            current = pc.if_else(pc.is_in(text, pa.array(bad, pa.string())), NULL, text)
            continue
        return _rescue(text, parsed, bad, slow) if bad else parsed
    return slow(text)


def _rescue(text: pa.Array, parsed: Parsed, bad: list[str],
            slow: Callable[[pa.Array], Parsed]) -> Parsed:
    """Values the cast refused but the type accepts (' 12', '3.0' for an integer) are valid."""
    second = slow(pa.array(bad, pa.string()))
    good = [i for i, ok in enumerate(second.ok) if ok]
    if not good:
        return parsed
    where = _np(pc.fill_null(pc.index_in(text, pa.array([bad[i] for i in good])), -1))
    hit = where >= 0
    ok = parsed.ok | hit
    if parsed.num is None or second.num is None:
        return Parsed(ok, parsed.num)
    nums = second.num[good]
    return Parsed(ok, np.where(hit, nums[np.maximum(where, 0)], parsed.num))


def _failed_value(exc: Exception) -> str | None:
    m = _FAILED_VALUE.match(str(exc))
    return m.group(1) if m else None


def _integer(text: pa.Array, field: Field) -> Parsed:
    def fast(piece: pa.Array) -> Parsed:
        num = pc.cast(piece, pa.int64())
        # Arrow also reads '0x1F' (only with that prefix) as hexadecimal; Table Schema does not
        if pc.any(pc.starts_with(piece, "0x")).as_py() or \
                pc.any(pc.starts_with(piece, "0X")).as_py():
            raise pa.ArrowInvalid("hexadecimal")
        return Parsed(_valid(num), _floats(num))

    def slow(piece: pa.Array) -> Parsed:
        ok = _regex_ok(piece, _INT)
        return Parsed(ok, _cast_float(piece, ok))
    return _fast_then_slow(text, fast, slow)


def _cast_float(text: pa.Array, ok: np.ndarray) -> np.ndarray:
    """Floats of the values marked ok (they are known to parse), NaN elsewhere."""
    clean = pc.if_else(pa.array(ok), pc.utf8_trim_whitespace(text), NULL)
    return _floats(pc.cast(clean, pa.float64()))


def _number(text: pa.Array, field: Field) -> Parsed:
    def fast(piece: pa.Array) -> Parsed:
        num = pc.cast(piece, pa.float64())
        return Parsed(_valid(num), _floats(num))

    def slow(piece: pa.Array) -> Parsed:
        ok = _regex_ok(piece, _NUM)
        return Parsed(ok, _cast_float(piece, ok))
    return _fast_then_slow(_number_text(text, field), fast, slow)


def _number_text(text: pa.Array, field: Field) -> pa.Array:
    """Apply Table Schema's groupChar, decimalChar and bareNumber=false to the text."""
    group, decimal = field.extras.get("groupChar"), field.extras.get("decimalChar")
    if field.extras.get("bareNumber") is False:
        text = pc.replace_substring_regex(text, r"^[^\d+\-.]+|[^\d.]+$", "")
    if group:
        text = pc.replace_substring(text, str(group), "")
    if decimal and decimal != ".":
        text = pc.replace_substring(text, str(decimal), ".")
    return text


def _boolean(text: pa.Array, field: Field) -> Parsed:
    true = field.extras.get("trueValues") or TRUE_VALUES
    false = field.extras.get("falseValues") or FALSE_VALUES
    ok, ones = booleans(text, true, false)
    return Parsed(ok, np.where(ok, ones.astype(np.float64), np.nan))


def _date(text: pa.Array, field: Field) -> Parsed:
    fmt = field.format
    if fmt not in (None, "", "default"):
        formats = _ANY_DATE_FORMATS if fmt == "any" else (_py_format(fmt),)
        return _any_strptime(text, formats)

    def slow(piece: pa.Array) -> Parsed:
        return _strict_strptime(piece, _regex_ok(piece, _DATE), "%Y-%m-%d")
    return _fast_then_slow(text, lambda piece: _seconds(pc.cast(piece, pa.date32())), slow)


def _datetime(text: pa.Array, field: Field) -> Parsed:
    fmt = field.format
    if fmt == "any":
        ok = _regex_ok(text, _DATETIME_ANY)
        return Parsed(ok, np.full(len(text), np.nan))
    if fmt not in (None, "", "default"):
        return _any_strptime(text, (_py_format(fmt),))
    return _fast_then_slow(text, _datetime_fast, _datetime_slow)


def _datetime_fast(piece: pa.Array) -> Parsed:
    """Arrow's ISO 8601 parser reads 'T' or ' ' and fractions; the length check requires
    the seconds, as Table Schema's default format does."""
    ts = pc.cast(piece, pa.timestamp("us"))
    ok = _valid(ts) & _np(pc.fill_null(pc.greater_equal(pc.binary_length(piece), 19), False))
    return Parsed(ok, np.where(ok, _floats(pc.cast(ts, pa.int64())) / 1e6, np.nan))


def _datetime_slow(piece: pa.Array) -> Parsed:
    ok = _regex_ok(piece, _DATETIME)
    head = pc.if_else(pa.array(ok), pc.utf8_slice_codeunits(trimmed(piece), 0, 19), NULL)
    try:
        return Parsed(ok, _seconds(pc.cast(head, pa.timestamp("s"))).num)
    except _CAST_ERRORS:
        head = pc.replace_substring(head, "T", " ")
        return _strict_strptime(head, ok, "%Y-%m-%d %H:%M:%S")


def _seconds(values: pa.Array) -> Parsed:
    """Parsed from a date32/timestamp array: ok where not null, seconds since 1970."""
    secs = pc.cast(pc.cast(values, pa.timestamp("s")), pa.int64())
    return Parsed(_valid(values), _floats(secs))


def _strict_strptime(text: pa.Array, ok: np.ndarray, fmt: str) -> Parsed:
    """strptime of the values marked ok, refusing days it would roll over (2021-02-30 is
    not March 2nd): engine.values.grammar.strptime_strict."""
    text = pc.if_else(pa.array(ok), text, NULL)          # the rest failed the regex already
    ts = strptime_strict(text, fmt, unit="s")
    ok = ok & _valid(ts)
    secs = _floats(pc.cast(ts, pa.int64()))
    return Parsed(ok, np.where(ok, secs, np.nan))


def _any_strptime(text: pa.Array, formats: tuple[str, ...]) -> Parsed:
    ok = np.zeros(len(text), dtype=bool)
    num = np.full(len(text), np.nan)
    for fmt in formats:
        ts = strptime_strict(text, fmt, unit="s")
        hit = _valid(ts) & ~ok
        num = np.where(hit, _floats(pc.cast(ts, pa.int64())), num)
        ok |= hit
    return Parsed(ok, num)


def _py_format(fmt: str) -> str:
    """Table Schema v1 allowed 'fmt:%d/%m/%Y'; strip the prefix."""
    return fmt[4:] if fmt.startswith("fmt:") else fmt


def _regex_type(pattern: str, numeric: bool = False) -> Callable[[pa.Array, Field], Parsed]:
    def check(text: pa.Array, field: Field) -> Parsed:
        ok = _regex_ok(text, pattern)
        return Parsed(ok, _cast_float(text, ok) if numeric else None)
    return check


def _string(text: pa.Array, field: Field) -> Parsed | None:
    pattern = _STRING_FORMATS.get(field.format or "")
    if pattern is None:
        return None
    return Parsed(_regex_ok(text, pattern))


def _json_like(opener: str) -> Callable[[pa.Array, Field], Parsed]:
    def check(text: pa.Array, field: Field) -> Parsed:
        return Parsed(_regex_ok(text, r"^\s*" + re.escape(opener)))
    return check


_CHECKERS: dict[str, Callable[[pa.Array, Field], Parsed | None]] = {
    "integer": _integer,
    "number": _number,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
    "time": _regex_type(TIME),
    "year": _regex_type(YEAR, numeric=True),
    "yearmonth": _regex_type(YEARMONTH),
    "duration": lambda t, f: Parsed(_regex_ok(t, _DURATION) & _np(pc.fill_null(
        pc.not_equal(t, "P"), False))),
    "geopoint": _regex_type(_GEOPOINT),
    "string": _string,
    "object": _json_like("{"),
    "array": _json_like("["),
    "geojson": _json_like("{"),
}


def bound_number(value: Any, ftype: str) -> float | None:
    """A minimum/maximum constraint as a number comparable with Parsed.num, or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if ftype in ("date", "datetime"):
        try:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.timestamp()
    try:
        return float(text)
    except ValueError:
        return None
