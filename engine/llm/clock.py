"""Time for the LLM layer: the event loop's clock, and a virtual one for tests.

Everything here that measures or waits (the scheduler's pacing, the rate windows, retry delays,
the job deadline, the fake backend's latency) asks a `Clock`, whose time is the running event
loop's (`loop.time()`, monotonic):

    clock = Clock()                  # the default
    clock.now(); await clock.sleep(0.5); clock.call_later(0.1, callback)

    clock = VirtualClock()           # tests: no real waiting, exact times
    clock.run(main())                # main() runs on an event loop whose time jumps to the next
    clock.now()                      # timer whenever every task waits: 12.5 virtual seconds

Because a clock's time is its loop's, `asyncio.timeout()` and `asyncio.sleep()` agree with it.
A virtual loop still waits for real on worker threads (`run_in_executor`, e.g. the cache's
disk I/O) and on sockets: it jumps only when nothing else can happen.
"""

from __future__ import annotations

import asyncio
import selectors
from typing import Any, Callable, Coroutine, TypeVar

T = TypeVar("T")


class Clock:
    """Monotonic time, sleeping and timers, as the running event loop keeps them."""

    def now(self) -> float:
        """Seconds on the running loop's monotonic clock."""
        return asyncio.get_running_loop().time()

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` on this clock."""
        await asyncio.sleep(seconds)

    def call_later(self, delay: float, callback: Callable[[], Any]) -> asyncio.TimerHandle:
        """Run `callback` on the running loop `delay` seconds from now."""
        return asyncio.get_running_loop().call_later(delay, callback)


class VirtualClock(Clock):
    """A clock for tests: `run(coro)` runs the coroutine on a loop whose time only moves when
    every task waits for a timer, and then jumps straight to the earliest one.

        clock = VirtualClock()
        async def main():
            await asyncio.sleep(30)          # returns at once
            return clock.now()
        assert clock.run(main()) == 30.0

    Time carries on from one `run` to the next.
    """

    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def now(self) -> float:
        return self.time

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` to its end on a fresh virtual-time loop (like `asyncio.run`)."""
        with asyncio.Runner(loop_factory=lambda: _VirtualLoop(self)) as runner:
            return runner.run(coro)


class _VirtualLoop(asyncio.SelectorEventLoop):
    """An event loop on a VirtualClock's time (see VirtualClock)."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.threads = 0            # run_in_executor calls not finished
        super().__init__(_JumpingSelector(self))

    def time(self) -> float:
        return self.clock.time

    def run_in_executor(self, executor: Any, func: Callable[..., T], *args: Any
                        ) -> asyncio.Future[T]:
        fut = super().run_in_executor(executor, func, *args)
        self.threads += 1
        fut.add_done_callback(self._thread_done)
        return fut

    def _thread_done(self, _fut: asyncio.Future) -> None:
        self.threads -= 1


class _JumpingSelector(selectors.BaseSelector):
    """A selector that, when the loop would wait for its next timer with no I/O ready and no
    worker thread running, moves the virtual time to that timer instead of waiting."""

    def __init__(self, loop: _VirtualLoop) -> None:
        self._loop = loop
        self._inner = selectors.DefaultSelector()

    def select(self, timeout: float | None = None) -> list:
        ready = self._inner.select(0)
        if ready or (timeout is not None and timeout <= 0):
            return ready
        if timeout is None or self._loop.threads:
            return self._inner.select(timeout)       # only I/O or a thread can wake it
        self._loop.clock.time += timeout
        return []

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._inner.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._inner.modify(fileobj, events, data)

    def get_map(self) -> Any:
        return self._inner.get_map()

    def close(self) -> None:
        self._inner.close()
