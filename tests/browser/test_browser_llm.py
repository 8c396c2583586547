"""An LLM job watched in a real browser, and cancelled there and through gradio_client: the
real app with the bundled simulator (one call at a time, so chunks land one by one)."""

from __future__ import annotations

import csv
import io
import json
import time
import uuid

import pytest
from gradio_client import Client, handle_file

from harness.browser_pages import (download_json, download_text, launch, open_app, poll, row_count,
                           screenshot)
from harness.app_server import AppServer
from simulator import run_in_thread

pytestmark = [pytest.mark.browser, pytest.mark.slow]
RULES, ALL = 20, 60       # fields the rules read in the document below, and the LLM's total


def _document(tmp_path, tag: str):
    """A dictionary the rules read a third of: `name: description` lines they read, and
    REDCap-like lines only the (simulated) LLM reads.  `tag` keeps its chunks out of the
    LLM cache of earlier runs."""
    lines = [f"q{i:03d}_item: how often the respondent did activity {i} ({tag})\n" if i % 3 == 0
             else f"{{[field_{i:03d}] radio}} {{1}} Yes {{2}} No {{9}} Refused ({tag})\n"
             for i in range(ALL)]
    path = tmp_path / f"growing_{tag}.txt"
    path.write_text("\n".join(lines))
    return path


@pytest.fixture(scope="module")
def sim():
    handle = run_in_thread(latency="0.8")
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def llm_app(sim, tmp_path_factory):
    cache = tmp_path_factory.mktemp("llm-ui-cache")
    server = AppServer(env={"OPENAI_BASE_URL": sim.base_url, "OPENAI_MODEL": "codebook-simulator",
                            "OPENAI_API_KEY": "sk-test-ui", "CODEBOOK_LLM_CONCURRENCY": "1",
                            "CODEBOOK_CHUNK_TOKENS": "400", "CODEBOOK_CACHE_DIR": str(cache),
                            "GRADIO_TEMP_DIR": str(cache / "gradio")})
    yield server
    server.stop()


