"""Process settings for large-table work: allocators, and numpy's BLAS threads.

numpy takes each array above glibc's mmap threshold (128 KiB at start) straight from the OS
and gives it back on free, so every temporary of a million-row column is page-faulted in anew.
glibc raises these thresholds by itself after the first large frees (up to 32 MiB / 64 MiB);
setting them at once to those same values keeps freed blocks for reuse from the first column on.

Arrow allocates from jemalloc where pyarrow has it: mimalloc, its default, commits whole arenas
up front, and the kernel backs them with huge pages it first compacts memory for (the default
THP defrag on madvised memory), so a large share of a read and profile's CPU went to the
kernel (docs/perf/2026-12-07-profile-allocator.md).

numpy's arrays stay on ordinary 4 KiB pages: numpy asks the kernel for transparent huge pages
(madvise) for every array of 4 MiB and more, and a huge page is zeroed whole when first touched,
which costs the profile's short-lived temporaries, each streamed once, more than the huge pages
save (docs/perf/2026-12-07-profile-speed.md).  `NUMPY_MADVISE_HUGEPAGE`, set in the environment,
is respected.

numpy's OpenBLAS runs one thread: the column work is already spread over the cores by the
engine's own pools, and OpenBLAS's extra threads busy-wait for a while after every call (each
weighted mean is a dot product), taking CPU from those pools.  One thread also makes a dot
product's rounding the same on every machine.
"""

from __future__ import annotations

import ctypes
import functools
import os

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> None:
    """Set glibc's mmap/trim thresholds to their dynamic maxima (no-op elsewhere), put
    Arrow on jemalloc, keep numpy's arrays on small pages and its OpenBLAS to one thread."""
    _arrow_on_jemalloc()
    _blas_single_threaded()
    _numpy_small_pages()
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


@functools.cache
def _numpy_small_pages() -> bool:
    """Stop numpy from asking for huge pages for its large arrays (see the module docstring),
    unless the environment says otherwise; False where this numpy has no such switch."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:   # numpy read it at import: the user's choice
        return False
    from numpy._core import multiarray   # numpy pinned in requirements.txt

    switch = getattr(multiarray, "_set_madvise_hugepage", None)
    if switch is None:
        return False
    switch(False)
    return True


_BLAS_SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                 "openblas_set_num_threads64_", "openblas_set_num_threads")


@functools.cache
def _blas_single_threaded() -> bool:
    """Ask the OpenBLAS loaded in this process (numpy's) for one thread; False where there is
    none to ask (not Linux, or numpy built on another BLAS)."""
    import numpy  # noqa: F401 - loads its BLAS, so that it can be found below

    try:
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "openblas" in line.lower()}
    except OSError:
        return False
    done = False
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        setter = next((getattr(lib, n) for n in _BLAS_SETTERS if hasattr(lib, n)), None)
        if setter is not None:
            setter(1)
            done = True
    return done


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
