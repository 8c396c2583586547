"""Several app replicas behind nginx with cookie affinity (deploy/nginx.conf, docker-compose.yml).

The loopback test runs two real app processes and Debian's nginx, rendered from the same
deploy/nginx.conf docker-compose mounts, and drives them with gradio_client. All clients come
from 127.0.0.1, so affinity by address would pin them all to one replica: the test shows both
replicas serve sessions while every request of a session (config, upload, queue/join, the
event stream, downloads) reaches the same replica. Observed through nginx's access log (the
replica of each request, keyed by the routing cookie) and each replica's own upload directory.
"""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from harness.app_server import ROOT, AppServer
from harness.fixtures import fixture_path
from engine.settings import parse_size
from harness.nginx_server import (MISSING_NGINX, SITE_CONF, NginxServer, check_config, find_nginx,
                          render_site, write_config)

COOKIE = "codebook_route"
COMPOSE = ROOT / "docker-compose.yml"


def nginx_binary() -> str:
    """Debian's nginx; a missing one fails the test (CI must install it), never skips it."""
    return find_nginx() or pytest.fail(MISSING_NGINX, pytrace=False)


# ---------------------------------------------------------------- config files (fast) ----

def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _app_services(compose: dict) -> dict[str, dict]:
    return {name: svc for name, svc in compose["services"].items() if re.fullmatch(r"app\d+", name)}


def _nginx_directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;{{]+);", SITE_CONF.read_text(), re.M)


def test_nginx_is_installed():
    assert Path(nginx_binary()).exists()


