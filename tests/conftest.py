"""The test layers and what every test shares.

    tests/unit/         no sockets, no sleeps, no subprocesses (checked here while they run)
    tests/integration/  the simulator, the real app through gradio_client, nginx replicas, CLI
                        subprocesses, worker processes, the benches' quick modes
    tests/browser/      Playwright driving Debian's Chromium

Each test is marked with its layer (`-m unit`, `-m "not browser"`); the helpers they share are
in harness/ (fixtures, fakes, servers, polling with a give-up deadline)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from harness.fixtures import FIXTURES, fixture_path  # noqa: F401  (tests written as `from conftest import`)

TESTS = Path(__file__).resolve().parent
LAYERS = ("unit", "integration", "browser")


def layer_of(path: Path) -> str | None:
    """The layer a test file is in (its folder under tests/), or None."""
    try:
        top = Path(path).resolve().relative_to(TESTS).parts[0]
    except (ValueError, IndexError):
        return None
    return top if top in LAYERS else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its layer."""
    for item in items:
        layer = layer_of(item.path)
        if layer is not None:
            item.add_marker(getattr(pytest.mark, layer))


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """Keep caches and temp files of each test in its own tmp_path; no real provider keys."""
    monkeypatch.setenv("CODEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)


class UnitRuleBroken(AssertionError):
    """A unit test opened a network socket, slept or started a process."""


def _refuse(what: str):
    def refused(*args, **kwargs):
        raise UnitRuleBroken(f"a unit test {what}: it belongs in tests/integration")
    return refused


@pytest.fixture(autouse=True)
def _unit_rules(request, monkeypatch):
    """In tests/unit: no network connections or listening sockets, no time.sleep, no
    subprocesses (an event loop's own socket pair, on AF_UNIX, is allowed)."""
    if layer_of(request.node.path) != "unit":
        yield
        return
    real_connect, real_bind = socket.socket.connect, socket.socket.bind

    def connect(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise UnitRuleBroken(f"a unit test connected to {address!r}")
        return real_connect(sock, address)

    def bind(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            raise UnitRuleBroken(f"a unit test bound a socket to {address!r}")
        return real_bind(sock, address)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "bind", bind)
    monkeypatch.setattr(time, "sleep", _refuse("slept"))
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse("started a subprocess"))
    yield


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The real app running in a subprocess on a free port, shared by the session's tests."""
    from harness.app_server import AppServer

    cache = tmp_path_factory.mktemp("app-cache")
    server = AppServer(env={"CODEBOOK_CACHE_DIR": str(cache),
                            "GRADIO_TEMP_DIR": str(cache / "gradio")})
    yield server
    server.stop()
