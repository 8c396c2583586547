"""CPU-bound steps on uploads in worker processes with a memory ceiling and a time limit, so the
serving process keeps its interpreter, and its memory, for serving.

The app serves every user from one event loop, and Python runs one thread at a time: a rule-
based parse, a profile or an analysis in the serving process holds up every other request, and
a hostile file that needs gigabytes to read takes them from everyone.  `CpuPool` runs such
steps in worker processes (made by a fork server: see `web.runtime.forkserver`) instead:

- `processes` persistent workers take the light steps (small files, chunking, downloads), the
  urgent and the small first;
- a heavy step (a large file, a PDF) runs in a worker of its own, started for it and ended
  after it (its memory goes back to the system), at most `heavy` at once, so a long PDF never
  holds up the light workers;
- a worker that needs more than `memory_limit` bytes, or runs longer than `time_limit`
  seconds, or dies, or whose step is cancelled, is killed and replaced: the step fails with a
  message that says why (`StepTooBig`, `StepTooSlow`, `WorkerDied`), and is never retried in
  the serving process.

With `processes=0` every step runs in a thread of the serving process, heavy ones at most
`heavy` at once (no ceiling then).

    pool = CpuPool(2, heavy=2, memory_limit=3 << 30, time_limit=300); pool.start()
    result = await pool.run(steps.parse_rules, path, name, None, False, True, outdir,
                            size=os.path.getsize(path))
    async for update in pool.stream(steps.stream_rules, path, name, None, False, heavy=True): ...

It is the pipeline's executor in the app (engine.pipeline.Executor: `run` and `stream`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import heapq
import itertools
import logging
import os
import signal
import socket
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, TypeVar

from engine.errors import CodebookError, InputError

from .forkserver import ForkServer, Worker

log = logging.getLogger(__name__)
T = TypeVar("T")


class StepTooBig(InputError):
    """A step needed more memory than a worker may hold."""


class StepTooSlow(InputError):
    """A step ran longer than a worker's time limit."""


class WorkerDied(CodebookError):
    """A step's worker process ended before the step did (killed, crashed)."""


class RemoteTraceback(Exception):
    """The traceback of an error raised in a worker (set as the error's __cause__)."""

    def __str__(self) -> str:
        return self.args[0] if self.args else ""


