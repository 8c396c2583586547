"""The values a profile shows by name: examples in first-seen order, and tokens or stray
values by how often they occur."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .stats import EXAMPLES, render_text


def by_count(values: pa.Array, counts: np.ndarray, mask: np.ndarray,
             limit: int | None = None) -> dict[str, int]:
    """values[mask] with their counts, the commonest first (ties in first-seen order)."""
    idx = np.flatnonzero(mask)
    idx = idx[np.argsort(-counts[idx], kind="stable")][:limit]
    texts = values.take(pa.array(idx, pa.int64())).to_pylist() if len(idx) else []
    return {v: int(counts[i]) for v, i in zip(texts, idx)}


def first(values: pa.Array, mask: np.ndarray) -> list[str]:
    """The first EXAMPLES of values[mask] (values in first-seen order)."""
    idx = np.flatnonzero(mask)[:EXAMPLES]
    return values.take(pa.array(idx, pa.int64())).to_pylist() if len(idx) else []


def first_seen(col: pa.ChunkedArray, values: pa.Array, mask: np.ndarray) -> list[str]:
    """The first EXAMPLES distinct values of the column, in order, among values[mask]."""
    allowed = values.filter(pa.array(mask))
    head = col.slice(0, 5000).combine_chunks()
    seen = pc.unique(head.filter(pc.is_in(head, value_set=allowed)))
    out = seen.slice(0, EXAMPLES).to_pylist()
    if len(out) < min(EXAMPLES, len(allowed)):  # rare values beyond the head: any order
        out += [v for v in allowed.to_pylist() if v not in out][:EXAMPLES - len(out)]
    return out


def first_distinct(col: pa.ChunkedArray) -> list[str]:
    """The first EXAMPLES distinct non-null values of a string column, in order."""
    size = 5000
    while True:
        found = pc.unique(col.slice(0, size).combine_chunks().drop_null())
        if len(found) >= EXAMPLES or size >= len(col):
            return found.slice(0, EXAMPLES).to_pylist()
        size *= 8


def head_examples(col: pa.ChunkedArray) -> list[str]:
    """The first distinct non-missing values, as text."""
    head = col.slice(0, 5000).combine_chunks().drop_null()
    if pa.types.is_floating(head.type):
        head = head.filter(pc.invert(pc.is_nan(head)))
    values = pc.unique(head).slice(0, EXAMPLES)
    t = values.type
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        kind = "date" if pa.types.is_date(t) else "datetime"
        return [render_text(v, kind) for v in as_int64(pa.chunked_array([values])).to_pylist()]
    if pa.types.is_integer(t) or pa.types.is_floating(t):
        kind = "integer" if pa.types.is_integer(t) else "number"
        return [render_text(v, kind) for v in values.to_pylist()]
    return [str(v) for v in values.to_pylist()]


def as_int64(values: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Integers, dates (days) and timestamps (µs) as int64; None for floats."""
    t = values.type
    if pa.types.is_integer(t):
        return pc.cast(values, pa.int64())
    if pa.types.is_date(t):
        return pc.cast(pc.cast(values, pa.date32()).cast(pa.int32()), pa.int64())
    if pa.types.is_timestamp(t):
        return pc.cast(values.cast(pa.timestamp("us", t.tz)), pa.int64())
    return None
