"""engine.gradio_tuning: Gradio's per-session state made lazy, with the same configs."""

from __future__ import annotations

import inspect
import tracemalloc
from pathlib import Path

import gradio as gr
import pytest
from gradio.state_holder import SessionState

import app
from engine import gradio_tuning
from engine.settings import Settings


@pytest.fixture(scope="module")
def demo():
    demo = app.configure_queue(app.build_demo(Settings()), Settings())
    assert gradio_tuning.apply(demo), (
        f"gradio {gr.__version__}: engine/gradio_tuning.py was written for "
        f"{gradio_tuning.WRITTEN_FOR}; check SessionState again and update it")
    return demo


def eager_configs(demo) -> dict:
    """What Gradio's own SessionState.__init__ computes for every session."""
    config = demo.default_config
    return {k: config.config_for_block(k, [], v) for k, v in config.blocks.items()
            if k in demo.blocks}


def test_new_sessions_build_no_configs_until_asked(demo):
    state = SessionState(demo)
    assert dict.__len__(state.config_values) == 0
    key = next(iter(eager_configs(demo)))
    assert state.config_values[key] == eager_configs(demo)[key]
    assert dict.__len__(state.config_values) == 1


def test_deep_links_still_see_every_block_as_gradio_built_it(demo):
    state = SessionState(demo)
    assert list(state.components) == [c for c in eager_configs(demo).values() if c]


def test_sent_values_are_not_kept_without_a_deep_link_button(demo):
    state = SessionState(demo)
    table = next(b for b in demo.blocks.values() if isinstance(b, gr.Dataframe))
    state._update_value_in_config(table._id, {"data": [["x"] * 9] * 1000})
    assert dict.__len__(state.config_values) == 0   # neither a config built nor the value kept


def test_apps_with_a_deep_link_button_keep_them():
    with gr.Blocks() as linked:
        box = gr.Textbox()
        gr.DeepLinkButton()
    assert gradio_tuning.apply(linked)
    state = SessionState(linked)
    state._update_value_in_config(box._id, "kept")
    assert state.config_values[box._id]["props"]["value"] == "kept"


def test_a_session_costs_a_fraction_of_what_it_did(demo):
    def allocated(init) -> int:
        cls = SessionState
        patched = cls.__init__
        cls.__init__ = init
        try:
            tracemalloc.start()
            sessions = [SessionState(demo) for _ in range(20)]
            size, _ = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        finally:
            cls.__init__ = patched
        assert len(sessions) == 20
        return size

    before = allocated(gradio_tuning._original_init)
    after = allocated(gradio_tuning._session_init)
    assert after < before / 10, (before, after)


def test_apply_is_idempotent(demo):
    assert gradio_tuning.apply(demo) and gradio_tuning.apply(demo)
    assert SessionState.__init__ is gradio_tuning._session_init
    assert gradio_tuning._original_init is not gradio_tuning._session_init


def test_tables_are_not_walked_for_files_and_files_still_are(demo, tmp_path):
    """A Dataframe value goes out as it is (the walk is skipped); a File output is still
    moved into Gradio's cache and given its URL."""
    import asyncio

    from gradio import processing_utils

    table = next(b for b in demo.blocks.values() if isinstance(b, gr.Dataframe))
    value = table.postprocess([["age", "Age"] + [""] * 7])
    looks_like_a_file = {"meta": {"_type": "gradio.FileData"}, "path": "/etc/passwd"}
    out = asyncio.run(processing_utils.async_move_files_to_cache(
        {"headers": ["a"], "data": [[looks_like_a_file]]}, table, postprocess=True))
    assert out["data"][0][0] is looks_like_a_file          # not touched, not refused
    dumped = asyncio.run(processing_utils.async_move_files_to_cache(value, table, True))
    assert dumped == value.model_dump()

    download = next(b for b in demo.blocks.values() if isinstance(b, gr.File))
    path = tmp_path / "schema.json"
    path.write_text("{}")
    out = asyncio.run(processing_utils.async_move_files_to_cache(
        download.postprocess(str(path)), download, postprocess=True))
    assert out["url"].startswith("/gradio_api/file=") and out["path"] != str(path)


