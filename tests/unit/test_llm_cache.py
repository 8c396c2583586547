"""engine.llm.cache.ChunkCache: one I/O thread, bounded SQLite memory, reusable after close."""

from __future__ import annotations

import asyncio
import threading

from engine.llm.cache import ChunkCache


def test_lookups_and_writes_share_one_thread_and_a_small_page_cache(tmp_path):
    cache = ChunkCache(tmp_path / "c", 10**8)
    cache.open()
    seen = set()
    real_set, real_get = cache._set, cache._get_many

    def set_(key, value):
        seen.add(threading.current_thread().name)
        real_set(key, value)

    def get_many(keys):
        seen.add(threading.current_thread().name)
        return real_get(keys)
    cache._set, cache._get_many = set_, get_many

    async def main():
        await asyncio.gather(*[cache.set_soon(f"k{i}", f"v{i}") for i in range(40)])
        found = await asyncio.gather(*[cache.get_many([f"k{i}", "missing"]) for i in range(40)])
        assert found == [{f"k{i}": f"v{i}"} for i in range(40)]
    asyncio.run(main())
    assert len(seen) == 1 and next(iter(seen)).startswith("llm-cache")
    cache.close()


def test_sqlite_holds_little_memory_however_much_is_cached(tmp_path):
    import ctypes

    import _sqlite3
    used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used   # SQLite's own count, all
    used.restype = ctypes.c_int64                                  # connections of the process
    cache = ChunkCache(tmp_path / "c", 10**9)
    cache.open()

    async def main():   # ~9 MB of answers, as a few waves of users would leave
        for wave in range(3):
            keys = [f"k{wave}-{i}" for i in range(1000)]
            await asyncio.gather(*[cache.set_soon(k, "x" * 3000 + k) for k in keys])
            found = await asyncio.gather(*[cache.get_many(keys[j:j + 10])
                                           for j in range(0, 1000, 10)])
            assert sum(len(f) for f in found) == 1000
    asyncio.run(main())
    assert 0 < used() < 2 * 2**20      # the page cache stays bounded (1 MB) and nothing is mapped
    cache.close()


def test_the_cache_opens_again_after_close(tmp_path):
    cache = ChunkCache(tmp_path / "c", 10**8)

    async def roundtrip(key):
        await cache.set_soon(key, "answer")
        return await cache.get_many([key])
    assert asyncio.run(roundtrip("a")) == {"a": "answer"}
    cache.close()
    cache.close()
    assert asyncio.run(roundtrip("b")) == {"b": "answer"}
    assert asyncio.run(cache.get_many(["a"])) == {"a": "answer"}
    cache.close()
