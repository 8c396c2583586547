"""Process-wide bounds on LLM calls: fair concurrency slots, requests and tokens per minute.

`FairScheduler` hands out a fixed number of call slots.  When all are busy, waiting calls queue
per job and freed slots go to the jobs in rotation, so a 3-chunk job waits for at most one call
of each other job, not for another user's 400 chunks.  `RateLimits` then paces the calls that
hold a slot: requests per minute through asyncio-throttle (also spread over each second, since
providers enforce RPM on short windows too), tokens per minute through a sliding window.

All asyncio objects are created on first use inside the running loop.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator

from asyncio_throttle import Throttler

_MINUTE = 60.0


class FairScheduler:
    """`slots` calls at once; waiting calls are served round-robin across jobs."""

    def __init__(self, slots: int) -> None:
        self.slots = max(1, slots)
        self.busy = 0
        self._waiting: dict[str, deque[asyncio.Future[None]]] = {}

    @asynccontextmanager
    async def slot(self, job_id: str) -> AsyncIterator[None]:
        """Hold one call slot for the body (queued fairly behind other jobs when full)."""
        await self._acquire(job_id)
        try:
            yield
        finally:
            self._release()

    def waiting(self, job_id: str | None = None) -> int:
        """Calls waiting for a slot (of one job, or all)."""
        if job_id is not None:
            return len(self._waiting.get(job_id, ()))
        return sum(len(q) for q in self._waiting.values())

    async def _acquire(self, job_id: str) -> None:
        if self.busy < self.slots and not self._waiting:
            self.busy += 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(job_id, deque()).append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release()  # granted in the same instant we were cancelled: give it back
            else:
                self._forget(job_id, fut)
            raise

    def _release(self) -> None:
        self.busy -= 1
        self._grant()

    def _grant(self) -> None:
        """Give free slots to the next jobs in rotation (a served job moves to the back)."""
        while self.busy < self.slots and self._waiting:
            job_id = next(iter(self._waiting))
            queue = self._waiting.pop(job_id)
            fut = queue.popleft()
            if queue:
                self._waiting[job_id] = queue
            if not fut.done():
                fut.set_result(None)
                self.busy += 1

    def _forget(self, job_id: str, fut: asyncio.Future[None]) -> None:
        queue = self._waiting.get(job_id)
        if queue is not None and fut in queue:
            queue.remove(fut)
            if not queue:
                del self._waiting[job_id]


class TokenWindow:
    """At most `limit` tokens in any sliding `period` seconds."""

    def __init__(self, limit: int, period: float = _MINUTE) -> None:
        self.limit = limit
        self.period = period
        self._log: deque[tuple[float, int]] = deque()
        self._used = 0

    async def acquire(self, tokens: int) -> None:
        """Wait until `tokens` more fit in the window (a request above the limit waits for an
        empty window rather than forever)."""
        tokens = min(tokens, self.limit)
        while True:
            now = time.monotonic()
            while self._log and now - self._log[0][0] >= self.period:
                self._used -= self._log.popleft()[1]
            if self._used + tokens <= self.limit:
                self._log.append((now, tokens))
                self._used += tokens
                return
            await asyncio.sleep(max(0.01, self._log[0][0] + self.period - now))


class RateLimits:
    """Requests-per-minute and tokens-per-minute pacing (0 = no limit)."""

    def __init__(self, rpm: int = 0, tpm: int = 0, *, period: float = _MINUTE) -> None:
        self.rpm, self.tpm = rpm, tpm
        self._throttlers = []
        if rpm:
            per_second = math.ceil(rpm / 60)
            # the minute window is taken last, nearest the send, so it is the one that holds
            self._throttlers = [Throttler(rate_limit=per_second, period=period / 60),
                                Throttler(rate_limit=rpm, period=period)]
        self._tokens = TokenWindow(tpm, period) if tpm else None

    async def acquire(self, tokens: int) -> None:
        """Wait until one more request of about `tokens` tokens may go out."""
        if self._tokens is not None:
            await self._tokens.acquire(tokens)
        for throttler in self._throttlers:
            await throttler.acquire()
