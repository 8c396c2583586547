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
    """Start consuming an async iterator now, in a task, so its work overlaps the caller's.

    Iterate the Prefetch to get the items; `aclose()` (or leaving an `async with`) cancels the
    task and closes the source, so nothing keeps running for a consumer who left.
    """

    def __init__(self, source: AsyncIterator[T]):
        self._queue: asyncio.Queue = asyncio.Queue()
        self._source = source
        self._task = asyncio.ensure_future(self._pump())

    async def _pump(self) -> None:
        try:
            async for item in self._source:
                self._queue.put_nowait(item)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            self._queue.put_nowait(_Failure(exc))
        finally:
            aclose = getattr(self._source, "aclose", None)
            if aclose is not None:
                await aclose()
            self._queue.put_nowait(_END)

    def __aiter__(self) -> "Prefetch":
        return self

    async def __anext__(self) -> T:
        item = await self._queue.get()
        if item is _END:
            self._queue.put_nowait(_END)
            raise StopAsyncIteration
        if isinstance(item, _Failure):
            raise item.exc
        return item

    async def aclose(self) -> None:
        if not self._task.done():
            self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    async def __aenter__(self) -> "Prefetch":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


async def latest_every(source: AsyncIterator[T], interval: float,
                       final: Callable[[T], bool]) -> AsyncIterator[T]:
    """Pass items on at most once per `interval`, always the newest; `final` items at once.

    Updates that arrive in a burst (16 chunks finishing together) become one UI update, while
    an update that arrives after a quiet spell goes out immediately.
    """
    loop = asyncio.get_running_loop()
    last = -interval
    pending: list[T] = []
    it = source.__aiter__()
    nxt: asyncio.Future | None = None
    try:
        while True:
            if nxt is None:
                nxt = asyncio.ensure_future(it.__anext__())
            wait = None if not pending else max(0.0, last + interval - loop.time())
            done, _ = await asyncio.wait({nxt}, timeout=wait)
            if not done:                       # the interval passed: flush the newest
                last = loop.time()
                yield pending.pop()
                pending.clear()
                continue
            try:
                item = nxt.result()
            except StopAsyncIteration:
                if pending:
                    yield pending[-1]
                return
            nxt = None
            if final(item) or loop.time() - last >= interval:
                pending.clear()
                last = loop.time()
                yield item
            else:
                pending.append(item)
    finally:
        if nxt is not None and not nxt.done():
            nxt.cancel()
