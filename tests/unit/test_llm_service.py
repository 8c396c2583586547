"""LLMService.chat: retry rules, learned capabilities, timeouts, limits and usage, on the
in-process FakeBackend and virtual time (exact times, no waiting, no server)."""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import random
import time

import pytest

from engine.errors import ConfigError
from engine.llm import (Capabilities, FakeBackend, Limits, LLMService, Reply, RetryPolicy,
                        VirtualClock)
from engine.llm.retry import CallError, Failure, MalformedReply, retry_after
from engine.llm.service import CallFailed, Usage
from engine.settings import Settings

ANSWER = '{"fields": []}'
MSGS = [{"role": "user", "content": "x" * 40}]


def service(backend, clock, **kw):
    kw = {"retry": RetryPolicy(retries=3, base=0.5, jitter=0), **kw}
    return LLMService(backend, clock=clock, **kw)


def chat(svc, clock, n=1):
    """`n` chats at once on `clock`; each one's (usage, reply or the exception)."""
    async def one():
        usage = Usage()
        try:
            return usage, await svc.chat(MSGS, job_id="j", usage=usage)
        except CallFailed as exc:
            return usage, exc

    async def main():
        try:
            return await asyncio.gather(*(one() for _ in range(n)))
        finally:
            await svc.aclose()
    out = clock.run(main())
    return out[0] if n == 1 else out


# ---- retries -------------------------------------------------------------------------------
def test_429_then_503_then_an_answer_at_the_delays_the_provider_and_policy_give():
    clock = VirtualClock()
    backend = FakeBackend(clock=clock)
    backend.enqueue([FakeBackend.error(429, "slow", retry_after=2),
                     FakeBackend.error(503, "overloaded"), ANSWER])
    usage, reply = chat(service(backend, clock), clock)
    assert reply.content == ANSWER
    assert backend.times == [0.0, 2.0, 3.0]       # Retry-After 2 s, then base * 2**1 = 1 s
    assert usage.calls == 3 and usage.retries == 2
    assert usage.prompt_tokens == 11 and usage.completion_tokens == len(ANSWER) // 4 + 1
    first = backend.history[0]
    assert first.response_format == "json_schema" and first.temperature == 0
    assert first.messages == MSGS and first.timeout == 60.0


def test_a_dropped_connection_is_retried():
    clock = VirtualClock()
    backend = FakeBackend(clock=clock)
    backend.enqueue([CallError(Failure("retry", "the connection was dropped")), ANSWER])
    usage, reply = chat(service(backend, clock), clock)
    assert usage.retries == 1 and reply.finish_reason == "stop" and backend.times == [0, 0.5]


def test_retries_run_out():
    clock = VirtualClock()
    backend = FakeBackend(lambda request: FakeBackend.error(500, "boom"), clock=clock)
    usage, failed = chat(service(backend, clock, retry=RetryPolicy(retries=2, jitter=0)),
                         clock)
    assert isinstance(failed, CallFailed) and failed.attempts == 3
    assert failed.failure.kind == "retry" and "HTTP 500: boom" in str(failed)
    assert backend.times == [0.0, 0.5, 1.5] and usage.calls == 3 and usage.retries == 2


@pytest.mark.parametrize("error, kind", [
    (FakeBackend.error(401, "Incorrect API key"), "fatal"),
    (FakeBackend.error(404, "no such model"), "fatal"),
    (FakeBackend.error(422, "bad request"), "chunk"),
    (MalformedReply("the provider's answer is not a chat completion (x)"), "chunk"),
    (ValueError("a bug"), "chunk")])
def test_failures_retrying_cannot_fix_are_not_retried(error, kind):
    clock = VirtualClock()
    backend = FakeBackend(clock=clock)
    backend.enqueue([error])
    usage, failed = chat(service(backend, clock), clock)
    assert isinstance(failed, CallFailed) and failed.failure.kind == kind
    assert len(backend.history) == 1 and usage.retries == 0
    if isinstance(error, ValueError):
        assert failed.failure.reason == "unexpected ValueError"


def test_a_call_past_its_timeout_is_cancelled_and_retried():
    clock = VirtualClock()
    backend = FakeBackend(lambda request: ANSWER, latency=10, clock=clock)
    svc = service(backend, clock, limits=Limits(timeout=3),
                  retry=RetryPolicy(retries=1, base=0.5, jitter=0))
    usage, failed = chat(svc, clock)
    assert isinstance(failed, CallFailed) and failed.failure.reason == "the call timed out"
    assert backend.times == [0.0, 3.5] and clock.now() == 6.5 and backend.cancelled == 2
    assert backend.history[0].timeout == 3


