"""Where a job's CPU-bound steps run.  A step is a picklable call (a module-level function and
plain arguments), so an executor may run it in another process: the app's worker pool
(web.runtime.workers.CpuPool) does, the `InlineExecutor` of the CLI and tests runs it in place.

    final = run_job(parse_job("codebook.pdf", executor=InlineExecutor()))
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Callable, Iterator, Protocol, TypeVar

from .events import Event, Failed, Final

T = TypeVar("T")


class Executor(Protocol):
    """Runs a job's steps.  `priority` (lower first), `size` (bytes of input: smaller first) and
    `heavy` (a large file: a worker of its own) are hints an executor may ignore."""

    async def run(self, fn: Callable[..., T], *args: Any, priority: int = 0, size: int = 0,
                  heavy: bool = False) -> T:
        """`fn(*args)`'s result."""
        ...

    def stream(self, fn: Callable[..., Iterator[Any]], *args: Any, priority: int = 0,
               size: int = 0, heavy: bool = False) -> AsyncIterator[Any]:
        """The items of the iterator `fn(*args)` makes; leaving early stops it."""
        ...


class InlineExecutor:
    """Every step in the calling thread, on the spot (a command line, a test: one job at a
    time, so blocking the event loop holds up nobody)."""

    async def run(self, fn: Callable[..., T], *args: Any, priority: int = 0, size: int = 0,
                  heavy: bool = False) -> T:
        return fn(*args)

    async def stream(self, fn: Callable[..., Iterator[Any]], *args: Any, priority: int = 0,
                     size: int = 0, heavy: bool = False) -> AsyncIterator[Any]:
        items = fn(*args)
        try:
            for item in items:
                yield item
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()


def run_job(events: AsyncIterator[Event], on_event: Callable[[Event], None] | None = None
            ) -> Final:
    """Run a job to its end in a new event loop (for synchronous callers): `on_event` sees
    every event; returns the Final event, raises a Failed event's error."""
    return asyncio.run(_consume(events, on_event))


async def _consume(events: AsyncIterator[Event], on_event: Callable[[Event], None] | None
                   ) -> Final:
    final = None
    async for event in events:
        if on_event is not None:
            on_event(event)
        if isinstance(event, Failed):
            raise event.error
        if isinstance(event, Final):
            final = event
    if final is None:
        raise RuntimeError("the job ended without a result")
    return final
