"""Async plumbing the pipeline combines: a source started ahead of its consumer (`Prefetch`),
bursts of updates coalesced to the newest (`latest_every`), a step raced against a cancel
event (`unless_cancelled`)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, AsyncIterator, Awaitable, Callable, TypeVar

T = TypeVar("T")
_END = object()


class Prefetch:
    """Run an async iterator's first step now, in a task, so its start-up (e.g. an LLM job
    sending its calls) overlaps the caller's work; later steps run when the consumer asks.

    There is no queue between the steps and the consumer: an item reaches it as soon as it
    exists, without waiting for other ready work on the loop, and a source that summarises its
    state (the newest schema) is asked only as often as the consumer can use the answer.
    `aclose()` (or leaving an `async with`) cancels the first step if it is still running and
    closes the source, so nothing keeps running for a consumer who left.
    """

    def __init__(self, source: AsyncIterator[T]):
        self._source = source
        self._first: asyncio.Future | None = asyncio.ensure_future(self._step())

    async def _step(self) -> object:
        try:
            return await self._source.__anext__()
        except StopAsyncIteration:
            return _END

    def __aiter__(self) -> "Prefetch":
        return self

    async def __anext__(self) -> T:
        if self._first is not None:
            first, self._first = self._first, None
            item = await first
        else:
            item = await self._step()
        if item is _END:
            raise StopAsyncIteration
        return item  # type: ignore[return-value]

    async def aclose(self) -> None:
        first, self._first = self._first, None
        if first is not None and not first.done():
            first.cancel()
            await asyncio.gather(first, return_exceptions=True)
        aclose = getattr(self._source, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aenter__(self) -> "Prefetch":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


async def latest_every(source: AsyncIterator[T], interval: float,
                       final: Callable[[T], bool]) -> AsyncIterator[T]:
    """Pass items on at most once per `interval`, always the newest; `final` items at once.

    Updates that arrive in a burst (16 chunks finishing together) become one UI update, while
    an update that arrives after a quiet spell goes out immediately (awaited directly, with no
    task in between, so it costs no extra turn of the event loop).
    """
    loop = asyncio.get_running_loop()
    last = -interval
    pending: list[T] = []
    it = source.__aiter__()
    nxt: asyncio.Future | None = None
    try:
        while True:
            try:
                if nxt is None and not pending:
                    item = await it.__anext__()
                else:
                    if nxt is None:
                        nxt = asyncio.ensure_future(it.__anext__())
                    wait = max(0.0, last + interval - loop.time()) if pending else None
                    done, _ = await asyncio.wait({nxt}, timeout=wait)
                    if not done:                   # the interval passed: flush the newest
                        last = loop.time()
                        yield pending.pop()
                        pending.clear()
                        continue
                    item, nxt = nxt.result(), None
            except StopAsyncIteration:
                if pending:
                    yield pending[-1]
                return
            if final(item) or loop.time() - last >= interval:
                pending.clear()
                last = loop.time()
                yield item
            else:
                pending.append(item)
    finally:
        if nxt is not None and not nxt.done():
            nxt.cancel()


async def unless_cancelled(cancel: asyncio.Event | None, step: Awaitable) -> tuple[bool, Any]:
    """(True, the step's value), or (False, None) when `cancel` is set first (the step is
    then cancelled).  Without a cancel event, just the step (no task in between)."""
    if cancel is None:
        return True, await step
    task = asyncio.ensure_future(step)
    stop = asyncio.ensure_future(cancel.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if task.done():
        return True, task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task
    return False, None