def test_retry_after_forms():
    assert retry_after({"retry-after-ms": "250"}) == 0.25
    assert retry_after({"retry-after": "3"}) == 3.0
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3.0 <= retry_after({"retry-after": date}) <= 5.0
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None
    assert retry_after({"retry-after": "9999"}) == 120.0   # bounded


def test_retry_policy_delays_grow_with_jitter_and_honour_the_hint():
    rng = random.Random(0)
    policy = RetryPolicy(base=0.5, cap=8)
    delays = [policy.delay(a, rng=rng) for a in range(6)]
    assert 0.25 <= delays[0] <= 0.5 and 0.5 <= delays[1] <= 1.0 and 4 <= delays[5] <= 8
    assert 2.0 <= policy.delay(0, hint=2.0, rng=rng) <= 2.5
    exact = RetryPolicy(base=1, cap=8, jitter=0)
    assert [exact.delay(a) for a in range(5)] == [1, 2, 4, 8, 8] and exact.delay(3, 2.5) == 2.5
    with pytest.raises(dataclasses.FrozenInstanceError):
        exact.retries = 9


# ---- capabilities learned from refusals ----------------------------------------------------
def test_json_schema_refused_falls_back_to_json_object_for_the_backend_from_then_on():
    clock = VirtualClock()
    backend = FakeBackend(lambda request: ANSWER, clock=clock, refuses={"json_schema"})
    usage, reply = chat(service(backend, clock), clock)
    assert reply.content == ANSWER
    assert [r.response_format for r in backend.history] == ["json_schema", "json_object"]
    assert backend.capabilities == Capabilities(response_format="json_object")
    assert usage.retries == 0 and usage.calls == 2
    # learned for the backend: another service on it asks for json_object at once
    chat(service(backend, clock), clock)
    assert [r.response_format for r in backend.history[2:]] == ["json_object"]
    # and only for it: a new backend starts from json_schema
    assert FakeBackend().capabilities.response_format == "json_schema"


def test_calls_refused_together_step_down_once():
    """Four calls in flight all refused for json_schema: the backend learns json_object once
    (not json_object, none, ...: one step per refusal would reach plain text), and each call
    is sent again as json_object."""
    clock = VirtualClock()
    backend = FakeBackend(lambda request: ANSWER, latency=1, clock=clock,
                          refuses={"json_schema"})
    results = chat(service(backend, clock, limits=Limits(concurrency=4)), clock, n=4)
    assert all(reply.content == ANSWER for _, reply in results)
    assert [r.response_format for r in backend.history] == ["json_schema"] * 4 + \
        ["json_object"] * 4
    assert backend.capabilities.response_format == "json_object"


def test_a_late_refusal_does_not_undo_what_was_learned_since():
    """A slow call refused for json_schema after a fast one learned that json_object is
    refused too is sent again as plain text: it does not put json_object back."""
    clock = VirtualClock()
    backend = FakeBackend(lambda request: ANSWER, clock=clock,
                          latency=lambda r: 3 if r.messages[0]["content"] == "slow" else 1,
                          refuses={"json_schema", "json_object"})
    svc = service(backend, clock)

    async def main():
        await asyncio.gather(*(svc.chat([{"role": "user", "content": c}], job_id=c,
                                        usage=Usage()) for c in ("slow", "fast")))
    clock.run(main())
    sent = [(t, r.messages[0]["content"], r.response_format)
            for t, r in zip(backend.times, backend.history)]
    assert sent == [(0, "slow", "json_schema"), (0, "fast", "json_schema"),
                    (1, "fast", "json_object"), (2, "fast", "none"), (3, "slow", "none")]
    assert backend.capabilities.response_format == "none"


def test_formats_step_down_to_plain_text_then_the_call_fails():
    clock = VirtualClock()
    backend = FakeBackend(lambda request: ANSWER, clock=clock,
                          refuses={"json_schema", "json_object", "none"})
    usage, failed = chat(service(backend, clock), clock)
    assert [r.response_format for r in backend.history] == ["json_schema", "json_object",
                                                            "none"]
    assert isinstance(failed, CallFailed) and failed.failure.kind == "format"