def test_json_values_go_out_as_gradio_sent_them_without_the_walks(demo, tmp_path):
    """gr.JSON's postprocess gives what Gradio's gave (orjson's encoding, numpy arrays too;
    what orjson cannot encode alone still goes Gradio's way), and its value is not walked for
    files."""
    import asyncio
    import datetime

    import numpy as np
    from gradio import processing_utils

    from engine.jobs import start_parse
    from conftest import fixture_path

    assert gr.JSON.postprocess is gradio_tuning._json_postprocess
    original = gradio_tuning._original_json_postprocess
    box = next(b for b in demo.blocks.values() if isinstance(b, gr.JSON))
    descriptor = start_parse(fixture_path("house-prices", "data_description.txt"),
                             "d.txt").descriptor
    odd = {"when": datetime.date(2026, 11, 24), "obj": ValueError("x")}
    for value in (descriptor, [1, "é", None, 2.5], {"a": np.arange(3)}, odd, "[1, 2]", None):
        mine, theirs = box.postprocess(value), original(box, value)
        assert (mine is None) == (theirs is None)
        if mine is not None:
            assert type(mine) is type(theirs) and mine.model_dump() == theirs.model_dump()
    looks_like_a_file = {"meta": {"_type": "gradio.FileData"}, "path": str(tmp_path)}
    value = box.postprocess({"x": [looks_like_a_file]})
    for sent, plain in ((value, value.root), (value.model_dump(), None)):   # (Gradio: both)
        out = asyncio.run(processing_utils.async_move_files_to_cache(sent, box, postprocess=True))
        assert out is (plain or sent)               # not walked: not moved, not refused
        assert out == {"x": [looks_like_a_file]}    # and plain data, as the model dumps it


def test_tables_go_out_as_gradio_sent_them_without_copying_the_rows(demo):
    """gr.Dataframe's postprocess gives what Gradio's gave, for row lists (the rows themselves,
    not copies) and for everything else (Gradio's own path); the walk for files hands the
    same rows on: what Gradio keeps of a streaming step to diff the next one against is the
    table the app sent, not a third copy of it."""
    import asyncio

    import pandas as pd
    from gradio import processing_utils

    assert gr.Dataframe.postprocess is gradio_tuning._dataframe_postprocess
    original = gradio_tuning._original_dataframe_postprocess
    table = next(b for b in demo.blocks.values() if isinstance(b, gr.Dataframe)
                 and b.headers == app.FIELD_ROW_COLUMNS)
    rows = [["age", "Age", "years", "integer", "", "", "0..120", "", "yes"],
            ["sex", "", "", "string", "", "1=M; 2=F", "", "9=Refused", ""]]
    values = [rows, [r[:4] for r in rows], [r + ["more", 1, None] for r in rows], [[]], [],
              None, [("a", 1), ("b", 2)], ["a", "b"], {"headers": ["x"], "data": [[1]]},
              pd.DataFrame({"a": [1, 2], "b": ["x", None]})]
    for value in values:
        mine, theirs = table.postprocess(value), original(table, value)
        assert type(mine) is type(theirs)
        assert mine.model_dump() == theirs.model_dump(), value
    sent = table.postprocess(rows)
    assert sent.data is rows and all(a is b for a, b in zip(sent.data, rows))
    assert sent.headers is not table.headers          # the component's own list stays its own
    out = asyncio.run(processing_utils.async_move_files_to_cache(sent, table, postprocess=True))
    assert out == sent.model_dump() and out["data"] is rows


def test_cheap_processing_runs_in_line_and_the_rest_in_a_thread(demo):
    """gradio.blocks hands preprocess/postprocess and generator creation to
    `anyio.to_thread.run_sync`: the cheap ones now run on the spot, plots and big tables still
    go to a thread."""
    import asyncio

    from gradio import blocks as gradio_blocks

    shim = gradio_blocks.anyio.to_thread
    assert isinstance(gradio_blocks.anyio, gradio_tuning._Inline)
    assert gradio_blocks.anyio.CapacityLimiter is __import__("anyio").CapacityLimiter
    sent = []

    class Threads:
        async def run_sync(self, func, *args, **kwargs):
            sent.append(getattr(func, "__qualname__", func))
            return func(*args)
    shim._real, real = Threads(), shim._real
    try:
        def of(kind):
            return next(b for b in demo.blocks.values() if type(b) is kind)

        async def agen():
            yield 1
        small = [["age"] + [""] * 8] * 10
        big = [["age"] + [""] * 8] * (gradio_tuning.INLINE_TABLE_ROWS + 1)
        calls = [(of(gr.Markdown).postprocess, "**x**"), (of(gr.JSON).postprocess, {"a": 1}),
                 (of(gr.Dataframe).postprocess, small), (of(gr.File).postprocess, None),
                 (of(gr.Checkbox).preprocess, True), (agen,)]
        for func, *args in calls:
            out = asyncio.run(shim.run_sync(func, *args, limiter=None))
            assert sent == [], func
            if func is agen:
                assert inspect.isasyncgen(out)
            else:
                assert out == func(*args)
        asyncio.run(shim.run_sync(of(gr.Dataframe).postprocess, big))
        asyncio.run(shim.run_sync(of(gr.Plot).postprocess, None))
        asyncio.run(shim.run_sync(sorted, [2, 1]))
        assert sent == [of(gr.Dataframe).postprocess.__qualname__, "Plot.postprocess", "sorted"]
    finally:
        shim._real = real


