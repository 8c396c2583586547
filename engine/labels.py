"""Value labels and starter dictionaries.

`apply_labels` replaces codes by their labels ('1' -> 'Male', '9' -> 'Refused') column by
column with one vectorised lookup each.  `infer_schema` drafts a Table Schema from the data
alone: the narrowest type that fits the values, observed ranges, and a code list for columns
with few distinct values, for the user to edit and upload again as the dictionary.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .match import Matching, match_columns
from .model import Category, Field, Schema
from .validation.column import as_text
from .validation.run import to_arrow
from .validation.types import parse_values

MAX_CODES = 20              # at most this many distinct values make a code list
_TYPE_ORDER = ("boolean", "integer", "number", "date", "datetime", "time", "yearmonth")
_PLURALS = {"boolean": "booleans", "integer": "integers", "number": "numbers", "date": "dates",
            "datetime": "date-times", "time": "times", "yearmonth": "year-months"}
_FIT = 0.95                 # a type fits when it reads this share of the non-empty values


def apply_labels(table: Any, schema: Schema, matching: Matching | None = None, *,
                 typed: bool = False) -> pa.Table:
    """The table with each coded column's codes replaced by their labels (others unchanged,
    as text).  `typed` (for Parquet): only code lists are labelled, and a column that holds
    nothing but numbers besides its missing cells (declared markers, missing codes) is an
    integer or float column, missing cells null."""
    table = to_arrow(table)
    if matching is None:
        matching = match_columns(table.column_names, schema)
    by_name = {f.name: f for f in schema.fields}
    schema_missing = list(schema.missing_values) if schema.missing_values is not None else [""]
    columns = []
    for name in table.column_names:
        f = by_name.get(matching.field_of(name) or "")
        text = as_text(table.column(name))
        code = next((p.code for p in matching.pairs if p.column == name), None)
        if code is not None:
            columns.append(text)
        elif typed and not (f is not None and any(c.label for c in f.categories)):
            columns.append(_typed_column(text, f, schema_missing))
        else:
            columns.append(_label_column(text, f) if f is not None else text)
    return pa.table(columns, names=table.column_names)


_NUMERIC = {"integer": pa.int64(), "year": pa.int64(), "number": pa.float64()}


def _typed_column(text: pa.Array, f: Field | None, schema_missing: list[str]
                  ) -> pa.Array | pa.ChunkedArray:
    """A column of numbers when every value besides missing cells is one (the field's type;
    for a column without a field or of type any, integer then number, unless written with
    leading zeros as codes are), else the text as it is."""
    declared = f.type if f is not None else "any"
    if declared not in _NUMERIC and declared != "any":
        return text
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    missing = [m.value for m in f.missing_values] if f is not None else []
    codes = [v for v in dict.fromkeys(missing + schema_missing)]
    values = pc.if_else(pc.fill_null(pc.is_in(text, pa.array(codes, pa.string())), False),
                        pa.scalar(None, pa.string()), text)
    if not pc.sum(pc.is_valid(values)).as_py():
        return text
    if declared == "any" and _leading_zeros(pc.unique(pc.drop_null(values))):
        return text
    for ftype in ((declared,) if declared != "any" else ("integer", "number")):
        out = _as_numbers(values, ftype)
        if out is not None:
            return out
    return text


def _as_numbers(values: pa.Array, ftype: str) -> pa.Array | None:
    """`values` (text, nulls for missing) as numbers of `ftype`, or None when one is not."""
    try:                                       # exact for big integers (IDs)
        return pc.cast(values, _NUMERIC[ftype])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    parsed = parse_values(values, Field("probe", type=ftype))
    valid = to_numpy_bool(pc.is_valid(values))
    if parsed is None or parsed.num is None or not parsed.ok[valid].all():
        return None
    num = np.where(valid, parsed.num, 0.0)
    if ftype != "number":
        if not np.all(np.isfinite(num)) or np.any(num != np.floor(num)):
            return None
        return pa.array(num.astype(np.int64), pa.int64(), mask=~valid)
    return pa.array(num, pa.float64(), mask=~valid)


def to_numpy_bool(arr: Any) -> np.ndarray:
    """A boolean Arrow array (or chunks) as numpy."""
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def _label_column(text: pa.Array, f: Field) -> pa.Array:
    """Codes (and missing-value codes) replaced by labels, by text or by numeric value."""
    pairs = [(c.value, c.label) for c in f.categories + f.missing_values if c.label]
    if not pairs:
        return text
    codes = pa.array([v for v, _ in pairs], pa.string())
    labels = pa.array([lab for _, lab in pairs], pa.string())
    pos = pc.index_in(text, value_set=codes)
    if f.type in ("integer", "number") and pc.sum(pc.is_null(pos)).as_py():
        # '1.0' in the data is code '1' of the dictionary
        nums = _numbers([v for v, _ in pairs])
        if nums is not None:
            parsed = pc.cast(pc.if_else(pc.match_substring_regex(
                text, r"^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$"), text, None), pa.float64())
            pos = pc.coalesce(pos, pc.index_in(parsed, value_set=pa.array(nums)))
    return pc.coalesce(labels.take(pos), text)


def _numbers(values: list[str]) -> list[float] | None:
    try:
        return [float(v) for v in values]
    except ValueError:
        return None


def infer_schema(table: Any, *, missing_values: list[str] | None = None) -> Schema:
    """A starter Table Schema inferred from the data (types, ranges, small code lists)."""
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
    field.type, parsed_num, mixed = _best_type(values)
    if mixed:
        field.description = mixed
    distinct = pc.unique(values)
    if field.type in ("integer", "number") and parsed_num is not None:
        finite = parsed_num[np.isfinite(parsed_num)]
        if len(finite):
            field.constraints["minimum"] = _plain(finite.min(), field.type)
            field.constraints["maximum"] = _plain(finite.max(), field.type)
    if field.type in ("integer", "number") and _leading_zeros(distinct):
        field.type, parsed_num = "string", None     # ZIP codes, FIPS, IDs: codes, not numbers
        field.extras["sourceType"] = "digits with leading zeros"
    if len(distinct) <= MAX_CODES and len(distinct) * 2 <= n_values and \
            field.type in ("string", "integer"):
        field.categories = [Category(v) for v in _sorted_codes(distinct.to_pylist(), field.type)]
    if n_values == len(text):
        field.constraints["required"] = True
    if len(distinct) == n_values == len(text) and n_values >= 10 and \
            field.type in ("integer", "string"):
        field.constraints["unique"] = True
    return field


def _best_type(values: pa.Array) -> tuple[str, np.ndarray | None, str | None]:
    """The first type in _TYPE_ORDER that reads at least 95% of the values, else string.

    The third item describes a mixed column (most, but not 95%, of it one type), else None.
    """
    n = len(values)
    best: tuple[str, np.ndarray] | None = None
    for ftype in _TYPE_ORDER:
        parsed = parse_values(values, Field("probe", type=ftype))
        if parsed is None or (ftype == "boolean" and not _looks_boolean(values)):
            continue
        share = np.count_nonzero(parsed.ok) / n
        if share >= _FIT:
            return ftype, parsed.num, None
        if share >= 0.5 and (best is None or share > np.count_nonzero(best[1]) / n):
            best = (ftype, parsed.ok)
    if best is None:
        return "string", None, None
    ftype, ok = best
    bad = pc.unique(pc.filter(values, pa.array(~ok))).to_pylist()[:3]
    return "string", None, (f"Mixed types: {np.count_nonzero(ok):,} of {n:,} values are "
                            f"{_PLURALS[ftype]}, others are not (e.g. "
                            + ", ".join(repr(v) for v in bad) + ").")


def _leading_zeros(distinct: pa.Array) -> bool:
    """True when some value is written with a leading zero ('01234'), as codes are."""
    return bool(pc.any(pc.match_substring_regex(distinct, r"^\s*[+-]?0\d")).as_py())


def _looks_boolean(values: pa.Array) -> bool:
    """'0'/'1' columns are codes more often than booleans: only words make a boolean."""
    words = pc.utf8_lower(pc.unique(values)).to_pylist()
    return any(w in ("true", "false") for w in words)


def _sorted_codes(values: list[str], ftype: str) -> list[str]:
    if ftype == "integer":
        try:
            return sorted(values, key=lambda v: float(v))
        except ValueError:
            pass
    return sorted(values)


def _plain(x: float, ftype: str) -> int | float:
    return int(x) if ftype == "integer" or float(x).is_integer() else float(x)
