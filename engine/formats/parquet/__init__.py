"""Parquet datasets, types as stored (`read.py`); told by the `PAR1` signature or the name."""

from __future__ import annotations

from ..format import Format, Source


def _dataset(src: Source):
    from .read import read_parquet

    return read_parquet(src.path, src.filename)


PARQUET = Format("parquet", (".parquet", ".pq"), "a Parquet file",
                 magic=lambda head: head.startswith(b"PAR1"), dataset=_dataset)
FORMATS = [PARQUET]
