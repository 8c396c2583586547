"""The UI's callbacks: each hands its inputs to a pipeline job and turns the job's events into
component updates (text from web.views), nothing else.  Engine errors become gr.Error with
the engine's message (`user_errors`)."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
from pathlib import Path
from typing import Any, Callable

import gradio as gr
from gradio.utils import get_upload_folder

from engine.errors import CodebookError
from engine.llm import LLMService
from engine.pipeline import (Cancelled, Checked, ChunkDone, Failed, Final, Parsed, PartialFields,
                             Warning, analyze_job, parse_job, profile_job)
from engine.settings import Settings

from . import views
from .runtime.sweep import Downloads
from .runtime.workers import CpuPool
from .session import mapping_from_input, session_dictionary

log = logging.getLogger("codebook")
UI_UPDATE_SECONDS = 0.2  # LLM chunks finishing together become one update of the page
PLOTS = 5  # violations overview, heat-map, and distributions of the first problem fields
ANALYSIS_WARNINGS = 5   # pop-ups an analysis shows at most (the report lists them all)


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


class Handlers:
    """The callbacks, bound to one app's settings and output directory (no module state)."""

    def __init__(self, settings: Settings, outroot: Path, cpu: CpuPool | None = None):
        self.settings = settings
        # CPU-bound steps: worker processes (else threads); large files one worker each, a
        # few at once; light work never waits for them
        self.cpu = cpu or CpuPool(0, heavy=settings.heavy_concurrency)
        self.downloads = Downloads(outroot, settings.upload_ttl, Path(get_upload_folder()))
        self.llm = LLMService.from_settings(settings)  # one client for the whole process

    async def parse_dictionary(self, file: str | None, use_llm: bool = False,
                               missing_values: str | None = "", progress=gr.Progress()):
        """Parse an uploaded dictionary: rules first (streamed), then LLM chunks as they land.
        `missing_values`: markers declared missing ('NA,NULL; Age=-9', engine.markers),
        written to the schema.  Outputs: status, fields table, Table Schema, its file, fields
        CSV, job details, and the session's dictionary."""
        if not file:
            raise gr.Error("Upload a data dictionary first.")
        shown = views.ParseShown()
        events = parse_job(file, executor=self.cpu, llm=self.llm, use_llm=use_llm,
                           outdir=self.downloads.new, update_every=UI_UPDATE_SECONDS,
                           missing_values=missing_values or None)
        async with contextlib.aclosing(events):
            async for event in events:
                update = self._parse_update(event, shown, progress)
                if update is not None:
                    yield update
                if isinstance(event, Failed):
                    raise event.error

    def _parse_update(self, event: Any, shown: views.ParseShown, progress) -> tuple | None:
        """The component updates for one parse event (None: nothing to send)."""
        if isinstance(event, Warning):
            gr.Warning(views.notice(event))
        elif isinstance(event, PartialFields):
            if event.progress:
                progress(event.progress, desc="Reading pages", unit="pages")
            # None, not gr.skip(): Gradio 6 rebuilds a component for every skip
            return (views.partial_status(event), event.table(), None, None, None, None,
                    gr.skip())
        elif isinstance(event, Parsed):
            return _schema_update(shown.parsed(event), event.outputs, shown)
        elif isinstance(event, ChunkDone) and (event.chunks_done or event.done):
            # (chunks_done 0: the rules alone, shown already)
            progress((event.chunks_done, event.chunks_total), desc="LLM chunks",
                     unit="chunks")
            status = shown.chunk(event)
            if not event.done:
                # the table of the merge so far; None rather than gr.skip() for the schema and
                # files (a skip rebuilds a component's config); the session keeps the rules'
                # schema (a State, for which skipping is cheap) until the end
                return (status, event.table(), None, None, None, shown.job_json(), gr.skip())
        elif isinstance(event, Final):
            return self._final_update(event, shown)
        elif isinstance(event, Cancelled) and event.kept is not None:
            return _schema_update(shown.status, event.kept, shown)
        elif isinstance(event, Failed) and event.kept is not None:
            # the LLM job failed before its first answer: the rules' result, with downloads
            return _schema_update(shown.rules_again(), event.kept, shown)
        return None

    @staticmethod
    def _final_update(event: Final, shown: views.ParseShown) -> tuple | None:
        """The finished job's updates (a rules-only job showed them with Parsed already)."""
        if event.stage == "llm":
            return _schema_update(shown.llm_status, event.outputs, shown)
        if event.llm_unavailable:
            return _schema_update(shown.llm_unavailable(event.llm_unavailable), event.outputs,
                                  shown)
        return None

    async def profile(self, file: str | None, sheet: str | None = None,
                      session: bytes | None = None):
        """Profile an uploaded dataset (using the session's dictionary when there is one) in a
        worker process (in a thread of the serving process, pandas work waited for the busy
        serving thread's turns)."""
        if not file:
            raise gr.Error("Upload a dataset first.")
        final = await _final_of(profile_job(
            file, sheet=sheet or None, dictionary=session or None, executor=self.cpu,
            outdir=self.downloads.new, present=views.profile_view))
        view = final.value
        sheets = view.data.get("sheets") or []
        sheet_update = (gr.update(choices=sheets, value=view.data.get("sheet"), visible=True)
                        if len(sheets) > 1 else gr.update(visible=False))
        return view.status, view.table, view.data, view.download, sheet_update

    async def analyze(self, data_file: str | None, dictionary_file: str | None = None,
                      mapping: Any = None, missing_values: str | None = "",
                      session: bytes | None = None):
        """Check a dataset against a dictionary (the uploaded one, else the session's), in a
        worker process, with `missing_values` declared missing ('NA,NULL; Age=-9').  The
        report and tables are sent as soon as the check ends (downloads empty), then again
        with the downloads once they are written."""
        if not data_file:
            raise gr.Error("Upload a dataset first.")
        outdir = self.downloads.new()
        dict_path = dictionary_file or session_dictionary(session, outdir)
        label = None if dictionary_file else "the dictionary parsed in this session"
        events = analyze_job(
            data_file, dict_path, mapping_from_input(mapping), executor=self.cpu,
            data_filename=Path(data_file).name, dictionary_label=label,
            dictionary_filename=Path(dict_path).name if dict_path else None,
            missing_values=missing_values or None,
            outdir=lambda: outdir, present=functools.partial(views.analysis_view, plots=PLOTS))
        warned = 0
        async with contextlib.aclosing(events):
            async for event in events:
                if isinstance(event, Warning) and warned < ANALYSIS_WARNINGS:
                    gr.Warning(views.notice(event))
                    warned += 1
                elif isinstance(event, Failed):
                    raise event.error
                elif isinstance(event, (Checked, Final)):
                    yield _analysis_outputs(event.value, isinstance(event, Final))


def _analysis_outputs(view: views.AnalysisView, final: bool) -> tuple:
    """Every Check output of an analysis view (its downloads only when `final`)."""
    plots = view.figures[:PLOTS] + [None] * (PLOTS - len(view.figures))
    return (view.markdown, view.fields, view.matching, view.preview, *plots,
            view.downloads if final else None, view.report)


def _schema_update(status: str, outputs, shown: views.ParseShown) -> tuple:
    """Every parse output of a schema's outputs (no descriptor nor files: None)."""
    json_path, csv_path = outputs.downloads
    return (status, outputs.table, outputs.descriptor, json_path, csv_path, shown.job_json(),
            outputs.compact)


async def _final_of(events, warnings: int | None = None) -> Final:
    """A one-step job's Final event; its warnings shown (at most `warnings` of them)."""
    shown = 0
    async with contextlib.aclosing(events):
        async for event in events:
            if isinstance(event, Warning) and (warnings is None or shown < warnings):
                gr.Warning(views.notice(event))
                shown += 1
            elif isinstance(event, Failed):
                raise event.error
            elif isinstance(event, Final):
                return event
    raise RuntimeError("the job ended without a result")
