"""Representative hostile files through the real app (gradio_client), each beside a bystander
whose ordinary request must still be answered; the app's and its workers' peak memory stays
bounded."""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from harness.hostile.runner import ROOT, hostile
from harness.hostile.generators import by_name

BYSTANDER = ROOT / "tests" / "fixtures" / "house-prices" / "data_description.txt"
# the app's own peak (Gradio and every engine import: about 300 MB) plus some slack
APP_PEAK_RSS = 1 << 30
# after the hostile files, the serving process holds at most this much more than after an
# ordinary parse (what a refused file read must not leave behind)
APP_KEPT_RSS = 150 << 20


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app in a process of its own, so its peak memory is this module's doing."""
    from harness.app_server import AppServer

    cache = tmp_path_factory.mktemp("hostile-app")
    server = AppServer(env={"CODEBOOK_CACHE_DIR": str(cache), "CODEBOOK_CPU_WORKERS": "2",
                            "GRADIO_TEMP_DIR": str(cache / "gradio")})
    bystander(server.url)       # warm: the first parse imports and caches what the app keeps
    server.rss_before = vm_rss(server.proc.pid)
    yield server
    server.stop()


def bystander(url: str) -> str:
    """An ordinary parse in a session of its own; its status line."""
    status, *_ = Client(url, verbose=False).predict(handle_file(str(BYSTANDER)), False,
                                                   api_name="/parse_dictionary")
    return status


def hostile_call(url: str, kind: str, path: Path):
    client = Client(url, verbose=False)
    if kind == "parse":
        return client.predict(handle_file(str(path)), False, api_name="/parse_dictionary")
    return client.predict(handle_file(str(path)), None, api_name="/profile")


@pytest.mark.parametrize("name", ["yaml-alias-bomb", "docx-huge-document", "xml-entity-bomb",
                                  "xlsx-rows-bomb", "wide-csv", "long-line-dataset"])
def test_hostile_file_gets_its_message_and_the_bystander_its_answer(app, name):
    case = by_name(name)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        attack = pool.submit(hostile_call, app.url, case.kind, hostile(name)[0])
        other = pool.submit(bystander, app.url)
        with pytest.raises(Exception) as info:
            attack.result(timeout=120)
        assert "79 fields" in other.result(timeout=120)
    message = str(info.value)
    assert re.search(case.expect, message), message
    assert "Something went wrong" not in message


def test_mixed_encoding_is_read_with_a_warning(app):
    status, _table, schema, *_rest, job = hostile_call(app.url, "parse",
                                                       hostile("mixed-encoding")[0])
    assert any(re.search(by_name("mixed-encoding").expect, w) for w in job["warnings"])
    labels = " ".join(f.get("description") or f.get("title") or "" for f in schema["fields"])
    assert "Café crème" in labels and "Ã" not in labels


def test_peak_memory_of_the_app_and_its_workers_stays_bounded(app):
    """Runs after the cases above (same module, in order): nothing they did grew a process
    past the bound."""
    peaks = {pid: vm_hwm(pid) for pid in [app.proc.pid, *descendants(app.proc.pid)]}
    assert peaks and max(peaks.values()) < APP_PEAK_RSS, {p: v >> 20 for p, v in peaks.items()}


def test_the_serving_process_gives_back_what_the_hostile_files_took(app):
    """After the cases above, the app's serving process holds about what it held after an
    ordinary parse: the refused files left nothing behind."""
    assert "79 fields" in bystander(app.url)
    kept = vm_rss(app.proc.pid) - app.rss_before
    assert kept < APP_KEPT_RSS, f"{kept >> 20} MB more than before the hostile files"


def descendants(pid: int) -> list[int]:
    out = []
    for child in _children(pid):
        out += [child, *descendants(child)]
    return out


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def vm_hwm(pid: int) -> int:
    """Peak resident memory of a process, in bytes (0 once it has ended)."""
    return _status(pid, "VmHWM:")


def vm_rss(pid: int) -> int:
    """Resident memory of a process now, in bytes (0 once it has ended)."""
    return _status(pid, "VmRSS:")


def _status(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
