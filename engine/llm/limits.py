"""How much the LLM service may ask of its provider: `Limits`, and the rate windows enforcing
requests and tokens per minute.

    Limits()                                   # 16 calls at once, no rpm/tpm limit,
                                               # 60 s a call, 600 s a job, 1500-token chunks
    Limits(concurrency=4, rpm=500, tpm=200_000)
    Limits.from_settings(settings)             # CODEBOOK_LLM_CONCURRENCY, _RPM, _TPM, ...

`RateLimits` paces the calls that hold a slot (see scheduler.py for the slots): requests per
minute, also spread over each second (providers enforce RPM on short windows too), through
asyncio-throttle, and tokens per minute through a `SlidingWindow` (a throttle counts requests,
not units).  asyncio-throttle keeps the process's monotonic time; on any other clock (the tests'
virtual time) the requests go through a `SlidingWindow` of that clock, the same algorithm.
"""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from typing import Any

from asyncio_throttle import Throttler

from .clock import Clock

MINUTE = 60.0
_MARGIN = 60.5 / 60  # providers count arrivals: a little slack absorbs network jitter


@dataclass(frozen=True)
class Limits:
    """Process-wide bounds on LLM calls (0 = no limit for rpm and tpm), the time one call and
    one job may take (seconds), and the size of a chunk (estimated tokens)."""

    concurrency: int = 16
    rpm: int = 0
    tpm: int = 0
    timeout: float = 60.0
    deadline: float = 600.0
    chunk_tokens: int = 1500

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            object.__setattr__(self, "concurrency", 1)

    @classmethod
    def from_settings(cls, s: Any) -> "Limits":
        """The limits the settings (environment) give."""
        return cls(concurrency=s.llm_concurrency, rpm=s.llm_rpm, tpm=s.llm_tpm,
                   timeout=s.llm_timeout, deadline=s.llm_deadline, chunk_tokens=s.chunk_tokens)

    def describe(self) -> str:
        """'16 calls at once, 500 rpm, 200,000 tpm'."""
        parts = [f"{self.concurrency} calls at once"]
        if self.rpm:
            parts.append(f"{self.rpm} rpm")
        if self.tpm:
            parts.append(f"{self.tpm:,} tpm")
        return ", ".join(parts)


class TimeLog:
    """The part of a deque of numbers a sliding window uses (append, popleft, [0], len),
    holding them unboxed in an array: a window remembers every request of its last minute,
    thousands under load, and float objects freed a minute later at scattered places would
    keep the small-object arenas a burst added (given back to the system only once wholly
    empty) from going back."""

    __slots__ = ("_items", "_head")

    def __init__(self, typecode: str = "d") -> None:
        self._items = array(typecode)
        self._head = 0                  # items before it are popped, not yet cut off

    def __len__(self) -> int:
        return len(self._items) - self._head

    def __getitem__(self, i: int) -> float:
        if not 0 <= i < len(self):
            raise IndexError("TimeLog index out of range")
        return self._items[self._head + i]

    def append(self, value: float) -> None:
        self._items.append(value)

    def popleft(self) -> float:
        if not len(self):
            raise IndexError("pop from an empty TimeLog")
        value = self._items[self._head]
        self._head += 1
        if self._head * 2 >= len(self._items):   # cut the popped half: amortized O(1)
            del self._items[:self._head]
            self._head = 0
        return value


class SlidingWindow:
    """At most `limit` units (requests, tokens) in any `period` seconds of `clock`.

        window = SlidingWindow(100, period=60)
        await window.acquire(30)      # returns once 30 more fit in the last 60 s
    """

    def __init__(self, limit: int, period: float = MINUTE, *, clock: Clock | None = None
                 ) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock or Clock()
        self._times = TimeLog()         # when each reservation was made (see TimeLog)
        self._sizes = TimeLog("q")      # and its units
        self.used = 0                   # units in the window

    def __len__(self) -> int:
        """Reservations in the window (as of the last acquire)."""
        return len(self._times)

    async def acquire(self, units: int = 1) -> None:
        """Wait until `units` more fit in the window (more than the limit waits for an empty
        window rather than forever)."""
        units = min(units, self.limit)
        while True:
            now = self.clock.now()
            while self._times and now - self._times[0] >= self.period:
                self._times.popleft()
                self.used -= self._sizes.popleft()
            if self.used + units <= self.limit:
                self._times.append(now)
                self._sizes.append(units)
                self.used += units
                return
            # until the oldest reservation leaves (a floor: never a busy loop on rounding)
            await self.clock.sleep(max(1e-6, self._times[0] + self.period - now))


class ThrottledRequests:
    """At most `limit` requests in any `period` seconds, through asyncio-throttle."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit, self.period = limit, period
        self._throttler = Throttler(rate_limit=limit, period=period)

    async def acquire(self, units: int = 1) -> None:
        """Wait until one more request fits in the window."""
        await self._throttler.acquire()


def request_window(limit: int, period: float, clock: Clock | None
                   ) -> ThrottledRequests | SlidingWindow:
    """A requests window: asyncio-throttle on the process's time, else one of `clock`."""
    if clock is None or type(clock) is Clock:
        return ThrottledRequests(limit, period)
    return SlidingWindow(limit, period, clock=clock)


class RateLimits:
    """Requests-per-minute and tokens-per-minute pacing (0 = no limit); `period` is the
    "minute" (widened by a little slack: providers count arrivals)."""

    def __init__(self, rpm: int = 0, tpm: int = 0, *, period: float = MINUTE,
                 clock: Clock | None = None) -> None:
        self.rpm, self.tpm = rpm, tpm
        period *= _MARGIN
        self.windows: list[ThrottledRequests | SlidingWindow] = []
        if rpm:
            # the minute window is taken last, nearest the send, so it is the one that holds
            self.windows = [request_window(math.ceil(rpm / 60), period / 60, clock),
                            request_window(rpm, period, clock)]
        self.tokens = SlidingWindow(tpm, period, clock=clock) if tpm else None

    async def acquire(self, tokens: int) -> None:
        """Wait until one more request of about `tokens` tokens may go out."""
        if self.tokens is not None:
            await self.tokens.acquire(tokens)
        for window in self.windows:
            await window.acquire()
