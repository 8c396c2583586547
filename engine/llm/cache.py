"""The LLM answer cache: one entry per chunk, on disk, shared by every process using the dir.

diskcache keeps entries in SQLite plus files and is safe with several processes and threads on
one disk; `size_limit` bounds it (least recently stored entries are culled).  Each chunk's
answer is stored as soon as it arrives, so a job that fails halfway loses nothing: run again,
it sends only the chunks still missing.  Disk I/O runs in one thread of its own, off the event
loop: one SQLite connection (diskcache opens one per thread, each with a page cache of up to
32 MB and a 64 MB memory map by default: after a burst of users they held tens of MB of the
app's memory; here the page cache is bounded at 1 MB and reads do not map the file: at 4 MB it
filled during the first burst of users and stayed, most of what one of glibc's heaps kept after
it, while 20,000 writes and 5,000 random lookups took the same time either way).
A broken or full cache is treated as a miss, never as a failure of the job.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_ENTRY_DAYS = 90  # answers older than this are dropped even when there is room
_SQLITE = {"sqlite_cache_size": 2**8, "sqlite_mmap_size": 0}   # pages of 4 KiB; no mmap


class ChunkCache:
    """Validated LLM answers keyed by provider, model, prompt version and chunk text."""

    def __init__(self, directory: str | Path, size_limit: int) -> None:
        self.directory = str(directory)
        self.size_limit = size_limit
        self._cache = None
        self._lock = threading.Lock()  # the I/O thread and open() may open it at once
        # its thread starts with the first lookup (not at start-up: the app forks its CPU
        # workers after open(), and forks only without other threads)
        self._io = ThreadPoolExecutor(1, thread_name_prefix="llm-cache")

    @staticmethod
    def key(base_url: str, model: str, prompt_version: str, text: str) -> str:
        """The cache key of one chunk's request."""
        raw = json.dumps([base_url.rstrip("/"), model, prompt_version, text])
        return "chunk:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()

    async def get_many(self, keys: list[str]) -> dict[str, str]:
        """The cached answers among `keys` (one thread hop for the whole job)."""
        return await asyncio.get_running_loop().run_in_executor(self._io, self._get_many, keys)

    def set_soon(self, key: str, value: str) -> asyncio.Future:
        """Start storing one answer in a worker thread now; the future says when it is done.
        The write runs to its end even if nobody awaits it (or the awaiting task is
        cancelled): an answer paid for is never lost."""
        return asyncio.get_running_loop().run_in_executor(self._io, self._set, key, value)

    def open(self) -> None:
        """Open (and on first use create) the cache now; creating it takes about 0.2 s."""
        try:
            self._open()
        except (OSError, sqlite3.Error):
            pass    # a cache that cannot be opened is a miss on every lookup

    def close(self) -> None:
        """Finish pending writes and close the SQLite connections (safe to call twice; the
        cache opens again if used after)."""
        io, self._io = self._io, ThreadPoolExecutor(1, thread_name_prefix="llm-cache")
        with contextlib.suppress(RuntimeError):     # shut down already
            io.submit(self._close_connection).result()
        io.shutdown(wait=True)
        self._close_connection()                    # this thread's, if it has one
        with self._lock:
            self._cache = None

    def _close_connection(self) -> None:
        """Close the calling thread's connection (diskcache has one per thread)."""
        with self._lock:
            cache = self._cache
        if cache is not None:
            cache.close()

    def _open(self):
        with self._lock:
            if self._cache is None:
                import diskcache

                self._cache = diskcache.Cache(self.directory, size_limit=self.size_limit,
                                              **_SQLITE)
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
