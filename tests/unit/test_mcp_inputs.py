"""web.mcp_inputs: what an MCP tool is given for a file, as a local file: uploaded paths (inside
the upload folder only), this app's own file URLs, data: URLs; URLs of this machine or its
network never fetched (downloads from a file server: tests/integration/test_mcp_downloads.py)."""

from __future__ import annotations

import asyncio
import base64
from pathlib import Path

import pytest

from engine.errors import InputError
from web import mcp_inputs
from web.mcp_inputs import Inputs


@pytest.fixture
def inputs(tmp_path):
    uploads = tmp_path / "gradio"
    (uploads / "abc").mkdir(parents=True)
    (uploads / "abc" / "train.csv").write_text("a,b\n1,2\n")
    counter = iter(range(1000))

    def new_dir() -> Path:
        d = uploads / "downloads" / str(next(counter))
        d.mkdir(parents=True)
        return d
    return Inputs(uploads, new_dir, limit=1000)


def get(inputs: Inputs, value: str):
    return asyncio.run(inputs.get(value, "data_file"))


def test_an_uploaded_path_and_its_file_url_are_read_in_place(inputs):
    path = inputs.uploads / "abc" / "train.csv"
    assert get(inputs, str(path)).path == path
    url = "https://codebook.example/gradio_api/file=" + str(path).replace("/", "%2F")
    source = get(inputs, url)       # no download: the app never fetches from itself
    assert (source.path, source.name) == (path, "train.csv")


@pytest.mark.parametrize("value", ["/etc/passwd", "{uploads}/../outside.csv", "{uploads}/abc",
                                   "{uploads}/link.csv", "train.csv"])
def test_paths_outside_the_upload_folder_are_refused(inputs, value):
    outside = inputs.uploads.parent / "outside.csv"
    outside.write_text("secret\n")
    (inputs.uploads / "link.csv").symlink_to(outside)
    with pytest.raises(InputError, match="nor a file uploaded to this app"):
        get(inputs, value.format(uploads=inputs.uploads))


def test_data_urls_base64_or_text_become_files_named_by_their_type(inputs):
    source = get(inputs, "data:text/csv;base64," + base64.b64encode(b"x,y\n1,2\n").decode())
    assert source.name == "data.csv" and source.path.read_bytes() == b"x,y\n1,2\n"
    source = get(inputs, "data:text/plain,age%3A%20age%20in%20years%0A")
    assert source.name == "data.txt" and source.path.read_text() == "age: age in years\n"
    with pytest.raises(InputError, match="larger than the largest file this app accepts"):
        get(inputs, "data:text/plain," + "x" * 1001)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "10.1.2.3", "169.254.169.254",
                                  "[::1]", "100.64.0.1"])
def test_urls_of_this_machine_or_its_network_are_never_fetched(inputs, host):
    with pytest.raises(InputError, match="not a public address"):
        get(inputs, f"http://{host}:8080/data.csv")
