"""What to do after a failed call: retry (after how long), fall back, or give up.

    RetryPolicy()                          # 4 retries after about 0.5, 1, 2, 4 s (half random)
    RetryPolicy(retries=0)                 # never retry
    RetryPolicy(base=1, cap=8, jitter=0)   # exactly 1, 2, 4, 8, 8 s

A backend reports a failure as a `CallError` carrying a classified `Failure` (e.g. from an HTTP
status: `status_failure`); `classify` also knows the service's own per-call timeout and answers
that are no chat completion.  Backends make no retries of their own, so this is the only retry
policy and every retry is counted.  Delays grow exponentially with "equal jitter" (half fixed,
half random) so that many chunks failing together do not come back together; a `Retry-After`
(or `retry-after-ms`) header from the provider wins over the computed delay.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from dataclasses import dataclass
from typing import Mapping

_RETRY_STATUS = {408, 409, 425, 429}
_FATAL_STATUS = {401, 403, 404}
_MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True)
class RetryPolicy:
    """Up to `retries` more attempts of a call that failed transiently; before retry number
    `attempt` (0-based) wait `base * 2**attempt` seconds, at most `cap`, of which the share
    `jitter` is random; a provider's Retry-After wins (plus up to `min(1, base)` s of jitter)."""

    retries: int = 4
    base: float = 0.5
    cap: float = 30.0
    jitter: float = 0.5

    def delay(self, attempt: int, hint: float | None = None,
              rng: random.Random | None = None) -> float:
        """Seconds to wait before retry number `attempt`; `hint`: the provider's Retry-After."""
        rng = rng or random
        if hint is not None:
            return hint + (rng.uniform(0, min(1.0, self.base)) if self.jitter else 0.0)
        step = min(self.cap, self.base * (2 ** attempt))
        return step * (1 - self.jitter) + rng.uniform(0, step * self.jitter)


@dataclass(frozen=True)
class Failure:
    """A classified failure: kind is 'retry', 'format' (the server refused response_format or
    temperature), 'fatal' (every call would fail: credentials, model) or 'chunk' (this request
    only).  `reason` is shown to users: it never holds a secret."""

    kind: str
    reason: str
    status: int | None = None
    retry_after: float | None = None


class CallError(Exception):
    """A backend's call failed, as `failure` says."""

    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


class MalformedReply(Exception):
    """A successful answer that is not a chat completion (not JSON, or not shaped as one)."""


def classify(exc: BaseException) -> Failure:
    """The failure an exception raised by one backend call stands for."""
    if isinstance(exc, CallError):
        return exc.failure
    if isinstance(exc, MalformedReply):
        return Failure("chunk", str(exc))
    if isinstance(exc, asyncio.TimeoutError):
        return Failure("retry", "the call timed out")
    return Failure("chunk", f"unexpected {type(exc).__name__}")


def status_failure(status: int, message: str = "",
                   headers: Mapping[str, str] | None = None) -> Failure:
    """The failure an HTTP error status stands for (`message`: the provider's own words)."""
    shown = f"HTTP {status}" + (f": {message}" if message else "")
    if status in _RETRY_STATUS or status >= 500:
        return Failure("retry", shown, status, retry_after(headers))
    if status == 400 and any(w in message for w in ("response_format", "json_schema",
                                                    "temperature")):
        return Failure("format", shown, status)
    if status in _FATAL_STATUS:
        return Failure("fatal", shown, status)
    return Failure("chunk", shown, status)


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


def redact(text: str, secrets: list[str]) -> str:
    """`text` with every secret (API key) replaced by '***'."""
    for s in secrets:
        if s and len(s) >= 4:
            text = text.replace(s, "***")
    return text
