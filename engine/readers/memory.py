"""Allocator settings for large-table work.

numpy takes each array above glibc's mmap threshold (128 KiB at start) straight from the OS
and gives it back on free, so every temporary of a million-row column is page-faulted in anew;
on small VMs that is a quarter of a profile's CPU time.  glibc raises these thresholds by itself
after the first large frees (up to 32 MiB / 64 MiB); setting them at once to those same values
keeps freed blocks for reuse from the first column on.
"""

from __future__ import annotations

import ctypes

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> None:
    """Set glibc's mmap/trim thresholds to their dynamic maxima (no-op elsewhere)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (macOS, musl without mallopt)
        return
    mallopt(_M_MMAP_THRESHOLD, 32 << 20)
    mallopt(_M_TRIM_THRESHOLD, 64 << 20)
