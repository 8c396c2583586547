"""root_urls: outputs without a file (a fields table, a Table Schema) are passed over when
Gradio prefixes its files' URLs, with the same result as Gradio's walk."""

from __future__ import annotations

import copy

from gradio import processing_utils

from harness.patch_checks import applied


def test_only_outputs_holding_files_are_walked_for_their_urls():
    original = processing_utils.add_root_url
    table = {"headers": ["name"] * 9, "data": [["x"] * 9 for _ in range(82)], "metadata": None}
    schema = {"fields": [{"name": "age", "categories": [{"value": "1", "label": "a"}]}]}
    download = {"path": "/tmp/d/s.json", "url": "/gradio_api/file=/tmp/d/s.json",
                "meta": {"_type": "gradio.FileData"}, "orig_name": "s.json"}
    nested = {"files": [dict(download)]}
    outputs = ["status", table, schema, download, nested, b"session", None, 3]
    expected = original(copy.deepcopy(outputs), "http://h", None)
    config = {"components": [{"props": {"value": dict(download)}}]}
    expected_config = original(copy.deepcopy(config), "http://h", None)
    with applied("root_urls"):
        assert processing_utils.add_root_url is not original
        out = processing_utils.add_root_url(outputs, "http://h", None)
        assert out == expected
        assert out[1] is table and out[2] is schema               # not walked
        assert out[3]["url"] == "http://h/gradio_api/file=/tmp/d/s.json"
        assert out[4]["files"][0]["url"] == "http://h/gradio_api/file=/tmp/d/s.json"
        assert processing_utils.add_root_url(config, "http://h", None) == expected_config
    assert processing_utils.add_root_url is original
