"""The LLM request windows on real time are asyncio-throttle's, which keeps the process's
monotonic clock (the same windows on virtual time: tests/unit/test_llm_scheduler.py)."""

from __future__ import annotations

import asyncio
import time

from engine.llm.limits import RateLimits, ThrottledRequests


def test_requests_per_minute_go_through_asyncio_throttle_on_the_process_clock():
    """On real time the request windows are asyncio-throttle's: with 2 requests per window, a
    third waits for the first to leave it (checked as a lower bound on the wait only)."""
    limits = RateLimits(rpm=2, period=0.3)
    assert all(isinstance(w, ThrottledRequests) for w in limits.windows)

    async def three() -> list[float]:
        starts = []
        for _ in range(3):
            await limits.acquire(10)
            starts.append(time.monotonic())
        return starts

    starts = asyncio.run(three())
    window = limits.windows[-1].period
    assert starts[2] - starts[0] >= window * 0.99
