"""Shared by the patch tests (tests/unit/patches, tests/integration/patches) and test_server:
the app's Blocks, one patch applied for a test, the app served in this process (uvicorn in a
thread) and a fixed set of requests whose responses are compared with and without patches."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx

from harness.fixtures import FIXTURES
from harness.waiting import wait_until



def app_demo(settings=None):
    """The app's Blocks, queued as the server queues them (not served)."""
    import app
    from engine.settings import Settings
    from web.server import configure_queue

    settings = settings or Settings(cpu_workers=0)
    return configure_queue(app.build_demo(settings), settings)


@contextlib.contextmanager
def applied(name: str, demo=None, app=None) -> Iterator[list[str]]:
    """Patch `name` applied (to `demo` and `app` when given) for a `with` block, then undone."""
    from web import patches

    patches.uninstall()
    try:
        yield patches.apply(demo, app, name) if demo is not None or app is not None else \
            _install_only(name)
    finally:
        patches.uninstall()


def _install_only(name: str) -> list[str]:
    """The process-wide part of a patch, alone (its gate checked)."""
    from web import patches
    from web.patches._base import version_mismatch

    patch = patches.module(name)
    assert version_mismatch(patch.WRITTEN_FOR) is None, patch.WRITTEN_FOR
    patches._installed[name] = patch.install()
    return [name]


@dataclass
class Served:
    """An app served in this process."""

    url: str
    demo: Any


@contextlib.contextmanager
def served(patch_setting: str, tmp_path: Path) -> Iterator[Served]:
    """The whole app (threads for its steps) served by uvicorn in a thread of this process
    with CODEBOOK_PATCHES=`patch_setting`."""
    import uvicorn

    from engine.settings import Settings
    from harness.processes import free_port
    from web import patches
    from web.server import create_app, uvicorn_config

    patches.uninstall()
    settings = Settings(cpu_workers=0, patches=patch_setting, cache_dir=str(tmp_path / "c"),
                        port=free_port())
    demo = app_demo(settings)
    fastapi_app = create_app(demo, settings)
    server = uvicorn.Server(uvicorn_config(fastapi_app, settings, host="127.0.0.1"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), "the app to start", 60)
    assert server.started, "the app did not start"
    try:
        yield Served(f"http://127.0.0.1:{settings.port}/", demo)
    finally:
        server.should_exit = server.force_exit = True    # (event streams may be open)
        thread.join(30)
        patches.uninstall()


_TIMES = re.compile(r"\d+\.\d+ s\b|\"seconds\": [0-9.e-]+")


def responses(url: str) -> dict[str, Any]:
    """What a fixed set of requests gets (made comparable: no timings, file paths replaced by
    their names and contents)."""
    from gradio_client import Client, handle_file

    client = Client(url, verbose=False, download_files=False)
    dictionary = str(FIXTURES / "house-prices" / "data_description.txt")
    data = str(_head(FIXTURES / "house-prices" / "train.csv", 200))
    out: dict[str, Any] = {}
    out["parse"] = _plain(client.predict(handle_file(dictionary), False,
                                         api_name="/parse_dictionary"), url)
    out["profile"] = _plain(client.predict(handle_file(data), None, api_name="/profile"), url)
    out["analyze"] = _plain(client.predict(handle_file(data), handle_file(dictionary), "",
                                           api_name="/analyze"), url)
    with httpx.Client(base_url=url, timeout=30) as http:
        config = http.get("config").json()
        out["config"] = sorted((c.get("type"), c.get("props", {}).get("elem_id") or "")
                               for c in config["components"])
        out["info"] = {name: [p["parameter_name"] for p in api["parameters"]]
                       for name, api in http.get("gradio_api/info").json()[
                           "named_endpoints"].items()}
        upload = http.post("gradio_api/upload", files={"files": ("d.csv", b"a,b\n1,2\n")})
        out["upload"] = [upload.status_code, [Path(p).name for p in upload.json()]]
        out["outside"] = outside_path_refusal(url)
        out["monitoring"] = http.get("monitoring/summary").status_code
    return out


def _head(path: Path, rows: int) -> Path:
    """The first `rows` rows of a CSV, in a file of the same name (made once)."""
    import tempfile

    out = Path(tempfile.gettempdir()) / f"codebook-patch-tests-{rows}" / path.name
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out.write_text("".join(lines[:rows + 1]), encoding="utf-8")
    return out


def outside_path_refusal(url: str, path: str = "/etc/hostname") -> str:
    """What a parse whose input names a server file outside the upload folder ends with (sent
    as raw queue requests: gradio_client would upload a local file instead)."""
    with httpx.Client(base_url=url, timeout=30) as http:
        config = http.get("config").json()
        dep = next(d for d in config["dependencies"] if d.get("api_name") == "parse_dictionary")
        fn = dep["id"]
        data = [{"path": path, "meta": {"_type": "gradio.FileData"}}, False]
        data += [None] * (len(dep["inputs"]) - len(data))     # the optional inputs
        body = {"data": data,
                "fn_index": fn, "session_hash": "outside1", "event_data": None,
                "trigger_id": None}
        http.post("gradio_api/queue/join", json=body).raise_for_status()
        with http.stream("GET", "gradio_api/queue/data",
                         params={"session_hash": "outside1"}) as stream:
            for line in stream.iter_lines():
                if line.startswith("data:"):
                    message = json.loads(line[5:])
                    if message.get("msg") == "process_completed":
                        return str((message.get("output") or {}).get("error"))
    return "no answer"


def _plain(value: Any, url: str) -> Any:
    """`value` with timings blanked and files replaced by (name, content) fetched from `url`."""
    if isinstance(value, dict) and value.get("meta", {}).get("_type") == "gradio.FileData":
        with httpx.Client(timeout=30) as http:
            body = http.get(value["url"]).content
        # (HTML pages and workbooks hold generated ids and times: their names are compared)
        return ("file", Path(value["path"]).name, _TIMES.sub("", body.decode("utf-8", "replace"))
                if Path(value["path"]).suffix in (".json", ".csv", ".md") else bool(body))
    if isinstance(value, dict):
        return {k: _plain(v, url) for k, v in value.items() if k not in ("seconds", "plot")}
    if isinstance(value, (list, tuple)):
        return [_plain(v, url) for v in value]
    if isinstance(value, str):
        return _TIMES.sub("", value)
    return value
