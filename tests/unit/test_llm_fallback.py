"""A document the rules cannot read at all still gets a complete LLM refinement: chunked at
page and paragraph breaks, every chunk answered, fields from the answers (the engine job on
the in-process fake model; the CLI and the app's handler against the SIMULATOR:
tests/integration/test_llm_fallback_served.py)."""

from __future__ import annotations

import random

import pytest

from engine.errors import NoFieldsFound
from engine.pipeline.steps import parse_rules
from engine.llm import FakeBackend, Limits, LLMService, VirtualClock, prepare_refine, refine
from engine.llm.chunking import chunk_text, clean_lines
from engine.model import PackedSchema, Schema
from engine.parsers import parse_dictionary
from harness.fixtures import INSTRUMENT_TOPICS as _TOPICS, INSTRUMENT_VERBS as _VERBS
from harness.fixtures import unreadable_instrument as unreadable
from harness.llm_fakes import simulated_answer


@pytest.fixture
def doc(tmp_path):
    text, names = unreadable()
    path = tmp_path / "instrument.txt"
    path.write_text(text)
    with pytest.raises(NoFieldsFound):      # the premise: the rules read nothing here
        parse_dictionary(path)
    return path, names


def test_chunks_keep_each_question_with_its_marker():
    text, names = unreadable()
    chunks = chunk_text(text, [], budget=160)
    assert len(chunks) >= 4 and all(c.names == () for c in chunks)
    assert all(b.lines[0] == a.lines[1] + 1 for a, b in zip(chunks, chunks[1:]))
    assert " ".join(c.text for c in chunks).split() == text.replace("\f", " ").split()
    for c in chunks:        # a chunk starts with a question and ends with its marker
        assert c.text.startswith("How often") and c.text.rstrip().endswith("radio Required}")


def test_without_field_boundaries_chunks_end_at_page_breaks():
    """Prose pages with no blank lines and no names the rules found: the cuts fall on the
    page breaks, not somewhere inside a page."""
    rng = random.Random(2)
    pages = []
    for p in range(6):
        words = [rng.choice(_TOPICS + _VERBS) for _ in range(5 * 9)]
        pages.append("\n".join(f"Page {p + 1} notes " + " ".join(words[k:k + 9]) + "."
                               for k in range(0, len(words), 9)))
    text = "\f".join(pages)
    lines = clean_lines(text)
    page_of = [ln.split()[1] for ln in lines]
    starts = {i for i in range(1, len(lines)) if page_of[i] != page_of[i - 1]}
    chunks = chunk_text(text, [], budget=260)
    assert len(chunks) >= 3
    assert all(c.lines[0] in starts for c in chunks[1:]), [c.lines for c in chunks]


def test_engine_job_reads_the_whole_document(doc):
    path, names = doc
    start = parse_rules(path, path.name, None, True, False, None)   # an LLM job's start
    assert start.format == "none" and start.count == 0 and start.rules.unpack().fields == []
    with pytest.raises(NoFieldsFound):                   # without an LLM job: the error
        parse_rules(path, path.name, None, False, False, None)
    chunks, split = prepare_refine(str(path), path.name, PackedSchema.of(Schema()), 160)
    assert len(chunks) >= 4
    clock = VirtualClock()      # the model answers as the simulator would, in process
    backend = FakeBackend(simulated_answer, latency=0.05, clock=clock)
    svc = LLMService(backend, limits=Limits(concurrency=4, chunk_tokens=160), clock=clock)

    async def main():
        out = []
        try:
            async for u in refine(svc, "", split, job_id="fallback", filename=path.name,
                                  chunks=chunks):
                out.append(u)
        finally:
            await svc.aclose()
        return out
    updates = clock.run(main())
    last = updates[-1]
    assert last.done and not last.flagged and last.error is None
    assert last.chunks_done == last.chunks_total == len(chunks)
    assert len(backend.history) == len(chunks)            # every chunk sent
    assert last.schema.names == names                     # every field, from the answers
    field = last.schema.fields[0]
    assert field.extras["origin"]["parser"] == "llm" and len(field.categories) == 3
