"""SIMULATOR server: the Starlette app, its counters and fault injection (see the package doc)."""

from __future__ import annotations

import asyncio
import json
import math
import random
import re
import time
from collections import Counter, deque
from dataclasses import asdict, dataclass, field as dc_field, fields as dc_fields
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .answers import answer_fields, chunk_of

MODEL_NAME = "codebook-simulator"
BANNER = "CODEBOOK SIMULATOR - a fake OpenAI-compatible server for tests; not a language model"
_FAULT_RATES = (("500", "fail_500"), ("timeout", "timeout_rate"), ("drop", "drop_rate"),
                ("malformed", "malformed"), ("truncated", "truncated"))
_DIRECTIVE = re.compile(r"\[\[sim:(500|429|timeout|drop|malformed|truncated)(?:x(\d+))?\]\]")
_HANG = 3600.0


@dataclass
class SimOptions:
    """How the simulator behaves (all rates are probabilities per request)."""

    latency: str = "0.5"              # seconds: "2", "uniform:1,3", "normal:2,0.5", "exp:2"
    max_concurrency: int = 0          # 0 = unlimited
    over_capacity: str = "429"        # beyond max_concurrency: "429" or "queue"
    rpm: int = 0                      # requests per rpm_window seconds (0 = unlimited)
    rpm_window: float = 60.0
    fail_500: float = 0.0
    timeout_rate: float = 0.0         # never answer (until the client gives up)
    drop_rate: float = 0.0            # close the connection mid-answer
    malformed: float = 0.0
    truncated: float = 0.0
    json_schema: bool = True          # False: reject response_format json_schema with a 400
    require_key: str = dc_field(default="", repr=False)
    seed: int | None = None


# ---- latency ---------------------------------------------------------------------------
def parse_latency(spec: str) -> tuple[str, list[float]]:
    """'2' -> ('fixed', [2]); 'uniform:1,3' -> ('uniform', [1, 3]); also normal:, exp:."""
    kind, _, args = str(spec).partition(":")
    if not args:
        return "fixed", [float(kind)]
    values = [float(a) for a in args.split(",")]
    if kind not in ("uniform", "normal", "exp") or len(values) != (1 if kind == "exp" else 2):
        raise ValueError(f"latency {spec!r}: use 2, uniform:1,3, normal:2,0.5 or exp:2")
    return kind, values


def draw_latency(spec: tuple[str, list[float]], rng: random.Random) -> float:
    """One latency from the distribution."""
    kind, v = spec
    if kind == "uniform":
        return rng.uniform(v[0], v[1])
    if kind == "normal":
        return max(0.0, rng.gauss(v[0], v[1]))
    if kind == "exp":
        return rng.expovariate(1 / v[0]) if v[0] > 0 else 0.0
    return v[0]



