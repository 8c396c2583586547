"""A tiny ZIP writer for hostile archives: members of gigabytes written as a few MB, in seconds.

A member's data is a prefix, a chunk repeated `count` times, and a suffix.  The repeated chunk
is deflated once with a full flush after it (which resets the compressor's window), so every
further copy deflates to the same bytes and is written as they are: 2 GiB of `<row/>` costs
about 2 MB on disk and no compression time.  `declared` lets a member's headers lie about its
uncompressed size (a reader must not trust them).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

_CHUNK_TARGET = 1 << 20


@dataclass
class Member:
    """One archive member: prefix + chunk * count + suffix."""

    name: str
    prefix: bytes = b""
    chunk: bytes = b""
    count: int = 0
    suffix: bytes = b""
    declared: int | None = None      # the uncompressed size the headers claim (None: the truth)

    @property
    def size(self) -> int:
        return len(self.prefix) + len(self.chunk) * self.count + len(self.suffix)


def small(name: str, data: bytes | str) -> Member:
    """A member given whole."""
    return Member(name, prefix=data.encode() if isinstance(data, str) else data)


def repeated(name: str, prefix: bytes | str, unit: bytes | str, total: int,
             suffix: bytes | str = b"", declared: int | None = None) -> Member:
    """`unit` repeated until about `total` bytes, between `prefix` and `suffix`."""
    enc = (lambda s: s.encode() if isinstance(s, str) else s)
    unit = enc(unit)
    per_chunk = max(1, _CHUNK_TARGET // len(unit))
    chunk = unit * per_chunk
    return Member(name, enc(prefix), chunk, max(1, total // len(chunk)), enc(suffix), declared)


def write_zip(path: Path, members: list[Member]) -> Path:
    """Write the archive (deflated members, no ZIP64: each member under 4 GiB)."""
    with open(path, "wb") as out:
        central = []
        for m in members:
            offset = out.tell()
            crc, body = _deflated(m)
            size = m.size if m.declared is None else m.declared
            csize = sum(len(b) * n for b, n in body)
            name = m.name.encode()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize,
                                  size, len(name), 0) + name)
            for block, times in body:
                for _ in range(times):
                    out.write(block)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0,
                                       0x21, crc, csize, size, len(name), 0, 0, 0, 0, 0,
                                       offset) + name)
        start = out.tell()
        for c in central:
            out.write(c)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                              out.tell() - start, start, 0))
    return path


def _deflated(m: Member) -> tuple[int, list[tuple[bytes, int]]]:
    """(crc32, [(deflated block, times)]) for a member."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = [(c.compress(m.prefix) + c.flush(zlib.Z_FULL_FLUSH), 1)]
    crc = zlib.crc32(m.prefix)
    if m.count:
        first = c.compress(m.chunk) + c.flush(zlib.Z_FULL_FLUSH)
        again = c.compress(m.chunk) + c.flush(zlib.Z_FULL_FLUSH)
        body.append((first, 1))
        if m.count > 1:
            body.append((again, m.count - 1))
        for _ in range(m.count):
            crc = zlib.crc32(m.chunk, crc)
    body.append((c.compress(m.suffix) + c.flush(), 1))
    return zlib.crc32(m.suffix, crc) & 0xFFFFFFFF, body
