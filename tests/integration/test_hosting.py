"""Hosted as Hugging Face Spaces hosts it: only GRADIO_SERVER_NAME=0.0.0.0 and
GRADIO_SERVER_PORT set (no CODEBOOK_HOST/PORT, no GRADIO_ANALYTICS_ENABLED), `python app.py`
listens on every interface at that port, with Gradio's analytics off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from harness.processes import ROOT, free_port, stop_process

pytestmark = pytest.mark.slow


def _listening(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp writes them) listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:        # 0A: LISTEN
                found.add(address)
    return found


def test_the_app_listens_where_spaces_expects_with_analytics_off(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("CODEBOOK_HOST", "CODEBOOK_PORT", "GRADIO_ANALYTICS_ENABLED")}
    env.update(GRADIO_SERVER_NAME="0.0.0.0", GRADIO_SERVER_PORT=str(port),
               CODEBOOK_CACHE_DIR=str(tmp_path / "cache"),
               GRADIO_TEMP_DIR=str(tmp_path / "gradio"), PYTHONUNBUFFERED="1")
    log = open(tmp_path / "app.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            assert proc.poll() is None, (tmp_path / "app.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=2) as r:
                    config = json.loads(r.read())
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "app.log").read_text()
                time.sleep(0.3)
        assert _listening(port) == {"00000000"}, _listening(port)     # 0.0.0.0, not 127.0.0.1
        assert config["analytics_enabled"] is False
    finally:
        stop_process(proc)
        log.close()
