"""The OpenAI backend: the real openai client with its HTTP faked at the transport
(httpx2.MockTransport, no server), on virtual time: what it sends, how it reads answers, how
it classifies failures, and that the API key never shows."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx2
import openai
import pytest

from engine.llm import ChatRequest, LLMService, OpenAIBackend, Provider, RetryPolicy, VirtualClock
from engine.llm.openai_backend import classify
from engine.llm.retry import CallError
from engine.llm.service import CallFailed, Usage

KEY = "sk-test-THE-SECRET-KEY-123"
OK_BODY = {"id": "x", "object": "chat.completion", "created": 0, "model": "m",
           "choices": [{"index": 0, "finish_reason": "stop",
                        "message": {"role": "assistant", "content": '{"fields": []}'}}],
           "usage": {"prompt_tokens": 11, "completion_tokens": 5, "total_tokens": 16}}
MSGS = [{"role": "user", "content": "x"}]


def backend(handler, provider=None) -> OpenAIBackend:
    provider = provider or Provider("openai", "http://provider.test/v1", "m", KEY)
    return OpenAIBackend(provider, http_client_factory=lambda: httpx2.AsyncClient(
        transport=httpx2.MockTransport(handler)))


def scripted(*responses):
    """A handler answering with the given (status, headers, body) in turn; records requests."""
    seen = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        status, headers, body = responses[min(len(seen), len(responses)) - 1]
        if isinstance(body, Exception):
            raise body
        if isinstance(body, bytes):
            return httpx2.Response(status, content=body,
                                   headers={"content-type": "application/json"})
        return httpx2.Response(status, headers=headers, json=body)
    return handler, seen


def complete(b: OpenAIBackend, request: ChatRequest | None = None):
    """One attempt on virtual time: the reply, or the CallError's failure."""
    async def main():
        try:
            return await b.complete(request or ChatRequest(MSGS))
        except CallError as exc:
            return exc.failure
        finally:
            await b.aclose()
    return VirtualClock().run(main())


def test_an_answer_is_read_with_its_usage():
    handler, seen = scripted((200, {}, OK_BODY))
    reply = complete(backend(handler))
    assert (reply.content, reply.finish_reason, reply.model) == ('{"fields": []}', "stop", "m")
    assert (reply.prompt_tokens, reply.completion_tokens) == (11, 5)
    assert seen[0]["response_format"]["type"] == "json_schema" and seen[0]["temperature"] == 0


def test_the_request_follows_the_capabilities_asked_for():
    handler, seen = scripted((200, {}, OK_BODY))
    b = backend(handler)
    complete(b, ChatRequest(MSGS, response_format="json_object", temperature=None))
    complete(b, ChatRequest(MSGS, response_format="none"))
    assert seen[0]["response_format"] == {"type": "json_object"} and "temperature" not in seen[0]
    assert "response_format" not in seen[1] and seen[1]["temperature"] == 0


def test_failures_are_classified():
    retry_later = (429, {"retry-after-ms": "20"}, {"error": {"message": "slow"}})
    no_schema = (400, {}, {"error": {"message": "response_format 'json_schema' is not "
                                                "supported"}})
    dropped = (0, {}, httpx2.RemoteProtocolError("peer closed connection"))
    failures = [complete(backend(scripted(r)[0])) for r in (retry_later, no_schema, dropped)]
    assert [(f.kind, f.status, f.retry_after) for f in failures] == [
        ("retry", 429, 0.02), ("format", 400, None), ("retry", None, None)]
    assert failures[0].reason == "HTTP 429: slow"
    assert failures[2].reason == ("the connection to the LLM endpoint at "
                                  "http://provider.test/v1 failed or was dropped")


def test_the_service_retries_through_the_real_client():
    handler, seen = scripted((429, {"retry-after-ms": "20"}, {"error": {"message": "slow"}}),
                             (503, {}, {"error": {"message": "overloaded"}}),
                             (200, {}, OK_BODY))
    clock = VirtualClock()
    svc = LLMService(backend(handler), retry=RetryPolicy(base=0.5, jitter=0), clock=clock)
    usage = Usage()

    async def main():
        try:
            return await svc.chat(MSGS, job_id="j", usage=usage)
        finally:
            await svc.aclose()
    reply = clock.run(main())
    assert reply.content == '{"fields": []}' and len(seen) == 3
    assert usage.calls == 3 and usage.retries == 2
    assert usage.prompt_tokens == 11 and usage.completion_tokens == 5
    assert clock.now() == pytest.approx(0.02 + 1.0)    # Retry-After, then 0.5 * 2**1


