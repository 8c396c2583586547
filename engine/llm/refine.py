"""Refine a rule-based schema with the LLM, streaming a better schema after every chunk.

    async with contextlib.aclosing(refine(service, text, rules, job_id=..., filename=...)) as it:
        async for update in it:
            show(update.schema, update.chunks_done, update.chunks_total, update.usage)

The first update (chunks_done=0) carries the rules schema at once; the next one folds in every
chunk already in the cache (when the cache has them all, the final update is the only one).
Cached chunks count as done straight away;
the others are queued together with the service's fair scheduler (as a count: each chunk's call
is made when it gets its slot) and go out under its limits, and each answer is folded in
(document order) as it arrives.  An unusable answer gets one corrective retry, then
the chunk keeps its rule-based fields and is listed in `flagged`.  At the job deadline the
chunks still out keep their rule result and are flagged.  Stopping the iteration (or cancelling
the task) cancels every queued and in-flight call of the job at once.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import logging
from collections import deque
from dataclasses import dataclass, field as dc_field
from typing import AsyncIterator, Callable

from ..errors import ProviderError
from ..model import Field, PackedSchema, Schema
from .chunking import Chunk, chunk_text
from .backend import Reply
from .merge import MergedSchema, Merger, split_rules
from .prompt import corrective_messages, messages, user_message
from .scheduler import Ticket
from .service import CallFailed, LLMService, Usage
from .schema import OutputError, fields_from_json, fields_to_json, parse_output, to_field
from .source import dictionary_text


@dataclass
class RefineUpdate:
    """One step of a refinement: the schema so far, progress, cost, and what fell back."""

    merged: MergedSchema      # the schema so far, packed (see `schema`)
    chunks_done: int
    chunks_total: int
    usage: Usage
    flagged: list[str] = dc_field(default_factory=list)
    done: bool = False
    # job-level (user-facing): a provider failure that stopped the job, or at its end the
    # chunks whose calls failed, summed up once
    error: str | None = None
    filename: str = ""

    @property
    def schema(self) -> Schema:
        """The schema so far: new objects on each access (half a millisecond for 80 fields),
        so that updates waiting to be shown hold bytes, not fields."""
        return self.merged.schema()

    def status(self) -> str:
        """One Markdown line for the UI and the CLI."""
        of = f" of `{self.filename}`" if self.filename else ""
        head = (f"LLM refinement{of}: {self.chunks_done} of {self.chunks_total} chunks"
                + (" done" if self.done else ""))
        tail = f", {len(self.flagged)} kept the rule-based result" if self.flagged else ""
        error = f". {self.error}" if self.done and self.error else ""
        return f"{head}{tail}. {self.usage.text()}{error}"


log = logging.getLogger(__name__)
_INLINE_CHUNKING = 20_000  # characters chunked in about 10 ms: not worth a thread hop


class _ChunkFallback(Exception):
    """This chunk keeps its rule-based fields; the message says why."""


class _CallFallback(_ChunkFallback):
    """The chunk's call failed for good (`reason`: the provider's or the network's)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


async def refine(service: LLMService, text: str,
                 rules: Schema | PackedSchema | MergedSchema | None, *, job_id: str,
                 filename: str = "", chunks: list[Chunk] | None = None
                 ) -> AsyncIterator[RefineUpdate]:
    """Yield the rules schema, then an improved schema after each chunk the LLM answers.
    `chunks`: the text already cut, and `rules` then possibly split for them already, both
    by `prepare_refine` (e.g. in a worker process; `text` is then not used)."""
    t0 = service.clock.now()
    rules = rules or Schema()
    usage = Usage()
    if chunks is None:
        if isinstance(rules, MergedSchema):
            raise ValueError("rules split for their chunks need those chunks")
        chunks = await _chunks(text, rules.names, service.limits.chunk_tokens)
    job = _Job(service, chunks, rules, usage, job_id, filename, t0)
    first = job.update()               # the rules alone, before any cached answer is folded in
    await job.load_cached()
    todo = deque(c for c in chunks if c.index not in job.done)    # calls not made yet
    running: dict[asyncio.Task, Chunk] = {}       # made, their answers not recorded yet
    finished: asyncio.Queue[asyncio.Task] = asyncio.Queue()
    context = contextvars.copy_context()

    def start(ticket: Ticket) -> None:
        # called by the scheduler when the job is granted a slot: the chunk's call (its
        # task, coroutines and prompt) exists from then on, not while it waits its turn
        chunk = todo.popleft()
        task = asyncio.get_running_loop().create_task(job.run_chunk(chunk, ticket),
                                                      context=context.copy())
        running[task] = chunk
        task.add_done_callback(lambda t: (ticket.release(), finished.put_nowait(t)))

    # the calls start before the first update is handed over, so they overlap its display
    service.defer_calls(job_id, len(todo), start)
    try:
        if todo or running:     # with every chunk cached, the final update is the only one
            yield first
            if usage.cache_hits:
                yield job.update()
        while (todo or running) and not job.error:
            try:
                async with asyncio.timeout_at(t0 + service.limits.deadline):
                    batch = [await finished.get()]
            except TimeoutError:
                job.flag_rest("the job's time limit was reached")
                break
            while not finished.empty():
                batch.append(finished.get_nowait())
            for task in sorted(batch, key=lambda t: running[t].index):
                # recorded, a task is let go: the merge keeps what it needs of the answer,
                # the rest would otherwise stay in memory until the job's end
                job.record(running.pop(task), task)
                if job.error:
                    job.flag_rest("the job stopped on a provider error")
                    break
            # one update for all the chunks that finished together (the newest state is what
            # a consumer shows); the last one is the final update below
            if (todo or running) and not job.error:
                yield job.update()
    finally:
        service.withdraw_calls(job_id)     # the calls not started are never made
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await job.flush()       # "done" means every answer is cached: a re-run sends nothing
    job.sum_up_failures()
    yield job.update(done=True)


