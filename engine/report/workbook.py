"""The flagged-data workbook: violating cells filled red with a comment, and an issues sheet."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..validation import ValidationResult
from ..validation.column import as_text
from ..cells import neutralise, neutralise_row
from . import cell_reasons

_NUMBER = re.compile(r"-?(0|[1-9]\d{0,14})(\.\d+)?")
_ISSUE_ROWS = 50
_ISSUE_COLUMNS = ["field", "column", "kind", "count", "percent", "row", "value", "message"]


def write_flagged(table: pa.Table, result: ValidationResult, path: Path, *,
                  max_cells: int, max_comments: int) -> Path:
    """See report.write_flagged_xlsx."""
    from openpyxl import Workbook

    columns = table.column_names
    rows, note = _rows_to_write(result, table.num_rows, max(len(columns), 1), max_cells)
    reasons = cell_reasons(result, columns, rows)
    wb = Workbook(write_only=True)
    _data_sheet(wb, table, columns, rows, reasons, max_comments)
    _issues_sheet(wb, table, result, note)
    wb.save(path)
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


def _data_sheet(wb, table: pa.Table, columns: list[str], rows: np.ndarray,
                reasons: dict, max_comments: int) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    ws = wb.create_sheet("data")
    fill = PatternFill("solid", fgColor="FFC7CE")
    bold = Font(bold=True)
    header = [WriteOnlyCell(ws, value=neutralise(c)) for c in ["row"] + columns]
    for cell in header:
        cell.font = bold
    ws.append(header)
    taken = pa.array(rows, pa.int64())
    values = [as_text(table.column(c)).take(taken).to_pylist() for c in columns]
    comments = 0
    for i, r in enumerate(rows.tolist()):
        line: list = [r + 1]
        for j in range(len(columns)):
            value = _cell_value(values[j][i])
            why = reasons.get((r, j))
            if why is None:
                line.append(value)
                continue
            cell = WriteOnlyCell(ws, value=value)
            cell.fill = fill
            if comments < max_comments:
                cell.comment = Comment("\n".join(why), "Codebook")
                comments += 1
            line.append(cell)
        ws.append(line)


def _cell_value(v):
    """Plain numbers as numbers, everything else as neutralised text."""
    if v is None:
        return None
    if _NUMBER.fullmatch(v):
        return float(v) if "." in v else int(v)
    return neutralise(v)


def _issues_sheet(wb, table: pa.Table, result: ValidationResult, note: str) -> None:
    """One line per violating cell (the first 50 of each problem), then failed table checks."""
    ws = wb.create_sheet("issues")
    ws.append([neutralise(note)])
    ws.append(neutralise_row([f"Rows are numbered from 1 = the first data row. "
                              f"{result.verdict()}"]))
    ws.append(neutralise_row(_ISSUE_COLUMNS))
    for f in result.fields:
        for v in f.violations:
            column = (v.column or "").split(", ")[0]
            shown = v.rows[:_ISSUE_ROWS]
            values = (as_text(table.column(column)).take(pa.array(shown)).to_pylist()
                      if column in table.column_names else [None] * len(shown))
            for r, value in zip(shown.tolist(), values):
                ws.append(neutralise_row((f.name, v.column, v.kind, v.count,
                                          round(100 * v.count / max(result.n_rows, 1), 2),
                                          r + 1, value, v.message)))
    for c in result.checks:
        if not c.passed:
            ws.append(neutralise_row(("(dataset)", "", c.kind, c.detail.get("count"),
                                      c.detail.get("percent"), None, None, c.message)))
