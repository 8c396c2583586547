"""LLM refinement end to end: the real app in a subprocess, the real openai client inside it,
the bundled SIMULATOR on loopback, and gradio_client as the caller."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from harness.app_server import AppServer
from harness.fixtures import fixture_path
from harness.waiting import wait_until
from simulator import run_in_thread
from simulator.synthetic import synthetic_dictionary

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-test-do-not-leak-4242"


@pytest.fixture(scope="module")
def sim():
    handle = run_in_thread(latency="0.3")
    yield handle
    handle.stop()


def _llm_env(sim, cache: Path) -> dict[str, str]:
    return {"OPENAI_BASE_URL": sim.base_url, "OPENAI_MODEL": "codebook-simulator",
            "OPENAI_API_KEY": KEY, "CODEBOOK_LLM_CONCURRENCY": "4",
            "CODEBOOK_CHUNK_TOKENS": "400", "CODEBOOK_CACHE_DIR": str(cache),
            "CODEBOOK_MAX_FILE_SIZE": "1MB"}


@pytest.fixture(scope="module")
def llm_app(sim, tmp_path_factory):
    cache = tmp_path_factory.mktemp("llm-cache")
    server = AppServer(env=_llm_env(sim, cache))
    yield server
    server.stop()


def test_rules_first_then_each_chunk_streams(llm_app, sim):
    sim.reset()
    client = Client(llm_app.url, verbose=False)
    job = client.submit(handle_file(str(fixture_path("house-prices", "data_description.txt"))),
                        True, api_name="/parse_dictionary")
    final = job.result(timeout=120)
    outputs = job.outputs()
    # the complete rule-based result comes first, before any LLM step
    jobs = [o[5] if isinstance(o[5], dict) else {} for o in outputs]
    first_full = next(i for i, j in enumerate(jobs) if "format" in j)
    assert jobs[first_full]["llm"] is None and "79 fields" in outputs[first_full][0]
    assert len(outputs[first_full][1]["data"]) == 79       # the rules' fields table; their
    assert outputs[first_full][2] is None                  # Table Schema and files come with
    assert outputs[first_full][3] is None                  # the final result
    assert all(not j.get("llm") for j in jobs[:first_full])
    llm_steps = [o[5]["llm"] for o in outputs if isinstance(o[5], dict) and o[5].get("llm")]
    total = llm_steps[-1]["chunks_total"]
    assert total > 2
    done_counts = [s["chunks_done"] for s in llm_steps]
    assert done_counts == sorted(done_counts) and done_counts[-1] == total
    assert len(set(done_counts)) >= 3, "partial results should arrive chunk by chunk"
    # steps carry the fields table; the schema and files are unchanged until the final result
    steps = [o for o in outputs if isinstance(o[5], dict) and o[5].get("llm")
             and not o[5]["llm"]["done"]]
    assert steps and all(len(o[1]["data"]) == 79 for o in steps)
    assert all(o[2] is None and o[3] is None and o[4] is None for o in steps)
    status, table, schema, schema_file, csv_file, job_info = final
    usage = job_info["llm"]["usage"]
    assert job_info["llm"]["done"] and usage["calls"] >= total and usage["cache_hits"] == 0
    alley = next(f for f in schema["fields"] if f["name"] == "Alley")
    assert alley["origin"]["parser"] == "llm"
    assert {"value": "NA", "label": "No alley access"} in alley["categories"]
    stats = sim.stats()
    assert 1 < stats["max_in_flight"] <= 4, "chunks go out in parallel, within the limit"
    # the key appears nowhere a user can see
    assert KEY not in json.dumps(final, default=str) and KEY not in llm_app.log()


def test_cached_rerun_makes_no_calls(llm_app, sim):
    path = str(fixture_path("house-prices", "data_description.txt"))
    client = Client(llm_app.url, verbose=False)
    client.predict(handle_file(path), True, api_name="/parse_dictionary")  # warm (maybe cached)
    sim.reset()
    *_, job_info = client.predict(handle_file(path), True, api_name="/parse_dictionary")
    usage = job_info["llm"]["usage"]
    assert usage["calls"] == 0 and usage["cache_hits"] == job_info["llm"]["chunks_total"]
    assert sim.stats()["requests"] == 0


def test_llm_progress_reaches_the_client(llm_app, sim, tmp_path):
    """The LLM chunks' progress (gr.Progress) reaches a gradio_client while the job runs
    (the queue sends it every web.patches.queue_progress.PROGRESS_SECONDS)."""
    text, _ = synthetic_dictionary(80, seed=31)
    path = tmp_path / "progress_dictionary.txt"
    path.write_text(text)
    client = Client(llm_app.url, verbose=False)
    job = client.submit(handle_file(str(path)), True, api_name="/parse_dictionary")
    seen = []

    def sample_until_done() -> bool:
        status = job.status()
        if status.progress_data:
            seen.append([(u.desc, u.index, u.length) for u in status.progress_data])
        return job.done()
    wait_until(sample_until_done, "the LLM job to end", give_up=120, every=0.05)
    *_, info = job.result(timeout=120)
    total = info["llm"]["chunks_total"]
    assert info["llm"]["done"] and total > 4
    steps = {(desc, index, length) for units in seen for desc, index, length in units}
    assert {desc for desc, _, _ in steps} == {"LLM chunks"} and {n for *_, n in steps} == {total}
    assert len({index for _, index, _ in steps}) >= 2     # it moved while the job ran


def _wait_for(sim, predicate, what: str, give_up: float = 60.0) -> dict:
    """Poll the simulator's counters until `predicate(stats)`; fail after `give_up` s."""
    def met() -> dict | None:
        stats = sim.stats()
        return stats if predicate(stats) else None
    return wait_until(met, what, give_up, every=0.05)


