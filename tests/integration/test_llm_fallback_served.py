"""A document the rules cannot read at all, refined through the real client by the SIMULATOR
over HTTP: from the CLI and from the app's handler (the engine job on the in-process fake
model: tests/unit/test_llm_fallback.py)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.errors import NoFieldsFound
from engine.parsers import parse_dictionary
from harness.fixtures import unreadable_instrument as unreadable
from simulator import run_in_thread

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-test-fallback-77"


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