def prepare_refine(path: str, filename: str, rules: Schema | PackedSchema, budget: int, *,
                   sheet: str | None = None, sheets: tuple[str, ...] = ()
                   ) -> tuple[list[Chunk], MergedSchema]:
    """A dictionary file's chunks and its rules split for them (`split_rules`): the CPU-bound
    part of starting a job, as one picklable call (the app runs it in a worker process, so
    the serving process never makes the rules' objects).  A workbook's text is `sheet`'s,
    else that of the `sheets` the rules read (dictionary_text)."""
    if isinstance(rules, PackedSchema):
        rules = rules.unpack()
    text = dictionary_text(path, filename, sheet=sheet, sheets=sheets)
    chunks = chunk_text(text, rules.names, budget=budget)
    return chunks, split_rules(rules, chunks)


async def _chunks(text: str, names: list[str], budget: int) -> list[Chunk]:
    """Chunk in a worker thread when the text is long enough to hold up the event loop."""
    if len(text) < _INLINE_CHUNKING:
        return chunk_text(text, names, budget=budget)
    return await asyncio.to_thread(chunk_text, text, names, budget=budget)


async def refine_all(service: LLMService, text: str, rules: Schema | None, *, job_id: str,
                     filename: str = "", on_update: Callable[[RefineUpdate], None] | None = None
                     ) -> RefineUpdate:
    """Run a refinement to its end and return the final update (for the CLI and scripts);
    `on_update` sees every step, e.g. to print progress."""
    final = None
    async with contextlib.aclosing(refine(service, text, rules, job_id=job_id,
                                          filename=filename)) as updates:
        async for final in updates:
            if on_update is not None:
                on_update(final)
    assert final is not None
    return final


