"""The LLM answer cache: one entry per chunk, on disk, shared by every process using the dir.

diskcache keeps entries in SQLite plus files and is safe with several processes and threads on
one disk; `size_limit` bounds it (least recently stored entries are culled).  Each chunk's
answer is stored as soon as it arrives, so a job that fails halfway loses nothing: run again,
it sends only the chunks still missing.  Disk I/O runs in a worker thread, off the event loop.
A broken or full cache is treated as a miss, never as a failure of the job.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import threading
from pathlib import Path

_ENTRY_DAYS = 90  # answers older than this are dropped even when there is room


class ChunkCache:
    """Validated LLM answers keyed by provider, model, prompt version and chunk text."""

    def __init__(self, directory: str | Path, size_limit: int) -> None:
        self.directory = str(directory)
        self.size_limit = size_limit
        self._cache = None
        self._lock = threading.Lock()  # two worker threads may open it at once

    @staticmethod
    def key(base_url: str, model: str, prompt_version: str, text: str) -> str:
        """The cache key of one chunk's request."""
        raw = json.dumps([base_url.rstrip("/"), model, prompt_version, text])
        return "chunk:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()

    async def get_many(self, keys: list[str]) -> dict[str, str]:
        """The cached answers among `keys` (one thread hop for the whole job)."""
        return await asyncio.to_thread(self._get_many, keys)

    def set_soon(self, key: str, value: str) -> asyncio.Future:
        """Start storing one answer in a worker thread now; the future says when it is done.
        The write runs to its end even if nobody awaits it (or the awaiting task is
        cancelled): an answer paid for is never lost."""
        return asyncio.get_running_loop().run_in_executor(None, self._set, key, value)

    def open(self) -> None:
        """Open (and on first use create) the cache now; creating it takes about 0.2 s."""
        try:
            self._open()
        except (OSError, sqlite3.Error):
            pass    # a cache that cannot be opened is a miss on every lookup

    def close(self) -> None:
        """Close the SQLite connections (safe to call twice)."""
        with self._lock:
            if self._cache is not None:
                self._cache.close()
                self._cache = None

    def _open(self):
        with self._lock:
            if self._cache is None:
                import diskcache

                self._cache = diskcache.Cache(self.directory, size_limit=self.size_limit)
            return self._cache

    def _get_many(self, keys: list[str]) -> dict[str, str]:
        try:
            cache = self._open()
            found = {k: cache.get(k) for k in keys}
        except (OSError, sqlite3.Error):
            return {}
        return {k: v for k, v in found.items() if isinstance(v, str)}

    def _set(self, key: str, value: str) -> None:
        try:
            self._open().set(key, value, expire=_ENTRY_DAYS * 86400)
        except (OSError, sqlite3.Error):
            pass