def test_bad_key_is_fatal_and_never_shown():
    handler, seen = scripted((401, {}, {"error": {"message": f"Incorrect API key provided: "
                                                             f"{KEY}"}}))
    b = backend(handler)
    failure = complete(b)
    assert failure.kind == "fatal" and KEY not in failure.reason and "***" in failure.reason
    message = b.explain(failure)
    assert "refused the credentials" in message and "OPENAI_API_KEY" in message
    assert KEY not in message and KEY not in repr(b) and KEY not in b.describe()
    assert KEY not in repr(b.provider)
    clock = VirtualClock()
    svc = LLMService(b, clock=clock)

    async def main():
        with pytest.raises(CallFailed) as info:
            await svc.chat(MSGS, job_id="j", usage=Usage())
        await svc.aclose()
        return info.value
    failed = clock.run(main())
    assert len(seen) == 2 and KEY not in str(failed) and KEY not in repr(svc)


def test_the_request_is_what_chat_completions_create_sends():
    """The call goes through the client's documented `post` (no walk of the body against
    the SDK's parameter types): same path, key, headers and body as create() sends, on
    OpenAI-style and Azure deployments alike."""
    def capture(into):
        def handler(request: httpx2.Request) -> httpx2.Response:
            into.append(request)
            return httpx2.Response(200, json=OK_BODY)
        return handler

    ours: list[httpx2.Request] = []
    b = backend(capture(ours))
    reply = complete(b)
    assert reply.content == '{"fields": []}' and reply.model == "m"

    theirs: list[httpx2.Request] = []

    async def sdk():
        client = openai.AsyncOpenAI(
            base_url="http://provider.test/v1", api_key=KEY, max_retries=0,
            http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(capture(theirs))))
        await client.chat.completions.create(**b.body(ChatRequest(MSGS)))
        await client.close()
    asyncio.run(sdk())
    (a,), (t,) = ours, theirs
    assert (a.method, a.url) == (t.method, t.url)
    assert str(a.url) == "http://provider.test/v1/chat/completions" and a.method == "POST"
    assert json.loads(a.content) == json.loads(t.content)
    assert a.headers["authorization"] == t.headers["authorization"] == f"Bearer {KEY}"
    assert a.headers["content-type"] == t.headers["content-type"] == "application/json"

    azure: list[httpx2.Request] = []
    complete(backend(capture(azure), Provider("azure", "https://res.openai.azure.com",
                                              "my-deployment", KEY, api_version="2024-10-21")))
    assert azure[0].url.path == "/openai/deployments/my-deployment/chat/completions"
    assert azure[0].url.params["api-version"] == "2024-10-21"
    assert azure[0].headers["api-key"] == KEY


@pytest.mark.parametrize("body", [b"<html>502 Bad Gateway</html>",
                                  b'["not", "a", "completion"]', b'{"choices": "nope"}'])
def test_an_answer_that_is_no_chat_completion_fails_the_chunk_clearly(body):
    clock = VirtualClock()
    svc = LLMService(backend(scripted((200, {}, body))[0]), clock=clock)

    async def main():
        with pytest.raises(CallFailed) as info:
            await svc.chat(MSGS, job_id="j", usage=Usage())
        await svc.aclose()
        return info.value
    failed = clock.run(main())
    assert failed.failure.kind == "chunk" and failed.attempts == 1
    assert "the provider's answer is not a chat completion" in str(failed)


def test_content_parts_and_missing_usage_are_read():
    parts = {**OK_BODY, "usage": None,
             "choices": [{"index": 0, "finish_reason": "length", "message": {
                 "role": "assistant", "content": [{"type": "text", "text": '{"fields":'},
                                                  {"type": "text", "text": " []}"}]}}]}
    reply = complete(backend(scripted((200, {}, parts))[0]))
    assert reply.content == '{"fields": []}' and reply.finish_reason == "length"
    assert reply.prompt_tokens is None and reply.completion_tokens is None


def test_timeouts_say_timed_out_and_other_failures_name_the_endpoint():
    assert classify(asyncio.TimeoutError()).reason == "the call timed out"
    request = httpx2.Request("POST", "http://x.test/v1/chat/completions")
    assert classify(openai.APITimeoutError(request), "http://x.test/v1").reason == \
        "the call timed out"
    dropped = openai.APIConnectionError(request=request)
    assert classify(dropped, "http://x.test/v1").reason == (
        "the connection to the LLM endpoint at http://x.test/v1 failed or was dropped")
    try:
        try:
            raise socket.gaierror(-2, "Name or service not known")
        except OSError as exc:
            raise openai.APITimeoutError(request) from exc
    except openai.APITimeoutError as exc:
        failure = classify(exc, "http://nowhere.test/v1")
    assert failure.kind == "retry" and failure.reason == (
        "could not connect to the LLM endpoint at http://nowhere.test/v1 (host name not found)")
    assert classify(ValueError("x")).kind == "chunk"
