"""The OpenAI backend: chat completions through the official openai client.

    backend = OpenAIBackend(Provider("openai", "http://127.0.0.1:8001/v1", "llama3"))
    backend = OpenAIBackend.from_settings(settings)     # None when no provider is configured
    reply = await backend.complete(ChatRequest(messages))

Works with OpenAI, Azure OpenAI and any OpenAI-compatible server (vLLM, Ollama, llama.cpp,
LiteLLM, the bundled simulator).  This is the only module that imports openai.  The client's
own retries are off (`max_retries=0`): the service retries, counting them.  Every failure is
raised as a `CallError` with a classified, redacted `Failure`.

The API key lives only inside the openai client: it is left out of `repr`, `describe()` and
every error message (provider messages are redacted before they are shown).
"""

from __future__ import annotations

import asyncio
import errno
import importlib
import socket
import urllib.parse
from dataclasses import dataclass, field as dc_field
from typing import Any, Callable

import httpx2   # the HTTP library of the openai client (its documented type for raw answers)
import openai

from ..errors import ConfigError
from .backend import Capabilities, ChatRequest, Reply
from .retry import CallError, Failure, MalformedReply, redact, status_failure
from .schema import response_format

DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_AZURE_API_VERSION = "2024-10-21"


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


class OpenAIBackend:
    """A ChatBackend (see backend.py) over the openai client, one client per event loop.

    `http_client_factory`: the client's HTTP client (tests pass an httpx2 client with a mock
    transport); by default the SDK's aiohttp one (see `http_client`)."""

    def __init__(self, provider: Provider, *,
                 http_client_factory: Callable[[], Any] | None = None,
                 capabilities: Capabilities | None = None) -> None:
        self.provider = provider
        self.capabilities = capabilities or Capabilities()
        self.cache_scope = (provider.base_url, provider.model)
        self._http_client_factory = http_client_factory
        self._client: Any = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._ssl_context: Any = None

    @classmethod
    def from_settings(cls, settings: Any) -> "OpenAIBackend | None":
        """The backend of the configured provider, or None when none is configured."""
        provider = Provider.from_settings(settings)
        if provider is None:
            return None
        # openai imports its chat resources on first use, on the event loop of the first
        # job: import them now
        importlib.import_module("openai.resources.chat.completions.completions")
        return cls(provider)

    def describe(self) -> str:
        """Model and endpoint (never the key)."""
        where = "Azure OpenAI " if self.provider.kind == "azure" else ""
        return f"{self.provider.model} at {where}{self.provider.shown_url}"

    def __repr__(self) -> str:
        return f"OpenAIBackend({self.describe()})"

    def body(self, request: ChatRequest) -> dict[str, Any]:
        """The JSON body chat.completions.create() would send for `request`."""
        body: dict[str, Any] = {"model": self.provider.model, "messages": request.messages}
        if request.temperature is not None:
            body["temperature"] = request.temperature
        fmt = response_format(request.response_format)
        if fmt is not None:
            body["response_format"] = fmt
        return body

    async def complete(self, request: ChatRequest) -> Reply:
        """One attempt; raises CallError (or MalformedReply for an answer that is no chat
        completion)."""
        client = self._loop_client()
        try:
            # the body as chat.completions.create() would send it, through the client's
            # documented call for custom requests: create() first walks the request (the
            # response_format schema above all) against its parameter types, and then builds a
            # typed object of the response: together over half of the serving thread's time
            # for an LLM job, for a body that is plain JSON already
            raw = await client.post("/chat/completions", cast_to=httpx2.Response,
                                    body=self.body(request),
                                    options={"timeout": request.timeout,
                                             "security": {"bearer_auth": True}})
        except Exception as exc:  # noqa: BLE001 - every failure is classified
            raise CallError(self._redacted(classify(exc, self.provider.shown_url))) from None
        return _reply(raw)

    def explain(self, failure: Failure) -> str:
        """A user-facing sentence for a failure that stops the whole job."""
        p = self.provider
        if failure.status in (401, 403):
            hint = "Check AZURE_OPENAI_API_KEY." if p.kind == "azure" else "Check OPENAI_API_KEY."
            return (f"The LLM provider at {p.shown_url} refused the credentials "
                    f"({failure.reason}). {hint}")
        if failure.status == 404:
            hint = ("Check AZURE_OPENAI_DEPLOYMENT and AZURE_OPENAI_ENDPOINT."
                    if p.kind == "azure" else "Check OPENAI_MODEL and OPENAI_BASE_URL.")
            return (f"The LLM provider at {p.shown_url} has no model '{p.model}' "
                    f"({failure.reason}). {hint}")
        return f"The LLM provider at {p.shown_url} failed: {failure.reason}."

    async def aclose(self) -> None:
        """Close the HTTP client (a client of a closed loop has nothing left to close)."""
        client, loop, self._client, self._client_loop = (self._client, self._client_loop,
                                                         None, None)
        if client is not None and loop is asyncio.get_running_loop():
            await client.close()

    def _redacted(self, failure: Failure) -> Failure:
        reason = redact(failure.reason, [self.provider.api_key])
        return Failure(failure.kind, reason, failure.status, failure.retry_after)

    def _loop_client(self) -> Any:
        """The openai client of the running loop (made on first use)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client, self._client_loop = self._make_client(), loop
        return self._client

    def _make_client(self) -> Any:
        common: dict[str, Any] = {"max_retries": 0, "http_client": self.http_client()}
        key = self.provider.api_key or "no-key"  # local servers need none; the SDK wants one
        if self.provider.kind == "azure":
            return openai.AsyncAzureOpenAI(azure_endpoint=self.provider.base_url, api_key=key,
                                           api_version=self.provider.api_version, **common)
        return openai.AsyncOpenAI(base_url=self.provider.base_url, api_key=key, **common)

    def http_client(self) -> Any:
        """A new HTTP client for an openai client: the SDK's aiohttp one
        (`openai.DefaultAioHttpClient`, the SDK's defaults over aiohttp's C HTTP parser: less
        CPU per call than its httpx one, bench/llm_transport.py), with the TLS context built
        once per backend (loading the CA bundle is slow) and none for plain-HTTP servers."""
        if self._http_client_factory is not None:
            return self._http_client_factory()
        if self.provider.base_url.startswith("http://"):
            return openai.DefaultAioHttpClient(verify=False)
        if self._ssl_context is None:
            self._ssl_context = httpx2.create_ssl_context()
        return openai.DefaultAioHttpClient(verify=self._ssl_context)


def _reply(raw: Any) -> Reply:
    """The Reply in a raw chat-completion answer; MalformedReply when it is none."""
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
    prompt = completion = None
    if isinstance(used, dict):
        prompt, completion = used.get("prompt_tokens") or 0, used.get("completion_tokens") or 0
    return Reply(content if isinstance(content, str) else None, finish, model or "",
                 prompt, completion)


def classify(exc: BaseException, endpoint: str = "") -> Failure:
    """The failure an openai client exception stands for, on a call to `endpoint` (a URL)."""
    at = f" at {endpoint}" if endpoint else ""
    # the SDK's aiohttp client reports a refused connection as a timeout: the cause says
    cause = connect_failure(exc)
    if cause is not None:
        return Failure("retry", f"could not connect to the LLM endpoint{at} ({cause})")
    if isinstance(exc, (asyncio.TimeoutError, openai.APITimeoutError)):
        return Failure("retry", "the call timed out")
    if isinstance(exc, openai.APIConnectionError):
        return Failure("retry", f"the connection to the LLM endpoint{at} failed or was dropped")
    if isinstance(exc, openai.APIStatusError):
        return status_failure(exc.status_code, provider_message(exc), exc.response.headers)
    return Failure("chunk", f"unexpected {type(exc).__name__}")


def connect_failure(exc: BaseException) -> str | None:
    """Why a connection could not be made ('connection refused', 'host name not found'),
    from the exception's causes; None when the failure came later (or is not a network one)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ConnectionRefusedError):
            return "connection refused"
        if isinstance(exc, socket.gaierror):
            return "host name not found"
        if isinstance(exc, OSError) and exc.errno in _UNREACHABLE:
            return _UNREACHABLE[exc.errno]
        if type(exc).__name__ == "ConnectionTimeoutError":    # aiohttp's, while connecting
            return "no answer while connecting"
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


_UNREACHABLE = {errno.EHOSTUNREACH: "host unreachable", errno.ENETUNREACH: "network unreachable"}


def provider_message(exc: Any) -> str:
    """The provider's own error message (short), from the JSON body when there is one."""
    body = getattr(exc, "body", None)
    msg = None
    if isinstance(body, dict):
        err = body.get("error", body)
        msg = err.get("message") if isinstance(err, dict) else str(err)
    text = " ".join(str(msg or getattr(exc, "message", "") or "").split())
    return text[:300]