class CpuPool:
    """Worker processes for CPU-bound steps (see the module's docstring)."""

    def __init__(self, processes: int, *, heavy: int = 2, memory_limit: int = 0,
                 time_limit: float = 0.0) -> None:
        self.processes = max(0, processes)
        self.memory_limit = max(0, memory_limit)
        self.time_limit = max(0.0, time_limit)
        self.server: ForkServer | None = None
        self._slots = [_Slot() for _ in range(self.processes)]
        self._idle = list(self._slots)
        self._light = _Gate(self.processes)
        self._heavy = _Gate(max(1, heavy))
        self._spawner: concurrent.futures.ThreadPoolExecutor | None = None

    # ---- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Start the fork server (forked when no other thread runs yet: call this before the
        app starts any) and the persistent workers, and wait until they are up."""
        if self.processes == 0 or self.server is not None:
            return
        self.server = ForkServer(self.memory_limit)
        self.server.start()
        self._spawner = concurrent.futures.ThreadPoolExecutor(1, "cpu-pool-spawner")
        for slot in self._slots:
            slot.worker = self.server.spawn()
        log.info("%d CPU worker processes ready (fork server %s by %s)", self.processes,
                 self.server.pid, self.server.kind)

    @property
    def active(self) -> bool:
        """True when steps go to worker processes."""
        return self.server is not None

    def worker_pids(self) -> list[int]:
        """The persistent workers' process ids (those up now)."""
        return [s.worker.pid for s in self._slots if s.worker is not None]

    async def wait_ready(self) -> None:
        """Wait until every persistent worker lost so far has been replaced."""
        for slot in self._slots:
            if slot.worker is None:
                await self._worker_of(slot)

    def close(self) -> None:
        """Stop the workers and the fork server (steps run in threads afterwards)."""
        server, self.server = self.server, None
        for slot in self._slots:
            if slot.worker is not None:
                slot.worker.kill()
                slot.worker = None
            slot.pending = None
        if self._spawner is not None:
            self._spawner.shutdown(wait=False, cancel_futures=True)
            self._spawner = None
        if server is not None:
            server.close()

    # ---- steps ---------------------------------------------------------------------------
    async def run(self, fn: Callable[..., T], *args: Any, priority: int = 0, size: int = 0,
                  heavy: bool = False) -> T:
        """`fn(*args)` in a worker process (fn and args picklable).  When the workers are
        busy, steps with a lower `priority` number go first, and among those the smaller ones
        (`size`: of the input, in bytes; within a factor of two, first come first served): a
        small dictionary's parse waits for the steps of a hundred big ones no longer than one
        of them, and the big ones hardly wait longer for it.  `heavy`: in a worker of its own
        (a large file)."""
        gate = self._gate(heavy)
        await gate.acquire(queue_key(priority, size))
        try:
            if not self.active:
                return await asyncio.to_thread(fn, *args)
            async with self._lease(heavy) as lease:
                await lease.worker.send(("call", fn, args))
                return lease.result(*await self._answer(lease.worker, self._deadline()))
        finally:
            gate.release()

    async def stream(self, fn: Callable[..., Any], *args: Any, priority: int = 0,
                     size: int = 0, heavy: bool = False) -> AsyncIterator[Any]:
        """The items of the iterator `fn(*args)` makes, made in a worker process as `run`'s
        steps are; the time limit covers the whole iteration.  Leaving early stops the
        worker."""
        from .threads import stream_in_thread

        gate = self._gate(heavy)
        await gate.acquire(queue_key(priority, size))
        try:
            if not self.active:
                async for item in stream_in_thread(lambda: fn(*args)):
                    yield item
                return
            async with self._lease(heavy) as lease:
                await lease.worker.send(("iter", fn, args))
                deadline = self._deadline()
                while True:
                    kind, value, tb = await self._answer(lease.worker, deadline)
                    if kind != "item":
                        lease.result(kind, value, tb)
                        return
                    yield value
        finally:
            gate.release()

    def _gate(self, heavy: bool) -> _Gate:
        """Heavy steps: at most `heavy` at once; light ones: one per persistent worker (in
        threads, unbounded)."""
        return self._heavy if heavy else self._light if self.active else _Gate(1)

    # ---- workers -------------------------------------------------------------------------
    def _lease(self, heavy: bool) -> _Lease:
        """A worker for one step: a persistent one (light), or one of its own (heavy)."""
        return _Lease(self, None if heavy else self._idle.pop())

    async def _worker_of(self, slot: _Slot) -> Worker:
        """The slot's worker, once its replacement (if one is under way) is up."""
        if slot.worker is None:
            if slot.pending is None or slot.pending.cancelled():
                slot.pending = self._spawner.submit(self.server.spawn)
            pending = slot.pending
            try:
                worker = await asyncio.shield(asyncio.wrap_future(pending))
            except Exception as exc:  # noqa: BLE001
                if slot.pending is pending:
                    slot.pending = None
                raise WorkerDied(f"No worker process could be started ({exc}); please try "
                                 "again.") from exc
            if slot.pending is pending:
                slot.worker, slot.pending = worker, None
        return slot.worker

    async def _own_worker(self) -> Worker:
        """A new worker for one heavy step (killed if the caller is cancelled meanwhile)."""
        pending = self._spawner.submit(self.server.spawn)
        try:
            return await asyncio.shield(asyncio.wrap_future(pending))
        except asyncio.CancelledError:
            pending.add_done_callback(self._retire_unused)
            raise
        except Exception as exc:  # noqa: BLE001
            raise WorkerDied(f"No worker process could be started ({exc}); please try "
                             "again.") from exc

    def _retire_unused(self, pending: concurrent.futures.Future) -> None:
        if not pending.cancelled() and pending.exception() is None:
            self._retire(pending.result())

    def _retire(self, worker: Worker) -> concurrent.futures.Future | None:
        """Kill a worker and have the fork server reap it; the future gives its wait status."""
        worker.kill()
        if self._spawner is None or self.server is None:
            return None
        return self._spawner.submit(self.server.reap, worker.pid)

    def _replace(self, slot: _Slot) -> concurrent.futures.Future | None:
        """Kill the slot's worker and start its replacement (the pool keeps its size)."""
        worker, slot.worker = slot.worker, None
        reaped = self._retire(worker) if worker is not None else None
        if self._spawner is not None and self.server is not None:
            slot.pending = self._spawner.submit(self.server.spawn)
        return reaped

    def _deadline(self) -> float | None:
        return asyncio.get_running_loop().time() + self.time_limit if self.time_limit else None

    async def _answer(self, worker: Worker, deadline: float | None) -> tuple:
        """The worker's next message; StepTooSlow past the deadline."""
        try:
            async with asyncio.timeout_at(deadline):
                return await worker.receive()
        except TimeoutError:
            log.warning("a step ran longer than %g s: its worker is replaced", self.time_limit)
            raise StepTooSlow(
                f"Reading this file took longer than {self.time_limit:g} s, the time limit "
                "per file on this server, and was stopped. (The limit is "
                "CODEBOOK_WORKER_TIMEOUT.)") from None


