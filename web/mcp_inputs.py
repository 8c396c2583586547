"""The files an MCP tool is given, as local paths: a file uploaded to this app (its path, or its
`…/gradio_api/file=…` URL), a public http(s) URL (downloaded, bounded in size, never from a
private or loopback address), or the content inline as a `data:` URL.

Gradio-free (the tools' present functions run in worker processes, which import this module's
package without Gradio).
"""

import asyncio
import base64
import binascii
import ipaddress
import mimetypes
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urljoin

import httpx

from engine.errors import InputError
from engine.limits import size_text

MAX_REDIRECTS = 5
FETCH_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
CHUNK_BYTES = 1 << 16
OWN_FILE_ROUTE = "/gradio_api/file="


@dataclass(frozen=True)
class Source:
    """A tool's input file: where it is on this machine, and its name (whose extension tells
    its format)."""

    path: Path
    name: str


class Inputs:
    """Turns what a tool is given for a file into a local file.  `uploads`: Gradio's upload
    folder (what /gradio_api/upload returns lies in it); `new_dir()`: a fresh directory for
    downloads (swept with the app's other downloads); `limit`: the largest file, in bytes."""

    def __init__(self, uploads: Path, new_dir: Callable[[], Path], limit: int) -> None:
        self.uploads, self.new_dir, self.limit = uploads.resolve(), new_dir, limit

    async def get(self, value: str | None, what: str) -> Source:
        """The local file `value` names (`what`: the parameter, for messages)."""
        text = (value or "").strip()
        if not text:
            raise InputError(f"{what} is required: an http(s) URL, a path returned by this "
                             "app's /gradio_api/upload, or a data: URL.")
        if text.startswith("data:"):
            return self._inline(text, what)
        if re.match(r"https?://", text, re.IGNORECASE):
            own = self._own_file(text)
            return own if own is not None else await self._download(text, what)
        local = self._uploaded(text)
        if local is None:
            raise InputError(
                f"{what}: {text!r} is neither an http(s) URL nor a file uploaded to this app. "
                "Upload the file first (POST it to /gradio_api/upload, then pass the path it "
                "returns), give a public URL, or pass its content as a data: URL.")
        return local

    def _uploaded(self, text: str) -> Source | None:
        """A file in the upload folder (a path /gradio_api/upload returned), else None."""
        try:
            path = Path(text).resolve()
        except (OSError, ValueError):
            return None
        if path.is_relative_to(self.uploads) and path.is_file():
            return Source(path, path.name)
        return None

    def _own_file(self, url: str) -> Source | None:
        """A `…/gradio_api/file=PATH` URL of a file in this app's upload folder (read in place:
        the app does not download from itself), else None."""
        path_part = httpx.URL(url).path
        if OWN_FILE_ROUTE not in path_part:
            return None
        return self._uploaded(unquote(path_part.split(OWN_FILE_ROUTE, 1)[1]))

    def _inline(self, text: str, what: str) -> Source:
        """A data: URL's content (base64, or percent-encoded text) written to a file."""
        header, sep, payload = text.partition(",")
        if not sep:
            raise InputError(f"{what}: a data: URL needs a comma before its content.")
        mime = header[5:].split(";")[0].strip() or "text/plain"
        if header.endswith(";base64"):
            if len(payload) * 3 // 4 > self.limit:
                raise self._too_big(what, "the data: URL")
            try:
                data = base64.b64decode(payload, validate=False)
            except (binascii.Error, ValueError):
                raise InputError(f"{what}: the data: URL's base64 content is not valid.") from None
        else:
            data = unquote(payload).encode("utf-8")
        if len(data) > self.limit:
            raise self._too_big(what, "the data: URL")
        name = "data" + (mimetypes.guess_extension(mime) or ".txt")
        path = self.new_dir() / name
        path.write_bytes(data)
        return Source(path, name)

    async def _download(self, url: str, what: str) -> Source:
        """A public URL's file, written to a new directory (redirects followed, each address
        checked; at most `limit` bytes)."""
        for _ in range(MAX_REDIRECTS + 1):
            target = httpx.URL(url)
            address = await public_address(target.host, what)
            async with httpx.AsyncClient(transport=_PinnedTransport(address),
                                         timeout=FETCH_TIMEOUT) as client:
                try:
                    async with client.stream("GET", target) as response:
                        if response.is_redirect and "location" in response.headers:
                            url = urljoin(url, response.headers["location"])
                            continue
                        if response.status_code != 200:
                            raise InputError(f"{what}: {url} answered HTTP "
                                             f"{response.status_code}.")
                        return await self._save(response, target, what)
                except httpx.HTTPError as exc:
                    raise InputError(f"{what}: {url} could not be downloaded "
                                     f"({type(exc).__name__}).") from None
        raise InputError(f"{what}: {url} redirects more than {MAX_REDIRECTS} times.")

    async def _save(self, response: httpx.Response, url: httpx.URL, what: str) -> Source:
        """The response's body in a file named as the URL's last segment (or the server's
        Content-Disposition filename), refused past the limit."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limit:
            raise self._too_big(what, str(url))
        name = _filename(response, url)
        path = self.new_dir() / name
        written = 0
        with path.open("wb") as out:
            async for chunk in response.aiter_bytes(CHUNK_BYTES):
                written += len(chunk)
                if written > self.limit:
                    out.close()
                    path.unlink(missing_ok=True)
                    raise self._too_big(what, str(url))
                out.write(chunk)
        return Source(path, name)

    def _too_big(self, what: str, where: str) -> InputError:
        return InputError(f"{what}: {where} is larger than the largest file this app accepts "
                          f"({size_text(self.limit)}, CODEBOOK_MAX_FILE_SIZE).")


async def public_address(host: str, what: str) -> str:
    """The address to fetch `host` from: every address it resolves to must be public (not
    loopback, private, shared, link-local, multicast or reserved), so that a URL cannot reach
    this machine or its network."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None,
                                                             type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise InputError(f"{what}: the host {host!r} could not be resolved.") from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(_is_public(a) for a in addresses):
        raise InputError(f"{what}: {host!r} is not a public address; this app only downloads "
                         "from public addresses (upload the file instead).")
    return addresses[0]


def _is_public(address: str) -> bool:
    """A globally reachable unicast address (an IPv4 one written as IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """Connects to the address that was checked (not to whatever the name resolves to by the
    time of the request), with the URL's host name kept for the Host header and TLS."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host     # (the Host header was set from it already)
        request.url = request.url.copy_with(host=self.address)
        request.extensions = {**request.extensions, "sni_hostname": host}
        return await super().handle_async_request(request)


def _filename(response: httpx.Response, url: httpx.URL) -> str:
    """A safe file name for a download: Content-Disposition's, else the URL's last segment."""
    match = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?',
                      response.headers.get("content-disposition", ""), re.IGNORECASE)
    raw = unquote(match.group(1)) if match else unquote(url.path.rstrip("/").rsplit("/", 1)[-1])
    name = re.sub(r"[^\w.\- ]+", "_", Path(raw).name).strip(" .")
    return name[:200] or "download"
