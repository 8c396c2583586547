"""Async plumbing: run blocking generators in worker threads without stalling the event loop."""

from __future__ import annotations

import asyncio
import threading
from typing import AsyncIterator, Callable, Iterator, TypeVar

import anyio.to_thread

T = TypeVar("T")
_END = object()


async def stream_in_thread(make: Callable[[], Iterator[T]],
                           slot: threading.Semaphore | None = None) -> AsyncIterator[T]:
    """Iterate a blocking generator in one worker thread, yielding its items on the loop.

    `slot`, when given, is held by the worker for the whole run (a CPU-heavy section).  If the
    consumer stops early (cancelled, closed), the worker stops at its next item.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    stop = threading.Event()

    def put(item: object) -> None:
        loop.call_soon_threadsafe(queue.put_nowait, item)

    def work() -> None:
        if slot is not None:
            slot.acquire()
        try:
            gen = make()
            try:
                for item in gen:
                    if stop.is_set():
                        break
                    put(item)
            finally:
                close = getattr(gen, "close", None)
                if close is not None:
                    close()
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer below
            put(_Failure(exc))
        finally:
            if slot is not None:
                slot.release()
            put(_END)

    worker = asyncio.ensure_future(anyio.to_thread.run_sync(work, abandon_on_cancel=True))
    try:
        while True:
            item = await queue.get()
            if item is _END:
                break
            if isinstance(item, _Failure):
                raise item.exc
            yield item
    finally:
        stop.set()
        if not worker.done():
            worker.cancel()


class _Failure:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException):
        self.exc = exc


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
