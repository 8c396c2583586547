"""Small uploads written to their temporary file in line: starlette's UploadFile writes every
piece of an upload through a worker-thread hand-over.  Up to INLINE_FILE_BYTES (into the page
cache, microseconds) they are written on the spot."""

from __future__ import annotations

from typing import Any, Callable

from ._base import Swaps

WRITTEN_FOR = {"gradio": "6.31.0", "starlette": "1.10.0"}
UPSTREAM = "starlette.datastructures.UploadFile writing small in-memory pieces without a thread"
INLINE_FILE_BYTES = 1 << 20


def install() -> Callable[[], None]:
    """Swap GradioUploadFile's write and seek; returns the undo."""
    from gradio.route_utils import GradioUploadFile

    swaps = Swaps()
    original_write, original_seek = GradioUploadFile.write, GradioUploadFile.seek

    async def write(self: Any, data: bytes) -> None:
        if self.size is not None and self.size + len(data) <= INLINE_FILE_BYTES:
            self.size += len(data)
            self.file.write(data)
        else:
            await original_write(self, data)

    async def seek(self: Any, offset: int) -> None:
        if self.size is not None and self.size <= INLINE_FILE_BYTES:
            self.file.seek(offset)
        else:
            await original_seek(self, offset)

    swaps.set(GradioUploadFile, "write", write)
    swaps.set(GradioUploadFile, "seek", seek)
    return swaps.undo