@pytest.fixture
def page(llm_app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        pg = open_app(browser, llm_app.url)
        yield pg
        browser.close()


def _start(page, path) -> None:
    page.locator("#use-llm input").check()
    page.locator("#dict-file input[type=file]").set_input_files(str(path))


def _sample(page) -> tuple[int, bool, str]:
    table = page.locator("#fields-table")
    shown = table.count() > 0 and table.is_visible()
    return (row_count(page, "#fields-table") if shown else 0, shown,
            page.locator("#parse-status").inner_text())


def test_the_table_stays_visible_and_grows_while_the_llm_streams(page, tmp_path):
    _start(page, _document(tmp_path, uuid.uuid4().hex[:8]))
    samples, shot = [], False
    end = time.monotonic() + 90
    while time.monotonic() < end:
        samples.append(_sample(page))
        if not shot and RULES < samples[-1][0] < ALL:
            screenshot(page, "dictionary-llm-streaming")
            shot = True
        # the status and the table are drawn in separate frames: wait for both to be final
        if "chunks done" in samples[-1][2] and samples[-1][0] == ALL:
            break
        time.sleep(0.1)
    counts = [n for n, shown, _ in samples if shown]
    assert counts and counts[-1] == ALL, samples[-3:]
    first = next(i for i, (_, shown, _) in enumerate(samples) if shown)
    assert all(shown for _, shown, _ in samples[first:]), "the table was hidden meanwhile"
    assert counts == sorted(counts) and counts[0] == RULES
    between = [(n, status) for n, shown, status in samples if shown and RULES < n < ALL]
    assert len({n for n, _ in between}) >= 1, "no step between the rules and the end"
    n, status = between[0]
    assert "LLM refinement" in status and f"{n} fields" in status and "chunks done" not in status
    final = samples[-1][2]
    assert f"{ALL} fields" in final and f"({ALL - RULES} added" in final
    llm_column = page.locator("#fields-table [data-testid=cell-1-1]").inner_text()
    assert "added" in llm_column                                # field_001: the LLM's
    assert page.locator("#fields-table [data-testid=cell-0-1]").inner_text().strip() in ("",
                                                                                        "⋮")


def test_cancel_keeps_the_fields_shown_with_downloads_of_exactly_them(page, sim, tmp_path):
    sim.configure(latency="2.5")
    try:
        _start(page, _document(tmp_path, uuid.uuid4().hex[:8]))
        poll("the first LLM step", lambda: RULES < _sample(page)[0], timeout=90)
        page.locator("#cancel-btn").click()
        status = page.locator("#parse-status")
        poll("the cancelled state", lambda: "Cancelled" in status.inner_text(), timeout=60)
    finally:
        sim.configure(latency="0.8")
    text = status.inner_text()
    kept = int(text.split("kept ")[1].split(" fields")[0])
    assert RULES < kept < ALL and "(rules + " in text and " of " in text, text
    page.wait_for_selector("#schema-file a", timeout=30_000)
    assert row_count(page, "#fields-table") == kept
    names_shown = "#fields-table [data-testid^='cell-'][data-testid$='-0'] span"
    shown = page.locator(names_shown).all_inner_texts()
    schema = download_json(page, "#schema-file")
    names = [f["name"] for f in schema["fields"]]
    assert len(names) == kept and names[:len(shown)] == [s.strip() for s in shown][:len(names)]
    rows = list(csv.DictReader(io.StringIO(download_text(page, "#csv-file"))))
    assert [r["name"] for r in rows] == names
    screenshot(page, "dictionary-cancelled")


def _submit_and_wait_for_a_step(client, path):
    job = client.submit(handle_file(str(path)), True, api_name="/parse_dictionary")

    def first_step():
        outs = job.outputs()
        info = outs[-1][5] if outs else None
        return isinstance(info, dict) and (info.get("llm") or {}).get("chunks_done")
    poll("the first LLM step", first_step, timeout=90)
    return job


def _assert_kept(outputs) -> int:
    status, table, schema, schema_file, csv_file, info = outputs
    kept = int(status.split("kept ")[1].split(" fields")[0])
    assert RULES < kept < ALL and info["cancelled"] is True
    assert len(table["data"]) == kept and len(schema["fields"]) == kept
    with open(schema_file, encoding="utf-8") as fh:
        assert [f["name"] for f in json.load(fh)["fields"]] == [r[0] for r in table["data"]]
    with open(csv_file, encoding="utf-8") as fh:
        assert len(fh.read().strip().splitlines()) == kept + 1
    return kept


def test_stop_parse_ends_a_clients_job_with_the_kept_fields(llm_app, sim, tmp_path):
    sim.configure(latency="2.5")
    try:
        client = Client(llm_app.url, verbose=False)
        job = _submit_and_wait_for_a_step(client, _document(tmp_path, uuid.uuid4().hex[:8]))
        assert "Stopping 1 parse" in client.predict(api_name="/stop_parse")
        final = job.result(timeout=60)
    finally:
        sim.configure(latency="0.8")
    assert "Cancelled — kept" in final[0] and "(rules + 1 of " in final[0]
    _assert_kept(final)
    assert "No parse is running" in client.predict(api_name="/stop_parse")


def test_a_clients_cancel_ends_the_job_with_what_it_kept(llm_app, sim, tmp_path):
    """job.cancel() cancels the server's task: the job ends as /stop_parse ends it (its calls
    closed, its kept fields written).  Whether that last message still reaches the Client is
    gradio_client's race (its cancel stops it reading, measured 2 of 6 lost with 2.7.2): when
    it does, it is the kept state; otherwise the last output is the last step shown."""
    sim.configure(latency="2.5")
    try:
        client = Client(llm_app.url, verbose=False)     # one Client per cancellable job
        job = _submit_and_wait_for_a_step(client, _document(tmp_path, uuid.uuid4().hex[:8]))
        ended = llm_app.log().count("ending it with what it kept")
        job.cancel()
        poll("the server to end the job", lambda: llm_app.log().count(
            "ending it with what it kept") > ended, timeout=30)
        time.sleep(1.0)
    finally:
        sim.configure(latency="0.8")
    last = job.outputs()[-1]
    if "Cancelled" in last[0]:
        _assert_kept(last)
    else:
        assert "LLM refinement" in last[0] and last[3] is None
