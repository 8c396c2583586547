"""The serving event loop: uvloop, accepting every waiting connection in one turn.

The server runs on uvloop (requirements.txt).  uvloop's
libuv accepts one new connection per turn of the event loop, and under load a turn of this
app's loop takes milliseconds.  A `gradio_client` opens a new connection for every request (an
upload, a queue join, an event stream, each file download), so when a hundred users started
LLM jobs at once, connections waited in the kernel's accept queue (76 deep for 1.5 s, seen with
`ss -ltn`) and every request, a light one as much as the others, waited up to 0.5 s before the
server even read it.  Python's own asyncio loop accepts every waiting connection in one turn,
but it cost this app ~10% more CPU under that load (bench/load.py's burst, same run).

`Loop` is uvloop with the asyncio way of accepting: its `create_server` (for a plain-TCP server)
listens on sockets of its own and accepts on their readiness, up to `backlog` connections per
turn, each handed to the loop with `connect_accepted_socket`.  TLS servers keep uvloop's own.
uvicorn takes it through its documented custom-loop option (web.server):

    uvicorn.Config(app, loop="web.runtime.loop:new_event_loop")

Without uvloop, `new_event_loop` gives asyncio's loop, which needs none of this.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)

try:
    import uvloop
except ImportError:  # uvicorn then runs on asyncio, which accepts all waiting connections
    uvloop = None

ACCEPT_RETRY_SECONDS = 1.0     # out of file descriptors: stop accepting this long (as asyncio)
_OUT_OF_RESOURCES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}


class AcceptAllServer(asyncio.AbstractServer):
    """A listening server on `sockets` that accepts every waiting connection (up to `backlog`)
    each time one is readable; the same interface as the Server asyncio's create_server
    returns (what uvicorn uses of it: sockets, close, wait_closed)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, sockets: Iterable[socket.socket],
                 protocol_factory: Callable[[], asyncio.BaseProtocol], backlog: int) -> None:
        self._loop = loop
        self._sockets: list[socket.socket] | None = list(sockets)
        self._factory = protocol_factory
        self._backlog = max(1, backlog)
        self._serving = False
        self._closed = loop.create_future()
        self._connecting: set[asyncio.Task] = set()   # the loop keeps only weak references

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return tuple(self._sockets or ())

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def is_serving(self) -> bool:
        return self._serving

    async def start_serving(self) -> None:
        if self._serving or self._sockets is None:
            return
        self._serving = True
        for sock in self._sockets:
            sock.listen(self._backlog)
            sock.setblocking(False)
            self._loop.add_reader(sock.fileno(), self._accept, sock)

    async def serve_forever(self) -> None:
        await self.start_serving()
        await asyncio.shield(self._closed)

    def close(self) -> None:
        sockets, self._sockets = self._sockets, None
        if sockets is None:
            return
        self._serving = False
        for sock in sockets:
            self._loop.remove_reader(sock.fileno())
            sock.close()
        if not self._closed.done():
            self._closed.set_result(None)

    async def wait_closed(self) -> None:
        if self._sockets is not None:
            await asyncio.shield(self._closed)

    def _accept(self, sock: socket.socket) -> None:
        for _ in range(self._backlog):
            try:
                conn, _ = sock.accept()
            except (BlockingIOError, InterruptedError):
                return                          # none left waiting
            except ConnectionAbortedError:
                continue                        # gone before we got to it
            except OSError as exc:
                if exc.errno not in _OUT_OF_RESOURCES:
                    raise
                # the socket stays readable: stop watching it for a while, as asyncio does
                log.warning("not accepting connections for %g s: %s", ACCEPT_RETRY_SECONDS, exc)
                self._loop.remove_reader(sock.fileno())
                self._loop.call_later(ACCEPT_RETRY_SECONDS, self._resume, sock)
                return
            task = self._loop.create_task(self._connect(conn))
            self._connecting.add(task)
            task.add_done_callback(self._connecting.discard)

    def _resume(self, sock: socket.socket) -> None:
        if self._serving and self._sockets is not None and sock in self._sockets:
            self._loop.add_reader(sock.fileno(), self._accept, sock)

    async def _connect(self, conn: socket.socket) -> None:
        try:
            conn.setblocking(False)
            if conn.family in (socket.AF_INET, socket.AF_INET6):
                conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            await self._loop.connect_accepted_socket(self._factory, conn)
        except OSError as exc:                  # reset by the client in the meantime
            log.debug("an accepted connection failed: %s", exc)
            conn.close()


def bind_sockets(infos: Iterable[tuple], reuse_address: bool | None = None) -> list[socket.socket]:
    """Bound sockets for getaddrinfo results, set up as asyncio's create_server sets them up."""
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in infos:
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if reuse_address is not False:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                sock.bind(address)
            except OSError as exc:
                raise OSError(exc.errno, f"error while attempting to bind on address "
                                         f"{address!r}: {(exc.strerror or '').lower()}") from None
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


if uvloop is not None:
    class Loop(uvloop.Loop):
        """uvloop, whose plain-TCP servers accept every waiting connection per turn."""

        async def create_server(self, protocol_factory, host=None, port=None, *,
                                family=socket.AF_UNSPEC, flags=socket.AI_PASSIVE, sock=None,
                                backlog=100, ssl=None, reuse_address=None, reuse_port=None,
                                start_serving=True, **kwargs: Any):
            if ssl is not None or reuse_port or kwargs:
                return await super().create_server(
                    protocol_factory, host, port, family=family, flags=flags, sock=sock,
                    backlog=backlog, ssl=ssl, reuse_address=reuse_address,
                    reuse_port=reuse_port, start_serving=start_serving, **kwargs)
            if sock is not None:
                sockets = [sock]
            else:
                hosts = [None] if host in (None, "") else (
                    [host] if isinstance(host, str) else list(host))
                infos: set[tuple] = set()
                for h in hosts:
                    infos.update(await self.getaddrinfo(h, port, family=family,
                                                        type=socket.SOCK_STREAM, flags=flags))
                if not infos:
                    raise OSError(f"getaddrinfo({host!r}) returned an empty list")
                sockets = bind_sockets(infos, reuse_address)
            server = AcceptAllServer(self, sockets, protocol_factory, backlog)
            if start_serving:
                await server.start_serving()
            return server
else:
    Loop = None


def new_event_loop() -> asyncio.AbstractEventLoop:
    """A new serving loop: `Loop`, or asyncio's without uvloop (uvicorn's `loop=` option
    names this function)."""
    return Loop() if Loop is not None else asyncio.new_event_loop()
