"""What to do after a failed call: retry (after how long), fall back, or give up.

The openai client is built with `max_retries=0`, so this module is the only retry policy and
every retry is counted.  Delays grow exponentially with "equal jitter" (half fixed, half random)
so that many chunks failing together do not come back together; a `Retry-After` (or
`retry-after-ms`) header from the provider wins over the computed delay.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import random
import socket
import time
from dataclasses import dataclass
from typing import Any, Mapping

import openai

_RETRY_STATUS = {408, 409, 425, 429}
_FATAL_STATUS = {401, 403, 404}
_MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class Failure:
    """A classified failure: kind is 'retry', 'format' (response_format or temperature
    unsupported),
    'fatal' (every call would fail: credentials, model) or 'chunk' (this request only)."""

    kind: str
    reason: str
    status: int | None = None
    retry_after: float | None = None


class MalformedReply(Exception):
    """A successful HTTP answer that is not a chat completion (not JSON, or not shaped as one)."""


def classify(exc: BaseException, endpoint: str = "") -> Failure:
    """Classify an exception raised by one chat-completions call to `endpoint` (a URL)."""
    if isinstance(exc, MalformedReply):
        return Failure("chunk", str(exc))
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
        return _classify_status(exc.status_code, provider_message(exc), exc.response.headers)
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


def _classify_status(status: int, message: str, headers: Mapping[str, str]) -> Failure:
    shown = f"HTTP {status}" + (f": {message}" if message else "")
    if status in _RETRY_STATUS or status >= 500:
        return Failure("retry", shown, status, retry_after(headers))
    if status == 400 and any(w in message for w in ("response_format", "json_schema",
                                                    "temperature")):
        return Failure("format", shown, status)
    if status in _FATAL_STATUS:
        return Failure("fatal", shown, status)
    return Failure("chunk", shown, status)


def provider_message(exc: Any) -> str:
    """The provider's own error message (short), from the JSON body when there is one."""
    body = getattr(exc, "body", None)
    msg = None
    if isinstance(body, dict):
        err = body.get("error", body)
        msg = err.get("message") if isinstance(err, dict) else str(err)
    text = " ".join(str(msg or getattr(exc, "message", "") or "").split())
    return text[:300]


def retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Seconds the provider asks us to wait (retry-after-ms, retry-after seconds or date)."""
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms is not None:
        try:
            return _bounded(float(ms) / 1000)
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw is None:
        return None
    try:
        return _bounded(float(raw))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return _bounded(when.timestamp() - time.time())


def _bounded(seconds: float) -> float | None:
    if seconds != seconds or seconds < 0:  # NaN or negative
        return None
    return min(seconds, _MAX_RETRY_AFTER)


def backoff(attempt: int, *, base: float, cap: float, hint: float | None = None,
            rng: random.Random | None = None) -> float:
    """Delay before retry number `attempt` (0-based): the provider's hint, else exponential
    backoff with equal jitter, capped at `cap`."""
    rng = rng or random
    if hint is not None:
        return hint + rng.uniform(0, min(1.0, base))
    step = min(cap, base * (2 ** attempt))
    return step / 2 + rng.uniform(0, step / 2)


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every secret (API key) replaced by '***'."""
    for s in secrets:
        if s and len(s) >= 4:
            text = text.replace(s, "***")
    return text
