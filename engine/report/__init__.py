"""Reports and downloads of an analysis: JSON, Markdown, self-contained HTML, spreadsheets.

The JSON report (built by `build_report`) is the source: Markdown and HTML render that dict,
so the three never disagree.  Both lead with the problems: the verdict and key counts, the
problems ranked by rows affected with their evidence, the charts, then the passing fields
folded and the fields the data lacks in one line.  Spreadsheet exports neutralise formula injection with the one
rule of `engine.cells` (a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return
gets a leading apostrophe, unless it is a plain number such as `-5`), headers included.

    summary.py   what the report leads with: ranked problems, passing, absent, scope, hints
    markdown.py  the Markdown report
    page.py      the self-contained HTML page
    workbook.py  the data workbook with violating cells highlighted, and its issues sheet
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..cells import neutralise, neutralise_column, neutralise_row  # noqa: F401 (re-exported)
from ..match import Matching
from ..model import FIELD_ROW_COLUMNS, Schema
from ..validation import ROW_NUMBERING, ValidationResult
from ..validation.column import as_text
from . import summary

REPORT_VERSION = 1


# ---- the JSON report -----------------------------------------------------------------
def build_report(result: ValidationResult, matching: Matching, schema: Schema,
                 meta: dict[str, Any]) -> dict[str, Any]:
    """The machine-readable report: stable keys, JSON-serialisable.  `fields` keeps the
    dictionary's order; `problems` ranks them (and failed dataset checks) by rows affected."""
    fields = [f.to_dict() for f in result.fields]
    return {
        "report": "codebook-analysis",
        "version": REPORT_VERSION,
        "row_numbering": ROW_NUMBERING,
        "rows": result.n_rows,
        "columns": result.n_columns,
        "data": meta.get("data", {}),
        "dictionary": meta.get("dictionary", {}),
        "summary": result.summary(),
        "dataset_checks": [c.to_dict() for c in result.checks],
        "matching": matching.to_dict(),
        "unmatched_columns": list(matching.unmatched_columns),
        "unmatched_fields": list(matching.unmatched_fields),
        "fields": fields,
        "warnings": list(meta.get("warnings", [])),
        "seconds": meta.get("seconds"),
        "problems": summary.problems(result),
        "passing": summary.passing(result),
        "absent": summary.absent(result),
        "scope": summary.scope(schema, result),
        "missing_value_hints": summary.missing_value_hints(fields),
    }


def fields_in_report_order(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's fields as it presents them: problems (most rows affected first), then
    the passing fields, then those not in the data (each group in dictionary order)."""
    by_name = {f["name"]: f for f in report["fields"]}
    ranked = [by_name[p["field"]] for p in report.get("problems") or [] if p["field"]]
    seen = {f["name"] for f in ranked}
    rest = [f for f in report["fields"] if f["name"] not in seen]
    return ranked + [f for f in rest if f["column"]] + [f for f in rest if not f["column"]]


# ---- Markdown ------------------------------------------------------------------------
def report_markdown(report: dict[str, Any], *, folds: bool = False) -> str:
    """The report as Markdown, problems first (see report.markdown); `folds`: passing and
    absent fields in <details> blocks."""
    from .markdown import report_markdown as render

    return render(report, folds=folds)


# ---- HTML ----------------------------------------------------------------------------
def report_html(report: dict[str, Any], figures: dict[str, str] | None = None) -> str:
    """A self-contained HTML page (inline CSS and SVG charts, nothing fetched)."""
    from .page import render

    return render(report, figures or {})


# ---- spreadsheets --------------------------------------------------------------------
def fields_csv(schema: Schema) -> str:
    """The fields table as CSV, formula-neutralised (Schema.to_csv)."""
    return schema.to_csv()


def write_fields_xlsx(schema: Schema, path: Path) -> Path:
    """The fields table as an XLSX workbook, formula-neutralised."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("fields")
    ws.append(neutralise_row(FIELD_ROW_COLUMNS))
    for r in schema.rows():
        ws.append(neutralise_row(r[c] for c in FIELD_ROW_COLUMNS))
    wb.save(path)
    return path


def write_labelled(table: pa.Table, csv_path: Path | None = None,
                   parquet_path: Path | None = None) -> None:
    """The labelled data as CSV (formula-neutralised, header and values) and/or Parquet
    (as is)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if parquet_path is not None:
        pq.write_table(table, parquet_path)
    if csv_path is not None:
        safe = pa.table([neutralise_column(as_text(c)) for c in table.columns],
                        names=neutralise_row(table.column_names))
        pacsv.write_csv(safe, csv_path)


def write_flagged_xlsx(table: pa.Table, result: ValidationResult, path: Path, *,
                       max_cells: int = 300_000, max_comments: int = 5_000) -> Path:
    """The data with violating cells highlighted and commented (header row frozen), plus an
    'issues' sheet.

    Small data is written whole.  When it has more than `max_cells` cells, the sheet holds
    the rows with problems (up to that size), each with its data row number in column A.
    """
    from .workbook import write_flagged

    return write_flagged(table, result, path, max_cells=max_cells, max_comments=max_comments)


def cell_reasons(result: ValidationResult, columns: list[str], rows: np.ndarray
                 ) -> dict[tuple[int, int], list[str]]:
    """{(row, column index): [reasons]} for the given 0-based rows."""
    col_index = {c: i for i, c in enumerate(columns)}
    out: dict[tuple[int, int], list[str]] = {}
    for f in result.fields:
        for v in f.violations:
            col = (v.column or (f.columns[0] if f.columns else "")).split(", ")[0]
            if col not in col_index:
                continue
            hit = v.rows[np.isin(v.rows, rows)]
            reason = f"{v.kind}: {_reason(v)}"
            for r in hit.tolist():
                out.setdefault((r, col_index[col]), []).append(reason)
    return out


def _reason(v) -> str:
    """A violation's message without its count ('not an integer', 'above the maximum 120')."""
    return re.sub(r"^[\d,]+ values? ", "", v.message).split(" (e.g.")[0]
