"""The process-wide LLM service: one OpenAI-compatible client, shared limits, scheduler, cache.

    service = LLMService.from_settings(settings)      # None when no provider is configured
    async for update in refine(service, text, rules, job_id=..., filename=...): ...
    await service.aclose()

Works with OpenAI, Azure OpenAI and any OpenAI-compatible server (vLLM, Ollama, llama.cpp,
LiteLLM, the bundled simulator).  The client's own retries are off (`max_retries=0`): `chat()`
retries 429/5xx/timeouts/dropped connections itself, counting them, and falls back from strict
`json_schema` output to `json_object` (then to plain text) for servers that reject it.

The API key lives only inside the openai client: it is left out of `repr`, `describe()` and
every error message (provider messages are redacted before they are shown).
"""

from __future__ import annotations

import asyncio
import importlib
import random
import urllib.parse
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

import httpx2   # the HTTP library of the openai client (its documented type for raw answers)

from ..errors import ConfigError, ProviderError
from .cache import ChunkCache
from .prompt import PROMPT_VERSION
from .retry import Failure, MalformedReply, backoff, classify, redact
from .scheduler import FairScheduler, RateLimits, Ticket
from .schema import response_format
from .tokens import estimate_messages_tokens

DEFAULT_MODEL = "gpt-4o-mini"
NO_PROVIDER_MESSAGE = (
    "No LLM provider is configured, so 'Refine with LLM' is off. Set OPENAI_API_KEY (and "
    "OPENAI_MODEL), or OPENAI_BASE_URL for a compatible server (vLLM, Ollama, llama.cpp, "
    "LiteLLM, or the bundled simulator: python -m engine.simulator), or AZURE_OPENAI_ENDPOINT, "
    "AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT; then restart the app.")
DEFAULT_AZURE_API_VERSION = "2024-10-21"
_FORMAT_MODES = ("json_schema", "json_object", "none")
_MARGIN = 60.5 / 60  # providers count arrivals: a little slack absorbs network jitter


def _call_options(timeout: float) -> dict[str, Any]:
    """The request options chat.completions.create() passes (the API key as a bearer token)."""
    return {"timeout": timeout, "security": {"bearer_auth": True}}


@dataclass
class Usage:
    """What one job cost: HTTP calls made (retries included), tokens, cache hits, seconds."""

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


@dataclass(frozen=True)
class Provider:
    """Where the calls go. `api_key` is never shown (repr=False)."""

    kind: str                      # "openai" (any compatible server) or "azure"
    base_url: str
    model: str                     # the model, or the Azure deployment
    api_key: str = dc_field(default="", repr=False)
    api_version: str = ""

    @classmethod
    def from_settings(cls, s: Any) -> "Provider | None":
        """The provider the settings name, or None when none is configured."""
        if s.azure_endpoint:
            if not s.azure_deployment:
                raise ConfigError("AZURE_OPENAI_ENDPOINT is set but AZURE_OPENAI_DEPLOYMENT is "
                                  "not: set it to the name of your model deployment.")
            return cls("azure", s.azure_endpoint, s.azure_deployment,
                       s.azure_api_key or s.openai_api_key,
                       s.openai_api_version or DEFAULT_AZURE_API_VERSION)
        if not (s.openai_base_url or s.openai_api_key):
            return None
        return cls("openai", s.openai_base_url or "https://api.openai.com/v1",
                   s.openai_model or DEFAULT_MODEL, s.openai_api_key)

    @property
    def shown_url(self) -> str:
        """The base URL without credentials or query string."""
        u = urllib.parse.urlsplit(self.base_url)
        host = u.hostname or ""
        if u.port:
            host += f":{u.port}"
        return urllib.parse.urlunsplit((u.scheme, host, u.path, "", "")).rstrip("/")


@dataclass
class Reply:
    """One successful chat completion."""

    content: str | None
    finish_reason: str | None
    model: str = ""


class CallFailed(Exception):
    """A call failed for good (retries used up, or a failure retrying cannot fix)."""

    def __init__(self, failure: Failure, attempts: int) -> None:
        super().__init__(failure.reason)
        self.failure = failure
        self.attempts = attempts


@dataclass
class _LoopState:
    loop: asyncio.AbstractEventLoop
    client: Any
    scheduler: FairScheduler
    limits: RateLimits


