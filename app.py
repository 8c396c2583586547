"""Codebook's web UI and API: builds the Gradio Blocks, wires events to engine calls, launches.

No parsing or analysis happens here: every callback hands paths to `engine.jobs` and turns the
results (or the engine's user-facing errors) into component updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import math
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import gradio as gr
from gradio.utils import get_upload_folder

from engine import gradio_tuning, serving
from engine.aio import Prefetch, latest_every
from engine.analyze import analysis_view
from engine.errors import CodebookError
from engine.jobs import (
    FIELD_ROW_COLUMNS, ParseStart, describe_warnings, freeze_startup_heap,
    iter_parse_views, json_safe, mapping_from_input, packed_size, profile_view, schema_outputs,
    session_dictionary, start_parse, sweep, warm_up, write_schema_downloads,
)
from engine.limits import configure as configure_limits
from engine.llm import NO_PROVIDER_MESSAGE, LLMService, prepare_refine, refine
from engine.llm.merge import MergedSchema
from engine.model import PackedSchema, Schema
from engine.readers.memory import start_trimming
from engine.settings import Settings
from engine.workers import CpuPool

log = logging.getLogger("codebook")
UI_UPDATE_SECONDS = 0.2  # LLM chunks finishing together become one update of the page
QUICK_PARSE_BYTES = 2_000_000  # non-PDF dictionaries up to this size parse in one go
SWEEP_SECONDS = 60  # expired downloads and uploads are deleted at most this often
PLOTS = 5  # violations overview, heat-map, and distributions of the first problem fields

INTRO = """# Codebook
Turn a **data dictionary** (CSV, Excel, PDF, Word, HTML, Markdown, text, REDCap, DDI, SPSS,
Stata, Table Schema …) into a machine-readable Table Schema, and **profile a dataset**.
Everything is also available from Python (`gradio_client`) and the command line."""


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
        self.outroot = outroot
        # CPU-bound steps: worker processes (else threads); large files one worker each, a
        # few at once; light work never waits for them
        self.cpu = cpu or CpuPool(0, heavy=settings.heavy_concurrency)
        self._swept = -math.inf
        self.llm = LLMService.from_settings(settings)  # one client for the whole process

    def _outdir(self) -> Path:
        """A new directory for one request's downloads.  Now and then (every SWEEP_SECONDS)
        a thread of its own deletes what has outlived the TTL (every request doing so walked
        a directory per recent output, over a thousand after a burst of users; and on the
        serving thread, the one that called this, a walk of 3,000 took tens of milliseconds
        from every user, deleting them far more)."""
        now = time.monotonic()
        if now - self._swept >= SWEEP_SECONDS:
            self._swept = now
            threading.Thread(target=self._sweep, name="sweep", daemon=True).start()
        d = self.outroot / uuid.uuid4().hex
        d.mkdir(parents=True)
        return d

    def _sweep(self) -> None:
        ttl = self.settings.upload_ttl
        try:
            sweep(self.outroot, ttl)
            # Gradio's own delete_cache misses some of its files (an empty tmp file per
            # upload, outputs of some streamed events): clear what has outlived the TTL
            sweep(Path(get_upload_folder()), ttl, files=True, keep=self.outroot)
        except OSError:
            log.exception("deleting expired uploads and downloads failed")

    def _is_quick(self, path: str) -> bool:
        """A dictionary that parses in well under a second: in one piece, in a worker."""
        return (Path(path).stat().st_size <= QUICK_PARSE_BYTES
                and not path.lower().endswith(".pdf"))

    def _is_heavy(self, path: str) -> bool:
        return Path(path).stat().st_size > 20_000_000 or path.lower().endswith(".pdf")

    async def parse_dictionary(self, file: str | None, use_llm: bool = False,
                               progress=gr.Progress()):
        """Parse an uploaded dictionary: rules first (streamed), then LLM chunks as they land."""
        if not file:
            raise gr.Error("Upload a data dictionary first.")
        filename = Path(file).name
        view = start = None
        llm_on = use_llm and self.llm is not None
        if self._is_quick(file):
            # the parse and what is shown of it: one call in a worker
            start = await self.cpu.run(functools.partial(start_parse, llm_job=llm_on),
                                       file, filename, size=Path(file).stat().st_size)
            view = start.view
        else:   # long parses stream their fields page by page, in a worker of their own
            views = self.cpu.stream(functools.partial(iter_parse_views, llm_job=llm_on),
                                    file, filename, heavy=True,
                                    size=Path(file).stat().st_size)
            async with contextlib.aclosing(views):    # (a cancelled parse stops its worker)
                async for view in views:
                    if view.progress:
                        progress(view.progress, desc="Reading pages", unit="pages")
                    if not view.done:
                        # None, not gr.skip(): Gradio 6 rebuilds a component for every skip
                        yield view.status, view.table(), None, None, None, None, gr.skip()
        assert view is not None and view.done
        # the LLM job starts now (its chunking waits in the workers behind every user still
        # waiting for a rule-based parse), while the rule-based result goes out
        # (the job holds the rules packed: as objects, a hundred jobs' rules were most of what
        # the serving process held while they waited for their answers; a worker's parse
        # sends them packed)
        rules = None
        if llm_on:
            rules = start.rules if start is not None else PackedSchema.of(view.schema)
        llm_updates = Prefetch(self._refine(file, filename, rules)) if llm_on else None
        try:
            for w in view.warnings:
                gr.Warning(w)
            if (view.coverage or {}).get("low") and not llm_on:
                gr.Warning("The fields account for only a small part of the document: see the "
                           "status line (Refine with LLM reads the whole document).")
            status = view.status + ("\n\n" + describe_warnings(view.warnings)
                                    if view.warnings else "")
            job = {"format": view.format, "warnings": view.warnings, "llm": None,
                   "coverage": view.coverage}
            # with an LLM job to follow, the downloads come with its final result: writing
            # them now, and every gradio_client fetching them, was a large share of the work
            # of starting a job
            yield await self._parse_outputs(status, view.schema, filename, job, start=start,
                                            files=llm_updates is None)
            if not use_llm:
                return
            if llm_updates is None:
                gr.Warning(NO_PROVIDER_MESSAGE)
                job["llm"] = {"error": NO_PROVIDER_MESSAGE}
                yield await self._parse_outputs(status + "\n\n" + NO_PROVIDER_MESSAGE,
                                                view.schema, filename, job)
                return
            view = start = None   # sent; the job holds its rules packed (see above)
            shown = False
            try:
                async for upd in latest_every(llm_updates, UI_UPDATE_SECONDS,
                                              final=lambda u: u.done):
                    if upd.chunks_done or upd.done:   # (chunks_done 0: the rules, shown)
                        yield await self._llm_outputs(upd, filename, job, progress)
                        shown = True
            except Exception:
                if not shown:   # failed before its first call: the rules' downloads, then why
                    yield await self._parse_outputs(status, rules, filename, job)
                raise
        finally:
            if llm_updates is not None:
                await llm_updates.aclose()

    async def _llm_outputs(self, upd, filename: str, job: dict, progress) -> tuple:
        """The outputs for one LLM step: the fields table and progress while chunks are still
        out (sparing Gradio a walk over the whole Table Schema on every step), everything with
        the final one."""
        progress((upd.chunks_done, upd.chunks_total), desc="LLM chunks", unit="chunks")
        job["llm"] = {"chunks_done": upd.chunks_done, "chunks_total": upd.chunks_total,
                      "usage": upd.usage.to_dict(), "flagged": upd.flagged,
                      "error": upd.error, "done": upd.done}
        status = upd.status() + ("\n\n" + describe_warnings(upd.flagged)
                                 if upd.flagged else "")
        if upd.error:
            gr.Warning(upd.error)
        if upd.done:   # after every user waiting for a first result (priority 1)
            return await self._parse_outputs(status, upd.merged, filename, job, priority=1)
        # the table of the merge so far, made here from the rows packed with the merge (in a
        # worker, the hand-overs cost the app 15% more CPU in all, and the light requests were
        # no faster: bench/load.py, 5 paired runs)
        table = upd.merged.table()
        # None rather than gr.skip() for the schema and files (Gradio 6 rebuilds a component,
        # config and all, for every skip: 6 ms of the event loop per step); the session's
        # schema (a State, for which skipping is cheap) keeps the rules result until the end
        return (status, table, None, None, None, json_safe(job), gr.skip())

    async def _refine(self, file: str, filename: str, rules: PackedSchema):
        """The LLM job's updates (text extraction and chunking in a worker, after every waiting
        parse: users waiting for a first result go first)."""
        chunks, split = await self.cpu.run(prepare_refine, file, filename, rules,
                                           self.llm.chunk_tokens, priority=1,
                                           size=Path(file).stat().st_size,
                                           heavy=not self._is_quick(file))
        updates = refine(self.llm, "", split, job_id=uuid.uuid4().hex, filename=filename,
                         chunks=chunks)
        async with contextlib.aclosing(updates):
            async for upd in updates:
                yield upd

    async def _parse_outputs(self, status: str, schema: Schema | PackedSchema | MergedSchema,
                             filename: str, job: dict, *,
                             files: bool = True, start: ParseStart | None = None,
                             priority: int = 0) -> tuple:
        """Every parse output of `schema` (or of a packed form of it, unpacked in the worker),
        downloads written unless `files` is False.  `start`: the worker's table and descriptor
        of `schema`, when it made them (the files are then written in a thread); otherwise all
        is made in a worker process at `priority` (see CpuPool.run; in a thread of this
        process, 100 LLM jobs finishing together took the serving thread's turns).  Without
        `files` (the rules step of an LLM job) there is no Table Schema JSON either: like the
        files it comes with the final result, and the session keeps the rules' schema
        meanwhile (Gradio spends over 1 ms of the serving thread on each such JSON value it
        sends)."""
        if start is None or (files and start.descriptor is None):
            table, descriptor, paths, saved = await self.cpu.run(
                schema_outputs, schema, filename, str(self._outdir()) if files else None,
                priority=priority, size=packed_size(schema))
            return (status, table, descriptor if files else None, *paths, json_safe(job),
                    saved)
        if not files:   # all made already
            return (status, start.table, None, None, None, json_safe(job), start.saved)

        def write() -> tuple:
            return tuple(str(p) for p in write_schema_downloads(
                schema, filename, self._outdir(), descriptor=start.descriptor))
        paths = await asyncio.to_thread(write)
        return (status, start.table, start.descriptor, *paths, json_safe(job), start.saved)

    async def profile(self, file: str | None, sheet: str | None = None,
                      session: bytes | None = None):
        """Profile an uploaded dataset (using the session's dictionary when there is one) in a
        worker process, a big file in a worker of its own.  (In a thread of the serving
        process, a small profile that took 70 ms alone took up to 1.5 s while the serving
        thread was busy: pandas releases and retakes the interpreter lock many times, and
        each time waited for the busy thread's turn to end.)"""
        if not file:
            raise gr.Error("Upload a dataset first.")
        args = (file, Path(file).name, sheet or None, session, str(self._outdir()))
        view = await self.cpu.run(profile_view, *args, size=Path(file).stat().st_size,
                                  heavy=self._is_heavy(file))
        for w in view.warnings:
            gr.Warning(w)
        sheets = view.data.get("sheets") or []
        sheet_update = (gr.update(choices=sheets, value=view.data.get("sheet"), visible=True)
                        if len(sheets) > 1 else gr.update(visible=False))
        return view.status, view.table, view.data, view.download, sheet_update

    async def analyze(self, data_file: str | None, dictionary_file: str | None = None,
                      mapping: Any = None, session: bytes | None = None):
        """Check a dataset against a dictionary (the uploaded one, else the session's), in a
        worker process (a big dataset or dictionary in a worker of its own)."""
        if not data_file:
            raise gr.Error("Upload a dataset first.")
        outdir = self._outdir()
        dict_path = dictionary_file or session_dictionary(session, outdir)
        label = None if dictionary_file else "the dictionary parsed in this session"
        heavy = self._is_heavy(data_file) or bool(dictionary_file) and not self._is_quick(
            dictionary_file)
        view = await self.cpu.run(
            functools.partial(analysis_view, data_filename=Path(data_file).name,
                              dictionary_filename=Path(dict_path).name if dict_path else None,
                              dictionary_label=label, plots=PLOTS),
            data_file, str(dict_path) if dict_path else None, mapping_from_input(mapping),
            str(outdir), size=Path(data_file).stat().st_size, heavy=heavy)
        for w in view.warnings[:5]:
            gr.Warning(w)
        plots = view.figures[:PLOTS] + [None] * (PLOTS - len(view.figures))
        return (view.markdown, view.fields, view.matching, view.preview, *plots,
                view.downloads, view.report)


def build_demo(settings: Settings | None = None, cpu: CpuPool | None = None) -> gr.Blocks:
    """Build the Blocks (not launched): tests launch it with prevent_thread_lock=True."""
    settings = settings or Settings.from_env()
    # inside Gradio's cache, whose files it serves as they are: a download elsewhere is hashed
    # and copied there first (1-2 ms of the serving thread per file, 2 per finished LLM job)
    outroot = Path(get_upload_folder()) / "codebook-downloads"
    h = Handlers(settings, outroot, cpu)
    ttl = settings.upload_ttl
    light = {"concurrency_limit": settings.light_concurrency, "concurrency_id": "light"}

    with gr.Blocks(title="Codebook", delete_cache=(max(60, ttl // 4), ttl)) as demo:
        schema_state = gr.State(None)   # the parsed dictionary (engine.jobs.session_schema)
        gr.Markdown(INTRO)
        with gr.Tab("Dictionary"):
            with gr.Row():
                dict_file = gr.File(label="Data dictionary", file_count="single", elem_id="dict-file")
                with gr.Column():
                    use_llm = gr.Checkbox(
                        label="Refine with LLM", value=False, elem_id="use-llm",
                        info=(f"Provider: {h.llm.describe()}" if h.llm else NO_PROVIDER_MESSAGE))
                    with gr.Row():
                        parse_btn = gr.Button("Parse dictionary", variant="primary")
                        cancel_btn = gr.Button("Cancel", variant="stop")
            parse_status = gr.Markdown(elem_id="parse-status")
            fields_table = gr.Dataframe(headers=FIELD_ROW_COLUMNS, label="Fields", wrap=True,
                                        interactive=False, elem_id="fields-table",
                                        show_search="search",
                                        column_widths=["12%", "12%", "26%", "7%", "7%", "18%",
                                                       "6%", "8%", "4%"])
            with gr.Row():
                schema_file = gr.File(label="Table Schema (JSON)", interactive=False)
                csv_file = gr.File(label="Fields (CSV)", interactive=False)
            with gr.Accordion("Table Schema", open=False):
                schema_json = gr.JSON(label="Table Schema v2")
            with gr.Accordion("Job details (format, warnings, LLM usage)", open=False):
                job_json = gr.JSON(label="Job")
        with gr.Tab("Dataset"):
            with gr.Row():
                data_file = gr.File(label="Dataset", file_count="single", elem_id="data-file")
                with gr.Column():
                    sheet = gr.Dropdown(label="Sheet", choices=[], visible=False,
                                        allow_custom_value=True)
                    profile_btn = gr.Button("Profile dataset", variant="primary")
            profile_status = gr.Markdown(elem_id="profile-status")
            columns_table = gr.Dataframe(label="Columns", wrap=True, interactive=False,
                                         elem_id="columns-table")
            profile_file_out = gr.File(label="Profile (JSON)", interactive=False)
            with gr.Accordion("Profile JSON", open=False):
                profile_json = gr.JSON(label="Profile")

        with gr.Tab("Check"):
            gr.Markdown("Check a dataset against its dictionary. Without a dictionary file, the "
                        "one parsed in the Dictionary tab is used; with neither, a starter "
                        "dictionary is inferred from the data.")
            with gr.Row():
                check_data = gr.File(label="Dataset", elem_id="check-data")
                check_dict = gr.File(label="Dictionary (optional)", elem_id="check-dict")
            mapping_json = gr.Textbox(label="Column → field mapping (JSON, optional)",
                                      placeholder='{"Bedroom count": "Bedroom"}', lines=1)
            with gr.Row():
                analyze_btn = gr.Button("Analyze", variant="primary")
                rerun_btn = gr.Button("Re-run with the pairing below")
            check_report = gr.Markdown(elem_id="check-report")
            with gr.Row():
                plots = [gr.Plot(label="Violations", elem_id="plot-0"),
                         gr.Plot(label="Where the problems are", elem_id="plot-1")]
            with gr.Row():
                plots += [gr.Plot(label=f"Distribution {i + 1}") for i in range(PLOTS - 2)]
            check_fields = gr.Dataframe(headers=["field", "column", "type", "status", "verdict"],
                                        label="Fields", interactive=False, wrap=True,
                                        elem_id="check-fields")
            check_matching = gr.Dataframe(
                headers=["column", "field", "method", "confidence"], interactive=True,
                label="Column matching (edit the field column, then re-run)",
                elem_id="check-matching")
            check_preview = gr.Dataframe(label="Preview with value labels", interactive=False)
            check_files = gr.File(label="Downloads", file_count="multiple", interactive=False)
            with gr.Accordion("Report JSON", open=False):
                check_json = gr.JSON(label="Report")

        parse_outputs = [parse_status, fields_table, schema_json, schema_file, csv_file,
                         job_json, schema_state]
        parse_fn = user_errors(h.parse_dictionary)
        # Parses (rules or LLM) have their own pool: LLM jobs mostly wait on the provider, whose
        # process-wide limits are the real bound; profiles never queue behind them.
        parse = {"concurrency_limit": settings.llm_jobs, "concurrency_id": "parse"}
        parse_events = [
            parse_btn.click(parse_fn, [dict_file, use_llm], parse_outputs,
                            api_name="parse_dictionary", **parse),
            dict_file.upload(parse_fn, [dict_file, use_llm], parse_outputs,
                             api_visibility="private", **parse),
        ]
        cancel_btn.click(None, None, None, cancels=parse_events, api_visibility="private")

        check_outputs = [check_report, check_fields, check_matching, check_preview, *plots,
                         check_files, check_json]
        analyze_fn = user_errors(h.analyze)
        analyze_btn.click(analyze_fn, [check_data, check_dict, mapping_json, schema_state],
                          check_outputs, api_name="analyze", **light)
        rerun_btn.click(analyze_fn, [check_data, check_dict, check_matching, schema_state],
                        check_outputs, api_visibility="private", **light)

        profile_outputs = [profile_status, columns_table, profile_json, profile_file_out, sheet]
        profile_fn = user_errors(h.profile)
        profile_btn.click(profile_fn, [data_file, sheet, schema_state], profile_outputs,
                          api_name="profile", **light)
        data_file.upload(profile_fn, [data_file, sheet, schema_state], profile_outputs,
                         api_visibility="private", **light)
    return demo


def configure_queue(demo: gr.Blocks, settings: Settings) -> gr.Blocks:
    """The queue: bounded, no bypass of it through the REST API, light events concurrent."""
    return demo.queue(max_size=settings.queue_max_size, api_open=False,
                      default_concurrency_limit=settings.light_concurrency)


def launch(settings: Settings | None = None, **kwargs: Any):
    """Build, configure and launch; extra kwargs go to Blocks.launch (tests pass ports)."""
    settings = settings or Settings.from_env()
    configure_limits(settings)   # the bounds on inputs; the forked workers inherit them
    warm_up()
    cpu = CpuPool(settings.cpu_workers, heavy=settings.heavy_concurrency,
                  memory_limit=settings.worker_memory, time_limit=settings.worker_timeout)
    demo = configure_queue(build_demo(settings, cpu), settings)
    gradio_tuning.apply(demo)   # a per-session cost inside Gradio (see the module)
    serving.install()   # uvloop accepting every waiting connection per turn (see the module)
    freeze_startup_heap()
    cpu.start()     # forks the workers' fork server: before Gradio starts any thread
    start_trimming()   # memory a burst of users freed goes back to the OS (every 10 s)
    options = dict(server_name=settings.host, server_port=settings.port,
                   max_threads=settings.max_threads, max_file_size=settings.max_file_size,
                   state_session_capacity=settings.sessions,
                   # no dashboard (nor the records it needs: see gradio_tuning.ANALYTICS_EVENTS)
                   enable_monitoring=False,
                   show_error=True, footer_links=["api", "settings"])
    options.update(kwargs)
    demo.launch(**options)
    return demo


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    # one INFO line per HTTP request (every LLM call, every Gradio self-check) is noise, and
    # under load a measurable share of the serving thread
    for name in ("httpx", "httpx2", "httpcore", "httpcore2"):
        logging.getLogger(name).setLevel(logging.WARNING)
    launch()
