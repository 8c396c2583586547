"""Waiting for a condition in tests and benches: poll it until it holds, and fail (not carry
on) when it has not held by a give-up deadline."""

from __future__ import annotations

import asyncio
import time
from typing import Callable, TypeVar

T = TypeVar("T")


class GaveUp(AssertionError):
    """The condition did not hold before the give-up deadline."""


def wait_until(condition: Callable[[], T], what: str, give_up: float = 30.0,
               every: float = 0.02) -> T:
    """Poll `condition` until it returns a true value (returned); GaveUp after `give_up` s."""
    deadline = time.monotonic() + give_up
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise GaveUp(f"gave up after {give_up:g} s waiting for {what}")
        time.sleep(every)
    return value


async def wait_until_async(condition: Callable[[], T], what: str, give_up: float = 30.0,
                           every: float = 0.02) -> T:
    """`wait_until` for a coroutine: polls without blocking the event loop."""
    deadline = time.monotonic() + give_up
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise GaveUp(f"gave up after {give_up:g} s waiting for {what}")
        await asyncio.sleep(every)
    return value
