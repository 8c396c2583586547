"""LLM refinement of rule-based dictionaries: chunking, fair scheduling, limits, cache, merge.

The app and the CLI use these names:

    service = LLMService.from_settings(settings)   # None: say NO_PROVIDER_MESSAGE
    text = await asyncio.to_thread(dictionary_text, path, filename)
    async for update in refine(service, text, rules, job_id=..., filename=...): ...
    final = await refine_all(service, text, rules, job_id=..., on_update=print_progress)
    await service.aclose()                         # at shutdown

Modules: `chunking` (field-boundary chunks), `tokens` (offline estimates), `prompt`,
`schema` (structured output), `client` (the service and its retries), `scheduler` (fair slots,
RPM/TPM), `cache` (diskcache), `merge` (rules + answers), `refine` (the streaming job),
`source` (a document's text for chunking).
"""

from .client import NO_PROVIDER_MESSAGE, LLMService, Provider, Usage
from .refine import RefineUpdate, prepare_refine, refine, refine_all
from .source import dictionary_text

__all__ = ["NO_PROVIDER_MESSAGE", "LLMService", "Provider", "RefineUpdate", "Usage",
           "dictionary_text", "prepare_refine", "refine", "refine_all"]
