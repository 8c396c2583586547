"""Steps for the worker-pool tests (a module of their own, so a worker can import them)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path


def pid() -> int:
    return os.getpid()


def announce_then_sleep(path: str, seconds: float) -> float:
    """Write this process's id to `path`, then sleep."""
    Path(path).write_text(str(os.getpid()))
    time.sleep(seconds)
    return seconds


def announce_then_grow(path: str, seconds: float) -> int:
    """Write this process's id to `path`, then allocate 10 MB more every 50 ms."""
    Path(path).write_text(str(os.getpid()))
    held, t0 = [], time.monotonic()
    while time.monotonic() - t0 < seconds:
        held.append(bytearray(10 << 20))
        time.sleep(0.05)
    return len(held)


def allocate(megabytes: int, kind: str = "bytes") -> int:
    """Allocate and touch `megabytes` MB (Python bytes, a numpy array or an Arrow array)."""
    n = megabytes * 1_000_000
    if kind == "numpy":
        import numpy as np
        return int(np.ones(n // 8).nbytes)
    if kind == "arrow":
        import numpy as np
        import pyarrow as pa
        return pa.array(np.arange(n // 8, dtype=np.int64)).nbytes
    return len(bytearray(n))


def announcing_items(path: str, n: int, seconds: float):
    """Yield 0..n-1, one every `seconds`, after writing this process's id to `path`."""
    Path(path).write_text(str(os.getpid()))
    for i in range(n):
        yield i
        time.sleep(seconds)


def unpack_then_sleep(path: str, seconds: float) -> float:
    """Make a temporary directory with a file in it (as a decompressed upload is), write its
    path to `path`, then sleep (to be cancelled)."""
    with tempfile.TemporaryDirectory(prefix="codebook-unpacked-") as tmp:
        Path(tmp, "inner.csv").write_text("a,b\n1,2\n")
        Path(path).write_text(tmp)
        time.sleep(seconds)
    return seconds
