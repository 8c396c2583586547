"""The parse job's LLM stage: the document's chunks, the refinement's steps as ChunkDone
events, and its final outputs (imported only by jobs that refine: the LLM client is a large
import a rules-only command line does without)."""

from __future__ import annotations

import contextlib
import functools
import uuid
from typing import TYPE_CHECKING, Any, AsyncIterator

from ..llm import RefineUpdate, prepare_refine, refine
from ..model import PackedSchema
from . import steps
from .events import Cancelled, ChunkDone, Event, Failed, Final, Warning
from .outputs import packed_size
from .streams import latest_every, unless_cancelled

if TYPE_CHECKING:
    from .parse import _ParseJob


async def refine_updates(job: _ParseJob, rules: PackedSchema, sheets: tuple[str, ...] = ()
                         ) -> AsyncIterator[RefineUpdate]:
    """The refinement's updates.  Its first step (the document's text, cut into chunks, the
    rules split for them) runs on the executor after every parse waiting for a first result
    (priority 1).  A workbook's text is that of the sheet asked for, else of the `sheets` the
    rules read."""
    hints = dict(priority=1, size=job.size, heavy=not job.quick)
    chunks, split = await job.executor.run(
        functools.partial(prepare_refine, sheet=job.sheet, sheets=sheets),
        job.path, job.name, rules, job.llm.chunk_tokens, **hints)
    updates = refine(job.llm, "", split, job_id=uuid.uuid4().hex, filename=job.name,
                     chunks=chunks)
    async with contextlib.aclosing(updates):
        async for update in updates:
            yield update


def chunk_done(update: RefineUpdate) -> ChunkDone:
    """The event for one refinement update."""
    return ChunkDone(update.chunks_done, update.chunks_total, update.done, update.usage,
                     list(update.flagged), update.error, update.status(), update.merged)


async def llm_events(job: _ParseJob, rules: PackedSchema, updates: AsyncIterator[RefineUpdate],
                     update_every: float) -> AsyncIterator[Event]:
    """ChunkDone for each step (at most one per `update_every`, the newest), then Final with
    the refined outputs.  A failure before any step with answers was shown brings the rules'
    result again, with its downloads (Failed.kept)."""
    if update_every > 0:
        updates = latest_every(updates, update_every, final=lambda u: u.done)
    shown, last = False, None
    try:
        while True:
            done, update = await unless_cancelled(job.cancel, anext(updates, None))
            if not done:
                yield await _cancelled(job, rules, last)
                return
            if update is None:
                raise RuntimeError("the refinement ended without a final update")
            event = chunk_done(update)
            if update.done:
                if update.error:
                    yield Warning(update.error, "llm")
                yield event
                shown = True
                yield await _final(job, rules, event)
                return
            yield event
            shown = shown or update.chunks_done > 0
            last = update
    except Exception as exc:  # noqa: BLE001 - the job's failure is its last event
        kept = None
        if not shown and job.outputs:
            with contextlib.suppress(Exception):
                kept = await job.executor.run(steps.schema_outputs, rules, job.name,
                                              job.new_outdir(), size=len(rules.data))
        yield Failed(exc, "llm", kept)
    finally:
        aclose = getattr(updates, "aclose", None)
        if aclose is not None:
            await aclose()


async def _final(job: _ParseJob, rules: PackedSchema, event: ChunkDone) -> Final:
    """The refined result's Final event: its outputs made (and downloads written) on the
    executor after every user waiting for a first result (priority 1)."""
    if not job.outputs:
        return Final("parse", source=event.merged, stage="llm", llm=event)
    outputs, changes = await job.executor.run(
        steps.refined_outputs, event.merged, rules, job.name, job.new_outdir(), job.markers,
        priority=1,
        size=packed_size(event.merged))
    return Final("parse", outputs=outputs, source=event.merged, stage="llm", llm=event,
                 changes=changes)


async def _cancelled(job: _ParseJob, rules: PackedSchema, last: RefineUpdate | None
                     ) -> Cancelled:
    """What a cancelled refinement keeps: the merge so far (or the rules), with downloads."""
    source: Any = last.merged if last is not None else rules
    kept = None
    if job.outputs:
        kept = await job.executor.run(steps.schema_outputs, source, job.name,
                                      job.new_outdir(), size=packed_size(source))
    return Cancelled("llm", kept, source)
