"""Retry policy, error classification and the fair scheduler, without a server.

HTTP is faked at the transport (httpx2.MockTransport) under the real openai client.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import random
import time

import httpx2
import pytest

from engine.errors import ConfigError
from engine.llm import LLMService, Provider
from engine.llm.client import CallFailed, Usage
from engine.llm.retry import backoff, classify, redact, retry_after
from engine.llm.scheduler import FairScheduler, RateLimits, TokenWindow
from engine.settings import Settings

KEY = "sk-test-THE-SECRET-KEY-123"
OK_BODY = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
           "choices": [{"index": 0, "finish_reason": "stop",
                        "message": {"role": "assistant", "content": '{"fields": []}'}}],
           "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16}}


def _service(handler, **kw) -> LLMService:
    kw = {"retries": 3, "retry_base": 0.01, "retry_cap": 0.02, "seed": 1, **kw}
    return LLMService(Provider("openai", "http://provider.test/v1", "m", KEY),
                      http_client_factory=lambda: httpx2.AsyncClient(
                          transport=httpx2.MockTransport(handler)), **kw)


def _scripted(*responses):
    """A handler answering with the given (status, headers, body) in turn; records requests."""
    seen = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        status, headers, body = responses[min(len(seen), len(responses)) - 1]
        if isinstance(body, Exception):
            raise body
        return httpx2.Response(status, headers=headers, json=body)
    return handler, seen


def _chat(svc):
    usage = Usage()
    msgs = [{"role": "user", "content": "x"}]
    return usage, asyncio.run(_chat_and_close(svc, msgs, usage))


async def _chat_and_close(svc, msgs, usage):
    try:
        return await svc.chat(msgs, job_id="j", usage=usage)
    finally:
        await svc.aclose()


def test_retry_after_forms():
    assert retry_after({"retry-after-ms": "250"}) == 0.25
    assert retry_after({"retry-after": "3"}) == 3.0
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3.0 <= retry_after({"retry-after": date}) <= 5.0
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None
    assert retry_after({"retry-after": "9999"}) == 120.0   # bounded


def test_backoff_grows_with_jitter_and_honours_hint():
    rng = random.Random(0)
    delays = [backoff(a, base=0.5, cap=8, rng=rng) for a in range(6)]
    assert 0.25 <= delays[0] <= 0.5 and 0.5 <= delays[1] <= 1.0 and 4 <= delays[5] <= 8
    assert 2.0 <= backoff(0, base=0.5, cap=8, hint=2.0, rng=rng) <= 2.5


def test_429_then_5xx_then_success_counts_retries():
    handler, seen = _scripted((429, {"retry-after-ms": "20"}, {"error": {"message": "slow"}}),
                              (503, {}, {"error": {"message": "overloaded"}}),
                              (200, {}, OK_BODY))
    usage, reply = _chat(_service(handler))
    assert reply.content == '{"fields": []}'
    assert usage.calls == 3 and usage.retries == 2
    assert usage.prompt_tokens == 11 and usage.completion_tokens == 5
    assert seen[0]["response_format"]["type"] == "json_schema"
    assert seen[0]["temperature"] == 0


def test_dropped_connection_is_retried():
    handler, _ = _scripted((0, {}, httpx2.RemoteProtocolError("peer closed connection")),
                           (200, {}, OK_BODY))
    usage, reply = _chat(_service(handler))
    assert usage.retries == 1 and reply.finish_reason == "stop"


def test_retries_run_out():
    handler, seen = _scripted((500, {}, {"error": {"message": "boom"}}))
    with pytest.raises(CallFailed) as info:
        _chat(_service(handler, retries=2))
    assert len(seen) == 3 and info.value.attempts == 3
    assert info.value.failure.kind == "retry" and "HTTP 500: boom" in str(info.value)


def test_json_schema_rejected_falls_back_to_json_object():
    handler, seen = _scripted(
        (400, {}, {"error": {"message": "response_format 'json_schema' is not supported"}}),
        (200, {}, OK_BODY))
    svc = _service(handler)
    usage, reply = _chat(svc)
    assert [r.get("response_format", {}).get("type") for r in seen] == ["json_schema",
                                                                        "json_object"]
    assert svc.format_mode == "json_object" and usage.retries == 0


def test_temperature_rejected_is_dropped():
    handler, seen = _scripted(
        (400, {}, {"error": {"message": "Unsupported value: 'temperature' does not support 0"}}),
        (200, {}, OK_BODY))
    _chat(_service(handler))
    assert "temperature" in seen[0] and "temperature" not in seen[1]


def test_bad_key_is_fatal_and_never_shown():
    handler, seen = _scripted((401, {}, {"error": {"message": f"Incorrect API key provided: {KEY}"}}))
    svc = _service(handler)
    with pytest.raises(CallFailed) as info:
        _chat(svc)
    assert len(seen) == 1 and info.value.failure.kind == "fatal"
    assert KEY not in str(info.value) and "***" in str(info.value)
    assert KEY not in repr(svc) and KEY not in svc.describe() and KEY not in repr(svc.provider)


def test_the_request_is_what_chat_completions_create_sends():
    """The call goes through the client's documented `post` (no walk of the body against
    the SDK's parameter types): same path, key, headers and body as create() sends, on
    OpenAI-style and Azure deployments alike."""
    import openai

    def capture(into):
        def handler(request: httpx2.Request) -> httpx2.Response:
            into.append(request)
            return httpx2.Response(200, json=OK_BODY)
        return handler

    ours: list[httpx2.Request] = []
    svc = _service(capture(ours))
    usage, reply = _chat(svc)
    assert reply.content == '{"fields": []}' and reply.model == "m"

    theirs: list[httpx2.Request] = []

    async def sdk():
        client = openai.AsyncOpenAI(
            base_url="http://provider.test/v1", api_key=KEY, max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(capture(theirs))))
        await client.chat.completions.create(**svc._request_options(
            [{"role": "user", "content": "x"}]))
        await client.close()
    asyncio.run(sdk())
    (a,), (b,) = ours, theirs
    assert (a.method, a.url) == (b.method, b.url)
    assert str(a.url) == "http://provider.test/v1/chat/completions" and a.method == "POST"
    assert json.loads(a.content) == json.loads(b.content)
    assert a.headers["authorization"] == b.headers["authorization"] == f"Bearer {KEY}"
    assert a.headers["content-type"] == b.headers["content-type"] == "application/json"

    azure: list[httpx2.Request] = []
    svc = LLMService(Provider("azure", "https://res.openai.azure.com", "my-deployment", KEY,
                              api_version="2024-10-21"),
                     http_client_factory=lambda: httpx2.AsyncClient(
                         transport=httpx2.MockTransport(capture(azure))), retries=0)
    _chat(svc)
    assert azure[0].url.path == "/openai/deployments/my-deployment/chat/completions"
    assert azure[0].url.params["api-version"] == "2024-10-21"
    assert azure[0].headers["api-key"] == KEY


@pytest.mark.parametrize("body", [b"<html>502 Bad Gateway</html>",
                                  b'["not", "a", "completion"]', b'{"choices": "nope"}'])
def test_an_answer_that_is_no_chat_completion_fails_the_chunk_clearly(body):
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, content=body, headers={"content-type": "application/json"})
    with pytest.raises(CallFailed) as info:
        _chat(_service(handler))
    assert info.value.failure.kind == "chunk"
    assert "the provider's answer is not a chat completion" in str(info.value)


def test_content_parts_and_missing_usage_are_read():
    parts = {**OK_BODY, "usage": None,
             "choices": [{"index": 0, "finish_reason": "length", "message": {
                 "role": "assistant", "content": [{"type": "text", "text": '{"fields":'},
                                                  {"type": "text", "text": " []}"}]}}]}
    handler, _ = _scripted((200, {}, parts))
    usage, reply = _chat(_service(handler))
    assert reply.content == '{"fields": []}' and reply.finish_reason == "length"
    assert usage.prompt_tokens > 0 and usage.completion_tokens == len(reply.content) // 4


def test_classify_timeouts_and_unknown_errors():
    assert classify(asyncio.TimeoutError()).kind == "retry"
    assert classify(ValueError("x")).kind == "chunk"
    assert redact(f"bad {KEY}!", [KEY]) == "bad ***!"


def test_from_settings():
    assert LLMService.from_settings(Settings()) is None
    svc = LLMService.from_settings(Settings(openai_api_key=KEY, llm_concurrency=8, llm_rpm=500))
    assert svc.describe() == "gpt-4o-mini at https://api.openai.com/v1, 8 calls at once, 500 rpm"
    local = LLMService.from_settings(Settings(openai_base_url="http://user:pw@127.0.0.1:8001/v1?k=1",
                                              openai_model="llama3"))
    assert local.describe().startswith("llama3 at http://127.0.0.1:8001/v1,")
    azure = LLMService.from_settings(Settings(azure_endpoint="https://x.openai.azure.com",
                                              azure_api_key=KEY, azure_deployment="gpt4o"))
    assert azure.provider.kind == "azure" and azure.provider.api_version
    assert azure.describe().startswith("gpt4o at Azure OpenAI https://x.openai.azure.com")
    with pytest.raises(ConfigError, match="AZURE_OPENAI_DEPLOYMENT"):
        LLMService.from_settings(Settings(azure_endpoint="https://x.openai.azure.com"))


# ---- scheduler and limits ---------------------------------------------------------------
def test_fair_scheduler_serves_the_job_with_fewest_calls_first():
    async def main():
        sched = FairScheduler(1)
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
    order, sched = asyncio.run(main())
    # the small job joins while big1 holds the slot: both of its calls go next
    assert order == ["big0", "big1", "small0", "small1", "big2", "big3", "big4", "big5"]
    assert not sched._served and not sched._running and not sched._last  # nothing kept


def test_fair_scheduler_small_job_among_many_big_ones():
    """100 jobs of 10 calls on 10 slots, then a 2-call job: its calls are granted within the
    next few slots, not after a round of the hundred others; equal jobs take turns."""
    async def main():
        sched = FairScheduler(10)
        granted = []

        async def call(job):
            async with sched.slot(job):
                granted.append(job)
                await asyncio.sleep(0.001)

        tasks = [asyncio.create_task(call(f"big{j}")) for j in range(100) for _ in range(10)]
        while len(granted) < 300:
            await asyncio.sleep(0.001)
        at = len(granted)
        tasks += [asyncio.create_task(call("small")) for _ in range(2)]
        await asyncio.gather(*tasks)
        return granted, at
    granted, at = asyncio.run(main())
    small = [i for i, job in enumerate(granted) if job == "small"]
    assert len(small) == 2 and small[1] - at <= 12
    # big0 took the ten free slots; then every other job gets a call before any a second
    assert granted[:10] == ["big0"] * 10 and len(set(granted[10:109])) == 99


def test_fair_scheduler_small_job_goes_before_big_jobs_that_have_not_started():
    """Big jobs still waiting for their first call do not push a small job's second call
    back: the smaller job goes first, and the big ones then take turns."""
    async def main():
        sched = FairScheduler(1)
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
    order = asyncio.run(main())
    assert order[:2] == ["small", "small"]
    assert order[2:5] == ["big0", "big1", "big2"], "equal jobs take turns"


def test_cancelled_waiter_frees_nothing_and_holder_frees_slot():
    async def main():
        sched = FairScheduler(1)
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
        assert sched.busy == 0
    asyncio.run(main())


def test_deferred_calls_are_started_fairly_when_granted_and_give_their_slots_back():
    """Calls queued as a count are made one by one as their job is granted slots, in the same
    fair order as waiting coroutines (a small job first, equal jobs in turn); a granted call
    that never runs gives its slot back with `release()`, once; `withdraw` drops the rest."""
    from engine.llm.scheduler import Ticket

    async def main():
        sched = FairScheduler(1)
        order, tickets = [], []
        gate = asyncio.Event()

        async def holder():
            async with sched.slot("first"):
                await gate.wait()

        def starter(job):
            def start(ticket):
                assert isinstance(ticket, Ticket) and ticket.job_id == job
                order.append(job)
                tickets.append(ticket)
                asyncio.get_running_loop().call_soon(run, ticket)
            return start

        def run(ticket):
            async def call():
                async with sched.slot(ticket.job_id, ticket):
                    await asyncio.sleep(0)
            asyncio.ensure_future(call())

        h = asyncio.create_task(holder())
        await asyncio.sleep(0)
        for j in range(3):
            sched.defer(f"big{j}", 4, starter(f"big{j}"))
        sched.defer("small", 2, starter("small"))
        assert sched.waiting() == 14 and sched.waiting("small") == 2 and order == []
        gate.set()
        await h
        while sched.busy or sched.waiting():
            await asyncio.sleep(0.001)
        assert order[:2] == ["small", "small"] and order[2:5] == ["big0", "big1", "big2"]
        assert len(order) == 14 and not sched._served and not sched._deferred

        # a granted call that never ran: its slot comes back once; withdraw drops the rest
        sched.defer("lost", 3, lambda ticket: tickets.append(ticket))
        assert sched.busy == 1 and sched.waiting("lost") == 2
        tickets[-1].release()
        tickets[-2].release()            # (an older ticket, released already: nothing)
        assert sched.busy == 1           # the slot went at once to the next deferred call
        assert sched.withdraw("lost") == 1 and sched.waiting() == 0
        tickets[-1].release()
        tickets[-1].release()
        assert sched.busy == 0 and not sched._served and not sched._running

    asyncio.run(main())


def _two_waves(sched, slots, hold):
    """Two waves of `slots` deferred calls of `hold` seconds each, the second queued when the
    first is done; every call's start time."""
    async def main():
        starts = []

        def start(ticket):
            async def call():
                async with sched.slot(ticket.job_id, ticket):
                    starts.append(time.monotonic())
                    await asyncio.sleep(hold)
            asyncio.ensure_future(call())

        for wave in range(2):
            for j in range(slots):
                sched.defer(f"w{wave}j{j}", 1, start)
            async with asyncio.timeout(30):
                while sched.busy or sched.waiting() or len(starts) < slots * (wave + 1):
                    await asyncio.sleep(0.005)
        return starts[:slots], starts[slots:]
    return asyncio.run(main())