class _Lease:
    """`async with`: a worker for one step.  On the way out, a worker whose step did not end
    with an answer (its process died, the step was cancelled or ran out of time, a stream's
    consumer left) or ran out of memory is killed and replaced; a heavy step's worker always
    ends with the step."""

    def __init__(self, pool: CpuPool, slot: _Slot | None) -> None:
        self.pool, self.slot = pool, slot
        self.worker: Worker | None = None
        self.answered = False            # the step ended with an answer (a result or error)
        self.exits = False               # ... after which the worker exits

    async def __aenter__(self) -> _Lease:
        try:
            if self.slot is None:
                self.worker = await self.pool._own_worker()
                return self
            self.worker = await self.pool._worker_of(self.slot)
            if not _alive(self.worker):       # died while idle: the step is not started yet
                self.pool._replace(self.slot)
                self.worker = await self.pool._worker_of(self.slot)
            return self
        except BaseException:
            self._give_back()
            raise

    def result(self, kind: str, value: Any, tb: str | None) -> Any:
        """The step's result from the worker's final answer, or its error raised."""
        self.answered = True
        if kind == "done":
            return value
        if kind == "memory":
            self.exits = True
            mb = self.pool.memory_limit / 1e6
            log.warning("a step needed more than %.0f MB: its worker is replaced", mb)
            raise StepTooBig(f"This file needed more than {mb:,.0f} MB of memory to read, "
                             "more than one file may use on this server; it was not read. "
                             "(The limit is CODEBOOK_WORKER_MEMORY.)")
        value.__cause__ = RemoteTraceback(tb or "")
        raise value

    async def __aexit__(self, kind, exc, tb) -> None:
        reaped = None
        if self.slot is None:
            if self.worker is not None:
                reaped = self.pool._retire(self.worker)
        elif not self.answered or self.exits:
            reaped = self.pool._replace(self.slot)
        self._give_back()
        if isinstance(exc, (EOFError, ConnectionError)):
            message = await _death_message(reaped)
            log.warning("a CPU worker died during a step, and is replaced: %s", message)
            raise WorkerDied(message) from None

    def _give_back(self) -> None:
        if self.slot is not None:
            self.pool._idle.append(self.slot)
            self.slot = None


def _alive(worker: Worker) -> bool:
    """False when the worker's process has ended (its socket reads end-of-file)."""
    try:
        return worker.sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:        # nothing to read: alive and waiting
        return True
    except OSError:
        return False


async def _death_message(reaped: concurrent.futures.Future | None) -> str:
    """Why a worker ended, for the user, from its wait status."""
    status = -1
    if reaped is not None:
        try:
            status = await asyncio.wrap_future(reaped)
        except Exception:  # noqa: BLE001
            pass
    how = "reason unknown"
    if status >= 0 and os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else sig
        how = (f"killed by {name}, e.g. by the system when memory ran out"
               if sig == signal.SIGKILL else f"it crashed with {name}")
    elif status >= 0 and os.WIFEXITED(status):
        how = f"exit status {os.WEXITSTATUS(status)}"
    return (f"The process reading this file stopped unexpectedly ({how}); the file was not "
            "read. Please try again; if it happens again, the file may be too large or "
            "damaged.")


@dataclass
class _Slot:
    """A persistent worker's place in the pool: the worker, or its replacement under way."""

    worker: Worker | None = None
    pending: concurrent.futures.Future | None = None


def queue_key(priority: int, size: int) -> tuple[int, int]:
    """The order of waiting steps: priority, then size within a factor of two."""
    return priority, max(0, size).bit_length()


class _Gate:
    """At most `count` holders; waiters go in (priority, arrival) order."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._waiting: list[tuple[tuple[int, int], int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    async def acquire(self, priority: tuple[int, int]) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._seq), fut))
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()      # handed a place in the instant we were cancelled
            raise

    def release(self) -> None:
        while self._waiting:
            _, _, fut = heapq.heappop(self._waiting)
            if not fut.done():
                fut.set_result(None)
                return
        self._free += 1

