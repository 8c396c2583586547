"""Shared test helpers: fixture paths and an isolated environment for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_path(*parts: str) -> Path:
    """Path of a file under tests/fixtures (fails loudly when missing)."""
    p = FIXTURES.joinpath(*parts)
    assert p.exists(), f"missing test fixture {p}"
    return p


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path, monkeypatch):
    """Keep caches and temp files of each test in its own tmp_path; no real provider keys."""
    monkeypatch.setenv("CODEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The real app running in a subprocess on a free port, shared by the session's tests."""
    from harness.app_server import AppServer

    cache = tmp_path_factory.mktemp("app-cache")
    server = AppServer(env={"CODEBOOK_CACHE_DIR": str(cache),
                            "GRADIO_TEMP_DIR": str(cache / "gradio")})
    yield server
    server.stop()
