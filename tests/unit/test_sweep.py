"""Old uploads and downloads are deleted: our own output folders, and the files Gradio's
delete_cache leaves behind in its upload folder (an empty tmp file per upload, the outputs of
some streamed events)."""

from __future__ import annotations

import os
import time

from web.runtime.sweep import Downloads, sweep


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


def test_the_app_sweeps_in_a_thread_of_its_own(tmp_path, monkeypatch):
    """A request's output directory is made at once; the sweep that now and then comes with it
    runs in another thread (on the serving thread, walking thousands of entries held up every
    user), and still deletes what outlived the TTL, in our folder and Gradio's."""
    import threading

    from web.runtime import sweep as sweeping

    uploads = tmp_path / "gradio"
    uploads.mkdir()
    downloads = Downloads(uploads / "codebook-downloads", 3600, uploads)
    downloads.swept = time.monotonic()           # (no sweep with this one)
    old_out = downloads.new()
    old_upload = uploads / "tmp-old-upload"
    old_upload.write_bytes(b"")
    _age(old_out, 7200)
    _age(old_upload, 7200)
    downloads.swept = float("-inf")

    swept, release, done = [], threading.Event(), threading.Event()
    real = sweeping.sweep

    def sweep_slowly(*args, **kwargs):
        swept.append(threading.current_thread())
        assert release.wait(10), "the test never released the sweep"
        try:
            return real(*args, **kwargs)
        finally:
            if len(swept) == 2:                  # our folder, then Gradio's
                done.set()
    monkeypatch.setattr(sweeping, "sweep", sweep_slowly)
    new_out = downloads.new()                    # returns while the sweep waits
    assert new_out.is_dir() and old_out.exists() and not release.is_set()
    release.set()
    assert done.wait(10), "the sweep did not finish"
    assert not old_out.exists() and not old_upload.exists() and new_out.is_dir()
    assert len(swept) == 2 and threading.current_thread() not in swept
