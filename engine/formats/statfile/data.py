"""Formats that store types: Parquet, JSON / JSON Lines, SPSS/Stata/SAS files.

Values stay as stored (numbers as numbers); `Dataset.source_types` gives each column's logical
type, and `.sav`/`.dta` variable and value labels are kept as a Schema in `Dataset.labels`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import InputError
from ..limits import CellBudget, check_columns
from ..textio import MIXED, decode, mixed_warning
from . import Dataset
from .sheets import _logical

_STAT_FORMATS = {".sav": "spss-sav", ".zsav": "spss-sav", ".por": "spss-por",
                 ".dta": "stata-dta", ".xpt": "sas-xpt", ".sas7bdat": "sas7bdat"}
_STAT_NAMES = {"spss-sav": "an SPSS .sav", "spss-por": "an SPSS portable", "stata-dta":
               "a Stata .dta", "sas-xpt": "a SAS transport (.xpt)", "sas7bdat": "a SAS .sas7bdat"}


# ---- Parquet --------------------------------------------------------------------------------
def read_parquet(path: Path, filename: str) -> Dataset:
    """A Parquet file, types as stored."""
    import pyarrow.parquet as pq

    try:
        check_columns(filename, pq.read_metadata(path).num_columns)   # before reading them
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        reason = _one_line(exc).replace(str(path), filename)
        raise InputError(f"{filename} is not a valid Parquet file: {reason}") from None
    ds = Dataset(_plain(table), filename, "parquet")
    ds.source_types = _source_types(ds.table)
    return ds


# ---- JSON -----------------------------------------------------------------------------------
def read_json(path: Path, filename: str, *, lines: bool) -> Dataset:
    """An array of records, {"data": [...]}, a dict of columns, or JSON Lines."""
    text, enc = decode(path.read_bytes())
    records = _json_lines(text, filename) if lines else _json_records(text, filename)
    ds = Dataset(pa.table({}), filename, "jsonl" if lines else "json", encoding=enc)
    if enc == MIXED:
        ds.warn(mixed_warning(filename))
    _count(records, filename)
    ds.table = _records_table(records) if isinstance(records, list) else _columns_table(records)
    if ds.n_rows == 0 and not ds.columns:
        raise InputError(f"{filename} holds no records: expected an array of objects, "
                         "{\"data\": [...]} or one object per line.")
    ds.source_types = _source_types(ds.table)
    return ds


def _json_records(text: str, filename: str) -> list | dict:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if _looks_like_lines(text):
            return _json_lines(text, filename)
        raise InputError(f"{filename} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                         f"{exc.msg}).") from None
    if isinstance(doc, dict):
        for key in ("data", "records", "rows", "items", "results"):
            if isinstance(doc.get(key), list):
                return doc[key]
        if doc and all(isinstance(v, list) for v in doc.values()):
            return doc
    if isinstance(doc, list):
        return doc
    raise InputError(f"{filename} is JSON but not a table: expected an array of objects, "
                     "{\"data\": [...]} or an object of equal-length column arrays.")


def _looks_like_lines(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:5] if ln.strip()]
    return len(lines) > 1 and all(ln.lstrip().startswith("{") for ln in lines)


def _json_lines(text: str, filename: str) -> list:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(f"{filename}: line {n} is not valid JSON ({exc.msg}).") from None
    return out


def _count(records: list | dict, filename: str) -> None:
    """Columns and cells of the records, before a table is made of them."""
    if isinstance(records, dict):            # columns of values
        columns, parts = len(records), records.values()
    else:                                    # rows: objects, or arrays under a header array
        keys = {k for r in records if isinstance(r, dict) for k in r}
        columns = max(len(keys), max((len(r) for r in records if isinstance(r, list)),
                                     default=0))
        parts = records
    check_columns(filename, columns)
    CellBudget(filename, "max_cells").take(
        sum(len(p) if isinstance(p, (list, dict)) else 1 for p in parts), "the records")


def _records_table(records: list) -> pa.Table:
    """Rows (objects, or arrays under a header array) as columns in first-seen key order."""
    if records and all(isinstance(r, list) for r in records):
        header, body = records[0], records[1:]
        if all(isinstance(h, str) for h in header):
            records = [dict(zip(header, r)) for r in body]
        else:
            records = [{f"column_{j + 1}": v for j, v in enumerate(r)} for r in records]
    records = [r if isinstance(r, dict) else {"value": r} for r in records]
    keys = list(dict.fromkeys(k for r in records for k in r))
    return _columns_table({k: [r.get(k) for r in records] for k in keys})


def _columns_table(columns: dict[str, list]) -> pa.Table:
    lengths = {len(v) for v in columns.values()}
    if len(lengths) > 1:
        raise InputError("The JSON columns have different lengths "
                         f"({', '.join(str(n) for n in sorted(lengths))}); they cannot form "
                         "a table.")
    return pa.table({str(k): _json_column(v) for k, v in columns.items()})


def _json_column(values: list[Any]) -> pa.Array:
    """Typed when the values agree (numbers, text, booleans); else their JSON text."""
    kinds = {type(v) for v in values if v is not None}
    if kinds and kinds <= {int, float} or kinds <= {str} or kinds <= {bool}:
        try:
            return pa.array(values)
        except (pa.ArrowInvalid, OverflowError):
            pass
    return pa.array([None if v is None else v if isinstance(v, str)
                     else json.dumps(v, ensure_ascii=False) for v in values], pa.string())


# ---- SPSS / Stata / SAS ---------------------------------------------------------------------
def read_statfile(path: Path, filename: str) -> Dataset:
    """A .sav/.zsav/.por/.dta/.xpt/.sas7bdat file with pyreadstat; labels kept."""
    import pyreadstat

    from ..parsers.statfile import schema_from_meta

    ext = Path(filename).suffix.lower()
    fmt = _STAT_FORMATS[ext]
    readers = {".sav": pyreadstat.read_sav, ".zsav": pyreadstat.read_sav,
               ".por": pyreadstat.read_por, ".dta": pyreadstat.read_dta,
               ".xpt": pyreadstat.read_xport, ".sas7bdat": pyreadstat.read_sas7bdat}
    kwargs = {"user_missing": True} if ext in (".sav", ".zsav") else {}
    try:
        frame, meta = readers[ext](str(path), **kwargs)
    except Exception as exc:  # noqa: BLE001 - pyreadstat raises several unrelated types
        raise InputError(f"{filename} could not be read as {_STAT_NAMES[fmt]} file "
                         f"({_one_line(exc)}). Check that it is not damaged and that its "
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
    return _plain(pa.table(columns))


# ---- helpers --------------------------------------------------------------------------------
def _plain(table: pa.Table) -> pa.Table:
    """large_string/dictionary columns as plain strings so every reader hands out one kind."""
    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_large_string(t) or pa.types.is_string_view(t) or (
                pa.types.is_dictionary(t) and pa.types.is_string(t.value_type)):
            t = pa.string()
        fields.append(pa.field(f.name, t))
    target = pa.schema(fields)
    return table if target == table.schema else table.cast(target)


def _source_types(table: pa.Table) -> dict[str, str]:
    return {name: _logical(t) for name, t in zip(table.column_names, table.schema.types)}


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
