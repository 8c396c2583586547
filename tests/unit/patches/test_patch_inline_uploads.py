"""inline_uploads: Gradio's /upload route writes a small file without a worker thread and a
big one through threads; both arrive whole, with the names Gradio gives them, and an oversize
upload is still refused."""

from __future__ import annotations

import hashlib
import os

import starlette.datastructures
from fastapi.testclient import TestClient
from gradio.routes import App

from harness.patch_checks import app_demo, applied
from web.patches.inline_uploads import INLINE_FILE_BYTES


def test_small_uploads_are_written_in_line_and_big_ones_through_threads(monkeypatch):
    demo = app_demo()
    handed_over = []
    real = starlette.datastructures.run_in_threadpool

    async def counting(func, *args, **kwargs):
        handed_over.append(getattr(func, "__name__", func))
        return await real(func, *args, **kwargs)
    monkeypatch.setattr(starlette.datastructures, "run_in_threadpool", counting)
    demo.max_file_size = 3 * INLINE_FILE_BYTES
    small = b"name,age\n" + b"ann,41\n" * 3000
    big = os.urandom(INLINE_FILE_BYTES + 70_000)

    def uploads() -> list:
        client = TestClient(App.create_app(demo))
        out = []
        for data in (small, big):
            del handed_over[:]
            response = client.post("/gradio_api/upload", files={"files": ("d.csv", data)})
            (path,) = response.json()
            with open(path, "rb") as f:
                same = hashlib.sha256(f.read()).digest() == hashlib.sha256(data).digest()
            out.append((response.status_code, os.path.basename(path), same,
                        bool(handed_over)))
        too_big = os.urandom(3 * INLINE_FILE_BYTES + 1)
        out.append(client.post("/gradio_api/upload",
                               files={"files": ("d.bin", too_big)}).status_code)
        return out

    plain = uploads()
    with applied("inline_uploads", demo):
        patched = uploads()
    assert plain[:2] == [(200, "d.csv", True, True)] * 2 and plain[2] == 413
    assert patched == [(200, "d.csv", True, False), (200, "d.csv", True, True), 413]
