"""Old uploads and downloads are deleted: our own output folders, and the files Gradio's
delete_cache leaves behind in its upload folder (an empty tmp file per upload, the outputs of
some streamed events)."""

from __future__ import annotations

import os
import time

from engine.jobs import sweep


def _age(path, seconds):
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_sweep_deletes_what_outlived_the_ttl(tmp_path):
    old_dir, new_dir = tmp_path / "old", tmp_path / "new"
    for d in (old_dir, new_dir):
        d.mkdir()
        (d / "schema.json").write_text("{}")
    old_file, new_file = tmp_path / "tmpabc", tmp_path / "tmpdef"
    old_file.write_bytes(b"")
    new_file.write_bytes(b"")
    _age(old_dir, 7200)
    _age(old_file, 7200)

    sweep(tmp_path, 3600)                       # directories only (our output folders)
    assert not old_dir.exists() and new_dir.exists() and old_file.exists()
    sweep(tmp_path, 3600, files=True)           # Gradio's upload folder: files too
    assert not old_file.exists() and new_file.exists() and new_dir.exists()
    sweep(tmp_path / "missing", 3600, files=True)   # nothing there: nothing to do
    downloads = tmp_path / "codebook-downloads"     # our downloads, inside Gradio's cache
    downloads.mkdir()
    _age(downloads, 7200)
    sweep(tmp_path, 3600, files=True, keep=downloads)
    assert downloads.exists()
