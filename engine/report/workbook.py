"""The flagged-data workbook: violating cells filled red with a comment, and an issues sheet.

Written with XlsxWriter row by row (its constant-memory mode: a row is on disk once the next
one starts), cells converted a column at a time: a few times faster than openpyxl, whose
write-only cells still hash their style each time.  The header row is frozen.  No cell is a
formula: text is written as text (XlsxWriter's conversions off) and neutralised as every
spreadsheet export is (engine.cells).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..cells import neutralise, neutralise_column, neutralise_row
from ..validation import ValidationResult
from ..validation.column import as_text
from . import cell_reasons

_NUMBER = r"^-?(0|[1-9]\d{0,14})(\.\d+)?$"     # plain numbers become numbers, as typed
_ISSUE_ROWS = 50
_ISSUE_COLUMNS = ["field", "column", "kind", "count", "percent", "row", "value", "message"]
_OPTIONS = {"constant_memory": True, "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False}
FILL = "#FFC7CE"


def write_flagged(table: pa.Table, result: ValidationResult, path: Path, *,
                  max_cells: int, max_comments: int) -> Path:
    """See report.write_flagged_xlsx."""
    import xlsxwriter

    columns = table.column_names
    rows, note = _rows_to_write(result, table.num_rows, max(len(columns), 1), max_cells)
    reasons = cell_reasons(result, columns, rows)
    wb = xlsxwriter.Workbook(str(path), _OPTIONS)
    try:
        _data_sheet(wb, table, columns, rows, reasons, max_comments)
        _issues_sheet(wb, table, result, note)
    finally:
        wb.close()
    return path


def _rows_to_write(result: ValidationResult, n_rows: int, n_cols: int, max_cells: int
                   ) -> tuple[np.ndarray, str]:
    limit = max(max_cells // n_cols, 1)
    if n_rows <= limit:
        return np.arange(n_rows), f"All {n_rows:,} rows are in the 'data' sheet."
    bad = [v.rows for f in result.fields for v in f.violations]
    flagged = np.unique(np.concatenate(bad)) if bad else np.zeros(0, dtype=np.int64)
    if len(flagged) > limit:
        flagged = flagged[:limit]
    if not len(flagged):
        flagged = np.arange(limit)
        return flagged, f"No violations; the 'data' sheet holds the first {limit:,} rows."
    first = " (the first ones)" if len(flagged) == limit else ""
    return flagged, (f"The data has {n_rows:,} rows; the 'data' sheet holds the "
                     f"{len(flagged):,} rows with problems{first}, with their row numbers in "
                     "column A.")


def _data_sheet(wb: Any, table: pa.Table, columns: list[str], rows: np.ndarray,
                reasons: dict, max_comments: int) -> None:
    ws = wb.add_worksheet("data")
    fill = wb.add_format({"bg_color": FILL})
    ws.write_row(0, 0, neutralise_row(["row"] + columns), wb.add_format({"bold": True}))
    ws.freeze_panes(1, 0)
    taken = pa.array(rows, pa.int64())
    values = [cell_values(as_text(table.column(c)).take(taken)) for c in columns]
    by_row: dict[int, list[tuple[int, list[str]]]] = {}
    for (r, j), why in reasons.items():
        by_row.setdefault(r, []).append((j, why))
    comments = 0
    for i, r in enumerate(rows.tolist()):
        line = [r + 1]
        line += [col[i] for col in values]
        flagged = sorted(by_row.get(r, ()))
        if not flagged:
            ws.write_row(i + 1, 0, line)
            continue
        filled = np.zeros(len(line), dtype=bool)
        filled[[j + 1 for j, _ in flagged]] = True
        for start, stop in _runs(filled):          # each run of cells written once
            ws.write_row(i + 1, start, line[start:stop], fill if filled[start] else None)
        for j, why in flagged:
            if comments < max_comments:
                ws.write_comment(i + 1, j + 1, "\n".join(why), {"author": "Codebook"})
                comments += 1


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each run of equal flags."""
    edges = np.flatnonzero(flags[1:] != flags[:-1]) + 1
    bounds = [0, *edges.tolist(), len(flags)]
    return list(zip(bounds[:-1], bounds[1:]))


def cell_values(text: pa.Array | pa.ChunkedArray) -> list[Any]:
    """A column's cells for a sheet: plain numbers as int or float, other text neutralised,
    empty cells None (a column at a time, in Arrow)."""
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    number = pc.fill_null(pc.match_substring_regex(text, _NUMBER), False)
    if not pc.any(number).as_py():
        return neutralise_column(text).to_pylist()
    dotted = pc.fill_null(pc.match_substring(text, "."), False)
    ints = pc.cast(pc.if_else(pc.and_(number, pc.invert(dotted)), text, None), pa.int64())
    floats = pc.cast(pc.if_else(pc.and_(number, dotted), text, None), pa.float64())
    texts = neutralise_column(pc.if_else(number, None, text))
    return [i if i is not None else f if f is not None else s
            for i, f, s in zip(ints.to_pylist(), floats.to_pylist(), texts.to_pylist())]


def _issues_sheet(wb: Any, table: pa.Table, result: ValidationResult, note: str) -> None:
    """One line per violating cell (the first 50 of each problem), then failed table checks."""
    ws = wb.add_worksheet("issues")
    lines = [[neutralise(note)],
             neutralise_row([f"Rows are numbered from 1 = the first data row. "
                             f"{result.verdict()}"]),
             neutralise_row(_ISSUE_COLUMNS)]
    for f in result.fields:
        for v in f.violations:
            column = (v.column or "").split(", ")[0]
            shown = v.rows[:_ISSUE_ROWS]
            values = (as_text(table.column(column)).take(pa.array(shown)).to_pylist()
                      if column in table.column_names else [None] * len(shown))
            lines += [neutralise_row((f.name, v.column, v.kind, v.count,
                                      round(100 * v.count / max(result.n_rows, 1), 2),
                                      r + 1, value, v.message))
                      for r, value in zip(shown.tolist(), values)]
    lines += [neutralise_row(("(dataset)", "", c.kind, c.detail.get("count"),
                              c.detail.get("percent"), None, None, c.message))
              for c in result.checks if not c.passed]
    for i, line in enumerate(lines):
        ws.write_row(i, 0, line)
