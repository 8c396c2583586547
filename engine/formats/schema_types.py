"""Convert text columns to the types a dictionary declares, when every value allows it.

A column declared integer/number/date becomes that Arrow type only if all its values parse;
declared missing tokens that are not numbers (`?`, `NA`) become null (counted in
`Dataset.missing_tokens`), numeric missing codes (`9`, `-1`) stay values.  Otherwise the column
stays text and the user is told which values stopped the conversion.  Columns declared string
that a typed format stored as numbers become text.  What reads as an integer, a number or a
date is engine.values.grammar's (blanks around a value ignored, `3.0` an integer), as the check
reads it.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from ..model import Field, Schema
from ..values.grammar import INTEGER, NUMBER, SPECIAL_NUMBER
from .dataset import Dataset

_TARGETS = {"integer": pa.int64(), "year": pa.int64(), "number": pa.float64(),
            "date": pa.date32(), "datetime": pa.timestamp("us")}
_NUMBER = re.compile(NUMBER)


def apply_schema_types(ds: Dataset, schema: Schema) -> None:
    """Convert the dataset's columns in place, following the schema's field types."""
    columns = dict(zip(ds.columns, ds.table.columns))
    changed = False
    for f in schema.fields:
        col = columns.get(f.name)
        if col is None:
            continue
        new = _convert(ds, f, col, schema.missing_values or [])
        if new is not None:
            columns[f.name] = new
            changed = True
    if changed:
        ds.table = pa.table(list(columns.values()), names=list(columns))


def _convert(ds: Dataset, f: Field, col: pa.ChunkedArray, schema_missing: list[str]):
    """The converted column, or None to keep it."""
    if f.type == "string":
        return _to_text(col) if not pa.types.is_string(col.type) else None
    target = _TARGETS.get(f.type)
    if target is None or not pa.types.is_string(col.type):
        return None
    tokens = [m.value for m in f.missing_values] + list(schema_missing)
    nulled = [t for t in dict.fromkeys(tokens) if t and not _NUMBER.match(t)]
    values = col
    if nulled:
        mask = pc.is_in(col, value_set=pa.array(nulled, pa.string()))
        if pc.any(mask).as_py():
            counts = pc.value_counts(col.filter(mask)).to_pylist()
            values = pc.if_else(mask, pa.scalar(None, pa.string()), col)
            converted = _cast(values, target)
            if converted is not None:
                ds.missing_tokens[f.name] = {c["values"]: c["counts"] for c in counts}
            return converted if converted is not None else _refuse(ds, f, values)
    converted = _cast(values, target)
    return converted if converted is not None else _refuse(ds, f, values)


def _cast(values: pa.ChunkedArray, target: pa.DataType):
    """Cast, accepting `1.0`-style integers and blanks around values; None when some value
    does not parse."""
    values = pc.utf8_trim_whitespace(values)
    try:
        return pc.cast(values, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    if target != pa.int64():
        return None
    try:
        floats = pc.cast(values, pa.float64())
    except pa.ArrowInvalid:
        return None
    if pc.all(pc.equal(pc.floor(floats), floats)).as_py() is False:
        return None
    return pc.cast(floats, target)


def _refuse(ds: Dataset, f: Field, values: pa.ChunkedArray) -> None:
    """Keep the column as text and say which values are in the way (numbers only)."""
    if f.type in ("integer", "year", "number"):
        uniques = pc.unique(values.drop_null())
        pattern = INTEGER if f.type != "number" else f"{NUMBER}|{SPECIAL_NUMBER}"
        bad = uniques.filter(pc.invert(pc.match_substring_regex(uniques, pattern)))
        examples = ", ".join(repr(v) for v in bad.slice(0, 3).to_pylist())
        ds.warn(f"Column '{f.name}' is declared {f.type} in the dictionary but has values that "
                f"are not {'integers' if f.type != 'number' else 'numbers'} ({examples}); it "
                "was kept as text.")
    return None


def _to_text(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Numbers stored by a typed format as text; whole floats without the '.0'."""
    if pa.types.is_floating(col.type):
        whole = pc.all(pc.equal(pc.floor(col), col)).as_py()
        if whole in (True, None):
            return pc.cast(pc.cast(col, pa.int64()), pa.string())
    try:
        return pc.cast(col, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return col
