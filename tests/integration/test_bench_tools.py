"""bench/load.py's helpers and its naive reference app (bench/naive_app.py, `--naive`).

The reference must answer the benchmark's requests the way the benchmark checks them (the
same API and output layout as app.py), or `--naive` measures failures instead of Gradio.
"""

from __future__ import annotations

import pytest
from gradio_client import Client, handle_file

from bench import load
from bench.load import clients, common
from harness.fixtures import fixture_path
from harness.app_server import AppServer
from simulator import run_in_thread


def test_slope_is_growth_per_wave():
    assert load.slope([340, 347, 344, 348]) == pytest.approx(2.1)
    assert load.slope([10, 20, 30]) == pytest.approx(10)
    assert load.slope([5, 5]) == 0
    # a steady leak shows however noisy one reading is
    assert load.slope([100, 130, 120, 160, 170]) > 15


def test_naive_flag_runs_only_the_main_phase():
    a = load.parse_args(["--naive"])
    assert a.naive and a.skip_overload and a.waves == 4
    assert load.parse_args(["--quick"]).waves == 2
    with pytest.raises(SystemExit):
        load.parse_args(["--naive", "--replicas", "2"])


@pytest.fixture(scope="module")
def sim():
    handle = run_in_thread(latency="0.2")
    yield handle
    handle.stop()


def test_naive_app_answers_like_the_app(sim, tmp_path_factory):
    cache = tmp_path_factory.mktemp("naive")
    env = {"OPENAI_BASE_URL": sim.base_url, "OPENAI_MODEL": "codebook-simulator",
           "OPENAI_API_KEY": "naive", "CODEBOOK_LLM_CONCURRENCY": "4",
           "CODEBOOK_CHUNK_TOKENS": "400", "CODEBOOK_CACHE_DIR": str(cache)}
    server = AppServer(env=env, script=common.NAIVE_APP)
    try:
        client = Client(server.url, verbose=False, download_files=False)
        path = fixture_path("house-prices", "data_description.txt")
        rules = client.predict(handle_file(str(path)), False, api_name="/parse_dictionary")
        assert len(rules[2]["fields"]) == 79 and rules[5]["llm"] is None
        job = client.submit(handle_file(str(path)), True, api_name="/parse_dictionary")
        final = job.result(timeout=120)
        rec = clients.JobRecord("naive", final[5]["llm"]["chunks_total"], job=job)
        clients.finish(rec)          # the benchmark's own check of a finished job
        assert rec.ok, rec.error
        assert rec.calls == rec.chunks > 2 and sim.stats()["requests"] >= rec.calls
        steps = [o for o in job.outputs() if o[5].get("llm") and not o[5]["llm"]["done"]]
        assert steps, "partial results stream chunk by chunk"
        status, _, prof, *_ = client.predict(
            handle_file(str(fixture_path("house-prices", "train.csv"))), None,
            api_name="/profile")
        assert isinstance(prof, dict) and prof["rows"] > 0
    finally:
        server.stop()


def test_in_niced_thread_nices_that_thread_and_the_threads_it_starts_only():
    import os
    import threading

    def own() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = own()

    def work() -> tuple[int, int]:
        seen = []
        t = threading.Thread(target=lambda: seen.append(own()))
        t.start()
        t.join()
        return own(), seen[0]

    target = min(before + 5, 19)               # (Linux caps niceness at 19)
    mine, child = clients.in_niced_thread(target, work)
    assert (mine, child) == (target, target)
    assert own() == before                     # the caller's thread keeps its niceness
    assert clients.thread_niceness().get(before, 0) >= 1
    with pytest.raises(ZeroDivisionError):
        clients.in_niced_thread(0, lambda: 1 / 0)
    assert load.parse_args([]).client_nice == common.CLIENT_NICE == 10