# ---- state and counters ------------------------------------------------------------------
class SimState:
    """Options, counters and the random source of one simulator."""

    def __init__(self, options: SimOptions) -> None:
        self.options = options
        self.latency = parse_latency(options.latency)
        self.rng = random.Random(options.seed)
        self._queue: asyncio.Semaphore | None = None
        self.reset()

    def reset(self) -> None:
        """Zero every counter."""
        self.t0 = time.monotonic()
        self.requests = self.completed = self.in_flight = self.max_in_flight = 0
        self.disconnects = self.bad_requests = self.auth_failures = self.format_rejections = 0
        self.rejected_rpm = self.rejected_concurrency = 0
        self.faults: Counter[str] = Counter()
        self.per_minute: Counter[int] = Counter()
        self.request_times: deque[float] = deque(maxlen=100_000)
        self.window: deque[float] = deque()
        self.attempts: Counter[str] = Counter()
        self.prompt_tokens = self.completion_tokens = 0

    def configure(self, changes: dict[str, Any]) -> None:
        """Change options while running (unknown names raise ValueError)."""
        known = {f.name for f in dc_fields(SimOptions)}
        bad = sorted(set(changes) - known)
        if bad:
            raise ValueError(f"unknown simulator option(s): {', '.join(bad)}")
        for k, v in changes.items():
            setattr(self.options, k, v)
        self.latency = parse_latency(self.options.latency)
        if "seed" in changes:
            self.rng = random.Random(self.options.seed)
        self._queue = None

    def snapshot(self) -> dict[str, Any]:
        """The counters as JSON-able values."""
        opts = {k: v for k, v in asdict(self.options).items() if k != "require_key"}
        return {
            "simulator": MODEL_NAME, "options": opts,
            "uptime": round(time.monotonic() - self.t0, 3),
            "requests": self.requests, "completed": self.completed,
            "in_flight": self.in_flight, "max_in_flight": self.max_in_flight,
            "rejected_429": self.rejected_rpm + self.rejected_concurrency,
            "rejected_429_rpm": self.rejected_rpm,
            "rejected_429_concurrency": self.rejected_concurrency,
            "faults": dict(self.faults), "disconnects": self.disconnects,
            "bad_requests": self.bad_requests, "auth_failures": self.auth_failures,
            "format_rejections": self.format_rejections,
            "per_minute": {str(k): v for k, v in sorted(self.per_minute.items())},
            "request_times": list(self.request_times),
            "prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
        }

    def arrive(self) -> None:
        """Count one request and its arrival time."""
        now = time.monotonic()
        self.requests += 1
        self.request_times.append(round(now - self.t0, 4))
        self.per_minute[int((now - self.t0) // 60)] += 1

    def rpm_wait(self) -> float:
        """0 when a request may be admitted under the RPM limit (and count it), else the
        seconds until it may."""
        o = self.options
        if not o.rpm:
            return 0.0
        now = time.monotonic()   # not the arrival time: others may have been admitted since
        while self.window and now - self.window[0] >= o.rpm_window:
            self.window.popleft()
        if len(self.window) >= o.rpm:
            return self.window[0] + o.rpm_window - now
        self.window.append(now)
        return 0.0

    def pick_fault(self, text: str) -> str | None:
        """The fault to inject for this request: a `[[sim:...]]` directive, else by rates."""
        m = _DIRECTIVE.search(text)
        if m:
            self.attempts[text] += 1
            if m.group(2) is None or self.attempts[text] <= int(m.group(2)):
                return m.group(1)
            return None
        r = self.rng.random()
        for kind, attr in _FAULT_RATES:
            rate = getattr(self.options, attr)
            if r < rate:
                return kind
            r -= rate
        return None

    def queue(self) -> asyncio.Semaphore:
        """The admission queue of `over_capacity="queue"` (made in the server's loop)."""
        if self._queue is None:
            self._queue = asyncio.Semaphore(self.options.max_concurrency)
        return self._queue


# ---- HTTP -------------------------------------------------------------------------------
def _error(status: int, message: str, kind: str, headers: dict[str, str] | None = None
           ) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "code": None,
                      "param": None}}
    return JSONResponse(body, status_code=status, headers=headers)


def _retry_headers(seconds: float) -> dict[str, str]:
    return {"retry-after": str(max(1, math.ceil(seconds))),
            "retry-after-ms": str(max(1, int(seconds * 1000)))}


async def _wait_or_disconnect(request: Request, seconds: float) -> bool:
    """Sleep `seconds`; False if the client went away first."""
    async def disconnected() -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass

    watch = asyncio.ensure_future(disconnected())
    try:
        done, _ = await asyncio.wait([watch], timeout=seconds)
        return not done
    finally:
        watch.cancel()


class _DroppedResponse(Response):
    """Starts a 200 answer and stops mid-body: the client sees the connection drop."""

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", b"100000")]})
        await send({"type": "http.response.body", "body": b'{"id": "chatcmpl-sim', "more_body": True})