def test_the_login_check_runs_in_line_and_still_guards_an_app_with_a_login(demo, monkeypatch):
    import starlette.concurrency
    from fastapi.testclient import TestClient
    from gradio.routes import App

    import fastapi.dependencies.utils as fastapi_utils

    in_threads = []

    async def run_in_threadpool(func, *args, **kwargs):
        in_threads.append(getattr(func, "__name__", func))
        return func(*args, **kwargs)
    monkeypatch.setattr(fastapi_utils, "run_in_threadpool", run_in_threadpool)
    assert starlette.concurrency.run_in_threadpool is not run_in_threadpool

    demo.max_file_size = None
    open_app = App.create_app(demo)
    assert not open_app.dependency_overrides   # (an override makes FastAPI re-inspect)
    client = TestClient(open_app)
    assert client.get("/config").status_code == 200
    assert client.get("/gradio_api/info").status_code == 200          # an included router
    upload = client.post("/gradio_api/upload", files={"files": ("a.txt", b"x")})
    assert upload.status_code == 200 and upload.json()[0].endswith("a.txt")
    assert "login_check" not in in_threads

    with gr.Blocks() as locked:
        gr.Markdown("secret")
    locked.auth, locked.auth_message, locked.max_file_size = [("ann", "pw")], None, None
    client = TestClient(App.create_app(locked))
    assert client.get("/config").status_code == 401
    assert client.get("/gradio_api/info").status_code == 401
    assert client.post("/login", data={"username": "ann", "password": "pw"}).status_code == 200
    assert client.get("/config").status_code == 200
    assert client.get("/gradio_api/info").status_code == 200
    assert "login_check" not in in_threads


def test_small_downloads_are_served_in_line_and_big_ones_through_threads(demo, tmp_path,
                                                                         monkeypatch):
    """starlette's FileResponse (Gradio's /file= route) under the tuning: a small file is sent
    whole without a worker thread; a big one still goes through threads; ranges and HEAD
    requests are answered as before; a missing file still fails the same way."""
    import asyncio
    import os

    import anyio.to_thread
    import httpx
    from starlette.applications import Starlette
    from starlette.responses import FileResponse
    from starlette.routing import Route

    small = tmp_path / "schema.json"
    small.write_bytes(b'{"fields": []}' * 100)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(gradio_tuning.INLINE_FILE_BYTES + 1))

    async def serve(request):
        return FileResponse(tmp_path / request.path_params["name"])

    app = Starlette(routes=[Route("/f/{name}", serve, methods=["GET", "HEAD"])])
    handed_over = []
    real = anyio.to_thread.run_sync

    async def counting(func, *args, **kwargs):
        handed_over.append(func)
        return await real(func, *args, **kwargs)
    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)

    async def get(path: str, **kw) -> tuple[httpx.Response, int]:
        before = len(handed_over)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                     base_url="http://test") as client:
            response = await client.request(kw.pop("method", "GET"), path, **kw)
        return response, len(handed_over) - before

    async def main():
        whole, threads = await get("/f/schema.json")
        assert whole.status_code == 200 and whole.content == small.read_bytes()
        assert threads == 0
        part, _ = await get("/f/schema.json", headers={"range": "bytes=2-8"})
        assert part.status_code == 206 and part.content == small.read_bytes()[2:9]
        head, _ = await get("/f/schema.json", method="HEAD")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(small.stat().st_size)
        large, threads = await get("/f/big.bin")
        assert large.content == big.read_bytes() and threads > 0
        with pytest.raises(RuntimeError, match="does not exist"):
            await get("/f/missing.json")
    asyncio.run(main())