def test_scheduler_paces_starts_once_it_knows_how_long_a_call_takes():
    """With a call's time known, a full set of slots starts spread (PACE_BURST at once, then
    one per PACE_FILL * time / slots), so that the answers do not all come back together;
    before any call has ended, and with pace=False, calls start at once."""
    from engine.llm.scheduler import PACE_BURST, PACE_FILL

    slots, hold = 20, 0.25
    sched = FairScheduler(slots)
    first, second = _two_waves(sched, slots, hold)
    assert max(first) - min(first) < 0.05               # nothing known yet: all at once
    assert sched.hold == pytest.approx(hold, abs=0.1)
    spacing = sched.spacing()
    assert spacing == pytest.approx(PACE_FILL * sched.hold / slots)
    gaps = [b - a for a, b in zip(second, second[1:])]
    assert max(second) - min(second) >= 0.8 * (slots - PACE_BURST) * spacing
    assert sorted(gaps)[PACE_BURST] >= 0.5 * spacing     # no more than a burst at once
    # the slots turn over as fast: the spreading costs under one call's time, once
    assert max(second) - min(second) < hold

    free = FairScheduler(slots, pace=False)
    first, second = _two_waves(free, slots, hold)
    assert free.spacing() == 0 and max(second) - min(second) < 0.05


