"""Async plumbing: blocking generators in threads, prefetching, coalescing bursts of updates
(on a VirtualClock: the times are exact and nothing waits for real)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from engine.llm.clock import VirtualClock
from engine.pipeline.streams import Prefetch, latest_every
from web.runtime.threads import stream_in_thread


def test_stream_in_thread_runs_off_the_loop_and_passes_errors():
    loop_thread = threading.get_ident()
    seen = []

    def gen():
        seen.append(threading.get_ident())
        yield 1
        raise ValueError("bad input")

    async def main():
        out = []
        with pytest.raises(ValueError, match="bad input"):
            async for x in stream_in_thread(gen):
                out.append(x)
        return out

    assert asyncio.run(main()) == [1]
    assert seen and seen[0] != loop_thread


def test_latest_every_coalesces_bursts_but_passes_final_and_quiet_items():
    clock = VirtualClock()
    sent = []

    async def source():
        yield ("a", False)
        for i in range(5):           # a burst: only the newest should come through
            yield (f"b{i}", False)
        await asyncio.sleep(0.3)     # a quiet spell, then one item: immediately
        yield ("c", False)
        yield ("z", True)            # final: at once

    async def main():
        async for x, _ in latest_every(source(), 0.1, final=lambda t: t[1]):
            sent.append((x, clock.now()))

    clock.run(main())
    # the burst's newest one interval after the first item; the quiet item and the final one
    # as they come
    assert sent == [("a", 0.0), ("b4", pytest.approx(0.1)), ("c", pytest.approx(0.3)),
                    ("z", pytest.approx(0.3))]


def test_prefetch_starts_at_once_and_closing_stops_the_source():
    started, finished = [], []

    async def source():
        started.append(True)
        try:
            yield 1
            await asyncio.sleep(10)
            yield 2
        finally:
            finished.append(True)

    async def main():
        p = Prefetch(source())
        await asyncio.sleep(0)
        assert started, "the source runs before anyone iterates"
        assert await p.__anext__() == 1
        await p.aclose()

    VirtualClock().run(main())
    assert finished == [True]


def test_prefetch_asks_for_later_items_only_when_the_consumer_does():
    asked = []

    async def source():
        for i in range(3):
            asked.append(i)
            yield i

    async def empty():
        return
        yield  # pragma: no cover - makes this an async generator

    async def main():
        p = Prefetch(source())
        await asyncio.sleep(1)
        assert asked == [0], "only the first step runs ahead"
        assert [x async for x in p] == [0, 1, 2]
        assert [x async for x in Prefetch(empty())] == []

    VirtualClock().run(main())


def test_prefetch_closed_during_its_first_step_cancels_it():
    clock = VirtualClock()
    finished = []

    async def source():
        try:
            await asyncio.sleep(10)
            yield 1
        finally:
            finished.append(clock.now())

    async def main():
        p = Prefetch(source())
        await asyncio.sleep(1)
        await p.aclose()
        return clock.now()

    # the first step is cancelled where it waits, not waited for (no 10 s pass)
    assert clock.run(main()) == 1.0 and finished == [1.0]