def test_only_outputs_holding_files_are_walked_for_their_urls(demo):
    """Gradio prefixes the URL of every file in an event's outputs by walking all of them;
    outputs without a file (a fields table, a Table Schema) are now passed over, with the same
    result as Gradio's walk."""
    import copy

    from gradio import processing_utils

    assert processing_utils.add_root_url is gradio_tuning._add_root_url
    table = {"headers": ["name"] * 9, "data": [["x"] * 9 for _ in range(82)], "metadata": None}
    schema = {"fields": [{"name": "age", "categories": [{"value": "1", "label": "a"}]}]}
    download = {"path": "/tmp/d/s.json", "url": "/gradio_api/file=/tmp/d/s.json",
                "meta": {"_type": "gradio.FileData"}, "orig_name": "s.json"}
    nested = {"files": [dict(download)]}
    outputs = ["status", table, schema, download, nested, b"session", None, 3]
    expected = gradio_tuning._original_add_root_url(copy.deepcopy(outputs), "http://h", None)
    out = processing_utils.add_root_url(outputs, "http://h", None)
    assert out == expected
    assert out[1] is table and out[2] is schema               # not walked
    assert out[3]["url"] == "http://h/gradio_api/file=/tmp/d/s.json"
    assert out[4]["files"][0]["url"] == "http://h/gradio_api/file=/tmp/d/s.json"
    config = {"components": [{"props": {"value": dict(download)}}]}   # not a list: as before
    assert processing_utils.add_root_url(config, "http://h", None) == \
        gradio_tuning._original_add_root_url(copy.deepcopy(config), "http://h", None)


def test_hot_routes_are_tried_first_and_every_request_keeps_its_route(demo, monkeypatch):
    """Uploads, queue joins, event streams and downloads are matched after trying a handful
    of routes, not some 75; and a request to any route of the app (each route's own path,
    with each method) is still taken by the same route as in FastAPI's own order."""
    import re

    from fastapi.routing import _IncludedRouter
    from gradio.routes import App

    def flat(routes):
        for r in routes:
            if isinstance(r, _IncludedRouter):
                yield from flat(r.original_router.routes)
            else:
                yield r

    def taken(app, method, path):   # FastAPI's rule: the first route that takes both
        return next((r for r in flat(app.router.routes) if r.path_regex.match(path)
                     and (not getattr(r, "methods", None) or method in r.methods)), None)

    tuned = App.create_app(demo)
    monkeypatch.setattr(gradio_tuning, "hot_routes_first", lambda app: 0)
    plain = App.create_app(demo)
    order = [(r.path, sorted(getattr(r, "methods", None) or ())) for r in flat(tuned.router.routes)]
    at = [order.index((p, [m])) for p, m in gradio_tuning.HOT_ROUTES]
    assert at == list(range(at[0], at[0] + 6)) and at[0] <= 1   # (after /openapi.json)
    assert sorted(map(str, order)) == sorted(
        str((r.path, sorted(getattr(r, "methods", None) or ()))) for r in flat(plain.router.routes))

    def sample(path):   # a request path this route pattern takes
        return re.sub(r"\{[^}:]+:path\}", "tmp/a.csv", re.sub(r"\{[^}:]+\}", "x1", path))
    checked = 0
    for route in flat(plain.router.routes):
        for method in ("GET", "POST", "HEAD", "PUT"):
            path = sample(route.path)
            want, got = taken(plain, method, path), taken(tuned, method, path)
            same = lambda r: r and (r.path, r.name, sorted(getattr(r, "methods", None) or ()))
            assert same(want) == same(got), (method, path)
            checked += want is not None
    assert checked > 60


def test_routes_overlap_only_where_one_request_can_reach_both():
    from fastapi.routing import APIRoute

    def route(path, *methods):
        return APIRoute(path, lambda: None, methods=list(methods) or ["GET"])
    may = gradio_tuning.may_overlap
    assert not may(route("/a/upload", "POST"), route("/a/join", "POST"))
    assert not may(route("/a/file={p:path}"), route("/a/file={p:path}", "HEAD"))
    assert not may(route("/a/file={p:path}"), route("/a/proxy={u:path}"))
    assert not may(route("/a/file={p:path}"), route("/a/file/{p:path}"))
    assert may(route("/a/file={p:path}"), route("/a/{anything:path}"))
    assert may(route("/a/{name}"), route("/a/join"))
    assert not may(route("/a/{name}"), route("/b/join"))
    assert may(route("/a/x", "GET", "POST"), route("/a/x", "POST"))


