"""Small downloads served without worker threads: starlette's FileResponse stats, opens, reads
and closes a file in four thread hand-overs, each waiting for the interpreter lock and a turn
of the busy event loop (a 2 KB download took up to 26 ms under load, and a gradio_client
fetches each output file twice).  A file up to INLINE_FILE_BYTES (downloads this app has just
written, in the page cache: microseconds each) is read in line."""

from __future__ import annotations

import os
from typing import Any, Callable

from ._base import AnyioView, Swaps

WRITTEN_FOR = {"starlette": "1.10.0", "anyio": "4.16.0"}
UPSTREAM = "starlette.responses.FileResponse reading small files without thread hand-overs"
INLINE_FILE_BYTES = 1 << 20


class SyncFile:
    """The part of anyio's AsyncFile that starlette's FileResponse uses, reading in line."""

    __slots__ = ("_file",)

    def __init__(self, file: Any) -> None:
        self._file = file

    async def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    async def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    async def aclose(self) -> None:
        self._file.close()


class InlineFiles(AnyioView):
    """The `anyio` module as starlette.responses sees it: os.stat in line, and a small file
    opened and read in line."""

    def __init__(self, real: Any) -> None:
        super().__init__(real, lambda func, args: func is os.stat)

    async def open_file(self, file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if mode == "rb" and not args and not kwargs:
            try:
                small = os.stat(file).st_size <= INLINE_FILE_BYTES
            except OSError:
                small = False
            if small:
                return SyncFile(open(file, mode))
        return await self._real.open_file(file, mode, *args, **kwargs)


def install() -> Callable[[], None]:
    """Give starlette.responses a view of anyio that reads small files in line."""
    from starlette import responses

    swaps = Swaps()
    swaps.set(responses, "anyio", InlineFiles(responses.anyio))
    return swaps.undo
