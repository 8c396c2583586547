"""inline_login_check: Gradio's login check runs in line, and still guards an app with a
login exactly as before."""

from __future__ import annotations

import gradio as gr
from fastapi.testclient import TestClient
from gradio.routes import App

import fastapi.dependencies.utils as fastapi_utils
from harness.patch_checks import app_demo
from web.patches import inline_login_check


def answers(app, in_threads: list) -> tuple:
    client = TestClient(app)
    del in_threads[:]
    out = (client.get("/config").status_code, client.get("/gradio_api/info").status_code)
    upload = client.post("/gradio_api/upload", files={"files": ("a.txt", b"x")})
    return out + (upload.status_code, upload.json()[0].endswith("a.txt")
                  if upload.status_code == 200 else None, "login_check" in in_threads)


def locked_answers(app, in_threads: list) -> tuple:
    client = TestClient(app)
    del in_threads[:]
    out = [client.get("/config").status_code, client.get("/gradio_api/info").status_code,
           client.post("/login", data={"username": "ann", "password": "pw"}).status_code,
           client.get("/config").status_code, client.get("/gradio_api/info").status_code]
    return (*out, "login_check" in in_threads)


def test_the_login_check_runs_in_line_and_still_guards_an_app_with_a_login(monkeypatch):
    in_threads = []

    async def run_in_threadpool(func, *args, **kwargs):
        in_threads.append(getattr(func, "__name__", func))
        return func(*args, **kwargs)
    monkeypatch.setattr(fastapi_utils, "run_in_threadpool", run_in_threadpool)

    demo = app_demo()
    demo.max_file_size = None
    plain = answers(App.create_app(demo), in_threads)
    patched_app = App.create_app(demo)
    inline_login_check.attach(demo, patched_app)
    assert not patched_app.dependency_overrides   # (an override makes FastAPI re-inspect)
    assert plain == (200, 200, 200, True, True)
    assert answers(patched_app, in_threads) == (200, 200, 200, True, False)

    with gr.Blocks() as locked:
        gr.Markdown("secret")
    locked.auth, locked.auth_message, locked.max_file_size = [("ann", "pw")], None, None
    plain = locked_answers(App.create_app(locked), in_threads)
    patched_app = App.create_app(locked)
    assert inline_login_check.inline_login_check(patched_app) > 0
    assert plain == (401, 401, 200, 200, 200, True)
    assert locked_answers(patched_app, in_threads) == (401, 401, 200, 200, 200, False)
