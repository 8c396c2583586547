"""CPU-bound steps in worker processes, so the serving process keeps its interpreter for serving.

The app serves every user from one event loop, and Python runs one thread at a time.  A
rule-based parse of an 80-field dictionary and cutting it into LLM chunks is about 8 ms of pure
Python (it was 18 ms), a profile of a small CSV 50 ms: with a hundred users starting LLM jobs at
once, the serving process spent seconds on them, and every other request (a profile, a page
load) waited that long.  `CpuPool` runs such steps in a few worker processes instead, the
urgent and the small first.

The workers are forked when the app starts, before it has started any thread (forking a
process with threads can copy a held lock), so they begin with everything already imported.
If the pool breaks (a worker killed, e.g. by the out-of-memory killer), the step runs in a
thread of the serving process, as it would without the pool, and the pool is not re-forked.
With `processes=0`, or before `start()`, every step runs in a thread.

    pool = CpuPool(2); pool.start()
    start = await pool.run(start_parse, path, filename, size=os.path.getsize(path))
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import ctypes.util
import heapq
import itertools
import logging
import multiprocessing
import os
import signal
import subprocess
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class CpuPool:
    """A few worker processes for CPU-bound steps, with a thread as the fallback."""

    def __init__(self, processes: int) -> None:
        self.processes = max(0, processes)
        self._executor: concurrent.futures.ProcessPoolExecutor | None = None
        self.broken = False
        # at most `processes` steps are handed to the workers at once; the others wait here,
        # most urgent first (a user waiting for a parse goes before an LLM job's chunking)
        self._free = self.processes
        self._waiting: list[tuple[tuple[int, int], int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def start(self) -> None:
        """Fork the workers now (call before the app starts any thread) and wait until each
        has answered once."""
        if self.processes == 0 or self._executor is not None:
            return
        if threading.active_count() > 1:
            log.warning("CPU workers not started: the process already runs threads, and "
                        "forking it could copy a held lock; CPU-bound steps run in threads")
            return
        self._executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.processes, mp_context=multiprocessing.get_context("fork"),
            initializer=_die_with_parent, initargs=(os.getpid(),))
        # with "fork" the executor starts every worker at the first submit
        for f in [self._executor.submit(_ready) for _ in range(self.processes)]:
            f.result(timeout=60)
        log.info("%d CPU worker processes ready", self.processes)

    @property
    def active(self) -> bool:
        """True when steps go to worker processes."""
        return self._executor is not None and not self.broken

    async def run(self, fn: Callable[..., T], *args: Any, priority: int = 0,
                  size: int = 0) -> T:
        """`fn(*args)` in a worker process (fn and args picklable), else in a thread.  When the
        workers are busy, steps with a lower `priority` number go first, and among those the
        smaller ones (`size`: of the input, in bytes; within a factor of two, first come first
        served): a small dictionary's parse waits for the steps of a hundred big ones no
        longer than one of them, and the big ones hardly wait longer for it."""
        if self.active:
            await self._acquire((priority, max(0, size).bit_length()))
            try:
                return await asyncio.get_running_loop().run_in_executor(self._executor, fn,
                                                                         *args)
            except BrokenProcessPool:
                self.broken = True
                log.error("a CPU worker process died; CPU-bound steps run in threads from now")
            finally:
                self._release()
        return await asyncio.to_thread(fn, *args)

    async def _acquire(self, priority: tuple[int, int]) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._seq), fut))
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self._release()      # handed a worker in the instant we were cancelled
            raise

    def _release(self) -> None:
        while self._waiting:
            _, _, fut = heapq.heappop(self._waiting)
            if not fut.done():
                fut.set_result(None)
                return
        self._free += 1

    def close(self) -> None:
        """Stop the workers (steps run in threads afterwards)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def _ready() -> bool:
    return True


def _die_with_parent(parent: int) -> None:
    """In a worker: exit when the serving process does, however it ends.  A worker blocked
    on its task queue never sees the queue close (its siblings hold the same pipe), so when
    the app was killed its workers lived on, 140 MB each."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the watcher thread below does it
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:         # the parent ended before prctl took effect
        os._exit(0)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


_PR_SET_PDEATHSIG = 1


def stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminate a child process, kill it if it has not ended within `timeout`, and reap it."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
