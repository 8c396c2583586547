"""Compressed inputs: a .gz, .bz2, .xz or .zst file, or a ZIP archive holding one file, is read
as the file inside.

    with unwrapped(path, filename) as (inner_path, inner_name):
        ...     # the same path and name when the file is not compressed

Told by content (the name is only used to name the file inside).  The file inside is written to
a temporary directory as it is decompressed, its bytes counted: past CODEBOOK_MAX_UNZIPPED_SIZE
the decompression stops and the file is refused, so a bomb never reaches the disk or memory
whole; a ZIP member's declared size is checked before a byte is inflated.  A ZIP archive is
read only when it holds exactly one file (folders and system files such as `__MACOSX/` aside);
with several, the message names them.  Office and OpenDocument files are ZIP packages, not
archives: they are left to their formats.  One level only: a compressed file inside a
compressed file is refused.  zstd is decompressed by pyarrow (no library of its own).
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import lzma
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, Callable, Iterator

from ..errors import EncryptedFile, InputError
from ..limits import current, exceeded, size_text

_CHUNK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_OFFICE_SUFFIXES = (".xlsx", ".xlsm", ".docx", ".ods", ".odt")
# members that are no one's data: Finder and Explorer leave them in archives
_JUNK = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


def _is_bzip2(head: bytes) -> bool:
    return head.startswith(b"BZh") and head[3:4] in b"123456789" and len(head) > 4


# (name, how to recognise it, its suffix, how to open it for reading)
_STREAMS: tuple[tuple[str, Callable[[bytes], bool], str, Callable[[Path], IO[bytes]]], ...] = (
    ("gzip", lambda h: h.startswith(b"\x1f\x8b"), ".gz", lambda p: gzip.open(p, "rb")),
    ("bzip2", _is_bzip2, ".bz2", lambda p: bz2.open(p, "rb")),
    ("xz", lambda h: h.startswith(b"\xfd7zXZ\x00"), ".xz", lambda p: lzma.open(p, "rb")),
    ("zstd", lambda h: h.startswith(b"\x28\xb5\x2f\xfd"), ".zst", lambda p: _zstd_open(p)),
)
_SUFFIXES = {".gz", ".gzip", ".bz2", ".xz", ".zst", ".zstd", ".zip", ".tgz"}


def compression(path: Path, filename: str) -> str | None:
    """'gzip', 'bzip2', 'xz', 'zstd' or 'zip' when the file is one to unwrap, else None."""
    head = _head(path)
    for name, looks, _, _ in _STREAMS:
        if looks(head):
            return name
    if head.startswith(_ZIP_MAGIC) and _is_archive(path, filename):
        return "zip"
    return None


@contextlib.contextmanager
def unwrapped(path: str | Path, filename: str) -> Iterator[tuple[Path, str]]:
    """The file inside a compressed file (decompressed into a temporary directory, removed on
    exit), or the file itself."""
    path = Path(path)
    kind = compression(path, filename)
    if kind is None:
        yield path, filename
        return
    with tempfile.TemporaryDirectory(prefix="codebook-unpacked-") as tmp:
        inner_path, inner_name = _unpack(kind, path, filename, Path(tmp))
        if compression(inner_path, inner_name) is not None:
            raise InputError(f"{filename} holds a compressed file ({inner_name}) inside a "
                             "compressed file. Decompress it once and upload what is inside.")
        yield inner_path, inner_name


def expanded(path: str | Path, filename: str | None = None) -> tuple[str, int]:
    """(name, size) of what a file reads as, from its headers only: the file inside a
    compressed file (its size as the gzip trailer or the ZIP directory declares it, else ten
    times the compressed size, about what text compresses by; a gzip trailer below the file's
    own size has wrapped past 4 GiB), or the file itself."""
    path = Path(path)
    filename = filename or path.name
    size = path.stat().st_size
    try:
        kind = compression(path, filename)
        if kind == "zip":
            with zipfile.ZipFile(path) as zf:
                info = _the_member(zf, filename)
            return PurePosixPath(info.filename).name, info.file_size
        if kind == "gzip":
            with open(path, "rb") as fh:
                fh.seek(-4, 2)
                declared = int.from_bytes(fh.read(4), "little")   # modulo 4 GiB
            return _stream_name(filename), declared if declared >= size else 10 * size
        if kind is not None:
            return _stream_name(filename), 10 * size
    except (InputError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        pass                    # damaged: reading it says so
    return filename, size


def _unpack(kind: str, path: Path, filename: str, tmp: Path) -> tuple[Path, str]:
    """Decompress into `tmp`; (the file written, the name it goes by)."""
    if kind == "zip":
        return _unzip(path, filename, tmp)
    opener = next(o for name, _, _, o in _STREAMS if name == kind)
    inner = _stream_name(filename)
    target = tmp / _safe(inner)
    try:
        with opener(path) as stream:
            _copy_bounded(stream, target, filename)
    except (OSError, EOFError, zlib.error, lzma.LZMAError, ValueError) as exc:
        raise _damaged(filename, kind, exc) from None
    return target, inner


def _stream_name(filename: str) -> str:
    """`data.csv.gz` -> `data.csv`; `data.tgz` -> `data.tar`; a name without the suffix kept."""
    p = PurePosixPath(filename.replace("\\", "/")).name
    suffix = Path(p).suffix.lower()
    if suffix == ".tgz":
        return p[: -len(suffix)] + ".tar"
    return p[: -len(suffix)] if suffix in _SUFFIXES and len(p) > len(suffix) else p


def _zstd_open(path: Path) -> IO[bytes]:
    import pyarrow as pa

    return pa.input_stream(str(path), compression="zstd")


# ---- ZIP --------------------------------------------------------------------------------
def _is_archive(path: Path, filename: str) -> bool:
    """A ZIP that is not an Office or OpenDocument package (nor named as one)."""
    if Path(filename).suffix.lower() in _OFFICE_SUFFIXES:
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False            # damaged: the format readers say so in their words
    return not ({"[Content_Types].xml", "mimetype"} & names
                or any(n.startswith(("xl/", "word/")) for n in names))


def _unzip(path: Path, filename: str, tmp: Path) -> tuple[Path, str]:
    """The archive's one file, decompressed into `tmp`."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = _the_member(zf, filename)
            if info.flag_bits & 0x1:
                raise EncryptedFile(f"{filename}: {info.filename} is password-protected inside "
                                    "the archive. Extract it with its password and upload it.")
            if info.file_size > current().max_unzipped_size:
                raise _too_big(filename, info.filename, info.file_size)
            inner = PurePosixPath(info.filename).name
            target = tmp / _safe(inner)
            with zf.open(info) as stream:
                _copy_bounded(stream, target, filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError,
            zlib.error, lzma.LZMAError, OSError, ValueError, RuntimeError) as exc:
        raise _damaged(filename, "zip", exc) from None
    return target, inner


