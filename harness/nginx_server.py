"""Debian's nginx on a loopback port, configured from deploy/nginx.conf, for the replica tests.

Everything nginx writes (pid, error log, access log, temp files) stays in one directory the
test owns. The site config is the same file docker-compose mounts: `render_site` swaps only
the upstream `server` lines, the `listen` address and the access log path.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

from .processes import ROOT, free_port, stop_process

SITE_CONF = ROOT / "deploy" / "nginx.conf"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
MISSING_NGINX = ("nginx is not installed, and the replica tests need it (Debian's "
                 "/usr/sbin/nginx): install it with `apt-get install nginx` (as root).")

_SERVER_LINE = re.compile(r"^([ \t]*)server[ \t]+[^\s;]+([ \t][^;\n]*)?;[ \t]*$", re.M)
_UPSTREAM = re.compile(r"^upstream\s+\w+\s*\{.*?^\}", re.M | re.S)
_LISTEN = re.compile(r"^([ \t]*)listen[ \t]+[^;\n]+;", re.M)
_ACCESS_LOG = re.compile(r"^([ \t]*)access_log[ \t]+[^\s;]+([ \t]+\w+)?;", re.M)


def find_nginx() -> str | None:
    """Path of the nginx binary, or None."""
    for name in NGINX_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def render_site(text: str, upstreams: list[str], listen: str, access_log: Path) -> str:
    """deploy/nginx.conf with other replica addresses, listen address and access log path."""
    block = _UPSTREAM.search(text)
    if block is None or not _SERVER_LINE.search(block.group()):
        raise ValueError("expected an `upstream NAME {` block with `server HOST:PORT;` lines")
    seen = []

    def replace(m: re.Match) -> str:
        seen.append(m)  # the first server line becomes all new ones, the others go
        if len(seen) > 1:
            return ""
        return "\n".join(f"{m.group(1)}server {addr}{m.group(2) or ''};" for addr in upstreams)

    upstream = re.sub(r"\n(?=\n)", "", _SERVER_LINE.sub(replace, block.group()))
    text = text[:block.start()] + upstream + text[block.end():]
    text, n_listen = _LISTEN.subn(lambda m: f"{m.group(1)}listen {listen};", text)
    text, n_log = _ACCESS_LOG.subn(
        lambda m: f"{m.group(1)}access_log {access_log}{m.group(2) or ''};", text)
    if (n_listen, n_log) != (1, 1):
        raise ValueError(f"expected one listen and one access_log line, found {n_listen}, {n_log}")
    return text


def main_conf(prefix: Path, site: Path) -> str:
    """A whole nginx.conf that keeps pid, logs and temp files under `prefix`, then the site."""
    temps = "\n".join(f"    {kind}_temp_path {prefix / kind};"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # As root, workers would switch to `nobody`, who cannot enter pytest's private tmp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} info;\n"
            "events { worker_connections 512; }\n"
            f"http {{\n{temps}\n    include {site};\n}}\n")


def write_config(prefix: Path, upstreams: list[str], port: int) -> Path:
    """Render deploy/nginx.conf for loopback replicas into `prefix`; returns the main conf."""
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "codebook.conf"
    site.write_text(render_site(SITE_CONF.read_text(), upstreams, f"127.0.0.1:{port}",
                                prefix / "access.log"))
    conf = prefix / "nginx.conf"
    conf.write_text(main_conf(prefix, site))
    return conf


def check_config(nginx: str, conf: Path) -> str:
    """`nginx -t` on a config; returns its output, raises ValueError with it on failure."""
    prefix = conf.parent
    done = subprocess.run([nginx, "-t", "-p", str(prefix), "-e", str(prefix / "error.log"),
                           "-c", str(conf)], capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise ValueError(f"nginx -t failed:\n{done.stderr}")
    return done.stderr


class NginxServer:
    """nginx in the foreground on a free loopback port before `upstreams`; `.url`, `.stop()`."""

    def __init__(self, nginx: str, prefix: Path, upstreams: list[str], timeout: float = 20.0):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.prefix = prefix
        self.conf = write_config(prefix, upstreams, self.port)
        self.error_log = prefix / "error.log"
        self.access_log = prefix / "access.log"
        check_config(nginx, self.conf)
        self.proc = subprocess.Popen([nginx, "-p", str(prefix), "-e", str(self.error_log),
                                      "-c", str(self.conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self._wait(timeout)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited early:\n{self.errors()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {timeout} s:\n{self.errors()}")

    def errors(self) -> str:
        """The error log (start-up problems, upstream failures)."""
        return self.error_log.read_text(errors="replace") if self.error_log.exists() else ""

    def requests(self) -> list[dict]:
        """Access log entries so far (one JSON object per finished request)."""
        if not self.access_log.exists():
            return []
        lines = self.access_log.read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def stop(self) -> None:
        """Fast shutdown: open event streams would hold a graceful one."""
        stop_process(self.proc)
