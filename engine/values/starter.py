"""A starter dictionary drafted from the data alone (the check's schema when no dictionary is
given): the narrowest type that reads nearly all of a column, its observed range, a code list
for columns with few distinct values, for the user to edit and upload again as the dictionary.

Types come from the one value grammar (engine.values): a type is kept when at least 95% of the
non-empty values conform to it as the check reads them (`conform.parse_values`); a date or
date-time written in a spelling other than ISO 8601 is kept with its format (`%m/%d/%Y`), found
by the same inference as the profile's (`infer.detect`).  Numbers written with a leading zero
are codes (text); `0`/`1` alone are codes, not booleans.  NA-like tokens (`NA`, `NULL`, `?`) in a
column that gets a type are declared its missing values, so that the check counts them as the
profile does (missing-like, not wrong).  A column mostly, but not 95%, of one type stays text
and says so in its description.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model import Category, Field, Schema
from .conform import parse_values
from .grammar import NA_TOKENS, has_boolean_word, leading_zeros
from .infer import detect

MAX_CODES = 20              # at most this many distinct values make a code list
_TYPE_ORDER = ("boolean", "integer", "number", "date", "datetime", "time", "yearmonth")
_PLURALS = {"boolean": "booleans", "integer": "integers", "number": "numbers", "date": "dates",
            "datetime": "date-times", "time": "times", "yearmonth": "year-months"}
_FIT = 0.95                 # a type fits when it reads this share of the non-empty values


def infer_schema(table: Any, *, missing_values: list[str] | None = None) -> Schema:
    """A starter Table Schema inferred from the data (types, ranges, small code lists)."""
    from ..validation.column import as_text
    from ..validation.run import to_arrow

    table = to_arrow(table)
    fields = [infer_field(name, as_text(table.column(name)), missing_values or [""])
              for name in table.column_names]
    return Schema(fields=fields, missing_values=missing_values,
                  extras={"description": "Starter dictionary inferred from the data; "
                                         "check types, ranges and code lists before relying "
                                         "on it."})


def infer_field(name: str, text: pa.Array, missing_values: list[str]) -> Field:
    """One column's field: type, range, code list, required/unique when the data shows it."""
    missing = pc.or_(pc.is_null(text), pc.is_in(text, pa.array(missing_values, pa.string())))
    missing = pc.fill_null(missing, True)
    values = pc.filter(text, pc.invert(missing))
    n_values = len(values)
    field = Field(name=name, type="string" if n_values else "any")
    if not n_values:
        field.description = "Every value is empty in the data."
        return field
    field.type, field.format, parsed_num, mixed = best_type(values)
    if mixed:
        field.description = mixed
    distinct = pc.unique(values)
    if field.type in ("integer", "number") and parsed_num is not None:
        finite = parsed_num[np.isfinite(parsed_num)]
        if len(finite):
            field.constraints["minimum"] = _plain(finite.min(), field.type)
            field.constraints["maximum"] = _plain(finite.max(), field.type)
    if field.type in ("integer", "number") and leading_zeros(distinct):
        field.type, parsed_num = "string", None     # ZIP codes, FIPS, IDs: codes, not numbers
        field.extras["sourceType"] = "digits with leading zeros"
    tokens = _na_tokens(distinct) if field.type != "string" else []
    field.missing_values = [Category(t) for t in tokens]
    if len(distinct) <= MAX_CODES and len(distinct) * 2 <= n_values and \
            field.type in ("string", "integer"):
        codes = [v for v in distinct.to_pylist() if v not in tokens]
        field.categories = [Category(v) for v in _sorted_codes(codes, field.type)]
    if n_values == len(text) and not tokens:
        field.constraints["required"] = True
    if len(distinct) == n_values == len(text) and n_values >= 10 and \
            field.type in ("integer", "string"):
        field.constraints["unique"] = True
    return field


def best_type(values: pa.Array) -> tuple[str, str | None, np.ndarray | None, str | None]:
    """(type, format, numbers, mixed): the first type in _TYPE_ORDER that reads at least 95%
    of the values, else string.  `mixed` describes a column most, but not 95%, of one type."""
    n = len(values)
    best: tuple[str, np.ndarray] | None = None
    for ftype, fmt in _candidates(values):
        parsed = parse_values(values, Field("probe", type=ftype, format=fmt))
        if parsed is None:
            continue
        share = np.count_nonzero(parsed.ok) / n
        if share >= _FIT:
            return ftype, fmt, parsed.num, None
        if share >= 0.5 and (best is None or share > np.count_nonzero(best[1]) / n):
            best = (ftype, parsed.ok)
    if best is None:
        return "string", None, None, None
    ftype, ok = best
    bad = pc.unique(pc.filter(values, pa.array(~ok))).to_pylist()[:3]
    return "string", None, None, (f"Mixed types: {np.count_nonzero(ok):,} of {n:,} values are "
                                  f"{_PLURALS[ftype]}, others are not (e.g. "
                                  + ", ".join(repr(v) for v in bad) + ").")


def _candidates(values: pa.Array):
    """(type, format) to try, in order: booleans only when a value is a boolean word; a date
    spelling other than ISO (as inference reads it) after the ISO dates."""
    for ftype in _TYPE_ORDER:
        if ftype == "boolean" and not has_boolean_word(values):
            continue
        yield ftype, None
        if ftype == "datetime":
            spelled = _date_spelling(values)
            if spelled is not None:
                yield spelled


def _date_spelling(values: pa.Array) -> tuple[str, str] | None:
    """(date or datetime, strptime format) of a column of dates not written in ISO 8601."""
    vc = pc.value_counts(values)
    distinct, counts = vc.field("values"), vc.field("counts").to_numpy()
    parsed = detect(distinct, counts.astype(np.float64), np.ones(len(distinct), bool))
    if parsed.kind in ("date", "datetime") and parsed.fmt and not parsed.fmt.startswith("iso"):
        return parsed.kind, parsed.fmt
    return None


def _na_tokens(distinct: pa.Array) -> list[str]:
    """The NA-like tokens among the distinct values, in their order."""
    return pc.filter(distinct, pc.is_in(distinct, value_set=NA_TOKENS)).to_pylist()


def _sorted_codes(values: list[str], ftype: str) -> list[str]:
    if ftype == "integer":
        try:
            return sorted(values, key=lambda v: float(v))
        except ValueError:
            pass
    return sorted(values)


def _plain(x: float, ftype: str) -> int | float:
    return int(x) if ftype == "integer" or float(x).is_integer() else float(x)