class _Job:
    """The state of one refinement: chunks, answers so far, fallbacks, usage."""

    def __init__(self, service: LLMService, chunks: list[Chunk],
                 rules: Schema | PackedSchema | MergedSchema,
                 usage: Usage, job_id: str, filename: str, t0: float) -> None:
        self.service, self.chunks, self.usage = service, chunks, usage
        self.job_id, self.filename, self.t0 = job_id, filename, t0
        self.merger = Merger(rules, chunks)
        self.done: set[int] = set()
        self.flags: dict[int, str] = {}
        self.failed_calls: dict[int, str] = {}   # chunk -> why its call failed for good
        self.error: str | None = None
        self.writes: list[asyncio.Future] = []   # cache writes under way

    def update(self, done: bool = False) -> RefineUpdate:
        """The current state as an update."""
        self.usage.elapsed = self.service.clock.now() - self.t0
        flagged = [self._flag_text(i, why) for i, why in sorted(self.flags.items())]
        return RefineUpdate(self.merger.snapshot(), len(self.done), len(self.chunks),
                            Usage(**self.usage.__dict__), flagged, done, self.error, self.filename)

    async def load_cached(self) -> None:
        """Take every chunk already answered from the cache (one disk round trip)."""
        if self.service.cache is None or not self.chunks:
            return
        keys = {c.index: self.service.cache_key(user_message(c)) for c in self.chunks}
        found = await self.service.cache.get_many(list(keys.values()))
        for c in self.chunks:
            raw = found.get(keys[c.index])
            if raw is None:
                continue
            try:
                self.merger.add(c.index, [to_field(f, c.index) for f in fields_from_json(raw)])
            except ValueError:  # an entry from an incompatible version: ask again
                continue
            self.done.add(c.index)
            self.usage.cache_hits += 1

    async def run_chunk(self, chunk: Chunk, ticket: Ticket | None = None) -> list[Field]:
        """Ask the LLM about one chunk (with one corrective retry) and cache the answer.
        `ticket`: the slot the scheduler granted the call (see LLMService.defer_calls)."""
        user = user_message(chunk)
        reply = await self._chat(messages(user), ticket)
        try:
            result = parse_output(reply.content, truncated=reply.finish_reason == "length")
        except OutputError as first:
            self.usage.retries += 1
            reply = await self._chat(corrective_messages(user, reply.content, str(first)))
            try:
                result = parse_output(reply.content, truncated=reply.finish_reason == "length")
            except OutputError as second:
                raise _ChunkFallback(f"the LLM's answer was unusable twice ({second})") from None
        self._save(user, result.fields)
        return [to_field(f, chunk.index) for f in result.fields]

    def _save(self, user: str, fields: list) -> None:
        """Store one answer in the cache without holding up its display: the write goes to a
        worker thread at once and runs to its end even if the job is cancelled meanwhile."""
        if self.service.cache is not None:
            self.writes.append(self.service.cache.set_soon(self.service.cache_key(user),
                                                           fields_to_json(fields)))

    async def flush(self) -> None:
        """Wait until every answer received so far is on disk."""
        if self.writes:
            await asyncio.shield(asyncio.gather(*self.writes, return_exceptions=True))

    async def _chat(self, msgs: list[dict[str, str]], ticket: Ticket | None = None) -> Reply:
        try:
            return await self.service.chat(msgs, job_id=self.job_id, usage=self.usage,
                                           ticket=ticket)
        except CallFailed as exc:
            if exc.failure.kind == "fatal":
                raise ProviderError(self.service.explain(exc.failure)) from None
            tries = f" after {exc.attempts} attempts" if exc.attempts > 1 else ""
            raise _CallFallback(f"the provider call failed{tries} ({exc.failure.reason})",
                                exc.failure.reason) from None

    def record(self, chunk: Chunk, task: asyncio.Task) -> None:
        """Take one finished chunk task's answer, fallback or job-stopping error."""
        self.done.add(chunk.index)
        exc = task.exception()
        if exc is None:
            self.merger.add(chunk.index, task.result())
        elif isinstance(exc, ProviderError):
            self.error = self.error or str(exc)
            self.flags[chunk.index] = "the provider refused the request"
        elif isinstance(exc, _ChunkFallback):
            self.flags[chunk.index] = str(exc)
            if isinstance(exc, _CallFallback):
                self.failed_calls[chunk.index] = exc.reason
        else:   # a bug: the chunk falls back, the traceback goes to the log
            log.error("LLM chunk %d of job %s failed", chunk.index, self.job_id, exc_info=exc)
            self.flags[chunk.index] = f"an internal error ({type(exc).__name__})"

    def sum_up_failures(self) -> None:
        """Say once, for the whole job, that chunks' calls failed and why (the most common
        reason): a stopped endpoint otherwise shows only as one flag per chunk."""
        if self.error or not self.failed_calls:
            return
        reasons = collections.Counter(self.failed_calls.values())
        reason, _ = reasons.most_common(1)[0]
        more = " (and other errors)" if len(reasons) > 1 else ""
        n, total = len(self.failed_calls), len(self.chunks)
        if n == total:
            self.error = (f"Every LLM call of this job failed ({n} chunks): {reason}{more}. "
                          "The fields are the rule-based result.")
        else:
            self.error = (f"The LLM calls of {n} of {total} chunks failed: {reason}{more}. "
                          "Those chunks keep the rule-based fields.")

    def flag_rest(self, reason: str) -> None:
        """Mark every chunk without an answer yet: it keeps its rule fields and is done."""
        for c in self.chunks:
            if c.index not in self.done:
                self.flags[c.index] = reason
                self.done.add(c.index)

    def _flag_text(self, i: int, why: str) -> str:
        c = self.chunks[i]
        names = f" ({c.names[0]} … {c.names[-1]})" if len(c.names) > 1 else (
            f" ({c.names[0]})" if c.names else "")
        return f"chunk {i + 1} of {len(self.chunks)}{names}: {why}; kept the rule-based fields"