def test_compose_services_volumes_and_nginx_upstreams_agree():
    compose = _compose()
    apps = _app_services(compose)
    assert len(apps) >= 2, "scale-out needs several app services"
    for name, svc in apps.items():
        assert svc["build"] == "." and svc["image"] == "codebook:local", name
        assert svc["environment"]["CODEBOOK_CACHE_DIR"] == "/data/cache"
        assert svc["environment"]["CODEBOOK_HOST"] == "0.0.0.0"
        assert "codebook-cache:/data/cache" in svc["volumes"]
    assert "codebook-cache" in compose["volumes"]
    proxy = compose["services"]["nginx"]
    assert proxy["ports"] == ["7860:7860"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    assert (ROOT / "deploy" / "nginx.conf").is_file() and (ROOT / "Dockerfile").is_file()
    assert set(proxy["depends_on"]) == set(apps)
    # nginx's upstream names exactly the app services, on the port the image listens on
    servers = {s.split()[0] for s in _nginx_directive("server")}
    assert servers == {f"{name}:7860" for name in apps}
    assert _nginx_directive("listen") == ["7860"]


def test_nginx_limits_fit_the_app_and_event_streams():
    apps = _app_services(_compose())
    app_limit = parse_size(next(iter(apps.values()))["environment"]["CODEBOOK_MAX_FILE_SIZE"])
    (nginx_limit,) = _nginx_directive("client_max_body_size")
    nginx_bytes = int(nginx_limit.rstrip("m")) * 1024**2  # nginx's m is MiB
    # a little above the app's own limit (multipart overhead), so the app's message wins
    assert app_limit < nginx_bytes < 1.1 * app_limit
    assert _nginx_directive("proxy_buffering") == ["off"]
    assert _nginx_directive("proxy_http_version") == ["1.1"]
    assert _nginx_directive("proxy_read_timeout") == ["1h"]
    assert _nginx_directive("hash") == ["$codebook_route_key consistent"]


def test_rendered_config_differs_only_in_addresses_and_passes_nginx_t(tmp_path):
    nginx = nginx_binary()
    original = SITE_CONF.read_text()
    rendered = render_site(original, ["127.0.0.1:7001", "127.0.0.1:7002"], "127.0.0.1:7000",
                           tmp_path / "access.log")
    removed = set(original.splitlines()) - set(rendered.splitlines())
    added = set(rendered.splitlines()) - set(original.splitlines())
    assert {line.strip() for line in removed} == {
        "server app1:7860;", "server app2:7860;", "server app3:7860;", "listen 7860;",
        "access_log /var/log/nginx/access.log codebook;"}
    assert {line.strip() for line in added} == {
        "server 127.0.0.1:7001;", "server 127.0.0.1:7002;", "listen 127.0.0.1:7000;",
        f"access_log {tmp_path / 'access.log'} codebook;"}
    conf = write_config(tmp_path / "nginx", ["127.0.0.1:7001", "127.0.0.1:7002"], 7000)
    assert "test is successful" in check_config(nginx, conf)


# ------------------------------------------------------- two replicas behind nginx (slow) ----

@dataclass
class Cluster:
    apps: list[AppServer]
    nginx: NginxServer
    upload_dirs: list[Path]
    root: Path

    def replica(self, upstream: str) -> int:
        """Index of the app process at an upstream address like 127.0.0.1:PORT."""
        return [f"127.0.0.1:{a.port}" for a in self.apps].index(upstream)

    def requests_of(self, client) -> list[dict]:
        """The access log entries of one gradio_client session (by its routing cookie)."""
        route = client.cookies[COOKIE]
        return [r for r in self.nginx.requests() if r["route"] == route]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Two app processes (shared LLM cache, own upload dirs) and nginx in front of them."""
    nginx = nginx_binary()
    root = tmp_path_factory.mktemp("replicas")
    uploads = [root / f"uploads-{i}" for i in range(2)]
    envs = [{"CODEBOOK_CACHE_DIR": str(root / "cache"), "GRADIO_TEMP_DIR": str(d)}
            for d in uploads]
    apps = start_apps(envs)
    try:
        proxy = NginxServer(nginx, root / "nginx", [f"127.0.0.1:{a.port}" for a in apps])
    except Exception:
        stop_all(apps)
        raise
    yield Cluster(apps, proxy, uploads, root)
    proxy.stop()
    stop_all(apps)


def start_apps(envs: list[dict]) -> list[AppServer]:
    """Start the replicas at once (importing gradio takes seconds); none left running on error."""
    with ThreadPoolExecutor(len(envs)) as pool:
        futures = [pool.submit(AppServer, env=env) for env in envs]
    started = [f.result() for f in futures if f.exception() is None]
    errors = [f.exception() for f in futures if f.exception() is not None]
    if errors:
        stop_all(started)
        raise errors[0]
    return started


def stop_all(apps: list[AppServer]) -> None:
    for app in apps:
        app.stop()


def open_sessions(cluster: Cluster, per_replica: int = 2, limit: int = 24) -> list[tuple]:
    """gradio_client sessions through nginx until each replica holds `per_replica` of them."""
    from gradio_client import Client

    sessions, counts = [], [0] * len(cluster.apps)
    while min(counts) < per_replica:
        assert len(sessions) < limit, f"{limit} sessions all went to some replicas: {counts}"
        client = Client(cluster.nginx.url, verbose=False, analytics_enabled=False)
        assert COOKIE in client.cookies, "gradio_client did not keep nginx's routing cookie"
        upstreams = {r["upstream"] for r in cluster.requests_of(client)}
        assert len(upstreams) == 1, f"one session's first requests went to {upstreams}"
        replica = cluster.replica(upstreams.pop())
        counts[replica] += 1
        sessions.append((client, replica))
    return sessions


def _copy(src: Path, dest: Path) -> str:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)
    return str(dest)


def dictionary_then_data(client, i: int, workdir: Path) -> dict:
    """Parse the UCI heart-disease dictionary, then profile its header-less data file."""
    from gradio_client import handle_file

    folder = fixture_path("uci-heart-disease")
    names = _copy(folder / "heart-disease.names", workdir / f"heart_{i}.names")
    data = _copy(folder / "processed.cleveland.data", workdir / f"cleveland_{i}.data")
    # outputs by position, as the README lists them: (status, table, schema, schema file, ...)
    parsed = client.predict(handle_file(names), False, api_name="/parse_dictionary")
    profiled = client.predict(handle_file(data), None, api_name="/profile")
    return {"status": parsed[0], "schema": parsed[2], "schema_file": parsed[3],
            "profile": profiled[2]}


def long_pdf(directory: Path) -> Path:
    """The 90-page REDCap PDF four times over (360 pages): its parse lasts several of the
    0.2 s batches in which fields stream, on a fast machine too (the 90 pages alone may take
    less than one)."""
    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(str(fixture_path("redcap-ltc-promise-pdf", "LTCPROMISE8314QC.pdf")))
    out = pdfium.PdfDocument.new()
    for _ in range(4):
        out.import_pages(src)
    path = directory / "LTCPROMISE_x4.pdf"
    out.save(str(path))
    return path


def stream_pdf(client, pdf: Path) -> dict:
    """Submit a long PDF; note whether the job was still running at its first partial."""
    from gradio_client import handle_file

    job = client.submit(handle_file(str(pdf)), False, api_name="/parse_dictionary")
    running_at_first = None
    for _out in job:
        if running_at_first is None:
            running_at_first = not job.done()
    final = job.result(timeout=120)
    return {"outputs": job.outputs(), "final": final, "running_at_first": running_at_first}


@pytest.mark.slow
def test_sessions_stick_to_one_replica_and_both_replicas_work(cluster, tmp_path):
    sessions = open_sessions(cluster)
    try:
        with ThreadPoolExecutor(len(sessions)) as pool:
            work = [(client, i) for i, (client, _replica) in enumerate(sessions)]
            results = list(pool.map(lambda w: dictionary_then_data(*w, tmp_path), work))
        for res in results:
            heart_fields = {f["name"]: f for f in res["schema"]["fields"]}
            assert heart_fields["age"]["description"] == "age in years"
            assert heart_fields["sex"]["categories"] == [{"value": 1, "label": "male"},
                                                          {"value": 0, "label": "female"}]
            # the output file was downloaded through nginx from the replica that wrote it
            with open(res["schema_file"], encoding="utf-8") as fh:
                assert json.load(fh)["fields"][0]["name"] == "age"
            # the session's dictionary (gr.State) named the header-less data's columns: the
            # profile ran on the replica that holds the session
            profile = res["profile"]
            assert profile["rows"] == 303
            assert [c["name"] for c in profile["columns"]][:4] == ["age", "sex", "cp", "trestbps"]
        _assert_affinity(cluster, sessions)
    finally:
        for client, _replica in sessions:
            client.close()


def _assert_affinity(cluster: Cluster, sessions: list[tuple]) -> None:
    """Every request of a session hit its replica; uploads landed there and only there."""
    served = set()
    for i, (client, replica) in enumerate(sessions):
        log = cluster.requests_of(client)
        upstreams = {r["upstream"] for r in log}
        assert upstreams == {f"127.0.0.1:{cluster.apps[replica].port}"}, log
        uris = {r["uri"] for r in log}
        assert {"/config", "/gradio_api/upload", "/gradio_api/queue/join"} <= uris
        assert all(r["status"] == "200" for r in log
                   if not r["uri"].startswith("/gradio_api/heartbeat")), log
        served.add(replica)
        for name in (f"heart_{i}.names", f"cleveland_{i}.data"):
            found = [j for j, d in enumerate(cluster.upload_dirs) if list(d.rglob(name))]
            assert found == [replica], f"{name} uploaded to replicas {found}, not {replica}"
    assert served == {0, 1}
    assert "[error]" not in cluster.nginx.errors()


@pytest.mark.slow
def test_partial_results_stream_through_nginx_from_both_replicas(cluster, tmp_path):
    sessions = open_sessions(cluster, per_replica=1)
    one_each = [next(s for s in sessions if s[1] == r) for r in (0, 1)]
    pdf = long_pdf(tmp_path)
    try:
        with ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda s: stream_pdf(s[0], pdf), one_each))
        for res, (client, replica) in zip(results, one_each):
            outputs = res["outputs"]
            assert len(outputs) >= 2, "expected partial results before the final one"
            assert "fields so far" in outputs[0][0]
            assert len(res["final"][2]["fields"]) > 400
            # a partial reached the client while the server was still reading pages; a
            # buffering proxy would have delivered them all together with the final result
            assert res["running_at_first"], "partial results were held back until the end"
            log = cluster.requests_of(client)
            assert {r["upstream"] for r in log} == {f"127.0.0.1:{cluster.apps[replica].port}"}
    finally:
        for client, _replica in sessions:
            client.close()


@pytest.mark.slow
def test_small_events_are_not_held_back_by_nginx(cluster):
    """Gradio's heartbeat stream says ALIVE at once, then nothing for 15 s: the first small
    event must pass nginx at once, as an event stream, not wait for more data or the end."""
    import httpx

    url = cluster.nginx.url + "gradio_api/heartbeat/replica-test"
    with httpx.stream("GET", url, timeout=httpx.Timeout(10.0)) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        first = next(response.iter_lines())
    assert first == "data: ALIVE"



@pytest.mark.slow
def test_cookie_is_issued_once_and_urls_name_the_public_address(cluster):
    """The app sees nginx's host:port and scheme (X-Forwarded-*), so its links point at nginx."""
    import httpx

    first = httpx.get(cluster.nginx.url + "config", timeout=10)
    route = first.cookies[COOKIE]
    assert first.json()["root"] == cluster.nginx.url.rstrip("/")
    again = httpx.get(cluster.nginx.url + "config", cookies={COOKIE: route}, timeout=10)
    assert "set-cookie" not in again.headers  # a session keeps the cookie it was given
    behind_tls = httpx.get(cluster.nginx.url + "config", cookies={COOKIE: route},
                           headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert behind_tls.json()["root"] == f"https://127.0.0.1:{cluster.nginx.port}"
    served = {r["upstream"] for r in cluster.nginx.requests() if r["route"] == route}
    assert len(served) == 1
