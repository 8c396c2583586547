"""The dataset profile: per column the inferred type, missing and NA-like counts, distinct
values, statistics, top values and examples; per table the duplicate rows.

    profile_dataset(read_dataset("train.csv")).to_dict()

Built for size: columns are profiled in parallel threads (Arrow and numpy release the GIL),
with Arrow kernels on whole columns or on their distinct values only (see `columns`).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from ..formats import Dataset
from ..memory import keep_freed_memory
from ..parallel import cores
from .columns import ColumnResult, plan, profile_column
from .duplicates import duplicate_rows
from .model import COLUMN_TABLE, ColumnProfile, Profile

__all__ = ["COLUMN_TABLE", "ColumnProfile", "Profile", "profile_dataset"]


def profile_dataset(ds: Dataset) -> Profile:
    """Profile every column of a dataset and count its duplicate rows."""
    t0 = time.perf_counter()
    keep_freed_memory()
    sizes = [0] * ds.table.num_columns   # each column's buffers, summed by its own task
    results = _profile_columns(ds, sizes)
    count, examples = duplicate_rows(results, ds.n_rows)
    columns = [r.profile for r in results]
    for c in columns:
        tokens = ds.missing_tokens.get(c.name)
        if tokens:  # declared missing by the dictionary and read as null
            c.na_like = {**tokens, **c.na_like}
    return Profile(
        filename=ds.filename, format=ds.format, rows=ds.n_rows, columns=columns,
        encoding=ds.encoding, delimiter=ds.delimiter, header=ds.header, sheet=ds.sheet,
        sheets=list(ds.sheets), size_bytes=ds.size_bytes, memory_bytes=sum(sizes),
        duplicate_rows=count, duplicate_examples=examples, warnings=list(ds.warnings),
        seconds=round(time.perf_counter() - t0, 3),
        dictionary=ds.labels.to_descriptor() if ds.labels and ds.labels.fields else None)


def _profile_columns(ds: Dataset, sizes: list[int]) -> list[ColumnResult]:
    """Profile every column on a pool as wide as the machine, the largest columns first (so
    the pool does not end waiting on one big column); `sizes` gets each column's bytes."""
    names, cols = ds.columns, ds.table.columns
    order = sorted(range(len(cols)), key=lambda i: -_size_guess(cols[i]))

    def one(i: int) -> ColumnResult:
        sizes[i] = cols[i].get_total_buffer_size()  # not nbytes: it walks slices' offsets
        return profile_column(names[i], cols[i], plan(cols[i]), ds.source_types.get(names[i]))

    with ThreadPoolExecutor(max_workers=max(1, min(cores(), len(cols)))) as pool:
        futures = {i: pool.submit(one, i) for i in order}
        return [futures[i].result() for i in range(len(cols))]


def _size_guess(col) -> int:
    """A column's size from its first chunk, for ordering (exact sizes take a walk of all)."""
    if not col.num_chunks:
        return 0
    first = col.chunk(0)
    return first.get_total_buffer_size() * len(col) // max(1, len(first))