def test_client_cancel_stops_the_calls(llm_app, sim, tmp_path):
    """A client's cancel closes the job's calls in flight (answers that would take 30 s) and
    drops its queued ones: a job run after it makes the only requests the server sees next."""
    text, _ = synthetic_dictionary(200, seed=7)
    path = tmp_path / "big_dictionary.txt"
    path.write_text(text)
    small = tmp_path / "small_dictionary.txt"
    small.write_text(synthetic_dictionary(6, seed=8)[0])
    sim.configure(latency="30")
    try:
        sim.reset()
        client = Client(llm_app.url, verbose=False)  # one Client per cancellable job
        job = client.submit(handle_file(str(path)), True, api_name="/parse_dictionary")
        _wait_for(sim, lambda s: s["in_flight"] == 4, "4 calls in flight")
        job.cancel()
        stats = _wait_for(sim, lambda s: s["in_flight"] == 0, "the calls to be closed")
        assert stats["disconnects"] == 4 and stats["completed"] == 0, stats
        sent = stats["requests"]
        assert sent < 20
        sim.configure(latency="0.3")
        # had the cancelled job left calls queued, they would take the slots as they free,
        # this job's among them, and the server would see them
        *_, info = Client(llm_app.url, verbose=False).predict(
            handle_file(str(small)), True, api_name="/parse_dictionary")
        assert info["llm"]["done"] and not info["llm"]["error"]
        assert sim.stats()["requests"] == sent + info["llm"]["usage"]["calls"]
    finally:
        sim.configure(latency="0.3")


