"""The fair scheduler, its pacing, the rate windows and the virtual clock they run on in tests.

Every test here runs on a VirtualClock: time jumps to the next timer whenever every task waits,
so the times asserted are exact and nothing waits for real.
"""

from __future__ import annotations

import asyncio
import random
import sys
import threading
from collections import deque

import pytest

from engine.llm.clock import VirtualClock
from engine.llm.limits import RateLimits, SlidingWindow, TimeLog
from engine.llm.scheduler import PACE_BURST, PACE_FILL, FairScheduler, Ticket


# ---- the virtual clock -------------------------------------------------------------------
def test_virtual_clock_jumps_to_the_next_timer_and_keeps_its_time():
    clock = VirtualClock()
    seen = []

    async def main():
        async def sleeper(s):
            await asyncio.sleep(s)
            seen.append((s, clock.now()))
        await asyncio.gather(sleeper(3), sleeper(1), sleeper(2))
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(5):
                await asyncio.sleep(3600)
        return clock.now()
    assert clock.run(main()) == 8.0
    assert seen == [(1, 1.0), (2, 2.0), (3, 3.0)]
    assert clock.run(main()) == 16.0         # time carries on from one run to the next


def test_virtual_clock_waits_for_worker_threads_before_jumping():
    """A timer pending while a worker thread runs does not fire early: the thread's result
    comes first, at the same virtual time."""
    clock = VirtualClock()
    release = threading.Event()

    def work():
        release.wait(30)
        return clock.now()

    async def main():
        timer = asyncio.ensure_future(asyncio.sleep(10))
        threading.Timer(0.05, release.set).start()
        at = await asyncio.to_thread(work)
        assert not timer.done()
        await timer
        return at, clock.now()
    assert clock.run(main()) == (0.0, 10.0)


# ---- fair slots ----------------------------------------------------------------------------
def test_fair_scheduler_serves_the_job_with_fewest_calls_first():
    clock = VirtualClock()

    async def main():
        sched = FairScheduler(1, clock=clock)
        order = []

        async def call(job, i):
            async with sched.slot(job):
                order.append(f"{job}{i}")
                await asyncio.sleep(0)

        tasks = [asyncio.create_task(call("big", i)) for i in range(6)]
        await asyncio.sleep(0)
        tasks += [asyncio.create_task(call("small", i)) for i in range(2)]
        await asyncio.gather(*tasks)
        return order, sched
    order, sched = clock.run(main())
    # the small job joins while big1 holds the slot: both of its calls go next
    assert order == ["big0", "big1", "small0", "small1", "big2", "big3", "big4", "big5"]
    assert sched.jobs() == set() and sched.busy == 0       # nothing kept


def test_fair_scheduler_small_job_among_many_big_ones():
    """100 jobs of 10 calls on 10 slots, then a 2-call job: its calls are granted within the
    next few slots, not after a round of the hundred others; equal jobs take turns."""
    clock = VirtualClock()

    async def main():
        sched = FairScheduler(10, clock=clock)
        granted = []
        small_joins = asyncio.Event()

        async def call(job):
            async with sched.slot(job):
                granted.append(job)
                if len(granted) == 300:
                    small_joins.set()
                await asyncio.sleep(0.001)

        tasks = [asyncio.create_task(call(f"big{j}")) for j in range(100) for _ in range(10)]
        await small_joins.wait()
        at = len(granted)
        tasks += [asyncio.create_task(call("small")) for _ in range(2)]
        await asyncio.gather(*tasks)
        return granted, at
    granted, at = clock.run(main())
    small = [i for i, job in enumerate(granted) if job == "small"]
    assert len(small) == 2 and small[1] - at <= 12
    # big0 took the ten free slots; then every other job gets a call before any a second
    assert granted[:10] == ["big0"] * 10 and len(set(granted[10:109])) == 99


def test_fair_scheduler_small_job_goes_before_big_jobs_that_have_not_started():
    """Big jobs still waiting for their first call do not push a small job's second call
    back: the smaller job goes first, and the big ones then take turns."""
    clock = VirtualClock()

    async def main():
        sched = FairScheduler(1, clock=clock)
        order = []
        gate = asyncio.Event()

        async def holder():
            async with sched.slot("first"):
                await gate.wait()

        async def call(job):
            async with sched.slot(job):
                order.append(job)
                await asyncio.sleep(0)

        h = asyncio.create_task(holder())
        await asyncio.sleep(0)
        tasks = [asyncio.create_task(call(f"big{j}")) for j in range(3) for _ in range(4)]
        tasks += [asyncio.create_task(call("small")) for _ in range(2)]
        await asyncio.sleep(0)
        gate.set()
        await asyncio.gather(h, *tasks)
        return order
    order = clock.run(main())
    assert order[:2] == ["small", "small"]
    assert order[2:5] == ["big0", "big1", "big2"], "equal jobs take turns"