def test_temperature_refused_is_dropped():
    clock = VirtualClock()
    backend = FakeBackend(clock=clock)
    backend.enqueue([FakeBackend.error(400, "Unsupported value: 'temperature' does not "
                                            "support 0"), ANSWER])
    chat(service(backend, clock), clock)
    assert [r.temperature for r in backend.history] == [0, None]
    assert [r.response_format for r in backend.history] == ["json_schema"] * 2
    assert backend.capabilities == Capabilities(temperature=False)


# ---- limits and usage ----------------------------------------------------------------------
def test_never_more_calls_at_once_than_the_limit():
    clock = VirtualClock()
    backend = FakeBackend(lambda request: ANSWER, latency=0.5, clock=clock)
    chat(service(backend, clock, limits=Limits(concurrency=3)), clock, n=10)
    assert backend.max_in_flight == 3
    assert backend.times == [0.0] * 3 + [0.5] * 3 + [1.0] * 3 + [1.5]


def test_requests_per_minute_are_spread_over_each_second():
    clock = VirtualClock()
    backend = FakeBackend(lambda request: ANSWER, latency=0.5, clock=clock)
    chat(service(backend, clock, limits=Limits(concurrency=16, rpm=120)), clock, n=6)
    second = 60.5 / 60              # 120 rpm: 2 per (slightly widened) second
    assert backend.times == pytest.approx([0, 0, second, second, 2 * second, 2 * second])


def test_tokens_the_provider_did_not_report_are_estimated():
    clock = VirtualClock()
    backend = FakeBackend(clock=clock)
    backend.enqueue([Reply('{"fields": [1, 2, 3]}', "length")])
    usage, reply = chat(service(backend, clock), clock)
    assert reply.finish_reason == "length"
    assert usage.prompt_tokens > 0 and usage.completion_tokens == len(reply.content) // 4


def test_limits_are_values_with_defaults():
    limits = Limits()
    assert (limits.concurrency, limits.rpm, limits.tpm, limits.timeout, limits.deadline,
            limits.chunk_tokens) == (16, 0, 0, 60.0, 600.0, 1500)
    assert Limits(concurrency=0).concurrency == 1
    assert Limits(concurrency=4, rpm=500, tpm=200_000).describe() == \
        "4 calls at once, 500 rpm, 200,000 tpm"
    with pytest.raises(dataclasses.FrozenInstanceError):
        limits.rpm = 5
    s = Settings(llm_concurrency=8, llm_rpm=50, llm_tpm=9000, llm_timeout=7, llm_deadline=70,
                 chunk_tokens=900)
    assert Limits.from_settings(s) == Limits(8, 50, 9000, 7, 70, 900)


def test_from_settings():
    key = "sk-test-THE-SECRET-KEY-123"
    assert LLMService.from_settings(Settings()) is None
    svc = LLMService.from_settings(Settings(openai_api_key=key, llm_concurrency=8, llm_rpm=500,
                                            llm_retries=2))
    assert svc.describe() == "gpt-4o-mini at https://api.openai.com/v1, 8 calls at once, 500 rpm"
    assert svc.retry.retries == 2 and svc.chunk_tokens == 1500 and key not in repr(svc)
    local = LLMService.from_settings(Settings(
        openai_base_url="http://user:pw@127.0.0.1:8001/v1?k=1", openai_model="llama3"))
    assert local.describe().startswith("llama3 at http://127.0.0.1:8001/v1,")
    azure = LLMService.from_settings(Settings(azure_endpoint="https://x.openai.azure.com",
                                              azure_api_key=key, azure_deployment="gpt4o"))
    assert azure.backend.provider.kind == "azure" and azure.backend.provider.api_version
    assert azure.describe().startswith("gpt4o at Azure OpenAI https://x.openai.azure.com")
    with pytest.raises(ConfigError, match="AZURE_OPENAI_DEPLOYMENT"):
        LLMService.from_settings(Settings(azure_endpoint="https://x.openai.azure.com"))


def test_fake_backend_fails_a_call_it_has_no_answer_for():
    clock = VirtualClock()
    backend = FakeBackend(clock=clock)
    usage, failed = chat(service(backend, clock), clock)
    assert isinstance(failed, CallFailed) and failed.failure.reason == \
        "unexpected AssertionError"
