"""The parse job: a dictionary read by rules, then (when asked and configured) refined by an
LLM, as events (see `events`).  The UI and the CLI both run this one job.

    async for event in parse_job(path, executor=pool, llm=service, use_llm=True,
                                 outdir=new_directory, update_every=0.2): ...

A small file (not a PDF) is parsed in one step; a big one or a PDF streams the fields found so
far, page by page.  A rules-only job's downloads are written with its result; an LLM job's come
with its final result (the rules' result is shown meanwhile, without them).  The LLM job's
first step (text and chunks) is queued behind every parse still waiting, and starts before the
rules' result is handed over, so the two overlap.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from ..formats import expanded
from . import steps
from .events import Cancelled, Event, Failed, Final, Parsed, PartialFields, Started, Warning
from .executor import Executor
from .streams import Prefetch, unless_cancelled

QUICK_PARSE_BYTES = 2_000_000  # non-PDF dictionaries up to this size parse in one step
HEAVY_BYTES = 20_000_000       # bigger files (and PDFs) get a worker of their own


@dataclass(frozen=True)
class FileWork:
    """What a file reads as, for scheduling: a compressed file's inside (its headers read
    once, not per question)."""

    name: str
    size: int

    @property
    def quick(self) -> bool:
        """A dictionary that parses in well under a second: in one step."""
        return self.size <= QUICK_PARSE_BYTES and not self.name.lower().endswith(".pdf")

    @property
    def heavy(self) -> bool:
        """Big enough (or a PDF) to be read in a worker of its own."""
        return self.size > HEAVY_BYTES or self.name.lower().endswith(".pdf")


def file_work(path: str | Path) -> FileWork:
    """The name and size the file reads as (engine.formats.expanded)."""
    try:
        return FileWork(*expanded(path))
    except OSError:      # the parse says what is wrong with it
        return FileWork(str(path), 0)


def is_quick(path: str | Path) -> bool:
    """A dictionary that parses in well under a second: in one step."""
    return file_work(path).quick


async def parse_job(path: str | Path, filename: str | None = None, *, executor: Executor,
                    llm: Any = None, use_llm: bool = False, sheet: str | None = None,
                    outdir: Callable[[], str | Path] | None = None, outputs: bool = True,
                    update_every: float = 0.0, cancel: asyncio.Event | None = None,
                    missing_values: Any = None) -> AsyncIterator[Event]:
    """Parse a dictionary by rules, then refine it with `llm` (an engine.llm.LLMService) when
    `use_llm`.  `outdir()`: a new directory for the downloads (none without it); `outputs`:
    make what a UI shows (tables, descriptors; the CLI needs none); `update_every`: LLM
    steps at most this often (the newest kept); `cancel`: set it to stop the job, which then
    ends with Cancelled and what it had finished; `missing_values`: markers declared missing,
    written to the schema ('NA,NULL; Age=-9': see engine.markers)."""
    from ..markers import parse_markers

    path = str(path)
    name = filename or Path(path).name
    job = _ParseJob(path, name, executor, llm if use_llm else None, sheet, outdir, outputs,
                    cancel)
    yield Started("parse", name, llm=job.llm is not None)
    rules = None
    try:
        job.markers = parse_markers(missing_values) or None   # malformed: fails before work
        async for event in job.rules():
            if isinstance(event, steps.RulesResult):
                rules = event
            else:
                yield event
    except Exception as exc:  # noqa: BLE001 - the job's failure is its last event
        yield Failed(exc, "rules")
        return
    if rules is None:
        return                                   # cancelled (said so already)
    async for event in job.after_rules(rules, use_llm, update_every):
        yield event


class _ParseJob:
    """One parse job's settings and the steps it runs."""

    def __init__(self, path: str, name: str, executor: Executor, llm: Any, sheet: str | None,
                 outdir: Callable[[], str | Path] | None, outputs: bool,
                 cancel: asyncio.Event | None) -> None:
        self.path, self.name, self.executor, self.llm = path, name, executor, llm
        self.sheet, self.outdir, self.outputs, self.cancel = sheet, outdir, outputs, cancel
        work = file_work(path)
        self.size, self.quick = work.size, work.quick
        self.markers = None          # engine.markers.Markers declared by the user

    def new_outdir(self) -> str | None:
        """A new directory for downloads (None: the job writes none)."""
        return None if self.outdir is None else str(self.outdir())

    async def rules(self) -> AsyncIterator[Any]:
        """The rule-based parse: PartialFields while a long one goes, then its RulesResult;
        Cancelled instead when the job is cancelled."""
        llm_job = self.llm is not None
        if self.quick:
            outdir = None if llm_job or not self.outputs else self.new_outdir()
            done, result = await unless_cancelled(self.cancel, self.executor.run(
                steps.parse_rules, self.path, self.name, self.sheet, llm_job, self.outputs,
                outdir, self.markers, size=self.size))
            yield result if done else Cancelled("rules")
            return
        updates = self.executor.stream(steps.stream_rules, self.path, self.name, self.sheet,
                                       llm_job, heavy=True, size=self.size)
        last = None
        async with contextlib.aclosing(updates):     # (a cancelled parse stops its worker)
            while True:
                done, update = await unless_cancelled(self.cancel, anext(updates, None))
                if not done:
                    yield Cancelled("rules")
                    return
                if update is None or update.done:
                    last = update
                    break
                yield PartialFields(self.name, update.format, update.progress,
                                    _schema_of(update))
        assert last is not None and last.result is not None
        outdir = None if llm_job or not self.outputs else self.new_outdir()
        yield await self.executor.run(steps.finish_rules, last.result, self.name, llm_job,
                                      self.outputs, outdir, self.markers,
                                      size=len(last.result.schema.fields) * 100)

    async def after_rules(self, rules: steps.RulesResult, use_llm: bool, update_every: float
                          ) -> AsyncIterator[Event]:
        """The rules' result handed over, then the LLM's steps (or why there are none)."""
        updates = None
        if self.llm is not None:
            from .refine import refine_updates

            updates = Prefetch(refine_updates(self, rules.rules, rules.sheets))
        try:
            for warning in rules.warnings:
                yield Warning(warning)
            if rules.coverage is not None and rules.coverage.low and updates is None:
                yield Warning(rules.coverage.warning(), "coverage")
            yield Parsed(self.name, rules.format, rules.count, rules.seconds, rules.warnings,
                         rules.coverage, updates is not None, rules.outputs)
            final = Final("parse", outputs=rules.outputs, source=rules.schema)
            if not use_llm:
                yield final
                return
            if updates is None:
                from ..llm import NO_PROVIDER_MESSAGE

                yield Warning(NO_PROVIDER_MESSAGE, "no-provider")
                yield replace(final, llm_unavailable=NO_PROVIDER_MESSAGE)
                return
            from .refine import llm_events

            async for event in llm_events(self, rules.rules, updates, update_every):
                yield event
        finally:
            if updates is not None:
                await updates.aclose()


def _schema_of(update) -> Any:
    from ..model import Schema

    return update.result.schema if update.result else Schema(fields=update.fields)
