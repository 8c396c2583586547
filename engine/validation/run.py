"""Validate a whole table against a schema through a column matching."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import logic
from ..match import ColumnMatch, Matching, match_columns
from ..model import Category, Field, Schema
from . import dataset
from .codes import code_list, missing_flags, missing_set
from .column import ColumnInput, as_text, check_column, empty_range
from .rows import RowHash
from .logic_check import Condition, check_condition, field_condition
from .result import FieldResult, ValidationResult
from ..values.conform import bound_number

MAX_BINS = 100
_BOUND_WORDS = {"minimum": "minimum", "maximum": "maximum",
                "exclusiveMinimum": "exclusive minimum", "exclusiveMaximum": "exclusive maximum"}
# REDCap smart variables and the export column that holds them
_SMART_COLUMNS = {"event-name": "redcap_event_name", "arm-number": "redcap_arm",
                  "repeat-instance": "redcap_repeat_instance"}
_CHECKBOX_FIELD = Field("checkbox", type="integer",
                        categories=[Category("0", "Unchecked"), Category("1", "Checked")])


def to_arrow(table: Any) -> pa.Table:
    """An Arrow table from an Arrow table or a pandas DataFrame."""
    if isinstance(table, pa.Table):
        return table
    import pandas as pd

    if isinstance(table, pd.DataFrame):
        df = table.copy()
        df.columns = [str(c) for c in df.columns]
        return pa.Table.from_pandas(df, preserve_index=False)
    raise TypeError(f"expected a pyarrow.Table or pandas.DataFrame, got {type(table).__name__}")


def validate_table(table: Any, schema: Schema, matching: Matching | None = None, *,
                   mapping: Any = None, min_rows: int = 1,
                   workers: int | None = None) -> ValidationResult:
    """Check every matched column against its field, the conditions, and the whole table."""
    table = to_arrow(table)
    if matching is None:
        matching = match_columns(table.column_names, schema, mapping)
    n = table.num_rows
    n_bins = min(MAX_BINS, n)
    texts = {name: as_text(table.column(i)) for i, name in enumerate(table.column_names)}
    schema_missing = list(schema.missing_values) if schema.missing_values is not None else [""]
    conditions = {f.name: c for f in schema.fields if (c := field_condition(f)) is not None}
    row_hash = RowHash(n)

    def run(f: Field) -> FieldResult:
        return _check_field(f, matching.columns_of(f.name), texts, schema_missing, n_bins,
                            conditions.get(f.name), row_hash)

    results = _in_threads(run, schema.fields, matching, workers)
    for f, r in zip(schema.fields, results):
        if f.name in conditions and r.present:
            _apply_condition(f, conditions[f.name], r, matching, texts, schema_missing,
                             schema, n_bins)
        r.notes.extend(dictionary_problems(f))
        r.match = _match_info(matching.columns_of(f.name))
    text_columns = list(texts.items())
    checks = [dataset.check_min_rows(n, min_rows),
              dataset.check_absent_columns(schema, results),
              dataset.check_completeness(n, text_columns, results, schema_missing),
              dataset.check_duplicate_rows(text_columns, n, row_hash)]
    return ValidationResult(n, table.num_columns, results, checks,
                            list(matching.unmatched_columns), list(matching.warnings), n_bins)


def _in_threads(run: Callable[[Field], FieldResult], fields: list[Field], matching: Matching,
                workers: int | None) -> list[FieldResult]:
    """run(field) for every field on a thread pool, costliest first; results in field order.

    Arrow and numpy release the GIL, so columns really are checked in parallel.  A column
    whose check fails unexpectedly gets a note instead of sinking the whole report.
    """
    def safe(f: Field) -> FieldResult:
        try:
            return run(f)
        except Exception as exc:   # noqa: BLE001 - one odd column must not lose the rest
            out = FieldResult(f.name, [p.column for p in matching.columns_of(f.name)], f.type)
            out.notes.append(f"could not be checked ({type(exc).__name__}: {exc})")
            return out

    order = sorted(range(len(fields)), key=lambda i: -_cost(fields[i]))
    with ThreadPoolExecutor(max_workers=workers or min(4, os.cpu_count() or 1)) as pool:
        done = dict(zip(order, pool.map(safe, [fields[i] for i in order])))
    return [done[i] for i in range(len(fields))]


def _cost(f: Field) -> int:
    """A rough rank of how long a field's checks take (regexes and uniqueness cost most)."""
    c = f.constraints
    return (3 * bool(c.get("pattern")) + 2 * bool(c.get("unique")) +
            (f.type in ("datetime", "date", "string")) + bool(f.format))


