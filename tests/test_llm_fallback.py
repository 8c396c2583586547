"""A document the rules cannot read at all still gets a complete LLM refinement: chunked at
page and paragraph breaks, every chunk answered, fields from the answers (the engine job on
the in-process fake model; the CLI and the app's handler through the real client to the
SIMULATOR over HTTP)."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from engine.errors import NoFieldsFound
from engine.pipeline.steps import parse_rules
from engine.llm import FakeBackend, Limits, LLMService, VirtualClock, prepare_refine, refine
from engine.llm.chunking import chunk_text, clean_lines
from engine.model import PackedSchema, Schema
from engine.parsers import parse_dictionary
from simulator import run_in_thread
from llm_fakes import simulated_answer

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk-test-fallback-77"
_TOPICS = ("clinic", "pharmacy", "hospital", "dentist", "therapist", "nurse", "midwife",
           "optician", "laboratory", "physiotherapy", "vaccination", "screening")
_VERBS = ("visit", "call", "contact", "consult", "attend", "phone", "email", "see")
_LABELS = ("Never", "Rarely", "Sometimes", "Often", "Always", "Weekly", "Daily", "Monthly")


def unreadable(fields: int = 24, per_page: int = 6, seed: int = 5) -> tuple[str, list[str]]:
    """A REDCap-instrument-like text (questions, `{1} Label` choices, `{[name] radio}`
    markers) on pages separated by form feeds: no format the rules read; and its names."""
    rng = random.Random(seed)
    blocks, names = [], []
    for i in range(fields):
        name = f"{rng.choice(_VERBS)}_{rng.choice(_TOPICS)}_{i}"
        labels = rng.sample(_LABELS, 3)
        blocks.append("\n".join([
            f"How often did you {name.split('_')[0]} the {name.split('_')[1]} "
            f"({rng.choice(_TOPICS)} related) this {rng.choice(('year', 'season', 'term'))}?",
            " ".join(f"{{{k + 1}}} {label}" for k, label in enumerate(labels)),
            f"{{[{name}] radio Required}}", ""]))
        names.append(name)
        if (i + 1) % per_page == 0 and i + 1 < fields:
            blocks.append("\f")
    return "\n".join(blocks), names


@pytest.fixture(scope="module")
def sim():
    handle = run_in_thread(latency="0.05", seed=3)
    yield handle
    handle.stop()


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


def test_cli_llm_reads_a_document_the_rules_cannot(sim, doc, tmp_path):
    path, names = doc
    env = {"PATH": "/usr/bin:/bin", "OPENAI_BASE_URL": sim.base_url,
           "OPENAI_MODEL": "codebook-simulator", "OPENAI_API_KEY": KEY,
           "CODEBOOK_CHUNK_TOKENS": "160", "CODEBOOK_CACHE_DIR": str(tmp_path / "cache")}
    sim.reset()
    r = subprocess.run([sys.executable, "-m", "engine", "parse", "--llm", str(path)], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert [f["name"] for f in json.loads(r.stdout)["fields"]] == names
    assert "rules: 0 fields" in r.stderr and "chunks done" in r.stderr
    assert sim.stats()["requests"] >= 4


def test_app_llm_job_reads_a_document_the_rules_cannot(sim, doc, tmp_path):
    from engine.settings import Settings
    from web.handlers import Handlers

    path, names = doc
    settings = Settings(openai_base_url=sim.base_url, openai_model="codebook-simulator",
                        openai_api_key=KEY, cache_dir=str(tmp_path / "cache"), chunk_tokens=160)
    handlers = Handlers(settings, tmp_path / "out")
    sim.reset()

    async def main():
        outputs = []
        try:
            async for out in handlers.parse_dictionary(str(path), True,
                                                       progress=lambda *a, **k: None):
                outputs.append(out)
        finally:
            await handlers.llm.aclose()
        return outputs
    outputs = asyncio.run(main())
    status, table, schema, schema_file, csv_file, job, _ = outputs[0]
    assert "no field" in status and table == [] and job["llm"] is None
    status, table, schema, schema_file, csv_file, job, _ = outputs[-1]
    llm = job["llm"]
    assert llm["done"] and llm["chunks_done"] == llm["chunks_total"] >= 4 and not llm["error"]
    assert sim.stats()["requests"] == llm["chunks_total"]
    assert [f["name"] for f in schema["fields"]] == names and Path(schema_file).exists()
