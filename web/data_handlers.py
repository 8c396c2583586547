"""The dataset's callbacks (a mixin of web.handlers.Handlers, which gives `cpu` and
`downloads`): the profile, with its charts, and the check, whose report reaches the page
before its downloads are written (engine.pipeline.analyze_job's Checked, then Final).

As in web.handlers, the API's callbacks keep their tuples and the UI's yield dicts keyed by
name."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Any, AsyncIterator

import gradio as gr
from gradio.components.plot import PlotData

from engine.pipeline import Checked, Failed, Final, Warning, analyze_job, profile_job

from . import steps, views
from .session import mapping_from_input, session_dictionary

PLOTS = 5  # violations overview, heat-map, and distributions of the first problem fields
ANALYSIS_WARNINGS = 5   # pop-ups an analysis shows at most (the report lists them all)
NO_FIELD = "(no field)"


class DataHandlers:
    """Profile and check callbacks (see the module's docstring)."""

    cpu: Any
    downloads: Any

    # ---- profile ----------------------------------------------------------------------------
    async def profile(self, file: str | None, sheet: str | None = None,
                      session: bytes | None = None):
        """Profile an uploaded dataset (using the session's dictionary when there is one) in a
        worker process.  Outputs: status, columns table, profile, its JSON file, sheet."""
        if not file:
            raise gr.Error("Upload a dataset first.")
        view = await self._profiled(file, sheet, session)
        return view.status, view.table, view.data, view.download, _sheet_update(view)

    async def profile_ui(self, file: str | None, sheet: str | None = None,
                         session: bytes | None = None):
        """The Dataset tab's profile: status first, then the table and the charts."""
        if not file:
            yield {"status": "Upload a dataset (or try the example above)."}
            return
        yield {"status": views.working(f"Profiling `{Path(file).name}`…")}
        view = await self._profiled(file, sheet, session)
        yield {"status": view.status, "table": gr.update(value=view.table, visible=True),
               "json": view.data, "file": gr.update(value=view.download, visible=True),
               "sheet": _sheet_update(view), "charts": gr.update(value=view.charts,
                                                                  visible=True)}

    async def _profiled(self, file: str, sheet: str | None, session: bytes | None):
        """The profile job (engine.pipeline.profile_job) with web.steps.profile_present."""
        events = profile_job(file, executor=self.cpu, sheet=sheet or None,
                             dictionary=session or None, outdir=self.downloads.new,
                             present=steps.profile_present)
        view = None
        async with contextlib.aclosing(events):
            async for event in events:
                if isinstance(event, Warning):
                    gr.Warning(views.notice(event))
                elif isinstance(event, Failed):
                    raise event.error
                elif isinstance(event, Final):
                    view = event.value
        return view

    # ---- check ------------------------------------------------------------------------------
    async def analyze(self, data_file: str | None, dictionary_file: str | None = None,
                      mapping: Any = None, missing_values: str | None = None,
                      session: bytes | None = None, sheet: str | None = None,
                      dictionary_sheet: str | None = None):
        """Check a dataset against a dictionary (the uploaded one, else the session's) in a
        worker process: the report first (downloads empty), then with its downloads (a
        labelled .sav/.dta that could not be written is named, with why, in the last JSON
        report's `warnings`).
        Outputs: report (Markdown), fields, matching, preview, 5 charts, downloads, JSON."""
        if not data_file:
            raise gr.Error("Upload a dataset first.")
        view = None
        async for kind, value in self._check(data_file, dictionary_file, mapping,
                                             missing_values, session, sheet, dictionary_sheet):
            if kind == "view":
                view, files = value, None
                report = view.report
            else:
                files, unwritten = value
                report = ({**view.report, "warnings": view.report["warnings"] + unwritten}
                          if unwritten else view.report)
            plots = [PlotData(type="matplotlib", plot=uri) for _, uri in view.charts]
            yield (view.parts.markdown(), view.fields, view.matching, view.preview,
                   *(plots + [None] * (PLOTS - len(plots))), files, report)

    async def analyze_ui(self, data_file: str | None, dictionary_file: str | None = None,
                         missing_values: str | None = None, sheet: str | None = None,
                         dictionary_sheet: str | None = None, session: bytes | None = None,
                         meta: dict | None = None, pairing: dict | None = None):
        """The Check tab's check: the report, charts and tables as soon as the check ends,
        the downloads after them; `pairing`: the matching editor's pairs (a re-run)."""
        if not data_file:
            yield {"status": "Upload a dataset to check (or try the example above)."}
            return
        edits_made = dict((pairing or {}).get("edits") or {})
        against = (f"`{Path(dictionary_file).name}`" if dictionary_file else
                   f"`{meta['filename']}` from the Dictionary tab" if session and meta else
                   "a starter dictionary inferred from the data")
        yield {"status": views.working(f"Checking `{Path(data_file).name}` against {against}…"),
               "files_row": gr.update(visible=False)}
        label = f"{meta['filename']} (Dictionary tab)" if session and meta else None
        async for kind, value in self._check(data_file, dictionary_file,
                                             edits_made or None, missing_values, session,
                                             sheet, dictionary_sheet, label):
            if kind == "view":
                view = value
                yield _check_shown(view, edits_made, against)
            else:
                files, unwritten = value
                yield {"status": f"Checked `{Path(data_file).name}` against {against}: "
                                 f"{len(files)} downloads below."
                                 + _warnings_line(unwritten + view.warnings),
                       "files": files, "files_row": gr.update(visible=True)}

    async def _check(self, data_file: str, dictionary_file: str | None, mapping: Any,
                     missing_values: str | None, session: bytes | None, sheet: str | None,
                     dictionary_sheet: str | None, label: str | None = None
                     ) -> AsyncIterator[tuple[str, Any]]:
        """The analysis job (engine.pipeline.analyze_job) as ("view", CheckView) when the
        check is done, then ("downloads", ([paths], [the warnings of files not written]))
        once they are written."""
        outdir = self.downloads.new()
        dictionary = dictionary_file or session_dictionary(session, outdir)
        dsheet = None if dictionary_sheet in (None, "", views.ALL_SHEETS) else dictionary_sheet
        if dictionary_file:
            label = Path(dictionary_file).name + (f" (sheet '{dsheet}')" if dsheet else "")
        elif session:
            label = label or "the dictionary parsed in this session"
        events = analyze_job(
            data_file, dictionary, mapping_from_input(mapping), executor=self.cpu,
            sheet=sheet or None, data_filename=Path(data_file).name,
            dictionary_filename=Path(dictionary).name if dictionary else None,
            dictionary_label=label, missing_values=missing_values or None,
            dictionary_sheet=dsheet, outdir=lambda: outdir,
            present=functools.partial(steps.check_present, plots=PLOTS))
        warned, checked, unwritten = 0, False, []
        async with contextlib.aclosing(events):
            async for event in events:
                if isinstance(event, Warning) and checked:      # a download not written
                    gr.Warning(event.message)
                    unwritten.append(event.message)
                elif isinstance(event, Warning) and warned < ANALYSIS_WARNINGS:
                    gr.Warning(views.notice(event))
                    warned += 1
                elif isinstance(event, Failed):
                    raise event.error
                elif isinstance(event, Checked):
                    checked = True
                    yield "view", event.value
                elif isinstance(event, Final):
                    yield "downloads", (event.value, unwritten)

    # ---- the matching editor ----------------------------------------------------------------
    @staticmethod
    def matching_rows(pairing: dict | None, show_exact: bool) -> Any:
        """The matching table: exact matches folded away unless asked for."""
        rows = (pairing or {}).get("rows") or []
        shown = [r for r in rows if show_exact or r[2] != "exact"]
        return gr.update(value=shown or [["", "", "(every column matches a field exactly)",
                                          None]])

    @staticmethod
    def pick_pair(pairing: dict | None, evt: gr.SelectData):
        """A row of the matching table chosen: its column and field into the editor."""
        row = evt.row_value if evt is not None else None
        if not row or not row[0]:
            return gr.skip(), gr.skip()
        return row[0], row[1] or NO_FIELD

    @staticmethod
    def set_pair(pairing: dict | None, column: str | None, field: str | None,
                 show_exact: bool):
        """Pair a column with a field (or with none) for the next re-run."""
        if not pairing or not column:
            return gr.skip(), gr.skip(), "Choose a column (click a row of the table) first."
        chosen = "" if field in (None, NO_FIELD) else field
        rows = [[column, chosen, "set by you", None] if r[0] == column else r
                for r in pairing["rows"]]
        pairing = {**pairing, "rows": rows,
                   "edits": {**(pairing.get("edits") or {}), column: chosen}}
        note = (f"`{column}` → `{chosen}`" if chosen else f"`{column}` → no field") + \
            ": press *Re-run the check with these pairs* to apply."
        return pairing, DataHandlers.matching_rows(pairing, show_exact), note


def _check_shown(view: steps.CheckView, edits_made: dict, against: str) -> dict[str, Any]:
    """The UI's updates for a finished check (its downloads still being written)."""
    parts = view.parts
    update: dict[str, Any] = {
        "status": views.working("Report ready; writing the downloads (reports, schema, "
                                "labelled data for SPSS and Stata too, flagged workbook)…")
        + _warnings_line(view.warnings),
        "results": gr.update(visible=True), "head": parts.head,
        "passing_acc": gr.update(label=f"Passing fields ({parts.passing_count:,})",
                                 visible=parts.passing_count > 0),
        "passing": parts.passing, "absent": gr.update(value=parts.absent,
                                                      visible=bool(parts.absent)),
        "fields": view.fields, "preview": view.preview, "json": view.report,
        "pairing": {"rows": view.matching, "edits": edits_made},
        "pair_column": gr.update(choices=[r[0] for r in view.matching], value=None),
        "pair_field": gr.update(choices=[NO_FIELD] + view.field_names, value=None),
        "pair_note": "",
    }
    update["matching"] = DataHandlers.matching_rows(update["pairing"], False)
    for i in range(PLOTS):
        if i < len(view.charts):
            title, uri = view.charts[i]
            update[f"plot{i}"] = gr.update(value=PlotData(type="matplotlib", plot=uri),
                                           label=_chart_label(title), visible=True)
        else:
            update[f"plot{i}"] = gr.update(value=None, visible=False)
    return update


def _chart_label(title: str) -> str:
    return f"Distribution of {title[6:]}" if title.startswith("field:") else title


def _warnings_line(warnings: list[str]) -> str:
    if not warnings:
        return ""
    shown = "\n".join(f"- {w}" for w in warnings[:ANALYSIS_WARNINGS])
    more = (f"\n- … {len(warnings) - ANALYSIS_WARNINGS} more in the report JSON"
            if len(warnings) > ANALYSIS_WARNINGS else "")
    return "\n\n**Warnings**\n\n" + shown + more


def _sheet_update(view: views.ProfileView):
    sheets = view.data.get("sheets") or []
    return (gr.update(choices=sheets, value=view.data.get("sheet"), visible=True)
            if len(sheets) > 1 else gr.update(visible=False))
