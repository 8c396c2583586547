"""A pipeline job that a Gradio cancel stops the way the job itself is stopped (its `cancel`
event), so it still says what it kept.

Gradio cancels an event (the Cancel button's `cancels=`, a client's `job.cancel()`) by
cancelling the task that runs it: the CancelledError lands in whatever the job awaits and
kills it mid-step, and its outputs keep whatever was sent last.  `keep_on_cancel` runs the
job in a task of its own and hands its events over through a queue: a cancel of the
consumer sets the job's cancel event instead, and the job's last events (Cancelled, with the
merge so far and its downloads) still come out, within `grace` seconds.  Both the browser and
gradio_client receive what is yielded then (measured with Gradio 6.31).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, AsyncIterator

log = logging.getLogger("codebook")
_END = object()
GRACE_SECONDS = 30.0


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error


async def keep_on_cancel(events: AsyncIterator[Any], cancel: asyncio.Event,
                         grace: float = GRACE_SECONDS) -> AsyncIterator[Any]:
    """`events`, with a cancel of the consumer turned into `cancel.set()` (a second cancel,
    or a job that does not end within `grace` seconds of the first, stops it at once).
    Closing this iterator (the client left) stops the job."""
    queue: asyncio.Queue = asyncio.Queue()
    task = asyncio.ensure_future(_pump(events, queue))
    loop = asyncio.get_running_loop()
    deadline: float | None = None
    try:
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    item = await queue.get()
            except asyncio.CancelledError:
                current = asyncio.current_task()
                if deadline is not None or current is None:
                    raise
                current.uncancel()                   # this one cancel is handled here
                cancel.set()
                log.info("a job was cancelled: ending it with what it kept")
                deadline = loop.time() + grace
                continue
            if item is _END:
                return
            if isinstance(item, _Raised):
                raise item.error
            yield item
    finally:
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _pump(events: AsyncIterator[Any], queue: asyncio.Queue) -> None:
    """Move the job's events into `queue`, then _END (or what it raised)."""
    try:
        async with contextlib.aclosing(events):
            async for event in events:
                queue.put_nowait(event)
    except Exception as exc:  # noqa: BLE001 - handed to the consumer
        queue.put_nowait(_Raised(exc))
    finally:
        queue.put_nowait(_END)