def test_cancelled_waiter_frees_nothing_and_holder_frees_slot():
    clock = VirtualClock()

    async def main():
        sched = FairScheduler(1, clock=clock)
        holder_in = asyncio.Event()
        release = asyncio.Event()

        async def holder():
            async with sched.slot("a"):
                holder_in.set()
                await release.wait()

        h = asyncio.create_task(holder())
        await holder_in.wait()
        waiter = asyncio.create_task(sched.slot("b").__aenter__())
        await asyncio.sleep(0)
        assert sched.waiting() == 1
        waiter.cancel()
        await asyncio.gather(waiter, return_exceptions=True)
        assert sched.waiting() == 0 and sched.busy == 1
        h.cancel()
        await asyncio.gather(h, return_exceptions=True)
        assert sched.busy == 0 and sched.jobs() == set()
    clock.run(main())


def test_deferred_calls_are_started_fairly_when_granted_and_give_their_slots_back():
    """Calls queued as a count are made one by one as their job is granted slots, in the same
    fair order as waiting coroutines (a small job first, equal jobs in turn); a granted call
    that never runs gives its slot back with `release()`, once; `withdraw` drops the rest."""
    clock = VirtualClock()

    async def main():
        sched = FairScheduler(1, clock=clock)
        order, tickets, calls = [], [], []
        gate = asyncio.Event()

        async def holder():
            async with sched.slot("first"):
                await gate.wait()

        def starter(job):
            def start(ticket):
                assert isinstance(ticket, Ticket) and ticket.job_id == job
                order.append(job)
                tickets.append(ticket)
                calls.append(asyncio.ensure_future(call(ticket)))
            return start

        async def call(ticket):
            async with sched.slot(ticket.job_id, ticket):
                await asyncio.sleep(0)

        h = asyncio.create_task(holder())
        await asyncio.sleep(0)
        for j in range(3):
            sched.defer(f"big{j}", 4, starter(f"big{j}"))
        sched.defer("small", 2, starter("small"))
        assert sched.waiting() == 14 and sched.waiting("small") == 2 and order == []
        gate.set()
        await h
        while len(calls) < 14:
            await asyncio.gather(*calls)
        await asyncio.gather(*calls)
        assert order[:2] == ["small", "small"] and order[2:5] == ["big0", "big1", "big2"]
        assert len(order) == 14 and sched.jobs() == set() and sched.busy == 0

        # a granted call that never ran: its slot comes back once; withdraw drops the rest
        sched.defer("lost", 3, lambda ticket: tickets.append(ticket))
        assert sched.busy == 1 and sched.waiting("lost") == 2
        tickets[-1].release()
        tickets[-2].release()            # (an older ticket, released already: nothing)
        assert sched.busy == 1           # the slot went at once to the next deferred call
        assert sched.withdraw("lost") == 1 and sched.waiting() == 0
        tickets[-1].release()
        tickets[-1].release()
        assert sched.busy == 0 and sched.jobs() == set()

    clock.run(main())


# ---- pacing ----------------------------------------------------------------------------------
def _two_waves(clock, sched, slots, hold):
    """Two waves of `slots` deferred calls of `hold` seconds each, the second queued when the
    first is done; every call's start time."""
    async def main():
        starts, ended = [], []
        wave_done = asyncio.Event()

        def start(ticket):
            async def call():
                async with sched.slot(ticket.job_id, ticket):
                    starts.append(clock.now())
                    await asyncio.sleep(hold)
                ended.append(1)
                if len(ended) % slots == 0:
                    wave_done.set()
            asyncio.ensure_future(call())

        for wave in range(2):
            wave_done.clear()
            for j in range(slots):
                sched.defer(f"w{wave}j{j}", 1, start)
            await wave_done.wait()
        return starts[:slots], starts[slots:]
    return clock.run(main())