def test_small_uploads_are_written_in_line_and_big_ones_through_threads(demo, monkeypatch):
    """Gradio's /upload route (the real one): a small file is written to its temporary file
    without a worker thread; a file over INLINE_FILE_BYTES still goes through threads; both
    arrive whole, with the name Gradio gives them; an oversize upload is still refused."""
    import hashlib
    import os

    import starlette.datastructures
    from fastapi.testclient import TestClient
    from gradio.routes import App

    handed_over = []
    real = starlette.datastructures.run_in_threadpool

    async def counting(func, *args, **kwargs):
        handed_over.append(getattr(func, "__name__", func))
        return await real(func, *args, **kwargs)
    monkeypatch.setattr(starlette.datastructures, "run_in_threadpool", counting)
    demo.max_file_size = 3 * gradio_tuning.INLINE_FILE_BYTES
    client = TestClient(App.create_app(demo))
    small = b"name,age\n" + b"ann,41\n" * 3000
    big = os.urandom(gradio_tuning.INLINE_FILE_BYTES + 70_000)
    for data, threads in ((small, False), (big, True)):
        del handed_over[:]
        response = client.post("/gradio_api/upload", files={"files": ("d.csv", data)})
        assert response.status_code == 200, response.text
        (path,) = response.json()
        with open(path, "rb") as f:
            assert hashlib.sha256(f.read()).digest() == hashlib.sha256(data).digest()
        assert bool(handed_over) == threads, handed_over
    too_big = os.urandom(3 * gradio_tuning.INLINE_FILE_BYTES + 1)
    response = client.post("/gradio_api/upload", files={"files": ("d.bin", too_big)})
    assert response.status_code == 413
    demo.max_file_size = None


def test_file_outputs_are_checked_once_for_gradios_two_passes(demo, tmp_path, monkeypatch):
    """Gradio moves every output through its file checks twice (to keep, then to send): a
    File output's path checks now run once, both passes get what Gradio's own move gives,
    and a file Gradio would refuse is still refused."""
    import asyncio
    import copy

    from gradio import processing_utils
    from gradio.data_classes import FileData
    from gradio.exceptions import InvalidPathError
    from gradio.utils import get_upload_folder

    block = next(b for b in demo.blocks.values() if isinstance(b, gr.File))
    folder = Path(get_upload_folder()) / "codebook-downloads" / "test-two-passes"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "d.schema.json", folder / "d.fields.csv"]
    for p in paths:
        p.write_text("{}")
    checks = []
    real_check = processing_utils._check_allowed

    def counting(path, check_in_upload_folder):
        checks.append(path)
        return real_check(path, check_in_upload_folder)
    monkeypatch.setattr(processing_utils, "_check_allowed", counting)

    from gradio.context import LocalContext
    monkeypatch.setattr(demo, "has_launched", True, raising=False)   # (Gradio checks then)

    async def main():
        LocalContext.blocks.set(demo)
        value = block.postprocess([str(p) for p in paths])
        expected = await gradio_tuning._original_move(copy.deepcopy(value.model_dump()),
                                                      block, True)
        del checks[:]
        kept = await processing_utils.async_move_files_to_cache(value.model_dump(), block,
                                                                postprocess=True)
        sent = await processing_utils.async_move_files_to_cache(value, block, postprocess=True)
        assert kept == sent == expected and kept is not sent
        assert len(checks) == 2          # one per file, not two
        outside = FileData(path="/etc/hostname", orig_name="hostname")
        with pytest.raises(InvalidPathError):
            await processing_utils.async_move_files_to_cache(outside, block, postprocess=True)
    asyncio.run(main())


def test_the_queue_keeps_no_event_records_without_the_dashboard(monkeypatch):
    """Launched as the app launches (no monitoring dashboard), the queue records no events and
    never builds its pandas summary of them (after every event, in Gradio's own way), and the
    dashboard's summary route says it is off."""
    import httpx
    from gradio.queueing import Queue
    from gradio_client import Client

    from harness.app_server import free_port

    built = []
    real = Queue._get_df
    monkeypatch.setattr(Queue, "_get_df",
                        staticmethod(lambda records: built.append(len(records)) or real(records)))
    with gr.Blocks() as blocks:
        text, out = gr.Textbox(), gr.Textbox()
        text.submit(lambda s: s.upper(), text, out, api_name="up")
    blocks.queue()
    assert gradio_tuning.apply(blocks)
    blocks.launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=free_port(),
                  enable_monitoring=False, quiet=True)
    try:
        client = Client(blocks.local_url, verbose=False)
        assert [client.predict(s, api_name="/up") for s in "abc"] == ["A", "B", "C"]
        assert built == [] and blocks._queue.event_analytics == {}
        summary = httpx.get(blocks.local_url + "monitoring/summary")
        assert summary.status_code == 403
    finally:
        blocks.close()