def test_cli_llm_prints_final_schema_with_progress(sim, tmp_path):
    env = {**_llm_env(sim, tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-m", "engine", "parse", "--llm",
                        str(fixture_path("gss-happiness-extract", "GSS.sps"))],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    schema = json.loads(r.stdout)
    assert [f["name"] for f in schema["fields"]][:2] == ["YEAR", "ID_"]
    assert "chunks done" in r.stderr and KEY not in r.stderr + r.stdout


def test_cli_interrupted_says_so_in_one_line_and_exits_130(sim, tmp_path):
    sim.configure(latency="30")
    try:
        env = {**_llm_env(sim, tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
        proc = subprocess.Popen([sys.executable, "-m", "engine", "parse", "--llm",
                                 str(fixture_path("gss-happiness-extract", "GSS.sps"))],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        # the LLM's calls are in flight (waiting on the 30 s answers): Ctrl-C now
        _wait_for(sim, lambda s: s["in_flight"] >= 1, "the CLI's first LLM call")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        sim.configure(latency="0.3")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "interrupted"
    assert out == ""


def test_cli_llm_without_provider_says_so(tmp_path):
    r = subprocess.run([sys.executable, "-m", "engine", "parse", "--llm",
                        str(fixture_path("gss-happiness-extract", "GSS.sps"))],
                       cwd=ROOT, env={"PATH": "/usr/bin:/bin",
                                      "CODEBOOK_CACHE_DIR": str(tmp_path)},
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "OPENAI_BASE_URL" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_uploads_over_the_size_limit_are_refused(llm_app, tmp_path):
    big = tmp_path / "big_dictionary.txt"
    big.write_text("x: y\n" * 300_000)  # 1.5 MB, over this app's CODEBOOK_MAX_FILE_SIZE=1MB
    client = Client(llm_app.url, verbose=False)
    with pytest.raises(Exception) as info:
        client.predict(handle_file(str(big)), False, api_name="/parse_dictionary")
    assert "large" in str(info.value).lower() or "size" in str(info.value).lower()
    # the app is fine afterwards
    *_, job = client.predict(handle_file(str(fixture_path("gss-happiness-extract", "GSS.sps"))),
                             False, api_name="/parse_dictionary")
    assert job["format"] == "spss-syntax"


def test_llm_job_failing_before_its_first_call_keeps_the_rules_result(sim, tmp_path,
                                                                       monkeypatch):
    """The LLM job's first step (text extraction, chunking) fails after the rule-based result
    went out: that result comes again with its downloads, then the error."""
    from engine.pipeline import refine as llm_stage
    from engine.settings import Settings
    from web.handlers import Handlers

    def broken(path, filename, rules, budget, **options):
        raise RuntimeError("text extraction failed")
    monkeypatch.setattr(llm_stage, "prepare_refine", broken)
    settings = Settings(openai_base_url=sim.base_url, openai_model="codebook-simulator",
                        openai_api_key=KEY, cache_dir=str(tmp_path / "cache"))
    handlers = Handlers(settings, tmp_path / "out")
    path = str(fixture_path("house-prices", "data_description.txt"))

    async def main():
        outputs = []
        with pytest.raises(RuntimeError, match="text extraction failed"):
            async for out in handlers.parse_dictionary(path, True, progress=lambda *a, **k: None):
                outputs.append(out)
        return outputs
    outputs = asyncio.run(main())
    assert len(outputs) == 2
    status, table, schema, schema_file, csv_file, job, _ = outputs[0]
    assert "79 fields" in status and len(table) == 79 and schema is None and schema_file is None
    status, table, schema, schema_file, csv_file, job, _ = outputs[-1]
    assert "79 fields" in status and len(schema["fields"]) == 79 and Path(schema_file).exists()
    assert job["llm"] is None


def test_llm_job_rules_are_never_objects_in_the_serving_thread(sim, tmp_path, monkeypatch):
    """An LLM job's rules are parsed, packed, unpacked for chunking and split for the merge,
    and its final result is made from the packed merge, in the CPU steps (worker processes in
    the app; threads here): never on the event loop's thread, which serves every user (there,
    the rules were a tenth of what a hundred users starting jobs at once cost it).  The table
    of each step in between is made there, from rows packed with the merge: no fields either.
    The job's result is unchanged."""
    import threading

    from engine.llm.merge import MergedSchema
    from engine.model import PackedSchema
    from engine.settings import Settings
    from web.handlers import Handlers

    seen = []
    real_of, real_unpack = PackedSchema.of.__func__, PackedSchema.unpack
    real_schema = MergedSchema.schema

    def schema(self):
        seen.append(("merge", threading.current_thread()))
        return real_schema(self)
    monkeypatch.setattr(MergedSchema, "schema", schema)

    def of(cls, schema):
        seen.append(("pack", threading.current_thread()))
        return real_of(cls, schema)

    def unpack(self):
        seen.append(("unpack", threading.current_thread()))
        return real_unpack(self)
    monkeypatch.setattr(PackedSchema, "of", classmethod(of))
    monkeypatch.setattr(PackedSchema, "unpack", unpack)
    settings = Settings(openai_base_url=sim.base_url, openai_model="codebook-simulator",
                        openai_api_key=KEY, cache_dir=str(tmp_path / "cache"),
                        chunk_tokens=400)
    handlers = Handlers(settings, tmp_path / "out")
    path = str(fixture_path("house-prices", "data_description.txt"))

    async def main():
        loop_thread = threading.current_thread()
        outputs = [out async for out in handlers.parse_dictionary(
            path, True, progress=lambda *a, **k: None)]
        await handlers.llm.aclose()
        return loop_thread, outputs
    sim.configure(latency="uniform:0.05,1.0")    # answers spread: steps in between
    try:
        loop_thread, outputs = asyncio.run(main())
    finally:
        sim.configure(latency="0.3")
    assert {what for what, _ in seen} == {"pack", "unpack", "merge"}
    assert all(thread is not loop_thread for what, thread in seen), seen
    assert len(outputs) >= 3 and all(len(out[1]) == 79 for out in outputs)   # (steps shown)
    status, table, schema, schema_file, csv_file, job, _ = outputs[-1]
    assert job["llm"]["done"] and job["llm"]["chunks_done"] == job["llm"]["chunks_total"] > 3
    assert len(schema["fields"]) == 79 and len(table) == 79 and Path(schema_file).exists()
