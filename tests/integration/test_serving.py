"""web.runtime.loop: uvloop accepting every waiting connection in one turn of the loop."""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from engine.llm.clock import VirtualClock
from harness.waiting import wait_until, wait_until_async
from web.runtime import loop as serving

uvloop = pytest.importorskip("uvloop")   # a pinned requirement: present wherever tests run

CLIENT = """
import socket, sys
conns = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(int(sys.argv[2]))]
print("connected", flush=True)
sys.stdin.read()
"""


class Counted(asyncio.Protocol):
    """Records the loop turn each connection is made in, and the connection's TCP_NODELAY."""

    def __init__(self, turns: list[int], made: list[tuple[int, int]]) -> None:
        self.turns, self.made = turns, made

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")
        self.made.append((self.turns[0], sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)))
        transport.close()


def accept_burst(loop_class: type, n: int = 60) -> list[tuple[int, int]]:
    """Connect n clients at once to a server on a loop whose every turn takes 10 ms (a busy
    serving loop); return (turn, TCP_NODELAY) of each connection the server made."""
    turns, made = [0], []

    async def main() -> None:
        loop = asyncio.get_running_loop()

        def turn() -> None:                     # one call per turn of the loop
            turns[0] += 1
            end = time.perf_counter() + 0.010
            while time.perf_counter() < end:
                pass
            loop.call_soon(turn)

        server = await loop.create_server(lambda: Counted(turns, made), "127.0.0.1", 0,
                                          backlog=2048)
        port = server.sockets[0].getsockname()[1]
        client = subprocess.Popen([sys.executable, "-c", CLIENT, str(port), str(n)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert client.stdout.readline().strip() == "connected"   # all in the accept queue
            loop.call_soon(turn)
            await wait_until_async(lambda: len(made) >= n, f"{n} connections", every=0)
        finally:
            client.stdin.close()
            client.wait(10)
            server.close()
            await server.wait_closed()

    with asyncio.Runner(loop_factory=loop_class) as runner:
        runner.run(main())
    return made


def test_every_waiting_connection_is_accepted_in_one_turn() -> None:
    n = 60
    made = accept_burst(serving.Loop, n)
    assert len(made) == n
    first, last = made[0][0], made[-1][0]
    assert last - first <= 3, f"connections made over {last - first} turns"
    assert all(nodelay for _, nodelay in made)      # small SSE messages are not held back


def test_plain_uvloop_accepts_one_connection_per_turn() -> None:
    """Why web.runtime.loop exists: when this fails, uvloop accepts like asyncio again and the
    module can go (check when upgrading uvloop)."""
    n = 60
    made = accept_burst(uvloop.Loop, n)
    assert len(made) == n
    assert made[-1][0] - made[0][0] >= n // 2


def test_tls_servers_keep_uvloops_own() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        server = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0, ssl=context)
        plain = await loop.create_server(asyncio.Protocol, "127.0.0.1", 0)
        try:
            assert not isinstance(server, serving.AcceptAllServer)
            assert isinstance(plain, serving.AcceptAllServer)
        finally:
            for s in (server, plain):
                s.close()
                await s.wait_closed()

    with asyncio.Runner(loop_factory=serving.Loop) as runner:
        runner.run(main())


def test_bind_error_names_the_address() -> None:
    taken = socket.create_server(("127.0.0.1", 0))
    port = taken.getsockname()[1]

    async def main() -> None:
        await asyncio.get_running_loop().create_server(asyncio.Protocol, "127.0.0.1", port)

    try:
        with asyncio.Runner(loop_factory=serving.Loop) as runner, \
                pytest.raises(OSError, match=f"127.0.0.1', {port}") as info:
            runner.run(main())
        assert info.value.errno == errno.EADDRINUSE
    finally:
        taken.close()


class Exhausted:
    """A listening socket whose accept fails as a process out of file descriptors does; records
    the (virtual) time of every accept."""

    def __init__(self, real: socket.socket, clock: VirtualClock) -> None:
        self.real, self.clock, self.accepts = real, clock, []

    def fileno(self) -> int:
        return self.real.fileno()

    def listen(self, backlog: int) -> None:
        self.real.listen(backlog)

    def setblocking(self, flag: bool) -> None:
        self.real.setblocking(flag)

    def close(self) -> None:
        self.real.close()

    def accept(self):
        self.accepts.append(self.clock.now())
        raise OSError(errno.EMFILE, "Too many open files")


def test_out_of_file_descriptors_pauses_accepting_then_resumes() -> None:
    """On virtual time: the first attempt when a connection waits, then one attempt every
    ACCEPT_RETRY_SECONDS (the socket stays readable: no spinning on it meanwhile)."""
    clock = VirtualClock()
    retry = serving.ACCEPT_RETRY_SECONDS

    async def main() -> list[float]:
        loop = asyncio.get_running_loop()
        sock = Exhausted(socket.create_server(("127.0.0.1", 0)), clock)
        server = serving.AcceptAllServer(loop, [sock], asyncio.Protocol, 16)
        await server.start_serving()
        try:
            with socket.create_connection(sock.real.getsockname()):   # makes it readable
                await asyncio.sleep(3.5 * retry)
        finally:
            server.close()
        return sock.accepts

    accepts = clock.run(main())
    assert accepts == pytest.approx([0.0, retry, 2 * retry, 3 * retry])


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_uvicorn_serves_through_it_and_gives_every_descriptor_back() -> None:
    """Through uvicorn's own custom-loop option, as web.server configures it."""
    import uvicorn

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning",
                                           loop="web.runtime.loop:new_event_loop"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, "uvicorn to start", give_up=20)
    assert isinstance(server.servers[0], serving.AcceptAllServer)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/"
    try:
        urllib.request.urlopen(url, timeout=10).read()
        before = fds()
        results: list[bytes] = []

        def get() -> None:
            for _ in range(10):
                results.append(urllib.request.urlopen(url, timeout=10).read())

        workers = [threading.Thread(target=get) for _ in range(10)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(30)
        assert results == [b"ok"] * 100
        wait_until(lambda: fds() <= before, "every descriptor given back", give_up=10)
    finally:
        server.should_exit = True
        thread.join(20)
    assert not thread.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
