"""Async plumbing: blocking generators in threads, prefetching, coalescing bursts of updates."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

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
    async def source():
        yield ("a", False)
        for i in range(5):           # a burst: only the newest should come through
            yield (f"b{i}", False)
        await asyncio.sleep(0.3)     # a quiet spell, then one item: immediately
        yield ("c", False)
        yield ("z", True)            # final: at once

    async def main():
        return [x async for x, _ in latest_every(source(), 0.1, final=lambda t: t[1])]

    out = asyncio.run(main())
    assert out[0] == "a" and out[-1] == "z" and "b4" in out and "c" in out
    assert not {"b0", "b1", "b2", "b3"} & set(out)


def test_prefetch_starts_at_once_and_closing_stops_the_source():
    started, finished = [], []

    async def source():
        started.append(time.monotonic())
        try:
            yield 1
            await asyncio.sleep(10)
            yield 2
        finally:
            finished.append(True)

    async def main():
        p = Prefetch(source())
        await asyncio.sleep(0.05)
        assert started, "the source runs before anyone iterates"
        assert await p.__anext__() == 1
        await p.aclose()

    asyncio.run(main())
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
        await asyncio.sleep(0.01)
        assert asked == [0], "only the first step runs ahead"
        assert [x async for x in p] == [0, 1, 2]
        assert [x async for x in Prefetch(empty())] == []

    asyncio.run(main())


def test_prefetch_closed_during_its_first_step_cancels_it():
    finished = []

    async def source():
        try:
            await asyncio.sleep(10)
            yield 1
        finally:
            finished.append(True)

    async def main():
        p = Prefetch(source())
        await asyncio.sleep(0.01)
        t0 = time.monotonic()
        await p.aclose()
        return time.monotonic() - t0

    assert asyncio.run(main()) < 1 and finished == [True]
