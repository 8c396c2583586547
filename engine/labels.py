"""Value labels and starter dictionaries.

`apply_labels` replaces codes by their labels ('1' -> 'Male', '9' -> 'Refused') column by
column with one vectorised lookup each.  `infer_schema` drafts a Table Schema from the data
alone: the narrowest type that fits the values, observed ranges, and a code list for columns
with few distinct values, for the user to edit and upload again as the dictionary (it lives
with the value grammar it uses, in engine.values.starter).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .match import Matching, match_columns
from .model import Field, Schema
from .validation.column import as_text
from .validation.run import to_arrow
from .values.conform import parse_values
from .values.grammar import leading_zeros
from .values.starter import MAX_CODES, infer_field, infer_schema  # noqa: F401 - re-exported


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
    if declared == "any" and leading_zeros(pc.unique(pc.drop_null(values))):
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
