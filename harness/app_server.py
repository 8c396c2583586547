"""Start the real app (python app.py) on a free loopback port, for integration and browser tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .processes import ROOT, free_port, stop_process

__all__ = ["ROOT", "AppServer", "free_port"]


class AppServer:
    """`python app.py` (or another `script` taking the same settings) in a subprocess;
    `.url`, `.stop()`."""

    def __init__(self, env: dict[str, str] | None = None, timeout: float = 90.0,
                 script: Path = ROOT / "app.py"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        full_env = {**os.environ, "CODEBOOK_PORT": str(self.port), "CODEBOOK_HOST": "127.0.0.1",
                    "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1",
                    **(env or {})}
        self.log_path = Path(full_env.get("CODEBOOK_CACHE_DIR", "/tmp")) / f"app-{self.port}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT,
                                     env=full_env, stdout=self._log, stderr=subprocess.STDOUT)
        self._wait(timeout)

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"app exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "gradio_api/info", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"app did not start within {timeout} s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.proc)
        self._log.close()
