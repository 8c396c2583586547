"""The lexicon of values written as text: what reads as an integer, a number, a boolean, a date
or a time, and the tokens that stand for no value (the decisions are in engine.values).

Patterns are RE2 (run inside Arrow); the helpers take and return Arrow/numpy arrays, so a
million-row column costs a few kernel passes and no Python loop.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Tokens that commonly stand for "no value".  The profile reports them as `na_like` rather
# than calling them missing: "NA" is also Namibia, North America, a REDCap code.
NA_TOKENS = pa.array(sorted({
    "NA", "N/A", "n/a", "na", "N.A.", "#N/A", "#NA", "NaN", "nan", "NAN", "NULL", "null", "Null",
    "None", "none", "NONE", "nil", "(null)", "?", ".", "-", "--", "missing", "Missing", "MISSING",
}), pa.string())

# blanks around a value are not part of it, for every type but text
INTEGER = r"^\s*[+-]?[0-9]+(\.0*)?\s*$"            # 12, +12, 007, ' 12 ', 3.0 (a whole number)
DECIMAL_INTEGER = r"^\s*[+-]?[0-9]+\s*$"             # the same without a zero fraction
NUMBER = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"   # 1.5, .5, 1e3, -2
# Table Schema's special numbers: a declared number may hold them, inference never reads a
# column as numbers on their account
SPECIAL_NUMBER = r"^\s*[+-]?(NaN|nan|INF|inf|Infinity)\s*$"
LEADING_ZERO = r"^\s*[+-]?0[0-9]"                    # 007, 01234: codes, when inferred
TRUE_WORDS = ("true", "True", "TRUE")
FALSE_WORDS = ("false", "False", "FALSE")
TRUE_VALUES = [*TRUE_WORDS, "1"]                     # Table Schema's defaults for a boolean
FALSE_VALUES = [*FALSE_WORDS, "0"]

# (kind, shape, strptime format or "iso"/"iso-tz" for a strict Arrow cast): the date and
# date-time spellings inference recognises, tried in this order
DATE_FORMATS = (
    ("date", r"^\d{4}-\d{2}-\d{2}$", "iso"),
    ("datetime", r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "iso"),
    ("datetime", r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$",
     "iso-tz"),
    ("date", r"^\d{4}-\d{1,2}-\d{1,2}$", "%Y-%m-%d"),
    ("datetime", r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}$", "%Y-%m-%d %H:%M"),
    ("datetime", r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{2}:\d{2}$", "%Y-%m-%d %H:%M:%S"),
    ("date", r"^\d{1,2}/\d{1,2}/\d{4}$", "%m/%d/%Y"),
    ("date", r"^\d{1,2}/\d{1,2}/\d{4}$", "%d/%m/%Y"),
    ("date", r"^\d{1,2}/\d{1,2}/\d{2}$", "%m/%d/%y"),
    ("date", r"^\d{1,2}/\d{1,2}/\d{2}$", "%d/%m/%y"),
    ("date", r"^\d{1,2}\.\d{1,2}\.\d{4}$", "%d.%m.%Y"),
    ("date", r"^\d{4}/\d{1,2}/\d{1,2}$", "%Y/%m/%d"),
    ("datetime", r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?$", "%m/%d/%Y %H:%M"),
    ("datetime", r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}$", "%m/%d/%Y %H:%M:%S"),
    ("datetime", r"^\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}(:\d{2})?$", "%d/%m/%Y %H:%M"),
)
DATE_HINT = r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}"
# Table Schema's default formats (what a declared date, datetime or time must look like)
ISO_DATE = r"^\s*\d{4}-\d{2}-\d{2}\s*$"
ISO_DATETIME = r"^\s*\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?\s*$"
TIME = r"^\s*([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:?\d{2})?\s*$"
YEAR = r"^\s*[+-]?\d{4}\s*$"
YEARMONTH = r"^\s*\d{4}-(0[1-9]|1[0-2])\s*$"

_NULL = pa.scalar(None, pa.string())


def matches(values: pa.Array, pattern: str) -> np.ndarray:
    """Which values match `pattern` (nulls never do)."""
    return as_bool(pc.match_substring_regex(values, pattern))


def trimmed(values: pa.Array) -> pa.Array:
    """The values without blanks around them."""
    return pc.utf8_trim_whitespace(values)


def integers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(ok, int64) of the values that are integers: digits with an optional sign, or a whole
    number written with a zero fraction; blanks around allowed.  Beyond int64: not ok."""
    ok = matches(values, INTEGER)
    nums = np.zeros(len(values), np.int64)
    if ok.any():
        picked = trimmed(values.filter(pa.array(ok)))
        try:
            nums[ok] = pc.cast(picked, pa.int64()).to_numpy()
        except pa.ArrowInvalid:       # '+5', '3.0' (or beyond int64): through a float
            floats = pc.cast(picked, pa.float64()).to_numpy()
            big = np.abs(floats) >= 2.0 ** 63
            if big.any():
                return np.zeros(len(values), bool), nums
            nums[ok] = _exact_ints(picked, floats)
    return ok, nums


