"""Value labels and starter dictionaries.

`apply_labels` replaces codes by their labels ('1' -> 'Male', '9' -> 'Refused') column by
column with one vectorised lookup each.  `infer_schema` drafts a Table Schema from the data
alone: the narrowest type that fits the values, observed ranges, and a code list for columns
with few distinct values, for the user to edit and upload again as the dictionary (it lives
with the value grammar it uses, in engine.values.starter).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .match import Matching, match_columns
from .model import Field, Schema
from .validation.column import as_text
from .validation.run import to_arrow
from .values.starter import MAX_CODES, infer_field, infer_schema  # noqa: F401 - re-exported


def apply_labels(table: Any, schema: Schema, matching: Matching | None = None) -> pa.Table:
    """The table with each coded column's codes replaced by their labels (others unchanged)."""
    table = to_arrow(table)
    if matching is None:
        matching = match_columns(table.column_names, schema)
    by_name = {f.name: f for f in schema.fields}
    columns = []
    for name in table.column_names:
        f = by_name.get(matching.field_of(name) or "")
        text = as_text(table.column(name))
        code = next((p.code for p in matching.pairs if p.column == name), None)
        columns.append(_label_column(text, f) if f is not None and code is None else text)
    return pa.table(columns, names=table.column_names)


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
