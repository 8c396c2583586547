"""The process-wide LLM service: a chat backend under shared limits, a fair scheduler, a
retry policy, an answer cache and usage accounting.

    service = LLMService.from_settings(settings)   # the OpenAI backend; None: no provider
    service = LLMService(FakeBackend(respond=...), limits=Limits(concurrency=4),
                         retry=RetryPolicy(retries=2), clock=VirtualClock())   # unit tests
    async for update in refine(service, text, rules, job_id=..., filename=...): ...
    await service.aclose()

`chat()` makes one chat completion for a job: it waits for a fair slot (scheduler.py) and the
rate windows (limits.py), sends through the backend within the per-call timeout, retries
transient failures as the RetryPolicy says (counting them), and learns once, per backend,
which output formats and parameters its server refuses (backend.Capabilities).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import Any, Callable

from .backend import Capabilities, ChatBackend, Reply
from .cache import ChunkCache
from .clock import Clock
from .limits import Limits, RateLimits
from .openai_backend import OpenAIBackend
from .prompt import PROMPT_VERSION
from .retry import Failure, RetryPolicy, classify
from .scheduler import FairScheduler, Ticket
from .tokens import estimate_messages_tokens

NO_PROVIDER_MESSAGE = (
    "No LLM provider is configured, so 'Refine with LLM' is off. Set OPENAI_API_KEY (and "
    "OPENAI_MODEL), or OPENAI_BASE_URL for a compatible server (vLLM, Ollama, llama.cpp, "
    "LiteLLM, or the bundled simulator: python -m simulator), or AZURE_OPENAI_ENDPOINT, "
    "AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT; then restart the app.")
log = logging.getLogger(__name__)


@dataclass
class Usage:
    """What one job cost: calls made (retries included), tokens, cache hits, seconds."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    retries: int = 0
    elapsed: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "elapsed": round(self.elapsed, 3)}

    def text(self) -> str:
        """One line for the UI and the CLI."""
        return (f"{self.calls} LLM calls ({self.retries} retries), {self.cache_hits} chunks "
                f"from cache, {self.prompt_tokens + self.completion_tokens:,} tokens "
                f"({self.prompt_tokens:,} in, {self.completion_tokens:,} out), "
                f"{self.elapsed:.1f} s")

    def add(self, reply: Reply, prompt_estimate: int) -> None:
        """Count one answer's tokens (estimated when the provider did not report them)."""
        if reply.prompt_tokens is None and reply.completion_tokens is None:
            self.prompt_tokens += prompt_estimate
            self.completion_tokens += len(reply.content or "") // 4
        else:
            self.prompt_tokens += reply.prompt_tokens or 0
            self.completion_tokens += reply.completion_tokens or 0


class CallFailed(Exception):
    """A call failed for good (retries used up, or a failure retrying cannot fix)."""

    def __init__(self, failure: Failure, attempts: int) -> None:
        super().__init__(failure.reason)
        self.failure = failure
        self.attempts = attempts


@dataclass
class _LoopState:
    loop: asyncio.AbstractEventLoop
    scheduler: FairScheduler
    rates: RateLimits


