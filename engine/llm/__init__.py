"""LLM refinement of rule-based dictionaries: chunking, fair scheduling, limits, cache, merge.

The app and the CLI use these names:

    service = LLMService.from_settings(settings)   # None: say NO_PROVIDER_MESSAGE
    text = await asyncio.to_thread(dictionary_text, path, filename)
    async for update in refine(service, text, rules, job_id=..., filename=...): ...
    final = await refine_all(service, text, rules, job_id=..., on_update=print_progress)
    await service.aclose()                         # at shutdown

Unit tests build the service on the in-process fake model and virtual time:

    clock = VirtualClock()
    backend = FakeBackend(respond=lambda request: '{"fields": []}', latency=2.0, clock=clock)
    service = LLMService(backend, limits=Limits(concurrency=4), clock=clock)
    final = clock.run(refine_all(service, text, rules, job_id="j"))   # no real waiting
    backend.history                                # the requests it was sent

Modules, from the outside in: `refine` (the streaming job), `service` (LLMService: backend,
scheduler, limits, retries, cache, usage), `backend` (the ChatBackend interface, requests,
replies, learned capabilities, FakeBackend), `openai_backend` (the openai client: the only
module importing openai), `scheduler` (fair call slots, paced), `limits` (Limits, RPM/TPM
windows), `retry` (RetryPolicy, failure classification), `clock` (loop time; VirtualClock),
`cache` (diskcache), `chunking` (field-boundary chunks), `tokens` (offline estimates),
`prompt`, `schema` (structured output), `merge` (rules + answers), `source` (a document's text).
"""

from .backend import Capabilities, ChatBackend, ChatRequest, FakeBackend, Reply
from .clock import Clock, VirtualClock
from .limits import Limits
from .openai_backend import OpenAIBackend, Provider
from .refine import RefineUpdate, prepare_refine, refine, refine_all
from .retry import RetryPolicy
from .service import NO_PROVIDER_MESSAGE, LLMService, Usage
from .source import dictionary_text

__all__ = ["NO_PROVIDER_MESSAGE", "Capabilities", "ChatBackend", "ChatRequest", "Clock",
           "FakeBackend", "LLMService", "Limits", "OpenAIBackend", "Provider", "RefineUpdate",
           "Reply", "RetryPolicy", "Usage", "VirtualClock", "dictionary_text", "prepare_refine",
           "refine", "refine_all"]
