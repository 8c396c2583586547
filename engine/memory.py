"""Allocator settings for large-table work.

numpy takes each array above glibc's mmap threshold (128 KiB at start) straight from the OS
and gives it back on free, so every temporary of a million-row column is page-faulted in anew.
glibc raises these thresholds by itself after the first large frees (up to 32 MiB / 64 MiB);
setting them at once to those same values keeps freed blocks for reuse from the first column on.

Arrow allocates from jemalloc where pyarrow has it: mimalloc, its default, commits whole arenas
up front, and the kernel backs them with huge pages it first compacts memory for (the default
THP defrag on madvised memory), so a large share of a read and profile's CPU went to the
kernel (docs/perf/2026-12-07-profile-allocator.md).
"""

from __future__ import annotations

import ctypes

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> None:
    """Set glibc's mmap/trim thresholds to their dynamic maxima (no-op elsewhere), and put
    Arrow on jemalloc."""
    _arrow_on_jemalloc()
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (macOS, musl without mallopt)
        return
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)


def _arrow_on_jemalloc() -> None:
    """Arrow's default memory pool becomes jemalloc (kept as is where pyarrow has none).
    Buffers remember their pool, so arrays made before the switch are freed where they came
    from.  pyarrow is imported here, not at the top: parsing a dictionary never loads it."""
    import pyarrow as pa

    if pa.default_memory_pool().backend_name == "jemalloc":
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:   # a pyarrow built without jemalloc
        pass


def release_free_memory() -> bool:
    """Give the free memory at the top and in the middle of glibc's heaps back to the OS
    (malloc_trim); False where there is no glibc.  The thresholds above keep freed blocks for
    reuse while work goes on; after a burst of users they would hold its high-water mark (the
    app calls this now and then: web.runtime.memory)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)   # ctypes lets go of the GIL for the call: other threads run meanwhile
    return True
