"""The UI's own CPU-bound steps, run in the app's worker processes (module-level functions of
picklable arguments, as engine.pipeline.steps): a check that hands over its report before it
writes its downloads, a profile with its charts, a dictionary's edits and missing-value
markers applied, a dictionary's export for another tool.

The check and profile steps call the engine's own functions (analyze_files, read_dataset,
profile_dataset); what they add is the order of their results and what the UI shows."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.pipeline.outputs import schema_from_compact
from engine.pipeline.steps import schema_outputs

from . import edits
from .report_view import ReportParts, report_parts

CHART_DPI = 110


# ---- the dictionary ------------------------------------------------------------------------
@dataclass
class Edited:
    """A dictionary after edits: what the Dictionary tab shows and keeps."""

    message: str                  # what was applied and what was refused (Markdown)
    table: list[list[str]]        # the fields table (refused cells show the kept value)
    descriptor: dict
    downloads: tuple[str | None, str | None]
    compact: bytes
    markers: str                  # the dictionary-wide missing values, as typed
    fields: int


def edit_dictionary(compact: bytes, headers: list[str] | None, rows: list[list[Any]] | None,
                    markers: str | None, filename: str, outdir: str | None) -> Edited:
    """Apply an edited fields table (None: no table edit) and the dictionary-wide markers
    (None: unchanged) to the session's dictionary; its outputs made anew."""
    schema = schema_from_compact(compact)
    result = edits.EditResult(schema)
    if rows is not None:
        result = edits.apply_table(schema, list(headers or []), rows)
    message = result.message() if rows is not None else ""
    if markers is not None:
        before = result.schema.to_descriptor()
        result.schema = edits.with_missing_values(result.schema, markers)
        if result.schema.to_descriptor() != before:
            shown = ", ".join(f"`{m}`" for m in edits.parse_markers(markers)) or "none"
            message = (message + "\n\n" if message and message != "No change." else "") + (
                f"✓ Missing-value markers for the whole dictionary: {shown} "
                "(empty cells are always missing).")
    out = schema_outputs(result.schema, filename, outdir)
    return Edited(message or "No change.", out.table, out.descriptor or {}, out.downloads,
                  out.compact, edits.markers_text(result.schema), len(result.schema.fields))


# ---- the check -----------------------------------------------------------------------------
@dataclass
class CheckView:
    """A finished check as the UI and the API show it (downloads come after it)."""

    parts: ReportParts
    fields: list[list[Any]]          # Analysis.fields_table()
    matching: list[list[Any]]        # Analysis.matching_table()
    field_names: list[str]           # the dictionary's fields, for the matching editor
    preview: Any                     # the labelled preview (pandas DataFrame)
    charts: list[tuple[str, str]]    # (title, PNG data URI), at most `plots`
    report: dict[str, Any]
    warnings: list[str]


def check_present(result: Any, plots: int = 5) -> "CheckView | list[str]":
    """What the Check tab takes from the analysis job (engine.pipeline.analyze_job's
    `present`, run in the worker): the view when the check is done (no downloads yet), then
    only the paths of its downloads (the view is not made twice)."""
    if result.downloads:
        return [str(p) for p in result.downloads.values()]
    return check_view(result.analysis, plots)


def check_view(analysis: Any, plots: int = 5) -> CheckView:
    """What the Check tab shows of an analysis (charts rendered here, as PNG)."""
    figures = analysis.figures(max_fields=max(plots - 2, 0))
    charts = [(title, figure_uri(fig)) for title, fig in list(figures.items())[:plots]]
    report = json.loads(json.dumps(analysis.to_dict(), default=str))
    tables = sorted({str(f.extras["resource"]) for f in analysis.schema.fields
                     if f.extras.get("resource")})
    return CheckView(report_parts(report, tables), analysis.fields_table(),
                     analysis.matching_table(), list(analysis.schema.names),
                     analysis.preview(50), charts, report, list(analysis.warnings))


def figure_uri(fig: Any) -> str:
    """A matplotlib figure as a PNG data URI, framed to its labels (Gradio's own rendering
    of a figure cuts off what lies outside it, and happens in the serving process)."""
    from engine.charts import figure_png

    data = figure_png(fig, dpi=CHART_DPI)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


# ---- the profile ---------------------------------------------------------------------------
def profile_present(result: Any) -> Any:
    """What the Dataset tab takes from the profile job (engine.pipeline.profile_job's
    `present`, run in the worker): the view, with a chart card per column."""
    from .minicharts import column_cards
    from .views import profile_view

    view = profile_view(result)
    view.charts = column_cards(result.table, result.profile.columns)
    return view


# ---- exports -------------------------------------------------------------------------------
def export_dictionary(dictionary: bytes | str, kind: str, dialect: str | None, filename: str,
                      outdir: str) -> str:
    """Write the export `kind` (engine.report.exports; `dialect` for SQL) of a dictionary, the
    session's (its compact form, edits included) or a file read by the rules, into `outdir`:
    the file's path, named after `filename`."""
    from engine.pipeline.steps import load_schema
    from engine.report.downloads import safe_stem
    from engine.report.exports import file_name, render

    schema = load_schema(dictionary)
    text = render(schema, kind, **({"dialect": dialect} if kind == "sql" else {}))
    path = Path(outdir) / file_name(kind, safe_stem(filename), dialect)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)