def _completion(st: SimState, body: dict[str, Any], fault: str | None) -> dict[str, Any]:
    """The chat.completion object (its content damaged when the fault says so)."""
    text, names = chunk_of(body)
    content = json.dumps({"fields": answer_fields(text, names)})
    finish = "stop"
    if fault == "malformed":
        content = "Here are the fields: " + content[:-2].replace('"name"', "name", 1)
    elif fault == "truncated":
        content, finish = content[: max(12, len(content) // 2)], "length"
    prompt = sum(len(str(m.get("content") or "")) for m in body.get("messages", [])) // 4 + 1
    completion = len(content) // 4 + 1
    st.prompt_tokens += prompt
    st.completion_tokens += completion
    return {
        "id": f"chatcmpl-sim-{st.requests}", "object": "chat.completion",
        "created": int(time.time()), "model": MODEL_NAME, "system_fingerprint": MODEL_NAME,
        "choices": [{"index": 0, "finish_reason": finish, "logprobs": None,
                     "message": {"role": "assistant", "content": content, "refusal": None}}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                  "total_tokens": prompt + completion},
    }


async def chat_completions(request: Request) -> Response:
    """POST /v1/chat/completions."""
    st: SimState = request.app.state.sim
    o = st.options
    st.arrive()
    try:
        body = await request.json()
        assert isinstance(body, dict) and isinstance(body.get("messages"), list)
    except (ValueError, AssertionError):
        st.bad_requests += 1
        return _error(400, "The request body must be JSON with a 'messages' list.",
                      "invalid_request_error")
    if o.require_key and request.headers.get("authorization") != f"Bearer {o.require_key}":
        st.auth_failures += 1
        given = request.headers.get("authorization", "").removeprefix("Bearer ")
        return _error(401, f"Incorrect API key provided: {given}.", "invalid_request_error")
    rf = body.get("response_format") or {}
    if rf.get("type") == "json_schema" and not o.json_schema:
        st.format_rejections += 1
        return _error(400, "Invalid parameter: response_format of type 'json_schema' is not "
                      "supported by this server (SIMULATOR); use json_object.",
                      "invalid_request_error")
    wait = st.rpm_wait()
    if wait > 0:
        st.rejected_rpm += 1
        return _error(429, f"Rate limit reached: {o.rpm} requests per {o.rpm_window:g} s "
                      "(SIMULATOR).", "requests", _retry_headers(wait))
    text, _ = chunk_of(body)
    fault = st.pick_fault(text)
    if fault == "429":
        st.faults["429"] += 1
        return _error(429, "Rate limit reached (SIMULATOR fault).", "requests",
                      _retry_headers(0.05))
    queued = o.max_concurrency and o.over_capacity == "queue"
    if o.max_concurrency and not queued and st.in_flight >= o.max_concurrency:
        st.rejected_concurrency += 1
        return _error(429, f"Too many requests in flight (limit {o.max_concurrency}, "
                      "SIMULATOR).", "requests", _retry_headers(0.2))
    if queued:
        await st.queue().acquire()
    st.in_flight += 1
    st.max_in_flight = max(st.max_in_flight, st.in_flight)
    try:
        return await _answer(request, st, body, fault)
    finally:
        st.in_flight -= 1
        if queued:
            st.queue().release()


async def _answer(request: Request, st: SimState, body: dict[str, Any], fault: str | None
                  ) -> Response:
    """Wait the latency (or forever, for a timeout fault), then answer or fail."""
    if fault:
        st.faults[fault] += 1
    delay = _HANG if fault == "timeout" else draw_latency(st.latency, st.rng)
    if fault == "500":
        delay *= 0.2
    if not await _wait_or_disconnect(request, delay):
        st.disconnects += 1
        return Response(status_code=499)
    if fault == "500":
        return _error(500, "The server had an error while processing your request "
                      "(SIMULATOR fault).", "server_error")
    if fault == "drop":
        return _DroppedResponse()
    st.completed += 1
    return JSONResponse(_completion(st, body, fault))


async def list_models(request: Request) -> Response:
    """GET /v1/models."""
    return JSONResponse({"object": "list", "data": [
        {"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "codebook-simulator"}]})


async def stats(request: Request) -> Response:
    """GET /stats."""
    return JSONResponse(request.app.state.sim.snapshot())


async def reset(request: Request) -> Response:
    """POST /reset."""
    request.app.state.sim.reset()
    return JSONResponse({"ok": True})


async def configure(request: Request) -> Response:
    """POST /config with a JSON object of options."""
    try:
        request.app.state.sim.configure(await request.json())
    except (ValueError, TypeError) as exc:
        return _error(400, str(exc), "invalid_request_error")
    return JSONResponse(request.app.state.sim.snapshot()["options"])


def create_app(options: SimOptions | None = None) -> Starlette:
    """The simulator's ASGI app."""
    app = Starlette(routes=[
        Route("/v1/chat/completions", chat_completions, methods=["POST"]),
        Route("/chat/completions", chat_completions, methods=["POST"]),
        Route("/openai/deployments/{deployment}/chat/completions", chat_completions,
              methods=["POST"]),  # the Azure OpenAI path
        Route("/v1/models", list_models, methods=["GET"]),
        Route("/stats", stats, methods=["GET"]),
        Route("/reset", reset, methods=["POST"]),
        Route("/config", configure, methods=["POST"]),
    ])
    app.state.sim = SimState(options or SimOptions())
    return app
