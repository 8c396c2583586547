"""The apps a run starts and stops: one app process, or replicas behind nginx; their logs and
an optional py-spy recording."""

from __future__ import annotations

import contextlib
import os
import signal
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from gradio_client import Client

from harness.app_server import AppServer

from .clients import close_clients, new_client
from .common import BUDGET, ROOT, log, split_limit
from .machine import descendants


class Replicas:
    """N app processes behind Debian's nginx configured from deploy/nginx.conf, as
    docker-compose runs them: each has its own serving thread; the LLM limits are split
    between them (their sum is the provider's), the LLM cache directory is shared."""

    def __init__(self, apps: list[AppServer], proxy: Any) -> None:
        self.apps, self.proxy, self.url = apps, proxy, proxy.url

    @property
    def pids(self) -> list[int]:
        return [a.proc.pid for a in self.apps]

    def log(self) -> str:
        return "\n".join(a.log() for a in self.apps) + "\n" + self.proxy.errors()


def pids_of(app: AppServer | Replicas) -> list[int]:
    return app.pids if isinstance(app, Replicas) else [app.proc.pid]


class Apps:
    """Starting and stopping the run's apps (a part of Run)."""

    # -- infrastructure
    def start_app(self, name: str, script: Path = ROOT / "app.py", **env: str) -> AppServer:
        d = self.work / name
        for sub in ("cache", "gradio", "tmp"):
            (d / sub).mkdir(parents=True, exist_ok=True)
        full = {"OPENAI_BASE_URL": self.sim.base_url, "OPENAI_MODEL": "codebook-simulator",
                "OPENAI_API_KEY": "bench", "CODEBOOK_CHUNK_TOKENS": str(BUDGET),
                "CODEBOOK_CACHE_DIR": str(d / "cache"), "GRADIO_TEMP_DIR": str(d / "gradio"),
                "TMPDIR": str(d / "tmp"), **env}
        t = time.monotonic()
        app = AppServer(env=full, timeout=120, script=script)
        self.apps.append(app)
        log(f"app '{name}' up at {app.url} (pid {app.proc.pid}) in "
            f"{time.monotonic() - t:.1f} s; {', '.join(f'{k}={v}' for k, v in env.items())}")
        return app

    def start_replicas(self, name: str, n: int, concurrency: int, rpm: int,
                       **env: str) -> Replicas:
        """n apps (the LLM limits split between them, one cache) behind nginx."""
        from concurrent.futures import ThreadPoolExecutor

        from harness.nginx_server import MISSING_NGINX, NginxServer, find_nginx

        nginx = find_nginx()
        if nginx is None:
            raise SystemExit(f"--replicas: {MISSING_NGINX}")
        shares = zip(split_limit(concurrency, n), split_limit(rpm, n))
        # the machine's cores shared out too: CPU worker processes per replica
        workers = str(max(1, (os.cpu_count() or 2) // n))
        with ThreadPoolExecutor(n) as pool:
            futures = [pool.submit(self.start_app, name, CODEBOOK_LLM_CONCURRENCY=str(c),
                                   CODEBOOK_LLM_RPM=str(r), CODEBOOK_CPU_WORKERS=workers, **env)
                       for c, r in shares]
        apps = [f.result() for f in futures]
        proxy = NginxServer(nginx, self.work / name / "nginx",
                            [f"127.0.0.1:{a.port}" for a in apps])
        cluster = Replicas(apps, proxy)
        self.apps.append(cluster)
        log(f"'{name}': {n} replicas behind nginx at {cluster.url}")
        return cluster

    def stop_app(self, app: AppServer | Replicas, name: str = "") -> None:
        """Stop the app; then stop any of its worker processes that outlived it (they were
        started by this run: their PIDs were read from /proc before the stop)."""
        if isinstance(app, Replicas):
            app.proxy.stop()
            for i, one in enumerate(app.apps):
                self.stop_app(one, f"{name} {i + 1}" if name else "")
            if app in self.apps:
                self.apps.remove(app)
            return
        t = time.monotonic()
        kids = descendants(app.proc.pid) if app.proc.poll() is None else []
        app.stop()
        if app in self.apps:
            self.apps.remove(app)
        def alive(pid: int) -> bool:
            try:   # a zombie has exited (its new parent has not reaped it yet)
                return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
            except (OSError, IndexError):
                return False

        deadline = time.monotonic() + 5   # workers may take a moment to notice
        while any(alive(k) for k in kids) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [k for k in kids if alive(k)]
        for k in left:
            with contextlib.suppress(OSError):
                os.kill(k, signal.SIGKILL)
        log(f"app pid {app.proc.pid} stopped in {time.monotonic() - t:.1f} s "
            f"(exit code {app.proc.returncode}); {len(kids)} worker process(es)"
            + (f", {len(left)} outlived it and were killed: {left}" if left else ""))
        if name:
            self.row(f"app '{name}': worker processes left running after the app stopped",
                     f"{len(left)} of {len(kids)}", "0", not left)

    def client(self, url: str, downloads: Path | None = None) -> Client:
        c = new_client(url, downloads)
        self.clients.append(c)
        return c

    def cleanup(self) -> None:
        close_clients(self.clients)
        for app in list(self.apps):
            with contextlib.suppress(Exception):
                self.stop_app(app)
        if self.sim is not None:
            with contextlib.suppress(Exception):
                self.sim.stop()
        if not self.args.keep:
            shutil.rmtree(self.work, ignore_errors=True)

    def scan_log(self, app: AppServer, name: str) -> None:
        try:
            text = app.log()
        except OSError:
            return
        lines = text.splitlines()
        bad = [ln for ln in lines if "Traceback" in ln or " ERROR" in ln or "ERROR:" in ln
               or "Exception" in ln]
        self.result.setdefault("app_logs", {})[name] = {"lines": len(lines),
                                                        "error_lines": bad[:50]}
        if bad:
            log(f"app '{name}' log has {len(bad)} error lines, e.g. {bad[0][:200]}")
        if self.args.keep or bad:
            dest = ROOT / "bench" / "out" / f"load-{self.stamp}-{name}.log"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text)
            self.result["app_logs"][name]["saved"] = str(dest)
        self.row(f"app '{name}' log: error / traceback lines", str(len(bad)), "0", not bad)

    def start_pyspy(self, app: AppServer) -> subprocess.Popen | None:
        exe = Path(sys.executable).parent / "py-spy"
        if not exe.exists():
            log("py-spy not found next to python; --py-spy ignored")
            return None
        out = ROOT / "bench" / "out" / f"load-{self.stamp}-app.svg"
        out.parent.mkdir(parents=True, exist_ok=True)
        dur = int(self.ideal * 1.3 + 10)
        self.result["py_spy"] = str(out)
        log(f"py-spy recording the app for {dur} s -> {out}")
        return subprocess.Popen([str(exe), "record", "--nonblocking", "--subprocesses",
                                 "-p", str(pids_of(app)[0]),
                                 "-d", str(dur), "-o", str(out)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def stop_pyspy(self, proc: subprocess.Popen) -> None:
        proc.send_signal(signal.SIGINT)   # py-spy writes its output on SIGINT
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
