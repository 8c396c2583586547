"""JSON datasets: an array of records, {"data": [...]}, an object of columns, or JSON Lines; a
column typed when its values agree, else their JSON text.  Columns and cells are counted before
a table is made of them (the nesting was bounded before: engine.guard)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from ...errors import InputError
from ...limits import CellBudget, check_columns
from ...textio import MIXED, decode, mixed_warning
from ..dataset import Dataset, source_types


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
    ds.source_types = source_types(ds.table)
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