def _exact_ints(picked: pa.Array, floats: np.ndarray) -> np.ndarray:
    """int64 of integer texts: exact where the float is (below 2**53), else by their digits."""
    out = floats.astype(np.int64)
    wide = np.abs(floats) >= 2.0 ** 53
    if wide.any():
        texts = picked.filter(pa.array(wide)).to_pylist()
        out[wide] = [int(t.split(".")[0]) for t in texts]
    return out


def numbers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(ok, float64) of the values that are finite decimal numbers (`1.5`, `.5`, `1e3`, `-2`);
    blanks around allowed, no decimal comma, no special values."""
    ok = matches(values, NUMBER)
    nums = np.zeros(len(values), np.float64)
    if ok.any():
        nums[ok] = pc.cast(trimmed(values.filter(pa.array(ok))), pa.float64()).to_numpy()
    return ok, nums


def booleans(values: pa.Array, true=TRUE_VALUES, false=FALSE_VALUES
             ) -> tuple[np.ndarray, np.ndarray]:
    """(ok, 1/0) of the values spelled as one of `true` or `false`; blanks around allowed."""
    bare = trimmed(values)
    is_true = as_bool(pc.is_in(bare, value_set=pa.array([str(v) for v in true], pa.string())))
    is_false = as_bool(pc.is_in(bare, value_set=pa.array([str(v) for v in false], pa.string())))
    return is_true | is_false, is_true.astype(np.int64)


def has_boolean_word(values: pa.Array) -> bool:
    """Some value is `true`/`false` in a spelling a boolean accepts ('0'/'1' alone are codes)."""
    words = pa.array([*TRUE_WORDS, *FALSE_WORDS], pa.string())
    return bool(pc.any(pc.is_in(trimmed(values), value_set=words)).as_py())


_TIME_PARTS = (r"^\s*(?P<h>[01]\d|2[0-3]):(?P<m>[0-5]\d):(?P<s>[0-5]\d)(?P<f>\.\d+)?"
               r"(?:Z|[+-]\d{2}:?\d{2})?\s*$")


def times(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(ok, µs since midnight) of the values written as times of day (`HH:MM:SS`, a fraction
    and a UTC offset allowed), as Table Schema's default time format reads them."""
    found = pc.extract_regex(values, _TIME_PARTS)
    ok = as_bool(found.is_valid())
    nums = np.zeros(len(values), np.int64)
    if ok.any():
        parts = found.filter(pa.array(ok))
        h, m, sec = (pc.cast(pc.struct_field(parts, k), pa.int64()).to_numpy() for k in "hms")
        frac = pc.cast(pc.binary_join_element_wise("0", pc.struct_field(parts, "f"), ""),
                       pa.float64()).to_numpy()
        nums[ok] = ((h * 60 + m) * 60 + sec) * 1_000_000 + np.round(frac * 1e6).astype(np.int64)
    return ok, nums


def leading_zeros(values: pa.Array) -> bool:
    """Some value is a number written with a leading zero ('01234', '007'), as codes are."""
    return bool(pc.any(pc.match_substring_regex(values, LEADING_ZERO)).as_py())


def strptime_strict(values: pa.Array, fmt: str, unit: str = "us") -> pa.Array:
    """Timestamps of the values parsed with `fmt` (blanks around allowed); a value that does
    not parse, or whose day or month strptime would roll over (2021-02-30 is not March 2nd),
    is null."""
    text = trimmed(values)
    stamps = pc.strptime(text, format=fmt, unit=unit, error_is_null=True)
    written = _written_parts(text, fmt)
    if written is None:
        return stamps
    same = None
    for part, extract in (("d", pc.day), ("m", pc.month)):
        if part in written:
            one = pc.equal(extract(stamps), written[part])
            same = one if same is None else pc.and_(same, one)
    return pc.if_else(pc.fill_null(same, False), stamps, pa.scalar(None, stamps.type))


_FIELDS = {"Y": r"\d{4}", "y": r"\d{2}", "m": r"\d{1,2}", "d": r"\d{1,2}", "H": r"\d{1,2}",
           "M": r"\d{1,2}", "S": r"\d{1,2}", "b": r"[A-Za-z]{3,}", "B": r"[A-Za-z]+",
           "p": r"[AaPp][Mm]", "f": r"\d+", "z": r"[+-]\d{2}:?\d{2}|Z"}


def _written_parts(text: pa.Array, fmt: str) -> dict[str, pa.Array] | None:
    """The day and month as written (int64 arrays), read with a pattern made from `fmt`;
    None when the format has neither a numeric day nor a numeric month."""
    if "%d" not in fmt and "%m" not in fmt:
        return None
    pattern, names, i = [], [], 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt) and fmt[i + 1] in _FIELDS:
            code = fmt[i + 1]
            if code in "dm" and code not in names:
                pattern.append(f"(?P<{code}>{_FIELDS[code]})")
                names.append(code)
            else:
                pattern.append(f"(?:{_FIELDS[code]})")
            i += 2
        else:
            pattern.append(re.escape(fmt[i]))
            i += 1
    found = pc.extract_regex(text, "^" + "".join(pattern))
    return {n: pc.cast(pc.struct_field(found, n), pa.int64()) for n in names}


def as_bool(arr) -> np.ndarray:
    """A boolean Arrow array as numpy, nulls as False."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return np.asarray(arr.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