class LLMService:
    """The one LLM service of the process (see the module docstring)."""

    def __init__(self, backend: ChatBackend, *, limits: Limits | None = None,
                 retry: RetryPolicy | None = None, cache: ChunkCache | None = None,
                 clock: Clock | None = None, rng: random.Random | None = None) -> None:
        self.backend = backend
        self.limits = limits or Limits()
        self.retry = retry or RetryPolicy()
        self.cache = cache
        self.clock = clock or Clock()
        self._rng = rng or random.Random()
        self._state: _LoopState | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> "LLMService | None":
        """The service the settings describe, or None when no LLM provider is configured.
        Call it at start-up: it opens the cache directory (blocking, well under a second)."""
        backend = OpenAIBackend.from_settings(settings)
        if backend is None:
            return None
        cache = ChunkCache(settings.cache_dir, settings.cache_size) if settings.cache_dir else None
        if cache is not None:
            cache.open()   # at start-up, so the first job does not wait for it
        return cls(backend, limits=Limits.from_settings(settings),
                   retry=RetryPolicy(retries=settings.llm_retries), cache=cache)

    @property
    def chunk_tokens(self) -> int:
        """The size budget of one chunk (estimated tokens)."""
        return self.limits.chunk_tokens

    def describe(self) -> str:
        """Short text for the UI: model, endpoint and limits (never the key)."""
        return f"{self.backend.describe()}, {self.limits.describe()}"

    def __repr__(self) -> str:
        return f"LLMService({self.describe()})"

    def cache_key(self, text: str) -> str:
        """The cache key of one chunk's user message."""
        return ChunkCache.key(*self.backend.cache_scope, PROMPT_VERSION, text)

    def explain(self, failure: Failure) -> str:
        """A user-facing sentence for a failure that stops the whole job."""
        return self.backend.explain(failure)

    def waiting(self, job_id: str | None = None) -> int:
        """Calls waiting for a slot (of one job, or all), e.g. for a "queued" hint in the UI."""
        return self._state.scheduler.waiting(job_id) if self._state is not None else 0

    def busy(self) -> int:
        """Calls holding a slot now."""
        return self._state.scheduler.busy if self._state is not None else 0

    async def aclose(self) -> None:
        """Close the backend and the cache."""
        self._state = None
        await self.backend.aclose()
        if self.cache is not None:
            await asyncio.to_thread(self.cache.close)

    # ---- calls ---------------------------------------------------------------------
    def defer_calls(self, job_id: str, count: int, start: Callable[[Ticket], None]) -> None:
        """Queue `count` calls of a job as a number, each made by `start(ticket)` when it is
        granted its slot; the call passes `ticket` to `chat` (see FairScheduler.defer)."""
        self._loop_state().scheduler.defer(job_id, count, start)

    def withdraw_calls(self, job_id: str) -> int:
        """Drop the job's deferred calls not started yet."""
        return self._loop_state().scheduler.withdraw(job_id)

    async def chat(self, messages: list[dict[str, str]], *, job_id: str, usage: Usage,
                   ticket: Ticket | None = None) -> Reply:
        """One chat completion, retried on transient failures; raises CallFailed.  `ticket`:
        the slot a deferred call was granted (its first attempt uses it)."""
        tokens = estimate_messages_tokens(messages)
        state = self._loop_state()
        attempt = 0
        while True:
            sent: Capabilities | None = None
            try:
                async with state.scheduler.slot(job_id, ticket):
                    # the provider counts output tokens against TPM too: reserve as much again
                    await state.rates.acquire(tokens * 2)
                    sent = self.backend.capabilities        # as of sending
                    usage.calls += 1
                    async with asyncio.timeout(self.limits.timeout):
                        reply = await self.backend.complete(
                            sent.request(messages, self.limits.timeout))
                usage.add(reply, tokens)
                return reply
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is classified
                failure = classify(exc)
            if failure.kind == "format" and sent is not None and self._learn(sent, failure):
                continue
            if failure.kind != "retry" or attempt >= self.retry.retries:
                raise CallFailed(failure, attempt + 1)
            usage.retries += 1
            await self.clock.sleep(self.retry.delay(attempt, failure.retry_after, self._rng))
            attempt += 1

    def _learn(self, sent: Capabilities, failure: Failure) -> bool:
        """Learn, once per backend, that its server refused part of what `sent` asked for
        (another call may have learned it already); whether to send the call again."""
        if self.backend.capabilities != sent:
            return True
        fewer = sent.without(failure)
        if fewer is None:
            return False
        self.backend.capabilities = fewer
        log.info("%s refused part of a request (%s); from now on: %s",
                 self.backend.describe(), failure.reason, fewer)
        return True

    def _loop_state(self) -> _LoopState:
        """Scheduler and rate windows bound to the running loop (made on first use)."""
        loop = asyncio.get_running_loop()
        if self._state is None or self._state.loop is not loop:
            self._state = _LoopState(
                loop, FairScheduler(self.limits.concurrency, clock=self.clock),
                RateLimits(self.limits.rpm, self.limits.tpm, clock=self.clock))
        return self._state
