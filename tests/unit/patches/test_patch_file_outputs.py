"""file_outputs: a File output's path checks run once for Gradio's two passes; both passes get
what Gradio's own move gives, and a file Gradio would refuse is still refused."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path

import gradio as gr
import pytest
from gradio import processing_utils
from gradio.context import LocalContext
from gradio.data_classes import FileData
from gradio.exceptions import InvalidPathError
from gradio.utils import get_upload_folder

from harness.patch_checks import app_demo, applied


def test_file_outputs_are_checked_once_for_gradios_two_passes(monkeypatch):
    demo = app_demo()
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
    monkeypatch.setattr(demo, "has_launched", True, raising=False)   # (Gradio checks then)

    async def main():
        LocalContext.blocks.set(demo)
        value = block.postprocess([str(p) for p in paths])
        expected = await processing_utils.async_move_files_to_cache(
            copy.deepcopy(value.model_dump()), block, True)
        with applied("file_outputs", demo):
            del checks[:]
            kept = await processing_utils.async_move_files_to_cache(value.model_dump(), block,
                                                                    postprocess=True)
            sent = await processing_utils.async_move_files_to_cache(value, block,
                                                                    postprocess=True)
            assert kept == sent == expected and kept is not sent
            assert len(checks) == 2          # one per file, not two
            outside = FileData(path="/etc/hostname", orig_name="hostname")
            with pytest.raises(InvalidPathError):
                await processing_utils.async_move_files_to_cache(outside, block,
                                                                 postprocess=True)
    asyncio.run(main())


def test_file_outputs_are_still_moved_into_the_cache(tmp_path):
    demo = app_demo()
    download = next(b for b in demo.blocks.values() if isinstance(b, gr.File))
    path = tmp_path / "schema.json"
    path.write_text("{}")
    with applied("file_outputs", demo):
        out = asyncio.run(processing_utils.async_move_files_to_cache(
            download.postprocess(str(path)), download, postprocess=True))
    assert out["url"].startswith("/gradio_api/file=") and out["path"] != str(path)
