"""Checks of the whole table: row count, duplicate rows, completeness, absent columns."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..model import Schema
from .rows import ROW_CAP, RowHash, encode, repeated_rows, spread_sample
from .result import EVIDENCE_ROWS, DatasetCheck, FieldResult, pct

_SAMPLE = 5_000


def check_min_rows(n_rows: int, min_rows: int) -> DatasetCheck:
    """At least `min_rows` data rows."""
    ok = n_rows >= min_rows
    msg = (f"{n_rows:,} rows (at least {min_rows:,} expected)" if ok else
           f"the data has {n_rows:,} rows, fewer than the {min_rows:,} expected")
    return DatasetCheck("min_rows", ok, msg, {"rows": n_rows, "minimum": min_rows})


def check_absent_columns(schema: Schema, results: list[FieldResult]) -> DatasetCheck:
    """Fields the dictionary requires that no column holds."""
    absent = [r.name for r in results if not r.present]
    required = [f.name for f in schema.fields
                if f.constraints.get("required") and f.name in absent]
    if required:
        shown = ", ".join(required[:20]) + (" …" if len(required) > 20 else "")
        plural = "s" * (len(required) > 1)
        msg = f"{len(required)} required field{plural} absent from the data: {shown}"
    else:
        msg = "every required field has a column"
    return DatasetCheck("required_columns", not required, msg,
                        {"absent_required": required, "absent": absent})


def check_completeness(n_rows: int, text_columns: list[tuple[str, pa.Array]],
                       results: list[FieldResult], schema_missing: list[str]) -> DatasetCheck:
    """Share of cells that hold a value (not empty, not a missing-value code)."""
    missing_by_column: dict[str, int] = {}
    for r in results:
        if len(r.columns) == 1:
            missing_by_column[r.columns[0]] = r.n_missing
    total = missing = 0
    for name, text in text_columns:
        total += n_rows
        if name in missing_by_column:
            missing += missing_by_column[name]
        else:
            flags = pc.or_(pc.is_null(text), pc.is_in(text, pa.array(schema_missing or [""])))
            missing += int(pc.sum(pc.fill_null(flags, True)).as_py() or 0)
    percent = pct(total - missing, total) if total else 100.0
    msg = f"{percent}% of cells hold a value ({missing:,} of {total:,} empty or missing)"
    return DatasetCheck("completeness", True, msg,
                        {"percent": percent, "cells": total, "missing_cells": missing})


def check_duplicate_rows(text_columns: list[tuple[str, pa.Array]], n_rows: int,
                         row_hash: RowHash | None = None) -> DatasetCheck:
    """Rows identical in every column to an earlier row."""
    dup = duplicate_rows([t for _, t in text_columns], n_rows, row_hash)
    rows = np.flatnonzero(dup)
    count = len(rows)
    msg = (f"{count:,} row{'s repeat' if count > 1 else ' repeats'} an earlier row exactly"
           if count else "no duplicate rows")
    return DatasetCheck("duplicate_rows", count == 0, msg,
                        {"count": count, "percent": pct(count, n_rows),
                         "rows": [int(r) + 1 for r in rows[:EVIDENCE_ROWS]],
                         "_rows": rows[:ROW_CAP]})


def duplicate_rows(columns: list[pa.Array], n_rows: int,
                   row_hash: RowHash | None = None) -> np.ndarray:
    """Mask of rows equal to an earlier row.

    Candidates first: rows sharing a row hash (built from the value codes validation already
    computed), or else sharing a value of the most varied column.  Then the candidates alone
    are compared exactly, column by column, so a million distinct rows cost about one sort.
    """
    out = np.zeros(n_rows, dtype=bool)
    if n_rows < 2 or not columns:
        return out
    order = sorted(range(len(columns)), key=lambda i: -_distinct_share(columns[i]))
    if row_hash is not None and row_hash.columns:
        cand, group = _shared(row_hash.value)
    else:
        cand, group = np.arange(n_rows), np.zeros(n_rows, dtype=np.int64)
    for i in order:
        if not len(cand):
            return out
        col = columns[i] if len(cand) == n_rows else columns[i].take(pa.array(cand))
        codes = encode(col)[1].astype(np.int64)
        _, group = np.unique(group * (int(codes.max()) + 1) + codes, return_inverse=True)
        keep = np.bincount(group)[group] > 1
        cand, group = cand[keep], group[keep]
    out[cand] = repeated_rows(group)
    return out


def _shared(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose key occurs more than once, and a dense group number for each."""
    s = np.sort(keys)
    repeated = np.unique(s[1:][s[1:] == s[:-1]])
    cand = np.flatnonzero(np.isin(keys, repeated))
    _, group = np.unique(keys[cand], return_inverse=True)
    return cand, group.astype(np.int64)


def _distinct_share(col: pa.Array) -> float:
    sample = spread_sample(col, _SAMPLE)
    if not len(sample):
        return 0.0
    return pc.count_distinct(sample, mode="all").as_py() / len(sample)
