"""web.mcp_inputs downloads what an MCP tool is given as a public URL: to a file of its name,
following redirects, bounded in size (declared or not), nothing left behind when refused; a
small file server on loopback stands for the public address."""

from __future__ import annotations

import asyncio
import http.server
import threading
from pathlib import Path

import pytest

from engine.errors import InputError
from web import mcp_inputs
from web.mcp_inputs import Inputs


@pytest.fixture
def inputs(tmp_path):
    uploads = tmp_path / "gradio"
    uploads.mkdir()
    counter = iter(range(1000))

    def new_dir() -> Path:
        d = uploads / "downloads" / str(next(counter))
        d.mkdir(parents=True)
        return d
    return Inputs(uploads, new_dir, limit=1000)


def get(inputs: Inputs, value: str):
    return asyncio.run(inputs.get(value, "data_file"))


class _Files(http.server.BaseHTTPRequestHandler):
    """A small file server: /data.csv, /big.csv (1001 bytes), /undeclared.csv (1001 bytes,
    no Content-Length), /moved (to /data.csv), /missing (404)."""

    def do_GET(self):  # noqa: N802 - the handler's name
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/data.csv")
            self.end_headers()
            return
        bodies = {"/data.csv": b"a,b\n1,2\n", "/big.csv": b"x" * 1001,
                  "/undeclared.csv": b"x" * 1001}
        body = bodies.get(self.path)
        self.send_response(200 if body else 404)
        if self.path != "/undeclared.csv":
            self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, *args):
        pass


@pytest.fixture
def file_server(monkeypatch):
    """The server on loopback, taken for a public address (the only way a test reaches one)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    server.protocol_version = "HTTP/1.0"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    async def pretend_public(host, what):
        assert host == "files.example"
        return "127.0.0.1"
    monkeypatch.setattr(mcp_inputs, "public_address", pretend_public)
    yield f"http://files.example:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_public_url_is_downloaded_to_a_file_of_its_name(inputs, file_server):
    source = get(inputs, file_server + "/data.csv")
    assert source.name == "data.csv" and source.path.read_bytes() == b"a,b\n1,2\n"
    assert source.path.is_relative_to(inputs.uploads / "downloads")
    assert get(inputs, file_server + "/moved").path.read_bytes() == b"a,b\n1,2\n"


@pytest.mark.parametrize("path, message", [
    ("/big.csv", "larger than the largest file this app accepts (1 KB"),
    ("/undeclared.csv", "larger than the largest file this app accepts"),
    ("/missing", "answered HTTP 404"),
])
def test_downloads_past_the_size_limit_or_failing_are_refused(inputs, file_server, path,
                                                              message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        get(inputs, file_server + path)
    leftovers = [p for p in (inputs.uploads / "downloads").rglob("*") if p.is_file()]
    assert leftovers == []
