"""Coverage where it is said: the CLI's stderr, the app's status line and job details."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from harness.fixtures import HALF_READ_FIELDS as READ, fixture_path, half_read_pdf

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def half_read(tmp_path) -> Path:
    return half_read_pdf(tmp_path / "survey_codebook.pdf")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "engine", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_warns_on_stderr_and_exits_0(half_read):
    r = _cli("parse", str(half_read))
    assert r.returncode == 0, r.stderr
    assert [f["name"] for f in json.loads(r.stdout)["fields"]] == [name for name, _ in READ]
    warnings = [ln for ln in r.stderr.splitlines() if ln.startswith("warning: ")]
    assert len(warnings) == 1
    assert "pages 3-4 (of 4) hold no field" in warnings[0] and "--llm" in warnings[0]


def test_cli_is_quiet_about_a_complete_parse():
    r = _cli("parse", str(fixture_path("house-prices", "data_description.txt")))
    assert r.returncode == 0 and "account for" not in r.stderr


@pytest.fixture(scope="module")
def client(app_server):
    return Client(app_server.url, verbose=False)


def test_app_job_details_and_status_carry_coverage(client, tmp_path):
    path = fixture_path("jhu-covid-vaccine-hesitancy", "data_dictionary.csv")
    status, _, _, _, _, job = client.predict(handle_file(str(path)), False,
                                             api_name="/parse_dictionary")
    assert job["coverage"]["share"] > 0.95 and job["coverage"]["low"] is False
    assert "account for" in status
    pdf = half_read_pdf(tmp_path / "survey_codebook.pdf")
    status, table, _, _, _, job = client.predict(handle_file(str(pdf)), False,
                                                 api_name="/parse_dictionary")
    assert len(table["data"]) == len(READ)
    assert job["coverage"]["low"] is True and job["coverage"]["pages_without_fields"] == [3, 4]
    first_line = status.splitlines()[0]
    assert "only" in first_line and "pages 3-4" in first_line and "Refine with LLM" in first_line
