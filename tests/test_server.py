"""web.server: the app served the supported way (our FastAPI app, the Blocks mounted, a uvicorn
Config of our own): where it listens, its queue, what the mounted app still refuses."""

from __future__ import annotations

import sys
from pathlib import Path

import gradio as gr
import httpx
import pytest

from engine.settings import Settings
from web import server

sys.path.insert(0, str(Path(__file__).resolve().parent / "patches"))
from patch_helpers import app_demo, outside_path_refusal, served  # noqa: E402


def test_codebook_settings_win_then_gradios_then_the_defaults():
    s = Settings.from_env({})
    assert server.listen_address(s, {}) == ("127.0.0.1", 7860)
    spaces = {"GRADIO_SERVER_NAME": "0.0.0.0", "GRADIO_SERVER_PORT": "7861"}
    assert server.listen_address(s, spaces) == ("0.0.0.0", 7861)
    ours = {**spaces, "CODEBOOK_HOST": "10.0.0.5", "CODEBOOK_PORT": "9000"}
    assert server.listen_address(Settings.from_env(ours), ours) == ("10.0.0.5", 9000)
    mixed = {**spaces, "CODEBOOK_PORT": "9000"}
    assert server.listen_address(Settings.from_env(mixed), mixed) == ("0.0.0.0", 9000)


def test_gradio_analytics_are_off_unless_asked_for():
    assert not server.analytics_enabled({})
    assert not server.analytics_enabled({"GRADIO_ANALYTICS_ENABLED": "False"})
    assert server.analytics_enabled({"GRADIO_ANALYTICS_ENABLED": "True"})
    assert app_demo().analytics_enabled is False


def test_the_server_config_is_uvicorns_own_with_our_loop():
    s = Settings(host="127.0.0.1", port=7999)
    config = server.uvicorn_config(server.create_app(app_demo(s), s), s)
    assert (config.host, config.port, config.http) == ("127.0.0.1", 7999, "httptools")
    assert config.loop == "web.runtime.loop:new_event_loop"
    from web.runtime import loop

    factory = config.get_loop_factory()
    new = factory()
    try:
        assert type(new) is loop.Loop
    finally:
        new.close()


def test_the_queue_is_bounded_and_runs_up_to_max_threads_events():
    s = Settings(queue_max_size=7, max_threads=123, light_concurrency=5)
    demo = app_demo(s)
    assert demo._queue.max_size == 7 and demo._queue.max_thread_count == 123
    assert demo.max_threads == 123 and demo.api_open is False


@pytest.mark.slow
def test_the_served_app_keeps_no_event_records_and_refuses_paths_outside_its_cache(
        tmp_path, monkeypatch):
    """Launched as the app launches: the queue keeps at most one record of its events and never
    builds its pandas summary of them (after every event, in Gradio's own way); the monitoring
    dashboard is off; Gradio's development reload stream is not served; an input naming a
    server file outside the upload folder is refused (a mounted Gradio app checks paths only when
    marked launched)."""
    from gradio.queueing import Queue
    from gradio_client import Client, handle_file

    built = []
    real = Queue._get_df
    monkeypatch.setattr(Queue, "_get_df",
                        staticmethod(lambda records: built.append(len(records)) or real(records)))
    dictionary = Path(__file__).parent / "fixtures" / "house-prices" / "data_description.txt"
    with served("all", tmp_path) as app:
        client = Client(app.url, verbose=False, download_files=False)
        for _ in range(3):
            assert "79 fields" in client.predict(handle_file(str(dictionary)), False,
                                                 api_name="/parse_dictionary")[0]
        assert "Cannot move /etc/hostname" in outside_path_refusal(app.url)
        assert httpx.get(app.url + "monitoring/summary").status_code == 403
        # the development reload stream is not served: answered at once, not held open
        assert httpx.get(app.url + "gradio_api/dev/reload", timeout=5).status_code == 404
        assert len(app.demo._queue.event_analytics) <= 1
    assert built == []
