"""Parquet datasets: types as stored; the columns counted from the metadata before any is read."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ...errors import InputError
from ...limits import check_columns
from ..dataset import Dataset, one_line, plain_table, source_types


def read_parquet(path: Path, filename: str) -> Dataset:
    """A Parquet file, types as stored."""
    import pyarrow.parquet as pq

    try:
        check_columns(filename, pq.read_metadata(path).num_columns)   # before reading them
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        reason = one_line(exc).replace(str(path), filename)
        raise InputError(f"{filename} is not a valid Parquet file: {reason}") from None
    ds = Dataset(plain_table(table), filename, "parquet")
    ds.source_types = source_types(ds.table)
    return ds
