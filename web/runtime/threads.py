"""Blocking generators iterated in a worker thread without stalling the event loop (the worker
pool's steps when it runs without worker processes)."""

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
