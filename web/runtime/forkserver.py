"""Worker processes made by a small fork server, each with a memory ceiling.

Forking a process that runs threads can copy a lock another thread holds, and the app runs
threads soon after start-up.  So at start-up, before any thread exists, it forks one *fork
server*: a copy of itself, everything already imported, that does nothing but fork workers on
request.  It stays single-threaded, so it may fork at any time: a worker that died, was killed
or was cancelled is replaced in milliseconds, and the pool keeps its size for as long as the
app runs.  Should the fork server itself die, a new one is started with fork+exec (safe with
threads), imports the engine, and carries on.

A worker sets its own ceiling right after the fork: `RLIMIT_DATA` (the private writable memory
the kernel counts since Linux 4.7: the heap, anonymous mappings, thread stacks) at what it
holds then plus `memory_limit` bytes.  An allocation past it fails, Python raises MemoryError,
and the worker says so and exits.  (`RLIMIT_AS` would count address space reserved and never
used: each thread's malloc arena and stack, and pyarrow's thread pool starts many.)

A worker's temporary files (a decompressed upload, say) go to a directory of its own
(`codebook-worker-PID` in the system's temporary directory), which the fork server deletes when
it reaps the worker: a worker killed mid-step (cancelled, too slow, too big) cannot clean up
after itself.

Messages on a worker's socket are pickles after an 8-byte length.  The serving side reads them
on its event loop (`loop.sock_recv_into`), without a thread per step.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import pickle
import resource
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any

_HEADER = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1


class ForkServer:
    """The process that forks the workers (see the module's docstring)."""

    def __init__(self, memory_limit: int = 0) -> None:
        self.memory_limit = max(0, memory_limit)
        self.kind = ""                   # "fork" or "exec": how the running server started
        self._ctl: socket.socket | None = None
        self._pid = 0
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()    # one request at a time on the control socket
        self._workers: set[int] = set()  # spawned and not reaped: their directories to delete

    @property
    def pid(self) -> int:
        return self._pid

    def start(self) -> None:
        """Fork the server now if no other thread runs, else start it with fork+exec."""
        ours, theirs = socket.socketpair()
        if threading.active_count() == 1:
            pid = os.fork()
            if pid == 0:            # the fork server
                ours.close()
                _serve(theirs, self.memory_limit, os.getppid())
            self._pid, self.kind = pid, "fork"
        else:
            self._proc = _exec_server(theirs, self.memory_limit)
            self._pid, self.kind = self._proc.pid, "exec"
        theirs.close()
        self._ctl = ours

    def spawn(self) -> Worker:
        """A new worker (blocking, a few milliseconds; a new server first if it died)."""
        with self._lock:
            try:
                return self._spawn()
            except (OSError, EOFError):
                self._restart()
                return self._spawn()

    def reap(self, pid: int) -> int:
        """Wait for a worker that was killed or is exiting; its wait status (-1: unknown)."""
        with self._lock:
            self._workers.discard(pid)   # the server deletes its directory as it reaps it
            try:
                self._ctl.sendall(b"R" + _HEADER.pack(pid))
                return struct.unpack("!q", _recv_exactly(self._ctl, 8))[0]
            except (OSError, EOFError, AttributeError):
                shutil.rmtree(worker_tempdir(pid), ignore_errors=True)
                return -1

    def close(self) -> None:
        """End the server (its workers end with it: see `_die_with_parent`) and delete the
        temporary directories of the workers it had not reaped."""
        ctl, self._ctl = self._ctl, None
        if ctl is not None:
            ctl.close()
        if self._pid:
            _kill(self._pid)
            _wait_child(self._pid, self._proc)
            self._pid, self._proc = 0, None
        for pid in self._workers:
            shutil.rmtree(worker_tempdir(pid), ignore_errors=True)
        self._workers.clear()

    def _spawn(self) -> Worker:
        if self._ctl is None:
            raise OSError("the fork server is not running")
        ours, theirs = socket.socketpair()
        try:
            socket.send_fds(self._ctl, [b"S"], [theirs.fileno()])
            pid = struct.unpack("!q", _recv_exactly(self._ctl, 8))[0]
        finally:
            theirs.close()
        if pid <= 0:
            ours.close()
            raise OSError("the fork server could not fork a worker")
        ours.setblocking(False)
        self._workers.add(pid)
        return Worker(pid, ours)

    def _restart(self) -> None:
        # (called from the pool's spawner thread, which lives as long as the pool: the new
        # server's parent-death signal follows the thread that started it)
        self.close()
        ours, theirs = socket.socketpair()
        self._proc = _exec_server(theirs, self.memory_limit)
        theirs.close()
        self._ctl, self._pid, self.kind = ours, self._proc.pid, "exec"


class Worker:
    """The serving side of one worker process: its pid and socket."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock

    async def send(self, message: Any) -> None:
        """Send one message (raises OSError when the worker is gone)."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        await asyncio.get_running_loop().sock_sendall(self.sock, _HEADER.pack(len(data)) + data)

    async def receive(self) -> Any:
        """The next message (EOFError when the worker ended first)."""
        loop = asyncio.get_running_loop()
        header = await _read(loop, self.sock, _HEADER.size)
        return pickle.loads(await _read(loop, self.sock, _HEADER.unpack(header)[0]))

    def kill(self) -> None:
        """Kill the process now and close its socket."""
        _kill(self.pid)
        self.sock.close()


async def _read(loop: asyncio.AbstractEventLoop, sock: socket.socket, n: int) -> bytearray:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = await loop.sock_recv_into(sock, view[got:])
        if k == 0:
            raise EOFError("the worker process ended")
        got += k
    return buf


# ---- the fork server's side ----------------------------------------------------------------
def _serve(ctl: socket.socket, memory_limit: int, parent: int) -> None:
    """The fork server's loop: fork a worker per `S` request (its socket passed along), reap
    one per `R` request.  Ends when the serving process does, or closes the control socket."""
    try:
        _die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)    # Ctrl-C is the serving process's
        while True:
            msg, fds, _, _ = socket.recv_fds(ctl, 16, 1)
            if not msg:
                break
            if msg[:1] == b"S" and fds:
                pid = os.fork()
                if pid == 0:
                    ctl.close()
                    _work(socket.socket(fileno=fds[0]), memory_limit, os.getppid())
                for fd in fds:
                    os.close(fd)
                ctl.sendall(struct.pack("!q", pid))
            elif msg[:1] == b"R":
                ctl.sendall(struct.pack("!q", _reap(_HEADER.unpack(msg[1:9])[0])))
    except BaseException:  # noqa: BLE001 - a dying server says why, then exits
        traceback.print_exc()
    os._exit(0)


