"""SIMULATOR of an OpenAI-compatible chat-completions server - not a language model.

For tests, benchmarks and trying "Refine with LLM" without an account:

    python -m simulator --port 8001 --latency 2
    OPENAI_BASE_URL=http://127.0.0.1:8001/v1 OPENAI_MODEL=codebook-simulator python app.py

It answers POST /v1/chat/completions (and GET /v1/models) on loopback after a configurable
latency (`2`, `uniform:1,3`, `normal:2,0.5`, `exp:2`), with a concurrency cap (`--max-concurrency`,
beyond it 429 or a queue), a requests-per-minute limit answering 429 with Retry-After, and
injected faults at chosen rates: 500s, timeouts (the answer never comes), dropped connections,
malformed JSON and truncated output.  The answer is a plausible structured reading of the
dictionary text in the request (`NAME: description` lines, code lines, REDCap `{[name] type}`
markers), honouring `response_format` json_schema or json_object.  Every answer names the model
"codebook-simulator".

Counters: GET /stats (requests, calls in flight and their maximum, 429s, faults, per-minute
counts, request times); POST /reset; POST /config (change options while running).
Deterministic faults for tests: a chunk containing `[[sim:500x2]]` fails its first 2 requests
with a 500; kinds are 500, 429, timeout, drop, malformed, truncated; without `xN`, always.
In-process use: `handle = run_in_thread(latency="0.1", max_concurrency=4)`, then
`handle.base_url`, `handle.stats()`, `handle.configure(...)`, `handle.stop()`.  Benchmarks use
`run_in_process(...)` (same handle): a provider does not share the caller's CPU and GIL.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from .answers import answer_fields
from .server import BANNER, MODEL_NAME, SimOptions, create_app

_ROOT = Path(__file__).resolve().parent.parent   # where `python -m simulator` finds it

__all__ = ["BANNER", "MODEL_NAME", "SimOptions", "SimulatorHandle", "answer_fields",
           "create_app", "run_in_process", "run_in_thread"]


class SimulatorHandle:
    """A simulator running in a background thread of this process (`run_in_thread`) or in a
    process of its own (`run_in_process`)."""

    def __init__(self, server: Any, thread: threading.Thread | None, port: int,
                 process: subprocess.Popen | None = None) -> None:
        self._server, self._thread, self._process, self.port = server, thread, process, port
        self.root = f"http://127.0.0.1:{port}"
        self.base_url = self.root + "/v1"

    def stats(self) -> dict[str, Any]:
        """GET /stats."""
        return self._request("GET", "/stats")

    def reset(self) -> None:
        """POST /reset: zero the counters."""
        self._request("POST", "/reset", {})

    def configure(self, **options: Any) -> dict[str, Any]:
        """POST /config: change options (latency, fault rates, ...) while running."""
        return self._request("POST", "/config", options)

    def stop(self) -> None:
        """Shut the server down and wait for its thread or process."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            return
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> "SimulatorHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _request(self, method: str, path: str, payload: Any = None) -> dict[str, Any]:
        data = None if payload is None else json.dumps(payload).encode()
        req = urllib.request.Request(self.root + path, data=data, method=method,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())


def run_in_thread(**options: Any) -> SimulatorHandle:
    """Start a simulator on a free loopback port in a daemon thread (options: SimOptions)."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(SimOptions(**options)), log_level="critical",
                            access_log=False, lifespan="off", timeout_keep_alive=30)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=f"codebook-simulator-{port}")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the simulator did not start")
        time.sleep(0.01)
    return SimulatorHandle(server, thread, port)


def run_in_process(**options: Any) -> SimulatorHandle:
    """Start `python -m simulator` on a free loopback port in a child process (options:
    SimOptions, changed after start-up through POST /config)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tempfile.TemporaryFile()   # a pipe nobody reads could fill up and block it
    process = subprocess.Popen([sys.executable, "-m", "simulator", "--port", str(port)],
                               stdout=log, stderr=log, cwd=_ROOT)
    handle = SimulatorHandle(None, None, port, process)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError("the simulator exited at start-up:\n"
                               + log.read().decode(errors="replace"))
        try:
            handle.stats()
            break
        except OSError:
            if time.monotonic() > deadline:
                handle.stop()
                raise RuntimeError("the simulator did not start within 30 s") from None
            time.sleep(0.05)
    if options:
        handle.configure(**options)
    return handle

