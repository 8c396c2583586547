"""Process-wide call slots for the LLM service, handed out fairly between jobs.

`FairScheduler` hands out a fixed number of call slots.  When all are busy, waiting calls queue
per job and a freed slot goes to the smallest job (then to the one with the fewest calls so
far), so a 3-chunk job goes ahead of another user's 400 chunks instead of waiting behind them.
A job can queue its calls as a mere count (`defer`): each is made only when it gets its slot.
It paces the starts, so that answers do not come back in waves (see FairScheduler).
The calls holding a slot are then paced by `limits.RateLimits` (requests and tokens per minute).
Time is the scheduler's `clock` (see clock.py: tests run it on virtual time).

All asyncio objects are created on first use inside the running loop.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable

from .clock import Clock

PACE_FILL = 0.8     # the starts of a full set of slots spread over this share of a call's time
PACE_BURST = 4      # starts that may go out at once
PACE_MAX = 0.1      # s: the longest gap pacing puts between two starts
_HOLD_WEIGHT = 0.1  # of each finished call in the running mean of a slot's time
log = logging.getLogger(__name__)


class Ticket:
    """A slot granted to a deferred call (see FairScheduler.defer): the call takes it with
    `slot(job_id, ticket)`; released once, by that slot's exit or by `release()` (a call that
    never ran)."""

    __slots__ = ("_scheduler", "job_id", "_state", "_granted")
    _HELD, _TAKEN, _RELEASED = 0, 1, 2

    def __init__(self, scheduler: FairScheduler, job_id: str) -> None:
        self._scheduler, self.job_id, self._state = scheduler, job_id, self._HELD
        self._granted = scheduler.clock.now()

    def take(self) -> bool:
        """Whether the slot is still unused (it is then the caller's to release)."""
        if self._state != self._HELD:
            return False
        self._state = self._TAKEN
        return True

    def release(self) -> None:
        """Give the slot back (once; later calls do nothing)."""
        if self._state != self._RELEASED:
            used = self._state == self._TAKEN     # (a call that never ran says nothing of
            self._state = self._RELEASED          # how long one takes)
            self._scheduler._release(self.job_id, self._granted if used else None)


class _Deferred:
    __slots__ = ("count", "start")

    def __init__(self, count: int, start: Callable[[Ticket], None]) -> None:
        self.count, self.start = count, start


class FairScheduler:
    """`slots` calls at once; a freed slot goes to the smallest waiting job, and among jobs of
    one size to the one that has had the fewest calls.

    A job's size is the calls it has had, has running and has waiting: a 2-chunk job that
    arrives while a hundred 10-chunk jobs run gets both of its calls next (a rotation, or
    fewest-calls-first alone, would put it behind all of them).  Jobs of one size take turns
    (ties go to the one served least recently), so they all progress.  A big job waits while
    smaller ones have calls queued; they are quick.  A job is forgotten once it has nothing
    waiting or running.

    Calls queue in one of two ways: a coroutine waiting in `slot()` (a retry, a single call),
    or a count a job hands over with `defer()`, each started by the job's callback when it is
    granted: a count holds no task, frame or prompt per waiting call.

    Starts are paced: at most PACE_BURST at once, then one per `PACE_FILL * t / slots` seconds
    (at most PACE_MAX), t being the running mean of how long a call holds its slot.  Calls
    that start together (many users arriving at once) come back together, and so do the
    calls that take their slots: the serving thread would handle every answer in waves while
    other users' requests wait.  Paced, a full set of slots starts over PACE_FILL of one
    call's time, the answers come back as spread as the starts were, and the slots turn over
    as fast: the only cost is the spreading of a burst's first starts (under PACE_FILL of one
    call's time, once).  `pace=False` turns it off.
    """

    def __init__(self, slots: int, *, pace: bool = True, clock: Clock | None = None) -> None:
        self.slots = max(1, slots)
        self.clock = clock or Clock()
        self.busy = 0
        self.pace = pace
        self.hold: float | None = None     # running mean of a call's time in its slot (s)
        self._credit = float(PACE_BURST)   # starts that may go now (a token bucket)
        self._credit_at = 0.0
        self._timer: asyncio.TimerHandle | None = None
        self._timer_loop: asyncio.AbstractEventLoop | None = None
        self._waiting: dict[str, deque[asyncio.Future[None]]] = {}
        self._deferred: dict[str, _Deferred] = {}   # calls queued as a count, per job
        self._served: dict[str, int] = {}    # calls granted, per job still around
        self._running: dict[str, int] = {}   # calls holding a slot, per job
        self._last: dict[str, int] = {}      # when each job was last granted a slot
        self._turn = itertools.count()

    @asynccontextmanager
    async def slot(self, job_id: str, ticket: Ticket | None = None) -> AsyncIterator[None]:
        """Hold one call slot for the body (queued fairly behind other jobs when full), or
        the one `ticket` was granted, if it is still unused."""
        held = ticket if ticket is not None and ticket.take() else None
        if held is None:
            await self._acquire(job_id)
            granted = self.clock.now()
        try:
            yield
        finally:
            if held is not None:
                held.release()
            else:
                self._release(job_id, granted)

    def defer(self, job_id: str, count: int, start: Callable[[Ticket], None]) -> None:
        """Queue `count` calls of `job_id` without making them: each time the job is granted
        one of its slots, `start(ticket)` is called (at once, from whatever frees the slot; it
        must only schedule the call, e.g. create its task) and the call holds that slot until
        it uses `ticket` in `slot()` and leaves, or `ticket.release()` (always call it when
        the call ends: it does nothing if the slot went back already)."""
        if count <= 0:
            return
        entry = self._deferred.get(job_id)
        if entry is None:
            self._deferred[job_id] = _Deferred(count, start)
        else:
            entry.count += count
            entry.start = start
        self._grant()

    def withdraw(self, job_id: str) -> int:
        """Drop the job's deferred calls not started yet; how many there were."""
        entry = self._deferred.pop(job_id, None)
        self._tidy(job_id)
        return entry.count if entry is not None else 0

    def jobs(self) -> set[str]:
        """The jobs it keeps counts for: those with calls waiting or running."""
        return (set(self._waiting) | set(self._deferred) | set(self._served)
                | set(self._running) | set(self._last))

    def waiting(self, job_id: str | None = None) -> int:
        """Calls waiting for a slot (of one job, or all)."""
        if job_id is not None:
            return self._queued(job_id)
        return (sum(len(q) for q in self._waiting.values())
                + sum(e.count for e in self._deferred.values()))

    def _queued(self, job_id: str) -> int:
        """The job's calls waiting for a slot: coroutines in `slot()` and deferred ones."""
        entry = self._deferred.get(job_id)
        return len(self._waiting.get(job_id, ())) + (entry.count if entry else 0)

    def spacing(self) -> float:
        """The time between two paced starts (0: not paced, e.g. before any call ended)."""
        if not self.pace or self.hold is None:
            return 0.0
        return min(PACE_MAX, PACE_FILL * self.hold / self.slots)

    def _may_start(self) -> bool:
        """Whether pacing lets a call start now; if not, the grants resume when it does."""
        spacing = self.spacing()
        if spacing <= 0:
            self._credit = float(PACE_BURST)
            return True
        now = self.clock.now()
        self._credit = min(float(PACE_BURST), self._credit + (now - self._credit_at) / spacing)
        self._credit_at = now
        if self._credit >= 1 - 1e-9:    # (a timer below fires when the credit is 1 but for
            return True                 # rounding: it must not set another of no length)
        loop = asyncio.get_running_loop()
        if self._timer is None or self._timer_loop is not loop:
            self._timer_loop = loop
            self._timer = self.clock.call_later((1 - self._credit) * spacing, self._resume)
        return False

    def _resume(self) -> None:
        self._timer = None
        self._grant()

    async def _acquire(self, job_id: str) -> None:
        if (self.busy < self.slots and not self._waiting and not self._deferred
                and self._may_start()):
            self._take(job_id)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(job_id, deque()).append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release(job_id)  # granted in the same instant we were cancelled
            else:
                self._forget(job_id, fut)
            raise

    def _take(self, job_id: str) -> None:
        self.busy += 1
        self._credit -= 1
        self._served[job_id] = self._served.get(job_id, 0) + 1
        self._running[job_id] = self._running.get(job_id, 0) + 1
        self._last[job_id] = next(self._turn)

    def _release(self, job_id: str, granted: float | None = None) -> None:
        """A slot back; `granted`: when the call that held it got it (for the pacing)."""
        self.busy -= 1
        if granted is not None:
            held = self.clock.now() - granted
            self.hold = held if self.hold is None else (
                self.hold + _HOLD_WEIGHT * (held - self.hold))
        left = self._running.get(job_id, 1) - 1
        if left > 0:
            self._running[job_id] = left
        else:
            self._running.pop(job_id, None)
            self._tidy(job_id)
        self._grant()

    def _grant(self) -> None:
        """Give free slots to the smallest waiting jobs (then: fewest calls so far); a job's
        waiting coroutines (retries) before its deferred calls."""
        while (self.busy < self.slots and (self._waiting or self._deferred)
               and self._may_start()):
            # (min keeps the first of equals: jobs never served go in the order they came)
            job_id = min(itertools.chain(self._waiting, (j for j in self._deferred
                                                         if j not in self._waiting)),
                         key=self._rank)
            queue = self._waiting.get(job_id)
            if queue:
                fut = queue.popleft()
                if not queue:
                    del self._waiting[job_id]
                if not fut.done():
                    fut.set_result(None)
                    self._take(job_id)
                else:
                    self._tidy(job_id)
                continue
            entry = self._deferred[job_id]
            entry.count -= 1
            if not entry.count:
                del self._deferred[job_id]
            self._take(job_id)
            ticket = Ticket(self, job_id)
            try:
                entry.start(ticket)
            except Exception:  # noqa: BLE001 - a bug in one job must not stall the others
                log.exception("starting a deferred call of job %s failed", job_id)
                ticket.release()

    def _rank(self, job_id: str) -> tuple[int, int, int]:
        served = self._served.get(job_id, 0)
        size = served + self._running.get(job_id, 0) + self._queued(job_id)
        return size, served, self._last.get(job_id, -1)

    def _forget(self, job_id: str, fut: asyncio.Future[None]) -> None:
        queue = self._waiting.get(job_id)
        if queue is not None and fut in queue:
            queue.remove(fut)
            if not queue:
                del self._waiting[job_id]
        self._tidy(job_id)

    def _tidy(self, job_id: str) -> None:
        """Forget a job's counts once it has nothing waiting or running."""
        if (job_id not in self._waiting and job_id not in self._running
                and job_id not in self._deferred):
            self._served.pop(job_id, None)
            self._last.pop(job_id, None)
