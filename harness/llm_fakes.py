"""The simulator's answers and faults in process: a FakeBackend on a VirtualClock for unit
tests of the LLM layer (no server, no real waiting).

    clock = VirtualClock()
    model = FaultyModel(latency=0.05, rates={"500": 0.1})
    svc = fake_service(model, clock, concurrency=4)
    updates = clock.run(collect(svc, text, rules))

A chunk whose text holds `[[sim:KINDxN]]` fails its first N calls (every call without `xN`),
as the simulator's directives do; kinds: 500, 429, timeout (no answer before the call's
timeout), drop, malformed, truncated.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter

from engine.llm import ChatRequest, FakeBackend, Limits, LLMService, Reply, RetryPolicy, refine
from engine.llm.cache import ChunkCache
from engine.llm.retry import CallError, Failure
from simulator.answers import answer_fields, chunk_of

_DIRECTIVE = re.compile(r"\[\[sim:(\w+?)(?:x(\d+))?\]\]")
_KINDS = ("500", "429", "timeout", "drop", "malformed", "truncated")


def simulated_answer(request: ChatRequest) -> str:
    """The simulator's reading of the chunk in `request` (simulator.answers): a
    FakeBackend `respond` answering as the simulator would, without a server."""
    text, names = chunk_of({"messages": request.messages})
    return json.dumps({"fields": answer_fields(text, names)})


class FaultyModel:
    """A FakeBackend responder answering like the simulator, with its faults."""

    def __init__(self, latency: float = 0.05, rates: dict[str, float] | None = None,
                 seed: int = 7) -> None:
        self.base_latency = latency
        self.rates = rates or {}
        self.rng = random.Random(seed)
        self.attempts: Counter[str] = Counter()
        self.faults: Counter[str] = Counter()
        self._decided: dict[int, str | None] = {}

    def latency(self, request: ChatRequest) -> float:
        """The call's latency; decides its fault first (a timeout never answers)."""
        fault = self._pick(chunk_of({"messages": request.messages})[0])
        self._decided[id(request)] = fault
        if fault:
            self.faults[fault] += 1
        return 3600.0 if fault == "timeout" else self.base_latency

    def __call__(self, request: ChatRequest):
        fault = self._decided.pop(id(request), None)
        answer = simulated_answer(request)
        if fault == "500":
            return FakeBackend.error(500, "The server had an error (fake)")
        if fault == "429":
            return FakeBackend.error(429, "Rate limit reached (fake)", retry_after=0.05)
        if fault == "drop":
            return CallError(Failure("retry", "the connection to the LLM endpoint failed or "
                                              "was dropped"))
        if fault == "malformed":
            return "Here are the fields: " + answer[:-2].replace('"name"', "name", 1)
        if fault == "truncated":
            return Reply(answer[: max(12, len(answer) // 2)], "length")
        return answer

    def _pick(self, text: str) -> str | None:
        m = _DIRECTIVE.search(text)
        if m:
            self.attempts[text] += 1
            if m.group(2) is None or self.attempts[text] <= int(m.group(2)):
                return m.group(1)
            return None
        r = self.rng.random()
        for kind in _KINDS:
            rate = self.rates.get(kind, 0.0)
            if r < rate:
                return kind
            r -= rate
        return None


def fake_service(model: FaultyModel, clock, *, cache_dir=None, retries: int = 4,
                 **limits) -> LLMService:
    """A service on a FakeBackend answering as `model` does, on `clock`."""
    backend = FakeBackend(model, latency=model.latency, clock=clock,
                          model="codebook-simulator")
    limits = {"concurrency": 16, "timeout": 5.0, **limits}
    return LLMService(backend, limits=Limits(**limits), clock=clock,
                      retry=RetryPolicy(retries=retries, base=0.01, cap=0.05, jitter=0),
                      cache=ChunkCache(cache_dir, 10**8) if cache_dir else None)


async def collect(svc, text, rules, job_id="job", close=True, **kw):
    """All updates of one job, each with the (clock) time it arrived."""
    t0 = svc.clock.now()
    out = []
    try:
        async for u in refine(svc, text, rules, job_id=job_id, filename="dict.txt", **kw):
            out.append((svc.clock.now() - t0, u))
    finally:
        if close:
            await svc.aclose()
    return out