class LLMService:
    """The one LLM client of the process, with its limits, fair scheduler and answer cache."""

    def __init__(self, provider: Provider, *, concurrency: int = 16, rpm: int = 0, tpm: int = 0,
                 timeout: float = 60.0, retries: int = 4, deadline: float = 600.0,
                 chunk_tokens: int = 1500, cache_dir: str | None = None,
                 cache_size: int = 1000**3, retry_base: float = 0.5, retry_cap: float = 30.0,
                 rate_period: float = 60.0,
                 http_client_factory: Callable[[], Any] | None = None,
                 seed: int | None = None) -> None:
        self.provider = provider
        self.concurrency = max(1, concurrency)
        self.rpm, self.tpm = rpm, tpm
        self.timeout, self.retries, self.deadline = timeout, retries, deadline
        self.chunk_tokens = chunk_tokens
        self.retry_base, self.retry_cap = retry_base, retry_cap
        self.rate_period = rate_period  # the "minute" of rpm/tpm; tests shorten it
        self.cache = ChunkCache(cache_dir, cache_size) if cache_dir else None
        self.format_mode = "json_schema"
        self.send_temperature = True
        self._http_client_factory = http_client_factory
        self._rng = random.Random(seed)
        self._state: _LoopState | None = None
        self._ssl_context: Any = None

    @classmethod
    def from_settings(cls, settings: Any) -> "LLMService | None":
        """The service the settings describe, or None when no LLM provider is configured.
        Call it at start-up: it opens the cache directory (blocking, well under a second)."""
        provider = Provider.from_settings(settings)
        if provider is None:
            return None
        service = cls(provider, concurrency=settings.llm_concurrency, rpm=settings.llm_rpm,
                      tpm=settings.llm_tpm, timeout=settings.llm_timeout,
                      retries=settings.llm_retries, deadline=settings.llm_deadline,
                      chunk_tokens=settings.chunk_tokens, cache_dir=settings.cache_dir or None,
                      cache_size=settings.cache_size)
        if service.cache is not None:
            service.cache.open()   # at start-up, so the first job does not wait for it
        # openai imports its chat resources on first use: about 0.1 s of the event loop in
        # the first job, so do it now
        importlib.import_module("openai.resources.chat.completions.completions")
        return service

    def describe(self) -> str:
        """Short text for the UI: model, endpoint and limits (never the key)."""
        where = "Azure OpenAI " if self.provider.kind == "azure" else ""
        parts = [f"{self.provider.model} at {where}{self.provider.shown_url}",
                 f"{self.concurrency} calls at once"]
        if self.rpm:
            parts.append(f"{self.rpm} rpm")
        if self.tpm:
            parts.append(f"{self.tpm:,} tpm")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"LLMService({self.describe()})"

    def cache_key(self, text: str) -> str:
        """The cache key of one chunk's user message."""
        return ChunkCache.key(self.provider.base_url, self.provider.model, PROMPT_VERSION, text)

    def waiting(self, job_id: str | None = None) -> int:
        """Calls waiting for a slot (of one job, or all), e.g. for a "queued" hint in the UI."""
        return self._state.scheduler.waiting(job_id) if self._state is not None else 0

    async def aclose(self) -> None:
        """Close the HTTP client and the cache."""
        state, self._state = self._state, None
        if state is not None and state.loop is asyncio.get_running_loop():
            await state.client.close()   # a client of a closed loop has nothing left to close
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
        attempt = 0
        while True:
            sent: dict[str, Any] = {}
            try:
                return await self._call(messages, job_id=job_id, tokens=tokens, usage=usage,
                                        sent=sent, ticket=ticket)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure is classified below
                failure = self._redacted(classify(exc, self.provider.shown_url))
            if failure.kind == "format" and self._downgrade(failure, sent):
                continue
            if failure.kind != "retry" or attempt >= self.retries:
                raise CallFailed(failure, attempt + 1)
            usage.retries += 1
            await asyncio.sleep(backoff(attempt, base=self.retry_base, cap=self.retry_cap,
                                        hint=failure.retry_after, rng=self._rng))
            attempt += 1

    async def _call(self, messages: list[dict[str, str]], *, job_id: str, tokens: int,
                    usage: Usage, sent: dict[str, Any], ticket: Ticket | None = None) -> Reply:
        state = self._loop_state()
        async with state.scheduler.slot(job_id, ticket):
            # the provider counts output tokens against TPM too: reserve as much again
            await state.limits.acquire(tokens * 2)
            kwargs = self._request_options(messages)
            sent.update(mode=self.format_mode, temperature="temperature" in kwargs)
            usage.calls += 1
            async with asyncio.timeout(self.timeout):
                # the body as chat.completions.create() would send it, through the client's
                # documented call for custom requests: create() first walks the request (the
                # response_format schema above all) against its parameter types, and then
                # builds a typed object of the response: together over half of the serving
                # thread's time for an LLM job, for a body that is plain JSON already
                raw = await state.client.post("/chat/completions", cast_to=httpx2.Response,
                                              body=kwargs, options=_call_options(self.timeout))
        try:
            data = raw.json()
            choice = (data.get("choices") or [None])[0] or {}
            content = (choice.get("message") or {}).get("content")
            finish, model, used = choice.get("finish_reason"), data.get("model"), data.get("usage")
        except (ValueError, AttributeError, TypeError) as exc:
            raise MalformedReply(f"the provider's answer is not a chat completion ({exc})"
                                 ) from None
        if isinstance(content, list):   # content parts (some servers): their text, joined
            content = "".join(p.get("text") or "" for p in content if isinstance(p, dict))
        if isinstance(used, dict):
            usage.prompt_tokens += used.get("prompt_tokens") or 0
            usage.completion_tokens += used.get("completion_tokens") or 0
        else:
            usage.prompt_tokens += tokens
            usage.completion_tokens += len(content or "") // 4
        return Reply(content if isinstance(content, str) else None, finish, model or "")

    def _request_options(self, messages: list[dict[str, str]]) -> dict[str, Any]:
        """The create() arguments, with the parameters this server accepts."""
        kwargs: dict[str, Any] = {"model": self.provider.model, "messages": messages}
        if self.send_temperature:
            kwargs["temperature"] = 0
        fmt = response_format(self.format_mode)
        if fmt is not None:
            kwargs["response_format"] = fmt
        return kwargs

    def _downgrade(self, failure: Failure, sent: dict[str, Any]) -> bool:
        """Drop the parameter the server rejected (once, however many calls saw the 400);
        False when nothing is left to drop."""
        if "temperature" in failure.reason and sent.get("temperature"):
            self.send_temperature = False
            return True
        mode = sent.get("mode", self.format_mode)
        if mode != self.format_mode:    # another call already stepped down
            return True
        i = _FORMAT_MODES.index(mode)
        if i + 1 < len(_FORMAT_MODES):
            self.format_mode = _FORMAT_MODES[i + 1]
            return True
        return False

    def _redacted(self, failure: Failure) -> Failure:
        reason = redact(failure.reason, [self.provider.api_key])
        return Failure(failure.kind, reason, failure.status, failure.retry_after)

    def _loop_state(self) -> _LoopState:
        """Client, scheduler and limits bound to the running loop (made on first use)."""
        loop = asyncio.get_running_loop()
        if self._state is None or self._state.loop is not loop:
            self._state = _LoopState(loop, self._make_client(), FairScheduler(self.concurrency),
                                     RateLimits(self.rpm, self.tpm,
                                                period=self.rate_period * _MARGIN))
        return self._state

    def _make_client(self) -> Any:
        import openai

        common: dict[str, Any] = {"max_retries": 0, "timeout": self.timeout,
                                  "http_client": self._http_client()}
        key = self.provider.api_key or "no-key"  # local servers need none; the SDK wants one
        if self.provider.kind == "azure":
            return openai.AsyncAzureOpenAI(azure_endpoint=self.provider.base_url, api_key=key,
                                           api_version=self.provider.api_version, **common)
        return openai.AsyncOpenAI(base_url=self.provider.base_url, api_key=key, **common)

    def _http_client(self) -> Any:
        """The HTTP client: the SDK's aiohttp one (`openai.DefaultAioHttpClient`, the SDK's
        defaults over aiohttp's C HTTP parser: a call cost the process 2.0 ms of CPU instead of
        3.1 ms with the httpx one, over loopback), with the TLS context built once per service
        (loading the CA bundle takes about 0.1 s) and none at all for plain-HTTP servers."""
        if self._http_client_factory is not None:
            return self._http_client_factory()
        import openai

        if self.provider.base_url.startswith("http://"):
            return openai.DefaultAioHttpClient(verify=False)
        if self._ssl_context is None:
            self._ssl_context = httpx2.create_ssl_context()
        return openai.DefaultAioHttpClient(verify=self._ssl_context)


def provider_error(failure: Failure, provider: Provider) -> ProviderError:
    """A user-facing error for a failure that stops the whole job."""
    if failure.status in (401, 403):
        hint = ("Check AZURE_OPENAI_API_KEY." if provider.kind == "azure"
                else "Check OPENAI_API_KEY.")
        return ProviderError(f"The LLM provider at {provider.shown_url} refused the credentials "
                             f"({failure.reason}). {hint}")
    if failure.status == 404:
        hint = ("Check AZURE_OPENAI_DEPLOYMENT and AZURE_OPENAI_ENDPOINT."
                if provider.kind == "azure" else "Check OPENAI_MODEL and OPENAI_BASE_URL.")
        return ProviderError(f"The LLM provider at {provider.shown_url} has no model "
                             f"'{provider.model}' ({failure.reason}). {hint}")
    return ProviderError(f"The LLM provider at {provider.shown_url} failed: {failure.reason}.")