def _reap(pid: int) -> int:
    """Wait for a worker; its wait status (-1: not a child), its temporary directory deleted."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return -1
    finally:
        shutil.rmtree(worker_tempdir(pid), ignore_errors=True)


def worker_tempdir(pid: int) -> str:
    """Where the worker `pid` keeps its temporary files."""
    return os.path.join(tempfile.gettempdir(), f"codebook-worker-{pid}")


def _own_tempdir() -> None:
    """Temporary files of this worker's steps go to its own directory (deleted when it is
    reaped), not the system's."""
    path = worker_tempdir(os.getpid())
    os.makedirs(path, exist_ok=True)
    tempfile.tempdir = path


def _exec_server(sock: socket.socket, memory_limit: int) -> subprocess.Popen:
    """A fork server started with fork+exec (safe while threads run): it imports the engine
    before it answers (the steps' modules, so that its workers start warm)."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
    return subprocess.Popen([sys.executable, "-m", "web.runtime.forkserver", str(sock.fileno()),
                             str(memory_limit), str(os.getpid())],
                            pass_fds=[sock.fileno()], env=env, cwd=os.getcwd())


# ---- a worker ------------------------------------------------------------------------------
def _work(sock: socket.socket, memory_limit: int, parent: int) -> None:
    """A worker's loop: run each step sent, send back its result, items or error."""
    try:
        _die_with_parent(parent)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        set_memory_ceiling(memory_limit)
        _own_tempdir()
        sock.setblocking(True)
        while True:
            try:
                kind, fn, args = _receive(sock)
            except EOFError:
                break
            if not _run_step(sock, kind, fn, args):
                break
    except BaseException:  # noqa: BLE001
        traceback.print_exc()
    os._exit(0)


def _run_step(sock: socket.socket, kind: str, fn, args) -> bool:
    """Run one step and answer; False when this worker must end (it ran out of memory)."""
    try:
        if kind == "iter":
            for item in fn(*args):
                _send(sock, ("item", item, None))
            _send(sock, ("done", None, None))
        else:
            _send(sock, ("done", fn(*args), None))
        return True
    except MemoryError:
        pass                     # (what it held is freed on leaving the handler)
    except BaseException as exc:  # noqa: BLE001 - every error goes back to the caller
        if _out_of_memory(exc):
            _send(sock, ("memory", None, None))
            return False
        _send(sock, ("error", _portable(exc), traceback.format_exc()))
        return True
    _send(sock, ("memory", None, None))
    return False


def _out_of_memory(exc: BaseException) -> bool:
    """An allocation that failed without a MemoryError (ENOMEM, a C library's message)."""
    if isinstance(exc, OSError) and exc.errno == 12:
        return True
    text = str(exc).lower()
    return any(w in text for w in ("memory allocation failed", "out of memory", "bad_alloc",
                                   "cannot allocate memory"))


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def set_memory_ceiling(limit: int) -> None:
    """Let this process hold at most `limit` bytes of private writable memory more than it
    holds now (0: no ceiling; Linux only)."""
    if limit <= 0:
        return
    now = _vm_data()
    if now is None:
        return
    ceiling = now + limit
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))


def _vm_data() -> int | None:
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _send(sock: socket.socket, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(_HEADER.pack(len(data)) + data)


def _receive(sock: socket.socket) -> Any:
    (n,) = _HEADER.unpack(_recv_exactly(sock, _HEADER.size))
    return pickle.loads(_recv_exactly(sock, n))


def _recv_exactly(sock: socket.socket, n: int) -> bytearray:
    buf = bytearray(n)
    view, got = memoryview(buf), 0
    while got < n:
        k = sock.recv_into(view[got:])
        if k == 0:
            raise EOFError("the other end closed the socket")
        got += k
    return buf


# ---- process plumbing ----------------------------------------------------------------------
def _die_with_parent(parent: int) -> None:
    """Exit when `parent` does, however it ends (a worker blocked on its socket would not
    notice; a worker left behind held 140 MB)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: a watcher thread does it
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:         # the parent ended before prctl took effect
        os._exit(0)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _wait_child(pid: int, proc: subprocess.Popen | None) -> None:
    if proc is not None:
        proc.wait()
        return
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _main(argv: list[str]) -> None:
    """`python -m web.runtime.forkserver FD MEMORY_LIMIT PARENT_PID` (see `_exec_server`)."""
    fd, memory_limit, parent = (int(a) for a in argv)
    _die_with_parent(parent)
    from .warmup import warm_up   # the steps' modules, imported once for all
    warm_up()
    _serve(socket.socket(fileno=fd), memory_limit, parent)


if __name__ == "__main__":
    _main(sys.argv[1:])
