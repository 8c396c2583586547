"""Per-request download directories, and the deleting of those (and of uploads) past their TTL."""

from __future__ import annotations

import logging
import math
import shutil
import threading
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)
SWEEP_SECONDS = 60  # expired downloads and uploads are deleted at most this often


def sweep(root: Path, max_age_s: float, *, files: bool = False,
          keep: Path | None = None) -> None:
    """Delete per-request output directories under `root` older than `max_age_s` (and, with
    `files`, plain files too), except `keep`."""
    if not root.is_dir():
        return
    cutoff = time.time() - max_age_s
    for d in root.iterdir():
        if d == keep:
            continue
        try:
            if d.stat().st_mtime >= cutoff:
                continue
            if d.is_dir():
                shutil.rmtree(d, ignore_errors=True)
            elif files:
                d.unlink()
        except FileNotFoundError:  # another request swept it first
            pass


class Downloads:
    """A new directory under `root` for each request's downloads (`new()`).  Now and then
    (every SWEEP_SECONDS) a thread of its own deletes what has outlived `ttl` there and, when
    given, in `uploads` (Gradio's upload folder: its own cleaning misses some files).  On the
    serving thread, a walk of thousands of entries held up every user."""

    def __init__(self, root: Path, ttl: float, uploads: Path | None = None) -> None:
        self.root, self.ttl, self.uploads = root, ttl, uploads
        self.swept = -math.inf

    def new(self) -> Path:
        """A fresh directory for one request."""
        now = time.monotonic()
        if now - self.swept >= SWEEP_SECONDS:
            self.swept = now
            threading.Thread(target=self.sweep, name="sweep", daemon=True).start()
        d = self.root / uuid.uuid4().hex
        d.mkdir(parents=True)
        return d

    def sweep(self) -> None:
        """Delete what has outlived the TTL (never raises)."""
        try:
            sweep(self.root, self.ttl)
            if self.uploads is not None:
                sweep(self.uploads, self.ttl, files=True, keep=self.root)
        except OSError:
            log.exception("deleting expired uploads and downloads failed")
