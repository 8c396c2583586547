"""The app's process uses the C library's allocator for Python objects (PYTHONMALLOC=malloc).

Python's own small-object allocator takes memory from the OS in 1 MiB arenas and gives an arena
back only when every object in it is gone.  A burst of 100 LLM jobs fills ~170 arenas with
their schemas, messages and buffers; the few objects that outlive the burst (sessions kept for
an hour, connection pools, caches) are scattered over them, so after the load 72 MB lay free
inside arenas that could not be returned (sys._debugmallocstats: 32 MB of free blocks, 41 MB
of empty pools) and the process kept +79 MB of RSS.  glibc's malloc, trimmed every 10 s
(engine.readers.memory), gives back every free page wherever it lies: +37 MB kept, for ~5-10%
more CPU in allocation-heavy steps measured alone (a rule-based parse 5.7 -> 6.3 ms; no
difference measurable under load).

PYTHONMALLOC is read when the interpreter starts, so `use_system_allocator()` restarts it
(same process, same arguments) when it is unset.  An explicit PYTHONMALLOC, of any value, is
left as it is.  Without glibc (no malloc_trim to give pages back) nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import sys


def use_system_allocator() -> bool:
    """Re-execute this interpreter with PYTHONMALLOC=malloc when PYTHONMALLOC is unset and the
    C library can give free pages back; returns False when it did not (it does not return
    otherwise)."""
    if os.environ.get("PYTHONMALLOC") is not None or not _glibc_trims():
        return False
    os.environ["PYTHONMALLOC"] = "malloc"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)
    return True  # pragma: no cover - execv does not return


def _glibc_trims() -> bool:
    try:
        return hasattr(ctypes.CDLL(None), "malloc_trim")
    except OSError:
        return False