def test_scheduler_pacing_keeps_the_slots_busy():
    """Many calls through paced slots take about as long as unpaced ones: the starts are
    spread once, then each freed slot is taken again as it frees."""
    async def run(sched, calls=120, hold=0.1):
        async def call(j):
            async with sched.slot(f"job{j % 12}"):
                await asyncio.sleep(hold)
        t0 = time.monotonic()
        await asyncio.gather(*(call(j) for j in range(calls)))
        return time.monotonic() - t0

    async def main():
        paced = FairScheduler(20)
        await run(paced, calls=20)                   # (how long a call takes is known now)
        return await run(paced), await run(FairScheduler(20, pace=False))
    paced, free = asyncio.run(main())
    assert paced <= free + 0.1 + 0.3                 # under one call's time more (+ slack)


def test_rate_limits_pace_requests():
    async def main():
        limits = RateLimits(rpm=6, period=0.6)       # 6 per 0.6 s, at most 1 per 0.01 s
        t0 = time.monotonic()
        for _ in range(8):
            await limits.acquire(10)
        return time.monotonic() - t0
    assert asyncio.run(main()) >= 0.55               # the 7th waits for the window


def test_token_window():
    async def main():
        window = TokenWindow(100, period=0.3)
        t0 = time.monotonic()
        await window.acquire(60)
        await window.acquire(30)
        t1 = time.monotonic()
        await window.acquire(50)                     # over 100: waits for the first to expire
        await window.acquire(500)                    # bigger than the limit: waits for empty
        return t1 - t0, time.monotonic() - t1
    fast, slow = asyncio.run(main())
    assert fast < 0.2 and slow >= 0.55


def test_time_log_does_what_the_windows_ask_of_a_deque():
    import random
    from collections import deque

    from engine.llm.scheduler import TimeLog

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
    """The throttlers' and the token window's logs hold no object per request (a minute of
    float objects, freed one by one, kept a burst's arenas from going back to the system),
    and asyncio-throttle's Throttler still keeps its log where the app put it."""
    import sys

    from engine.llm.scheduler import TimeLog

    async def main():
        limits = RateLimits(rpm=100_000, tpm=10_000_000, period=60)
        await limits.acquire(10)
        before = sys.getallocatedblocks()
        for _ in range(2000):
            await limits.acquire(10)
        return limits, sys.getallocatedblocks() - before
    limits, grown = asyncio.run(main())
    logs = [t._task_logs for t in limits._throttlers] + [limits._tokens._times,
                                                         limits._tokens._sizes]
    assert all(type(log) is TimeLog for log in logs)
    assert len(logs[1]) == 2001 and len(logs[2]) == 2001 and limits._tokens._used == 20010
    assert grown < 100, grown        # (a deque of floats: one object per request and window)
