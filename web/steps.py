"""The UI's own CPU-bound steps, run in the app's worker processes (module-level functions of
picklable arguments, as engine.pipeline.steps): a check that hands over its report before it
writes its downloads, a profile with its charts, a dictionary's edits and missing-value
markers applied, a workbook's sheet names.

The check and profile steps call the engine's own functions (analyze_files, read_dataset,
profile_dataset); what they add is the order of their results and what the UI shows."""

from __future__ import annotations

import base64
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

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
        before = edits.markers_text(schema)
        edits.with_missing_values(schema, edits.parse_markers(markers))
        after = edits.markers_text(schema)
        if after != before:
            message = (message + "\n\n" if message and message != "No change." else "") + (
                f"✓ Missing-value markers for the whole dictionary: "
                f"{', '.join(f'`{m}`' for m in edits.parse_markers(after)) or 'none'} "
                "(empty cells are always missing).")
    out = schema_outputs(result.schema, filename, outdir)
    return Edited(message or "No change.", out.table, out.descriptor or {}, out.downloads,
                  out.compact, edits.markers_text(result.schema), len(result.schema.fields))


def sheet_names(path: str) -> list[str]:
    """The worksheets of an XLSX/XLSM or XLS workbook, in order ([] for other files or when
    the file cannot be read: the parse then says what is wrong with it)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
        if head.startswith(b"PK"):
            from engine.documents.sheets import _sheet_parts

            with zipfile.ZipFile(path) as zf:
                if "xl/workbook.xml" not in zf.namelist():
                    return []
                return [name for name, _ in _sheet_parts(zf)]
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            import xlrd

            book = xlrd.open_workbook(path, on_demand=True)
            try:
                return list(book.sheet_names())
            finally:
                book.release_resources()
    except Exception:  # noqa: BLE001 - a listing only: the parse reports the file's problem
        return []
    return []


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


def check_stream(data_path: str, dictionary: str | bytes | None, mapping: Any,
                 markers: list[str], outdir: str, options: dict, plots: int = 5,
                 dictionary_sheet: str | None = None) -> Iterator[tuple[str, Any]]:
    """Check a dataset against a dictionary (a file, the session's compact schema, or none):
    ("view", CheckView) as soon as the check is done, then ("downloads", [paths]) once every
    download is written.  `markers`: missing values declared for this check (added to the
    dictionary's own); `options`: engine.analyze.analyze_files'."""
    from engine.analyze import analyze_files

    options = dict(options)
    path, fmt, warnings = _dictionary_file(dictionary, markers, dictionary_sheet, outdir,
                                           options)
    analysis = analyze_files(data_path, path, mapping, **options)
    if fmt is not None:
        analysis.dictionary_format = fmt
        analysis.warnings = warnings + analysis.warnings
        analysis.__dict__.pop("report", None)         # (a cached_property: made anew)
    yield "view", check_view(analysis, plots)
    downloads = analysis.write_downloads(outdir)
    yield "downloads", [str(p) for p in downloads.values()]


def _dictionary_file(dictionary: str | bytes | None, markers: list[str], sheet: str | None,
                     outdir: str, options: dict) -> tuple[str | None, str | None, list[str]]:
    """The dictionary as a file analyze_files reads: the upload as it is, or (with markers,
    a sheet, or the session's) a Table Schema written into `outdir`; with the original
    format and warnings when it was parsed here."""
    if dictionary is None or (isinstance(dictionary, str) and not markers and sheet is None):
        return dictionary, None, []
    name = options.get("dictionary_filename")
    if isinstance(dictionary, bytes):
        schema, fmt, warnings = schema_from_compact(dictionary), None, []
    else:
        from engine.parsers import parse_dictionary

        name = name or Path(dictionary).name
        parsed = parse_dictionary(dictionary, name, sheet=sheet)
        schema, fmt, warnings = parsed.schema, parsed.format, list(parsed.warnings)
    if markers:
        own = [m for m in schema.missing_values or [] if m != ""]
        edits.with_missing_values(schema, own + [m for m in markers if m not in own])
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "checked-dictionary.schema.json"
    path.write_text(json.dumps(schema.to_descriptor(), ensure_ascii=False), encoding="utf-8")
    options["dictionary_filename"] = path.name       # (read as a Table Schema)
    if name:
        options.setdefault("dictionary_label", name + (f" (sheet '{sheet}')" if sheet else ""))
    return str(path), fmt, warnings


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
def profile_with_charts(path: str, filename: str, sheet: str | None, dictionary: Any,
                        outdir: str | None) -> tuple[list[str], Any]:
    """Profile a dataset (engine.pipeline.steps.profile_step's work) and chart its columns:
    (warnings, views.ProfileView with `charts`)."""
    from engine.pipeline.steps import Profiled, load_schema
    from engine.profile import profile_dataset
    from engine.readers import read_dataset

    from .minicharts import column_cards
    from .views import profile_view

    ds = read_dataset(path, filename, sheet=sheet, schema=load_schema(dictionary))
    prof = profile_dataset(ds)
    download = None
    if outdir is not None:
        from engine.report.downloads import write_profile_download

        download = str(write_profile_download(prof, filename, Path(outdir)))
    warnings = list(ds.warnings)
    view = profile_view(Profiled(prof, warnings, download))
    view.charts = column_cards(ds.table, prof.columns)
    return warnings, view