def _check_field(f: Field, pairs: list[ColumnMatch], texts: dict[str, pa.Array],
                 schema_missing: list[str], n_bins: int, cond: Condition | None,
                 row_hash: RowHash) -> FieldResult:
    """Single-column checks of one field (each checkbox column on its own)."""
    if not pairs:
        return FieldResult(f.name, [], f.type)
    if cond is not None and cond.tree is not None and f.constraints.get("required"):
        # required only where the condition holds: the logic check reports those rows
        f = replace(f, constraints={k: v for k, v in f.constraints.items() if k != "required"})
    if any(p.code is not None for p in pairs):
        return _check_checkboxes(f, pairs, texts, schema_missing, n_bins)
    col = pairs[0].column
    return check_column(f, ColumnInput(col, texts[col]), schema_missing, n_bins, row_hash)


def _check_checkboxes(f: Field, pairs: list[ColumnMatch], texts: dict[str, pa.Array],
                      schema_missing: list[str], n_bins: int) -> FieldResult:
    out = FieldResult(f.name, [p.column for p in pairs], f.type)
    box = replace(_CHECKBOX_FIELD, name=f.name)
    for p in pairs:
        r = check_column(box, ColumnInput(p.column, texts[p.column]), schema_missing, n_bins)
        out.n_rows = r.n_rows
        out.n_missing = max(out.n_missing, r.n_missing)
        out.violations.extend(r.violations)
    return out


def _apply_condition(f: Field, cond: Condition, result: FieldResult, matching: Matching,
                     texts: dict[str, pa.Array], schema_missing: list[str], schema: Schema,
                     n_bins: int) -> None:
    if cond.tree is None:
        result.notes.append(cond.error or "condition not checked")
        return
    present = _present(f, result, texts, schema_missing)
    lookup = _lookup(matching, texts, schema)
    shown_values = texts[result.columns[0]]
    found, note = check_condition(f, cond, lookup, present, shown_values, n_bins)
    for v in found:
        v.column = ", ".join(result.columns)
    result.violations.extend(found)
    if note:
        result.notes.append(note)


def _present(f: Field, result: FieldResult, texts: dict[str, pa.Array],
             schema_missing: list[str]) -> np.ndarray:
    """Rows where the field holds an answer (a checkbox field: any box ticked)."""
    if len(result.columns) > 1 or f.extras.get("checkbox"):
        ticked = [pc.fill_null(pc.equal(texts[c], "1"), False).to_numpy(zero_copy_only=False)
                  for c in result.columns]
        return np.logical_or.reduce(ticked)
    missing = missing_flags(texts[result.columns[0]],
                             missing_set(f, schema_missing, code_list(f)))
    return ~missing


def _lookup(matching: Matching, texts: dict[str, pa.Array], schema: Schema):
    """Resolve `[field]` and `[field(code)]` to data columns."""
    def lookup(ref: logic.Ref) -> pa.Array:
        pairs = matching.columns_of(ref.field)
        if ref.code is not None:
            col = next((p.column for p in pairs if p.code == ref.code), None)
            col = col or (f"{ref.field}___{ref.code}" if f"{ref.field}___{ref.code}" in texts
                          else None)
        else:
            name = _SMART_COLUMNS.get(ref.field, ref.field)
            col = pairs[0].column if pairs else (name if name in texts else None)
        if col is None:
            raise logic.LogicUnavailable(ref.text())
        return texts[col]
    return lookup


def _match_info(pairs: list[ColumnMatch]) -> dict[str, Any] | None:
    if not pairs:
        return None
    p = pairs[0]
    return {"method": p.method, "confidence": round(min(q.confidence for q in pairs), 3)}


def dictionary_problems(f: Field) -> list[str]:
    """Contradictions inside one field's definition (min above max, a code twice)."""
    notes = []
    empty = empty_range(f)
    if empty is not None:
        (lo_kind, hi_kind), c = empty, f.constraints
        same = bound_number(c[lo_kind], f.type) == bound_number(c[hi_kind], f.type)
        notes.append(f"the dictionary's {_BOUND_WORDS[lo_kind]} {c[lo_kind]} "
                     f"{'equals' if same else 'is above'} its "
                     f"{_BOUND_WORDS[hi_kind]} {c[hi_kind]}: no value can satisfy both, so "
                     "the range is not checked; check the dictionary")
    labels: dict[str, set] = {}
    for c in f.categories:
        labels.setdefault(c.value, set()).add(c.label)
    twice = [v for v, ls in labels.items() if len(ls) > 1]
    if twice:
        notes.append("the code list gives " + ", ".join(repr(v) for v in twice[:5]) +
                     " two different labels; the first label is used")
    return notes