def _the_member(zf: zipfile.ZipFile, filename: str) -> zipfile.ZipInfo:
    """The one file of the archive; a specific message when it has none or several."""
    files = [i for i in zf.infolist() if not i.is_dir() and not _junk(i.filename)]
    if not files:
        raise InputError(f"{filename} is a ZIP archive with no file in it. Upload the "
                         "dictionary or data file itself.")
    if len(files) > 1:
        names = [i.filename for i in files]
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10
                                          else "")
        raise InputError(f"{filename} is a ZIP archive of {len(names)} files ({shown}): it is "
                         "not clear which one to read. Upload that file on its own, or a ZIP "
                         "archive holding only it.")
    return files[0]


def _junk(name: str) -> bool:
    base = PurePosixPath(name).name
    return name.startswith(_JUNK[0]) or "/__MACOSX/" in name or base in _JUNK or \
        base.startswith("._")


# ---- bounded copy -------------------------------------------------------------------------
def _copy_bounded(stream: IO[bytes], target: Path, filename: str) -> None:
    """Copy the decompressed bytes to `target`, refusing them past the bound."""
    limit = current().max_unzipped_size
    written = 0
    with open(target, "wb") as out:
        while chunk := stream.read(min(_CHUNK, limit - written + 1)):
            written += len(chunk)
            if written > limit:
                raise _too_big(filename)
            out.write(chunk)


def _too_big(filename: str, member: str | None = None, size: int | None = None) -> Exception:
    what = (f"its file {member} unpacks to {size_text(size)}" if member and size
            else "it keeps growing as it is decompressed")
    return exceeded(filename, what, "max_unzipped_size",
                    "A file this inflated is damaged or built to exhaust memory; upload the "
                    "file uncompressed, or only the part you need.")


def _damaged(filename: str, kind: str, exc: BaseException) -> InputError:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return InputError(f"{filename} could not be decompressed as {kind} ({reason}): it is "
                      "damaged or cut short. Compress it again, or upload it uncompressed.")


def _safe(name: str) -> str:
    """A member's base name as a file name in the temporary directory."""
    base = PurePosixPath(name.replace("\\", "/")).name.strip() or "file"
    return base if base not in (".", "..") else "file"


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(8)

