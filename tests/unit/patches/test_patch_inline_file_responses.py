"""inline_file_responses: starlette's FileResponse (Gradio's /file= route) sends a small file
whole without a worker thread; a big one still goes through threads; ranges, HEAD requests and
a missing file are answered as without the patch."""

from __future__ import annotations

import asyncio
import os

import anyio.to_thread
import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import FileResponse
from starlette.routing import Route

from harness.patch_checks import applied
from web.patches.inline_file_responses import INLINE_FILE_BYTES


def test_small_downloads_are_served_in_line_and_big_ones_through_threads(tmp_path,
                                                                         monkeypatch):
    small = tmp_path / "schema.json"
    small.write_bytes(b'{"fields": []}' * 100)
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(INLINE_FILE_BYTES + 1))

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

    async def answers() -> list:
        """(status, body, length header) of each request, and whether threads were used."""
        out = []
        for path, kw in (("/f/schema.json", {}), ("/f/schema.json",
                                                   {"headers": {"range": "bytes=2-8"}}),
                         ("/f/schema.json", {"method": "HEAD"}), ("/f/big.bin", {})):
            response, threads = await get(path, **kw)
            out.append((response.status_code, response.content,
                        response.headers["content-length"], threads > 0))
        with pytest.raises(RuntimeError, match="does not exist"):
            await get("/f/missing.json")
        return out

    plain = asyncio.run(answers())
    with applied("inline_file_responses"):
        patched = asyncio.run(answers())
    assert [a[:3] for a in patched] == [a[:3] for a in plain]
    assert plain[0][1] == small.read_bytes() and plain[1][0] == 206
    assert [a[3] for a in patched] == [False, False, False, True]   # small: no thread
    assert plain[0][3]                                                 # (it used them)
