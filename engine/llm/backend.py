"""Chat backends: what the LLM service sends its requests to.

    class ChatBackend(Protocol):
        capabilities: Capabilities                      # learned: what the server accepts
        cache_scope: tuple[str, str]                    # (endpoint, model): in cache keys
        async def complete(self, request: ChatRequest) -> Reply: ...   # or raise CallError
        async def aclose(self) -> None: ...
        def describe(self) -> str: ...                  # "gpt-4o-mini at https://..."
        def explain(self, failure: Failure) -> str: ... # a failure that stops a job, for users

Two implementations: `openai_backend.OpenAIBackend` (the official openai client; OpenAI, Azure
OpenAI and any compatible server) and `FakeBackend` below (in-process, for unit tests).  A
backend makes one attempt per `complete()`: retries, limits and scheduling are the service's.

`Capabilities` is what the provider's server accepts, learned once per backend from its
refusals: a server that refuses `json_schema` output is asked for `json_object` from then on
(then for plain text), one that refuses `temperature` is sent none (see LLMService.chat).
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Protocol, Union

from .clock import Clock
from .retry import CallError, Failure, status_failure

FORMATS = ("json_schema", "json_object", "none")


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion to make: the messages, the output format asked for ('json_schema',
    'json_object' or 'none'), the temperature (None: not sent) and the seconds it may take."""

    messages: list[dict[str, str]]
    response_format: str = "json_schema"
    temperature: float | None = 0
    timeout: float = 60.0


@dataclass(frozen=True)
class Capabilities:
    """What a backend's server accepts.

        Capabilities()                                   # json_schema output, temperature 0
        Capabilities(response_format="json_object")      # a server without strict schemas
    """

    response_format: str = "json_schema"
    temperature: bool = True

    def request(self, messages: list[dict[str, str]], timeout: float) -> ChatRequest:
        """The request for `messages` within these capabilities."""
        return ChatRequest(messages, self.response_format, 0 if self.temperature else None,
                           timeout)

    def without(self, failure: Failure) -> "Capabilities | None":
        """These capabilities less what the server refused (a 'format' failure): temperature
        if it says so, else one step down the output formats; None when nothing is left."""
        if "temperature" in failure.reason and self.temperature:
            return replace(self, temperature=False)
        i = FORMATS.index(self.response_format)
        if i + 1 < len(FORMATS):
            return replace(self, response_format=FORMATS[i + 1])
        return None


@dataclass
class Reply:
    """One successful chat completion; token counts as the provider reported them (None:
    not reported)."""

    content: str | None
    finish_reason: str | None = "stop"
    model: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class ChatBackend(Protocol):
    """See the module docstring."""

    capabilities: Capabilities
    cache_scope: tuple[str, str]

    async def complete(self, request: ChatRequest) -> Reply: ...

    async def aclose(self) -> None: ...

    def describe(self) -> str: ...

    def explain(self, failure: Failure) -> str: ...


Answer = Union[str, Reply, BaseException]


class FakeBackend:
    """An in-process chat model for unit tests: no server, no network.

        backend = FakeBackend()
        backend.enqueue(['{"fields": []}', FakeBackend.error(503), Reply("...", "length")])
        service = LLMService(backend, clock=clock)
        ...
        backend.history        # every ChatRequest it was sent, in order (times: when)

    Each call takes the next enqueued answer (a string is the content of a finished answer,
    a Reply is returned as it is, an exception is raised); with none left, `respond(request)`
    gives it, or the call fails the test.  `latency`: seconds (or a function of the request)
    each call takes on `clock` first.  `refuses`: output formats the fake server answers with
    a 400 'format' failure, as servers without strict schemas do.
    """

    def __init__(self, respond: Callable[[ChatRequest], Answer] | None = None, *,
                 latency: float | Callable[[ChatRequest], float] = 0.0,
                 clock: Clock | None = None, model: str = "fake-model",
                 refuses: Iterable[str] = (),
                 capabilities: Capabilities | None = None) -> None:
        self.respond = respond
        self.latency = latency
        self.clock = clock or Clock()
        self.model = model
        self.refuses = set(refuses)
        self.capabilities = capabilities or Capabilities()
        self.cache_scope = ("fake:", model)
        self.queue: collections.deque[Answer] = collections.deque()
        self.history: list[ChatRequest] = []
        self.times: list[float] = []        # when each request arrived
        self.in_flight = self.max_in_flight = self.cancelled = 0
        self.closed = False

    @staticmethod
    def error(status: int, message: str = "", retry_after: float | None = None) -> CallError:
        """The failure an HTTP error status would be, e.g. `FakeBackend.error(429, 'slow', 2)`."""
        headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
        return CallError(status_failure(status, message, headers))

    def enqueue(self, answers: Iterable[Answer]) -> None:
        """Answer the next calls with these, in order."""
        self.queue.extend(answers)

    async def complete(self, request: ChatRequest) -> Reply:
        self.history.append(request)
        self.times.append(self.clock.now())
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            delay = self.latency(request) if callable(self.latency) else self.latency
            if delay:
                await self.clock.sleep(delay)
            if request.response_format in self.refuses:
                raise self.error(400, f"response_format '{request.response_format}' is not "
                                      "supported")
            return self._reply(request, self._answer(request))
        except BaseException as exc:
            if not isinstance(exc, Exception):
                self.cancelled += 1
            raise
        finally:
            self.in_flight -= 1

    def _answer(self, request: ChatRequest) -> Answer:
        if self.queue:
            return self.queue.popleft()
        if self.respond is None:
            raise AssertionError("FakeBackend: a call with no answer enqueued")
        return self.respond(request)

    def _reply(self, request: ChatRequest, answer: Answer) -> Reply:
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, Reply):
            return answer
        prompt = sum(len(m.get("content") or "") for m in request.messages) // 4 + 1
        return Reply(answer, "stop", self.model, prompt, len(answer) // 4 + 1)

    async def aclose(self) -> None:
        self.closed = True

    def describe(self) -> str:
        return f"{self.model} (in-process fake)"

    def explain(self, failure: Failure) -> str:
        return f"The fake model failed: {failure.reason}."

