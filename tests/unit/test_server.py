"""web.server: the app served the supported way (our FastAPI app, the Blocks mounted, a uvicorn
Config of our own): where it listens, its queue, what the mounted app still refuses."""

from __future__ import annotations

import os

import gradio as gr

from engine.settings import Settings
from harness.patch_checks import app_demo
from web import server


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


def test_the_queue_is_bounded_and_runs_up_to_max_threads_events(monkeypatch):
    """Gradio's queue as configured through its public API: bounded, no REST bypass, light
    events concurrent, `max_threads` events running at most; one record of its events kept
    and never summarised (no dashboard is served)."""
    asked = []
    real = gr.Blocks.queue

    def queue(self, **kwargs):
        asked.append(kwargs)
        return real(self, **kwargs)
    monkeypatch.setattr(gr.Blocks, "queue", queue)
    for name in server.QUEUE_RECORDS:
        monkeypatch.delenv(name, raising=False)
    s = Settings(queue_max_size=7, max_threads=123, light_concurrency=5)
    demo = app_demo(s)
    assert asked[-1] == {"max_size": 7, "api_open": False, "default_concurrency_limit": 5}
    assert demo.max_threads == 123 and demo.api_open is False
    assert os.environ["GRADIO_ANALYTICS_MAX_EVENTS"] == "1"
    assert int(os.environ["GRADIO_ANALYTICS_CACHE_FREQUENCY"]) >= 1 << 62
