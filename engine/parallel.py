"""Column-parallel helpers: pyarrow and numpy release the GIL, so threads use every core."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def map_columns(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[fn(x) for x in items]`, run on a pool as wide as the machine; order kept."""
    items = list(items)
    if len(items) <= 1 or cores() == 1:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=min(cores(), len(items))) as pool:
        return list(pool.map(fn, items))
