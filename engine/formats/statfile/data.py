"""SPSS/Stata/SAS datasets through pyreadstat: values as stored, the variable and value labels
kept as a Schema (`Dataset.labels`, read by meta.py) and each column's stored type."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from ...errors import InputError
from ..dataset import Dataset, one_line, plain_table
from .meta import READERS, schema_from_meta

_STAT_FORMATS = {".sav": "spss-sav", ".zsav": "spss-sav", ".por": "spss-por",
                 ".dta": "stata-dta", ".xpt": "sas-xpt", ".sas7bdat": "sas7bdat"}
_STAT_NAMES = {"spss-sav": "an SPSS .sav", "spss-por": "an SPSS portable", "stata-dta":
               "a Stata .dta", "sas-xpt": "a SAS transport (.xpt)", "sas7bdat": "a SAS .sas7bdat"}


def read_statfile(path: Path, filename: str) -> Dataset:
    """A .sav/.zsav/.por/.dta/.xpt/.sas7bdat file with pyreadstat; labels kept."""
    ext = Path(filename).suffix.lower()
    fmt = _STAT_FORMATS[ext]
    kwargs = {"user_missing": True} if ext in (".sav", ".zsav") else {}
    try:
        frame, meta = READERS[ext]()(str(path), **kwargs)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several unrelated types
        raise InputError(f"{filename} could not be read as {_STAT_NAMES[fmt]} file "
                         f"({one_line(exc)}). Check that it is not damaged and that its "
                         "extension matches its format.") from None
    ds = Dataset(_frame_table(frame), filename, fmt, encoding=meta.file_encoding)
    ds.labels = schema_from_meta(meta)
    ds.source_types = {f.name: f.type for f in ds.labels.fields}
    return ds


def _frame_table(frame) -> pa.Table:
    """A pyreadstat DataFrame as Arrow; a column Arrow cannot type becomes text."""
    columns = {}
    for name in frame.columns:
        try:
            columns[str(name)] = pa.array(frame[name], from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            columns[str(name)] = pa.array([None if v is None or v != v else str(v)
                                           for v in frame[name]], pa.string())
    return plain_table(pa.table(columns))
