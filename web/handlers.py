"""The UI's and the API's callbacks: each hands its inputs to a pipeline job (or a worker step)
and turns what comes back into component updates (text from web.views), nothing else.
Engine errors become gr.Error with the engine's message (`user_errors`).

The API's callbacks (parse_dictionary, profile, analyze) keep their outputs as tuples in the
order clients unpack; the UI's (`*_ui`) yield dicts keyed by name (app.py maps the names to
components), say what runs in a status line of their own, and leave errors there too.
This module holds the dictionary's callbacks; web.data_handlers the dataset's and the check's,
web.export_handlers the dictionary's exports.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import gradio as gr
from gradio.utils import get_upload_folder

from engine.errors import CodebookError
from engine.llm import LLMService
from engine.model import FIELD_ROW_COLUMNS
from engine.pipeline import (Cancelled, ChunkDone, Failed, Final, Parsed, PartialFields, Warning,
                             parse_job)
from engine.pipeline.outputs import SchemaOutputs
from engine.formats import sheet_names
from engine.settings import Settings

from . import steps, views
from .data_handlers import PLOTS, DataHandlers  # noqa: F401 (PLOTS: the API's chart count)
from .export_handlers import ExportHandlers
from .jobs import keep_on_cancel
from .runtime.sweep import Downloads
from .runtime.workers import CpuPool

log = logging.getLogger("codebook")
UI_UPDATE_SECONDS = 0.2  # LLM chunks finishing together become one update of the page
# the UI's fields table: the CSV's columns, with what the LLM added or changed after the name
UI_COLUMNS = FIELD_ROW_COLUMNS[:1] + ["LLM"] + FIELD_ROW_COLUMNS[1:]
EXAMPLES = Path(__file__).resolve().parent / "examples"
_SEP = "\x1f"   # between the names of a session's marked fields: a string or two, not a dict
#                  of thousands of strings, kept for as long as the session


def user_errors(fn: Callable) -> Callable:
    """Turn engine errors into gr.Error with the engine's message; log anything unexpected.

    Works for plain and async functions, generators and async generators (Gradio calls all).
    """

    @contextlib.contextmanager
    def translated():
        try:
            yield
        except gr.Error:
            raise
        except CodebookError as exc:
            raise gr.Error(str(exc), print_exception=False) from None
        except Exception as exc:  # noqa: BLE001 - the single translation point
            log.exception("unexpected error in %s", fn.__name__)
            raise gr.Error(f"Something went wrong on our side ({type(exc).__name__}). "
                           "The error was logged; please try again or report it.",
                           print_exception=False) from None

    if inspect.isasyncgenfunction(fn):
        @functools.wraps(fn)
        async def agen_wrapper(*args, **kwargs):
            with translated():
                async for item in fn(*args, **kwargs):
                    yield item
        return agen_wrapper

    if inspect.iscoroutinefunction(fn):
        @functools.wraps(fn)
        async def async_wrapper(*args, **kwargs):
            with translated():
                return await fn(*args, **kwargs)
        return async_wrapper

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            with translated():
                yield from fn(*args, **kwargs)
        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translated():
            return fn(*args, **kwargs)
    return wrapper


@dataclass
class ParseStep:
    """One update of a parse, for the API's and the UI's outputs alike."""

    status: str
    table: list[list[str]] | None           # the fields table (None: none yet)
    outputs: SchemaOutputs | None = None    # a result: descriptor, downloads, compact form
    final: bool = False                     # the job's result (or what a cancel kept)
    progress: tuple[int, int] | None = None  # LLM chunks (done, total) while they run


class Handlers(DataHandlers, ExportHandlers):
    """The callbacks, bound to one app's settings and output directory (no module state but
    the parses running per session, which a Cancel and an edit look at)."""

    def __init__(self, settings: Settings, outroot: Path, cpu: CpuPool | None = None):
        self.settings = settings
        # CPU-bound steps: worker processes (else threads); large files one worker each, a
        # few at once; light work never waits for them
        self.cpu = cpu or CpuPool(0, heavy=settings.heavy_concurrency)
        self.downloads = Downloads(outroot, settings.upload_ttl, Path(get_upload_folder()))
        self.llm = LLMService.from_settings(settings)  # one client for the whole process
        # session -> the cancel events of its running parses (a Cancel sets them; an edit
        # waits for them to end)
        self.running: dict[str, set[asyncio.Event]] = {}

    # ---- the API ----------------------------------------------------------------------------
    async def parse_dictionary(self, file: str | None, use_llm: bool = False,
                               missing_values: str | None = None, sheet: str | None = None,
                               request: gr.Request = None, progress=gr.Progress()):
        """Parse an uploaded dictionary: rules first (streamed), then LLM chunks as they land.
        Outputs: status, fields table, Table Schema, its file, fields CSV, job details, and the
        session's dictionary.  `missing_values` ("NA, NULL"): markers declared for the whole
        dictionary; `sheet`: the workbook sheet to read (default: every sheet).  /stop_parse
        from the same session ends it with what it kept."""
        if not file:
            raise gr.Error("Upload a data dictionary first.")
        shown = views.ParseShown()
        with self._registered(request) as cancel:
            async for step in self._parse_steps(file, use_llm, missing_values, sheet, shown,
                                                progress, cancel, counted=False):
                out = step.outputs
                if out is None:
                    # None, not gr.skip(): Gradio 6 rebuilds a component for every skip
                    yield (step.status, gr.skip() if step.table is None else step.table, None,
                           None, None, shown.job_json() if shown.job["format"] else None,
                           gr.skip())
                else:
                    yield (step.status, out.table, out.descriptor, *out.downloads,
                           shown.job_json(), out.compact)

    # ---- the UI -----------------------------------------------------------------------------
    async def parse_ui(self, file: str | None, use_llm: bool = False,
                       missing_values: str | None = None, sheet: str | None = None,
                       request: gr.Request = None):
        """The Dictionary tab's parse: the fields table shown (and kept shown) from the first
        fields on, LLM changes marked, progress (a bar of its own, never Gradio's tracker
        over the outputs) and errors in the status line."""
        if not file:
            yield {"status": "Upload a data dictionary (or try the example above)."}
            return
        shown = views.ParseShown()
        name = Path(file).name
        yield {"status": views.working(f"Reading `{name}`…"),
               "downloads_row": gr.update(visible=False), "edit_status": ""}
        visible = False
        with self._registered(request) as cancel:
            async for step in self._parse_steps(file, use_llm, missing_values, sheet, shown,
                                                _no_progress, cancel):
                bar = (views.progress_bar(*step.progress) + " ") if step.progress else ""
                update: dict[str, Any] = {"status": bar + step.status}
                if step.table is not None:
                    rows = shown.marked(step.table)
                    update["table"] = (rows if visible else
                                       gr.update(value=rows, visible=True))
                    visible = True
                if step.outputs is not None and step.final:
                    update.update(self._dictionary_shown(step.outputs, shown, name))
                yield update

    @contextlib.contextmanager
    def _registered(self, request: Any):
        """A cancel event for a parse, registered under its session while it runs."""
        session = getattr(request, "session_hash", None) or ""
        cancel = asyncio.Event()
        self.running.setdefault(session, set()).add(cancel)
        try:
            yield cancel
        finally:
            running = self.running.get(session)
            if running is not None:
                running.discard(cancel)
                if not running:
                    del self.running[session]

    async def stop_or_fail(self, request: gr.Request = None) -> None:
        """The Cancel button: running parses stopped as /stop_parse does; with none running
        (one still queued), an unseen error, on which the button cancels the queued one."""
        if not self._parsing(request):
            raise gr.Error("No parse is running.", visible=False, print_exception=False)
        await self.stop_parse(request)

    def _parsing(self, request: Any) -> bool:
        return bool(self.running.get(getattr(request, "session_hash", None) or ""))

    async def stop_parse(self, request: gr.Request = None) -> str:
        """Stop the parses running in this session (a Client's: the one it submitted): each
        ends with what it kept, "Cancelled — kept N fields (rules + K of M chunks)", with
        the Table Schema and CSV of exactly those fields, as its last output."""
        running = self.running.get(getattr(request, "session_hash", None) or "") or set()
        for cancel in running:
            cancel.set()
        return (f"Stopping {len(running)} parse{'s' * (len(running) > 1)}: "
                "each ends with what it kept." if running else
                "No parse is running in this session.")

    def _dictionary_shown(self, out: SchemaOutputs, shown: views.ParseShown, name: str
                          ) -> dict[str, Any]:
        """The UI's updates for a parse's result (the table is sent with the status)."""
        marks = shown.marks(out.table)
        meta = {"filename": name, "format": shown.job.get("format"), "fields": len(out.table),
                "marks": {kind: _SEP.join(r[0] for r, m in zip(out.table, marks) if m == kind)
                          for kind in ("added", "changed")}}
        return {"schema_json": out.descriptor, "schema_file": out.downloads[0],
                "csv_file": out.downloads[1], "downloads_row": gr.update(visible=True),
                "job": shown.job_json(), "state": out.compact, "meta": meta,
                "markers": views.descriptor_markers(out.descriptor),
                "check_note": views.session_note(meta, out.descriptor),
                **_stale_export()}

    async def edit_fields(self, table: Any, saved: bytes | None, meta: dict | None,
                          request: gr.Request = None):
        """Read an edited fields table back into the session's dictionary (refused cells
        keep their value and are named in the message)."""
        if not saved or not meta:
            return {"edit_status": "Parse a dictionary first: edits apply to its fields."}
        if self._parsing(request):
            return {"edit_status": "A parse is still running: edit its fields when it "
                                   "has finished (its result replaces the table)."}
        headers, rows = _table_rows(table)
        edited = await self.cpu.run(steps.edit_dictionary, saved, headers, rows, None,
                                    meta["filename"], str(self.downloads.new()),
                                    size=len(saved) * 10)
        return self._edited_shown(edited, meta)

    async def apply_markers(self, markers: str | None, saved: bytes | None,
                            meta: dict | None, request: gr.Request = None):
        """Declare the missing-value markers of the whole dictionary (the Dictionary tab's
        control; a parse applies what it holds too)."""
        if not saved or not meta:
            return {"edit_status": "These markers will apply to the next dictionary parsed."}
        if self._parsing(request):
            return {"edit_status": "A parse is running: its result takes these markers."}
        edited = await self.cpu.run(steps.edit_dictionary, saved, None, None, markers or "",
                                    meta["filename"], str(self.downloads.new()),
                                    size=len(saved) * 10)
        return self._edited_shown(edited, meta)

    @staticmethod
    def _edited_shown(edited: steps.Edited, meta: dict) -> dict[str, Any]:
        marks = {name: kind for kind, names in (meta.get("marks") or {}).items()
                 for name in names.split(_SEP) if name}
        meta = {**meta, "fields": edited.fields, "edited": True}
        rows = views.with_marks(edited.table, [marks.get(r[0], "") for r in edited.table])
        return {"edit_status": edited.message, "table": rows,
                "schema_json": edited.descriptor, "schema_file": edited.downloads[0],
                "csv_file": edited.downloads[1], "state": edited.compact, "meta": meta,
                "markers": edited.markers,
                "check_note": views.session_note(meta, edited.descriptor), **_stale_export()}

    async def dictionary_sheets(self, file: str | None):
        """The sheet picker for an uploaded dictionary: shown for workbooks of several
        sheets (every sheet is read unless one is picked)."""
        names = await self.cpu.run(sheet_names, file, size=0) if file else []
        if len(names) < 2:
            return gr.update(choices=[], value=None, visible=False)
        return gr.update(choices=[views.ALL_SHEETS] + names, value=views.ALL_SHEETS,
                         visible=True)

    async def data_sheets(self, file: str | None):
        """The sheet picker for a dataset: shown for workbooks of several sheets (the first
        with data is read unless one is picked)."""
        names = await self.cpu.run(sheet_names, file, size=0) if file else []
        if len(names) < 2:
            return gr.update(choices=[], value=None, visible=False)
        return gr.update(choices=names, value=names[0], visible=True)

    def example(self, *names: str) -> list[str] | str:
        """Bundled example files copied into a download directory (files Gradio may serve)."""
        out = self.downloads.new()
        paths = [str(shutil.copy(EXAMPLES / n, out / Path(n).name)) for n in names]
        return paths[0] if len(paths) == 1 else paths

    # ---- the parse, for both ----------------------------------------------------------------
    async def _parse_steps(self, file: str, use_llm: bool, missing_values: str | None,
                           sheet: str | None, shown: views.ParseShown, progress,
                           cancel: asyncio.Event, counted: bool = True):
        """The parse job's events as ParseSteps (the job writes the markers into its result).
        `counted`: LLM steps say how many fields the LLM added and changed so far (the UI's;
        the API's status lines stay the LLM's own, as they were)."""
        sheet = None if sheet in (None, "", views.ALL_SHEETS) else sheet
        events = parse_job(file, executor=self.cpu, llm=self.llm, use_llm=use_llm, sheet=sheet,
                           outdir=self.downloads.new, update_every=UI_UPDATE_SECONDS,
                           cancel=cancel, missing_values=missing_values or None)
        async for event in keep_on_cancel(events, cancel):
            step = self._parse_step(event, shown, progress, counted)
            if step is not None:
                yield step
            if isinstance(event, Failed):
                raise event.error

    def _parse_step(self, event: Any, shown: views.ParseShown, progress, counted: bool
                    ) -> ParseStep | None:
        """The step shown for one parse event (None: nothing to send)."""
        if isinstance(event, Warning):
            gr.Warning(views.notice(event))
        elif isinstance(event, PartialFields):
            if event.progress:
                progress(event.progress, desc="Reading pages", unit="pages")
            shown.filename = event.filename
            return ParseStep(views.partial_status(event), event.table())
        elif isinstance(event, Parsed):
            status = shown.parsed(event)
            out = event.outputs
            return ParseStep(status, out.table if out else None, out,
                             final=not event.llm_follows)
        elif isinstance(event, ChunkDone) and (event.chunks_done or event.done):
            # (chunks_done 0: the rules alone, shown already)
            progress((event.chunks_done, event.chunks_total), desc="LLM chunks",
                     unit="chunks")
            if not event.done:
                table = event.table()
                return ParseStep(shown.chunk(event, table if counted else None), table,
                                 progress=(event.chunks_done, event.chunks_total))
            shown.chunk(event)
        elif isinstance(event, Final):
            return self._final_step(event, shown, counted)
        elif isinstance(event, Cancelled):
            kept = event.kept
            status = shown.cancelled(len(kept.table) if kept else None, event.stage)
            return ParseStep(status, kept.table if kept else None, kept, final=True)
        elif isinstance(event, Failed) and event.kept is not None:
            # the LLM job failed before its first answer: the rules' result, with downloads
            return ParseStep(shown.rules_again(), event.kept.table, event.kept, final=True)
        return None

    @staticmethod
    def _final_step(event: Final, shown: views.ParseShown, counted: bool) -> ParseStep | None:
        """The finished job's step (a rules-only job showed its result with Parsed)."""
        out = event.outputs
        if event.stage == "llm" and out is not None:
            shown.count = len(out.table)
            if counted or event.changes is None:
                added, changed = shown.changes(out.table)
            else:
                added, changed = len(event.changes.added), len(event.changes.changed)
            status = (f"**{len(out.table)} fields** read from `{shown.filename}`: the rules, "
                      f"then the LLM ({added} added, {changed} changed).\n\n"
                      + shown.llm_status)
            return ParseStep(status, out.table, out, final=True)
        if event.llm_unavailable and out is not None:
            return ParseStep(shown.llm_unavailable(event.llm_unavailable), out.table, out,
                             final=True)
        return None


def _stale_export() -> dict[str, Any]:
    """An export made before a new parse or an edit is of another dictionary: taken away."""
    return {"export_file": gr.update(value=None, visible=False), "export_status": ""}


def _no_progress(*args: Any, **kwargs: Any) -> None:
    """The UI's parse shows its progress in its status line."""


def _table_rows(table: Any) -> tuple[list[str], list[list[Any]]]:
    """(headers, rows) of what a Dataframe sends (pandas, or {"headers", "data"})."""
    if hasattr(table, "columns") and hasattr(table, "values"):
        return [str(c) for c in table.columns], table.values.tolist()
    if isinstance(table, dict):
        return list(table.get("headers") or []), list(table.get("data") or [])
    return list(UI_COLUMNS), list(table or [])