def test_scheduler_paces_starts_once_it_knows_how_long_a_call_takes():
    """With a call's time known, a full set of slots starts spread (PACE_BURST at once, then
    one per PACE_FILL * time / slots), so that the answers do not all come back together;
    before any call has ended, and with pace=False, calls start at once."""
    slots, hold = 20, 0.25
    clock = VirtualClock()
    sched = FairScheduler(slots, clock=clock)
    first, second = _two_waves(clock, sched, slots, hold)
    assert first == [0.0] * slots                       # nothing known yet: all at once
    assert sched.hold == hold
    spacing = sched.spacing()
    assert spacing == pytest.approx(PACE_FILL * hold / slots)
    t = second[0]
    assert t == hold
    expected = [t] * PACE_BURST + [t + k * spacing for k in range(1, slots - PACE_BURST + 1)]
    assert second == pytest.approx(expected)
    # the slots turn over as fast: the spreading costs under one call's time, once
    assert second[-1] - t < hold

    clock = VirtualClock()
    free = FairScheduler(slots, pace=False, clock=clock)
    first, second = _two_waves(clock, free, slots, hold)
    assert free.spacing() == 0 and second == [hold] * slots


def test_scheduler_pacing_keeps_the_slots_busy():
    """Many calls through paced slots take about as long as unpaced ones: the starts are
    spread once, then each freed slot is taken again as it frees."""
    async def run(clock, sched, calls=120, hold=0.1):
        async def call(j):
            async with sched.slot(f"job{j % 12}"):
                await asyncio.sleep(hold)
        t0 = clock.now()
        await asyncio.gather(*(call(j) for j in range(calls)))
        return clock.now() - t0

    async def paced_and_free(clock):
        paced = FairScheduler(20, clock=clock)
        await run(clock, paced, calls=20)            # (how long a call takes is known now)
        return await run(clock, paced), await run(clock, FairScheduler(20, pace=False,
                                                                        clock=clock))
    clock = VirtualClock()
    paced, free = clock.run(paced_and_free(clock))
    assert free == pytest.approx(0.6)                # 6 rounds of 20 calls of 0.1 s
    assert free < paced < free + 0.1                 # under one call's time more


# ---- rate windows ----------------------------------------------------------------------------
def test_rate_limits_spread_requests_over_each_second_and_hold_the_minute():
    """6 rpm: one request per (slightly widened) second, the 7th when the first leaves the
    (slightly widened) minute."""
    clock = VirtualClock()

    async def main():
        limits = RateLimits(rpm=6, clock=clock)
        times = []
        for _ in range(8):
            await limits.acquire(10)
            times.append(clock.now())
        return times
    times = clock.run(main())
    second, minute = 60.5 / 60, 60.5
    assert times == pytest.approx([k * second for k in range(6)] + [minute, minute + second])


def test_sliding_window_of_tokens():
    clock = VirtualClock()

    async def main():
        window = SlidingWindow(100, period=0.3, clock=clock)
        times = []
        for tokens in (60, 30, 50, 500):    # 50: waits for the 60 to leave; 500 (over the
            await window.acquire(tokens)    # limit): waits for an empty window
            times.append(clock.now())
        return times, window.used
    times, used = clock.run(main())
    assert times == pytest.approx([0.0, 0.0, 0.3, 0.6]) and used == 100


def test_time_log_does_what_the_windows_ask_of_a_deque():
    rng = random.Random(5)
    log, ref = TimeLog(), deque()
    for step in range(5000):
        if ref and rng.random() < 0.45:
            assert log.popleft() == ref.popleft()
        else:
            x = step + rng.random()
            log.append(x)
            ref.append(x)
        assert len(log) == len(ref) and bool(log) == bool(ref)
        if ref:
            assert log[0] == ref[0]
    while ref:
        assert log.popleft() == ref.popleft()
    assert not log
    with pytest.raises(IndexError):
        log.popleft()
    with pytest.raises(IndexError):
        log[0]
    sizes = TimeLog("q")
    sizes.append(2 ** 40)
    assert sizes.popleft() == 2 ** 40


def test_rate_windows_keep_their_requests_unboxed():
    """The windows' logs hold no object per request (a minute of float objects, freed one by
    one, kept a burst's arenas from going back to the system)."""
    clock = VirtualClock()

    async def main():
        limits = RateLimits(rpm=100_000, tpm=10_000_000, clock=clock)
        await limits.acquire(10)
        before = sys.getallocatedblocks()
        for _ in range(2000):
            await limits.acquire(10)
        return limits, sys.getallocatedblocks() - before
    limits, grown = clock.run(main())
    per_second, per_minute = limits.windows
    assert len(per_minute) == 2001 and len(limits.tokens) == 2001
    assert limits.tokens.used == 20010 and per_second.limit == 1667
    assert grown < 100, grown        # (a deque of floats: one object per request and window)
